//! Incident response (issue 20): the stamp on each reply's outbox row, and the exact
//! lists of who received something, read from replies, their outbox rows and the
//! enquiries' clear columns (never a ciphertext).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError, hour_of};

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
                // Replies keep only the hour in clear (ARCHITECTURE, "What stays exact"),
                // so a window means the whole hours it touches: wider, never narrower.
                // (No window is i64::MIN..i64::MAX, which stays as it is.)
                let since = if *since == i64::MIN {
                    *since
                } else {
                    hour_of(*since)
                };
                let until = if *until == i64::MAX {
                    *until
                } else {
                    hour_of(until.saturating_sub(1)).saturating_add(3600)
                };
                sqlx::query(concat!(
                    recipients_from!(),
                    "r.template_key = $2 AND r.created_at >= $3 AND r.created_at < $4 \
                     ORDER BY r.enquiry_id, r.created_at, r.id"
                ))
                .bind(programme_id)
                .bind(*key)
                .bind(since)
                .bind(until)
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

/// An incident record as stored (its words sealed).
#[derive(Debug, Clone)]
pub struct IncidentRecord {
    pub id: String,
    pub programme_id: String,
    pub opened_by: String,
    pub opened_at: i64,
    pub discovered_at: i64,
    pub source: String,
    /// Comma-separated words from `incident::record::CATEGORIES`.
    pub categories: String,
    pub likelihood: String,
    pub severity: String,
    pub reporting: String,
    pub closed_at: Option<i64>,
    pub sealed: crate::crypto::Sealed,
    pub updated_at: i64,
}

/// The clear fields of an incident a change writes (with its sealed words).
#[derive(Debug, Clone)]
pub struct IncidentFields {
    pub discovered_at: i64,
    pub categories: String,
    pub likelihood: String,
    pub severity: String,
    pub reporting: String,
    pub closed_at: Option<i64>,
    pub sealed: crate::crypto::Sealed,
}

/// One enquiry of an incident's affected set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub enquiry_id: String,
    pub language: String,
    pub outcome: String,
    pub added_at: i64,
}

macro_rules! incident_columns {
    () => {
        "id, programme_id, opened_by, opened_at, discovered_at, source, categories, likelihood, \
         severity, reporting, closed_at, key_id, format_version, ciphertext, updated_at"
    };
}

fn incident_from_row(r: &AnyRow) -> Result<IncidentRecord, StoreError> {
    Ok(IncidentRecord {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        opened_by: r.try_get("opened_by")?,
        opened_at: r.try_get("opened_at")?,
        discovered_at: r.try_get("discovered_at")?,
        source: r.try_get("source")?,
        categories: r.try_get("categories")?,
        likelihood: r.try_get("likelihood")?,
        severity: r.try_get("severity")?,
        reporting: r.try_get("reporting")?,
        closed_at: r.try_get("closed_at")?,
        sealed: crate::crypto::Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        updated_at: r.try_get("updated_at")?,
    })
}

