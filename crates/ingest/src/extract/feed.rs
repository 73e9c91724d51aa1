//! RSS and Atom files: one document per item, with the item's link as its source and its
//! publication date. Item text is the title and the content (or summary), HTML turned to text.
//!
//! Before feed-rs sees a file, one pass of quick-xml's pull parser (it does not recurse)
//! checks its nesting against [`Budget::max_depth`] and collects each item's raw date strings,
//! so that dates follow the same rules as in every other format (feed-rs drops dates it cannot
//! read without saying so).

use super::dates::{first_date, DateRead, EARLIEST_YEAR, LATEST_YEAR};
use super::{date_or_warn, html, tidy, Budget, Extracted, FileContents, ItemError};
use crate::Error;
use chrono::Datelike;
use quick_xml::events::Event;
use quick_xml::Reader;

pub fn extract(bytes: &[u8], budget: &Budget) -> Result<FileContents, Error> {
    let raw_dates = scan(bytes, budget.max_depth)?;
    let feed = feed_rs::parser::parse(bytes).map_err(|e| Error::Feed(e.to_string()))?;
    if feed.entries.is_empty() {
        return Err(Error::Feed("the feed has no items".into()));
    }
    // The scan and feed-rs must agree on the items for the raw dates to be theirs.
    let raw_dates = raw_dates.filter(|d| d.len() == feed.entries.len());
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let n = i + 1;
            let item_error = |error| ItemError { item: format!("item {n}"), error };
            let as_text = |s: &str| if s.contains('<') { html::fragment_text(s, budget) } else { Ok(tidy(s)) };
            let title = match entry.title.as_ref().map(|t| as_text(&t.content)).transpose() {
                Ok(t) => t.filter(|t| !t.is_empty()),
                Err(e) => return Err(item_error(e)),
            };
            let body = entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .or(entry.summary.as_ref().map(|s| s.content.as_str()))
                .map(as_text)
                .transpose()
                .map_err(item_error)?
                .unwrap_or_default();
            if body.trim().is_empty() && title.is_none() {
                return Err(item_error(Error::NoText("the feed item has no title or text".into())));
            }
            // The title is part of the text: for many feeds it is the only sentence saying what
            // happened, and the coder's evidence must be able to point at it.
            let text = match &title {
                Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}").trim_end().to_string(),
                _ => body,
            };
            let parsed = entry.published.or(entry.updated).map(|d| d.date_naive());
            let read: DateRead = match raw_dates.as_ref().map(|d| first_date(d[i].iter().map(String::as_str))) {
                Some(Ok(Some(d))) => Ok(Some(d)),
                // A shape our rules do not read but feed-rs does (a two-digit year, a named zone).
                Some(other) => match parsed {
                    Some(d) if (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year()) => {
                        Ok(hamkor_model::PartialDate::day(d.year(), d.month() as u8, d.day() as u8))
                    }
                    _ => other,
                },
                None => Ok(parsed
                    .filter(|d| (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year()))
                    .and_then(|d| hamkor_model::PartialDate::day(d.year(), d.month() as u8, d.day() as u8))),
            };
            let mut warnings = Vec::new();
            let published = date_or_warn(read, &mut warnings);
            Ok(Extracted {
                title,
                published,
                text,
                lang: entry.language.clone(),
                location: entry.links.first().map(|l| l.href.clone()),
                external_id: (!entry.id.is_empty()).then(|| entry.id.clone()),
                warnings,
            })
        })
        .collect();
    Ok(FileContents { items })
}

