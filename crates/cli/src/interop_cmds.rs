//! Exchange with other tools: `hamkor export --format qdpx|qdc` (REFI-QDA projects and
//! codebooks for NVivo, ATLAS.ti, MAXQDA and QualCoder). The formats are `hamkor-interop`'s;
//! the store keeps the rows; this file reads files, wires the two together and prints.

use crate::analysis_cmds::ExportArgs;
use anyhow::{bail, Context};
use hamkor_interop::refi;
use hamkor_model::{ActorCode, Domain, EventType, PartialDate, Span, CENTRAL_ASIA};
use hamkor_store::{EventFilter, EventRow, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::ExitCode;

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
