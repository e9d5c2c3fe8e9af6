//! The `haven` command line. Only argument handling lives here; everything it runs is
//! in the library.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use haven::app::{self, Application, Role, Roles};
use haven::audit::{Actor, AuditAction, Outcome};
use haven::auth::accounts::{self, AccountError, AccountRequest};
use haven::casework::ProgrammeRole;
use haven::config::Config;
use haven::crypto::ProgrammeKeyPair;
use haven::programme::editing;
use haven::store::ApplyOutcome;

#[derive(Parser)]
#[command(name = "haven", version, about = "Secure crisis-intake web forms")]
struct Cli {
    /// Optional TOML settings file; HAVEN_* environment variables take precedence.
    #[arg(long, global = true, env = "HAVEN_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (all roles unless --role is given; repeat --role to combine).
    Serve {
        #[arg(long, value_enum)]
        role: Vec<Role>,
        /// Apply these programme files before serving (as `programme apply` does;
        /// unchanged files are a no-op). The quick start uses this.
        #[arg(long, value_name = "FILE")]
        apply: Vec<PathBuf>,
    },
    /// Apply database migrations and exit. On PostgreSQL also create the accounts
    /// `haven_public`, `haven_console` and `haven_worker` (if missing) and grant each
    /// only what its role uses (ops/postgres/roles.sql).
    Migrate,
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The register of referrals to partner organisations.
    Disclosures {
        #[command(subcommand)]
        command: DisclosuresCommand,
    },
    /// Manage crisis programmes.
    Programme {
        #[command(subcommand)]
        command: ProgrammeCommand,
    },
    /// Delete enquiries (with their notes, replies and messages) past their
    /// programme's retention period, except those under legal hold. The server's worker
    /// role does the same every hour.
    Purge,
    /// Recovery with a programme's offline escrow key (when the master key is lost).
    Escrow {
        #[command(subcommand)]
        command: EscrowCommand,
    },
    /// The instance's keys as other hosts need them.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The emergency stop for all outbound mail (every worker of every instance; it
    /// holds across restarts). Audited with the reason.
    Outbound {
        #[command(subcommand)]
        command: OutboundCommand,
    },
    /// When a message went wrong: who received it (issue 20).
    Incident {
        #[command(subcommand)]
        command: IncidentCommand,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bring mail from an ordinary mailbox in as enquiries: .eml files, directories of
    /// them, and mbox files. Forwards are unwrapped to their original sender and text.
    /// Messages already imported are skipped; a failing message is reported and the
    /// run goes on.
    Import {
        #[arg(long, value_name = "SLUG")]
        programme: String,
        /// Overwrite and delete each file once everything in it is in Haven (an mbox
        /// only if every message in it was imported or was a duplicate).
        #[arg(long)]
        delete_source: bool,
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum IncidentCommand {
    /// Print as CSV the enquiries a bulk reply, a template (optionally within a time
    /// window) or one reply reached, with each message's outcome; or everything a staff
    /// account opened in a window (by the audit log); or every enquiry that arrived in
    /// a window. Enquiry ids and delivery metadata only, never an address or a
    /// reference code. Audited.
    #[command(group(clap::ArgGroup::new("source").required(true).args(["campaign", "template", "reply", "opened_by", "submitted"])))]
    Recipients {
        #[arg(long, value_name = "SLUG")]
        programme: String,
        #[arg(long, value_name = "ID")]
        campaign: Option<String>,
        #[arg(long, value_name = "KEY")]
        template: Option<String>,
        /// From this UTC time (2026-11-24 05:00), included (with --template, or
        /// required with --opened-by and --submitted).
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
        /// Until this UTC time, not included.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        #[arg(long, value_name = "ID")]
        reply: Option<String>,
        /// A staff account's email: every enquiry it opened between --since and --until.
        #[arg(long, value_name = "EMAIL", requires_all = ["since", "until"])]
        opened_by: Option<String>,
        /// Every enquiry that arrived between --since and --until (whole hours).
        #[arg(long, requires_all = ["since", "until"])]
        submitted: bool,
    },
    /// Print an incident's report for the regulator (Markdown): timeline, counts by
    /// language, outcome and data category, harm assessment, actions, notifications.
    /// No names, addresses or reference codes. Needs the master key; audited.
    Report {
        #[arg(value_name = "ID")]
        id: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account. The first admin must be made this way: Haven has no
    /// default account. The owner must sign in and set up TOTP within 72 hours.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: ProgrammeRole,
        /// The programme the role applies to; omit with `--role admin` for an
        /// instance admin.
        #[arg(long, value_name = "SLUG")]
        programme: Option<String>,
        /// Read the initial password from standard input (never from an argument,
        /// where other users of the machine could see it).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Give an existing account a role in a programme.
    Grant {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: ProgrammeRole,
        #[arg(long, value_name = "SLUG")]
        programme: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print the key that checks the console's signatures over programme states
    /// (public, not secret), or write it to `--out`: every public host needs it at
    /// `HAVEN_PROGRAMME_VERIFY_KEY_FILE`. Needs the master key.
    ExportVerifyKey {
        /// Write the file here instead (a file already there must hold the same key).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum EscrowCommand {
    /// Open every enquiry of a programme (with notes and replies) with the escrow
    /// identity and write them as JSON lines to a new file (mode 0600). Needs no
    /// master key. Audited.
    Open {
        /// The escrow identity file (`age-keygen` output), brought from offline storage.
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        #[arg(long, value_name = "SLUG")]
        programme: String,
        /// Where to write what was opened; must not exist yet.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum DisclosuresCommand {
    /// Write a programme's disclosure register as CSV to standard output: which field
    /// names left, for which partner, when, asked for and approved by whom, on which
    /// basis. Never a value. The export itself is audited.
    Export {
        #[arg(long, value_name = "SLUG")]
        programme: String,
    },
}

#[derive(Subcommand)]
enum OutboundCommand {
    /// Stop all outbound mail now: no worker sends another message until `resume`.
    Pause {
        /// Why (kept in the audit log and shown to instance admins).
        #[arg(long)]
        reason: String,
    },
    /// Let outbound mail go again.
    Resume {
        #[arg(long)]
        reason: String,
    },
    /// Whether outbound mail is stopped, since when, by whom and why.
    Status,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain; exit 1 naming the first broken entry.
    Verify,
}

#[derive(Subcommand)]
enum ProgrammeCommand {
    /// Create or update a programme from a TOML file (all or nothing). A change that
    /// widens who can read the programme's data (escrow, a partner's address, key or
    /// profile, consent, second factor, what emails carry, …) is refused unless an
    /// instance admin confirms it: `--as EMAIL`, their password on standard input.
    Apply {
        file: PathBuf,
        /// The instance admin who confirms a widening change; the password is read
        /// from standard input, and the change is audited under that account.
        #[arg(long = "as", value_name = "EMAIL")]
        as_account: Option<String>,
    },
    /// Print a programme's current definition as TOML, starting with the `#:schema`
    /// line editors read.
    Export { slug: String },
    /// Print the programme file's JSON Schema (for editors: save it as
    /// `programme.schema.json` beside your programme files).
    Schema,
    /// List programmes.
    List,
    /// Move a programme to a new key, then re-seal everything sealed to older keys
    /// (showing progress). New submissions use the new key within seconds.
    RotateKey { slug: String },
    /// A programme's keys and how many ciphertexts each still protects.
    Keys { slug: String },
    /// Archive a programme for good: the form answers "not found", imports are
    /// refused. `--destroy-keys` also destroys every key of the programme
    /// (crypto-shredding: nothing it stored can be read again). `--confirm` must
    /// repeat the slug.
    Archive {
        slug: String,
        #[arg(long)]
        confirm: String,
        #[arg(long)]
        destroy_keys: bool,
    },
    /// Sign a programme's stored state as it stands, after the public role refused it
    /// (its signature did not verify: the database was written behind Haven's back).
    /// Prints the recipient, escrow and partners' keys it vouches for: check them
    /// first. `--confirm` must repeat the slug. Audited as an alert.
    ReSign {
        slug: String,
        #[arg(long)]
        confirm: String,
    },
    /// Destroy an old key for good (crypto-shredding). Refused while anything still
    /// uses it. `--confirm` must repeat the key id.
    DestroyKey {
        slug: String,
        key_id: String,
        #[arg(long)]
        confirm: String,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                // `haven import` promises 1 for usage errors (scripts tell them from a
                // run that completed); other commands keep clap's 2.
                _ if std::env::args().nth(1).as_deref() == Some("import") => ExitCode::from(1),
                _ => ExitCode::from(2),
            };
        }
    };
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("haven: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    haven::logging::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("haven: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("haven: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { role, apply } => {
            for file in &apply {
                let code = programme_command(
                    ProgrammeCommand::Apply {
                        file: file.clone(),
                        as_account: None,
                    },
                    &config,
                )
                .await?;
                if code != ExitCode::SUCCESS {
                    return Ok(code);
                }
            }
            let roles = Roles::only(&role);
            let database = config.database.redacted();
            let app = Application::build(config, roles.clone()).await?;
            tracing::info!(address = %app.addr(), %database, ?roles, "Haven is listening");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let store = app::open_store(&config).await?;
            // Every time, not only after a pending migration: this is how an operator
            // creates the role accounts on a database that was already current.
            store.apply_access().await?;
            println!("migrations applied");
            if store.backend() == haven::store::Backend::Postgres {
                println!(
                    "database accounts: {} (ops/OPERATOR-GUIDE.md, \"One database account per role\")",
                    haven::store::access::ACCOUNTS.join(", ")
                );
            }
        }
        Command::Outbound { command } => {
            let store = app::open_store(&config).await?;
            let stop = haven::outbound::stop::status;
            match command {
                OutboundCommand::Pause { reason } if !reason.trim().is_empty() => {
                    if haven::outbound::stop::pause_all(&store, &Actor::Cli, &reason).await? {
                        println!("outbound mail paused");
                    } else {
                        println!("outbound mail was already paused");
                    }
                }
                OutboundCommand::Resume { reason } if !reason.trim().is_empty() => {
                    if haven::outbound::stop::resume_all(&store, &Actor::Cli, &reason).await? {
                        println!("outbound mail resumed");
                    } else {
                        println!("outbound mail was not paused");
                    }
                }
                OutboundCommand::Pause { .. } | OutboundCommand::Resume { .. } => {
                    eprintln!("give a reason: --reason \"…\"");
                    return Ok(ExitCode::from(2));
                }
                OutboundCommand::Status => match stop(&store).await? {
                    Some(hold) => println!(
                        "paused since {} UTC by {}: {}",
                        haven::domain::datetime(hold.held_at),
                        hold.held_by,
                        hold.reason
                    ),
                    None => println!("sending"),
                },
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = app::open_store(&config).await?;
            match store.verify_audit().await? {
                haven::audit::Verdict::Intact { entries, head } => {
                    println!("audit log intact: {entries} entries, head {head}");
                }
                haven::audit::Verdict::Broken { seq, reason } => {
                    println!("audit log BROKEN at entry {seq}: {reason}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Disclosures {
            command: DisclosuresCommand::Export { programme },
        } => {
            let store = app::open_store(&config).await?;
            match haven::referrals::export_register(&store, &programme, &Actor::Cli).await? {
                Some(csv) => print!("{csv}"),
                None => {
                    eprintln!("no programme {programme:?}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Programme { command } => return programme_command(command, &config).await,
        Command::Import {
            programme,
            delete_source,
            paths,
        } => return import_command(&config, &programme, delete_source, &paths).await,
        Command::User { command } => return user_command(command, &config).await,
        Command::Keys {
            command: KeysCommand::ExportVerifyKey { out },
        } => {
            let store = app::open_store(&config).await?;
            let verifier = app::keyring(&config, &store)
                .await?
                .programme_signer()
                .verifier();
            match out {
                None => print!("{}", verifier.file_text()),
                Some(path) => {
                    if verifier.write_new(&path)? {
                        println!("wrote {}", path.display());
                    } else if haven::crypto::ProgrammeVerifier::load(&path).ok() == Some(verifier) {
                        println!("{} is up to date", path.display());
                    } else {
                        eprintln!(
                            "haven: {} holds another key; nothing was written (remove it first if it is stale)",
                            path.display()
                        );
                        return Ok(ExitCode::from(1));
                    }
                }
            }
        }
        Command::Incident { command } => return incident_command(command, &config).await,
        Command::Escrow {
            command:
                EscrowCommand::Open {
                    identity,
                    programme,
                    out,
                },
        } => {
            let store = app::open_store(&config).await?;
            let identity = match haven::escrow::load_identity(&identity) {
                Ok(id) => id,
                Err(e) => {
                    eprintln!("haven: {e}");
                    return Ok(ExitCode::from(1));
                }
            };
            match haven::escrow::open_programme(&store, &identity, &programme, &out, &Actor::Cli)
                .await
            {
                Ok(n) => println!(
                    "{programme}: opened {} enquiries, {} notes, {} replies into {}; {} could not be opened with this identity",
                    n.enquiries,
                    n.notes,
                    n.replies,
                    out.display(),
                    n.unreadable
                ),
                Err(haven::escrow::EscrowError::Store(e)) => return Err(e.into()),
                Err(e) => {
                    eprintln!("haven: {e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Purge => {
            let store = app::open_store(&config).await?;
            for (slug, c) in haven::retention::purge_all(&store, &Actor::Cli).await? {
                println!(
                    "{slug}: {} enquiries, {} notes, {} replies, {} messages purged",
                    c.enquiries, c.notes, c.replies, c.messages
                );
            }
            haven::outbound::sweep_file_outbox(&config.data_dir, &store).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn incident_command(command: IncidentCommand, config: &Config) -> anyhow::Result<ExitCode> {
    use haven::incident::{self, Source};
    if let IncidentCommand::Report { id } = &command {
        let store = app::open_store(config).await?;
        let keyring = app::keyring(config, &store).await?;
        return match incident::report::report(&store, &keyring, incident::report::Reader::Cli, id)
            .await
        {
            Ok(Some(text)) => {
                print!("{text}");
                Ok(ExitCode::SUCCESS)
            }
            Ok(None) => {
                eprintln!("no incident {id:?}");
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(anyhow::anyhow!("{e}")),
        };
    }
    let IncidentCommand::Recipients {
        programme,
        campaign,
        template,
        since,
        until,
        reply,
        opened_by,
        submitted,
    } = command
    else {
        unreachable!("the report returned above");
    };
    let time = |t: Option<String>| -> Result<Option<i64>, String> {
        t.map(|t| incident::time::parse(&t).ok_or(t)).transpose()
    };
    let (since, until) = match (time(since), time(until)) {
        (Ok(since), Ok(until)) => (since, until),
        (Err(t), _) | (_, Err(t)) => {
            eprintln!("haven: {t:?} is not a UTC time like 2026-11-24 05:00");
            return Ok(ExitCode::from(2));
        }
    };
    let window = || since.zip(until).unwrap_or_default();
    let source = match (campaign, template, reply, opened_by) {
        (Some(id), ..) => Source::Campaign(id),
        (_, Some(key), ..) => Source::Template { key, since, until },
        (_, _, Some(id), _) => Source::Reply(id),
        (_, _, _, Some(account)) => Source::OpenedBy {
            account,
            since: window().0,
            until: window().1,
        },
        _ if submitted => Source::Submitted {
            since: window().0,
            until: window().1,
        },
        _ => unreachable!("clap requires one source"),
    };
    let store = app::open_store(config).await?;
    match incident::recipients::recipients_csv(&store, &programme, &source).await {
        Ok(Some(csv)) => {
            print!("{csv}");
            Ok(ExitCode::SUCCESS)
        }
        Ok(None) => {
            eprintln!("no programme {programme:?}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

async fn user_command(command: UserCommand, config: &Config) -> anyhow::Result<ExitCode> {
    let store = app::open_store(config).await?;
    let result = match command {
        UserCommand::Add {
            email,
            role,
            programme,
            password_stdin: _,
        } => {
            let mut password = zeroize::Zeroizing::new(String::new());
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| anyhow::anyhow!("cannot read the password from stdin: {e}"))?;
            // One trailing newline is how `echo` and here-strings end input, not part
            // of the password.
            let password = password.strip_suffix('\n').unwrap_or(&password);
            let password = password.strip_suffix('\r').unwrap_or(password);
            let keyring = app::keyring(config, &store).await?;
            let hasher = std::sync::Arc::new(keyring.password_hasher(config.password_cost));
            accounts::create_account(
                &store,
                hasher,
                AccountRequest {
                    email: &email,
                    role,
                    programme: programme.as_deref(),
                    password,
                },
                &Actor::Cli,
            )
            .await
            .map(|id| println!("created user {id} ({role}); they must sign in and set up two-step verification within 72 hours"))
        }
        UserCommand::Grant {
            email,
            role,
            programme,
        } => accounts::grant(&store, &email, role, &programme, &Actor::Cli)
            .await
            .map(|()| println!("{email} is now {role} in {programme}")),
    };
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("haven: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `programme apply --as EMAIL`: the account's password from standard input, checked
/// as the console checks a re-authentication (the account's sign-in window first),
/// and only an instance admin's. A refusal is audited and printed; `None` then.
async fn confirm_as(
    store: &haven::store::Store,
    config: &Config,
    keyring: &haven::keyring::Keyring,
    email: &str,
) -> anyhow::Result<Option<haven::auth::reauth::Reauthenticated>> {
    use haven::auth::reauth::{self, Refused};
    let mut password = zeroize::Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| anyhow::anyhow!("cannot read the password from stdin: {e}"))?;
    let password = password.strip_suffix('\n').unwrap_or(&password);
    let password = password.strip_suffix('\r').unwrap_or(password);
    let hasher = std::sync::Arc::new(keyring.password_hasher(config.password_cost));
    let checked = reauth::confirm_by_email(
        store,
        &hasher,
        email,
        password,
        config.rate_limits.signin_attempts_per_account_per_minute,
    )
    .await?;
    let (refused, id) = match checked {
        Ok(proof) if proof.instance_admin() => return Ok(Some(proof)),
        Ok(proof) => (Refused::Denied, Some(proof.user_id().to_owned())),
        Err(refused) => refused,
    };
    let account = id.map_or(Actor::Cli, |id| Actor::staff(&id));
    store
        .record_audit(
            &haven::audit::Entry::new(&account, AuditAction::ReauthFailed, &account.to_string())
                .outcome(match refused {
                    Refused::Denied => Outcome::Denied,
                    Refused::Throttled => Outcome::Throttled,
                })
                .detail(serde_json::json!({ "via": "cli" })),
        )
        .await?;
    eprintln!(
        "haven: {}",
        match refused {
            Refused::Throttled => "too many password attempts for this account; wait a minute",
            Refused::Denied =>
                "not confirmed: the password is not right, or the account is not an instance admin",
        }
    );
    Ok(None)
}

async fn programme_command(command: ProgrammeCommand, config: &Config) -> anyhow::Result<ExitCode> {
    // The schema is the binary's own: printed without a database or any key.
    if let ProgrammeCommand::Schema = command {
        print!("{}", haven::programme::schema::text());
        return Ok(ExitCode::SUCCESS);
    }
    let store = app::open_store(config).await?;
    match command {
        ProgrammeCommand::Schema => {}
        ProgrammeCommand::Apply { file, as_account } => {
            let mut text = String::new();
            std::fs::File::open(&file)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            // Checked before the master key is touched, so a bad file says only what is
            // wrong with it; `save` checks it again, as it does every web edit.
            if let Err(errors) = haven::programme::Programme::parse(&text) {
                eprintln!("{}: the programme was not applied:", file.display());
                for e in &errors.0 {
                    eprintln!("  {}:{e}", file.display());
                }
                return Ok(ExitCode::from(1));
            }
            let keyring = app::keyring(config, &store).await?;
            let proof = match &as_account {
                None => None,
                Some(email) => match confirm_as(&store, config, &keyring, email).await? {
                    Some(proof) => Some(proof),
                    None => return Ok(ExitCode::from(1)),
                },
            };
            // The same path as the web editor's saves: same checks, same review of
            // what the change widens, same versions.
            let saved = editing::save(
                &store,
                &keyring.programme_signer(),
                &text,
                editing::Expect::Any,
                editing::Author::CommandLine {
                    confirmed: proof.as_ref(),
                },
                serde_json::Map::new(),
            )
            .await;
            let not_applied = || eprintln!("{}: the programme was not applied:", file.display());
            let saved = match saved {
                Ok(saved) => saved,
                Err(editing::SaveError::Invalid(errors)) => {
                    not_applied();
                    for e in &errors.0 {
                        eprintln!("  {}:{e}", file.display());
                    }
                    return Ok(ExitCode::from(1));
                }
                Err(editing::SaveError::NeedsReauth(widened)) => {
                    not_applied();
                    eprintln!("  it widens who can read the programme's data:");
                    for w in &widened {
                        eprintln!("    {}", w.name());
                    }
                    eprintln!(
                        "  an instance admin must confirm it: haven programme apply --as EMAIL {} \
                         (the password is read from standard input)",
                        file.display()
                    );
                    return Ok(ExitCode::from(1));
                }
                Err(editing::SaveError::KindChanged(changes)) => {
                    not_applied();
                    for c in &changes {
                        eprintln!("  {c}");
                    }
                    return Ok(ExitCode::from(1));
                }
                Err(e @ editing::SaveError::Stale { .. }) => {
                    not_applied();
                    eprintln!("  {e}; run it again");
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            let slug = saved.programme.slug().to_string();
            match saved.outcome {
                ApplyOutcome::Created { version } => println!("created {slug} (version {version})"),
                ApplyOutcome::Updated { version } => println!("updated {slug} (version {version})"),
                ApplyOutcome::Unchanged { version } => {
                    println!("{slug} unchanged (version {version})")
                }
            }
            if !saved.widened.is_empty() {
                let names: Vec<String> = saved.widened.iter().map(|w| w.name()).collect();
                println!("{slug}: widened (audited): {}", names.join(", "));
            }
            // The operator may open a programme from a file before anyone has a role (the
            // quick start does); the web editor would refuse. Say what it lacks.
            if saved.programme.status() == haven::programme::ProgrammeStatus::Open
                && let Some(record) = store.programme_by_slug(&slug).await?
            {
                let staff = store.programme_staff(&record.id).await?.len();
                let gaps = haven::programme::launch::gaps(
                    saved.programme.file(),
                    saved.programme.languages(),
                    staff,
                );
                if !gaps.is_empty() {
                    eprintln!(
                        "{slug}: open, but its launch checklist is not complete (the web editor \
                         would refuse to open it):"
                    );
                    for gap in &gaps {
                        eprintln!("  missing: {}", gap.name());
                    }
                }
            }
        }
        ProgrammeCommand::Export { slug } => match store.programme_by_slug(&slug).await? {
            Some(record) => print!("{}", haven::programme::schema::exported(&record.definition)),
            None => {
                eprintln!("no programme {slug:?}");
                return Ok(ExitCode::from(1));
            }
        },
        ProgrammeCommand::ReSign { slug, confirm } => {
            if confirm != slug {
                eprintln!("haven: --confirm must repeat the slug; nothing was signed");
                return Ok(ExitCode::from(2));
            }
            let Some(record) = store.programme_by_slug(&slug).await? else {
                eprintln!("no programme {slug:?}");
                return Ok(ExitCode::from(1));
            };
            let keyring = app::keyring(config, &store).await?;
            let parsed = haven::programme::Programme::parse(&record.definition).ok();
            let escrow = parsed.as_ref().and_then(|p| p.file().escrow.clone());
            let partners: Vec<String> = parsed
                .as_ref()
                .map(|p| {
                    p.file()
                        .partners
                        .iter()
                        .map(|x| format!("{} {} {}", x.key, x.address, x.recipient))
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "{slug} version {}: key {} recipient {}",
                record.version, record.key_id, record.recipient
            );
            println!("escrow: {}", escrow.as_deref().unwrap_or("none"));
            for partner in &partners {
                println!("partner: {partner}");
            }
            let opens = keyring
                .key_is(&record.key_id, &record.recipient)
                .await
                .unwrap_or(false);
            if !opens {
                eprintln!(
                    "haven: the recipient is not the one the master key opens for key {}: it was not made by this Haven; rotate the key after signing (`haven programme rotate-key {slug}`)",
                    record.key_id
                );
            }
            let entry = haven::audit::Entry::new(
                &Actor::Cli,
                AuditAction::ProgrammeReSign,
                &format!("programme:{slug}"),
            )
            .outcome(haven::audit::Outcome::Alert)
            .detail(serde_json::json!({
                "version": record.version,
                "key": record.key_id,
                "recipient": record.recipient,
                "master_opens_key": opens,
                "escrow": escrow,
                "partners": partners,
            }));
            store
                .re_sign_programme(&slug, &keyring.programme_signer(), &entry)
                .await?;
            println!("{slug}: signed as shown");
        }
        ProgrammeCommand::RotateKey { slug } => {
            let Some(record) = store.programme_by_slug(&slug).await? else {
                eprintln!("no programme {slug:?}");
                return Ok(ExitCode::from(1));
            };
            let keyring = app::keyring(config, &store).await?;
            if let Err(e) = haven::rotation::check_master_opens(&keyring, &record.key_id).await {
                eprintln!("haven: {slug}: the key was not rotated: {e}");
                return Ok(ExitCode::from(1));
            }
            let key = ProgrammeKeyPair::generate(&keyring.recipient())?;
            let rotated = store
                .rotate_programme_key(
                    &record.id,
                    &key,
                    &keyring.programme_signer(),
                    &haven::audit::Entry::new(
                        &Actor::Cli,
                        AuditAction::ProgrammeRotateKey,
                        &format!("programme:{slug}"),
                    )
                    .detail(serde_json::json!({ "from": record.key_id, "to": key.key_id })),
                )
                .await?;
            if !rotated {
                eprintln!(
                    "haven: {slug}: the key was not rotated: the stored programme does not carry the console's signature (changed in the database directly?); check it, then run `haven programme re-sign {slug}`"
                );
                return Ok(ExitCode::from(1));
            }
            println!("{slug}: new key {} (was {})", key.key_id, record.key_id);
            let parsed = haven::domain::ProgrammeSlug::parse(&slug)?;
            let reader = haven::audit::Actor::Cli;
            let total = haven::rotation::reseal_all(&store, &keyring, &reader, &parsed, |n| {
                eprintln!("re-sealed {n}…");
            })
            .await?;
            println!("{slug}: re-sealed {total} ciphertexts to the new key");
        }
        ProgrammeCommand::Keys { slug } => {
            let Some(record) = store.programme_by_slug(&slug).await? else {
                eprintln!("no programme {slug:?}");
                return Ok(ExitCode::from(1));
            };
            for k in store.key_usage(&record.id).await? {
                println!(
                    "{}\t{}\t{} ciphertexts{}",
                    k.key_id,
                    if k.current {
                        "current"
                    } else if k.destroyed {
                        "destroyed"
                    } else {
                        "old"
                    },
                    k.ciphertexts,
                    if k.destroyed || k.current || k.ciphertexts > 0 {
                        ""
                    } else {
                        " (can be destroyed)"
                    },
                );
            }
        }
        ProgrammeCommand::DestroyKey {
            slug,
            key_id,
            confirm,
        } => {
            if confirm != key_id {
                eprintln!("--confirm must repeat the key id: destroying a key cannot be undone");
                return Ok(ExitCode::from(2));
            }
            let Some(record) = store.programme_by_slug(&slug).await? else {
                eprintln!("no programme {slug:?}");
                return Ok(ExitCode::from(1));
            };
            let entry = haven::audit::Entry::new(
                &Actor::Cli,
                AuditAction::ProgrammeDestroyKey,
                &format!("programme:{slug}"),
            )
            .detail(serde_json::json!({ "key": key_id }));
            match store.destroy_key(&record.id, &key_id, &entry).await? {
                Ok(()) => {
                    haven::outbound::sweep_file_outbox(&config.data_dir, &store).await?;
                    println!("{slug}: key {key_id} destroyed");
                }
                Err(why) => {
                    eprintln!("haven: key {key_id} was not destroyed: {why}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        ProgrammeCommand::Archive {
            slug,
            confirm,
            destroy_keys,
        } => {
            let confirmed = match haven::archive::Confirmed::parse(&slug, &confirm) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("haven: {slug} was not archived: {e}; this cannot be undone");
                    return Ok(ExitCode::from(2));
                }
            };
            let keyring = app::keyring(config, &store).await?;
            match haven::archive::archive(
                &store,
                &keyring.programme_signer(),
                &slug,
                confirmed,
                destroy_keys,
                &config.data_dir,
                editing::Author::CommandLine { confirmed: None },
            )
            .await
            {
                Ok(a) => {
                    println!(
                        "{slug}: {}",
                        if a.newly {
                            "archived"
                        } else {
                            "already archived"
                        }
                    );
                    if destroy_keys {
                        println!(
                            "{slug}: {} keys destroyed; nothing of this programme can be decrypted any more",
                            a.keys_destroyed
                        );
                    }
                }
                Err(haven::archive::ArchiveError::UnknownProgramme(_)) => {
                    eprintln!("no programme {slug:?}");
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            }
        }
        ProgrammeCommand::List => {
            for (slug, status, version) in store.list_programmes().await? {
                println!("{slug}\t{status}\tversion {version}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn import_command(
    config: &Config,
    slug: &str,
    delete_source: bool,
    paths: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    use haven::import::{self, ImportError, Options};
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    let store = app::open_store(config).await?;
    let key = std::sync::Arc::new(app::intake_key(config)?);
    let live = match haven::domain::ProgrammeSlug::parse(slug) {
        Ok(parsed) => {
            haven::programme::live::LiveProgrammes::new(
                store.clone(),
                std::time::Duration::ZERO,
                haven::programme::live::Verifying::File(config.programme_verify_key_file.clone()),
                prometheus_client::metrics::counter::Counter::default(),
            )
            .get(&parsed)
            .await?
        }
        Err(_) => None,
    };
    let Some(live) = live else {
        eprintln!("haven: {}", ImportError::NoProgramme(slug.to_owned()));
        return Ok(ExitCode::from(1));
    };
    // Drawn on stderr, and not at all when stderr is not a terminal.
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = import::run(
        &store,
        live,
        key,
        paths,
        Options {
            delete_source,
            trusted_authserv_id: config.import_trusted_authserv_id.clone(),
        },
        &Actor::Cli,
        |p| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(format!(
                "{} imported, {} duplicates, {} failed",
                p.summary.imported,
                p.summary.duplicates,
                p.summary.failed.len()
            ));
        },
    )
    .await;
    bar.finish_and_clear();
    let summary = match result {
        Ok(s) => s,
        Err(ImportError::Store(e)) => return Err(e.into()),
        Err(e) => {
            eprintln!("haven: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    println!(
        "{slug}: {} messages in {} files: {} imported, {} duplicates, {} failed",
        summary.messages,
        summary.sources,
        summary.imported,
        summary.duplicates,
        summary.failed.len()
    );
    for f in &summary.failed {
        println!("failed: {}: {}", f.origin, f.reason);
    }
    if delete_source {
        println!("deleted {} source files", summary.deleted);
        for (path, why) in &summary.kept {
            println!("kept: {path}: {why}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
