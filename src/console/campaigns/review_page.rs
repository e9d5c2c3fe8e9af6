//! The second look on a campaign's page (issue 19, item 4): counts by language, by
//! contact and by status, the recipients (console ids and masked addresses; reference
//! codes are stored only as keyed hashes and cannot be shown), the CSV link, and the
//! approval form that asks for the password. Markup only.

use maud::{Markup, html};

use crate::auth::Staff;
use crate::campaign_review::{self, Contact, Review};
use crate::campaigns::PinnedText;
use crate::casework::Status;
use crate::console::pages::csrf_field;
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::store::CampaignRecord;

fn language_name(tag: &str) -> String {
    Language::parse(tag).map_or_else(|_| tag.to_owned(), |l| l.endonym().to_owned())
}

fn status_name(lang: Language, word: &str) -> String {
    Status::parse(word).map_or_else(|| word.to_owned(), |s| t(lang, s.label_id()))
}

pub(super) fn review_section(lang: Language, c: &CampaignRecord, review: &Review) -> Markup {
    html! {
        section id="campaign-review" {
            h2 { (t(lang, "review-heading")) }
            p { (t(lang, "review-intro")) }
            @if c.filter_status != "closed" {
                p class="hint" { (t(lang, "review-closed-excluded")) }
            }
            div class="field-row" {
                table id="review-by-language" {
                    caption { (t(lang, "review-by-language")) }
                    tbody {
                        @for (tag, n) in review.by_language() {
                            tr { th scope="row" lang=(tag) { (language_name(tag)) } td class="num" { (n) } }
                        }
                    }
                }
                table id="review-by-contact" {
                    caption { (t(lang, "review-by-contact")) }
                    tbody {
                        @for (contact, n) in review.by_contact() {
                            tr { th scope="row" { (t(lang, contact.label_id())) } td class="num" data-contact=(contact.as_str()) { (n) } }
                        }
                    }
                }
                table id="review-by-status" {
                    caption { (t(lang, "review-by-status")) }
                    tbody {
                        @for (word, n) in review.by_status() {
                            tr { th scope="row" { (status_name(lang, word)) } td class="num" { (n) } }
                        }
                    }
                }
            }
            h3 { (t(lang, "review-recipients")) }
            p class="hint" { (t(lang, "review-why-no-codes")) }
            p { a href={ "/console/c/" (c.id) "/recipients.csv" } download { (t(lang, "review-csv")) } }
            table id="review-recipients" {
                thead { tr {
                    th scope="col" { (t(lang, "console-enquiry-heading")) }
                    th scope="col" { (t(lang, "review-language")) }
                    th scope="col" { (t(lang, "console-status")) }
                    th scope="col" { (t(lang, "review-contact")) }
                    th scope="col" { (t(lang, "review-address")) }
                } }
                tbody {
                    @for r in &review.rows {
                        tr data-enquiry=(r.enquiry_id) {
                            td { a href={ "/console/e/" (r.enquiry_id) } { code { (r.enquiry_id) } } }
                            td lang=(r.language) { (language_name(&r.language)) }
                            td { (status_name(lang, &r.status)) }
                            td { (t(lang, r.contact.label_id())) }
                            td dir="ltr" { @if r.contact == Contact::InboxOnly { "–" } @else { (r.masked) } }
                        }
                    }
                }
            }
        }
    }
}

/// The approval form: the text's digest and the approver's password.
pub(super) fn approve_form(
    staff: &Staff,
    c: &CampaignRecord,
    live: &LiveProgramme,
    pinned: &PinnedText,
    review: Option<&Review>,
    problem: Option<&str>,
) -> Markup {
    let lang = staff.lang;
    let digest = pinned.digest();
    let missing = review.map(|r| missing(r, pinned)).unwrap_or_default();
    let max = campaign_review::max_campaign(&live.programme);
    let n = usize::try_from(c.enquiry_count).unwrap_or(usize::MAX);
    html! {
        @if !campaign_review::within_cap(n, max, staff.may(crate::casework::Action::ApproveLargeCampaign)) {
            p class="warning" id="review-cap" {
                (t_args(lang, "review-over-cap", &[("n", n.to_string()), ("max", max.to_string())]))
            }
        }
        form method="post" action={ "/console/c/" (c.id) "/approve" } novalidate {
            (csrf_field(&staff.csrf))
            input type="hidden" name="seen" value=(digest);
            @if !missing.is_empty() {
                div class="warning" id="review-missing-languages" {
                    p { (t_args(lang, "review-language-missing", &[
                        ("languages", missing.iter().map(|(l, n)| format!("{} ({n})", language_name(l))).collect::<Vec<_>>().join(", ")),
                        ("default", language_name(&pinned.default)),
                    ])) }
                    div class="field checkbox" {
                        input type="checkbox" id="approve-fallback" name="fallback" value="yes";
                        label for="approve-fallback" { (t_args(lang, "review-language-fallback", &[("default", language_name(&pinned.default))])) }
                    }
                }
            }
            div class=@if problem.is_some() { "field has-error" } @else { "field" } {
                label for="approve-password" { (t(lang, "review-password")) }
                @if let Some(p) = problem {
                    p class="error-message" id="approve-password-error" { (p) }
                }
                input type="password" id="approve-password" name="password" autocomplete="current-password"
                    aria-describedby=[problem.map(|_| "approve-password-error")];
            }
            button type="submit" { (t_args(lang, "console-campaign-approve", &[("n", c.enquiry_count.to_string())])) }
        }
    }
}

/// Recipients' languages the template has no text of its own in, with their counts.
fn missing(review: &Review, pinned: &PinnedText) -> Vec<(String, usize)> {
    let same = pinned.same_as_default();
    review
        .by_language()
        .into_iter()
        .filter(|(l, _)| {
            *l != pinned.default && (same.contains(l) || !pinned.texts.contains_key(*l))
        })
        .map(|(l, n)| (l.to_owned(), n))
        .collect()
}
