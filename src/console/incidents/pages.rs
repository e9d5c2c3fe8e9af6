//! The incident pages. Markup only.

use maud::{Markup, html};

use super::LookupQuery;
use crate::auth::Staff;
use crate::console::pages::{csrf_field, datetime, error_summary};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::incident::{Reached, Recipients};
use crate::programme::live::LiveProgramme;
use crate::store::CampaignRecord;

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
        }
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
