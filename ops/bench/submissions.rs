//! End-to-end submissions benchmark: HTTP → validate → encrypt → durable commit.
//!
//! Builds the real server in-process (`Application::build`, the same path `haven serve`
//! takes), applies the example programme, and drives it with a `reqwest` load
//! generator in the same process: each client task loops as a browser does, fetching the
//! public form for a fresh CSRF token (one token submits one enquiry), posting it and
//! following the redirect to the receipt. Both sides share the
//! machine's cores, so the numbers are a lower bound for a server with the box to
//! itself. See `ops/bench/README.md`.
//!
//!     cargo bench --bench submissions
//!     HAVEN_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench submissions
//!
//! Settings (environment): `HAVEN_BENCH_CONCURRENCY` (default `1,8,64`),
//! `HAVEN_BENCH_SECONDS` (measured seconds per level, default 10), `HAVEN_BENCH_WARMUP`
//! (seconds per level, default 2), `HAVEN_BENCH_POSTGRES_URL`, `HAVEN_BENCH_DIR` (where the
//! temporary data directory goes; default the system temp dir), `HAVEN_BENCH_LOG`
//! (`sink`, the default: log lines are formatted as in production and discarded;
//! `stderr`; `off`), `HAVEN_BENCH_KEEP_DB=1` (keep the PostgreSQL database),
//! `HAVEN_BENCH_CLIENT_THREADS` (load-generator threads, default 2),
//! `HAVEN_BENCH_OUT` (results file; default `ops/bench/results/submissions-<backend>.md`),
//! `HAVEN_BENCH_WAIT_IDLE` (on a shared machine, wait up to this many seconds before each
//! level for the CPUs to be idle; default 0), `HAVEN_BENCH_GZIP=1` (POST with
//! `Accept-Encoding: gzip` as browsers do, so the server compresses each receipt).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use haven::app::{Application, Roles, keyring};
use haven::config::{Config, DatabaseUrl};
use haven::store::Store;
use sqlx::Row;

const SLUG: &str = "afghanistan-2021";
const PROGRAMME: &str = include_str!("../examples/afghanistan-2021.toml");
const RECEIPT_MARKER: &str = r#"id="reference-code""#;

const WARMUP: u8 = 0;
const MEASURE: u8 = 1;
const STOP: u8 = 2;

// ── Settings ────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LogMode {
    Sink,
    Stderr,
    Off,
}

struct Settings {
    concurrency: Vec<usize>,
    seconds: f64,
    warmup: f64,
    postgres: Option<String>,
    bench_dir: Option<PathBuf>,
    log: LogMode,
    keep_db: bool,
    client_threads: usize,
    out: Option<PathBuf>,
    wait_idle: f64,
    gzip: bool,
}

fn env_nonempty(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        let concurrency = match env_nonempty("HAVEN_BENCH_CONCURRENCY") {
            Some(list) => list
                .split(',')
                .map(|c| {
                    c.trim()
                        .parse::<usize>()
                        .context("HAVEN_BENCH_CONCURRENCY: a comma-separated list of numbers")
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![1, 8, 64],
        };
        if concurrency.is_empty() || concurrency.contains(&0) {
            bail!("HAVEN_BENCH_CONCURRENCY: every level must be at least 1");
        }
        let float = |key: &str, default: f64| -> anyhow::Result<f64> {
            match env_nonempty(key) {
                Some(v) => {
                    let x: f64 = v
                        .trim()
                        .parse()
                        .with_context(|| format!("{key}: a number of seconds"))?;
                    if !(x.is_finite() && x >= 0.0) {
                        bail!("{key}: must be a non-negative number of seconds");
                    }
                    Ok(x)
                }
                None => Ok(default),
            }
        };
        let seconds = float("HAVEN_BENCH_SECONDS", 10.0)?;
        if seconds <= 0.0 {
            bail!("HAVEN_BENCH_SECONDS must be more than 0");
        }
        let log = match env_nonempty("HAVEN_BENCH_LOG").as_deref() {
            None | Some("sink") => LogMode::Sink,
            Some("stderr") => LogMode::Stderr,
            Some("off") => LogMode::Off,
            Some(other) => bail!("HAVEN_BENCH_LOG: expected sink, stderr or off, not {other:?}"),
        };
        let client_threads = match env_nonempty("HAVEN_BENCH_CLIENT_THREADS") {
            Some(v) => v
                .trim()
                .parse()
                .context("HAVEN_BENCH_CLIENT_THREADS: a number")?,
            None => 2,
        };
        Ok(Self {
            concurrency,
            seconds,
            warmup: float("HAVEN_BENCH_WARMUP", 2.0)?,
            postgres: env_nonempty("HAVEN_BENCH_POSTGRES_URL"),
            bench_dir: env_nonempty("HAVEN_BENCH_DIR").map(PathBuf::from),
            log,
            keep_db: env_nonempty("HAVEN_BENCH_KEEP_DB").is_some_and(|v| v != "0"),
            client_threads: client_threads.max(1),
            out: env_nonempty("HAVEN_BENCH_OUT").map(PathBuf::from),
            wait_idle: float("HAVEN_BENCH_WAIT_IDLE", 0.0)?,
            gzip: env_nonempty("HAVEN_BENCH_GZIP").is_some_and(|v| v != "0"),
        })
    }

    fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

fn init_logging(mode: LogMode) {
    // The filter `haven serve` uses by default, so the access log costs what it costs there.
    let filter = || tracing_subscriber::EnvFilter::new("info,sqlx=warn,actix_server=warn");
    match mode {
        LogMode::Off => {}
        LogMode::Sink => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::sink)
            .init(),
        LogMode::Stderr => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
    }
}

// ── PostgreSQL: a fresh database per run ────────────────────────────────────

fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("random number generator: {e}"))?;
    Ok(hex::encode(buf))
}

