//! The public pages, following the GOV.UK Design System patterns: one question block
//! per field, hints and errors tied to inputs with `aria-describedby`, one error
//! summary at the top that links to each field.

use maud::{Markup, html};

use super::form::{
    CONTACT_EMAIL, CONTACT_MODE, CSRF, DATE_PARTS, FieldError, HONEYPOT, LANG, RawForm,
    SWITCH_LANG, date_part,
};
use super::submission::Receipt;
use crate::domain::Language;
use crate::i18n::{Msg, t, t_args};
use crate::programme::countries::{country_name_in, in_language};
use crate::programme::{ContactMode, Field, FieldKind, Programme};
use crate::web::layout::{Page, render};

pub struct FormView<'a> {
    pub programme: &'a Programme,
    pub lang: Language,
    pub csrf_token: &'a str,
    pub typed: &'a RawForm,
    pub errors: &'a [FieldError],
    /// A message above the form that is not about one field (e.g. an expired form).
    pub notice: Option<Msg>,
}

fn input_id(name: &str) -> String {
    format!("f-{name}")
}

/// Where an error in the summary links to: the input itself, or a group's first option.
fn anchor(programme: &Programme, name: &str) -> String {
    match programme.field(name) {
        Some(f)
            if matches!(f.kind, FieldKind::Radio)
                || (f.kind == FieldKind::Checkbox && !f.options.is_empty()) =>
        {
            format!("#{}-0", input_id(name))
        }
        _ if name == CONTACT_MODE => format!("#{}-0", input_id(name)),
        _ => format!("#{}", input_id(name)),
    }
}

fn describedby(name: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{}-hint", input_id(name)));
    }
    if has_error {
        ids.push(format!("{}-error", input_id(name)));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

pub fn form_page(v: &FormView<'_>) -> Markup {
    let p = v.programme;
    let lang = v.lang;
    let title = p.text(&p.file().title, lang);
    // What lands in the browser's history and tab list: nothing about the programme
    // in discreet mode.
    let history_title = match p.is_discreet() {
        true => t(lang, "discreet-page-title"),
        false => title.to_owned(),
    };
    let page_title = if v.errors.is_empty() {
        history_title
    } else {
        format!("{}: {history_title}", t(lang, "error-summary-title"))
    };
    render(
        &Page {
            lang,
            title: &page_title,
            languages: p.languages(),
        },
        html! {
            (error_summary(v))
            // Every notice says the enquiry was not sent (an expired form, a quota): an
            // alert, so a screen reader says it before anything else.
            @if let Some(notice) = &v.notice {
                div class="notice" role="alert" { p { (notice.render(lang)) } }
            }
            h1 { (title) }
            p class="intro" { (p.text(&p.file().intro, lang)) }
            p class="inbox-link" { a href=(inbox_href(lang)) { (t(lang, "form-inbox-link")) } }
            section class="privacy" aria-labelledby="privacy-heading" {
                h2 id="privacy-heading" { (t(lang, "form-privacy-heading")) }
                p { (p.text(&p.file().privacy_notice, lang)) }
            }
            form method="post" action={ "/p/" (p.public_name()) } novalidate autocomplete="off" accept-charset="utf-8" {
                input type="hidden" name=(CSRF) value=(v.csrf_token);
                input type="hidden" name=(LANG) value=(lang.tag());
                (fields(v))
                div class="trap" aria-hidden="true" {
                    label for=(input_id(HONEYPOT)) { (t(lang, "honeypot-label")) }
                    input type="text" id=(input_id(HONEYPOT)) name=(HONEYPOT) tabindex="-1" autocomplete="off" value=(v.typed.get(HONEYPOT).unwrap_or(""));
                }
                button type="submit" { (t(lang, "form-submit")) }
                (language_buttons(p, lang))
            }
        },
    )
}

/// The summary of what is wrong, linking to each field (nothing when all is well).
/// Shared with the console's phone intake (issue 22), which draws the same form.
pub fn error_summary(v: &FormView<'_>) -> Markup {
    let (p, lang) = (v.programme, v.lang);
    html! {
        @if !v.errors.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (t(lang, "error-summary-title")) }
                ul {
                    @for e in v.errors {
                        li { a href=(anchor(p, &e.name)) { (e.message.render(lang)) } }
                    }
                }
            }
        }
    }
}

/// Every question of the programme's form and the contact choice, as typed so far.
/// Shared with the console's phone intake (issue 22).
pub fn fields(v: &FormView<'_>) -> Markup {
    html! {
        @for field in &v.programme.file().fields {
            (field_block(v, field))
        }
        (contact_block(v))
    }
}

