//! ACLED's CSV export: one header row, then one row per event, comma-separated with quoted
//! fields (notes hold commas and line breaks). Columns are found by their header names, so
//! the order and the extra columns of the export (disorder_type, inter1, admin1…, timestamp) do
//! not matter. Needed: `event_id_cnty`, `event_date`, `event_type`, `actor1`, `iso`. Read when
//! present: `sub_event_type`, `actor2`, `assoc_actor_1`, `assoc_actor_2`, `country`,
//! `location`, `fatalities`, `source`, `notes`.
//!
//! `iso` is the ISO 3166 numeric code of the country where the event happened. A row is kept
//! when that country is one of the five Central Asian states (398 KAZ, 417 KGZ, 762 TJK, 795
//! TKM, 860 UZB) or when an actor is named as one of their state forces or people (for example
//! "Military Forces of Tajikistan (1994-)"). Its actors are the country of `iso` and every
//! Central Asian state the actor columns name. `event_date` is `YYYY-MM-DD` (the export's) or
//! `DD Month YYYY` (older files). Types: the sub-event type "Agreement" (a strategic
//! development) is our agreement; everything else in ACLED (battles, violence against
//! civilians, explosions, riots, protests, other strategic developments) is "other".

use crate::csv::records;
use crate::{BadRow, Parsed};
use hamkor_model::{ActorCode, EventType, ImportSource, ImportedEvent, PartialDate};
use std::collections::HashMap;

/// ISO 3166 numeric → alpha-3 for the region and its neighbours.
const ISO: &[(&str, &str)] = &[
    ("398", "KAZ"),
    ("417", "KGZ"),
    ("762", "TJK"),
    ("795", "TKM"),
    ("860", "UZB"),
    ("4", "AFG"),
    ("156", "CHN"),
    ("643", "RUS"),
    ("364", "IRN"),
    ("586", "PAK"),
    ("31", "AZE"),
];

/// Names of the five states in actor columns.
const NAMES: &[(&str, &str)] =
    &[("Kazakhstan", "KAZ"), ("Kyrgyzstan", "KGZ"), ("Tajikistan", "TJK"), ("Turkmenistan", "TKM"), ("Uzbekistan", "UZB")];

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

fn parse_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if let Ok(d) = s.parse::<PartialDate>() {
        return d.day.is_some().then_some(d);
    }
    let parts: Vec<&str> = s.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if let [d, m, y] = parts.as_slice() {
        let month = MONTHS.iter().position(|x| x.starts_with(&m.to_ascii_lowercase()) && m.len() >= 3)? as u8 + 1;
        return PartialDate::day(y.parse().ok()?, month, d.parse().ok()?);
    }
    None
}

