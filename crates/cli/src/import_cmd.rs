//! `hamkor import events EVENTS [--input INPUT]`: events coded on Spark (by
//! `scripts/spark/hamkor_code.py`, docs/scale.md) taken back into a store, so that review, the
//! dashboard, the analysis and the report work on them.
//!
//! - With `--input` (the JSON lines or Parquet the Spark job read), every input document is stored
//!   with its events through the store's write path, as `hamkor ingest` stores a JSON line: one
//!   `WriteOp::Document` each (document, source and events in one transaction), documents unique
//!   by content hash. A document already stored gains at most a source: a second import adds
//!   nothing, and a stopped import finishes when run again.
//! - Without it, the events replace those of documents already in the store, found by the id of
//!   the line they were ingested from (`WriteOp::Recoded`, the path of `hamkor recode`, which keeps
//!   what reviewers decided). A document already coded with the events' lexicon is left alone.
//!
//! Every event is checked before it is stored: a known type, actor codes, domains and date, and an
//! evidence span that lies on character boundaries of the document's text and holds the evidence
//! text Spark cut from it (so events are never attached to a different text of the same id). A
//! document with a bad event is named with the reason, recorded in the store's failures and
//! skipped whole (never stored with some of its events); the rest goes on. Then reports are linked
//! to the registry and merged, as after an ingest.

use anyhow::{bail, Context};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use clap::{Args, Subcommand};
use hamkor_model::{ActorCode, Cue, Domain, Event, EventType, PartialDate, Span};
use hamkor_store::{NewDocument, Source, SqliteStore, Store, WriteOp};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Load events coded on Spark (scripts/spark/hamkor_code.py) into the store.
    ///
    /// EVENTS is the job's Parquet output (a file or its folder; names starting with _ or . are
    /// skipped, as Spark does). With --input (the JSON lines or Parquet the job read), the
    /// documents are stored with their events; without it, the events replace those of documents
    /// already stored, found by their input id. Running it again adds nothing.
    ///
    /// Exit status: 0 everything imported; 1 some documents were skipped (each named on stderr
    /// with the reason); 2 nothing could be done.
    Events(ImportEventsArgs),
    /// Take back a REFI-QDA project (.qdpx) coded in NVivo, ATLAS.ti, MAXQDA or QualCoder.
    ///
    /// Each text source is matched to a stored document by the hash of its text (or the hash
    /// `hamkor export --format qdpx` recorded); each selection becomes the reviewer's coding of
    /// that stretch of text: the event type coded on it (none: no event there), its domains, its
    /// actors (actor codes, else the actors variable of its case) and the date variable.
    /// `hamkor review alpha` then compares them. Running it again changes nothing.
    ///
    /// Exit status: 0 everything taken; 1 some sources or selections were skipped (each named on
    /// stderr with the reason); 2 nothing could be done.
    Qdpx(crate::interop_cmds::QdpxArgs),
    /// Import GDELT 2.0 event exports (61 tab-separated columns, .CSV or zipped): the rows where
    /// an actor is one of the five Central Asian states (CAMEO country codes), typed by the CAMEO
    /// code (agreement, meeting, partnership, joint_activity, aid, else other), with their source
    /// URL and Goldstein score, kept apart from coded events.
    ///
    /// Malformed rows are named with their line and skipped; running it again adds nothing.
    /// Exit status: 0 every row read; 1 some rows or files were skipped.
    Gdelt(crate::interop_cmds::DatasetArgs),
    /// Import ACLED CSV exports: the rows in or naming the five Central Asian states, with event
    /// type, actors, country (iso), date and fatalities, kept apart from coded events.
    ///
    /// Malformed rows are named with their line and skipped; running it again adds nothing.
    /// Exit status: 0 every row read; 1 some rows or files were skipped.
    Acled(crate::interop_cmds::DatasetArgs),
}

#[derive(Args)]
pub struct ImportEventsArgs {
    /// The Spark job's output: a Parquet file or a folder of them.
    #[arg(value_name = "EVENTS")]
    pub events: PathBuf,
    /// The documents the job coded, as it read them (JSON lines, or Parquet with id and text
    /// columns; a file or a folder of them): store them too.
    #[arg(long, value_name = "INPUT")]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub db: crate::store_cmds::DbArg,
}

