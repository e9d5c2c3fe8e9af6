//! A supervisor removes an enquiry's email address (issue 19, item 1), never sets one:
//! only the person gives an address, and confirms it with the code mailed to it. The
//! console cannot open the address, so it asks the worker through the same
//! `contact_requests` row the person's inbox leaves (`contact::request`, kind
//! `remove`); the worker re-seals the enquiry without it within a poll. Queued messages
//! to it stop at once: the worker's `outbox_may_reach` sends nothing to an address that
//! is not confirmed, and removal clears the confirmation.
//!
//! The reason is one of [`REASONS`], not free text, so no personal detail reaches the
//! audit log.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::super::pages::csrf_field;
use super::super::{Console, member, see_other};
use super::{case, refused, subject};
use crate::audit::{AuditAction, Entry};
use crate::casework::{Action, Subject, permit};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::t;
use crate::store::{ContactRequestKind, StoreError, now};

/// Why a supervisor removes an address: the stored word and its label.
pub const REASONS: [(&str, &str); 4] = [
    ("person-asked", "gaps-confirm-reason-person-asked"),
    ("not-theirs", "gaps-confirm-reason-not-theirs"),
    ("unsafe", "gaps-confirm-reason-unsafe"),
    ("bounced", "gaps-confirm-reason-bounced"),
];

/// Asks the worker to forget the enquiry's address, with the audit entry, together.
pub async fn request_removal(
    store: &crate::store::Store,
    entry: &Entry,
    enquiry_id: &str,
) -> Result<(), StoreError> {
    store
        .request_contact(enquiry_id, ContactRequestKind::Remove, None, now())
        .await?;
    store.record_audit(entry).await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn remove(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::RemoveContact,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let Some((reason, _)) = REASONS.iter().find(|(r, _)| *r == form.reason) else {
        return Err(AppError::BadRequest);
    };
    if !record.has_email {
        return Ok(see_other(&super::done_url(&record.id, "conflict")));
    }
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::ContactRemove,
        &subject(&record.id),
    )
    .detail(serde_json::json!({ "reason": reason }));
    request_removal(&console.store, &entry, &record.id).await?;
    Ok(see_other(&super::done_url(&record.id, "contact-removed")))
}

/// The form on the enquiry page (shown when `permit` allows and there is an address).
pub(super) fn remove_form(lang: Language, base: &str, csrf: &str) -> Markup {
    html! {
        section id="remove-contact" {
            h2 { (t(lang, "gaps-confirm-remove-heading")) }
            p { (t(lang, "gaps-confirm-remove-intro")) }
            form method="post" action={ (base) "/remove-contact" } {
                (csrf_field(csrf))
                fieldset {
                    legend { (t(lang, "gaps-confirm-reason")) }
                    @for (i, (value, label)) in REASONS.iter().enumerate() {
                        div class="field radio" {
                            input type="radio" id={ "remove-reason-" (i) } name="reason" value=(value) required;
                            label for={ "remove-reason-" (i) } { (t(lang, label)) }
                        }
                    }
                }
                button type="submit" class="warning" { (t(lang, "gaps-confirm-remove-submit")) }
            }
        }
    }
}
