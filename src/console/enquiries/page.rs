//! The enquiry page (what the person wrote, the case work forms, replies, referrals,
//! notes) and the small pages around it. Markup only: `super` opens the case through
//! the keyring and loads the rest; `casework::permit` decides what is offered.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{Markup, html};

use super::{Around, NOTE_MAX};
use crate::auth::Staff;
use crate::casework::notes::NoteKind;
use crate::casework::{Action, Case, ProgrammeRole, Subject, permit};
use crate::console::member;
use crate::console::pages::{Shell, csrf_field, datetime, flash_box, render};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::keyring::OpenedCase;
use crate::programme::live::LiveProgramme;
use crate::programme::{Answer, FieldKind, Programme};
use crate::replies::Draft;
use crate::store::EnquiryRecord;

/// Everything the enquiry page shows.
pub(super) struct EnquiryView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub role: ProgrammeRole,
    pub record: &'a EnquiryRecord,
    pub case: Case<'a>,
    pub opened: &'a OpenedCase,
    pub around: &'a Around,
    /// A reply started from a template.
    pub draft: Option<&'a Draft>,
    pub referrals: Markup,
    pub done: Option<&'a str>,
    /// The enquiry's display handle (issue 22, item 3).
    pub handle: Option<&'a str>,
    /// Others' claims and draft locks, related enquiries, duplicate marks (issue 22).
    pub collisions: Markup,
}

pub(super) fn answer_text(lang: Language, p: &Programme, key: &str, answer: &Answer) -> String {
    let label_of = |value: &str| {
        p.field(key)
            .and_then(|f| f.options.iter().find(|o| o.value == value))
            .map(|o| p.text(&o.label, lang).to_owned())
            .unwrap_or_else(|| value.to_owned())
    };
    match answer {
        Answer::Text(t) => match p.field(key).map(|f| f.kind) {
            Some(FieldKind::Select | FieldKind::Radio) => label_of(t),
            Some(FieldKind::Country) => crate::programme::countries::COUNTRIES
                .iter()
                .find(|(code, _)| code == t)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_else(|| t.clone()),
            _ => t.clone(),
        },
        Answer::Choices(c) => c.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
        Answer::Flag(true) => t(lang, "console-yes"),
        Answer::Flag(false) => t(lang, "console-no"),
    }
}