pub fn run(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Events(a) => import_events(a),
        ImportCommand::Qdpx(a) => crate::interop_cmds::import_qdpx(a),
        ImportCommand::Gdelt(a) => crate::interop_cmds::import_dataset(hamkor_model::ImportSource::Gdelt, a),
        ImportCommand::Acled(a) => crate::interop_cmds::import_dataset(hamkor_model::ImportSource::Acled, a),
    }
}

/// Operations per transaction, and text per transaction: as ingest batches them.
const BATCH_DOCS: usize = 500;
const BATCH_BYTES: usize = 8 << 20;

/// One event as the Spark job wrote it.
struct Coded {
    event: Event,
    /// The export's evidence text (whitespace folded), to check the span against the text.
    evidence: Option<String>,
}

/// The events of one document, or why they cannot be stored.
#[derive(Default)]
struct DocEvents {
    events: Vec<Coded>,
    lexicon: Option<String>,
    bad: Option<String>,
}

struct Import<'a> {
    store: &'a mut SqliteStore,
    /// The events' file or folder, as failures are recorded under it.
    key: String,
    ops: Vec<WriteOp>,
    bytes: usize,
    failed: u64,
    added: hamkor_store::Applied,
    progress: Progress,
}

impl Import<'_> {
    fn fail(&mut self, item: &str, reason: String) {
        self.failed += 1;
        self.progress.line(&format!("hamkor: {}: {item}: {reason}", self.key));
        self.ops.push(WriteOp::Failure { path: self.key.clone(), item: item.to_string(), reason });
    }

    fn push(&mut self, op: WriteOp, text_len: usize) -> anyhow::Result<()> {
        self.ops.push(op);
        self.bytes += text_len;
        if self.ops.len() >= BATCH_DOCS || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if !self.ops.is_empty() {
            let applied = self.store.apply(&self.ops)?;
            self.added.add(applied);
            self.ops.clear();
            self.bytes = 0;
        }
        let a = &self.added;
        self.progress.status(format!(
            "{} documents ({} new, {} already stored, {} re-coded), {} events, {} skipped",
            a.documents_added + a.documents_known + a.recoded,
            a.documents_added,
            a.documents_known,
            a.recoded,
            a.events_added,
            self.failed
        ));
        Ok(())
    }
}

fn import_events(a: ImportEventsArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let files = parquet_files(&a.events)?;
    let key = std::path::absolute(&a.events).unwrap_or_else(|_| a.events.clone()).display().to_string();
    let mut bad_rows = Vec::new();
    let mut docs = read_events(&files, &mut bad_rows)?;
    // A document without events says nothing of its lexicon: it takes the run's (one binary
    // codes a whole Spark run); with none or several, "unknown", which `hamkor recode` redoes.
    let lexicons: HashSet<&str> = docs.values().filter_map(|d| d.lexicon.as_deref()).collect();
    let run_lexicon = if lexicons.len() == 1 {
        lexicons.into_iter().next().unwrap_or_default().to_string()
    } else {
        "unknown".into()
    };

    let mut store = hamkor_app::open_store(&a.db.db).with_context(|| format!("opening {}", a.db.db.display()))?;
    let mut imp = Import {
        store: &mut store,
        // Forget what earlier imports of these events recorded as failed: they are read again.
        ops: vec![WriteOp::FileStart { path: key.clone() }],
        key,
        bytes: 0,
        failed: 0,
        added: Default::default(),
        progress: Progress::new(),
    };
    for (item, reason) in bad_rows {
        imp.fail(&item, reason);
    }
    match &a.input {
        Some(input) => with_input(&mut imp, input, &mut docs, &run_lexicon)?,
        None => onto_stored(&mut imp, &mut docs)?,
    }
    let mut left: Vec<(String, DocEvents)> = docs.into_iter().collect();
    left.sort_by(|x, y| x.0.cmp(&y.0));
    for (id, d) in left {
        let why = match (&a.input, d.bad) {
            (_, Some(bad)) => bad,
            (Some(input), None) => {
                format!("{} events of a document that is not in {}", d.events.len(), input.display())
            }
            (None, None) => unreachable!("every document is taken or named without --input"),
        };
        imp.fail(&format!("document {id}"), why);
    }
    imp.flush()?;
    imp.progress.finish();
    let (added, failed) = (imp.added, imp.failed);
    eprintln!(
        "hamkor: import: {} documents ({} new, {} already stored, {} re-coded), {} events added, {} skipped, in {:.1} s",
        added.documents_added + added.documents_known + added.recoded,
        added.documents_added,
        added.documents_known,
        added.recoded,
        added.events_added,
        failed,
        started.elapsed().as_secs_f64()
    );
    // Link and merge what was written, as ingest does after writing.
    crate::registry_cmds::refresh_after(&store)?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The Parquet files of a dataset: the file itself, or every `*.parquet` under the folder, in
/// name order, skipping names that start with `_` or `.` (Spark's markers and side outputs).
fn parquet_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        bail!("{}: no such file or folder", path.display());
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = entry?.path();
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if name.starts_with(['_', '.']) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        bail!("{}: no Parquet files in the folder", path.display());
    }
    Ok(out)
}

