//! Building and running Haven. Production (`haven serve`) and the tests build the
//! server through [`Application::build`], so the tests exercise what ships.

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpResponse, ResponseError, web};

use crate::config::Config;
use crate::console::Console;
use crate::crypto::{IntakeKey, KeyFileError, MasterKey};
use crate::error::AppError;
use crate::intake::Intake;
use crate::keyring::Keyring;
use crate::outbound::{Transport, TransportError, Worker, WorkerSettings};
use crate::programme::live::{LiveProgrammes, Verifying};
use crate::store::{Store, StoreError, SubmissionWriter};
use crate::web::client::client_key;
use crate::web::ratelimit::Limiters;
use crate::web::server::{Listeners, Timeouts};
use crate::web::{assets, errors, headers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Role {
    /// The internet-facing form and reply inbox. Holds no secret key.
    Public,
    /// Staff console and administration (needs the master key).
    Console,
    /// Outbound mail worker (needs the master key).
    Worker,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles(BTreeSet<Role>);

impl Roles {
    pub fn all() -> Self {
        Self([Role::Public, Role::Console, Role::Worker].into())
    }

    pub fn only(roles: &[Role]) -> Self {
        if roles.is_empty() {
            Self::all()
        } else {
            Self(roles.iter().copied().collect())
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// Whether this process may hold the master key at all.
    pub fn needs_master_key(&self) -> bool {
        self.has(Role::Console) || self.has(Role::Worker)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyFileError),
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(
        "the master key file {0} is missing but the database already has programmes: \
         point HAVEN_MASTER_KEY_FILE at the existing key (a new key could not read them)"
    )]
    MasterKeyMissing(std::path::PathBuf),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Connects to the database and applies migrations.
pub async fn open_store(config: &Config) -> Result<Store, StartError> {
    let store = Store::connect(&config.database).await?;
    store.migrate().await?;
    Ok(store)
}

/// Loads the master key into a [`Keyring`], creating the key only for a brand-new
/// installation: a missing key beside existing programmes is a misconfiguration, and
/// a fresh key would make every stored enquiry unreadable.
///
/// The one place the master key is loaded. The console, the worker and the commands
/// that need it get a `Keyring`, which never hands the key out again.
pub async fn keyring(config: &Config, store: &Store) -> Result<Keyring, StartError> {
    let path = &config.master_key_file;
    if !path.exists() && !store.list_programmes().await?.is_empty() {
        return Err(StartError::MasterKeyMissing(path.clone()));
    }
    #[allow(
        clippy::disallowed_methods,
        reason = "the one place the master key is loaded: it goes straight into the keyring"
    )]
    let (key, created): (MasterKey, bool) = MasterKey::load_or_create(path)?;
    if created {
        tracing::warn!(
            path = %path.display(),
            "created a new master key; keep it secret, back it up offline, and in production keep it outside the data directory"
        );
    }
    let keyring = Keyring::new(
        store.clone(),
        key,
        config.rate_limits.decrypts_per_user_per_hour,
    );
    write_verify_key(config, store, &keyring).await?;
    Ok(keyring)
}

/// Writes the programme verifying key beside the other key files, for the public
/// role (which copies it on a split deployment: `haven keys export-verify-key`).
/// The first time, it also signs the programmes saved before states were signed:
/// only then, so that a signature set to NULL in the database later is never
/// re-signed unseen (a file the database cannot reach marks that it happened).
async fn write_verify_key(
    config: &Config,
    store: &Store,
    keyring: &Keyring,
) -> Result<(), StartError> {
    let path = &config.programme_verify_key_file;
    let signer = keyring.programme_signer();
    let verifier = signer.verifier();
    if verifier.write_new(path)? {
        let signed = store.sign_unsigned_programmes(&signer).await?;
        tracing::warn!(
            path = %path.display(),
            signed,
            "wrote the programme verifying key; copy it to every public host (`haven keys export-verify-key`)"
        );
    } else if crate::crypto::ProgrammeVerifier::load(path).ok().as_ref() != Some(&verifier) {
        tracing::error!(
            path = %path.display(),
            "the programme verifying key file does not match this master key: public roles reading it will refuse every programme"
        );
    }
    Ok(())
}

/// The worker's side of confirming addresses (`crate::contact`).
fn contact_job(
    config: &Config,
    store: &Store,
    keyring: &Keyring,
) -> Result<crate::contact::ContactJob, StartError> {
    Ok(crate::contact::ContactJob {
        store: store.clone(),
        keyring: keyring.clone(),
        intake_key: intake_key(config)?,
        letterhead: crate::letters::Letterhead {
            from: config.mail_from.clone(),
            from_name: config.mail_from_name.clone(),
            public_url: config.public_url.clone(),
            text_key: keyring.text_key(),
        },
    })
}

pub fn intake_key(config: &Config) -> Result<IntakeKey, StartError> {
    let (key, created) = IntakeKey::load_or_create(&config.intake_key_file)?;
    if created {
        tracing::warn!(
            path = %config.intake_key_file.display(),
            "created a new intake key; every public instance must share this file"
        );
    }
    Ok(key)
}

/// Which listener an app serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listener {
    Main,
    Onion,
}

pub struct Application {
    server: Server,
    addr: SocketAddr,
    onion_addr: Option<SocketAddr>,
    store: Store,
    worker: Option<Worker>,
    jobs: Option<JobRunner>,
    programmes: LiveProgrammes,
    session_clock: crate::auth::session::Clock,
}

/// How the worker role's jobs run: sending the outbox and staff notices, re-sealing
/// after a key rotation, the retention purge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jobs {
    /// Each on its own schedule, as `haven serve` runs them.
    Scheduled,
    /// None on its own: [`JobRunner::run_pending`] runs what is due, when asked (the
    /// test suite, so that a test knows the jobs ran rather than sleeping for them).
    OnDemand,
}

