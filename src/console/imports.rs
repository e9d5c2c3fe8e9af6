//! Bringing a mailbox in from the console (`/console/p/{slug}/import`): a programme
//! admin uploads `.eml` files or an mbox, and the pipeline `haven import` uses turns
//! them into enquiries, with the same summary.
//!
//! The body is read as it streams, bounded in size and in time, and held in memory
//! only (wiped once imported); nothing of it is written to disk. The form's CSRF token
//! is its first part and is checked before a byte of any file is read, so a cross-site
//! post costs the server nothing. The admin's own password is asked again (a bulk
//! data operation, ASVS 3.7.1) and checked before anything is imported.
//!
//! Longer than a page module because the streaming multipart reader (its bounds, the
//! CSRF part first) and its unit tests, about 240 lines, live beside the one handler
//! that uses it.

use std::sync::Arc;
use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::web::Payload;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use maud::{Markup, html};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use super::pages::{Shell, csrf_field, error_summary, render};
use super::{Console, page};
use crate::auth::{Staff, check_csrf};
use crate::casework::{Action, Subject, permit};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::import::mail::MailError;
use crate::import::{self, Failure, ImportError, Summary, Upload};
use crate::programme::live::LiveProgramme;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/import")
            .route(web::get().to(form))
            .route(web::post().to(upload)),
    );
}

/// Most bytes one upload may carry, all files and fields together.
pub const MAX_UPLOAD_BYTES: usize = 64 << 20;
/// A whole upload must arrive within this (a slow link still manages 64 MiB).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// The small fields: the token and the password.
const MAX_FIELD_BYTES: usize = 1024;
/// Counted against the limit for every part, however empty, so that a body of
/// countless empty parts is bounded like any other.
const PART_COST: usize = 1024;
/// Uploads held in memory at once; others wait their turn before reading their body.
static UPLOADS: Semaphore = Semaphore::const_new(2);

/// What the upload form sent, once read.
pub struct UploadForm {
    pub current_password: Zeroizing<String>,
    pub files: Vec<Upload>,
}

/// Says how much was sent, never what: no password, no file name, no mail.
impl std::fmt::Debug for UploadForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadForm")
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

/// Why an upload's body was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the form's token is missing or wrong")]
    Csrf,
    #[error("larger than the upload limit")]
    TooLarge,
    #[error("not a well-formed upload form")]
    Malformed,
}

/// A part's name, and the file name it came with (files only).
fn part_names(field: &actix_multipart::Field) -> (String, Option<String>) {
    let cd = field.content_disposition();
    (
        cd.and_then(|c| c.get_name()).unwrap_or_default().to_owned(),
        cd.and_then(|c| c.get_filename()).map(str::to_owned),
    )
}

/// Appends a part's bytes to `out`, counting them against `budget` (the whole body's).
async fn read_part(
    field: &mut actix_multipart::Field,
    out: &mut Vec<u8>,
    budget: &mut usize,
    limit: usize,
) -> Result<(), UploadError> {
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| UploadError::Malformed)?;
        if chunk.len() > *budget || out.len() + chunk.len() > limit {
            return Err(UploadError::TooLarge);
        }
        *budget -= chunk.len();
        out.extend_from_slice(&chunk);
    }
    Ok(())
}

/// Reads the upload form from a multipart body: `csrf` first (checked with `csrf_ok`
/// before anything else is read), then any number of `files` and one
/// `current_password`, in any order. At most `limit` bytes of content are read in all.
pub async fn read_form(
    mut multipart: Multipart,
    limit: usize,
    csrf_ok: impl FnOnce(&str) -> bool,
) -> Result<UploadForm, UploadError> {
    let mut budget = limit;
    // The token first: a request without the right one reads no further.
    let mut field = match multipart.next().await {
        Some(Ok(f)) => f,
        _ => return Err(UploadError::Csrf),
    };
    if part_names(&field).0 != "csrf" {
        return Err(UploadError::Csrf);
    }
    let mut token = Vec::new();
    read_part(&mut field, &mut token, &mut budget, MAX_FIELD_BYTES)
        .await
        .map_err(|_| UploadError::Csrf)?;
    if !std::str::from_utf8(&token).is_ok_and(csrf_ok) {
        return Err(UploadError::Csrf);
    }
    drop(field);

    let mut current_password = Zeroizing::new(String::new());
    let mut seen_password = false;
    let mut files = Vec::new();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| UploadError::Malformed)?;
        budget = budget.checked_sub(PART_COST).ok_or(UploadError::TooLarge)?;
        match part_names(&field) {
            (name, None) if name == "current_password" && !seen_password => {
                seen_password = true;
                let mut bytes = Zeroizing::new(Vec::new());
                read_part(&mut field, &mut bytes, &mut budget, MAX_FIELD_BYTES).await?;
                *current_password =
                    String::from_utf8(bytes.to_vec()).map_err(|_| UploadError::Malformed)?;
            }
            (name, Some(file_name)) if name == "files" => {
                let mut bytes = Zeroizing::new(Vec::new());
                read_part(&mut field, &mut bytes, &mut budget, limit).await?;
                // A file input left empty still sends a part, with no name and no bytes.
                if !(file_name.is_empty() && bytes.is_empty()) {
                    files.push(Upload {
                        name: file_name,
                        bytes,
                    });
                }
            }
            _ => return Err(UploadError::Malformed),
        }
    }
    Ok(UploadForm {
        current_password,
        files,
    })
}

