//! Plain text and Markdown: decoding, and the optional metadata header.
//!
//! A header is a block of `Key: value` lines at the very top (`Title:`, `Date:`, `Lang:`,
//! `Source:`/`URL:`), or a YAML front-matter block between `---` lines with the same keys. It is
//! metadata, not text: it is removed and the body starts after it. Without a header the first
//! non-empty line is the title (and stays in the text).

use super::dates::metadata_date;
use super::decode::decode;
use super::{date_or_warn, first_line_title, Extracted};
use crate::Error;

#[derive(Debug, Default, PartialEq)]
struct Header {
    title: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    url: Option<String>,
}

impl Header {
    fn set(&mut self, key: &str, value: &str) -> bool {
        let value = value.trim().trim_matches('"').trim();
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "title" => &mut self.title,
            "date" | "published" => &mut self.date,
            "lang" | "language" => &mut self.lang,
            "source" | "url" => &mut self.url,
            _ => return false,
        };
        if !value.is_empty() {
            *slot = Some(value.to_string());
        }
        true
    }
}

/// Split a leading header off `text`; returns it and the byte offset where the body starts.
fn split_header(text: &str) -> (Header, usize) {
    let mut header = Header::default();
    let mut lines = text.split_inclusive('\n');
    let mut offset = 0;
    let Some(first) = lines.next() else { return (header, 0) };
    if first.trim_end() == "---" {
        // YAML front matter: everything up to the closing `---`; unknown keys are ignored.
        offset += first.len();
        for line in lines {
            offset += line.len();
            if line.trim_end() == "---" {
                return (header, offset);
            }
            if let Some((k, v)) = line.split_once(':') {
                header.set(k, v);
            }
        }
        // No closing line: not front matter after all.
        return (Header::default(), 0);
    }
    for line in std::iter::once(first).chain(lines) {
        let known = line.split_once(':').is_some_and(|(k, v)| !k.contains(' ') && header.set(k, v));
        if !known {
            if offset > 0 && line.trim().is_empty() {
                offset += line.len();
            }
            break;
        }
        offset += line.len();
    }
    (header, offset)
}

/// A text or Markdown file. Markdown is kept as written: its marks are part of the text the
/// evidence offsets point into, and stripping them would gain nothing for the coder.
pub fn plain(bytes: &[u8]) -> Result<Extracted, Error> {
    let decoded = decode(bytes, None)?;
    let text = decoded.text;
    let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
    let (header, body_start) = split_header(&text);
    let body = text[body_start..].trim_matches(|c: char| c == '\n' || c == '\r').trim_end().to_string();
    if body.trim().is_empty() {
        return Err(Error::NoText("the file has no text".into()));
    }
    let title = header.title.or_else(|| first_line_title(&body));
    let published = date_or_warn(metadata_date(header.date.as_deref().unwrap_or("")), &mut warnings);
    Ok(Extracted { title, published, lang: header.lang, location: header.url, text: body, external_id: None, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_is_metadata() {
        let e = plain(b"Title: Water deal\nDate: 2024-03-02\n\nUzbekistan and Tajikistan signed.\n").unwrap();
        assert_eq!(e.title.as_deref(), Some("Water deal"));
        assert_eq!(e.published.unwrap().to_string(), "2024-03-02");
        assert_eq!(e.text, "Uzbekistan and Tajikistan signed.");
    }

    #[test]
    fn front_matter_is_metadata() {
        let e = plain(b"---\ntitle: \"Summit\"\ndate: 2023-09-14\nauthor: x\n---\n# Summit\nText.").unwrap();
        assert_eq!(e.title.as_deref(), Some("Summit"));
        assert_eq!(e.published.unwrap().to_string(), "2023-09-14");
        assert_eq!(e.text, "# Summit\nText.");
    }

    #[test]
    fn without_header_first_line_is_title_and_text() {
        let e = plain("Саммит в Душанбе\nЛидеры встретились.".as_bytes()).unwrap();
        assert_eq!(e.title.as_deref(), Some("Саммит в Душанбе"));
        assert!(e.text.starts_with("Саммит"));
        // A colon in ordinary prose is not a header.
        let e = plain(b"Note: this is prose, not a header key.\nMore.").unwrap();
        assert!(e.text.starts_with("Note:"));
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(matches!(plain(b"ab\0cd"), Err(Error::Binary(2))));
        assert_eq!(plain(b"\xEF\xBB\xBFhi").unwrap().text, "hi");
        assert_eq!(plain(b"\xFF\xFEh\0i\0").unwrap().text, "hi");
        assert!(matches!(plain(b"Title: only a header\n\n  \n"), Err(Error::NoText(_))));
    }

    #[test]
    fn impossible_dates_are_dropped_with_a_warning() {
        let e = plain(b"Title: x\nDate: 99999-01-01\n\nText.").unwrap();
        assert_eq!(e.published, None);
        assert!(e.warnings[0].contains("99999-01-01"), "{:?}", e.warnings);
    }
}