/// `url` with its database name replaced by `db` (query string kept).
fn with_database(url: &str, db: &str) -> anyhow::Result<String> {
    let (scheme, rest) = url
        .split_once("://")
        .context("HAVEN_BENCH_POSTGRES_URL: not a URL")?;
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().unwrap_or(before_query);
    let mut out = format!("{scheme}://{authority}/{db}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

struct PgBench {
    admin: sqlx::PgPool,
    database: String,
    url: String,
    version: String,
    /// Where the server keeps its files, when it runs on this machine (for disk counters).
    data_directory: Option<PathBuf>,
}

async fn create_pg_database(base: &str) -> anyhow::Result<PgBench> {
    let admin = sqlx::PgPool::connect(base).await.with_context(|| {
        format!(
            "cannot connect to {}",
            DatabaseUrl::Postgres(base.into()).redacted()
        )
    })?;
    let database = format!("haven_bench_{}", random_hex(6)?);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&admin)
        .await
        .with_context(|| format!("CREATE DATABASE {database}"))?;
    let data_directory = match sqlx::query("SHOW data_directory").fetch_one(&admin).await {
        Ok(row) => row
            .try_get::<String, _>(0)
            .ok()
            .map(PathBuf::from)
            .filter(|p| p.is_dir()),
        Err(_) => None,
    };
    let version: String = sqlx::query("SELECT version()")
        .fetch_one(&admin)
        .await?
        .try_get(0)?;
    Ok(PgBench {
        url: with_database(base, &database)?,
        admin,
        database,
        version,
        data_directory,
    })
}

// ── /proc readings ──────────────────────────────────────────────────────────

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Resets VmHWM (the peak resident set) so each level reports its own peak.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// utime + stime, in clock ticks, from a `/proc/.../stat` line; and the `comm` field.
fn parse_stat(text: &str) -> Option<(String, u64)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_owned();
    let fields: Vec<&str> = text[close + 1..].split_whitespace().collect();
    // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

fn thread_group(comm: &str) -> &'static str {
    if comm.starts_with("actix-server") {
        "server: HTTP workers (actix)"
    } else if comm.starts_with("haven-server") {
        "server: tokio runtime (group-commit writer, programme cache)"
    } else if comm.starts_with("sqlx-sqlite") {
        "server: SQLite connection threads (sqlx)"
    } else if comm.starts_with("bench-client") {
        "client: load generator (reqwest)"
    } else {
        "other threads of the process"
    }
}

const GROUPS: [&str; 5] = [
    "server: HTTP workers (actix)",
    "server: tokio runtime (group-commit writer, programme cache)",
    "server: SQLite connection threads (sqlx)",
    "client: load generator (reqwest)",
    "other threads of the process",
];

#[derive(Clone)]
struct Snapshot {
    at: Instant,
    threads: HashMap<String, (String, u64)>,
    process_ticks: u64,
    machine_busy: u64,
    machine_total: u64,
    disk: Option<DiskCounters>,
}

#[derive(Clone, Copy)]
struct DiskCounters {
    writes: u64,
    sectors_written: u64,
    flushes: Option<u64>,
}

fn machine_cpu() -> (u64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return (0, 0);
    };
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return (0, 0);
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    let total: u64 = v.iter().take(8).sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    (total.saturating_sub(idle), total)
}

/// The block device (major, minor) holding `path`, its mount point and file-system type.
fn device_of(path: &Path) -> Option<((u32, u32), String, String)> {
    let path = path.canonicalize().ok()?;
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<((u32, u32), String, String)> = None;
    for line in info.lines() {
        let (left, right) = line.split_once(" - ")?;
        let f: Vec<&str> = left.split_whitespace().collect();
        let (Some(devno), Some(mount)) = (f.get(2), f.get(4)) else {
            continue;
        };
        if !path.starts_with(mount) {
            continue;
        }
        let (ma, mi) = devno.split_once(':')?;
        let fstype = right.split_whitespace().next().unwrap_or("?").to_owned();
        let better = best.as_ref().is_none_or(|(_, m, _)| mount.len() >= m.len());
        if better {
            best = Some((
                (ma.parse().ok()?, mi.parse().ok()?),
                (*mount).to_owned(),
                fstype,
            ));
        }
    }
    best
}

fn disk_name(dev: (u32, u32)) -> Option<String> {
    let stats = std::fs::read_to_string("/proc/diskstats").ok()?;
    stats.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.first()?.parse::<u32>().ok()? == dev.0 && f.get(1)?.parse::<u32>().ok()? == dev.1)
            .then(|| f.get(2).map(|s| (*s).to_owned()))
            .flatten()
    })
}

fn disk_counters(dev: Option<(u32, u32)>) -> Option<DiskCounters> {
    let dev = dev?;
    let stats = std::fs::read_to_string("/proc/diskstats").ok()?;
    stats.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.first()?.parse::<u32>().ok()? != dev.0 || f.get(1)?.parse::<u32>().ok()? != dev.1 {
            return None;
        }
        // After major, minor, name: reads(4) … writes completed is field 8, flushes
        // completed field 19 (kernels ≥ 5.5).
        Some(DiskCounters {
            writes: f.get(7)?.parse().ok()?,
            sectors_written: f.get(9)?.parse().ok()?,
            flushes: f.get(18).and_then(|x| x.parse().ok()),
        })
    })
}

impl Snapshot {
    fn take(dev: Option<(u32, u32)>) -> Self {
        let mut threads = HashMap::new();
        if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
            for entry in dir.flatten() {
                let tid = entry.file_name().to_string_lossy().into_owned();
                if let Some(parsed) = std::fs::read_to_string(entry.path().join("stat"))
                    .ok()
                    .and_then(|t| parse_stat(&t))
                {
                    threads.insert(tid, parsed);
                }
            }
        }
        let process_ticks = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|t| parse_stat(&t))
            .map_or(0, |(_, t)| t);
        let (machine_busy, machine_total) = machine_cpu();
        Self {
            at: Instant::now(),
            threads,
            process_ticks,
            machine_busy,
            machine_total,
            disk: disk_counters(dev),
        }
    }
}

/// CPU used between two snapshots, in cores (1.0 = one core busy the whole time).
struct CpuUse {
    groups: BTreeMap<&'static str, f64>,
    process: f64,
    machine_busy_fraction: f64,
    outside_process: f64,
}

impl CpuUse {
    fn server(&self) -> f64 {
        GROUPS[..3].iter().filter_map(|g| self.groups.get(g)).sum()
    }

    fn client(&self) -> f64 {
        self.groups.get(GROUPS[3]).copied().unwrap_or(0.0)
    }
}

