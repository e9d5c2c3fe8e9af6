//! Withdrawing an enquiry on the person's request (issue 21, item 6): a supervisor
//! ticks that the person asked and confirms; the request is recorded with its audit
//! entry (`withdrawal.request`) and the worker deletes the enquiry's ciphertexts within
//! a poll, or when a legal hold ends (`crate::own`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::super::pages::{Shell, render};
use super::super::{Console, member, page};
use super::{case, refused};
use crate::casework::{Action, Subject, permit};
use crate::error::AppError;
use crate::i18n::t;

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

pub(super) async fn withdraw(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Withdraw,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    if form.confirm != "yes" {
        return Err(AppError::BadRequest);
    }
    crate::own::staff_withdrawal(&console.store, &staff.id, &record.id).await?;
    let lang = staff.lang;
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(lang, "own-staff-heading"),
                staff: Some(&staff),
                lang,
            },
            html! {
                h1 { (t(lang, "own-staff-heading")) }
                p id="withdrawal-recorded" { (t(lang, "own-staff-done")) }
                p { a href="/console" { (t(lang, "console-nav-queues")) } }
            },
        ),
    ))
}
