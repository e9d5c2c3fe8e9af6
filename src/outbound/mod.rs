//! Outbound mail, built so that a message can only ever have one recipient.
//!
//! [`Recipient`] is one validated address. [`OutboundMessage::new`] is the only way to
//! build a message: it takes one recipient and one rendered template, runs the
//! exposure guard, and derives the SMTP envelope from that one recipient. Nothing in
//! this module (or anywhere in Haven) accepts a list of addresses; `clippy.toml` bans
//! lettre's `cc`, `bcc` and any `to` outside this constructor.
//!
//! [`outbox`] queues a message as one sealed row per enquiry; [`Worker`] claims rows,
//! rebuilds each message through `OutboundMessage::new` (the guard runs again) and
//! hands it to a [`Transport`]: an SMTP relay, or the file outbox.

mod guard;
mod message;
pub mod notices;
pub mod outbox;
pub mod rate;
mod retry;
pub mod stop;
pub mod template;
mod transport;
mod worker;

pub use guard::{
    Exposure, check as guard_check, check_subject, exposed_addresses, find_addresses,
    find_reference_codes, normalise,
};
pub use message::{Attachment, OutboundError, OutboundMessage, Recipient, Rendered};
pub use outbox::{OpenMessageError, open_message, seal_row};
pub use retry::{RetryPolicy, backoff};
pub use transport::{
    FileOutbox, SendError, Transport, TransportError, file_outbox_dir, sweep_file_outbox,
};
pub use worker::{DrainError, Worker, WorkerSettings};
