//! Referring an enquiry to a partner organisation, approving referrals, the
//! one-time download, the partners of a programme and its disclosure register.
//!
//! The agent sees exactly what would leave (and what is withheld) before asking. A
//! profile with personal data waits for a supervisor other than the requester, and is
//! refused outright for an enquiry whose sender did not consent. The package is built
//! at the moment it leaves, from the field names the register recorded, so what was
//! approved is what goes.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, error_summary, flash_box, render, t_code};
use super::queues::Done;
use super::{Console, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::casework::{Action, Case, ProgrammeRole, Status, permit};
use crate::crypto::random_id;
use crate::domain::{Language, ProgrammeSlug};
use crate::enquiry::EnquiryContent;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::programme::sharing::{Pseudo, is_personal_kind};
use crate::programme::{Partner, Programme};
use crate::referrals::{self, Delivery, PackageMeta, Preview, ReferralError};
use crate::store::{EnquiryRecord, NewReferral, ReferralRecord};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/e/{id}/refer")
            .route(web::get().to(refer_form))
            .route(web::post().to(refer)),
    )
    .route("/r/{id}", web::get().to(show))
    .route("/r/{id}/approve", web::post().to(approve))
    .route("/r/{id}/cancel", web::post().to(cancel))
    .route("/r/{id}/download", web::post().to(download))
    .route("/p/{slug}/partners", web::get().to(partners))
    .route("/p/{slug}/disclosures", web::get().to(register));
}

fn case(record: &EnquiryRecord) -> Result<Case<'_>, AppError> {
    Ok(Case {
        status: Status::parse(&record.status)
            .ok_or(AppError::Internal("unknown enquiry status".into()))?,
        assigned_to: record.assigned_to.as_deref(),
    })
}

fn is_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn title(p: &Programme) -> &str {
    p.text(&p.file().title, Language::En)
}

/// Opens an enquiry for a referral page, within the per-person decrypt limit.
async fn open(
    console: &Console,
    staff: &Staff,
    record: &EnquiryRecord,
    action: AuditAction,
) -> Result<EnquiryContent, AppError> {
    if !console.limiters.allow_decrypt(&staff.id) {
        console
            .store
            .record_audit(
                &Entry::new(&staff.actor(), action, &format!("enquiry:{}", record.id))
                    .outcome(Outcome::Alert)
                    .detail(serde_json::json!({ "refused": "hourly decrypt limit" })),
            )
            .await?;
        return Err(AppError::TooManyRequests);
    }
    let opener = console.opener(&record.sealed.key_id).await?;
    Ok(EnquiryContent::open(&opener, &record.sealed)?)
}

/// What Haven itself knows about an enquiry (not a question of the form), named in
/// the page's language.
fn pseudo_label(lang: Language, p: Pseudo) -> String {
    t(
        lang,
        match p {
            Pseudo::Reference => "console-referral-pseudo-reference",
            Pseudo::Language => "console-referral-pseudo-language",
            Pseudo::Received => "console-referral-pseudo-received",
            Pseudo::ContactEmail => "console-referral-pseudo-email",
        },
    )
}

/// A field's label: the programme's question, or Haven's name for what it knows.
fn label(lang: Language, item: &referrals::Item) -> String {
    Pseudo::parse(&item.key).map_or_else(|| item.label.clone(), |ps| pseudo_label(lang, ps))
}

fn field_list(lang: Language, p: &Programme, names: &[String]) -> Markup {
    html! {
        ul class="field-names" {
            @for name in names {
                li {
                    code { (name) }
                    @if let Some(f) = p.field(name) {
                        " " (p.text(&f.label, Language::En))
                        @if is_personal_kind(f.kind) { " " (t(lang, "console-referral-personal-mark")) }
                    } @else if let Some(ps) = Pseudo::parse(name) {
                        " " (pseudo_label(lang, ps))
                        @if ps.is_personal() { " " (t(lang, "console-referral-personal-mark")) }
                    }
                }
            }
        }
    }
}

