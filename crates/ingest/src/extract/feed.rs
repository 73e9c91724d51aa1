//! RSS and Atom files: one document per item, with the item's link as its source and its
//! publication date. Item text is the title and the content (or summary), HTML turned to text.

use super::{html, tidy, Extracted, FileContents, ItemError};
use crate::Error;

pub fn extract(bytes: &[u8]) -> Result<FileContents, Error> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| Error::Feed(e.to_string()))?;
    if feed.entries.is_empty() {
        return Err(Error::Feed("the feed has no items".into()));
    }
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let n = i + 1;
            let as_text = |s: &str| if s.contains('<') { html::fragment_text(s) } else { tidy(s) };
            let title = entry.title.as_ref().map(|t| as_text(&t.content)).filter(|t| !t.is_empty());
            let body = entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .or(entry.summary.as_ref().map(|s| s.content.as_str()))
                .map(as_text)
                .unwrap_or_default();
            if body.trim().is_empty() && title.is_none() {
                return Err(ItemError {
                    item: format!("item {n}"),
                    error: Error::NoText("the feed item has no title or text".into()),
                });
            }
            // The title is part of the text: for many feeds it is the only sentence saying what
            // happened, and the coder's evidence must be able to point at it.
            let text = match &title {
                Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}").trim_end().to_string(),
                _ => body,
            };
            let date = entry.published.or(entry.updated).map(|d| d.date_naive().to_string());
            Ok(Extracted {
                title,
                published: date.as_deref().and_then(super::loose_date),
                text,
                lang: entry.language.clone(),
                location: entry.links.first().map(|l| l.href.clone()),
                external_id: (!entry.id.is_empty()).then(|| entry.id.clone()),
            })
        })
        .collect();
    Ok(FileContents { items })
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
        let f = extract(rss.as_bytes()).unwrap();
        assert_eq!(f.items.len(), 2);
        let a = f.items[0].as_ref().unwrap();
        assert_eq!(a.location.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.published.unwrap().to_string(), "2024-06-10");
        assert_eq!(a.text, "Kyrgyzstan sends aid to Tajikistan\n\nRescuers were sent.");
        assert_eq!(f.items[1].as_ref().unwrap_err().item, "item 2");
    }

    #[test]
    fn malformed_and_empty_feeds_are_refused() {
        assert!(matches!(extract(b"<rss><channel><item><title>x</titl"), Err(Error::Feed(_))));
        assert!(matches!(extract(b"<html><body>not a feed</body></html>"), Err(Error::Feed(_))));
        let empty = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"#;
        assert!(matches!(extract(empty.as_bytes()), Err(Error::Feed(_))));
    }
}
