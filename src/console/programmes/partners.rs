//! The partners section of the editor: the organisations an enquiry may be referred
//! to, what may leave for each (its sharing profile), and the programme's referral
//! settings.
//!
//! A partner's address and age key decide who can read what leaves, and its profile
//! decides what leaves; so adding a partner, changing either, or widening a profile
//! asks for the admin's password again, and the save's audit entry names each of
//! these (`crate::programme::widening`, the review every save of a programme goes
//! through, here as on every other page). Narrowing a profile, renaming or removing
//! a partner does not: they can only make less leave. Whether a profile holds personal data is derived from
//! [`crate::programme::sharing`], never from the admin's word; the admin's explicit
//! confirmation is required on top, as `programme apply` requires `personal_data`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::parts::section_page;
use super::shown::{Form, Shown};
use super::tabs::Tab;
use super::widgets::{self, Posted, errors_box, input, normalise, version_field};
use super::{Console, Editing, for_get, for_post, save_edit_noting, saved};
use crate::domain::{EmailAddress, Language};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::editing;
use crate::programme::sharing::{Pseudo, is_personal_kind, personal_entries};
use crate::programme::{Partner, ProgrammeFile};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/referrals", web::post().to(save_settings))
        .route("/{slug}/new-partner", web::get().to(new_partner_page))
        .route("/{slug}/new-partner", web::post().to(save_new_partner))
        .route("/{slug}/partners/{key}", web::get().to(partner_page))
        .route("/{slug}/partners/{key}", web::post().to(save_partner))
        .route("/{slug}/partners/{key}/remove", web::post().to(remove));
}

/// The partners' page.
pub(super) async fn page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    Ok(section_page(
        &ed,
        Tab::Partners,
        &Shown {
            done: super::done_of(&req),
            ..Default::default()
        },
    ))
}

// ── Referral settings ────────────────────────────────────────────────────────

async fn save_settings(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    file.referrals.bases = normalise(posted.text("bases"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    file.referrals.consent_field =
        Some(posted.text("consent_field").to_owned()).filter(|s| !s.is_empty());
    file.referrals.show_in_inbox = posted.has("show_in_inbox");
    // Dropping or switching the consent a personal profile depends on, or naming
    // partners in the inbox, widens: the save asks for the password then.
    Ok(
        save_edit_noting(&console, &ed, &posted, &file, editing::change("referrals"))
            .await?
            .respond(
                |outcome| saved(&ed, &outcome, "referrals"),
                |errors| {
                    section_page(
                        &ed,
                        Tab::Partners,
                        &Shown::refused("referrals", &posted, errors),
                    )
                },
            ),
    )
}

// ── One partner ──────────────────────────────────────────────────────────────

async fn new_partner_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    let blank = Partner {
        key: String::new(),
        name: String::new(),
        address: String::new(),
        recipient: String::new(),
        fields: vec![Pseudo::Reference.key().to_owned()],
        personal_data: false,
    };
    Ok(partner_form(&ed, None, &blank, 0, &[]))
}

async fn partner_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let partner = ed
        .programme
        .partner(&key)
        .ok_or(AppError::NotFound)?
        .clone();
    let in_flight = console
        .store
        .referrals_in_flight(&ed.record.id, &key)
        .await?;
    Ok(partner_form(&ed, Some(&key), &partner, in_flight, &[]))
}

/// What a profile may name, in the order the form shows it: the facts about the
/// enquiry, then the form's questions; each with its label and whether it is personal.
fn shareable(ed: &Editing) -> Vec<(String, String, bool)> {
    let lang = ed.lang;
    let p = &ed.programme;
    Pseudo::ALL
        .into_iter()
        .map(|ps| {
            (
                ps.key().to_owned(),
                t(
                    lang,
                    &format!("pe-partner-pseudo-{}", ps.key().replace('_', "-")),
                ),
                ps.is_personal(),
            )
        })
        .chain(p.file().fields.iter().map(|f| {
            (
                f.key.clone(),
                p.text(&f.label, lang).to_owned(),
                is_personal_kind(f.kind),
            )
        }))
        .collect()
}

