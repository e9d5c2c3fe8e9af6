use std::fmt;

use lettre::Message;
use lettre::address::{Address, Envelope};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};

use super::guard::{self, Exposure};
use crate::domain::{EmailAddress, ReferenceCode};

/// Exactly one address a message goes to. There is no type in Haven for "some
/// recipients": a bulk reply is many messages, each with its own `Recipient`.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient(EmailAddress);

impl Recipient {
    pub fn new(address: EmailAddress) -> Self {
        Self(address)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// For delivery logs: the first character and the domain, nothing more.
    pub fn masked(&self) -> String {
        let (local, domain) = self.as_str().split_once('@').unwrap_or(("", ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}…@{domain}")
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.masked())
    }
}

/// A template rendered for one enquiry: subject, plain text, optional HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// A file sent with a message. It can only be an age ciphertext (checked by its
/// header): the exposure guard cannot read inside an attachment, so Haven attaches
/// nothing it could have to read, only packages sealed to the recipient's own key.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    filename: String,
    bytes: Vec<u8>,
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Attachment({}, {} bytes)",
            self.filename,
            self.bytes.len()
        )
    }
}

/// The first line of every binary age file.
const AGE_HEADER: &[u8] = b"age-encryption.org/v1\n";

impl Attachment {
    /// `filename`: 1 to 60 of `A-Z a-z 0-9 . _ -` (it goes into a header).
    pub fn age(filename: &str, bytes: Vec<u8>) -> Result<Self, OutboundError> {
        let name_ok = (1..=60).contains(&filename.len())
            && filename
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !name_ok || !bytes.starts_with(AGE_HEADER) {
            return Err(OutboundError::Attachment);
        }
        Ok(Self {
            filename: filename.to_owned(),
            bytes,
        })
    }

    pub fn filename(&self) -> &str {
        &self.filename
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("only an age-encrypted file may be attached")]
    Attachment,
    #[error(transparent)]
    Exposure(#[from] Exposure),
    #[error("a subject must be one line")]
    HeaderInjection,
    #[error("the message could not be built")]
    Build,
}

/// One message to one recipient, already checked by the exposure guard.
pub struct OutboundMessage {
    recipient: Recipient,
    message: Message,
    // What it was built from, kept so the outbox can seal it and the worker can build
    // it again through `new` (and so through the guard) just before sending.
    from: EmailAddress,
    from_name: String,
    rendered: Rendered,
    own_reference: Option<ReferenceCode>,
    attachment: Option<Attachment>,
}

impl fmt::Debug for OutboundMessage {
    // The built message holds the address and the text: debug output shows neither.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboundMessage")
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

impl OutboundMessage {
    /// The only constructor. `own_reference` is the recipient's own enquiry's code
    /// (the one code the message may mention).
    pub fn new(
        from: &EmailAddress,
        from_name: &str,
        recipient: Recipient,
        rendered: &Rendered,
        own_reference: Option<&ReferenceCode>,
    ) -> Result<Self, OutboundError> {
        Self::build(from, from_name, recipient, rendered, own_reference, None)
    }

    /// [`new`](Self::new), with one age-encrypted file (a referral package). The
    /// texts pass the same checks; the file is ciphertext for the recipient alone.
    pub fn with_attachment(
        from: &EmailAddress,
        from_name: &str,
        recipient: Recipient,
        rendered: &Rendered,
        attachment: Attachment,
    ) -> Result<Self, OutboundError> {
        Self::build(from, from_name, recipient, rendered, None, Some(attachment))
    }

    fn build(
        from: &EmailAddress,
        from_name: &str,
        recipient: Recipient,
        rendered: &Rendered,
        own_reference: Option<&ReferenceCode>,
        attachment: Option<Attachment>,
    ) -> Result<Self, OutboundError> {
        if rendered.subject.contains(['\r', '\n']) || from_name.contains(['\r', '\n']) {
            return Err(OutboundError::HeaderInjection);
        }
        guard::check_subject(&rendered.subject)?;
        let mut texts = vec![rendered.subject.as_str(), rendered.text.as_str(), from_name];
        if let Some(html) = &rendered.html {
            texts.push(html);
        }
        guard::check(
            &texts,
            &[recipient.as_str(), from.as_str()],
            own_reference.map(ReferenceCode::canonical),
        )?;

        let from_addr: Address = from.as_str().parse().map_err(|_| OutboundError::Build)?;
        let to_addr: Address = recipient
            .as_str()
            .parse()
            .map_err(|_| OutboundError::Build)?;
        let body = match &rendered.html {
            None => MultiPart::mixed().singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(rendered.text.clone()),
            ),
            Some(html) => MultiPart::alternative_plain_html(rendered.text.clone(), html.clone()),
        };
        let body = match &attachment {
            None => body,
            Some(file) => MultiPart::mixed().multipart(body).singlepart(
                lettre::message::Attachment::new(file.filename.clone()).body(
                    file.bytes.clone(),
                    ContentType::parse("application/octet-stream")
                        .map_err(|_| OutboundError::Build)?,
                ),
            ),
        };
        // The one place a `to` is set: from the one recipient this message was built for.
        #[allow(clippy::disallowed_methods)]
        let builder = Message::builder().to(Mailbox::new(None, to_addr.clone()));
        // The sending domain, not lettre's default (the machine's host name, which may
        // say what the server is for).
        let message_id = format!("<{}@{}>", crate::crypto::random_id(), from_addr.domain());
        let message = builder
            .message_id(Some(message_id))
            .from(Mailbox::new(Some(from_name.to_owned()), from_addr.clone()))
            .subject(rendered.subject.clone())
            .envelope(
                Envelope::new(Some(from_addr), vec![to_addr]).map_err(|_| OutboundError::Build)?,
            )
            .multipart(body)
            .map_err(|_| OutboundError::Build)?;
        Ok(Self {
            recipient,
            message,
            from: from.clone(),
            from_name: from_name.to_owned(),
            rendered: rendered.clone(),
            own_reference: own_reference.cloned(),
            attachment,
        })
    }

