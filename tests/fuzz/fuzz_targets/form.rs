//! Form decoding and validation against the example programme: any body is decoded or
//! refused, and validation either accepts or names field errors, never panics.
#![no_main]

use std::sync::LazyLock;

use haven::domain::Language;
use haven::intake::form::{RawForm, validate};
use haven::programme::Programme;
use libfuzzer_sys::fuzz_target;

static PROGRAMME: LazyLock<Programme> = LazyLock::new(|| {
    Programme::parse(include_str!("../../../ops/examples/afghanistan-2021.toml"))
        .expect("the example parses")
});

fuzz_target!(|body: &[u8]| {
    let Ok(form) = RawForm::decode(body) else {
        return;
    };
    if form.check_shape(&PROGRAMME).is_err() {
        return;
    }
    for lang in [Language::En, Language::Ps] {
        let _ = validate(&PROGRAMME, &form, lang);
    }
});
