//! What a message was made from, recorded on its outbox row (issue 20): the template's
//! key, the programme version the template was read at, and a keyed hash of the
//! rendered subject and text. "Who received this text" is then a question the database
//! answers exactly, even for a reply whose template an agent edited before sending.
//!
//! The hash is an HMAC under a key derived from the master key ([`TextKey`], made only
//! by the keyring): a rendered message holds a name or a reference code, and a plain
//! hash would let anyone holding the database test a guess at one.

use std::fmt;
use std::sync::Arc;

use crate::crypto::MacKey;
use crate::store::OutboxStamp;

/// The key of the text hashes. Cheap to clone; never printed.
#[derive(Clone)]
pub struct TextKey(Arc<MacKey>);

impl TextKey {
    pub(crate) fn new(key: MacKey) -> Self {
        Self(Arc::new(key))
    }

    /// A random key, for tests and benchmarks of what is stamped.
    pub fn generate() -> Self {
        Self::new(MacKey::generate())
    }

    /// The keyed hash of a message's subject and text (never of its address).
    pub fn text_hash(&self, subject: &str, text: &str) -> Vec<u8> {
        self.0
            .mac(
                "haven/outbox-text",
                &[subject.as_bytes(), &[0], text.as_bytes()],
            )
            .to_vec()
    }

    /// The stamp of one message.
    pub fn stamp(
        &self,
        template_key: Option<&str>,
        template_version: i64,
        subject: &str,
        text: &str,
    ) -> OutboxStamp {
        OutboxStamp {
            template_key: template_key.map(str::to_owned),
            template_version: template_key.map(|_| template_version),
            text_hash: self.text_hash(subject, text),
        }
    }
}

impl fmt::Debug for TextKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TextKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_follows_every_word_and_the_key() {
        let key = TextKey::generate();
        let a = key.text_hash("Subject", "Hello Ana");
        assert_eq!(a, key.text_hash("Subject", "Hello Ana"));
        assert_ne!(a, key.text_hash("Subject", "Hello Ana!"));
        // The boundary between subject and text is part of what is hashed.
        assert_ne!(key.text_hash("ab", "c"), key.text_hash("a", "bc"));
        assert_ne!(a, TextKey::generate().text_hash("Subject", "Hello Ana"));
        let s = key.stamp(Some("ack"), 7, "Subject", "Hello Ana");
        assert_eq!(s.template_version, Some(7));
        assert_eq!(s.text_hash, a);
        assert_eq!(key.stamp(None, 7, "S", "T").template_version, None);
        assert_eq!(format!("{key:?}"), "TextKey(..)");
    }
}
