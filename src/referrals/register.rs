//! The disclosure register as CSV (`haven disclosures export`): field names and who
//! did what, never a value.

use std::collections::BTreeMap;

use super::ReferralState;
use crate::audit::{Actor, AuditAction};

/// The register as CSV: field names and who did what, never a value. One line per
/// referral; names of people are their account addresses.
pub fn register_csv(
    slug: &str,
    rows: &[crate::store::ReferralRecord],
    name_of: impl Fn(&str) -> String,
) -> String {
    fn cell(s: &str) -> String {
        // Formula injection: spreadsheets run cells that start with these.
        let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_owned()
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
    let time = |t: Option<i64>| t.map(crate::domain::datetime).unwrap_or_default();
    let mut out = String::from(
        "referral,programme,enquiry,partner,partner_name,fields,personal_data,basis,delivery,\
         state,requested_by,requested_at,approved_by,decided_at,disclosed_at\n",
    );
    for r in rows {
        let approved = match (&r.decided_by, r.state) {
            (Some(by), s) if s != ReferralState::Cancelled && s != ReferralState::Pending => {
                name_of(by)
            }
            _ => String::new(),
        };
        let line = [
            cell(&r.id),
            cell(slug),
            cell(&r.enquiry_id),
            cell(&r.partner_key),
            cell(&r.partner_name),
            cell(&r.fields.join(" ")),
            (if r.personal { "yes" } else { "no" }).to_owned(),
            cell(&r.basis),
            cell(r.delivery.as_str()),
            cell(r.state.as_str()),
            cell(&name_of(&r.requested_by)),
            time(Some(r.requested_hour)),
            cell(&approved),
            time(r.decided_hour),
            time(r.disclosed_hour),
        ]
        .join(",");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The register of one programme as CSV, for `haven disclosures export`; `None` if
/// there is no such programme. The export is audited before it is returned.
pub async fn export_register(
    store: &crate::store::Store,
    slug: &str,
    actor: &Actor,
) -> Result<Option<String>, crate::store::StoreError> {
    let Some(programme) = store.programme_by_slug(slug).await? else {
        return Ok(None);
    };
    let rows = store.referrals_of_programme(&programme.id).await?;
    let names: BTreeMap<String, String> = store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let csv = register_csv(slug, &rows, |id| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| Actor::staff(id).to_string())
    });
    store
        .record_audit(
            &crate::audit::Entry::new(
                actor,
                AuditAction::DisclosuresExport,
                &format!("programme:{slug}"),
            )
            .detail(serde_json::json!({ "referrals": rows.len() })),
        )
        .await?;
    Ok(Some(csv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Delivery, ReferralRecord};

    #[test]
    fn the_csv_quotes_cells_and_defuses_formulas() {
        let row = ReferralRecord {
            id: "r1".into(),
            programme_id: "p".into(),
            enquiry_id: "e1".into(),
            partner_key: "ngo".into(),
            partner_name: "=HYPERLINK(\"x\")".into(),
            fields: vec!["reference".into(), "language".into()],
            personal: false,
            basis: "Consent, art. 6".into(),
            delivery: Delivery::Email,
            state: ReferralState::Queued,
            requested_by: "u1".into(),
            requested_hour: 0,
            decided_by: None,
            decided_hour: None,
            disclosed_hour: Some(3600),
            outbox_id: None,
            partner_address: None,
            partner_recipient: None,
            stopped_reason: None,
        };
        let csv = register_csv("slug", &[row], |id| format!("{id}@example.org"));
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{line}");
        assert!(line.contains(",reference language,no,\"Consent, art. 6\",email,queued,"));
        assert!(line.contains("u1@example.org,1970-01-01 00:00,,,1970-01-01 01:00"));
    }
}
