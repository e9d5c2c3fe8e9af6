//! The second look in the console (issue 19, item 4): the recipients a supervisor
//! sees on a pending campaign's page (one audited read, which also gives the page's
//! preview) and their CSV download. What is read and how it is counted is
//! `crate::campaign_review`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::campaign_for;
use crate::audit::AuditAction;
use crate::auth::Staff;
use crate::campaign_review::{self, Opened, Purpose};
use crate::campaigns::{self, CampaignState};
use crate::casework::{Action, ProgrammeRole, Subject, permit};
use crate::console::{Console, member};
use crate::error::AppError;
use crate::keyring::Read;
use crate::programme::live::LiveProgramme;
use crate::replies::Draft;
use crate::store::CampaignRecord;

/// The second look (a supervisor, while the campaign waits for approval) and the
/// preview: one read of every enquiry, the preview rendered from the first. Anyone
/// else gets the preview alone, from one enquiry (a read too).
pub(super) async fn opened_and_preview(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    c: &CampaignRecord,
    role: ProgrammeRole,
) -> Result<(Option<Opened>, Option<Draft>), AppError> {
    let Some(pinned) = campaigns::pinned(c) else {
        return Ok((None, None));
    };
    let mail = crate::console::replies::mail_settings(console);
    let m = member(staff, role);
    let reviewer = permit(m, Action::PrepareCampaign, Subject::Programme).is_ok();
    if c.state == CampaignState::Pending && reviewer {
        let opened =
            campaign_review::review(&console.store, &console.keyring, live, c, m, Purpose::Page)
                .await?;
        let preview = opened
            .first
            .as_ref()
            .and_then(|content| pinned.render(live, content, &mail));
        return Ok((Some(opened), preview));
    }
    let mut preview = None;
    if let Some(first) = console.store.campaign_enquiry_ids(&c.id).await?.first()
        && let Some(record) = console.store.enquiry(first).await?
    {
        let read =
            Read::new(AuditAction::CampaignPreview).detail(serde_json::json!({ "campaign": c.id }));
        let content = console
            .keyring
            .open_enquiry(&staff.actor(), read, &record)
            .await?;
        preview = pinned.render(live, &content, &mail);
    }
    Ok((None, preview))
}

/// The recipients list as CSV (a supervisor; audited as the keyring's read).
pub(super) async fn recipients_csv(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (c, live, role) = campaign_for(&console, &staff, &id).await?;
    let review = campaign_review::review(
        &console.store,
        &console.keyring,
        &live,
        &c,
        member(&staff, role),
        Purpose::Csv,
    )
    .await?
    .review;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"campaign-{}-recipients.csv\"", c.id),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(review.to_csv()))
}
