//! Public form tokens that have already submitted an enquiry (issue 21, "submit once").
//! A token is claimed in the same transaction as the enquiry it submits, so a token
//! can never submit two, whichever instance each POST reaches.

use super::{Store, StoreError};

/// A form token as stored once used: its keyed hash, and when it may be forgotten
/// (the token is refused by its own age after that).
#[derive(Debug, Clone)]
pub struct UsedToken {
    pub hash: Vec<u8>,
    pub expires_at: i64,
}

/// Claims `token` in the writer's transaction: false if it was claimed before (by an
/// earlier transaction, or earlier in this one).
pub(super) async fn claim<'c, E>(executor: E, token: &UsedToken) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "INSERT INTO used_form_tokens (token_hash, expires_at) VALUES ($1, $2) \
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(&token.hash)
    .bind(token.expires_at)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Drops the hashes of tokens that have expired (the index on `expires_at` keeps this
/// cheap enough to run with every batch of submissions).
pub(super) async fn forget_expired<'c, E>(executor: E, now: i64) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("DELETE FROM used_form_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(executor)
        .await?;
    Ok(())
}

impl Store {
    /// Whether a form token has already submitted an enquiry (checked before the
    /// work of sealing; the claim in the writer's transaction is what guarantees it).
    pub async fn form_token_used(&self, hash: &[u8]) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM used_form_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }
}
