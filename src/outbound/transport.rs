//! Where messages go: an SMTP relay (with a connection pool) or, when no relay is
//! configured, the file outbox `<data>/outbox/`, one `.eml` file per outbox row.
//!
//! Both take an [`OutboundMessage`] and nothing else: the SMTP envelope is the one the
//! message derived from its one recipient, so there is no way to hand a transport a
//! second address.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Severity;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::OutboundMessage;
use crate::config::Config;
use crate::store::{Store, StoreError};

/// How one send failed. The reason names a reply code or an error kind, never an
/// address (relays echo addresses in their replies, so their text is not kept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: 4xx replies, connection and I/O errors, timeouts.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Trying again would fail the same way: 5xx replies.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    // The URL is not repeated: it may carry a password.
    #[error("HAVEN_SMTP_URL is not a usable SMTP URL (smtp://host:port, smtps://…, ?tls=required)")]
    Url,
    #[error(
        "HAVEN_SMTP_URL is plain SMTP to another machine ({0}): mail and any password would travel unencrypted; use smtps:// or ?tls=required"
    )]
    PlainToRemote(String),
    #[error("cannot create the file outbox {path}: {source}")]
    OutboxDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub enum Transport {
    Smtp {
        relay: AsyncSmtpTransport<Tokio1Executor>,
        /// Scheme, host and port: safe to log.
        description: String,
    },
    File(FileOutbox),
}

impl Transport {
    /// The relay in `HAVEN_SMTP_URL`, or the file outbox when it is unset.
    pub fn from_config(config: &Config) -> Result<Self, TransportError> {
        match &config.smtp_url {
            Some(url) => Self::smtp_named(
                url,
                config.smtp_connections,
                config
                    .mail_from
                    .as_str()
                    .rsplit_once('@')
                    .map_or("localhost", |(_, d)| d),
            ),
            None => Ok(Self::File(FileOutbox::new(file_outbox_dir(
                &config.data_dir,
            ))?)),
        }
    }

    /// `smtp://host:port` (plain: loopback relays only), `smtp://…?tls=required`
    /// (STARTTLS or fail), `smtps://…` (implicit TLS); `user:pass@` authenticates.
    /// At most `connections` connections are kept open to the relay.
    pub fn smtp(url: &str, connections: u32) -> Result<Self, TransportError> {
        Self::smtp_named(url, connections, "localhost")
    }

    /// As [`Transport::smtp`], greeting the relay (EHLO) as `hello`, the sending
    /// domain, unless the URL names another (`smtp://relay/NAME`). Never the machine's
    /// host name, which may say what the server is for.
    pub fn smtp_named(url: &str, connections: u32, hello: &str) -> Result<Self, TransportError> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|_| TransportError::Url)?;
        if !names_ehlo(url) {
            builder = builder.hello_name(ClientId::Domain(hello.to_owned()));
        }
        let description = describe_url(url);
        // Opportunistic STARTTLS is plain text to anyone who strips the offer.
        if url.starts_with("smtp://") && !url.contains("tls=required") && !is_loopback(&description)
        {
            return Err(TransportError::PlainToRemote(description));
        }
        let relay = builder
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(
                PoolConfig::new()
                    .max_size(connections.max(1))
                    .idle_timeout(Duration::from_secs(30)),
            )
            .build();
        Ok(Self::Smtp { relay, description })
    }

    /// For logs: which relay or directory, without credentials.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { description, .. } => description.clone(),
            Self::File(outbox) => format!("file outbox {}", outbox.dir.display()),
        }
    }

    /// Sends one message. `outbox_id` names the file in the file outbox, so sending
    /// the same row again replaces its file instead of adding a second.
    pub async fn send(&self, outbox_id: &str, message: &OutboundMessage) -> Result<(), SendError> {
        match self {
            Self::Smtp { relay, .. } => relay
                .send_raw(message.envelope(), &message.formatted())
                .await
                .map(|_| ())
                .map_err(|e| classify(&e)),
            Self::File(outbox) => outbox.write(outbox_id, message.formatted()).await,
        }
    }
}

/// Whether the URL gives the EHLO name itself (its path).
fn names_ehlo(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or("");
    rest.split_once('/')
        .is_some_and(|(_, path)| !path.trim_matches('/').is_empty())
}

fn describe_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("smtp", url));
    let rest = rest.split(['?', '/']).next().unwrap_or("");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{host}")
}

