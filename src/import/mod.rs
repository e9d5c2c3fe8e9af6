//! `haven import`: mail that reached an ordinary mailbox (`.eml` files, directories of
//! them, mbox files) becomes enquiries, through the same sealing path as the web form.
//!
//! A reader thread parses and seals each message (it needs only the programme's public
//! recipient and the intake key, as the public role does); the async side writes them
//! in batches, one transaction each, where the unique indexes on the keyed
//! de-duplication hashes turn duplicates away. A source file is deleted (with
//! `--delete-source`) only once every message in it is committed or was a duplicate.
//!
//! Files named on the command line and files uploaded through the console
//! ([`run_uploads`]) go through this one pipeline; uploads stay in memory, are never
//! written to disk, and are wiped when the run ends.

pub mod forward;
pub mod mail;
pub mod trust;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc};
use zeroize::Zeroizing;

use crate::audit::{Actor, AuditAction, Entry};
use crate::crypto::IntakeKey;
use crate::domain::{EmailAddress, Language};
use crate::enquiry::ContactChoice;
use crate::intake::submission::{self, NewIntake};
use crate::programme::live::LiveProgramme;
use crate::programme::{Answer, Answers, ContactMode, ProgrammeStatus};
use crate::store::{ImportOutcome, NewImport, Store, StoreError, now};

/// Largest message imported; larger ones fail (they are never read whole).
pub const MAX_MESSAGE_BYTES: u64 = 32 << 20;
/// Most enquiries written in one transaction.
const BATCH: usize = 256;
/// Sealed enquiries waiting to be written, in KiB: bounds memory whatever the mail.
const IN_FLIGHT_KIB: u32 = 128 << 10;

/// Problems that stop an import before it starts (usage errors: exit 1).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no programme {0:?}")]
    NoProgramme(String),
    #[error(
        "programme {0} has no textarea field for the message text: name one with `[import] text_field`"
    )]
    NoTextField(String),
    #[error("programme {0} is inbox-only: people who wrote by email could never read an answer")]
    InboxOnly(String),
    #[error("programme {0} is archived")]
    Archived(String),
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("give at least one .eml file, mbox file or directory")]
    NothingToImport,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why one message was not imported. Names no sender, subject or text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Mail(#[from] mail::MailError),
    #[error("larger than {} MiB", MAX_MESSAGE_BYTES >> 20)]
    TooLarge,
    #[error("cannot read the file ({0})")]
    Read(String),
    #[error("could not be sealed")]
    Seal,
    #[error("could not be stored")]
    Store,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// `path` for an .eml file, `path #N` for the Nth message of an mbox.
    pub origin: String,
    pub reason: Failure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Eml,
    Mbox,
}

/// Where a source's bytes are.
enum Data {
    File(PathBuf),
    /// Uploaded through the console: only ever in memory, wiped when dropped.
    Memory(Zeroizing<Vec<u8>>),
}

struct Source {
    /// How the source is named in the summary: its path, or `upload #N (name)`.
    shown: String,
    data: Data,
    kind: Kind,
    size: u64,
}

impl Source {
    fn file(path: PathBuf, kind: Kind, size: u64) -> Self {
        Self {
            shown: path.display().to_string(),
            data: Data::File(path),
            kind,
            size,
        }
    }
}

