//! Outbound mail, built so that a message can only ever have one recipient.
//!
//! [`Recipient`] is one validated address. [`OutboundMessage::new`] is the only way to
//! build a message: it takes one recipient and one rendered template, runs the
//! exposure guard, and derives the SMTP envelope from that one recipient. Nothing in
//! this module (or anywhere in Haven) accepts a list of addresses; `clippy.toml` bans
//! lettre's `cc`, `bcc` and any `to` outside this constructor.

mod guard;
mod message;

pub use guard::{Exposure, find_addresses, find_reference_codes};
pub use message::{OutboundError, OutboundMessage, Recipient, Rendered};
