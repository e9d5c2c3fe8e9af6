//! The emergency stop for all outbound mail: an instance admin's button and `haven
//! outbound pause|resume|status`. The stop is a row in the database (it holds across
//! restarts and for every worker of every instance), the worker claims nothing while
//! it stands and checks it again before each SMTP transaction, and each change is
//! audited with who and why.

use crate::audit::{Actor, AuditAction, Entry};
use crate::store::{Hold, HoldScope, Store, StoreError, now};

/// Longest reason kept.
pub const MAX_REASON: usize = 500;

fn reason_of(text: &str) -> String {
    text.trim().chars().take(MAX_REASON).collect()
}

/// Stops all outbound mail; `false` if it was already stopped.
pub async fn pause_all(store: &Store, actor: &Actor, reason: &str) -> Result<bool, StoreError> {
    let reason = reason_of(reason);
    let entry = Entry::new(actor, AuditAction::OutboundPause, "outbound")
        .detail(serde_json::json!({ "reason": reason }));
    store
        .put_hold(
            &HoldScope::Instance,
            "paused",
            &reason,
            &actor.to_string(),
            now(),
            &entry,
        )
        .await
}

/// Lets outbound mail go again; `false` if it was not stopped.
pub async fn resume_all(store: &Store, actor: &Actor, reason: &str) -> Result<bool, StoreError> {
    let entry = Entry::new(actor, AuditAction::OutboundResume, "outbound")
        .detail(serde_json::json!({ "reason": reason_of(reason) }));
    store.lift_hold(&HoldScope::Instance, &entry).await
}

/// The emergency stop, if it is in force.
pub async fn status(store: &Store) -> Result<Option<Hold>, StoreError> {
    store.hold(&HoldScope::Instance).await
}