fn preview_tables(lang: Language, preview: &Preview) -> Markup {
    let value = |i: &referrals::Item| match (&i.value, i.flag) {
        (None, _) => t(lang, "console-referral-not-answered"),
        (Some(_), Some(true)) => t(lang, "console-referral-yes"),
        (Some(_), Some(false)) => t(lang, "console-referral-no"),
        (Some(v), None) => v.clone(),
    };
    html! {
        h2 { (t(lang, "console-referral-leaving")) }
        table id="leaving" {
            thead { tr { th scope="col" { (t(lang, "console-referral-field")) } th scope="col" { (t(lang, "console-referral-value")) } } }
            tbody {
                @for i in &preview.leaving {
                    tr data-field=(i.key) {
                        th scope="row" { (label(lang, i)) }
                        td class="preserve" dir="auto" { (value(i)) }
                    }
                }
            }
        }
        h2 { (t(lang, "console-referral-withheld-title")) }
        ul id="withheld" {
            @for i in &preview.withheld {
                li data-field=(i.key) { (label(lang, i)) ": " em { (t(lang, "console-referral-withheld")) } }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ReferQuery {
    #[serde(default)]
    partner: String,
}

#[derive(Deserialize, Default)]
pub struct ReferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    delivery: String,
}

struct ReferPage<'a> {
    staff: &'a Staff,
    live: &'a LiveProgramme,
    record: &'a EnquiryRecord,
    content: &'a EnquiryContent,
    /// The form the enquiry was sent with: what decides what is personal.
    sent_with: Option<&'a Programme>,
    partner: Option<&'a Partner>,
    typed: &'a ReferForm,
    errors: &'a [(&'a str, String)],
}

fn refer_page(r: &ReferPage<'_>) -> Markup {
    let lang = r.staff.lang;
    let p = &r.live.programme;
    let base = format!("/console/e/{}", r.record.id);
    html! {
        (error_summary(lang, r.errors))
        p { a href=(base) { (t(lang, "console-referral-back-to")) " " span class="code" { (r.content.reference) } } }
        h1 { (t(lang, "console-referral-refer-title")) }
        form method="get" action={ (base) "/refer" } {
            div class="field" {
                label for="partner-choice" { (t(lang, "console-referral-partner")) }
                select id="partner-choice" name="partner" {
                    @for partner in &p.file().partners {
                        option value=(partner.key) selected[r.partner.is_some_and(|x| x.key == partner.key)] { (partner.name) }
                    }
                }
                " "
                button type="submit" class="secondary" { (t(lang, "console-referral-show")) }
            }
        }
        @if let Some(partner) = r.partner {
            @let personal = referrals::discloses_personal(p, r.sent_with, partner, r.content);
            @let preview = referrals::preview(p, partner, r.content, r.record.created_hour);
            p {
                (t_args(lang, "console-referral-only-leaving", &[("partner", partner.name.clone())]))
                @if personal { " " (t(lang, "console-referral-needs-approval")) }
            }
            (preview_tables(lang, &preview))
            @if personal && !referrals::consented(p, r.content) {
                div class="error-summary" role="alert" id="no-consent" {
                    p { (t(lang, "console-referral-no-consent")) }
                }
            } @else {
                form method="post" action={ (base) "/refer" } novalidate {
                    (csrf_field(&r.staff.csrf))
                    input type="hidden" name="partner" value=(partner.key);
                    div class="field" {
                        label for="basis" { (t(lang, "console-referral-basis-label")) }
                        select id="basis" name="basis" {
                            option value="" { (t(lang, "console-referral-choose")) }
                            @for b in &p.file().referrals.bases {
                                option value=(b) selected[r.typed.basis == *b] { (b) }
                            }
                        }
                    }
                    fieldset id="delivery" {
                        legend { (t(lang, "console-referral-how")) }
                        div class="choice" {
                            input type="radio" id="delivery-email" name="delivery" value="email" checked[r.typed.delivery != "download"];
                            label for="delivery-email" { (t_args(lang, "console-referral-by-email", &[("address", partner.address.to_string())])) }
                        }
                        div class="choice" {
                            input type="radio" id="delivery-download" name="delivery" value="download" checked[r.typed.delivery == "download"];
                            label for="delivery-download" { (t(lang, "console-referral-by-download")) }
                        }
                    }
                    button type="submit" {
                        @if personal { (t(lang, "console-referral-ask-approval")) } @else { (t(lang, "console-referral-refer")) }
                    }
                }
            }
        }
    }
}

