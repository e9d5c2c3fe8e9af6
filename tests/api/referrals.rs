//! Referrals to partner organisations, through real HTTP: an agent refers an enquiry,
//! Haven's own worker delivers one message to the partner's one address (the SMTP
//! sink), and the partner opens the package with its own identity, generated here.
//! A canary typed into a withheld field must appear nowhere the referral goes. Personal
//! data waits for a second supervisor and needs the person's consent; the register and
//! its CSV list field names and never values.

use std::collections::BTreeSet;
use std::process::Command;

use age::x25519::Identity;
use haven::casework::ProgrammeRole::*;
use haven::config::DatabaseUrl;
use mail_parser::MimeHeaders;
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, apply, html_unescape, spawn_with, valid_answers,
};
use crate::replies::{FROM, OTHER, audit_actions, delivered, enquiry_ids, open_inbox};
use crate::smtp_sink::{SmtpSink, Transaction};
use crate::staff::{Staff, signed_in};

/// The example's partners' keys, replaced in these tests by identities made here.
const STATS_KEY: &str = "age18zkd4tcyta29xj6uv7qcltl75k4znt3grdnsjupxmp5l7t4t83jqpxwpp9";
const NGO_KEY: &str = "age1r7rmakd5jx63ztn783fl25uuenwz8243k9g09mrpptpcllmlwqdscd9mad";
const STATS_ADDRESS: &str = "statistics@partner.example";
const NGO_ADDRESS: &str = "referrals@ngo.example";
const BASIS: &str = "Consent of the person (GDPR art. 6(1)(a))";
const STATS_FIELDS: [&str; 5] = [
    "reference",
    "language",
    "received",
    "current_country",
    "help_category",
];
const NGO_FIELDS: [&str; 7] = [
    "reference",
    "language",
    "full_name",
    "current_country",
    "help_category",
    "family_members",
    "phone",
];

struct Partners {
    stats: Identity,
    ngo: Identity,
}

/// A Haven whose worker sends to `sink` (when the test runs its jobs), with the
/// example programme (its partners' keys replaced by identities only this test holds)
/// and another programme.
async fn haven_with_partners() -> (TestApp, SmtpSink, Partners) {
    let sink = SmtpSink::start().await;
    let mut settings = Settings {
        apply_example: false,
        ..Settings::default()
    };
    for (k, v) in [
        ("HAVEN_RATE_LIMIT", "off".to_string()),
        ("HAVEN_MAIL_FROM", FROM.to_string()),
        ("HAVEN_SMTP_URL", sink.url()),
        ("HAVEN_SMTP_RATE", "off".to_string()),
        // These tests count what the sink receives as referral packages; the emails to
        // staff about their own accounts are proved in `hardening`.
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
    ] {
        settings.env.insert(k, v);
    }
    let app = spawn_with(settings).await;
    let partners = Partners {
        stats: Identity::generate(),
        ngo: Identity::generate(),
    };
    assert!(EXAMPLE.contains(STATS_KEY) && EXAMPLE.contains(NGO_KEY));
    let text = EXAMPLE
        .replace(STATS_KEY, &partners.stats.to_public().to_string())
        .replace(NGO_KEY, &partners.ngo.to_public().to_string());
    apply(&app.store, &app.config, &text).await;
    apply(
        &app.store,
        &app.config,
        &crate::replies::programme(OTHER, "minimal"),
    )
    .await;
    (app, sink, partners)
}

/// Someone who sent an enquiry: its id and receipt codes.
struct Sender {
    id: String,
    reference: String,
    passphrase: String,
}

/// Strings typed into fields no partner profile of these tests carries.
fn canaries(tag: &str) -> Vec<String> {
    vec![
        format!("CANARYSITUATION{tag}"),
        format!("CANARYLOCATION{tag}"),
    ]
}

