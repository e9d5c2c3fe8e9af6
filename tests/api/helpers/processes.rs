//! (helper) Real `haven` processes for the tests that are about processes: several
//! instances on one database, a server killed with SIGKILL, roles started with or
//! without the master key, the log lines an operator reads.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{EXAMPLE, SLUG, extract_by_id, extract_input, valid_answers};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// The settings every process of one installation shares.
#[derive(Clone)]
pub struct Installation {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub env: Vec<(String, String)>,
}

impl Installation {
    pub fn new(data_dir: &Path, database_url: &str) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            database_url: database_url.to_owned(),
            env: vec![
                ("HAVEN_PASSWORD_HASH".into(), "test".into()),
                ("HAVEN_RATE_LIMIT".into(), "off".into()),
            ],
        }
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
        cmd.args(args)
            .env_clear()
            .env("HAVEN_DATA_DIR", &self.data_dir)
            .env("HAVEN_DATABASE_URL", &self.database_url);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs a command to its end and insists it succeeded.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        let out = self.command(args).output().expect("run haven");
        assert!(
            out.status.success(),
            "haven {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `haven programme apply` with the example programme (creates both key files and
    /// migrates the database).
    pub fn apply_example(&self) {
        let file = self.data_dir.join("programme.toml");
        std::fs::write(&file, EXAMPLE).expect("write programme");
        self.run(&["programme", "apply", file.to_str().expect("utf-8 path")]);
    }

    /// `haven user add`, the password on stdin.
    pub fn add_user(&self, email: &str, role: &str, password: &str) {
        use std::io::Write;
        let mut child = self
            .command(&[
                "user",
                "add",
                "--email",
                email,
                "--role",
                role,
                "--programme",
                SLUG,
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run haven user add");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(password.as_bytes())
            .expect("password");
        let out = child.wait_with_output().expect("user add ends");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts `haven serve` with these roles on a free port; returns once it answers
    /// `/readyz`.
    pub async fn serve(&self, name: &str, roles: &[&str]) -> Server {
        self.serve_with(name, roles, |_| {}).await
    }

    pub async fn serve_with(
        &self,
        name: &str,
        roles: &[&str],
        adjust: impl FnOnce(&mut Command),
    ) -> Server {
        let mut server = self.spawn_server(name, roles, adjust);
        server.wait_ready().await;
        server
    }

    /// Starts `haven serve` without waiting for it.
    pub fn spawn_server(
        &self,
        name: &str,
        roles: &[&str],
        adjust: impl FnOnce(&mut Command),
    ) -> Server {
        let port = free_port();
        let log = self.data_dir.join(format!("{name}-{port}.log"));
        let mut args = vec!["serve"];
        for role in roles {
            args.extend(["--role", role]);
        }
        let mut cmd = self.command(&args);
        cmd.env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&log).expect("log file")));
        adjust(&mut cmd);
        let child = cmd.spawn().expect("start haven serve");
        Server {
            name: name.to_owned(),
            base: format!("http://127.0.0.1:{port}"),
            log,
            child,
        }
    }
}

pub struct Server {
    pub name: String,
    pub base: String,
    pub log: PathBuf,
    child: Child,
}