/// A programme the staff member is an admin of (instance admins are admins of every
/// programme); to anyone else the page does not exist.
async fn programme_admin(
    console: &Console,
    staff: &Staff,
    slug: &str,
) -> Result<Arc<LiveProgramme>, AppError> {
    let (live, role) = console.programme_for(staff, slug).await?;
    permit(
        super::member(staff, role),
        Action::ImportMail,
        Subject::Programme,
    )
    .map_err(|_| AppError::NotFound)?;
    Ok(live)
}

/// Why this programme cannot take mail at all, in the reader's language.
fn unavailable(lang: Language, live: &LiveProgramme) -> Option<String> {
    match import::check_programme(live) {
        Ok(()) => None,
        Err(ImportError::Archived(_)) => Some(t(lang, "import-unavailable-archived")),
        Err(ImportError::InboxOnly(_)) => Some(t(lang, "import-unavailable-inbox-only")),
        Err(_) => Some(t(lang, "import-unavailable-no-text-field")),
    }
}

/// A failure's reason in the reader's language (the CLI prints the English one).
pub fn reason(lang: Language, failure: &Failure) -> String {
    match failure {
        Failure::Mail(MailError::NotMail) => t(lang, "import-failed-not-mail"),
        Failure::Mail(MailError::NoSender) => t(lang, "import-failed-no-sender"),
        Failure::Mail(MailError::InvalidSender) => t(lang, "import-failed-invalid-sender"),
        Failure::Mail(MailError::Unreadable) => t(lang, "import-failed-unreadable"),
        Failure::TooLarge => t_args(
            lang,
            "import-failed-too-large",
            &[("mib", (import::MAX_MESSAGE_BYTES >> 20).to_string())],
        ),
        Failure::Read(kind) => t_args(lang, "import-failed-read", &[("why", kind.clone())]),
        Failure::Seal => t(lang, "import-failed-seal"),
        Failure::Store => t(lang, "import-failed-store"),
    }
}

struct FormPage<'a> {
    lang: Language,
    staff: &'a Staff,
    live: &'a LiveProgramme,
    errors: &'a [(&'a str, String)],
}

fn shell<'a>(title: &'a str, staff: &'a Staff, lang: Language, main: Markup) -> Markup {
    render(
        &Shell {
            title,
            staff: Some(staff),
            lang,
        },
        main,
    )
}

fn form_page(f: &FormPage<'_>) -> Markup {
    let lang = f.lang;
    let p = &f.live.programme;
    let slug = p.slug().as_str();
    let title = t(lang, "import-title");
    let error_for = |field: &str| {
        f.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, m)| m.clone())
    };
    let files_error = error_for("files");
    let password_error = error_for("current_password");
    shell(
        &title,
        f.staff,
        lang,
        html! {
            (error_summary(f.lang, f.errors))
            p { a href={ "/console/p/" (slug) } { (t(lang, "import-back")) } }
            h1 { (title) }
            p { (t_args(lang, "import-intro", &[("programme", p.text(&p.file().title, lang).to_owned())])) }
            p { (t_args(lang, "import-limit", &[("mib", (MAX_UPLOAD_BYTES >> 20).to_string())])) }
            @if let Some(why) = unavailable(lang, f.live) {
                div class="error-summary" role="alert" {
                    h2 { (t(lang, "import-unavailable")) }
                    p { (why) }
                }
            } @else {
                form method="post" action={ "/console/p/" (slug) "/import?lang=" (lang.tag()) } enctype="multipart/form-data" novalidate {
                    // First in the body: the server checks it before reading any file.
                    (csrf_field(&f.staff.csrf))
                    div class=@if files_error.is_some() { "field has-error" } @else { "field" } {
                        label for="files" { (t(lang, "import-files-label")) }
                        p class="hint" id="files-hint" { (t(lang, "import-files-hint")) }
                        @if let Some(e) = &files_error {
                            p class="error-message" id="files-error" { (e) }
                        }
                        input type="file" id="files" name="files" multiple
                            accept=".eml,.mbox,.mbx,message/rfc822,application/mbox"
                            aria-describedby={ "files-hint" @if files_error.is_some() { " files-error" } };
                    }
                    div class=@if password_error.is_some() { "field has-error" } @else { "field" } {
                        label for="current_password" { (t(lang, "import-password-label")) }
                        p class="hint" id="current_password-hint" { (t(lang, "import-password-hint")) }
                        @if let Some(e) = &password_error {
                            p class="error-message" id="current_password-error" { (e) }
                        }
                        input type="password" id="current_password" name="current_password"
                            autocomplete="current-password"
                            aria-describedby={ "current_password-hint" @if password_error.is_some() { " current_password-error" } };
                    }
                    button type="submit" { (t(lang, "import-submit")) }
                }
            }
        },
    )
}

