//! `hamkor ingest`, `hamkor recode` and `hamkor demo`: long runs with progress.
//!
//! On a terminal, progress is an indicatif bar on stderr and failures print above it; when
//! stderr is not a terminal (a log, CI), progress is a plain line every few seconds, and every
//! failure is one line `hamkor: PATH: REASON` either way.

use super::{open_store, DemoArgs, IngestArgs, RecodeArgs};
use hamkor_coder::Coder;
use hamkor_ingest::{Budget, Counters, Input, Options, Progress, RecodeProgress};
use hamkor_store::{SqliteStore, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How often a plain progress line is written when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

struct Reporter {
    bar: Option<ProgressBar>,
    started: Instant,
    last_log: Instant,
    label: &'static str,
}

impl Reporter {
    fn new(label: &'static str, total: Option<u64>) -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = match total {
                Some(n) => {
                    let b = ProgressBar::new(n);
                    b.set_style(
                        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} (eta {eta})")
                            .expect("a valid template")
                            .progress_chars("=> "),
                    );
                    b
                }
                None => {
                    let b = ProgressBar::new_spinner();
                    b.set_style(
                        ProgressStyle::with_template("{spinner} {prefix} {elapsed} {msg}").expect("a valid template"),
                    );
                    b
                }
            };
            bar.set_prefix(label);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let now = Instant::now();
        Reporter { bar, started: now, last_log: now, label }
    }

    fn line(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn status(&mut self, msg: String, pos: Option<u64>) {
        match &self.bar {
            Some(bar) => {
                if let Some(p) = pos {
                    bar.set_position(p);
                }
                bar.set_message(msg);
            }
            None if self.last_log.elapsed() >= LOG_EVERY => {
                eprintln!("hamkor: {}: {msg}", self.label);
                self.last_log = Instant::now();
            }
            None => {}
        }
    }

    fn rate(&self, n: u64) -> f64 {
        n as f64 / self.started.elapsed().as_secs_f64().max(1e-3)
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Panics inside extraction and coding are caught and reported as that file's failure; keep
/// the default hook's message off the terminal for those threads only.
fn quiet_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let worker = std::thread::current().name().is_some_and(|n| n.starts_with("hamkor-ingest-"));
        if !worker {
            default(info);
        }
    }));
}

fn failure_line(path: &str, item: &str, error: &str) -> String {
    use crate::terminal::escaped;
    let (path, item, error) = (escaped(path), escaped(item), escaped(error));
    if item.is_empty() {
        format!("hamkor: {path}: {error}")
    } else if item.bytes().all(|b| b.is_ascii_digit()) {
        format!("hamkor: {path}:{item}: {error}")
    } else {
        format!("hamkor: {path} ({item}): {error}")
    }
}

fn counters_line(c: &Counters, rate: f64) -> String {
    format!(
        "{} files ({} unchanged), {} documents ({} new, {} already stored), {} events, {} failed, {:.0} documents/s",
        c.files, c.files_unchanged, c.documents_seen, c.documents_new, c.documents_known, c.events, c.failures, rate
    )
}

/// The in-flight journal of ingests into `db` (see hamkor_ingest::inflight).
fn journal_dir(db: &Path) -> PathBuf {
    let mut p = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf()).into_os_string();
    p.push("-inflight");
    PathBuf::from(p)
}

/// Ctrl-C, SIGTERM and SIGHUP ask the run to stop after the files being read; a second one
/// ends the process at once.
fn stop_on_signals() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
        let _ = signal_hook::flag::register(signal, flag.clone());
    }
    flag
}

/// The store's own files are never documents, even when the store sits in the ingested folder.
fn store_files(db: &Path) -> Vec<PathBuf> {
    let abs = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    ["", "-wal", "-shm", "-journal", "-inflight"]
        .iter()
        .map(|s| {
            let mut p = abs.clone().into_os_string();
            p.push(s);
            PathBuf::from(p)
        })
        .collect()
}

fn run_ingest(
    store: &mut SqliteStore,
    inputs: &[Input],
    opts: &Options,
) -> anyhow::Result<(hamkor_ingest::Summary, ExitCode)> {
    quiet_worker_panics();
    let coder = Coder::embedded();
    let mut rep = Reporter::new("ingest", None);
    let result = hamkor_ingest::ingest(store, &coder, inputs, opts, &mut |p| match p {
        Progress::Failed { path, item, error } => rep.line(&failure_line(path, item, error)),
        Progress::Warning { path, item, message } => {
            rep.line(&failure_line(path, item, &format!("warning: {message}")))
        }
        Progress::Tick(c) => {
            let msg = counters_line(c, rep.rate(c.documents_seen));
            rep.status(msg, None);
        }
    });
    rep.finish();
    let summary = result?;
    let c = &summary.counters;
    let rate = c.documents_seen as f64 / summary.elapsed.as_secs_f64().max(1e-3);
    eprintln!("hamkor: ingest: {} in {:.1} s", counters_line(c, rate), summary.elapsed.as_secs_f64());
    crate::registry_cmds::refresh_after(store)?;
    let code = if summary.stopped {
        eprintln!("hamkor: ingest: stopped; run the same command again to finish");
        ExitCode::from(130)
    } else if summary.nothing_to_do(inputs.len()) {
        eprintln!("hamkor: ingest: none of the inputs exists; nothing was done");
        ExitCode::from(2)
    } else if c.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    Ok((summary, code))
}

