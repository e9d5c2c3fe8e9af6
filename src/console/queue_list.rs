//! One queue's enquiries as an agent chooses among them (issue 22, items 3 and 4): rows
//! of clear metadata only (display handle, received hour, source, language by name,
//! contact, priority, waiting time, who claimed it, whether the person wrote back),
//! filters, keyset paging, and "take next" (also behind "save and next" on the
//! enquiry page). Nothing here opens a sealed case: listing is not an `enquiry.view`.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{csrf_field, flash_box};
use super::{Console, member, see_other};
use crate::audit::{AuditAction, Entry};
use crate::auth::Staff;
use crate::casework::{Action, Case, Status, Subject, age_label, permit};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::t;
use crate::programme::live::LiveProgramme;
use crate::store::{ClaimFilter, Contact, QueueCursor, QueueFilter, QueuePage, StatusFilter, now};

/// A queue page's query: its filters, and where the page starts.
#[derive(Deserialize, Default)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    pub contact: Option<String>,
    pub claim: Option<String>,
    pub after: Option<String>,
    pub done: Option<String>,
}

/// The sources an enquiry can come from, as stored.
pub const SOURCES: [&str; 3] = ["web", "imported", "phone"];

/// The filters of a queue page, parsed from its query, and where it starts.
pub struct QueueView {
    pub filter: QueueFilter,
    pub after: Option<QueueCursor>,
    /// The filters as the query gave them, for the form and the paging links.
    pub status: String,
    pub source: String,
    pub lang: String,
    pub contact: String,
    pub claim: String,
}

fn nonempty(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

impl QueueView {
    pub fn from_query(staff: &Staff, q: &QueueQuery) -> Result<Self, AppError> {
        let status = match nonempty(&q.status) {
            "" | "open" => StatusFilter::Open,
            "all" => StatusFilter::All,
            s => StatusFilter::Only(Status::parse(s).ok_or(AppError::BadRequest)?),
        };
        let source = match nonempty(&q.source) {
            "" => None,
            s if SOURCES.contains(&s) => Some(s.to_owned()),
            _ => return Err(AppError::BadRequest),
        };
        let language = match nonempty(&q.lang) {
            "" => None,
            s => Some(
                Language::parse(s)
                    .map_err(|_| AppError::BadRequest)?
                    .tag()
                    .to_owned(),
            ),
        };
        let contact = match nonempty(&q.contact) {
            "" => None,
            s => Some(Contact::parse(s).ok_or(AppError::BadRequest)?),
        };
        let claim = match nonempty(&q.claim) {
            "" => ClaimFilter::Any,
            "unclaimed" => ClaimFilter::Unclaimed,
            "mine" => ClaimFilter::By(staff.id.clone()),
            _ => return Err(AppError::BadRequest),
        };
        let after = match nonempty(&q.after) {
            "" => None,
            s => Some(QueueCursor::parse(s).ok_or(AppError::BadRequest)?),
        };
        Ok(Self {
            filter: QueueFilter {
                status,
                source,
                language,
                contact,
                claim,
            },
            after,
            status: match status {
                StatusFilter::Open => "open".into(),
                StatusFilter::All => "all".into(),
                StatusFilter::Only(s) => s.as_str().into(),
            },
            source: nonempty(&q.source).into(),
            lang: nonempty(&q.lang).into(),
            contact: nonempty(&q.contact).into(),
            claim: nonempty(&q.claim).into(),
        })
    }

    /// The query of this view's filters (without the cursor), for links.
    fn query(&self) -> String {
        let mut out = format!("status={}", self.status);
        for (k, v) in [
            ("source", &self.source),
            ("lang", &self.lang),
            ("contact", &self.contact),
            ("claim", &self.claim),
        ] {
            if !v.is_empty() {
                out.push_str(&format!("&{k}={v}"));
            }
        }
        out
    }
}

/// A language's name in the staff member's language.
pub fn language_name(lang: Language, tag: &str) -> String {
    match Language::parse(tag) {
        Ok(l) => t(lang, &format!("agents-b-language-{}", l.tag())),
        Err(_) => tag.to_owned(),
    }
}

fn source_label(lang: Language, source: &str) -> String {
    match source {
        "web" | "imported" | "phone" => t(lang, &format!("agents-b-source-{source}")),
        other => other.to_owned(),
    }
}

fn contact_label(lang: Language, c: Contact) -> String {
    t(lang, &format!("agents-b-contact-{}", c.as_str()))
}

/// Everything a queue page shows.
pub struct QueuePageView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub queue: &'a str,
    pub name: &'a str,
    pub view: &'a QueueView,
    pub page: &'a QueuePage,
    pub staff_names: &'a BTreeMap<String, String>,
    pub may_take: bool,
    pub done: Option<&'a str>,
}

