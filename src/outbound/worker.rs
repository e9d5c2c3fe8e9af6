//! The outbound worker: claims due outbox rows with a lease, opens each sealed
//! message, builds it again through `OutboundMessage::new` (so the exposure guard runs
//! just before sending), sends up to `concurrency` at once under a rate limit, and
//! records each outcome.
//!
//! Outcomes are written by one settler task that commits many at once, as the
//! submission writer does: one commit per batch of sends instead of one per message.
//! A message can therefore be sent twice only if this process dies between the relay
//! accepting it and that commit; its lease then runs out and another claim retries it.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::outbox::{OpenMessageError, open_message};
use super::retry::{RetryPolicy, backoff};
use super::transport::{SendError, Transport};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::config::Config;
use crate::crypto::{Sealed, random_id};
use crate::keyring::{Courier, GateError, Keyring};
use crate::metrics::Metrics;
use crate::store::{ClaimedRow, OutboxMark, Settlement, Store, StoreError, now};

/// Most outcomes committed in one transaction.
const SETTLE_BATCH: usize = 512;
/// Longest a staff notice waits behind a busy outbox.
const NOTICES_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Names this worker in `leased_by` (with a fresh suffix per claim).
    pub name: String,
    /// Messages sent at once (and so connections to the relay).
    pub concurrency: usize,
    /// Most rows taken in one claim.
    pub batch_size: usize,
    /// How long a claim holds its rows. A row still `sending` after this is taken
    /// to be abandoned and is claimed again, so keep it well above the relay timeout.
    /// Stored in whole seconds: a lease can end up to a second early.
    pub lease: Duration,
    /// Pause between claims when nothing is due.
    pub poll_interval: Duration,
    /// Messages per second (`None`: unlimited).
    pub rate: Option<NonZeroU32>,
    /// Back-off after the first temporary failure; doubles with each attempt.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Claims before a message is given up as failed.
    pub max_attempts: i64,
    /// On a graceful stop, how long to wait for sends in flight.
    pub stop_timeout: Duration,
    /// Sender of notices to staff about their own accounts (`None`: none are sent).
    pub mail_from: Option<crate::domain::EmailAddress>,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", &random_id()[..8]),
            concurrency: 8,
            batch_size: 64,
            lease: Duration::from_secs(120),
            poll_interval: Duration::from_secs(1),
            rate: NonZeroU32::new(10),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(6 * 3600),
            max_attempts: 10,
            stop_timeout: Duration::from_secs(30),
            mail_from: None,
        }
    }
}

impl WorkerSettings {
    /// The retry rules both queues (outbox, staff notices) follow.
    pub fn retry(&self) -> RetryPolicy {
        RetryPolicy {
            base: self.retry_base,
            max: self.retry_max,
            max_attempts: self.max_attempts,
            lease: self.lease,
        }
    }

    pub fn from_config(config: &Config) -> Self {
        Self {
            concurrency: config.smtp_connections as usize,
            rate: config.smtp_rate,
            mail_from: config.staff_notices.then(|| config.mail_from.clone()),
            ..Self::default()
        }
    }
}

struct Context {
    store: Store,
    transport: Transport,
    /// Opens queued messages (programme identities unwrapped once per key).
    courier: Courier,
    limiter: Option<DefaultDirectRateLimiter>,
    settings: WorkerSettings,
    metrics: Arc<Metrics>,
}

/// A worker. Spawned ([`Worker::spawn`]) it claims on its own schedule until stopped,
/// and dropping the handle leaves it running (detached). Made [`Worker::on_demand`],
/// it does nothing until [`Worker::run_until_idle`] is called: the same claims, sends
/// and settlements, run to the point where nothing is due (how tests wait for mail
/// without sleeping).
pub struct Worker {
    ctx: Arc<Context>,
    stop: CancellationToken,
    task: Option<JoinHandle<()>>,
}

