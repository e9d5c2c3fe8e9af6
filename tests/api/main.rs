//! Integration tests through real HTTP against a spawned Haven (port 0, fresh database
//! per test). On SQLite by default; on PostgreSQL when `HAVEN_TEST_POSTGRES_URL` is set
//! (each test then gets a database of its own).
//!
//! What the tests share lives in `helpers/`: the test app and its job drain
//! (`helpers/mod.rs`, `helpers/jobs.rs`), a staff member's browser (`staff`), the SMTP
//! sink (`smtp_sink`) and real `haven` processes (`processes`). Those three keep their
//! old paths (`crate::staff`, …) through the re-exports below.

mod abuse;
mod archive;
mod arrival_order;
mod audit;
mod campaigns;
mod canary;
mod cli;
mod collisions;
mod confirm;
mod console;
mod data_a;
mod data_c;
mod db_roles;
mod escrow;
mod gate;
mod hardening;
mod helpers;
mod import;
mod import_upload;
mod incident;
mod incident2;
mod intake;
mod keys;
mod launch;
mod launch2;
mod listeners;
mod mail;
mod metrics;
mod outbound;
mod own;
mod partners;
mod person;
mod person3;
mod phone;
mod programmes;
mod queues;
mod quotas;
mod referrals;
mod replies;
mod retention;
mod scale;
mod schema;
mod security;
mod signin_load;
mod staff_i18n;
mod suite;
mod widening;

use helpers::{processes, smtp_sink, staff};
mod gaps_confirm;
mod gaps_own;
mod review;
mod talk;
mod template_checks;
