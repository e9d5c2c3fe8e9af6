//! An incident record (issue 20, item 3): opened by a supervisor or admin from a
//! recipients list (its affected set frozen then, extendable later) or blank; what
//! happened, when it was discovered, the data categories, a harm assessment
//! (likelihood, severity, the reasons), containment and actions, the decision on
//! reporting, when it was closed; and the 72 hours from discovery to the reporting
//! deadline. Its words are sealed to the programme's key (the programme's public
//! `Sealer`) and opened only through the keyring's gate, capped and audited; every
//! change is audited with the names of the fields it changed, never their words.

use serde::{Deserialize, Serialize};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::casework::{Action, Member, Refusal, Subject, permit};
use crate::crypto::{CryptoError, Sealer, random_id};
use crate::keyring::{GateError, Keyring, Read};
use crate::store::{Affected, IncidentFields, IncidentRecord, Store, StoreError, now};

use super::Recipients;

/// GDPR's 72 hours from becoming aware to reporting to the supervisory authority.
pub const DEADLINE_SECS: i64 = 72 * 3600;
/// Longest text of one field, in characters.
pub const MAX_TEXT: usize = 20_000;

/// The data categories an incident may involve (stored as these words).
pub const CATEGORIES: [&str; 6] = [
    "contact",
    "name",
    "reference",
    "answers",
    "special",
    "other",
];
/// The words of the harm scale.
pub const SCALE: [&str; 4] = ["unknown", "low", "medium", "high"];
/// The reporting decisions.
pub const REPORTING: [&str; 4] = ["undecided", "report", "reported", "not-required"];

/// The words of an incident, sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub what_happened: String,
    pub harm_reasons: String,
    pub actions: String,
    pub reporting_reasons: String,
}

impl Words {
    fn seal(&self, sealer: &Sealer) -> Result<crate::crypto::Sealed, CryptoError> {
        let json =
            zeroize::Zeroizing::new(serde_json::to_vec(self).map_err(|_| CryptoError::Encrypt)?);
        sealer.seal(&json)
    }

    fn too_long(&self) -> bool {
        [
            &self.what_happened,
            &self.harm_reasons,
            &self.actions,
            &self.reporting_reasons,
        ]
        .iter()
        .any(|t| t.chars().count() > MAX_TEXT)
    }
}

/// What a form sets on an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub discovered_at: i64,
    pub categories: Vec<String>,
    pub likelihood: String,
    pub severity: String,
    pub reporting: String,
    pub close: bool,
    pub words: Words,
}

