//! Which database account may do what (PostgreSQL; issue 17, item 13).
//!
//! Each Haven role runs under its own PostgreSQL account (`haven_public`,
//! `haven_console`, `haven_worker`) with only the table and column privileges its
//! processes use. The grants themselves are `ops/postgres/roles.sql`, which `haven
//! migrate` runs after the migrations; [`TABLES`] holds the same decisions as data, with
//! every table and every role listed, "nothing" included. A test reads the privileges
//! PostgreSQL holds after migrating and compares them with [`TABLES`]: a table without a
//! decision, or a grant that is not written down here, fails it.
//!
//! SQLite is one file that whoever can read can write: none of this exists there
//! (ARCHITECTURE.md says what that means for a stolen public host).

use sqlx::Row;

use super::{Backend, Store, StoreError};

/// The grants, as the binary runs them: `include_str!` of the file operators read.
pub const ROLES_SQL: &str = include_str!("../../ops/postgres/roles.sql");

/// The database accounts, one per role of `app::Role`.
pub const ACCOUNTS: [&str; 3] = ["haven_public", "haven_console", "haven_worker"];

/// One table's decision for each account, in `GRANT` syntax: `"SELECT, INSERT"`,
/// `"SELECT(id, slug)"` for columns only, `""` for nothing at all.
#[derive(Debug, Clone, Copy)]
pub struct TableAccess {
    pub table: &'static str,
    pub public: &'static str,
    pub console: &'static str,
    pub worker: &'static str,
}

impl TableAccess {
    /// The decision for `account` (one of [`ACCOUNTS`]).
    pub fn of(&self, account: &str) -> Option<&'static str> {
        match account {
            "haven_public" => Some(self.public),
            "haven_console" => Some(self.console),
            "haven_worker" => Some(self.worker),
            _ => None,
        }
    }
}

const fn t(
    table: &'static str,
    public: &'static str,
    console: &'static str,
    worker: &'static str,
) -> TableAccess {
    TableAccess {
        table,
        public,
        console,
        worker,
    }
}

/// Every table there is, after every migration (SQLite's and PostgreSQL's have the same
/// tables), with what each account may do to it.
#[rustfmt::skip]
pub const TABLES: &[TableAccess] = &[
    t("_sqlx_migrations", "SELECT", "SELECT", "SELECT"),
    t("programmes",
      "SELECT(id, slug, version, definition, current_key_id, state_signature)",
      "SELECT, INSERT, UPDATE",
      "SELECT, UPDATE(state_signature)"),
    t("programme_versions", "", "SELECT, INSERT", ""),
    t("programme_keys",
      "SELECT(id, recipient)",
      "SELECT, INSERT, UPDATE(wrapped_identity)",
      "SELECT"),
    t("enquiries",
      "SELECT(id, programme_id, reference_hash, passphrase_hash, status, queue, created_hour, \
       source, passphrase_chosen, legal_hold), \
       INSERT(id, programme_id, form_version, reference_hash, passphrase_hash, queue, priority, \
       status, language, source, has_email, contact_index, key_id, format_version, ciphertext, \
       created_hour, updated_hour, inbox_recipient, display_handle)",
      "SELECT, INSERT, UPDATE(assigned_to, status, queue, updated_hour, legal_hold, key_id, \
       format_version, ciphertext)",
      "SELECT, INSERT, DELETE, UPDATE(key_id, format_version, ciphertext, contact_index, status, \
       updated_hour, passphrase_hash, inbox_recipient, passphrase_chosen, email_confirmed, \
       has_email)"),
    t("audit_log", "", "SELECT, INSERT", "INSERT"),
    t("audit_head", "", "SELECT, UPDATE", "SELECT, UPDATE"),
    t("users", "", "SELECT, INSERT, UPDATE", "SELECT(id, email, is_admin, language)"),
    t("memberships", "", "SELECT, INSERT, DELETE", ""),
    t("recovery_codes", "", "SELECT, INSERT, UPDATE, DELETE", ""),
    t("sessions", "", "SELECT, INSERT, UPDATE, DELETE", ""),
    t("notes", "",
      "SELECT, INSERT, UPDATE(key_id, format_version, ciphertext)",
      "SELECT, DELETE, UPDATE(key_id, format_version, ciphertext)"),
    t("outbox", "SELECT(state)", "SELECT, INSERT, UPDATE", "SELECT, INSERT, UPDATE, DELETE"),
    t("replies",
      "SELECT(id, enquiry_id, key_id, format_version, ciphertext, created_at)",
      "SELECT, INSERT, UPDATE(key_id, format_version, ciphertext)",
      "SELECT, DELETE, UPDATE(key_id, format_version, ciphertext)"),
    t("campaigns", "", "SELECT, INSERT, UPDATE", ""),
    t("campaign_enquiries", "", "SELECT, INSERT", "SELECT, DELETE"),
    t("referrals", "SELECT(enquiry_id, partner_name, state)", "SELECT, INSERT, UPDATE", "SELECT, UPDATE"),
    t("staff_notices", "", "INSERT", "SELECT, UPDATE"),
    t("throttle_windows", "", "SELECT, INSERT, UPDATE, DELETE", ""),
    t("launch_marks", "", "SELECT, INSERT, UPDATE, DELETE", ""),
    t("role_requests", "", "SELECT, INSERT, UPDATE", ""),
    t("handling_acknowledgements", "", "SELECT, INSERT, UPDATE", ""),
    t("used_form_tokens", "SELECT, INSERT, DELETE", "", ""),
    t("outbound_holds", "", "SELECT, INSERT, UPDATE, DELETE", "SELECT"),
    t("incidents", "",
      "SELECT, INSERT, UPDATE",
      "SELECT, UPDATE(key_id, format_version, ciphertext)"),
    t("incident_enquiries", "", "SELECT, INSERT", ""),
    t("caller_checks", "", "SELECT, INSERT, DELETE", "SELECT, DELETE"),
    t("caller_answers", "INSERT", "SELECT, DELETE", "SELECT, DELETE"),
    t("campaign_send_budget", "", "", "SELECT, INSERT, UPDATE, DELETE"),
    t("person_messages",
      "SELECT(id, enquiry_id, key_id, format_version, ciphertext, created_hour), \
       INSERT(id, enquiry_id, key_id, format_version, ciphertext, created_hour)",
      "SELECT, UPDATE(key_id, format_version, ciphertext)",
      "SELECT, DELETE, UPDATE(key_id, format_version, ciphertext, requeued)"),
    t("draft_locks", "", "SELECT, INSERT, UPDATE, DELETE", "SELECT, DELETE"),
    t("enquiry_duplicates", "", "SELECT, INSERT, DELETE", "SELECT, DELETE"),
    t("inbox_requests",
      "SELECT(enquiry_id, kind), INSERT",
      "SELECT, INSERT",
      "SELECT, UPDATE(held_noted), DELETE"),
    t("own_copies", "SELECT, INSERT", "", "SELECT, UPDATE, DELETE"),
    t("incident_notices", "", "SELECT, INSERT, UPDATE", ""),
    t("contact_requests", "INSERT", "INSERT", "SELECT, DELETE"),
    t("contact_codes",
      "SELECT(enquiry_id, confirmed, key_id, format_version, masked)",
      "SELECT(enquiry_id, key_id, format_version, masked), \
       UPDATE(key_id, format_version, masked)",
      "SELECT, INSERT, UPDATE, DELETE"),
    t("contact_sends", "", "", "SELECT, INSERT, DELETE"),
];

