//! Settings, from an optional TOML file overlaid by `HAVEN_*` environment variables,
//! typed and checked once at start-up so that a bad setting stops Haven with a clear
//! message instead of surfacing later.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// A second listener for the onion service: every Tor visitor arrives from
    /// 127.0.0.1, so it gets its own rate-limit bucket instead of per-address ones.
    pub onion_listen: Option<SocketAddr>,
    /// Whether every connection to the onion listener starts with the PROXY header Tor
    /// writes with `HiddenServiceExportCircuitID haproxy` (the circuit keys the limits).
    pub onion_proxy_protocol: bool,
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    pub master_key_file: PathBuf,
    pub intake_key_file: PathBuf,
    /// The key that checks the console's signatures over programme states: written by
    /// the console side, copied to every public host (never read from the database).
    pub programme_verify_key_file: PathBuf,
    /// `None`: outbound mail goes to the file outbox in `<data>/outbox/`.
    pub smtp_url: Option<String>,
    /// Outbound messages per second per worker process (`None`: unlimited).
    pub smtp_rate: Option<NonZeroU32>,
    /// Messages a worker sends at once, and so the most connections it opens to the relay.
    pub smtp_connections: u32,
    /// The sender of every reply email.
    pub mail_from: crate::domain::EmailAddress,
    /// The From display name of emails to enquirers (`HAVEN_MAIL_FROM_NAME`): neutral,
    /// so that a mailbox read by someone else does not learn which programme it was.
    pub mail_from_name: String,
    /// The public origin (e.g. `https://help.example.gov`). HSTS is sent when it is https.
    pub public_url: Option<String>,
    pub rate_limits: RateLimits,
    /// Peers whose `X-Forwarded-For` is believed (the reverse proxy).
    pub trusted_proxies: Vec<IpAddr>,
    pub log_format: LogFormat,
    /// How hard staff password hashes are to compute. `Test` only for the test suite.
    pub password_cost: crate::auth::password::HashCost,
    /// Password hashes computed at once by this process (each takes 64 MiB).
    pub password_hashes: NonZeroU32,
    /// How long a client may take to send a request body (actix bounds only the head).
    pub body_timeout: std::time::Duration,
    /// Whether the worker emails staff when a factor of their account changes.
    pub staff_notices: bool,
    /// `HAVEN_IMPORT_TRUSTED_AUTHSERV_ID`: the receiving mail server whose
    /// `Authentication-Results` header `haven import` trusts (issue 19).
    pub import_trusted_authserv_id: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Err(ConfigError::invalid(
                    "HAVEN_DATABASE_URL",
                    "a SQLite database must be a file (sqlite://path/to/haven.db): an in-memory one would lose every submission at restart",
                ));
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else {
            Err(ConfigError::invalid(
                "HAVEN_DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ))
        }
    }

    /// The URL with any password replaced, safe for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(p) => format!("sqlite://{}", p.display()),
            Self::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let userinfo = &url[s + 3..at];
                    let user = userinfo.split(':').next().unwrap_or("");
                    format!("{}{user}:***{}", &url[..s + 3], &url[at..])
                }
                _ => url.clone(),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// `false` only for load tests on loopback (`HAVEN_RATE_LIMIT=off`).
    pub enabled: bool,
    pub submissions_per_client_per_hour: u32,
    pub submissions_per_hour: u32,
    pub requests_per_client_per_minute: u32,
    /// Reply-inbox sign-in attempts per reference code and client (a client gets four
    /// times this across codes).
    pub inbox_attempts_per_minute: u32,
    /// The slow ceiling on one reference code, whoever tries it.
    pub inbox_attempts_per_code_per_hour: u32,
    /// One network's share of the global quota (an IPv4 /24, an IPv6 /48).
    pub submissions_per_network_per_hour: u32,
    /// The onion listener's shared bucket.
    pub onion_submissions_per_hour: u32,
    /// Staff sign-in attempts (password or code) per account, and per client.
    pub signin_attempts_per_account_per_minute: u32,
    pub signin_attempts_per_client_per_minute: u32,
    /// Enquiries (and exports) one staff member may decrypt per hour.
    pub decrypts_per_user_per_hour: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        // GlobaLeaks' defaults for submissions; a crisis programme may raise the global one.
        Self {
            enabled: true,
            submissions_per_client_per_hour: 10,
            submissions_per_hour: 10_000,
            requests_per_client_per_minute: 300,
            inbox_attempts_per_minute: 5,
            // Passphrases have 80 bits, so this ceiling is not what stops guessing
            // (3,000 tries an hour would need 10^16 years); it bounds the work one code
            // can cause. Keeping a code refused takes 50 tries a minute without pause:
            // ten addresses, each at its own limit.
            inbox_attempts_per_code_per_hour: 3_000,
            // A twentieth of the global quota (unless set: see `Config::from_sources`):
            // a flood must come from twenty networks before anyone else is refused, and
            // a mobile carrier's NAT (one /24 for many people) still fits 500 an hour.
            submissions_per_network_per_hour: 500,
            onion_submissions_per_hour: 1_000,
            // SecureDrop allows 5 tries per minute per account. Per client it is higher,
            // because a call centre's agents share one address at 9 a.m.
            signin_attempts_per_account_per_minute: 5,
            signin_attempts_per_client_per_minute: 30,
            // Far above a day's case work (an agent handles tens an hour), far below a
            // bulk read of the database.
            decrypts_per_user_per_hour: 300,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("configuration file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{setting}: {message}")]
    Invalid {
        setting: &'static str,
        message: String,
    },
}

