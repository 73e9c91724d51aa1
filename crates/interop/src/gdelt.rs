//! GDELT 2.0 event exports: 61 tab-separated columns per row, no header, UTF-8, as `.CSV` or
//! zipped (`YYYYMMDDHHMMSS.export.CSV.zip`). The columns, by GDELT's event codebook (0-based):
//!
//! | # | column | # | column |
//! |---|---|---|---|
//! | 0 | GlobalEventID | 26 | EventCode (CAMEO) |
//! | 1 | Day (YYYYMMDD) | 27 | EventBaseCode |
//! | 2–4 | MonthYear, Year, FractionDate | 28 | EventRootCode |
//! | 5 | Actor1Code | 29 | QuadClass |
//! | 6 | Actor1Name | 30 | GoldsteinScale |
//! | 7 | Actor1CountryCode | 31–34 | NumMentions, NumSources, NumArticles, AvgTone |
//! | 8–14 | Actor1 group, ethnic, religion, type codes | 35–42 | Actor1Geo_* |
//! | 15 | Actor2Code | 43–50 | Actor2Geo_* |
//! | 16 | Actor2Name | 51 | ActionGeo_Type |
//! | 17 | Actor2CountryCode | 52 | ActionGeo_FullName |
//! | 18–24 | Actor2 group, ethnic, religion, type codes | 53–58 | ActionGeo_* (country, ADM, lat, long, feature) |
//! | 25 | IsRootEvent | 59 | DATEADDED |
//! | | | 60 | SOURCEURL |
//!
//! A row is kept when Actor1CountryCode or Actor2CountryCode is one of the five Central Asian
//! states (KAZ KGZ TJK TKM UZB). Its type comes from the CAMEO code by the crosswalk hamkor
//! exports with (`EventType::plover_cameo`), read backwards: 057 sign formal agreement →
//! agreement; root 04 consult → meeting; other 05 diplomatic cooperation → partnership; 06
//! material cooperation → joint_activity; 07 provide aid → aid; every other root (statements,
//! appeals, demands, protests, force, violence…) → other.

use crate::csv::records;
use crate::{is_zip, BadRow, Parsed};
use hamkor_model::{ActorCode, EventType, ImportSource, ImportedEvent, PartialDate, CENTRAL_ASIA};
use std::io::Read;

pub const COLUMNS: usize = 61;

/// Our type for a CAMEO event code and root code; `None` is "other".
pub fn cameo_type(code: &str, root: &str) -> Option<EventType> {
    if code.starts_with("057") {
        return Some(EventType::Agreement);
    }
    match root {
        "04" => Some(EventType::Meeting),
        "05" => Some(EventType::Partnership),
        "06" => Some(EventType::JointActivity),
        "07" => Some(EventType::Aid),
        _ => None,
    }
}

/// Parse a GDELT export, plain or zipped. `file` names it in the reasons of bad rows.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    if is_zip(bytes) {
        let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            Ok(z) => z,
            Err(e) => {
                out.bad.push(BadRow { file: file.into(), line: 0, reason: format!("not a readable zip: {e}") });
                return out;
            }
        };
        for i in 0..zip.len() {
            let mut member = match zip.by_index(i) {
                Ok(m) => m,
                Err(e) => {
                    out.bad.push(BadRow { file: file.into(), line: 0, reason: format!("zip member {i}: {e}") });
                    continue;
                }
            };
            if member.is_dir() {
                continue;
            }
            let name = format!("{file}!{}", member.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("member {i}")));
            let mut data = Vec::new();
            if let Err(e) = member.read_to_end(&mut data) {
                out.bad.push(BadRow { file: name, line: 0, reason: format!("cannot unpack: {e}") });
                continue;
            }
            parse_text(&name, &String::from_utf8_lossy(&data), &mut out);
        }
    } else {
        parse_text(file, &String::from_utf8_lossy(bytes), &mut out);
    }
    out
}

fn parse_text(file: &str, text: &str, out: &mut Parsed) {
    for rec in records(text, '\t', false) {
        let f = &rec.fields;
        if rec.line == 1 && f.first().is_some_and(|x| x.eq_ignore_ascii_case("GlobalEventID")) {
            continue;
        }
        match row(f) {
            Ok(Some(e)) => {
                out.rows += 1;
                out.events.push(e);
            }
            Ok(None) => {
                out.rows += 1;
                out.outside += 1;
            }
            Err(reason) => out.bad.push(BadRow { file: file.into(), line: rec.line, reason }),
        }
    }
}

