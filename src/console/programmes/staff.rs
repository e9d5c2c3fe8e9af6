//! The programme's staff page (`/admin/programmes/{slug}/staff`): who holds a role,
//! giving an existing account a role or taking it away, and the requests that wait
//! for an instance admin. The rules are [`crate::staffing`]'s; every change here asks
//! for the password again and is audited, and every grant tells the instance admins.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::super::admin::role_label;
use super::super::pages::{csrf_field, datetime};
use super::shown::Form;
use super::tabs::{self, Tab};
use super::widgets::{self, Posted, errors_box, flash_box};
use super::{Console, Editing, done_of, for_get, for_post, reauth, see_other};
use crate::casework::ProgrammeRole;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::staffing::{self, Done, Granter, InProgramme, Refusal, StaffingError};
use crate::store::{RoleChange, RoleRequest};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/staff", web::get().to(show))
        .route("/{slug}/staff/grant", web::post().to(grant))
        .route("/{slug}/staff/{user}/remove", web::post().to(remove))
        .route("/{slug}/requests/{id}/{op}", web::post().to(decide));
}

fn granter(ed: &Editing) -> Granter<'_> {
    Granter {
        id: &ed.staff.id,
        instance_admin: ed.staff.is_admin,
        role: ed.staff.role_in(&ed.record.id),
    }
}

fn programme(ed: &Editing) -> InProgramme<'_> {
    InProgramme {
        id: &ed.record.id,
        slug: ed.slug().as_str(),
    }
}

/// Why a change was refused, in the admin's language.
fn refusal_text(lang: crate::domain::Language, r: &Refusal) -> String {
    use crate::auth::password::PasswordRejected;
    t(
        lang,
        match r {
            Refusal::NotAdmin => "launch-refused-not-admin",
            Refusal::OwnAccount => "launch-refused-own",
            Refusal::AlreadyHolds => "launch-refused-holds",
            Refusal::NoRole => "launch-refused-no-role",
            Refusal::Disabled => "launch-refused-disabled",
            Refusal::NoAccount => "launch-refused-no-account",
            Refusal::InvalidEmail => "admin-error-invalid-email",
            Refusal::NotApprover => "launch-refused-not-approver",
            Refusal::NotPending => "launch-refused-not-pending",
            Refusal::RoleChanged => "launch-refused-role-changed",
            Refusal::AccountExists => "launch-refused-account-exists",
            Refusal::Password(PasswordRejected::TooShort) => "admin-error-password-short",
            Refusal::Password(PasswordRejected::TooLong) => "admin-error-password-long",
            Refusal::Password(PasswordRejected::Common) => "admin-error-password-common",
        },
    )
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    page(&console, &ed, done_of(&req).as_deref(), None, &[]).await
}

async fn page(
    console: &Console,
    ed: &Editing,
    done: Option<&str>,
    typed: Option<&Posted>,
    errors: &[String],
) -> Result<HttpResponse, AppError> {
    let members = console.store.programme_members(&ed.record.id).await?;
    let requests = console
        .store
        .pending_role_requests(Some(&ed.record.id))
        .await?;
    Ok(markup(ed, &members, &requests, done, typed, errors))
}

