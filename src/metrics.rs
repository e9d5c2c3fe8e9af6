//! `/metrics` in the Prometheus text format.
//!
//! Labels are only ever values Haven or an administrator chose (programme slugs, queue
//! keys, statuses, fixed reason names, status classes): nothing a person typed, no
//! address, no id of an enquiry. Counters move in the handlers; the gauges about queues
//! and the outbox are read from the database at each scrape, so every instance reports
//! the same shared state.
//!
//! The endpoint answers only requests made directly from the machine itself (loopback,
//! without a forwarding header): a scraper runs beside Haven, and the reverse proxy
//! never forwards `/metrics` to it by mistake.

use std::sync::Mutex;

use actix_web::{HttpRequest, HttpResponse, web};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::error::AppError;
use crate::store::{Store, now};

type Labels = Vec<(&'static str, String)>;

pub struct Metrics {
    registry: Registry,
    /// Submissions accepted and durably stored.
    pub submissions: Counter,
    /// Submissions refused, by reason (`validation`, `csrf`, `rate_limited`, `honeypot`).
    pub rejected: Family<Labels, Counter>,
    /// Responses by status class (`2xx`…`5xx`).
    pub responses: Family<Labels, Counter>,
    /// Staff sign-in attempts refused (wrong secret or throttled).
    pub signin_failures: Counter,
    queue_depth: Family<Labels, Gauge>,
    queue_oldest: Family<Labels, Gauge>,
    outbox: Family<Labels, Gauge>,
    /// One scrape at a time sets and encodes the gauges.
    scrape: Mutex<()>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("haven");
        let submissions = Counter::default();
        let rejected = Family::<Labels, Counter>::default();
        let responses = Family::<Labels, Counter>::default();
        let signin_failures = Counter::default();
        let queue_depth = Family::<Labels, Gauge>::default();
        let queue_oldest = Family::<Labels, Gauge>::default();
        let outbox = Family::<Labels, Gauge>::default();
        registry.register(
            "submissions",
            "Enquiries accepted and durably stored by this instance",
            submissions.clone(),
        );
        registry.register(
            "submissions_rejected",
            "Submissions refused by this instance, by reason",
            rejected.clone(),
        );
        registry.register(
            "http_responses",
            "HTTP responses of this instance by status class",
            responses.clone(),
        );
        registry.register(
            "signin_failures",
            "Staff sign-in attempts refused by this instance",
            signin_failures.clone(),
        );
        registry.register(
            "queue_enquiries",
            "Enquiries by programme, queue and status",
            queue_depth.clone(),
        );
        registry.register(
            "queue_oldest_open_seconds",
            "Age of the oldest open enquiry by programme and queue (hour precision)",
            queue_oldest.clone(),
        );
        registry.register(
            "outbox_messages",
            "Outbound messages by state",
            outbox.clone(),
        );
        Self {
            registry,
            submissions,
            rejected,
            responses,
            signin_failures,
            queue_depth,
            queue_oldest,
            outbox,
            scrape: Mutex::new(()),
        }
    }

    pub fn reject(&self, reason: &'static str) {
        self.rejected
            .get_or_create(&vec![("reason", reason.to_owned())])
            .inc();
    }

    pub fn response(&self, status: u16) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.responses
            .get_or_create(&vec![("class", class.to_owned())])
            .inc();
    }

    /// Reads the shared state and renders everything.
    pub async fn render(&self, store: &Store) -> Result<String, AppError> {
        let mut depth = Vec::new();
        let mut oldest = Vec::new();
        let at = now();
        for (id, slug) in store.programme_ids().await? {
            let mut open_oldest: std::collections::BTreeMap<String, i64> = Default::default();
            for s in store.queue_stats(&id).await? {
                if s.status != "closed" {
                    let o = open_oldest.entry(s.queue.clone()).or_insert(s.oldest_hour);
                    *o = (*o).min(s.oldest_hour);
                }
                depth.push((
                    vec![
                        ("programme", slug.clone()),
                        ("queue", s.queue),
                        ("status", s.status),
                    ],
                    s.count,
                ));
            }
            for (queue, hour) in open_oldest {
                oldest.push((
                    vec![("programme", slug.clone()), ("queue", queue)],
                    (at - hour).max(0),
                ));
            }
        }
        let counts = store.outbox_counts().await?;
        let _one = self
            .scrape
            .lock()
            .map_err(|_| AppError::Internal("metrics lock".into()))?;
        // Cleared first so a queue that emptied (or was renamed) stops being reported.
        self.queue_depth.clear();
        self.queue_oldest.clear();
        for (labels, n) in depth {
            self.queue_depth.get_or_create(&labels).set(n);
        }
        for (labels, secs) in oldest {
            self.queue_oldest.get_or_create(&labels).set(secs);
        }
        for (state, n) in [
            ("queued", counts.queued),
            ("sending", counts.sending),
            ("sent", counts.sent),
            ("failed", counts.failed),
        ] {
            self.outbox
                .get_or_create(&vec![("state", state.to_owned())])
                .set(n);
        }
        let mut out = String::new();
        encode(&mut out, &self.registry)
            .map_err(|_| AppError::Internal("metrics encoding".into()))?;
        Ok(out)
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// Whether the request came straight from this machine (not through a proxy). Tor
/// hands every onion visitor over from loopback too, so nothing on the onion listener
/// counts as local.
fn local_and_direct(req: &HttpRequest) -> bool {
    !crate::web::client::on_onion(req)
        && req.peer_addr().is_some_and(|a| a.ip().is_loopback())
        && req.headers().get("x-forwarded-for").is_none()
        && req.headers().get("forwarded").is_none()
}

pub async fn endpoint(
    req: HttpRequest,
    metrics: web::Data<Metrics>,
    store: web::Data<Store>,
) -> Result<HttpResponse, AppError> {
    if !local_and_direct(&req) {
        return Err(AppError::NotFound);
    }
    let body = metrics.render(&store).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body))
}
