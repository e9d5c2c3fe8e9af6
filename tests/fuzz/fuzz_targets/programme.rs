//! The programme-file parser: any text gives a programme or located errors, never a
//! panic; an accepted programme exports to a file that parses to the same programme.
#![no_main]

use haven::programme::Programme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(p) = Programme::parse(text) {
        let again = Programme::parse(&p.to_toml()).expect("an exported programme parses");
        assert_eq!(again.file(), p.file(), "export round trip");
    }
});
