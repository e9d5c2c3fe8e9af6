//! The partners' page of a programme: the partners with links to their pages and to
//! remove them, and the referral settings form. Apart from the partner pages
//! (`partners`), which show this page again after a refused save: neither imports the
//! other.

use maud::{Markup, html};

use super::Editing;
use super::shown::Shown;
use super::widgets::{self, version_field};
use crate::i18n::t;
use crate::programme::{FieldKind, ProgrammeFile};

/// Checkbox fields without options: the only kind that can record consent.
fn consent_fields(file: &ProgrammeFile) -> impl Iterator<Item = &crate::programme::Field> {
    file.fields
        .iter()
        .filter(|f| f.kind == FieldKind::Checkbox && f.options.is_empty())
}

pub(super) fn section(ed: &Editing, shown: &Shown) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let base = ed.base();
    let settings = &file.referrals;
    let bases = shown.value("referrals", "bases", || settings.bases.join("\n"));
    let consent = shown.value("referrals", "consent_field", || {
        settings.consent_field.clone().unwrap_or_default()
    });
    let show_in_inbox = shown
        .typed_in("referrals")
        .map_or(settings.show_in_inbox, |t| t.has("show_in_inbox"));
    html! {
        p { (t(lang, "pe-partners-intro")) }
        @if file.partners.is_empty() {
            p { (t(lang, "pe-partners-none")) }
        } @else {
            div class="table-scroll" {
                table {
                    thead { tr {
                        th scope="col" { (t(lang, "pe-partner-name")) }
                        th scope="col" { (t(lang, "pe-key")) }
                        th scope="col" { (t(lang, "pe-partner-address")) }
                        th scope="col" { (t(lang, "pe-partner-personal")) }
                        th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                    } }
                    tbody {
                        @for partner in &file.partners {
                            tr {
                                td dir="auto" { a href={ (base) "/partners/" (partner.key) } { (partner.name) } }
                                td { span class="code" { (partner.key) } }
                                td dir="ltr" { (partner.address) }
                                td { @if partner.personal_data { (t(lang, "pe-yes")) } @else { (t(lang, "pe-no")) } }
                                td class="row-actions" {
                                    a class="button secondary" href={ (base) "/partners/" (partner.key) "/remove" } {
                                        (t(lang, "pe-remove")) span class="visually-hidden" { " " (partner.name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href={ (base) "/new-partner" } { (t(lang, "pe-add-partner")) } }

        h2 id="referrals" { (t(lang, "pe-referrals")) }
        form method="post" action={ (base) "/referrals" } novalidate {
            (super::super::pages::csrf_field(&ed.staff.csrf))
            (version_field(ed.record.version))
            (widgets::textarea("bases", "bases", &t(lang, "pe-referral-bases"), Some(&t(lang, "pe-referral-bases-hint")), &bases))
            div class="field" {
                label for="consent_field" { (t(lang, "pe-consent-field")) }
                p class="hint" id="consent_field-hint" { (t(lang, "pe-consent-field-hint")) }
                select id="consent_field" name="consent_field" aria-describedby="consent_field-hint" {
                    option value="" selected[consent.is_empty()] { (t(lang, "pe-none")) }
                    @for f in consent_fields(file) {
                        option value=(f.key) selected[consent == f.key] { (p.text(&f.label, lang)) " (" (f.key) ")" }
                    }
                }
            }
            div class="choice field" {
                input type="checkbox" id="show_in_inbox" name="show_in_inbox" value="yes" checked[show_in_inbox];
                label for="show_in_inbox" { (t(lang, "pe-show-in-inbox")) }
            }
            @if settings.consent_field.is_some() {
                p class="hint" { (t(lang, "pe-referrals-password-hint")) }
                (widgets::password(lang, "referrals"))
            }
            button type="submit" { (t(lang, "pe-save")) }
        }
    }
}