/// Why [`Worker::run_until_idle`] could not finish.
#[derive(Debug, thiserror::Error)]
pub enum DrainError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Work stays due round after round and no claim takes it.
    #[error("{0} messages stay due but no claim takes them")]
    Stuck(i64),
}

/// Whether the claim loop waits for more work or ends once nothing is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Scheduled,
    UntilIdle,
}

fn context(
    store: Store,
    keyring: &Keyring,
    transport: Transport,
    settings: WorkerSettings,
    metrics: Arc<Metrics>,
) -> Arc<Context> {
    Arc::new(Context {
        courier: keyring.courier(),
        store,
        transport,
        limiter: settings
            .rate
            .map(|r| RateLimiter::direct(Quota::per_second(r))),
        settings,
        metrics,
    })
}

impl Worker {
    pub fn spawn(
        store: Store,
        keyring: &Keyring,
        transport: Transport,
        settings: WorkerSettings,
    ) -> Self {
        Self::spawn_observed(
            store,
            keyring,
            transport,
            settings,
            Arc::new(Metrics::new()),
        )
    }

    /// As [`Worker::spawn`], counting send attempts and their latency in `metrics`
    /// (the process's `/metrics`).
    pub fn spawn_observed(
        store: Store,
        keyring: &Keyring,
        transport: Transport,
        settings: WorkerSettings,
        metrics: Arc<Metrics>,
    ) -> Self {
        tracing::info!(
            worker = %settings.name,
            transport = %transport.describe(),
            rate = ?settings.rate.map(NonZeroU32::get),
            concurrency = settings.concurrency,
            "outbound worker started"
        );
        let ctx = context(store, keyring, transport, settings, metrics);
        let stop = CancellationToken::new();
        let task = tokio::spawn(run(ctx.clone(), stop.clone(), Mode::Scheduled));
        Self {
            ctx,
            stop,
            task: Some(task),
        }
    }

    /// A worker that runs only when [`Worker::run_until_idle`] is called.
    pub fn on_demand(
        store: Store,
        keyring: &Keyring,
        transport: Transport,
        settings: WorkerSettings,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            ctx: context(store, keyring, transport, settings, metrics),
            stop: CancellationToken::new(),
            task: None,
        }
    }

    /// Claims, sends and settles until nothing is due: every outbox row that is
    /// queued and due (or whose lease ran out) has been sent, retried for later or
    /// failed, and every due staff notice likewise, all recorded. A retry whose
    /// back-off has not passed stays queued.
    pub async fn run_until_idle(&self) -> Result<(), DrainError> {
        let due = async || -> Result<i64, StoreError> {
            let at = now();
            let notices = match self.ctx.settings.mail_from {
                Some(_) => self.ctx.store.notices_due(at).await?,
                None => 0,
            };
            Ok(self.ctx.store.outbox_due(at).await? + notices)
        };
        let mut before = due().await?;
        let mut stalled = 0;
        loop {
            run(self.ctx.clone(), self.stop.clone(), Mode::UntilIdle).await;
            // Outcomes commit after the sends that produced them; one due again by
            // then (a retry without back-off, an abandoned lease) takes another round.
            let left = due().await?;
            if left == 0 {
                return Ok(());
            }
            // Each claim counts an attempt, so a row cannot stay due for more rounds
            // than it has attempts; longer means claims are failing (the database).
            stalled = if left < before { 0 } else { stalled + 1 };
            if stalled > self.ctx.settings.max_attempts {
                return Err(DrainError::Stuck(left));
            }
            before = left;
        }
    }

    /// Stops claiming, waits (up to `stop_timeout`) for sends in flight, records
    /// their outcomes, then returns. Rows not finished keep their lease and are
    /// claimed again once it runs out.
    pub async fn stop(self) {
        self.stop.cancel();
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }

    /// Kills the worker at once, as a crash would (for tests of exactly that), and
    /// returns once it is gone.
    pub async fn abort(self) {
        if let Some(task) = self.task {
            task.abort();
            let _ = task.await;
        }
    }
}