    pub fn attachment(&self) -> Option<&Attachment> {
        self.attachment.as_ref()
    }

    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    pub fn from(&self) -> &EmailAddress {
        &self.from
    }

    pub fn from_name(&self) -> &str {
        &self.from_name
    }

    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }

    pub fn own_reference(&self) -> Option<&ReferenceCode> {
        self.own_reference.as_ref()
    }

    /// The SMTP envelope: one `MAIL FROM`, one `RCPT TO`.
    pub fn envelope(&self) -> &Envelope {
        self.message.envelope()
    }

    /// The message as sent on the wire.
    pub fn formatted(&self) -> Vec<u8> {
        self.message.formatted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    fn rendered(subject: &str, text: &str) -> Rendered {
        Rendered {
            subject: subject.into(),
            text: text.into(),
            html: Some(format!("<p>{text}</p>")),
        }
    }

    #[test]
    fn a_message_has_one_envelope_recipient_and_one_address_header() {
        let code = ReferenceCode::generate();
        let m = OutboundMessage::new(
            &addr("help@haven.example"),
            "Haven",
            Recipient::new(addr("ana@example.org")),
            &rendered("You have a reply", &format!("Sign in with {code}.")),
            Some(&code),
        )
        .unwrap();
        assert_eq!(m.envelope().to().len(), 1);
        assert_eq!(m.envelope().to()[0].to_string(), "ana@example.org");
        let wire = String::from_utf8(m.formatted()).unwrap();
        let headers = &wire[..wire.find("\r\n\r\n").unwrap()];
        assert_eq!(
            headers.matches("\r\nTo: ").count() + usize::from(headers.starts_with("To: ")),
            1
        );
        assert!(!headers.to_ascii_lowercase().contains("\r\ncc:"));
        assert!(!headers.to_ascii_lowercase().contains("\r\nbcc:"));
    }

    #[test]
    fn crlf_in_a_subject_or_name_never_becomes_a_header() {
        for (subject, name) in [
            ("Hi\r\nBcc: x@evil.example", "Haven"),
            ("Hi", "Haven\r\nCc: y@evil.example"),
            ("Hi\nX: y", "Haven"),
        ] {
            let r = OutboundMessage::new(
                &addr("help@haven.example"),
                name,
                Recipient::new(addr("ana@example.org")),
                &rendered(subject, "text"),
                None,
            );
            assert!(
                matches!(r, Err(OutboundError::HeaderInjection)),
                "{subject:?} {name:?}"
            );
        }
    }

    #[test]
    fn another_persons_address_or_code_is_refused() {
        let own = ReferenceCode::generate();
        let other = ReferenceCode::generate();
        let build = |text: String| {
            OutboundMessage::new(
                &addr("help@haven.example"),
                "Haven",
                Recipient::new(addr("ana@example.org")),
                &rendered("Reply", &text),
                Some(&own),
            )
        };
        assert!(matches!(
            build("also to omar@example.org".into()),
            Err(OutboundError::Exposure(Exposure::OtherAddress))
        ));
        assert!(matches!(
            build(format!("case {other}")),
            Err(OutboundError::Exposure(Exposure::OtherReference))
        ));
        assert!(build(format!("your case {own}")).is_ok());
    }

    #[test]
    fn no_source_file_calls_cc_or_bcc() {
        fn walk(dir: &std::path::Path, needles: &[&str], hits: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, needles, hits);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        if needles.iter().any(|n| code.contains(n)) {
                            hits.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        let mut hits = Vec::new();
        // Spelled in parts so this test does not find itself.
        let needles = [concat!(".", "cc("), concat!(".", "bcc(")];
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &needles,
            &mut hits,
        );
        assert!(hits.is_empty(), "cc/bcc calls: {hits:?}");
    }
}
