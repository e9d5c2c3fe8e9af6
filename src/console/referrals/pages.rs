//! The referral pages: the form (with what would leave and what is withheld), a
//! referral's page, the enquiry page's referrals section, the partners of a programme
//! and its disclosure register. Markup only: the handlers in `super` decide what to
//! show, `crate::referrals` what may happen.

use std::collections::{BTreeMap, HashMap};

use maud::{Markup, html};

use super::ReferForm;
use crate::auth::Staff;
use crate::casework::{Action, ProgrammeRole, Subject, permit};
use crate::console::member;
use crate::console::pages::{csrf_field, datetime, error_summary, flash_box, t_code};
use crate::domain::Language;
use crate::enquiry::EnquiryContent;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::programme::sharing::{Pseudo, is_personal_kind};
use crate::programme::{Partner, Programme};
use crate::referrals::{self, Delivery, Preview, ReferralState, workflow};
use crate::store::{EnquiryRecord, OutboxState, ReferralRecord};

pub(super) fn title(p: &Programme) -> &str {
    p.text(&p.file().title, Language::En)
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

pub(super) fn field_list(lang: Language, p: &Programme, names: &[String]) -> Markup {
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

pub(super) fn preview_tables(lang: Language, preview: &Preview) -> Markup {
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

pub(super) struct ReferPage<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub record: &'a EnquiryRecord,
    pub content: &'a EnquiryContent,
    /// The form the enquiry was sent with: what decides what is personal.
    pub sent_with: Option<&'a Programme>,
    pub partner: Option<&'a Partner>,
    pub typed: &'a ReferForm,
    pub errors: &'a [(&'a str, String)],
}

pub(super) fn refer_page(r: &ReferPage<'_>) -> Markup {
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
                            input type="radio" id="delivery-email" name="delivery" value="email" checked[r.typed.delivery != Delivery::Download.as_str()];
                            label for="delivery-email" { (t_args(lang, "console-referral-by-email", &[("address", partner.address.to_string())])) }
                        }
                        div class="choice" {
                            input type="radio" id="delivery-download" name="delivery" value="download" checked[r.typed.delivery == Delivery::Download.as_str()];
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

/// What staff read about a referral Haven stopped, and that they must ask again.
pub(super) fn stopped_text(lang: Language, reason: &str) -> String {
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

/// What a referral's page shows.
pub(super) struct ReferralView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub role: ProgrammeRole,
    pub r: &'a ReferralRecord,
    pub deliveries: &'a HashMap<String, OutboxState>,
    /// The values that would leave, for an approver.
    pub preview: Option<&'a Preview>,
    pub names: &'a BTreeMap<String, String>,
    pub done: Option<&'a str>,
}

pub(super) fn referral_page(v: &ReferralView<'_>) -> Markup {
    let (staff, r, p) = (v.staff, v.r, &v.live.programme);
    let lang = staff.lang;
    let who = |id: &str| {
        v.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let may = |a: Action| permit(member(staff, v.role), a, workflow::subject(r)).is_ok();
    let base = format!("/console/r/{}", r.id);
    html! {
        (flash_box(lang, v.done))
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
                @if r.delivery == Delivery::Email { (t(lang, "console-referral-delivery-email")) } @else { (t(lang, "console-referral-delivery-download")) }
            }
            dt { (t(lang, "console-referral-personal")) } dd {
                @if r.personal { (t(lang, "console-referral-personal-yes")) } @else { (t(lang, "console-referral-no")) }
            }
            @if let Some(address) = &r.partner_address {
                dt { (t(lang, "console-referral-destination")) } dd dir="ltr" { (address) }
            }
            dt { (t(lang, "console-referral-state")) } dd id="referral-state" { (state_text(lang, r, v.deliveries)) }
            dt { (t(lang, "console-referral-asked-by")) } dd {
                (t_args(lang, "console-referral-by-at-hour", &[("who", who(&r.requested_by)), ("when", datetime(r.requested_hour))]))
            }
            @if let (Some(by), Some(at)) = (&r.decided_by, r.decided_hour) {
                dt { @if r.state == ReferralState::Cancelled && r.stopped_reason.is_none() { (t(lang, "console-referral-cancelled-by")) } @else { (t(lang, "console-referral-approved-by")) } }
                dd { (t_args(lang, "console-referral-by-at", &[("who", who(by)), ("when", datetime(at))])) }
            }
        }
        h2 { (t(lang, "console-referral-fields")) }
        (field_list(lang, p, &r.fields))
        @if let Some(preview) = v.preview {
            (preview_tables(lang, preview))
        }
        @if may(Action::ApproveReferral) {
            form method="post" action={ (base) "/approve" } class="inline" {
                (csrf_field(&staff.csrf))
                button type="submit" { (t_args(lang, "console-referral-approve", &[("partner", r.partner_name.clone())])) }
            }
            " "
        } @else if r.state == ReferralState::Pending && r.requested_by == staff.id {
            p { (t(lang, "console-referral-awaiting")) }
        }
        @if may(Action::DownloadReferral) {
            form method="post" action={ (base) "/download" } class="inline" {
                (csrf_field(&staff.csrf))
                button type="submit" { (t(lang, "console-referral-download")) }
            }
            " "
        }
        @if may(Action::CancelReferral) {
            form method="post" action={ (base) "/cancel" } class="inline" {
                (csrf_field(&staff.csrf))
                button type="submit" class="secondary" { (t(lang, "console-referral-cancel")) }
            }
        }
    }
}

