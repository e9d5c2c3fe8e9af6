//! The staff page shell and the small pieces every console page shares. Staff pages
//! are in the staff member's language (see [`crate::auth::Staff::lang`]); texts from
//! a programme's own file stay as the programme wrote them.

use maud::{DOCTYPE, Markup, html};

use crate::auth::Staff;
use crate::casework::Action;
use crate::domain::Language;
use crate::i18n::t;

pub struct Shell<'a> {
    pub title: &'a str,
    /// `None` on the sign-in pages.
    pub staff: Option<&'a Staff>,
    pub lang: Language,
}

pub fn render(shell: &Shell<'_>, main: Markup) -> Markup {
    let lang = shell.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (shell.title) " – " (t(lang, "console-site-name")) }
                link rel="stylesheet" href=(crate::web::assets::CSS_PATH);
                link rel="icon" href=(crate::web::assets::ICON_PATH) type="image/svg+xml";
            }
            body class="console" {
                a class="skip-link" href="#main" { (t(lang, "skip-to-content")) }
                header class="site-header" {
                    div class="wrap" {
                        span class="site-name" { (t(lang, "console-site-name")) }
                        @if let Some(staff) = shell.staff {
                            nav class="console-nav" aria-label=(t(lang, "console-nav-label")) {
                                ul {
                                    li { a href="/console" accesskey="q" { (t(lang, "console-nav-queues")) } }
                                    @if staff.may(Action::EditProgrammes) {
                                        li { a href="/admin/programmes" { (t(lang, "pe-nav")) } }
                                    }
                                    @if staff.may(Action::ManageAccounts) {
                                        li { a href="/admin/users" { (t(lang, "console-nav-users")) } }
                                    }
                                    @if staff.may(Action::ReadAuditLog) {
                                        li { a href="/admin/audit" { (t(lang, "console-nav-audit")) } }
                                    }
                                    li { a href="/console/account" { (staff.email) } }
                                    li {
                                        form method="post" action="/console/sign-out" class="inline" {
                                            (csrf_field(&staff.csrf))
                                            button type="submit" class="link" { (t(lang, "console-sign-out")) }
                                        }
                                    }
                                }
                            }
                        }
                        (language_switch(lang))
                    }
                }
                main id="main" class="wrap wide" tabindex="-1" {
                    (main)
                }
            }
        }
    }
}

/// Links to the same page in every shipped language. Signed in, the choice is
/// remembered for the account; on the sign-in pages it is carried through the steps.
fn language_switch(lang: Language) -> Markup {
    html! {
        nav class="langs" aria-label=(t(lang, "language-switch")) {
            ul {
                @for l in Language::ALL {
                    li {
                        @if l == lang {
                            span aria-current="true" lang=(l.tag()) dir=(l.dir()) { (l.endonym()) }
                        } @else {
                            a href={ "?lang=" (l.tag()) } lang=(l.tag()) hreflang=(l.tag()) dir=(l.dir()) { (l.endonym()) }
                        }
                    }
                }
            }
        }
    }
}

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The message id for a note at the top of a page after an action (from `?done=`),
/// from a fixed list so that nothing typed into a URL is ever shown.
pub fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "claimed" => "console-flash-claimed",
        "unclaimed" => "console-flash-unclaimed",
        "assigned" => "console-flash-assigned",
        "status" => "console-flash-status",
        "note" => "console-flash-note",
        "hold" => "console-flash-hold",
        "replied" => "console-flash-replied",
        "campaign-created" => "console-flash-campaign-created",
        "dispatched" => "console-flash-dispatched",
        "campaign-changed" => "campaign-flash-changed",
        "cancelled" => "console-flash-cancelled",
        "transferred" => "console-flash-transferred",
        "conflict" => "console-flash-conflict",
        "user-added" => "console-flash-user-added",
        "reset" => "console-flash-reset",
        "disabled" => "console-flash-disabled",
        "enabled" => "console-flash-enabled",
        "signed-out-everywhere" => "console-flash-signed-out-everywhere",
        "archived" => "archive-done",
        "shredded" => "archive-done-shredded",
        "rotated" => "keys-done-rotated",
        "referral-pending" => "console-flash-referral-pending",
        "referral-queued" => "console-flash-referral-queued",
        "referral-ready" => "console-flash-referral-ready",
        "referral-approved" => "console-flash-referral-approved",
        "referral-cancelled" => "console-flash-referral-cancelled",
        "referral-stopped" => "console-flash-referral-stopped",
        "taken" => "agents-b-flash-taken",
        "nothing-to-take" => "agents-b-flash-nothing-to-take",
        "writing" => "agents-c-flash-writing",
        "duplicate" => "agents-c-flash-duplicate",
        "duplicate-undone" => "agents-c-flash-duplicate-undone",
        "contact-removed" => "gaps-confirm-flash-removed",
        _ => return None,
    })
}

/// Every `?done=` code [`flash`] knows, for the tests that check each is translated.
pub const FLASH_CODES: [&str; 21] = [
    "claimed",
    "unclaimed",
    "assigned",
    "status",
    "note",
    "hold",
    "replied",
    "campaign-created",
    "dispatched",
    "campaign-changed",
    "cancelled",
    "transferred",
    "conflict",
    "user-added",
    "reset",
    "disabled",
    "enabled",
    "signed-out-everywhere",
    "archived",
    "shredded",
    "rotated",
];

/// The message `id` with its arguments shown as code (a command, a file's key): the
/// translation decides where they go, the page how they look.
pub fn t_code(lang: Language, id: &str, args: &[(&'static str, String)]) -> Markup {
    // A private-use character cannot come from a translation, so it marks where each
    // argument went.
    const MARK: char = '\u{E000}';
    let marked: Vec<(&'static str, String)> = args
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (*name, format!("{MARK}{i}{MARK}")))
        .collect();
    let text = crate::i18n::t_args(lang, id, &marked);
    html! {
        @for (n, piece) in text.split(MARK).enumerate() {
            @if n % 2 == 0 {
                (piece)
            } @else if let Some((_, value)) = piece.parse::<usize>().ok().and_then(|i| args.get(i)) {
                code { (value) }
            }
        }
    }
}

pub fn flash_box(lang: Language, code: Option<&str>) -> Markup {
    html! {
        @if let Some(id) = flash(code) {
            div class="notice" role="status" { p { (t(lang, id)) } }
        }
    }
}

/// Errors above a form, linked to their fields (the GOV.UK error summary).
pub fn error_summary(lang: Language, errors: &[(&str, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (t(lang, "error-summary-title")) }
                ul {
                    @for (field, message) in errors {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
        }
    }
}

// Dates are shown the same way on public pages, in emails and exports too.
pub use crate::domain::{date, datetime};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_messages_come_from_a_fixed_list_translated_everywhere() {
        for code in FLASH_CODES {
            let id = flash(Some(code)).unwrap();
            for lang in Language::ALL {
                assert!(
                    crate::i18n::is_translated(lang, id),
                    "{id} in {}",
                    lang.tag()
                );
            }
        }
        assert!(flash(Some("claimed")).is_some());
        assert!(flash(Some("<script>")).is_none());
        assert!(flash(None).is_none());
    }
}
