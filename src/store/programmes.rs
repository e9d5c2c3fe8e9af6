use sqlx::Row;

use super::{Store, StoreError, now};
use crate::audit::{Actor, AuditAction, Entry};
use crate::crypto::{ProgrammeKeyPair, ProgrammeSigner, ProgrammeState, random_id};

/// A programme as stored: its current definition and current public key, and the
/// console's signature over them (`None` for a row no console has signed).
#[derive(Debug, Clone)]
pub struct ProgrammeRecord {
    pub id: String,
    pub slug: String,
    pub version: i64,
    pub definition: String,
    pub key_id: String,
    pub recipient: String,
    pub signature: Option<Vec<u8>>,
}

impl ProgrammeRecord {
    /// What the signature covers ([`ProgrammeState`]).
    pub fn state(&self) -> ProgrammeState<'_> {
        ProgrammeState {
            programme_id: &self.id,
            slug: &self.slug,
            version: self.version,
            definition: &self.definition,
            key_id: &self.key_id,
            recipient: &self.recipient,
        }
    }
}

/// A [`ProgrammeRecord`]'s select, with its `WHERE` clause (a literal: all SQL is).
macro_rules! record_where {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.slug, p.version, p.definition, p.current_key_id, k.recipient, p.state_signature \
             FROM programmes p JOIN programme_keys k ON k.id = p.current_key_id WHERE ",
            $where
        )
    };
}

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<ProgrammeRecord, StoreError> {
    Ok(ProgrammeRecord {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        version: row.try_get("version")?,
        definition: row.try_get("definition")?,
        key_id: row.try_get("current_key_id")?,
        recipient: row.try_get("recipient")?,
        signature: row.try_get("state_signature")?,
    })
}

/// The programme's stored state inside `tx`, by id.
async fn stored_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    programme_id: &str,
) -> Result<Option<ProgrammeRecord>, StoreError> {
    let row = sqlx::query(record_where!("p.id = $1"))
        .bind(programme_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(record_from_row).transpose()
}

/// Whether the programme's stored state carries a good signature: a save re-signs
/// only a state the console signed before, so that a recipient or definition swapped
/// in the database is never laundered by an unrelated edit.
pub(super) async fn state_verifies(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    programme_id: &str,
    signer: &ProgrammeSigner,
) -> Result<bool, StoreError> {
    Ok(stored_state(tx, programme_id)
        .await?
        .is_some_and(|r| signer.verifier().verify(&r.state(), r.signature.as_deref())))
}

/// Signs the programme's state as it stands inside `tx` (after the transaction's own
/// writes): every path that changes a programme state ends here.
pub(super) async fn sign_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    programme_id: &str,
    signer: &ProgrammeSigner,
) -> Result<(), StoreError> {
    let record = stored_state(tx, programme_id)
        .await?
        .ok_or(StoreError::Corrupt("a programme has no current key"))?;
    let signature = signer.sign(&record.state());
    sqlx::query("UPDATE programmes SET state_signature = $1 WHERE id = $2")
        .bind(signature)
        .bind(programme_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ProgrammeKeyRecord {
    pub id: String,
    pub programme_id: String,
    pub recipient: String,
    pub wrapped_identity: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created { version: i64 },
    Updated { version: i64 },
    Unchanged { version: i64 },
}

/// What must hold for a save to go ahead, checked inside its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// Create or update (`haven programme apply`).
    Any,
    /// Create only: a programme with this slug must not exist yet.
    Absent,
    /// Update only, and only if nobody saved another version since `version` was read.
    AtVersion(i64),
}

/// A definition as the store writes it, after `programme::editing::save` reviewed it
/// against the stored version (what it widens, who may change what): the only thing
/// [`Store::save_programme`] stores, bound to the version it was compared with. Only
/// `editing::save` makes one ([`Reviewed::new`] is a clippy `disallowed-methods` entry
/// with one `#[allow]` there), so no save path can skip the review; and the store need
/// not know how a programme file is parsed (the store imports no programme types).
#[derive(Debug)]
pub struct Reviewed {
    slug: String,
    /// `draft`, `open`, `closed` or `archived`.
    status: &'static str,
    /// The canonical TOML text.
    definition: String,
    /// The escrow recipient, if any: a public key, named in the audit entry.
    escrow: Option<String>,
    precondition: Precondition,
    /// Launch-checklist marks (item, fingerprint) a new programme starts with: what a
    /// copy brought along, to review. Written in the transaction that creates the
    /// programme, so that no crash leaves a copy whose copied texts look reviewed.
    marks: Vec<(String, Vec<u8>)>,
}

impl Reviewed {
    pub fn new(
        slug: String,
        status: &'static str,
        definition: String,
        escrow: Option<String>,
        precondition: Precondition,
    ) -> Self {
        Self {
            slug,
            status,
            definition,
            escrow,
            precondition,
            marks: Vec::new(),
        }
    }

    /// The checklist marks to write with the programme, if this save creates it (an
    /// update ignores them: its marks are already stored).
    pub fn with_marks(mut self, marks: Vec<(String, Vec<u8>)>) -> Self {
        self.marks = marks;
        self
    }

    pub fn precondition(&self) -> Precondition {
        self.precondition
    }
}

/// Why a save did not go ahead (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveRefused {
    Exists,
    Missing,
    Stale {
        current: i64,
    },
    /// The stored state does not carry the console's signature (changed in the
    /// database behind Haven's back, or never signed): it is not re-signed by a save.
    Unverified,
}

