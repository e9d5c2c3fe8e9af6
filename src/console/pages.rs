//! The staff page shell and the small pieces every console page shares. Staff pages
//! are in English for now (the public pages are the ones in six languages).

use maud::{DOCTYPE, Markup, html};

use crate::auth::Staff;
use crate::casework::ProgrammeRole;
use crate::domain::Language;
use crate::i18n::t;

pub struct Shell<'a> {
    pub title: &'a str,
    /// `None` on the sign-in pages.
    pub staff: Option<&'a Staff>,
}

pub fn render(shell: &Shell<'_>, main: Markup) -> Markup {
    render_in(shell, Language::En, main)
}

/// A staff page whose own text is in `lang` (the programme editor's pages).
pub fn render_in(shell: &Shell<'_>, lang: Language, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (shell.title) " – Haven console" }
                link rel="stylesheet" href=(crate::web::assets::CSS_PATH);
                link rel="icon" href=(crate::web::assets::ICON_PATH) type="image/svg+xml";
            }
            body class="console" {
                a class="skip-link" href="#main" { "Skip to main content" }
                header class="site-header" {
                    div class="wrap" {
                        span class="site-name" { "Haven console" }
                        @if let Some(staff) = shell.staff {
                            nav class="console-nav" aria-label="Console" {
                                ul {
                                    li { a href="/console" accesskey="q" { "Queues" } }
                                    @if staff.is_admin || staff.memberships.iter().any(|m| m.role == ProgrammeRole::Admin) {
                                        li { a href="/admin/programmes" { (t(lang, "pe-nav")) } }
                                    }
                                    @if staff.is_admin {
                                        li { a href="/admin/users" { "Users" } }
                                        li { a href="/admin/audit" { "Audit log" } }
                                    }
                                    li { a href="/console/account" { (staff.email) } }
                                    li {
                                        form method="post" action="/console/sign-out" class="inline" {
                                            (csrf_field(&staff.csrf))
                                            button type="submit" class="link" { "Sign out" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="main" class="wrap wide" tabindex="-1" {
                    (main)
                }
            }
        }
    }
}

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A message at the top of a page after an action (from `?done=`), from a fixed list
/// so that nothing typed into a URL is ever shown.
pub fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "claimed" => "You have claimed this enquiry.",
        "unclaimed" => "The claim was released.",
        "assigned" => "The enquiry was assigned.",
        "status" => "The status was changed.",
        "note" => "Your note was added.",
        "hold" => "The legal hold was changed.",
        "replied" => {
            "Your reply was sent. It is in the person's reply inbox, and emailed if they gave an address."
        }
        "campaign-created" => "The bulk reply is waiting for a second supervisor to approve it.",
        "dispatched" => "Approved: one message per person is being sent.",
        "cancelled" => "The bulk reply was cancelled. Nothing was sent.",
        "transferred" => "The enquiry was moved to another queue.",
        "referral-pending" => {
            "The referral is waiting for a supervisor other than you to approve it. Nothing has left yet."
        }
        "referral-queued" => {
            "The referral is queued: one encrypted message to the partner's address."
        }
        "referral-ready" => "The referral is ready: download the encrypted file once below.",
        "referral-approved" => "Approved: the referral may now leave.",
        "referral-cancelled" => "The referral was cancelled. Nothing left.",
        "conflict" => "Someone else changed this enquiry first; here is how it is now.",
        "user-added" => {
            "The account was created. Its owner must sign in and set up two-step verification within 72 hours."
        }
        "reset" => "Two-step verification was reset and the account's sessions ended.",
        "disabled" => "The account was disabled and its sessions ended.",
        "enabled" => "The account was enabled.",
        "signed-out-everywhere" => "Every other session of yours has ended.",
        _ => return None,
    })
}

pub fn flash_box(code: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = flash(code) {
            div class="notice" role="status" { p { (text) } }
        }
    }
}

/// Errors above a form, linked to their fields (the GOV.UK error summary).
pub fn error_summary(errors: &[(&str, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { "There is a problem" }
                ul {
                    @for (field, message) in errors {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
        }
    }
}

/// A UTC date and hour for a Unix time, e.g. `2026-11-24 05:00`.
pub fn datetime(unix: i64) -> String {
    let (y, m, d) = civil_date(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

pub fn date(unix: i64) -> String {
    let (y, m, d) = civil_date(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(datetime(0), "1970-01-01 00:00");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(datetime(1_795_500_000), "2026-11-24 06:00");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn flash_messages_come_from_a_fixed_list() {
        assert!(flash(Some("claimed")).is_some());
        assert!(flash(Some("<script>")).is_none());
        assert!(flash(None).is_none());
    }
}