async fn deliver_notices(ctx: &Context) {
    if let Some(from) = &ctx.settings.mail_from {
        super::notices::deliver_due(&ctx.store, &ctx.transport, from, &ctx.settings.retry()).await;
    }
}

async fn run(ctx: Arc<Context>, stop: CancellationToken, mode: Mode) {
    let concurrency = ctx.settings.concurrency.max(1);
    let (marks, settle_rx) = mpsc::channel::<OutboxMark>(SETTLE_BATCH);
    // Owned by this task: aborting the worker aborts the settler too.
    let mut settler = AbortOnDrop(Some(tokio::spawn(settle(
        ctx.store.clone(),
        settle_rx,
        ctx.metrics.clone(),
    ))));
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut sends = JoinSet::new();
    let lease_seconds = ctx.settings.lease.as_secs().max(1) as i64;

    let batch = ctx.settings.batch_size.clamp(1, concurrency);
    // Claims wait for a quarter of the slots to be free rather than one: each claim is
    // a commit (an fsync on SQLite), and one-row claims would cost one each.
    let chunk = (concurrency / 4).clamp(1, batch);
    let mut notices_due = tokio::time::Instant::now();
    loop {
        // Claim only what can be sent now: a claimed row waiting for a free slot
        // would spend its lease doing nothing.
        let mut held = tokio::select! {
            permit = permits.clone().acquire_many_owned(chunk as u32) => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = stop.cancelled() => break,
        };
        let extra = permits.available_permits().min(batch - chunk);
        if extra > 0
            && let Ok(more) = permits.clone().try_acquire_many_owned(extra as u32)
        {
            held.merge(more);
        }
        let lease = format!("{}/{}", ctx.settings.name, &random_id()[..12]);
        let rows = match ctx
            .store
            .claim_outbox(&lease, held.num_permits() as i64, lease_seconds, now())
            .await
        {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "outbox claim failed");
                ctx.metrics.error("outbound");
                Vec::new()
            }
        };
        if rows.is_empty() {
            drop(held);
            // Staff notices are rare: they go out whenever the outbox is idle, and at
            // least every `NOTICES_EVERY` while a campaign keeps it busy.
            deliver_notices(&ctx).await;
            notices_due = tokio::time::Instant::now() + NOTICES_EVERY;
            if mode == Mode::UntilIdle {
                // Nothing due now: once what is in flight is done, so is this run.
                if sends.is_empty() {
                    break;
                }
                while let Some(done) = sends.join_next().await {
                    if let Err(error) = done {
                        tracing::error!(%error, "outbound send task failed");
                        ctx.metrics.error("outbound");
                    }
                }
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(ctx.settings.poll_interval) => {}
                () = stop.cancelled() => break,
            }
            continue;
        }
        for row in rows {
            // A claim returns at most as many rows as permits held.
            let Some(permit) = held.split(1) else { break };
            sends.spawn(send_one(
                ctx.clone(),
                row,
                lease.clone(),
                permit,
                marks.clone(),
            ));
        }
        drop(held);
        while let Some(done) = sends.try_join_next() {
            if let Err(error) = done {
                tracing::error!(%error, "outbound send task failed");
                ctx.metrics.error("outbound");
            }
        }
        if tokio::time::Instant::now() >= notices_due {
            deliver_notices(&ctx).await;
            notices_due = tokio::time::Instant::now() + NOTICES_EVERY;
        }
    }

    let drained = tokio::time::timeout(ctx.settings.stop_timeout, async {
        while sends.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = sends.len(),
            "outbound sends still running at stop; their rows will be retried after the lease"
        );
        sends.abort_all();
    }
    drop(marks);
    if let Some(task) = settler.0.take() {
        let _ = task.await;
    }
    if mode == Mode::Scheduled {
        tracing::info!(worker = %ctx.settings.name, "outbound worker stopped");
    }
}