/// Sends an enquiry whose situation and location carry canaries.
async fn enquire(app: &TestApp, tag: &str, consent: bool) -> Sender {
    let before = enquiry_ids(app, SLUG).await;
    let mut fields = valid_answers();
    fields.retain(|(k, _)| !["situation", "current_location", "consent_partners"].contains(k));
    let c = canaries(tag);
    fields.push(("situation", format!("I need help. {}", c[0])));
    fields.push(("current_location", c[1].clone()));
    if consent {
        fields.push(("consent_partners", "yes".into()));
    }
    let res = app.post_form(&format!("/p/{SLUG}"), &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    let reference = crate::helpers::extract_by_id(&body, "reference-code").unwrap();
    let passphrase = crate::helpers::extract_by_id(&body, "passphrase").unwrap();
    let after = enquiry_ids(app, SLUG).await;
    let new: Vec<&String> = after.difference(&before).collect();
    assert_eq!(new.len(), 1);
    Sender {
        id: new[0].clone(),
        reference,
        passphrase,
    }
}

/// Posts the referral form; the referral id if one was made.
async fn refer(
    staff: &mut Staff,
    enquiry: &str,
    partner: &str,
    delivery: &str,
) -> (crate::staff::Page, Option<String>) {
    let page = staff
        .post(
            &format!("/console/e/{enquiry}/refer?partner={partner}"),
            &format!("/console/e/{enquiry}/refer"),
            &[
                ("partner", partner.to_owned()),
                ("basis", BASIS.to_owned()),
                ("delivery", delivery.to_owned()),
            ],
        )
        .await;
    let id = page
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/console/r/"))
        .map(|rest| rest.split('?').next().unwrap_or("").to_owned());
    (page, id)
}

/// The decrypted package: (readable text, JSON).
fn open_package(identity: &Identity, bytes: &[u8]) -> (String, serde_json::Value) {
    let plain = age::decrypt(identity, bytes).expect("the partner's identity opens the package");
    let plain = String::from_utf8(plain).unwrap();
    let start = plain
        .find(haven::referrals::JSON_MARKER)
        .expect("a JSON part");
    let end = plain.find(haven::referrals::JSON_END).expect("its end");
    let json = serde_json::from_str(&plain[start + haven::referrals::JSON_MARKER.len()..end])
        .expect("the JSON part parses");
    (plain[..start].to_owned(), json)
}

fn field_names(json: &serde_json::Value) -> BTreeSet<String> {
    json["fields"]
        .as_object()
        .expect("fields")
        .keys()
        .cloned()
        .collect()
}

/// The one attachment of a received message.
fn attachment(t: &Transaction) -> Vec<u8> {
    let message = mail_parser::MessageParser::default()
        .parse(&t.data)
        .expect("a parseable message");
    assert_eq!(message.attachment_count(), 1, "one attachment");
    let part = message.attachment(0).unwrap();
    assert!(
        part.attachment_name()
            .is_some_and(|n| n.starts_with("referral-") && n.ends_with(".age")),
        "{:?}",
        part.attachment_name()
    );
    part.contents().to_vec()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn referral(app: &TestApp, id: &str) -> haven::store::ReferralRecord {
    app.store.referral(id).await.unwrap().expect("a referral")
}

#[tokio::test]
async fn a_referral_carries_only_the_profile_sealed_to_the_partner_in_one_message_to_its_address() {
    let (app, sink, partners) = haven_with_partners().await;
    let sender = enquire(&app, "one", true).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;

    // The preview shows what leaves, with values, and what is withheld, without them.
    let preview = agent
        .get(&format!(
            "/console/e/{}/refer?partner=statistics",
            sender.id
        ))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let body = html_unescape(&preview.body);
    let leaving =
        &body[body.find("id=\"leaving\"").unwrap()..body.find("id=\"withheld\"").unwrap()];
    for f in STATS_FIELDS {
        assert!(
            leaving.contains(&format!("data-field=\"{f}\"")),
            "{f} leaves"
        );
    }
    assert!(leaving.contains(&sender.reference), "its value is shown");
    let withheld = &body[body.find("id=\"withheld\"").unwrap()..];
    for f in ["full_name", "situation", "current_location", "phone"] {
        assert!(
            withheld.contains(&format!("data-field=\"{f}\"")),
            "{f} withheld"
        );
    }
    for c in canaries("one") {
        assert!(!body.contains(&c), "a withheld value is not even previewed");
    }

    let (page, id) = refer(&mut agent, &sender.id, "statistics", "email").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = id.unwrap();
    assert!(page.location.unwrap().ends_with("done=referral-queued"));

    let received = delivered(&app, &sink, 1).await;
    assert_eq!(received.len(), 1, "one message");
    let t = &received[0];
    assert_eq!(t.rcpt, vec![STATS_ADDRESS.to_owned()], "one recipient");
    let package = attachment(t);
    let (text, json) = open_package(&partners.stats, &package);
    assert_eq!(
        field_names(&json),
        STATS_FIELDS.map(str::to_owned).into_iter().collect(),
        "exactly the profile"
    );
    assert_eq!(json["fields"]["reference"], sender.reference.as_str());
    assert_eq!(json["fields"]["current_country"], "AF");
    assert_eq!(json["fields"]["help_category"], "former_staff");
    assert_eq!(json["basis"], BASIS);
    assert!(text.contains("Afghanistan"), "the readable part: {text}");
    // Only the partner's identity opens it: not another partner's, not the programme's.
    assert!(age::decrypt(&partners.ngo, &package).is_err());
    for c in canaries("one").iter().chain([&"Ana Rahimi".to_owned()]) {
        assert!(!text.contains(c.as_str()) && !json.to_string().contains(c.as_str()));
        assert!(!contains(&t.data, c), "{c} not in the message bytes");
    }
    // The message's own text names no reference code in clear.
    assert!(!contains(&t.data, &sender.reference));

    // The register: names, not values.
    let r = referral(&app, &id).await;
    assert_eq!(r.fields, STATS_FIELDS.map(str::to_owned).to_vec());
    assert_eq!((r.state.as_str(), r.personal), ("queued", false));
    assert_eq!(r.requested_by, agent.id);
    let requested = audit_actions(&app, "referral.request").await;
    assert_eq!(requested.len(), 1);
    assert_eq!(requested[0].outcome, "ok");
    assert!(!requested[0].detail.contains(&sender.reference));

    // Staff see that the message went, with the referral, not as an email to the person.
    let shown = agent.get(&format!("/console/r/{id}")).await;
    assert!(shown.body.contains("queued (email sent)"), "{}", shown.body);
    let enquiry = agent.get(&format!("/console/e/{}", sender.id)).await.body;
    assert!(
        !enquiry.contains("Email delivery"),
        "the person gave no address"
    );
    assert!(enquiry.contains("queued (email sent)"));

    // The person sees where their case went (the programme says so).
    let (status, inbox) = open_inbox(&app, SLUG, &sender.reference, &sender.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("Resettlement statistics unit"), "{inbox}");
}

#[tokio::test]
async fn personal_data_leaves_only_after_a_second_supervisor_approves() {
    let (app, sink, partners) = haven_with_partners().await;
    let sender = enquire(&app, "two", true).await;
    let mut sup1 = signed_in(&app, "sup1@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;

    let (page, id) = refer(&mut sup1, &sender.id, "resettlement-ngo", "email").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = id.unwrap();
    assert!(page.location.unwrap().ends_with("done=referral-pending"));
    assert_eq!(referral(&app, &id).await.state, "pending");

    // Neither the requester nor an agent can approve; nothing leaves meanwhile.
    for who in [&mut sup1, &mut agent] {
        let denied = who
            .post("/console", &format!("/console/r/{id}/approve"), &[])
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(referral(&app, &id).await.state, "pending");
    let denials = audit_actions(&app, "referral.approve").await;
    assert_eq!(denials.len(), 2);
    assert!(denials.iter().all(|d| d.outcome == "denied"));
    // The database itself refuses a self-approval.
    let forced = haven::store::test_support::execute(
        &app.store,
        "UPDATE referrals SET state = 'queued', decided_by = requested_by WHERE id = $1",
        &[(&id).into()],
    )
    .await;
    assert!(forced.is_err(), "the CHECK constraint holds");
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);
    assert_eq!(crate::replies::count(&app, "outbox").await, 0);

    // A second supervisor sees the values, approves, and the worker sends it.
    let mut sup2 = signed_in(&app, "sup2@example.org", Supervisor, Some(SLUG)).await;
    let show = sup2.get(&format!("/console/r/{id}")).await;
    assert!(
        html_unescape(&show.body).contains("Ana Rahimi"),
        "the approver sees what leaves"
    );
    let approved = sup2
        .post(
            &format!("/console/r/{id}"),
            &format!("/console/r/{id}/approve"),
            &[],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(
        approved
            .location
            .unwrap()
            .ends_with("done=referral-approved")
    );
    let again = sup2
        .post("/console", &format!("/console/r/{id}/approve"), &[])
        .await;
    assert!(again.location.unwrap().ends_with("done=conflict"));

    let received = delivered(&app, &sink, 1).await;
    assert_eq!(received.len(), 1, "approved once, sent once");
    assert_eq!(received[0].rcpt, vec![NGO_ADDRESS.to_owned()]);
    let (text, json) = open_package(&partners.ngo, &attachment(&received[0]));
    assert_eq!(
        field_names(&json),
        NGO_FIELDS.map(str::to_owned).into_iter().collect()
    );
    assert_eq!(json["fields"]["full_name"], "Ana Rahimi");
    for c in canaries("two") {
        assert!(!text.contains(&c) && !json.to_string().contains(&c));
        assert!(!contains(&received[0].data, &c));
    }
    let r = referral(&app, &id).await;
    assert_eq!(r.state, "queued");
    assert_eq!(r.decided_by.as_deref(), Some(sup2.id.as_str()));
    assert!(r.personal);
}

#[tokio::test]
async fn a_profile_with_personal_data_cannot_be_used_for_an_enquiry_sent_without_consent() {
    let (app, sink, partners) = haven_with_partners().await;
    let sender = enquire(&app, "three", false).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;

    let preview = agent
        .get(&format!(
            "/console/e/{}/refer?partner=resettlement-ngo",
            sender.id
        ))
        .await;
    assert!(preview.body.contains("id=\"no-consent\""));
    let (page, id) = refer(&mut agent, &sender.id, "resettlement-ngo", "email").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("did not consent"));
    assert_eq!(id, None);
    assert_eq!(crate::replies::count(&app, "referrals").await, 0);
    let refused = audit_actions(&app, "referral.request").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].outcome, "denied");

    // A profile without personal data may still be used; downloaded, it goes once.
    let (page, id) = refer(&mut agent, &sender.id, "statistics", "download").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = id.unwrap();
    assert_eq!(referral(&app, &id).await.state, "ready");
    let download = |agent: &Staff| {
        let token = agent.cookie.clone().unwrap();
        let client = agent.client.clone();
        let base = agent.base.clone();
        let id = id.clone();
        async move {
            let page = {
                let res = client
                    .get(format!("{base}/console/r/{id}"))
                    .header("cookie", format!("__Host-haven={token}"))
                    .send()
                    .await
                    .unwrap();
                res.text().await.unwrap()
            };
            let csrf = crate::helpers::extract_input(&page, "csrf").unwrap();
            client
                .post(format!("{base}/console/r/{id}/download"))
                .header("cookie", format!("__Host-haven={token}"))
                .form(&[("csrf", csrf)])
                .send()
                .await
                .unwrap()
        }
    };
    let first = download(&agent).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["cache-control"], "no-store");
    let disposition = first.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"referral-")
            && disposition.ends_with(".age\""),
        "{disposition}"
    );
    let bytes = first.bytes().await.unwrap();
    let (_, json) = open_package(&partners.stats, &bytes);
    assert_eq!(
        field_names(&json),
        STATS_FIELDS.map(str::to_owned).into_iter().collect()
    );
    let second = download(&agent).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER, "downloaded once");
    assert!(
        second.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=conflict")
    );
    assert_eq!(referral(&app, &id).await.state, "downloaded");
    assert_eq!(audit_actions(&app, "referral.download").await.len(), 1);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0, "nothing was emailed");
}

