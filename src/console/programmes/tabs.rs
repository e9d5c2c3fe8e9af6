//! The programme's pages as tabs: each part of the editor is a page of its own under
//! one navigation (plain links, so it works without JavaScript), with the launch
//! checklist as the first.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{Markup, html};

use super::{Editing, shell_page};
use crate::i18n::t;

/// One page of a programme in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tab {
    /// The launch checklist and the status.
    Overview,
    General,
    Questions,
    Queues,
    Routing,
    Templates,
    Partners,
    Staff,
    Toml,
}

impl Tab {
    pub(super) const ALL: [Tab; 9] = [
        Tab::Overview,
        Tab::General,
        Tab::Questions,
        Tab::Queues,
        Tab::Routing,
        Tab::Templates,
        Tab::Partners,
        Tab::Staff,
        Tab::Toml,
    ];

    /// The page's path under the programme's address.
    pub(super) fn path(self) -> &'static str {
        match self {
            Tab::Overview => "",
            Tab::General => "/general",
            Tab::Questions => "/fields",
            Tab::Queues => "/queues",
            Tab::Routing => "/routing",
            Tab::Templates => "/templates",
            Tab::Partners => "/partners",
            Tab::Staff => "/staff",
            Tab::Toml => "/toml",
        }
    }

    pub(super) fn label_id(self) -> &'static str {
        match self {
            Tab::Overview => "launch-tab-overview",
            Tab::General => "pe-general",
            Tab::Questions => "pe-fields",
            Tab::Queues => "pe-queues",
            Tab::Routing => "pe-routing",
            Tab::Templates => "pe-templates",
            Tab::Partners => "pe-partners",
            Tab::Staff => "launch-tab-staff",
            Tab::Toml => "pe-toml-link",
        }
    }

    /// The page a form of the editor belongs to (by the name its refusals use).
    pub(super) fn of_form(form: &str) -> Tab {
        match form {
            "general" => Tab::General,
            "add-field" | "fields" => Tab::Questions,
            "add-queue" | "queues" => Tab::Queues,
            "routing" | "rules" => Tab::Routing,
            "templates" => Tab::Templates,
            "referrals" | "partners" => Tab::Partners,
            "staff" => Tab::Staff,
            "toml" => Tab::Toml,
            _ => Tab::Overview,
        }
    }
}

/// The tabs, the current one marked.
pub(super) fn nav(ed: &Editing, current: Tab) -> Markup {
    let lang = ed.lang;
    let base = ed.base();
    html! {
        nav aria-label=(t(lang, "pe-sections")) class="tabs" {
            ul {
                @for tab in Tab::ALL {
                    li {
                        @if tab == current {
                            a href={ (base) (tab.path()) } aria-current="page" { (t(lang, tab.label_id())) }
                        } @else {
                            a href={ (base) (tab.path()) } { (t(lang, tab.label_id())) }
                        }
                    }
                }
            }
        }
    }
}

/// A page of the programme: its title as a caption, the tabs, the page's heading and
/// its content.
pub(super) fn page(
    ed: &Editing,
    tab: Tab,
    heading: &str,
    status: StatusCode,
    content: Markup,
) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let programme = p.text(&p.file().title, lang).to_owned();
    let title = if tab == Tab::Overview {
        programme.clone()
    } else {
        format!("{heading} – {programme}")
    };
    shell_page(
        &ed.staff,
        lang,
        &title,
        status,
        html! {
            p { a href="/admin/programmes" { (t(lang, "pe-list-title")) } }
            @if tab != Tab::Overview {
                p class="caption" dir="auto" { (programme) }
            }
            h1 id="top" dir="auto" { (heading) }
            (nav(ed, tab))
            (content)
        },
    )
}
