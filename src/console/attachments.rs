//! Downloading an attachment kept with an imported enquiry
//! (`/console/e/{id}/attachments/{n}`, `n` counting from 1 in the enquiry's list).
//!
//! The bytes live inside the enquiry's ciphertext, so a download is a decrypting read:
//! counted against the hourly decrypt cap and audited before anything is sent. The
//! URL carries the attachment's place in the list, never its name; the response is an
//! opaque download with a name Haven makes up, so nothing the sender chose (a name, a
//! type) decides how a browser treats it.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use zeroize::Zeroizing;

use super::enquiries::{case, refused};
use super::{Console, member};
use crate::audit::AuditAction;
use crate::casework::{Action, Subject, permit};
use crate::error::AppError;
use crate::keyring::Read;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/e/{id}/attachments/{n}", web::get().to(download));
}

/// Extensions kept on a download's generated name, so the staff member's computer
/// opens it with the usual program; anything else is saved as `.bin`.
const KNOWN_EXTENSIONS: &[&str] = &[
    "pdf", "jpg", "jpeg", "png", "gif", "tif", "tiff", "heic", "webp", "txt", "doc", "docx", "odt",
    "rtf", "xls", "xlsx", "ods", "csv", "zip", "eml", "mp3", "m4a", "ogg", "mp4",
];

/// `enquiry-attachment-N.ext`: only the extension comes from the sender's name, and
/// only from a fixed list.
pub fn download_name(n: usize, original: &str) -> String {
    let ext = original
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| KNOWN_EXTENSIONS.contains(&e.as_str()))
        .unwrap_or_else(|| "bin".to_owned());
    format!("enquiry-attachment-{n}.{ext}")
}

async fn download(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (id, n) = path.into_inner();
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::View,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let n: usize = n
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or(AppError::NotFound)?;
    // Counted against the cap and audited before the enquiry is opened.
    let read =
        Read::new(AuditAction::EnquiryAttachment).detail(serde_json::json!({ "attachment": n }));
    let content = console
        .keyring
        .open_enquiry(&staff.actor(), read, &record)
        .await?;
    let attachment = content
        .mail
        .as_ref()
        .and_then(|m| m.attachments.get(n - 1))
        .ok_or(AppError::NotFound)?;
    // Listed but not kept (dropped by the programme, or over the bound): nothing to send.
    let data = attachment.data.as_deref().ok_or(AppError::NotFound)?;
    let bytes = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| crate::crypto::CryptoError::Decrypt)?,
    );
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "application/octet-stream"))
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}\"",
                download_name(n, &attachment.name)
            ),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "no-store"))
        // Should a browser render it after all, it runs nothing and loads nothing.
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_made_up_keeping_only_known_extensions() {
        assert_eq!(download_name(1, "passport.PDF"), "enquiry-attachment-1.pdf");
        assert_eq!(download_name(2, "scan.tiff"), "enquiry-attachment-2.tiff");
        for hostile in [
            "evil.html",
            "run.exe",
            "no extension",
            "a\"; filename=x.pdf\r\n.js",
            "../../etc/passwd",
            "",
        ] {
            assert_eq!(
                download_name(3, hostile),
                "enquiry-attachment-3.bin",
                "{hostile}"
            );
        }
    }
}