struct AbortOnDrop(Option<JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

async fn send_one(
    ctx: Arc<Context>,
    row: ClaimedRow,
    lease: String,
    _permit: OwnedSemaphorePermit,
    marks: mpsc::Sender<OutboxMark>,
) {
    let settlement = deliver(&ctx, &row).await;
    let _ = marks
        .send(OutboxMark {
            id: row.id,
            lease,
            settlement,
        })
        .await;
}

async fn deliver(ctx: &Context, row: &ClaimedRow) -> Settlement {
    let settings = &ctx.settings;
    if row.attempts > settings.max_attempts {
        // Claimed this often without an outcome: workers keep dying on it.
        return Settlement::Failed {
            error: format!("gave up after {} attempts", settings.max_attempts),
        };
    }
    let retry_or_fail = |error: String| {
        if row.attempts >= settings.max_attempts {
            Settlement::Failed {
                error: format!("gave up after {} attempts: {error}", row.attempts),
            }
        } else {
            let delay = backoff(row.attempts, settings.retry_base, settings.retry_max);
            Settlement::Retry {
                next_attempt_at: now() + delay.as_secs() as i64,
                error,
            }
        }
    };

    // A referral leaves only for the partner address and key it was approved for: if
    // the partner changed since it was queued, it is stopped instead.
    if row.idempotency_key.starts_with("referral:") {
        let actor = Actor::Worker(settings.name.clone());
        match crate::referrals::may_send(&ctx.store, &row.id, &actor).await {
            Ok(None) => {}
            Ok(Some(reason)) => {
                tracing::warn!(outbox = %row.id, %reason, "referral not sent");
                ctx.metrics.outbound_outcome("refused");
                return Settlement::Failed { error: reason };
            }
            Err(error) => {
                tracing::warn!(%error, "cannot check a referral before sending");
                return retry_or_fail("database error".into());
            }
        }
    }
    // An enquirer's address gets nothing but its confirmation until the person typed
    // the code in their inbox (`crate::contact`): the reply waits there instead.
    if !row.idempotency_key.starts_with("referral:") && !row.idempotency_key.starts_with("contact:")
    {
        match ctx.store.outbox_may_reach(&row.id).await {
            Ok(true) => {}
            Ok(false) => {
                ctx.metrics.outbound_outcome("unconfirmed");
                return Settlement::Failed {
                    error: "unconfirmed address: the reply waits in the inbox".into(),
                };
            }
            Err(error) => {
                tracing::warn!(%error, "cannot check the address is confirmed before sending");
                return retry_or_fail("database error".into());
            }
        }
    }
    let message = match open(ctx, &row.sealed).await {
        Ok(m) => m,
        Err(Open::Later(reason)) => return retry_or_fail(reason),
        Err(Open::Never(reason)) => {
            refused(ctx, row, &reason).await;
            return Settlement::Failed { error: reason };
        }
    };
    if let Some(limiter) = &ctx.limiter {
        limiter.until_ready().await;
    }
    // Checked again here, just before the SMTP transaction, and not only at the claim:
    // after a stop commits, at most the sends already past this point leave (at most
    // `concurrency` per worker).
    match ctx
        .store
        .outbound_hold(&row.id, row.campaign_id.as_deref())
        .await
    {
        Ok(None) => {}
        Ok(Some(hold)) if hold.is_cancelled() => {
            ctx.metrics.outbound_outcome("stopped");
            return Settlement::Failed {
                error: "stopped".into(),
            };
        }
        Ok(Some(_)) => {
            ctx.metrics.outbound_outcome("held");
            return Settlement::Held;
        }
        Err(error) => {
            tracing::warn!(%error, "cannot check the stops before sending");
            return Settlement::Held;
        }
    }
    // `[outbound] max_per_hour`, counted across every worker (`outbound::rate`).
    match super::rate::check(&ctx.store, row).await {
        Ok(None) => {}
        Ok(Some(deferred)) => {
            ctx.metrics.outbound_outcome("held");
            return deferred;
        }
        Err(error) => {
            tracing::warn!(%error, "cannot check the hourly limit before sending");
            return Settlement::Held;
        }
    }
    let started = std::time::Instant::now();
    let sent = ctx.transport.send(&row.id, &message).await;
    let took = started.elapsed();
    match sent {
        Ok(()) => {
            tracing::debug!(outbox = %row.id, to = %message.recipient().masked(), "sent");
            ctx.metrics.sent("sent", took);
            Settlement::Sent { at: now() }
        }
        Err(SendError::Transient(reason)) => {
            tracing::info!(outbox = %row.id, to = %message.recipient().masked(), %reason, attempts = row.attempts, "send failed; will retry");
            let settlement = retry_or_fail(reason);
            let outcome = match settlement {
                Settlement::Retry { .. } => "retry",
                _ => "failed",
            };
            ctx.metrics.sent(outcome, took);
            settlement
        }
        Err(SendError::Permanent(reason)) => {
            tracing::warn!(outbox = %row.id, to = %message.recipient().masked(), %reason, "send refused by the relay");
            ctx.metrics.sent("failed", took);
            Settlement::Failed { error: reason }
        }
    }
}

enum Open {
    /// The database was unreachable: try again later.
    Later(String),
    /// The message cannot or must not be sent, now or ever.
    Never(String),
}

async fn open(ctx: &Context, sealed: &Sealed) -> Result<super::OutboundMessage, Open> {
    match ctx.courier.open_with(sealed, open_message).await {
        Ok(Ok(message)) => Ok(message),
        Ok(Err(OpenMessageError::Refused(reason))) => {
            Err(Open::Never(format!("refused: {reason}")))
        }
        Ok(Err(other)) => Err(Open::Never(format!("cannot open: {other}"))),
        Err(GateError::Store(StoreError::Database(e))) => {
            tracing::warn!(error = %e, "cannot load a programme key");
            Err(Open::Later("database error".into()))
        }
        Err(other) => Err(Open::Never(format!("cannot open: {other}"))),
    }
}

/// A message the guard stopped here was queued by something that bypassed the
/// guard at queue time (or the guard changed since): people should look at it.
async fn refused(ctx: &Context, row: &ClaimedRow, reason: &str) {
    tracing::warn!(outbox = %row.id, %reason, "outbound message not sent");
    ctx.metrics.outbound_outcome("refused");
    let entry = Entry::new(
        &Actor::Worker(ctx.settings.name.clone()),
        AuditAction::OutboundRefused,
        &format!("outbox:{}", row.id),
    )
    .outcome(Outcome::Denied)
    .detail(serde_json::json!({ "enquiry": row.enquiry_id, "reason": reason }));
    if let Err(error) = ctx.store.record_audit(&entry).await {
        tracing::error!(%error, "cannot audit a refused outbound message");
    }
}

/// Writes outcomes in batches until every sender is gone. A failed commit is retried:
/// giving up would leave sent rows to be claimed and sent again.
async fn settle(store: Store, mut rx: mpsc::Receiver<OutboxMark>, metrics: Arc<Metrics>) {
    let mut batch = Vec::with_capacity(SETTLE_BATCH);
    while rx.recv_many(&mut batch, SETTLE_BATCH).await > 0 {
        let mut wait = Duration::from_millis(100);
        for attempt in 1.. {
            match store.settle_outbox(&batch).await {
                Ok(_) => break,
                Err(error) if attempt < 20 => {
                    tracing::warn!(%error, attempt, "recording outbound results failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(10));
                }
                Err(error) => {
                    tracing::error!(%error, rows = batch.len(), "outbound results lost; those rows will be sent again after their lease");
                    metrics.error("outbound");
                    break;
                }
            }
        }
        batch.clear();
    }
}
