//! HTML: the main text of a saved page (not its menus and scripts), its title and date.
//!
//! The main text comes from dom_smoothie (a port of Mozilla's Readability). Readability is built
//! for article pages and can come back empty-handed on a short or unusual page; then the text of
//! `<body>` without scripts, styles and navigation is used, so that a page with text is never
//! refused for its shape. A page with no text outside scripts and styles is refused.

use super::{first_line_title, loose_date, tidy, Extracted};
use crate::Error;
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

/// Meta tags that carry a publication date, best first.
const DATE_SELECTORS: &[(&str, &str)] = &[
    (r#"meta[property="article:published_time"]"#, "content"),
    (r#"meta[name="article:published_time"]"#, "content"),
    (r#"meta[itemprop="datePublished"]"#, "content"),
    (r#"meta[name="date"]"#, "content"),
    (r#"meta[name="pubdate"]"#, "content"),
    (r#"meta[name="DC.date.issued"]"#, "content"),
    (r#"meta[name="DC.date"]"#, "content"),
    (r#"meta[name="dcterms.date"]"#, "content"),
    ("time[datetime]", "datetime"),
];

const NOT_CONTENT: &str = "script, style, noscript, template, svg, iframe, object, nav, header, footer, aside, form";

pub fn extract(html: &str) -> Result<Extracted, Error> {
    let doc = Document::from(html);
    let meta_title = doc.select(r#"meta[property="og:title"]"#).attr("content").map(|t| t.trim().to_string());
    let title_tag = doc.select("title").first().text().trim().to_string();
    let published = DATE_SELECTORS
        .iter()
        .flat_map(|(sel, attr)| doc.select(sel).iter().filter_map(|n| n.attr(attr)).collect::<Vec<_>>())
        .find_map(|v| loose_date(&v));

    doc.select(NOT_CONTENT).remove();
    let body = doc.select("body");
    let fallback = tidy(&if body.exists() { body.formatted_text() } else { doc.formatted_text() });
    if fallback.trim().is_empty() {
        return Err(Error::NoText("the HTML page has no text outside scripts, styles and navigation".into()));
    }

    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let article = Readability::new(html, None, Some(config)).ok().and_then(|mut r| r.parse().ok());
    let (text, article_title) = match article {
        Some(a) if !a.text_content.trim().is_empty() => (tidy(&a.text_content), Some(a.title)),
        Some(a) => (fallback, Some(a.title)),
        None => (fallback, None),
    };
    let title = [meta_title, Some(title_tag), article_title]
        .into_iter()
        .flatten()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty())
        .or_else(|| first_line_title(&text));
    Ok(Extracted { title, published, text, ..Extracted::default() })
}

/// Text of an HTML fragment (a feed item's content): all of it, as formatted text.
pub fn fragment_text(html: &str) -> String {
    let doc = Document::from(html);
    doc.select("script, style, noscript, template").remove();
    tidy(&doc.formatted_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_text_title_and_date() {
        let page = r#"<html><head><title>Site | News</title>
            <meta property="og:title" content="Leaders meet in Astana">
            <meta property="article:published_time" content="2024-08-09T10:00:00+05:00">
            <script>var tracking = "do not index me";</script></head>
            <body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
            <article><h1>Leaders meet in Astana</h1>
            <p>The presidents of Kazakhstan and Uzbekistan met in Astana on Friday to discuss water.</p>
            <p>They agreed to continue the dialogue on the joint use of transboundary rivers.</p></article>
            <footer>Copyright</footer></body></html>"#;
        let e = extract(page).unwrap();
        assert_eq!(e.title.as_deref(), Some("Leaders meet in Astana"));
        assert_eq!(e.published.unwrap().to_string(), "2024-08-09");
        assert!(e.text.contains("presidents of Kazakhstan"), "{:?}", e.text);
        assert!(e.text.contains("transboundary rivers"), "{:?}", e.text);
        assert!(!e.text.contains("do not index me"), "{:?}", e.text);
        assert!(!e.text.contains("About us"), "{:?}", e.text);
    }

    #[test]
    fn time_element_dates_a_page() {
        let e =
            extract("<html><body><p>Short note.</p><time datetime=\"2021-05-03\">3 May</time></body></html>").unwrap();
        assert_eq!(e.published.unwrap().to_string(), "2021-05-03");
        assert!(e.text.contains("Short note."));
    }

    #[test]
    fn all_script_page_is_refused() {
        let page = "<html><head><script>alert(1)</script></head><body><script>document.write('x')</script>\
                    <style>p{}</style></body></html>";
        assert!(matches!(extract(page), Err(Error::NoText(_))));
    }
}
