//! Queuing messages: each [`OutboundMessage`] becomes one outbox row for one enquiry,
//! sealed to the programme's key like the enquiry itself, and is opened again only by
//! the worker, which builds it anew through [`OutboundMessage::new`] so the exposure
//! guard looks at it once more just before it leaves.
//!
//! [`seal_row`] makes the row; the store writes it in the transaction of what causes it
//! (a reply, a campaign's approval with one row per enquiry, a referral), so a message
//! is queued exactly when that commits.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::message::{Attachment, OutboundError, OutboundMessage, Recipient, Rendered};
use crate::crypto::{CryptoError, Opener, Sealed, Sealer, random_id};
use crate::domain::{EmailAddress, ReferenceCode};
use crate::store::{NewOutboxRow, now};

/// The plaintext inside an outbox ciphertext. Only this module knows it.
#[derive(Serialize, Deserialize)]
struct SealedMessage {
    to: String,
    from: String,
    from_name: String,
    subject: String,
    text: String,
    html: Option<String>,
    /// Canonical form: the one reference code the message may mention.
    reference: Option<String>,
    /// An age-encrypted file for the recipient (a referral package): name and base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attachment: Option<(String, String)>,
}

/// Why a queued message could not be turned back into something sendable.
#[derive(Debug, thiserror::Error)]
pub enum OpenMessageError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the sealed message has an unknown layout")]
    Layout,
    /// The guard (or the header check) refused it: nothing is sent.
    #[error("refused: {0}")]
    Refused(#[from] OutboundError),
}

/// Seals `message` into a new outbox row for `enquiry_id`.
pub fn seal_row(
    sealer: &Sealer,
    enquiry_id: &str,
    campaign_id: Option<&str>,
    idempotency_key: &str,
    message: &OutboundMessage,
) -> Result<NewOutboxRow, CryptoError> {
    let rendered = message.rendered();
    let plain = SealedMessage {
        to: message.recipient().as_str().to_owned(),
        from: message.from().as_str().to_owned(),
        from_name: message.from_name().to_owned(),
        subject: rendered.subject.clone(),
        text: rendered.text.clone(),
        html: rendered.html.clone(),
        reference: message.own_reference().map(|r| r.canonical().to_owned()),
        attachment: message.attachment().map(|a| {
            use base64::Engine as _;
            (
                a.filename().to_owned(),
                base64::engine::general_purpose::STANDARD.encode(a.bytes()),
            )
        }),
    };
    let json = Zeroizing::new(serde_json::to_vec(&plain).map_err(|_| CryptoError::Encrypt)?);
    Ok(NewOutboxRow {
        id: random_id(),
        enquiry_id: enquiry_id.to_owned(),
        campaign_id: campaign_id.map(str::to_owned),
        idempotency_key: idempotency_key.to_owned(),
        sealed: sealer.seal(&json)?,
        created_at: now(),
    })
}

