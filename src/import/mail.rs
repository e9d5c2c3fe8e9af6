//! One email, read for import: who originally sent it, what they wrote, the subject,
//! the attachments. Forwards are unwrapped, whether attached (`message/rfc822`, at any
//! depth) or written into the text.

use base64::Engine;
use mail_parser::{Message, MessageParser, MimeHeaders};

use super::forward;
use crate::enquiry::{MailAttachment, MailDetails};
use crate::programme::AttachmentPolicy;

/// Forwards inside forwards followed at most this deep.
const MAX_DEPTH: usize = 8;
/// Longest text kept, in characters; the rest is cut (and the enquiry says so).
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Attachment bytes kept inside one enquiry; beyond it attachments are listed only.
pub const MAX_KEPT_ATTACHMENT_BYTES: usize = 10 << 20;
const MAX_SUBJECT_CHARS: usize = 500;
const MAX_NAME_CHARS: usize = 200;

/// Why a message could not be read. Says nothing about the message's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("not an email message (no headers found)")]
    NotMail,
    #[error("no sender address (no From header)")]
    NoSender,
    #[error("the sender address is not a valid email address")]
    InvalidSender,
    #[error("the message's MIME structure could not be read")]
    Unreadable,
}

/// What the import needs from one message.
#[derive(Debug)]
pub struct Mail {
    /// As written in the (original) message; not yet validated.
    pub sender: String,
    pub sender_name: Option<String>,
    pub text: String,
    pub message_id: Option<String>,
    pub details: MailDetails,
    /// The outer message's `Authentication-Results` headers, topmost first (empty
    /// for a forward: they speak of the forwarder, not the sender).
    pub auth_results: Vec<String>,
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = flat.split_whitespace().collect();
    words.join(" ").chars().take(max).collect()
}

/// Line endings made `\n`, control characters other than tab and newline removed.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_owned()
}

fn body_text<'a>(m: &'a Message<'a>) -> String {
    let mut parts = Vec::new();
    for i in 0..m.text_body_count() {
        if let Some(t) = m.body_text(i) {
            let t = clean_text(&t);
            if !t.is_empty() {
                parts.push(t);
            }
        }
    }
    parts.join("\n\n")
}

/// The attached messages of `m` (its `message/rfc822` parts).
fn attached_messages<'a>(m: &'a Message<'a>) -> Vec<&'a Message<'a>> {
    m.attachments().filter_map(|p| p.message()).collect()
}

pub fn read(raw: &[u8], policy: AttachmentPolicy) -> Result<Mail, MailError> {
    // The parser reads hostile bytes, and a panic inside it (mail-parser 0.11 has a
    // `debug_assert!` that malformed nested multiparts reach) must fail this one
    // message, not the import run or the upload request.
    let parsed = std::panic::catch_unwind(|| MessageParser::default().parse(raw))
        .map_err(|_| MailError::Unreadable)?;
    let outer = parsed
        .filter(|m| !m.headers().is_empty())
        .ok_or(MailError::NotMail)?;
    let message_id = outer.message_id().map(str::to_owned);
    let mut current = &outer;
    let mut forwarded = false;
    let mut note: Option<String> = None;

    // A forward as attachment: the forwarder's message carries the original whole.
    for _ in 0..MAX_DEPTH {
        let attached = attached_messages(current);
        let text = body_text(current);
        if attached.len() == 1
            && (text.is_empty() || forward::is_forward_subject(current.subject()))
        {
            if note.is_none() && !text.is_empty() {
                note = Some(text);
            }
            current = attached[0];
            forwarded = true;
        } else {
            break;
        }
    }

    let from = current.from().and_then(|a| a.first());
    let mut sender = from
        .and_then(|a| a.address())
        .map(str::to_owned)
        .unwrap_or_default();
    let mut sender_name = from.and_then(|a| a.name()).map(str::to_owned);
    let mut subject = current.subject().map(str::to_owned);
    let mut text = body_text(current);
    // Broken MIME (an unknown charset, a boundary never closed) can leave the text in
    // a part the parser files as an attachment: read it rather than lose it.
    let mut text_part = None;
    if text.is_empty() {
        for (n, part) in current.attachments().enumerate() {
            let plain = part.content_type().is_none_or(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
            });
            if plain && !part.is_message() && part.attachment_name().is_none() {
                text = clean_text(&String::from_utf8_lossy(part.contents()));
                text_part = Some(n);
                break;
            }
        }
    }

    // A forward written into the text, perhaps of a forward itself.
    for _ in 0..MAX_DEPTH {
        let Some(inline) = forward::find(&text, subject.as_deref()) else {
            break;
        };
        let (name, address) = forward::split_address(&inline.from);
        if !address.contains('@') {
            break;
        }
        if note.is_none() && !inline.note.is_empty() {
            note = Some(inline.note.clone());
        }
        sender = address;
        sender_name = name;
        subject = inline.subject.or(subject);
        text = inline.text;
        forwarded = true;
    }

    if sender.is_empty() {
        return Err(if current.from().is_none() && !forwarded {
            MailError::NoSender
        } else {
            MailError::InvalidSender
        });
    }

    let mut truncated = false;
    if text.chars().count() > MAX_TEXT_CHARS {
        text = text.chars().take(MAX_TEXT_CHARS).collect();
        truncated = true;
    }

    let mut budget = match policy {
        AttachmentPolicy::Keep => MAX_KEPT_ATTACHMENT_BYTES,
        AttachmentPolicy::Drop => 0,
    };
    let mut attachments = Vec::new();
    for (n, part) in current.attachments().enumerate() {
        if text_part == Some(n) {
            continue;
        }
        let bytes = part.contents();
        let content_type = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_owned(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let name = part
            .attachment_name()
            .map(|n| one_line(n, MAX_NAME_CHARS))
            .filter(|n| !n.is_empty())
            .or_else(|| {
                part.message()
                    .and_then(|m| m.subject())
                    .map(|s| one_line(&format!("{s}.eml"), MAX_NAME_CHARS))
            })
            .unwrap_or_else(|| format!("attachment-{}", n + 1));
        let data = (bytes.len() <= budget).then(|| {
            budget -= bytes.len();
            base64::engine::general_purpose::STANDARD.encode(bytes)
        });
        attachments.push(MailAttachment {
            name,
            content_type: one_line(&content_type, 100),
            size: bytes.len() as u64,
            data,
        });
    }

    let auth_results = if forwarded {
        Vec::new()
    } else {
        outer
            .headers_raw()
            .filter(|(name, _)| name.eq_ignore_ascii_case("Authentication-Results"))
            .map(|(_, value)| value.to_owned())
            .collect()
    };
    Ok(Mail {
        auth_results,
        sender,
        sender_name: sender_name
            .map(|n| one_line(&n, MAX_NAME_CHARS))
            .filter(|n| !n.is_empty() && !n.contains('@')),
        text,
        message_id,
        details: MailDetails {
            subject: subject
                .map(|s| one_line(&s, MAX_SUBJECT_CHARS))
                .filter(|s| !s.is_empty()),
            forwarded,
            forward_note: note,
            truncated,
            attachments,
        },
    })
}