fn cpu_use(a: &Snapshot, b: &Snapshot, ticks_per_sec: f64, cores: f64) -> CpuUse {
    let secs = b.at.duration_since(a.at).as_secs_f64().max(1e-9);
    let cores_of = |ticks: u64| ticks as f64 / ticks_per_sec / secs;
    let mut groups: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut counted = 0u64;
    for (tid, (comm, after)) in &b.threads {
        let before = a.threads.get(tid).map_or(0, |(_, t)| *t);
        let d = after.saturating_sub(before);
        counted += d;
        *groups.entry(thread_group(comm)).or_default() += cores_of(d);
    }
    // Threads that ended between the snapshots are still in the process total.
    let process_d = b.process_ticks.saturating_sub(a.process_ticks);
    *groups.entry("other threads of the process").or_default() +=
        cores_of(process_d.saturating_sub(counted));
    let busy = b.machine_busy.saturating_sub(a.machine_busy) as f64;
    let total = b.machine_total.saturating_sub(a.machine_total) as f64;
    let machine_busy_fraction = if total > 0.0 { busy / total } else { 0.0 };
    let process = cores_of(process_d);
    CpuUse {
        groups,
        process,
        machine_busy_fraction,
        outside_process: (machine_busy_fraction * cores - process).max(0.0),
    }
}

// ── The load generator ──────────────────────────────────────────────────────

#[derive(Default)]
struct TaskResult {
    latencies_us: Vec<u32>,
    measured_errors: u64,
    ok_total: u64,
    err_total: u64,
    error_kinds: BTreeMap<String, u64>,
    error_samples: Vec<String>,
}

impl TaskResult {
    fn error(&mut self, kind: String, sample: String, measuring: bool) {
        self.err_total += 1;
        if measuring {
            self.measured_errors += 1;
        }
        *self.error_kinds.entry(kind).or_default() += 1;
        if self.error_samples.len() < 3 {
            self.error_samples.push(sample);
        }
    }
}

fn snippet(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(200).collect()
}

/// The value of the hidden `csrf` input in a form page.
fn extract_csrf(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf""#)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let v = tag.find(r#"value=""#)? + r#"value=""#.len();
    let len = tag[v..].find('"')?;
    Some(tag[v..v + len].to_owned())
}

const FILLER: &str = "My family and I have been threatened because of my work with a foreign \
     organisation. We moved twice in the last month and stay with relatives now. I have a passport \
     and my tazkira; my wife has a tazkira only. We need help to leave safely and to know which \
     documents to prepare. ";

fn situation(task: usize, n: u64) -> String {
    let mut s = format!("Benchmark enquiry {task}-{n}. ");
    s.push_str(FILLER);
    s.chars().take(300).collect()
}

/// The public form's CSRF token, fetched as a browser fetches the form (the client's
/// cookie store keeps the cookie the page sets, so the POST answers with a redirect).
async fn fetch_token(client: &reqwest::Client, url: &str) -> Result<String, String> {
    match client.get(url).send().await {
        Ok(resp) if resp.status().is_success() => match resp.text().await {
            Ok(html) => {
                extract_csrf(&html).ok_or_else(|| "no csrf input in the form page".to_owned())
            }
            Err(e) => Err(format!("GET body: {e}")),
        },
        Ok(resp) => Err(format!("GET form: HTTP {}", resp.status().as_u16())),
        Err(e) => Err(format!("GET form: {e}")),
    }
}

/// `gzip`: POST with `Accept-Encoding: gzip`, as browsers do. The compressed receipt
/// cannot be searched for its reference code (no decompressor in the dependency set), so
/// then a success is a 200 with a gzip body; the durability check still counts rows.
async fn client_task(task: usize, base: Arc<str>, phase: Arc<AtomicU8>, gzip: bool) -> TaskResult {
    let mut out = TaskResult::default();
    let url = format!("{base}/p/{SLUG}");
    let client = match reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            out.error("client build".into(), e.to_string(), false);
            return out;
        }
    };
    let full_name = format!("Bench Person {task}");
    let mut n: u64 = 0;
    while phase.load(Ordering::Relaxed) != STOP {
        // As a browser: the form first (a token submits one enquiry only), then the POST,
        // whose 303 the client follows to the receipt with the cookie the POST set.
        let token = match fetch_token(&client, &url).await {
            Ok(token) => token,
            Err(e) => {
                out.error("GET form failed".into(), e, false);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        n += 1;
        let situation = situation(task, n);
        let form = [
            ("csrf", token.as_str()),
            ("lang", "en"),
            ("full_name", full_name.as_str()),
            ("current_country", "AF"),
            ("help_category", "at_risk"),
            ("in_danger", "yes"),
            ("situation", situation.as_str()),
            ("contact_mode", "inbox"),
        ];
        let started = Instant::now();
        // A browser posting its own form sends these; Haven checks them.
        let mut req = client.post(&url);
        if gzip {
            req = req.header("accept-encoding", "gzip");
        }
        let sent = req
            .header("origin", &*base)
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await;
        let outcome = match sent {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let gzipped = resp
                    .headers()
                    .get("content-encoding")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
                match resp.bytes().await.map(|b| {
                    if gzipped {
                        format!("(gzip, {} bytes)", b.len())
                    } else {
                        String::from_utf8_lossy(&b).into_owned()
                    }
                }) {
                    Ok(_) if status == 200 && gzip && gzipped => Ok(()),
                    Ok(body) if status == 200 && body.contains(RECEIPT_MARKER) => Ok(()),
                    Ok(body) if status == 200 => {
                        Err(("HTTP 200 without a receipt".to_owned(), snippet(&body)))
                    }
                    Ok(body) => Err((
                        format!("HTTP {status}"),
                        format!("HTTP {status}: {}", snippet(&body)),
                    )),
                    Err(e) => Err((format!("HTTP {status}, unreadable body"), e.to_string())),
                }
            }
            Err(e) => Err(("transport error".to_owned(), e.to_string())),
        };
        let elapsed = started.elapsed();
        let measuring = phase.load(Ordering::Relaxed) == MEASURE;
        match outcome {
            Ok(()) => {
                out.ok_total += 1;
                if measuring {
                    out.latencies_us
                        .push(u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX));
                }
            }
            Err((kind, sample)) => out.error(kind, sample, measuring),
        }
    }
    out
}

struct LevelResult {
    concurrency: usize,
    window: Duration,
    ok: usize,
    errors: u64,
    latencies_us: Vec<u32>,
    ok_total: u64,
    err_total: u64,
    error_kinds: BTreeMap<String, u64>,
    error_samples: Vec<String>,
    hwm_kb: Option<u64>,
    hwm_is_per_level: bool,
    max_rss_kb: u64,
    cpu: CpuUse,
    disk_writes: Option<u64>,
    disk_bytes: Option<u64>,
    disk_flushes: Option<u64>,
}

