//! What the walker hands the workers ([`Job`]) and what the workers hand the writer ([`Msg`]):
//! the messages of the pipeline's channels, below both the walker (`walk.rs`) and the pipeline
//! (`pipeline.rs`), so that neither needs the other's internals.

use crate::extract::Format;
use hamkor_store::WriteOp;
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) enum Job {
    File { path: PathBuf, key: String, format: Format, mtime_ns: i64, size: u64 },
    Lines(LinesJob),
}

pub(crate) struct LinesJob {
    /// The file's key (absolute path, or `<stdin>`): failures are recorded under it.
    pub key: Arc<str>,
    /// Sources are `prefix:line`.
    pub location_prefix: Arc<str>,
    pub lines: Vec<(u64, Vec<u8>)>,
    /// The file's mtime and size (not for standard input): its in-flight journal entry.
    pub file: Option<(i64, u64)>,
}

impl LinesJob {
    /// `lines A-B`: how a chunk is named in the journal and the quarantine.
    pub fn item(&self) -> String {
        match (self.lines.first(), self.lines.last()) {
            (Some((a, _)), Some((b, _))) => format!("lines {a}-{b}"),
            _ => "lines".into(),
        }
    }
}

/// Something the user should know about a document that was stored anyway.
pub(crate) struct Warning {
    pub path: String,
    pub item: String,
    pub message: String,
}

pub(crate) enum Msg {
    /// Operations to apply together: all of one file, or one chunk of a JSON lines stream.
    Ops {
        ops: Vec<WriteOp>,
        chunk_of: Option<Arc<str>>,
        warnings: Vec<Warning>,
    },
    /// A file or range of lines skipped because it is quarantined (already recorded as failed).
    Skipped {
        path: String,
        item: String,
        reason: String,
    },
    /// A JSON lines stream starts: its earlier failures are forgotten.
    LinesBegin {
        key: Arc<str>,
    },
    /// A JSON lines stream was cut into `chunks` jobs; once all are in, and none failed, the
    /// file is done (when it is a file: `done` holds its mtime and size).
    LinesEnd {
        key: Arc<str>,
        chunks: u64,
        done: Option<(i64, u64)>,
    },
    Counted {
        files: u64,
        unchanged: u64,
    },
    /// A named input does not exist (reported, not recorded: it is not a file that failed).
    Missing {
        path: String,
    },
    /// The store failed under a reader: the run cannot go on.
    Fatal(String),
}

