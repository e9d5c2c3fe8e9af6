//! The staff console (`/console/…`) and administration (`/admin/…`): sign-in with a
//! second factor, queues, enquiries, the dashboard, users and the audit log.
//!
//! Every handler starts from [`crate::auth::signed_in`] and checks the staff member's
//! role in the programme concerned before touching it; a programme or enquiry they
//! have no role in is answered exactly like one that does not exist (404). Pages here
//! are never compressed: they carry session-bound CSRF tokens (BREACH).

pub mod admin;
pub mod archive;
pub mod attachments;
pub mod campaigns;
pub mod charts;
pub mod conversation;
pub mod enquiries;
pub mod handling;
pub mod imports;
pub mod incidents;
pub mod keys;
pub mod labels;
pub mod outbound;
pub mod pages;
pub mod phone;
pub mod programmes;
pub mod queue_list;
pub mod queues;
pub mod referrals;
pub mod replies;
pub mod signin;
pub mod templates;
pub mod verify;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use crate::auth::gate::PasswordGate;
use crate::auth::{Staff, check_csrf, signed_in};
use crate::casework::ProgrammeRole;
use crate::config::Config;
use crate::crypto::{IntakeKey, MacKey};
use crate::domain::ProgrammeSlug;
use crate::error::AppError;
use crate::keyring::Keyring;
use crate::programme::live::{LiveProgramme, LiveProgrammes, Verifying};
use crate::store::{EnquiryRecord, Store};
use crate::web::errors::mark_rendered;
use crate::web::ratelimit::Limiters;

/// Everything the console handlers may use. Unlike the public role's state, this
/// holds the keyring (and through it, the master key): the console can decrypt, only
/// through the keyring's gate, which counts and audits every read first.
pub struct Console {
    pub store: Store,
    pub keyring: Keyring,
    /// Keys session-bound CSRF tokens and recovery-code hashes (derived from the master key).
    pub mac: MacKey,
    /// For looking enquiries up by reference code (the hash the public role stored).
    pub intake_key: IntakeKey,
    /// Every password check and hash of this process goes through it (`auth::gate`).
    pub gate: PasswordGate,
    pub programmes: LiveProgrammes,
    pub limiters: Arc<Limiters>,
    pub config: Arc<Config>,
    /// What session timeouts are measured against.
    pub clock: crate::auth::session::Clock,
}

impl Console {
    pub fn new(
        store: Store,
        keyring: Keyring,
        intake_key: IntakeKey,
        limiters: Arc<Limiters>,
        config: Arc<Config>,
        clock: crate::auth::session::Clock,
        metrics: &crate::metrics::Metrics,
    ) -> Self {
        let hasher = Arc::new(keyring.password_hasher(config.password_cost));
        let gate = PasswordGate::observed(
            hasher,
            config.password_hashes,
            metrics.password_hashes_admitted.clone(),
            metrics.password_hashes_refused.clone(),
        );
        Self {
            mac: keyring.console_mac(),
            programmes: LiveProgrammes::new(
                store.clone(),
                std::time::Duration::from_secs(5),
                Verifying::Key(keyring.programme_signer().verifier()),
                metrics.programme_states_refused.clone(),
            ),
            store,
            keyring,
            intake_key,
            gate,
            limiters,
            config,
            clock,
        }
    }

    pub async fn staff(&self, req: &HttpRequest) -> Result<Staff, AppError> {
        signed_in(req, &self.store, &self.mac, self.clock.now()).await
    }

    /// The signed-in staff member on a page whose `?lang=` is not theirs (the form
    /// preview): their console language stays as it was.
    pub async fn staff_previewing(&self, req: &HttpRequest) -> Result<Staff, AppError> {
        crate::auth::signed_in_with(
            req,
            &self.store,
            &self.mac,
            self.clock.now(),
            crate::auth::LanguageSwitch::Ignore,
        )
        .await
    }

    /// The signed-in staff member, for a POST: also checks the form's CSRF token.
    pub async fn staff_posting(&self, req: &HttpRequest, token: &str) -> Result<Staff, AppError> {
        let staff = self.staff(req).await?;
        if check_csrf(req, &self.mac, &staff, token) {
            Ok(staff)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A programme the staff member has a role in; any other slug is "not found".
    pub async fn programme_for(
        &self,
        staff: &Staff,
        slug: &str,
    ) -> Result<(Arc<LiveProgramme>, ProgrammeRole), AppError> {
        let slug = ProgrammeSlug::parse(slug).map_err(|_| AppError::NotFound)?;
        let live = self
            .programmes
            .get(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let role = staff.role_in(&live.id).ok_or(AppError::NotFound)?;
        self.rules_read(staff, &live).await?;
        Ok((live, role))
    }

    /// Before their first look at a programme (and after its handling rules change),
    /// a staff member reads and acknowledges its rules: until then every page of the
    /// programme sends them to the rules.
    async fn rules_read(&self, staff: &Staff, live: &LiveProgramme) -> Result<(), AppError> {
        let rules = &live.programme.file().handling_rules;
        if rules.is_empty() {
            return Ok(());
        }
        let wanted = crate::programme::launch::rules_fingerprint(rules);
        match self.store.acknowledged_rules(&staff.id, &live.id).await? {
            Some(read) if read.as_slice() == wanted.as_slice() => Ok(()),
            _ => Err(AppError::RulesUnread(format!(
                "/console/p/{}/rules",
                live.programme.slug()
            ))),
        }
    }

    /// An enquiry in a programme the staff member has a role in; anything else is
    /// "not found", whether or not it exists.
    pub async fn enquiry_for(
        &self,
        staff: &Staff,
        id: &str,
    ) -> Result<(EnquiryRecord, Arc<LiveProgramme>, ProgrammeRole), AppError> {
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let record = self.store.enquiry(id).await?.ok_or(AppError::NotFound)?;
        let role = staff
            .role_in(&record.programme_id)
            .ok_or(AppError::NotFound)?;
        let slug = self
            .store
            .programme_slug(&record.programme_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let slug = ProgrammeSlug::parse(&slug).map_err(|_| AppError::NotFound)?;
        let live = self
            .programmes
            .get(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        self.rules_read(staff, &live).await?;
        Ok((record, live, role))
    }
}

/// The staff member as `casework::permit` sees them, with their role in a programme.
pub(crate) fn member(staff: &Staff, role: ProgrammeRole) -> crate::casework::Member<'_> {
    crate::casework::Member {
        user: &staff.id,
        role,
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/console")
            // Notes may be long; everything else is small.
            .app_data(
                web::FormConfig::default()
                    .limit(256 * 1024)
                    .error_handler(crate::web::errors::form_error),
            )
            .route("", web::get().to(queues::home))
            .route("/", web::get().to(queues::home))
            .configure(signin::routes)
            .configure(handling::routes)
            .configure(queues::routes)
            .configure(enquiries::routes)
            .configure(replies::routes)
            .configure(templates::routes)
            .configure(campaigns::routes)
            .configure(referrals::routes)
            .configure(imports::routes)
            .configure(attachments::routes)
            .configure(incidents::routes)
            .configure(phone::routes)
            .configure(verify::routes),
    )
    .service(
        web::scope("/admin")
            .configure(admin::routes)
            .configure(outbound::routes)
            .configure(archive::routes)
            .configure(keys::routes)
            .configure(programmes::routes),
    );
}

pub(crate) fn page(status: StatusCode, markup: Markup) -> HttpResponse {
    mark_rendered(
        HttpResponse::build(status)
            .content_type(ContentType::html())
            .body(markup.into_string()),
    )
}

pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location.to_owned()))
        .finish()
}
