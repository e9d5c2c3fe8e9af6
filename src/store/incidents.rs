//! Incident response (issue 20): the stamp on each reply's outbox row, and the exact
//! lists of who received something, read from replies, their outbox rows and the
//! enquiries' clear columns (never a ciphertext).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError};

/// What a message was made from (see `crate::stamp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxStamp {
    pub template_key: Option<String>,
    pub template_version: Option<i64>,
    pub text_hash: Vec<u8>,
}

/// Writes a row's stamp in the transaction that inserts it.
pub(crate) async fn stamp_outbox(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    outbox_id: &str,
    stamp: &OutboxStamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET template_key = $1, template_version = $2, text_hash = $3 \
         WHERE id = $4",
    )
    .bind(&stamp.template_key)
    .bind(stamp.template_version)
    .bind(&stamp.text_hash)
    .bind(outbox_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which replies a recipients list is made of, always within one programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientQuery<'a> {
    Campaign(&'a str),
    /// Replies from a template, written in `[since, until)` (Unix seconds).
    Template {
        key: &'a str,
        since: i64,
        until: i64,
    },
    Reply(&'a str),
    /// Replies to the enquiries whose contact blind index is this one.
    Contact(&'a [u8]),
}

/// One reply and how its email went, as a recipients list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub enquiry_id: String,
    pub reply_id: String,
    pub campaign_id: Option<String>,
    pub language: String,
    pub template_key: Option<String>,
    /// When the reply was written (Unix seconds).
    pub replied_at: i64,
    /// The outbox row's state word as stored; `None`: no email (inbox only).
    pub delivery: Option<String>,
    pub sent_at: Option<i64>,
    pub template_version: Option<i64>,
    pub text_hash: Option<Vec<u8>>,
}

fn recipient_from_row(r: &AnyRow) -> Result<RecipientRow, StoreError> {
    Ok(RecipientRow {
        enquiry_id: r.try_get("enquiry_id")?,
        reply_id: r.try_get("reply_id")?,
        campaign_id: r.try_get("campaign_id")?,
        language: r.try_get("language")?,
        template_key: r.try_get("template_key")?,
        replied_at: r.try_get("replied_at")?,
        delivery: r.try_get("delivery")?,
        sent_at: r.try_get("sent_at")?,
        template_version: r.try_get("template_version")?,
        text_hash: r.try_get("text_hash")?,
    })
}

/// The columns and joins every recipients query shares (a macro so queries stay
/// literals). A reply's email is the outbox row keyed `reply:{id}`.
macro_rules! recipients_from {
    () => {
        "SELECT r.enquiry_id AS enquiry_id, r.id AS reply_id, r.campaign_id AS campaign_id, \
         e.language AS language, r.template_key AS template_key, r.created_at AS replied_at, \
         o.state AS delivery, o.sent_at AS sent_at, o.template_version AS template_version, \
         o.text_hash AS text_hash \
         FROM replies r JOIN enquiries e ON e.id = r.enquiry_id \
         LEFT JOIN outbox o ON o.idempotency_key = ('reply:' || r.id) \
         WHERE e.programme_id = $1 AND "
    };
}

impl Store {
    /// Every reply (with its email's delivery) that `query` names in a programme,
    /// by enquiry then time.
    pub async fn recipients(
        &self,
        programme_id: &str,
        query: &RecipientQuery<'_>,
    ) -> Result<Vec<RecipientRow>, StoreError> {
        let rows = match query {
            RecipientQuery::Campaign(id) => {
                sqlx::query(concat!(
                    recipients_from!(),
                    "r.campaign_id = $2 ORDER BY r.enquiry_id, r.created_at, r.id"
                ))
                .bind(programme_id)
                .bind(*id)
                .fetch_all(&self.pool)
                .await?
            }
            RecipientQuery::Template { key, since, until } => {
                sqlx::query(concat!(
                    recipients_from!(),
                    "r.template_key = $2 AND r.created_at >= $3 AND r.created_at < $4 \
                     ORDER BY r.enquiry_id, r.created_at, r.id"
                ))
                .bind(programme_id)
                .bind(*key)
                .bind(*since)
                .bind(*until)
                .fetch_all(&self.pool)
                .await?
            }
            RecipientQuery::Reply(id) => {
                sqlx::query(concat!(recipients_from!(), "r.id = $2"))
                    .bind(programme_id)
                    .bind(*id)
                    .fetch_all(&self.pool)
                    .await?
            }
            RecipientQuery::Contact(index) => {
                sqlx::query(concat!(
                    recipients_from!(),
                    "e.contact_index = $2 ORDER BY r.enquiry_id, r.created_at, r.id"
                ))
                .bind(programme_id)
                .bind(*index)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(recipient_from_row).collect()
    }
}
