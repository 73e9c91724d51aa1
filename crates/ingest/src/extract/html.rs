//! HTML: the main text of a saved page (not its menus and scripts), its title and date.
//!
//! The main text comes from dom_smoothie (a port of Mozilla's Readability). Readability is built
//! for article pages and can come back empty-handed on a short or unusual page; then the text of
//! `<body>` without scripts, styles and navigation is used, so that a page with text is never
//! refused for its shape. A page with no text outside scripts and styles is refused.
//!
//! Budgets, checked before the page is parsed for real ([`check_shape`]): html5ever builds the
//! tree the way browsers do, but it has no depth limit, the libraries above recurse over the
//! tree, and Readability's work grows with the sum of every element's depth (a chain of 10,000
//! nested `<div>` took 18 s, and 40,000 overflowed the stack). So a first pass with a sink that
//! keeps only depths refuses pages nested deeper than the limit (Blink stops nesting at 512 for
//! the same reason), and pages whose total depth is beyond what Readability does in about a
//! second are read without it (their `<body>` text).

use super::dates::first_date;
use super::{first_line_title, tidy, Budget, Extracted};
use crate::Error;
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName};
use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

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

/// The sum of element depths up to which Readability runs (about a second of its work; a
/// long real page is a few hundred thousand).
const READABILITY_WORK: u64 = 2_000_000;

/// What the first pass learned about a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub deepest: u32,
    pub depth_sum: u64,
    pub elements: u64,
}

pub fn extract(html: &str, budget: &Budget) -> Result<Extracted, Error> {
    let shape = check_shape(html, budget.max_depth)?;
    let doc = Document::from(html);
    let meta_title = doc.select(r#"meta[property="og:title"]"#).attr("content").map(|t| t.trim().to_string());
    let title_tag = doc.select("title").first().text().trim().to_string();
    let dates: Vec<_> = DATE_SELECTORS
        .iter()
        .flat_map(|(sel, attr)| doc.select(sel).iter().filter_map(|n| n.attr(attr)).collect::<Vec<_>>())
        .collect();
    let mut warnings = Vec::new();
    let published = first_date(dates.iter().map(|d| &**d)).unwrap_or_else(|w| {
        warnings.push(w);
        None
    });

    doc.select(NOT_CONTENT).remove();
    let body = doc.select("body");
    let fallback = tidy(&if body.exists() { body.formatted_text() } else { doc.formatted_text() });
    if fallback.trim().is_empty() {
        return Err(Error::NoText("the HTML page has no text outside scripts, styles and navigation".into()));
    }

    let article = if shape.depth_sum <= READABILITY_WORK {
        let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
        Readability::new(html, None, Some(config)).ok().and_then(|mut r| r.parse().ok())
    } else {
        None
    };
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
    Ok(Extracted { title, published, text, warnings, ..Extracted::default() })
}

/// Text of an HTML fragment (a feed item's content): all of it, as formatted text.
pub fn fragment_text(html: &str, budget: &Budget) -> Result<String, Error> {
    check_shape(html, budget.max_depth)?;
    let doc = Document::from(html);
    doc.select("script, style, noscript, template").remove();
    Ok(tidy(&doc.formatted_text()))
}

/// Parse `html` with a sink that keeps only each node's depth, in slices, stopping as soon as
/// an element is deeper than `max_depth`.
pub fn check_shape(html: &str, max_depth: usize) -> Result<Shape, Error> {
    const SLICE: usize = 16 << 10;
    let over = Rc::new(Cell::new(false));
    let sink = DepthSink::new(max_depth as u32, over.clone());
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(SLICE);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if over.get() {
            return Err(Error::TooDeep { what: "HTML", limit: max_depth });
        }
    }
    let shape = parser.finish();
    if over.get() {
        return Err(Error::TooDeep { what: "HTML", limit: max_depth });
    }
    Ok(shape)
}

/// A tree sink that builds nothing but a depth per node.
struct DepthSink {
    /// Per handle: its depth and, for elements, its name (the tree builder asks for it).
    nodes: RefCell<Vec<(u32, QualName)>>,
    max_depth: u32,
    over: Rc<Cell<bool>>,
    deepest: Cell<u32>,
    depth_sum: Cell<u64>,
    elements: Cell<u64>,
}

impl DepthSink {
    fn new(max_depth: u32, over: Rc<Cell<bool>>) -> Self {
        DepthSink {
            nodes: RefCell::new(vec![(0, no_name())]),
            max_depth,
            over,
            deepest: Cell::new(0),
            depth_sum: Cell::new(0),
            elements: Cell::new(0),
        }
    }