async fn add_affected(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    incident_id: &str,
    rows: &[Affected],
    by: &str,
) -> Result<u64, StoreError> {
    let mut added = 0;
    for a in rows {
        added += sqlx::query(
            "INSERT INTO incident_enquiries (incident_id, enquiry_id, language, outcome, added_at, \
             added_by) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (incident_id, enquiry_id) DO NOTHING",
        )
        .bind(incident_id)
        .bind(&a.enquiry_id)
        .bind(&a.language)
        .bind(&a.outcome)
        .bind(a.added_at)
        .bind(by)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(added)
}

impl Store {
    /// Opens an incident with its affected set and its audit entry, in one transaction.
    pub async fn open_incident(
        &self,
        record: &IncidentRecord,
        affected: &[Affected],
        entry: &crate::audit::Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO incidents (id, programme_id, opened_by, opened_at, discovered_at, source, \
             categories, likelihood, severity, reporting, closed_at, key_id, format_version, \
             ciphertext, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&record.id)
        .bind(&record.programme_id)
        .bind(&record.opened_by)
        .bind(record.opened_at)
        .bind(record.discovered_at)
        .bind(&record.source)
        .bind(&record.categories)
        .bind(&record.likelihood)
        .bind(&record.severity)
        .bind(&record.reporting)
        .bind(record.closed_at)
        .bind(&record.sealed.key_id)
        .bind(record.sealed.format_version)
        .bind(&record.sealed.ciphertext)
        .bind(record.updated_at)
        .execute(&mut *tx)
        .await?;
        add_affected(&mut tx, &record.id, affected, &record.opened_by).await?;
        super::audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn incident(&self, id: &str) -> Result<Option<IncidentRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(incident_from_row).transpose()
    }

    pub async fn incidents_of(
        &self,
        programme_id: &str,
    ) -> Result<Vec<IncidentRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE programme_id = $1 ORDER BY opened_at DESC, id"
        ))
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(incident_from_row).collect()
    }

    /// The affected set, by enquiry id.
    pub async fn incident_enquiries(&self, incident_id: &str) -> Result<Vec<Affected>, StoreError> {
        let rows = sqlx::query(
            "SELECT enquiry_id, language, outcome, added_at FROM incident_enquiries \
             WHERE incident_id = $1 ORDER BY enquiry_id",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Affected {
                    enquiry_id: r.try_get("enquiry_id")?,
                    language: r.try_get("language")?,
                    outcome: r.try_get("outcome")?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect()
    }

    /// Writes a change to an incident with its audit entry; `false` if it was closed
    /// already (a closed incident does not change).
    pub async fn update_incident(
        &self,
        id: &str,
        fields: &IncidentFields,
        entry: &crate::audit::Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE incidents SET discovered_at = $1, categories = $2, likelihood = $3, \
             severity = $4, reporting = $5, closed_at = $6, key_id = $7, format_version = $8, \
             ciphertext = $9, updated_at = $10 WHERE id = $11 AND closed_at IS NULL",
        )
        .bind(fields.discovered_at)
        .bind(&fields.categories)
        .bind(&fields.likelihood)
        .bind(&fields.severity)
        .bind(&fields.reporting)
        .bind(fields.closed_at)
        .bind(&fields.sealed.key_id)
        .bind(fields.sealed.format_version)
        .bind(&fields.sealed.ciphertext)
        .bind(super::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds enquiries to an open incident's affected set (those already in it are
    /// left as they were); returns how many were new. `None` if it is closed.
    pub async fn extend_incident(
        &self,
        id: &str,
        affected: &[Affected],
        by: &str,
        entry: &crate::audit::Entry,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let open =
            sqlx::query("UPDATE incidents SET updated_at = $1 WHERE id = $2 AND closed_at IS NULL")
                .bind(super::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if open.rows_affected() != 1 {
            return Ok(None);
        }
        let added = add_affected(&mut tx, id, affected, by).await?;
        let mut entry = entry.clone();
        if let Some(map) = entry.detail.as_object_mut() {
            map.insert("added".into(), added.into());
        }
        super::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(added))
    }
}

/// An enquiry found by something other than a message (item 2 of issue 20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundEnquiry {
    pub enquiry_id: String,
    pub language: String,
    /// When it was opened (the audit entry's time) or arrived (its hour).
    pub at: i64,
}

impl Store {
    /// The enquiries of a programme that `actor` (`user:<id>`) opened in `[since,
    /// until)`, by the audit log: every read the keyring audited under an enquiry
    /// (`enquiry.view`, `enquiry.read`, `enquiry.attachment`, `campaign.preview`,
    /// `referral.preview`) and every enquiry of a campaign they expanded by
    /// approving it (`campaign.expand`). Refused reads (`alert`) opened nothing.
    pub async fn opened_by(
        &self,
        programme_id: &str,
        actor: &str,
        since: i64,
        until: i64,
    ) -> Result<Vec<FoundEnquiry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id AS enquiry_id, e.language AS language, MIN(a.at) AS at \
             FROM audit_log a JOIN enquiries e ON a.subject = ('enquiry:' || e.id) \
             WHERE a.actor = $1 AND a.at >= $2 AND a.at < $3 AND a.outcome = 'ok' \
             AND a.action IN ('enquiry.view', 'enquiry.read', 'enquiry.attachment', \
             'campaign.preview', 'referral.preview') AND e.programme_id = $4 \
             GROUP BY e.id, e.language \
             UNION \
             SELECT e.id AS enquiry_id, e.language AS language, MIN(a.at) AS at \
             FROM audit_log a JOIN campaign_enquiries ce ON a.subject = ('campaign:' || ce.campaign_id) \
             JOIN enquiries e ON e.id = ce.enquiry_id \
             WHERE a.actor = $1 AND a.at >= $2 AND a.at < $3 AND a.outcome = 'ok' \
             AND a.action = 'campaign.expand' AND e.programme_id = $4 \
             GROUP BY e.id, e.language",
        )
        .bind(actor)
        .bind(since)
        .bind(until)
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: std::collections::BTreeMap<String, FoundEnquiry> = Default::default();
        for r in &rows {
            let found = FoundEnquiry {
                enquiry_id: r.try_get("enquiry_id")?,
                language: r.try_get("language")?,
                at: r.try_get("at")?,
            };
            match out.get(&found.enquiry_id) {
                Some(f) if f.at <= found.at => {}
                _ => {
                    out.insert(found.enquiry_id.clone(), found);
                }
            }
        }
        Ok(out.into_values().collect())
    }

    /// The enquiries of a programme that arrived in `[since, until)`, by their hour of
    /// arrival (the only time stored: a window is widened to whole hours).
    pub async fn submitted_during(
        &self,
        programme_id: &str,
        since: i64,
        until: i64,
    ) -> Result<Vec<FoundEnquiry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, language, created_hour FROM enquiries \
             WHERE programme_id = $1 AND created_hour >= $2 AND created_hour < $3 ORDER BY id",
        )
        .bind(programme_id)
        .bind(since - since.rem_euclid(3600))
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FoundEnquiry {
                    enquiry_id: r.try_get("id")?,
                    language: r.try_get("language")?,
                    at: r.try_get("created_hour")?,
                })
            })
            .collect()
    }
}
