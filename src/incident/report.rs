//! The report for the regulator (issue 20, item 6): a Markdown document with the
//! incident's timeline, the affected enquiries counted by language and outcome, the
//! data categories, the harm assessment, the actions and the notifications. It names
//! no one: enquiries are counted, never listed; staff appear by account id; any
//! address or reference code typed into the incident's words is removed (a field that
//! still holds one after that is withheld whole).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::audit::{Actor, AuditAction, Entry, Filter, Record};
use crate::casework::Member;
use crate::domain::{Language, datetime};
use crate::keyring::{Keyring, Read};
use crate::outbound::{find_addresses, find_reference_codes};
use crate::store::{Affected, IncidentRecord, Store};

use super::Reached;
use super::notify::{self, Way};
use super::record::{self, DEADLINE_SECS, IncidentError, Words};

const REMOVED: &str = "[removed]";

/// Free text without addresses or reference codes.
pub fn scrub(text: &str) -> String {
    let out: Vec<String> = text
        .split_inclusive(char::is_whitespace)
        .map(|token| {
            let word = token.trim_end();
            if !find_addresses(word).is_empty() || !find_reference_codes(word).is_empty() {
                format!("{REMOVED}{}", &token[word.len()..])
            } else {
                token.to_owned()
            }
        })
        .collect();
    let out = out.concat();
    // A code written across spaces, or anything the tokens hid: withhold it all.
    if !find_addresses(&out).is_empty() || !find_reference_codes(&out).is_empty() {
        return "[withheld: it held an address or a reference code]".to_owned();
    }
    out
}

fn count_by<'a>(
    affected: &'a [Affected],
    key: impl Fn(&'a Affected) -> &'a str,
) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for a in affected {
        *out.entry(key(a)).or_default() += 1;
    }
    out
}

/// The document.
pub fn render(
    programme: &str,
    r: &IncidentRecord,
    words: &Words,
    affected: &[Affected],
    timeline: &[Record],
    notified: &Notified,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Personal data breach report\n");
    let _ = writeln!(s, "- Programme: {programme}");
    let _ = writeln!(s, "- Incident: {}", r.id);
    let _ = writeln!(s, "- Discovered: {} UTC", datetime(r.discovered_at));
    let _ = writeln!(
        s,
        "- Reporting deadline (72 hours): {} UTC",
        datetime(r.discovered_at + DEADLINE_SECS)
    );
    let _ = writeln!(s, "- Opened: {} UTC", datetime(r.opened_at));
    match r.closed_at {
        Some(c) => {
            let _ = writeln!(s, "- Closed: {} UTC", datetime(c));
        }
        None => {
            let _ = writeln!(s, "- Still open");
        }
    }
    let _ = writeln!(s, "- Reporting decision: {}", r.reporting);
    let _ = writeln!(s, "\n## What happened\n\n{}", scrub(&words.what_happened));
    let _ = writeln!(s, "\n## People affected\n");
    let _ = writeln!(s, "Affected enquiries: {}\n", affected.len());
    let _ = writeln!(s, "| language | enquiries |\n|---|---|");
    for (l, n) in count_by(affected, |a| a.language.as_str()) {
        let name = Language::parse(l).map_or(l.to_owned(), |x| x.endonym().to_owned());
        let _ = writeln!(s, "| {name} ({l}) | {n} |");
    }
    let _ = writeln!(s, "\n| how the message ended | enquiries |\n|---|---|");
    for (o, n) in count_by(affected, |a| a.outcome.as_str()) {
        let _ = writeln!(s, "| {} | {n} |", Reached::of_word(o).as_str());
    }
    let _ = writeln!(s, "\n## Data involved\n");
    let categories: Vec<&str> = r.categories.split(',').filter(|c| !c.is_empty()).collect();
    if categories.is_empty() {
        let _ = writeln!(s, "Not recorded yet.");
    }
    for c in record::CATEGORIES {
        let n = if categories.contains(&c) {
            affected.len()
        } else {
            0
        };
        if n > 0 || categories.contains(&c) {
            let _ = writeln!(s, "- {c}: {n} enquiries");
        }
    }
    let _ = writeln!(s, "\n## Harm assessment\n");
    let _ = writeln!(
        s,
        "- Likelihood: {}\n- Severity: {}\n",
        r.likelihood, r.severity
    );
    let _ = writeln!(s, "{}", scrub(&words.harm_reasons));
    let _ = writeln!(
        s,
        "\n## Containment and actions\n\n{}",
        scrub(&words.actions)
    );
    let _ = writeln!(
        s,
        "\n## Reporting\n\n{}\n\n{}",
        r.reporting,
        scrub(&words.reporting_reasons)
    );
    let _ = writeln!(s, "\n## Notifications\n");
    notifications(&mut s, notified);
    let _ = writeln!(s, "\n## Actions taken in Haven\n");
    actions(&mut s, timeline);
    let _ = writeln!(s, "\n## Timeline (UTC)\n");
    let _ = writeln!(s, "| time | who | what | outcome |\n|---|---|---|---|");
    for e in timeline.iter().rev() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            datetime(e.at),
            e.actor,
            e.action,
            e.outcome
        );
    }
    s
}