fn summary_page(lang: Language, staff: &Staff, live: &LiveProgramme, s: &Summary) -> Markup {
    let slug = live.programme.slug().as_str();
    let title = t(lang, "import-done-title");
    let n = |v: u64| v.to_string();
    shell(
        &title,
        staff,
        lang,
        html! {
            h1 { (title) }
            div class="notice" role="status" {
                p id="import-summary" {
                    (t_args(lang, "import-done-summary", &[
                        ("messages", n(s.messages)),
                        ("files", n(s.sources)),
                        ("imported", n(s.imported)),
                        ("duplicates", n(s.duplicates)),
                        ("failed", n(s.failed.len() as u64)),
                    ]))
                }
            }
            dl class="summary" {
                dt { (t(lang, "import-done-imported")) } dd id="import-imported" { (s.imported) }
                dt { (t(lang, "import-done-duplicates")) } dd id="import-duplicates" { (s.duplicates) }
                dt { (t(lang, "import-done-failed")) } dd id="import-failed" { (s.failed.len()) }
            }
            @if !s.failed.is_empty() {
                h2 { (t(lang, "import-failed-heading")) }
                table class="import-failures" {
                    thead { tr {
                        th scope="col" { (t(lang, "import-failed-which")) }
                        th scope="col" { (t(lang, "import-failed-why")) }
                    } }
                    tbody {
                        @for f in &s.failed {
                            tr { td dir="auto" { (f.origin) } td { (reason(lang, &f.reason)) } }
                        }
                    }
                }
            }
            p {
                a href={ "/console/p/" (slug) "/import" } { (t(lang, "import-again")) } " · "
                a href={ "/console/p/" (slug) } { (t(lang, "import-back")) }
            }
        },
    )
}

fn too_large_page(lang: Language, staff: &Staff, live: &LiveProgramme) -> HttpResponse {
    let title = t(lang, "import-too-large-title");
    page(
        StatusCode::PAYLOAD_TOO_LARGE,
        shell(
            &title,
            staff,
            lang,
            html! {
                h1 { (title) }
                p { (t_args(lang, "import-too-large-body", &[("mib", (MAX_UPLOAD_BYTES >> 20).to_string())])) }
                p { a href={ "/console/p/" (live.programme.slug()) "/import" } { (t(lang, "import-again")) } }
            },
        ),
    )
}

async fn form(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    Ok(page(
        StatusCode::OK,
        form_page(&FormPage {
            lang: staff.lang,
            staff: &staff,
            live: &live,
            errors: &[],
        }),
    ))
}

/// The body's length as the request declares it (`Content-Length`), if it does.
fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

async fn upload(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: Payload,
) -> Result<HttpResponse, AppError> {
    // Who is asking, and may they, before any of the body is read.
    let staff = console.staff(&req).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    let lang = staff.lang;
    if declared_length(&req).is_some_and(|n| n > MAX_UPLOAD_BYTES as u64) {
        return Ok(too_large_page(lang, &staff, &live));
    }
    let _turn = UPLOADS
        .acquire()
        .await
        .map_err(|_| AppError::Unavailable("uploads closed"))?;
    let multipart = Multipart::new(req.headers(), payload);
    let read = read_form(multipart, MAX_UPLOAD_BYTES, |token| {
        check_csrf(&req, &console.mac, &staff, token)
    });
    let form = match tokio::time::timeout(UPLOAD_TIMEOUT, read).await {
        Err(_) => return Err(AppError::RequestTimeout),
        Ok(Err(UploadError::Csrf)) => return Err(AppError::Forbidden),
        Ok(Err(UploadError::Malformed)) => return Err(AppError::BadRequest),
        Ok(Err(UploadError::TooLarge)) => return Ok(too_large_page(lang, &staff, &live)),
        Ok(Ok(form)) => form,
    };
    let again = |errors: &[(&str, String)]| {
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&FormPage {
                lang,
                staff: &staff,
                live: &live,
                errors,
            }),
        )
    };
    let reauth =
        super::admin::reauthenticate(&console, &req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        let why = super::admin::reauth_message(lang, reauth, "import-error-password");
        return Ok(again(&[("current_password", why)]));
    }
    if form.files.is_empty() {
        return Ok(again(&[("files", t(lang, "import-error-no-files"))]));
    }
    let summary = match import::run_uploads(
        &console.store,
        live.clone(),
        Arc::new(console.intake_key.duplicate()),
        form.files,
        &staff.actor(),
    )
    .await
    {
        Ok(summary) => summary,
        Err(ImportError::Store(e)) => return Err(e.into()),
        Err(_) => {
            let why = unavailable(lang, &live).unwrap_or_else(|| t(lang, "import-error-no-files"));
            return Ok(again(&[("files", why)]));
        }
    };
    Ok(page(
        StatusCode::OK,
        summary_page(lang, &staff, &live, &summary),
    ))
}

