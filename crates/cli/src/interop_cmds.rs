//! Exchange with other tools: `hamkor export --format qdpx|qdc` (REFI-QDA projects and
//! codebooks for NVivo, ATLAS.ti, MAXQDA and QualCoder) and `hamkor import qdpx` (a researcher's
//! codings back as a reviewer's) and
//! `hamkor import gdelt|acled` (event datasets, kept apart from coded events). The formats are
//! `hamkor-interop`'s; the store keeps the rows; this file reads files, wires the two together
//! and prints.

use crate::analysis_cmds::ExportArgs;
use crate::store_cmds::DbArg;
use anyhow::{bail, Context};
use clap::Args;
use hamkor_interop::positions::QdaText;
use hamkor_interop::{refi, units};
use hamkor_model::{ActorCode, Domain, EventType, ImportSource, PartialDate, Span, CENTRAL_ASIA};
use hamkor_store::{CodedEvent, Coding, EventFilter, EventRow, SqliteStore, Store, UnitCoding};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::io::Write;
use std::process::ExitCode;

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    anyhow::ensure!(db.exists(), "no store at {} (ingest something first: hamkor ingest --db {} FOLDER)", db.display(), db.display());
    hamkor_app::open_store(db).with_context(|| format!("opening {}", db.display()))
}

/// Now as `xs:dateTime` in UTC.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as i64;
    let day = PartialDate::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

fn no_filter(f: &EventFilter) -> bool {
    f.actors.is_empty()
        && f.event_type.is_none()
        && f.domain.is_none()
        && f.from.is_none()
        && f.to.is_none()
        && f.lang.is_none()
        && f.document.is_none()
        && f.limit.is_none()
}

