//! HTML and Markdown rendering of the report's blocks.

use crate::{slugify, Block, Doc};
use hamkor_analysis::CanonicalEvent;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The output format, by the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    /// `.html`/`.htm` → HTML, `.md`/`.markdown` → Markdown.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

pub(crate) fn render(doc: &Doc<'_>, format: Format) -> String {
    match format {
        Format::Html => html(doc),
        Format::Markdown => markdown(doc),
    }
}

/// The imported events some figure counts, in the order of the input.
fn imported_shown<'a>(doc: &'a Doc<'_>) -> impl Iterator<Item = &'a hamkor_model::ImportedEvent> {
    let shown: BTreeSet<i64> = doc
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::ImportedList { groups, .. } => groups.iter().flat_map(|g| g.1.iter().copied()).collect::<Vec<_>>(),
            _ => vec![],
        })
        .collect();
    doc.input.imported.iter().filter(move |e| shown.contains(&e.id))
}

fn imported_line(e: &hamkor_model::ImportedEvent) -> String {
    let mut s = format!(
        "{} {} {}, {} ({}{}), {}",
        e.source.code().to_uppercase(),
        e.external_id,
        e.date,
        e.type_code(),
        e.code,
        if e.subcode.is_empty() { String::new() } else { format!(" · {}", e.subcode) },
        e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")
    );
    if !e.location.is_empty() {
        s.push_str(&format!(", {}", e.location));
    }
    if let Some(f) = e.fatalities {
        s.push_str(&format!(", {f} fatalities"));
    }
    if let Some(g) = e.goldstein {
        s.push_str(&format!(", Goldstein {g:.1}"));
    }
    if !e.notes.is_empty() {
        s.push_str(&format!(". {}", e.notes));
    }
    s
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The href of a source: a URL as it is, an absolute path as a file: URL (a JSON lines
/// `path:line` without its line), anything else none.
fn source_href(loc: &str) -> Option<String> {
    if loc.starts_with("http://") || loc.starts_with("https://") {
        return Some(loc.to_string());
    }
    if loc.starts_with('/') {
        let path = match loc.rsplit_once(':') {
            Some((p, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => p,
            _ => loc,
        };
        let mut out = String::from("file://");
        for b in path.bytes() {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                out.push(b as char);
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
        return Some(out);
    }
    None
}

/// Unique element ids: a second use of an id gets `-2`, and so on.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn take(&mut self, id: String) -> String {
        if self.0.insert(id.clone()) {
            return id;
        }
        let mut k = 2;
        loop {
            let c = format!("{id}-{k}");
            if self.0.insert(c.clone()) {
                return c;
            }
            k += 1;
        }
    }
}

/// The documents of an event's reports, in order, once each.
fn event_docs(e: &CanonicalEvent) -> Vec<i64> {
    let mut v: Vec<i64> = e.reports.iter().map(|r| r.document_id).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn event_line(e: &CanonicalEvent) -> String {
    format!(
        "{}{} · {} · {} · {}",
        e.date.map_or("undated".to_string(), |d| d.to_string()),
        if e.date_from_document { " (document date)" } else { "" },
        e.event_type,
        e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", "),
        e.domains.iter().map(|d| d.code()).collect::<Vec<_>>().join(", ")
    )
}

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#222;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}\
h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ddd}figure{margin:1.5em 0}figcaption,caption{font-size:.9em;color:#444;text-align:left;margin:.4em 0}\
figure svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:.85em;margin:1em 0}th,td{border-bottom:1px solid #e2e2e2;padding:.25em .6em;vertical-align:top}\
th{background:#f4f4f4;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}.event-list{font-size:.8em;color:#333;margin:.5em 0 1.5em}\
.event-list ul{margin:.3em 0;padding-left:1.4em}.event-list .key{font-weight:bold}.ev,.src{text-decoration:none}.src{font-size:.85em;margin-left:.1em}\
.note{font-size:.85em;color:#555}.event{border-top:1px solid #eee;padding:.3em 0}.event-head{margin:.2em 0;font-size:.9em}\
.evidence{margin:.2em 0 .2em 1em;padding-left:.6em;border-left:3px solid #c6dbef;font-size:.9em}.reports{margin:0;padding-left:1.4em}\
.references li{margin:.3em 0;font-size:.85em}code{font-size:.9em;word-break:break-all}";

fn html(doc: &Doc<'_>) -> String {
    let mut ids = Ids::default();
    let mut o = String::new();
    let title = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading { level: 1, text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"hamkor report\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    );
    for b in &doc.blocks {
        match b {
            Block::Heading { level, id, text } => {
                let _ = writeln!(o, "<h{level} id=\"{}\">{}</h{level}>", ids.take(id.clone()), esc(text));
            }
            Block::Para(t) => {
                let _ = writeln!(o, "<p>{}</p>", esc(t));
            }
            Block::Note(t) => {
                let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t));
            }
            Block::Figure { id, caption, svg } => {
                let _ = writeln!(
                    o,
                    "<figure id=\"{}\" class=\"figure\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                    ids.take(id.clone()),
                    esc(caption)
                );
            }
            Block::Table { id, caption, header, rows, numeric } => {
                let _ = writeln!(o, "<table id=\"{}\">\n<caption>{}</caption>", ids.take(id.clone()), esc(caption));
                o.push_str("<thead><tr>");
                for h in header {
                    let _ = write!(o, "<th>{}</th>", esc(h));
                }
                o.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    o.push_str("<tr>");
                    for (k, c) in r.iter().enumerate() {
                        let cls = if numeric.get(k).copied().unwrap_or(false) { " class=\"num\"" } else { "" };
                        let _ = write!(o, "<td{cls}>{}</td>", esc(c));
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</tbody>\n</table>\n");
            }
            Block::EventList { for_id, groups } => {
                let total: BTreeSet<i64> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
                let _ = writeln!(
                    o,
                    "<div class=\"event-list\" id=\"{}\">\n<p><b>Events behind this {}</b> ({} events; each links to its evidence, and [n] to its source document):</p>\n<ul class=\"events\" data-for=\"{}\">",
                    ids.take(format!("list-{for_id}")),
                    if for_id.starts_with("fig") { "figure" } else { "table" },
                    total.len(),
                    esc(for_id)
                );
                for (label, evs) in groups {
                    let _ = write!(
                        o,
                        "<li id=\"{}\"><span class=\"key\">{}</span>:",
                        ids.take(format!("list-{for_id}-{}", slugify(label))),
                        esc(label)
                    );
                    for id in evs {
                        let _ = write!(o, " <a class=\"ev\" href=\"#ev-{id}\">E{id}</a>");
                        if let Some(e) = doc.by_id.get(id) {
                            for d in event_docs(e) {
                                let _ = write!(o, "<a class=\"src\" href=\"#doc-{d}\">[{d}]</a>");
                            }
                        }
                    }
                    o.push_str("</li>\n");
                }
                o.push_str("</ul>\n</div>\n");
            }
            Block::ImportedList { for_id, groups } => {
                let total: BTreeSet<i64> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
                let _ = writeln!(
                    o,
                    "<div class=\"event-list\" id=\"{}\">\n<p><b>Imported events behind this figure</b> ({} events; each links to its row under the figures):</p>\n<ul class=\"events\">",
                    ids.take(format!("list-imp-{for_id}")),
                    total.len()
                );
                for (label, evs) in groups {
                    let _ = write!(
                        o,
                        "<li id=\"{}\"><span class=\"key\">{}</span>:",
                        ids.take(format!("list-imp-{for_id}-{}", slugify(label))),
                        esc(label)
                    );
                    for id in evs {
                        let _ = write!(o, " <a class=\"ev\" href=\"#imp-{id}\">I{id}</a>");
                    }
                    o.push_str("</li>\n");
                }
                o.push_str("</ul>\n</div>\n");
            }
            Block::Imported => {
                o.push_str("<ol class=\"imported\">\n");
                for e in imported_shown(doc) {
                    let _ = write!(o, "<li id=\"{}\"><b>I{}</b> {}", ids.take(format!("imp-{}", e.id)), e.id, esc(&imported_line(e)));
                    if e.source_url.starts_with("http://") || e.source_url.starts_with("https://") {
                        let _ = write!(o, " <a href=\"{}\">source</a>", esc(&e.source_url));
                    }
                    o.push_str("</li>\n");
                }
                o.push_str("</ol>\n");
            }
            Block::Events => {
                for e in &doc.input.events {
                    let _ = writeln!(
                        o,
                        "<div class=\"event\" id=\"{}\">\n<p class=\"event-head\"><b>E{}</b> {}</p>\n<ol class=\"reports\">",
                        ids.take(format!("ev-{}", e.id)),
                        e.id,
                        esc(&event_line(e))
                    );
                    for (k, r) in e.reports.iter().enumerate() {
                        let _ = writeln!(
                            o,
                            "<li id=\"{}\"><blockquote class=\"evidence\" lang=\"{}\">{}</blockquote><a class=\"src\" href=\"#doc-{}\">[{}]</a> {} · bytes {}–{} · coded event {}</li>",
                            ids.take(format!("ev-{}-r{}", e.id, k + 1)),
                            esc(&r.lang),
                            esc(r.evidence_text.trim()),
                            r.document_id,
                            r.document_id,
                            esc(&r.lang),
                            r.evidence.start,
                            r.evidence.end,
                            r.event_id
                        );
                    }
                    o.push_str("</ol>\n</div>\n");
                }
            }
            Block::References => {
                o.push_str("<ol class=\"references\">\n");
                for d in &doc.input.documents {
                    let _ = write!(
                        o,
                        "<li id=\"{}\" value=\"{}\"><b>[{}]</b> <i>{}</i>. {}, {}, published {}. ",
                        ids.take(format!("doc-{}", d.id)),
                        d.id,
                        d.id,
                        esc(d.title.as_deref().unwrap_or("(untitled)")),
                        esc(&d.lang),
                        esc(&d.format),
                        esc(d.published.as_deref().unwrap_or("–"))
                    );
                    for (k, s) in d.sources.iter().enumerate() {
                        o.push_str(if k == 0 { "Source: " } else { "; " });
                        match source_href(s) {
                            Some(h) => {
                                let _ = write!(o, "<a href=\"{}\"><code>{}</code></a>", esc(&h), esc(s));
                            }
                            None => {
                                let _ = write!(o, "<code>{}</code>", esc(s));
                            }
                        }
                    }
                    let _ = writeln!(
                        o,
                        ". SHA-256 <code>{}</code>.</li>",
                        esc(&d.content_hash[..d.content_hash.len().min(16)])
                    );
                }
                o.push_str("</ol>\n");
            }
        }
    }
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn md_esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn markdown(doc: &Doc<'_>) -> String {
    let mut ids = Ids::default();
    let mut o = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { level, id, text } => {
                let _ = writeln!(
                    o,
                    "<a id=\"{}\"></a>\n\n{} {}\n",
                    ids.take(id.clone()),
                    "#".repeat(*level as usize),
                    md_esc(text)
                );
            }
            Block::Para(t) => {
                let _ = writeln!(o, "{}\n", md_esc(t));
            }
            Block::Note(t) => {
                let _ = writeln!(o, "*{}*\n", md_esc(t));
            }
            Block::Figure { id, caption, svg } => {
                let _ = writeln!(
                    o,
                    "<a id=\"{}\"></a>\n\n![{}](data:image/svg+xml;base64,{})\n\n*{}*\n",
                    ids.take(id.clone()),
                    md_esc(caption),
                    base64(svg.as_bytes()),
                    md_esc(caption)
                );
            }
            Block::Table { id, caption, header, rows, numeric } => {
                let _ = writeln!(o, "<a id=\"{}\"></a>\n\n*{}*\n", ids.take(id.clone()), md_esc(caption));
                let _ = writeln!(o, "| {} |", header.iter().map(|h| md_esc(h)).collect::<Vec<_>>().join(" | "));
                let _ = writeln!(
                    o,
                    "|{}|",
                    (0..header.len())
                        .map(|k| if numeric.get(k).copied().unwrap_or(false) { "---:" } else { "---" })
                        .collect::<Vec<_>>()
                        .join("|")
                );
                for r in rows {
                    let _ = writeln!(o, "| {} |", r.iter().map(|c| md_esc(c)).collect::<Vec<_>>().join(" | "));
                }
                o.push('\n');
            }
            Block::EventList { for_id, groups } => {
                let _ = writeln!(
                    o,
                    "<a id=\"{}\"></a>\n\nEvents behind this {} (each links to its evidence, and [n] to its source document):\n",
                    ids.take(format!("list-{for_id}")),
                    if for_id.starts_with("fig") { "figure" } else { "table" }
                );
                for (label, evs) in groups {
                    let _ = write!(
                        o,
                        "- <a id=\"{}\"></a>**{}**:",
                        ids.take(format!("list-{for_id}-{}", slugify(label))),
                        md_esc(label)
                    );
                    for id in evs {
                        let _ = write!(o, " [E{id}](#ev-{id})");
                        if let Some(e) = doc.by_id.get(id) {
                            for d in event_docs(e) {
                                let _ = write!(o, " [\\[{d}\\]](#doc-{d})");
                            }
                        }
                    }
                    o.push('\n');
                }
                o.push('\n');
            }
            Block::Events => {
                for e in &doc.input.events {
                    let _ = writeln!(
                        o,
                        "<a id=\"{}\"></a>\n\n**E{}** {}\n",
                        ids.take(format!("ev-{}", e.id)),
                        e.id,
                        md_esc(&event_line(e))
                    );
                    for (k, r) in e.reports.iter().enumerate() {
                        let _ = writeln!(
                            o,
                            "{}. <a id=\"{}\"></a>{} — [\\[{}\\]](#doc-{}) {}, bytes {}–{}, coded event {}\n",
                            k + 1,
                            ids.take(format!("ev-{}-r{}", e.id, k + 1)),
                            format_args!("“{}”", md_esc(r.evidence_text.trim())),
                            r.document_id,
                            r.document_id,
                            md_esc(&r.lang),
                            r.evidence.start,
                            r.evidence.end,
                            r.event_id
                        );
                    }
                }
            }
            Block::ImportedList { for_id, groups } => {
                let _ = writeln!(
                    o,
                    "<a id=\"{}\"></a>\n\nImported events behind this figure (each links to its row under the figures):\n",
                    ids.take(format!("list-imp-{for_id}"))
                );
                for (label, evs) in groups {
                    let _ = write!(o, "- <a id=\"{}\"></a>**{}**:", ids.take(format!("list-imp-{for_id}-{}", slugify(label))), md_esc(label));
                    for id in evs {
                        let _ = write!(o, " [I{id}](#imp-{id})");
                    }
                    o.push('\n');
                }
                o.push('\n');
            }
            Block::Imported => {
                for e in imported_shown(doc) {
                    let _ = write!(o, "- <a id=\"{}\"></a>**I{}** {}", ids.take(format!("imp-{}", e.id)), e.id, md_esc(&imported_line(e)));
                    if e.source_url.starts_with("http://") || e.source_url.starts_with("https://") {
                        let _ = write!(o, " [source](<{}>)", e.source_url);
                    }
                    o.push('\n');
                }
                o.push('\n');
            }
            Block::References => {
                for d in &doc.input.documents {
                    let sources: Vec<String> = d
                        .sources
                        .iter()
                        .map(|s| match source_href(s) {
                            Some(h) => format!("[`{}`](<{}>)", s.replace('`', "'"), h),
                            None => format!("`{}`", s.replace('`', "'")),
                        })
                        .collect();
                    let _ = writeln!(
                        o,
                        "- <a id=\"{}\"></a>**[{}]** *{}*. {}, {}, published {}. Source: {}. SHA-256 `{}`.",
                        ids.take(format!("doc-{}", d.id)),
                        d.id,
                        md_esc(d.title.as_deref().unwrap_or("(untitled)")),
                        md_esc(&d.lang),
                        md_esc(&d.format),
                        md_esc(d.published.as_deref().unwrap_or("–")),
                        sources.join("; "),
                        &d.content_hash[..d.content_hash.len().min(16)]
                    );
                }
                o.push('\n');
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_hrefs() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(source_href("/a b/c.jsonl:12").as_deref(), Some("file:///a%20b/c.jsonl"));
        assert_eq!(source_href("https://x.org/a?b").as_deref(), Some("https://x.org/a?b"));
        assert_eq!(source_href("-"), None);
        assert_eq!(Format::from_extension("MD"), Some(Format::Markdown));
    }
}
