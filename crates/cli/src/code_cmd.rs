//! `hamkor code` and `hamkor translit`: the coder and the transliterator on standard streams.
//!
//! `code --format jsonl` reads the spec's input lines ({"id","text","lang","date"}) and writes one
//! output line per input line, in input order: {"id","events":[…],"lang","diagnostics"}. Lines are
//! read in batches and coded on all cores; memory stays bounded by the batch, whatever the input
//! size. A line that is not valid UTF-8 or not a valid input object is reported on standard error
//! as `hamkor: <file>:<line>: <what is wrong>`; when its id can be read, an output line with no
//! events and an "error" field keeps the output aligned with the input. The exit status is 1 when
//! any line was bad.

use anyhow::Context;
use clap::{Args, ValueEnum};
use hamkor_coder::Coder;
use hamkor_model::{CodedDocument, InputDocument};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum CodeFormat {
    /// One JSON object per line (spec/events.md).
    Jsonl,
}

#[derive(Args)]
pub struct CodeArgs {
    /// Input files of JSON lines; standard input when none (or `-`).
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: CodeFormat,
    /// A lexicon folder to use instead of the embedded one (to try corrections without rebuilding).
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Leave out confidence, cues and diagnostics: only what the spec requires.
    #[arg(long)]
    pub minimal: bool,
    /// Coding threads [default: one per core].
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

/// Lines coded together; also the bound on how many texts are held in memory at once.
const BATCH_LINES: usize = 512;
const BATCH_BYTES: usize = 32 * 1024 * 1024;

pub fn make_coder(lexicon: Option<&PathBuf>) -> anyhow::Result<Coder> {
    Ok(match lexicon {
        Some(dir) => Coder::new(
            hamkor_lexicon::Lexicon::build(&hamkor_lexicon::Sources::from_dir(dir)?).with_context(|| format!("lexicon {}", dir.display()))?,
        ),
        None => Coder::embedded(),
    })
}

enum Line {
    Doc(InputDocument),
    Bad { id: Option<String>, error: String },
}

fn parse_line(bytes: &[u8]) -> Option<Line> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Some(Line::Bad { id: None, error: format!("not valid UTF-8 (byte {})", e.valid_up_to()) }),
    };
    if text.trim().is_empty() {
        return None;
    }
    match serde_json::from_str::<InputDocument>(text) {
        Ok(doc) => Some(Line::Doc(doc)),
        Err(e) => {
            // Say which it is: not JSON at all, or JSON that is not an input object.
            let value = serde_json::from_str::<serde_json::Value>(text);
            let id = value
                .as_ref()
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str().map(String::from).or_else(|| i.as_i64().map(|n| n.to_string()))));
            let what = if value.is_ok() { format!("bad input object: {e}") } else { format!("bad JSON: {e}") };
            Some(Line::Bad { id, error: what })
        }
    }
}