/// One privilege: `(privilege, column)`, the column `None` for the whole table.
pub type Privilege = (String, Option<String>);

/// A decision's privileges, one per column for a column list.
pub fn privileges(decision: &str) -> std::collections::BTreeSet<Privilege> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = decision.trim();
    while !rest.is_empty() {
        let word_end = rest.find(['(', ',']).unwrap_or(rest.len());
        let word = rest[..word_end].trim().to_uppercase();
        rest = &rest[word_end..];
        if let Some(inner) = rest.strip_prefix('(') {
            let close = inner.find(')').unwrap_or(inner.len());
            for column in inner[..close].split(',') {
                out.insert((word.clone(), Some(column.trim().to_owned())));
            }
            rest = inner.get(close + 1..).unwrap_or("");
        } else {
            out.insert((word, None));
        }
        rest = rest.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

impl Store {
    /// Whether every migration this binary has is applied, unchanged (PostgreSQL). A
    /// role's account may read `_sqlx_migrations` but not migrate: a process finding the
    /// schema current does not try to.
    pub(super) async fn schema_current(&self) -> Result<bool, StoreError> {
        let exists: Option<String> =
            sqlx::query("SELECT to_regclass('_sqlx_migrations')::text AS t")
                .fetch_one(&self.pool)
                .await?
                .try_get("t")?;
        if exists.is_none() {
            return Ok(false);
        }
        let rows = sqlx::query("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await?;
        let mut applied = std::collections::BTreeMap::new();
        for r in &rows {
            applied.insert(
                r.try_get::<i64, _>("version")?,
                r.try_get::<Vec<u8>, _>("checksum")?,
            );
        }
        Ok(super::POSTGRES_MIGRATIONS
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .all(|m| applied.get(&m.version) == Some(&m.checksum.to_vec())))
    }

    /// Creates the role accounts if missing and grants each exactly what
    /// `ops/postgres/roles.sql` says (PostgreSQL; nothing on SQLite). Needs the
    /// database owner, and CREATEROLE the first time.
    pub async fn apply_access(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query(ROLES_SQL).execute(&self.pool).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_reads_as_its_privileges() {
        let p = privileges("SELECT, INSERT(a, b), UPDATE(c)");
        let want: std::collections::BTreeSet<Privilege> = [
            ("SELECT".into(), None),
            ("INSERT".into(), Some("a".into())),
            ("INSERT".into(), Some("b".into())),
            ("UPDATE".into(), Some("c".into())),
        ]
        .into();
        assert_eq!(p, want);
        assert!(privileges("").is_empty());
    }

    /// The registry and the SQL name the same accounts, and the SQL grants to nobody
    /// else (the PostgreSQL test compares every grant).
    #[test]
    fn the_grants_file_names_only_the_role_accounts() {
        for line in ROLES_SQL
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
        {
            if let Some((_, to)) = line.split_once(" TO ") {
                if to.contains("%I") {
                    // Dynamic SQL inside the loop over the accounts' array, checked below.
                    continue;
                }
                for account in to.trim_end_matches(';').split(',') {
                    assert!(
                        ACCOUNTS.contains(&account.trim()),
                        "{line}: grants to an account that is not a role's"
                    );
                }
            }
        }
        let looped = ROLES_SQL
            .lines()
            .find(|l| l.contains("FOREACH account IN ARRAY"))
            .expect("the loop over the accounts");
        let named: Vec<&str> = looped.split('\'').skip(1).step_by(2).collect();
        assert_eq!(named, ACCOUNTS, "the loop names exactly the role accounts");
        let mut tables: Vec<&str> = TABLES.iter().map(|t| t.table).collect();
        tables.sort_unstable();
        tables.dedup();
        assert_eq!(tables.len(), TABLES.len(), "a table decided twice");
    }
}
