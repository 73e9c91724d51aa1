//! `hamkor serve`, `hamkor token` and `hamkor review`: the dashboard and API server, its tokens,
//! and agreement between reviewers. The server itself is `crates/server`; this module wires the
//! real ingest pipeline into it and prints.

use crate::store_cmds::DbArg;
use anyhow::Context;
use clap::{Args, Subcommand};
use hamkor_server::{Config, IngestReport};
use hamkor_store::SqliteStore;
use sha2::Digest;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

#[derive(Subcommand)]
pub enum ServerCommand {
    /// Serve the dashboard and the JSON API of a store.
    ///
    /// Reading is open to this computer (loopback); every write (review, ingest through the API)
    /// needs a token from `hamkor token create NAME`. On an address other than loopback, every
    /// request needs a token, and the server refuses to start while the store has none.
    /// Stop it with Ctrl-C.
    Serve(ServeArgs),
    /// Create, list and revoke the tokens that let reviewers and tools write.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Review results: agreement between reviewers who coded the same documents.
    #[command(subcommand)]
    Review(ReviewCommand),
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Where to listen. Port 0 picks a free port (printed).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Store connections reading at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub readers: usize,
    /// Longest a search may run, in seconds; longer ones are stopped with 503.
    #[arg(long, value_name = "SECS", default_value_t = 5.0, value_parser = positive_secs)]
    pub search_timeout: f64,
    /// Longest any other read may run, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = positive_secs)]
    pub read_timeout: f64,
    /// Searches running at once (the others wait their turn, up to 5 s, then get 503), so that
    /// a flood of searches never holds every reading connection. Default: half of --readers.
    #[arg(long, value_name = "N")]
    pub searches: Option<usize>,
    /// A host name the server is reached by (a reverse proxy's, say), besides localhost and the
    /// address it listens on; requests naming any other host get 421 (DNS rebinding). Repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
}

fn positive_secs(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!("{s:?}: expected seconds, more than 0 and at most 86400")),
    }
}

impl ServeArgs {
    fn budgets(&self) -> hamkor_server::db::Budgets {
        use std::time::Duration;
        hamkor_server::db::Budgets {
            search_timeout: Duration::from_secs_f64(self.search_timeout),
            read_timeout: Duration::from_secs_f64(self.read_timeout),
            searches: self.searches.unwrap_or(0),
            ..Default::default()
        }
    }
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token for NAME (a reviewer or a tool) and print it once; only its hash is kept.
    Create {
        /// The name written into the audit log for everything done with this token.
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List tokens (names and dates; the tokens themselves are not kept).
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke a token by its id (from `hamkor token list`).
    Revoke {
        id: i64,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Krippendorff's alpha per field (type, actors, domains, date) over the reviewers'
    /// independent codings, and the disagreements to resolve.
    Alpha {
        #[command(flatten)]
        db: DbArg,
        /// Print JSON: {"reviewers", "units", "units_shared", "fields": [...], "disagreements": [...]}.
        #[arg(long)]
        json: bool,
        /// Count the machine as a coder too ("hamkor (machine)"): its coded event at each unit a
        /// reviewer coded, or none when it found no event there.
        #[arg(long)]
        machine: bool,
    },
}

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    anyhow::ensure!(
        db.exists(),
        "no store at {} (ingest something first: hamkor ingest --db {} FOLDER, or hamkor demo)",
        db.display(),
        db.display()
    );
    Ok(hamkor_app::open_store(db)?)
}

pub fn run(cmd: ServerCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ServerCommand::Serve(a) => serve(&a.db.db, a.addr, a.readers, a.budgets(), a.allow_hosts.clone()),
        ServerCommand::Token(TokenCommand::Create { name, db }) => {
            let mut store = open(&db.db)?;
            let (id, token) = hamkor_server::auth::create_token(&mut store, &name).map_err(anyhow::Error::msg)?;
            println!("{token}");
            eprintln!(
                "hamkor: token {id} for {name:?} created. It is shown only now: keep it. \
                 Use it as 'Authorization: Bearer TOKEN' or sign in on /login."
            );
            Ok(ExitCode::SUCCESS)
        }
        ServerCommand::Token(TokenCommand::List { db }) => {
            let store = open(&db.db)?;
            for t in store.tokens()? {
                let state = t.revoked_at.map(|r| format!("revoked {r}")).unwrap_or_else(|| "active".into());
                println!("{:>4}  {:<24}  created {}  {state}", t.id, t.name, t.created_at);
            }
            Ok(ExitCode::SUCCESS)
        }
        ServerCommand::Token(TokenCommand::Revoke { id, db }) => {
            let mut store = open(&db.db)?;
            if store.revoke_token(id)? {
                eprintln!("hamkor: token {id} revoked");
                Ok(ExitCode::SUCCESS)
            } else {
                anyhow::bail!("no active token {id} (see hamkor token list)")
            }
        }
        ServerCommand::Review(ReviewCommand::Alpha { db, json, machine }) => alpha(&db.db, json, machine),
    }
}