/// Read every event, grouped by document id in the order they were written (the coder's order).
/// Rows that cannot be events mark their document bad; `bad_rows` gets rows without a document.
fn read_events(files: &[PathBuf], bad_rows: &mut Vec<(String, String)>) -> anyhow::Result<HashMap<String, DocEvents>> {
    const COLUMNS: &[&str] = &[
        "document_id",
        "type",
        "actors",
        "domains",
        "date",
        "date_from_document",
        "evidence_start",
        "evidence_end",
        "confidence",
        "cues",
        "lexicon",
        "evidence",
    ];
    let mut docs: HashMap<String, DocEvents> = HashMap::new();
    for file in files {
        let name = file.display().to_string();
        let mut row_no = 0usize;
        for batch in read_parquet(file, COLUMNS, &["evidence", "cues", "confidence"])? {
            let batch = batch.with_context(|| format!("{name}: unreadable Parquet"))?;
            let col = |n: &str| batch.column_by_name(n).cloned();
            let doc_ids = strings(&need(&batch, "document_id", &name)?)?;
            let types = strings(&need(&batch, "type", &name)?)?;
            let actors = string_lists(&need(&batch, "actors", &name)?)?;
            let domains = string_lists(&need(&batch, "domains", &name)?)?;
            let dates = strings(&need(&batch, "date", &name)?)?;
            let from_doc = bools(&need(&batch, "date_from_document", &name)?)?;
            let starts = ints(&need(&batch, "evidence_start", &name)?)?;
            let ends = ints(&need(&batch, "evidence_end", &name)?)?;
            let lexicons = strings(&need(&batch, "lexicon", &name)?)?;
            let confidence = col("confidence").map(|c| floats(&c)).transpose()?;
            let cues = col("cues").map(|c| cue_lists(&c)).transpose()?;
            let evidence = col("evidence").map(|c| string_lists(&c)).transpose()?;
            for k in 0..batch.num_rows() {
                row_no += 1;
                let Some(doc_id) = doc_ids[k].clone() else {
                    bad_rows.push((format!("{name}: row {row_no}"), "an event without a document_id".into()));
                    continue;
                };
                let entry = docs.entry(doc_id).or_default();
                if entry.bad.is_some() {
                    continue;
                }
                let event = (|| -> Result<Event, String> {
                    let t: EventType = types[k].as_deref().ok_or("no type")?.parse().map_err(|e| format!("{e}"))?;
                    let mut a: Vec<ActorCode> = actors[k]
                        .iter()
                        .map(|s| ActorCode::new(s))
                        .collect::<Result<_, _>>()
                        .map_err(|e| e.to_string())?;
                    a.sort();
                    a.dedup();
                    if a.len() < 2 {
                        return Err(format!("{} actors (an event has at least two)", a.len()));
                    }
                    let mut d: Vec<Domain> = domains[k]
                        .iter()
                        .map(|s| s.parse())
                        .collect::<Result<_, _>>()
                        .map_err(|e: hamkor_model::Error| e.to_string())?;
                    d.dedup();
                    if d.is_empty() {
                        return Err("no domain".into());
                    }
                    // A date the job took from the document is not the coder's: the store keeps
                    // the coder's, and the document's publication date beside it.
                    let date = match (&dates[k], from_doc[k]) {
                        (Some(s), Some(false) | None) => Some(s.parse::<PartialDate>().map_err(|e| e.to_string())?),
                        _ => None,
                    };
                    let (s, e) = (starts[k].ok_or("no evidence_start")?, ends[k].ok_or("no evidence_end")?);
                    if s < 0 || e < s {
                        return Err(format!("evidence span {s}..{e} is not a span"));
                    }
                    let lexicon = lexicons[k].clone().unwrap_or_default();
                    Ok(Event {
                        event_type: t,
                        actors: a,
                        domains: d,
                        date,
                        evidence: Span::new(s as usize, e as usize),
                        confidence: confidence.as_ref().and_then(|c| c[k]).unwrap_or(0.0) as f32,
                        cues: cues.as_ref().map(|c| c[k].clone()).unwrap_or_default(),
                        lexicon,
                    })
                })();
                match event {
                    Ok(ev) => {
                        if entry.lexicon.as_deref().is_some_and(|l| l != ev.lexicon) {
                            entry.bad = Some(format!(
                                "events coded with two lexicons ({} and {}): one document's events come from one run",
                                entry.lexicon.as_deref().unwrap_or_default(),
                                ev.lexicon
                            ));
                            continue;
                        }
                        entry.lexicon = Some(ev.lexicon.clone());
                        let text = evidence.as_ref().and_then(|v| v[k].first().cloned());
                        entry.events.push(Coded { event: ev, evidence: text });
                    }
                    Err(why) => entry.bad = Some(format!("{name}: row {row_no}: {why}")),
                }
            }
        }
    }
    Ok(docs)
}

