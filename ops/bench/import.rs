//! Import throughput: 10,000 messages in one mbox, brought in twice as operators do it:
//! by `haven import` (the real binary, timed from process start to exit) and by a
//! programme admin's upload at `/console/p/{slug}/import` (timed from the POST to the
//! summary page). Each is then repeated, when every message is a duplicate.
//!
//! These runs used to be `#[ignore]`d tests in the API suite; timings belong here,
//! where the report records the machine beside the numbers. See `ops/bench/README.md`.
//!
//!     cargo bench --bench import
//!     HAVEN_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench import
//!
//! Settings (environment): `HAVEN_BENCH_MESSAGES` (default 10000),
//! `HAVEN_BENCH_POSTGRES_URL`, `HAVEN_BENCH_DIR` (where the temporary data directory
//! goes), `HAVEN_BENCH_OUT` (results file; default `ops/bench/results/import-<backend>.md`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
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
use haven::crypto::random_id;
use haven::store::Store;

const EXAMPLE: &str = include_str!("../examples/afghanistan-2021.toml");
const SLUG: &str = "afghanistan-2021";
/// A second programme, so the upload imports the messages afresh.
const UPLOADS: &str = "uploads-bench";
const PASSWORD: &str = "correct horse battery staple 42";

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

/// The example programme with an `[import]` section (text into `situation`,
/// attachments kept), as the import tests use it.
fn programme(slug: &str) -> String {
    EXAMPLE
        .replacen(
            "[[templates]]",
            "[import]\ntext_field = \"situation\"\nattachments = \"keep\"\n\n[[templates]]",
            1,
        )
        .replace(SLUG, slug)
}

/// `n` plain messages, each from its own sender with its own Message-ID, with a
/// `From ` line in the text (escaped as `>From ` in the mbox).
fn mbox(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        out.extend(b"From MAILER-DAEMON Mon Aug 16 10:00:00 2021\n");
        let message = format!(
            "From: Person {i} <person{i}@example.org>\nSubject: Request {i}\nMessage-ID: <m{i}@example.org>\n\nThis is request number {i}. I need help to leave.\n>From here it is not safe.\n\n"
        );
        out.extend(message.as_bytes());
    }
    out
}

struct Timed {
    seconds: f64,
    summary: String,
}

/// `haven import --programme SLUG PATH` as an operator runs it.
fn cli_import(config: &Config, database: &str, path: &Path) -> anyhow::Result<Timed> {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["import", "--programme", SLUG])
        .arg(path)
        .env_clear()
        .env("HAVEN_DATA_DIR", &config.data_dir)
        .env("HAVEN_DATABASE_URL", database)
        .output()
        .context("run haven import")?;
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "haven import failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let summary = stdout
        .lines()
        .find(|l| l.contains("imported"))
        .unwrap_or("")
        .to_owned();
    Ok(Timed { seconds, summary })
}

/// A programme admin's browser: the session cookie kept by hand (it is `Secure`, and
/// this is plain HTTP on loopback).
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

fn input(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\""))?;
    let start = page[..at].rfind('<')?;
    let end = at + page[at..].find('>')?;
    let tag = &page[start..end];
    let v = tag.find("value=\"")? + "value=\"".len();
    Some(tag[v..v + tag[v..].find('"')?].replace("&amp;", "&"))
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

    /// Posts `fields` with the token of the form at `path`.
    async fn post(&mut self, path: &str, fields: &[(&str, String)]) -> anyhow::Result<Page> {
        let form = self.get(path).await?;
        let token = input(&form.body, "csrf").context("a token on the form")?;
        let mut all = vec![("csrf", token)];
        all.extend_from_slice(fields);
        let req = self.client.post(format!("{}{path}", self.base)).form(&all);
        self.send(req).await
    }

    /// Password, then the authenticator set up on the enrolment page.
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
        let done = self
            .post(
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
        if done.status != reqwest::StatusCode::OK {
            bail!("enrolment answered {}", done.status);
        }
        Ok(())
    }

    /// The upload form, in the order a browser sends it; timed from the POST to the
    /// whole summary page.
    async fn upload(&mut self, path: &str, name: &str, bytes: &[u8]) -> anyhow::Result<Timed> {
        let form = self.get(path).await?;
        let token = input(&form.body, "csrf").context("a token on the upload form")?;
        let boundary = "----haven-bench-boundary-5d1e";
        let mut body = Vec::with_capacity(bytes.len() + 1024);
        let mut field = |name: &str, value: &str| {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        field("csrf", &token);
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"current_password\"\r\n\r\n{PASSWORD}\r\n--{boundary}--\r\n"
            )
            .as_bytes(),
        );
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        let started = Instant::now();
        let page = self.send(req).await?;
        let seconds = started.elapsed().as_secs_f64();
        let at = page
            .body
            .find("id=\"import-summary\"")
            .with_context(|| format!("no summary ({}): {}", page.status, page.body))?;
        let rest = &page.body[at..];
        let text = &rest[rest.find('>').map_or(0, |i| i + 1)..];
        let summary = text[..text.find('<').unwrap_or(text.len())]
            .trim()
            .to_owned();
        Ok(Timed { seconds, summary })
    }
}

