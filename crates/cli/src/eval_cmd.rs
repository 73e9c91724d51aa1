//! `hamkor eval` and `hamkor export --format gold`: the coder validated on a researcher's own
//! hand-coded documents. The scoring is hamkor-eval's; this file reads the files, opens the store,
//! runs the coder and prints.

use anyhow::{bail, Context};
use clap::Args;
use hamkor_eval::{score, Corpus, DocSet, Document, GoldEvent, GoldLine, NotScored, Role, Texts};
use hamkor_model::{ActorCode, Domain, EventType, InputDocument, PartialDate, Span};
use hamkor_store::{DocId, SqliteStore, Store};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The hand-coded events: one {"id", "events": [...]} line per document, as in
    /// ../shared/eval/*/gold.jsonl or `hamkor export --format gold`. Not with --reviewer.
    #[arg(required_unless_present = "reviewer", conflicts_with = "reviewer")]
    pub gold: Option<PathBuf>,
    /// With --db, instead of a gold file: this reviewer's codings are the gold (imported with
    /// `hamkor import qdpx` or coded on /review/code): every document they coded, each unit's
    /// events at its span; a unit coded "no event" has none.
    #[arg(long, value_name = "NAME", requires = "db")]
    pub reviewer: Option<String>,
    /// With --reviewer: score only the coder's events at units the reviewer coded, not every
    /// event of their documents. For projects exported with filters (--pair …), where the
    /// researcher saw only some of each document's reports.
    #[arg(long, requires = "reviewer")]
    pub coded_units: bool,
    /// The coder's output for the same documents (`hamkor code --format jsonl`).
    #[arg(long, value_name = "CODED.jsonl", required_unless_present = "db", conflicts_with = "db")]
    pub system: Option<PathBuf>,
    /// Instead of --system: code the gold's documents as the store holds them, with this hamkor's
    /// coder. Documents are found by the gold line's sha256 (the text), the corpus text's SHA-256,
    /// or the id their source gave them; the ones not found are listed and not scored.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The coder's input lines ({"id", "text", "lang", ...}): each document's language for the
    /// table by language, and its text for the evidence in the lists.
    #[arg(long, value_name = "CORPUS.jsonl")]
    pub corpus: Option<PathBuf>,
    /// Print the figures and the lists as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// With --db: a lexicon folder to code with instead of the embedded one.
    #[arg(long, requires = "db")]
    pub lexicon: Option<PathBuf>,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A coded event as the scoring compares it.
fn scored(e: &hamkor_model::Event) -> GoldEvent {
    GoldEvent::new(e.event_type, e.actors.clone(), e.domains.clone(), e.date, Some(e.evidence))
}