fn read_parquet(
    file: &Path,
    wanted: &[&str],
    optional: &[&str],
) -> anyhow::Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader> {
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(f)
        .with_context(|| format!("{}: not a Parquet file", file.display()))?;
    let fields = builder.schema().fields().clone();
    let mut roots = Vec::new();
    for name in wanted {
        match fields.iter().position(|f| f.name() == name) {
            Some(i) => roots.push(i),
            None if optional.contains(name) => {}
            None => bail!(
                "{}: no column {name:?} (expected the output of scripts/spark/hamkor_code.py, or input with id and text)",
                file.display()
            ),
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    Ok(builder.with_projection(mask).with_batch_size(8192).build()?)
}

fn need(batch: &RecordBatch, name: &str, file: &str) -> anyhow::Result<ArrayRef> {
    batch.column_by_name(name).cloned().with_context(|| format!("{file}: no column {name:?}"))
}

/// A column as optional strings (dates written as Parquet dates, and numbers, as text).
fn strings(a: &ArrayRef) -> anyhow::Result<Vec<Option<String>>> {
    let n = a.len();
    let get = |k: usize| a.is_valid(k);
    Ok(match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().iter().map(|s| s.map(String::from)).collect(),
        DataType::LargeUtf8 => a.as_string::<i64>().iter().map(|s| s.map(String::from)).collect(),
        DataType::Utf8View => a.as_string_view().iter().map(|s| s.map(String::from)).collect(),
        DataType::Date32 => {
            let d = a.as_primitive::<arrow_array::types::Date32Type>();
            (0..n).map(|k| get(k).then(|| PartialDate::from_days(d.value(k) as i64).to_string())).collect()
        }
        DataType::Int64 => {
            let d = a.as_primitive::<Int64Type>();
            (0..n).map(|k| get(k).then(|| d.value(k).to_string())).collect()
        }
        DataType::Int32 => {
            let d = a.as_primitive::<Int32Type>();
            (0..n).map(|k| get(k).then(|| d.value(k).to_string())).collect()
        }
        other => bail!("a text column is {other}"),
    })
}

fn string_lists(a: &ArrayRef) -> anyhow::Result<Vec<Vec<String>>> {
    let lists: Vec<Option<ArrayRef>> = match a.data_type() {
        DataType::List(_) => a.as_list::<i32>().iter().collect(),
        DataType::LargeList(_) => a.as_list::<i64>().iter().collect(),
        other => bail!("a list column is {other}"),
    };
    lists
        .into_iter()
        .map(|l| Ok(l.map(|v| strings(&v)).transpose()?.unwrap_or_default().into_iter().flatten().collect()))
        .collect()
}

fn ints(a: &ArrayRef) -> anyhow::Result<Vec<Option<i64>>> {
    Ok(match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().collect(),
        DataType::Int32 => a.as_primitive::<Int32Type>().iter().map(|v| v.map(i64::from)).collect(),
        other => bail!("an integer column is {other}"),
    })
}