fn alpha(db: &Path, json: bool, machine: bool) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let mut codings = store.codings(None)?;
    if machine {
        codings.extend(store.machine_codings("hamkor (machine)")?);
    }
    let report = hamkor_analysis::reliability::report(&codings);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} reviewers ({}), {} units coded, {} by two or more",
        report.reviewers.len(),
        report.reviewers.join(", "),
        report.units,
        report.units_shared
    )?;
    writeln!(out, "{:<8}  {:>7}  {:>5}  {:>6}", "field", "alpha", "units", "values")?;
    for f in &report.fields {
        let a = f.alpha.alpha.map(|a| format!("{a:.3}")).unwrap_or_else(|| "-".into());
        writeln!(out, "{:<8}  {:>7}  {:>5}  {:>6}", f.field, a, f.alpha.units, f.alpha.values)?;
    }
    if !report.disagreements.is_empty() {
        writeln!(out, "\ndisagreements ({}):", report.disagreements.len())?;
        for d in &report.disagreements {
            let vals: Vec<String> = d.values.iter().map(|(who, v)| format!("{who}: {v}")).collect();
            writeln!(
                out,
                "  document {} bytes {}..{}  {:<7}  {}",
                d.document_id,
                d.evidence_start,
                d.evidence_end,
                d.field,
                vals.join(" | ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Serve `db` on `addr` until Ctrl-C; used by `hamkor serve` and `hamkor demo`.
pub fn serve(
    db: &Path,
    addr: SocketAddr,
    readers: usize,
    budgets: hamkor_server::db::Budgets,
    allow_hosts: Vec<String>,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(db.exists(), "no store at {} (try hamkor demo, or hamkor ingest --db {} FOLDER)", db.display(), db.display());
    let config = Config {
        db: db.to_path_buf(),
        addr,
        readers,
        budgets,
        allow_hosts,
        ingest: Some(Arc::new(CliIngest { db: db.to_path_buf() })),
    };
    let shown = db.display().to_string();
    hamkor_server::run(config, |bound| {
        // The first line of standard output is the address: scripts and tests read it.
        println!("http://{bound}/");
        let _ = std::io::stdout().flush();
        eprintln!("hamkor: serving {shown} on http://{bound}/ (API: http://{bound}/api/openapi.json); Ctrl-C stops");
    })
    .context("hamkor serve")?;
    Ok(ExitCode::SUCCESS)
}

/// Ingest through the API with the real pipeline. The body is written to a file beside the store
/// (`STORE.uploads/`) named by who sent it and the SHA-256 of its bytes, so that each document's
/// source names the upload it came from and a retried upload is the same source again (it adds
/// no source row); the file is deleted once it is ingested, whatever the outcome.
struct CliIngest {
    db: PathBuf,
}

fn coder() -> &'static hamkor_coder::Coder {
    static CODER: OnceLock<hamkor_coder::Coder> = OnceLock::new();
    CODER.get_or_init(hamkor_coder::Coder::embedded)
}

impl hamkor_server::Ingest for CliIngest {
    fn ingest_jsonl(&self, store: &mut SqliteStore, body: &[u8], who: &str) -> Result<IngestReport, String> {
        let mut dir = self.db.clone().into_os_string();
        dir.push(".uploads");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let safe: String = who.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let digest: String = sha2::Sha256::digest(body).iter().take(16).map(|b| format!("{b:02x}")).collect();
        let file = dir.join(format!("{safe}-{digest}.jsonl"));
        std::fs::write(&file, body).map_err(|e| format!("writing {}: {e}", file.display()))?;
        let mut failures = Vec::new();
        let summary = hamkor_ingest::ingest(
            store,
            coder(),
            &[hamkor_ingest::Input::Path(file.clone())],
            &hamkor_ingest::Options::default(),
            &mut |p| {
                if let hamkor_ingest::Progress::Failed { item, error, .. } = p {
                    failures.push(if item.is_empty() { error.to_string() } else { format!("line {item}: {error}") });
                }
            },
        );
        let _ = std::fs::remove_file(&file);
        let _ = std::fs::remove_dir(&dir); // only when empty
        let summary = summary.map_err(|e| e.to_string())?;
        let c = summary.counters;
        Ok(IngestReport { documents_new: c.documents_new, documents_known: c.documents_known, events: c.events, failures })
    }
}