pub fn run_eval(a: EvalArgs) -> anyhow::Result<ExitCode> {
    // With --coded-units: the spans the reviewer coded, by gold id.
    let mut coded_units: Option<HashMap<String, HashSet<Span>>> = None;
    let gold = match (&a.gold, &a.reviewer, &a.db) {
        (Some(path), _, _) => DocSet::parse(&path.display().to_string(), Role::Gold, &read(path)?)?,
        (None, Some(reviewer), Some(db)) => {
            let (lines, _, units) = reviewer_gold(db, reviewer, None)?;
            if a.coded_units {
                coded_units = Some(units);
            }
            if lines.is_empty() {
                bail!("{reviewer:?} has coded nothing in {} (hamkor review alpha lists who has)", db.display());
            }
            lines.into_iter().map(|l| Document { id: l.id, line: 0, events: l.events, sha256: l.sha256 }).collect()
        }
        _ => bail!("give a gold file, or --reviewer NAME with --db PATH"),
    };
    let corpus = match &a.corpus {
        Some(p) => Some(Corpus::parse(&p.display().to_string(), &read(p)?)?),
        None => None,
    };
    for w in gold.warnings.iter().chain(corpus.iter().flat_map(|c| c.warnings.iter())) {
        eprintln!("hamkor: eval: warning: {w}");
    }
    let (gold, system, store_texts, store_langs, not_scored) = match (&a.system, &a.db) {
        (Some(path), _) => {
            let system = DocSet::parse(&path.display().to_string(), Role::System, &read(path)?)?;
            for w in &system.warnings {
                eprintln!("hamkor: eval: warning: {w}");
            }
            (gold, system, HashMap::new(), HashMap::new(), Vec::new())
        }
        (None, Some(db)) => from_store(db, gold, corpus.as_ref(), a.lexicon.as_ref())?,
        (None, None) => bail!("give the coder's output (--system CODED.jsonl) or a store (--db PATH)"),
    };
    let system = match &coded_units {
        None => system,
        Some(units) => system
            .documents()
            .iter()
            .map(|d| {
                let at = units.get(&d.id);
                let mut d = d.clone();
                d.events.retain(|e| e.evidence.is_some_and(|s| at.is_some_and(|u| u.contains(&s))));
                d
            })
            .collect(),
    };
    let lang_of = |id: &str| match (&corpus, store_langs.get(id)) {
        (Some(c), _) => c.lang(id),
        (None, Some(l)) => l.clone(),
        (None, None) => "?".to_string(),
    };
    let mut scores = score(&gold, &system, &lang_of);
    scores.not_scored = not_scored;
    if a.system.is_some() {
        // score.py's warnings, on standard error as score.py gives them.
        let extra = &scores.system_ids_not_in_gold;
        if !extra.is_empty() {
            let more = if extra.len() > 10 { " ..." } else { "" };
            eprintln!(
                "warning: {} system id(s) not in gold, ignored: {}{more}",
                extra.len(),
                extra.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        if !scores.gold_ids_missing_from_system.is_empty() {
            eprintln!(
                "warning: {} gold id(s) missing from system output (scored as empty)",
                scores.gold_ids_missing_from_system.len()
            );
        }
    }
    // With --db the spans are the store's text's (the same text when found by its SHA-256).
    let texts: &dyn Texts = if a.db.is_some() {
        &store_texts
    } else if let Some(c) = &corpus {
        c
    } else {
        &()
    };
    let mut printed = if a.json {
        serde_json::to_string_pretty(&hamkor_eval::to_json(&scores, texts))?
    } else {
        hamkor_eval::render_text(&scores, texts)
    };
    if a.json {
        printed.push('\n');
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(printed.as_bytes()).and_then(|()| out.flush()) {
        // A reader that stops early (`| head`) is not an error of the evaluation.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.context("writing to standard output")?,
    }
    Ok(ExitCode::SUCCESS)
}

type FromStore = (DocSet, DocSet, HashMap<String, String>, HashMap<String, String>, Vec<NotScored>);

/// Find each gold document in the store and code its stored text with this hamkor's coder.
/// Returns the gold documents found, the coder's events for them, their texts and languages by
/// gold id, and the gold documents not found with the reason.
fn from_store(
    db: &Path,
    gold: DocSet,
    corpus: Option<&Corpus>,
    lexicon: Option<&PathBuf>,
) -> anyhow::Result<FromStore> {
    if !db.exists() {
        bail!("no store at {}", db.display());
    }
    let store = hamkor_app::open_store(db).with_context(|| format!("opening {}", db.display()))?;
    let mut found: Vec<(String, DocId)> = Vec::new();
    let mut not_scored: Vec<NotScored> = Vec::new();
    let by_external_id = store.documents_by_external_id()?;
    for g in gold.documents() {
        match locate(&store, &by_external_id, g, corpus)? {
            Ok(id) => found.push((g.id.clone(), id)),
            Err(reason) => not_scored.push(NotScored { id: g.id.clone(), reason }),
        }
    }
    if !not_scored.is_empty() {
        eprintln!(
            "hamkor: eval: {} of {} gold documents are not in the store and are not scored:",
            not_scored.len(),
            gold.len()
        );
        for n in &not_scored {
            eprintln!("  {}: {}", n.id, n.reason);
        }
    }
    if found.is_empty() {
        bail!("none of the {} gold documents is in the store {}", gold.len(), db.display());
    }
    let mut inputs = Vec::with_capacity(found.len());
    for (gold_id, doc_id) in &found {
        let doc = store
            .find_document(&doc_id.to_string())?
            .filter(|d| d.id == *doc_id)
            .with_context(|| format!("document {doc_id} went away"))?;
        let date = doc.published.as_deref().and_then(|d| d.parse::<PartialDate>().ok());
        inputs.push(InputDocument {
            id: gold_id.clone(),
            lang: (doc.lang != "und").then(|| doc.lang.clone()),
            text: doc.text,
            date,
            source: None,
        });
    }
    let coder = crate::code_cmd::make_coder(lexicon)?;
    let coded: Vec<Document> = inputs
        .par_iter()
        .map(|input| Document {
            id: input.id.clone(),
            line: 0,
            events: coder.code(input).events.iter().map(scored).collect(),
            sha256: None,
        })
        .collect();
    let system: DocSet = coded.into_iter().collect();
    let langs = inputs.iter().map(|i| (i.id.clone(), i.lang.clone().unwrap_or_else(|| "und".into()))).collect();
    let texts = inputs.into_iter().map(|i| (i.id, i.text)).collect();
    let kept = gold.filter(|d| system.contains(&d.id));
    Ok((kept, system, texts, langs, not_scored))
}

/// The store's document for a gold document: by the text's SHA-256 the gold line gives, else by
/// the SHA-256 of the corpus's text, else by the id its source gave it. `Err` says why not.
fn locate(
    store: &SqliteStore,
    by_external_id: &HashMap<String, Vec<DocId>>,
    g: &Document,
    corpus: Option<&Corpus>,
) -> anyhow::Result<Result<DocId, String>> {
    if let Some(hash) = &g.sha256 {
        return Ok(store
            .document_id_by_hash(hash)?
            .ok_or_else(|| format!("no stored document has its text (sha256 {hash})")));
    }
    if let Some(text) = corpus.and_then(|c| c.text(&g.id)) {
        if let Some(id) = store.document_id_by_hash(&hex_sha256(text))? {
            return Ok(Ok(id));
        }
    }
    let ids = by_external_id.get(&g.id).map_or(&[][..], Vec::as_slice);
    Ok(match ids {
        [id] => Ok(*id),
        [] => Err("no stored document has this id or this text".to_string()),
        many => Err(format!(
            "{} stored documents have this id (documents {:?}); give the corpus text to tell them apart",
            many.len(),
            many
        )),
    })
}

/// `hamkor export --format gold`: the reviewed events of every document a reviewer has finished
/// (at least one decision, no event left to review), one gold line per document.
pub fn export_gold(db: &Path, lang: Option<&str>, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    if !db.exists() {
        bail!("no store at {}", db.display());
    }
    let store = hamkor_app::open_store(db).with_context(|| format!("opening {}", db.display()))?;
    let docs = store.reviewed_documents()?;
    let docs: Vec<_> = docs.into_iter().filter(|d| lang.is_none_or(|l| d.lang == l)).collect();
    let (done, pending): (Vec<_>, Vec<_>) = docs.into_iter().partition(|d| d.pending == 0);
    // An id a source gave the document names it, unless two exported documents share it.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for d in &done {
        if let [one] = d.external_ids.as_slice() {
            *uses.entry(one.as_str()).or_default() += 1;
        }
    }
    let mut lines = Vec::with_capacity(done.len());
    let mut events = 0;
    for d in &done {
        let id = match d.external_ids.as_slice() {
            [one] if uses[one.as_str()] == 1 => one.clone(),
            _ => d.content_hash.clone(),
        };
        let evs = d
            .reviewed
            .iter()
            .map(|e| gold_event(e).with_context(|| format!("event {} of document {}", e.id, d.id)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        events += evs.len();
        lines.push(GoldLine { id, events: evs, sha256: Some(d.content_hash.clone()) });
    }
    let sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = std::io::BufWriter::new(sink);
    for l in &lines {
        writeln!(w, "{}", l.to_json_line())?;
    }
    w.flush()?;
    eprintln!("hamkor: export: {} reviewed documents with {events} events as gold", lines.len());
    if !pending.is_empty() {
        let ids: Vec<String> = pending.iter().take(20).map(|d| d.id.to_string()).collect();
        eprintln!(
            "hamkor: export: {} documents with events still awaiting review are left out (review them all to include them): documents {}{}",
            pending.len(),
            ids.join(", "),
            if pending.len() > 20 { ", …" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The documents `reviewer` coded (in one language, or all), as gold lines: each unit's events
/// at the unit's span, named like `export_gold`'s. Also the number of events, and the units
/// (spans) coded in each document by gold id.
fn reviewer_gold(
    db: &Path,
    reviewer: &str,
    lang: Option<&str>,
) -> anyhow::Result<(Vec<GoldLine>, usize, HashMap<String, HashSet<Span>>)> {
    if !db.exists() {
        bail!("no store at {}", db.display());
    }
    let store = hamkor_app::open_store(db).with_context(|| format!("opening {}", db.display()))?;
    let docs: Vec<_> = store.coded_documents(reviewer)?.into_iter().filter(|d| lang.is_none_or(|l| d.lang == l)).collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for d in &docs {
        if let [one] = d.external_ids.as_slice() {
            *uses.entry(one.as_str()).or_default() += 1;
        }
    }
    let mut lines = Vec::with_capacity(docs.len());
    let mut count = 0;
    let mut units = HashMap::new();
    for d in &docs {
        let id = match d.external_ids.as_slice() {
            [one] if uses[one.as_str()] == 1 => one.clone(),
            _ => d.content_hash.clone(),
        };
        units.insert(id.clone(), d.units.iter().map(|u| Span { start: u.coding.evidence_start, end: u.coding.evidence_end }).collect());
        let mut events = Vec::new();
        for u in &d.units {
            let c = &u.coding;
            if c.event_type == "none" {
                continue;
            }
            let first = hamkor_store::CodedEvent {
                event_type: c.event_type.clone(),
                actors: c.actors.clone(),
                domains: c.domains.clone(),
                date: c.date.clone(),
            };
            for e in std::iter::once(&first).chain(&u.more) {
                let ev = (|| -> anyhow::Result<GoldEvent> {
                    Ok(GoldEvent::new(
                        e.event_type.parse()?,
                        e.actors.iter().map(|a| ActorCode::new(a)).collect::<Result<_, _>>()?,
                        e.domains.iter().map(|d| d.parse::<Domain>()).collect::<Result<_, _>>()?,
                        e.date.as_deref().map(str::parse::<PartialDate>).transpose()?,
                        Some(Span { start: c.evidence_start, end: c.evidence_end }),
                    ))
                })()
                .with_context(|| {
                    format!("{reviewer:?}'s coding of document {} bytes {}..{}", d.id, c.evidence_start, c.evidence_end)
                })?;
                events.push(ev);
            }
        }
        count += events.len();
        lines.push(GoldLine { id, events, sha256: Some(d.content_hash.clone()) });
    }
    Ok((lines, count, units))
}

/// `hamkor export --format gold --reviewer NAME`: one gold line per document the reviewer coded.
pub fn export_reviewer_gold(db: &Path, reviewer: &str, lang: Option<&str>, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (lines, events, _) = reviewer_gold(db, reviewer, lang)?;
    let sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = std::io::BufWriter::new(sink);
    for l in &lines {
        writeln!(w, "{}", l.to_json_line())?;
    }
    w.flush()?;
    eprintln!("hamkor: export: {} documents coded by {reviewer:?} with {events} events as gold", lines.len());
    Ok(ExitCode::SUCCESS)
}

/// A stored, reviewed event as a gold event.
fn gold_event(e: &hamkor_store::EventRow) -> anyhow::Result<GoldEvent> {
    let event_type: EventType = e.event_type.parse()?;
    let actors = e.actors.iter().map(|a| ActorCode::new(a)).collect::<Result<Vec<_>, _>>()?;
    let domains = e.domains.iter().map(|d| d.parse::<Domain>()).collect::<Result<Vec<_>, _>>()?;
    let date = e.date.as_deref().map(str::parse::<PartialDate>).transpose()?;
    let evidence = Some(Span { start: e.evidence_start, end: e.evidence_end });
    Ok(GoldEvent::new(event_type, actors, domains, date, evidence))
}
