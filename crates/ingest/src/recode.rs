//! `hamkor recode`: re-code every document whose events come from another lexicon version.
//!
//! Resumable by construction: each batch's new events and its `coded_with` are written in one
//! transaction, and the next run asks only for documents still on another version.

use crate::pipeline::guard;
use crate::Result;
use hamkor_coder::Coder;
use hamkor_model::InputDocument;
use hamkor_store::{Store, WriteOp};

/// Documents per transaction.
const BATCH: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct RecodeCounters {
    /// Documents to re-code when the run started.
    pub total: u64,
    pub recoded: u64,
    pub events: u64,
    /// Documents the coder failed on (left on their old version, reported).
    pub failed: u64,
}

pub enum RecodeProgress<'a> {
    Failed { document_id: i64, error: &'a str },
    Tick(&'a RecodeCounters),
}

pub fn recode(
    store: &mut dyn Store,
    coder: &Coder,
    workers: usize,
    observe: &mut dyn FnMut(RecodeProgress<'_>),
) -> Result<RecodeCounters> {
    let workers = if workers == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { workers };
    let lexicon = coder.lexicon_version().to_string();
    let mut counters = RecodeCounters { total: store.count_to_recode(&lexicon)?, ..Default::default() };
    observe(RecodeProgress::Tick(&counters));
    // The cursor skips documents the coder failed on, so a failing document cannot loop forever.
    let mut after = 0;
    loop {
        let batch = store.documents_to_recode(&lexicon, after, BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let chunk = batch.len().div_ceil(workers);
        let results: Vec<(i64, Result<Vec<hamkor_model::Event>>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .enumerate()
                .map(|(i, part)| {
                    let coder = &coder;
                    // Named like the ingest workers, so the CLI keeps caught panics quiet.
                    std::thread::Builder::new()
                        .name(format!("hamkor-ingest-recode-{i}"))
                        .spawn_scoped(scope, move || {
                            part.iter()
                                .map(|d| {
                                    let input = InputDocument {
                                        id: d.id.to_string(),
                                        text: d.text.clone(),
                                        lang: (d.lang != "und").then(|| d.lang.clone()),
                                        // Stored documents are coded without their publisher for now: ingest and recode
                                        // must agree, and the store keeps no publisher per document yet.
                                        source: None,
                                        date: d.published,
                                    };
                                    (d.id, guard("coding the text", || Ok(coder.code(&input).events)))
                                })
                                .collect::<Vec<_>>()
                        })
                        .expect("spawn a coding thread")
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("panics are caught inside")).collect()
        });
        let mut ops = Vec::with_capacity(results.len());
        for (id, r) in results {
            match r {
                Ok(events) => ops.push(WriteOp::Recoded { document_id: id, events, lexicon: lexicon.clone() }),
                Err(e) => {
                    counters.failed += 1;
                    observe(RecodeProgress::Failed { document_id: id, error: &e.to_string() });
                }
            }
        }
        let applied = store.apply(&ops)?;
        counters.recoded += applied.recoded;
        counters.events += applied.events_added;
        observe(RecodeProgress::Tick(&counters));
    }
    Ok(counters)
}
