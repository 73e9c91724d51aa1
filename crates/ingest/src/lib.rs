//! Files, feeds and JSON lines in; coded documents in the store out.
//!
//! ```text
//! walker ──paths, JSON-line chunks──▶ workers (N) ──WriteOps──▶ writer (calling thread) ──▶ Store
//!   │ sorted, recursive; skips files          read, extract, hash,      batches ops into one
//!   │ unchanged since their last ingest       detect, code              transaction per batch
//!   └──────────── FileStart / walk failures ──────────────────────────────▲
//! ```
//!
//! - **Bounded memory**: both channels are bounded, files are read only within
//!   `--max-file-size`, JSON lines are streamed line by line, directories are listed one at a time.
//! - **Crash safety**: a document, its source and its events are one `WriteOp`, and a batch of
//!   ops is one transaction; a file is marked done (path, mtime, size) in the transaction that
//!   stores its last document. A run killed at any moment leaves whole documents only, and the
//!   next run skips what is done, finds already-stored texts by hash before coding them, and
//!   stores the rest. Nothing is duplicated: documents are unique by content hash, sources by
//!   (document, location).
//! - **Bad input never stops the run**: every failure is reported through [`Progress::Failed`],
//!   recorded in the store's `failures`, and the run goes on. Only a store error ends it.
//!
//! The coder is pure; this crate is the thin adapter that feeds it and stores what it says.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

pub mod extract;
pub mod inflight;
mod jobs;
mod pipeline;
mod recode;
pub mod sandbox;
mod walk;

pub use extract::Budget;
pub use pipeline::ingest;
pub use recode::{recode, RecodeCounters, RecodeProgress};
pub use sandbox::Isolation;