/// The worker role's jobs under [`Jobs::OnDemand`].
pub struct JobRunner {
    store: Store,
    worker: Worker,
    keyring: Keyring,
    contact: crate::contact::ContactJob,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Outbound(#[from] crate::outbound::DrainError),
    #[error(transparent)]
    Rotation(#[from] crate::rotation::RotationError),
    #[error(transparent)]
    ContactIndex(#[from] crate::keyring::GateError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Own(#[from] crate::own::OwnError),
    #[error(transparent)]
    Contact(#[from] crate::contact::ContactError),
}

impl JobRunner {
    /// Runs every job that is due until none is: the outbox and staff notices
    /// (`Worker::run_until_idle`), then re-sealing everything under an older key, then
    /// the email blind index of new enquiries, then re-queueing enquiries people wrote
    /// back on (`conversation`).
    /// The retention purge is not among them: it is about time passing, and tests
    /// call it directly.
    pub async fn run_pending(&self) -> Result<(), JobError> {
        // What the inbox asked first: a confirmation code it queues goes out below.
        self.contact.run().await?;
        self.worker.run_until_idle().await?;
        crate::rotation::reseal_everything(&self.store, &self.keyring).await?;
        crate::contact_index::index_pending(&self.store, &self.keyring).await?;
        crate::conversation::requeue_pending(&self.store).await?;
        crate::own::carry_out(&self.store, &self.keyring).await?;
        Ok(())
    }
}

impl Application {
    /// The server `haven serve` runs: the worker role's jobs on their schedules.
    pub async fn build(config: Config, roles: Roles) -> Result<Self, StartError> {
        Self::build_with(config, roles, Jobs::Scheduled).await
    }

    /// As [`Application::build`], with the worker role's jobs run as `jobs` says.
    pub async fn build_with(config: Config, roles: Roles, jobs: Jobs) -> Result<Self, StartError> {
        let config = Arc::new(config);
        let store = open_store(&config).await?;
        // Loaded now so that a missing or unreadable key stops start-up, not a request;
        // only the roles that open sealed data hold it, all through one keyring.
        let keyring = if roles.needs_master_key() {
            Some(keyring(&config, &store).await?)
        } else {
            None
        };
        if keyring.is_none() && !config.programme_verify_key_file.exists() {
            tracing::warn!(
                path = %config.programme_verify_key_file.display(),
                "no programme verifying key yet: every form answers \"not available\" until the console side's key is copied here (`haven keys export-verify-key`)"
            );
        }
        let transport = match (&keyring, roles.has(Role::Worker)) {
            (Some(keyring), true) => {
                if jobs == Jobs::Scheduled {
                    crate::retention::spawn_schedule(store.clone(), config.data_dir.clone());
                    crate::placement::spawn_schedule(store.clone());
                    crate::rotation::spawn_schedule(store.clone(), keyring.clone());
                    crate::contact_index::spawn_schedule(store.clone(), keyring.clone());
                    crate::conversation::spawn_schedule(store.clone());
                    crate::own::spawn_schedule(store.clone(), keyring.clone());
                }
                let transport = Transport::from_config(&config)?;
                if matches!(transport, Transport::File(_)) && !config.listen.ip().is_loopback() {
                    tracing::warn!(
                        listen = %config.listen,
                        "the file outbox is for trials: messages are written in clear to {} \
                         while the server listens beyond loopback; set HAVEN_SMTP_URL for real use",
                        crate::outbound::file_outbox_dir(&config.data_dir).display()
                    );
                }
                // Rows deleted or shredded while no worker ran leave no clear copy.
                crate::outbound::sweep_file_outbox(&config.data_dir, &store).await?;
                Some((
                    keyring.clone(),
                    transport,
                    WorkerSettings::from_config(&config),
                    contact_job(&config, &store, keyring)?,
                ))
            }
            _ => None,
        };
        if config.public_url.is_none() && roles.needs_master_key() {
            tracing::warn!(
                "HAVEN_PUBLIC_URL is unset: emails to enquirers will carry a relative link to \
                 the reply inbox, which mail clients cannot open; set it to the public origin"
            );
        }
        let metrics = Arc::new(crate::metrics::Metrics::new());
        let worker_metrics = metrics.clone();
        let limiters = Limiters::new(&config.rate_limits);
        limiters.spawn_pruner(Duration::from_secs(60));
        if !config.rate_limits.enabled {
            tracing::warn!(
                "rate limits are OFF (HAVEN_RATE_LIMIT=off): only for load tests on loopback"
            );
        }
        let intake = web::Data::new(Intake {
            store: store.clone(),
            writer: SubmissionWriter::spawn(store.clone()),
            programmes: LiveProgrammes::new(
                store.clone(),
                Duration::from_secs(5),
                match &keyring {
                    Some(keyring) => Verifying::Key(keyring.programme_signer().verifier()),
                    None => Verifying::File(config.programme_verify_key_file.clone()),
                },
                metrics.programme_states_refused.clone(),
            ),
            intake_key: intake_key(&config)?,
            limiters: limiters.clone(),
            config: config.clone(),
        });

        let session_clock = crate::auth::session::Clock::default();
        let console = if let (Some(keyring), true) = (&keyring, roles.has(Role::Console)) {
            let mut console = Console::new(
                store.clone(),
                keyring.clone(),
                intake_key(&config)?,
                limiters.clone(),
                config.clone(),
                session_clock.clone(),
                &metrics,
            );
            // One cache for both roles: a programme opened in the editor is live at once.
            console.programmes = intake.programmes.clone();
            spawn_session_pruner(store.clone());
            Some(web::Data::new(console))
        } else {
            None
        };

        let bind = |addr: SocketAddr| {
            TcpListener::bind(addr).map_err(|source| StartError::Listen { addr, source })
        };
        let listener = bind(config.listen)?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: config.listen,
            source,
        })?;
        let onion = config.onion_listen.map(bind).transpose()?;
        let onion_addr = onion.as_ref().and_then(|l| l.local_addr().ok());

        let programmes = intake.programmes.clone();
        let hsts = config.behind_tls();
        let health_store = store.clone();
        let metrics = web::Data::from(metrics);
        let public = roles.has(Role::Public);
        let onion_proxy_protocol = config.onion_proxy_protocol;
        // One app per listener: the onion listener's has no staff or monitoring routes
        // at all (see `web::server`), whatever roles this process runs.
        let make_app = move |listener: Listener| {
            let intake = public.then(|| intake.clone());
            let console = match listener {
                Listener::Main => console.clone(),
                Listener::Onion => None,
            };
            App::new()
                .app_data(web::Data::new(health_store.clone()))
                .app_data(metrics.clone())
                .app_data(web::Data::from(limiters.clone()))
                .app_data(web::Data::from(config.clone()))
                .app_data(web::PathConfig::default().error_handler(errors::extractor_error))
                .app_data(web::QueryConfig::default().error_handler(errors::extractor_error))
                .app_data(
                    web::FormConfig::default()
                        .limit(16 * 1024)
                        .error_handler(errors::form_error),
                )
                .app_data(web::PayloadConfig::new(64 * 1024))
                .configure(|cfg| {
                    assets::routes(cfg);
                    cfg.route("/healthz", web::get().to(healthz)).route(
                        crate::web::layout::LEAVE_PATH,
                        web::get().to(crate::web::layout::leave),
                    );
                    if listener == Listener::Main {
                        cfg.route("/readyz", web::get().to(readyz))
                            .route("/metrics", web::get().to(crate::metrics::endpoint));
                    }
                    if let Some(intake) = intake {
                        cfg.app_data(intake).configure(crate::intake::routes);
                    }
                    if let Some(console) = console {
                        cfg.app_data(console).configure(crate::console::routes);
                    }
                })
                .default_service(web::to(errors::not_found))
                .wrap(from_fn(crate::web::body::body_deadline))
                .wrap(from_fn(headers::allowed_methods))
                .wrap(from_fn(client_limit))
                .wrap(from_fn(errors::error_pages))
                .wrap(from_fn(access_log))
                .wrap(headers::security_headers(hsts))
        };
        let main_app = {
            let make_app = make_app.clone();
            move || make_app(Listener::Main)
        };
        let onion_app = move || make_app(Listener::Onion);
        let server = crate::web::server::build(
            Listeners {
                main: listener,
                onion,
                onion_proxy_protocol,
            },
            Timeouts {
                keep_alive: Duration::from_secs(30),
                client_request: Duration::from_secs(10),
                client_disconnect: Duration::from_secs(5),
            },
            main_app,
            onion_app,
        )
        .map_err(|source| StartError::Listen { addr, source })?;
        // Started last, once nothing can fail any more: a build that fails leaves no
        // worker running behind it.
        let mut worker = None;
        let mut on_demand = None;
        if let Some((keyring, transport, settings, contact)) = transport {
            match jobs {
                Jobs::Scheduled => {
                    crate::contact::spawn_schedule(contact, Duration::from_secs(1));
                    worker = Some(Worker::spawn_observed(
                        store.clone(),
                        &keyring,
                        transport,
                        settings,
                        worker_metrics,
                    ));
                }
                Jobs::OnDemand => {
                    on_demand = Some(JobRunner {
                        store: store.clone(),
                        worker: Worker::on_demand(
                            store.clone(),
                            &keyring,
                            transport,
                            settings,
                            worker_metrics,
                        ),
                        contact,
                        keyring,
                    });
                }
            }
        }
        Ok(Self {
            server,
            addr,
            onion_addr,
            store,
            worker,
            jobs: on_demand,
            programmes,
            session_clock,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn onion_addr(&self) -> Option<SocketAddr> {
        self.onion_addr
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The clock the console measures session timeouts by (tests move it forward).
    pub fn session_clock(&self) -> crate::auth::session::Clock {
        self.session_clock.clone()
    }

    /// Serves until SIGINT/SIGTERM (actix handles both), then finishes requests in
    /// flight, so an acknowledged submission is never cut off, and lets the outbound
    /// worker finish the messages it is sending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(worker) = self.worker {
            worker.stop().await;
        }
        served
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The jobs to run by hand, when built with [`Jobs::OnDemand`] and the worker role.
    pub fn take_jobs(&mut self) -> Option<JobRunner> {
        self.jobs.take()
    }

    /// The programme cache the public and console roles share.
    pub fn programmes(&self) -> LiveProgrammes {
        self.programmes.clone()
    }

    /// The HTTP server alone; an outbound worker, if any, keeps running detached.
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// Deletes expired sessions every few minutes (they are refused anyway; this keeps
/// the table small).
fn spawn_session_pruner(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = store.prune_sessions(crate::auth::session::IDLE_SECS).await {
                tracing::warn!(error = %e, "could not prune expired sessions");
            }
            // An hour is the longest window (decrypts).
            if let Err(e) = store
                .prune_throttle_windows(crate::store::now(), 3600)
                .await
            {
                tracing::warn!(error = %e, "could not prune the throttle windows");
            }
        }
    });
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

async fn readyz(store: web::Data<Store>) -> Result<HttpResponse, AppError> {
    store
        .ping()
        .await
        .map_err(|_| AppError::Unavailable("database not reachable"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ready\n"))
}

/// A per-client request budget in front of everything.
async fn client_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let refused = match (
        req.app_data::<web::Data<Limiters>>(),
        req.app_data::<web::Data<Config>>(),
    ) {
        (Some(limiters), Some(config)) => limiters
            .allow_request(&client_key(req.request(), &config.trusted_proxies))
            .err(),
        _ => None,
    };
    match refused {
        None => Ok(next.call(req).await?.map_into_left_body()),
        Some(refused) => {
            let mut res = AppError::TooManyRequests.error_response();
            if let Ok(value) = HeaderValue::from_str(&refused.seconds().to_string()) {
                res.headers_mut().insert(RETRY_AFTER, value);
            }
            Ok(req.into_response(res).map_into_right_body())
        }
    }
}

/// The public role's POST routes: the form and the reply inbox (under its programme,
/// or the slug-free one).
fn is_public_post(route: &str) -> bool {
    route.starts_with("/p/") || route == "/inbox" || route.starts_with("/inbox/")
}

/// One line per request: method, route pattern (never the raw path or query, which
/// could carry something personal one day), status and time. No address, no agent.
async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let request_id = crate::crypto::random_id();
    let span = tracing::info_span!("request", id = %&request_id[..12]);
    let metrics = req
        .app_data::<web::Data<crate::metrics::Metrics>>()
        .cloned();
    let res = tracing::Instrument::instrument(next.call(req), span.clone()).await?;
    let _entered = span.enter();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".into());
    if let Some(m) = metrics {
        m.answered(res.status().as_u16(), &route);
    }
    // A line per submission, or per attempt at the reply inbox, would say when each
    // arrived and whether it was accepted: those are counted in the metrics only.
    if method == actix_web::http::Method::POST && is_public_post(&route) {
        return Ok(res);
    }
    tracing::info!(
        %method,
        %route,
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(res)
}
