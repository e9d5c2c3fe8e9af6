//! Incident response (issue 20): when a message went wrong anyway, who received it
//! ([`recipients`]), exactly, from a campaign, a template within a time window, a
//! single reply, or an address through the blind index.

pub mod notify;
pub mod recipients;
pub mod record;
pub mod report;
pub mod time;

pub use recipients::{LookupError, Reached, Recipient, Recipients, Source, look_up};
