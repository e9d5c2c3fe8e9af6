//! Mail that does not say who the person wrote to (issue 19, items 2 and 3): every
//! email to an enquirer (a notice of a reply, a full reply, a campaign's message) comes
//! from the neutral sender, names neither the programme's title, nor its slug, nor a
//! queue, in any header or in its text, gives the slug-free inbox as an address to
//! type, and ends with the line that Haven never asks for the passphrase by email.
//! A programme may name itself only when an instance admin opts in, with their
//! password, audited by name. Through real HTTP, Haven's own worker and the SMTP sink.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::campaigns::{created, decide};
use crate::helpers::{SLUG, html_unescape};
use crate::programmes::{audit, exported, page_of, version_of};
use crate::replies::{
    FROM, FULL, OTHER, PUBLIC, Person, assert_replied, delivered, enquire, haven, open_inbox,
    post_reply, readable_text, reply_fields,
};
use crate::smtp_sink::Transaction;
use crate::staff::{PASSWORD, Staff, signed_in};

/// The example programme's titles in every language it has, and its queues' names.
const TITLES: [&str; 4] = [
    "Afghanistan: request for help to leave and resettle",
    "Afghanistan : demande d'aide pour quitter le pays et se réinstaller",
    "افغانستان: درخواست کمک برای خروج از کشور و اسکان مجدد",
    "افغانستان: له هېواده د وتلو او بیا مېشتېدو لپاره د مرستې غوښتنه",
];
const QUEUE_NAMES: [&str; 5] = [
    "Urgent: immediate danger",
    "Former staff and interpreters",
    "Family reunion",
    "General enquiries",
    "Demandes générales",
];

/// The From header's display name, decoded.
fn from_name(raw: &[u8]) -> String {
    let parsed = mail_parser::MessageParser::default().parse(raw).unwrap();
    parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|m| m.name())
        .unwrap_or("")
        .to_owned()
}

fn header(raw: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_owned())
        .unwrap_or_default()
}

/// One email to `to`: from the neutral sender, naming nothing of `slug`'s programme
/// (its title, its slug, any queue, the person's own queue key), giving the inbox as
/// an address to type, and ending with the line against phishing.
fn assert_neutral(t: &Transaction, to: &Person, slug: &str) {
    assert_eq!(t.rcpt, vec![to.email.clone().unwrap()]);
    assert_eq!(t.from, FROM);
    assert_eq!(from_name(&t.data), "Haven", "the neutral sender name");
    let message_id = header(&t.data, "message-id");
    assert!(
        message_id.ends_with("@haven.example>"),
        "the Message-ID host is the sending domain: {message_id}"
    );
    let text = readable_text(&t.data);
    let lower = text.to_lowercase();
    for needle in TITLES.iter().chain(QUEUE_NAMES.iter()) {
        assert!(
            !text.contains(needle),
            "{needle:?} in the email to {}",
            to.name
        );
    }
    for needle in [slug, "afghanistan", "/p/", &format!("queue: {}", to.queue)] {
        assert!(
            !lower.contains(needle),
            "{needle:?} in the email to {}: {text}",
            to.name
        );
    }
    // The inbox as text to type: the host and `/inbox`, no scheme, no link.
    assert!(text.contains("help.example.org/inbox"), "{text}");
    assert!(!text.contains(&format!("{PUBLIC}/inbox")), "{text}");
    assert!(!lower.contains("href"), "a link in the email: {text}");
    assert!(
        text.contains("We will never ask for your passphrase by email")
            || text.contains("Nous ne vous demanderons jamais votre phrase secrète"),
        "the line against phishing: {text}"
    );
}

async fn transactions_to(
    app: &crate::helpers::TestApp,
    sink: &crate::smtp_sink::SmtpSink,
    n: usize,
    to: &Person,
) -> Vec<Transaction> {
    delivered(app, sink, n)
        .await
        .into_iter()
        .filter(|t| t.rcpt.first() == to.email.as_ref())
        .collect()
}

async fn reply_from_template(agent: &mut Staff, person: &Person) {
    let page = agent
        .get(&format!(
            "/console/e/{}?template=acknowledgement",
            person.id
        ))
        .await;
    let (template, subject, text) = reply_fields(&page, &person.id);
    let done = post_reply(agent, &person.id, &template, &subject, &text).await;
    assert_replied(&done, &person.id);
}

#[tokio::test]
async fn no_email_to_an_enquirer_names_the_programme() {
    let (app, sink) = haven(&[(SLUG, "minimal"), (FULL, "full")]).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut agent_full = signed_in(&app, "agent2@example.org", Agent, Some(FULL)).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;

    // A notice of a reply (minimal), in English and in French.
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana R").await;
    let zoe = enquire(
        &app,
        SLUG,
        Some("zoe@example.fr"),
        "fr",
        "family_reunion",
        "Zoe M",
    )
    .await;
    reply_from_template(&mut agent, &ana).await;
    reply_from_template(&mut agent, &zoe).await;
    // A full reply: the template's `{programme}` and `{inbox_url}` are neutral too.
    let omar = enquire(
        &app,
        FULL,
        Some("omar@example.net"),
        "en",
        "other",
        "Omar K",
    )
    .await;
    reply_from_template(&mut agent_full, &omar).await;

    let all = delivered(&app, &sink, 3).await;
    assert_eq!(all.len(), 3);
    for (person, slug) in [(&ana, SLUG), (&zoe, SLUG), (&omar, FULL)] {
        let mine: Vec<&Transaction> = all
            .iter()
            .filter(|t| t.rcpt.first() == person.email.as_ref())
            .collect();
        assert_eq!(mine.len(), 1, "{}", person.name);
        assert_neutral(mine[0], person, slug);
    }
    let full = readable_text(
        &all.iter()
            .find(|t| t.rcpt[0] == "omar@example.net")
            .unwrap()
            .data,
    );
    assert!(
        full.contains("We have received your enquiry to Haven"),
        "the full reply carries the text, with the neutral name: {full}"
    );

    // A campaign's messages, to the general queue.
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let mine = transactions_to(&app, &sink, 4, &ana).await;
    assert_eq!(mine.len(), 2, "the notice and the campaign's message");
    assert_neutral(&mine[1], &ana, SLUG);

    // The relay was greeted with the sending domain, never the machine's name.
    let hellos = sink.hello_names();
    assert!(!hellos.is_empty());
    assert!(
        hellos.iter().all(|h| h == "haven.example"),
        "EHLO names: {hellos:?}"
    );

    // The address the email gives opens the person's inbox, whatever the programme,
    // and the programme's own address still works.
    for (person, slug) in [(&ana, SLUG), (&omar, FULL)] {
        let (status, page) = open_inbox_at(&app, "/inbox", person).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("We have your enquiry"), "{page}");
        let (status, _) = open_inbox(&app, slug, &person.reference, &person.passphrase).await;
        assert_eq!(status, StatusCode::OK);
    }
}