impl ConfigError {
    fn invalid(setting: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            setting,
            message: message.into(),
        }
    }
}

/// An `on`/`off` setting.
fn on_off(
    setting: &'static str,
    value: Option<String>,
    default: bool,
) -> Result<bool, ConfigError> {
    match value.as_deref() {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(_) => Err(ConfigError::invalid(setting, "must be 'on' or 'off'")),
    }
}

/// The optional file: the same settings as the environment, in lower case without the prefix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    onion_listen: Option<String>,
    onion_proxy_protocol: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    master_key_file: Option<PathBuf>,
    intake_key_file: Option<PathBuf>,
    programme_verify_key_file: Option<PathBuf>,
    smtp_url: Option<String>,
    smtp_rate: Option<toml::Value>,
    smtp_connections: Option<u32>,
    mail_from: Option<String>,
    mail_from_name: Option<String>,
    public_url: Option<String>,
    rate_limit: Option<String>,
    trusted_proxies: Option<Vec<String>>,
    log_format: Option<String>,
    password_hash: Option<String>,
    password_hashes: Option<u32>,
    body_timeout: Option<u64>,
    staff_notices: Option<String>,
    import_trusted_authserv_id: Option<String>,
    #[serde(default)]
    rate_limits: BTreeMap<String, u32>,
}

