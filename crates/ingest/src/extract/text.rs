//! Plain text and Markdown: decoding, and the optional metadata header.
//!
//! A header is a block of `Key: value` lines at the very top (`Title:`, `Date:`, `Lang:`,
//! `Source:`/`URL:`), or a YAML front-matter block between `---` lines with the same keys. It is
//! metadata, not text: it is removed and the body starts after it. Without a header the first
//! non-empty line is the title (and stays in the text).

use super::{first_line_title, loose_date, Extracted};
use crate::Error;

/// Bytes → text, refusing what is not text. UTF-8 (with or without BOM) and UTF-16 with a BOM
/// are accepted; anything else is reported rather than guessed at, so that no document is
/// silently stored as mojibake.
pub fn decode(bytes: &[u8]) -> Result<String, Error> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8(rest);
    }
    let utf16 = |rest: &[u8], be: bool| -> Result<String, Error> {
        if rest.len() % 2 == 1 {
            return Err(Error::InvalidText("UTF-16 text with an odd number of bytes".into()));
        }
        let units = rest.chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|e| {
            Error::InvalidText(format!("invalid UTF-16 (unpaired surrogate {:#x})", e.unpaired_surrogate()))
        })
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<String, Error> {
    // NUL never occurs in text; checking it first names a binary file as binary rather than as
    // "invalid UTF-8", which would send the user looking for an encoding problem.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Binary(at));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(Error::InvalidUtf8(e.valid_up_to())),
    }
}

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
    let text = decode(bytes)?;
    let (header, body_start) = split_header(&text);
    let body = text[body_start..].trim_matches(|c: char| c == '\n' || c == '\r').trim_end().to_string();
    if body.trim().is_empty() {
        return Err(Error::NoText("the file has no text".into()));
    }
    let title = header.title.or_else(|| first_line_title(&body));
    Ok(Extracted {
        title,
        published: header.date.as_deref().and_then(loose_date),
        lang: header.lang,
        location: header.url,
        text: body,
        external_id: None,
    })
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
        assert!(matches!(decode(b"ab\0cd"), Err(Error::Binary(2))));
        assert!(matches!(decode(b"abc\xff\xfe"), Err(Error::InvalidUtf8(3))));
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        assert_eq!(decode(b"\xFF\xFEh\0i\0").unwrap(), "hi");
        assert!(matches!(plain(b"Title: only a header\n\n  \n"), Err(Error::NoText(_))));
    }
}