struct Results {
    messages: usize,
    bytes: usize,
    cli: Timed,
    cli_again: Timed,
    upload: Timed,
    upload_again: Timed,
}

async fn bench(dir: &Path, url: &str, messages: usize) -> anyhow::Result<Results> {
    let env: BTreeMap<&str, String> = BTreeMap::from([
        ("HAVEN_LISTEN", "127.0.0.1:0".to_string()),
        ("HAVEN_DATA_DIR", dir.display().to_string()),
        ("HAVEN_DATABASE_URL", url.to_string()),
        ("HAVEN_RATE_LIMIT", "off".to_string()),
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
        // The admin signs in once; the production cost is not what is measured.
        ("HAVEN_PASSWORD_HASH", "test".to_string()),
    ]);
    let config = Config::from_sources(None, |k| env.get(k).cloned())?;
    let app = Application::build(config.clone(), Roles::all()).await?;
    let base = format!("http://{}", app.addr());
    let store: Store = app.store().clone();
    tokio::spawn(app.into_server());
    let master = haven::app::keyring(&config, &store).await?;
    for slug in [SLUG, UPLOADS] {
        haven::programme::editing::save(
            &store,
            &master.programme_signer(),
            &programme(slug),
            haven::programme::editing::Expect::Any,
            haven::programme::editing::Author::CommandLine { confirmed: None },
            serde_json::Map::new(),
        )
        .await?;
    }

    let big = mbox(messages);
    let path = dir.join("big.mbox");
    std::fs::write(&path, &big)?;
    let cli = cli_import(&config, url, &path)?;
    let cli_again = cli_import(&config, url, &path)?;

    let hasher = Arc::new(master.password_hasher(config.password_cost));
    let email = "admin@bench.example";
    create_account(
        &store,
        hasher,
        AccountRequest {
            email,
            role: ProgrammeRole::Admin,
            programme: Some(UPLOADS),
            password: PASSWORD,
        },
        &Actor::Cli,
    )
    .await?;
    let mut admin = Browser {
        base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(600))
            .build()?,
        cookie: None,
    };
    admin.sign_in(email).await?;
    let page = format!("/console/p/{UPLOADS}/import");
    let upload = admin.upload(&page, "big.mbox", &big).await?;
    let upload_again = admin.upload(&page, "big.mbox", &big).await?;
    store.close().await;
    Ok(Results {
        messages,
        bytes: big.len(),
        cli,
        cli_again,
        upload,
        upload_again,
    })
}

fn report(backend: &str, load_before: &str, r: &Results) -> String {
    let mut s = String::new();
    let rate = |t: &Timed| r.messages as f64 / t.seconds;
    let _ = writeln!(
        s,
        "# Haven import benchmark: {} messages in one mbox ({backend})\n",
        r.messages
    );
    let _ = writeln!(s, "`cargo bench --bench import` (`ops/bench/import.rs`).\n");
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
        "- Machine: {} CPUs, load average before the run {load_before}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let _ = writeln!(
        s,
        "- Toolchain: {}; the `haven` binary of this build profile",
        command_line("rustc", &["--version"]).unwrap_or_else(|| "unknown".into())
    );
    let _ = writeln!(s, "- Database: {backend}");
    let _ = writeln!(s, "- Mbox: {} bytes\n", r.bytes);
    let _ = writeln!(s, "| How | Summary | Time (s) | Messages/s |");
    let _ = writeln!(s, "|---|---|---|---|");
    for (how, t) in [
        ("`haven import`", &r.cli),
        ("`haven import` again (all duplicates)", &r.cli_again),
        ("upload at `/console/p/{slug}/import`", &r.upload),
        ("upload again (all duplicates)", &r.upload_again),
    ] {
        let _ = writeln!(
            s,
            "| {how} | {} | {:.2} | {:.0} |",
            t.summary,
            t.seconds,
            rate(t)
        );
    }
    s
}

fn main() -> anyhow::Result<()> {
    let messages: usize = env_nonempty("HAVEN_BENCH_MESSAGES")
        .map(|v| v.parse())
        .transpose()
        .context("HAVEN_BENCH_MESSAGES")?
        .unwrap_or(10_000);
    let load_before = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
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
                .join(format!("ops/bench/results/import-{backend}.md"))
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
    let results = runtime.block_on(async {
        let (url, admin) = match &postgres {
            Some(base) => {
                let admin = sqlx::PgPool::connect(base).await?;
                let name = format!("haven_bench_{}", &random_id()[..12]);
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await?;
                let (root, _) = base.rsplit_once('/').context("URL has a database path")?;
                (format!("{root}/{name}"), Some((admin, name)))
            }
            None => (
                format!("sqlite://{}", dir.path().join("haven.db").display()),
                None,
            ),
        };
        let results = bench(dir.path(), &url, messages).await;
        if let Some((admin, name)) = admin {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await?;
        }
        anyhow::Ok(results?)
    })?;
    let report = report(backend, &load_before, &results);
    print!("{report}");
    std::fs::write(&out, report).with_context(|| format!("write {}", out.display()))?;
    eprintln!("written to {}", out.display());
    Ok(())
}
