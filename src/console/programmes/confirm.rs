//! The page that asks for the password before a change that widens who can read a
//! programme's data is saved, whichever section or page the change came from.
//!
//! It names each widened item (its path in the programme file, and what it means)
//! and carries the posted form in hidden inputs to the same address, so that the
//! same handler runs again with the password and [`crate::programme::editing::save`]
//! reviews the change again against what is stored then (the form's version is one
//! of the fields: a save made meanwhile makes it stale, not silently confirmed).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::html;

use super::widgets::{self, Posted, errors_box};
use super::{Editing, shell_page};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::widening::{KindChange, KindHeld, Widening};

/// Marks a post from this page: a wrong password is then shown here again.
pub const MARK: &str = "confirming";

/// The confirmation page for `widened`, with `error` if a password was refused.
pub fn page(
    ed: &Editing,
    posted: &Posted,
    widened: &[Widening],
    error: Option<&str>,
) -> HttpResponse {
    let lang = ed.lang;
    let title = t(lang, "widening-title");
    let errors: Vec<String> = error.map(str::to_owned).into_iter().collect();
    let carried: Vec<(&str, &str)> = posted
        .pairs()
        .filter(|(k, _)| !k.contains("password") && *k != "csrf" && *k != MARK)
        .collect();
    shell_page(
        &ed.staff,
        lang,
        &title,
        StatusCode::UNPROCESSABLE_ENTITY,
        html! {
            (errors_box(lang, &errors))
            h1 { (title) }
            p { (t(lang, "widening-intro")) }
            ul id="widened" {
                @for w in widened {
                    li {
                        code dir="ltr" { (w.name()) }
                        " – "
                        (explain(lang, w))
                    }
                }
            }
            p { (t(lang, "widening-audited")) }
            form method="post" action=(ed.req.path()) novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                input type="hidden" name=(MARK) value="1";
                @for (name, value) in &carried {
                    input type="hidden" name=(name) value=(value);
                }
                (widgets::password(lang, "confirm"))
                button type="submit" { (t(lang, "widening-submit")) }
            }
            p { a href=(ed.base()) { (t(lang, "widening-cancel")) } }
        },
    )
}

/// What a widened item means, in `lang`.
pub(super) fn explain(lang: Language, w: &Widening) -> String {
    let key = format!("widening-kind-{}", w.kind());
    match w {
        Widening::PartnerAdded(p) | Widening::PartnerAddress(p) | Widening::PartnerRecipient(p) => {
            t_args(lang, &key, &[("partner", p.clone())])
        }
        Widening::PartnerProfile { partner, added } => t_args(
            lang,
            &key,
            &[("partner", partner.clone()), ("fields", added.join(", "))],
        ),
        Widening::SharedField(f) => t_args(lang, &key, &[("field", f.clone())]),
        Widening::Language(l) => {
            let name = Language::parse(l).map_or_else(|_| l.clone(), |l| l.endonym().to_owned());
            t_args(lang, &key, &[("language", name)])
        }
        _ => t(lang, &key),
    }
}

/// Why a field keeps its kind, in `lang`.
pub fn kind_held(lang: Language, change: &KindChange) -> String {
    let kind = |k| t(lang, &format!("pe-kind-{}", super::shown::kind_value(k)));
    t_args(
        lang,
        match change.held {
            KindHeld::Answered => "widening-kind-held-answered",
            KindHeld::Shared => "widening-kind-held-shared",
        },
        &[
            ("field", change.field.clone()),
            ("from", kind(change.from)),
            ("to", kind(change.to)),
        ],
    )
}
