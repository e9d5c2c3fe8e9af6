//! Replies: what staff write to one enquirer, by hand or from a template, and the
//! email that tells them about it.
//!
//! [`prepare`] turns a draft for one enquiry into what gets stored: the reply, sealed
//! to the programme and to the person's own inbox key, and, if they gave an email
//! address, one outbox row addressed to that one address. Both a single reply and each
//! message of a campaign go through it, so both pass the same checks: the exposure
//! guard on the reply text and on the email, one-line subjects, length limits.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{CryptoError, Opener, Sealed, random_id};
use crate::domain::{EmailAddress, Language, ReferenceCode};
use crate::enquiry::EnquiryContent;
use crate::i18n::t_args;
use crate::letters;
use crate::outbound::template::{self, Context};
use crate::outbound::{self, OutboundError, Recipient, Rendered};
use crate::programme::live::LiveProgramme;
use crate::programme::{EmailDisclosure, ImportReplies};
use crate::store::{EnquiryRecord, NewReply, PreparedReply, now};

/// Longest reply body, in characters.
pub const MAX_TEXT: usize = 20_000;
pub const MAX_SUBJECT: usize = 200;

/// A reply as staff wrote it (after choosing a template and editing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub text: String,
    pub template_key: Option<String>,
}

/// The sealed layout of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContent {
    pub subject: String,
    pub text: String,
    pub sent_at: i64,
}

impl ReplyContent {
    /// Staff side: opened by the keyring, in a case read.
    pub(crate) fn open(opener: &Opener, sealed: &Sealed) -> Result<Self, CryptoError> {
        let json = Zeroizing::new(opener.open(sealed)?);
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }

    /// Opens a reply with the enquirer's own inbox identity (the reply inbox).
    pub fn open_with(
        identity: &age::x25519::Identity,
        sealed: &Sealed,
    ) -> Result<Self, CryptoError> {
        let json = Zeroizing::new(
            age::decrypt(identity, &sealed.ciphertext).map_err(|_| CryptoError::Decrypt)?,
        );
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReplyError {
    #[error("write a reply first")]
    Empty,
    #[error("the reply is longer than {MAX_TEXT} characters")]
    TooLong,
    #[error("the subject must be one line of at most {MAX_SUBJECT} characters")]
    BadSubject,
    /// The exposure guard found another person's address or reference code.
    #[error("{0}")]
    Refused(#[from] OutboundError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// Someone else claimed the enquiry and "reply anyway" was not ticked (issue 22).
    #[error("someone else claimed this enquiry")]
    ClaimedByOther,
}

/// Where replies come from: the sender and the public origin (see [`crate::letters`]).
pub use crate::letters::Letterhead as MailSettings;

/// The values a template may use, for one enquiry.
pub fn context(live: &LiveProgramme, content: &EnquiryContent, mail: &MailSettings) -> Context {
    let p = &live.programme;
    let lang = Language::parse(&content.language).unwrap_or_else(|_| p.default_language());
    let name = p
        .file()
        .outbound
        .name_field
        .as_deref()
        .and_then(|f| content.answers.get(f))
        .and_then(|a| match a {
            crate::programme::Answer::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            _ => None,
        });
    Context {
        reference: content.reference.clone(),
        name,
        inbox_url: letters::inbox_address(mail.public_url.as_deref()),
        programme: letters::programme_name(mail, p, lang),
    }
}

/// A template rendered for one enquiry, in that person's language.
pub fn from_template(
    live: &LiveProgramme,
    key: &str,
    content: &EnquiryContent,
    mail: &MailSettings,
) -> Option<Draft> {
    let p = &live.programme;
    let t = p.template(key)?;
    let lang = Language::parse(&content.language).unwrap_or_else(|_| p.default_language());
    let rendered = template::render(
        p.text(&t.subject, lang),
        p.text(&t.body, lang),
        &context(live, content, mail),
    );
    Some(Draft {
        subject: rendered.subject,
        text: rendered.text,
        template_key: Some(key.to_owned()),
    })
}

/// A template inserted into a draft being typed (issue 22, item 4): what was typed
/// stays, the template's text is appended after a blank line, and its subject is taken
/// only where none was typed. Without a script there is no cursor to insert at.
pub fn append_template(typed: Draft, template: Draft) -> Draft {
    let typed_text = typed.text.trim_end();
    Draft {
        subject: if typed.subject.trim().is_empty() {
            template.subject
        } else {
            typed.subject
        },
        text: if typed_text.is_empty() {
            template.text
        } else {
            format!("{typed_text}\n\n{}", template.text)
        },
        template_key: template.template_key,
    }
}

/// The checks on a draft that need nothing of the enquiry (so nothing is opened to
/// refuse it): a text, not too long, and a one-line subject. Returns the subject as
/// one line and the trimmed text.
pub fn check(draft: &Draft) -> Result<(String, &str), ReplyError> {
    let text = draft.text.trim();
    let subject = template::one_line(&draft.subject);
    if text.is_empty() {
        return Err(ReplyError::Empty);
    }
    if text.chars().count() > MAX_TEXT {
        return Err(ReplyError::TooLong);
    }
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT {
        return Err(ReplyError::BadSubject);
    }
    outbound::check_subject(&subject).map_err(OutboundError::from)?;
    Ok((subject, text))
}

/// Checks a draft and seals it (and its email) for one enquiry.
pub fn prepare(
    live: &LiveProgramme,
    record: &EnquiryRecord,
    content: &EnquiryContent,
    draft: &Draft,
    author_id: &str,
    campaign_id: Option<&str>,
    mail: &MailSettings,
) -> Result<PreparedReply, ReplyError> {
    let (subject, text) = check(draft)?;
    let own_reference = ReferenceCode::parse(&content.reference).ok();
    let own_email = content
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok());
    // The reply itself, even one read only in the inbox, names nobody else.
    let allowed: Vec<&str> = [
        Some(mail.from.as_str()),
        own_email.as_ref().map(EmailAddress::as_str),
    ]
    .into_iter()
    .flatten()
    .collect();
    outbound::guard_check(
        &[&subject, text],
        &allowed,
        own_reference.as_ref().map(ReferenceCode::canonical),
    )
    .map_err(OutboundError::from)?;

    let at = now();
    let reply_id = random_id();
    let plain = ReplyContent {
        subject: subject.clone(),
        text: text.to_owned(),
        sent_at: at,
    };
    let json = Zeroizing::new(serde_json::to_vec(&plain).map_err(|_| CryptoError::Encrypt)?);
    let sealed = live
        .sealer
        .seal_with(record.inbox_recipient.as_deref(), &json)?;
    let mut stamp = None;
    let outbox = match own_email {
        None => None,
        Some(email) => {
            let p = &live.programme;
            let lang = Language::parse(&content.language).unwrap_or_else(|_| p.default_language());
            // People whose mail was imported never saw a receipt, so they cannot open
            // the reply inbox: `[import] replies` decides (see `ImportReplies`). A
            // sender unwrapped from a forward is whatever the forwarder wrote (a
            // `From:` line anyone can type): they get the notice only, even with `full`.
            let forwarded = content.mail.as_ref().is_some_and(|m| m.forwarded);
            let disclosure = match (record.source == "imported", p.file().import.replies) {
                (false, _) => Some(p.file().outbound.email),
                (true, ImportReplies::Full) if !forwarded => Some(EmailDisclosure::Full),
                (true, _) => None,
            };
            let rendered = match disclosure {
                None => {
                    // The form's public name: a discreet programme's neutral address.
                    let form_url = format!(
                        "{}/p/{}?lang={}",
                        mail.public_url.as_deref().unwrap_or(""),
                        p.public_name(),
                        lang.tag()
                    );
                    let body = t_args(lang, "reply-email-imported-body", &[("form_url", form_url)]);
                    Rendered {
                        subject: t_args(lang, "reply-email-subject", &[]),
                        html: None,
                        text: body,
                    }
                }
                Some(EmailDisclosure::Full) => Rendered {
                    subject: subject.clone(),
                    text: text.to_owned(),
                    html: None,
                },
                Some(EmailDisclosure::Minimal) => {
                    let ctx = context(live, content, mail);
                    let body = t_args(lang, "reply-email-body", &[("inbox_url", ctx.inbox_url)]);
                    Rendered {
                        subject: t_args(lang, "reply-email-subject", &[]),
                        html: None,
                        text: body,
                    }
                }
            };
            let message = letters::letter(
                mail,
                p,
                lang,
                Recipient::new(email),
                &rendered,
                own_reference.as_ref(),
            )?;
            stamp = Some(mail.text_key.stamp(
                draft.template_key.as_deref(),
                live.version,
                &rendered.subject,
                &rendered.text,
            ));
            let key = format!("reply:{reply_id}");
            Some(outbound::seal_row(
                &live.sealer,
                &record.id,
                campaign_id,
                &key,
                &message,
            )?)
        }
    };
    Ok(PreparedReply {
        reply: NewReply {
            id: reply_id,
            enquiry_id: record.id.clone(),
            author_id: author_id.to_owned(),
            campaign_id: campaign_id.map(str::to_owned),
            template_key: draft.template_key.clone(),
            sealed,
            created_at: at,
        },
        outbox,
        stamp,
    })
}

#[cfg(test)]
mod append_tests {
    use super::*;

    fn d(subject: &str, text: &str, key: Option<&str>) -> Draft {
        Draft {
            subject: subject.into(),
            text: text.into(),
            template_key: key.map(Into::into),
        }
    }

    #[test]
    fn a_template_inserted_keeps_what_was_typed() {
        let t = d("Template subject", "Template text.", Some("ack"));
        assert_eq!(
            append_template(d("Mine", "I typed this.\n\n", None), t.clone()),
            d("Mine", "I typed this.\n\nTemplate text.", Some("ack"))
        );
        // Nothing typed: the template as it is.
        assert_eq!(append_template(d(" ", "  \n", None), t.clone()), t);
    }
}
