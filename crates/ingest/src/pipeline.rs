//! The ingest pipeline: one walker thread, N worker threads, and the writer on the calling
//! thread, joined by bounded channels (see the crate docs for the picture).

use crate::extract::{self, Extracted, Format};
use crate::inflight::{self, Slot};
use crate::jobs::{Job, LinesJob, Msg, Warning};
use crate::sandbox::{Extractor, Limits};
use crate::walk::{Stopped, Walker};
use crate::{Counters, Error, Input, Options, Progress, Result, Summary};
use hamkor_coder::Coder;
use hamkor_model::InputDocument;
use hamkor_store::{NewDocument, Source, Store, WriteOp};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A batch is committed when it holds this many operations, this much text, or is this old:
/// big enough that commits do not dominate, small enough that a kill loses little work.
const BATCH_OPS: usize = 600;
const BATCH_BYTES: usize = 8 << 20;
const BATCH_AGE: Duration = Duration::from_millis(250);

/// Ingest `inputs` into `store`, coding every new document with `coder`.
///
/// Returns `Err` only when the run could not go on (the store failed); bad inputs are
/// reported through `observe` as [`Progress::Failed`] and counted in the summary.
pub fn ingest(
    store: &mut dyn Store,
    coder: &Coder,
    inputs: &[Input],
    opts: &Options,
    observe: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary> {
    let started = Instant::now();
    let workers =
        if opts.workers == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { opts.workers };
    let mut counters = Counters::default();
    if let Some(dir) = &opts.journal {
        counters.failures += quarantine_leftovers(store, dir, observe)?;
    }
    let walker_store = store.another()?;
    let worker_stores = (0..workers).map(|_| store.another()).collect::<hamkor_store::Result<Vec<_>>>()?;
    let (job_tx, job_rx) = sync_channel::<Job>(workers * 2);
    let (msg_tx, msg_rx) = sync_channel::<Msg>(workers * 4);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let stop = AtomicBool::new(false);
    let stopped = AtomicBool::new(false);
    let watcher_done = AtomicBool::new(false);
    let lexicon = coder.lexicon_version().to_string();
    let journal = opts.journal.as_deref();
    let stop_asked = || opts.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) || stop.load(Ordering::Relaxed);

    std::thread::scope(|scope| {
        let mut walker = Walker { opts, store: walker_store, jobs: job_tx, out: msg_tx.clone(), stop: &stop };
        std::thread::Builder::new()
            .name("hamkor-ingest-walker".into())
            .spawn_scoped(scope, move || {
                let _: std::result::Result<(), Stopped> = walker.run(inputs);
            })
            .expect("spawn the walker thread");
        for (i, reader) in worker_stores.into_iter().enumerate() {
            let w = Worker {
                opts,
                coder,
                lexicon: &lexicon,
                store: reader,
                out: msg_tx.clone(),
                extractor: Extractor::new(opts.isolation.clone()),
                slot: Slot::new(journal, i),
                stop_asked: &stop_asked,
            };
            let jobs = Arc::clone(&job_rx);
            std::thread::Builder::new()
                .name(format!("hamkor-ingest-worker-{i}"))
                .spawn_scoped(scope, move || w.run(&jobs))
                .expect("spawn a worker thread");
        }
        // A polite stop (Ctrl-C) ends the walk; the writer keeps what the workers finish.
        let (stop, stopped, watcher_done) = (&stop, &stopped, &watcher_done);
        std::thread::Builder::new()
            .name("hamkor-ingest-stop".into())
            .spawn_scoped(scope, move || {
                while !watcher_done.load(Ordering::Relaxed) {
                    if opts.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
                        stop.store(true, Ordering::Relaxed);
                        stopped.store(true, Ordering::Relaxed);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
            .expect("spawn the stop watcher");
        drop(msg_tx);
        let result = Writer::new(store, observe, counters).run(msg_rx);
        watcher_done.store(true, Ordering::Relaxed);
        if result.is_err() {
            // Let the walker and workers notice and wind down; the scope joins them.
            stop.store(true, Ordering::Relaxed);
        }
        let stopped = stopped.load(Ordering::Relaxed);
        result.map(|counters| Summary { counters, elapsed: started.elapsed(), stopped })
    })
    .inspect(|_| {
        // The workers' slots are gone with them; an empty journal leaves no folder behind.
        if let Some(dir) = journal {
            let _ = std::fs::remove_dir(dir);
        }
    })
}

/// Files a dead run was reading when it died: recorded as failed and quarantined, so that this
/// run does not die on them too. Returns how many.
fn quarantine_leftovers(store: &mut dyn Store, dir: &std::path::Path, observe: &mut dyn FnMut(Progress<'_>)) -> Result<u64> {
    let _ = std::fs::create_dir_all(dir);
    let left = inflight::leftovers(dir);
    if left.entries.is_empty() {
        left.remove();
        return Ok(0);
    }
    let reason = Error::Interrupted.to_string();
    let ops: Vec<WriteOp> = left
        .entries
        .iter()
        .map(|e| WriteOp::Quarantine {
            path: e.path.clone(),
            item: e.item.clone(),
            mtime_ns: e.mtime_ns,
            size: e.size,
            reason: reason.clone(),
        })
        .collect();
    store.apply(&ops)?;
    for e in &left.entries {
        observe(Progress::Failed { path: &e.path, item: &e.item, error: &reason });
    }
    let n = left.entries.len() as u64;
    left.remove();
    Ok(n)
}

struct Worker<'a, F: Fn() -> bool> {
    opts: &'a Options,
    coder: &'a Coder,
    lexicon: &'a str,
    store: Box<dyn Store>,
    out: SyncSender<Msg>,
    extractor: Extractor,
    slot: Slot,
    stop_asked: &'a F,
}

impl<F: Fn() -> bool> Worker<'_, F> {
    fn run(mut self, jobs: &Mutex<Receiver<Job>>) {
        loop {
            // Hold the lock only to receive, never while working.
            let job = match jobs.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok(job) = job else { return };
            if (self.stop_asked)() {
                // Stopped: drain the queue without starting anything.
                continue;
            }
            let entry = match &job {
                Job::File { key, mtime_ns, size, .. } => {
                    Some(inflight::Entry { path: key.clone(), item: String::new(), mtime_ns: *mtime_ns, size: *size })
                }
                Job::Lines(l) => l.file.map(|(mtime_ns, size)| inflight::Entry {
                    path: l.key.to_string(),
                    item: l.item(),
                    mtime_ns,
                    size,
                }),
            };
            if let Some(e) = &entry {
                self.slot.enter(e);
            }
            let msg = match job {
                Job::File { path, key, format, mtime_ns, size } => self.file(path, key, format, mtime_ns, size),
                Job::Lines(lines) => self.lines(lines),
            };
            let msg = match msg {
                Ok(Some(m)) => m,
                // Stopped politely in the middle of the file: nothing is recorded for it.
                Ok(None) => {
                    self.slot.leave();
                    continue;
                }
                Err(e) => Msg::Fatal(e.to_string()),
            };
            let sent = self.out.send(msg);
            self.slot.leave();
            if sent.is_err() {
                return;
            }
        }
    }

    /// All operations for one file: forget its old failures, store its documents, and mark it
    /// done unless something in it failed (so that the next run reads it again). `None` when a
    /// polite stop interrupted it.
    fn file(
        &mut self,
        path: PathBuf,
        key: String,
        format: Format,
        mtime_ns: i64,
        size: u64,
    ) -> hamkor_store::Result<Option<Msg>> {
        let mut ops = vec![WriteOp::FileStart { path: key.clone() }];
        let mut warnings = Vec::new();
        let fail = |item: String, error: Error| WriteOp::Failure { path: key.clone(), item, reason: error.to_string() };
        let limits = Limits {
            max_file_size: self.opts.max_file_size,
            budget: self.opts.budget,
            timeout: self.opts.file_timeout,
            max_memory: crate::sandbox::memory_budget(size, self.opts.max_memory),
        };
        let contents = self.extractor.extract(&path, format, &limits, self.stop_asked);
        match contents {
            Err(Error::Stopped) => return Ok(None),
            // Costly to meet again: skip the file while it is unchanged.
            Err(e @ (Error::Timeout { .. } | Error::OutOfMemory { .. } | Error::Crashed(_))) => {
                ops.push(WriteOp::Quarantine { path: key.clone(), item: String::new(), mtime_ns, size, reason: e.to_string() })
            }
            Err(e) => ops.push(fail(String::new(), e)),
            Ok(contents) => {
                let mut failed = false;
                let mut documents = 0;
                for (i, item) in contents.items.into_iter().enumerate() {
                    let fallback =
                        if i == 0 && format != Format::Feed { key.clone() } else { format!("{key}#item-{}", i + 1) };
                    match item {
                        Ok(mut x) => {
                            let item = if format == Format::Feed { format!("item {}", i + 1) } else { String::new() };
                            for message in std::mem::take(&mut x.warnings) {
                                warnings.push(Warning { path: key.clone(), item: item.clone(), message });
                            }
                            match self.document(own_location(x, format), fallback, format)? {
                            Ok(op) => {
                                ops.push(op);
                                documents += 1;
                            }
                            Err(e) => {
                                failed = true;
                                let item =
                                    if format == Format::Feed { format!("item {}", i + 1) } else { String::new() };
                                ops.push(fail(item, e));
                            }
                        }},
                        Err(item_error) => {
                            failed = true;
                            ops.push(fail(item_error.item, item_error.error));
                        }
                    }
                }
                if !failed {
                    ops.push(WriteOp::FileDone { path: key.clone(), mtime_ns, size, documents });
                }
            }
        }
        Ok(Some(Msg::Ops { ops, chunk_of: None, warnings }))
    }

    fn lines(&self, job: LinesJob) -> hamkor_store::Result<Option<Msg>> {
        let mut ops = Vec::with_capacity(job.lines.len());
        let mut warnings = Vec::new();
        for (line_no, bytes) in job.lines {
            let location = format!("{}:{line_no}", job.location_prefix);
            let parsed = extract::parse_line(&bytes);
            let outcome = match parsed {
                Ok(Some(mut x)) => {
                    for message in std::mem::take(&mut x.warnings) {
                        warnings.push(Warning { path: job.key.to_string(), item: line_no.to_string(), message });
                    }
                    self.document(own_location(x, Format::JsonLines), location, Format::JsonLines)?
                }
                Ok(None) => continue,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(op) => ops.push(op),
                Err(e) => ops.push(WriteOp::Failure {
                    path: job.key.to_string(),
                    item: line_no.to_string(),
                    reason: e.to_string(),
                }),
            }
        }
        Ok(Some(Msg::Ops { ops, chunk_of: Some(job.key), warnings }))
    }

    /// Validate, hash, detect and code one extracted document. The outer `Result` is a store
    /// failure (fatal); the inner one is this document's failure (reported, run goes on).
    fn document(&self, x: Extracted, location: String, format: Format) -> hamkor_store::Result<Result<WriteOp>> {
        let limit = self.opts.budget.max_text_len;
        if x.text.len() > limit {
            return Ok(Err(Error::TextTooLong { len: x.text.len(), limit }));
        }
        if x.text.trim().is_empty() {
            return Ok(Err(Error::NoText("the document has no text".into())));
        }
        let content_hash = hex(&Sha256::digest(x.text.as_bytes()));
        let source = Source { location: x.location.unwrap_or(location), external_id: x.external_id };
        // Already stored (a copy, or a resumed run): add the source, skip the coding.
        if self.store.document_id_by_hash(&content_hash)?.is_some() {
            return Ok(Ok(WriteOp::Source { content_hash, source }));
        }
        let detected = hamkor_text::detect(&x.text);
        let lang = x.lang.as_deref().and_then(declared_lang).unwrap_or_else(|| detected.lang.to_string());
        let input = InputDocument {
            id: content_hash.clone(),
            text: x.text,
            lang: (lang != "und").then(|| lang.clone()),
            // Stored documents are coded without their publisher for now: ingest and recode
            // must agree, and the store keeps no publisher per document yet.
            source: None,
            date: x.published,
        };
        let coded = match guard("coding the text", || Ok(self.coder.code(&input))) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok(WriteOp::Document(Box::new(NewDocument {
            content_hash,
            title: x.title,
            published: input.date,
            lang,
            script: detected.script.to_string(),
            format: format.code().to_string(),
            text: input.text,
            source,
            events: coded.events,
            lexicon: self.lexicon.to_string(),
        }))))
    }
}

/// A language a source declares (`uz`, `ru-RU`, `uz_Cyrl`, `EN`) as the ISO 639 code the
/// store keeps; `None` for what is not one (then the text's detected language is used).
fn declared_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// A feed item's source is its link; every other document's is where hamkor read it (the file,
/// or `file:line`), and a URL the document names (a `Source:` header, a JSON line's `url`) is
/// kept as its external id unless it has one.
fn own_location(mut x: Extracted, format: Format) -> Extracted {
    if format != Format::Feed {
        if let Some(url) = x.location.take() {
            x.external_id.get_or_insert(url);
        }
    }
    x
}

/// Read at most `limit` bytes; a file that grew past the limit since it was listed is refused
/// like one that was too large from the start.
pub(crate) fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Error::FileTooLarge { size, limit });
    }
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    Ok(bytes)
}

