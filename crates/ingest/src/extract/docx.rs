//! DOCX: the text of `word/document.xml` (paragraphs, line breaks, tabs), title and creation
//! date from `docProps/core.xml`. A ZIP reader and an XML pull parser are all it takes; a full
//! DOCX library would bring images and a second ZIP crate for nothing.

use super::{first_line_title, loose_date, tidy, Extracted};
use crate::Error;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// Most XML a DOCX may unpack to, per text byte allowed: markup is verbose (a run of a few
/// words carries hundreds of bytes of properties), but a small file that inflates beyond this
/// is a ZIP bomb, not a report.
const XML_PER_TEXT_BYTE: u64 = 16;

pub fn extract(bytes: &[u8], max_text_len: usize) -> Result<Extracted, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::DocxNotZip(e.to_string()))?;
    let max_xml = (max_text_len as u64).saturating_mul(XML_PER_TEXT_BYTE).max(1 << 20);
    let document = match read_part(&mut zip, "word/document.xml", max_xml)? {
        Some(xml) => xml,
        None => return Err(Error::DocxNoDocument),
    };
    let text = tidy(&body_text(&document)?);
    if text.trim().is_empty() {
        return Err(Error::NoText("the DOCX document has no text".into()));
    }
    let (mut title, mut published) = (None, None);
    // docProps/core.xml is optional, and a broken one must not cost us the text.
    if let Ok(Some(core)) = read_part(&mut zip, "docProps/core.xml", 1 << 20) {
        title = core_field(&core, "title").filter(|t| !t.is_empty());
        published = core_field(&core, "created").and_then(|d| loose_date(&d));
    }
    Ok(Extracted { title: title.or_else(|| first_line_title(&text)), published, text, ..Extracted::default() })
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, max: u64) -> Result<Option<String>, Error> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::DocxMalformed(format!("{name}: {e}"))),
    };
    let mut buf = Vec::new();
    file.take(max + 1).read_to_end(&mut buf).map_err(|e| Error::DocxMalformed(format!("{name}: {e}")))?;
    if buf.len() as u64 > max {
        return Err(Error::DocxMalformed(format!("{name} unpacks to more than {max} bytes (a ZIP bomb?)")));
    }
    String::from_utf8(buf).map(Some).map_err(|e| Error::DocxMalformed(format!("{name} is not UTF-8: {e}")))
}

/// Concatenate `<w:t>` text; `<w:p>` ends a line, `<w:br>`/`<w:cr>` break one, `<w:tab>` is a tab.
fn body_text(xml: &str) -> Result<String, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            Error::DocxMalformed(format!("word/document.xml at byte {}: {e}", reader.buffer_position()))
        })?;
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

/// Text of the first element with this local name (`dc:title`, `dcterms:created`).
fn core_field(xml: &str, local: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut value = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == local => inside = true,
            Event::End(e) if inside && e.local_name().as_ref() == local => {
                return Some(value.trim().to_string());
            }
            Event::Text(t) if inside => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => value.push_str(&resolve_ref(&r)),
            Event::Eof => return None,
            _ => {}
        }
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
        let e = extract(&bytes, 1 << 20).unwrap();
        assert_eq!(e.text, "Соглашение о воде\nTom & \tJerry\nnext");
        assert_eq!(e.title.as_deref(), Some("Water"));
        assert_eq!(e.published.unwrap().to_string(), "2022-06-01");
    }

    #[test]
    fn not_a_zip_no_document_and_broken_xml_are_refused() {
        assert!(matches!(extract(b"PK but not really a zip", 1 << 20), Err(Error::DocxNotZip(_))));
        assert!(matches!(extract(&docx(&[("word/styles.xml", "<x/>")]), 1 << 20), Err(Error::DocxNoDocument)));
        let broken = docx(&[("word/document.xml", "<w:document><w:p><w:t>a</w:p></w:document>")]);
        assert!(matches!(extract(&broken, 1 << 20), Err(Error::DocxMalformed(_))));
    }
}
