//! The report on the demo collection: it renders in headless Chromium with every chart, every
//! figure's event list links to evidence that exists (the quoted sentence is the document's
//! text at the stated bytes), and the same store and options give the same bytes.

mod analysis_support;

use analysis_support::{demo_store, hamkor, missing_tool, run, which};
use std::collections::BTreeSet;

const CHARTS: &[&str] = &["chart-heatmap", "chart-timeline", "chart-network", "chart-map", "chart-follow"];
const FIGURES: &[&str] = &["fig-heatmap", "fig-timeline", "fig-network", "fig-map", "fig-follow"];

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Every value of `attr="…"` in the markup.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').expect("closed attribute");
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The markup from the element with `id` to the first `until` after it.
fn element<'a>(html: &'a str, id: &str, until: &str) -> &'a str {
    let start = html.find(&format!(" id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}"));
    let len = html[start..].find(until).unwrap_or(html.len() - start);
    &html[start..start + len]
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)?;
    Some(&s[i..i + j])
}

#[test]
fn demo_report_renders_in_chromium_with_every_chart_and_resolving_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let report = dir.path().join("report.html");
    run(hamkor().args(["report", "--db"]).arg(&db).arg("-o").arg(&report));

    let Some(chromium) = which("chromium").or_else(|| which("chromium-browser")) else {
        return missing_tool("chromium");
    };
    let out = run(std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", report.display())));
    let dom = String::from_utf8(out.stdout).expect("UTF-8 DOM");
    assert!(dom.contains("<main>"), "Chromium printed no document:\n{}", &dom[..dom.len().min(500)]);

    let ids: BTreeSet<String> = attrs(&dom, "id").into_iter().collect();
    for chart in CHARTS {
        assert!(ids.contains(*chart), "chart #{chart} missing from the rendered page");
        let svg = element(&dom, chart, "</svg>");
        assert!(svg.contains("<path") || svg.contains("<rect"), "chart #{chart} draws nothing");
    }
    // Every in-page link resolves.
    let hrefs = attrs(&dom, "href");
    let local: Vec<&String> = hrefs.iter().filter(|h| h.starts_with('#')).collect();
    assert!(local.len() > 100, "too few links: {}", local.len());
    for h in &local {
        assert!(ids.contains(&h[1..]), "link {h} points nowhere");
    }
    // Every figure has an event list with events that link to evidence and to a source.
    for fig in FIGURES {
        assert!(ids.contains(*fig), "figure #{fig} missing");
        let list = element(&dom, &format!("list-{fig}"), "</ul>");
        let evs: Vec<String> = attrs(list, "href").into_iter().filter(|h| h.starts_with("#ev-")).collect();
        assert!(!evs.is_empty(), "figure {fig} lists no events");
        assert!(list.contains("href=\"#doc-"), "figure {fig} links no source");
    }
    // Each event's evidence is the document's text at the stated bytes, and its source exists.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut checked = 0;
    for id in ids.iter().filter(|i| i.starts_with("ev-") && i.contains("-r")) {
        let li = element(&dom, id, "</li>");
        let quote = between(li, "<blockquote", "</blockquote>")
            .map(|q| unescape(&q[q.find('>').expect("a tag") + 1..]))
            .unwrap_or_else(|| panic!("{id}: no evidence quote"));
        assert!(!quote.trim().is_empty(), "{id}: empty evidence");
        let doc: i64 = between(li, "href=\"#doc-", "\"").expect("a source link").parse().unwrap();
        let bytes = between(li, "bytes ", " ·").expect("byte span");
        let (s, e) = bytes.split_once('–').expect("start–end");
        let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
        let text: String = conn.query_row("SELECT text FROM documents WHERE id = ?1", [doc], |r| r.get(0)).unwrap();
        let span = text.get(s..e).unwrap_or_else(|| panic!("{id}: bytes {s}..{e} are not a slice of document {doc}"));
        assert_eq!(span.trim(), quote.trim(), "{id}: the quote is not the document's text at {s}..{e}");
        assert!(ids.contains(&format!("doc-{doc}")), "{id}: reference doc-{doc} missing");
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} evidence quotes checked");
    eprintln!("checked {} charts, {} links, {checked} evidence quotes", CHARTS.len(), local.len());
}

#[test]
fn reports_are_byte_identical_for_the_same_store_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    for (name, extra) in [("a.html", &[][..]), ("a.md", &["--breakpoint", "2020", "--reports"][..])] {
        let first = dir.path().join(format!("1-{name}"));
        let second = dir.path().join(format!("2-{name}"));
        run(hamkor().args(["report", "--db"]).arg(&db).arg("-o").arg(&first).args(extra));
        run(hamkor().args(["report", "--db"]).arg(&db).arg("-o").arg(&second).args(extra));
        let (x, y) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
        assert!(x == y, "{name}: two runs differ");
        let text = String::from_utf8(x).unwrap();
        if name.ends_with(".md") {
            assert_eq!(text.matches("data:image/svg+xml;base64,").count(), 5, "five charts in the Markdown report");
            assert!(text.contains("Table 2. Before and after the breakpoint"), "a 2020 breakpoint has a before period");
        } else {
            assert!(text.contains("Tables 2 and 3 (before and after) are left out"), "the demo starts in 2017");
        }
    }
    let out = hamkor().args(["report", "--db"]).arg(&db).arg("-o").arg(dir.path().join("x.pdf")).output().unwrap();
    assert!(!out.status.success(), "a .pdf report is refused");
}