/// One file uploaded through the console (an `.eml` file or an mbox), held in memory.
pub struct Upload {
    /// The file name the browser sent (shown in the summary, never stored).
    pub name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// `upload #N (name)`: a file name as browsers send it, without any folder, on one
/// line and short enough to read.
fn upload_label(n: usize, name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let flat: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    let flat = flat.trim();
    if flat.is_empty() {
        format!("upload #{n}")
    } else {
        format!("upload #{n} ({flat})")
    }
}

/// An mbox starts with a `From ` line; anything else is read as one message.
fn kind_of(head: &[u8]) -> Kind {
    if head.starts_with(b"From ") {
        Kind::Mbox
    } else {
        Kind::Eml
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overwrite and unlink each source once everything in it is in Haven.
    pub delete_source: bool,
    /// The authserv-id of the receiving server whose `Authentication-Results` Haven
    /// trusts (`HAVEN_IMPORT_TRUSTED_AUTHSERV_ID`): a sender it saw DKIM-sign for their
    /// own domain counts as confirmed (`trust`). `None`: no imported sender is.
    pub trusted_authserv_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub sources: u64,
    pub messages: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub failed: Vec<Failed>,
    /// Source files deleted with `--delete-source`.
    pub deleted: u64,
    /// Sources kept although `--delete-source` was given: (path, why).
    pub kept: Vec<(String, String)>,
}

/// Progress as the import goes: bytes of the sources done, and the counts so far.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub summary: &'a Summary,
}

/// Checks that the programme can take imported mail.
pub fn check_programme(live: &LiveProgramme) -> Result<(), ImportError> {
    let p = &live.programme;
    let slug = p.slug().to_string();
    if p.status() == ProgrammeStatus::Archived {
        return Err(ImportError::Archived(slug));
    }
    if p.file().contact == ContactMode::InboxOnly {
        return Err(ImportError::InboxOnly(slug));
    }
    if p.import_text_field().is_none() {
        return Err(ImportError::NoTextField(slug));
    }
    Ok(())
}

fn is_ext(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn sniff(path: &Path) -> Result<Kind, std::io::Error> {
    let mut head = [0u8; 5];
    let mut f = File::open(path)?;
    let n = f.read(&mut head)?;
    Ok(kind_of(&head[..n]))
}

fn collect(paths: &[PathBuf]) -> Result<Vec<Source>, ImportError> {
    fn walk(dir: &Path, out: &mut Vec<Source>) -> Result<(), ImportError> {
        let unreadable = |source| ImportError::Unreadable {
            path: dir.to_owned(),
            source,
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(unreadable)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let meta = std::fs::metadata(&path).map_err(|source| ImportError::Unreadable {
                path: path.clone(),
                source,
            })?;
            if meta.is_dir() {
                walk(&path, out)?;
            } else if is_ext(&path, &["eml"]) {
                out.push(Source::file(path, Kind::Eml, meta.len()));
            } else if is_ext(&path, &["mbox", "mbx"]) {
                out.push(Source::file(path, Kind::Mbox, meta.len()));
            }
        }
        Ok(())
    }
    if paths.is_empty() {
        return Err(ImportError::NothingToImport);
    }
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| ImportError::Missing(path.clone()))?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            let kind = sniff(path).map_err(|source| ImportError::Unreadable {
                path: path.clone(),
                source,
            })?;
            out.push(Source::file(path.clone(), kind, meta.len()));
        }
    }
    Ok(out)
}

/// The programme language the text is most likely in, else the programme's default.
fn guess_language(text: &str, offered: &[Language], default: Language) -> Language {
    let sample: String = text.chars().take(2_000).collect();
    let guessed = whatlang::detect(&sample).and_then(|info| match info.lang() {
        whatlang::Lang::Eng => Some(Language::En),
        whatlang::Lang::Fra => Some(Language::Fr),
        whatlang::Lang::Pes => Some(Language::FaAf),
        whatlang::Lang::Ukr => Some(Language::Uk),
        whatlang::Lang::Ara => Some(Language::Ar),
        _ => None,
    });
    guessed.filter(|l| offered.contains(l)).unwrap_or(default)
}

