//! Bytes of one file → text and metadata, one function per format. No I/O here: the pipeline
//! reads the file (within the size limit) and hands the bytes over, so every extractor can be
//! tested on bytes made in memory.

use crate::Error;
use hamkor_model::PartialDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod dates;
pub mod decode;
mod docx;
mod feed;
pub mod html;
mod jsonl;
mod pdf;
mod text;

pub use jsonl::parse_line;

/// What one file may cost to extract, beyond its size: every extractor stops at these and
/// fails the file with a reason that names the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Documents whose extracted text is longer than this (bytes) are refused.
    pub max_text_len: usize,
    /// Bytes a file may unpack to: PDF streams and DOCX parts after decompression.
    pub max_unpacked: u64,
    /// How deep elements may nest (HTML, XML).
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { max_text_len: 20_000_000, max_unpacked: 200_000_000, max_depth: 512 }
    }
}

/// The formats hamkor reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a file is by its first bytes, when they say so clearly and it is not what the name
/// says: a PDF named `.html`, a DOCX named `.pdf`, an image named `.txt`. Documents are read
/// as what they are (with a warning); images, archives and programs are refused unread.
pub fn by_content(named: Format, head: &[u8]) -> Result<(Format, Option<String>), Error> {
    const BINARY: &[(&[u8], &str)] = &[
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an OLE compound file (an old .doc, or an encrypted Office document)"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"\x7FELF", "a program (ELF)"),
    ];
    let name = |f: Format| match f {
        Format::Text => ".txt",
        Format::Markdown => ".md",
        Format::Html => ".html",
        Format::Pdf => ".pdf",
        Format::Docx => ".docx",
        Format::Feed => ".xml/.rss/.atom",
        Format::JsonLines => ".jsonl",
    };
    let actual = if head.starts_with(b"%PDF-") {
        Format::Pdf
    } else if head.starts_with(b"PK\x03\x04") {
        Format::Docx
    } else if let Some((_, what)) = BINARY.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Err(Error::NotADocument(what.to_string()));
    } else {
        return Ok((named, None));
    };
    if actual == named || named == Format::JsonLines {
        return Ok((named, None));
    }
    let what = if actual == Format::Pdf { "a PDF" } else { "a ZIP archive" };
    let read_as = if actual == Format::Pdf { "PDF" } else { "DOCX" };
    Ok((actual, Some(format!("the file is {what} though its name ends in {}; read as {read_as}", name(named)))))
}

/// One document found in a file, before validation, hashing and coding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    pub text: String,
    /// A language the source declares (a JSON line's `lang`); detection is used otherwise.
    pub lang: Option<String>,
    /// Where the document lives when that is not the file itself (a feed item's link).
    pub location: Option<String>,
    pub external_id: Option<String>,
    /// What the user should know though the document was stored: a date that is not one, an
    /// encoding that was guessed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A file's documents; a feed can have some good items and some bad ones.
#[derive(Debug)]
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
pub fn extract(format: Format, bytes: &[u8], budget: &Budget) -> Result<FileContents, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let one = |e: Extracted| FileContents { items: vec![Ok(e)] };
    let mut contents = match format {
        Format::Text => one(text::plain(bytes)?),
        Format::Markdown => one(text::plain(bytes)?),
        Format::Html => {
            let decoded = decode::decode(bytes, decode::html_declared(bytes))?;
            let mut e = html::extract(&decoded.text, budget)?;
            e.warnings.extend(decoded.warning);
            one(e)
        }
        Format::Pdf => one(pdf::extract(bytes, budget)?),
        Format::Docx => one(docx::extract(bytes, budget)?),
        Format::Feed => feed::extract(bytes, budget)?,
        Format::JsonLines => unreachable!("JSON lines are streamed line by line, see parse_line"),
    };
    // Titles come from metadata (a PDF's Info, a DOCX's core properties) as well as from the
    // text: no NUL in them either.
    for x in contents.items.iter_mut().flatten() {
        if x.title.as_deref().is_some_and(|t| t.contains('\0')) {
            x.title = x.title.take().map(|t| t.replace('\0', "")).filter(|t| !t.trim().is_empty());
        }
    }
    Ok(contents)
}

/// Keep the date, or keep the warning about it.
pub(crate) fn date_or_warn(read: dates::DateRead, warnings: &mut Vec<String>) -> Option<PartialDate> {
    read.unwrap_or_else(|w| {
        warnings.push(w);
        None
    })
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

/// Collapse the whitespace an extractor leaves: trailing spaces, runs of blank lines; and drop
/// NUL characters, which are no part of a text (a text file with one is refused as binary) but
/// which PDF strings and XML parsers can hand on (found by the pdf and feed fuzz targets).
pub fn tidy(text: &str) -> String {
    let without_nul;
    let text = if text.contains('\0') {
        without_nul = text.replace('\0', "");
        without_nul.as_str()
    } else {
        text
    };
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
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/B.HTM")).unwrap(), Format::Html);
        assert_eq!(Format::from_path(Path::new("x.ndjson")).unwrap(), Format::JsonLines);
        assert!(matches!(Format::from_path(Path::new("x.exe")), Err(Error::Unsupported(_))));
        assert!(matches!(Format::from_path(Path::new("Makefile")), Err(Error::Unsupported(_))));
    }

    #[test]
    fn tidy_and_titles() {
        assert_eq!(tidy("  a  \n\n\n\nb\nc \n\n"), "  a\n\nb\nc");
        assert_eq!(tidy("Toka\0\0ev \0\n\0\n\nnext"), "Tokaev\n\nnext");
        assert_eq!(first_line_title("\n\n## Heading \nbody").as_deref(), Some("Heading"));
        assert_eq!(cut("абвгд", 3), "абв…");
    }
}