fn floats(a: &ArrayRef) -> anyhow::Result<Vec<Option<f64>>> {
    Ok(match a.data_type() {
        DataType::Float64 => a.as_primitive::<Float64Type>().iter().collect(),
        DataType::Float32 => a.as_primitive::<Float32Type>().iter().map(|v| v.map(f64::from)).collect(),
        other => bail!("a number column is {other}"),
    })
}

fn bools(a: &ArrayRef) -> anyhow::Result<Vec<Option<bool>>> {
    match a.data_type() {
        DataType::Boolean => Ok(a.as_boolean().iter().collect()),
        other => bail!("a true/false column is {other}"),
    }
}

/// `cues`: lists of {role, start, end}.
fn cue_lists(a: &ArrayRef) -> anyhow::Result<Vec<Vec<Cue>>> {
    let lists: Vec<Option<ArrayRef>> = match a.data_type() {
        DataType::List(_) => a.as_list::<i32>().iter().collect(),
        DataType::LargeList(_) => a.as_list::<i64>().iter().collect(),
        other => bail!("the cues column is {other}"),
    };
    let mut out = Vec::with_capacity(lists.len());
    for l in lists {
        let mut cues = Vec::new();
        if let Some(v) = l {
            let s = v.as_struct_opt().context("cues are not {role, start, end}")?;
            let field = |n: &str| s.column_by_name(n).cloned().with_context(|| format!("cues have no {n}"));
            let (roles, starts, ends) = (strings(&field("role")?)?, ints(&field("start")?)?, ints(&field("end")?)?);
            for k in 0..s.len() {
                if let (Some(role), Some(a), Some(b)) = (&roles[k], starts[k], ends[k]) {
                    if 0 <= a && a <= b {
                        cues.push(Cue { role: role.clone(), span: Span::new(a as usize, b as usize) });
                    }
                }
            }
        }
        out.push(cues);
    }
    Ok(out)
}

/// The export's evidence text: whitespace runs folded to one space (crates/export `one_line`).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Check the events against the text they were coded from.
fn check_spans(text: &str, events: &[Coded]) -> Result<(), String> {
    for c in events {
        let span = c.event.evidence;
        let Some(cut) = span.slice(text) else {
            return Err(format!(
                "evidence {}..{} is outside the text or not on character boundaries ({} bytes): not the text that was coded",
                span.start,
                span.end,
                text.len()
            ));
        };
        if let Some(want) = &c.evidence {
            if one_line(cut) != *want {
                return Err(format!(
                    "the text at evidence {}..{} is not the evidence Spark cut: not the text that was coded",
                    span.start, span.end
                ));
            }
        }
        for cue in &c.event.cues {
            if cue.span.slice(text).is_none() {
                return Err(format!("a cue at {}..{} is outside the text", cue.span.start, cue.span.end));
            }
        }
    }
    Ok(())
}

/// One input document, as the Spark job read it.
struct InputDoc {
    /// `path:line` (JSON lines) or `path#row` (Parquet): where it was read, its source.
    location: String,
    id: Option<String>,
    text: Option<String>,
    lang: Option<String>,
    date: Option<String>,
    title: Option<String>,
    /// `jsonl` or `parquet`, as the store records a document's format.
    format: &'static str,
}