/// Words joined by single spaces: the same text re-wrapped by a mail client is the
/// same text.
fn normalised_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One message made into a sealed enquiry with its de-duplication hashes.
fn prepare(
    live: &LiveProgramme,
    key: &IntakeKey,
    raw: &[u8],
    at: i64,
    trusted: Option<&str>,
) -> Result<NewImport, Failure> {
    let p = &live.programme;
    let mail = mail::read(raw, p.file().import.attachments)?;
    let email = EmailAddress::parse(&mail.sender).map_err(|_| mail::MailError::InvalidSender)?;
    let email_confirmed = trust::sender_confirmed(trusted, &mail, &email);
    let text_field = p.import_text_field().ok_or(Failure::Seal)?.key.clone();
    let language = guess_language(&mail.text, p.languages(), p.default_language());

    let mut answers = Answers::new();
    if !mail.text.is_empty() {
        answers.insert(text_field.clone(), Answer::Text(mail.text.clone()));
    }
    if let Some(name_field) = p.file().outbound.name_field.as_deref()
        && name_field != text_field
        && let Some(name) = &mail.sender_name
    {
        let max = p
            .field(name_field)
            .and_then(|f| f.max_length)
            .unwrap_or(200);
        answers.insert(
            name_field.to_owned(),
            Answer::Text(name.chars().take(max).collect()),
        );
    }

    let programme_id = live.id.as_bytes();
    let id_hash = mail.message_id.as_deref().map(|id| {
        key.mac(
            "haven/import-message-id",
            &[programme_id, id.trim().as_bytes()],
        )
        .to_vec()
    });
    let listing: String = mail
        .details
        .attachments
        .iter()
        .map(|a| format!("{}\u{0}{}\u{0}", a.name, a.size))
        .collect();
    let content_hash = key
        .mac(
            "haven/import-content",
            &[
                programme_id,
                email.normalised().as_bytes(),
                normalised_text(&mail.text).as_bytes(),
                listing.as_bytes(),
            ],
        )
        .to_vec();

    let (enquiry, _receipt) = submission::seal(
        live,
        NewIntake {
            answers,
            contact: ContactChoice::Email(email),
            language,
            source: "imported",
            mail: Some(mail.details),
        },
        key,
        at,
    )
    .map_err(|_| Failure::Seal)?;
    Ok(NewImport {
        enquiry,
        id_hash,
        content_hash,
        email_confirmed,
    })
}

enum Event {
    Message {
        source: usize,
        origin: String,
        bytes: u64,
        result: Result<Box<NewImport>, Failure>,
        _permit: Option<tokio::sync::OwnedSemaphorePermit>,
    },
    /// Every message of this source has been sent.
    SourceEnd { source: usize, bytes_left: u64 },
}

/// Reads every source in order, on a thread of its own (parsing and sealing are CPU
/// work), and sends each message's outcome.
fn read_sources(
    sources: Vec<Source>,
    live: Arc<LiveProgramme>,
    key: Arc<IntakeKey>,
    tx: mpsc::Sender<Event>,
    memory: Arc<Semaphore>,
    runtime: tokio::runtime::Handle,
    trusted: Option<String>,
) {
    let mut send_message =
        |source: usize, origin: String, bytes: u64, raw: Result<&[u8], Failure>| {
            let result = raw
                .and_then(|raw| prepare(&live, &key, raw, now(), trusted.as_deref()).map(Box::new));
            let kib = match &result {
                Ok(i) => (i.enquiry.sealed.ciphertext.len() / 1024 + 1).min(IN_FLIGHT_KIB as usize)
                    as u32,
                Err(_) => 0,
            };
            let permit = if kib > 0 {
                runtime
                    .block_on(memory.clone().acquire_many_owned(kib))
                    .ok()
            } else {
                None
            };
            tx.blocking_send(Event::Message {
                source,
                origin,
                bytes,
                result,
                _permit: permit,
            })
            .is_ok()
        };
    for (index, src) in sources.into_iter().enumerate() {
        let shown = &src.shown;
        let sent_bytes = match (&src.kind, &src.data) {
            (Kind::Eml, _) if src.size > MAX_MESSAGE_BYTES => {
                if !send_message(index, shown.clone(), src.size, Err(Failure::TooLarge)) {
                    return;
                }
                src.size
            }
            (Kind::Eml, Data::Memory(bytes)) => {
                if !send_message(index, shown.clone(), src.size, Ok(bytes)) {
                    return;
                }
                src.size
            }
            (Kind::Eml, Data::File(path)) => {
                let ok = match std::fs::read(path) {
                    Ok(raw) => send_message(index, shown.clone(), src.size, Ok(&raw)),
                    Err(e) => send_message(
                        index,
                        shown.clone(),
                        src.size,
                        Err(Failure::Read(e.kind().to_string())),
                    ),
                };
                if !ok {
                    return;
                }
                src.size
            }
            (Kind::Mbox, Data::Memory(bytes)) => {
                match read_mbox(index, shown, &bytes[..], &mut send_message) {
                    Some(sent) => sent,
                    None => return,
                }
            }
            (Kind::Mbox, Data::File(path)) => match File::open(path) {
                Err(e) => {
                    if !send_message(
                        index,
                        format!("{shown} #1"),
                        0,
                        Err(Failure::Read(e.kind().to_string())),
                    ) {
                        return;
                    }
                    0
                }
                Ok(file) => {
                    let reader = BufReader::with_capacity(1 << 20, file);
                    match read_mbox(index, shown, reader, &mut send_message) {
                        Some(sent) => sent,
                        None => return,
                    }
                }
            },
        };
        if tx
            .blocking_send(Event::SourceEnd {
                source: index,
                bytes_left: src.size.saturating_sub(sent_bytes),
            })
            .is_err()
        {
            return;
        }
    }
}

