//! Bytes of one file → text and metadata, one function per format. No I/O here: the pipeline
//! reads the file (within the size limit) and hands the bytes over, so every extractor can be
//! tested on bytes made in memory.

use crate::Error;
use hamkor_model::PartialDate;
use std::path::Path;

mod docx;
mod feed;
mod html;
mod jsonl;
mod pdf;
mod text;

pub use jsonl::parse_line;

/// The formats hamkor reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Feed,
    JsonLines,
}

pub const SUPPORTED_EXTENSIONS: &str =
    ".txt .text .md .markdown .html .htm .xhtml .pdf .docx .xml .rss .atom .jsonl .ndjson";

impl Format {
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        Ok(match ext.as_deref() {
            Some("txt" | "text") => Format::Text,
            Some("md" | "markdown") => Format::Markdown,
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("pdf") => Format::Pdf,
            Some("docx") => Format::Docx,
            Some("xml" | "rss" | "atom") => Format::Feed,
            Some("jsonl" | "ndjson") => Format::JsonLines,
            Some(other) => return Err(Error::Unsupported(format!(".{other}"))),
            None => return Err(Error::Unsupported("no extension".into())),
        })
    }

    /// The name stored in `documents.format`.
    pub fn code(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Feed => "feed",
            Format::JsonLines => "jsonl",
        }
    }
}

/// One document found in a file, before validation, hashing and coding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    pub text: String,
    /// A language the source declares (a JSON line's `lang`); detection is used otherwise.
    pub lang: Option<String>,
    /// Where the document lives when that is not the file itself (a feed item's link).
    pub location: Option<String>,
    pub external_id: Option<String>,
}

/// A file's documents; a feed can have some good items and some bad ones.
pub struct FileContents {
    pub items: Vec<Result<Extracted, ItemError>>,
}

/// A failure of one item inside a file (a feed entry), named by `item`.
#[derive(Debug)]
pub struct ItemError {
    pub item: String,
    pub error: Error,
}

/// Extract every document in a file of a format other than JSON lines (which is streamed).
pub fn extract(format: Format, bytes: &[u8], max_text_len: usize) -> Result<FileContents, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let one = |e: Extracted| FileContents { items: vec![Ok(e)] };
    Ok(match format {
        Format::Text => one(text::plain(bytes)?),
        Format::Markdown => one(text::plain(bytes)?),
        Format::Html => one(html::extract(&text::decode(bytes)?)?),
        Format::Pdf => one(pdf::extract(bytes)?),
        Format::Docx => one(docx::extract(bytes, max_text_len)?),
        Format::Feed => feed::extract(bytes)?,
        Format::JsonLines => unreachable!("JSON lines are streamed line by line, see parse_line"),
    })
}

/// Read a date the way sources write it: `2024`, `2024-03`, `2024-03-02`, an ISO date-time
/// (`2024-03-02T10:00:00Z`), `2024/03/02`, or the `02.03.2024` common in the region.
pub fn loose_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if let Ok(d) = s.parse() {
        return Some(d);
    }
    let head: String = s.chars().take(10).collect();
    if let Ok(d) = head.replace('/', "-").parse() {
        return Some(d);
    }
    let parts: Vec<&str> = head.split('.').collect();
    if let [d, m, y] = parts.as_slice() {
        if d.len() <= 2 && m.len() <= 2 && y.len() == 4 {
            return PartialDate::day(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
    }
    None
}

/// The first non-empty line, without Markdown heading marks, cut to a readable length.
pub fn first_line_title(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    if line.is_empty() {
        return None;
    }
    Some(cut(line, 200))
}

/// At most `max` chars, cut on a char boundary, with an ellipsis when cut.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Collapse the whitespace an extractor leaves: trailing spaces, runs of blank lines.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_shapes_sources_use() {
        let d = |s: &str| loose_date(s).map(|d| d.to_string());
        assert_eq!(d("2024-03-02T10:00:00+05:00").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2024/03/02").as_deref(), Some("2024-03-02"));
        assert_eq!(d("02.03.2024").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(d("yesterday"), None);
        assert_eq!(d("31.02.2024"), None);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/B.HTM")).unwrap(), Format::Html);
        assert_eq!(Format::from_path(Path::new("x.ndjson")).unwrap(), Format::JsonLines);
        assert!(matches!(Format::from_path(Path::new("x.exe")), Err(Error::Unsupported(_))));
        assert!(matches!(Format::from_path(Path::new("Makefile")), Err(Error::Unsupported(_))));
    }

    #[test]
    fn tidy_and_titles() {
        assert_eq!(tidy("  a  \n\n\n\nb\nc \n\n"), "  a\n\nb\nc");
        assert_eq!(first_line_title("\n\n## Heading \nbody").as_deref(), Some("Heading"));
        assert_eq!(cut("абвгд", 3), "абв…");
    }
}