impl Server {
    /// The process id (to read its memory use from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `/readyz` (the process binds, migrates and loads its keys first).
    pub async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = client.get(format!("{}/readyz", self.base)).send().await
                && res.status().is_success()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}):\n{}", self.name, self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not become ready:\n{}",
                self.name,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the process to exit on its own (a start-up that must fail).
    pub async fn exit_status(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "{} kept running", self.name);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, no flushing, exactly as a power cut or the OOM killer.
    pub fn kill_9(&mut self) {
        // std's `Child::kill` sends SIGKILL on Unix.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the graceful stop.
    pub async fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.kill_9();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the receipt page gave a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Receipt {
    pub reference: String,
    pub passphrase: String,
}

#[derive(Debug)]
pub enum SubmitError {
    /// No connection, a reset, a truncated response: the person got no receipt.
    Transport,
    /// An answer, but not a receipt.
    Refused(u16),
}

/// A person fills in the form at `base` (fetching it first for its token) and sends it.
pub async fn submit_form(
    client: &reqwest::Client,
    base: &str,
    extra: &[(&'static str, String)],
) -> Result<Receipt, SubmitError> {
    let form = client
        .get(format!("{base}/p/{SLUG}"))
        .send()
        .await
        .map_err(|_| SubmitError::Transport)?
        .text()
        .await
        .map_err(|_| SubmitError::Transport)?;
    let token = extract_input(&form, "csrf").ok_or(SubmitError::Transport)?;
    let mut fields = valid_answers();
    for (k, v) in extra {
        fields.retain(|(key, _)| key != k);
        fields.push((k, v.clone()));
    }
    fields.push(("csrf", token));
    let res = client
        .post(format!("{base}/p/{SLUG}"))
        .form(&fields)
        .send()
        .await
        .map_err(|_| SubmitError::Transport)?;
    let status = res.status().as_u16();
    let page = res.text().await.map_err(|_| SubmitError::Transport)?;
    match (
        extract_by_id(&page, "reference-code"),
        extract_by_id(&page, "passphrase"),
    ) {
        (Some(reference), Some(passphrase)) if status == 200 => Ok(Receipt {
            reference,
            passphrase,
        }),
        _ => Err(SubmitError::Refused(status)),
    }
}

/// The person signs in to the reply inbox with their receipt; the status line shown.
pub async fn inbox_status(client: &reqwest::Client, base: &str, receipt: &Receipt) -> String {
    let path = format!("{base}/p/{SLUG}/status");
    let page = client
        .get(&path)
        .send()
        .await
        .expect("inbox page")
        .text()
        .await
        .expect("body");
    let token = extract_input(&page, "csrf").expect("inbox form has a token");
    let res = client
        .post(&path)
        .form(&[
            ("csrf", token),
            ("reference", receipt.reference.clone()),
            ("passphrase", receipt.passphrase.clone()),
        ])
        .send()
        .await
        .expect("inbox sign-in");
    let body = res.text().await.expect("body");
    extract_by_id(&body, "enquiry-status").unwrap_or_else(|| panic!("no inbox shown: {body}"))
}

/// Queues one reply email to every enquiry of the example programme that gave an
/// address, in one transaction, as an approved bulk reply does; returns how many.
pub async fn queue_a_reply_to_each(
    store: &haven::store::Store,
    keyring: &haven::keyring::Keyring,
) -> usize {
    use haven::domain::{EmailAddress, ReferenceCode};
    use haven::outbound::{OutboundMessage, Recipient, Rendered};
    let programme = store
        .programme_by_slug(SLUG)
        .await
        .expect("query")
        .expect("programme");
    let sealer =
        haven::crypto::Sealer::new(&programme.key_id, &programme.recipient).expect("sealer");
    let mut messages = Vec::new();
    for record in store
        .enquiries_of_programme(&programme.id)
        .await
        .expect("query")
    {
        let content = crate::helpers::open_enquiry(keyring, &record)
            .await
            .expect("opens");
        let Some(email) = content.email.as_deref() else {
            continue;
        };
        let reference = ReferenceCode::parse(&content.reference).expect("code");
        let rendered = Rendered {
            subject: "A reply to your enquiry".into(),
            text: format!("There is a reply to your enquiry {reference}.\n"),
            html: None,
        };
        let message = OutboundMessage::new(
            &EmailAddress::parse("help@haven.example").expect("address"),
            "Haven",
            Recipient::new(EmailAddress::parse(email).expect("address")),
            &rendered,
            Some(&reference),
        )
        .expect("message");
        messages.push((record.id, message));
    }
    crate::helpers::queue_campaign(
        store,
        &sealer,
        &haven::crypto::random_id(),
        messages.iter().map(|(id, m)| (id.as_str(), m)),
    )
    .await
}
