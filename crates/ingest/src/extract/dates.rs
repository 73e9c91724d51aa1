//! Publication dates as sources state them, with one rule for every format (a Markdown header,
//! an HTML meta tag, an RSS `pubDate`, an Atom `updated`, a PDF `CreationDate`, a DOCX
//! `dcterms:created`, a JSON line's `date`):
//!
//! - an empty value is no date;
//! - a value in one of the shapes below, naming a real day (or month, or year) between
//!   [`EARLIEST_YEAR`] and [`LATEST_YEAR`], is the date;
//! - anything else (`0000-00-00`, `99999-01-01`, `31.02.2024`, `soon`) is not a date: the
//!   document is stored without one and the value is named in a warning. A wrong date is worse
//!   than none (the coder dates events against it), and refusing a whole document for its
//!   metadata would lose its text.
//!
//! Shapes: `2024`, `2024-03`, `2024-03-02`, an ISO date-time (`2024-03-02T10:00:00Z`),
//! `2024/03/02`, `02.03.2024` (common in the region), RFC 2822 as feeds write it
//! (`Sat, 02 Mar 2024 10:00:00 GMT`, `2 Mar 2024`), and PDF dates (`D:20240302101500+05'00'`).

use hamkor_model::PartialDate;

/// Publication dates outside these years are taken for errors (placeholders such as
/// `0000-00-00`, typing slips such as `20224`).
pub const EARLIEST_YEAR: i32 = 1800;
pub const LATEST_YEAR: i32 = 2199;

/// A date read from metadata: `Ok(None)` when the value is empty, `Err(warning)` when it is not
/// a date (the warning names the value).
pub type DateRead = Result<Option<PartialDate>, String>;

pub fn metadata_date(raw: &str) -> DateRead {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match parse(s) {
        Some(d) if (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year) => Ok(Some(d)),
        Some(d) => Err(format!(
            "date {:?} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR} (year {}); the document is stored without a date",
            shorten(s),
            d.year
        )),
        None => Err(format!("{:?} is not a date hamkor can read; the document is stored without a date", shorten(s))),
    }
}

/// The first value that is a date, from candidates in order of preference; when none is, the
/// warning about the first non-empty one.
pub fn first_date<'a>(candidates: impl IntoIterator<Item = &'a str>) -> DateRead {
    let mut first_error = None;
    for c in candidates {
        match metadata_date(c) {
            Ok(Some(d)) => return Ok(Some(d)),
            Ok(None) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(None), Err)
}

fn shorten(s: &str) -> String {
    super::cut(s, 40)
}

fn parse(s: &str) -> Option<PartialDate> {
    if let Ok(d) = s.parse() {
        return Some(d);
    }
    if let Some(rest) = s.strip_prefix("D:") {
        return compact(rest);
    }
    let head: String = s.chars().take(10).collect();
    if head.len() == 10 && head.as_bytes()[4] == b'-' {
        // ISO date-time: the date part.
        if let Ok(d) = head.parse() {
            return Some(d);
        }
    }
    if let Ok(d) = head.replace('/', "-").parse() {
        return Some(d);
    }
    let parts: Vec<&str> = head.split('.').collect();
    if let [d, m, y] = parts.as_slice() {
        if (1..=2).contains(&d.len()) && (1..=2).contains(&m.len()) && y.len() == 4 {
            return PartialDate::day(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
    }
    rfc2822(s)
}

/// `20240302…` (a PDF date without its `D:`): year, month and day digits.
fn compact(s: &str) -> Option<PartialDate> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).take(8).collect();
    match digits.len() {
        4 => Some(PartialDate::year(digits.parse().ok()?)),
        6 => Some(PartialDate::month(digits[..4].parse().ok()?, month_number(&digits[4..6])?)),
        8 => PartialDate::day(digits[..4].parse().ok()?, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?),
        _ => None,
    }
}

fn month_number(s: &str) -> Option<u8> {
    let m: u8 = s.parse().ok()?;
    (1..=12).contains(&m).then_some(m)
}

/// `[Sat,] 02 Mar 2024 [time zone]`: RFC 2822, as RSS writes dates.
fn rfc2822(s: &str) -> Option<PartialDate> {
    let s = s.split_once(',').map_or(s, |(_, rest)| rest);
    let mut words = s.split_whitespace();
    let day: u8 = words.next()?.parse().ok()?;
    let month = words.next()?.to_ascii_lowercase();
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| month.starts_with(m))? as u8 + 1;
    let year = words.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    PartialDate::day(year.parse().ok()?, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        metadata_date(s).ok().flatten().map(|d| d.to_string())
    }

    #[test]
    fn every_shape_sources_use() {
        assert_eq!(d("2024-03-02T10:00:00+05:00").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2024/03/02").as_deref(), Some("2024-03-02"));
        assert_eq!(d("02.03.2024").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2.3.2024").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(d("2024").as_deref(), Some("2024"));
        assert_eq!(d("Sat, 02 Mar 2024 10:00:00 GMT").as_deref(), Some("2024-03-02"));
        assert_eq!(d("2 March 2024").as_deref(), Some("2024-03-02"));
        assert_eq!(d("D:20240302101500+05'00'").as_deref(), Some("2024-03-02"));
        assert_eq!(metadata_date("  "), Ok(None));
    }

    #[test]
    fn impossible_dates_are_warnings_not_dates() {
        for bad in ["0000-00-00", "99999-01-01", "0000", "31.02.2024", "2024-13", "soon", "D:00000000", "1066-10-14"] {
            let r = metadata_date(bad);
            let warning = r.expect_err(bad);
            assert!(warning.contains("stored without a date"), "{bad}: {warning}");
            assert!(warning.contains(bad.trim_start_matches("D:")), "the warning names the value: {warning}");
        }
    }

    #[test]
    fn first_readable_candidate_wins() {
        assert_eq!(first_date(["", "0000-00-00", "2021-05-03"]).unwrap().unwrap().to_string(), "2021-05-03");
        assert!(first_date(["0000-00-00", ""]).is_err());
        assert_eq!(first_date(["", " "]), Ok(None));
    }
}