/// The staff page from what [`page`] loaded (rendering only): who holds which role,
/// the form to give one, and the requests waiting for an instance admin.
fn markup(
    ed: &Editing,
    members: &[(String, String, ProgrammeRole, bool)],
    requests: &[RoleRequest],
    done: Option<&str>,
    typed: Option<&Posted>,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let me = granter(ed);
    let title = t(lang, "launch-tab-staff");
    let base = ed.base();
    let typed_role = typed.map_or("agent", |t| t.text("role"));
    tabs::page(
        ed,
        Tab::Staff,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (flash_box(lang, done))
            (errors_box(lang, errors))
            p { (t(lang, "launch-staff-intro")) }
            h2 id="members" { (t(lang, "launch-staff-members")) }
            @if members.is_empty() {
                p { (t(lang, "launch-staff-none")) }
            } @else {
                div class="table-scroll" {
                    table class="compact" {
                        thead { tr {
                            th scope="col" { (t(lang, "console-account-email")) }
                            th scope="col" { (t(lang, "admin-role")) }
                            th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                        } }
                        tbody {
                            @for (id, email, role, disabled) in members {
                                tr {
                                    td {
                                        span dir="ltr" { (email) }
                                        @if *disabled { " " span class="tag" { (t(lang, "launch-staff-disabled")) } }
                                    }
                                    td { (role_label(lang, *role)) }
                                    td class="row-actions" {
                                        @if *id != ed.staff.id {
                                            (remove_form(ed, &me, id, email, *role, *disabled))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 id="grant" { (t(lang, "launch-staff-grant")) }
            form method="post" action={ (base) "/staff/grant" } novalidate {
                (csrf_field(&ed.staff.csrf))
                div class="field" {
                    label for="grant-email" { (t(lang, "launch-staff-email")) }
                    p class="hint" id="grant-email-hint" { (t(lang, "launch-staff-email-hint")) }
                    input type="email" id="grant-email" name="email" dir="ltr" spellcheck="false" autocomplete="off"
                        value=(typed.map_or("", |t| t.text("email"))) aria-describedby="grant-email-hint";
                }
                div class="field" {
                    label for="grant-role" { (t(lang, "admin-role")) }
                    select id="grant-role" name="role" {
                        @for r in [ProgrammeRole::Agent, ProgrammeRole::Supervisor, ProgrammeRole::Admin] {
                            option value=(r.as_str()) selected[typed_role == r.as_str()] {
                                (role_label(lang, r))
                                @if staffing::grant_waits(&me, r) {
                                    " – " (t(lang, "launch-staff-asks"))
                                }
                            }
                        }
                    }
                }
                (widgets::password(lang, "grant"))
                button type="submit" { (t(lang, "launch-staff-grant-submit")) }
            }
            @if !requests.is_empty() {
                h2 id="requests" { (t(lang, "launch-requests")) }
                ul class="requests" {
                    @for r in requests {
                        li id={ "request-" (r.id) } { (request_item(ed, &me, r)) }
                    }
                }
            }
        },
    )
}

fn change_label(lang: crate::domain::Language, change: RoleChange) -> String {
    match change {
        RoleChange::Grant(r) => t_args(
            lang,
            "launch-request-grant",
            &[("role", role_label(lang, r))],
        ),
        RoleChange::Remove => t(lang, "launch-request-remove"),
    }
}

/// "Remove…": the password and the button behind a disclosure, so one click removes
/// nothing.
fn remove_form(
    ed: &Editing,
    me: &Granter,
    id: &str,
    email: &str,
    role: ProgrammeRole,
    disabled: bool,
) -> Markup {
    let lang = ed.lang;
    let direct = matches!(
        staffing::decide(
            me,
            Some(&staffing::Target {
                id,
                current: Some(role),
                disabled,
            }),
            RoleChange::Remove,
        ),
        Ok(staffing::Way::Direct)
    );
    html! {
        details {
            summary { (t(lang, "pe-remove")) span class="visually-hidden" { " " (email) } }
            form method="post" action={ (ed.base()) "/staff/" (id) "/remove" } novalidate {
                (csrf_field(&ed.staff.csrf))
                p { (t_args(lang, if direct { "launch-staff-remove-confirm" } else { "launch-staff-remove-ask" }, &[("email", email.to_owned()), ("role", role_label(lang, role))])) }
                div class="field" {
                    label for={ "pw-remove-" (id) } { (t(lang, "pe-password")) }
                    input type="password" id={ "pw-remove-" (id) } name="current_password" autocomplete="current-password";
                }
                button type="submit" class="warning" {
                    @if direct { (t(lang, "launch-staff-remove-submit")) } @else { (t(lang, "launch-staff-remove-request")) }
                }
            }
        }
    }
}

fn request_item(ed: &Editing, me: &Granter, r: &RoleRequest) -> Markup {
    let lang = ed.lang;
    let action = |op: &str| format!("{}/requests/{}/{op}", ed.base(), r.id);
    let mine = r.requested_by == ed.staff.id;
    html! {
        p {
            (t_args(lang, "launch-request-line", &[
                ("by", r.requested_by_email.clone()),
                ("email", r.email.clone()),
                ("change", change_label(lang, r.change)),
                ("when", datetime(r.created_at)),
            ]))
            @if r.user_id.is_none() { " " (t(lang, "launch-request-invitation")) }
        }
        @if mine {
            form method="post" action=(action("withdraw")) class="inline" {
                (csrf_field(&ed.staff.csrf))
                button type="submit" class="secondary" { (t(lang, "launch-request-withdraw")) }
            }
        } @else if staffing::may_decide(me, r).is_ok() {
            form method="post" action=(action("approve")) novalidate {
                (csrf_field(&ed.staff.csrf))
                @if r.user_id.is_none() {
                    div class="field" {
                        label for={ "first-" (r.id) } { (t(lang, "admin-initial-password")) }
                        input type="password" id={ "first-" (r.id) } name="first_password" autocomplete="new-password";
                    }
                }
                div class="field" {
                    label for={ "pw-approve-" (r.id) } { (t(lang, "pe-password")) }
                    input type="password" id={ "pw-approve-" (r.id) } name="current_password" autocomplete="current-password";
                }
                button type="submit" { (t(lang, "launch-request-approve")) }
            }
            form method="post" action=(action("refuse")) class="inline" {
                (csrf_field(&ed.staff.csrf))
                button type="submit" class="secondary" { (t(lang, "launch-request-refuse")) }
            }
        } @else {
            p class="hint" { (t(lang, "launch-request-waiting")) }
        }
    }
}

/// The outcome as a redirect, or the page again with the reason.
async fn respond(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    result: Result<Done, StaffingError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(done) => {
            let done = match done {
                Done::Granted => "granted",
                Done::Removed => "removed",
                Done::Requested => "requested",
            };
            Ok(see_other(&format!("{}/staff?done={done}", ed.base())))
        }
        Err(StaffingError::Refused(r)) => {
            page(
                console,
                ed,
                None,
                Some(&posted.without_secrets()),
                &[refusal_text(ed.lang, &r)],
            )
            .await
        }
        Err(StaffingError::Store(e)) => Err(e.into()),
    }
}

async fn grant(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let role = ProgrammeRole::parse(posted.text("role")).ok_or(AppError::BadRequest)?;
    let proof = match reauth(&console, &req, &ed.staff, ed.lang, &posted).await? {
        Ok(proof) => proof,
        Err(message) => {
            return page(
                &console,
                &ed,
                None,
                Some(&posted.without_secrets()),
                &[message],
            )
            .await;
        }
    };
    let result = staffing::change(
        &console.store,
        &granter(&ed),
        &proof,
        programme(&ed),
        posted.text("email"),
        RoleChange::Grant(role),
    )
    .await;
    respond(&console, &ed, &posted, result).await
}

async fn remove(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, user) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let account = console.store.user(&user).await?.ok_or(AppError::NotFound)?;
    let proof = match reauth(&console, &req, &ed.staff, ed.lang, &posted).await? {
        Ok(proof) => proof,
        Err(message) => return page(&console, &ed, None, None, &[message]).await,
    };
    let result = staffing::change(
        &console.store,
        &granter(&ed),
        &proof,
        programme(&ed),
        &account.email,
        RoleChange::Remove,
    )
    .await;
    respond(&console, &ed, &Posted::default(), result).await
}

async fn decide(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, id, op) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let request = console
        .store
        .role_request(&id)
        .await?
        .filter(|r| r.programme_id == ed.record.id)
        .ok_or(AppError::NotFound)?;
    let me = granter(&ed);
    let result = match op.as_str() {
        "approve" => {
            let proof = match reauth(&console, &req, &ed.staff, ed.lang, &posted).await? {
                Ok(proof) => proof,
                Err(message) => return page(&console, &ed, None, None, &[message]).await,
            };
            // The invitation's first password is hashed in a place of the server's
            // one password gate, like every other hash.
            let client = crate::web::client::client_key(&req, &console.config.trusted_proxies);
            let Ok(admission) = console.gate.admit(client) else {
                let busy = crate::console::admin::reauth_message(
                    ed.lang,
                    crate::console::admin::Reauth::Busy,
                    "admin-error-wrong-password",
                );
                return page(&console, &ed, None, None, &[busy]).await;
            };
            staffing::approve(
                &console.store,
                admission,
                &me,
                &proof,
                &request,
                posted.text("first_password"),
            )
            .await
            .map(|()| "approved")
        }
        "refuse" | "withdraw" => staffing::close(&console.store, &me, &request)
            .await
            .map(|()| {
                if op == "refuse" {
                    "refused"
                } else {
                    "withdrawn"
                }
            }),
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(done) => Ok(see_other(&format!("{}/staff?done={done}", ed.base()))),
        Err(StaffingError::Refused(r)) => {
            page(&console, &ed, None, None, &[refusal_text(ed.lang, &r)]).await
        }
        Err(StaffingError::Store(e)) => Err(e.into()),
    }
}
