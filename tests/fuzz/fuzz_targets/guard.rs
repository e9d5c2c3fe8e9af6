//! The exposure guard: on any text it finds addresses and codes without panicking, and
//! a text holding an address other than the allowed ones is always refused.
#![no_main]

use haven::outbound::{find_addresses, find_reference_codes, guard_check, normalise};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = find_addresses(text);
    let _ = find_reference_codes(text);
    let verdict = guard_check(&[text], &["allowed@example.org"], None);
    // As the guard reads it: the allowed address written in other forms (fullwidth)
    // is still the allowed one.
    if found
        .iter()
        .any(|a| normalise(a).to_lowercase() != "allowed@example.org")
    {
        assert!(verdict.is_err(), "another address got through: {found:?}");
    }
    // Adding a stranger's address to any text must be refused.
    let with_stranger = format!("{text} stranger@example.net");
    assert!(guard_check(&[&with_stranger], &["allowed@example.org"], None).is_err());
});