/// Check the nesting depth, and collect each item's date strings (publication dates first,
/// then update dates), in document order. `Ok(None)` when the XML is not well-formed enough to
/// tell: feed-rs then says what is wrong.
fn scan(bytes: &[u8], max_depth: usize) -> Result<Option<Vec<Vec<String>>>, Error> {
    const PUBLISHED: [&str; 4] = ["pubDate", "published", "date", "issued"];
    const UPDATED: [&str; 3] = ["updated", "modified", "lastBuildDate"];
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let (mut depth, mut item_depth) = (0usize, None::<usize>);
    let mut items: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let mut capture: Option<(bool, String)> = None;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::TooDeep { what: "XML", limit: max_depth });
                }
                let name = e.local_name();
                let name: &str = name.as_ref();
                if item_depth.is_none() && (name == "item" || name == "entry") {
                    item_depth = Some(depth);
                    items.push(Default::default());
                } else if item_depth.is_some() {
                    if PUBLISHED.contains(&name) {
                        capture = Some((true, String::new()));
                    } else if UPDATED.contains(&name) {
                        capture = Some((false, String::new()));
                    }
                }
            }
            Event::End(_) => {
                if let (Some((published, value)), Some(item)) = (capture.take(), items.last_mut()) {
                    if published { &mut item.0 } else { &mut item.1 }.push(value);
                }
                if item_depth == Some(depth) {
                    item_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some((_, value)) = capture.as_mut() {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(Some(items.into_iter().map(|(mut p, u)| {
        p.extend(u);
        p
    }).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_per_item_with_link_and_date() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>MFA</title>
            <item><title>Kyrgyzstan sends aid to Tajikistan</title><link>https://example.org/a</link>
              <pubDate>Mon, 10 Jun 2024 04:00:00 GMT</pubDate><description>&lt;p&gt;Rescuers were sent.&lt;/p&gt;</description></item>
            <item><title></title><link>https://example.org/b</link></item>
            </channel></rss>"#;
        let f = extract(rss.as_bytes(), &Budget::default()).unwrap();
        assert_eq!(f.items.len(), 2);
        let a = f.items[0].as_ref().unwrap();
        assert_eq!(a.location.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.published.unwrap().to_string(), "2024-06-10");
        assert_eq!(a.text, "Kyrgyzstan sends aid to Tajikistan\n\nRescuers were sent.");
        assert_eq!(f.items[1].as_ref().unwrap_err().item, "item 2");
    }

    #[test]
    fn malformed_and_empty_feeds_are_refused() {
        let b = Budget::default();
        assert!(matches!(extract(b"<rss><channel><item><title>x</titl", &b), Err(Error::Feed(_))));
        assert!(matches!(extract(b"<html><body>not a feed</body></html>", &b), Err(Error::Feed(_))));
        let empty = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"#;
        assert!(matches!(extract(empty.as_bytes(), &b), Err(Error::Feed(_))));
    }

    #[test]
    fn impossible_dates_are_warnings_as_everywhere() {
        let rss = r#"<rss version="2.0"><channel><title>t</title>
            <item><title>Talks in Bishkek</title><pubDate>0000-00-00</pubDate></item>
            <item><title>Talks in Osh</title><pubDate>Tue, 11 Jun 2024 08:00:00 GMT</pubDate></item>
            </channel></rss>"#;
        let f = extract(rss.as_bytes(), &Budget::default()).unwrap();
        let a = f.items[0].as_ref().unwrap();
        assert_eq!(a.published, None);
        assert!(a.warnings[0].contains("0000-00-00"), "{:?}", a.warnings);
        assert_eq!(f.items[1].as_ref().unwrap().published.unwrap().to_string(), "2024-06-11");
    }

    #[test]
    fn deep_nesting_and_legacy_encodings() {
        let deep = format!(
            "<rss version=\"2.0\"><channel><item><title>x</title>{}{}</item></channel></rss>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        let err = extract(deep.as_bytes(), &Budget::default()).unwrap_err();
        assert!(matches!(err, Error::TooDeep { what: "XML", .. }), "{err}");
        let text = "Делегация Кыргызстана прибыла в Душанбе";
        let (body, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let mut rss = br#"<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>t</title><item><title>"#.to_vec();
        rss.extend_from_slice(&body);
        rss.extend_from_slice(b"</title></item></channel></rss>");
        let f = extract(&rss, &Budget::default()).unwrap();
        assert_eq!(f.items[0].as_ref().unwrap().text, text);
    }
}