impl LevelResult {
    fn throughput(&self) -> f64 {
        self.ok as f64 / self.window.as_secs_f64()
    }
}

fn percentile_ms(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

struct Env {
    ticks_per_sec: f64,
    cores: f64,
    dev: Option<(u32, u32)>,
}

/// On a shared machine: waits (at most `max` seconds) until the CPUs are nearly idle, so
/// a level does not start in the middle of someone else's build.
async fn wait_for_quiet(max: f64) {
    if max <= 0.0 {
        return;
    }
    let deadline = Instant::now() + Duration::from_secs_f64(max);
    loop {
        let (b0, t0) = machine_cpu();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (b1, t1) = machine_cpu();
        let busy = b1.saturating_sub(b0) as f64 / (t1.saturating_sub(t0) as f64).max(1.0);
        if busy < 0.10 {
            return;
        }
        if Instant::now() >= deadline {
            eprintln!(
                "haven bench:   machine still {:.0}% busy; starting anyway",
                busy * 100.0
            );
            return;
        }
    }
}

async fn run_level(c: usize, base: Arc<str>, s: &Settings, env: &Env) -> LevelResult {
    wait_for_quiet(s.wait_idle).await;
    let hwm_is_per_level = reset_peak_rss();
    let phase = Arc::new(AtomicU8::new(WARMUP));
    let tasks: Vec<_> = (0..c)
        .map(|i| tokio::spawn(client_task(i, base.clone(), phase.clone(), s.gzip)))
        .collect();
    tokio::time::sleep(Duration::from_secs_f64(s.warmup)).await;

    let before = Snapshot::take(env.dev);
    phase.store(MEASURE, Ordering::Relaxed);
    let start = Instant::now();
    let length = Duration::from_secs_f64(s.seconds);
    let mut max_rss_kb = status_kb("VmRSS").unwrap_or(0);
    while start.elapsed() < length {
        let left = length.saturating_sub(start.elapsed());
        tokio::time::sleep(left.min(Duration::from_millis(100))).await;
        max_rss_kb = max_rss_kb.max(status_kb("VmRSS").unwrap_or(0));
    }
    phase.store(STOP, Ordering::Relaxed);
    let window = start.elapsed();
    let after = Snapshot::take(env.dev);

    let mut merged = TaskResult::default();
    for t in tasks {
        match t.await {
            Ok(r) => {
                merged.latencies_us.extend(r.latencies_us);
                merged.measured_errors += r.measured_errors;
                merged.ok_total += r.ok_total;
                merged.err_total += r.err_total;
                for (k, v) in r.error_kinds {
                    *merged.error_kinds.entry(k).or_default() += v;
                }
                for e in r.error_samples {
                    if merged.error_samples.len() < 5 {
                        merged.error_samples.push(e);
                    }
                }
            }
            Err(e) => {
                merged.err_total += 1;
                *merged
                    .error_kinds
                    .entry("client task panicked".into())
                    .or_default() += 1;
                merged.error_samples.push(e.to_string());
            }
        }
    }
    merged.latencies_us.sort_unstable();
    let (disk_writes, disk_bytes, disk_flushes) = match (before.disk, after.disk) {
        (Some(a), Some(b)) => (
            Some(b.writes.saturating_sub(a.writes)),
            // /proc/diskstats counts 512-byte sectors whatever the device's block size.
            Some(b.sectors_written.saturating_sub(a.sectors_written) * 512),
            a.flushes.zip(b.flushes).map(|(x, y)| y.saturating_sub(x)),
        ),
        _ => (None, None, None),
    };
    LevelResult {
        concurrency: c,
        window,
        ok: merged.latencies_us.len(),
        errors: merged.measured_errors,
        latencies_us: merged.latencies_us,
        ok_total: merged.ok_total,
        err_total: merged.err_total,
        error_kinds: merged.error_kinds,
        error_samples: merged.error_samples,
        hwm_kb: status_kb("VmHWM"),
        hwm_is_per_level,
        max_rss_kb,
        cpu: cpu_use(&before, &after, env.ticks_per_sec, env.cores),
        disk_writes,
        disk_bytes,
        disk_flushes,
    }
}

// ── Page weight ─────────────────────────────────────────────────────────────

struct Fetched {
    body: Vec<u8>,
    headers: usize,
    encoding: Option<String>,
}

struct PageWeight {
    form: Fetched,
    form_gzip: Fetched,
    form_scripts: usize,
    css: Fetched,
    css_gzip: Fetched,
}

impl PageWeight {
    /// Bytes on the wire (HTTP/1.1, no TLS) for a browser, which asks for gzip.
    fn wire(f: &Fetched) -> usize {
        f.body.len() + f.headers
    }
}

fn header_bytes(resp: &reqwest::Response) -> usize {
    // Status line plus `Name: value\r\n` per header and the blank line: HTTP/1.1 on the wire.
    let status = format!("HTTP/1.1 {}\r\n", resp.status()).len();
    status
        + resp
            .headers()
            .iter()
            .map(|(k, v)| k.as_str().len() + 2 + v.len() + 2)
            .sum::<usize>()
        + 2
}

/// The body exactly as sent: reqwest is built without decompression, so with
/// `Accept-Encoding: gzip` the bytes read are the compressed ones.
async fn fetch(client: &reqwest::Client, url: &str, gzip: bool) -> anyhow::Result<Fetched> {
    let mut req = client.get(url);
    if gzip {
        req = req.header("accept-encoding", "gzip");
    }
    let resp = req.send().await?;
    if !resp.status().is_success() {
        bail!("GET {url}: HTTP {}", resp.status());
    }
    let headers = header_bytes(&resp);
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok(Fetched {
        body: resp.bytes().await?.to_vec(),
        headers,
        encoding,
    })
}

async fn page_weight(base: &str) -> anyhow::Result<PageWeight> {
    let client = reqwest::Client::new();
    let form_url = format!("{base}/p/{SLUG}");
    let css_url = format!("{base}/static/haven.css");
    let form = fetch(&client, &form_url, false).await?;
    if form.encoding.is_some() {
        bail!("GET /p/{SLUG} without Accept-Encoding came back encoded");
    }
    let text = String::from_utf8_lossy(&form.body);
    if extract_csrf(&text).is_none() {
        bail!("the form page has no csrf input");
    }
    let form_scripts = text.matches("<script").count();
    Ok(PageWeight {
        form_gzip: fetch(&client, &form_url, true).await?,
        form,
        form_scripts,
        css_gzip: fetch(&client, &css_url, true).await?,
        css: fetch(&client, &css_url, false).await?,
    })
}

// ── Machine description ─────────────────────────────────────────────────────

fn command_line(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

struct Machine {
    date: String,
    commit: String,
    nproc: String,
    cpu_model: String,
    memory: String,
    kernel: String,
    rustc: String,
    loadavg: String,
}

fn machine() -> Machine {
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        );
    let commit = match command_line("git", &["rev-parse", "--short", "HEAD"]) {
        Some(c) => {
            let dirty = command_line("git", &["status", "--porcelain"]).is_some();
            if dirty {
                format!("{c} (with uncommitted changes)")
            } else {
                c
            }
        }
        None => "none (the repository has no commit yet, or git is unavailable)".into(),
    };
    Machine {
        date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
            .unwrap_or_else(|| "unknown".into()),
        commit,
        nproc: command_line("nproc", &[]).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or("unknown".into(), |n| n.to_string())
        }),
        cpu_model,
        memory,
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|_| "unknown".into()),
        rustc: command_line("rustc", &["--version"]).unwrap_or_else(|| "unknown".into()),
        loadavg: std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into()),
    }
}

