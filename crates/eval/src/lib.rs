//! Validation of the coder against events a person coded by hand ("gold").
//!
//! Content analysts check an automated coder on a sample they coded themselves; this crate does
//! the arithmetic. It reads gold and system lines (`{"id", "events": [...]}`, the shape of
//! `../shared/spec/events.md`), matches them with exactly the rules of `../shared/eval/score.py`
//! and reports the same figures, plus the events behind the errors:
//!
//! - [`DocSet::parse`] reads gold or system lines, [`Corpus::parse`] the coder's input lines
//!   (for each document's language and text). A malformed line, an unknown type or domain and a
//!   bad actor code or date are errors that name the file and the line.
//! - [`score`] matches per document, one-to-one and greedily (see [`matching`]), and tallies
//!   precision, recall and F1 overall, by type and by language; domain agreement over the
//!   matched pairs; the same with dates ignored; and the missed and false events.
//! - [`render_text`] prints the figures exactly as score.py does (so a script reading one reads
//!   the other), then the missed and false events with their evidence; [`to_json`] gives the same
//!   as JSON (score.py's keys, and more).
//! - [`GoldLine`] is one line of a gold file, as `hamkor export --format gold` writes it.
//!
//! Invariant: no I/O. Files are read and stores are opened by the caller (crates/cli); this
//! crate takes their text and gives back numbers and lines.

mod input;
pub mod matching;
mod render;
mod score;

pub use input::{Corpus, CorpusEntry, DocSet, Document, GoldEvent, GoldLine, Role};
pub use render::{evidence_text, figures_text, render_text, summary_line, to_json, Texts};
pub use score::{score, Miss, Near, NotScored, Prf, Scores, Tally};

/// What can be wrong with an input file. Every variant names the file and the line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("{file}:{line}: bad JSON in {role}: {message}")]
    BadJson { file: String, line: usize, role: Role, message: String },
    #[error("{file}:{line}: {role} line {message}")]
    BadLine { file: String, line: usize, role: Role, message: String },
    #[error("{file}:{line}: {role} {id}, event {index}: {message}")]
    BadEvent { file: String, line: usize, role: Role, id: String, index: usize, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;