/// A submit button per other language, so a person can change language half-way without
/// losing a word (the header's links would load an empty form). After the form's own
/// button: Enter in a field submits with the first submit button, which must be that one.
fn language_buttons(p: &Programme, lang: Language) -> Markup {
    html! {
        @if p.languages().len() > 1 {
            fieldset class="lang-switch" {
                legend { (t(lang, "form-switch-language")) }
                @for l in p.languages().iter().filter(|l| **l != lang) {
                    button type="submit" class="secondary" name=(SWITCH_LANG) value=(l.tag())
                        formnovalidate lang=(l.tag()) dir=(l.dir()) { (l.endonym()) }
                    " "
                }
            }
        }
    }
}

fn error_for<'a>(v: &'a FormView<'_>, name: &str) -> Option<&'a FieldError> {
    v.errors.iter().find(|e| e.name == name)
}

fn field_block(v: &FormView<'_>, field: &Field) -> Markup {
    let p = v.programme;
    let lang = v.lang;
    let name = field.key.as_str();
    let id = input_id(name);
    let label = p.text(&field.label, lang);
    let hint = match field.kind {
        FieldKind::Date if field.hint.is_empty() => Some(t(lang, "date-hint")),
        _ => (!field.hint.is_empty()).then(|| p.text(&field.hint, lang).to_owned()),
    };
    let error = error_for(v, name);
    let described = describedby(name, hint.is_some(), error.is_some());
    let typed = v.typed.get(name).unwrap_or("");
    // A programme's own label may already say "(optional)": say it once.
    let optional = (!field.required)
        .then(|| t(lang, "field-optional"))
        .filter(|o| !label.contains(o.as_str()));
    let group = matches!(field.kind, FieldKind::Radio)
        || (field.kind == FieldKind::Checkbox && !field.options.is_empty());
    if field.kind == FieldKind::Date {
        return date_block(
            v,
            field,
            html! { (label) @if let Some(o) = &optional { " " (o) } },
            hint,
        );
    }
    let label_text = html! { (label) @if let Some(o) = &optional { " " (o) } };
    let hint_and_error = html! {
        @if let Some(h) = &hint { span class="hint" id={ (id) "-hint" } { (h) } }
        @if let Some(e) = error { span class="error-message" id={ (id) "-error" } { (e.message.render(lang)) } }
    };
    html! {
        div class={ "field" @if error.is_some() { " has-error" } } {
            @if group {
                fieldset aria-describedby=[described.as_deref()] {
                    legend { (label_text) }
                    (hint_and_error)
                    @for (i, option) in field.options.iter().enumerate() {
                        @let oid = format!("{id}-{i}");
                        @let checked = v.typed.all(name).any(|x| x == option.value);
                        div class="choice" {
                            input type=(if field.kind == FieldKind::Radio { "radio" } else { "checkbox" })
                                id=(oid) name=(name) value=(option.value) checked[checked];
                            label for=(oid) { (p.text(&option.label, lang)) }
                        }
                    }
                }
            } @else if field.kind == FieldKind::Checkbox {
                (hint_and_error)
                div class="choice" {
                    input type="checkbox" id=(id) name=(name) value="yes" checked[!typed.is_empty()] aria-describedby=[described.as_deref()];
                    label for=(id) { (label_text) }
                }
            } @else {
                label for=(id) { (label_text) }
                (hint_and_error)
                @match field.kind {
                    FieldKind::Textarea => {
                        textarea id=(id) name=(name) rows="8" aria-describedby=[described.as_deref()] { (typed) }
                    }
                    FieldKind::Select => {
                        select id=(id) name=(name) aria-describedby=[described.as_deref()] {
                            option value="" { (t(lang, "select-choose")) }
                            @for option in &field.options {
                                option value=(option.value) selected[typed == option.value] { (p.text(&option.label, lang)) }
                            }
                        }
                    }
                    FieldKind::Country => {
                        select id=(id) name=(name) aria-describedby=[described.as_deref()] {
                            option value="" { (t(lang, "country-choose")) }
                            @if field.first.is_empty() {
                                @for (code, country) in in_language(lang) {
                                    option value=(code) selected[typed == *code] { (country) }
                                }
                            } @else {
                                optgroup label=(t(lang, "country-first")) {
                                    @for code in &field.first {
                                        option value=(code) selected[typed == code] { (country_name_in(code, lang).unwrap_or(code)) }
                                    }
                                }
                                optgroup label=(t(lang, "country-others")) {
                                    @for (code, country) in in_language(lang).iter().filter(|(c, _)| !field.first.iter().any(|f| f == c)) {
                                        option value=(code) selected[typed == *code] { (country) }
                                    }
                                }
                            }
                        }
                    }
                    kind => {
                        @let (ty, extra) = match kind {
                            FieldKind::Email => ("email", Some("ltr")),
                            FieldKind::Phone => ("tel", Some("ltr")),
                            _ => ("text", None),
                        };
                        input type=(ty) id=(id) name=(name) value=(typed) dir=[extra] spellcheck=[(kind != FieldKind::Text).then_some("false")] aria-describedby=[described.as_deref()];
                    }
                }
            }
        }
    }
}

