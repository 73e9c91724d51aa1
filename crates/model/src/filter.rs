//! The one filter of events, and its one parser.
//!
//! Every adapter — the flags of `hamkor events`, `export`, `stats`, `report` and the registry
//! commands, the query parameters of every API route and dashboard page — hands its raw text
//! to [`FilterInput::parse`] and gets a typed [`Filter`] (or a [`FilterError`] naming the field).
//! The store turns a `Filter` into its query; nothing else reads filter text.

use crate::{ActorCode, Domain, EventType, PartialDate};

/// Which events a reader wants. All given conditions must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Events involving every one of these actors (`actor`, and both of `pair`).
    pub actors: Vec<ActorCode>,
    pub event_type: Option<EventType>,
    pub domain: Option<Domain>,
    /// Events whose date (else their document's) overlaps [from, to].
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Documents in this language (a canonical event: some report's document).
    pub lang: Option<String>,
    /// Documents one of whose sources (path or URL) contains this text.
    pub source: Option<String>,
    pub review: Option<ReviewState>,
    /// Events of this document.
    pub document: Option<i64>,
    pub limit: Option<usize>,
}

/// A coded event's review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// A reviewer accepted or edited it.
    Reviewed,
    /// Machine-coded, not reviewed yet.
    Unreviewed,
}

/// A filter as text, the way a command line or a query string gives it. Empty strings are
/// absent (an empty form field).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterInput {
    /// Actor codes; each may be a comma-separated list (`UZB,KAZ`).
    pub actors: Vec<String>,
    /// Two actor codes, `KAZ,UZB` or `KAZ-UZB`.
    pub pair: Option<String>,
    pub event_type: Option<String>,
    pub domain: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Option<String>,
    pub source: Option<String>,
    /// `reviewed` or `unreviewed`.
    pub review: Option<String>,
    pub document: Option<i64>,
    pub limit: Option<usize>,
}

/// What was wrong with a filter: the field (as the adapters name it: `actor`, `pair`, `type`,
/// `domain`, `from`, `to`, `lang`, `source`, `review`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?}: {expected}")]
pub struct FilterError {
    pub field: &'static str,
    pub value: String,
    pub expected: String,
}

