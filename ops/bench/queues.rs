//! Console pages at crisis scale (issue 22, item 3; issue 24): one programme holding
//! 1,000,000 enquiries, written straight into the store (as the queue tests do, through
//! the store's own insert), then every queue page, deep keyset pages, filtered pages,
//! the programme dashboard and the console home timed through real HTTP as an agent
//! sees them. Target: each under 50 ms.
//!
//!     cargo bench --bench queues
//!     HAVEN_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench queues
//!
//! Settings (environment): `HAVEN_BENCH_ENQUIRIES` (default 1000000), `HAVEN_BENCH_ROUNDS`
//! (timed requests per page, default 15), `HAVEN_BENCH_POSTGRES_URL`, `HAVEN_BENCH_DIR`,
//! `HAVEN_BENCH_OUT` (default `ops/bench/results/queues-<backend>.md`).
//!
//! The fill: four queues (urgent 10 %, former-staff 20 %, family 20 %, general 50 %),
//! priorities 0–4, arrival hours spread over 90 days, six languages, sources web 80 %,
//! imported 15 %, phone 5 %, half with an email address (a third of those confirmed);
//! by the first hex digit of the random id, 6/16 closed, 2/16 in progress (claimed by
//! the benchmark's agent), 1/16 awaiting reply, 1/16 person replied, the rest new. Each
//! row carries a 1 KiB ciphertext, so pages are the size of real ones.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use haven::app::{Application, Roles};
use haven::audit::Actor;
use haven::auth::accounts::{AccountRequest, create_account};
use haven::auth::totp::{TotpSecret, code_at};
use haven::casework::ProgrammeRole;
use haven::config::Config;
use haven::crypto::{Sealed, random_id};
use haven::store::test_support::{self, Arg};
use haven::store::{NewEnquiry, Store};

const EXAMPLE: &str = include_str!("../examples/afghanistan-2021.toml");
const SLUG: &str = "afghanistan-2021";
const PASSWORD: &str = "correct horse battery staple 42";
const LANGS: [&str; 6] = ["en", "fr", "uk", "ar", "fa-AF", "ps"];

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

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A small deterministic generator (xorshift), so every run fills the same shape.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn input(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\""))?;
    let start = page[..at].rfind('<')?;
    let end = at + page[at..].find('>')?;
    let tag = &page[start..end];
    let v = tag.find("value=\"")? + "value=\"".len();
    Some(tag[v..v + tag[v..].find('"')?].replace("&amp;", "&"))
}

struct Browser {
    base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

struct Page {
    status: reqwest::StatusCode,
    location: Option<String>,
    body: String,
}

impl Browser {
    async fn send(&mut self, req: reqwest::RequestBuilder) -> anyhow::Result<Page> {
        let req = match &self.cookie {
            Some(c) => req.header("cookie", format!("__Host-haven={c}")),
            None => req,
        };
        let res = req.send().await?;
        for c in res.headers().get_all("set-cookie") {
            if let Some(rest) = c.to_str()?.strip_prefix("__Host-haven=") {
                let value = rest.split(';').next().unwrap_or("").to_owned();
                self.cookie = (!value.is_empty()).then_some(value);
            }
        }
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Page {
            status,
            location,
            body: res.text().await?,
        })
    }

    async fn get(&mut self, path: &str) -> anyhow::Result<Page> {
        let req = self.client.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, String)]) -> anyhow::Result<Page> {
        let form = self.get(path).await?;
        let token = input(&form.body, "csrf").context("a token on the form")?;
        let mut all = vec![("csrf", token)];
        all.extend_from_slice(fields);
        let req = self.client.post(format!("{}{path}", self.base)).form(&all);
        self.send(req).await
    }

    async fn sign_in(&mut self, email: &str) -> anyhow::Result<()> {
        let first = self
            .post(
                "/console/sign-in",
                &[("email", email.into()), ("password", PASSWORD.into())],
            )
            .await?;
        if first.location.as_deref() != Some("/console/enrol") {
            bail!("sign-in went to {:?}", first.location);
        }
        let enrol = self.get("/console/enrol").await?;
        let secret = input(&enrol.body, "secret").context("secret on the enrol page")?;
        let totp = TotpSecret::from_base32(&secret).context("base32 secret")?;
        self.post(
            "/console/enrol",
            &[
                ("secret", secret),
                (
                    "secret_mac",
                    input(&enrol.body, "secret_mac").context("secret_mac")?,
                ),
                ("code", code_at(&totp, haven::store::now())),
            ],
        )
        .await?;
        // The programme's handling rules, read once before its first page.
        let rules = format!("/console/p/{SLUG}/rules");
        if self.get(&rules).await?.status == reqwest::StatusCode::OK {
            self.post(&rules, &[]).await?;
        }
        Ok(())
    }
}

