//! Queue pages at crisis scale (issue 22, items 3 and 4): rows an agent can choose from
//! without decrypting anything, keyset paging past any size, bounded counts for the
//! dashboards, and "take next" as one conditional update.
//!
//! Every listing reads only clear metadata columns (never `ciphertext`), walks an index
//! whose leading columns are its filter and whose next columns are its order
//! (`priority, created_hour, id`; migration 0085), and starts from the last row of the
//! page before: the cost of a page does not grow with the queue.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, StatusFilter, Store, StoreError, hour_of, now};
use crate::audit::Entry;
use crate::casework::Status;

/// The letters of a display handle: no 0/O, 1/I/L or U, so it reads aloud and copies.
const HANDLE_ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// A fresh display handle, `XXXX-XXXX` from [`HANDLE_ALPHABET`]: random, derived from
/// nothing. A label for people, never a key: two enquiries may (rarely: about one pair
/// in a million rows) share one, and nothing looks an enquiry up by it.
pub fn new_display_handle() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    let mut out = String::with_capacity(9);
    for (i, b) in bytes.iter().enumerate() {
        if i == 4 {
            out.push('-');
        }
        // 256 = 8 * 30 + 16: rejecting the top 16 values would remove a bias of under
        // 1/15 on six letters; a display label does not need it, so reduce simply.
        out.push(HANDLE_ALPHABET[usize::from(*b) % HANDLE_ALPHABET.len()] as char);
    }
    out
}

/// How the person can be answered, from clear columns only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// An address the person confirmed from their inbox.
    EmailConfirmed,
    /// An address not confirmed yet: Haven mails it nothing but the confirmation.
    EmailUnconfirmed,
    /// No address: replies wait in the reply inbox.
    InboxOnly,
}

impl Contact {
    pub const ALL: [Contact; 3] = [
        Contact::EmailConfirmed,
        Contact::EmailUnconfirmed,
        Contact::InboxOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmailConfirmed => "confirmed",
            Self::EmailUnconfirmed => "unconfirmed",
            Self::InboxOnly => "inbox",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn of(has_email: bool, confirmed: bool) -> Self {
        match (has_email, confirmed) {
            (false, _) => Self::InboxOnly,
            (true, true) => Self::EmailConfirmed,
            (true, false) => Self::EmailUnconfirmed,
        }
    }
}

/// Whose enquiries a listing keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ClaimFilter {
    #[default]
    Any,
    Unclaimed,
    /// Claimed by this staff member (their id).
    By(String),
}

/// What a queue page lists, besides the queue itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: StatusFilter,
    pub source: Option<String>,
    pub language: Option<String>,
    pub contact: Option<Contact>,
    pub claim: ClaimFilter,
}

impl Default for QueueFilter {
    fn default() -> Self {
        Self {
            status: StatusFilter::Open,
            source: None,
            language: None,
            contact: None,
            claim: ClaimFilter::Any,
        }
    }
}

/// Where a page starts: just after this row in the queue's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub priority: i64,
    pub created_hour: i64,
    pub id: String,
}

impl QueueCursor {
    /// Before every row.
    fn start() -> Self {
        Self {
            priority: i64::MIN,
            created_hour: i64::MIN,
            id: String::new(),
        }
    }

    /// `priority.created_hour.id`, as the page's "next" link carries it (nothing in it
    /// is personal: a priority, an hour and the random id).
    pub fn to_param(&self) -> String {
        format!("{}.{}.{}", self.priority, self.created_hour, self.id)
    }

    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '.');
        let priority = parts.next()?.parse().ok()?;
        let created_hour = parts.next()?.parse().ok()?;
        let id = parts.next()?;
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        Some(Self {
            priority,
            created_hour,
            id: id.to_owned(),
        })
    }
}

/// One row of a queue page: clear metadata only, nothing that needs a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: String,
    pub display_handle: String,
    pub priority: i64,
    pub status: Status,
    pub language: String,
    /// `web`, `imported` or `phone`.
    pub source: String,
    pub contact: Contact,
    pub created_hour: i64,
    pub updated_hour: i64,
    pub assigned_to: Option<String>,
}

impl QueueItem {
    pub fn cursor(&self) -> QueueCursor {
        QueueCursor {
            priority: self.priority,
            created_hour: self.created_hour,
            id: self.id.clone(),
        }
    }
}

