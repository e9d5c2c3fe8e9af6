//! Integration tests through real HTTP against a spawned Haven (port 0, fresh database
//! per test). On SQLite by default; on PostgreSQL when `HAVEN_TEST_POSTGRES_URL` is set
//! (each test then gets a database of its own).

mod abuse;
mod archive;
mod audit;
mod campaigns;
mod canary;
mod cli;
mod console;
mod escrow;
mod hardening;
mod helpers;
mod import;
mod import_upload;
mod intake;
mod keys;
mod metrics;
mod outbound;
mod partners;
mod processes;
mod programmes;
mod referrals;
mod replies;
mod retention;
mod scale;
mod schema;
mod security;
mod smtp_sink;
mod staff;
mod staff_i18n;
mod widening;
