//! The test app (a Haven spawned in-process on port 0 with a fresh database), its
//! background jobs run on demand, and small helpers the test modules share.

pub mod confirmed;
mod jobs;
pub mod processes;
pub mod smtp_sink;
pub mod staff;

use std::collections::BTreeMap;
use std::path::Path;

use haven::app::{Application, Jobs, Roles};
use haven::config::Config;
use haven::enquiry::EnquiryContent;
use haven::keyring::{GateError, Keyring, Read};
use haven::programme::Programme;
use haven::store::Store;

pub const SLUG: &str = "afghanistan-2021";
pub const EXAMPLE: &str = include_str!("../../../ops/examples/afghanistan-2021.toml");

/// Where a test's data lives: SQLite in its temp dir, or a fresh PostgreSQL database.
pub async fn database_url(data_dir: &Path) -> String {
    match std::env::var("HAVEN_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => fresh_postgres_database(&admin_url).await,
        _ => format!("sqlite://{}", data_dir.join("haven.db").display()),
    }
}

pub fn on_postgres() -> bool {
    std::env::var("HAVEN_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty())
}

async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("haven_test_{}", haven::crypto::random_id());
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("HAVEN_TEST_POSTGRES_URL must point at a reachable PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL has a database path");
    format!("{base}/{name}")
}

pub struct TestApp {
    pub addr: String,
    /// `http://…` of the onion listener, when `HAVEN_ONION_LISTEN` was set.
    pub onion: Option<String>,
    /// The console's session clock: move it forward instead of sleeping.
    pub session_clock: haven::auth::session::Clock,
    pub config: Config,
    pub store: Store,
    pub client: reqwest::Client,
    /// The worker role's jobs, run by [`TestApp::run_pending_jobs`] (`None` without
    /// the worker role).
    jobs: Option<jobs::Runner>,
    job_check: jobs::JobCheck,
    programmes: haven::programme::live::LiveProgrammes,
    _dir: tempfile::TempDir,
}

pub struct Settings {
    pub env: BTreeMap<&'static str, String>,
    pub config_file: Option<String>,
    pub apply_example: bool,
    pub roles: Roles,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: BTreeMap::new(),
            config_file: None,
            apply_example: true,
            roles: Roles::all(),
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Settings::default()).await
}

pub async fn spawn_with(settings: Settings) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().to_path_buf();
    let database_url = database_url(&data_dir).await;
    let mut env: BTreeMap<&str, String> = BTreeMap::from([
        ("HAVEN_LISTEN", "127.0.0.1:0".to_string()),
        ("HAVEN_DATA_DIR", data_dir.display().to_string()),
        ("HAVEN_DATABASE_URL", database_url.clone()),
        // Cheap password hashes: the suite signs in hundreds of times. The production
        // cost is tested in `auth::password`'s unit tests.
        ("HAVEN_PASSWORD_HASH", "test".to_string()),
        // Every sign-in enrols a second factor, which queues an email to the staff
        // member: off unless a test is about those (`hardening` turns them on), so
        // that the jobs a test leaves are the ones it made on purpose.
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
    ]);
    env.extend(settings.env);
    let file = settings.config_file.map(|text| {
        let path = data_dir.join("haven.toml");
        std::fs::write(&path, text).expect("write config");
        path
    });
    let config =
        Config::from_sources(file.as_deref(), |k| env.get(k).cloned()).expect("test config");
    // The worker role's jobs run when a test asks, never behind its back.
    let mut app = Application::build_with(config.clone(), settings.roles, Jobs::OnDemand)
        .await
        .expect("app builds");
    let jobs = app.take_jobs().map(std::sync::Arc::new);
    let programmes = app.programmes();
    let addr = format!("http://{}", app.addr());
    let onion = app.onion_addr().map(|a| format!("http://{a}"));
    let session_clock = app.session_clock();
    let store = app.store().clone();
    tokio::spawn(app.into_server());
    if settings.apply_example {
        apply(&store, &config, EXAMPLE).await;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        addr,
        onion,
        session_clock,
        config,
        store,
        client,
        jobs,
        job_check: jobs::JobCheck::default(),
        programmes,
        _dir: dir,
    }
}