/// One row: `Ok(None)` when it does not concern Central Asia.
fn row(f: &[String]) -> Result<Option<ImportedEvent>, String> {
    if f.len() != COLUMNS {
        return Err(format!("expected {COLUMNS} tab-separated columns, found {}", f.len()));
    }
    let id = f[0].trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("GlobalEventID {id:?} is not a number"));
    }
    let day = f[1].trim();
    let date = (day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()))
        .then(|| PartialDate::day(day[..4].parse().ok()?, day[4..6].parse().ok()?, day[6..8].parse().ok()?))
        .flatten()
        .ok_or_else(|| format!("Day {day:?} is not a date (YYYYMMDD)"))?;
    let code = f[26].trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("EventCode {code:?} is not a CAMEO code"));
    }
    let root = match f[28].trim() {
        "" => code.get(..2).unwrap_or(code),
        r => r,
    };
    if root.len() != 2 || !root.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with(root) {
        return Err(format!("EventRootCode {root:?} does not fit EventCode {code:?}"));
    }
    let goldstein = match f[30].trim() {
        "" => None,
        g => match g.parse::<f64>() {
            Ok(v) if (-10.0..=10.0).contains(&v) => Some(v),
            _ => return Err(format!("GoldsteinScale {g:?} is not a number from -10 to 10")),
        },
    };
    let countries = [f[7].trim(), f[17].trim()];
    if !countries.iter().any(|c| CENTRAL_ASIA.contains(c)) {
        return Ok(None);
    }
    let mut actors: Vec<ActorCode> = countries.iter().filter_map(|c| ActorCode::new(c).ok()).collect();
    actors.sort_unstable();
    actors.dedup();
    Ok(Some(ImportedEvent {
        id: 0,
        source: ImportSource::Gdelt,
        external_id: id.to_string(),
        date,
        event_type: cameo_type(code, root),
        code: code.to_string(),
        subcode: root.to_string(),
        actors,
        actor1: f[6].trim().to_string(),
        actor2: f[16].trim().to_string(),
        location: f[52].trim().to_string(),
        goldstein,
        fatalities: None,
        source_url: f[60].trim().to_string(),
        notes: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row in GDELT's layout with the columns that matter set.
    pub fn row_text(id: &str, day: &str, a1: &str, a2: &str, code: &str, goldstein: &str) -> String {
        let mut f = vec![String::new(); COLUMNS];
        f[0] = id.into();
        f[1] = day.into();
        f[5] = a1.into();
        f[6] = format!("{a1} NAME");
        f[7] = a1.into();
        f[15] = a2.into();
        f[16] = format!("{a2} NAME");
        f[17] = a2.into();
        f[26] = code.into();
        f[27] = code.get(..3).unwrap_or(code).into();
        f[28] = code.get(..2).unwrap_or(code).into();
        f[30] = goldstein.into();
        f[52] = "Osh, Osh, Kyrgyzstan".into();
        f[60] = format!("https://news.example/{id}");
        f.join("\t")
    }

    #[test]
    fn central_asian_rows_kept_typed_and_bad_rows_named() {
        let text = [
            row_text("1001", "20210429", "KGZ", "TJK", "190", "-10"),
            row_text("1002", "20210501", "KGZ", "TJK", "0571", "8"),
            row_text("1003", "20210502", "RUS", "CHN", "040", "1"),
            "1004\t20210503\ttoo few".to_string(),
            row_text("1005", "20211345", "UZB", "", "040", "1"),
            row_text("1006", "20220110", "UZB", "", "043", "2.8"),
        ]
        .join("\n");
        let p = parse("events.CSV", text.as_bytes());
        assert_eq!((p.rows, p.outside, p.events.len()), (4, 1, 3));
        assert_eq!(p.bad.len(), 2);
        assert_eq!((p.bad[0].line, p.bad[1].line), (4, 5));
        assert!(p.bad[0].to_string().starts_with("events.CSV:4: expected 61"));
        let t: Vec<&str> = p.events.iter().map(|e| e.type_code()).collect();
        assert_eq!(t, ["other", "agreement", "meeting"]);
        assert_eq!(p.events[0].goldstein, Some(-10.0));
        assert_eq!(p.events[0].date.to_string(), "2021-04-29");
        assert_eq!(p.events[2].actors.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["UZB"]);
        assert_eq!(p.events[1].source_url, "https://news.example/1002");
    }
}