/// Keys and addresses read left to right in every language, so they are typed and
/// checked that way in right-to-left pages too.
fn ltr_input(name: &str, label: &str, hint: &str, value: &str) -> Markup {
    let hint_id = format!("{name}-hint");
    html! {
        div class="field" {
            label for=(name) { (label) }
            p class="hint" id=(hint_id) { (hint) }
            input type="text" id=(name) name=(name) value=(value) dir="ltr" spellcheck="false"
                autocomplete="off" aria-describedby=(hint_id);
        }
    }
}

/// `in_flight`: referrals to this partner that have not left yet. They go only to the
/// address and key they were asked for, so changing either (or removing the partner)
/// stops them; the admin is told before saving.
fn partner_form(
    ed: &Editing,
    key: Option<&str>,
    partner: &Partner,
    in_flight: i64,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let title = match key {
        Some(k) => t_args(lang, "pe-partner-title", &[("key", k.to_owned())]),
        None => t(lang, "pe-add-partner"),
    };
    let action = match key {
        Some(k) => format!("{}/partners/{k}", ed.base()),
        None => format!("{}/new-partner", ed.base()),
    };
    super::tabs::page(
        ed,
        Tab::Partners,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            @if in_flight > 0 {
                div class="notice" role="status" id="partner-in-flight" {
                    p { (t_args(lang, "pe-partner-in-flight", &[("count", in_flight.to_string())])) }
                }
            }
            form method="post" action=(action) novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                @if key.is_none() {
                    (ltr_input("key", &t(lang, "pe-key"), &t(lang, "pe-key-hint"), &partner.key))
                }
                (input("name", "name", &t(lang, "pe-partner-name"), None, &partner.name))
                (ltr_input("address", &t(lang, "pe-partner-address"), &t(lang, "pe-partner-address-hint"), &partner.address))
                (ltr_input("recipient", &t(lang, "pe-partner-recipient"), &t(lang, "pe-partner-recipient-hint"), &partner.recipient))
                fieldset class="field" {
                    legend { (t(lang, "pe-partner-profile")) }
                    p class="hint" { (t(lang, "pe-partner-profile-hint")) }
                    @for (name, label, personal) in shareable(ed) {
                        @let id = format!("share-{name}");
                        div class="choice" {
                            input type="checkbox" id=(id) name="fields" value=(name)
                                checked[partner.fields.contains(&name)];
                            label for=(id) {
                                span dir="auto" { (label) } " " code dir="ltr" { "(" (name) ")" }
                                " – "
                                @if personal { strong { (t(lang, "pe-partner-is-personal")) } } @else { (t(lang, "pe-partner-not-personal")) }
                            }
                        }
                    }
                }
                div class="choice field" {
                    input type="checkbox" id="personal_data" name="personal_data" value="yes" checked[partner.personal_data];
                    label for="personal_data" { (t(lang, "pe-partner-confirm-personal")) }
                }
                p class="hint" id="pw-partner-hint" { (t(lang, "pe-partner-password-hint")) }
                (widgets::password(lang, "partner"))
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

async fn save_new_partner(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    store_partner(console, req, slug.into_inner(), None, form).await
}

async fn save_partner(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    store_partner(console, req, slug, Some(key), form).await
}

/// The profile as ticked: entries the partner had keep their order (so an untouched
/// form saves nothing), newly ticked ones follow in the order the form shows them.
fn ticked(
    before: Option<&Partner>,
    posted: &Posted,
    shown: &[(String, String, bool)],
) -> Vec<String> {
    let is_ticked = |name: &str| posted.all("fields").any(|v| v == name);
    let mut profile: Vec<String> = before
        .map(|b| b.fields.iter().filter(|f| is_ticked(f)).cloned().collect())
        .unwrap_or_default();
    for (name, _, _) in shown {
        if is_ticked(name) && !profile.contains(name) {
            profile.push(name.clone());
        }
    }
    // Anything else posted is kept so that the definition checks name it.
    for name in posted.all("fields") {
        if !profile.iter().any(|p| p == name) {
            profile.push(name.to_owned());
        }
    }
    profile
}

async fn store_partner(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: String,
    key: Option<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    let before = match &key {
        Some(k) => Some(
            file.partners
                .iter()
                .find(|p| p.key == *k)
                .ok_or(AppError::NotFound)?
                .clone(),
        ),
        None => None,
    };
    let fields = ticked(before.as_ref(), &posted, &shareable(&ed));
    let personal = personal_entries(&file, &fields)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let confirmed = posted.has("personal_data");
    let (partner, secret_pasted) = typed(key.as_deref(), &posted, fields, confirmed, &personal);
    let in_flight = match &key {
        Some(k) => console.store.referrals_in_flight(&ed.record.id, k).await?,
        None => 0,
    };
    let again =
        |errors: Vec<String>| partner_form(&ed, key.as_deref(), &partner, in_flight, &errors);
    let errors = problems(
        ed.lang,
        &file,
        &partner,
        secret_pasted,
        &personal,
        confirmed,
    );
    if !errors.is_empty() {
        return Ok(again(errors));
    }
    match &key {
        Some(k) => {
            if let Some(slot) = file.partners.iter_mut().find(|p| p.key == *k) {
                *slot = partner.clone();
            }
        }
        None => file.partners.push(partner.clone()),
    }
    let mut detail = editing::change("partners");
    detail.insert("partner".into(), partner.key.clone().into());
    Ok(save_edit_noting(&console, &ed, &posted, &file, detail)
        .await?
        .respond(|outcome| saved(&ed, &outcome, "partners"), again))
}

/// The partner as the form describes it, and whether a secret key was pasted where
/// the public one goes (then the form forgets it: it must not be shown back, nor kept
/// anywhere).
fn typed(
    key: Option<&str>,
    posted: &Posted,
    fields: Vec<String>,
    confirmed: bool,
    personal: &[String],
) -> (Partner, bool) {
    let typed_recipient = posted.text("recipient").trim();
    let secret_pasted = typed_recipient
        .get(..15)
        .is_some_and(|start| start.eq_ignore_ascii_case("AGE-SECRET-KEY-"));
    let partner = Partner {
        key: key.map_or_else(|| posted.text("key").trim().to_owned(), str::to_owned),
        name: posted.text("name").trim().to_owned(),
        address: posted.text("address").trim().to_owned(),
        recipient: if secret_pasted {
            String::new()
        } else {
            typed_recipient.to_owned()
        },
        fields,
        // A confirmation without personal fields confirms nothing; the file would
        // refuse it, so it is not written.
        personal_data: confirmed && !personal.is_empty(),
    };
    (partner, secret_pasted)
}

/// What is wrong with `partner` for the programme `file`, in `lang`.
fn problems(
    lang: Language,
    file: &ProgrammeFile,
    partner: &Partner,
    secret_pasted: bool,
    personal: &[String],
    confirmed: bool,
) -> Vec<String> {
    let mut errors = Vec::new();
    if file.referrals.bases.is_empty() {
        errors.push(t(lang, "pe-partner-error-no-bases"));
    }
    if EmailAddress::parse(&partner.address).is_err() {
        errors.push(t(lang, "pe-partner-error-address"));
    }
    if secret_pasted {
        errors.push(t(lang, "pe-partner-error-secret-key"));
    } else if partner.recipient.parse::<age::x25519::Recipient>().is_err() {
        errors.push(t(lang, "pe-partner-error-recipient"));
    }
    if partner.fields.is_empty() {
        errors.push(t(lang, "pe-partner-error-empty"));
    }
    if !personal.is_empty() && !confirmed {
        errors.push(t_args(
            lang,
            "pe-partner-error-confirm",
            &[("fields", personal.join(", "))],
        ));
    }
    errors
}

/// Removing a partner only stops sharing with it: no password, but audited.
async fn remove(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    let before = file.partners.len();
    file.partners.retain(|p| p.key != key);
    if file.partners.len() == before {
        return Err(AppError::NotFound);
    }
    let mut detail = editing::change("partners");
    detail.insert("partner".into(), key.into());
    detail.insert("removed".into(), true.into());
    Ok(save_edit_noting(&console, &ed, &posted, &file, detail)
        .await?
        .respond(
            |outcome| saved(&ed, &outcome, "partners"),
            |errors| {
                section_page(
                    &ed,
                    Tab::Partners,
                    &Shown {
                        errors,
                        ..Default::default()
                    },
                )
            },
        ))
}