fn select(id: &str, label: String, selected: &str, options: &[(String, String)]) -> Markup {
    html! {
        div class="field" {
            label for=(id) { (label) }
            select id=(id) name=(id) {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

fn filters(lang: Language, live: &LiveProgramme, v: &QueueView) -> Markup {
    let all = || (String::new(), t(lang, "console-all"));
    let mut statuses = vec![
        ("open".to_owned(), t(lang, "console-open")),
        ("all".to_owned(), t(lang, "console-all")),
    ];
    statuses.extend(
        Status::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), t(lang, s.label_id()))),
    );
    let mut sources = vec![all()];
    sources.extend(
        SOURCES
            .iter()
            .map(|s| (s.to_string(), source_label(lang, s))),
    );
    let mut languages = vec![all()];
    languages.extend(
        live.programme
            .languages()
            .iter()
            .map(|l| (l.tag().to_owned(), language_name(lang, l.tag()))),
    );
    let mut contacts = vec![all()];
    contacts.extend(
        Contact::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), contact_label(lang, *c))),
    );
    let claims = vec![
        all(),
        ("unclaimed".to_owned(), t(lang, "agents-b-claim-unclaimed")),
        ("mine".to_owned(), t(lang, "agents-b-claim-mine")),
    ];
    html! {
        form method="get" class="queue-filters" aria-label=(t(lang, "console-status-filter")) {
            (select("status", t(lang, "console-status"), &v.status, &statuses))
            (select("source", t(lang, "agents-b-source"), &v.source, &sources))
            (select("lang", t(lang, "language-switch"), &v.lang, &languages))
            (select("contact", t(lang, "agents-b-contact"), &v.contact, &contacts))
            (select("claim", t(lang, "console-claimed-by"), &v.claim, &claims))
            button type="submit" class="secondary" { (t(lang, "agents-b-filter-apply")) }
        }
    }
}

