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
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
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
    /// Sign-in and re-authentication refusals that write no audit entry of their own, by
    /// reason (`throttled-account`, `throttled-client`, `busy`, `unknown-account`):
    /// unauthenticated clients must not be able to grow the audit log, so these are
    /// counted here and recorded once per account and window there.
    signin_refusals: Family<Labels, Counter>,
    /// Submissions refused by a quota, by which (`client`, `network`, `global`).
    quota_refusals: Family<Labels, Counter>,
    /// How many more submissions the global quota takes right now (set at scrape).
    submissions_global_remaining: Gauge,
    /// Password hashes running or waiting for a core, and refused because the gate
    /// was full (`auth::gate`).
    pub password_hashes_admitted: Gauge,
    pub password_hashes_refused: Counter,
    /// Second factors locked after repeated wrong codes (`auth::lockout`).
    pub second_factor_locks: Counter,
    /// Programme states refused because the console's signature over them did not
    /// verify (`programme::live`): an alarm, someone wrote the database behind Haven.
    pub programme_states_refused: Counter,
    /// Requests answered 429, by route pattern (every limit: the per-client request
    /// budget, submission quotas, the reply-inbox and sign-in throttles).
    rate_limited: Family<Labels, Counter>,
    /// Failures an operator should look at, by where they happened (`http`: a 5xx
    /// answer; `outbound`: a claim or the recording of outcomes failed).
    errors: Family<Labels, Counter>,
    /// Send attempts by outcome (`sent`, `retry`, `failed`, `refused`).
    outbound: Family<Labels, Counter>,
    /// Time one message took at the relay (or to its file), whatever the outcome.
    send_seconds: Histogram,
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
        let signin_refusals = Family::<Labels, Counter>::default();
        let quota_refusals = Family::<Labels, Counter>::default();
        let submissions_global_remaining = Gauge::default();
        let password_hashes_admitted = Gauge::default();
        let password_hashes_refused = Counter::default();
        let second_factor_locks = Counter::default();
        let programme_states_refused = Counter::default();
        let queue_depth = Family::<Labels, Gauge>::default();
        let queue_oldest = Family::<Labels, Gauge>::default();
        let outbox = Family::<Labels, Gauge>::default();
        let rate_limited = Family::<Labels, Counter>::default();
        let errors = Family::<Labels, Counter>::default();
        let outbound = Family::<Labels, Counter>::default();
        // 1 ms … 16 s: a loopback relay answers in a millisecond, a slow one in seconds.
        let send_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 15));
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
            "signin_refusals",
            "Staff sign-in attempts refused without an audit entry each, by reason",
            signin_refusals.clone(),
        );
        registry.register(
            "submission_quota_refusals",
            "Submissions refused by a quota, by which quota refused",
            quota_refusals.clone(),
        );
        registry.register(
            "submissions_global_remaining",
            "Submissions the global quota of this instance would still take right now",
            submissions_global_remaining.clone(),
        );
        registry.register(
            "password_hashes_admitted",
            "Password hashes running or waiting for a core in this instance",
            password_hashes_admitted.clone(),
        );
        registry.register(
            "password_hashes_refused",
            "Password checks refused at once because the hashing gate was full",
            password_hashes_refused.clone(),
        );
        registry.register(
            "second_factor_locks",
            "Second factors locked after repeated wrong codes",
            second_factor_locks.clone(),
        );
        registry.register(
            "programme_states_refused",
            "Programme states refused because the console's signature did not verify (an alarm)",
            programme_states_refused.clone(),
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
        registry.register(
            "rate_limited_requests",
            "Requests this instance answered with 429, by route pattern",
            rate_limited.clone(),
        );
        registry.register(
            "errors",
            "Errors of this instance, by where they happened",
            errors.clone(),
        );
        registry.register(
            "outbound_messages",
            "Send attempts of this instance's outbound worker, by outcome",
            outbound.clone(),
        );
        registry.register(
            "outbound_send_seconds",
            "Time one send attempt took, relay or file",
            send_seconds.clone(),
        );
        Self {
            registry,
            submissions,
            rejected,
            responses,
            signin_failures,
            signin_refusals,
            quota_refusals,
            submissions_global_remaining,
            password_hashes_admitted,
            password_hashes_refused,
            second_factor_locks,
            programme_states_refused,
            rate_limited,
            errors,
            outbound,
            send_seconds,
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

    /// A submission refused by `limit`.
    pub fn quota_refusal(&self, limit: crate::web::ratelimit::Limit) {
        self.quota_refusals
            .get_or_create(&vec![("quota", limit.as_str().to_owned())])
            .inc();
    }

    /// A sign-in refusal that the audit log does not record one by one.
    pub fn signin_refusal(&self, reason: &'static str) {
        self.signin_refusals
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

    /// Counts one answer of this instance: its class, and whether it was a refusal by a
    /// rate limit or a server error.
    pub fn answered(&self, status: u16, route: &str) {
        self.response(status);
        if status == 429 {
            self.rate_limited
                .get_or_create(&vec![("route", route.to_owned())])
                .inc();
        }
        if status >= 500 {
            self.error("http");
        }
    }

    pub fn error(&self, source: &'static str) {
        self.errors
            .get_or_create(&vec![("source", source.to_owned())])
            .inc();
    }

    /// One send attempt of the outbound worker and how long the relay took.
    pub fn sent(&self, outcome: &'static str, took: std::time::Duration) {
        self.outbound_outcome(outcome);
        self.send_seconds.observe(took.as_secs_f64());
    }

    /// An outcome reached without asking the relay (a message the guard stopped).
    pub fn outbound_outcome(&self, outcome: &'static str) {
        self.outbound
            .get_or_create(&vec![("outcome", outcome.to_owned())])
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
                if s.status.is_open() {
                    let o = open_oldest.entry(s.queue.clone()).or_insert(s.oldest_hour);
                    *o = (*o).min(s.oldest_hour);
                }
                depth.push((
                    vec![
                        ("programme", slug.clone()),
                        ("queue", s.queue),
                        ("status", s.status.as_str().to_owned()),
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
    limiters: web::Data<crate::web::ratelimit::Limiters>,
) -> Result<HttpResponse, AppError> {
    if !local_and_direct(&req) {
        return Err(AppError::NotFound);
    }
    metrics
        .submissions_global_remaining
        .set(i64::from(limiters.global_submissions_remaining()));
    let body = metrics.render(&store).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(m: &Metrics) -> String {
        let mut out = String::new();
        encode(&mut out, &m.registry).unwrap();
        out
    }

    #[test]
    fn server_errors_and_rate_limits_are_counted_where_they_happen() {
        let m = Metrics::new();
        m.answered(200, "/p/{slug}");
        m.answered(429, "/p/{slug}/status");
        m.answered(503, "/readyz");
        m.error("outbound");
        let text = encoded(&m);
        assert!(
            text.contains("haven_rate_limited_requests_total{route=\"/p/{slug}/status\"} 1"),
            "{text}"
        );
        assert!(!text.contains("haven_rate_limited_requests_total{route=\"/p/{slug}\"}"));
        assert!(
            text.contains("haven_errors_total{source=\"http\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("haven_errors_total{source=\"outbound\"} 1"),
            "{text}"
        );
        assert!(text.contains("haven_http_responses_total{class=\"5xx\"} 1"));
    }

    #[test]
    fn send_latency_lands_in_cumulative_buckets() {
        let m = Metrics::new();
        m.sent("sent", std::time::Duration::from_millis(3));
        m.sent("retry", std::time::Duration::from_millis(300));
        m.outbound_outcome("refused");
        let text = encoded(&m);
        assert!(
            text.contains("haven_outbound_send_seconds_count 2"),
            "{text}"
        );
        // 3 ms is above the 2 ms bucket and within the 4 ms one.
        assert!(
            text.contains("haven_outbound_send_seconds_bucket{le=\"0.002\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("haven_outbound_send_seconds_bucket{le=\"0.004\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("haven_outbound_send_seconds_bucket{le=\"+Inf\"} 2"),
            "{text}"
        );
        for outcome in ["sent", "retry", "refused"] {
            assert!(
                text.contains(&format!(
                    "haven_outbound_messages_total{{outcome=\"{outcome}\"}} 1"
                )),
                "{text}"
            );
        }
    }
}