pub fn ingest(a: IngestArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_store(&a.db.db)?;
    let inputs: Vec<Input> =
        a.paths.iter().map(|p| if p.as_os_str() == "-" { Input::Stdin } else { Input::Path(p.clone()) }).collect();
    anyhow::ensure!(
        a.file_timeout.is_finite() && a.file_timeout > 0.0,
        "--file-timeout must be a positive number of seconds"
    );
    let opts = Options {
        max_file_size: a.max_file_size,
        budget: Budget {
            max_text_len: usize::try_from(a.max_text_len).unwrap_or(usize::MAX),
            max_unpacked: a.max_unpacked,
            ..Budget::default()
        },
        file_timeout: Duration::from_secs_f64(a.file_timeout),
        max_memory: a.max_memory,
        isolation: crate::isolation(),
        workers: a.jobs,
        exclude: store_files(&a.db.db),
        journal: Some(journal_dir(&a.db.db)),
        retry_failed: a.retry_failed,
        stop: Some(stop_on_signals()),
    };
    Ok(run_ingest(&mut store, &inputs, &opts)?.1)
}

pub fn recode(a: RecodeArgs) -> anyhow::Result<ExitCode> {
    let mut store = super::open_existing(&a.db.db)?;
    quiet_worker_panics();
    let coder = Coder::embedded();
    let total = store.count_to_recode(coder.lexicon_version())?;
    if total == 0 {
        eprintln!("hamkor: recode: every document is coded with lexicon {} already", coder.lexicon_version());
        return Ok(ExitCode::SUCCESS);
    }
    let mut rep = Reporter::new("recode", Some(total));
    let mut failed = 0;
    let result = hamkor_ingest::recode(&mut store, &coder, a.jobs, &mut |p| match p {
        RecodeProgress::Failed { document_id, error } => {
            failed += 1;
            rep.line(&format!("hamkor: document {document_id}: {error}"));
        }
        RecodeProgress::Tick(c) => {
            let msg = format!("{} events, {:.0} documents/s", c.events, rep.rate(c.recoded));
            rep.status(format!("{}/{} documents, {msg}", c.recoded, c.total), Some(c.recoded));
        }
    });
    rep.finish();
    let c = result?;
    eprintln!(
        "hamkor: recode: {} documents re-coded with lexicon {}, {} events, {} failed",
        c.recoded,
        coder.lexicon_version(),
        c.events,
        c.failed
    );
    crate::registry_cmds::refresh_after(&store)?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The bundled sample collection: beside the source tree this binary was built from, or in
/// the current directory (a copied binary run from a checkout).
fn samples_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = given {
        anyhow::ensure!(dir.is_dir(), "no sample collection at {}", dir.display());
        return Ok(dir);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/demo");
    for dir in [built, PathBuf::from("samples/demo")] {
        if dir.is_dir() {
            return Ok(dir.canonicalize().unwrap_or(dir));
        }
    }
    anyhow::bail!("the sample collection samples/demo was not found; pass --samples DIR")
}

pub fn demo(a: DemoArgs) -> anyhow::Result<ExitCode> {
    let samples = samples_dir(a.samples)?;
    let db = &a.db.db;
    let mut store = open_store(db)?;
    eprintln!("hamkor: demo: reading {} into {}", samples.display(), db.display());
    let mut exclude = store_files(db);
    // The collection's catalogue and notes describe the samples; they are not samples.
    for meta in ["MANIFEST.tsv", "README.md"] {
        exclude.push(std::path::absolute(samples.join(meta))?);
    }
    let opts = Options {
        exclude,
        isolation: crate::isolation(),
        journal: Some(journal_dir(db)),
        stop: Some(stop_on_signals()),
        ..Options::default()
    };
    let (_, code) = run_ingest(&mut store, &[Input::Path(samples)], &opts)?;
    let stats = store.stats()?;
    let mut out = String::new();
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
    };
    out.push_str(&format!("Demo store: {}\n", db.display()));
    out.push_str(&format!("  documents    {} ({} sources)\n", stats.documents, stats.sources));
    out.push_str(&format!("    by language  {}\n", list(&stats.documents_by_language)));
    out.push_str(&format!("    by format    {}\n", list(&stats.documents_by_format)));
    out.push_str(&format!("  events       {}\n", stats.events));
    out.push_str(&format!("    by type      {}\n", list(&stats.events_by_type)));
    out.push_str("  top dyads\n");
    for d in &stats.top_dyads {
        out.push_str(&format!("    {}–{}  {} events\n", d.a, d.b, d.events));
    }
    out.push_str(&format!("  failed files {}\n", stats.failed_files));
    let db = db.display();
    out.push_str(&format!(
        "\nTry:\n  hamkor search --db {db} hamkorlik\n  hamkor events --db {db} --pair KAZ,UZB\n  hamkor show --db {db} 1\n  hamkor stats --db {db} --json\n"
    ));
    print!("{out}");
    if !a.no_serve {
        // The dashboard of the demo store, on the default address (crates/cli/src/server_cmds.rs).
        return crate::server_cmds::serve(&a.db.db, ([127, 0, 0, 1], 8080).into(), 4, Default::default(), vec![]);
    }
    Ok(code)
}
