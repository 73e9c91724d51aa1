//! JSON lines in the spec's input format: `{"id", "text", "lang", "date"}` per line, plus the
//! optional `title` and `url` other tools often add. Lines are streamed by the pipeline; this
//! parses one.

use super::dates::metadata_date;
use super::{date_or_warn, first_line_title, Extracted};
use crate::Error;
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "link", alias = "source")]
    url: Option<String>,
}

/// Parse one line; `Ok(None)` for a blank line. A byte-order mark (the first line of a file
/// saved by a Windows tool) is not part of the JSON. Nesting is bounded by serde_json's
/// recursion limit (128), which it reports as an error.
pub fn parse_line(bytes: &[u8]) -> Result<Option<Extracted>, Error> {
    let line = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8(e.valid_up_to()))?;
    let line = line.trim_start_matches('\u{feff}').trim();
    if line.is_empty() {
        return Ok(None);
    }
    let parsed: Line = serde_json::from_str(line).map_err(|e| Error::JsonLine(e.to_string()))?;
    let text = match parsed.text {
        // A NUL is no character of a text (a file with one is refused as binary); in JSON it
        // can only come from a \u0000 escape. Found by the jsonl fuzz target.
        Some(t) if t.contains('\0') => {
            return Err(Error::JsonLine("the \"text\" holds a NUL character (\\u0000): not a text".into()))
        }
        Some(t) if !t.trim().is_empty() => t,
        Some(_) => return Err(Error::NoText("the JSON line's \"text\" is empty".into())),
        None => return Err(Error::JsonLine("no \"text\" field".into())),
    };
    let mut warnings = Vec::new();
    let published = date_or_warn(metadata_date(parsed.date.as_deref().unwrap_or("")), &mut warnings);
    let id = parsed.id.map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    Ok(Some(Extracted {
        title: parsed.title.filter(|t| !t.trim().is_empty()).or_else(|| first_line_title(&text)),
        published,
        lang: parsed.lang.filter(|l| !l.trim().is_empty()),
        location: parsed.url,
        external_id: id,
        text,
        warnings,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_lines_parse_and_bad_ones_say_why() {
        let e = parse_line(br#"{"id": "doc-1", "text": "Astana summit.", "lang": "en", "date": "2024-03-02"}"#)
            .unwrap()
            .unwrap();
        assert_eq!((e.external_id.as_deref(), e.lang.as_deref()), (Some("doc-1"), Some("en")));
        assert_eq!(e.published.unwrap().to_string(), "2024-03-02");
        assert!(parse_line(b"   ").unwrap().is_none());
        let err = |b: &[u8]| parse_line(b).unwrap_err().to_string();
        assert!(err(br#"{"id": 1, "text": "x""#).contains("bad JSON"));
        assert!(err(br#"{"id": 1}"#).contains("no \"text\""));
        assert!(err(br#"{"text": "  "}"#).contains("empty"));
        // A byte-order mark before the first line.
        assert!(parse_line(b"\xEF\xBB\xBF{\"text\": \"x\"}").unwrap().is_some());
        // Deep nesting stops at serde_json's limit, with a message.
        let deep = format!("{{\"text\": \"x\", \"id\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(err(deep.as_bytes()).contains("recursion limit"), "{}", err(deep.as_bytes()));
    }

    #[test]
    fn dates_follow_the_common_rules() {
        for bad in ["0000-00-00", "99999-01-01", "soon"] {
            let line = format!(r#"{{"text": "Talks in Tashkent.", "date": "{bad}"}}"#);
            let e = parse_line(line.as_bytes()).unwrap().unwrap();
            assert_eq!(e.published, None);
            assert!(e.warnings[0].contains(bad), "{:?}", e.warnings);
        }
    }
}