async fn refer_form(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(role, &staff.id, case(&record)?, Action::Reply).map_err(|_| AppError::Forbidden)?;
    let p = &live.programme;
    if p.file().partners.is_empty() {
        return Err(AppError::NotFound);
    }
    let query = web::Query::<ReferQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let partner = p.partner(&query.partner);
    let content = open(&console, &staff, &record, AuditAction::ReferralPreview).await?;
    let sent_with = referrals::form_sent_with(&console.store, &live, &record).await?;
    // Seeing the values that would leave (or only the reference code) is a read.
    console
        .store
        .record_audit(
            &Entry::new(
                &staff.actor(),
                AuditAction::ReferralPreview,
                &format!("enquiry:{}", record.id),
            )
            .detail(serde_json::json!({ "partner": partner.map(|x| x.key.as_str()) })),
        )
        .await?;
    let typed = ReferForm::default();
    let title = t(staff.lang, "console-referral-refer-title");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang: staff.lang,
            },
            refer_page(&ReferPage {
                staff: &staff,
                live: &live,
                record: &record,
                content: &content,
                sent_with: sent_with.as_ref(),
                partner,
                typed: &typed,
                errors: &[],
            }),
        ),
    ))
}

/// The package of a referral, sealed to the partner alone, built now.
fn build(
    live: &LiveProgramme,
    partner: &Partner,
    record: &EnquiryRecord,
    content: &EnquiryContent,
    referral_id: &str,
    basis: &str,
) -> Result<Vec<u8>, AppError> {
    referrals::package(
        &live.programme,
        partner,
        content,
        record.created_hour,
        &PackageMeta {
            referral_id,
            basis,
            at: crate::store::now(),
        },
    )
    .map_err(refusal)
}

fn refusal(e: ReferralError) -> AppError {
    match e {
        ReferralError::Crypto(c) => AppError::Crypto(c),
        // A validated programme has parseable keys and addresses; anything else here
        // is a bug, and nothing leaves.
        other => AppError::Internal(other.to_string()),
    }
}

/// The one message carrying a package to the partner's one address, as an outbox row.
fn outbox_row(
    console: &Console,
    live: &LiveProgramme,
    partner: &Partner,
    record: &EnquiryRecord,
    referral_id: &str,
    package: Vec<u8>,
) -> Result<crate::store::NewOutboxRow, AppError> {
    let mail = super::replies::mail_settings(console);
    let message =
        referrals::email(&live.programme, partner, referral_id, package, &mail).map_err(refusal)?;
    Ok(crate::outbound::seal_row(
        &live.sealer,
        &record.id,
        None,
        &format!("referral:{referral_id}"),
        &message,
    )?)
}

async fn refer(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ReferForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(role, &staff.id, case(&record)?, Action::Reply).map_err(|_| AppError::Forbidden)?;
    let p = &live.programme;
    let Some(partner) = p.partner(&form.partner) else {
        return Err(AppError::BadRequest);
    };
    let content = open(&console, &staff, &record, AuditAction::ReferralRequest).await?;
    let mut errors: Vec<(&str, String)> = Vec::new();
    if !p.file().referrals.bases.contains(&form.basis) {
        errors.push(("basis", t(staff.lang, "console-referral-error-basis")));
    }
    let delivery = Delivery::parse(&form.delivery);
    if delivery.is_none() {
        errors.push(("delivery", t(staff.lang, "console-referral-error-delivery")));
    }
    // Personal by what was stored: the form it was sent with, and the answers.
    let sent_with = referrals::form_sent_with(&console.store, &live, &record).await?;
    let personal = referrals::discloses_personal(p, sent_with.as_ref(), partner, &content);
    let refused = matches!(
        referrals::check(p, sent_with.as_ref(), partner, &content),
        Err(ReferralError::NoConsent)
    );
    if refused {
        console
            .store
            .record_audit(
                &Entry::new(
                    &staff.actor(),
                    AuditAction::ReferralRequest,
                    &format!("enquiry:{}", record.id),
                )
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({ "partner": partner.key, "reason": "no consent" })),
            )
            .await?;
        errors.push((
            "partner-choice",
            t(staff.lang, "console-referral-error-no-consent"),
        ));
    }
    let (false, Some(delivery)) = (!errors.is_empty(), delivery) else {
        if !refused {
            // The form comes back with the preview's values: a read of the enquiry.
            console
                .store
                .record_audit(
                    &Entry::new(
                        &staff.actor(),
                        AuditAction::ReferralPreview,
                        &format!("enquiry:{}", record.id),
                    )
                    .detail(serde_json::json!({ "partner": partner.key })),
                )
                .await?;
        }
        let title = t(staff.lang, "console-referral-refer-title");
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &Shell {
                    title: &title,
                    staff: Some(&staff),
                    lang: staff.lang,
                },
                refer_page(&ReferPage {
                    staff: &staff,
                    live: &live,
                    record: &record,
                    content: &content,
                    sent_with: sent_with.as_ref(),
                    partner: Some(partner),
                    typed: &form,
                    errors: &errors,
                }),
            ),
        ));
    };
    let referral_id = random_id();
    let outbox = match (personal, delivery) {
        (false, Delivery::Email) => {
            let package = build(&live, partner, &record, &content, &referral_id, &form.basis)?;
            Some(outbox_row(
                &console,
                &live,
                partner,
                &record,
                &referral_id,
                package,
            )?)
        }
        _ => None,
    };
    let state = match (personal, delivery) {
        (true, _) => "pending",
        (false, Delivery::Email) => "queued",
        (false, Delivery::Download) => "ready",
    };
    let new = NewReferral {
        id: referral_id.clone(),
        programme_id: live.id.clone(),
        enquiry_id: record.id.clone(),
        partner_key: partner.key.clone(),
        partner_name: partner.name.clone(),
        partner_address: partner.address.clone(),
        partner_recipient: partner.recipient.clone(),
        fields: partner.fields.clone(),
        personal,
        basis: form.basis.clone(),
        delivery: delivery.as_str().to_owned(),
        state,
        requested_by: staff.id.clone(),
    };
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::ReferralRequest,
        &format!("enquiry:{}", record.id),
    )
    .detail(serde_json::json!({
        "referral": referral_id, "programme": p.slug().as_str(), "partner": partner.key,
        "fields": partner.fields, "personal_data": personal, "basis": form.basis,
        "delivery": delivery.as_str(), "state": state,
    }));
    console
        .store
        .create_referral(&new, outbox.as_ref(), &entry)
        .await?;
    Ok(see_other(&format!(
        "/console/r/{referral_id}?done=referral-{state}"
    )))
}

