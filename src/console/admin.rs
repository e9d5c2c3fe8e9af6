//! Instance administration: staff accounts and the audit log. Only instance admins
//! reach these pages; to anyone else they do not exist (404). Every change asks for
//! the admin's own password again (ASVS 3.7.1) and is audited with the change.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, error_summary, flash_box, render};
use super::queues::Done;
use super::{Console, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Filter, Outcome, Verdict};
use crate::auth::Staff;
use crate::auth::accounts::{self, AccountError, AccountRequest, ENROL_WITHIN_SECS};
use crate::casework::ProgrammeRole;
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{Msg, t, t_args};
use crate::store::{UserRecord, now};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/users")
            .route(web::get().to(users))
            .route(web::post().to(add_user)),
    )
    .route("/users/{id}/grant", web::post().to(grant))
    .route("/users/{id}/reset-2fa", web::post().to(reset_totp))
    .route("/users/{id}/disable", web::post().to(disable))
    .route("/users/{id}/enable", web::post().to(enable))
    .route("/audit", web::get().to(audit_log));
}

async fn admin(console: &Console, req: &HttpRequest) -> Result<Staff, AppError> {
    let staff = console.staff(req).await?;
    if staff.is_admin {
        Ok(staff)
    } else {
        Err(AppError::NotFound)
    }
}

async fn admin_posting(
    console: &Console,
    req: &HttpRequest,
    csrf: &str,
) -> Result<Staff, AppError> {
    let staff = console.staff_posting(req, csrf).await?;
    if staff.is_admin {
        Ok(staff)
    } else {
        Err(AppError::NotFound)
    }
}

/// The outcome of asking for the admin's password again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reauth {
    Confirmed,
    /// The password was wrong (or the account is gone).
    Refused,
    /// Too many attempts for this account or address within the sign-in window: the
    /// password was not even checked, so saying "not right" would be untrue and would
    /// send the admin retyping a correct password into the same wall.
    Throttled,
    /// Password hashing was full (`auth::gate`): not checked either; try again soon.
    Busy,
}

impl Reauth {
    pub(super) fn confirmed(self) -> bool {
        self == Reauth::Confirmed
    }
}

/// Re-authentication: the admin's own password, throttled like sign-in (the same
/// limiter and quota, so re-authentication is no side door for guessing).
pub(super) async fn reauthenticate(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    password: &str,
) -> Result<Reauth, AppError> {
    Ok(
        match reauthenticate_for(console, req, staff, password).await? {
            Ok(_) => Reauth::Confirmed,
            Err(refused) => refused,
        },
    )
}

/// [`reauthenticate`], with the proof that functions which must not run without it
/// take ([`crate::auth::reauth::Reauthenticated`]).
pub(super) async fn reauthenticate_for(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    password: &str,
) -> Result<Result<crate::auth::reauth::Reauthenticated, Reauth>, AppError> {
    let key = crate::auth::reauth::account_key(&staff.id);
    // A place for the hash first, as at sign-in: refused before anything is counted.
    let client = crate::web::client::client_key(req, &console.config.trusted_proxies);
    let Ok(admission) = console.gate.admit(client) else {
        return Ok(Err(Reauth::Busy));
    };
    let check = super::signin::check_attempt(console, req, &key).await?;
    if !check.allowed() {
        drop(admission);
        super::signin::record_throttled(
            console,
            req,
            check,
            &key,
            Entry::new(
                &staff.actor(),
                AuditAction::ReauthFailed,
                &staff.actor().to_string(),
            )
            .outcome(Outcome::Throttled),
        )
        .await?;
        return Ok(Err(Reauth::Throttled));
    }
    match crate::auth::reauth::confirm(&console.store, admission, &staff.id, password).await? {
        Some(proof) => {
            console
                .store
                .mark_reauthenticated(&staff.session_hash, now())
                .await?;
            Ok(Ok(proof))
        }
        None => {
            console
                .store
                .record_audit(
                    &Entry::new(
                        &staff.actor(),
                        AuditAction::ReauthFailed,
                        &staff.actor().to_string(),
                    )
                    .outcome(Outcome::Denied),
                )
                .await?;
            Ok(Err(Reauth::Refused))
        }
    }
}

/// The English message for a refused re-authentication on the admin pages.
/// Why a re-authentication did not go through, in `lang`: throttled (the password was
/// not checked), or the message `wrong` for a password that is not right.
pub(super) fn reauth_message(lang: Language, outcome: Reauth, wrong: &str) -> String {
    match outcome {
        Reauth::Throttled => t(lang, "reauth-throttled"),
        Reauth::Busy => t(lang, "reauth-busy"),
        _ => t(lang, wrong),
    }
}

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

