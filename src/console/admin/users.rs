//! The users page: every account with its roles and state, adding an account, and
//! the per-account changes (a role, resetting the second factor, disabling).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Reauth, admin, admin_posting, reauth_message, reauthenticate, role_label, state};
use crate::auth::Staff;
use crate::auth::accounts::{self, AccountError, AccountRequest};
use crate::casework::ProgrammeRole;
use crate::console::pages::{Shell, csrf_field, datetime, error_summary, flash_box, render};
use crate::console::queues::Done;
use crate::console::{Console, page, see_other};
use crate::error::AppError;
use crate::i18n::{Msg, t, t_args};
use crate::store::{Membership, RoleRequest, UserRecord};

#[derive(Deserialize, Default)]
pub struct AddUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    current_password: String,
}

/// What the users page shows, loaded before any of it is rendered.
struct Accounts {
    users: Vec<UserRecord>,
    /// Each account's memberships, by account id.
    memberships: BTreeMap<String, Vec<Membership>>,
    /// Every programme (id, slug), for the new account's programme.
    programmes: Vec<(String, String)>,
    /// Programme admins' requests that only an instance admin decides.
    requests: Vec<RoleRequest>,
}

async fn accounts(console: &Console) -> Result<Accounts, AppError> {
    let users = console.store.list_users().await?;
    let mut memberships = BTreeMap::new();
    for u in &users {
        memberships.insert(u.id.clone(), console.store.memberships(&u.id).await?);
    }
    Ok(Accounts {
        users,
        memberships,
        programmes: console.store.programme_ids().await?,
        requests: console.store.pending_role_requests(None).await?,
    })
}

pub(super) async fn users_page(
    console: &Console,
    staff: &Staff,
    typed: &AddUserForm,
    errors: &[(&str, String)],
    done: Option<&str>,
) -> Result<Markup, AppError> {
    Ok(users_markup(
        staff,
        &accounts(console).await?,
        typed,
        errors,
        done,
    ))
}

/// The users page, from what [`accounts`] loaded (rendering only).
fn users_markup(
    staff: &Staff,
    accounts: &Accounts,
    typed: &AddUserForm,
    errors: &[(&str, String)],
    done: Option<&str>,
) -> Markup {
    let Accounts {
        users,
        memberships,
        programmes,
        requests,
    } = accounts;
    let roles: BTreeMap<&String, Vec<String>> = memberships
        .iter()
        .map(|(id, list)| {
            let list = list
                .iter()
                .map(|m| {
                    t_args(
                        staff.lang,
                        "admin-role-in",
                        &[
                            ("role", role_label(staff.lang, m.role)),
                            ("programme", m.slug.clone()),
                        ],
                    )
                })
                .collect();
            (id, list)
        })
        .collect();
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let lang = staff.lang;
    let title = t(lang, "console-nav-users");
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            (flash_box(lang, done))
            (error_summary(lang, errors))
            h1 { (title) }
            @if !requests.is_empty() {
                div class="notice" id="requests" {
                    h2 { (t(lang, "launch-requests")) }
                    ul {
                        @for r in requests {
                            li {
                                a href={ "/admin/programmes/" (r.slug) "/staff#request-" (r.id) } {
                                    (r.slug) ": "
                                    (t_args(lang, "launch-request-line", &[
                                        ("by", r.requested_by_email.clone()),
                                        ("email", r.email.clone()),
                                        ("change", match r.change {
                                            crate::store::RoleChange::Grant(role) => t_args(lang, "launch-request-grant", &[("role", role_label(lang, role))]),
                                            crate::store::RoleChange::Remove => t(lang, "launch-request-remove"),
                                        }),
                                        ("when", datetime(r.created_at)),
                                    ]))
                                }
                            }
                        }
                    }
                }
            }
            table class="users" {
                thead { tr {
                    th scope="col" { (t(lang, "console-account-email")) } th scope="col" { (t(lang, "admin-roles")) }
                    th scope="col" { (t(lang, "admin-two-step")) } th scope="col" { (t(lang, "console-delivery-state")) } th scope="col" { "" }
                } }
                tbody {
                    @for u in users {
                        tr {
                            td { (u.email) }
                            td {
                                @if u.is_admin { (t(lang, "admin-instance-admin")) }
                                @for r in roles.get(&u.id).into_iter().flatten() { div { (r) } }
                            }
                            td { @if u.totp_ciphertext.is_some() { (t(lang, "console-on")) } @else { (t(lang, "admin-not-set-up")) } }
                            td { (t(lang, state(u))) }
                            td { (user_actions(staff, u)) }
                        }
                    }
                }
            }
            h2 id="add" { (t(lang, "admin-add-user")) }
            form method="post" action="/admin/users" novalidate {
                (csrf_field(&staff.csrf))
                (text_field("email", &t(lang, "console-signin-email"), "email", &typed.email, error_for("email")))
                div class=@if error_for("role").is_some() { "field has-error" } @else { "field" } {
                    label for="role" { (t(lang, "admin-role")) }
                    @if let Some(e) = error_for("role") { p class="error-message" { (e) } }
                    select id="role" name="role" {
                        @for r in [ProgrammeRole::Agent, ProgrammeRole::Supervisor, ProgrammeRole::Admin] {
                            option value=(r.as_str()) selected[typed.role == r.as_str()] { (role_label(lang, r)) }
                        }
                    }
                }
                div class=@if error_for("programme").is_some() { "field has-error" } @else { "field" } {
                    label for="programme" { (t(lang, "console-programme")) }
                    p class="hint" { (t(lang, "admin-programme-hint")) }
                    @if let Some(e) = error_for("programme") { p class="error-message" { (e) } }
                    select id="programme" name="programme" {
                        option value="" { (t(lang, "console-none-paren")) }
                        @for (_, slug) in programmes {
                            option value=(slug) selected[typed.programme == *slug] { (slug) }
                        }
                    }
                }
                (text_field("password", &t(lang, "admin-initial-password"), "password", "", error_for("password")))
                (text_field("current_password", &t(lang, "admin-confirm-password"), "password", "", error_for("current_password")))
                button type="submit" { (t(lang, "admin-add-user-submit")) }
            }
        },
    )
}

