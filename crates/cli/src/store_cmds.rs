//! Commands over the store: ingest, recode, search, events, show, stats, demo.
//!
//! These are thin: they parse flags into the store's and ingest's own types, call them, and
//! print. The store is always opened through `--db` (or `HAMKOR_DB`); its default is the file
//! `hamkor.db` in the current directory, a place the user can see and back up.

use clap::{Args, Subcommand, ValueEnum};
use hamkor_store::SqliteStore;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "store_query.rs"]
mod query;
#[path = "store_run.rs"]
mod run_cmds;

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Read files, folders, RSS/Atom feeds and JSON lines into the store, coding each new document.
    ///
    /// Formats by extension: .txt .md (a leading "Title:" / "Date:" block is metadata), .html .htm,
    /// .pdf (text layer), .docx, .xml .rss .atom (one document per item), .jsonl .ndjson (the
    /// spec's input lines), and `-` for JSON lines on standard input. Folders are read
    /// recursively in name order; hidden entries are skipped.
    ///
    /// The same text found twice is one document with two sources. A run can be stopped at any
    /// moment: the store keeps whole documents only, and running the same command again
    /// finishes the job without duplicating anything. Ctrl-C stops after the files being read;
    /// a second Ctrl-C stops at once.
    ///
    /// Every file has budgets (size, text length, unpacked bytes, nesting depth, time, memory);
    /// HTML, PDF, DOCX and feeds are read in a separate process, so that a hostile file fails
    /// alone. A file the run was reading when it died (kill -9, out of memory) is recorded as
    /// failed on the next run and skipped while unchanged, like a file over its time or memory
    /// budget; --retry-failed reads those again. Symbolic links that lead out of a folder are
    /// not followed.
    ///
    /// Exit status: 0 all inputs stored; 1 some files failed (each named on stderr with the
    /// reason); 2 nothing could be done (store unusable, or no input exists); 130 stopped.
    Ingest(IngestArgs),
    /// Re-code every document coded with another lexicon version than this hamkor's.
    ///
    /// Resumable: each batch is committed with its new lexicon version, so a stopped run
    /// continues where it was.
    Recode(RecodeArgs),
    /// Full-text search over titles and texts, in any language.
    ///
    /// Uzbek in Cyrillic and in Latin script find each other ("hamkorlik" finds "ҳамкорлик").
    /// Every word must match; end a word with * to match it as a prefix (water*).
    Search(SearchArgs),
    /// List coded events, filtered by actor, pair, type, domain, dates and language.
    Events(EventsArgs),
    /// Print a document with its events, their evidence highlighted in the text.
    ///
    /// DOC is a document id, a prefix of its content hash, or a source path or URL. Evidence is
    /// highlighted in colour on a terminal, and marked [[like this]] otherwise.
    Show(ShowArgs),
    /// Print what the store holds: documents, events, failed files, by type and language;
    /// with a subcommand, the analysis: panel, compare, network, followthrough.
    #[command(args_conflicts_with_subcommands = true)]
    Stats(StatsArgs),
    /// Build a store from the bundled sample collection and print what was found.
    ///
    /// The samples go into the store named by --db, like every command's, so that search,
    /// events and show work on them afterwards; give another --db to keep them apart from your
    /// own collection. Running it again adds nothing.
    Demo(DemoArgs),
}

/// The store option every command shares.
#[derive(Args, Clone)]
pub struct DbArg {
    /// The store, one SQLite file (created if missing); the default is hamkor.db in the
    /// current directory.
    #[arg(long, env = "HAMKOR_DB", value_name = "PATH", default_value = "hamkor.db")]
    pub db: PathBuf,
}