async fn fill(store: &Store, total: usize, agent: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let programme = store
        .programme_by_slug(SLUG)
        .await?
        .context("the programme")?;
    let now = haven::store::hour_of(haven::store::now());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let batch = 5_000;
    let mut done = 0;
    while done < total {
        let n = batch.min(total - done);
        let rows: Vec<NewEnquiry> = (0..n)
            .map(|_| {
                let q = rng.below(10);
                let queue = match q {
                    0 => "urgent",
                    1 | 2 => "former-staff",
                    3 | 4 => "family",
                    _ => "general",
                };
                let s = rng.below(20);
                let source = match s {
                    0..=15 => "web",
                    16..=18 => "imported",
                    _ => "phone",
                };
                let mut ciphertext = vec![0u8; 1024];
                for b in ciphertext.iter_mut().step_by(8) {
                    *b = rng.next() as u8;
                }
                NewEnquiry {
                    id: random_id(),
                    programme_id: programme.id.clone(),
                    form_version: programme.version,
                    reference_hash: random_id().into_bytes(),
                    passphrase_hash: vec![1; 32],
                    queue: queue.to_owned(),
                    priority: rng.below(5) as i64,
                    language: LANGS[rng.below(6) as usize].to_owned(),
                    source,
                    has_email: rng.below(2) == 0,
                    contact_index: None,
                    inbox_recipient: None,
                    own_copy: None,
                    sealed: Sealed {
                        key_id: programme.key_id.clone(),
                        format_version: 1,
                        ciphertext,
                    },
                    created_hour: now - 3600 * rng.below(90 * 24) as i64,
                }
            })
            .collect();
        test_support::insert_enquiries(store, &rows).await?;
        done += n;
        if done % 100_000 == 0 {
            eprintln!("filled {done} ({:.0} s)", started.elapsed().as_secs_f64());
        }
    }
    // Statuses and claims by the first hex digit of the random id, and some confirmed
    // addresses, as staff and people would have left them. One statement per digit
    // (about 62,500 rows): a single UPDATE of 375,000 rows of 1 KiB each got SQLITE_FULL
    // at a million with the disk half empty (likely the in-memory statement journal of
    // `temp_store = MEMORY`; not pinned down).
    let status_of = |digit: char| match digit {
        '0'..='5' => Some("closed"),
        '6' | '7' => Some("in_progress"),
        '8' => Some("awaiting_reply"),
        '9' => Some("person_replied"),
        _ => None,
    };
    for digit in "0123456789".chars() {
        let status = status_of(digit).expect("a status for each decimal digit");
        let prefix = digit.to_string();
        if status == "in_progress" {
            test_support::execute(
                store,
                "UPDATE enquiries SET status = 'in_progress', assigned_to = $1 WHERE substr(id, 1, 1) = $2",
                &[Arg::from(agent), Arg::from(prefix.as_str())],
            )
            .await?;
        } else {
            test_support::execute(
                store,
                "UPDATE enquiries SET status = $1 WHERE substr(id, 1, 1) = $2",
                &[Arg::from(status), Arg::from(prefix.as_str())],
            )
            .await?;
        }
    }
    for digit in "abcde".chars() {
        let prefix = digit.to_string();
        test_support::execute(
            store,
            "UPDATE enquiries SET email_confirmed = 1 WHERE has_email = 1 AND substr(id, 2, 1) = $1",
            &[Arg::from(prefix.as_str())],
        )
        .await?;
    }
    Ok(started.elapsed())
}

struct Timing {
    page: String,
    rows: usize,
    median_ms: f64,
    p90_ms: f64,
    max_ms: f64,
}

async fn time_page(
    b: &mut Browser,
    label: &str,
    path: &str,
    rounds: usize,
) -> anyhow::Result<Timing> {
    // One untimed request first (the pool's connections, the page cache).
    let first = b.get(path).await?;
    if first.status != reqwest::StatusCode::OK {
        bail!("{path} answered {}: {}", first.status, first.body);
    }
    let rows = first.body.matches("href=\"/console/e/").count();
    let mut ms = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let page = b.get(path).await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if page.status != reqwest::StatusCode::OK {
            bail!("{path} answered {}", page.status);
        }
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok(Timing {
        page: label.to_owned(),
        rows,
        median_ms: ms[ms.len() / 2],
        p90_ms: ms[(ms.len() * 9 / 10).min(ms.len() - 1)],
        max_ms: *ms.last().unwrap_or(&0.0),
    })
}