/// The referral, if it belongs to a programme the staff member has a role in.
async fn referral_for(
    console: &Console,
    staff: &Staff,
    id: &str,
) -> Result<(ReferralRecord, Arc<LiveProgramme>, ProgrammeRole), AppError> {
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let r = console
        .store
        .referral(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = staff.role_in(&r.programme_id).ok_or(AppError::NotFound)?;
    let slug = console
        .store
        .programme_slug(&r.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = ProgrammeSlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let live = console
        .programmes
        .get(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r, live, role))
}

/// The partner as it is now, carrying exactly the fields the register recorded;
/// `None` if the partner is gone or its profile no longer allows all of them (then
/// nothing leaves: the referral must be asked for again).
fn partner_as_recorded(live: &LiveProgramme, r: &ReferralRecord) -> Option<Partner> {
    let current = live.programme.partner(&r.partner_key)?;
    if !r.fields.iter().all(|f| current.fields.contains(f)) {
        return None;
    }
    let partner = Partner {
        fields: r.fields.clone(),
        ..current.clone()
    };
    // A field that became personal since (its kind changed) was never approved as such.
    if referrals::is_personal(&live.programme, &partner) && !r.personal {
        return None;
    }
    Some(partner)
}

/// Whether the package of `r` may be built now: the rules still allow it for this
/// enquiry, and what leaves is no more personal than the register recorded (a
/// referral recorded as not personal was never approved by a second person).
async fn may_build(
    console: &Console,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    r: &ReferralRecord,
    partner: &Partner,
    content: &EnquiryContent,
) -> Result<bool, AppError> {
    let sent_with = referrals::form_sent_with(&console.store, live, record).await?;
    let sent_with = sent_with.as_ref();
    Ok(
        referrals::check(&live.programme, sent_with, partner, content).is_ok()
            && (r.personal
                || !referrals::discloses_personal(&live.programme, sent_with, partner, content)),
    )
}

/// Stops the referral (audited) if its partner's address or key is no longer the one
/// it was asked for, or the partner is gone: nobody approved the new destination. The
/// answer is the page to go to then; `None`: it may go on.
async fn stop_if_moved(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    r: &ReferralRecord,
) -> Result<Option<HttpResponse>, AppError> {
    let Some(stop) = moved(live, r) else {
        return Ok(None);
    };
    let entry = referrals::stopped_entry(&staff.actor(), r, stop);
    let done = console
        .store
        .stop_referral(&r.id, stop.as_str(), &entry)
        .await?;
    Ok(Some(see_other(&format!(
        "/console/r/{}?done={}",
        r.id,
        if done { "referral-stopped" } else { "conflict" }
    ))))
}

/// Why a referral can no longer go where it was asked to go, if it cannot.
fn moved(live: &LiveProgramme, r: &ReferralRecord) -> Option<referrals::Stop> {
    referrals::same_destination(
        r.partner_address.as_deref(),
        r.partner_recipient.as_deref(),
        live.programme.partner(&r.partner_key),
    )
    .err()
}

/// Referrals shown to staff that have not left and whose partner moved are stopped
/// as they are shown (audited as the viewer's), so the page says what happened
/// rather than offering an approval or download that would be refused.
async fn stop_moved(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    rows: &mut [ReferralRecord],
    deliveries: &HashMap<String, String>,
) -> Result<bool, AppError> {
    let mut stopped = false;
    for r in rows.iter_mut() {
        let unsent = match r.state.as_str() {
            "pending" | "ready" => true,
            "queued" => r
                .outbox_id
                .as_ref()
                .and_then(|id| deliveries.get(id))
                .is_some_and(|d| d == "queued" || d == "sending"),
            _ => false,
        };
        let Some(stop) = unsent.then(|| moved(live, r)).flatten() else {
            continue;
        };
        let entry = referrals::stopped_entry(&staff.actor(), r, stop);
        if console
            .store
            .stop_referral(&r.id, stop.as_str(), &entry)
            .await?
            && let Some(now) = console.store.referral(&r.id).await?
        {
            *r = now;
            stopped = true;
        }
    }
    Ok(stopped)
}

/// What staff read about a referral Haven stopped, and that they must ask again.
fn stopped_text(lang: Language, reason: &str) -> String {
    t(
        lang,
        match referrals::Stop::parse(reason) {
            Some(referrals::Stop::PartnerRemoved) => "console-referral-stopped-removed",
            Some(referrals::Stop::AddressChanged) => "console-referral-stopped-address",
            Some(referrals::Stop::KeyChanged) => "console-referral-stopped-key",
            Some(referrals::Stop::Unrecorded) | None => "console-referral-stopped-unrecorded",
        },
    )
}

async fn names(console: &Console) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    Ok(console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (r, live, role) = referral_for(&console, &staff, &id).await?;
    let mut deliveries = console.store.referral_deliveries(&r.programme_id).await?;
    let mut rows = [r];
    if stop_moved(&console, &staff, &live, &mut rows, &deliveries).await? {
        deliveries = console
            .store
            .referral_deliveries(&rows[0].programme_id)
            .await?;
    }
    let [r] = rows;
    let p = &live.programme;
    let supervisor = role >= ProgrammeRole::Supervisor;
    let mine = r.requested_by == staff.id;
    let may_approve = r.state == "pending" && supervisor && !mine;
    // The approver approves what they see: the values, decrypted (and audited).
    let mut preview = None;
    if may_approve
        && let Some(record) = console.store.enquiry(&r.enquiry_id).await?
        && let Some(partner) = partner_as_recorded(&live, &r)
    {
        let content = open(&console, &staff, &record, AuditAction::ReferralPreview).await?;
        console
            .store
            .record_audit(
                &Entry::new(
                    &staff.actor(),
                    AuditAction::ReferralPreview,
                    &format!("enquiry:{}", record.id),
                )
                .detail(serde_json::json!({ "referral": r.id, "partner": r.partner_key })),
            )
            .await?;
        preview = Some(referrals::preview(
            p,
            &partner,
            &content,
            record.created_hour,
        ));
    }
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let names = names(&console).await?;
    let lang = staff.lang;
    let who = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let base = format!("/console/r/{}", r.id);
    let markup = html! {
        (flash_box(lang, done.as_deref()))
        p { a href={ "/console/e/" (r.enquiry_id) } { (t(lang, "console-referral-back-to-enquiry")) } }
        h1 { (t_args(lang, "console-referral-title", &[("partner", r.partner_name.clone())])) }
        @if let Some(reason) = &r.stopped_reason {
            div class="error-summary" role="alert" id="referral-stopped" {
                p { (stopped_text(lang, reason)) }
            }
        }
        dl class="summary" {
            dt { (t(lang, "console-referral-programme")) } dd { (title(p)) }
            dt { (t(lang, "console-referral-partner")) } dd { (r.partner_name) }
            dt { (t(lang, "console-referral-basis")) } dd { (r.basis) }
            dt { (t(lang, "console-referral-delivery")) } dd {
                @if r.delivery == "email" { (t(lang, "console-referral-delivery-email")) } @else { (t(lang, "console-referral-delivery-download")) }
            }
            dt { (t(lang, "console-referral-personal")) } dd {
                @if r.personal { (t(lang, "console-referral-personal-yes")) } @else { (t(lang, "console-referral-no")) }
            }
            @if let Some(address) = &r.partner_address {
                dt { (t(lang, "console-referral-destination")) } dd dir="ltr" { (address) }
            }
            dt { (t(lang, "console-referral-state")) } dd id="referral-state" { (state_text(lang, &r, &deliveries)) }
            dt { (t(lang, "console-referral-asked-by")) } dd {
                (t_args(lang, "console-referral-by-at-hour", &[("who", who(&r.requested_by)), ("when", datetime(r.requested_hour))]))
            }
            @if let (Some(by), Some(at)) = (&r.decided_by, r.decided_hour) {
                dt { @if r.state == "cancelled" && r.stopped_reason.is_none() { (t(lang, "console-referral-cancelled-by")) } @else { (t(lang, "console-referral-approved-by")) } }
                dd { (t_args(lang, "console-referral-by-at", &[("who", who(by)), ("when", datetime(at))])) }
            }
        }
        h2 { (t(lang, "console-referral-fields")) }
        (field_list(lang, p, &r.fields))
        @if let Some(preview) = &preview {
            (preview_tables(lang, preview))
        }
        @if r.state == "pending" {
            @if may_approve {
                form method="post" action={ (base) "/approve" } class="inline" {
                    (csrf_field(&staff.csrf))
                    button type="submit" { (t_args(lang, "console-referral-approve", &[("partner", r.partner_name.clone())])) }
                }
                " "
            } @else if mine {
                p { (t(lang, "console-referral-awaiting")) }
            }
        }
        @if r.state == "ready" && mine {
            form method="post" action={ (base) "/download" } class="inline" {
                (csrf_field(&staff.csrf))
                button type="submit" { (t(lang, "console-referral-download")) }
            }
            " "
        }
        @if matches!(r.state.as_str(), "pending" | "ready") && (mine || supervisor) {
            form method="post" action={ (base) "/cancel" } class="inline" {
                (csrf_field(&staff.csrf))
                button type="submit" class="secondary" { (t(lang, "console-referral-cancel")) }
            }
        }
    };
    let title = t(lang, "console-referral-page-title");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang: staff.lang,
            },
            markup,
        ),
    ))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, live, role) = referral_for(&console, &staff, &id).await?;
    let subject = format!("referral:{}", r.id);
    if role < ProgrammeRole::Supervisor || r.requested_by == staff.id {
        console
            .store
            .record_audit(
                &Entry::new(&staff.actor(), AuditAction::ReferralApprove, &subject)
                    .outcome(Outcome::Denied)
                    .detail(serde_json::json!({
                        "reason": if r.requested_by == staff.id { "requester" } else { "role" }
                    })),
            )
            .await?;
        return Err(AppError::Forbidden);
    }
    let conflict = see_other(&format!("/console/r/{}?done=conflict", r.id));
    if r.state != "pending" {
        return Ok(conflict);
    }
    if let Some(stopped) = stop_if_moved(&console, &staff, &live, &r).await? {
        return Ok(stopped);
    }
    let (Some(record), Some(partner)) = (
        console.store.enquiry(&r.enquiry_id).await?,
        partner_as_recorded(&live, &r),
    ) else {
        return Ok(conflict);
    };
    let content = open(&console, &staff, &record, AuditAction::ReferralApprove).await?;
    if !may_build(&console, &live, &record, &r, &partner, &content).await? {
        return Ok(conflict);
    }
    let outbox = if r.delivery == "email" {
        let package = build(&live, &partner, &record, &content, &r.id, &r.basis)?;
        Some(outbox_row(
            &console, &live, &partner, &record, &r.id, package,
        )?)
    } else {
        None
    };
    let entry = Entry::new(&staff.actor(), AuditAction::ReferralApprove, &subject).detail(
        serde_json::json!({
            "enquiry": r.enquiry_id, "partner": r.partner_key, "fields": r.fields,
            "requested_by": Actor::staff(&r.requested_by).to_string(), "delivery": r.delivery,
        }),
    );
    let done = console
        .store
        .approve_referral(&r.id, &staff.id, outbox.as_ref(), &entry)
        .await?;
    Ok(see_other(&format!(
        "/console/r/{}?done={}",
        r.id,
        if done {
            "referral-approved"
        } else {
            "conflict"
        }
    )))
}

