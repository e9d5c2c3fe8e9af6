//! The page shell every HTML page shares.

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use maud::{DOCTYPE, Markup, html};

use crate::domain::Language;
use crate::i18n::t;

/// Where "Leave quickly" goes: a site with nothing to do with Haven, common everywhere.
pub const LEAVE_TO: &str = "https://www.google.com/";
/// What "Leave quickly" links to: `leave`, on every listener.
pub const LEAVE_PATH: &str = "/leave";

/// "Leave quickly": a 303 to `LEAVE_TO` that asks the browser to drop this site's cache
/// and cookies on the way out (`Clear-Site-Data`), so that the receipt's sealed codes
/// and any copy of the receipt or the inbox are gone from a phone that is then taken.
/// No script needed; answered on every listener, so a 404 page can be left the same way.
pub async fn leave() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, LEAVE_TO))
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header(("clear-site-data", r#""cache", "cookies""#))
        .finish()
}

pub struct Page<'a> {
    pub lang: Language,
    pub title: &'a str,
    /// Languages offered in the switch; empty hides it.
    pub languages: &'a [Language],
}

pub fn render(page: &Page<'_>, main: Markup) -> Markup {
    let lang = page.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (page.title) " – " (t(lang, "site-name")) }
                link rel="stylesheet" href=(crate::web::assets::CSS_PATH);
                link rel="icon" href=(crate::web::assets::ICON_PATH) type="image/svg+xml";
            }
            body {
                a class="skip-link" href="#main" { (t(lang, "skip-to-content")) }
                header class="site-header" {
                    div class="wrap" {
                        span class="site-name" { (t(lang, "site-name")) }
                        // Someone may walk in: one tap to a page that gives nothing away,
                        // through `leave` (which clears this site's cache and cookies).
                        // A plain link (no script to replace the history entry); the
                        // receipt and the form are `no-store`, so Back refetches them.
                        a class="leave" href=(LEAVE_PATH) rel="noreferrer" { (t(lang, "leave-quickly")) }
                        @if page.languages.len() > 1 {
                            nav class="langs" aria-label=(t(lang, "language-switch")) {
                                ul {
                                    @for l in page.languages {
                                        li {
                                            @if *l == lang {
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
                }
                main id="main" class="wrap" tabindex="-1" {
                    (main)
                }
                footer class="site-footer" {
                    div class="wrap" { p { (t(lang, "footer-note")) } }
                }
            }
        }
    }
}
