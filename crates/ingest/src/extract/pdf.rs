//! PDF: the text layer through pdf-extract, title and date from the document information
//! dictionary.
//!
//! pdf-extract panics on some malformed files; the pipeline runs every extractor under
//! `catch_unwind`, so a panic here becomes a failure of this file only.
//!
//! Budget: lopdf decompresses streams whole and without a limit (a 1 MB file of FlateDecode
//! bombs took 2.2 GB). Before anything is decompressed, every compressed stream that is not an
//! image (pdf-extract never decodes images) is run through a counting decoder that keeps
//! nothing, and the file fails once the total passes [`Budget::max_unpacked`]. Object streams
//! are counted while lopdf loads the file, before it unpacks them, through its load filter;
//! the filter is a plain `fn`, so the count lives in a thread-local (lopdf is built without its
//! parallel loader here, so the filter runs on the loading thread).

use super::dates::metadata_date;
use super::{date_or_warn, tidy, Budget, Extracted};
use crate::Error;
use pdf_extract::{decode_text_string, Document, LoadOptions, Object, ObjectId, PlainTextOutput, Stream};
use std::cell::Cell;
use std::io::Read;

thread_local! {
    /// Bytes the streams counted so far may still unpack to during one load.
    static UNPACK_LEFT: Cell<u64> = const { Cell::new(u64::MAX) };
    static UNPACK_OVER: Cell<bool> = const { Cell::new(false) };
}

pub fn extract(bytes: &[u8], budget: &Budget) -> Result<Extracted, Error> {
    if !bytes.starts_with(b"%PDF-") && !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::CorruptPdf("no %PDF- header; this is not a PDF file".into()));
    }
    // An /Encrypt entry in the trailer; looked for in the raw bytes too, because a damaged
    // encrypted file may not load far enough to show its trailer.
    let says_encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    let over_budget = || Error::TooMuchUnpacked { what: "PDF streams", limit: budget.max_unpacked };
    UNPACK_LEFT.set(budget.max_unpacked);
    UNPACK_OVER.set(false);
    let loaded = Document::load_mem_with_options(bytes, LoadOptions { filter: Some(count_on_load), ..Default::default() });
    let over = UNPACK_OVER.replace(false);
    let mut left = UNPACK_LEFT.replace(u64::MAX);
    if over {
        return Err(over_budget());
    }
    let mut doc = match loaded {
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
    // Streams the load filter did not see (an encrypted file's are decrypted after loading)
    // or did not count (every stream but object streams, which are gone by now).
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            if stream.dict.has_type(b"ObjStm") {
                continue;
            }
            left = left.checked_sub(unpacked_size(stream, left)).ok_or_else(over_budget)?;
        }
    }
    let mut text = String::new();
    {
        let mut out = PlainTextOutput::new(&mut text);
        if let Err(e) = pdf_extract::output_doc(&doc, &mut out) {
            return Err(if says_encrypted { Error::EncryptedPdf } else { Error::CorruptPdf(e.to_string()) });
        }
    }
    if text.len() > budget.max_text_len {
        return Err(Error::TextTooLong { len: text.len(), limit: budget.max_text_len });
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
    let mut warnings = Vec::new();
    let published = date_or_warn(metadata_date(&field(b"CreationDate").unwrap_or_default()), &mut warnings);
    Ok(Extracted { title, published, text, warnings, ..Extracted::default() })
}

/// lopdf's load filter: count what an object stream unpacks to before lopdf unpacks it, and
/// drop it (failing the file) when the budget is spent.
fn count_on_load(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        if stream.dict.has_type(b"ObjStm") {
            let left = UNPACK_LEFT.get();
            let size = unpacked_size(stream, left);
            if size > left {
                UNPACK_OVER.set(true);
                return None;
            }
            UNPACK_LEFT.set(left - size);
        }
        // lopdf keeps its own `object` for top-level objects (streams are never inside object
        // streams) and ignores what is returned here, so nothing needs copying.
        return Some((id, Object::Null));
    }
    // Objects inside object streams are taken from the return value.
    Some((id, object.clone()))
}