/// A date as day, month and year boxes in a fieldset (no date picker: old phones and
/// screen readers handle them badly, and a person may know only part of a date). The
/// day box carries the field's id, so the error summary's link lands on it. Digits
/// typed in any script are accepted (`form::ascii_digits`); the boxes follow the
/// page's direction, so the day comes first in reading order in every language.
fn date_block(v: &FormView<'_>, field: &Field, legend: Markup, hint: Option<String>) -> Markup {
    let lang = v.lang;
    let name = field.key.as_str();
    let id = input_id(name);
    let error = error_for(v, name);
    let described = describedby(name, hint.is_some(), error.is_some());
    html! {
        div class={ "field" @if error.is_some() { " has-error" } } {
            fieldset class="date" aria-describedby=[described.as_deref()] {
                legend { (legend) }
                @if let Some(h) = &hint { span class="hint" id={ (id) "-hint" } { (h) } }
                @if let Some(e) = error { span class="error-message" id={ (id) "-error" } { (e.message.render(lang)) } }
                div class="date-boxes" {
                    @for part in DATE_PARTS {
                        @let box_id = if part == "day" { id.clone() } else { format!("{id}-{part}") };
                        @let box_name = date_part(name, part);
                        div class={ "date-box date-" (part) } {
                            label for=(box_id) { (t(lang, &format!("date-{part}"))) }
                            input type="text" inputmode="numeric" id=(box_id) name=(box_name)
                                value=(typed_part(v.typed, name, part))
                                size=(if part == "year" { "4" } else { "2" })
                                maxlength=(if part == "year" { "4" } else { "2" })
                                dir="ltr" spellcheck="false" autocomplete="off";
                        }
                    }
                }
            }
        }
    }
}

/// What one box of a date shows again: the box as typed, or its part of a date sent
/// as one `YYYY-MM-DD` value (a client without the boxes).
fn typed_part(typed: &RawForm, key: &str, part: &str) -> String {
    if let Some(v) = typed.get(&date_part(key, part)) {
        return v.to_owned();
    }
    let single: Vec<&str> = typed.get(key).unwrap_or("").splitn(3, '-').collect();
    let at = match part {
        "year" => 0,
        "month" => 1,
        _ => 2,
    };
    match single.as_slice() {
        [_, _, _] => single[at].to_owned(),
        _ => String::new(),
    }
}

fn contact_block(v: &FormView<'_>) -> Markup {
    let lang = v.lang;
    if v.programme.file().contact == ContactMode::InboxOnly {
        return html! { div class="notice" { p { (t(lang, "contact-inbox-only")) } } };
    }
    let mode_error = error_for(v, CONTACT_MODE);
    let email_error = error_for(v, CONTACT_EMAIL);
    let mode = v.typed.get(CONTACT_MODE).unwrap_or("");
    let mode_id = input_id(CONTACT_MODE);
    let email_id = input_id(CONTACT_EMAIL);
    html! {
        div class={ "field" @if mode_error.is_some() || email_error.is_some() { " has-error" } } {
            fieldset aria-describedby={ (mode_id) "-hint" @if mode_error.is_some() { " " (mode_id) "-error" } } {
                legend { (t(lang, "contact-heading")) }
                span class="hint" id={ (mode_id) "-hint" } { (t(lang, "contact-hint")) }
                @if let Some(e) = mode_error {
                    span class="error-message" id={ (mode_id) "-error" } { (e.message.render(lang)) }
                }
                div class="choice" {
                    input type="radio" id={ (mode_id) "-0" } name=(CONTACT_MODE) value="inbox" checked[mode == "inbox"];
                    label for={ (mode_id) "-0" } { (t(lang, "contact-inbox")) }
                }
                div class="choice" {
                    input type="radio" id={ (mode_id) "-1" } name=(CONTACT_MODE) value="email" checked[mode == "email"];
                    label for={ (mode_id) "-1" } { (t(lang, "contact-email")) }
                }
                div class="field" {
                    label for=(email_id) { (t(lang, "contact-email-label")) " " (t(lang, "field-optional")) }
                    span class="hint" id={ (email_id) "-hint" } { (t(lang, "contact-email-hint")) }
                    @if let Some(e) = email_error {
                        span class="error-message" id={ (email_id) "-error" } { (e.message.render(lang)) }
                    }
                    input type="email" id=(email_id) name=(CONTACT_EMAIL) dir="ltr" spellcheck="false"
                        value=(v.typed.get(CONTACT_EMAIL).unwrap_or(""))
                        aria-describedby=(describedby(CONTACT_EMAIL, true, email_error.is_some()).unwrap_or_default());
                }
            }
        }
    }
}