async fn cancel(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, _, role) = referral_for(&console, &staff, &id).await?;
    if role < ProgrammeRole::Supervisor && r.requested_by != staff.id {
        return Err(AppError::Forbidden);
    }
    let done = console
        .store
        .cancel_referral(
            &r.id,
            &staff.id,
            &Entry::new(
                &staff.actor(),
                AuditAction::ReferralCancel,
                &format!("referral:{}", r.id),
            ),
        )
        .await?;
    Ok(see_other(&format!(
        "/console/r/{}?done={}",
        r.id,
        if done {
            "referral-cancelled"
        } else {
            "conflict"
        }
    )))
}

async fn download(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, live, _) = referral_for(&console, &staff, &id).await?;
    let conflict = see_other(&format!("/console/r/{}?done=conflict", r.id));
    if r.requested_by != staff.id {
        return Err(AppError::Forbidden);
    }
    if r.state != "ready" || r.delivery != "download" {
        return Ok(conflict);
    }
    if let Some(stopped) = stop_if_moved(&console, &staff, &live, &r).await? {
        return Ok(stopped);
    }
    let (Some(record), Some(partner)) = (
        console.store.enquiry(&r.enquiry_id).await?,
        partner_as_recorded(&live, &r),
    ) else {
        return Ok(conflict);
    };
    let content = open(&console, &staff, &record, AuditAction::ReferralDownload).await?;
    if !may_build(&console, &live, &record, &r, &partner, &content).await? {
        return Ok(conflict);
    }
    // Built before it is marked downloaded, so a failure here leaves it downloadable;
    // sent only after the mark committed, so it leaves at most once.
    let package = build(&live, &partner, &record, &content, &r.id, &r.basis)?;
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::ReferralDownload,
        &format!("referral:{}", r.id),
    )
    .detail(serde_json::json!({
        "enquiry": r.enquiry_id, "partner": r.partner_key, "fields": r.fields,
    }));
    if !console
        .store
        .consume_download(&r.id, &staff.id, &entry)
        .await?
    {
        return Ok(conflict);
    }
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", referrals::file_name(&r.id)),
        ))
        .body(package))
}