/// How many bytes `stream` unpacks to, counting at most `limit + 1` (so that a bomb costs no
/// more work than the budget). Images count nothing: they are never decoded. A stream whose
/// filters cannot be decoded counts its own size (lopdf will fail on it, not grow).
fn unpacked_size(stream: &Stream, limit: u64) -> u64 {
    let is_image = stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image");
    let Ok(filters) = stream.filters() else { return stream.content.len() as u64 };
    if is_image || filters.is_empty() {
        return stream.content.len() as u64;
    }
    let mut data: Vec<u8> = stream.content.clone();
    let last = filters.len() - 1;
    for (i, filter) in filters.iter().enumerate() {
        // Only the last stage is counted without being kept; earlier stages (ASCII85 around
        // Flate, say) are kept as input for the next, within the same limit.
        let keep = i < last;
        let (size, kept) = match *filter {
            b"FlateDecode" | b"Fl" => drain(flate2::read::ZlibDecoder::new(&data[..]), limit, keep),
            b"LZWDecode" | b"LZW" => lzw(&data, limit, keep),
            b"ASCII85Decode" | b"A85" | b"ASCIIHexDecode" | b"AHx" => {
                // At most four bytes out per byte in: no bomb, so lopdf decodes it.
                let mut one = Stream::new(stream.dict.clone(), data.clone());
                one.dict.set("Filter", Object::Name(filter.to_vec()));
                one.dict.remove(b"DecodeParms");
                match one.decompressed_content() {
                    Ok(out) => (out.len() as u64, Some(out)),
                    Err(_) => return data.len() as u64,
                }
            }
            _ => return data.len() as u64,
        };
        if size > limit || !keep {
            return size;
        }
        data = kept.unwrap_or_default();
    }
    data.len() as u64
}

/// Read `r` to its end or to `limit + 1` bytes; keep what was read only when asked.
fn drain(mut r: impl Read, limit: u64, keep: bool) -> (u64, Option<Vec<u8>>) {
    let mut kept = keep.then(Vec::new);
    let mut buf = [0u8; 32 << 10];
    let mut total = 0u64;
    while total <= limit {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                total += n as u64;
                if let Some(k) = kept.as_mut() {
                    k.extend_from_slice(&buf[..n]);
                }
            }
        }
    }
    (total, kept)
}

fn lzw(input: &[u8], limit: u64, keep: bool) -> (u64, Option<Vec<u8>>) {
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let mut kept = keep.then(Vec::new);
    let mut buf = vec![0u8; 32 << 10];
    let (mut total, mut rest) = (0u64, input);
    while total <= limit && !rest.is_empty() {
        let r = decoder.decode_bytes(rest, &mut buf);
        total += r.consumed_out as u64;
        if let Some(k) = kept.as_mut() {
            k.extend_from_slice(&buf[..r.consumed_out]);
        }
        rest = &rest[r.consumed_in..];
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in > 0 || r.consumed_out > 0 => {}
            _ => break,
        }
    }
    (total, kept)
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
    use super::*;

    #[test]
    fn wrapped_sentences_are_joined_and_paragraphs_kept() {
        let t = "Қазақстан мен Өзбекстан Одақтастық қатынастар\nтуралы шартқа қол қойды\n\nKüni: 2022\nAgreement on co-\noperation.\nNext sentence.";
        assert_eq!(
            reflow(t),
            "Қазақстан мен Өзбекстан Одақтастық қатынастар туралы шартқа қол қойды\n\nKüni: 2022\nAgreement on co-operation.\nNext sentence."
        );
    }

    /// A PDF of these object bodies (object N is body N-1), with a cross-reference table.
    fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.5\n".to_vec();
        let mut offsets = vec![];
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        out
    }

    fn zeros_deflated(megabytes: usize) -> Vec<u8> {
        use flate2::write::ZlibEncoder;
        use std::io::Write;
        let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..megabytes {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap()
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        s.extend_from_slice(data);
        s.extend_from_slice(b"\nendstream");
        s
    }

    #[test]
    fn stream_bombs_fail_before_they_are_unpacked() {
        // 400 MB of zeros in one content stream: about 400 kB compressed.
        let bomb = zeros_deflated(400);
        let pdf = pdf_of(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>".to_vec(),
            stream("/Filter /FlateDecode", &bomb),
        ]);
        let budget = Budget { max_unpacked: 50_000_000, ..Budget::default() };
        let t = std::time::Instant::now();
        let err = extract(&pdf, &budget).unwrap_err();
        assert!(matches!(err, Error::TooMuchUnpacked { what: "PDF streams", .. }), "{err}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn object_stream_bombs_fail_while_loading() {
        // An object stream is unpacked by lopdf as it loads the file: counted before that.
        let bomb = zeros_deflated(300);
        let pdf = pdf_of(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
            stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb),
        ]);
        let budget = Budget { max_unpacked: 50_000_000, ..Budget::default() };
        let err = extract(&pdf, &budget).unwrap_err();
        assert!(matches!(err, Error::TooMuchUnpacked { what: "PDF streams", .. }), "{err}");
    }
}
