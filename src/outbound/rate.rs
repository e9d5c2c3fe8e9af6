//! `[outbound] max_per_hour` (issue 19, item 4): how many bulk-reply emails of one
//! programme leave in one clock hour, counted in the database so that every worker of
//! every instance shares one count (`campaign_send_budget`).
//!
//! Just before the SMTP transaction of a campaign's message (after the stops are
//! checked), the worker takes one unit of the programme's hour: one statement that adds
//! only while the count is under the limit. A message that gets none goes back to the
//! queue, its attempt not counted, due at the start of the next hour. A unit taken is
//! spent even when the relay refuses the message: the limit counts transactions begun.

use crate::store::{ClaimedRow, Settlement, Store, StoreError, hour_of, now};

/// The limit a programme definition (TOML) sets, if any.
pub fn max_per_hour(definition: &str) -> Option<u32> {
    let value: toml::Table = toml::from_str(definition).ok()?;
    let n = value.get("outbound")?.get("max_per_hour")?.as_integer()?;
    u32::try_from(n).ok()
}

/// `None`: the row may be sent now. `Some(Deferred)`: its programme's hour is used up.
pub async fn check(store: &Store, row: &ClaimedRow) -> Result<Option<Settlement>, StoreError> {
    if row.campaign_id.is_none() {
        return Ok(None);
    }
    let Some((programme_id, definition)) = store.programme_of_enquiry(&row.enquiry_id).await?
    else {
        return Ok(None);
    };
    let Some(max) = max_per_hour(&definition) else {
        return Ok(None);
    };
    let at = now();
    let hour = hour_of(at);
    if store.take_campaign_send(&programme_id, hour, max).await? {
        Ok(None)
    } else {
        Ok(Some(Settlement::Deferred {
            next_attempt_at: hour + 3_600,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_read_from_the_outbound_section_only() {
        assert_eq!(max_per_hour("[outbound]\nmax_per_hour = 40\n"), Some(40));
        assert_eq!(max_per_hour("[outbound]\nemail = \"full\"\n"), None);
        assert_eq!(max_per_hour("max_per_hour = 40\n"), None);
        assert_eq!(max_per_hour("[outbound]\nmax_per_hour = -1\n"), None);
        assert_eq!(max_per_hour("not toml ["), None);
    }
}