#[cfg(test)]
mod tests {

    /// Found by the `mail` fuzz target: a nested multipart that makes mail-parser's
    /// own `debug_assert!` fire. In debug builds that panics; it must come back as a
    /// failed message, whatever the build.
    #[test]
    fn a_message_that_trips_the_parser_fails_alone_instead_of_panicking() {
        let raw: &[u8] = b"Fro5\x01\0\0\0\0\0\0<desk@example.gov>\r\nSubject: FW: case\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom:arhZ ontent-\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom:arhZ a <zahra@example.org>\r\nSubje\n\r\n<p>help</p>\r\n--b1--\r\n";
        for policy in [AttachmentPolicy::Keep, AttachmentPolicy::Drop] {
            // Debug builds (these tests) reach the panic and must turn it into this
            // error; a release build skips the assertion and may read the message.
            let outcome = read(raw, policy);
            assert!(
                matches!(outcome, Err(MailError::Unreadable)) || !cfg!(debug_assertions),
                "{outcome:?}"
            );
        }
    }

    use super::*;

    #[test]
    fn a_plain_message() {
        let raw = b"From: Ana <ana@example.org>\r\nSubject: Help\r\nMessage-ID: <1@x>\r\n\r\nI need help.\r\n";
        let m = read(raw, AttachmentPolicy::Keep).unwrap();
        assert_eq!(m.sender, "ana@example.org");
        assert_eq!(m.sender_name.as_deref(), Some("Ana"));
        assert_eq!(m.text, "I need help.");
        assert_eq!(m.details.subject.as_deref(), Some("Help"));
        assert_eq!(m.message_id.as_deref(), Some("1@x"));
        assert!(!m.details.forwarded);
    }

    #[test]
    fn garbage_and_missing_senders_are_refused() {
        assert_eq!(
            read(b"", AttachmentPolicy::Keep).unwrap_err(),
            MailError::NotMail
        );
        assert_eq!(
            read(b"Subject: x\r\n\r\nbody", AttachmentPolicy::Keep).unwrap_err(),
            MailError::NoSender
        );
    }

    #[test]
    fn an_attached_forward_is_unwrapped() {
        let raw = "From: Info <info@ngo.example>\r\nSubject: Fwd: Help\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: Ana <ana@example.org>\r\nSubject: Help\r\n\r\nThe original.\r\n--b--\r\n";
        let m = read(raw.as_bytes(), AttachmentPolicy::Drop).unwrap();
        assert_eq!(m.sender, "ana@example.org");
        assert_eq!(m.text, "The original.");
        assert_eq!(m.details.forward_note.as_deref(), Some("See below."));
        assert!(m.details.forwarded);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_never_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4000)) {
            let _ = read(&bytes, AttachmentPolicy::Keep);
        }

        #[test]
        fn mangled_mail_never_panics(
            head in "(From|Subject|Content-Type|Message-ID): [ -~]{0,60}",
            body in "[\\PC\n-]{0,400}",
        ) {
            let raw = format!("{head}\r\nFrom: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n{body}\r\n-----Original Message-----\r\nFrom: {body}\r\n");
            let _ = read(raw.as_bytes(), AttachmentPolicy::Keep);
            let _ = super::forward::find(&body, Some("Fwd: x"));
        }
    }
}
