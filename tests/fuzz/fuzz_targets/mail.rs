//! Mail import: any bytes, as an uploaded .eml or one message of an mbox, are read into a
//! mail or refused with a reason, never a panic, under both attachment policies; the
//! forward detector finds an original sender in any text or nothing.
#![no_main]

use haven::import::{forward, mail};
use haven::programme::AttachmentPolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &[u8]| {
    for policy in [AttachmentPolicy::Keep, AttachmentPolicy::Drop] {
        let _ = mail::read(raw, policy);
    }
    if let Ok(text) = std::str::from_utf8(raw) {
        if let Some(found) = forward::find(text, Some("Fwd: help")) {
            // The detector never invents a sender: every word of it was in the text
            // (folded header lines are joined with a space, so the whole may not be).
            for word in found.from.split_whitespace() {
                assert!(text.contains(word), "sender word not in the text: {word:?}");
            }
        }
        let _ = forward::split_address(text);
    }
});