pub(super) fn enquiry(v: &EnquiryView<'_>) -> Markup {
    let (staff, record, live) = (v.staff, v.record, v.live);
    let lang = staff.lang;
    let p = &live.programme;
    let asked = v.around.submitted_with.as_ref().unwrap_or(p);
    let content = &v.opened.content;
    let team = &v.around.team;
    let held = v.around.held;
    let status = v.case.status;
    let may = |a: Action| permit(member(staff, v.role), a, Subject::Enquiry(v.case)).is_ok();
    let name_of = |id: &str| {
        team.iter()
            .find(|(uid, _, _)| uid == id)
            .map(|(_, email, _)| email.clone())
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let queue_name = |key: &str| crate::console::labels::queue_name(p, key, lang);
    let base = format!("/console/e/{}", record.id);
    let title = t_args(
        lang,
        "console-enquiry-title",
        &[("reference", content.reference.clone())],
    );
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
        (flash_box(lang, v.done))
        p {
            a href={ "/console/p/" (p.slug()) "/q/" (record.queue) } { (t_args(lang, "console-back-to", &[("place", queue_name(&record.queue))])) }
        }
        h1 { (t(lang, "console-enquiry-heading")) " " span class="code" { (content.reference) } }
        (crate::console::verify::link(lang, &record.id))
        (v.collisions)
        // Wide screens: what the person wrote, the reply box and the actions side by
        // side (`.case-layout` in static/haven.css); narrow ones: one column, in this order.
        div class="case-layout" {
        div class="case-text" {
        dl class="summary" {
            @if let Some(handle) = v.handle {
                dt { (t(lang, "agents-b-handle")) } dd { span class="code" { (handle) } }
            }
            dt { (t(lang, "console-programme")) } dd { (crate::console::labels::title(p, lang)) }
            dt { (t(lang, "console-queue")) } dd { (queue_name(&record.queue)) }
            dt { (t(lang, "console-priority")) } dd { (record.priority) }
            dt { (t(lang, "console-status")) } dd { (t(lang, status.label_id())) }
            dt { (t(lang, "console-claimed-by")) } dd {
                @match &record.assigned_to {
                    Some(id) if *id == staff.id => (t(lang, "console-you")),
                    Some(id) => (name_of(id)),
                    None => (t(lang, "console-nobody-yet")),
                }
            }
            dt { (t(lang, "console-received")) } dd { (t_args(lang, "console-received-at", &[("time", datetime(record.created_hour))])) }
            dt { (t(lang, "console-kept-until")) } dd {
                @if held { (t(lang, "console-kept-hold")) }
                @else { (t_args(lang, "console-kept-date", &[("date", crate::console::pages::date(record.created_hour + i64::from(p.file().retention_days) * 86_400))])) }
            }
            dt { (t(lang, "language-switch")) } dd { (content.language) }
            dt { (t(lang, "console-reply-by")) } dd {
                @match &content.email {
                    Some(e) => { (t(lang, "console-reply-by-email")) " " (e) }
                    None => (t(lang, "console-reply-by-inbox")),
                }
            }
        }
        (crate::console::phone::call_section(lang, content.call.as_ref(), &name_of))
        @if let Some(mail) = &content.mail {
            h2 { (t(lang, "console-mail-heading")) }
            dl class="summary mail" {
                dt { (t(lang, "console-subject")) } dd dir="auto" { (mail.subject.clone().unwrap_or_else(|| t(lang, "console-none-paren"))) }
                @if mail.forwarded {
                    dt { (t(lang, "console-mail-forwarded")) } dd { (t(lang, "console-mail-forwarded-yes")) }
                }
                @if let Some(note) = &mail.forward_note {
                    dt { (t(lang, "console-mail-forward-note")) } dd class="preserve" dir="auto" { (note) }
                }
                @if mail.truncated {
                    dt { (t(lang, "console-mail-text")) } dd { (t_args(lang, "console-mail-truncated", &[("max", crate::import::mail::MAX_TEXT_CHARS.to_string())])) }
                }
                dt { (t(lang, "console-mail-attachments")) } dd {
                    @if mail.attachments.is_empty() { (t(lang, "console-none")) } @else {
                        ul {
                            @for (n, a) in mail.attachments.iter().enumerate() {
                                li dir="auto" {
                                    // A kept attachment downloads by its place in the list.
                                    @if a.data.is_some() {
                                        a href={ (base) "/attachments/" (n + 1) } download { (a.name) }
                                    } @else { (a.name) }
                                    " ("
                                    (t_args(lang, "console-mail-attachment", &[("type", a.content_type.clone()), ("size", a.size.to_string())]))
                                    @if a.data.is_none() { ", " (t(lang, "console-mail-not-kept")) }
                                    ")"
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t(lang, "console-what-they-wrote")) }
        p class="hint" id="form-version" { (t_args(lang, "console-form-version", &[("version", record.form_version.to_string())])) }
        dl class="summary answers" {
            @for f in &asked.file().fields {
                @if let Some(a) = content.answers.get(&f.key) {
                    // The question is the programme's own text, often in another script than the
                    // page: its own direction keeps its punctuation where it belongs.
                    dt dir="auto" { (asked.text(&f.label, lang)) }
                    dd class="preserve" dir="auto" { (answer_text(lang, asked, &f.key, a)) }
                }
            }
            // Answers the form version cannot name (it should always name them all).
            @for (key, a) in &content.answers {
                @if asked.field(key).is_none() {
                    dt { (key) } dd class="preserve" dir="auto" { (answer_text(lang, asked, key, a)) }
                }
            }
        }
        }
        div class="case-reply" {
        (crate::console::replies::section(&crate::console::replies::Section {
            staff,
            live,
            record,
            sent: Some((&v.opened.replies, &v.around.deliveries)),
            draft: v.draft,
            problem: None,
            may_reply: may(Action::Reply) || may(Action::ReplyAnyway),
            heard: &v.opened.messages,
            claimed_by: record.assigned_to.as_deref().filter(|id| *id != staff.id).map(name_of),
            language: crate::template_checks::LanguageChoice::NotNeeded,
        }))
        (v.referrals)
        }
        div class="case-actions" {
        h2 { (t(lang, "console-actions")) }
        div class="actions" {
            @if may(Action::Claim) {
                form method="post" action={ (base) "/claim" } class="inline" {
                    (csrf_field(&staff.csrf))
                    button type="submit" accesskey="c" { (t(lang, "console-claim")) }
                }
            }
            @if may(Action::Unclaim) {
                form method="post" action={ (base) "/unclaim" } class="inline" {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name="current" value=[record.assigned_to.as_deref()];
                    button type="submit" class="secondary" { (t(lang, "console-release-claim")) }
                }
            }
        }
        @if may(Action::Hold) {
            form method="post" action={ (base) "/hold" } {
                (csrf_field(&staff.csrf))
                input type="hidden" name="hold" value=(if held { "0" } else { "1" });
                button type="submit" class="secondary" {
                    @if held { (t(lang, "console-hold-lift")) } @else { (t(lang, "console-hold-put")) }
                }
            }
        }
        @if may(Action::Withdraw) { (withdraw_form(lang, &base, &staff.csrf)) }
        @if may(Action::RemoveContact) && record.has_email {
            (super::contact::remove_form(lang, &base, &staff.csrf))
        }
        @if may(Action::ChangeStatus) && !status.next().is_empty() {
            form method="post" action={ (base) "/status" } {
                (csrf_field(&staff.csrf))
                input type="hidden" name="from" value=(status.as_str());
                div class="field" {
                    label for="status-to" { (t(lang, "console-change-status")) }
                    // Nothing chosen for the agent: the list starts empty (issue 22).
                    select id="status-to" name="to" required {
                        option value="" selected disabled { (t(lang, "agents-c-status-choose")) }
                        @for s in status.next() { option value=(s.as_str()) { (t(lang, s.label_id())) } }
                    }
                    " "
                    button type="submit" { (t(lang, "console-change-status")) }
                    " "
                    button type="submit" name="then" value="next" class="secondary" accesskey="s" { (t(lang, "agents-b-save-and-next")) }
                }
            }
        }
        @if may(Action::Assign) && !team.is_empty() {
            form method="post" action={ (base) "/assign" } {
                (csrf_field(&staff.csrf))
                div class="field" {
                    label for="assign-to" { (t(lang, "console-assign-to")) }
                    select id="assign-to" name="to" {
                        @for (uid, email, r) in team {
                            option value=(uid) selected[record.assigned_to.as_deref() == Some(uid.as_str())] {
                                (email) " (" (crate::console::admin::role_label(lang, *r)) ")"
                            }
                        }
                    }
                    " "
                    button type="submit" { (t(lang, "console-assign")) }
                }
            }
        }
        @if may(Action::Transfer) && p.file().queues.len() > 1 {
            form method="post" action={ (base) "/transfer" } {
                (csrf_field(&staff.csrf))
                input type="hidden" name="from" value=(record.queue);
                div class="field" {
                    label for="transfer-to" { (t(lang, "console-transfer-to")) }
                    select id="transfer-to" name="to" {
                        @for q in p.file().queues.iter().filter(|q| q.key != record.queue) {
                            option value=(q.key) { (p.text(&q.name, lang)) }
                        }
                    }
                }
                div class="field" {
                    label for="transfer-reason" { (t(lang, "console-transfer-reason")) }
                    textarea id="transfer-reason" name="reason" rows="2" maxlength=(NOTE_MAX) required {}
                }
                button type="submit" { (t(lang, "console-transfer-submit")) }
            }
        }
        h2 { (t(lang, "console-notes")) }
        @if v.opened.notes.is_empty() {
            p { (t(lang, "console-no-notes")) }
        }
        ol class="notes" {
            @for (n, note) in &v.opened.notes {
                li {
                    p class="meta" {
                        (n.author_email.clone().unwrap_or_else(|| t(lang, "console-former-member")))
                        ", " (datetime(n.created_at)) " UTC"
                        @if let NoteKind::Transfer { from, to } = &note.kind {
                            " — " (t_args(lang, "console-note-moved", &[
                                ("from", queue_name(from)),
                                ("to", queue_name(to)),
                            ]))
                        }
                    }
                    p class="preserve" dir="auto" { (note.text) }
                }
            }
        }
        form method="post" action={ (base) "/note" } {
            (csrf_field(&staff.csrf))
            div class="field" {
                label for="note" { (t(lang, "console-note-label")) }
                p class="hint" id="note-hint" { (t(lang, "console-note-hint")) }
                textarea id="note" name="text" rows="4" maxlength=(NOTE_MAX) aria-describedby="note-hint" required {}
            }
            button type="submit" accesskey="n" { (t(lang, "console-note-submit")) }
        }
        }
        }
        (crate::console::queue_list::shortcuts(lang))
        },
    )
}

/// An enquiry whose programme was crypto-shredded: it exists, and says so plainly.
pub(super) fn shredded(staff: &Staff) -> HttpResponse {
    let lang = staff.lang;
    let title = t(lang, "console-shredded-title");
    crate::console::page(
        StatusCode::GONE,
        render(
            &Shell {
                title: &title,
                staff: Some(staff),
                lang,
            },
            html! {
                h1 { (title) }
                p { (t(lang, "console-shredded-body")) }
                p { a href="/console" { (t(lang, "console-nav-queues")) } }
            },
        ),
    )
}

/// A note or reason could not be saved (expired page, signed out): the text comes back
/// so the work is not lost.
pub(super) fn kept_text_page(lang: Language, title: &str, text: &str, back: &str) -> Markup {
    render(
        &Shell {
            title,
            staff: None,
            lang,
        },
        html! {
            h1 { (title) }
            p { (t(lang, "console-kept-text-intro")) }
            div class="field" {
                label for="kept" { (t(lang, "console-kept-text-label")) }
                textarea id="kept" rows="8" readonly { (text) }
            }
            p { a href=(back) { (t(lang, "console-kept-text-back")) } }
        },
    )
}

/// Withdrawing on the person's request (`withdraw`; shown to those `permit` allows).
fn withdraw_form(lang: Language, base: &str, csrf: &str) -> Markup {
    html! {
        section id="withdraw-on-request" {
            h2 { (t(lang, "own-staff-heading")) }
            p { (t(lang, "own-staff-intro")) }
            form method="post" action={ (base) "/delete-on-request" } {
                (csrf_field(csrf))
                div class="field checkbox" {
                    input type="checkbox" id="withdraw-confirm" name="confirm" value="yes";
                    label for="withdraw-confirm" { (t(lang, "own-staff-confirm")) }
                }
                button type="submit" class="warning" { (t(lang, "own-staff-submit")) }
            }
        }
    }
}