/// Opens a queued message and builds it again through [`OutboundMessage::new`], so the
/// header check and the exposure guard run on exactly what is about to be sent.
pub fn open_message(opener: &Opener, sealed: &Sealed) -> Result<OutboundMessage, OpenMessageError> {
    let json = Zeroizing::new(opener.open(sealed)?);
    let plain: SealedMessage =
        serde_json::from_slice(&json).map_err(|_| OpenMessageError::Layout)?;
    let to = EmailAddress::parse(&plain.to).map_err(|_| OpenMessageError::Layout)?;
    let from = EmailAddress::parse(&plain.from).map_err(|_| OpenMessageError::Layout)?;
    let reference = plain
        .reference
        .as_deref()
        .map(ReferenceCode::parse)
        .transpose()
        .map_err(|_| OpenMessageError::Layout)?;
    let rendered = Rendered {
        subject: plain.subject,
        text: plain.text,
        html: plain.html,
    };
    match plain.attachment {
        None => Ok(OutboundMessage::new(
            &from,
            &plain.from_name,
            Recipient::new(to),
            &rendered,
            reference.as_ref(),
        )?),
        Some((filename, data)) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| OpenMessageError::Layout)?;
            // A message with a file mentions no reference code in its texts.
            if reference.is_some() {
                return Err(OpenMessageError::Layout);
            }
            Ok(OutboundMessage::with_attachment(
                &from,
                &plain.from_name,
                Recipient::new(to),
                &rendered,
                Attachment::age(&filename, bytes)?,
            )?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Sealer, Opener) {
        let identity = age::x25519::Identity::generate();
        let sealer = Sealer::new("k1", &identity.to_public().to_string()).unwrap();
        (sealer, Opener::new("k1", identity))
    }

    #[test]
    fn a_sealed_message_opens_to_the_same_message_and_hides_the_address() {
        let (sealer, opener) = pair();
        let code = ReferenceCode::generate();
        let message = OutboundMessage::new(
            &EmailAddress::parse("help@haven.example").unwrap(),
            "Haven",
            Recipient::new(EmailAddress::parse("ana@example.org").unwrap()),
            &Rendered {
                subject: "A reply".into(),
                text: format!("Your case {code}"),
                html: None,
            },
            Some(&code),
        )
        .unwrap();
        let row = seal_row(&sealer, "e1", None, "reply:1", &message).unwrap();
        assert!(!row.sealed.ciphertext.windows(7).any(|w| w == b"example"));
        let opened = open_message(&opener, &row.sealed).unwrap();
        assert_eq!(opened.recipient().as_str(), "ana@example.org");
        assert_eq!(opened.rendered(), message.rendered());
        assert_eq!(opened.own_reference(), Some(&code));
    }

    #[test]
    fn a_sealed_message_that_fails_the_guard_is_refused_when_opened() {
        // Anyone with the programme's public recipient can seal; the worker must not
        // trust what it opens.
        let (sealer, opener) = pair();
        let json = serde_json::json!({
            "to": "ana@example.org", "from": "help@haven.example", "from_name": "Haven",
            "subject": "Hi\r\nBcc: omar@example.org", "text": "x", "html": null, "reference": null,
        });
        let sealed = sealer.seal(json.to_string().as_bytes()).unwrap();
        assert!(matches!(
            open_message(&opener, &sealed),
            Err(OpenMessageError::Refused(OutboundError::HeaderInjection))
        ));
    }

    #[test]
    fn a_sealed_message_with_a_package_opens_to_the_same_bytes_and_only_age_files_attach() {
        let (sealer, opener) = pair();
        let partner = age::x25519::Identity::generate();
        let package = age::encrypt(&partner.to_public(), b"the package").unwrap();
        assert!(super::Attachment::age("x.age", b"plain text".to_vec()).is_err());
        assert!(super::Attachment::age("a\r\nb.age", package.clone()).is_err());
        let message = OutboundMessage::with_attachment(
            &EmailAddress::parse("help@haven.example").unwrap(),
            "Haven",
            Recipient::new(EmailAddress::parse("partner@ngo.example").unwrap()),
            &Rendered {
                subject: "Referral".into(),
                text: "A file is attached.".into(),
                html: None,
            },
            super::Attachment::age("referral-1.age", package.clone()).unwrap(),
        )
        .unwrap();
        let row = seal_row(&sealer, "e1", None, "referral:1", &message).unwrap();
        let opened = open_message(&opener, &row.sealed).unwrap();
        assert_eq!(opened.recipient().as_str(), "partner@ngo.example");
        assert_eq!(opened.attachment().map(|a| a.bytes()), Some(&package[..]));
        assert_eq!(opened.envelope().to().len(), 1);
        let wire = opened.formatted();
        assert!(String::from_utf8_lossy(&wire).contains("referral-1.age"));
        assert!(!wire.windows(11).any(|w| w == b"the package"));
    }
}