impl Store {
    /// Creates the programme, or records a new version of it, as [`editing::save`]
    /// reviewed it (the only maker of a [`Reviewed`]), under its precondition. All in
    /// one transaction with the audit entry (as `actor`, with `detail`; its `version`
    /// is always the version written): a failure leaves the previous version in
    /// place. `new_key` is used only when the programme is new.
    ///
    /// [`editing::save`]: crate::programme::editing::save
    pub async fn save_programme(
        &self,
        reviewed: &Reviewed,
        new_key: ProgrammeKeyPair,
        signer: &ProgrammeSigner,
        actor: &Actor,
        mut detail: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Result<ApplyOutcome, SaveRefused>, StoreError> {
        let precondition = reviewed.precondition;
        let definition = reviewed.definition.as_str();
        let status = reviewed.status;
        let at = now();
        let mut tx = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT id, version, definition FROM programmes WHERE slug = $1")
                .bind(&reviewed.slug)
                .fetch_optional(&mut *tx)
                .await?;
        let (outcome, action, version) = match existing {
            Some(row) => {
                let id: String = row.try_get("id")?;
                let version: i64 = row.try_get("version")?;
                match precondition {
                    Precondition::Absent => return Ok(Err(SaveRefused::Exists)),
                    Precondition::AtVersion(read) if read != version => {
                        return Ok(Err(SaveRefused::Stale { current: version }));
                    }
                    _ => {}
                }
                if !state_verifies(&mut tx, &id, signer).await? {
                    return Ok(Err(SaveRefused::Unverified));
                }
                let current: String = row.try_get("definition")?;
                if current == definition {
                    return Ok(Ok(ApplyOutcome::Unchanged { version }));
                }
                let version = version + 1;
                sqlx::query(
                    "UPDATE programmes SET status = $1, version = $2, definition = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(status)
                .bind(version)
                .bind(definition)
                .bind(at)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                insert_version(&mut tx, &id, version, definition, at).await?;
                sign_state(&mut tx, &id, signer).await?;
                (
                    ApplyOutcome::Updated { version },
                    AuditAction::ProgrammeUpdate,
                    version,
                )
            }
            None if matches!(precondition, Precondition::AtVersion(_)) => {
                return Ok(Err(SaveRefused::Missing));
            }
            None => {
                let id = random_id();
                sqlx::query(
                    "INSERT INTO programmes (id, slug, status, version, definition, current_key_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, 1, $4, $5, $6, $6)",
                )
                .bind(&id)
                .bind(&reviewed.slug)
                .bind(status)
                .bind(definition)
                .bind(&new_key.key_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO programme_keys (id, programme_id, recipient, wrapped_identity, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&new_key.key_id)
                .bind(&id)
                .bind(&new_key.recipient)
                .bind(&new_key.wrapped_identity)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                insert_version(&mut tx, &id, 1, definition, at).await?;
                super::launch::insert_marks(&mut tx, &id, &reviewed.marks, at).await?;
                sign_state(&mut tx, &id, signer).await?;
                (
                    ApplyOutcome::Created { version: 1 },
                    AuditAction::ProgrammeCreate,
                    1,
                )
            }
        };
        let subject = format!("programme:{}", reviewed.slug);
        detail.insert("version".into(), version.into());
        // The escrow recipient is a public key; which one a programme has is part of
        // what an auditor must be able to see change.
        if let Some(escrow) = &reviewed.escrow {
            detail.insert("escrow".into(), serde_json::json!(escrow));
        }
        super::audit::append(
            &mut tx,
            &Entry::new(actor, action, &subject).detail(serde_json::Value::Object(detail)),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(outcome))
    }

    /// The definitions of every form version some stored enquiry of the programme was
    /// sent with: what people's answers were given to.
    pub async fn answered_definitions(
        &self,
        programme_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.definition FROM programme_versions v \
             WHERE v.programme_id = $1 AND EXISTS \
               (SELECT 1 FROM enquiries e WHERE e.programme_id = v.programme_id AND e.form_version = v.version) \
             ORDER BY v.version",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("definition")?)).collect()
    }

    /// The definition a programme had at `version` (enquiries keep the version of the
    /// form they were sent with).
    pub async fn programme_version(
        &self,
        programme_id: &str,
        version: i64,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT definition FROM programme_versions WHERE programme_id = $1 AND version = $2",
        )
        .bind(programme_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok(r.try_get("definition")?)).transpose()
    }

    pub async fn programme_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<ProgrammeRecord>, StoreError> {
        let row = sqlx::query(record_where!("p.slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// Signs every programme that has no signature yet: the rows from before states
    /// were signed. Only when the console's verifying-key file is first written
    /// (`app::keyring`), so that a signature set to NULL later in the database is
    /// not re-signed behind an operator's back. Returns how many it signed.
    pub async fn sign_unsigned_programmes(
        &self,
        signer: &ProgrammeSigner,
    ) -> Result<u64, StoreError> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM programmes WHERE state_signature IS NULL")
                .fetch_all(&self.pool)
                .await?;
        for id in &ids {
            let mut tx = self.begin_write().await?;
            sign_state(&mut tx, id, signer).await?;
            tx.commit().await?;
        }
        Ok(ids.len() as u64)
    }

    /// Signs the programme's current state as it stands, whatever its signature: the
    /// operator's way back after a refused state (`haven programme re-sign`), once
    /// they have checked what it shows. Audited with the recipient and escrow vouched for.
    pub async fn re_sign_programme(
        &self,
        slug: &str,
        signer: &ProgrammeSigner,
        entry: &Entry,
    ) -> Result<bool, StoreError> {
        let Some(record) = self.programme_by_slug(slug).await? else {
            return Ok(false);
        };
        let mut tx = self.begin_write().await?;
        sign_state(&mut tx, &record.id, signer).await?;
        super::audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Slug and definition of every programme: where the public role looks for a
    /// discreet address (it may read both; what it finds is used only after the
    /// programme's signed state is checked by slug).
    pub async fn programme_definitions(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT slug, definition FROM programmes ORDER BY slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("slug")?, r.try_get("definition")?)))
            .collect()
    }

    /// Slug, status and version of every programme, by slug.
    pub async fn list_programmes(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT slug, status, version FROM programmes ORDER BY slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("slug")?,
                    r.try_get("status")?,
                    r.try_get("version")?,
                ))
            })
            .collect()
    }

    pub async fn programme_slug(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT slug FROM programmes WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get("slug")?)).transpose()
    }

    /// Id and slug of every programme, by slug.
    pub async fn programme_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, slug FROM programmes ORDER BY slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("slug")?)))
            .collect()
    }

    pub async fn programme_key(
        &self,
        key_id: &str,
    ) -> Result<Option<ProgrammeKeyRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, programme_id, recipient, wrapped_identity FROM programme_keys WHERE id = $1",
        )
        .bind(key_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ProgrammeKeyRecord {
                id: r.try_get("id")?,
                programme_id: r.try_get("programme_id")?,
                recipient: r.try_get("recipient")?,
                wrapped_identity: r.try_get("wrapped_identity")?,
            })
        })
        .transpose()
    }
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    programme_id: &str,
    version: i64,
    definition: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO programme_versions (programme_id, version, definition, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(programme_id)
    .bind(version)
    .bind(definition)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
