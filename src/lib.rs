//! Haven: secure crisis-intake web forms.
//!
//! The crate is organised by concern; `ARCHITECTURE.md` explains how they fit together.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod app;
pub mod archive;
pub mod audit;
pub mod auth;
pub mod campaign_review;
pub mod campaigns;
pub mod casework;
pub mod collisions;
pub mod config;
pub mod console;
pub mod contact;
pub mod contact_index;
pub mod conversation;
pub mod crypto;
pub mod domain;
pub mod enquiry;
pub mod error;
pub mod escrow;
pub mod i18n;
pub mod import;
pub mod incident;
pub mod intake;
pub mod keyring;
pub mod letters;
pub mod logging;
pub mod metrics;
pub mod outbound;
pub mod own;
pub mod placement;
pub mod programme;
pub mod referrals;
pub mod replies;
pub mod retention;
pub mod rotation;
pub mod staffing;
pub mod stamp;
pub mod states;
pub mod store;
pub mod template_checks;
pub mod triage;
pub mod web;

/// Checks of the code's shape against ARCHITECTURE.md: no import cycles, and a module
/// map that names every module.
#[cfg(test)]
mod architecture;