/// Opens the reply inbox at `path` (`/inbox`) with the person's codes, as its form
/// posts (with the token of the page at that address).
async fn open_inbox_at(
    app: &crate::helpers::TestApp,
    path: &str,
    person: &Person,
) -> (StatusCode, String) {
    open_with(app, path, &person.reference, &person.passphrase).await
}

async fn open_with(
    app: &crate::helpers::TestApp,
    path: &str,
    reference: &str,
    passphrase: &str,
) -> (StatusCode, String) {
    let res = app
        .post_form(
            path,
            &[
                ("reference", reference.to_owned()),
                ("passphrase", passphrase.to_owned()),
            ],
        )
        .await;
    let status = res.status();
    (status, html_unescape(&res.text().await.unwrap()))
}

#[tokio::test]
async fn the_slug_free_inbox_finds_the_programme_and_refuses_alike() {
    let (app, _sink) = haven(&[(SLUG, "minimal"), (OTHER, "minimal")]).await;
    let ana = enquire(&app, SLUG, None, "en", "other", "Ana R").await;
    let bo = enquire(&app, OTHER, None, "fr", "other", "Bo L").await;

    let page = app.get("/inbox").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = html_unescape(&page.text().await.unwrap());
    assert!(body.contains("action=\"/inbox\""), "{body}");
    assert!(
        !body.contains(SLUG) && !body.contains("Afghanistan"),
        "{body}"
    );

    for person in [&ana, &bo] {
        let (status, page) = open_inbox_at(&app, "/inbox", person).await;
        assert_eq!(status, StatusCode::OK, "{}: {page}", person.name);
        assert!(
            page.contains("href=\"/inbox?lang="),
            "signing out stays at /inbox"
        );
        assert!(!page.contains(SLUG) && !page.contains(OTHER), "{page}");
    }
    // A wrong passphrase, or a code nobody has: the same refusal.
    let (wrong, _) = open_with(&app, "/inbox", &ana.reference, &bo.passphrase).await;
    let made_up = haven::domain::ReferenceCode::generate().display();
    let (unknown, _) = open_with(&app, "/inbox", &made_up, &ana.passphrase).await;
    assert_eq!(wrong, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown, StatusCode::UNPROCESSABLE_ENTITY);
    // The per-programme address does not open another programme's inbox.
    let (status, _) = open_inbox(&app, OTHER, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_an_instance_admin_with_their_password_lets_a_programme_name_itself() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut instance_admin = signed_in(&app, "root@example.org", Admin, None).await;
    let mut padmin = signed_in(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana R").await;

    let before = exported(&app, SLUG).await;
    assert!(
        !before.contains("sender = "),
        "neutral is the default: {before}"
    );
    let opted_in = before.replacen("[outbound]\n", "[outbound]\nsender = \"programme\"\n", 1);
    assert_ne!(opted_in, before);
    let toml_page = format!("{}/toml", page_of(SLUG));
    let post = async |staff: &mut Staff, password: Option<&str>| {
        let mut fields = vec![
            ("version", version_of(&app, SLUG).await.to_string()),
            ("definition", opted_in.clone()),
        ];
        if let Some(p) = password {
            fields.push(("current_password", p.to_owned()));
        }
        staff.post(&toml_page, &toml_page, &fields).await
    };

    // A programme admin may not, even with their password.
    let page = post(&mut padmin, Some(PASSWORD)).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(html_unescape(&page.body).contains("outbound.sender"));
    // An instance admin is asked for their password, naming the change.
    let page = post(&mut instance_admin, None).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let body = html_unescape(&page.body);
    assert!(body.contains("outbound.sender"), "{body}");
    assert!(
        body.contains("emails to enquirers will name the programme"),
        "{body}"
    );
    assert_eq!(exported(&app, SLUG).await, before, "nothing saved yet");
    // With it, saved and audited by name.
    let page = post(&mut instance_admin, Some(PASSWORD)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        exported(&app, SLUG)
            .await
            .contains("sender = \"programme\"")
    );
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(entry.actor, format!("user:{}", instance_admin.id));
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert!(
        detail["widened"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "outbound.sender"),
        "{detail}"
    );
    assert_eq!(detail["reauthenticated"], true);

    // Now the email names the programme (it opted in), still with the line.
    reply_from_template(&mut agent, &ana).await;
    let all = delivered(&app, &sink, 1).await;
    assert_eq!(from_name(&all[0].data), TITLES[0]);
    let text = readable_text(&all[0].data);
    assert!(text.contains("We will never ask for your passphrase by email"));
}
