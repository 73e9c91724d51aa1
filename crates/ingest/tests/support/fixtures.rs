//! Test documents made in code: PDFs (plain, without text, password-protected) and DOCX files.
//! Shared by the ingest tests and the CLI tests (`#[path]`-included), so that no binary fixture
//! has to be committed and each one's content is visible here.
#![allow(dead_code)]

use std::io::Write;

/// A one-page PDF with each line of `lines` in Helvetica, an Info dictionary with `title`, and
/// optionally a Standard-security `/Encrypt` entry whose user password is not empty (so the
/// file cannot be opened without it).
pub fn pdf(lines: &[&str], title: Option<&str>, encrypted: bool) -> Vec<u8> {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let mut content = String::from("BT /F1 12 Tf 72 720 Td 16 TL\n");
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", esc(line)));
    }
    content.push_str("ET\n");
    if lines.is_empty() {
        // A page with graphics only: a scanned page has an image here, we draw a line.
        content = "0 0 m 100 100 l S\n".into();
    }
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{}endstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Title ({}) /CreationDate (D:20240302120000Z) >>", esc(title.unwrap_or(""))),
    ];
    if encrypted {
        let o = "5a".repeat(32);
        let u = "c3".repeat(32);
        objects.push(format!("<< /Filter /Standard /V 1 /R 2 /Length 40 /O <{o}> /U <{u}> /P -44 >>"));
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = vec![];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{}\nendobj\n", i + 1, body).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for off in offsets {
        writeln!(out, "{off:010} 00000 n ").unwrap();
    }
    let mut trailer = format!("<< /Size {} /Root 1 0 R /Info 6 0 R", objects.len() + 1);
    if encrypted {
        trailer.push_str(" /Encrypt 7 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]");
    }
    trailer.push_str(" >>");
    write!(out, "trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n").unwrap();
    out
}

/// A DOCX (a ZIP) holding the given parts. `docx_text` makes the usual one.
pub fn zip_parts(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A minimal DOCX: one `<w:p>` per paragraph, and a title and creation date in core.xml.
pub fn docx(paragraphs: &[&str], title: &str, created: &str) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml_escape(p)))
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
         <dc:title>{}</dc:title><dcterms:created>{created}</dcterms:created></cp:coreProperties>",
        xml_escape(title)
    );
    zip_parts(&[
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("word/document.xml", &document),
        ("docProps/core.xml", &core),
    ])
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
