//! The incident pages. Markup only.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::LookupQuery;
use crate::auth::Staff;
use crate::console::pages::{csrf_field, datetime, error_summary};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::incident::record::{self, Words};
use crate::incident::{Reached, Recipients};
use crate::programme::live::LiveProgramme;
use crate::store::{Affected, CampaignRecord, IncidentRecord};

pub(super) struct RecipientsView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub campaigns: &'a [CampaignRecord],
    pub query: &'a LookupQuery,
    /// The reason typed for a look-up by address (shown again after a refusal).
    pub reason: &'a str,
    pub errors: Vec<(&'static str, String)>,
    pub list: Option<&'a Recipients>,
    pub by_address: bool,
    /// The address looked up (to open an incident from the same look-up).
    pub address: Option<&'a str>,
}

pub(super) fn recipients_page(v: &RecipientsView<'_>) -> Markup {
    let lang = v.staff.lang;
    let p = &v.live.programme;
    let slug = p.slug().as_str();
    let action = format!("/console/p/{slug}/incident/recipients");
    let q = v.query;
    html! {
        (error_summary(lang, &v.errors))
        p { a href={ "/console/p/" (slug) } { (p.text(&p.file().title, Language::En)) } }
        h1 { (t(lang, "incident-recipients-title")) }
        p { (t(lang, "incident-recipients-intro")) }
        @if let Some(list) = v.list {
            (list_section(lang, list, v.by_address))
            (open_from_list(v.staff, slug, q, v.address.map(|a| (a, v.reason))))
        }
        p { a href={ "/console/p/" (slug) "/incidents" } { (t(lang, "incident-list-heading")) } }
        h2 { (t(lang, "incident-by-campaign")) }
        @if v.campaigns.is_empty() {
            p { (t(lang, "console-campaigns-none")) }
        } @else {
            form method="get" action=(action) {
                div class="field" {
                    label for="campaign" { (t(lang, "incident-campaign")) }
                    select id="campaign" name="campaign" {
                        @for c in v.campaigns {
                            option value=(c.id) selected[q.campaign == c.id] {
                                (datetime(c.created_at)) " · "
                                (p.template(&c.template_key).map_or(c.template_key.as_str(), |t| t.name.as_str()))
                                " · " (t_args(lang, "incident-enquiries-n", &[("n", c.enquiry_count.to_string())]))
                            }
                        }
                    }
                }
                button type="submit" { (t(lang, "incident-look-up")) }
            }
        }
        h2 { (t(lang, "incident-by-template")) }
        form method="get" action=(action) novalidate {
            div class="field" {
                label for="template" { (t(lang, "console-template")) }
                select id="template" name="template" {
                    @for tpl in &p.file().templates {
                        option value=(tpl.key) selected[q.template == tpl.key] { (tpl.name) }
                    }
                }
            }
            div class="field-row" {
                div class="field" {
                    label for="since" { (t(lang, "incident-since")) }
                    p class="hint" id="since-hint" { (t(lang, "incident-time-hint")) }
                    input type="datetime-local" id="since" name="since" value=(q.since) aria-describedby="since-hint";
                }
                div class="field" {
                    label for="until" { (t(lang, "incident-until")) }
                    input type="datetime-local" id="until" name="until" value=(q.until) aria-describedby="since-hint";
                }
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
        h2 { (t(lang, "incident-by-reply")) }
        form method="get" action=(action) novalidate {
            div class="field" {
                label for="reply" { (t(lang, "incident-reply-id")) }
                input type="text" id="reply" name="reply" value=(q.reply) autocomplete="off" spellcheck="false" dir="ltr";
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
        h2 { (t(lang, "incident-by-account")) }
        p { (t(lang, "incident-by-account-intro")) }
        form method="get" action=(action) novalidate {
            div class="field" {
                label for="account" { (t(lang, "incident-account")) }
                input type="email" id="account" name="account" value=(q.account) autocomplete="off" dir="ltr";
            }
            div class="field-row" {
                div class="field" {
                    label for="account-since" { (t(lang, "incident-since")) }
                    input type="datetime-local" id="account-since" name="since" value=(if q.account.is_empty() { "" } else { &q.since });
                }
                div class="field" {
                    label for="account-until" { (t(lang, "incident-until")) }
                    input type="datetime-local" id="account-until" name="until" value=(if q.account.is_empty() { "" } else { &q.until });
                }
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
        h2 { (t(lang, "incident-by-arrival")) }
        p { (t(lang, "incident-by-arrival-intro")) }
        form method="get" action=(action) novalidate {
            input type="hidden" name="submitted" value="1";
            div class="field-row" {
                div class="field" {
                    label for="arrival-since" { (t(lang, "incident-since")) }
                    input type="datetime-local" id="arrival-since" name="since" value=(if q.submitted.is_empty() { "" } else { &q.since });
                }
                div class="field" {
                    label for="arrival-until" { (t(lang, "incident-until")) }
                    input type="datetime-local" id="arrival-until" name="until" value=(if q.submitted.is_empty() { "" } else { &q.until });
                }
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
        h2 { (t(lang, "incident2-by-key")) }
        p { (t(lang, "incident2-by-key-intro")) }
        form method="get" action=(action) novalidate {
            div class="field" {
                label for="key" { (t(lang, "incident2-key")) }
                input type="text" id="key" name="key" value=(q.key) autocomplete="off" spellcheck="false" dir="ltr" aria-describedby="key-hint";
                p class="hint" id="key-hint" { (t(lang, "incident2-key-hint")) }
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
        h2 { (t(lang, "incident-by-address")) }
        p { (t(lang, "incident-by-address-intro")) }
        form method="post" action=(action) novalidate {
            (csrf_field(&v.staff.csrf))
            div class="field" {
                label for="address" { (t(lang, "incident-address")) }
                input type="email" id="address" name="address" autocomplete="off" dir="ltr";
            }
            div class="field" {
                label for="reason" { (t(lang, "incident-reason")) }
                p class="hint" id="reason-hint" { (t(lang, "incident-reason-hint")) }
                textarea id="reason" name="reason" rows="2" aria-describedby="reason-hint" { (v.reason) }
            }
            button type="submit" { (t(lang, "incident-look-up")) }
        }
    }
}

fn list_section(lang: Language, list: &Recipients, by_address: bool) -> Markup {
    let counts = list.counts();
    html! {
        section aria-labelledby="list-title" {
            h2 id="list-title" { (t(lang, "incident-list-title")) }
            @if by_address {
                p { (t(lang, "incident-by-address-audited")) }
            }
            dl class="counts" {
                dt { (t(lang, "incident-count-enquiries")) }
                dd id="count-enquiries" { (list.enquiries().len()) }
                dt { (t(lang, "incident-count-messages")) }
                dd id="count-messages" { (list.rows.len()) }
                @for (reached, n) in &counts {
                    dt { (t(lang, reached.label_id())) }
                    dd id={ "count-" (reached.as_str()) } { (n) }
                }
            }
            @if list.rows.is_empty() {
                p { (t(lang, "incident-list-empty")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (t(lang, "incident-col-enquiry")) }
                        th scope="col" { (t(lang, "language-switch")) }
                        th scope="col" { (t(lang, "incident-col-time")) }
                        th scope="col" { (t(lang, "incident-col-outcome")) }
                        th scope="col" { (t(lang, "incident-col-address")) }
                        th scope="col" { (t(lang, "console-template")) }
                    } }
                    tbody {
                        @for r in &list.rows {
                            tr data-enquiry=(r.enquiry_id) data-outcome=(r.reached.as_str()) {
                                td { a href={ "/console/e/" (r.enquiry_id) } dir="ltr" { code { (r.enquiry_id) } } }
                                td { (Language::parse(&r.language).map_or(r.language.clone(), |l| l.endonym().to_owned())) }
                                td { (datetime(r.at)) }
                                td { (outcome(lang, r.reached)) }
                                td dir="ltr" class="masked" { (r.masked.as_deref().unwrap_or("—")) }
                                td {
                                    @if let Some(k) = &r.template_key {
                                        code { (k) }
                                        @if let Some(v) = r.template_version { " v" (v) }
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn outcome(lang: Language, r: Reached) -> String {
    t(lang, r.label_id())
}

/// How a time shows in a `datetime-local` input.
fn input_time(unix: i64) -> String {
    datetime(unix).replace(' ', "T")
}

/// "41 h 12 min left" or "overdue by 3 h 0 min".
fn clock(lang: Language, left: i64) -> String {
    let abs = left.abs();
    let args = [
        ("hours", (abs / 3600).to_string()),
        ("minutes", (abs % 3600 / 60).to_string()),
    ];
    if left >= 0 {
        t_args(lang, "incident-clock-left", &args)
    } else {
        t_args(lang, "incident-clock-overdue", &args)
    }
}

/// The hidden fields that repeat a look-up (to open an incident from it, or extend one).
pub(super) fn lookup_fields(q: &LookupQuery, address: Option<(&str, &str)>) -> Markup {
    html! {
        @for (name, value) in [("campaign", &q.campaign), ("template", &q.template), ("since", &q.since), ("until", &q.until), ("reply", &q.reply), ("account", &q.account), ("submitted", &q.submitted), ("key", &q.key)] {
            @if !value.is_empty() { input type="hidden" name=(name) value=(value); }
        }
        @if let Some((a, r)) = address {
            input type="hidden" name="address" value=(a);
            input type="hidden" name="reason" value=(r);
        }
    }
}

/// The form under a recipients list that opens an incident from it.
pub(super) fn open_from_list(
    staff: &Staff,
    slug: &str,
    q: &LookupQuery,
    address: Option<(&str, &str)>,
) -> Markup {
    let lang = staff.lang;
    html! {
        h2 { (t(lang, "incident-open-from-list")) }
        form method="post" action={ "/console/p/" (slug) "/incidents" } novalidate {
            (csrf_field(&staff.csrf))
            (lookup_fields(q, address))
            (open_fields(lang))
            button type="submit" { (t(lang, "incident-open")) }
        }
    }
}

fn open_fields(lang: Language) -> Markup {
    html! {
        div class="field" {
            label for="discovered" { (t(lang, "incident-discovered")) }
            p class="hint" id="discovered-hint" { (t(lang, "incident-discovered-hint")) }
            input type="datetime-local" id="discovered" name="discovered" aria-describedby="discovered-hint";
        }
        div class="field" {
            label for="what_happened" { (t(lang, "incident-what-happened")) }
            textarea id="what_happened" name="what_happened" rows="3" {}
        }
    }
}

pub(super) fn incidents_page(
    staff: &Staff,
    live: &LiveProgramme,
    incidents: &[IncidentRecord],
    at: i64,
) -> Markup {
    let lang = staff.lang;
    let p = &live.programme;
    let slug = p.slug().as_str();
    html! {
        p { a href={ "/console/p/" (slug) } { (p.text(&p.file().title, Language::En)) } }
        h1 { (t(lang, "incident-list-heading")) }
        p { a href={ "/console/p/" (slug) "/incident/recipients" } { (t(lang, "incident-recipients-title")) } }
        @if incidents.is_empty() {
            p { (t(lang, "incident-none")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (t(lang, "incident-discovered")) }
                    th scope="col" { (t(lang, "incident-deadline")) }
                    th scope="col" { (t(lang, "incident-reporting")) }
                    th scope="col" { (t(lang, "incident-state")) }
                    th scope="col" { "" }
                } }
                tbody {
                    @for i in incidents {
                        tr data-incident=(i.id) {
                            td { (datetime(i.discovered_at)) }
                            td { (datetime(i.discovered_at + record::DEADLINE_SECS)) " · " (clock(lang, record::time_left(i.discovered_at, at))) }
                            td { (t(lang, &format!("incident-reporting-{}", i.reporting))) }
                            td { @if let Some(c) = i.closed_at { (t(lang, "incident-closed")) " " (datetime(c)) } @else { (t(lang, "incident-open-state")) } }
                            td { a href={ "/console/incidents/" (i.id) } { (t(lang, "console-open-link")) } }
                        }
                    }
                }
            }
        }
        h2 { (t(lang, "incident-open-blank")) }
        form method="post" action={ "/console/p/" (slug) "/incidents" } novalidate {
            (csrf_field(&staff.csrf))
            (open_fields(lang))
            button type="submit" { (t(lang, "incident-open")) }
        }
    }
}

pub(super) struct IncidentView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub record: &'a IncidentRecord,
    pub words: &'a Words,
    pub affected: &'a [Affected],
    pub campaigns: &'a [CampaignRecord],
    pub at: i64,
    pub done: Option<&'a str>,
    /// Notifications, containment and actions (`super::notify::section`).
    pub extra: Markup,
}

pub(super) fn incident_page(v: &IncidentView<'_>) -> Markup {
    let lang = v.staff.lang;
    let r = v.record;
    let p = &v.live.programme;
    let slug = p.slug().as_str();
    let left = record::time_left(r.discovered_at, v.at);
    let closed = r.closed_at.is_some();
    let mut by_language: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    for a in v.affected {
        *by_language.entry(a.language.as_str()).or_default() += 1;
        *by_outcome.entry(a.outcome.as_str()).or_default() += 1;
    }
    let categories: Vec<&str> = r.categories.split(',').filter(|c| !c.is_empty()).collect();
    let notice = match v.done {
        Some("saved") => Some("incident-done-saved"),
        Some("extended") => Some("incident-done-extended"),
        Some("closed") => Some("incident-done-closed"),
        Some(other) => crate::incident::notify::done_message(other),
        _ => None,
    };
    html! {
        p { a href={ "/console/p/" (slug) "/incidents" } { (t(lang, "incident-list-heading")) } }
        h1 { (t(lang, "incident-title")) }
        p { a href={ "/console/incidents/" (r.id) "/report" } download { (t(lang, "incident-report-download")) } }
        @if let Some(id) = notice {
            div class="notice" role="status" { p { (t(lang, id)) } }
        }
        dl {
            dt { (t(lang, "incident-opened")) } dd { (datetime(r.opened_at)) }
            dt { (t(lang, "incident-discovered")) } dd { (datetime(r.discovered_at)) }
            dt { (t(lang, "incident-deadline")) }
            dd id="deadline" class=(if left < 0 { "overdue" } else { "" }) {
                (datetime(r.discovered_at + record::DEADLINE_SECS)) " · " strong { (clock(lang, left)) }
            }
            @if let Some(c) = r.closed_at { dt { (t(lang, "incident-closed")) } dd { (datetime(c)) } }
        }
        h2 { (t(lang, "incident-affected")) }
        p id="affected-count" { (t_args(lang, "incident-enquiries-n", &[("n", v.affected.len().to_string())])) }
        @if !v.affected.is_empty() {
            div class="field-row" {
                table {
                    caption { (t(lang, "language-switch")) }
                    tbody { @for (l, n) in &by_language { tr { th scope="row" { (Language::parse(l).map_or(l.to_string(), |x| x.endonym().to_owned())) } td class="num" { (n) } } } }
                }
                table {
                    caption { (t(lang, "incident-col-outcome")) }
                    tbody { @for (o, n) in &by_outcome { tr { th scope="row" { (t(lang, Reached::of_word(o).label_id())) } td class="num" { (n) } } } }
                }
            }
            details {
                summary { (t(lang, "incident-affected-list")) }
                ul class="affected" {
                    @for a in v.affected {
                        li data-enquiry=(a.enquiry_id) { a href={ "/console/e/" (a.enquiry_id) } dir="ltr" { code { (a.enquiry_id) } } }
                    }
                }
            }
        }
        @if !closed {
            h3 { (t(lang, "incident-extend")) }
            form method="post" action={ "/console/incidents/" (r.id) "/extend" } novalidate {
                (csrf_field(&v.staff.csrf))
                div class="field-row" {
                    div class="field" {
                        label for="campaign" { (t(lang, "incident-campaign")) }
                        select id="campaign" name="campaign" {
                            option value="" { "—" }
                            @for c in v.campaigns { option value=(c.id) { (datetime(c.created_at)) " · " (c.template_key) } }
                        }
                    }
                    div class="field" {
                        label for="reply" { (t(lang, "incident-reply-id")) }
                        input type="text" id="reply" name="reply" autocomplete="off" dir="ltr";
                    }
                }
                button type="submit" { (t(lang, "incident-extend-button")) }
            }
        }
        (v.extra)
        h2 { (t(lang, "incident-record")) }
        form method="post" action={ "/console/incidents/" (r.id) } novalidate {
            (csrf_field(&v.staff.csrf))
            fieldset disabled[closed] {
                div class="field" {
                    label for="discovered" { (t(lang, "incident-discovered")) }
                    input type="datetime-local" id="discovered" name="discovered" value=(input_time(r.discovered_at));
                }
                div class="field" {
                    label for="what_happened" { (t(lang, "incident-what-happened")) }
                    textarea id="what_happened" name="what_happened" rows="4" { (v.words.what_happened) }
                }
                fieldset {
                    legend { (t(lang, "incident-categories")) }
                    @for c in record::CATEGORIES {
                        div class="checkbox" {
                            input type="checkbox" id={ "category-" (c) } name={ "category-" (c) } value="on" checked[categories.contains(&c)];
                            label for={ "category-" (c) } { (t(lang, &format!("incident-category-{c}"))) }
                        }
                    }
                }
                div class="field-row" {
                    div class="field" {
                        label for="likelihood" { (t(lang, "incident-likelihood")) }
                        select id="likelihood" name="likelihood" {
                            @for s in record::SCALE { option value=(s) selected[r.likelihood == s] { (t(lang, &format!("incident-scale-{s}"))) } }
                        }
                    }
                    div class="field" {
                        label for="severity" { (t(lang, "incident-severity")) }
                        select id="severity" name="severity" {
                            @for s in record::SCALE { option value=(s) selected[r.severity == s] { (t(lang, &format!("incident-scale-{s}"))) } }
                        }
                    }
                }
                div class="field" {
                    label for="harm_reasons" { (t(lang, "incident-harm-reasons")) }
                    textarea id="harm_reasons" name="harm_reasons" rows="3" { (v.words.harm_reasons) }
                }
                div class="field" {
                    label for="actions" { (t(lang, "incident-actions")) }
                    textarea id="actions" name="actions" rows="4" { (v.words.actions) }
                }
                div class="field" {
                    label for="reporting" { (t(lang, "incident-reporting")) }
                    select id="reporting" name="reporting" {
                        @for s in record::REPORTING { option value=(s) selected[r.reporting == s] { (t(lang, &format!("incident-reporting-{s}"))) } }
                    }
                }
                div class="field" {
                    label for="reporting_reasons" { (t(lang, "incident-reporting-reasons")) }
                    textarea id="reporting_reasons" name="reporting_reasons" rows="3" { (v.words.reporting_reasons) }
                }
                div class="checkbox" {
                    input type="checkbox" id="close" name="close" value="on";
                    label for="close" { (t(lang, "incident-close")) }
                }
                button type="submit" { (t(lang, "incident-save")) }
            }
        }
    }
}