pub(super) fn partners_page(staff: &Staff, live: &LiveProgramme, role: ProgrammeRole) -> Markup {
    let p = &live.programme;
    let settings = &p.file().referrals;
    let lang = staff.lang;
    html! {
        p { a href={ "/console/p/" (p.slug()) } { (title(p)) } }
        h1 { (t(lang, "console-partners-link")) }
        p { (t_code(lang, "console-partners-intro", &[("section", "[[partners]]".into()), ("command", "haven programme apply".into())])) }
        @if permit(member(staff, role), Action::SeeRegister, Subject::Programme).is_ok() {
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
    }
}

/// Where a referral is: its register state, and for an emailed one its message's.
/// The stored states stay the English words.
pub(super) fn state_text(
    lang: Language,
    r: &ReferralRecord,
    deliveries: &HashMap<String, OutboxState>,
) -> String {
    let state = t(
        lang,
        match r.state {
            ReferralState::Pending => "console-referral-state-pending",
            ReferralState::Queued => "console-referral-state-queued",
            ReferralState::Ready => "console-referral-state-ready",
            ReferralState::Downloaded => "console-referral-state-downloaded",
            ReferralState::Cancelled if r.stopped_reason.is_some() => {
                "console-referral-state-stopped"
            }
            ReferralState::Cancelled => "console-referral-state-cancelled",
        },
    );
    match r.outbox_id.as_ref().and_then(|id| deliveries.get(id)) {
        Some(delivery) => t_args(
            lang,
            "console-referral-state-email",
            &[
                ("state", state),
                (
                    "delivery",
                    crate::console::replies::outbox_state(lang, delivery),
                ),
            ],
        ),
        None => state,
    }
}

/// A register table: field names and who did what, never values.
pub fn register_table(
    lang: Language,
    rows: &[ReferralRecord],
    deliveries: &HashMap<String, OutboxState>,
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
pub(super) fn section_markup(
    staff: &Staff,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    rows: &[ReferralRecord],
    deliveries: &HashMap<String, OutboxState>,
    names: &BTreeMap<String, String>,
    may_refer: bool,
) -> Markup {
    let p = &live.programme;
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
    html! {
        h2 id="referrals" { (t(lang, "console-referrals-title")) }
        @if rows.is_empty() {
            p { (t(lang, "console-referrals-none")) }
        } @else {
            (register_table(lang, rows, deliveries, &who, false))
        }
        @if may_refer && !p.file().partners.is_empty() {
            p { a href={ "/console/e/" (record.id) "/refer" } { (t(lang, "console-referral-refer-title")) } }
        }
    }
}

pub(super) fn register_page(
    staff: &Staff,
    live: &LiveProgramme,
    rows: &[ReferralRecord],
    deliveries: &HashMap<String, OutboxState>,
    names: &BTreeMap<String, String>,
) -> Markup {
    let p = &live.programme;
    let lang = staff.lang;
    let who = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    html! {
        p { a href={ "/console/p/" (p.slug()) "/partners" } { (t_args(lang, "console-register-partners-of", &[("programme", title(p).to_owned())])) } }
        h1 { (t(lang, "console-register-title")) }
        p { (t_code(lang, "console-register-intro", &[("command", format!("haven disclosures export --programme {}", p.slug()))])) }
        @if rows.is_empty() { p { (t(lang, "console-register-empty")) } }
        @else { (register_table(lang, rows, deliveries, &who, true)) }
    }
}
