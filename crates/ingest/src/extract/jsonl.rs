//! JSON lines in the spec's input format: `{"id", "text", "lang", "date"}` per line, plus the
//! optional `title` and `url` other tools often add. Lines are streamed by the pipeline; this
//! parses one.

use super::{first_line_title, loose_date, Extracted};
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

/// Parse one line; `Ok(None)` for a blank line.
pub fn parse_line(bytes: &[u8]) -> Result<Option<Extracted>, Error> {
    let line = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8(e.valid_up_to()))?;
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let parsed: Line = serde_json::from_str(line).map_err(|e| Error::JsonLine(e.to_string()))?;
    let text = match parsed.text {
        Some(t) if !t.trim().is_empty() => t,
        Some(_) => return Err(Error::NoText("the JSON line's \"text\" is empty".into())),
        None => return Err(Error::JsonLine("no \"text\" field".into())),
    };
    let published = match parsed.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            loose_date(d)
                .ok_or_else(|| Error::JsonLine(format!("bad \"date\" {d:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")))?,
        ),
    };
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
        assert!(err(br#"{"text": "x", "date": "soon"}"#).contains("bad \"date\""));
        assert!(err(br#"{"text": "  "}"#).contains("empty"));
    }
}