/// Run third-party parsing (or the coder) so that a panic in it fails this file only.
pub(crate) fn guard<T>(stage: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::Panic { stage, message })
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A JSON lines stream whose chunks are still coming in.
#[derive(Default)]
struct Stream {
    expected: Option<u64>,
    received: u64,
    documents: u64,
    failed: bool,
    done: Option<(i64, u64)>,
}

struct Writer<'s, 'o> {
    store: &'s mut dyn Store,
    observe: &'o mut dyn FnMut(Progress<'_>),
    batch: Vec<WriteOp>,
    batch_bytes: usize,
    batch_since: Option<Instant>,
    streams: HashMap<Arc<str>, Stream>,
    counters: Counters,
}

impl<'s, 'o> Writer<'s, 'o> {
    fn new(store: &'s mut dyn Store, observe: &'o mut dyn FnMut(Progress<'_>), counters: Counters) -> Self {
        Writer { store, observe, batch: Vec::new(), batch_bytes: 0, batch_since: None, streams: HashMap::new(), counters }
    }

    fn run(mut self, rx: Receiver<Msg>) -> Result<Counters> {
        loop {
            let wait = match self.batch_since {
                Some(t) => BATCH_AGE.saturating_sub(t.elapsed()),
                None => BATCH_AGE,
            };
            match rx.recv_timeout(wait) {
                Ok(msg) => self.take(msg)?,
                Err(RecvTimeoutError::Timeout) => self.flush()?,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            let old = self.batch_since.is_some_and(|t| t.elapsed() >= BATCH_AGE);
            if self.batch.len() >= BATCH_OPS || self.batch_bytes >= BATCH_BYTES || old {
                self.flush()?;
            }
        }
        self.flush()?;
        Ok(self.counters)
    }

    fn push(&mut self, op: WriteOp) {
        if let WriteOp::Document(d) = &op {
            self.batch_bytes += d.text.len();
        }
        self.batch_since.get_or_insert_with(Instant::now);
        self.batch.push(op);
    }

    fn take(&mut self, msg: Msg) -> Result<()> {
        match msg {
            Msg::Ops { ops, chunk_of, warnings } => {
                for w in &warnings {
                    (self.observe)(Progress::Warning { path: &w.path, item: &w.item, message: &w.message });
                }
                let mut documents = 0;
                for op in ops {
                    match &op {
                        WriteOp::Document(_) | WriteOp::Source { .. } => documents += 1,
                        WriteOp::Failure { path, item, reason } | WriteOp::Quarantine { path, item, reason, .. } => {
                            self.counters.failures += 1;
                            (self.observe)(Progress::Failed { path, item, error: reason });
                            if let Some(s) = self.streams.get_mut(path.as_str()) {
                                s.failed = true;
                            }
                        }
                        _ => {}
                    }
                    self.push(op);
                }
                self.counters.documents_seen += documents;
                if let Some(key) = chunk_of {
                    let s = self.streams.entry(key.clone()).or_default();
                    s.received += 1;
                    s.documents += documents;
                    self.finish_stream(&key);
                }
            }
            Msg::LinesBegin { key } => {
                self.streams.insert(key.clone(), Stream::default());
                self.push(WriteOp::FileStart { path: key.to_string() });
            }
            Msg::LinesEnd { key, chunks, done } => {
                let s = self.streams.entry(key.clone()).or_default();
                s.expected = Some(chunks);
                s.done = done;
                self.finish_stream(&key);
            }
            Msg::Skipped { path, item, reason } => {
                self.counters.failures += 1;
                self.counters.skipped += 1;
                if let Some(s) = self.streams.get_mut(path.as_str()) {
                    s.failed = true;
                }
                let error = format!("skipped: {reason} (`hamkor ingest --retry-failed` reads it again)");
                (self.observe)(Progress::Failed { path: &path, item: &item, error: &error });
            }
            Msg::Counted { files, unchanged } => {
                self.counters.files += files;
                self.counters.files_unchanged += unchanged;
            }
            Msg::Missing { path } => {
                self.counters.missing_inputs += 1;
                self.counters.failures += 1;
                (self.observe)(Progress::Failed { path: &path, item: "", error: &Error::NotFound.to_string() });
            }
            Msg::Fatal(e) => return Err(Error::Aborted(e)),
        }
        Ok(())
    }

    /// Once every chunk of a stream is in, mark the file done, in the batch that holds (or
    /// follows) its last documents, unless a line failed.
    fn finish_stream(&mut self, key: &Arc<str>) {
        let complete = self.streams.get(key).is_some_and(|s| s.expected == Some(s.received));
        if !complete {
            return;
        }
        let s = self.streams.remove(key).expect("checked above");
        if let (false, Some((mtime_ns, size))) = (s.failed, s.done) {
            self.push(WriteOp::FileDone { path: key.to_string(), mtime_ns, size, documents: s.documents });
        }
    }

    fn flush(&mut self) -> Result<()> {
        if !self.batch.is_empty() {
            let applied = self.store.apply(&self.batch)?;
            self.counters.documents_new += applied.documents_added;
            self.counters.documents_known += applied.documents_known;
            self.counters.events += applied.events_added;
            self.batch.clear();
            self.batch_bytes = 0;
            self.batch_since = None;
        }
        (self.observe)(Progress::Tick(&self.counters));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::declared_lang;

    #[test]
    fn declared_languages_are_normalised_or_ignored() {
        assert_eq!(declared_lang("ru-RU").as_deref(), Some("ru"));
        assert_eq!(declared_lang(" UZ_Cyrl ").as_deref(), Some("uz"));
        assert_eq!(declared_lang("english"), None);
        assert_eq!(declared_lang(""), None);
    }
}