/// Everything that can go wrong while ingesting: the per-file reasons (reported, and the run
/// goes on) and the store failure that ends a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] hamkor_store::Error),
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("no such file or directory")]
    NotFound,
    #[error("empty file")]
    Empty,
    #[error("file is {}, over the --max-file-size limit of {}", bytes(*size), bytes(*limit))]
    FileTooLarge { size: u64, limit: u64 },
    #[error("extracted text is {}, over the --max-text-len limit of {}", bytes(*len as u64), bytes(*limit as u64))]
    TextTooLong { len: usize, limit: usize },
    #[error("binary file (NUL byte at offset {0}), not text")]
    Binary(usize),
    #[error("invalid UTF-8 at byte {0} in text that is otherwise UTF-8 (a damaged file?)")]
    InvalidUtf8(usize),
    #[error("{0}")]
    InvalidText(String),
    #[error("no text: {0}")]
    NoText(String),
    #[error("{0}, not a document hamkor reads")]
    NotADocument(String),
    #[error("unsupported file type ({0}); hamkor reads {exts}", exts = extract::SUPPORTED_EXTENSIONS)]
    Unsupported(String),
    #[error("corrupt PDF: {0}")]
    CorruptPdf(String),
    #[error("encrypted PDF: it needs a password to open, and hamkor does not decrypt documents")]
    EncryptedPdf,
    #[error("not a DOCX: the file is not a ZIP archive ({0})")]
    DocxNotZip(String),
    #[error("not a DOCX: the archive has no word/document.xml")]
    DocxNoDocument,
    #[error("malformed DOCX: {0}")]
    DocxMalformed(String),
    #[error("not a readable RSS or Atom feed: {0}")]
    Feed(String),
    #[error("bad JSON line: {0}")]
    JsonLine(String),
    #[error("line is longer than the --max-text-len limit of {}", bytes(*limit as u64))]
    LineTooLong { limit: usize },
    #[error("{what} nested deeper than {limit} levels (a budget per file: deeper nesting only serves to exhaust parsers)")]
    TooDeep { what: &'static str, limit: usize },
    #[error("{what} unpack to more than {} (the --max-unpacked budget per file; a decompression bomb?)", bytes(*limit))]
    TooMuchUnpacked { what: &'static str, limit: u64 },
    #[error("symbolic link loop: leads back to {}", .0.display())]
    SymlinkLoop(PathBuf),
    #[error("broken symbolic link")]
    BrokenLink,
    #[error("not a regular file or directory")]
    NotAFile,
    #[error("internal error while {stage} (please report it with the file): {message}")]
    Panic { stage: &'static str, message: String },
    /// A reason given by the extraction process, already worded.
    #[error("{0}")]
    Extraction(String),
    #[error("took longer than {} s to extract (the --file-timeout budget per file)", .limit.as_secs_f64())]
    Timeout { limit: Duration },
    #[error("needed more than {} of memory to extract (the budget for a file of its size: 256 MiB and 8 bytes per byte of the file, at most --max-memory)", bytes(*limit))]
    OutOfMemory { limit: u64 },
    #[error("the extraction process crashed on this file: {0}")]
    Crashed(String),
    #[error("extraction process: {0}")]
    Isolation(String),
    #[error("an earlier ingest stopped while reading this (killed, out of memory or crashed); skipped so that it cannot stop this run too")]
    Interrupted,
    #[error("symbolic link to {}, outside the folder being ingested: not followed", .0.display())]
    LinkLeavesFolder(PathBuf),
    #[error("stopped")]
    Stopped,
    #[error("the store was already busy or failed: {0}")]
    Aborted(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// `1.5 MB (1500000 bytes)`: decimal units, as file managers show them, plus the exact count.
pub fn bytes(n: u64) -> String {
    let units = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")];
    for (scale, unit) in units {
        if n as f64 >= scale {
            return format!("{:.1} {unit} ({n} bytes)", n as f64 / scale);
        }
    }
    format!("{n} bytes")
}

/// Parse `50MB`, `20 MiB`, `1.5G`, `300k`, `1000` (bytes) for the limit options.
pub fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: f64 = num.parse().map_err(|_| format!("{s:?} is not a size (try 50MB, 20MiB, 500k)"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown size unit {other:?} in {s:?} (use B, kB, MB, GB, KiB, MiB, GiB)")),
    };
    Ok((num * mult).round() as u64)
}

/// What to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a directory (read recursively, in sorted order, hidden entries skipped).
    Path(PathBuf),
    /// JSON lines on standard input.
    Stdin,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this are refused unread. JSON lines files are exempt: they are
    /// streamed, and each line is held to `budget.max_text_len`.
    pub max_file_size: u64,
    /// Text length, unpacked bytes and nesting depth allowed per file.
    pub budget: Budget,
    /// Time allowed to extract one file (enforced when extraction is isolated).
    pub file_timeout: Duration,
    /// Most memory allowed to extract one file (enforced when extraction is isolated; smaller
    /// files get less, see [`sandbox::memory_budget`]); 0: no limit.
    pub max_memory: u64,
    /// Where HTML, PDF, DOCX and feeds are extracted.
    pub isolation: Isolation,
    /// Extraction and coding threads; 0 = one per core.
    pub workers: usize,
    /// Paths never to ingest (the store's own files, when they live in the ingested folder).
    pub exclude: Vec<PathBuf>,
    /// The in-flight journal folder (see [`inflight`]); `None` runs without one.
    pub journal: Option<PathBuf>,
    /// Read quarantined files again (files an earlier run stopped in or that ran out of a
    /// time or memory budget).
    pub retry_failed: bool,
    /// Set to stop politely: no new file is started, finished ones are kept.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: 50_000_000,
            budget: Budget::default(),
            file_timeout: Duration::from_secs(30),
            max_memory: 1 << 30,
            isolation: Isolation::InProcess,
            workers: 0,
            exclude: vec![],
            journal: None,
            retry_failed: false,
            stop: None,
        }
    }
}

/// Running totals, passed to the observer after every commit.
#[derive(Debug, Clone, Default)]
pub struct Counters {
    /// Files (and standard input) looked at.
    pub files: u64,
    /// Files skipped because they are unchanged since a run that stored all of them.
    pub files_unchanged: u64,
    /// Documents found in the inputs (new or already stored).
    pub documents_seen: u64,
    pub documents_new: u64,
    /// Documents whose text was already stored (only a source was added, if new).
    pub documents_known: u64,
    pub events: u64,
    /// Failures reported: whole files, or items (lines, feed entries) inside them.
    pub failures: u64,
    /// Named inputs that do not exist.
    pub missing_inputs: u64,
    /// Quarantined files (or ranges of lines) skipped; counted in `failures` too.
    pub skipped: u64,
}

/// What the observer is told, on the calling thread.
#[derive(Debug)]
pub enum Progress<'a> {
    /// `path` (with `item`, a line or feed item, when not the whole file) could not be ingested.
    Failed { path: &'a str, item: &'a str, error: &'a str },
    /// A document of `path` was stored, but something about it is not as it should be (a date
    /// that is not one, an encoding that was guessed).
    Warning { path: &'a str, item: &'a str, message: &'a str },
    /// A batch was committed, or half a second passed: the totals so far.
    Tick(&'a Counters),
}

/// The end of a run.
#[derive(Debug, Clone)]
pub struct Summary {
    pub counters: Counters,
    pub elapsed: std::time::Duration,
    /// The run was stopped politely before it finished ([`Options::stop`]).
    pub stopped: bool,
}

impl Summary {
    /// True when no named input existed: nothing could be done at all.
    pub fn nothing_to_do(&self, inputs: usize) -> bool {
        inputs > 0 && self.counters.missing_inputs as usize == inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("50MB"), Ok(50_000_000));
        assert_eq!(parse_size("20 MiB"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("1.5k"), Ok(1500));
        assert_eq!(parse_size("123"), Ok(123));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert_eq!(bytes(2_100_000), "2.1 MB (2100000 bytes)");
        assert_eq!(bytes(12), "12 bytes");
    }
}