/// Why an account could not be created, in the admin's language.
fn account_problem(e: &AccountError) -> Msg {
    use crate::auth::password::PasswordRejected;
    match e {
        AccountError::InvalidEmail => Msg::new("admin-error-invalid-email"),
        AccountError::Password(PasswordRejected::TooShort) => {
            Msg::new("admin-error-password-short")
        }
        AccountError::Password(PasswordRejected::TooLong) => Msg::new("admin-error-password-long"),
        AccountError::Password(PasswordRejected::Common) => Msg::new("admin-error-password-common"),
        AccountError::ProgrammeRequired => Msg::new("admin-error-programme-required"),
        AccountError::UnknownProgramme(slug) => {
            Msg::new("admin-error-unknown-programme").arg("programme", slug.clone())
        }
        AccountError::Exists => Msg::new("admin-error-exists"),
        AccountError::UnknownUser | AccountError::Store(_) => Msg::new("admin-error-unknown-user"),
    }
}

fn text_field(name: &str, label: &str, kind: &str, value: &str, error: Option<String>) -> Markup {
    html! {
        div class=@if error.is_some() { "field has-error" } @else { "field" } {
            label for=(name) { (label) }
            @if let Some(e) = &error { p class="error-message" id={ (name) "-error" } { (e) } }
            input type=(kind) id=(name) name=(name) value=(value) spellcheck="false"
                autocomplete=(if kind == "password" { "new-password" } else { "off" })
                aria-describedby=[error.as_ref().map(|_| format!("{name}-error"))];
        }
    }
}

fn user_actions(staff: &Staff, u: &UserRecord) -> Markup {
    let lang = staff.lang;
    let your_password = t(lang, "admin-your-password");
    let confirm = |form: &str| {
        html! {
            label class="visually-hidden" for={ "pw-" (u.id) "-" (form) } { (your_password) }
            input type="password" id={ "pw-" (u.id) "-" (form) } name="current_password" placeholder=(your_password) autocomplete="current-password";
        }
    };
    html! {
        @if u.id != staff.id {
            details {
                summary { (t(lang, "admin-change")) }
                form method="post" action={ "/admin/users/" (u.id) "/reset-2fa" } {
                    (csrf_field(&staff.csrf)) (confirm("reset"))
                    button type="submit" class="secondary" { (t(lang, "admin-reset-2fa")) }
                }
                @if u.disabled {
                    form method="post" action={ "/admin/users/" (u.id) "/enable" } {
                        (csrf_field(&staff.csrf)) (confirm("state"))
                        button type="submit" class="secondary" { (t(lang, "admin-enable")) }
                    }
                } @else {
                    form method="post" action={ "/admin/users/" (u.id) "/disable" } {
                        (csrf_field(&staff.csrf)) (confirm("state"))
                        button type="submit" class="secondary" { (t(lang, "admin-disable")) }
                    }
                }
            }
        }
    }
}

pub(super) async fn users(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let staff = admin(&console, &req, crate::casework::Action::ManageAccounts).await?;
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    Ok(page(
        StatusCode::OK,
        users_page(
            &console,
            &staff,
            &AddUserForm::default(),
            &[],
            done.as_deref(),
        )
        .await?,
    ))
}

pub(super) async fn add_user(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<AddUserForm>,
) -> Result<HttpResponse, AppError> {
    let staff = admin_posting(&console, &req, &form.csrf).await?;
    let form = form.into_inner();
    let again = |errors: Vec<(&'static str, String)>| {
        let console = console.clone();
        let staff = staff.clone();
        let typed = AddUserForm {
            password: String::new(),
            current_password: String::new(),
            ..form_clone(&form)
        };
        async move {
            Ok::<_, AppError>(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&console, &staff, &typed, &errors, None).await?,
            ))
        }
    };
    let reauth = reauthenticate(&console, &req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        return again(vec![(
            "current_password",
            reauth_message(staff.lang, reauth, "admin-error-wrong-password"),
        )])
        .await;
    }
    let Some(role) = ProgrammeRole::parse(&form.role) else {
        return again(vec![("role", t(staff.lang, "admin-error-role"))]).await;
    };
    let request = AccountRequest {
        email: &form.email,
        role,
        programme: Some(form.programme.as_str()).filter(|p| !p.is_empty()),
        password: &form.password,
    };
    let client = crate::web::client::client_key(&req, &console.config.trusted_proxies);
    let Ok(admission) = console.gate.admit(client) else {
        return again(vec![(
            "password",
            reauth_message(staff.lang, Reauth::Busy, "admin-error-wrong-password"),
        )])
        .await;
    };
    match accounts::create_account(&console.store, admission, request, &staff.actor()).await {
        Ok(_) => Ok(see_other("/admin/users?done=user-added")),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            let field = match e {
                AccountError::InvalidEmail | AccountError::Exists => "email",
                AccountError::Password(_) => "password",
                _ => "programme",
            };
            again(vec![(field, account_problem(&e).render(staff.lang))]).await
        }
    }
}

fn form_clone(f: &AddUserForm) -> AddUserForm {
    AddUserForm {
        csrf: String::new(),
        email: f.email.clone(),
        role: f.role.clone(),
        programme: f.programme.clone(),
        password: String::new(),
        current_password: String::new(),
    }
}