/// A page of a queue, and where the next one starts (None: this is the last).
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next: Option<QueueCursor>,
}

fn item_from_row(r: &AnyRow) -> Result<QueueItem, StoreError> {
    Ok(QueueItem {
        id: r.try_get("id")?,
        display_handle: r.try_get("display_handle")?,
        priority: r.try_get("priority")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)
            .ok_or(StoreError::Corrupt("unknown enquiry status"))?,
        language: r.try_get("language")?,
        source: r.try_get("source")?,
        contact: Contact::of(
            r.try_get::<i64, _>("has_email")? != 0,
            r.try_get::<i64, _>("confirmed")? != 0,
        ),
        created_hour: r.try_get("created_hour")?,
        updated_hour: r.try_get("updated_hour")?,
        assigned_to: r.try_get("assigned_to")?,
    })
}

/// The listing's statement, one literal per status filter so each names the index it
/// walks: the open one repeats the partial index's `status <> 'closed'` word for word.
/// The other filters ($6–$9) are checked on the rows the index yields, in order.
macro_rules! queue_select {
    ($status:literal) => {
        concat!(
            "SELECT id, display_handle, priority, status, language, source, has_email, \
             CAST(email_confirmed AS BIGINT) AS confirmed, created_hour, updated_hour, assigned_to \
             FROM enquiries WHERE programme_id = $1 AND queue = $2 AND ",
            $status,
            " AND (priority, created_hour, id) > ($3, $4, $5) \
             AND ($6 = '' OR source = $6) AND ($7 = '' OR language = $7) \
             AND ($8 = '' OR ($8 = 'inbox' AND has_email = 0) \
                  OR ($8 = 'confirmed' AND has_email = 1 AND email_confirmed = 1) \
                  OR ($8 = 'unconfirmed' AND has_email = 1 AND email_confirmed = 0)) \
             AND ($9 = '' OR ($9 = '-' AND assigned_to IS NULL) OR assigned_to = $9) \
             ORDER BY priority, created_hour, id LIMIT $10"
        )
    };
}

impl Store {
    /// One page of a queue, most urgent first, then longest waiting, from `after`.
    pub async fn queue_page(
        &self,
        programme_id: &str,
        queue: &str,
        filter: &QueueFilter,
        after: Option<&QueueCursor>,
        limit: i64,
    ) -> Result<QueuePage, StoreError> {
        let start = QueueCursor::start();
        let after = after.unwrap_or(&start);
        let (sql, status) = match filter.status {
            StatusFilter::Open => (queue_select!("status <> 'closed' AND $11 = ''"), ""),
            StatusFilter::All => (queue_select!("$11 = ''"), ""),
            StatusFilter::Only(s) => (queue_select!("status = $11"), s.as_str()),
        };
        let claim = match &filter.claim {
            ClaimFilter::Any => "",
            ClaimFilter::Unclaimed => "-",
            ClaimFilter::By(id) => id.as_str(),
        };
        // One more than the page: whether there is a next page, without counting.
        let rows = sqlx::query(sql)
            .bind(programme_id)
            .bind(queue)
            .bind(after.priority)
            .bind(after.created_hour)
            .bind(&after.id)
            .bind(filter.source.as_deref().unwrap_or(""))
            .bind(filter.language.as_deref().unwrap_or(""))
            .bind(filter.contact.map_or("", Contact::as_str))
            .bind(claim)
            .bind(limit + 1)
            .bind(status)
            .fetch_all(&self.pool)
            .await?;
        let mut items = rows
            .iter()
            .map(item_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(QueueItem::cursor)
        } else {
            None
        };
        Ok(QueuePage { items, next })
    }