/// Sends each message of one mbox; the bytes read, or `None` once the run has stopped
/// listening.
fn read_mbox(
    index: usize,
    shown: &str,
    reader: impl std::io::BufRead,
    send_message: &mut impl FnMut(usize, String, u64, Result<&[u8], Failure>) -> bool,
) -> Option<u64> {
    let mut sent_bytes = 0u64;
    let messages = mail_parser::mailbox::mbox::MessageIterator::new(reader);
    for (n, item) in messages.enumerate() {
        let origin = format!("{shown} #{}", n + 1);
        let ok = match item {
            Ok(m) => {
                let bytes = m.contents().len() as u64;
                sent_bytes += bytes;
                if bytes > MAX_MESSAGE_BYTES {
                    send_message(index, origin, bytes, Err(Failure::TooLarge))
                } else {
                    send_message(index, origin, bytes, Ok(m.contents()))
                }
            }
            Err(e) => {
                // The rest of this mbox cannot be read; its file is kept.
                let _ = send_message(index, origin, 0, Err(Failure::Read(e.kind().to_string())));
                break;
            }
        };
        if !ok {
            return None;
        }
    }
    Some(sent_bytes)
}

/// Writes a batch in one transaction; if that fails, each row on its own, so that one
/// bad row does not fail its neighbours.
/// One import run as its audit entries name it: every batch's entry and the closing
/// `import.run` carry the same random `run` id.
struct Run<'a> {
    id: String,
    actor: &'a Actor,
    subject: String,
    via: &'a str,
}

impl Run<'_> {
    /// The entry committed with batch number `batch`: what it stored, in counts.
    fn batch_entry(&self, batch: u64, outcomes: &[ImportOutcome]) -> Option<Entry> {
        let imported = outcomes
            .iter()
            .filter(|o| **o == ImportOutcome::Inserted)
            .count();
        (imported > 0).then(|| {
            Entry::new(self.actor, AuditAction::ImportBatch, &self.subject).detail(
                serde_json::json!({
                    "run": self.id, "via": self.via, "batch": batch, "imported": imported,
                    "duplicates": outcomes.len() - imported,
                }),
            )
        })
    }
}