#[cfg(test)]
mod tests {
    use actix_web::web::Bytes;

    use super::*;

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, bytes) in parts {
            out.extend(b"--XX\r\n");
            match file {
                Some(f) => out.extend(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => out.extend(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            out.extend(*bytes);
            out.extend(b"\r\n");
        }
        out.extend(b"--XX--\r\n");
        out
    }

    /// The body arrives in small chunks, as from a network.
    fn multipart(body: Vec<u8>) -> Multipart {
        let mut headers = actix_web::http::header::HeaderMap::new();
        headers.insert(
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderValue::from_static("multipart/form-data; boundary=XX"),
        );
        let chunks: Vec<Result<Bytes, actix_web::error::PayloadError>> = body
            .chunks(1000)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        Multipart::new(&headers, futures_util::stream::iter(chunks))
    }

    async fn read(body: Vec<u8>, limit: usize) -> Result<UploadForm, UploadError> {
        read_form(multipart(body), limit, |t| t == "good").await
    }

    #[actix_web::test]
    async fn token_password_and_files_are_read_in_order() {
        let form = read(
            body(&[
                ("csrf", None, b"good"),
                ("current_password", None, b"secret words"),
                ("files", Some("a.eml"), b"From: a@b.example\r\n\r\nhi"),
                ("files", Some(""), b""),
                ("files", Some("Mail/box.mbox"), b"From x\n"),
            ]),
            1 << 20,
        )
        .await
        .unwrap();
        assert_eq!(form.current_password.as_str(), "secret words");
        let names: Vec<&str> = form.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.eml", "Mail/box.mbox"]);
        assert_eq!(&form.files[1].bytes[..], b"From x\n");
    }

    #[actix_web::test]
    async fn a_wrong_missing_or_late_token_stops_the_read() {
        let file: (&str, Option<&str>, &[u8]) = ("files", Some("a.eml"), b"x");
        for parts in [
            vec![("csrf", None, &b"bad"[..]), file],
            vec![file],
            vec![file, ("csrf", None, &b"good"[..])],
            vec![],
        ] {
            assert_eq!(
                read(body(&parts), 1 << 20).await.unwrap_err(),
                UploadError::Csrf
            );
        }
    }

    #[actix_web::test]
    async fn the_limit_counts_every_byte_of_every_file() {
        let big = vec![b'a'; 6000];
        let parts = [
            ("csrf", None, &b"good"[..]),
            ("files", Some("1.eml"), &big[..]),
            ("files", Some("2.eml"), &big[..]),
        ];
        assert_eq!(
            read(body(&parts), 10_000).await.unwrap_err(),
            UploadError::TooLarge
        );
        assert!(read(body(&parts), 12_100 + 2 * PART_COST).await.is_ok());
    }

    #[actix_web::test]
    async fn empty_parts_cost_something_too() {
        let mut parts = vec![("csrf", None, &b"good"[..])];
        parts.extend(std::iter::repeat_n(("files", Some(""), &b""[..]), 100));
        assert_eq!(
            read(body(&parts), 50 * PART_COST).await.unwrap_err(),
            UploadError::TooLarge
        );
    }

    #[actix_web::test]
    async fn the_password_may_follow_the_files_but_comes_once() {
        let form = read(
            body(&[
                ("csrf", None, b"good"),
                ("files", Some("a.eml"), b"x"),
                ("current_password", None, b"secret words"),
            ]),
            1 << 20,
        )
        .await
        .unwrap();
        assert_eq!(form.current_password.as_str(), "secret words");
        assert_eq!(form.files.len(), 1);
        let twice = [
            ("csrf", None, &b"good"[..]),
            ("current_password", None, &b"one"[..]),
            ("current_password", None, &b"two"[..]),
        ];
        assert_eq!(
            read(body(&twice), 1 << 20).await.unwrap_err(),
            UploadError::Malformed
        );
    }

    #[actix_web::test]
    async fn unknown_fields_are_refused() {
        let parts = [("csrf", None, &b"good"[..]), ("other", None, &b"x"[..])];
        assert_eq!(
            read(body(&parts), 1 << 20).await.unwrap_err(),
            UploadError::Malformed
        );
    }
}