    /// Per queue and status of a programme: how many (counted up to `cap`, so the
    /// count costs at most `cap` index entries whatever the size) and the oldest
    /// arrival hour (one index seek). Queues with no enquiry are left out.
    pub async fn queue_stats_capped(
        &self,
        programme_id: &str,
        queues: &[String],
        cap: i64,
    ) -> Result<Vec<super::QueueStat>, StoreError> {
        let mut out = Vec::new();
        for queue in queues {
            for status in Status::ALL {
                let row = sqlx::query(
                    "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM enquiries \
                       WHERE programme_id = $1 AND queue = $2 AND status = $3 LIMIT $4) AS capped) AS n, \
                     (SELECT created_hour FROM enquiries \
                       WHERE programme_id = $1 AND queue = $2 AND status = $3 \
                       ORDER BY created_hour LIMIT 1) AS oldest",
                )
                .bind(programme_id)
                .bind(queue)
                .bind(status.as_str())
                .bind(cap)
                .fetch_one(&self.pool)
                .await?;
                let count: i64 = row.try_get("n")?;
                if count > 0 {
                    out.push(super::QueueStat {
                        queue: queue.clone(),
                        status,
                        count,
                        oldest_hour: row.try_get::<Option<i64>, _>("oldest")?.unwrap_or(0),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The display handle of one enquiry (for its page).
    pub async fn display_handle(&self, enquiry_id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT display_handle FROM enquiries WHERE id = $1")
            .bind(enquiry_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("display_handle")).transpose()?)
    }

    /// "Take next": claims for `user_id` the most urgent, longest-waiting open enquiry of
    /// the queue that nobody has claimed, in one conditional update, and audits it in
    /// the same transaction (`entry` is given the enquiry as its subject). Two agents
    /// never get the same one: SQLite runs one writer at a time, and on PostgreSQL the
    /// choice skips rows another transaction is claiming. None: nothing left to take.
    pub async fn take_next(
        &self,
        programme_id: &str,
        queue: &str,
        user_id: &str,
        entry: impl Fn(&str) -> Entry,
    ) -> Result<Option<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "UPDATE enquiries SET assigned_to = $1, updated_hour = $2, \
                 status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END \
                 WHERE id = (SELECT id FROM enquiries WHERE programme_id = $3 AND queue = $4 \
                   AND status <> 'closed' AND assigned_to IS NULL \
                   ORDER BY priority, created_hour, id LIMIT 1) \
                 AND assigned_to IS NULL RETURNING id"
            }
            Backend::Postgres => {
                "UPDATE enquiries SET assigned_to = $1, updated_hour = $2, \
                 status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END \
                 WHERE id = (SELECT id FROM enquiries WHERE programme_id = $3 AND queue = $4 \
                   AND status <> 'closed' AND assigned_to IS NULL \
                   ORDER BY priority, created_hour, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 AND assigned_to IS NULL RETURNING id"
            }
        };
        // A PostgreSQL race can still find its row taken between choosing and locking
        // (the choice saw an older snapshot): try again, a few times.
        for _ in 0..5 {
            let mut tx = self.begin_write().await?;
            let row = sqlx::query(sql)
                .bind(user_id)
                .bind(hour_of(now()))
                .bind(programme_id)
                .bind(queue)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                let left: Option<AnyRow> = sqlx::query(
                    "SELECT id FROM enquiries WHERE programme_id = $1 AND queue = $2 \
                     AND status <> 'closed' AND assigned_to IS NULL LIMIT 1",
                )
                .bind(programme_id)
                .bind(queue)
                .fetch_optional(&mut *tx)
                .await?;
                if left.is_none() {
                    return Ok(None);
                }
                continue;
            };
            let id: String = row.try_get("id")?;
            super::audit::append(&mut tx, &entry(&id)).await?;
            tx.commit().await?;
            return Ok(Some(id));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_handles_are_random_and_readable() {
        let a = new_display_handle();
        let b = new_display_handle();
        assert_ne!(a, b);
        assert_eq!(a.len(), 9);
        assert_eq!(&a[4..5], "-");
        assert!(
            a.bytes()
                .filter(|&c| c != b'-')
                .all(|c| HANDLE_ALPHABET.contains(&c))
        );
    }

    #[test]
    fn a_cursor_goes_round_its_link_and_refuses_anything_else() {
        let c = QueueCursor {
            priority: -3,
            created_hour: 1_800_000_000,
            id: "ab12".into(),
        };
        assert_eq!(QueueCursor::parse(&c.to_param()), Some(c));
        for bad in ["", "1.2", "x.2.ab", "1.2.", "1.2.a'b", "1.2.a.b"] {
            assert_eq!(QueueCursor::parse(bad), None, "{bad}");
        }
    }
}