pub fn run_code(args: CodeArgs) -> anyhow::Result<ExitCode> {
    if args.threads > 0 {
        rayon::ThreadPoolBuilder::new().num_threads(args.threads).build_global().context("starting the coding threads")?;
    }
    let coder = make_coder(args.lexicon.as_ref())?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut bad = 0usize;
    let inputs: Vec<Option<PathBuf>> =
        if args.files.is_empty() { vec![None] } else { args.files.iter().map(|f| (f.as_os_str() != "-").then(|| f.clone())).collect() };
    for input in inputs {
        let (name, reader): (String, Box<dyn Read>) = match &input {
            None => ("<stdin>".into(), Box::new(std::io::stdin())),
            Some(p) => (p.display().to_string(), Box::new(std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?)),
        };
        bad += code_stream(&coder, &name, BufReader::with_capacity(1 << 20, reader), &mut out, args.minimal)?;
    }
    out.flush()?;
    Ok(if bad > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Code every line of one stream; returns how many lines were bad.
pub fn code_stream(coder: &Coder, name: &str, mut reader: impl BufRead, out: &mut impl Write, minimal: bool) -> anyhow::Result<usize> {
    let mut bad = 0;
    let mut line_no = 0usize;
    loop {
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let mut buf = Vec::new();
            let n = reader.read_until(b'\n', &mut buf).with_context(|| format!("{name}: read error"))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            bytes += buf.len();
            batch.push((line_no, buf));
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<(usize, Option<Result<CodedDocument, (Option<String>, String)>>)> = batch
            .par_iter()
            .map(|(n, bytes)| {
                let r = parse_line(bytes).map(|line| match line {
                    Line::Doc(doc) => Ok(coder.code(&doc)),
                    Line::Bad { id, error } => Err((id, error)),
                });
                (*n, r)
            })
            .collect();
        drop(batch);
        for (n, r) in results {
            match r {
                None => {}
                Some(Ok(mut coded)) => {
                    if minimal {
                        coded.diagnostics.clear();
                        coded.lang = None;
                        serde_json::to_writer(&mut *out, &minimal_json(&coded))?;
                    } else {
                        serde_json::to_writer(&mut *out, &coded)?;
                    }
                    out.write_all(b"\n")?;
                }
                Some(Err((id, error))) => {
                    bad += 1;
                    eprintln!("hamkor: {name}:{n}: {error}");
                    if let Some(id) = id {
                        serde_json::to_writer(&mut *out, &serde_json::json!({"id": id, "events": [], "error": error}))?;
                        out.write_all(b"\n")?;
                    }
                }
            }
        }
    }
    Ok(bad)
}

fn minimal_json(c: &CodedDocument) -> serde_json::Value {
    let events: Vec<serde_json::Value> = c
        .events
        .iter()
        .map(|e| serde_json::json!({"type": e.event_type, "actors": e.actors, "domains": e.domains, "date": e.date, "evidence": e.evidence}))
        .collect();
    serde_json::json!({"id": c.id, "events": events})
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum Script {
    Latn,
    Cyrl,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum AlphabetArg {
    #[value(name = "1995")]
    Y1995,
    #[value(name = "2026")]
    Y2026,
}

#[derive(Args)]
pub struct TranslitArgs {
    /// Target script: `latn` (from Cyrillic) or `cyrl` (from Latin, 1995 or 2026).
    #[arg(long)]
    pub to: Script,
    /// Which Latin alphabet to write with `--to latn`; Latin text in either alphabet is converted
    /// to this one as well.
    #[arg(long, value_enum, default_value = "1995")]
    pub alphabet: AlphabetArg,
}

/// One line in, one line out.
pub fn run_translit(args: TranslitArgs) -> anyhow::Result<ExitCode> {
    let alphabet = if args.alphabet == AlphabetArg::Y2026 { hamkor_text::Alphabet::Latin2026 } else { hamkor_text::Alphabet::Latin1995 };
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut bad = false;
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line?;
        let Ok(text) = String::from_utf8(line) else {
            eprintln!("hamkor: <stdin>:{}: not valid UTF-8", n + 1);
            bad = true;
            writeln!(out)?;
            continue;
        };
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let converted = match args.to {
            Script::Latn => hamkor_text::latin_to_latin(&hamkor_text::cyrillic_to_latin(text, alphabet), alphabet),
            Script::Cyrl => hamkor_text::latin_to_cyrillic(text),
        };
        writeln!(out, "{converted}")?;
    }
    out.flush()?;
    Ok(if bad { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The text; standard input when absent.
    pub text: Option<String>,
    /// Publication date (YYYY-MM-DD) for relative dates.
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
}

pub fn run_explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let coder = make_coder(args.lexicon.as_ref())?;
    let text = match args.text {
        Some(t) => t,
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("standard input is not valid UTF-8")?;
            s
        }
    };
    let date = args.date.as_deref().map(|d| d.parse()).transpose().map_err(|e| anyhow::anyhow!("--date: {e}"))?;
    let doc = InputDocument { id: "explain".into(), text, lang: args.lang, date, source: None };
    print!("{}", coder.explain(&doc));
    Ok(ExitCode::SUCCESS)
}