async fn partners(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let p = &live.programme;
    let settings = &p.file().referrals;
    let lang = staff.lang;
    let markup = html! {
        p { a href={ "/console/p/" (p.slug()) } { (title(p)) } }
        h1 { (t(lang, "console-partners-link")) }
        p { (t_code(lang, "console-partners-intro", &[("section", "[[partners]]".into()), ("command", "haven programme apply".into())])) }
        @if role >= ProgrammeRole::Supervisor {
            p { a href={ "/console/p/" (p.slug()) "/disclosures" } { (t(lang, "console-register-title")) } }
        }
        @if p.file().partners.is_empty() {
            p { (t(lang, "console-partners-none")) }
        }
        @for partner in &p.file().partners {
            h2 { (partner.name) }
            dl class="summary" {
                dt { (t(lang, "console-partners-key")) } dd { code { (partner.key) } }
                dt { (t(lang, "console-partners-address")) } dd { (partner.address) }
                dt { (t(lang, "console-partners-recipient")) } dd { code class="wrap" { (partner.recipient) } }
                dt { (t(lang, "console-referral-personal")) } dd {
                    @if !referrals::is_personal(p, partner) { (t(lang, "console-referral-no")) }
                    @else if settings.consent_field.is_some() { (t(lang, "console-partners-personal-consent")) }
                    @else { (t(lang, "console-partners-personal")) }
                }
            }
            h3 { (t(lang, "console-partners-may-leave")) }
            (field_list(lang, p, &partner.fields))
        }
        h2 { (t(lang, "console-partners-bases")) }
        ul { @for b in &settings.bases { li { (b) } } }
        @if let Some(field) = &settings.consent_field {
            p { (t_code(lang, "console-partners-consent", &[("field", field.clone())])) }
        }
    };
    let title = t(lang, "console-partners-link");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang: staff.lang,
            },
            markup,
        ),
    ))
}