/// Applies a programme file as `haven programme apply` does. A change that widens who
/// can read data is confirmed as `programme apply --as` confirms it: by an instance
/// admin of the tests' own set-up (`operator@example.org`, made the first time it is
/// needed), with its password.
pub async fn apply(store: &Store, config: &Config, text: &str) {
    use haven::programme::editing::{self, Author, Expect, SaveError};
    let master = keyring_of(config, store).await;
    Programme::parse(text).expect("programme parses");
    let save = async |confirmed| {
        editing::save(
            store,
            &master.programme_signer(),
            text,
            Expect::Any,
            Author::CommandLine { confirmed },
            serde_json::Map::new(),
        )
        .await
    };
    match save(None).await {
        Ok(_) => {}
        Err(SaveError::NeedsReauth(_)) => {
            let proof = operator(store, config, &master).await;
            save(Some(&proof)).await.expect("programme applies");
        }
        Err(e) => panic!("programme applies: {e}"),
    }
}

/// The set-up's instance admin, confirmed with its password.
async fn operator(
    store: &Store,
    config: &Config,
    master: &Keyring,
) -> haven::auth::reauth::Reauthenticated {
    const OPERATOR: &str = "operator@example.org";
    let hasher = std::sync::Arc::new(master.password_hasher(config.password_cost));
    if store.user_by_email(OPERATOR).await.unwrap().is_none() {
        haven::auth::accounts::create_account(
            store,
            hasher.clone(),
            haven::auth::accounts::AccountRequest {
                email: OPERATOR,
                role: haven::casework::ProgrammeRole::Admin,
                programme: None,
                password: crate::staff::PASSWORD,
            },
            &haven::audit::Actor::Cli,
        )
        .await
        .expect("operator account");
    }
    haven::auth::reauth::confirm_by_email(
        store,
        &hasher,
        OPERATOR,
        crate::staff::PASSWORD,
        u32::MAX,
    )
    .await
    .unwrap()
    .expect("the operator's password")
}

/// The keyring `app::keyring` builds for `config` (the one way to the master key).
pub async fn keyring_of(config: &Config, store: &Store) -> Keyring {
    haven::app::keyring(config, store)
        .await
        .expect("the master key loads")
}

/// The keyring of a Haven this test did not build, from where its master key is.
pub async fn keyring_at(store: &Store, master_key_file: &Path) -> Keyring {
    let path = master_key_file.display().to_string();
    let config = Config::from_sources(None, |k| {
        (k == "HAVEN_MASTER_KEY_FILE").then(|| path.clone())
    })
    .expect("config");
    keyring_of(&config, store).await
}

/// Opens an enquiry as a test reads it back: through the keyring's gate, audited as
/// an operator's command (`cli`, not capped).
pub async fn open_enquiry(
    keyring: &Keyring,
    record: &haven::store::EnquiryRecord,
) -> Result<EnquiryContent, GateError> {
    let read = Read::new(haven::audit::AuditAction::EnquiryRead)
        .detail(serde_json::json!({ "for": "test" }));
    keyring
        .open_enquiry(&haven::audit::Actor::Cli, read, record)
        .await
}