impl Change {
    /// What is wrong with it (field names), if anything.
    pub fn problems(&self, at: i64) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.discovered_at > at + 300 {
            out.push("discovered");
        }
        if self
            .categories
            .iter()
            .any(|c| !CATEGORIES.contains(&c.as_str()))
        {
            out.push("categories");
        }
        if !SCALE.contains(&self.likelihood.as_str()) {
            out.push("likelihood");
        }
        if !SCALE.contains(&self.severity.as_str()) {
            out.push("severity");
        }
        if !REPORTING.contains(&self.reporting.as_str()) {
            out.push("reporting");
        }
        if self.words.too_long() {
            out.push("what_happened");
        }
        out
    }

    fn categories(&self) -> String {
        CATEGORIES
            .iter()
            .filter(|c| self.categories.iter().any(|x| x == *c))
            .copied()
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Time left to the reporting deadline (negative: overdue by that much).
pub fn time_left(discovered_at: i64, at: i64) -> i64 {
    discovered_at + DEADLINE_SECS - at
}

#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    #[error("{0}")]
    Refused(Refusal),
    #[error("the incident is closed")]
    Closed,
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

fn allowed(who: Member<'_>) -> Result<(), IncidentError> {
    permit(who, Action::Incident, Subject::Programme).map_err(IncidentError::Refused)
}

fn affected_of(list: &Recipients, at: i64) -> Vec<Affected> {
    // One row per enquiry: the best outcome any of its messages had (sent first).
    let mut out: std::collections::BTreeMap<&str, Affected> = Default::default();
    for r in &list.rows {
        let entry = out
            .entry(r.enquiry_id.as_str())
            .or_insert_with(|| Affected {
                enquiry_id: r.enquiry_id.clone(),
                language: r.language.clone(),
                outcome: r.reached.as_str().to_owned(),
                added_at: at,
            });
        if r.reached < super::Reached::of_word(&entry.outcome) {
            entry.outcome = r.reached.as_str().to_owned();
        }
    }
    out.into_values().collect()
}

/// Opens an incident, blank or from a recipients list (`source` names what the list
/// was built from: `blank`, `campaign`, `template`, `reply`, `address`).
#[allow(clippy::too_many_arguments)]
pub async fn open(
    store: &Store,
    sealer: &Sealer,
    programme_id: &str,
    who: Member<'_>,
    source: &str,
    list: Option<&Recipients>,
    change: &Change,
) -> Result<String, IncidentError> {
    allowed(who)?;
    let at = now();
    let id = random_id();
    let affected = list.map(|l| affected_of(l, at)).unwrap_or_default();
    let record = IncidentRecord {
        id: id.clone(),
        programme_id: programme_id.to_owned(),
        opened_by: who.user.to_owned(),
        opened_at: at,
        discovered_at: change.discovered_at,
        source: source.to_owned(),
        categories: change.categories(),
        likelihood: change.likelihood.clone(),
        severity: change.severity.clone(),
        reporting: change.reporting.clone(),
        closed_at: change.close.then_some(at),
        sealed: change.words.seal(sealer)?,
        updated_at: at,
    };
    let entry = Entry::new(
        &Actor::staff(who.user),
        AuditAction::IncidentOpen,
        &format!("incident:{id}"),
    )
    .detail(serde_json::json!({
        "programme": programme_id, "source": source, "enquiries": affected.len(),
        "discovered_at": change.discovered_at,
    }));
    store.open_incident(&record, &affected, &entry).await?;
    Ok(id)
}

/// Opens an incident's words through the keyring's gate (capped, audited).
pub async fn read(
    keyring: &Keyring,
    who: Member<'_>,
    record: &IncidentRecord,
) -> Result<Words, IncidentError> {
    allowed(who)?;
    let plain = keyring
        .open_record(
            &Actor::staff(who.user),
            Read::new(AuditAction::IncidentRead),
            &format!("incident:{}", record.id),
            &record.sealed,
        )
        .await?;
    serde_json::from_slice(&plain).map_err(|_| IncidentError::Crypto(CryptoError::Decrypt))
}

/// Writes a change; the audit entry names the fields that changed (`before` is what
/// the page showed, opened through the gate).
pub async fn update(
    store: &Store,
    sealer: &Sealer,
    who: Member<'_>,
    record: &IncidentRecord,
    before: &Words,
    change: &Change,
) -> Result<(), IncidentError> {
    allowed(who)?;
    if record.closed_at.is_some() {
        return Err(IncidentError::Closed);
    }
    let at = now();
    let categories = change.categories();
    let mut changed = Vec::new();
    for (name, differs) in [
        (
            "discovered_at",
            record.discovered_at != change.discovered_at,
        ),
        ("categories", record.categories != categories),
        ("likelihood", record.likelihood != change.likelihood),
        ("severity", record.severity != change.severity),
        ("reporting", record.reporting != change.reporting),
        ("closed", change.close),
        (
            "what_happened",
            before.what_happened != change.words.what_happened,
        ),
        (
            "harm_reasons",
            before.harm_reasons != change.words.harm_reasons,
        ),
        ("actions", before.actions != change.words.actions),
        (
            "reporting_reasons",
            before.reporting_reasons != change.words.reporting_reasons,
        ),
    ] {
        if differs {
            changed.push(name);
        }
    }
    let entry = Entry::new(
        &Actor::staff(who.user),
        AuditAction::IncidentUpdate,
        &format!("incident:{}", record.id),
    )
    .detail(serde_json::json!({
        "changed": changed, "likelihood": change.likelihood, "severity": change.severity,
        "reporting": change.reporting, "categories": categories,
    }));
    let fields = IncidentFields {
        discovered_at: change.discovered_at,
        categories,
        likelihood: change.likelihood.clone(),
        severity: change.severity.clone(),
        reporting: change.reporting.clone(),
        closed_at: change.close.then_some(at),
        sealed: change.words.seal(sealer)?,
    };
    if store.update_incident(&record.id, &fields, &entry).await? {
        Ok(())
    } else {
        Err(IncidentError::Closed)
    }
}

/// Adds a recipients list's enquiries to the affected set; returns how many were new.
pub async fn extend(
    store: &Store,
    who: Member<'_>,
    record: &IncidentRecord,
    source: &str,
    list: &Recipients,
) -> Result<u64, IncidentError> {
    allowed(who)?;
    let entry = Entry::new(
        &Actor::staff(who.user),
        AuditAction::IncidentUpdate,
        &format!("incident:{}", record.id),
    )
    .outcome(Outcome::Ok)
    .detail(serde_json::json!({ "changed": ["affected"], "source": source }));
    store
        .extend_incident(&record.id, &affected_of(list, now()), who.user, &entry)
        .await?
        .ok_or(IncidentError::Closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_runs_72_hours_from_discovery() {
        assert_eq!(time_left(1000, 1000), 72 * 3600);
        assert_eq!(time_left(1000, 1000 + 73 * 3600), -3600);
    }

    #[test]
    fn a_change_outside_the_vocabularies_is_refused_by_field() {
        let ok = Change {
            discovered_at: 10,
            categories: vec!["contact".into(), "name".into()],
            likelihood: "low".into(),
            severity: "high".into(),
            reporting: "undecided".into(),
            close: false,
            words: Words::default(),
        };
        assert!(ok.problems(100).is_empty());
        assert_eq!(ok.categories(), "contact,name");
        let bad = Change {
            discovered_at: 10_000,
            categories: vec!["passwords".into()],
            likelihood: "huge".into(),
            ..ok.clone()
        };
        assert_eq!(
            bad.problems(100),
            vec!["discovered", "categories", "likelihood"]
        );
    }
}