/// `hamkor export --format qdpx|qdc`.
pub fn export_qda(a: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = a.filter.open()?;
    let filter = a.filter.to_filter()?;
    // The reports the filters select, by document.
    let mut by_doc: BTreeMap<i64, Vec<EventRow>> = BTreeMap::new();
    store.for_each_event(&filter, &mut |e| {
        by_doc.entry(e.document_id).or_default().push(e);
        Ok(())
    })?;
    let mut actors: BTreeSet<String> = CENTRAL_ASIA.iter().map(|s| s.to_string()).collect();
    for rows in by_doc.values() {
        for e in rows {
            actors.extend(e.actors.iter().cloned());
        }
    }
    let actors: Vec<(ActorCode, String)> =
        actors.iter().filter_map(|a| ActorCode::new(a).ok()).map(|a| (a, String::new())).collect();
    if a.format == "qdc" {
        let mut out: Box<dyn Write> = match &a.output {
            Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?),
            None => Box::new(std::io::stdout().lock()),
        };
        let n = refi::write_qdc(&actors, &mut out)?;
        out.flush()?;
        eprintln!("hamkor: export: codebook of {n} codes (types, domains, {} actors)", actors.len());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = &a.output else { bail!("--format qdpx writes a zip: give the file with -o project.qdpx") };
    // Every document when no filter is given (a researcher may code what hamkor did not);
    // else the documents of the selected reports.
    let ids: Vec<i64> = by_doc.keys().copied().collect();
    let ids = if no_filter(&filter) { None } else { Some(ids.as_slice()) };
    let mut documents = Vec::new();
    let mut bad = Vec::new();
    store.document_texts(ids, &mut |d| {
        let rows = by_doc.remove(&d.id).unwrap_or_default();
        let mut reports = Vec::with_capacity(rows.len());
        for e in rows {
            let report = (|| -> anyhow::Result<refi::Report> {
                Ok(refi::Report {
                    event_id: e.id,
                    evidence: Span::new(e.evidence_start, e.evidence_end),
                    event_type: e.event_type.parse::<EventType>()?,
                    domains: e.domains.iter().map(|d| d.parse::<Domain>()).collect::<Result<_, _>>()?,
                    actors: e.actors.iter().map(|a| ActorCode::new(a)).collect::<Result<_, _>>()?,
                    date: e.date.clone(),
                    confidence: e.confidence,
                })
            })();
            match report {
                Ok(r) => reports.push(r),
                Err(err) => bad.push(format!("event {}: {err:#}", e.id)),
            }
        }
        documents.push(refi::Document {
            id: d.id,
            content_hash: d.content_hash,
            title: d.title,
            published: d.published,
            lang: d.lang,
            text: d.text,
            reports,
        });
        Ok(())
    })?;
    let name = a.filter.db.file_name().map_or_else(|| "hamkor".to_string(), |n| n.to_string_lossy().into_owned());
    let project = refi::Project {
        name: format!("hamkor: {name}"),
        created: now_utc(),
        reviewers: store.reviewer_names()?,
        actors,
        documents,
    };
    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let written = refi::write_qdpx(&project, std::io::BufWriter::new(file))?;
    for why in bad.iter().chain(&written.skipped) {
        eprintln!("hamkor: export: left out {why}");
    }
    eprintln!(
        "hamkor: export: {} text sources, {} coded selections, {} codes, {} users to {}",
        written.sources,
        written.selections,
        written.codes,
        project.reviewers.len() + 1,
        path.display()
    );
    Ok(if bad.is_empty() && written.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[derive(Args)]
pub struct QdpxArgs {
    /// The project (.qdpx) exported by NVivo, ATLAS.ti, MAXQDA or QualCoder.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Whose codings these are. Default: the project's one user besides hamkor.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    #[command(flatten)]
    pub db: DbArg,
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `hamkor import qdpx FILE`.
pub fn import_qdpx(a: QdpxArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(&a.db.db)?;
    let file = std::fs::File::open(&a.file).with_context(|| format!("opening {}", a.file.display()))?;
    let project = refi::read_qdpx(std::io::BufReader::new(file)).with_context(|| format!("reading {}", a.file.display()))?;
    let reviewer = match &a.reviewer {
        Some(r) => r.trim().to_string(),
        None => {
            let people: BTreeSet<&String> = project.users.values().filter(|u| u.as_str() != refi::MACHINE_USER).collect();
            match people.len() {
                1 => people.into_iter().next().cloned().unwrap_or_default(),
                0 => bail!("the project names no user besides hamkor: say whose codings these are with --reviewer NAME"),
                _ => bail!(
                    "the project has {} users ({}): say whose codings these are with --reviewer NAME",
                    people.len(),
                    people.into_iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            }
        }
    };
    anyhow::ensure!(!reviewer.is_empty() && reviewer != refi::MACHINE_USER, "--reviewer: a person's name, not {reviewer:?}");
    let mut problems: Vec<String> = Vec::new();
    // Each unit (document, span) the selections code, in the order first seen, with what each
    // selection on it says: one coding per unit, however many selections fall on it.
    let mut by_unit: Vec<((i64, Span), Vec<units::Said>)> = Vec::new();
    let mut unit_index: HashMap<(i64, Span), usize> = HashMap::new();
    let (mut matched, mut selections) = (0usize, 0usize);
    for s in &project.sources {
        // The document: by the hash of the text the project carries, else by the hash the
        // export recorded (a text whose line ends were changed), checked against the text.
        let mut found = store.document_id_by_hash(&sha256_hex(&s.text))?;
        if found.is_none() {
            if let Some(h) = s.variables.get(refi::VAR_HASH) {
                found = store.document_id_by_hash(h.trim())?;
            }
        }
        let Some(doc) = found else {
            problems.push(format!("source {:?}: no stored document has this text; skipped", s.name));
            continue;
        };
        let mut stored = None;
        store.document_texts(Some(&[doc]), &mut |d| {
            stored = Some(d.text);
            Ok(())
        })?;
        let stored = stored.unwrap_or_default();
        let q = QdaText::new(&stored);
        if q.text != s.text {
            problems.push(format!("source {:?}: its text differs from document {doc}'s; skipped", s.name));
            continue;
        }
        matched += 1;
        let evidence: Vec<Span> = store.evidence_spans(doc)?.into_iter().map(|(a, b)| Span::new(a, b)).collect();
        let sentences = hamkor_text::sentences::split(&stored);
        for sel in &s.selections {
            let (Some(start), Some(end)) = (q.byte_of_char(sel.start), q.byte_of_char(sel.end)) else {
                problems.push(format!(
                    "source {:?}, selection {:?}: characters {}..{} are past the end of the text",
                    s.name, sel.name, sel.start, sel.end
                ));
                continue;
            };
            let Some(unit) = (start < end).then(|| units::unit_of(&stored, start, end, &evidence, &sentences)).flatten() else {
                problems.push(format!("source {:?}, selection {:?}: empty", s.name, sel.name));
                continue;
            };
            let c = project.coding(sel);
            let date = match &c.date {
                Some(d) if d.parse::<PartialDate>().is_err() => {
                    problems.push(format!("source {:?}, selection {:?}: date {d:?} is not YYYY[-MM[-DD]]; left out", s.name, sel.name));
                    None
                }
                d => d.clone(),
            };
            selections += 1;
            let said = units::Said { types: c.types, actors: c.actors, domains: c.domains, date };
            match unit_index.get(&(doc, unit)) {
                Some(&i) => by_unit[i].1.push(said),
                None => {
                    unit_index.insert((doc, unit), by_unit.len());
                    by_unit.push(((doc, unit), vec![said]));
                }
            }
        }
    }
    let merged = selections - by_unit.len();
    let codings: Vec<UnitCoding> = by_unit
        .iter()
        .map(|((doc, unit), said)| {
            let mut events = units::merge(said).into_iter().map(|e| CodedEvent {
                event_type: e.event_type.code().to_string(),
                actors: e.actors.iter().map(|a| a.as_str().to_string()).collect(),
                domains: e.domains.iter().map(|d| d.code().to_string()).collect(),
                date: e.date,
            });
            let first = events.next().unwrap_or(CodedEvent { event_type: "none".into(), actors: vec![], domains: vec![], date: None });
            UnitCoding {
                coding: Coding {
                    document_id: *doc,
                    evidence_start: unit.start,
                    evidence_end: unit.end,
                    reviewer: reviewer.clone(),
                    event_type: first.event_type,
                    actors: first.actors,
                    domains: first.domains,
                    date: first.date,
                    at: String::new(),
                },
                more: events.collect(),
            }
        })
        .collect();
    let events: usize = codings.iter().map(|u| usize::from(u.coding.event_type != "none") + u.more.len()).sum();
    let reason = format!("imported from {}", a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned()));
    let done = store.import_codings(&codings, &reason)?;
    for p in &problems {
        eprintln!("hamkor: import qdpx: {p}");
    }
    eprintln!(
        "hamkor: import qdpx: {matched} of {} sources matched stored documents; {selections} selections coding {} units \
         ({merged} merged into a unit another selection codes), {events} events, as codings by {reviewer:?}: \
         {} added, {} changed, {} unchanged",
        project.sources.len(),
        codings.len(),
        done.added,
        done.changed,
        done.unchanged
    );
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[derive(Args)]
pub struct DatasetArgs {
    /// The files: GDELT exports (.CSV or .zip), or ACLED CSV exports.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
}

/// `hamkor import gdelt|acled FILE…`.
pub fn import_dataset(source: ImportSource, a: DatasetArgs) -> anyhow::Result<ExitCode> {
    let db = &a.db.db;
    let mut store = hamkor_app::open_store(db).with_context(|| format!("opening {}", db.display()))?;
    let (mut rows, mut outside, mut bad, mut added, mut known, mut failed_files) = (0, 0, 0, 0, 0, 0);
    for path in &a.files {
        let shown = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("hamkor: {shown}: {e}");
                failed_files += 1;
                continue;
            }
        };
        let parsed = match source {
            ImportSource::Gdelt => hamkor_interop::gdelt::parse(&shown, &bytes),
            ImportSource::Acled => hamkor_interop::acled::parse(&shown, &bytes),
        };
        for b in &parsed.bad {
            eprintln!("hamkor: {b}; skipped");
        }
        let counts = store.add_imported(&parsed.events, &shown)?;
        rows += parsed.rows;
        outside += parsed.outside;
        bad += parsed.bad.len();
        added += counts.added;
        known += counts.known;
    }
    eprintln!(
        "hamkor: import {source}: {rows} rows read, {} about Central Asia ({added} added, {known} already stored), \
         {outside} elsewhere left out, {bad} malformed skipped",
        rows - outside
    );
    Ok(if bad > 0 || failed_files > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `hamkor stats panel --source gdelt|acled`: imported events counted by the dimensions they
/// have (dyad, actor, year, month, type, code), with fatalities and the mean Goldstein score.
pub fn imported_panel(a: &crate::analysis_cmds::PanelArgs) -> anyhow::Result<ExitCode> {
    use crate::analysis_cmds::TableFormat;
    use hamkor_analysis::imported::{panel, ImportedDim};
    let source: ImportSource = a.source.parse().map_err(anyhow::Error::msg)?;
    let f = &a.filter;
    anyhow::ensure!(
        f.flags.domain.is_none() && f.flags.lang.is_none() && f.flags.source.is_none() && f.flags.review.is_none(),
        "--domain, --lang, --source-path and --review do not apply to imported events (they have no domains, documents or reviews)"
    );
    anyhow::ensure!(a.weights.is_none() && !a.reports, "--weights and --reports apply to coded events only");
    let filter = f.to_filter()?;
    let store = f.open()?;
    let events = store.imported_events(&hamkor_store::ImportedQuery {
        source: Some(source),
        actors: filter.actors.iter().map(|a| a.to_string()).collect(),
        from: filter.from,
        to: filter.to,
        event_type: filter.event_type.map(|t| t.code().to_string()),
        ids: None,
        limit: filter.limit,
    })?;
    // The default dimensions of coded panels name domains, which imported events do not have.
    let by = if a.by == "dyad,domain,year" { "dyad,year" } else { a.by.as_str() };
    let dims = by.split(',').filter(|s| !s.trim().is_empty()).map(ImportedDim::parse).collect::<Result<Vec<_>, _>>()?;
    anyhow::ensure!(!dims.is_empty(), "--by needs at least one dimension");
    let p = panel(&events, &dims);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let g = |v: Option<f64>| v.map_or(String::new(), |v| if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v:.4}") });
    if a.format == TableFormat::Json {
        let rows: Vec<serde_json::Value> = p
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (c, k) in p.columns.iter().zip(&r.key) {
                    m.insert(c.to_string(), k.clone().into());
                }
                m.insert("count".into(), r.count.into());
                m.insert("fatalities".into(), r.fatalities.into());
                m.insert("goldstein".into(), r.goldstein.into());
                m.insert("ids".into(), r.ids.clone().into());
                serde_json::Value::Object(m)
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({"source": source, "columns": p.columns, "events": events.len(), "rows": rows}))?;
        writeln!(out)?;
    } else {
        let mut header: Vec<&str> = p.columns.clone();
        header.extend(["count", "fatalities", "goldstein"]);
        let rows: Vec<Vec<String>> = p
            .rows
            .iter()
            .map(|r| {
                let mut v = r.key.clone();
                v.extend([r.count.to_string(), r.fatalities.to_string(), g(r.goldstein)]);
                v
            })
            .collect();
        crate::analysis_cmds::print_table(&header, &rows, a.format, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