/// Writes one batch with its audit entry; if the batch fails, each enquiry is tried
/// alone (each with its own entry), so one bad row costs only itself.
async fn write(
    store: &Store,
    run: &Run<'_>,
    number: u64,
    batch: &[NewImport],
) -> Vec<Result<ImportOutcome, Failure>> {
    let entry = |outcomes: &[ImportOutcome]| run.batch_entry(number, outcomes);
    match store.insert_imports(batch, entry).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(error) => {
            tracing::warn!(%error, size = batch.len(), "import batch failed; retrying one by one");
            let mut out = Vec::with_capacity(batch.len());
            for one in batch {
                out.push(
                    match store.insert_imports(std::slice::from_ref(one), entry).await {
                        Ok(o) => Ok(o[0]),
                        Err(error) => {
                            tracing::error!(%error, "imported enquiry could not be stored");
                            Err(Failure::Store)
                        }
                    },
                );
            }
            out
        }
    }
}

/// Overwrites a file with zeros, flushes it to disk, then unlinks it, so its content
/// does not linger in the file's old blocks (on file systems that write in place).
fn wipe(path: &Path) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    let len = f.metadata()?.len();
    let zeros = vec![0u8; 1 << 20];
    let mut left = len;
    f.rewind()?;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        f.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    f.sync_all()?;
    drop(f);
    std::fs::remove_file(path)
}