/// Where a referral is: its register state, and for an emailed one its message's.
/// The stored states stay the English words; an unknown one is shown as stored.
fn state_text(lang: Language, r: &ReferralRecord, deliveries: &HashMap<String, String>) -> String {
    let state = match r.state.as_str() {
        "pending" => t(lang, "console-referral-state-pending"),
        "queued" => t(lang, "console-referral-state-queued"),
        "ready" => t(lang, "console-referral-state-ready"),
        "downloaded" => t(lang, "console-referral-state-downloaded"),
        "cancelled" if r.stopped_reason.is_some() => t(lang, "console-referral-state-stopped"),
        "cancelled" => t(lang, "console-referral-state-cancelled"),
        other => other.to_owned(),
    };
    match r.outbox_id.as_ref().and_then(|id| deliveries.get(id)) {
        Some(delivery) => t_args(
            lang,
            "console-referral-state-email",
            &[
                ("state", state),
                ("delivery", super::replies::outbox_state(lang, delivery)),
            ],
        ),
        None => state,
    }
}

/// A register table: field names and who did what, never values.
pub fn register_table(
    lang: Language,
    rows: &[ReferralRecord],
    deliveries: &HashMap<String, String>,
    who: &dyn Fn(&str) -> String,
    with_enquiry: bool,
) -> Markup {
    html! {
        table class="register" {
            thead { tr {
                th scope="col" { (t(lang, "console-register-asked")) }
                @if with_enquiry { th scope="col" { (t(lang, "console-register-enquiry")) } }
                th scope="col" { (t(lang, "console-referral-partner")) } th scope="col" { (t(lang, "console-register-fields")) }
                th scope="col" { (t(lang, "console-referral-basis")) }
                th scope="col" { (t(lang, "console-register-by")) } th scope="col" { (t(lang, "console-referral-approved-by")) }
                th scope="col" { (t(lang, "console-referral-state")) }
                th scope="col" { (t(lang, "console-register-left")) } th scope="col" { "" }
            } }
            tbody {
                @for r in rows {
                    tr {
                        td { (datetime(r.requested_hour)) }
                        @if with_enquiry { td { a href={ "/console/e/" (r.enquiry_id) } { (t(lang, "console-register-open")) } } }
                        td { (r.partner_name) }
                        td { @for (i, f) in r.fields.iter().enumerate() { @if i > 0 { ", " } code { (f) } } }
                        td { (r.basis) }
                        td { (who(&r.requested_by)) }
                        td { @if let (Some(by), true) = (&r.decided_by, r.state != "cancelled" || r.stopped_reason.is_some()) { (who(by)) } }
                        td { (state_text(lang, r, deliveries)) }
                        td { @if let Some(at) = r.disclosed_hour { (datetime(at)) } }
                        td { a href={ "/console/r/" (r.id) } { (t(lang, "console-register-details")) } }
                    }
                }
            }
        }
    }
}