/// The slug-free reply inbox in `lang`: every public page links there, so that no page
/// a person may be seen holding, nor its links, names the programme.
fn inbox_href(lang: Language) -> String {
    format!("{}?lang={}", crate::letters::INBOX_PATH, lang.tag())
}

/// The receipt names Haven and the slug-free inbox only, never the programme: it may be
/// read over a shoulder, photographed, or left open on a phone that is taken.
/// `inbox_address` is the inbox as an address to type (`letters::inbox_address`).
/// `save_as`: the address of the receipt as a text file, where the programme offers it
/// and the codes can be read again from the receipt cookie.
pub fn receipt_page(
    lang: Language,
    inbox_address: &str,
    receipt: &Receipt,
    save_as: Option<&str>,
    masked_email: Option<&str>,
) -> Markup {
    let title = t(lang, "receipt-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            div class="panel" {
                h1 { (title) }
                p { (t(lang, "receipt-reference-label")) }
                strong class="code" id="reference-code" { (grouped(&receipt.reference.display())) }
                p { (t(lang, "receipt-passphrase-label")) }
                strong class="code" id="passphrase" { (grouped(&receipt.passphrase.expose_display())) }
            }
            p class="warning" { (t(lang, "receipt-keep-safe")) }
            p class="warning" { (t(lang, "receipt-codes-open")) }
            p { (t(lang, "receipt-danger")) }
            h2 { (t(lang, "receipt-next-heading")) }
            p { (t(lang, "receipt-next")) }
            p { (t(lang, "receipt-inbox-address")) " " strong id="inbox-address" dir="ltr" { (inbox_address) } }
            p { a href=(inbox_href(lang)) { (t(lang, "receipt-inbox-link")) } }
            @if let Some(masked) = masked_email {
                p id="receipt-email" { (t_args(lang, "gaps-confirm-receipt-address", &[("address", masked.to_owned())])) }
            }
            @if let Some(href) = save_as {
                p class="save-as" {
                    a class="button secondary" href=(href) download="note.txt" aria-describedby="save-as-hint" { (t(lang, "receipt-save-text")) }
                }
                p class="hint" id="save-as-hint" { (t(lang, "receipt-save-text-hint")) }
            }
        },
    )
}

/// The receipt as a text file: the inbox's address and the two codes under labels in
/// the person's language, nothing about the programme or the person.
pub fn receipt_text(lang: Language, inbox_address: &str, receipt: &Receipt) -> String {
    format!(
        "{}: {inbox_address}\n{}: {}\n{}: {}\n",
        t(lang, "receipt-file-inbox"),
        t(lang, "receipt-file-reference"),
        receipt.reference.display(),
        t(lang, "receipt-file-passphrase"),
        receipt.passphrase.expose_display(),
    )
}

/// A code whose lines may break only between its groups (after a dash), never inside
/// one: a person copying "ABCDE-FGH" / "JK-…" by hand would copy it wrong.
fn grouped(code: &str) -> Markup {
    html! {
        @for (i, group) in code.split('-').enumerate() {
            @if i > 0 { "-" wbr; }
            span class="group" { (group) }
        }
    }
}

pub fn closed_page(programme: &Programme, lang: Language) -> Markup {
    let title = t(lang, "closed-title");
    let message = if programme.file().closed_message.is_empty() {
        t(lang, "closed-default")
    } else {
        programme
            .text(&programme.file().closed_message, lang)
            .to_owned()
    };
    render(
        &Page {
            lang,
            title: &title,
            languages: programme.languages(),
        },
        html! {
            h1 { (title) }
            p class="intro" { (message) }
        },
    )
}