/// Imports every message under `paths` into the programme (`haven import`). Each
/// failing message is counted with its reason and never stops the run.
pub async fn run(
    store: &Store,
    live: Arc<LiveProgramme>,
    key: Arc<IntakeKey>,
    paths: &[PathBuf],
    options: Options,
    actor: &Actor,
    progress: impl FnMut(Progress<'_>),
) -> Result<Summary, ImportError> {
    check_programme(&live)?;
    let sources = collect(paths)?;
    import_sources(store, live, key, sources, options, actor, "cli", progress).await
}

/// Imports files uploaded through the console: the same pipeline as [`run`], on bytes
/// that stay in memory (and are wiped once read). Uploads are named `upload #N (file
/// name)` in the summary, in the order given.
pub async fn run_uploads(
    store: &Store,
    live: Arc<LiveProgramme>,
    key: Arc<IntakeKey>,
    uploads: Vec<Upload>,
    actor: &Actor,
) -> Result<Summary, ImportError> {
    check_programme(&live)?;
    if uploads.is_empty() {
        return Err(ImportError::NothingToImport);
    }
    let sources = uploads
        .into_iter()
        .enumerate()
        .map(|(n, upload)| Source {
            shown: upload_label(n + 1, &upload.name),
            kind: kind_of(&upload.bytes),
            size: upload.bytes.len() as u64,
            data: Data::Memory(upload.bytes),
        })
        .collect();
    import_sources(
        store,
        live,
        key,
        sources,
        Options::default(),
        actor,
        "upload",
        |_| {},
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn import_sources(
    store: &Store,
    live: Arc<LiveProgramme>,
    key: Arc<IntakeKey>,
    sources: Vec<Source>,
    options: Options,
    actor: &Actor,
    via: &str,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Summary, ImportError> {
    let bytes_total: u64 = sources.iter().map(|s| s.size).sum();
    // What `--delete-source` may delete: files, never uploads.
    let files: Vec<Option<(PathBuf, Kind)>> = sources
        .iter()
        .map(|s| match &s.data {
            Data::File(path) => Some((path.clone(), s.kind)),
            Data::Memory(_) => None,
        })
        .collect();
    let mut summary = Summary {
        sources: sources.len() as u64,
        ..Summary::default()
    };
    let run = Run {
        id: crate::crypto::random_id(),
        actor,
        subject: format!("programme:{}", live.programme.slug()),
        via,
    };
    let mut batches = 0u64;
    let (tx, mut rx) = mpsc::channel::<Event>(BATCH * 2);
    let memory = Arc::new(Semaphore::new(IN_FLIGHT_KIB as usize));
    let runtime = tokio::runtime::Handle::current();
    let reader = {
        let live = live.clone();
        let trusted = options.trusted_authserv_id.clone();
        std::thread::spawn(move || read_sources(sources, live, key, tx, memory, runtime, trusted))
    };

    // Per source: messages that were neither imported nor duplicates.
    let mut not_in: HashMap<usize, u64> = HashMap::new();
    let mut bytes_done = 0u64;
    let mut events = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut events, BATCH).await > 0 {
        let mut batch = Vec::new();
        let mut owners = Vec::new();
        let mut ends = Vec::new();
        for event in events.drain(..) {
            match event {
                Event::Message {
                    source,
                    origin,
                    bytes,
                    result,
                    _permit,
                } => {
                    summary.messages += 1;
                    bytes_done += bytes;
                    match result {
                        Ok(import) => {
                            batch.push(*import);
                            owners.push((source, origin));
                        }
                        Err(reason) => {
                            *not_in.entry(source).or_default() += 1;
                            summary.failed.push(Failed { origin, reason });
                        }
                    }
                }
                Event::SourceEnd { source, bytes_left } => {
                    bytes_done += bytes_left;
                    ends.push(source);
                }
            }
        }
        if !batch.is_empty() {
            batches += 1;
            let written = write(store, &run, batches, &batch).await;
            for (outcome, (source, origin)) in written.into_iter().zip(owners) {
                match outcome {
                    Ok(ImportOutcome::Inserted) => summary.imported += 1,
                    Ok(ImportOutcome::Duplicate) => summary.duplicates += 1,
                    Err(reason) => {
                        *not_in.entry(source).or_default() += 1;
                        summary.failed.push(Failed { origin, reason });
                    }
                }
            }
        }
        // Everything of these sources is committed (or a duplicate) by now.
        if options.delete_source {
            for source in ends {
                let Some((path, kind)) = &files[source] else {
                    continue;
                };
                let shown = path.display().to_string();
                match not_in.get(&source) {
                    Some(n) if *n > 0 => summary.kept.push((
                        shown,
                        match kind {
                            Kind::Eml => "not imported".to_owned(),
                            Kind::Mbox => format!("{n} messages not imported"),
                        },
                    )),
                    _ => match wipe(path) {
                        Ok(()) => summary.deleted += 1,
                        Err(e) => summary
                            .kept
                            .push((shown, format!("could not be deleted: {}", e.kind()))),
                    },
                }
            }
        }
        progress(Progress {
            bytes_done,
            bytes_total,
            summary: &summary,
        });
    }
    let _ = reader.join();

    // The summary of the run; each stored enquiry was audited with its batch.
    store
        .record_audit(
            &Entry::new(actor, AuditAction::ImportRun, &run.subject).detail(serde_json::json!({
                "run": run.id,
                "via": via,
                "sources": summary.sources,
                "messages": summary.messages,
                "imported": summary.imported,
                "duplicates": summary.duplicates,
                "failed": summary.failed.len(),
                "deleted": summary.deleted,
                "batches": batches,
            })),
        )
        .await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_named_by_place_and_file_name_alone() {
        assert_eq!(upload_label(1, "inbox.mbox"), "upload #1 (inbox.mbox)");
        assert_eq!(
            upload_label(2, "C:\\Users\\ana\\mail.eml"),
            "upload #2 (mail.eml)"
        );
        assert_eq!(upload_label(3, "dir/sub/x.eml"), "upload #3 (x.eml)");
        assert_eq!(upload_label(4, "a\r\nb.eml"), "upload #4 (ab.eml)");
        assert_eq!(upload_label(5, ""), "upload #5");
        assert_eq!(
            upload_label(6, &"x".repeat(500)).len(),
            "upload #6 ()".len() + 100
        );
    }

    #[test]
    fn an_mbox_is_told_from_a_message_by_its_first_line() {
        assert_eq!(
            kind_of(b"From MAILER-DAEMON Mon Aug 16 10:00:00 2021\n"),
            Kind::Mbox
        );
        assert_eq!(kind_of(b"From: a@b.example\r\n"), Kind::Eml);
        assert_eq!(kind_of(b""), Kind::Eml);
    }
}