/// The enquiries of one queue, most urgent first, then longest waiting.
pub fn queue_page(v: &QueuePageView<'_>) -> Markup {
    let p = &v.live.programme;
    let (staff, lang, at) = (v.staff, v.staff.lang, now());
    let base = format!("/console/p/{}/q/{}", p.slug(), v.queue);
    html! {
        (flash_box(lang, v.done))
        p { a href={ "/console/p/" (p.slug()) } { (p.text(&p.file().title, Language::En)) } }
        h1 { (v.name) }
        @if v.may_take {
            form method="post" action={ (base) "/next" } class="take-next" {
                (csrf_field(&staff.csrf))
                button type="submit" accesskey="t" { (t(lang, "agents-b-take-next")) }
                " "
                span class="hint" { (t(lang, "agents-b-take-next-hint")) }
            }
        }
        (filters(lang, v.live, v.view))
        @if v.page.items.is_empty() {
            p { (t(lang, "console-queue-empty")) }
        } @else {
            table class="enquiries" {
                caption class="visually-hidden" { (t(lang, "console-queue-order")) }
                thead {
                    tr {
                        th scope="col" { (t(lang, "agents-b-handle")) }
                        th scope="col" class="num" { (t(lang, "console-priority")) }
                        th scope="col" { (t(lang, "console-waiting")) }
                        th scope="col" { (t(lang, "console-received")) }
                        th scope="col" { (t(lang, "console-status")) }
                        th scope="col" { (t(lang, "agents-b-source")) }
                        th scope="col" { (t(lang, "language-switch")) }
                        th scope="col" { (t(lang, "agents-b-contact")) }
                        th scope="col" { (t(lang, "console-claimed-by")) }
                    }
                }
                tbody {
                    @for e in &v.page.items {
                        tr class=[(e.status == Status::PersonReplied).then_some("person-replied")] {
                            th scope="row" {
                                a href={ "/console/e/" (e.id) } class="code" { (e.display_handle) }
                            }
                            td class="num" { (e.priority) }
                            td { (age_label(at - e.created_hour).render(lang)) }
                            td { (crate::console::pages::datetime(e.created_hour)) }
                            td {
                                @if e.status == Status::PersonReplied {
                                    strong { (t(lang, e.status.label_id())) }
                                } @else {
                                    (t(lang, e.status.label_id()))
                                }
                            }
                            td { (source_label(lang, &e.source)) }
                            td { (language_name(lang, &e.language)) }
                            td { (contact_label(lang, e.contact)) }
                            td {
                                @match &e.assigned_to {
                                    Some(id) if *id == staff.id => (t(lang, "console-you")),
                                    Some(id) => (v.staff_names.get(id).cloned().unwrap_or_else(|| t(lang, "console-someone"))),
                                    None => "–",
                                }
                            }
                        }
                    }
                }
            }
        }
        nav class="paging" aria-label=(t(lang, "agents-b-paging")) {
            @if v.view.after.is_some() {
                a href={ (base) "?" (v.view.query()) } { (t(lang, "agents-b-first-page")) }
                " "
            }
            @if let Some(next) = &v.page.next {
                a href={ (base) "?" (v.view.query()) "&after=" (next.to_param()) } rel="next" accesskey="j" {
                    (t(lang, "agents-b-next-page"))
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct TakeForm {
    #[serde(default)]
    csrf: String,
}

/// Takes the next enquiry of `queue` for `staff` and opens it, or comes back to the
/// queue saying there is nothing left to take. Also the end of "save and next".
pub async fn take_next_for(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    role: crate::casework::ProgrammeRole,
    queue: &str,
) -> Result<HttpResponse, AppError> {
    if !live.programme.file().queues.iter().any(|q| q.key == queue) {
        return Err(AppError::NotFound);
    }
    // Whether this member may claim an unclaimed open enquiry at all; the update
    // itself only ever picks unclaimed, open ones.
    permit(
        member(staff, role),
        Action::Claim,
        Subject::Enquiry(Case {
            status: Status::New,
            assigned_to: None,
        }),
    )
    .map_err(|_| AppError::Forbidden)?;
    let actor = staff.actor();
    let taken = console
        .store
        .take_next(&live.id, queue, &staff.id, |id| {
            Entry::new(&actor, AuditAction::EnquiryClaim, &format!("enquiry:{id}"))
                .detail(serde_json::json!({ "via": "take_next", "queue": queue }))
        })
        .await?;
    Ok(match taken {
        Some(id) => see_other(&format!("/console/e/{id}?done=taken")),
        None => see_other(&format!(
            "/console/p/{}/q/{queue}?done=nothing-to-take",
            live.programme.slug()
        )),
    })
}

pub async fn take_next(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<TakeForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, queue) = path.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    take_next_for(&console, &staff, &live, role, &queue).await
}

/// The keyboard shortcuts of the console's case pages, as `?` lists them.
pub const SHORTCUTS: [(&str, &str); 6] = [
    ("t", "agents-b-take-next"),
    ("j", "agents-b-next-page"),
    ("c", "console-claim"),
    ("r", "agents-b-shortcut-reply"),
    ("s", "agents-b-save-and-next"),
    ("n", "console-note-submit"),
];

/// The shortcuts box: a `details` (no script needed), opened by `?` where scripts run.
pub fn shortcuts(lang: Language) -> Markup {
    html! {
        details class="shortcuts" id="shortcuts" {
            summary { (t(lang, "agents-b-shortcuts")) " " kbd { "?" } }
            p class="hint" { (t(lang, "agents-b-shortcuts-hint")) }
            dl {
                @for (key, label) in SHORTCUTS {
                    dt { kbd { (key) } }
                    dd { (t(lang, label)) }
                }
            }
        }
    }
}