fn with_input(
    imp: &mut Import<'_>,
    input: &Path,
    docs: &mut HashMap<String, DocEvents>,
    run_lexicon: &str,
) -> anyhow::Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut each = |imp: &mut Import<'_>, d: InputDoc| -> anyhow::Result<()> {
        let Some(id) = d.id else {
            imp.fail(&d.location, "a document without an id (the Spark job did not code it)".into());
            return Ok(());
        };
        if !seen.insert(id.clone()) {
            imp.fail(&d.location, format!("id {id:?} again: ids must be unique for events to find their document"));
            return Ok(());
        }
        let mine = docs.remove(&id).unwrap_or_default();
        if let Some(bad) = mine.bad {
            imp.fail(&format!("document {id}"), bad);
            return Ok(());
        }
        let Some(text) = d.text.filter(|t| !t.trim().is_empty()) else {
            // Nothing to store: ingest refuses an empty document the same way.
            imp.fail(&format!("document {id}"), "the document has no text".into());
            return Ok(());
        };
        let published = match d.date.as_deref() {
            None => None,
            Some(s) => match s.parse::<PartialDate>() {
                Ok(p) => Some(p),
                Err(e) => {
                    imp.fail(&format!("document {id}"), format!("{e}: the Spark job did not code it"));
                    return Ok(());
                }
            },
        };
        let content_hash = hex(&Sha256::digest(text.as_bytes()));
        let source = Source { location: d.location, external_id: Some(id.clone()) };
        if imp.store.document_id_by_hash(&content_hash)?.is_some() {
            return imp.push(WriteOp::Source { content_hash, source }, 0);
        }
        if let Err(why) = check_spans(&text, &mine.events) {
            imp.fail(&format!("document {id}"), why);
            return Ok(());
        }
        let detected = hamkor_text::detect(&text);
        let lang = d.lang.as_deref().and_then(declared_lang).unwrap_or_else(|| detected.lang.to_string());
        let len = text.len();
        let doc = NewDocument {
            content_hash,
            title: d.title.filter(|t| !t.trim().is_empty()).or_else(|| hamkor_ingest::extract::first_line_title(&text)),
            published,
            lang,
            script: detected.script.to_string(),
            format: d.format.to_string(),
            text,
            source,
            lexicon: mine.lexicon.unwrap_or_else(|| run_lexicon.to_string()),
            events: mine.events.into_iter().map(|c| c.event).collect(),
        };
        imp.push(WriteOp::Document(Box::new(doc)), len)
    };
    for (file, is_parquet) in input_files(input)? {
        let abs = std::path::absolute(&file).unwrap_or_else(|_| file.clone()).display().to_string();
        if is_parquet {
            let name = file.display().to_string();
            let mut row = 0usize;
            for batch in read_parquet(
                &file,
                &["id", "text", "lang", "date", "source", "title"],
                &["lang", "date", "source", "title"],
            )? {
                let batch = batch.with_context(|| format!("{name}: unreadable Parquet"))?;
                let col = |n: &str| -> anyhow::Result<Vec<Option<String>>> {
                    match batch.column_by_name(n) {
                        Some(c) => strings(c).with_context(|| format!("{name}: column {n}")),
                        None => Ok(vec![None; batch.num_rows()]),
                    }
                };
                let (ids, texts, langs, dates, titles) =
                    (col("id")?, col("text")?, col("lang")?, col("date")?, col("title")?);
                for k in 0..batch.num_rows() {
                    row += 1;
                    let d = InputDoc {
                        location: format!("{abs}#{row}"),
                        id: ids[k].clone(),
                        text: texts[k].clone(),
                        lang: langs[k].clone(),
                        date: dates[k].clone(),
                        title: titles[k].clone(),
                        format: "parquet",
                    };
                    each(imp, d)?;
                }
            }
        } else {
            let reader = std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
            let mut line_no = 0usize;
            for line in BufReader::with_capacity(1 << 20, reader).split(b'\n') {
                let line = line.with_context(|| format!("reading {}", file.display()))?;
                line_no += 1;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let location = format!("{abs}:{line_no}");
                match serde_json::from_slice::<InputLine>(&line) {
                    Ok(l) => {
                        let id = l.id.map(|v| match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        });
                        let d = InputDoc {
                            location,
                            id,
                            text: l.text,
                            lang: l.lang,
                            date: l.date,
                            title: l.title,
                            format: "jsonl",
                        };
                        each(imp, d)?;
                    }
                    Err(e) => imp.fail(&location, format!("bad JSON line: {e} (the Spark job did not code it)")),
                }
            }
        }
    }
    Ok(())
}