/// The "next" link of a queue page, to time a page deep in the queue.
fn next_link(body: &str) -> Option<String> {
    let at = body.find("rel=\"next\"")?;
    let start = body[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + body[start..].find('"')?;
    Some(body[start..end].replace("&amp;", "&"))
}

struct Results {
    enquiries: usize,
    fill: Duration,
    load_after_fill: String,
    timings: Vec<Timing>,
    take_next_ms: Vec<f64>,
}

async fn bench(dir: PathBuf, url: String, total: usize, rounds: usize) -> anyhow::Result<Results> {
    let env: BTreeMap<&str, String> = BTreeMap::from([
        ("HAVEN_LISTEN", "127.0.0.1:0".to_string()),
        ("HAVEN_DATA_DIR", dir.display().to_string()),
        ("HAVEN_DATABASE_URL", url.clone()),
        ("HAVEN_RATE_LIMIT", "off".to_string()),
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
        ("HAVEN_PASSWORD_HASH", "test".to_string()),
    ]);
    let config = Config::from_sources(None, |k| env.get(k).cloned())?;
    let app = Application::build(config.clone(), Roles::all()).await?;
    let base = format!("http://{}", app.addr());
    let store: Store = app.store().clone();
    tokio::spawn(app.into_server());
    let master = haven::app::keyring(&config, &store).await?;
    haven::programme::editing::save(
        &store,
        &master.programme_signer(),
        EXAMPLE,
        haven::programme::editing::Expect::Any,
        haven::programme::editing::Author::CommandLine { confirmed: None },
        serde_json::Map::new(),
    )
    .await?;
    let email = "agent@bench.example";
    let agent = create_account(
        &store,
        Arc::new(master.password_hasher(config.password_cost)),
        AccountRequest {
            email,
            role: ProgrammeRole::Agent,
            programme: Some(SLUG),
            password: PASSWORD,
        },
        &Actor::Cli,
    )
    .await?;
    let fill_time = fill(&store, total, &agent).await?;
    if url.starts_with("postgres") {
        test_support::execute(&store, "ANALYZE enquiries", &[]).await?;
    } else {
        test_support::execute(&store, "ANALYZE", &[]).await?;
    }
    let load_after_fill = loadavg();

    let mut b = Browser {
        base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(600))
            .build()?,
        cookie: None,
    };
    b.sign_in(email).await?;
    let mut timings = Vec::new();
    timings.push(time_page(&mut b, "console home `/console`", "/console", rounds).await?);
    timings.push(
        time_page(
            &mut b,
            "dashboard `/console/p/{slug}`",
            &format!("/console/p/{SLUG}"),
            rounds,
        )
        .await?,
    );
    for queue in ["urgent", "former-staff", "family", "general"] {
        let path = format!("/console/p/{SLUG}/q/{queue}");
        timings.push(
            time_page(
                &mut b,
                &format!("queue {queue}, open, page 1"),
                &path,
                rounds,
            )
            .await?,
        );
    }
    let general = format!("/console/p/{SLUG}/q/general");
    // A page deep in the queue: follow "next" 50 times (5,000 rows in).
    let mut deep = general.clone();
    for _ in 0..50 {
        let page = b.get(&deep).await?;
        deep = next_link(&page.body).context("a next page")?;
    }
    timings.push(time_page(&mut b, "queue general, open, page 51", &deep, rounds).await?);
    for (label, query) in [
        ("queue general, all statuses", "?status=all"),
        ("queue general, closed only", "?status=closed"),
        ("queue general, person replied", "?status=person_replied"),
        ("queue general, phone only", "?source=phone"),
        (
            "queue general, Pashto, inbox only",
            "?lang=ps&contact=inbox",
        ),
        ("queue general, unclaimed", "?claim=unclaimed"),
        ("queue general, claimed by me", "?claim=mine"),
    ] {
        timings.push(time_page(&mut b, label, &format!("{general}{query}"), rounds).await?);
    }
    // "Take next", each a real claim (POST and its redirect, not the enquiry page).
    let mut take_next_ms = Vec::new();
    for _ in 0..rounds {
        let page = b.get(&general).await?;
        let token = input(&page.body, "csrf").context("token")?;
        let req = b
            .client
            .post(format!("{}{general}/next", b.base))
            .form(&[("csrf", token)]);
        let started = Instant::now();
        let done = b.send(req).await?;
        take_next_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if !done
            .location
            .as_deref()
            .is_some_and(|l| l.contains("done=taken"))
        {
            bail!("take next went to {:?}", done.location);
        }
    }
    take_next_ms.sort_by(|a, b| a.total_cmp(b));
    store.close().await;
    Ok(Results {
        enquiries: total,
        fill: fill_time,
        load_after_fill,
        timings,
        take_next_ms,
    })
}