fn err(field: &'static str, value: &str, expected: impl Into<String>) -> FilterError {
    FilterError { field, value: value.to_string(), expected: expected.into() }
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An actor code as a reader types it (any case, spaces around).
pub fn parse_actor(field: &'static str, s: &str) -> Result<ActorCode, FilterError> {
    ActorCode::new(&s.trim().to_ascii_uppercase()).map_err(|e| err(field, s, e.to_string()))
}

/// A pair written `KAZ,UZB` or `KAZ-UZB`, sorted.
pub fn parse_pair(s: &str) -> Result<(ActorCode, ActorCode), FilterError> {
    let parts: Vec<&str> = s.split([',', '-']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() != 2 {
        return Err(err("pair", s, "expected two actor codes, like KAZ,UZB"));
    }
    let (a, b) = (parse_actor("pair", parts[0])?, parse_actor("pair", parts[1])?);
    Ok(if a <= b { (a, b) } else { (b, a) })
}

/// The most different actors one filter may ask for together. An event names a few actors; a
/// filter asking for every one of more is a mistake or an attack (each actor is one more
/// condition in the store's query: a thousand of them were more than SQLite's expression
/// depth allows, and the query failed with a 500; found by the filters fuzz target).
pub const MAX_ACTORS: usize = 20;

/// The earliest and latest year a date filter may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

fn parse_date(field: &'static str, s: &Option<String>) -> Result<Option<PartialDate>, FilterError> {
    let Some(d) = given(s) else { return Ok(None) };
    let date: PartialDate = d.parse().map_err(|_| err(field, d, "expected YYYY, YYYY-MM or YYYY-MM-DD"))?;
    if !YEARS.contains(&date.year) {
        return Err(err(field, d, format!("expected a year from {} to {}", YEARS.start(), YEARS.end())));
    }
    Ok(Some(date))
}

/// The first and last day a date covers, as `(year, month, day)`.
fn first_day(d: &PartialDate) -> (i32, u8, u8) {
    (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

fn last_day(d: &PartialDate) -> (i32, u8, u8) {
    let month = d.month.unwrap_or(12);
    (d.year, month, d.day.unwrap_or_else(|| crate::days_in_month(d.year, month)))
}

impl FilterInput {
    /// The one parser of filters.
    pub fn parse(&self) -> Result<Filter, FilterError> {
        // Each actor once: asking twice for one actor asks nothing more.
        let mut actors: Vec<ActorCode> = Vec::new();
        let mut add = |a: ActorCode, list: &str| {
            if !actors.contains(&a) {
                if actors.len() == MAX_ACTORS {
                    return Err(err("actor", list, format!("at most {MAX_ACTORS} different actors")));
                }
                actors.push(a);
            }
            Ok(())
        };
        for list in &self.actors {
            for a in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                add(parse_actor("actor", a)?, list)?;
            }
        }
        if let Some(pair) = given(&self.pair) {
            let (a, b) = parse_pair(pair)?;
            add(a, pair)?;
            add(b, pair)?;
        }
        let event_type = given(&self.event_type)
            .map(|t| t.parse::<EventType>().map_err(|e| err("type", t, e.to_string())))
            .transpose()?;
        let domain =
            given(&self.domain).map(|d| d.parse::<Domain>().map_err(|e| err("domain", d, e.to_string()))).transpose()?;
        let (from, to) = (parse_date("from", &self.from)?, parse_date("to", &self.to)?);
        if let (Some(f), Some(t)) = (&from, &to) {
            if first_day(f) > last_day(t) {
                return Err(err("from", &f.to_string(), format!("is after to {t}")));
            }
        }
        let lang = match given(&self.lang) {
            None => None,
            Some(l) if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) => Some(l.to_string()),
            Some(l) => return Err(err("lang", l, "expected a code like en, ru, uz")),
        };
        let review = match given(&self.review) {
            None => None,
            Some("reviewed") => Some(ReviewState::Reviewed),
            Some("unreviewed") => Some(ReviewState::Unreviewed),
            Some(r) => return Err(err("review", r, "expected reviewed or unreviewed")),
        };
        Ok(Filter {
            actors,
            event_type,
            domain,
            from,
            to,
            lang,
            source: given(&self.source).map(str::to_string),
            review,
            document: self.document,
            limit: self.limit,
        })
    }
}

impl Filter {
    /// The first and last year the dates name (for year-based views: panels, comparisons).
    pub fn years(&self) -> (Option<i32>, Option<i32>) {
        (self.from.map(|d| d.year), self.to.map(|d| d.year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FilterInput {
        FilterInput::default()
    }

    #[test]
    fn one_parser_reads_every_field() {
        let f = FilterInput {
            actors: vec!["sco, kaz".into()],
            pair: Some(" uzb-TJK ".into()),
            event_type: Some("aid".into()),
            domain: Some("water".into()),
            from: Some("2021".into()),
            to: Some("2022-06".into()),
            lang: Some("ru".into()),
            source: Some(" gov.uz ".into()),
            review: Some("unreviewed".into()),
            document: Some(3),
            limit: Some(5),
        }
        .parse()
        .unwrap();
        let codes: Vec<&str> = f.actors.iter().map(|a| a.as_str()).collect();
        assert_eq!(codes, ["SCO", "KAZ", "TJK", "UZB"], "the pair is sorted");
        assert_eq!(f.event_type, Some(EventType::Aid));
        assert_eq!(f.domain, Some(Domain::Water));
        assert_eq!(f.years(), (Some(2021), Some(2022)));
        assert_eq!(f.source.as_deref(), Some("gov.uz"));
        assert_eq!(f.review, Some(ReviewState::Unreviewed));
        assert_eq!((f.document, f.limit), (Some(3), Some(5)));
        // Empty fields (an empty form field) are absent.
        let empty = FilterInput { pair: Some(" ".into()), event_type: Some(String::new()), ..input() };
        assert_eq!(empty.parse().unwrap(), Filter::default());
    }

    #[test]
    fn each_error_names_its_field() {
        let field = |i: FilterInput| i.parse().unwrap_err().field;
        assert_eq!(field(FilterInput { actors: vec!["K4Z".into()], ..input() }), "actor");
        assert_eq!(field(FilterInput { pair: Some("KAZ".into()), ..input() }), "pair");
        assert_eq!(field(FilterInput { pair: Some("KAZ,UZB,TJK".into()), ..input() }), "pair");
        assert_eq!(field(FilterInput { event_type: Some("summit".into()), ..input() }), "type");
        assert_eq!(field(FilterInput { domain: Some("space".into()), ..input() }), "domain");
        assert_eq!(field(FilterInput { from: Some("2021-13".into()), ..input() }), "from");
        assert_eq!(field(FilterInput { to: Some("3021".into()), ..input() }), "to");
        assert_eq!(field(FilterInput { lang: Some("Russian".into()), ..input() }), "lang");
        assert_eq!(field(FilterInput { review: Some("maybe".into()), ..input() }), "review");
        // From after to; a month and its own year are not.
        let order = |from: &str, to: &str| FilterInput { from: Some(from.into()), to: Some(to.into()), ..input() }.parse();
        assert_eq!(order("2023", "2022-12").unwrap_err().field, "from");
        assert!(order("2022-12", "2022").is_ok());
        assert!(order("2022-12-31", "2022-12").is_ok());
    }

    #[test]
    fn actors_are_counted_once_and_bounded() {
        let codes = |n: usize| {
            (0..n).map(|i| format!("A{}{}", (b'A' + (i / 26) as u8) as char, (b'A' + (i % 26) as u8) as char)).collect::<Vec<_>>().join(",")
        };
        let twice = FilterInput { actors: vec!["KAZ,kaz".into(), "KAZ".into()], pair: Some("KAZ-UZB".into()), ..input() };
        let got: Vec<String> = twice.parse().unwrap().actors.iter().map(|a| a.as_str().to_string()).collect();
        assert_eq!(got, ["KAZ", "UZB"]);
        assert_eq!(FilterInput { actors: vec![codes(MAX_ACTORS)], ..input() }.parse().unwrap().actors.len(), MAX_ACTORS);
        let over = FilterInput { actors: vec![codes(MAX_ACTORS + 1)], ..input() }.parse().unwrap_err();
        assert_eq!(over.field, "actor");
        assert!(over.expected.contains("at most 20"), "{over}");
        // A thousand repetitions of a few actors are a few actors.
        assert_eq!(FilterInput { actors: vec![["UZB,KAZ"; 1000].join(",")], ..input() }.parse().unwrap().actors.len(), 2);
    }
}