/// The incident's notifications: how many were prepared and approved, and per way
/// (`notify::Way`) how many affected enquiries were reached that way.
#[derive(Debug, Clone, Default)]
pub struct Notified {
    pub prepared: usize,
    pub approved: usize,
    /// Preparer and approver both chose to reach addresses never confirmed.
    pub unconfirmed_both: usize,
    pub ways: BTreeMap<Way, usize>,
}

fn notifications(s: &mut String, n: &Notified) {
    if n.prepared == 0 {
        let _ = writeln!(
            s,
            "No notification to the people affected has been sent from Haven for this incident."
        );
        return;
    }
    let _ = writeln!(
        s,
        "Notifications prepared: {}; approved by a second supervisor and sent: {}.\n",
        n.prepared, n.approved
    );
    let _ = writeln!(
        s,
        "Each person got one message in their own language in their reply inbox; \
         confirmed addresses also by email. Addresses never confirmed: {}.\n",
        if n.unconfirmed_both > 0 {
            "one neutral notice pointing to the reply inbox (both approvers chose it)"
        } else {
            "no email (the notice waits in the reply inbox)"
        }
    );
    let _ = writeln!(s, "| how the person was reached | enquiries |\n|---|---|");
    for w in Way::ALL {
        let _ = writeln!(
            s,
            "| {} | {} |",
            w.as_str(),
            n.ways.get(&w).copied().unwrap_or(0)
        );
    }
}

/// The audited actions taken from the incident: notifications, stop buttons, key
/// rotations (their details scrubbed of any address or reference code).
fn actions(s: &mut String, timeline: &[Record]) {
    let taken: Vec<&Record> = timeline
        .iter()
        .rev()
        .filter(|e| {
            !matches!(
                e.action.as_str(),
                "incident.read" | "incident.report" | "incident.recipients"
            )
        })
        .collect();
    if taken.is_empty() {
        let _ = writeln!(s, "None recorded.");
        return;
    }
    let _ = writeln!(s, "| time | who | action | detail |\n|---|---|---|---|");
    for e in taken {
        let detail = scrub(&e.detail).replace('|', "/");
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            datetime(e.at),
            e.actor,
            e.action,
            detail
        );
    }
}

/// Who asks for a report.
pub enum Reader<'a> {
    Staff(Member<'a>),
    Cli,
}

/// The report of incident `id`, its words opened through the keyring's gate; the
/// report itself is audited (`incident.report`). `None`: no such incident.
pub async fn report(
    store: &Store,
    keyring: &Keyring,
    reader: Reader<'_>,
    id: &str,
) -> Result<Option<String>, IncidentError> {
    let Some(r) = store.incident(id).await? else {
        return Ok(None);
    };
    let actor = match &reader {
        Reader::Staff(m) => Actor::staff(m.user),
        Reader::Cli => Actor::Cli,
    };
    let subject = format!("incident:{}", r.id);
    let words = match reader {
        Reader::Staff(m) => record::read(keyring, m, &r).await?,
        Reader::Cli => {
            let plain = keyring
                .open_record(
                    &actor,
                    Read::new(AuditAction::IncidentRead),
                    &subject,
                    &r.sealed,
                )
                .await?;
            serde_json::from_slice(&plain)
                .map_err(|_| IncidentError::Crypto(crate::crypto::CryptoError::Decrypt))?
        }
    };
    let affected = store.incident_enquiries(&r.id).await?;
    let timeline = store
        .search_audit(
            &Filter {
                subject: subject.clone(),
                ..Default::default()
            },
            10_000,
        )
        .await?;
    let mut notified = Notified {
        ways: notify::counts(&notify::progress(store, &r).await?),
        ..Default::default()
    };
    for n in store.incident_notices(&r.id).await? {
        notified.prepared += 1;
        if let Some(c) = store.campaign(&n.campaign_id).await?
            && c.state == crate::store::CampaignState::Dispatched
        {
            notified.approved += 1;
            if n.unconfirmed_asked && n.unconfirmed_approved {
                notified.unconfirmed_both += 1;
            }
        }
    }
    let programme = store
        .programme_slug(&r.programme_id)
        .await?
        .unwrap_or_default();
    store
        .record_audit(
            &Entry::new(&actor, AuditAction::IncidentReport, &subject)
                .detail(serde_json::json!({ "enquiries": affected.len() })),
        )
        .await?;
    Ok(Some(render(
        &programme, &r, &words, &affected, &timeline, &notified,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_codes_are_removed_from_free_text() {
        let code = crate::domain::ReferenceCode::generate();
        let text = format!("Wrote to ana@example.org about {code}, and Omar.");
        let out = scrub(&text);
        assert!(!out.contains("ana@example.org") && !out.contains(&code.to_string()));
        assert!(out.contains("Omar"));
        assert_eq!(scrub("Nothing to remove."), "Nothing to remove.");
    }
}
