//! Bytes → text: byte-order marks, UTF-8, declared encodings and, for files that declare
//! nothing, the encoding a detector finds (the region's older sites and Windows tools write
//! windows-1251, KOI8-R and the ISO-8859 family).
//!
//! The order is the one browsers use, with one change: bytes that are valid UTF-8 are read as
//! UTF-8 even when a page declares a legacy encoding, because legacy Cyrillic text is almost
//! never valid UTF-8 by accident, while pages converted to UTF-8 that kept their old
//! `<meta charset>` are common.
//!
//! 1. A byte-order mark (UTF-8, UTF-16 LE/BE) decides, strictly: malformed UTF-16 is refused.
//! 2. A NUL byte anywhere else means a binary file, not text.
//! 3. Valid UTF-8 is UTF-8.
//! 4. A declared encoding (HTML `<meta charset>`, an XML declaration) is used.
//! 5. Bytes that are mostly good UTF-8 with a few bad sequences are damaged UTF-8: refused with
//!    the offset of the first bad byte rather than read as a legacy encoding.
//! 6. Otherwise chardetng guesses, and the guess is said in a warning.
//!
//! Whatever the way, text with many control characters is refused as binary.

use crate::Error;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Text and how it was read.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Said when the encoding was guessed rather than marked or declared.
    pub warning: Option<String>,
}

/// Decode `bytes`, using `declared` (from the document's own markup) when the bytes are not
/// UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, Error> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let rest = &bytes[bom..];
        if encoding == UTF_8 {
            return utf8(rest);
        }
        if rest.len() % 2 == 1 {
            return Err(Error::InvalidText(format!("{} text with an odd number of bytes", encoding.name())));
        }
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(|| Error::InvalidText(format!("invalid {} (an unpaired surrogate)", encoding.name())))?
            .into_owned();
        if let Some(at) = text.find('\0') {
            return Err(Error::Binary(bom + 2 * text[..at].encode_utf16().count()));
        }
        check_controls(&text)?;
        return Ok(Decoded { text, encoding, warning: None });
    }
    if let Some(at) = memchr_nul(bytes) {
        return Err(Error::Binary(at));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        check_controls(text)?;
        return Ok(Decoded { text: text.to_string(), encoding: UTF_8, warning: None });
    }
    let declared = declared.filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE);
    if let Some(encoding) = declared {
        return legacy(bytes, encoding, None);
    }
    if let Some(at) = damaged_utf8(bytes) {
        return Err(Error::InvalidUtf8(at));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    legacy(
        bytes,
        encoding,
        Some(format!("no encoding is declared and the text is not UTF-8; read as {} (detected)", encoding.name())),
    )
}

fn utf8(bytes: &[u8]) -> Result<Decoded, Error> {
    if let Some(at) = memchr_nul(bytes) {
        return Err(Error::Binary(at + 3));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8(3 + e.valid_up_to()))?;
    check_controls(text)?;
    Ok(Decoded { text: text.to_string(), encoding: UTF_8, warning: None })
}

fn legacy(bytes: &[u8], encoding: &'static Encoding, warning: Option<String>) -> Result<Decoded, Error> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    check_controls(&text)?;
    Ok(Decoded { text: text.into_owned(), encoding, warning })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// The offset of the first bad byte when the bytes read as UTF-8 with damage: at least one
/// well-formed multi-byte sequence and at least four times as many good ones as bad ones.
/// Legacy Cyrillic or Latin text has few or no well-formed sequences.
fn damaged_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut good, mut bad, mut first_bad) = (0usize, 0usize, None);
    let mut rest = bytes;
    let mut offset = 0;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                good += rest[..valid].iter().filter(|b| **b >= 0xC0).count();
                bad += 1;
                first_bad.get_or_insert(offset + valid);
                let skip = valid + e.error_len().unwrap_or(rest.len() - valid).max(1);
                rest = &rest[skip..];
                offset += skip;
            }
        }
    }
    (good > 0 && good >= 4 * bad).then_some(first_bad.unwrap_or(0))
}

/// Refuse text in which control characters (other than tab, line feed, form feed and carriage
/// return) are more than one in fifty: that is a binary file read as text.
fn check_controls(text: &str) -> Result<(), Error> {
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    if controls > 0 && controls * 50 > chars {
        return Err(Error::InvalidText(format!(
            "{controls} control characters in {chars}: a binary file, not text"
        )));
    }
    Ok(())
}