/// Durability settings as the server's own pool reports them (not as assumed).
async fn durability_settings(store: &Store) -> String {
    let text = |q: &'static str| async move {
        let row = haven::store::test_support::fetch_one(store, q, &[])
            .await
            .ok()?;
        row.try_get::<String, _>(0)
            .ok()
            .or_else(|| row.try_get::<i64, _>(0).ok().map(|n| n.to_string()))
    };
    match store.backend() {
        haven::store::Backend::Sqlite => {
            let sync = text("PRAGMA synchronous")
                .await
                .unwrap_or_else(|| "?".into());
            let sync_name = match sync.as_str() {
                "0" => "OFF",
                "1" => "NORMAL",
                "2" => "FULL",
                "3" => "EXTRA",
                _ => "?",
            };
            let journal = text("PRAGMA journal_mode")
                .await
                .unwrap_or_else(|| "?".into());
            format!(
                "journal_mode={journal}, synchronous={sync_name} ({sync}) as read back from the server's pool"
            )
        }
        haven::store::Backend::Postgres => {
            let fsync = text("SHOW fsync").await.unwrap_or_else(|| "?".into());
            let commit = text("SHOW synchronous_commit")
                .await
                .unwrap_or_else(|| "?".into());
            let method = text("SHOW wal_sync_method")
                .await
                .unwrap_or_else(|| "?".into());
            format!(
                "fsync={fsync}, synchronous_commit={commit}, wal_sync_method={method} as read back from the server"
            )
        }
    }
}

// ── Main ────────────────────────────────────────────────────────────────────

fn main() -> anyhow::Result<()> {
    let s = Settings::from_env()?;
    init_logging(s.log);
    let backend = s.backend();
    let temp_parent = s.bench_dir.clone().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&temp_parent)?;
    let data = tempfile::Builder::new()
        .prefix("haven-bench-")
        .tempdir_in(&temp_parent)?;
    let data_dir = data.path().to_owned();
    eprintln!(
        "haven bench: {backend}, data directory {}",
        data_dir.display()
    );

    // The server's own runtime, as `haven serve` builds it (actix starts its HTTP workers
    // on threads of its own); the load generator gets a separate one, so the CPU each
    // side uses can be told apart by thread.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("haven-server-rt")
        .build()?;
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(s.client_threads)
        .enable_all()
        .thread_name("bench-client")
        .build()?;

    let pg = match &s.postgres {
        Some(base) => Some(server_rt.block_on(create_pg_database(base))?),
        None => None,
    };
    let database_url = match &pg {
        Some(pg) => pg.url.clone(),
        None => format!("sqlite://{}", data_dir.join("haven.db").display()),
    };
    let vars: HashMap<&str, String> = HashMap::from([
        ("HAVEN_LISTEN", "127.0.0.1:0".to_owned()),
        ("HAVEN_DATA_DIR", data_dir.display().to_string()),
        ("HAVEN_RATE_LIMIT", "off".to_owned()),
        ("HAVEN_DATABASE_URL", database_url),
    ]);
    let config = Config::from_sources(None, |k| vars.get(k).cloned())?;

    let result = run(&s, &server_rt, &client_rt, config, &data_dir, pg.as_ref());

    if let Some(pg) = &pg {
        if s.keep_db {
            eprintln!("haven bench: kept PostgreSQL database {}", pg.database);
        } else {
            let dropped = server_rt.block_on(
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    pg.database
                )))
                .execute(&pg.admin),
            );
            if let Err(e) = dropped {
                eprintln!("haven bench: could not drop database {}: {e}", pg.database);
            }
        }
        server_rt.block_on(pg.admin.close());
    }
    client_rt.shutdown_timeout(Duration::from_secs(5));
    server_rt.shutdown_timeout(Duration::from_secs(5));
    result
}