fn report(backend: &str, load_before: &str, load_end: &str, r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Haven queue pages at {} enquiries in one programme ({backend})\n",
        r.enquiries
    );
    let _ = writeln!(
        s,
        "`cargo bench --bench queues` (`ops/bench/queues.rs`; the fill is described there).\n"
    );
    let _ = writeln!(
        s,
        "- Date: {}",
        command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_else(|| "unknown".into())
    );
    let _ = writeln!(
        s,
        "- Git commit: {}",
        command_line("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into())
    );
    let _ = writeln!(
        s,
        "- Machine: {} CPUs, shared with other builds and tests while this ran; load average before the fill {load_before}, after the fill {}, at the end {load_end}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        r.load_after_fill,
    );
    let _ = writeln!(
        s,
        "- Toolchain: {}; `cargo bench` (release profile)",
        command_line("rustc", &["--version"]).unwrap_or_else(|| "unknown".into())
    );
    let _ = writeln!(s, "- Database: {backend}");
    let _ = writeln!(
        s,
        "- Fill: {:.0} s (not part of the target)\n",
        r.fill.as_secs_f64()
    );
    let _ = writeln!(
        s,
        "Each page: one untimed request, then timed requests through HTTP on loopback (whole response read), signed in as an agent.\n"
    );
    let _ = writeln!(
        s,
        "| Page | Rows linked | Median (ms) | p90 (ms) | Max (ms) | < 50 ms (median) |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for t in &r.timings {
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            t.page,
            t.rows,
            t.median_ms,
            t.p90_ms,
            t.max_ms,
            if t.median_ms < 50.0 { "yes" } else { "**no**" }
        );
    }
    let ms = &r.take_next_ms;
    if !ms.is_empty() {
        let _ = writeln!(
            s,
            "| take next (POST, claims one; redirect only) | – | {:.1} | {:.1} | {:.1} | {} |",
            ms[ms.len() / 2],
            ms[(ms.len() * 9 / 10).min(ms.len() - 1)],
            ms[ms.len() - 1],
            if ms[ms.len() / 2] < 50.0 {
                "yes"
            } else {
                "**no**"
            }
        );
    }
    s
}

fn main() -> anyhow::Result<()> {
    let total: usize = env_nonempty("HAVEN_BENCH_ENQUIRIES")
        .map(|v| v.parse())
        .transpose()
        .context("HAVEN_BENCH_ENQUIRIES")?
        .unwrap_or(1_000_000);
    let rounds: usize = env_nonempty("HAVEN_BENCH_ROUNDS")
        .map(|v| v.parse())
        .transpose()
        .context("HAVEN_BENCH_ROUNDS")?
        .unwrap_or(15)
        .max(1);
    let load_before = loadavg();
    let postgres = env_nonempty("HAVEN_BENCH_POSTGRES_URL");
    let backend = if postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let parent = env_nonempty("HAVEN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = parent.join(format!("haven-bench-queues-{}", random_id()));
    std::fs::create_dir_all(&dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // PostgreSQL: a database of its own, dropped afterwards.
    let database = format!("haven_bench_queues_{}", &random_id()[..12]);
    let admin = match &postgres {
        Some(base) => Some(runtime.block_on(async {
            let admin = sqlx::PgPool::connect(base).await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
                .execute(&admin)
                .await?;
            anyhow::Ok(admin)
        })?),
        None => None,
    };
    let url = match &postgres {
        Some(base) => {
            let (server, _) = base.rsplit_once('/').context("a database in the URL")?;
            format!("{server}/{database}")
        }
        None => format!("sqlite://{}/haven.db?mode=rwc", dir.display()),
    };
    let result = runtime.block_on(bench(dir.clone(), url, total, rounds));
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(admin) = admin {
        let _ = runtime.block_on(
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
            )))
            .execute(&admin),
        );
    }
    let r = result?;
    let text = report(backend, &load_before, &loadavg(), &r);
    print!("{text}");
    let out = env_nonempty("HAVEN_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("ops/bench/results")
                .join(format!("queues-{backend}.md"))
        });
    std::fs::write(&out, &text)?;
    eprintln!("written to {}", out.display());
    Ok(())
}
