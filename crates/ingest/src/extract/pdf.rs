//! PDF: the text layer through pdf-extract, title and date from the document information
//! dictionary.
//!
//! pdf-extract panics on some malformed files; the pipeline runs every extractor under
//! `catch_unwind`, so a panic here becomes a failure of this file only.

use super::{loose_date, tidy, Extracted};
use crate::Error;
use pdf_extract::{decode_text_string, Document, PlainTextOutput};

pub fn extract(bytes: &[u8]) -> Result<Extracted, Error> {
    if !bytes.starts_with(b"%PDF-") && !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::CorruptPdf("no %PDF- header; this is not a PDF file".into()));
    }
    // An /Encrypt entry in the trailer; looked for in the raw bytes too, because a damaged
    // encrypted file may not load far enough to show its trailer.
    let says_encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if says_encrypted => return Err(Error::EncryptedPdf),
        Err(e) => return Err(Error::CorruptPdf(e.to_string())),
    };
    if doc.is_encrypted() {
        // Many PDFs are "encrypted" with an empty user password (only printing or copying is
        // restricted): those open with "" and are read; the rest need a password we do not have.
        if doc.decrypt("").is_err() {
            return Err(Error::EncryptedPdf);
        }
    }
    let mut text = String::new();
    {
        let mut out = PlainTextOutput::new(&mut text);
        if let Err(e) = pdf_extract::output_doc(&doc, &mut out) {
            return Err(if says_encrypted { Error::EncryptedPdf } else { Error::CorruptPdf(e.to_string()) });
        }
    }
    let text = reflow(&tidy(&text));
    if text.trim().is_empty() {
        if says_encrypted {
            return Err(Error::EncryptedPdf);
        }
        return Err(Error::NoText("the PDF has no text layer (a scanned image? hamkor does no OCR)".into()));
    }
    let info = doc.trailer.get(b"Info").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
    let field = |key: &[u8]| -> Option<String> {
        let obj = info?.get(key).ok()?;
        let (_, obj) = doc.dereference(obj).ok()?;
        let s = decode_text_string(obj).ok()?;
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    let title = field(b"Title").or_else(|| super::first_line_title(&text));
    // The creation date is the only date a PDF states about itself; for the agreements and
    // reports we ingest it is the date of the document, not of a later conversion, often
    // enough to be worth keeping. PDF dates look like D:20240302101500+05'00'.
    let published = field(b"CreationDate").and_then(|d| {
        let digits: String = d.trim_start_matches("D:").chars().take(8).collect();
        if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
            loose_date(&format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
        } else {
            None
        }
    });
    Ok(Extracted { title, published, text, ..Extracted::default() })
}

/// Undo the line wrapping of the page layout inside a paragraph: a line that does not end a
/// sentence, followed by one that starts in lower case, is the same sentence. Without this a
/// sentence wrapped across two lines reaches the coder as two fragments. Blank lines
/// (paragraphs) and lines starting in upper case or with a digit or bullet are left alone.
fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(next) = lines.peek() else { break };
        let ends_sentence = line.trim_end().ends_with(['.', '!', '?', ':', ';', '»', '"', '”', ')']);
        let continues = next.chars().next().is_some_and(char::is_lowercase);
        if !line.trim().is_empty() && !ends_sentence && continues {
            // A hyphen at the end of a line joins without a space (co-\noperation).
            if !line.ends_with('-') {
                out.push(' ');
            }
        } else {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn wrapped_sentences_are_joined_and_paragraphs_kept() {
        let t = "Қазақстан мен Өзбекстан Одақтастық қатынастар\nтуралы шартқа қол қойды\n\nKüni: 2022\nAgreement on co-\noperation.\nNext sentence.";
        assert_eq!(
            reflow(t),
            "Қазақстан мен Өзбекстан Одақтастық қатынастар туралы шартқа қол қойды\n\nKüni: 2022\nAgreement on co-operation.\nNext sentence."
        );
    }
}
