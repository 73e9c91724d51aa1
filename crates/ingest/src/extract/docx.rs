//! DOCX: the text of `word/document.xml` (paragraphs, line breaks, tabs), title and creation
//! date from `docProps/core.xml`. A ZIP reader and an XML pull parser are all it takes; a full
//! DOCX library would bring images and a second ZIP crate for nothing.
//!
//! Budgets: the XML is parsed as it is unpacked, never held whole, and the unpacked bytes are
//! counted against [`Budget::max_unpacked`], so a ZIP bomb fails after that many bytes of work
//! and with no more memory than the text it produced. The pull parser does not recurse and
//! expands no entities beyond the five XML defines.

use super::dates::metadata_date;
use super::{date_or_warn, first_line_title, tidy, Budget, Extracted};
use crate::Error;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{BufRead, BufReader, Cursor, Read};

pub fn extract(bytes: &[u8], budget: &Budget) -> Result<Extracted, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::DocxNotZip(e.to_string()))?;
    let document = match part(&mut zip, "word/document.xml")? {
        Some(file) => body_text(bounded(file, "word/document.xml", budget.max_unpacked), budget.max_text_len)?,
        None => return Err(Error::DocxNoDocument),
    };
    let text = tidy(&document);
    if text.trim().is_empty() {
        return Err(Error::NoText("the DOCX document has no text".into()));
    }
    let (mut title, mut published, mut warnings) = (None, None, Vec::new());
    // docProps/core.xml is optional, and a broken one must not cost us the text.
    if let Ok(Some(file)) = part(&mut zip, "docProps/core.xml") {
        if let Ok(core) = core_fields(bounded(file, "docProps/core.xml", 1 << 20)) {
            title = core.title.filter(|t| !t.is_empty());
            published = date_or_warn(metadata_date(core.created.as_deref().unwrap_or("")), &mut warnings);
        }
    }
    Ok(Extracted { title: title.or_else(|| first_line_title(&text)), published, text, warnings, ..Extracted::default() })
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn part<'z, 'a>(zip: &'z mut Zip<'a>, name: &str) -> Result<Option<zip::read::ZipFile<'z, Cursor<&'a [u8]>>>, Error> {
    match zip.by_name(name) {
        Ok(f) => Ok(Some(f)),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(Error::DocxMalformed(format!("{name}: {e}"))),
    }
}

/// A reader over an unpacking part that fails once more than `max` bytes came out of it.
struct Bounded<R> {
    inner: R,
    name: &'static str,
    left: u64,
    max: u64,
}

fn bounded<R: Read>(inner: R, name: &'static str, max: u64) -> BufReader<Bounded<R>> {
    BufReader::with_capacity(64 << 10, Bounded { inner, name, left: max, max })
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(Error::TooMuchUnpacked { what: self.name, limit: self.max }));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The error a part's reader gave, as the file's reason: over budget, or broken.
fn read_error(name: &str, reader_pos: u64, e: quick_xml::Error) -> Error {
    if let quick_xml::Error::Io(io) = &e {
        if let Some(inner) = io.get_ref().and_then(|i| i.downcast_ref::<Error>()) {
            if let Error::TooMuchUnpacked { what, limit } = inner {
                return Error::TooMuchUnpacked { what, limit: *limit };
            }
        }
    }
    Error::DocxMalformed(format!("{name} at byte {reader_pos}: {e}"))
}

/// Concatenate `<w:t>` text; `<w:p>` ends a line, `<w:br>`/`<w:cr>` break one, `<w:tab>` is a tab.
fn body_text(input: impl BufRead, max_text_len: usize) -> Result<String, Error> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| read_error("word/document.xml", reader.buffer_position(), e))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::End(e) if e.local_name().as_ref() == "p" => out.push('\n'),
            Event::Empty(e) => match e.local_name().as_ref() {
                "br" | "cr" => out.push('\n'),
                "tab" => out.push('\t'),
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t),
            Event::GeneralRef(r) if in_text => out.push_str(&resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
        if out.len() > max_text_len {
            return Err(Error::TextTooLong { len: out.len(), limit: max_text_len });
        }
        buf.clear();
    }
    Ok(out)
}

fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
    .to_string()
}

#[derive(Default)]
struct Core {
    title: Option<String>,
    created: Option<String>,
}

/// `dc:title` and `dcterms:created`.
fn core_fields(input: impl BufRead) -> Result<Core, quick_xml::Error> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut core = Core::default();
    let mut inside: Option<&'static str> = None;
    let mut value = String::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => {
                inside = match e.local_name().as_ref() {
                    "title" if core.title.is_none() => Some("title"),
                    "created" if core.created.is_none() => Some("created"),
                    _ => None,
                };
                value.clear();
            }
            Event::End(_) => {
                match inside.take() {
                    Some("title") => core.title = Some(value.trim().to_string()),
                    Some(_) => core.created = Some(value.trim().to_string()),
                    None => {}
                }
            }
            Event::Text(t) if inside.is_some() => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside.is_some() => value.push_str(&resolve_ref(&r)),
            Event::Eof => return Ok(core),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const DOC: &str = r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
        <w:p><w:r><w:t>Соглашение о воде</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">Tom &amp; </w:t><w:tab/><w:t>Jerry</w:t><w:br/><w:t>next</w:t></w:r></w:p>
        </w:body></w:document>"#;

    #[test]
    fn paragraphs_breaks_tabs_and_entities() {
        let bytes = docx(&[
            ("word/document.xml", DOC),
            (
                "docProps/core.xml",
                r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:title>Water</dc:title><dcterms:created>2022-06-01T00:00:00Z</dcterms:created></cp:coreProperties>"#,
            ),
        ]);
        let e = extract(&bytes, &Budget::default()).unwrap();
        assert_eq!(e.text, "Соглашение о воде\nTom & \tJerry\nnext");
        assert_eq!(e.title.as_deref(), Some("Water"));
        assert_eq!(e.published.unwrap().to_string(), "2022-06-01");
    }

    #[test]
    fn not_a_zip_no_document_and_broken_xml_are_refused() {
        let b = Budget::default();
        assert!(matches!(extract(b"PK but not really a zip", &b), Err(Error::DocxNotZip(_))));
        assert!(matches!(extract(&docx(&[("word/styles.xml", "<x/>")]), &b), Err(Error::DocxNoDocument)));
        let broken = docx(&[("word/document.xml", "<w:document><w:p><w:t>a</w:p></w:document>")]);
        assert!(matches!(extract(&broken, &b), Err(Error::DocxMalformed(_))));
    }

    #[test]
    fn a_zip_bomb_stops_at_the_budget() {
        // 300 MB of spaces inside a paragraph compress to about 300 kB.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(b"<w:document><w:body><w:p><w:r><w:t>").unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..300 {
            w.write_all(&spaces).unwrap();
        }
        w.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(bytes.len() < 2_000_000, "{}", bytes.len());
        let b = Budget { max_unpacked: 50_000_000, ..Budget::default() };
        let err = extract(&bytes, &b).unwrap_err();
        assert!(matches!(err, Error::TooMuchUnpacked { .. }), "{err}");
        assert!(err.to_string().contains("50.0 MB"), "{err}");
    }
}