#[tokio::test]
async fn an_agent_of_another_programme_cannot_refer_or_see_the_register() {
    let (app, _sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "four", true).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (_, id) = refer(&mut agent, &sender.id, "statistics", "download").await;
    let id = id.unwrap();

    let mut outsider = signed_in(&app, "other@example.org", Supervisor, Some(OTHER)).await;
    let own = outsider
        .get(&format!("/console/p/{OTHER}/disclosures"))
        .await;
    assert_eq!(own.status, StatusCode::OK, "their own register opens");
    for path in [
        format!("/console/e/{}/refer?partner=statistics", sender.id),
        format!("/console/r/{id}"),
        format!("/console/p/{SLUG}/disclosures"),
        format!("/console/p/{SLUG}/partners"),
    ] {
        assert_eq!(
            outsider.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The form page is not found, so they post with the token of a page they may see.
    let posted = outsider
        .post(
            "/console",
            &format!("/console/e/{}/refer", sender.id),
            &[
                ("partner", "statistics".to_owned()),
                ("basis", BASIS.to_owned()),
                ("delivery", "email".to_owned()),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    for action in ["approve", "cancel", "download"] {
        let p = outsider
            .post("/console", &format!("/console/r/{id}/{action}"), &[])
            .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(crate::replies::count(&app, "referrals").await, 1);
    // An agent of the programme itself reads the enquiry's register, not the programme's.
    assert_eq!(
        agent
            .get(&format!("/console/p/{SLUG}/disclosures"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    let data_dir = &app.config.data_dir;
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", data_dir)
        .env(
            "HAVEN_DATABASE_URL",
            match &app.config.database {
                DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
                DatabaseUrl::Postgres(url) => url.clone(),
            },
        )
        .output()
        .expect("run haven")
}

#[tokio::test]
async fn the_register_and_its_csv_list_field_names_and_never_values() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "five", true).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (_, stats) = refer(&mut agent, &sender.id, "statistics", "email").await;
    let (_, ngo) = refer(&mut agent, &sender.id, "resettlement-ngo", "email").await;
    let (stats, ngo) = (stats.unwrap(), ngo.unwrap());
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let approved = sup
        .post("/console", &format!("/console/r/{ngo}/approve"), &[])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    delivered(&app, &sink, 2).await;

    let values: Vec<String> = canaries("five")
        .into_iter()
        .chain([
            sender.reference.clone(),
            "Ana Rahimi".into(),
            "+93 70 123 4567".into(),
        ])
        .collect();

    // The enquiry page and the programme's register.
    let enquiry = html_unescape(&agent.get(&format!("/console/e/{}", sender.id)).await.body);
    let section = &enquiry[enquiry
        .find("id=\"referrals\"")
        .expect("a referrals section")..];
    assert!(section.contains("Resettlement NGO") && section.contains("full_name"));
    let register = sup.get(&format!("/console/p/{SLUG}/disclosures")).await;
    assert_eq!(register.status, StatusCode::OK);
    let register = html_unescape(&register.body);
    for f in NGO_FIELDS.iter().chain(STATS_FIELDS.iter()) {
        assert!(register.contains(&format!("<code>{f}</code>")), "{f}");
    }
    assert!(register.contains("sup@example.org"), "approved by whom");
    for v in &values {
        assert!(
            !register.contains(v.as_str()),
            "{v} is not in the register page"
        );
    }

    // The partners page (linked from the dashboard) shows each profile, read-only.
    let dashboard = agent.get(&format!("/console/p/{SLUG}")).await.body;
    assert!(dashboard.contains(&format!("/console/p/{SLUG}/partners")));
    let listed = html_unescape(&agent.get(&format!("/console/p/{SLUG}/partners")).await.body);
    for text in [
        STATS_ADDRESS,
        NGO_ADDRESS,
        "Resettlement NGO",
        "<code>phone</code>",
    ] {
        assert!(listed.contains(text), "{text} on the partners page");
    }

    let out = cli(&app, &["disclosures", "export", "--programme", SLUG]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two referrals: {csv}");
    assert!(lines[0].starts_with("referral,programme,enquiry,partner,"));
    let of = |id: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in {csv}"))
            .split(',')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let s = of(&stats);
    assert_eq!(s[3], "statistics");
    assert_eq!(s[5], STATS_FIELDS.join(" "));
    assert_eq!((s[6].as_str(), s[9].as_str()), ("no", "queued"));
    assert_eq!(s[10], "agent@example.org");
    assert_eq!(s[12], "", "nobody needed to approve it");
    let n = of(&ngo);
    assert_eq!(n[5], NGO_FIELDS.join(" "));
    assert_eq!((n[6].as_str(), n[12].as_str()), ("yes", "sup@example.org"));
    for v in &values {
        assert!(!csv.contains(v.as_str()), "{v} is not in the CSV");
    }
    assert_eq!(audit_actions(&app, "disclosures.export").await.len(), 1);
    assert_eq!(
        cli(
            &app,
            &["disclosures", "export", "--programme", "no-such-programme"]
        )
        .status
        .code(),
        Some(1)
    );

    // Every step is in the audit chain, and the chain holds.
    assert_eq!(audit_actions(&app, "referral.request").await.len(), 2);
    assert_eq!(audit_actions(&app, "referral.approve").await.len(), 1);
    let out = cli(&app, &["audit", "verify"]);
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("intact"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn the_register_outlives_the_enquiry_when_retention_purges_it() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "six", true).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (_, id) = refer(&mut agent, &sender.id, "statistics", "email").await;
    let id = id.unwrap();
    delivered(&app, &sink, 1).await;

    // Past the example's 365 days of retention.
    haven::store::test_support::execute(
        &app.store,
        "UPDATE enquiries SET created_hour = created_hour - $1 WHERE id = $2",
        &[(400_i64 * 86_400).into(), (&sender.id).into()],
    )
    .await
    .unwrap();
    let purged = haven::retention::purge_all(&app.store, &haven::audit::Actor::Cli)
        .await
        .unwrap();
    let counts = &purged.iter().find(|(slug, _)| slug == SLUG).unwrap().1;
    assert_eq!(counts.enquiries, 1);
    assert!(app.store.enquiry(&sender.id).await.unwrap().is_none());

    let kept = referral(&app, &id).await;
    assert_eq!(kept.enquiry_id, sender.id);
    assert_eq!(kept.fields, STATS_FIELDS.map(str::to_owned).to_vec());
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let register = sup.get(&format!("/console/p/{SLUG}/disclosures")).await;
    assert!(register.body.contains(&format!("/console/r/{id}")));
    // The referral page still opens; the enquiry it points to is gone.
    assert_eq!(
        sup.get(&format!("/console/r/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        sup.get(&format!("/console/e/{}", sender.id)).await.status,
        StatusCode::NOT_FOUND
    );
}

// ── A referral leaves only for the destination it was asked for ──────────────────

const MOVED_ADDRESS: &str = "new-desk@ngo.example";

/// The partner editor's form for `key` as the programme has it now, with `changes`
/// replacing fields, and the admin's password.
async fn partner_form(
    app: &TestApp,
    key: &str,
    changes: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    let record = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let programme = haven::programme::Programme::parse(&record.definition).unwrap();
    let partner = programme.partner(key).unwrap().clone();
    let mut fields: Vec<(&'static str, String)> = vec![
        ("name", partner.name.clone()),
        ("address", partner.address.clone()),
        ("recipient", partner.recipient.clone()),
        ("current_password", crate::staff::PASSWORD.to_owned()),
    ];
    if partner.personal_data {
        fields.push(("personal_data", "yes".into()));
    }
    fields.extend(partner.fields.iter().map(|f| ("fields", f.clone())));
    let replaced: Vec<&str> = changes.iter().map(|(k, _)| *k).collect();
    fields.retain(|(k, _)| !replaced.contains(k));
    fields.extend(changes.iter().cloned());
    fields
}

/// An admin changes a partner in the programme editor.
async fn change_partner(
    app: &TestApp,
    admin: &mut Staff,
    key: &str,
    changes: &[(&'static str, String)],
) {
    let fields = partner_form(app, key, changes).await;
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    crate::programmes::saved(
        &crate::programmes::edit(admin, SLUG, &format!("/partners/{key}"), &borrowed).await,
    );
}

/// The one `referral.stopped` entry: its detail, which names neither address.
async fn stopped_entry(app: &TestApp, reason: &str) -> haven::audit::Record {
    let entries = audit_actions(app, "referral.stopped").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = entries.into_iter().next().unwrap();
    assert!(
        entry.detail.contains(&format!("\"reason\":\"{reason}\"")),
        "{}",
        entry.detail
    );
    for address in [NGO_ADDRESS, STATS_ADDRESS, MOVED_ADDRESS] {
        assert!(!entry.detail.contains(address), "{}", entry.detail);
    }
    entry
}

#[tokio::test]
async fn a_referral_approved_after_the_partners_address_changed_goes_to_neither_address() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "moved", true).await;
    let mut sup1 = signed_in(&app, "sup1@example.org", Supervisor, Some(SLUG)).await;
    let (_, id) = refer(&mut sup1, &sender.id, "resettlement-ngo", "email").await;
    let id = id.unwrap();
    assert_eq!(
        referral(&app, &id).await.partner_address.as_deref(),
        Some(NGO_ADDRESS)
    );

    // The partner's page warns that the pending referral would be stopped.
    let mut admin = crate::programmes::admin(&app).await;
    let editor = format!("/admin/programmes/{SLUG}/partners/resettlement-ngo");
    let page = html_unescape(&admin.get(&editor).await.body);
    assert!(
        page.contains("Referrals to this partner that have not left yet: 1.")
            && page.contains("stops them"),
        "{page}"
    );
    change_partner(
        &app,
        &mut admin,
        "resettlement-ngo",
        &[("address", MOVED_ADDRESS.into())],
    )
    .await;

    // A second supervisor approves: nothing leaves, for the old or the new address.
    let mut sup2 = signed_in(&app, "sup2@example.org", Supervisor, Some(SLUG)).await;
    let approved = sup2
        .post("/console", &format!("/console/r/{id}/approve"), &[])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(
        approved
            .location
            .as_deref()
            .unwrap()
            .ends_with("done=referral-stopped"),
        "{:?}",
        approved.location
    );
    let r = referral(&app, &id).await;
    assert_eq!(r.state, "cancelled");
    assert_eq!(r.stopped_reason.as_deref(), Some("partner-address-changed"));
    assert_eq!(r.disclosed_hour, None);
    let entry = stopped_entry(&app, "partner-address-changed").await;
    assert_eq!(entry.actor, format!("user:{}", sup2.id));
    assert!(audit_actions(&app, "referral.approve").await.is_empty());
    assert_eq!(crate::replies::count(&app, "outbox").await, 0);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);

    // The referral page and the enquiry's list say why, in the staff member's language.
    let shown = html_unescape(&sup1.get(&format!("/console/r/{id}")).await.body);
    assert!(
        shown.contains("the partner's address changed after this referral was asked for")
            && shown.contains("Ask for it again"),
        "{shown}"
    );
    let listed = html_unescape(&sup1.get(&format!("/console/e/{}", sender.id)).await.body);
    assert!(listed.contains("stopped: the partner changed"), "{listed}");
    let french = html_unescape(&sup1.get(&format!("/console/r/{id}?lang=fr")).await.body);
    assert!(
        french.contains("l'adresse du partenaire a changé")
            && french.contains("Demandez-la à nouveau"),
        "{french}"
    );
    // Nothing is left for the editor to warn about.
    let page = html_unescape(&admin.get(&editor).await.body);
    assert!(!page.contains("have not left yet"), "{page}");
}

#[tokio::test]
async fn a_queued_referral_is_not_sent_once_the_partners_key_changed_and_a_new_one_is() {
    // Nothing is sent until the test runs the worker's jobs.
    let (app, sink, partners) = haven_with_partners().await;
    let sender = enquire(&app, "rekeyed", false).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (_, old) = refer(&mut agent, &sender.id, "statistics", "email").await;
    let old = old.unwrap();
    assert_eq!(referral(&app, &old).await.state, "queued");

    // The partner gets a new key while the package sealed to the old one waits.
    let rotated = Identity::generate();
    let mut admin = crate::programmes::admin(&app).await;
    change_partner(
        &app,
        &mut admin,
        "statistics",
        &[("recipient", rotated.to_public().to_string())],
    )
    .await;
    let (_, new) = refer(&mut agent, &sender.id, "statistics", "email").await;
    let new = new.unwrap();

    let received = delivered(&app, &sink, 1).await;
    assert_eq!(received.len(), 1, "only the referral asked for the new key");
    assert_eq!(received[0].rcpt, vec![STATS_ADDRESS.to_owned()]);
    let package = attachment(&received[0]);
    assert!(
        age::decrypt(&partners.stats, &package).is_err(),
        "not sealed to the old key"
    );
    let (_, json) = open_package(&rotated, &package);
    assert_eq!(json["referral"], new.as_str());

    let r = referral(&app, &old).await;
    assert_eq!(r.state, "cancelled");
    assert_eq!(r.stopped_reason.as_deref(), Some("partner-key-changed"));
    let outbox = app.store.outbox_of_enquiry(&sender.id).await.unwrap();
    let failed: Vec<_> = outbox.iter().filter(|o| o.state == "failed").collect();
    assert_eq!(failed.len(), 1, "{outbox:?}");
    assert_eq!(r.outbox_id.as_deref(), Some(failed[0].id.as_str()));
    let entry = stopped_entry(&app, "partner-key-changed").await;
    assert!(entry.actor.starts_with("worker:"), "{}", entry.actor);
    assert_eq!(referral(&app, &new).await.state, "queued");
    // The old referral's message, failed by the worker.
    app.expect_failed_jobs(1);
}

#[tokio::test]
async fn a_package_is_not_downloaded_once_the_partners_key_changed() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "download", false).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (_, id) = refer(&mut agent, &sender.id, "statistics", "download").await;
    let id = id.unwrap();
    assert_eq!(referral(&app, &id).await.state, "ready");
    let mut admin = crate::programmes::admin(&app).await;
    change_partner(
        &app,
        &mut admin,
        "statistics",
        &[("recipient", Identity::generate().to_public().to_string())],
    )
    .await;

    let download = agent
        .post("/console", &format!("/console/r/{id}/download"), &[])
        .await;
    assert_eq!(download.status, StatusCode::SEE_OTHER);
    assert!(
        download
            .location
            .as_deref()
            .unwrap()
            .ends_with("done=referral-stopped")
    );
    let r = referral(&app, &id).await;
    assert_eq!(
        (r.state.as_str(), r.stopped_reason.as_deref()),
        ("cancelled", Some("partner-key-changed"))
    );
    stopped_entry(&app, "partner-key-changed").await;
    assert!(audit_actions(&app, "referral.download").await.is_empty());
    // Asking again a second time changes nothing.
    let again = agent
        .post("/console", &format!("/console/r/{id}/download"), &[])
        .await;
    assert!(
        again
            .location
            .as_deref()
            .unwrap()
            .ends_with("done=conflict")
    );
    let shown = html_unescape(&agent.get(&format!("/console/r/{id}")).await.body);
    assert!(
        shown.contains("the partner's encryption key changed"),
        "{shown}"
    );
    assert!(!shown.contains("/download"), "no download offered: {shown}");
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);
}

#[tokio::test]
async fn removing_a_partner_stops_its_pending_referral_and_the_enquiry_page_says_so() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "removed", true).await;
    let mut sup1 = signed_in(&app, "sup1@example.org", Supervisor, Some(SLUG)).await;
    let (_, id) = refer(&mut sup1, &sender.id, "resettlement-ngo", "email").await;
    let id = id.unwrap();
    let mut admin = crate::programmes::admin(&app).await;
    crate::programmes::saved(
        &crate::programmes::edit(&mut admin, SLUG, "/partners/resettlement-ngo/remove", &[]).await,
    );

    // The next staff member to look at the enquiry sees it stopped, and why.
    let mut sup2 = signed_in(&app, "sup2@example.org", Supervisor, Some(SLUG)).await;
    let listed = html_unescape(&sup2.get(&format!("/console/e/{}", sender.id)).await.body);
    assert!(listed.contains("stopped: the partner changed"), "{listed}");
    let r = referral(&app, &id).await;
    assert_eq!(
        (r.state.as_str(), r.stopped_reason.as_deref()),
        ("cancelled", Some("partner-removed"))
    );
    stopped_entry(&app, "partner-removed").await;
    let shown = html_unescape(&sup2.get(&format!("/console/r/{id}")).await.body);
    assert!(
        shown.contains("the partner was removed from the programme") && !shown.contains("/approve"),
        "{shown}"
    );
    let approve = sup2
        .post("/console", &format!("/console/r/{id}/approve"), &[])
        .await;
    assert!(
        approve
            .location
            .as_deref()
            .unwrap()
            .ends_with("done=conflict")
    );
    assert_eq!(crate::replies::count(&app, "outbox").await, 0);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);
}

#[tokio::test]
async fn a_referral_asked_for_before_destinations_were_recorded_never_leaves() {
    let (app, sink, _partners) = haven_with_partners().await;
    let sender = enquire(&app, "legacy", true).await;
    let mut sup1 = signed_in(&app, "sup1@example.org", Supervisor, Some(SLUG)).await;
    let (_, id) = refer(&mut sup1, &sender.id, "resettlement-ngo", "email").await;
    let id = id.unwrap();
    // As the migration leaves a row from before it.
    haven::store::test_support::execute(
        &app.store,
        "UPDATE referrals SET partner_address = NULL, partner_recipient = NULL WHERE id = $1",
        &[(&id).into()],
    )
    .await
    .unwrap();
    let mut sup2 = signed_in(&app, "sup2@example.org", Supervisor, Some(SLUG)).await;
    let approve = sup2
        .post("/console", &format!("/console/r/{id}/approve"), &[])
        .await;
    assert!(
        approve
            .location
            .as_deref()
            .unwrap()
            .ends_with("done=referral-stopped")
    );
    let r = referral(&app, &id).await;
    assert_eq!(r.stopped_reason.as_deref(), Some("destination-unrecorded"));
    stopped_entry(&app, "destination-unrecorded").await;
    assert_eq!(crate::replies::count(&app, "outbox").await, 0);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);
}

// ── Personal data is decided by what was stored (issue 17, item 2) ──────────────

/// The example with `family_members` as a choice from a list and in the statistics
/// profile: what the review made of it.
fn family_as_a_choice_shared_with_statistics(current: &str) -> String {
    let programme = haven::programme::Programme::parse(current).unwrap();
    let mut file = programme.file().clone();
    let field = file
        .fields
        .iter_mut()
        .find(|f| f.key == "family_members")
        .unwrap();
    field.kind = haven::programme::FieldKind::Select;
    field.max_length = None;
    field.hint.clear();
    field.options = ["none", "one", "more"]
        .into_iter()
        .map(|v| haven::programme::FieldOption {
            value: v.to_owned(),
            label: [("en".to_owned(), v.to_owned())].into(),
        })
        .collect();
    file.partners
        .iter_mut()
        .find(|p| p.key == "statistics")
        .unwrap()
        .fields
        .push("family_members".into());
    let text = haven::programme::editing::to_text(&file).unwrap();
    haven::programme::Programme::parse(&text).expect("a valid programme");
    text
}

#[tokio::test]
async fn a_field_with_answers_or_in_a_profile_keeps_its_kind_in_the_editor_and_in_apply() {
    let (app, _sink, _partners) = haven_with_partners().await;
    enquire(&app, "kind", true).await;
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let before = crate::programmes::exported(&app, SLUG).await;

    // The field editor, with the password (it is not the password that is missing).
    let field_page = format!("/admin/programmes/{SLUG}/fields/family_members");
    let shown = admin.get(&field_page).await;
    let mut fields = crate::widening::form_fields(&shown.body, &field_page);
    for (name, value) in [
        ("kind", "select"),
        ("options", "none | None\none | One\nmore | More"),
        ("current_password", crate::staff::PASSWORD),
    ] {
        fields.retain(|(k, _)| k != name);
        fields.push((name.to_owned(), value.to_owned()));
    }
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let page = admin.post_raw(&field_page, &fields).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        html_unescape(&page.body).contains("family_members"),
        "{}",
        page.body
    );
    assert_eq!(crate::programmes::exported(&app, SLUG).await, before);

    // The TOML page: the review's change in one save.
    let toml_page = format!("/admin/programmes/{SLUG}/toml");
    let version = crate::programmes::version_of(&app, SLUG).await;
    let page = admin
        .post(
            &toml_page,
            &toml_page,
            &[
                ("version", version.to_string()),
                (
                    "definition",
                    family_as_a_choice_shared_with_statistics(&before),
                ),
                ("current_password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        html_unescape(&page.body).contains("family_members"),
        "{}",
        page.body
    );
    assert_eq!(crate::programmes::exported(&app, SLUG).await, before);

    // `programme apply`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, family_as_a_choice_shared_with_statistics(&before)).unwrap();
    let (code, out) = crate::programmes::cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("family_members"), "{out}");
    assert_eq!(crate::programmes::exported(&app, SLUG).await, before);

    // A field nobody answered and no partner receives may still change kind.
    let with_new = before.replacen(
        "[[queues]]",
        "[[fields]]\nkey = \"nickname\"\nkind = \"text\"\nlabel.en = \"Nickname\"\n\n[[queues]]",
        1,
    );
    std::fs::write(&file, &with_new).unwrap();
    let (code, out) = crate::programmes::cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    let stored = crate::programmes::exported(&app, SLUG).await;
    let mut changed = haven::programme::Programme::parse(&stored)
        .unwrap()
        .file()
        .clone();
    let nickname = changed
        .fields
        .iter_mut()
        .find(|f| f.key == "nickname")
        .unwrap();
    nickname.kind = haven::programme::FieldKind::Select;
    nickname.options = vec![haven::programme::FieldOption {
        value: "a".into(),
        label: [("en".to_owned(), "A".to_owned())].into(),
    }];
    let as_choice = haven::programme::editing::to_text(&changed).unwrap();
    std::fs::write(&file, &as_choice).unwrap();
    let (code, out) = crate::programmes::cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
}

#[tokio::test]
async fn free_text_stored_before_a_kind_change_stays_personal_data_whatever_the_definition_says() {
    let (app, _sink, _partners) = haven_with_partners().await;
    // Sent while `family_members` was free text: names and ages.
    let consented = enquire(&app, "legacy-kind", true).await;
    let unconsented = enquire(&app, "legacy-kind-2", false).await;

    // The definition changed as the review changed it, by an older Haven that allowed
    // it (the editor and `apply` now refuse this; see the test above).
    let record = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let changed = family_as_a_choice_shared_with_statistics(&record.definition);
    haven::store::test_support::execute(
        &app.store,
        "UPDATE programmes SET definition = $1, version = $2 WHERE id = $3",
        &[
            (&changed).into(),
            (record.version + 1).into(),
            (&record.id).into(),
        ],
    )
    .await
    .unwrap();
    haven::store::test_support::execute(
        &app.store,
        "INSERT INTO programme_versions (programme_id, version, definition, created_at) \
         VALUES ($1, $2, $3, 0)",
        &[
            (&record.id).into(),
            (record.version + 1).into(),
            (&changed).into(),
        ],
    )
    .await
    .unwrap();
    // That older Haven signed the state it saved, as every save now does.
    let signer = app.keyring().await.programme_signer();
    let entry = haven::audit::Entry::new(
        &haven::audit::Actor::Cli,
        haven::audit::AuditAction::ProgrammeUpdate,
        "programme:test",
    );
    assert!(
        app.store
            .re_sign_programme(SLUG, &signer, &entry)
            .await
            .unwrap()
    );
    // The next edit (a queue renamed) makes this process read the new definition.
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let queue_page = format!("/admin/programmes/{SLUG}/queues/general");
    crate::programmes::saved(
        &crate::widening::change_form(&mut admin, &queue_page, &queue_page, |f| {
            crate::widening::set(f, "name.en", "Everything else")
        })
        .await,
    );

    // The statistics profile carries no personal field by today's definition, but the
    // stored answer is free text: a second supervisor must approve, and consent counts.
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (page, id) = refer(&mut agent, &consented.id, "statistics", "email").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        page.location
            .as_deref()
            .unwrap()
            .ends_with("done=referral-pending"),
        "{:?}",
        page.location
    );
    let r = referral(&app, &id.unwrap()).await;
    assert_eq!((r.state.as_str(), r.personal), ("pending", true));
    assert_eq!(
        crate::replies::count(&app, "outbox").await,
        0,
        "nothing left"
    );
    let requested = audit_actions(&app, "referral.request").await;
    assert!(requested[0].detail.contains("\"personal_data\":true"));

    let (page, id) = refer(&mut agent, &unconsented.id, "statistics", "email").await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("did not consent"));
    assert_eq!(id, None);

    // Sent with the new form, the answer is one of its choices: not personal.
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "family_members");
    fields.push(("family_members", "one".into()));
    let before = enquiry_ids(&app, SLUG).await;
    let res = app.post_form(&format!("/p/{SLUG}"), &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = enquiry_ids(&app, SLUG).await;
    let chosen = after.difference(&before).next().unwrap().clone();
    let (page, id) = refer(&mut agent, &chosen, "statistics", "download").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let r = referral(&app, &id.unwrap()).await;
    assert_eq!((r.state.as_str(), r.personal), ("ready", false));
}
