//! The vocabulary of hamkor: input documents, byte spans, actors, domains, partial dates and
//! coded events, with the JSON shapes of `../shared/spec/events.md`.
//!
//! Invariant: this crate does no I/O and knows nothing about languages, dictionaries or storage.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub mod canonical;
pub mod coding;
pub mod filter;
pub mod groups;
pub use filter::{Filter, FilterError, FilterInput, ReviewState};
pub mod link;
pub use coding::Coding;
pub use canonical::{is_state, sort_events, CanonicalEvent, DocumentRef, ReportRef, NON_STATE_CODES};
mod imported;
pub use imported::{ImportSource, ImportedEvent};

/// Errors raised while reading values of the model from text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error("unknown event type {0:?} (expected one of {list})", list = EventType::ALL_CODES.join(", "))]
    UnknownEventType(String),
    #[error("unknown domain {0:?} (expected one of {list})", list = Domain::ALL_CODES.join(", "))]
    UnknownDomain(String),
    #[error("bad actor code {0:?} (expected 2 to 6 capital letters, e.g. UZB, KAZ, SCO)")]
    BadActorCode(String),
    #[error("bad date {0:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
    BadDate(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A half-open byte range `[start, end)` into the original UTF-8 text of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text under the span, or `None` when it is out of range or not on char boundaries.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $err:ident, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const ALL_CODES: &'static [&'static str] = &[$($code),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }
        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                match s { $($code => Ok($name::$variant),)+ other => Err(Error::$err(other.to_string())) }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

code_enum!(
    /// What happened (spec: "Types").
    EventType, UnknownEventType, {
    Agreement => "agreement",
    Ratification => "ratification",
    Partnership => "partnership",
    Meeting => "meeting",
    Aid => "aid",
    JointActivity => "joint_activity",
    Institution => "institution",
});

impl EventType {
    /// The PLOVER category and CAMEO root code the spec names as this type's neighbour.
    pub fn plover_cameo(self) -> (&'static str, &'static str) {
        match self {
            EventType::Agreement | EventType::Ratification => ("AGREE", "057"),
            EventType::Partnership => ("AGREE", "05"),
            EventType::Meeting => ("CONSULT", "04"),
            EventType::Aid => ("AID", "07"),
            EventType::JointActivity | EventType::Institution => ("COOPERATE", "06"),
        }
    }
}

code_enum!(
    /// What an event is about (spec: "Domains").
    Domain, UnknownDomain, {
    Education => "education",
    Health => "health",
    Culture => "culture",
    Disaster => "disaster",
    Migration => "migration",
    Water => "water",
    Borders => "borders",
    Transport => "transport",
    Economy => "economy",
    Political => "political",
});

/// An actor code: ISO 3166-1 alpha-3 for states, or a group/organisation code (`SCO`, `EU`, `UNDP`).
///
/// Stored inline (2 to 6 ASCII capitals) so that it is `Copy`: the coder moves millions of them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorCode {
    bytes: [u8; 6],
    len: u8,
}

impl ActorCode {
    pub fn new(code: &str) -> Result<Self> {
        let ok = (2..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase());
        if !ok {
            return Err(Error::BadActorCode(code.to_string()));
        }
        let mut bytes = [0u8; 6];
        bytes[..code.len()].copy_from_slice(code.as_bytes());
        Ok(ActorCode { bytes, len: code.len() as u8 })
    }
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored (checked in `new`).
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
    /// One of the five Central Asian states.
    pub fn is_central_asian(&self) -> bool {
        CENTRAL_ASIA.contains(&self.as_str())
    }
}

impl fmt::Debug for ActorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for ActorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ActorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ActorCode::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for ActorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five Central Asian states, in code order.
pub const CENTRAL_ASIA: [&str; 5] = ["KAZ", "KGZ", "TJK", "TKM", "UZB"];