/// The encoding an HTML page declares in its first 4 KB (`<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`), as browsers pre-scan for it.
pub fn html_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(i) = find(&lower[at..], b"<meta") {
        let start = at + i + 5;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(j) = find(tag, b"charset") {
            let value = trim_start(&tag[j + 7..], |b| b.is_ascii_whitespace());
            if let Some(value) = value.strip_prefix(b"=") {
                let value = value.iter().skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'');
                let label: Vec<u8> = value
                    .take_while(|b| !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>')))
                    .copied()
                    .collect();
                if let Some(e) = Encoding::for_label(&label) {
                    return Some(e);
                }
            }
        }
        at = end;
    }
    None
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="windows-1251"?>`).
pub fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let start = find(head, b"<?xml")?;
    let end = start + find(&head[start..], b"?>")?;
    let decl = &head[start..end];
    let i = find(decl, b"encoding")?;
    let value = trim_start(&decl[i + 8..], |b| b.is_ascii_whitespace() || b == b'=');
    let quote = *value.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let label: Vec<u8> = value[1..].iter().take_while(|b| **b != quote).copied().collect();
    Encoding::for_label(&label)
}

fn trim_start(s: &[u8], skip: impl Fn(u8) -> bool) -> &[u8] {
    let from = s.iter().position(|&b| !skip(b)).unwrap_or(s.len());
    &s[from..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RU: &str = "Министры иностранных дел Казахстана и Узбекистана обсудили в Ташкенте \
        совместное использование водных ресурсов и подписали соглашение о сотрудничестве в \
        области образования. Стороны договорились провести следующую встречу осенью.";
    const LATIN: &str = "La délégation française a été reçue à Tachkent ; les ministres ont \
        signé un accord sur l'éducation, la santé et la coopération culturelle entre leurs pays.";

    fn encode(text: &str, label: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = Encoding::for_label(label.as_bytes()).unwrap().encode(text);
        assert!(!unmappable, "{label} can encode the sample");
        bytes.into_owned()
    }

    #[test]
    fn undeclared_cyrillic_legacy_encodings_are_detected() {
        for label in ["windows-1251", "koi8-r", "iso-8859-5", "ibm866"] {
            let d = decode(&encode(RU, label), None).unwrap();
            assert_eq!(d.text, RU, "{label}");
            assert!(d.warning.as_deref().is_some_and(|w| w.contains("detected")), "{label}");
        }
    }

    #[test]
    fn undeclared_latin_legacy_encodings_are_detected() {
        for label in ["iso-8859-1", "windows-1252", "iso-8859-15"] {
            let d = decode(&encode(LATIN, label), None).unwrap();
            assert_eq!(d.text, LATIN, "{label}");
        }
    }

    #[test]
    fn declared_encoding_wins_over_a_guess() {
        // Five bytes of KOI8-R are too few to detect; the declaration says what they are.
        let bytes = encode("Вода", "koi8-r");
        let d = decode(&bytes, Encoding::for_label(b"koi8-r")).unwrap();
        assert_eq!(d.text, "Вода");
        assert!(d.warning.is_none());
    }

    #[test]
    fn byte_order_marks_decide() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(RU.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, None).unwrap().text, RU);
        let mut be = vec![0xFE, 0xFF];
        be.extend(RU.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, None).unwrap().text, RU);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(RU.as_bytes());
        assert_eq!(decode(&bom8, None).unwrap().text, RU);
        assert!(matches!(decode(&[0xFF, 0xFE, 0x41], None), Err(Error::InvalidText(_))));
        // An unpaired surrogate.
        assert!(matches!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], None), Err(Error::InvalidText(_))));
    }

    #[test]
    fn valid_utf8_beats_a_stale_declaration() {
        let d = decode(RU.as_bytes(), Encoding::for_label(b"windows-1251")).unwrap();
        assert_eq!(d.text, RU);
    }

    #[test]
    fn binary_and_damaged_utf8_are_refused() {
        assert!(matches!(decode(b"ab\0cd", None), Err(Error::Binary(2))));
        let mut damaged = RU.as_bytes().to_vec();
        damaged[21] = 0xFF;
        assert!(matches!(decode(&damaged, None), Err(Error::InvalidUtf8(21))));
        let noise: Vec<u8> = (1u8..=255).cycle().take(4096).collect();
        assert!(decode(&noise, None).is_err());
    }

    #[test]
    fn declarations_are_found() {
        let html = br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>"#;
        assert_eq!(html_declared(html), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(html_declared(b"<META CHARSET='KOI8-R'>"), Some(encoding_rs::KOI8_R));
        assert_eq!(html_declared(b"<meta name=x>"), None);
        assert_eq!(xml_declared(br#"<?xml version="1.0" encoding="ISO-8859-1"?><rss/>"#), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(xml_declared(b"<rss/>"), None);
    }
}