fn is_loopback(description: &str) -> bool {
    let host = description
        .split_once("://")
        .map_or(description, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// 5xx is final; every other failure (4xx, a dropped connection, a timeout, a TLS or
/// protocol hiccup) may pass, so it is retried with back-off.
fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    if let Some(code) = e.status() {
        let reason = format!("SMTP {code}");
        return match code.severity {
            Severity::PermanentNegativeCompletion => SendError::Permanent(reason),
            _ => SendError::Transient(reason),
        };
    }
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_tls() {
        "TLS error"
    } else if e.is_response() {
        "unreadable reply"
    } else if e.is_client() {
        "SMTP client error"
    } else if e.is_transport_shutdown() {
        "transport shut down"
    } else {
        "connection error"
    };
    SendError::Transient(kind.to_owned())
}

/// A directory of `.eml` files: what would have gone to a relay, for development and
/// trials. The files hold addresses and text in the clear, so the directory is created
/// private (0700), each file 0600, and a file lives no longer than its outbox row can
/// be read ([`sweep_file_outbox`]): purged, archived with its keys or shredded, the
/// clear copy goes too.
pub struct FileOutbox {
    dir: PathBuf,
}

impl FileOutbox {
    pub fn new(dir: PathBuf) -> Result<Self, TransportError> {
        let made = std::fs::create_dir_all(&dir).and_then(|()| restrict_dir(&dir));
        made.map_err(|source| TransportError::OutboxDir {
            path: dir.clone(),
            source,
        })?;
        Ok(Self { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write(&self, outbox_id: &str, bytes: Vec<u8>) -> Result<(), SendError> {
        // Ids are ours (random hex), but a name that could leave the directory is
        // never written whatever the database says.
        if outbox_id.is_empty() || !outbox_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(SendError::Permanent("malformed outbox id".into()));
        }
        let dir = self.dir.clone();
        let id = outbox_id.to_owned();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &id, &bytes))
            .await
            .map_err(|_| SendError::Transient("file outbox task failed".into()))?
            .map_err(|e| SendError::Transient(format!("file outbox: {}", e.kind())))
    }
}

/// The file outbox of an installation whose data directory is `data_dir`.
pub fn file_outbox_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("outbox")
}

/// Deletes every message file in `data_dir`'s file outbox whose outbox row is gone
/// (purged) or can no longer be opened (its key destroyed): nothing in clear outlives
/// the ciphertext it copies. Run after every purge, archive and key destruction, at
/// the worker's start and hourly with the retention purge (so rows deleted by a
/// process on another host are caught too). Returns how many files went. Files that
/// are not Haven's (other names) are left alone.
pub async fn sweep_file_outbox(data_dir: &Path, store: &Store) -> Result<u64, StoreError> {
    let dir = file_outbox_dir(data_dir);
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => {
            tracing::warn!(error = %e.kind(), "cannot read the file outbox to sweep it");
            return Ok(0);
        }
    };
    let mut removed = 0;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let id = name.strip_suffix(".eml").or_else(|| {
            name.strip_prefix('.')
                .and_then(|n| n.strip_suffix(".eml.tmp"))
        });
        let Some(id) = id.filter(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_alphanumeric()))
        else {
            continue;
        };
        if store.outbox_row_readable(id).await? {
            continue;
        }
        match forget(&entry.path()).await {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(error = %e.kind(), "cannot delete a file outbox message"),
        }
    }
    if removed > 0 {
        tracing::info!(removed, "file outbox: deleted messages whose rows are gone");
    }
    Ok(removed)
}

/// Overwrites a file with zeros, then deletes it. On a journalling or copy-on-write
/// file system or an SSD the old blocks may survive the overwrite; the file outbox is
/// for trials for that reason too.
async fn forget(path: &Path) -> std::io::Result<()> {
    let len = tokio::fs::metadata(path).await?.len();
    let zeros = vec![0u8; usize::try_from(len).unwrap_or(0)];
    tokio::fs::write(path, &zeros).await?;
    tokio::fs::remove_file(path).await
}

/// Temp file, fsync, rename over `<id>.eml`, fsync the directory: a reader sees the
/// whole message or none, and after a crash the rename either happened or did not.
fn write_atomically(dir: &Path, id: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{id}.eml.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, dir.join(format!("{id}.eml")))?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(unix)]
fn restrict_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_descriptions_leave_out_credentials() {
        assert_eq!(
            describe_url("smtps://haven:s3cret@relay.example.org:465/ehlo?tls=required"),
            "smtps://relay.example.org:465"
        );
        assert_eq!(
            describe_url("smtp://127.0.0.1:2525"),
            "smtp://127.0.0.1:2525"
        );
    }

    #[test]
    fn urls_of_every_documented_form_are_accepted() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            for url in [
                "smtp://127.0.0.1:2525",
                "smtp://user:pass@relay.example.org:587?tls=required",
                "smtps://user:pass@relay.example.org",
            ] {
                assert!(Transport::smtp(url, 4).is_ok(), "{url}");
            }
            assert!(matches!(
                Transport::smtp("smtp://", 4),
                Err(TransportError::Url)
            ));
            for plain in [
                "smtp://relay.example.org:25",
                "smtp://user:pass@192.0.2.7:587",
                "smtp://relay.example.org:587?tls=opportunistic",
            ] {
                assert!(
                    matches!(
                        Transport::smtp(plain, 4),
                        Err(TransportError::PlainToRemote(_))
                    ),
                    "{plain}"
                );
            }
            assert!(Transport::smtp("smtp://[::1]:2525", 4).is_ok());
        });
    }
}
