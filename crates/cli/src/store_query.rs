//! `hamkor search`, `events`, `show` and `stats`: read-only views of the store.

use super::{open_existing, EventFormat, EventsArgs, ListFormat, SearchArgs, ShowArgs, StatsArgs};
use hamkor_store::{EventRow, SearchQuery, Store, MATCH_END, MATCH_START};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Colour only for a person at a terminal who has not asked for none (no-color.org).
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

const HL_ON: &str = "\x1b[1;30;43m";
const HL_OFF: &str = "\x1b[0m";

/// Replace the store's match marks with ANSI highlighting or with `[[` `]]`.
fn marks(s: &str, colour: bool) -> String {
    let (on, off) = if colour { (HL_ON, HL_OFF) } else { ("[[", "]]") };
    s.replace(MATCH_START, on).replace(MATCH_END, off)
}

/// Whitespace collapsed, and nothing a terminal would act on (see crate::terminal); the
/// store's match marks are kept for [`marks`].
fn one_line(s: &str) -> String {
    crate::terminal::printable(s, &[MATCH_START, MATCH_END]).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(s: &str, max: usize) -> String {
    hamkor_ingest::extract::cut(s, max)
}

pub fn search(a: SearchArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&a.db.db)?;
    let query = SearchQuery { text: a.query.join(" "), limit: a.limit, lang: a.lang };
    let hits = store.search(&query)?;
    let mut out = std::io::stdout().lock();
    match a.format {
        ListFormat::Jsonl => {
            for mut h in hits {
                h.snippet = marks(&h.snippet, false);
                writeln!(out, "{}", serde_json::to_string(&h)?)?;
            }
        }
        ListFormat::Table => {
            let c = colour();
            if hits.is_empty() {
                eprintln!("hamkor: search: no document matches {:?}", query.text);
            }
            for h in hits {
                writeln!(
                    out,
                    "#{:<5} {:<3} {:<10} {}",
                    h.id,
                    h.lang,
                    h.published.as_deref().unwrap_or("-"),
                    cut(&one_line(h.title.as_deref().unwrap_or("(untitled)")), 90)
                )?;
                writeln!(out, "       {}", marks(&one_line(&h.snippet), c))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn events(a: EventsArgs) -> anyhow::Result<ExitCode> {
    let filter = a.filter.to_filter()?;
    let store = open_existing(&a.db.db)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut n = 0u64;
    let mut write = |e: EventRow| -> std::io::Result<()> {
        n += 1;
        match a.format {
            EventFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(&e).expect("an event row serialises")),
            EventFormat::Csv => {
                if n == 1 {
                    writeln!(out, "{}", CSV_HEADER.join(","))?;
                }
                writeln!(out, "{}", csv_row(&e))
            }
            EventFormat::Table => {
                if n == 1 {
                    writeln!(
                        out,
                        "{:<10}  {:<14}  {:<17}  {:<22}  {:>5}  evidence",
                        "date", "type", "actors", "domains", "doc"
                    )?;
                }
                let date = e.date.clone().or_else(|| e.document_date.as_ref().map(|d| format!("({d})")));
                writeln!(
                    out,
                    "{:<10}  {:<14}  {:<17}  {:<22}  {:>5}  {}",
                    date.unwrap_or_else(|| "-".into()),
                    e.event_type,
                    cut(&e.actors.join(","), 16),
                    cut(&e.domains.join(","), 21),
                    e.document_id,
                    cut(&one_line(&e.evidence), 80)
                )
            }
        }
    };
    let mut output_error: Option<std::io::Error> = None;
    let listed = store.for_each_event(&filter, &mut |e| {
        write(e).map_err(|io| {
            let stop = hamkor_store::Error::Corrupt(format!("writing the listing: {io}"));
            output_error = Some(io);
            stop
        })
    });
    match (listed, output_error) {
        // A closed pipe (`| head`) ends the listing; it is not an error.
        (Err(_), Some(io)) if io.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        (Err(e), _) => return Err(e.into()),
        (Ok(()), _) => {}
    }
    let _ = out.flush();
    if n == 0 && a.format == EventFormat::Table {
        eprintln!("hamkor: events: no event matches");
    }
    Ok(ExitCode::SUCCESS)
}

const CSV_HEADER: &[&str] = &[
    "event_id",
    "document_id",
    "date",
    "document_date",
    "type",
    "actors",
    "domains",
    "confidence",
    "lexicon",
    "lang",
    "evidence_start",
    "evidence_end",
    "evidence",
    "document_title",
];

/// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(e: &EventRow) -> String {
    [
        e.id.to_string(),
        e.document_id.to_string(),
        e.date.clone().unwrap_or_default(),
        e.document_date.clone().unwrap_or_default(),
        e.event_type.clone(),
        e.actors.join(";"),
        e.domains.join(";"),
        format!("{:.3}", e.confidence),
        e.lexicon.clone(),
        e.lang.clone(),
        e.evidence_start.to_string(),
        e.evidence_end.to_string(),
        e.evidence.clone(),
        e.document_title.clone().unwrap_or_default(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// The text with every evidence span marked; overlapping spans are merged, and spans are
/// widened to character boundaries so that a bad offset can never split a character.
fn highlight(text: &str, spans: &[(usize, usize)], colour: bool) -> String {
    let (on, off) = if colour { (HL_ON, HL_OFF) } else { ("[[", "]]") };
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| {
            let mut s = s.min(text.len());
            let mut e = e.min(text.len()).max(s);
            while !text.is_char_boundary(s) {
                s -= 1;
            }
            while !text.is_char_boundary(e) {
                e += 1;
            }
            (s, e)
        })
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 16);
    let mut at = 0;
    let safe = |s: &str| crate::terminal::printable(s, &[]).into_owned();
    for (s, e) in merged {
        out.push_str(&safe(&text[at..s]));
        out.push_str(on);
        out.push_str(&safe(&text[s..e]));
        out.push_str(off);
        at = e;
    }
    out.push_str(&safe(&text[at..]));
    out
}

pub fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&a.db.db)?;
    let Some(doc) = store.find_document(&a.doc)? else {
        anyhow::bail!(
            "no document {:?} in {} (give an id, a content-hash prefix, or a source path)",
            a.doc,
            a.db.db.display()
        );
    };
    let c = colour();
    let mut out = std::io::stdout().lock();
    let bold = |s: &str| if c { format!("\x1b[1m{s}\x1b[0m") } else { s.to_string() };
    let title = one_line(doc.title.as_deref().unwrap_or("(untitled)"));
    writeln!(out, "{}", bold(&format!("Document {}: {title}", doc.id)))?;
    writeln!(out, "  hash       {}", doc.content_hash)?;
    writeln!(
        out,
        "  published  {}   language {} ({})   format {}",
        doc.published.as_deref().unwrap_or("-"),
        doc.lang,
        doc.script,
        doc.format
    )?;
    writeln!(out, "  ingested   {}", doc.ingested_at)?;
    writeln!(
        out,
        "  coded      with lexicon {} at {}",
        doc.coded_with.as_deref().unwrap_or("-"),
        doc.coded_at.as_deref().unwrap_or("-")
    )?;
    for (i, s) in doc.sources.iter().enumerate() {
        let id = s.external_id.as_deref().map(|x| format!(" [{}]", crate::terminal::escaped(x))).unwrap_or_default();
        writeln!(
            out,
            "  {} {}{id} (first seen {})",
            if i == 0 { "source    " } else { "          " },
            crate::terminal::escaped(&s.location),
            s.first_seen
        )?;
    }
    writeln!(out)?;
    let spans: Vec<(usize, usize)> = doc.events.iter().map(|e| (e.evidence_start, e.evidence_end)).collect();
    writeln!(out, "{}", highlight(&doc.text, &spans, c))?;
    writeln!(out)?;
    writeln!(out, "{}", bold(&format!("Events ({})", doc.events.len())))?;
    for (i, e) in doc.events.iter().enumerate() {
        writeln!(
            out,
            "  {}. {}  {}  {}  date {}  confidence {:.2}  bytes {}..{}",
            i + 1,
            e.event_type,
            e.actors.join("–"),
            e.domains.join(","),
            e.date.as_deref().unwrap_or("-"),
            e.confidence,
            e.evidence_start,
            e.evidence_end
        )?;
        writeln!(out, "     {}", marks(&format!("{MATCH_START}{}{MATCH_END}", one_line(&e.evidence)), c))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(a: StatsArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&a.db.db)?;
    let stats = store.stats()?;
    let failures = store.failures(20)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut v = serde_json::to_value(&stats)?;
        v["recent_failures"] = serde_json::to_value(&failures)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "store          {}", a.db.db.display())?;
    writeln!(out, "documents      {} ({} sources)", stats.documents, stats.sources)?;
    writeln!(out, "events         {}", stats.events)?;
    writeln!(out, "failed files   {}", stats.failed_files)?;
    writeln!(out, "by type        {}", list(&stats.events_by_type))?;
    writeln!(out, "by language    {}", list(&stats.documents_by_language))?;
    writeln!(out, "by format      {}", list(&stats.documents_by_format))?;
    writeln!(out, "by lexicon     {}", list(&stats.documents_by_lexicon))?;
    let dyads: Vec<String> = stats.top_dyads.iter().map(|d| format!("{}–{} {}", d.a, d.b, d.events)).collect();
    writeln!(out, "top dyads      {}", dyads.join(", "))?;
    if !failures.is_empty() {
        writeln!(out, "\nrecent failures:")?;
        for f in failures {
            let item = if f.item.is_empty() { String::new() } else { format!(" ({})", f.item) };
            let item = crate::terminal::escaped(&item);
            writeln!(out, "  {}{item}: {}", crate::terminal::escaped(&f.path), crate::terminal::escaped(&f.reason))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_merges_and_respects_characters() {
        let t = "Ўзбекистон ва Тожикистон";
        // 1..3 starts inside "Ў" (two bytes): widened to the whole letter.
        assert_eq!(highlight(t, &[(1, 3), (2, 4)], false), "[[Ўз]]бекистон ва Тожикистон");
        assert_eq!(highlight("abcdef", &[(4, 6), (0, 2), (1, 3)], false), "[[abc]]d[[ef]]");
        assert_eq!(highlight("abc", &[(5, 9)], false), "abc");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
    }
}