/// A complete, valid answer set for the example programme.
pub fn valid_answers() -> Vec<(&'static str, String)> {
    vec![
        ("lang", "en".into()),
        ("full_name", "Ana Rahimi".into()),
        ("date_of_birth", "1990-03-21".into()),
        ("current_country", "AF".into()),
        ("current_location", "Kabul".into()),
        ("help_category", "former_staff".into()),
        ("in_danger", "no".into()),
        ("family_members", "Two children".into()),
        (
            "situation",
            "I worked as an interpreter and need help.".into(),
        ),
        ("phone", "+93 70 123 4567".into()),
        ("consent_partners", "yes".into()),
        ("contact_mode", "inbox".into()),
    ]
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Fetches the form and returns its CSRF token.
    pub async fn csrf_token(&self, path: &str) -> String {
        let page = self.get(path).await.text().await.expect("body");
        extract_input(&page, "csrf").expect("the page has a csrf field")
    }

    /// Posts `fields` as a browser would: unless `fields` has a CSRF token, it first GETs
    /// the page for a fresh one and for the cookies that page sets, sends them back, and
    /// follows a redirect to the receipt with the cookies the POST set (so the answer
    /// is the page the person sees). With a token given, it posts as a browser without
    /// cookies does (and the form answers with the receipt directly).
    pub async fn post_form(&self, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
        let mut fields: Vec<(&str, String)> = fields.to_vec();
        let mut cookies = String::new();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            // The form and the reply inbox each issue tokens for their own POST.
            let page = self.get(path).await;
            cookies = cookies_of(&page);
            let page = page.text().await.expect("body");
            fields.push((
                "csrf",
                extract_input(&page, "csrf").expect("the page has a csrf field"),
            ));
        }
        let mut post = self.client.post(self.url(path)).form(&fields);
        if !cookies.is_empty() {
            post = post.header("cookie", &cookies);
        }
        let res = post.send().await.expect("POST");
        self.follow_to_receipt(res).await
    }

    /// A 303 from the form to its receipt, followed with the cookies it set.
    pub async fn follow_to_receipt(&self, res: reqwest::Response) -> reqwest::Response {
        if res.status() != reqwest::StatusCode::SEE_OTHER {
            return res;
        }
        let Some(location) = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .filter(|l| l.starts_with("/p/") && l.ends_with("/receipt"))
            .map(str::to_owned)
        else {
            return res;
        };
        self.client
            .get(self.url(&location))
            .header("cookie", cookies_of(&res))
            .send()
            .await
            .expect("GET receipt")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn submit(&self, fields: &[(&str, String)]) -> (reqwest::StatusCode, String) {
        let res = self.post_form(&format!("/p/{SLUG}"), fields).await;
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    pub async fn count(&self) -> i64 {
        self.store.count_enquiries().await.expect("count")
    }

    /// The keyring the start-up builder makes for this Haven.
    pub async fn keyring(&self) -> Keyring {
        keyring_of(&self.config, &self.store).await
    }

    /// The one enquiry a test submitted.
    pub async fn only_enquiry(&self) -> haven::store::EnquiryRecord {
        let mut all = self
            .store
            .enquiries_of_programme(&self.programme_id().await)
            .await
            .expect("query");
        assert_eq!(all.len(), 1, "exactly one enquiry stored");
        all.remove(0)
    }

    pub async fn programme_id(&self) -> String {
        self.store
            .programme_by_slug(SLUG)
            .await
            .expect("query")
            .expect("programme exists")
            .id
    }
}

/// The cookies a response sets, as a `Cookie` header would send them back.
pub fn cookies_of(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The value of `<input name="NAME" value="…">` in a page (maud writes attributes in a
/// fixed order, so a plain scan is enough for tests).
pub fn extract_input(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\""))?;
    let rest = &page[at..];
    let v = rest.find("value=\"")? + 7;
    let end = rest[v..].find('"')?;
    Some(html_unescape(&rest[v..v + end]))
}

/// The text of the element with `id="ID"`, without the tags inside it (the receipt's
/// codes are drawn group by group).
pub fn extract_by_id(page: &str, id: &str) -> Option<String> {
    let at = page.find(&format!("id=\"{id}\""))?;
    let open = page[..at].rfind('<')?;
    let tag: String = page[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find(&format!("</{tag}>"))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[start..start + end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(html_unescape(&text))
}

pub fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Queues one message per enquiry for `campaign`, in one transaction, without the
/// replies an approval would write beside them (the worker's tests need only rows).
/// The key is per campaign and enquiry (`campaign:<id>:<enquiry>`), so queuing the
/// same campaign again adds nothing. Returns how many rows were new.
pub async fn queue_campaign<'a>(
    store: &Store,
    sealer: &haven::crypto::Sealer,
    campaign: &str,
    messages: impl IntoIterator<Item = (&'a str, &'a haven::outbound::OutboundMessage)>,
) -> usize {
    let rows: Vec<_> = messages
        .into_iter()
        .map(|(enquiry, message)| {
            haven::outbound::seal_row(
                sealer,
                enquiry,
                Some(campaign),
                &format!("campaign:{campaign}:{enquiry}"),
                message,
            )
            .expect("sealed")
        })
        .collect();
    haven::store::test_support::queue_outbox(store, &rows)
        .await
        .expect("queued")
}

/// Queues one message under `key`; `false` if that key was already queued.
pub async fn queue_message(
    store: &Store,
    sealer: &haven::crypto::Sealer,
    enquiry: &str,
    key: &str,
    message: &haven::outbound::OutboundMessage,
) -> bool {
    let row = haven::outbound::seal_row(sealer, enquiry, None, key, message).expect("sealed");
    haven::store::test_support::queue_outbox(store, &[row])
        .await
        .expect("queued")
        == 1
}
pub mod gaps_confirm;