#[derive(Args)]
pub struct IngestArgs {
    /// Files and folders to read; `-` reads JSON lines from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// Refuse files larger than this (JSON lines files are streamed and held to
    /// --max-text-len per line instead). Units: B, kB, MB, GB, KiB, MiB, GiB.
    #[arg(long, value_name = "SIZE", default_value = "50MB", value_parser = hamkor_ingest::parse_size)]
    pub max_file_size: u64,
    /// Refuse documents whose extracted text is longer than this.
    #[arg(long, value_name = "SIZE", default_value = "20MB", value_parser = hamkor_ingest::parse_size)]
    pub max_text_len: u64,
    /// Refuse files whose PDF streams or DOCX parts unpack to more than this.
    #[arg(long, value_name = "SIZE", default_value = "200MB", value_parser = hamkor_ingest::parse_size)]
    pub max_unpacked: u64,
    /// Give up on a file whose extraction takes longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub file_timeout: f64,
    /// Give up on a file whose extraction needs more memory than this.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = hamkor_ingest::parse_size)]
    pub max_memory: u64,
    /// Read again the files skipped as quarantined: those a run stopped in, and those over
    /// their time or memory budget.
    #[arg(long)]
    pub retry_failed: bool,
    /// Extraction and coding threads [default: one per core].
    #[arg(long, visible_alias = "threads", value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub jobs: usize,
}

#[derive(Args)]
pub struct RecodeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Coding threads [default: one per core].
    #[arg(long, visible_alias = "threads", value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub jobs: usize,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EventFormat {
    Table,
    Csv,
    Jsonl,
}

#[derive(Args)]
pub struct SearchArgs {
    /// What to look for (several words: all must match).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Only documents in this language (en ru uz kk ky tg tk).
    #[arg(long)]
    pub lang: Option<String>,
    /// table: for people; jsonl: one JSON object a line, matches marked [[like this]].
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Which events (events the text does not date use their document's date).
    #[command(flatten)]
    pub filter: crate::filter_args::FilterFlags,
    #[arg(long, value_enum, default_value = "table")]
    pub format: EventFormat,
}

#[derive(Args)]
pub struct ShowArgs {
    /// A document id, a content-hash prefix (6+ hex digits), or a source path or URL.
    #[arg(value_name = "DOC")]
    pub doc: String,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Print JSON: {"documents", "events", "failed_files", "events_by_type", ...}.
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub analysis: Option<crate::analysis_cmds::StatsCommand>,
}

#[derive(Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Build and print only; do not serve the dashboard (by default the demo serves it on
    /// http://127.0.0.1:8080/ until Ctrl-C).
    #[arg(long)]
    pub no_serve: bool,
    /// The sample collection [default: samples/demo of the source tree this hamkor was built
    /// from, else ./samples/demo].
    #[arg(long, value_name = "DIR")]
    pub samples: Option<PathBuf>,
}

pub fn run(cmd: StoreCommand) -> anyhow::Result<ExitCode> {
    let result = dispatch(cmd);
    // Output piped into `head` and closed early is the reader's choice, not a failure.
    if let Err(e) = &result {
        let closed = e
            .chain()
            .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
        if closed {
            return Ok(ExitCode::SUCCESS);
        }
    }
    result
}

fn dispatch(cmd: StoreCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StoreCommand::Ingest(a) => run_cmds::ingest(a),
        StoreCommand::Recode(a) => run_cmds::recode(a),
        StoreCommand::Demo(a) => run_cmds::demo(a),
        StoreCommand::Search(a) => query::search(a),
        StoreCommand::Events(a) => query::events(a),
        StoreCommand::Show(a) => query::show(a),
        StoreCommand::Stats(mut a) => match a.analysis.take() {
            Some(sub) => crate::analysis_cmds::run_stats(sub),
            None => query::stats(a),
        },
    }
}

/// Open the store, saying which file when it cannot be opened.
fn open_store(path: &Path) -> anyhow::Result<SqliteStore> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            anyhow::bail!("cannot open the store at {}: folder {} does not exist", path.display(), parent.display());
        }
    }
    Ok(hamkor_app::open_store(path)?)
}

/// Open a store that must already exist (queries never create an empty one by mistake).
fn open_existing(path: &Path) -> anyhow::Result<SqliteStore> {
    if !path.exists() {
        anyhow::bail!(
            "no store at {} (ingest something first: hamkor ingest --db {} FOLDER)",
            path.display(),
            path.display()
        );
    }
    open_store(path)
}