/// The referrals section of an enquiry page (`rows`: the enquiry's referrals).
pub async fn section(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    rows: &[ReferralRecord],
    may_refer: bool,
) -> Result<Markup, AppError> {
    let p = &live.programme;
    if p.file().partners.is_empty() && rows.is_empty() {
        return Ok(html! {});
    }
    let names = names(console).await?;
    let mut deliveries = if rows.iter().any(|r| r.outbox_id.is_some()) {
        console.store.referral_deliveries(&live.id).await?
    } else {
        HashMap::new()
    };
    let mut rows = rows.to_vec();
    if stop_moved(console, staff, live, &mut rows, &deliveries).await? && !deliveries.is_empty() {
        deliveries = console.store.referral_deliveries(&live.id).await?;
    }
    let rows = &rows[..];
    let lang = staff.lang;
    let who = |id: &str| {
        if id == staff.id {
            t(lang, "console-you")
        } else {
            names
                .get(id)
                .cloned()
                .unwrap_or_else(|| t(lang, "console-former-member"))
        }
    };
    Ok(html! {
        h2 id="referrals" { (t(lang, "console-referrals-title")) }
        @if rows.is_empty() {
            p { (t(lang, "console-referrals-none")) }
        } @else {
            (register_table(lang, rows, &deliveries, &who, false))
        }
        @if may_refer && !p.file().partners.is_empty() {
            p { a href={ "/console/e/" (record.id) "/refer" } { (t(lang, "console-referral-refer-title")) } }
        }
    })
}

async fn register(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    if role < ProgrammeRole::Supervisor {
        return Err(AppError::Forbidden);
    }
    let p = &live.programme;
    let rows = console.store.referrals_of_programme(&live.id).await?;
    let deliveries = console.store.referral_deliveries(&live.id).await?;
    let names = names(&console).await?;
    let lang = staff.lang;
    let who = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let markup = html! {
        p { a href={ "/console/p/" (p.slug()) "/partners" } { (t_args(lang, "console-register-partners-of", &[("programme", title(p).to_owned())])) } }
        h1 { (t(lang, "console-register-title")) }
        p { (t_code(lang, "console-register-intro", &[("command", format!("haven disclosures export --programme {}", p.slug()))])) }
        @if rows.is_empty() { p { (t(lang, "console-register-empty")) } }
        @else { (register_table(lang, &rows, &deliveries, &who, true)) }
    };
    let title = t(lang, "console-register-title");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang: staff.lang,
            },
            markup,
        ),
    ))
}
