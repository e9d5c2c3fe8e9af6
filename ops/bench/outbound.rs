//! Outbound throughput: messages per second from the outbox, through the worker, to
//! an SMTP server on loopback, with the rate limit off.
//!
//! Sets up a database (SQLite in a temporary directory, or a fresh PostgreSQL database),
//! applies the example programme, writes N sealed enquiries with email contacts, queues
//! one reply per enquiry as a campaign (one transaction), then starts a real
//! `outbound::Worker` (SMTP transport with its connection pool) against the test suite's
//! SMTP sink (`tests/api/helpers/smtp_sink.rs`, a tokio server in the same process) and times
//! how long it takes until every message was accepted by the sink and every row is
//! recorded as sent. See `ops/bench/README.md`.
//!
//!     cargo bench --bench outbound
//!     HAVEN_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench outbound
//!
//! Settings (environment): `HAVEN_BENCH_MESSAGES` (per level, default 10000),
//! `HAVEN_BENCH_CONCURRENCY` (worker send concurrency per level, default `8,32,128`),
//! `HAVEN_BENCH_SINK` (`delayed,quickack`: how the sink ACKs, see the report),
//! `HAVEN_BENCH_POSTGRES_URL`, `HAVEN_BENCH_DIR` (where the temporary data directory
//! goes), `HAVEN_BENCH_OUT` (results file; default
//! `ops/bench/results/outbound-<backend>.md`).

#[path = "../../tests/api/helpers/smtp_sink.rs"]
mod smtp_sink;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use haven::config::DatabaseUrl;
use haven::crypto::{Sealer, random_id};
use haven::domain::{EmailAddress, ReferenceCode};
use haven::enquiry::{ContactChoice, EnquiryContent};
use haven::outbound::{
    self, OutboundMessage, Recipient, Rendered, Transport, Worker, WorkerSettings,
};
use haven::programme::Answers;
use haven::store::{NewEnquiry, Store, SubmissionWriter, hour_of, now};
use smtp_sink::SmtpSink;

const PROGRAMME: &str = include_str!("../examples/afghanistan-2021.toml");

fn env_nonempty(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

fn command_line(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// CPU seconds this process has used (user + system).
fn cpu_seconds() -> f64 {
    let ticks = command_line("getconf", &["CLK_TCK"])
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(100.0);
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / ticks)
        })
        .unwrap_or(0.0)
}

struct Level {
    quickack: bool,
    concurrency: usize,
    messages: usize,
    enqueue_secs: f64,
    delivered_secs: f64,
    settled_secs: f64,
    cpu_secs: f64,
    transactions: usize,
}

fn main() -> anyhow::Result<()> {
    let messages: usize = env_nonempty("HAVEN_BENCH_MESSAGES")
        .map(|v| v.parse())
        .transpose()
        .context("HAVEN_BENCH_MESSAGES")?
        .unwrap_or(10_000);
    let levels: Vec<usize> = env_nonempty("HAVEN_BENCH_CONCURRENCY")
        .unwrap_or_else(|| "8,32,128".into())
        .split(',')
        .map(|c| c.trim().parse())
        .collect::<Result<_, _>>()
        .context("HAVEN_BENCH_CONCURRENCY")?;
    let sinks: Vec<bool> = env_nonempty("HAVEN_BENCH_SINK")
        .unwrap_or_else(|| "delayed,quickack".into())
        .split(',')
        .map(|m| match m.trim() {
            "delayed" => Ok(false),
            "quickack" => Ok(true),
            other => Err(anyhow::anyhow!(
                "HAVEN_BENCH_SINK: {other:?} is not delayed or quickack"
            )),
        })
        .collect::<anyhow::Result<_>>()?;
    let postgres = env_nonempty("HAVEN_BENCH_POSTGRES_URL");
    let backend = if postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let out = env_nonempty("HAVEN_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(format!("ops/bench/results/outbound-{backend}.md"))
        });
    let dir = match env_nonempty("HAVEN_BENCH_DIR") {
        Some(d) => tempfile::Builder::new()
            .prefix("haven-bench-")
            .tempdir_in(d)?,
        None => tempfile::Builder::new().prefix("haven-bench-").tempdir()?,
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (results, database) = runtime.block_on(async {
        let (url, admin) = match &postgres {
            Some(base) => {
                let admin = sqlx::PgPool::connect(base).await?;
                let name = format!("haven_bench_{}", &random_id()[..12]);
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await?;
                let (root, _) = base.rsplit_once('/').context("URL has a database path")?;
                (
                    DatabaseUrl::Postgres(format!("{root}/{name}")),
                    Some((admin, name)),
                )
            }
            None => (DatabaseUrl::Sqlite(dir.path().join("haven.db")), None),
        };
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        let results = bench(
            &store,
            &dir.path().join("master.key"),
            messages,
            &sinks,
            &levels,
        )
        .await;
        store.close().await;
        if let Some((admin, name)) = admin {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
                .execute(&admin)
                .await?;
        }
        anyhow::Ok((results?, url.redacted()))
    })?;

    let report = report(backend, &database, messages, &results);
    print!("{report}");
    std::fs::write(&out, report).with_context(|| format!("write {}", out.display()))?;
    eprintln!("written to {}", out.display());
    Ok(())
}