fn run(
    s: &Settings,
    server_rt: &tokio::runtime::Runtime,
    client_rt: &tokio::runtime::Runtime,
    config: Config,
    data_dir: &Path,
    pg: Option<&PgBench>,
) -> anyhow::Result<()> {
    let backend = s.backend();
    let database = config.database.clone();
    let (app, store) = server_rt.block_on(async {
        let app = Application::build(config.clone(), Roles::all()).await?;
        let store = app.store().clone();
        let master = keyring(&config, &store).await?;
        haven::programme::editing::save(
            &store,
            &master.programme_signer(),
            PROGRAMME,
            haven::programme::editing::Expect::Any,
            haven::programme::editing::Author::CommandLine { confirmed: None },
            serde_json::Map::new(),
        )
        .await?;
        anyhow::Ok((app, store))
    })?;
    let addr = app.addr();
    let handle = app.handle();
    let server = server_rt.spawn(app.into_server());
    let base: Arc<str> = format!("http://{addr}").into();

    // The disk whose counters matter: the one the database writes to.
    let disk_path = pg
        .and_then(|p| p.data_directory.clone())
        .unwrap_or_else(|| data_dir.to_owned());
    let dev_info = device_of(&disk_path);
    let env = Env {
        ticks_per_sec: command_line("getconf", &["CLK_TCK"])
            .and_then(|t| t.parse().ok())
            .unwrap_or(100.0),
        cores: std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64),
        dev: dev_info.as_ref().map(|(d, _, _)| *d),
    };
    let durability = server_rt.block_on(durability_settings(&store));
    let rows_before = server_rt.block_on(store.count_enquiries())?;
    let weight = client_rt.block_on(page_weight(&base))?;
    let idle_rss_kb = status_kb("VmRSS");
    let machine_info = machine();

    let mut levels = Vec::new();
    for &c in &s.concurrency {
        eprintln!(
            "haven bench: concurrency {c}: {} s warm-up, {} s measured…",
            s.warmup, s.seconds
        );
        let r = client_rt.block_on(run_level(c, base.clone(), s, &env));
        eprintln!(
            "haven bench:   {} ok, {} errors, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, VmHWM {} MiB",
            r.ok,
            r.errors,
            r.throughput(),
            percentile_ms(&r.latencies_us, 0.50),
            percentile_ms(&r.latencies_us, 0.99),
            r.hwm_kb
                .map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        );
        for e in &r.error_samples {
            eprintln!("haven bench:   error: {e}");
        }
        levels.push(r);
    }

    // Durability: every receipt shown must be a committed row.
    let ok_total: u64 = levels.iter().map(|l| l.ok_total).sum();
    let err_total: u64 = levels.iter().map(|l| l.err_total).sum();
    let rows_live = server_rt.block_on(store.count_enquiries())? - rows_before;
    server_rt.block_on(handle.stop(true));
    match server_rt.block_on(server) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("haven bench: server stopped with an error: {e}"),
        Err(e) => eprintln!("haven bench: server task failed: {e}"),
    }
    server_rt.block_on(store.close());
    drop(store);
    let rows_reopened = server_rt.block_on(async {
        let store = Store::connect(&database).await?;
        let n = store.count_enquiries().await?;
        store.close().await;
        anyhow::Ok(n)
    })? - rows_before;

    let report = Report {
        s,
        machine: machine_info,
        durability,
        dev_info,
        disk_path: &disk_path,
        pg_version: pg.map(|p| p.version.clone()),
        weight,
        idle_rss_kb,
        levels: &levels,
        ok_total,
        err_total,
        rows_live,
        rows_reopened,
    }
    .render();
    println!("{report}");
    let out = s.out.clone().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ops/bench/results")
            .join(format!("submissions-{backend}.md"))
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, &report).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("haven bench: wrote {}", out.display());
    if rows_live != ok_total as i64 || rows_reopened != ok_total as i64 {
        bail!(
            "durability check failed: {ok_total} receipts shown, {rows_live} rows while running, {rows_reopened} after reopening"
        );
    }
    Ok(())
}

// ── The report ──────────────────────────────────────────────────────────────

struct Report<'a> {
    s: &'a Settings,
    machine: Machine,
    durability: String,
    dev_info: Option<((u32, u32), String, String)>,
    disk_path: &'a Path,
    pg_version: Option<String>,
    weight: PageWeight,
    idle_rss_kb: Option<u64>,
    levels: &'a [LevelResult],
    ok_total: u64,
    err_total: u64,
    rows_live: i64,
    rows_reopened: i64,
}

fn mib(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "**met**" } else { "**not met**" }
}

