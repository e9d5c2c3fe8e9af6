//! The phone intake's pages: the programme's form in the caller's language (the public
//! form's own questions, `intake::pages::fields`), and the receipt for reading aloud.

use maud::{Markup, html};

use super::held::Held;
use crate::auth::Staff;
use crate::console::pages::{Shell, csrf_field, render};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::intake::form::{FieldError, LANG, RawForm, SWITCH_LANG};
use crate::intake::pages::{self as public, FormView as PublicForm};
use crate::intake::phone::{CALL_BACK, CALL_SAFE};
use crate::intake::spelling;
use crate::programme::Programme;

pub(super) struct FormView<'a> {
    pub staff: &'a Staff,
    pub programme: &'a Programme,
    /// The caller's language: the questions are drawn (and read out) in it.
    pub caller: Language,
    pub typed: &'a RawForm,
    pub errors: &'a [FieldError],
}

fn error_of<'a>(v: &'a FormView<'_>, name: &str) -> Option<&'a FieldError> {
    v.errors.iter().find(|e| e.name == name)
}

/// "Is it safe to talk now, and when may we call back?", asked first.
fn call_questions(v: &FormView<'_>) -> Markup {
    let lang = v.caller;
    let safe = v.typed.get(CALL_SAFE).unwrap_or("");
    let safe_error = error_of(v, CALL_SAFE);
    let back_error = error_of(v, CALL_BACK);
    html! {
        div class={ "field" @if safe_error.is_some() { " has-error" } } {
            fieldset aria-describedby=[safe_error.map(|_| "f-call_safe-error")] {
                legend { (t(lang, "phone-safe-question")) }
                @if let Some(e) = safe_error {
                    span class="error-message" id="f-call_safe-error" { (e.message.render(lang)) }
                }
                div class="choice" {
                    input type="radio" id="f-call_safe" name=(CALL_SAFE) value="yes" checked[safe == "yes"];
                    label for="f-call_safe" { (t(lang, "phone-safe-yes")) }
                }
                div class="choice" {
                    input type="radio" id="f-call_safe-1" name=(CALL_SAFE) value="no" checked[safe == "no"];
                    label for="f-call_safe-1" { (t(lang, "phone-safe-no")) }
                }
            }
        }
        div class={ "field" @if back_error.is_some() { " has-error" } } {
            label for="f-call_back" { (t(lang, "phone-call-back-question")) " " (t(lang, "field-optional")) }
            span class="hint" id="f-call_back-hint" { (t(lang, "phone-call-back-hint")) }
            @if let Some(e) = back_error {
                span class="error-message" id="f-call_back-error" { (e.message.render(lang)) }
            }
            input type="text" id="f-call_back" name=(CALL_BACK) value=(v.typed.get(CALL_BACK).unwrap_or(""))
                aria-describedby={ "f-call_back-hint" @if back_error.is_some() { " f-call_back-error" } };
        }
    }
}

pub(super) fn form(v: &FormView<'_>) -> Markup {
    let (staff, p, caller) = (v.staff, v.programme, v.caller);
    let lang = staff.lang;
    let title = t_args(
        lang,
        "phone-title",
        &[("programme", p.text(&p.file().title, lang).to_owned())],
    );
    let public_view = PublicForm {
        programme: p,
        lang: caller,
        csrf_token: &staff.csrf,
        typed: v.typed,
        errors: v.errors,
        notice: None,
    };
    let action = format!("/console/p/{}/new", p.slug());
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            h1 { (title) }
            p { (t(lang, "phone-intro")) }
            form method="get" action=(action) class="inline" {
                label for="caller-language" { (t(lang, "phone-caller-language")) }
                " "
                select id="caller-language" name="caller" {
                    @for l in p.languages() {
                        option value=(l.tag()) selected[*l == caller] lang=(l.tag()) { (l.endonym()) }
                    }
                }
                " "
                button type="submit" class="secondary" { (t(lang, "phone-caller-language-button")) }
            }
            div class="phone-form" lang=(caller.tag()) dir=(caller.dir()) {
                (public::error_summary(&public_view))
                form method="post" action=(action) novalidate autocomplete="off" accept-charset="utf-8" {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name=(LANG) value=(caller.tag());
                    (call_questions(v))
                    (public::fields(&public_view))
                    button type="submit" { (t(caller, "form-submit")) }
                    @if p.languages().len() > 1 {
                        fieldset class="lang-switch" {
                            legend { (t(caller, "form-switch-language")) }
                            @for l in p.languages().iter().filter(|l| **l != caller) {
                                button type="submit" class="secondary" name=(SWITCH_LANG) value=(l.tag())
                                    formnovalidate lang=(l.tag()) dir=(l.dir()) { (l.endonym()) }
                                " "
                            }
                        }
                    }
                }
            }
        },
    )
}

/// One code, group by group, each symbol with its spelling word in the caller's language.
fn spelled(caller: Language, id: &str, code: &str) -> Markup {
    html! {
        p class="code" id=(id) dir="ltr" {
            @for (i, group) in code.split('-').enumerate() {
                @if i > 0 { "-" wbr; }
                span class="group" { (group) }
            }
        }
        ol class="spelling" lang=(caller.tag()) dir=(caller.dir()) {
            @for group in code.split('-') {
                li {
                    @for (i, (c, word)) in spelling::spell(caller, group).into_iter().enumerate() {
                        @if i > 0 { ", " }
                        bdi dir="ltr" { strong { (c) } } " " (word)
                    }
                }
            }
        }
    }
}

/// The receipt for reading aloud. `refused`: "Done" was pressed without "read back".
pub(super) fn receipt(
    staff: &Staff,
    p: &Programme,
    held: &Held,
    sealed: &str,
    refused: bool,
) -> Markup {
    let lang = staff.lang;
    let caller = held.lang;
    let title = t(lang, "phone-receipt-title");
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            @if refused {
                div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 id="error-summary-title" { (t(lang, "error-summary-title")) }
                    ul { li { a href="#f-read-back" { (t(lang, "phone-read-back-missing")) } } }
                }
            }
            h1 { (title) }
            p { (t_args(lang, "phone-receipt-intro", &[("language", caller.endonym().to_owned())])) }
            p class="hint" {
                @if spelling::has_own_letters(caller) { (t(lang, "phone-spelling-own")) }
                @else { (t(lang, "phone-spelling-nato")) }
            }
            div class="panel" {
                h2 { (t(lang, "phone-receipt-reference")) }
                (spelled(caller, "reference-code", &held.receipt.reference.display()))
                h2 { (t(lang, "phone-receipt-passphrase")) }
                (spelled(caller, "passphrase", &held.receipt.passphrase.expose_display()))
            }
            p class="warning" { (t(lang, "phone-receipt-new-passphrase")) }
            p { (t(lang, "phone-receipt-inbox")) }
            form method="post" action={ "/console/p/" (p.slug()) "/new/done" } {
                (csrf_field(&staff.csrf))
                input type="hidden" name="receipt" value=(sealed);
                div class={ "field" @if refused { " has-error" } } {
                    @if refused {
                        span class="error-message" id="f-read-back-error" { (t(lang, "phone-read-back-missing")) }
                    }
                    div class="choice" {
                        input type="checkbox" id="f-read-back" name="read_back" value="yes"
                            aria-describedby=[refused.then_some("f-read-back-error")];
                        label for="f-read-back" { (t(lang, "phone-read-back")) }
                    }
                }
                button type="submit" { (t(lang, "phone-done")) }
            }
        },
    )
}
