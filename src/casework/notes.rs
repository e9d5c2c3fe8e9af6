//! Notes on an enquiry and the reasons given for transfers: their sealed layout, and
//! making one. Opening them is the keyring's business ([`crate::keyring::Keyring`]).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{CryptoError, Sealed, Sealer};

/// Longest note or transfer reason, in characters.
pub const NOTE_MAX: usize = 20_000;

/// What a note records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteKind {
    /// Something staff wrote down.
    Note,
    /// Why the enquiry moved from one queue to another.
    Transfer { from: String, to: String },
}

/// A note's sealed content. The JSON layout (`kind`, `text`, `from_queue`,
/// `to_queue`) is what is stored; only this module knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

#[derive(Serialize, Deserialize)]
struct Layout {
    /// `note` or `transfer`.
    kind: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from_queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to_queue: Option<String>,
    /// When it was written, to the second (Unix seconds). The clear column holds the
    /// hour only; staff see this exact time, and notes keep their order, from here.
    /// Absent from notes sealed before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<i64>,
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// A note's text as typed: trimmed, not empty, at most [`NOTE_MAX`] characters.
pub fn text(raw: &str) -> Option<&str> {
    let text = raw.trim();
    (!text.is_empty() && text.chars().count() <= NOTE_MAX).then_some(text)
}

impl Note {
    /// Reads an opened note. Anything else than the layout above is unreadable, and
    /// says nothing more specific (like any failed decryption).
    pub fn parse(plain: &[u8]) -> Result<Self, CryptoError> {
        Self::parse_timed(plain).map(|(note, _)| note)
    }

    /// [`parse`](Self::parse), with the exact time sealed inside (if it was).
    pub fn parse_timed(plain: &[u8]) -> Result<(Self, Option<i64>), CryptoError> {
        let l: Layout = serde_json::from_slice(plain).map_err(|_| CryptoError::Decrypt)?;
        let at = l.at;
        let kind = match (l.kind.as_str(), l.from_queue, l.to_queue) {
            ("transfer", from, to) => NoteKind::Transfer {
                from: from.unwrap_or_default(),
                to: to.unwrap_or_default(),
            },
            _ => NoteKind::Note,
        };
        Ok((Self { kind, text: l.text }, at))
    }

    /// Seals the note to the programme's key.
    pub fn seal(&self, sealer: &Sealer) -> Result<Sealed, CryptoError> {
        let layout = match &self.kind {
            NoteKind::Note => Layout {
                kind: "note".into(),
                text: self.text.clone(),
                from_queue: None,
                to_queue: None,
                at: Some(unix_now()),
            },
            NoteKind::Transfer { from, to } => Layout {
                kind: "transfer".into(),
                text: self.text.clone(),
                from_queue: Some(from.clone()),
                to_queue: Some(to.clone()),
                at: Some(unix_now()),
            },
        };
        let json = Zeroizing::new(serde_json::to_vec(&layout).map_err(|_| CryptoError::Encrypt)?);
        sealer.seal(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_layout_is_unchanged() {
        let transfer = br#"{"kind":"transfer","text":"Needs a lawyer","from_queue":"general","to_queue":"urgent"}"#;
        assert_eq!(
            Note::parse(transfer).unwrap(),
            Note {
                kind: NoteKind::Transfer {
                    from: "general".into(),
                    to: "urgent".into()
                },
                text: "Needs a lawyer".into()
            }
        );
        let note = br#"{"kind":"note","text":"Called back"}"#;
        assert_eq!(Note::parse(note).unwrap().kind, NoteKind::Note);
        assert!(Note::parse(b"not json").is_err());
    }

    #[test]
    fn a_sealed_note_opens_to_the_same_note() {
        let identity = age::x25519::Identity::generate();
        let sealer = Sealer::new("k1", &identity.to_public().to_string()).unwrap();
        let note = Note {
            kind: NoteKind::Transfer {
                from: "a".into(),
                to: "b".into(),
            },
            text: "why".into(),
        };
        let sealed = note.seal(&sealer).unwrap();
        let plain = age::decrypt(&identity, &sealed.ciphertext).unwrap();
        assert_eq!(Note::parse(&plain).unwrap(), note);
        // The exact time travels inside the ciphertext (the clear column has the hour).
        let (_, at) = Note::parse_timed(&plain).unwrap();
        let at = at.expect("a sealed time");
        assert!((unix_now() - at).abs() < 60);
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            format!(
                r#"{{"kind":"transfer","text":"why","from_queue":"a","to_queue":"b","at":{at}}}"#
            )
        );
    }

    #[test]
    fn note_text_is_trimmed_and_bounded() {
        assert_eq!(text("  hello \n"), Some("hello"));
        assert_eq!(text(" \r\n "), None);
        assert!(text(&"x".repeat(NOTE_MAX)).is_some());
        assert!(text(&"x".repeat(NOTE_MAX + 1)).is_none());
    }
}