impl Report<'_> {
    fn render(&self) -> String {
        let s = self.s;
        let m = &self.machine;
        let postgres = s.postgres.is_some();
        let mut o = String::new();
        let backend_title = if postgres { "PostgreSQL" } else { "SQLite" };
        let _ = writeln!(
            o,
            "# Haven end-to-end submissions benchmark: {backend_title}\n"
        );
        let _ = writeln!(
            o,
            "Generated by `cargo bench --bench submissions` (`ops/bench/submissions.rs`).\n"
        );
        let _ = writeln!(o, "- Date: {}", m.date);
        let _ = writeln!(o, "- Git commit: {}", m.commit);
        let _ = writeln!(
            o,
            "- Machine: {} CPUs (`nproc`), {}, {} RAM, Linux {}; load average before the run: {}",
            m.nproc, m.cpu_model, m.memory, m.kernel, m.loadavg
        );
        let _ = writeln!(
            o,
            "- Toolchain: {}, release profile (thin LTO, codegen-units = 4)",
            m.rustc
        );
        match &self.dev_info {
            Some(((ma, mi), mount, fstype)) => {
                let disk = disk_name((*ma, *mi)).unwrap_or_else(|| format!("device {ma}:{mi}"));
                let _ = writeln!(
                    o,
                    "- {}: {} on {fstype} (mount {mount}, disk {disk}){}",
                    if postgres {
                        "PostgreSQL data directory"
                    } else {
                        "Data directory"
                    },
                    self.disk_path.display(),
                    if fstype == "tmpfs" {
                        " — WARNING: tmpfs ignores fsync, so durability costs nothing here"
                    } else {
                        ""
                    }
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "- Database files: {} (file system unknown)",
                    self.disk_path.display()
                );
            }
        }
        if let Some(v) = &self.pg_version {
            let _ = writeln!(o, "- PostgreSQL: {v} (local, a fresh database per run)");
        }

        let _ = writeln!(o, "\n## Method\n");
        let _ = writeln!(
            o,
            "- The real server is built in-process with `Application::build(config, Roles::all())`, the path \
             `haven serve` takes: actix-web HTTP workers (one per CPU), the group-commit `SubmissionWriter`, \
             rate limits off (`HAVEN_RATE_LIMIT=off`), the access log {}.",
            match s.log {
                LogMode::Sink => "formatted as in production and written to a sink",
                LogMode::Stderr => "written to stderr",
                LogMode::Off => "off (no tracing subscriber)",
            }
        );
        let _ = writeln!(
            o,
            "- Programme: `ops/examples/afghanistan-2021.toml`, applied with a fresh programme key."
        );
        let _ = writeln!(
            o,
            "- Load: the same process runs a `reqwest` client (plain HTTP/1.1 on loopback, keep-alive, one \
             connection per client task) on its own {}-thread tokio runtime. **Client and server share the \
             machine's {} cores**, so the client's CPU is taken from the server: the numbers are a lower bound \
             for a server with the machine to itself (see the CPU table).",
            s.client_threads, m.nproc
        );
        let _ = writeln!(
            o,
            "- Each client task loops as a browser does: GETs `/p/{SLUG}` for a fresh hidden `csrf` token (one \
             token submits one enquiry), POSTs a valid submission and follows the `303` to the receipt with the \
             cookie the POST set (a cookie store on loopback, so the `Secure` cookies are kept). The POST is \
             `application/x-www-form-urlencoded`, with `Origin` and \
             `Sec-Fetch-Site: same-origin` as a browser sends; fields csrf, lang=en, full_name, \
             current_country=AF, help_category=at_risk, in_danger=yes, a 300-character situation with a \
             counter, contact_mode=inbox. {}",
            if s.gzip {
                "The POSTs send `Accept-Encoding: gzip`, as browsers do, so the server gzips each receipt; a \
                 request counts as a success if the answer is 200 with a gzip body (the compressed receipt \
                 cannot be searched for its code here; the durability check below still counts the rows)."
            } else {
                "The POSTs send no `Accept-Encoding` (browsers would ask for gzip, which costs the server \
                 compression on every receipt: run with `HAVEN_BENCH_GZIP=1` to include it). A request counts \
                 as a success only if the answer (after the redirect) is 200 and contains `id=\"reference-code\"`: the \
                 redirect is sent only after the enquiry's transaction committed."
            }
        );
        let _ = writeln!(
            o,
            "- Per concurrency level: {} s warm-up (not measured), then {} s measured. Throughput = successful \
             submissions completed in the measured window / window length; latency = time from sending the \
             POST to having read the whole receipt after the redirect, client side (the form's GET before it is not counted).",
            s.warmup, s.seconds
        );
        let _ = writeln!(
            o,
            "- Memory: client and server are one process, so the RSS reported is the **whole process's** \
             (`VmHWM`/`VmRSS` from `/proc/self/status`, peak reset per level through `/proc/self/clear_refs`): \
             an upper bound for the server's. Idle after start-up: {} MiB.",
            self.idle_rss_kb.map_or("?".into(), mib)
        );
        let _ = writeln!(o, "\n## Settings\n");
        let _ = writeln!(o, "- Durability: {}.", self.durability);
        if postgres {
            let _ = writeln!(
                o,
                "- Writes: group commit (`SubmissionWriter`: one task, up to 256 submissions per transaction, \
                 each request answered after its transaction committed); pool of 16 connections."
            );
        } else {
            let _ = writeln!(
                o,
                "- Writes: SQLite in WAL mode with synchronous=FULL (an fsync per commit); group commit \
                 (`SubmissionWriter`: one task, up to 256 submissions per transaction, each request answered \
                 after its transaction committed); pool of 8 connections."
            );
        }
        let _ = writeln!(
            o,
            "- Encryption: every enquiry sealed with age (X25519) to the programme key before it is written."
        );

        let _ = writeln!(o, "\n## Results\n");
        let _ = writeln!(
            o,
            "| Concurrency | Requests (200) | Errors | Throughput (submissions/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | Peak RSS, VmHWM (MiB) | Max VmRSS sampled (MiB) |"
        );
        let _ = writeln!(o, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for l in self.levels {
            let p = |q| percentile_ms(&l.latencies_us, q);
            let max = l
                .latencies_us
                .last()
                .map_or(f64::NAN, |m| f64::from(*m) / 1000.0);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {}{} | {} |",
                l.concurrency,
                l.ok,
                l.errors,
                l.throughput(),
                p(0.50),
                p(0.90),
                p(0.99),
                max,
                l.hwm_kb.map_or("?".into(), mib),
                if l.hwm_is_per_level {
                    ""
                } else {
                    " (since start)"
                },
                mib(l.max_rss_kb),
            );
        }
        let errors: Vec<_> = self
            .levels
            .iter()
            .filter(|l| !l.error_kinds.is_empty())
            .collect();
        if !errors.is_empty() {
            let _ = writeln!(o, "\nErrors (all phases, warm-up included):\n");
            for l in errors {
                let kinds: Vec<String> = l
                    .error_kinds
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                let _ = writeln!(o, "- concurrency {}: {}", l.concurrency, kinds.join(", "));
                for e in &l.error_samples {
                    let _ = writeln!(o, "  - `{}`", e.replace('`', "'"));
                }
            }
        }

        let _ = writeln!(
            o,
            "\n### Where the CPU goes (measured window; 1.00 = one core busy throughout)\n"
        );
        let short = [
            "HTTP workers (actix)",
            "server tokio rt (writer)",
            "SQLite threads",
            "client (reqwest)",
            "other",
        ];
        let _ = write!(o, "| Concurrency | Process |");
        for h in short {
            let _ = write!(o, " {h} |");
        }
        let _ = writeln!(
            o,
            " Outside the process{} | Machine busy | Server CPU per submission (µs) | Client CPU per submission (µs) | Disk writes/s | Disk KiB written per submission | Disk flushes/s | Submissions per flush |",
            if postgres {
                " (PostgreSQL and others)"
            } else {
                " (other programs)"
            }
        );
        let _ = writeln!(
            o,
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for l in self.levels {
            let secs = l.window.as_secs_f64();
            let _ = write!(o, "| {} | {:.2} |", l.concurrency, l.cpu.process);
            for g in GROUPS {
                let _ = write!(o, " {:.2} |", l.cpu.groups.get(g).copied().unwrap_or(0.0));
            }
            let rate =
                |x: Option<u64>| x.map_or("n/a".into(), |v| format!("{:.0}", v as f64 / secs));
            let per_flush = match l.disk_flushes {
                Some(f) if f > 0 => format!("{:.1}", l.ok as f64 / f as f64),
                _ => "n/a".into(),
            };
            let per_sub = |cores: f64| {
                if l.ok > 0 {
                    format!("{:.0}", cores * 1e6 / l.throughput())
                } else {
                    "n/a".into()
                }
            };
            let _ = writeln!(
                o,
                " {:.2} | {:.0}% | {} | {} | {} | {} | {} | {} |",
                l.cpu.outside_process,
                l.cpu.machine_busy_fraction * 100.0,
                per_sub(l.cpu.server()),
                per_sub(l.cpu.client()),
                rate(l.disk_writes),
                match l.disk_bytes {
                    Some(b) if l.ok > 0 => format!("{:.1}", b as f64 / 1024.0 / l.ok as f64),
                    _ => "n/a".into(),
                },
                rate(l.disk_flushes),
                per_flush
            );
        }
        let _ = writeln!(
            o,
            "\nThread CPU from `/proc/self/task/*/stat`; machine busy from `/proc/stat`; disk counters from \
             `/proc/diskstats` for the disk holding the database files (whole disk, other activity included). \
             {} Server CPU per submission sums the HTTP workers, the server runtime and the SQLite threads{}: \
             {} cores divided by it bounds what the server alone could do with the machine to itself. \
             Submissions per flush approximates the group-commit batch size{}.",
            if postgres {
                "CPU outside the process is mostly the PostgreSQL server, plus any other program running at the time."
            } else {
                "With SQLite the database runs inside the process, so CPU outside it is other programs sharing the \
                 machine during the run: it competes with the benchmark and lowers its numbers."
            },
            if postgres {
                " (PostgreSQL's own CPU is not included)"
            } else {
                ""
            },
            m.nproc,
            if postgres {
                ""
            } else {
                " (a WAL checkpoint adds flushes of its own)"
            }
        );

        let _ = writeln!(o, "\n## Durability check\n");
        let consistent =
            self.rows_live == self.ok_total as i64 && self.rows_reopened == self.ok_total as i64;
        let _ = writeln!(
            o,
            "- Receipts shown (200 with a reference code, warm-up included): {}; other answers or failures: {}.",
            self.ok_total, self.err_total
        );
        let _ = writeln!(
            o,
            "- Rows in `enquiries`: {} read through the server's pool after the run, {} after stopping the \
             server and reopening the database with a new connection. {}",
            self.rows_live,
            self.rows_reopened,
            if consistent {
                "**Equal to the receipts shown.**"
            } else {
                "**MISMATCH** (more rows than receipts can be a client-side error after the commit; fewer would be lost submissions)."
            }
        );
        let _ = writeln!(
            o,
            "- What this does not prove: that the rows would survive power loss. That rests on the commit \
             being fsynced before the answer (the durability settings above, read back from the database) and \
             on the disk honouring flushes; the disk-flush counts above show flushes were issued."
        );

        let w = &self.weight;
        let _ = writeln!(o, "\n## Public form page weight\n");
        let _ = writeln!(
            o,
            "| Resource | Body, uncompressed (bytes) | Body as sent to a browser asking for gzip (bytes) | Content-Encoding | Headers (≈ bytes) | Over the wire (KiB) |\n|---|---:|---:|---|---:|---:|"
        );
        let row = |o: &mut String, name: &str, plain: &Fetched, gz: &Fetched| {
            let _ = writeln!(
                o,
                "| {name} | {} | {} | {} | {} | {:.1} |",
                plain.body.len(),
                gz.body.len(),
                gz.encoding.as_deref().unwrap_or("none"),
                gz.headers,
                PageWeight::wire(gz) as f64 / 1024.0
            );
        };
        row(
            &mut o,
            &format!("`GET /p/{SLUG}` (HTML)"),
            &w.form,
            &w.form_gzip,
        );
        row(&mut o, "`GET /static/haven.css`", &w.css, &w.css_gzip);
        let html = PageWeight::wire(&w.form_gzip);
        let first = html + PageWeight::wire(&w.css_gzip);
        let _ = writeln!(
            o,
            "| First visit, both | {} | {} | | {} | {:.1} |",
            w.form.body.len() + w.css.body.len(),
            w.form_gzip.body.len() + w.css_gzip.body.len(),
            w.form_gzip.headers + w.css_gzip.headers,
            first as f64 / 1024.0
        );
        let _ = writeln!(
            o,
            "\nMeasured twice: without `Accept-Encoding`, and with `Accept-Encoding: gzip` as every browser \
             sends it (the bytes counted are the compressed ones as they travel; HTTP/1.1 without TLS). \
             Uncompressed HTML + headers: {:.1} KiB. `<script` elements in the form page: {}.",
            (w.form.body.len() + w.form.headers) as f64 / 1024.0,
            w.form_scripts
        );

        let _ = writeln!(
            o,
            "\n## Against the targets (`DESIGN.md`, \"Performance targets\")\n"
        );
        let best = self
            .levels
            .iter()
            .max_by(|a, b| a.throughput().total_cmp(&b.throughput()));
        let at64 = self
            .levels
            .iter()
            .find(|l| l.concurrency == 64)
            .or_else(|| self.levels.iter().max_by_key(|l| l.concurrency));
        if let Some(b) = best {
            let _ = writeln!(
                o,
                "- ≥ 2,000 durable submissions/s on {backend_title} on 2 cores: best {:.0}/s (concurrency {}) — {}{}.",
                b.throughput(),
                b.concurrency,
                verdict(b.throughput() >= 2000.0),
                if postgres {
                    " (the target is stated for SQLite; PostgreSQL shown for comparison)"
                } else {
                    ""
                }
            );
        }
        if let Some(l) = at64 {
            let p99 = percentile_ms(&l.latencies_us, 0.99);
            let _ = writeln!(
                o,
                "- p99 < 50 ms at concurrency {}: {:.2} ms — {}.",
                l.concurrency,
                p99,
                verdict(p99 < 50.0)
            );
        }
        let plain = w.form.body.len() + w.form.headers;
        let _ = writeln!(
            o,
            "- Form page ≤ 15 KB over the wire (to a browser, which asks for gzip): HTML {:.1} KiB ({} bytes with \
             headers) — {}; with the CSS (first visit; the CSS is then cached for an hour) {:.1} KiB — {}. \
             Uncompressed (a client that does not accept gzip) the HTML is {:.1} KiB — {}. No JavaScript: {}.",
            html as f64 / 1024.0,
            html,
            verdict(html <= 15 * 1024),
            first as f64 / 1024.0,
            verdict(first <= 15 * 1024),
            plain as f64 / 1024.0,
            verdict(plain <= 15 * 1024),
            verdict(w.form_scripts == 0)
        );
        let peak = self.levels.iter().filter_map(|l| l.hwm_kb).max();
        if let Some(peak) = peak {
            let _ = writeln!(
                o,
                "- RSS < 100 MB under that load: peak {} MiB for the whole process, load generator included — {} \
                 (stretch < 64 MB: {}).",
                mib(peak),
                verdict((peak as f64) * 1024.0 < 100e6),
                verdict((peak as f64) * 1024.0 < 64e6)
            );
        }
        o
    }
}