impl Config {
    /// Reads the process environment and, if given, the file.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::from_sources(file, |k| std::env::var(k).ok())
    }

    /// Environment beats file beats default. `env` is injectable for tests.
    pub fn from_sources(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let fs: FileSettings = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::File {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?
            }
            None => FileSettings::default(),
        };
        let get = |key: &'static str, from_file: Option<String>| -> Option<String> {
            env(key).filter(|v| !v.is_empty()).or(from_file)
        };

        let listen = parse_addr(
            "HAVEN_LISTEN",
            &get("HAVEN_LISTEN", fs.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
        )?;
        let onion_listen = get("HAVEN_ONION_LISTEN", fs.onion_listen)
            .map(|a| parse_addr("HAVEN_ONION_LISTEN", &a))
            .transpose()?;
        let onion_proxy_protocol = on_off(
            "HAVEN_ONION_PROXY_PROTOCOL",
            get("HAVEN_ONION_PROXY_PROTOCOL", fs.onion_proxy_protocol),
            false,
        )?;
        if onion_proxy_protocol && onion_listen.is_none() {
            return Err(ConfigError::invalid(
                "HAVEN_ONION_PROXY_PROTOCOL",
                "is for the onion listener: set HAVEN_ONION_LISTEN too",
            ));
        }
        let data_dir = get(
            "HAVEN_DATA_DIR",
            fs.data_dir.map(|p| p.display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("./data"));
        let database = match get("HAVEN_DATABASE_URL", fs.database_url) {
            Some(url) => DatabaseUrl::parse(&url)?,
            None => DatabaseUrl::Sqlite(data_dir.join("haven.db")),
        };
        let master_key_file = get(
            "HAVEN_MASTER_KEY_FILE",
            fs.master_key_file.map(|p| p.display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("master.key"));
        let intake_key_file = get(
            "HAVEN_INTAKE_KEY_FILE",
            fs.intake_key_file.map(|p| p.display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("intake.key"));
        let programme_verify_key_file = get(
            "HAVEN_PROGRAMME_VERIFY_KEY_FILE",
            fs.programme_verify_key_file
                .map(|p| p.display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("programme-verify.key"));
        let smtp_url = get("HAVEN_SMTP_URL", fs.smtp_url);
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError::invalid(
                "HAVEN_SMTP_URL",
                "must start with smtp:// or smtps://",
            ));
        }
        // Relays throttle senders; a modest default keeps a campaign from tripping that.
        let smtp_rate = match get("HAVEN_SMTP_RATE", fs.smtp_rate.map(toml_scalar))
            .as_deref()
            .map(str::trim)
        {
            None => NonZeroU32::new(10),
            Some("0" | "off") => None,
            Some(n) => Some(n.parse::<NonZeroU32>().map_err(|_| {
                ConfigError::invalid(
                    "HAVEN_SMTP_RATE",
                    "must be messages per second (a whole number), or 0/off for no limit",
                )
            })?),
        };
        let mail_from = crate::domain::EmailAddress::parse(
            &get("HAVEN_MAIL_FROM", fs.mail_from).unwrap_or_else(|| "noreply@haven.invalid".into()),
        )
        .map_err(|_| ConfigError::invalid("HAVEN_MAIL_FROM", "is not an email address"))?;
        let mail_from_name = get("HAVEN_MAIL_FROM_NAME", fs.mail_from_name)
            .map(|n| n.trim().to_owned())
            .unwrap_or_else(|| "Haven".into());
        if mail_from_name.is_empty()
            || mail_from_name.chars().count() > 64
            || mail_from_name.chars().any(char::is_control)
        {
            return Err(ConfigError::invalid(
                "HAVEN_MAIL_FROM_NAME",
                "must be one line of 1 to 64 characters",
            ));
        }
        let smtp_connections = match env("HAVEN_SMTP_CONNECTIONS").filter(|v| !v.is_empty()) {
            Some(n) => n.trim().parse::<u32>().ok(),
            None => Some(fs.smtp_connections.unwrap_or(8)),
        }
        .filter(|n| (1..=256).contains(n))
        .ok_or_else(|| {
            ConfigError::invalid("HAVEN_SMTP_CONNECTIONS", "must be a number from 1 to 256")
        })?;
        let public_url =
            get("HAVEN_PUBLIC_URL", fs.public_url).map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(ConfigError::invalid(
                "HAVEN_PUBLIC_URL",
                "must start with https:// (or http:// for a local trial)",
            ));
        }

        let mut rate_limits = RateLimits::default();
        match get("HAVEN_RATE_LIMIT", fs.rate_limit).as_deref() {
            None | Some("on") => {}
            Some("off") => rate_limits.enabled = false,
            Some(_) => {
                return Err(ConfigError::invalid(
                    "HAVEN_RATE_LIMIT",
                    "must be 'on' or 'off'",
                ));
            }
        }
        let network_share_set = fs
            .rate_limits
            .contains_key("submissions_per_network_per_hour");
        for (name, value) in fs.rate_limits {
            let slot = match name.as_str() {
                "submissions_per_client_per_hour" => {
                    &mut rate_limits.submissions_per_client_per_hour
                }
                "submissions_per_hour" => &mut rate_limits.submissions_per_hour,
                "requests_per_client_per_minute" => &mut rate_limits.requests_per_client_per_minute,
                "inbox_attempts_per_minute" => &mut rate_limits.inbox_attempts_per_minute,
                "inbox_attempts_per_code_per_hour" => {
                    &mut rate_limits.inbox_attempts_per_code_per_hour
                }
                "submissions_per_network_per_hour" => {
                    &mut rate_limits.submissions_per_network_per_hour
                }
                "onion_submissions_per_hour" => &mut rate_limits.onion_submissions_per_hour,
                "signin_attempts_per_account_per_minute" => {
                    &mut rate_limits.signin_attempts_per_account_per_minute
                }
                "signin_attempts_per_client_per_minute" => {
                    &mut rate_limits.signin_attempts_per_client_per_minute
                }
                "decrypts_per_user_per_hour" => &mut rate_limits.decrypts_per_user_per_hour,
                _ => {
                    return Err(ConfigError::invalid(
                        "rate_limits",
                        format!("unknown limit {name:?}"),
                    ));
                }
            };
            if value == 0 {
                return Err(ConfigError::invalid(
                    "rate_limits",
                    format!(
                        "{name} must be at least 1 (use HAVEN_RATE_LIMIT=off to turn limits off)"
                    ),
                ));
            }
            *slot = value;
        }

        if !network_share_set {
            rate_limits.submissions_per_network_per_hour = (rate_limits.submissions_per_hour / 20)
                .max(rate_limits.submissions_per_client_per_hour);
        }

        let trusted_proxies = match env("HAVEN_TRUSTED_PROXIES").filter(|v| !v.is_empty()) {
            Some(list) => list.split(',').map(|s| s.trim().to_owned()).collect(),
            None => fs.trusted_proxies.unwrap_or_default(),
        }
        .iter()
        .map(|s| {
            s.parse::<IpAddr>().map_err(|_| {
                ConfigError::invalid(
                    "HAVEN_TRUSTED_PROXIES",
                    format!("{s:?} is not an IP address"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

        let log_format = match get("HAVEN_LOG_FORMAT", fs.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => {
                return Err(ConfigError::invalid(
                    "HAVEN_LOG_FORMAT",
                    "must be 'text' or 'json'",
                ));
            }
        };

        let password_cost = match get("HAVEN_PASSWORD_HASH", fs.password_hash).as_deref() {
            None | Some("standard") => crate::auth::password::HashCost::Standard,
            Some("test") => crate::auth::password::HashCost::Test,
            Some(_) => {
                return Err(ConfigError::invalid(
                    "HAVEN_PASSWORD_HASH",
                    "must be 'standard' (or 'test', for Haven's own test suite only)",
                ));
            }
        };

        // Each hash holds 64 MiB while it runs: one per core bounds both memory and CPU.
        let password_hashes = match env("HAVEN_PASSWORD_HASHES").filter(|v| !v.is_empty()) {
            Some(n) => n.trim().parse::<u32>().ok(),
            None => Some(fs.password_hashes.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(64) as u32)
            })),
        }
        .and_then(NonZeroU32::new)
        .filter(|n| n.get() <= 64)
        .ok_or_else(|| {
            ConfigError::invalid(
                "HAVEN_PASSWORD_HASHES",
                "must be a number from 1 to 64 (password hashes at once)",
            )
        })?;

        // A minute carries a full form over a slow mobile or Tor link (16 KiB at
        // 300 bytes/s) and still frees a trickling client's connection soon.
        let body_timeout = match env("HAVEN_BODY_TIMEOUT").filter(|v| !v.is_empty()) {
            Some(n) => n.trim().parse::<u64>().ok(),
            None => Some(fs.body_timeout.unwrap_or(60)),
        }
        .filter(|n| (1..=600).contains(n))
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| {
            ConfigError::invalid("HAVEN_BODY_TIMEOUT", "must be seconds, from 1 to 600")
        })?;

        // Off only where staff addresses cannot receive mail from the relay; the
        // notices then stay queued.
        let staff_notices = match get("HAVEN_STAFF_NOTICES", fs.staff_notices).as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(_) => {
                return Err(ConfigError::invalid(
                    "HAVEN_STAFF_NOTICES",
                    "must be 'on' or 'off'",
                ));
            }
        };

        let import_trusted_authserv_id = get(
            "HAVEN_IMPORT_TRUSTED_AUTHSERV_ID",
            fs.import_trusted_authserv_id,
        )
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty());

        Ok(Self {
            listen,
            onion_listen,
            onion_proxy_protocol,
            data_dir,
            database,
            master_key_file,
            intake_key_file,
            programme_verify_key_file,
            smtp_url,
            smtp_rate,
            smtp_connections,
            mail_from,
            mail_from_name,
            public_url,
            rate_limits,
            trusted_proxies,
            log_format,
            password_cost,
            password_hashes,
            body_timeout,
            staff_notices,
            import_trusted_authserv_id,
        })
    }

    /// Whether responses should carry HSTS: only when the public origin is https.
    pub fn behind_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// A file value given as a number or a string, as the environment would give it.
fn toml_scalar(value: toml::Value) -> String {
    match value {
        toml::Value::String(s) => s,
        other => other.to_string(),
    }
}

fn parse_addr(setting: &'static str, value: &str) -> Result<SocketAddr, ConfigError> {
    value.parse().map_err(|_| {
        ConfigError::invalid(
            setting,
            format!("{value:?} is not an address:port like 127.0.0.1:8080"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_the_embedded_sqlite_setup() {
        let c = Config::from_sources(None, env_of(&[])).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(
            c.database,
            DatabaseUrl::Sqlite(PathBuf::from("./data/haven.db"))
        );
        assert_eq!(c.master_key_file, PathBuf::from("./data/master.key"));
        assert!(c.rate_limits.enabled);
        assert!(!c.behind_tls());
    }

    #[test]
    fn the_neutral_sender_name_is_haven_unless_set_and_one_short_line() {
        let c = Config::from_sources(None, env_of(&[])).unwrap();
        assert_eq!(c.mail_from_name, "Haven");
        let c = Config::from_sources(None, env_of(&[("HAVEN_MAIL_FROM_NAME", " Notifications ")]))
            .unwrap();
        assert_eq!(c.mail_from_name, "Notifications");
        for bad in ["   ", "Haven\r\nBcc: x@y.example", &"x".repeat(65)] {
            let e = Config::from_sources(None, env_of(&[("HAVEN_MAIL_FROM_NAME", bad)]))
                .err()
                .unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(e.to_string().contains("HAVEN_MAIL_FROM_NAME"), "{e}");
        }
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("haven.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\npublic_url = \"https://help.example.org/\"\n[rate_limits]\nsubmissions_per_hour = 50\n",
        )
        .unwrap();
        let c = Config::from_sources(
            Some(&file),
            env_of(&[
                ("HAVEN_LISTEN", "0.0.0.0:7000"),
                ("HAVEN_RATE_LIMIT", "off"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen, "0.0.0.0:7000".parse().unwrap());
        assert_eq!(c.public_url.as_deref(), Some("https://help.example.org"));
        assert!(c.behind_tls());
        assert_eq!(c.rate_limits.submissions_per_hour, 50);
        assert!(!c.rate_limits.enabled);
    }

    #[test]
    fn bad_settings_are_named_in_the_error() {
        let cases = [
            ("HAVEN_LISTEN", "localhost", "HAVEN_LISTEN"),
            (
                "HAVEN_DATABASE_URL",
                "mysql://x",
                "sqlite:// or postgres://",
            ),
            ("HAVEN_DATABASE_URL", "sqlite::memory:", "in-memory"),
            ("HAVEN_RATE_LIMIT", "maybe", "HAVEN_RATE_LIMIT"),
            ("HAVEN_TRUSTED_PROXIES", "10.0.0.1, proxy", "\"proxy\""),
            ("HAVEN_SMTP_URL", "http://relay", "HAVEN_SMTP_URL"),
            ("HAVEN_SMTP_RATE", "fast", "HAVEN_SMTP_RATE"),
            ("HAVEN_SMTP_CONNECTIONS", "0", "HAVEN_SMTP_CONNECTIONS"),
        ];
        for (key, value, expected) in cases {
            let err = Config::from_sources(None, env_of(&[(key, value)]))
                .err()
                .unwrap_or_else(|| panic!("{key}={value} was accepted"));
            assert!(err.to_string().contains(expected), "{key}: {err}");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("haven.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let err = Config::from_sources(Some(&file), env_of(&[]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("lisen"), "{err}");
    }

    #[test]
    fn the_outbound_rate_is_limited_unless_turned_off() {
        let c = Config::from_sources(None, env_of(&[])).unwrap();
        assert_eq!(c.smtp_rate, NonZeroU32::new(10));
        assert_eq!(c.smtp_connections, 8);
        for off in ["0", "off"] {
            let c = Config::from_sources(None, env_of(&[("HAVEN_SMTP_RATE", off)])).unwrap();
            assert_eq!(c.smtp_rate, None);
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("haven.toml");
        std::fs::write(&file, "smtp_rate = 50\nsmtp_connections = 4\n").unwrap();
        let c = Config::from_sources(Some(&file), env_of(&[])).unwrap();
        assert_eq!(c.smtp_rate, NonZeroU32::new(50));
        assert_eq!(c.smtp_connections, 4);
        std::fs::write(&file, "smtp_rate = \"off\"\n").unwrap();
        let c = Config::from_sources(Some(&file), env_of(&[])).unwrap();
        assert_eq!(c.smtp_rate, None);
    }

    #[test]
    fn database_passwords_never_print() {
        let url = DatabaseUrl::parse("postgres://haven:s3cret@db.internal/haven").unwrap();
        assert_eq!(format!("{url:?}"), "postgres://haven:***@db.internal/haven");
    }
}
