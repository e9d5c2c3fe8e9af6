//! An enquiry's sealed content: what the person wrote and how to reach them, as one
//! age ciphertext. Only this module knows the plaintext layout.

use serde::{Deserialize, Serialize};

use crate::crypto::{CryptoError, Opener, Sealed, Sealer};
use crate::domain::{EmailAddress, ReferenceCode};
use crate::programme::Answers;

/// How the person wants to be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactChoice {
    InboxOnly,
    Email(EmailAddress),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryContent {
    /// Kept inside the ciphertext so staff can read it back (only its keyed hash is
    /// in a clear column).
    pub reference: String,
    pub language: String,
    pub answers: Answers,
    /// `None`: the reply inbox only.
    pub email: Option<String>,
    /// For enquiries brought in with `haven import`: what the mail carried besides its
    /// text. Absent from web enquiries (and from their ciphertexts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<MailDetails>,
    /// For enquiries taken by phone in the console (issue 22): what the caller said
    /// about calling them back, and who entered it. Absent from every other enquiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallDetails>,
}

/// What a phone intake records besides the programme's answers, sealed with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDetails {
    /// The answer to "is it safe to talk now?".
    pub safe_to_talk: bool,
    /// When they may be called back, as they said it (may be empty).
    pub call_back: String,
    /// The staff account that entered it.
    pub entered_by: String,
}

/// The parts of an imported email that are not answers to a field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailDetails {
    pub subject: Option<String>,
    /// Whether the sender and text were taken from a forwarded message inside it.
    #[serde(default)]
    pub forwarded: bool,
    /// What the forwarder wrote above a forwarded message, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_note: Option<String>,
    /// The text was cut at the import limit.
    #[serde(default)]
    pub truncated: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<MailAttachment>,
}

/// One attachment: always listed; its bytes kept only when the programme keeps
/// attachments and they fit the bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAttachment {
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Base64 of the bytes; `None`: listed only (dropped by the programme, or too large).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl EnquiryContent {
    pub fn new(
        reference: &ReferenceCode,
        language: &str,
        answers: Answers,
        contact: &ContactChoice,
    ) -> Self {
        Self {
            reference: reference.display(),
            language: language.to_owned(),
            answers,
            email: match contact {
                ContactChoice::InboxOnly => None,
                ContactChoice::Email(e) => Some(e.as_str().to_owned()),
            },
            mail: None,
            call: None,
        }
    }

    pub fn seal(&self, sealer: &Sealer) -> Result<Sealed, CryptoError> {
        let json =
            zeroize::Zeroizing::new(serde_json::to_vec(self).map_err(|_| CryptoError::Encrypt)?);
        sealer.seal(&json)
    }

    /// Opening is the keyring's business ([`crate::keyring::Keyring::open_enquiry`]).
    pub(crate) fn open(opener: &Opener, sealed: &Sealed) -> Result<Self, CryptoError> {
        let json = zeroize::Zeroizing::new(opener.open(sealed)?);
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }
}