/// A calendar date at the precision a text gives: a year, a month of a year, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }
    pub fn month(year: i32, month: u8) -> Self {
        PartialDate { year, month: Some(month), day: None }
    }
    /// A full date; `None` when the day does not exist in that month.
    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(PartialDate { year, month: Some(month), day: Some(day) })
    }
    /// Days since 1970-01-01 of the first day the date covers.
    pub fn to_days(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
    pub fn from_days(days: i64) -> Self {
        let (y, m, d) = civil_from_days(days);
        PartialDate { year: y, month: Some(m), day: Some(d) }
    }
    /// 0 = Monday … 6 = Sunday; only meaningful for full dates.
    pub fn weekday(&self) -> u8 {
        ((self.to_days() + 3).rem_euclid(7)) as u8
    }
    pub fn precision(&self) -> u8 {
        1 + self.month.is_some() as u8 + self.day.is_some() as u8
    }
    /// True when `self` lies within the period `other` names (same year, and month/day where given).
    pub fn within(&self, other: &PartialDate) -> bool {
        self.year == other.year
            && (other.month.is_none() || self.month == other.month)
            && (other.day.is_none() || self.day == other.day)
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-date algorithms: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::BadDate(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate::year(num(y, 4)? as i32)),
            [y, m] => {
                let m = num(m, 2)?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(PartialDate::month(num(y, 4)? as i32, m as u8))
            }
            [y, m, d] => PartialDate::day(num(y, 4)? as i32, num(m, 2)? as u8, num(d, 2)? as u8).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One input line of `hamkor code --format jsonl` (spec: "Input and output lines").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputDocument {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Publication date; resolves "yesterday" and "this year".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Where the text was published: the page's URL or the publisher's domain. It tells the coder
    /// which state "our head of state" is (lexicon/outlets.toml); without it, no guess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A coded cooperation event with the evidence that supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Sorted, unique, at least two.
    pub actors: Vec<ActorCode>,
    /// Sorted, unique, at least one.
    pub domains: Vec<Domain>,
    pub date: Option<PartialDate>,
    /// Byte offsets into the original text of the sentence(s) that report the event.
    pub evidence: Span,
    /// How sure the coder is, 0 to 1.
    #[serde(default)]
    pub confidence: f32,
    /// Byte spans of the words that triggered the type, the actors and the date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<Cue>,
    /// Version of the lexicon that coded the event.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lexicon: String,
}

/// One piece of evidence inside an event's sentence: which word triggered what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    /// `type`, `actor:UZB`, `domain:water`, `date`.
    pub role: String,
    pub span: Span,
}

/// Something the coder could not handle, reported instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// The coder's answer for one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedDocument {
    pub id: String,
    pub events: Vec<Event>,
    /// Language the coder used (given or detected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_at_every_precision() {
        for s in ["2022", "2022-07", "2022-07-21", "2024-02-29"] {
            assert_eq!(s.parse::<PartialDate>().unwrap().to_string(), s);
        }
        for bad in ["22", "2022-13", "2023-02-29", "2022-7-1", "2022-07-21x", ""] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn days_and_weekdays_are_right() {
        let d: PartialDate = "2020-04-21".parse().unwrap();
        assert_eq!(d.weekday(), 1, "21 April 2020 was a Tuesday");
        assert_eq!(PartialDate::from_days(d.to_days() - 1).to_string(), "2020-04-20");
        assert_eq!(PartialDate::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn codes_parse_and_reject() {
        assert_eq!("joint_activity".parse::<EventType>().unwrap(), EventType::JointActivity);
        assert!("summit".parse::<EventType>().is_err());
        assert!(ActorCode::new("uzb").is_err());
        assert!(ActorCode::new("UZB").unwrap().is_central_asian());
        assert!(ActorCode::new("SEVENXX").is_err());
        let mut codes: Vec<ActorCode> = ["UZB", "EU", "EAEU", "AZE"].iter().map(|c| ActorCode::new(c).unwrap()).collect();
        codes.sort();
        assert_eq!(codes.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["AZE", "EAEU", "EU", "UZB"]);
    }

    #[test]
    fn event_serialises_to_the_spec_shape() {
        let e = Event {
            event_type: EventType::Aid,
            actors: vec![ActorCode::new("KGZ").unwrap(), ActorCode::new("UZB").unwrap()],
            domains: vec![Domain::Disaster],
            date: Some("2024-03-01".parse().unwrap()),
            evidence: Span::new(0, 10),
            confidence: 0.5,
            cues: vec![],
            lexicon: String::new(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "aid");
        assert_eq!(v["actors"], serde_json::json!(["KGZ", "UZB"]));
        assert_eq!(v["date"], "2024-03-01");
        assert_eq!(v["evidence"]["end"], 10);
    }
}