async fn bench(
    store: &Store,
    master_path: &std::path::Path,
    messages: usize,
    sinks: &[bool],
    levels: &[usize],
) -> anyhow::Result<Vec<Level>> {
    // The master key as `haven serve` loads it: through the start-up builder's keyring.
    let path = master_path.display().to_string();
    let config = haven::config::Config::from_sources(None, |k| {
        (k == "HAVEN_MASTER_KEY_FILE").then(|| path.clone())
    })?;
    let master = haven::app::keyring(&config, store).await?;
    haven::programme::editing::save(
        store,
        &master.programme_signer(),
        PROGRAMME,
        haven::programme::editing::Expect::Any,
        haven::programme::editing::Author::CommandLine { confirmed: None },
        serde_json::Map::new(),
    )
    .await?;
    let record = store
        .programme_by_slug("afghanistan-2021")
        .await?
        .context("programme")?;
    let sealer = Sealer::new(&record.key_id, &record.recipient)?;

    eprintln!("writing {messages} enquiries…");
    let enquirers = enquiries(store, &record.id, &sealer, messages).await?;
    let from = EmailAddress::parse("help@haven.example")?;

    let mut results = Vec::new();
    for (&quickack, &concurrency) in sinks
        .iter()
        .flat_map(|q| levels.iter().map(move |c| (q, c)))
    {
        eprintln!("concurrency {concurrency}: queueing {messages} messages…");
        let started = Instant::now();
        let built: Vec<(String, OutboundMessage)> = enquirers
            .iter()
            .map(|(id, email, reference)| {
                let rendered = Rendered {
                    subject: "A reply to your enquiry".into(),
                    text: format!(
                        "Hello,\n\nThere is a reply to your enquiry {reference}.\nSign in with your reference code and passphrase to read it.\n"
                    ),
                    html: Some(format!(
                        "<p>There is a reply to your enquiry <b>{reference}</b>.</p>"
                    )),
                };
                let message = OutboundMessage::new(
                    &from,
                    "Haven help desk",
                    Recipient::new(email.clone()),
                    &rendered,
                    Some(reference),
                )?;
                Ok((id.clone(), message))
            })
            .collect::<anyhow::Result<_>>()?;
        let campaign = random_id();
        // Queued as a campaign's approval queues them: one transaction, one row per
        // enquiry.
        let rows = built
            .iter()
            .map(|(id, m)| {
                outbound::seal_row(
                    &sealer,
                    id,
                    Some(&campaign),
                    &format!("campaign:{campaign}:{id}"),
                    m,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        haven::store::test_support::queue_outbox(store, &rows).await?;
        let enqueue_secs = started.elapsed().as_secs_f64();

        let sink = SmtpSink::start().await;
        sink.set_quickack(quickack);
        let settings = WorkerSettings {
            name: format!("bench-{concurrency}"),
            concurrency,
            batch_size: 256,
            rate: None,
            poll_interval: Duration::from_millis(5),
            ..WorkerSettings::default()
        };
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let worker = Worker::spawn(
            store.clone(),
            &master,
            Transport::smtp(&sink.url(), concurrency as u32)?,
            settings,
        );
        if !sink
            .wait_for_accepted(messages, Duration::from_secs(600))
            .await
        {
            anyhow::bail!("only {} of {messages} delivered", sink.accepted_count());
        }
        let delivered_secs = started.elapsed().as_secs_f64();
        loop {
            let c = store.outbox_counts_for_campaign(&campaign).await?;
            if c.sent as usize == messages {
                break;
            }
            anyhow::ensure!(c.failed == 0, "messages failed: {c:?}");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let settled_secs = started.elapsed().as_secs_f64();
        let cpu_secs = cpu_seconds() - cpu_before;
        worker.stop().await;
        results.push(Level {
            quickack,
            concurrency,
            messages,
            enqueue_secs,
            delivered_secs,
            settled_secs,
            cpu_secs,
            transactions: sink.transactions().len(),
        });
        eprintln!(
            "quickack {quickack}, concurrency {concurrency}: {:.0} messages/s",
            messages as f64 / settled_secs
        );
    }
    Ok(results)
}

type Enquirer = (String, EmailAddress, ReferenceCode);

async fn enquiries(
    store: &Store,
    programme_id: &str,
    sealer: &Sealer,
    n: usize,
) -> anyhow::Result<Vec<Enquirer>> {
    let writer = SubmissionWriter::spawn(store.clone());
    let mut pending = tokio::task::JoinSet::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let reference = ReferenceCode::generate();
        let email = EmailAddress::parse(&format!("person{i}@example{}.org", i % 13))?;
        let content = EnquiryContent::new(
            &reference,
            "en",
            Answers::default(),
            &ContactChoice::Email(email.clone()),
        );
        let id = random_id();
        let enquiry = NewEnquiry {
            id: id.clone(),
            programme_id: programme_id.to_owned(),
            form_version: 1,
            reference_hash: random_id().into_bytes(),
            passphrase_hash: random_id().into_bytes(),
            queue: "general".into(),
            priority: 3,
            language: "en".into(),
            source: "web",
            has_email: true,
            contact_index: None,
            inbox_recipient: None,
            sealed: content.seal(sealer)?,
            created_hour: hour_of(now()),
            own_copy: None,
        };
        let writer = writer.clone();
        pending.spawn(async move { writer.submit(enquiry).await });
        out.push((id, email, reference));
    }
    while let Some(done) = pending.join_next().await {
        done??;
    }
    Ok(out)
}

fn report(backend: &str, database: &str, messages: usize, results: &[Level]) -> String {
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let commit = command_line("git", &["rev-parse", "--short", "HEAD"]).map_or_else(
        || "unknown".into(),
        |c| {
            if command_line("git", &["status", "--porcelain"]).is_some() {
                format!("{c} (with uncommitted changes)")
            } else {
                c
            }
        },
    );
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Haven outbound benchmark: {}\n",
        if backend == "postgres" {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let _ = writeln!(
        s,
        "Generated by `cargo bench --bench outbound` (`ops/bench/outbound.rs`).\n"
    );
    let _ = writeln!(
        s,
        "- Date: {}",
        command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default()
    );
    let _ = writeln!(s, "- Git commit: {commit}");
    let _ = writeln!(
        s,
        "- Machine: {} CPUs (`nproc`), {cpu_model}; load average before the run: {}",
        command_line("nproc", &[]).unwrap_or_default(),
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "- Toolchain: {}, release profile",
        command_line("rustc", &["--version"]).unwrap_or_default()
    );
    let _ = writeln!(s, "- Database: {database}\n");
    let _ = writeln!(
        s,
        "## Method\n\n\
         - {messages} enquiries with email contacts are written sealed (as intake writes them). Per level, one reply per enquiry is built with `OutboundMessage::new` (guard included) and queued with `outbound::enqueue_campaign` (one transaction; \"queue\" below includes building and sealing).\n\
         - A real `outbound::Worker` (rate limit off; the given send concurrency = SMTP connections in lettre's pool; each claim takes up to that many rows, once a quarter of the slots are free) claims rows with leases, opens each sealed message with the programme key, rebuilds it through `OutboundMessage::new`, sends it over SMTP to the test suite's SMTP sink on 127.0.0.1 (a tokio server **in the same process**, sharing the cores: it parses every command and keeps every message), and records outcomes in batched commits.\n\
         - Sink ACKs: `delayed` is a stock TCP stack (Linux delays ACKs up to ~40 ms, as a relay's kernel would); `quickack` sets `TCP_QUICKACK` on the sink's socket after every read. lettre does not set `TCP_NODELAY` and writes the message body and the final `.` in two writes, so with delayed ACKs every message waits for the ACK of its body (Nagle): about 25 messages/s per connection, and throughput grows with the number of connections. The quickack rows show what the worker itself costs.\n\
         - \"Delivered\" is when the sink had accepted every message; \"settled\" when every row was recorded `sent` in the database. Throughput = messages / settled time. CPU = user + system seconds of the whole process (worker, sink, database client; for SQLite the database engine too) over the settled time.\n"
    );
    let _ = writeln!(s, "## Results\n");
    let _ = writeln!(
        s,
        "| Sink ACKs | Concurrency | Messages | SMTP transactions | Queue (s) | Delivered (s) | Settled (s) | Throughput (messages/s) | CPU (s) | CPU per message (µs) |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for l in results {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.0} | {:.2} | {:.0} |",
            if l.quickack { "quickack" } else { "delayed" },
            l.concurrency,
            l.messages,
            l.transactions,
            l.enqueue_secs,
            l.delivered_secs,
            l.settled_secs,
            l.messages as f64 / l.settled_secs,
            l.cpu_secs,
            l.cpu_secs * 1e6 / l.messages as f64
        );
    }
    let best = results
        .iter()
        .map(|l| l.messages as f64 / l.settled_secs)
        .fold(0.0, f64::max);
    let _ = writeln!(
        s,
        "\nTarget (DESIGN.md): ≥ 2,000 messages/s to a loopback sink without rate limiting: **{}** (best {:.0}/s).",
        if best >= 2000.0 { "met" } else { "not met" },
        best
    );
    s
}