async fn users_page(
    console: &Console,
    staff: &Staff,
    typed: &AddUserForm,
    errors: &[(&str, String)],
    done: Option<&str>,
) -> Result<Markup, AppError> {
    let users = console.store.list_users().await?;
    let programmes = console.store.programme_ids().await?;
    // Programme admins' requests that only an instance admin decides.
    let requests = console.store.pending_role_requests(None).await?;
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in &users {
        let list = console
            .store
            .memberships(&u.id)
            .await?
            .into_iter()
            .map(|m| {
                t_args(
                    staff.lang,
                    "admin-role-in",
                    &[
                        ("role", role_label(staff.lang, m.role)),
                        ("programme", m.slug),
                    ],
                )
            })
            .collect();
        roles.insert(u.id.clone(), list);
    }
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let lang = staff.lang;
    let title = t(lang, "console-nav-users");
    Ok(render(
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
                        @for r in &requests {
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
                    @for u in &users {
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
                        @for (_, slug) in &programmes {
                            option value=(slug) selected[typed.programme == *slug] { (slug) }
                        }
                    }
                }
                (text_field("password", &t(lang, "admin-initial-password"), "password", "", error_for("password")))
                (text_field("current_password", &t(lang, "admin-confirm-password"), "password", "", error_for("current_password")))
                button type="submit" { (t(lang, "admin-add-user-submit")) }
            }
        },
    ))
}

pub(super) fn role_label(lang: Language, role: ProgrammeRole) -> String {
    t(
        lang,
        match role {
            ProgrammeRole::Agent => "admin-role-agent",
            ProgrammeRole::Supervisor => "admin-role-supervisor",
            ProgrammeRole::Admin => "admin-role-admin",
        },
    )
}

/// The message naming an account's state.
pub(super) fn state(u: &UserRecord) -> &'static str {
    if u.disabled {
        "admin-state-disabled"
    } else if u.totp_ciphertext.is_none() && u.enrol_by.is_some_and(|by| now() > by) {
        "admin-state-lapsed"
    } else if u.totp_ciphertext.is_none() {
        "admin-state-waiting"
    } else {
        "admin-state-active"
    }
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

async fn users(console: web::Data<Console>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let staff = admin(&console, &req).await?;
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

async fn add_user(
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

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    programme: String,
}

/// The common start of every per-user change: an admin, their password, a real target
/// that is not themselves.
async fn target(
    console: &Console,
    req: &HttpRequest,
    id: &str,
    form: &ConfirmForm,
) -> Result<Result<(Staff, UserRecord), HttpResponse>, AppError> {
    let staff = admin_posting(console, req, &form.csrf).await?;
    let user = console.store.user(id).await?.ok_or(AppError::NotFound)?;
    if user.id == staff.id {
        return Err(AppError::BadRequest);
    }
    let reauth = reauthenticate(console, req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        return Ok(Err(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            users_page(
                console,
                &staff,
                &AddUserForm::default(),
                &[(
                    "current_password",
                    reauth_message(staff.lang, reauth, "admin-error-wrong-password-unchanged"),
                )],
                None,
            )
            .await?,
        )));
    }
    Ok(Ok((staff, user)))
}

async fn grant(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    let role = ProgrammeRole::parse(&form.role).ok_or(AppError::BadRequest)?;
    match accounts::grant(
        &console.store,
        &user.email,
        role,
        &form.programme,
        &staff.actor(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/admin/users?done=user-added")),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(_) => Err(AppError::BadRequest),
    }
}

async fn reset_totp(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    console
        .store
        .reset_totp(
            &user.id,
            now() + ENROL_WITHIN_SECS,
            &Entry::new(
                &staff.actor(),
                AuditAction::UserReset2fa,
                &Actor::staff(&user.id).to_string(),
            ),
        )
        .await?;
    Ok(see_other("/admin/users?done=reset"))
}

async fn set_disabled(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    let action = if disabled {
        AuditAction::UserDisable
    } else {
        AuditAction::UserEnable
    };
    console
        .store
        .set_user_disabled(
            &user.id,
            disabled,
            &Entry::new(&staff.actor(), action, &Actor::staff(&user.id).to_string()),
        )
        .await?;
    Ok(see_other(if disabled {
        "/admin/users?done=disabled"
    } else {
        "/admin/users?done=enabled"
    }))
}

async fn disable(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(console, req, id, form, true).await
}

async fn enable(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(console, req, id, form, false).await
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    outcome: String,
    /// `YYYY-MM-DD`, UTC.
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    before: Option<i64>,
}

/// `YYYY-MM-DD` to the Unix time of its midnight (UTC).
fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant), the inverse of pages::date.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

const AUDIT_PAGE: i64 = 100;