/// Parse an ACLED CSV export. `file` names it in the reasons of bad rows.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let text = String::from_utf8_lossy(bytes);
    let mut recs = records(&text, ',', true).into_iter();
    let Some(header) = recs.next() else { return out };
    let col: HashMap<String, usize> =
        header.fields.iter().enumerate().map(|(i, h)| (h.trim().to_ascii_lowercase(), i)).collect();
    let missing: Vec<&str> =
        ["event_id_cnty", "event_date", "event_type", "actor1", "iso"].into_iter().filter(|c| !col.contains_key(*c)).collect();
    if !missing.is_empty() {
        out.bad.push(BadRow {
            file: file.into(),
            line: header.line,
            reason: format!("not an ACLED export: the header has no {}", missing.join(", ")),
        });
        return out;
    }
    let width = header.fields.len();
    for rec in recs {
        if rec.fields.len() != width {
            out.bad.push(BadRow {
                file: file.into(),
                line: rec.line,
                reason: format!("expected {width} fields as in the header, found {}", rec.fields.len()),
            });
            continue;
        }
        let fields = &rec.fields;
        let get = |name: &str| -> &str { col.get(name).map(|&i| fields[i].trim()).unwrap_or("") };
        match row(&get) {
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
    out
}

fn row<'a>(get: &dyn Fn(&str) -> &'a str) -> Result<Option<ImportedEvent>, String> {
    let id = get("event_id_cnty");
    if id.is_empty() {
        return Err("event_id_cnty is empty".into());
    }
    let date = parse_date(get("event_date"))
        .ok_or_else(|| format!("event_date {:?} is not a date (YYYY-MM-DD or DD Month YYYY)", get("event_date")))?;
    let event_type = get("event_type");
    if event_type.is_empty() {
        return Err("event_type is empty".into());
    }
    let iso = get("iso").trim_start_matches('0');
    let iso = if iso.is_empty() && !get("iso").is_empty() { "0" } else { iso };
    if !iso.bytes().all(|b| b.is_ascii_digit()) || iso.is_empty() {
        return Err(format!("iso {:?} is not an ISO 3166 numeric code", get("iso")));
    }
    let fatalities = match get("fatalities") {
        "" => None,
        n => Some(n.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| format!("fatalities {n:?} is not a count"))?),
    };
    let mut actors: Vec<ActorCode> = Vec::new();
    if let Some((_, code)) = ISO.iter().find(|(n, _)| *n == iso) {
        actors.push(ActorCode::new(code).expect("table codes are valid"));
    }
    let named = [get("actor1"), get("actor2"), get("assoc_actor_1"), get("assoc_actor_2")];
    for (name, code) in NAMES {
        if named.iter().any(|a| a.contains(name)) {
            actors.push(ActorCode::new(code).expect("table codes are valid"));
        }
    }
    actors.sort_unstable();
    actors.dedup();
    if !actors.iter().any(|a| a.is_central_asian()) {
        return Ok(None);
    }
    let sub = get("sub_event_type");
    let location = [get("location"), get("admin1"), get("country")].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ");
    Ok(Some(ImportedEvent {
        id: 0,
        source: ImportSource::Acled,
        external_id: id.to_string(),
        date,
        event_type: sub.eq_ignore_ascii_case("agreement").then_some(EventType::Agreement),
        code: event_type.to_string(),
        subcode: sub.to_string(),
        actors,
        actor1: get("actor1").to_string(),
        actor2: get("actor2").to_string(),
        location,
        goldstein: None,
        fatalities,
        source_url: get("source").to_string(),
        notes: get("notes").to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

    #[test]
    fn rows_of_the_region_kept_with_their_actors_and_bad_rows_named() {
        let rows = [
            HEADER,
            r#"KGZ101,2022-09-14,2022,1,Political violence,Battles,Armed clash,Military Forces of Kyrgyzstan (2021-),,1,Military Forces of Tajikistan (1994-),,1,11,,417,Caucasus and Central Asia,Kyrgyzstan,Batken,Batken,,Kok-Tash,39.9,70.8,1,Local outlet,National,"Border guards exchanged fire near Kok-Tash, both sides reported wounded.",3,,1663200000"#,
            r#"TJK55,16 September 2022,2022,1,Strategic developments,Strategic developments,Agreement,Government of Tajikistan (2020-),,1,Government of Kyrgyzstan (2021-),,1,11,,762,Caucasus and Central Asia,Tajikistan,Sughd,,,Isfara,40.1,70.6,1,Local outlet,National,A ceasefire was agreed.,0,,1663300000"#,
            r#"RUS9,2022-09-15,2022,1,Demonstrations,Protests,Peaceful protest,Protesters (Russia),,6,,,0,60,,643,Europe,Russia,Moscow,,,Moscow,55.7,37.6,1,Outlet,National,A protest.,0,,1663300000"#,
            r#"KAZ3,2022-13-01,2022,1,Demonstrations,Protests,Peaceful protest,Protesters (Kazakhstan),,6,,,0,60,,398,Caucasus and Central Asia,Kazakhstan,Almaty,,,Almaty,43.2,76.9,1,Outlet,National,A protest.,0,,1663300000"#,
            r#"KAZ4,2022-01-05,2022,1,Demonstrations,Riots,Violent demonstration,Rioters (Kazakhstan),,5,,,0,50,,398,Caucasus and Central Asia,Kazakhstan,Almaty,,,Almaty,43.2,76.9,1,Outlet,National,"Short row"#,
        ]
        .join("\n");
        let p = parse("acled.csv", rows.as_bytes());
        assert_eq!((p.rows, p.outside, p.events.len()), (3, 1, 2));
        assert_eq!(p.bad.len(), 2, "{:?}", p.bad);
        assert_eq!(p.bad[0].line, 5);
        assert!(p.bad[0].reason.contains("event_date"));
        assert_eq!(p.bad[1].line, 6);
        let e = &p.events[0];
        assert_eq!(e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["KGZ", "TJK"]);
        assert_eq!((e.type_code(), e.fatalities, e.date.to_string()), ("other", Some(3), "2022-09-14".to_string()));
        assert!(e.notes.contains("Kok-Tash, both"));
        assert_eq!((p.events[1].type_code(), p.events[1].date.to_string()), ("agreement", "2022-09-16".to_string()));
    }
}