    fn node(&self, depth: u32, name: QualName) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push((depth, name));
        nodes.len() - 1
    }

    fn place(&self, child: &NodeOrText<usize>, depth: u32) {
        if let NodeOrText::AppendNode(h) = child {
            let mut nodes = self.nodes.borrow_mut();
            if let Some(n) = nodes.get_mut(*h) {
                n.0 = depth;
            }
            self.elements.set(self.elements.get() + 1);
            self.depth_sum.set(self.depth_sum.get() + depth as u64);
            if depth > self.deepest.get() {
                self.deepest.set(depth);
                if depth > self.max_depth {
                    self.over.set(true);
                }
            }
        }
    }

    fn depth(&self, h: usize) -> u32 {
        self.nodes.borrow().get(h).map_or(0, |n| n.0)
    }
}

fn no_name() -> QualName {
    QualName::new(None, html5ever::ns!(), html5ever::local_name!(""))
}

impl TreeSink for DepthSink {
    type Handle = usize;
    type Output = Shape;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Shape {
        Shape { deepest: self.deepest.get(), depth_sum: self.depth_sum.get(), elements: self.elements.get() }
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> usize {
        0
    }
    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target].1)
    }
    fn create_element(&self, name: QualName, _attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let h = self.node(0, name);
        if flags.template {
            // The template's contents: a fragment right after it (see get_template_contents).
            self.node(0, no_name());
        }
        h
    }
    fn create_comment(&self, _text: StrTendril) -> usize {
        self.node(0, no_name())
    }
    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.node(0, no_name())
    }
    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.place(&child, self.depth(*parent) + 1);
    }
    fn append_based_on_parent_node(&self, element: &usize, _prev: &usize, child: NodeOrText<usize>) {
        self.place(&child, self.depth(*element) + 1);
    }
    fn append_doctype_to_document(&self, _name: StrTendril, _public: StrTendril, _system: StrTendril) {}
    fn get_template_contents(&self, target: &usize) -> usize {
        target + 1
    }
    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        self.place(&new_node, self.depth(*sibling));
    }
    fn add_attrs_if_missing(&self, _target: &usize, _attrs: Vec<Attribute>) {}
    fn remove_from_parent(&self, _target: &usize) {}
    fn reparent_children(&self, _node: &usize, _new_parent: &usize) {}
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
        let e = extract(page, &Budget::default()).unwrap();
        assert_eq!(e.title.as_deref(), Some("Leaders meet in Astana"));
        assert_eq!(e.published.unwrap().to_string(), "2024-08-09");
        assert!(e.text.contains("presidents of Kazakhstan"), "{:?}", e.text);
        assert!(e.text.contains("transboundary rivers"), "{:?}", e.text);
        assert!(!e.text.contains("do not index me"), "{:?}", e.text);
        assert!(!e.text.contains("About us"), "{:?}", e.text);
    }

    #[test]
    fn time_element_dates_a_page() {
        let e = extract(
            "<html><body><p>Short note.</p><time datetime=\"2021-05-03\">3 May</time></body></html>",
            &Budget::default(),
        )
        .unwrap();
        assert_eq!(e.published.unwrap().to_string(), "2021-05-03");
        assert!(e.text.contains("Short note."));
    }

    #[test]
    fn all_script_page_is_refused() {
        let page = "<html><head><script>alert(1)</script></head><body><script>document.write('x')</script>\
                    <style>p{}</style></body></html>";
        assert!(matches!(extract(page, &Budget::default()), Err(Error::NoText(_))));
    }

    #[test]
    fn deep_nesting_is_refused_early_and_wide_pages_pass() {
        let deep = format!("<html><body>{}x{}</body></html>", "<div>".repeat(40_000), "</div>".repeat(40_000));
        let t = std::time::Instant::now();
        let err = extract(&deep, &Budget::default()).unwrap_err();
        assert!(matches!(err, Error::TooDeep { what: "HTML", limit: 512 }), "{err}");
        assert!(t.elapsed() < std::time::Duration::from_secs(2), "refused early, not after parsing it all");
        // Unclosed paragraphs and list items close each other, as in browsers: not deep.
        let sloppy = format!("<html><body><ul>{}</ul>{}</body></html>", "<li>item".repeat(5000), "<p>para".repeat(5000));
        let shape = check_shape(&sloppy, 512).unwrap();
        assert!(shape.deepest < 10, "{shape:?}");
        assert!(extract(&sloppy, &Budget::default()).unwrap().text.contains("para"));
    }

    #[test]
    fn dates_follow_the_common_rules() {
        let page = r#"<html><head><meta name="date" content="0000-00-00"></head><body><p>Text.</p></body></html>"#;
        let e = extract(page, &Budget::default()).unwrap();
        assert_eq!(e.published, None);
        assert!(e.warnings[0].contains("0000-00-00"), "{:?}", e.warnings);
    }
}