async fn audit_log(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let staff = admin(&console, &req).await?;
    let q = web::Query::<AuditQuery>::from_query(req.query_string())
        .map_err(|_| AppError::BadRequest)?
        .into_inner();
    let filter = Filter {
        actor: q.actor.trim().to_owned(),
        action: q.action.trim().to_owned(),
        subject: q.subject.trim().to_owned(),
        outcome: q.outcome.trim().to_owned(),
        from: parse_day(q.from.trim()),
        until: parse_day(q.until.trim()).map(|d| d + 86_400),
        before: q.before,
    };
    let entries = console.store.search_audit(&filter, AUDIT_PAGE).await?;
    let verdict = console.store.verify_audit().await?;
    // Reading the log is itself recorded (who looked, with which filters).
    console
        .store
        .record_audit(
            &Entry::new(&staff.actor(), AuditAction::AuditView, "audit_log").detail(
                serde_json::json!({
                    "actor": filter.actor, "action": filter.action, "subject": filter.subject,
                    "outcome": filter.outcome, "from": q.from, "until": q.until,
                }),
            ),
        )
        .await?;
    let emails: BTreeMap<String, String> = console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (Actor::staff(&u.id).to_string(), u.email))
        .collect();
    let next = entries
        .last()
        .map(|e| e.seq)
        .filter(|_| entries.len() as i64 == AUDIT_PAGE);
    let next_link = next.map(|seq| {
        let mut params = serde_urlencoded::to_string([
            ("actor", filter.actor.as_str()),
            ("action", filter.action.as_str()),
            ("subject", filter.subject.as_str()),
            ("outcome", filter.outcome.as_str()),
            ("from", q.from.as_str()),
            ("until", q.until.as_str()),
        ])
        .unwrap_or_default();
        params.push_str(&format!("&before={seq}"));
        format!("/admin/audit?{params}")
    });
    let lang = staff.lang;
    let title = t(lang, "console-nav-audit");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang,
            },
            html! {
                h1 { (title) }
                @match &verdict {
                    Verdict::Intact { entries, head } => {
                        div class="notice" role="status" {
                            p { (t_args(lang, "admin-audit-intact", &[("entries", entries.to_string())])) " " span class="code" { (&head[..16]) "…" } }
                        }
                    }
                    Verdict::Broken { seq, reason } => {
                        div class="error-summary" role="alert" {
                            h2 { (t(lang, "admin-audit-broken")) }
                            p { (t_args(lang, "admin-audit-broken-at", &[("seq", seq.to_string())])) " (" (reason) ")." }
                        }
                    }
                }
                form method="get" action="/admin/audit" class="filters" {
                    div class="field-row" {
                        div class="field" { label for="actor" { (t(lang, "admin-audit-actor")) } input type="text" id="actor" name="actor" value=(filter.actor) placeholder="user:…"; }
                        div class="field" { label for="action" { (t(lang, "admin-audit-action")) } input type="text" id="action" name="action" value=(filter.action) placeholder=(t(lang, "admin-audit-action-example")); }
                        div class="field" { label for="subject" { (t(lang, "admin-audit-subject")) } input type="text" id="subject" name="subject" value=(filter.subject) placeholder="enquiry:…"; }
                        div class="field" {
                            label for="outcome" { (t(lang, "admin-audit-outcome")) }
                            select id="outcome" name="outcome" {
                                @for o in ["", "ok", "denied", "failed", "alert"] {
                                    option value=(o) selected[filter.outcome == o] { @if o.is_empty() { (t(lang, "console-any-lower")) } @else { (o) } }
                                }
                            }
                        }
                        div class="field" { label for="from" { (t(lang, "admin-audit-from")) } input type="date" id="from" name="from" value=(q.from); }
                        div class="field" { label for="until" { (t(lang, "admin-audit-until")) } input type="date" id="until" name="until" value=(q.until); }
                    }
                    button type="submit" { (t(lang, "admin-audit-filter")) }
                }
                table class="audit" {
                    thead { tr {
                        th scope="col" class="num" { "#" } th scope="col" { (t(lang, "admin-audit-when")) } th scope="col" { (t(lang, "admin-audit-who")) }
                        th scope="col" { (t(lang, "admin-audit-action")) } th scope="col" { (t(lang, "admin-audit-subject")) } th scope="col" { (t(lang, "admin-audit-outcome")) } th scope="col" { (t(lang, "admin-audit-detail")) }
                    } }
                    tbody {
                        @for e in &entries {
                            tr class={ "outcome-" (e.outcome) } {
                                td class="num" { (e.seq) }
                                td { (datetime(e.at)) }
                                td { (emails.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone())) }
                                td { (e.action) }
                                td { span class="code" { (e.subject) } }
                                td { (e.outcome) }
                                td { span class="code" { (e.detail) } }
                            }
                        }
                    }
                }
                @if let Some(link) = next_link {
                    p { a href=(link) { (t(lang, "admin-audit-older")) } }
                }
            },
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_to_utc_midnight_and_back() {
        for d in ["1970-01-01", "2000-02-29", "2026-11-24", "2100-12-31"] {
            let t = parse_day(d).unwrap();
            assert_eq!(super::super::pages::date(t), d);
            assert_eq!(t % 86_400, 0);
        }
        for bad in ["", "2026-13-01", "2026-11", "x-y-z", "2026-11-24-1"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
