//! What the editor's pages show again and the vocabulary their forms share: the typed
//! values and errors of a refused save ([`Shown`]), the rules test box's outcome
//! ([`Tested`]), the posted form, and the field kinds as form values. Kept apart from
//! the pages so that each page (the overview, a partner's) can use them without
//! importing the other.

use actix_web::web;

use super::widgets::Posted;
use crate::domain::Language;
use crate::intake::form::FieldError;
use crate::programme::FieldKind;
use crate::triage::Route;

pub(super) type Form = web::Form<Vec<(String, String)>>;

pub(super) const KINDS: [(FieldKind, &str); 9] = [
    (FieldKind::Text, "text"),
    (FieldKind::Textarea, "textarea"),
    (FieldKind::Email, "email"),
    (FieldKind::Phone, "phone"),
    (FieldKind::Select, "select"),
    (FieldKind::Radio, "radio"),
    (FieldKind::Checkbox, "checkbox"),
    (FieldKind::Country, "country"),
    (FieldKind::Date, "date"),
];

pub(super) fn kind_value(kind: FieldKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("text", |(_, v)| v)
}

pub(super) fn kind_of(value: &str) -> Option<FieldKind> {
    KINDS.iter().find(|(_, v)| *v == value).map(|(k, _)| *k)
}

/// What a page of the programme shows besides the programme: a message, errors of a
/// refused save with the form's typed values, the outcome of the rules test box.
#[derive(Default)]
pub(super) struct Shown {
    pub done: Option<String>,
    pub errors: Vec<String>,
    /// The form (its anchor) whose typed values are shown back, and those values.
    pub typed: Option<(&'static str, Posted)>,
    pub test: Option<Tested>,
}

pub(super) struct Tested {
    pub(super) typed: Posted,
    pub(super) route: Route,
    pub(super) errors: Vec<FieldError>,
}

impl Shown {
    pub(super) fn refused(form: &'static str, posted: &Posted, errors: Vec<String>) -> Self {
        Self {
            errors,
            typed: Some((form, posted.without_secrets())),
            ..Default::default()
        }
    }

    /// The typed value of `name` if the refused form was `form`, else `current`.
    pub(super) fn value(&self, form: &str, name: &str, current: impl FnOnce() -> String) -> String {
        match &self.typed {
            Some((f, posted)) if *f == form => posted.text(name).to_owned(),
            _ => current(),
        }
    }

    pub(super) fn typed_in(&self, form: &str) -> Option<&Posted> {
        match &self.typed {
            Some((f, posted)) if *f == form => Some(posted),
            _ => None,
        }
    }
}

/// A text of the general form per language: as typed after a refused save, else stored.
pub(super) fn typed_text<'a>(
    shown: &'a Shown,
    prefix: &'a str,
    texts: &'a crate::programme::Localised,
) -> impl Fn(Language) -> String + 'a {
    move |l| {
        shown.value("general", &format!("{prefix}.{}", l.tag()), || {
            text_in(texts, l)
        })
    }
}

pub(super) fn text_in(texts: &crate::programme::Localised, l: Language) -> String {
    texts.get(l.tag()).cloned().unwrap_or_default()
}
