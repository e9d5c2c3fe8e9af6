//! A programme's keys from the web: how many ciphertexts each still protects, and key
//! rotation for programme admins (their password again). Re-sealing starts at once in
//! the background; the page refreshes itself without JavaScript until nothing is left
//! under an older key, as the bulk-reply page does.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::pages::{Shell, csrf_field, error_summary, flash_box, render};
use super::queues::Done;
use super::{Console, page, see_other};
use crate::audit::{AuditAction, Entry};
use crate::auth::Staff;
use crate::casework::{Action, Subject, permit};
use crate::crypto::ProgrammeKeyPair;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::store::KeyUsage;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programmes/{slug}/keys")
            .route(web::get().to(show))
            .route(web::post().to(rotate)),
    );
}

#[derive(Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
}

async fn programme_admin(
    console: &Console,
    staff: &Staff,
    slug: &str,
) -> Result<std::sync::Arc<LiveProgramme>, AppError> {
    let (live, role) = console.programme_for(staff, slug).await?;
    permit(
        super::member(staff, role),
        Action::ManageKeys,
        Subject::Programme,
    )
    .map_err(|_| AppError::NotFound)?;
    Ok(live)
}

async fn keys_page(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    errors: &[(&str, String)],
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let keys = console.store.key_usage(&live.id).await?;
    Ok(keys_markup(staff, live, &keys, errors, done))
}

/// The keys page from the programme's key usage (rendering only); while ciphertexts
/// wait under older keys it refreshes itself.
fn keys_markup(
    staff: &Staff,
    live: &LiveProgramme,
    keys: &[KeyUsage],
    errors: &[(&str, String)],
    done: Option<&str>,
) -> HttpResponse {
    let lang = staff.lang;
    let slug = live.programme.slug().as_str();
    let resealed: i64 = keys
        .iter()
        .filter(|k| k.current)
        .map(|k| k.ciphertexts)
        .sum();
    let remaining: i64 = keys
        .iter()
        .filter(|k| !k.current && !k.destroyed)
        .map(|k| k.ciphertexts)
        .sum();
    let title = t(lang, "keys-title");
    let markup = render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            (flash_box(lang, done))
            (error_summary(lang, errors))
            p { a href={ "/console/p/" (slug) } { (live.programme.text(&live.programme.file().title, crate::domain::Language::En)) } }
            h1 { (title) }
            p { (t(lang, "keys-intro")) }
            dl class="summary" id="key-progress" {
                dt { (t(lang, "keys-current-count")) } dd id="keys-resealed" { (resealed) }
                dt { (t(lang, "keys-remaining")) } dd id="keys-remaining" { (remaining) }
            }
            @if remaining > 0 {
                p class="hint" { (t(lang, "keys-refreshes")) }
            }
            table {
                thead { tr {
                    th scope="col" { (t(lang, "keys-key")) }
                    th scope="col" { (t(lang, "console-delivery-state")) }
                    th scope="col" class="num" { (t(lang, "keys-ciphertexts")) }
                } }
                tbody {
                    @for k in keys {
                        tr {
                            td { span class="code" { (k.key_id) } }
                            td {
                                @if k.current { (t(lang, "keys-state-current")) }
                                @else if k.destroyed { (t(lang, "keys-state-destroyed")) }
                                @else { (t(lang, "keys-state-old")) }
                            }
                            td class="num" { (k.ciphertexts) }
                        }
                    }
                }
            }
            h2 { (t(lang, "keys-rotate-heading")) }
            p { (t(lang, "keys-rotate-intro")) }
            form method="post" action={ "/admin/programmes/" (slug) "/keys" } novalidate {
                (csrf_field(&staff.csrf))
                div class=@if errors.is_empty() { "field" } @else { "field has-error" } {
                    label for="current_password" { (t(lang, "admin-confirm-password")) }
                    input type="password" id="current_password" name="current_password" autocomplete="current-password";
                }
                button type="submit" { (t(lang, "keys-rotate-submit")) }
            }
            p { (t_args(lang, "keys-cli", &[("slug", slug.to_owned())])) }
        },
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(status, markup);
    if remaining > 0 {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("refresh"),
            actix_web::http::header::HeaderValue::from_static("5"),
        );
    }
    res
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    keys_page(&console, &staff, &live, &[], done.as_deref()).await
}

async fn rotate(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<RotateForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    let reauth =
        super::admin::reauthenticate(&console, &req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        let error = super::admin::reauth_message(staff.lang, reauth, "admin-error-wrong-password");
        return keys_page(
            &console,
            &staff,
            &live,
            &[("current_password", error)],
            None,
        )
        .await;
    }
    let slug = live.programme.slug().clone();
    let current = live.sealer.key_id().to_owned();
    crate::rotation::check_master_opens(&console.keyring, &current)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let key = ProgrammeKeyPair::generate(&console.keyring.recipient())?;
    let rotated = console
        .store
        .rotate_programme_key(
            &live.id,
            &key,
            &console.keyring.programme_signer(),
            &Entry::new(
                &staff.actor(),
                AuditAction::ProgrammeRotateKey,
                &format!("programme:{slug}"),
            )
            .detail(serde_json::json!({ "from": current, "to": key.key_id })),
        )
        .await?;
    if !rotated {
        // Its state was checked when the page loaded it; changed in the database since.
        return Err(crate::store::StoreError::UnsignedProgramme.into());
    }
    // Re-sealing starts now instead of at the worker's next minute; the worker's
    // batches and this one only ever move a ciphertext to the current key.
    let keyring = console.keyring.clone();
    let reader = staff.actor();
    let store = console.store.clone();
    let job_slug = slug.clone();
    tokio::spawn(async move {
        let resealed = crate::rotation::reseal_all(&store, &keyring, &reader, &job_slug, |_| {});
        if let Err(e) = resealed.await {
            tracing::error!(programme = %job_slug, error = %e, "re-sealing failed");
        }
    });
    Ok(see_other(&format!(
        "/admin/programmes/{slug}/keys?done=rotated"
    )))
}