pub struct InboxView<'a> {
    /// `None`: the slug-free inbox at `/inbox`, where the code finds the programme.
    pub programme: Option<&'a Programme>,
    pub lang: Language,
    pub csrf_token: &'a str,
    pub typed_reference: &'a str,
    pub failed: bool,
    /// Why the codes were not even checked (too many attempts), with the true wait.
    pub throttled: Option<Msg>,
}

pub fn inbox_sign_in_page(v: &InboxView<'_>) -> Markup {
    let lang = v.lang;
    let title = t(lang, "inbox-title");
    let action = inbox_action(v.programme);
    render(
        &Page {
            lang,
            title: &title,
            languages: v.programme.map_or(&Language::ALL[..], |p| p.languages()),
        },
        html! {
            @if v.failed {
                div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 id="error-summary-title" { (t(lang, "error-summary-title")) }
                    ul { li { a href="#f-reference" { (t(lang, "inbox-failed")) } } }
                }
            }
            @if let Some(throttled) = &v.throttled {
                div class="notice" role="alert" { p { (throttled.render(lang)) } }
            }
            h1 { (title) }
            p { (t(lang, "inbox-intro")) }
            form method="post" action=(action) novalidate autocomplete="off" {
                input type="hidden" name=(CSRF) value=(v.csrf_token);
                input type="hidden" name=(LANG) value=(lang.tag());
                div class={ "field" @if v.failed { " has-error" } } {
                    label for="f-reference" { (t(lang, "inbox-reference-label")) }
                    span class="hint" id="f-reference-hint" { (t(lang, "inbox-reference-hint")) }
                    input type="text" id="f-reference" name="reference" dir="ltr" spellcheck="false" autocapitalize="characters"
                        value=(v.typed_reference) aria-describedby="f-reference-hint";
                }
                div class={ "field" @if v.failed { " has-error" } } {
                    label for="f-passphrase" { (t(lang, "inbox-passphrase-label")) }
                    input type="password" id="f-passphrase" name="passphrase" dir="ltr" spellcheck="false" autocapitalize="characters";
                }
                (super::caller::sign_in_field(lang))
                button type="submit" { (t(lang, "inbox-submit")) }
            }
        },
    )
}

/// Where the inbox's form posts: the programme's own address, or `/inbox`.
pub(super) fn inbox_action(programme: Option<&Programme>) -> String {
    match programme {
        Some(p) => format!("/p/{}/status", p.public_name()),
        None => crate::letters::INBOX_PATH.to_owned(),
    }
}

/// `programme`: `None` when opened at `/inbox` (signing out goes back there, and the
/// page names no programme). `status_id` is the status worded for the person and
/// `conversation` both sides of the thread with the form to write back
/// (`write_back::conversation`); `sections` the email address (`contact`) and the
/// person's own data and codes (`own`).
pub fn inbox_page(
    programme: Option<&Programme>,
    lang: Language,
    status_id: &str,
    referred_to: &[String],
    conversation: Markup,
    sections: Markup,
) -> Markup {
    let title = t(lang, "inbox-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            h2 { (t(lang, "inbox-status-heading")) }
            p id="enquiry-status" { (t(lang, status_id)) }
            @if !referred_to.is_empty() {
                h2 { (t(lang, "inbox-referred-heading")) }
                ul id="referred-to" {
                    @for name in referred_to {
                        li { (t_args(lang, "inbox-referred", &[("partner", name.clone())])) }
                    }
                }
            }
            (conversation)
            (sections)
            p { a href={ (inbox_action(programme)) "?lang=" (lang.tag()) } { (t(lang, "inbox-sign-out")) } }
        },
    )
}

/// A used form token sent again: nothing was stored a second time, and the codes are
/// not shown again (only the browser that sent it held them, briefly).
pub fn already_sent_page(programme: &Programme, lang: Language) -> Markup {
    let title = t(lang, "already-sent-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (t(lang, "already-sent-body")) }
            p { a id="inbox-link" href=(inbox_href(lang)) { (t(lang, "receipt-inbox-link")) } }
            p { a href={ "/p/" (programme.public_name()) "?lang=" (lang.tag()) } { (t(lang, "already-sent-new")) } }
        },
    )
}

/// The receipt's address once its cookie has expired (or in another browser).
pub fn receipt_gone_page(lang: Language) -> Markup {
    let title = t(lang, "receipt-gone-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (t(lang, "receipt-gone-body")) }
            p { a id="inbox-link" href=(inbox_href(lang)) { (t(lang, "receipt-inbox-link")) } }
        },
    )
}