/// The files of the job's input, each with whether it is Parquet: the file itself, or the
/// Parquet and JSON lines files (`.jsonl`, `.ndjson`, `.json`) under the folder, in name order.
fn input_files(input: &Path) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let is_parquet = |p: &Path| p.extension().is_some_and(|e| e == "parquet");
    if input.is_file() {
        return Ok(vec![(input.to_path_buf(), is_parquet(input))]);
    }
    if !input.is_dir() {
        bail!("{}: no such file or folder", input.display());
    }
    let mut out = Vec::new();
    let mut stack = vec![input.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = entry?.path();
            if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(['_', '.'])) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if is_parquet(&p) || p.extension().is_some_and(|e| e == "jsonl" || e == "ndjson" || e == "json") {
                let parquet = is_parquet(&p);
                out.push((p, parquet));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        bail!("{}: no Parquet or JSON lines files in the folder", input.display());
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
struct InputLine {
    id: Option<serde_json::Value>,
    text: Option<String>,
    lang: Option<String>,
    date: Option<String>,
    title: Option<String>,
}

/// Without the input: the events replace those of the stored documents their ids name.
fn onto_stored(imp: &mut Import<'_>, docs: &mut HashMap<String, DocEvents>) -> anyhow::Result<()> {
    let by_id = imp.store.documents_by_external_id()?;
    let mut ids: Vec<String> = docs.keys().filter(|k| docs[*k].bad.is_none()).cloned().collect();
    ids.sort();
    for id in ids {
        let mine = docs.remove(&id).expect("listed above");
        let doc_id = match by_id.get(&id).map(Vec::as_slice) {
            Some([one]) => *one,
            Some(many) => {
                imp.fail(
                    &format!("document {id}"),
                    format!("{} stored documents have this id: give --input", many.len()),
                );
                continue;
            }
            None => {
                imp.fail(&format!("document {id}"), "no stored document has this id (give --input to store it)".into());
                continue;
            }
        };
        let Some(stored) = imp.store.find_document(&doc_id.to_string())? else { continue };
        if let Err(why) = check_spans(&stored.text, &mine.events) {
            imp.fail(&format!("document {id}"), why);
            continue;
        }
        let lexicon = mine.lexicon.unwrap_or_default();
        if stored.coded_with.as_deref() == Some(lexicon.as_str()) {
            continue; // already coded with this lexicon: importing again changes nothing
        }
        let len = stored.text.len();
        imp.push(
            WriteOp::Recoded {
                document_id: doc_id,
                events: mine.events.into_iter().map(|c| c.event).collect(),
                lexicon,
            },
            len,
        )?;
    }
    Ok(())
}

/// A language a source declares (`uz`, `ru-RU`, `uz_Cyrl`) as the ISO 639 code the store keeps,
/// as `hamkor ingest` reads it (crates/ingest/src/pipeline.rs `declared_lang`).
fn declared_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A spinner on a terminal, a plain line every few seconds otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    last: Option<Instant>,
    label: &'static str,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Progress { bar, last: Some(Instant::now()), label: "import" }
    }
    fn line(&self, s: &str) {
        match &self.bar {
            Some(b) => b.println(s),
            None => eprintln!("{s}"),
        }
    }
    fn status(&mut self, msg: String) {
        match &self.bar {
            Some(b) => b.set_message(msg),
            None if self.last.is_none_or(|t| t.elapsed() >= Duration::from_secs(5)) => {
                eprintln!("hamkor: {}: {msg}", self.label);
                self.last = Some(Instant::now());
            }
            None => {}
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
