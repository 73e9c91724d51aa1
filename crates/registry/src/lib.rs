//! The registry: agreements and events as first-class objects, with their sources.
//!
//! - [`Registry`]: the reference records. The built-in ones are the sourced data in `registry/`
//!   at the root of the repository (frameworks, events, names in seven languages, lifecycle
//!   steps), compiled into the binary and versioned by [`builtin_version`]; a store adds the
//!   user's own records and corrections ([`Record`], [`Origin`]).
//! - [`lifecycle`]: per agreement and per party, the dated steps signed → ratified → in force.
//! - [`link`]: which agreement a coded event reports (by its name in any of the seven
//!   languages, with parties and dates that fit) and which multilateral format a meeting belongs
//!   to (the n-th Consultative Meeting).
//! - [`merge`]: when two reports from different documents are one happening, and why.
//! - [`check`]: every claim of a coded text that conflicts with the registry, or that the
//!   registry corroborates, with the sources.
//!
//! - [`stage`]: the linking stage over a store's narrow seam (`hamkor_model::link::LinkStore`):
//!   reports not linked yet are linked and merged into canonical events.
//! - [`stored`]: the registry's rows as a store keeps them, and what a new built-in version or a
//!   user's import writes.
//!
//! Invariant: pure. No I/O, no SQL; a store keeps the records, the links and the canonical
//! events and writes what this crate decides (it does not depend on this crate).

use hamkor_model::{ActorCode, Domain, EventType, PartialDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub mod check;
pub mod lifecycle;
pub mod link;
pub mod merge;
pub mod names;
pub mod stage;
pub mod stored;

pub use lifecycle::{Lifecycle, PartyStatus, Step, StepKind, StepRecord};
pub use link::{AgreementLink, FormatLink, Linker, Links, ReportInput};
pub use stage::RefreshSummary;
pub use stored::{plan_import, records_from_rows, seed_plan, ImportSummary};

/// Errors while reading registry data (the built-in files or a user's import).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("{file}: line {line}: {message}")]
    Line { file: String, line: usize, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("record {id:?}: {message}")]
    Record { id: String, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Where a record comes from: the registry shipped with hamkor, or the user's import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Builtin,
    User,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::User => "user",
        }
    }
}

/// An agreement (a line of `frameworks.jsonl`) or a dated event (a line of `events.jsonl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Agreement,
    Event,
}

impl RecordKind {
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Agreement => "agreement",
            RecordKind::Event => "event",
        }
    }
    pub fn parse(s: &str) -> Option<RecordKind> {
        match s {
            "agreement" => Some(RecordKind::Agreement),
            "event" => Some(RecordKind::Event),
            _ => None,
        }
    }
}

/// A record as a store keeps it: the JSON object of its line, with the agreement's `names` and
/// `steps` folded in. `overridden` is true when the user corrected a built-in record (the
/// object is then the built-in one with the user's fields on top, see [`apply_override`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub kind: RecordKind,
    pub origin: Origin,
    pub overridden: bool,
    pub data: Value,
}

/// An agreement, treaty, declaration, programme or statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub name_en: String,
    #[serde(default)]
    pub name_ru: Option<String>,
    #[serde(default)]
    pub name_uz: Option<String>,
    /// treaty, agreement, memorandum, declaration, programme, roadmap, statement, other.
    pub kind: String,
    /// The intended parties (all five for the 2022 friendship treaty, whoever signed).
    pub parties: Vec<ActorCode>,
    #[serde(default)]
    pub signed: Option<PartialDate>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub in_force: Option<PartialDate>,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Names and short forms per language (`en ru uz kk ky tg tk`), see `registry/names.toml`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, Vec<String>>,
    /// Lifecycle steps the sources state for single parties (see `registry/lifecycle.jsonl`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepRecord>,
    #[serde(skip_deserializing, default = "builtin")]
    pub origin: Origin,
    #[serde(skip_deserializing, default)]
    pub overridden: bool,
}

fn builtin() -> Origin {
    Origin::Builtin
}

/// A dated event of the registry (a summit, a signing, a ratification, an aid delivery).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub date: Option<PartialDate>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub title_en: String,
    /// The agreement the event is about, if any.
    #[serde(default)]
    pub framework: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(skip_deserializing, default = "builtin")]
    pub origin: Origin,
    #[serde(skip_deserializing, default)]
    pub overridden: bool,
}

/// The registry a store holds: built-in records, the user's own, and the user's corrections.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub agreements: Vec<Agreement>,
    pub events: Vec<RegistryEvent>,
    by_id: BTreeMap<String, (RecordKind, usize)>,
}

impl Registry {
    /// The registry shipped with this hamkor.
    pub fn builtin() -> Registry {
        // The built-in files are checked by this crate's tests; a failure here is a build error.
        let records = builtin_records().expect("the built-in registry parses");
        Registry::from_records(&records).expect("the built-in registry is valid")
    }

    /// Build from stored records (each already with its overrides applied).
    pub fn from_records(records: &[Record]) -> Result<Registry> {
        let mut reg = Registry::default();
        for r in records {
            match r.kind {
                RecordKind::Agreement => {
                    let mut a = parse_agreement(&r.data)?;
                    a.origin = r.origin;
                    a.overridden = r.overridden;
                    reg.by_id.insert(a.id.clone(), (RecordKind::Agreement, reg.agreements.len()));
                    reg.agreements.push(a);
                }
                RecordKind::Event => {
                    let mut e = parse_event(&r.data)?;
                    e.origin = r.origin;
                    e.overridden = r.overridden;
                    reg.by_id.insert(e.id.clone(), (RecordKind::Event, reg.events.len()));
                    reg.events.push(e);
                }
            }
        }
        Ok(reg)
    }

    pub fn agreement(&self, id: &str) -> Option<&Agreement> {
        match self.by_id.get(id) {
            Some(&(RecordKind::Agreement, i)) => self.agreements.get(i),
            _ => None,
        }
    }

    pub fn event(&self, id: &str) -> Option<&RegistryEvent> {
        match self.by_id.get(id) {
            Some(&(RecordKind::Event, i)) => self.events.get(i),
            _ => None,
        }
    }

    /// The sources of a record (an agreement's or an event's), empty for an unknown id.
    pub fn sources_of(&self, id: &str) -> &[String] {
        if let Some(a) = self.agreement(id) {
            return &a.sources;
        }
        self.event(id).map_or(&[], |e| &e.sources)
    }

    /// Registry events about an agreement (`framework` = its id), by date.
    pub fn events_of(&self, agreement: &str) -> Vec<&RegistryEvent> {
        let mut v: Vec<&RegistryEvent> =
            self.events.iter().filter(|e| e.framework.as_deref() == Some(agreement)).collect();
        v.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        v
    }
}

/// Read an agreement from its JSON object.
pub fn parse_agreement(v: &Value) -> Result<Agreement> {
    let id = v.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
    let a: Agreement =
        serde_json::from_value(v.clone()).map_err(|e| Error::Record { id: id.clone(), message: e.to_string() })?;
    check_id(&a.id)?;
    if a.parties.is_empty() {
        return Err(Error::Record { id, message: "an agreement needs at least one party".into() });
    }
    Ok(a)
}

/// Read a registry event from its JSON object.
pub fn parse_event(v: &Value) -> Result<RegistryEvent> {
    let id = v.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
    let e: RegistryEvent =
        serde_json::from_value(v.clone()).map_err(|e| Error::Record { id: id.clone(), message: e.to_string() })?;
    check_id(&e.id)?;
    if e.actors.len() < 2 {
        return Err(Error::Record { id, message: "an event needs at least two actors".into() });
    }
    Ok(e)
}

fn check_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 120
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(Error::Record {
            id: id.to_string(),
            message: "ids are lower-case letters, digits and - _ . (like kaz-uzb-allied-treaty-2022)".into(),
        })
    }
}

/// Validate a record's object as its kind.
pub fn validate(kind: RecordKind, data: &Value) -> Result<()> {
    match kind {
        RecordKind::Agreement => parse_agreement(data).map(|_| ()),
        RecordKind::Event => parse_event(data).map(|_| ()),
    }
}

/// The kind of a line of an import file: `"record": "agreement" | "event"` when given, else an
/// agreement if it has `parties`, an event if it has `actors` or `type`; `None` when it has
/// neither (a correction of an existing record then says which one by its id alone).
pub fn infer_kind(data: &Value) -> Option<RecordKind> {
    if let Some(k) = data.get("record").and_then(Value::as_str) {
        return RecordKind::parse(k);
    }
    if data.get("parties").is_some() || data.get("name_en").is_some() {
        Some(RecordKind::Agreement)
    } else if data.get("actors").is_some() || data.get("type").is_some() {
        Some(RecordKind::Event)
    } else {
        None
    }
}

/// A line of an import file, parsed: an object with an `id`.
pub fn parse_import_line(line: &str) -> std::result::Result<Option<(String, Value)>, String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Some(obj) = v.as_object() else { return Err("a line must be a JSON object".into()) };
    let Some(id) = obj.get("id").and_then(Value::as_str) else { return Err("the object has no \"id\"".into()) };
    check_id(id).map_err(|e| e.to_string())?;
    let mut obj = obj.clone();
    obj.remove("record");
    Ok(Some((id.to_string(), Value::Object(obj))))
}

/// The fields of `user` that differ from `base`: what a user's line corrects in a built-in
/// record. Kept apart from the built-in row, so that a newer built-in registry changes every
/// other field and the user's corrections still win.
pub fn diff_override(base: &Value, user: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    let (Some(b), Some(u)) = (base.as_object(), user.as_object()) else { return out };
    for (k, v) in u {
        if k == "id" {
            continue;
        }
        if k == "names" {
            // Per language: a user's list for one language replaces that language only.
            let bn = b.get("names").and_then(Value::as_object);
            if let Some(un) = v.as_object() {
                let mut changed = Map::new();
                for (lang, list) in un {
                    if bn.and_then(|m| m.get(lang)) != Some(list) {
                        changed.insert(lang.clone(), list.clone());
                    }
                }
                if !changed.is_empty() {
                    out.insert(k.clone(), Value::Object(changed));
                }
            }
            continue;
        }
        if b.get(k) != Some(v) {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// A built-in record with the user's corrections on top (`names` merged per language).
pub fn apply_override(base: &Value, patch: &Map<String, Value>) -> Value {
    let mut out = base.as_object().cloned().unwrap_or_default();
    for (k, v) in patch {
        if k == "names" {
            let mut names = out.get("names").and_then(Value::as_object).cloned().unwrap_or_default();
            if let Some(p) = v.as_object() {
                for (lang, list) in p {
                    names.insert(lang.clone(), list.clone());
                }
            }
            out.insert(k.clone(), Value::Object(names));
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

// ------------------------------------------------------------------ the built-in data

const VERSION: &str = include_str!("../../../registry/VERSION");
const FRAMEWORKS: &str = include_str!("../../../registry/frameworks.jsonl");
const EVENTS: &str = include_str!("../../../registry/events.jsonl");
const NAMES: &str = include_str!("../../../registry/names.toml");
const LIFECYCLE: &str = include_str!("../../../registry/lifecycle.jsonl");
pub(crate) const ORDINALS: &str = include_str!("../../../registry/ordinals.toml");

/// The version of the built-in registry: the number in `registry/VERSION` and a hash of the data
/// files, so that any change of the data reaches existing stores even if the number was not
/// bumped.
pub fn builtin_version() -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in [VERSION, FRAMEWORKS, EVENTS, NAMES, LIFECYCLE, ORDINALS] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    format!("{}+{:012x}", VERSION.trim(), h & 0xffff_ffff_ffff)
}

#[derive(Deserialize)]
struct NamesFile {
    agreement: Vec<NamesEntry>,
}

#[derive(Deserialize)]
struct NamesEntry {
    id: String,
    #[serde(flatten)]
    langs: BTreeMap<String, Vec<String>>,
}

/// Languages a name may be given in.
pub const LANGUAGES: [&str; 7] = ["en", "ru", "uz", "kk", "ky", "tg", "tk"];

/// The built-in records, agreements first, each agreement with its names and steps folded in.
pub fn builtin_records() -> Result<Vec<Record>> {
    let names: NamesFile = toml::from_str(NAMES)
        .map_err(|e| Error::File { file: "registry/names.toml".into(), message: e.to_string() })?;
    let mut names_by_id: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for n in names.agreement {
        for lang in n.langs.keys() {
            if !LANGUAGES.contains(&lang.as_str()) {
                return Err(Error::File {
                    file: "registry/names.toml".into(),
                    message: format!("{}: unknown language {lang:?} (expected one of {})", n.id, LANGUAGES.join(" ")),
                });
            }
        }
        if names_by_id.insert(n.id.clone(), n.langs).is_some() {
            return Err(Error::File {
                file: "registry/names.toml".into(),
                message: format!("{} is listed twice", n.id),
            });
        }
    }
    let mut steps_by_id: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (i, line) in LIFECYCLE.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| Error::Line { file: "registry/lifecycle.jsonl".into(), line: i + 1, message };
        let mut v: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let obj = v.as_object_mut().ok_or_else(|| bad("not an object".into()))?;
        let agreement = obj
            .remove("agreement")
            .and_then(|a| a.as_str().map(str::to_string))
            .ok_or_else(|| bad("no \"agreement\"".into()))?;
        serde_json::from_value::<StepRecord>(v.clone()).map_err(|e| bad(e.to_string()))?;
        steps_by_id.entry(agreement).or_default().push(v);
    }
    let mut out = Vec::new();
    for (file, text, kind) in [
        ("registry/frameworks.jsonl", FRAMEWORKS, RecordKind::Agreement),
        ("registry/events.jsonl", EVENTS, RecordKind::Event),
    ] {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |message: String| Error::Line { file: file.into(), line: i + 1, message };
            let mut v: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
            let id = v.get("id").and_then(Value::as_str).ok_or_else(|| bad("no id".into()))?.to_string();
            if kind == RecordKind::Agreement {
                let obj = v.as_object_mut().expect("checked: it has an id");
                if let Some(n) = names_by_id.remove(&id) {
                    obj.insert("names".into(), serde_json::to_value(n).expect("names serialise"));
                }
                if let Some(s) = steps_by_id.remove(&id) {
                    obj.insert("steps".into(), Value::Array(s));
                }
            }
            validate(kind, &v).map_err(|e| bad(e.to_string()))?;
            out.push(Record { id, kind, origin: Origin::Builtin, overridden: false, data: v });
        }
    }
    if let Some(id) = names_by_id.keys().next() {
        return Err(Error::File { file: "registry/names.toml".into(), message: format!("{id} is not an agreement") });
    }
    if let Some(id) = steps_by_id.keys().next() {
        return Err(Error::File {
            file: "registry/lifecycle.jsonl".into(),
            message: format!("{id} is not an agreement"),
        });
    }
    Ok(out)
}

// ------------------------------------------------------------------ dates

/// First and last day (days since 1970) a partial date covers.
pub fn day_range(d: &PartialDate) -> (i64, i64) {
    let lo = d.to_days();
    let hi = match (d.month, d.day) {
        (Some(_), Some(_)) => lo,
        (Some(m), None) => lo + hamkor_model::days_in_month(d.year, m) as i64 - 1,
        _ => PartialDate { year: d.year, month: Some(12), day: Some(31) }.to_days(),
    };
    (lo, hi)
}

/// Days between two dates' periods: 0 when they overlap (one lies within the other's precision).
pub fn days_apart(a: &PartialDate, b: &PartialDate) -> i64 {
    let (alo, ahi) = day_range(a);
    let (blo, bhi) = day_range(b);
    if ahi < blo {
        blo - ahi
    } else if bhi < alo {
        alo - bhi
    } else {
        0
    }
}

/// `2022-07-21` → `21 Jul 2022`, `2022-07` → `Jul 2022`, `2022` → `2022`.
pub fn human_date(d: &PartialDate) -> String {
    const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{day} {} {}", M[(m - 1) as usize], d.year),
        (Some(m), None) => format!("{} {}", M[(m - 1) as usize], d.year),
        _ => d.year.to_string(),
    }
}

/// Actor codes as `KAZ, KGZ and UZB`.
pub fn actor_list(actors: &[ActorCode]) -> String {
    let names: Vec<&str> = actors.iter().map(|a| a.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_registry_loads_with_names_and_steps() {
        let reg = Registry::builtin();
        assert_eq!(reg.agreements.len(), 80);
        assert_eq!(reg.events.len(), 198);
        let f = reg.agreement("ca-friendship-treaty-2022").unwrap();
        assert_eq!(f.names.len(), 7, "the friendship treaty is named in all seven languages");
        assert!(f
            .steps
            .iter()
            .any(|s| s.kind == StepKind::Signed && s.party.map(|p| p.as_str() == "TJK") == Some(true)));
        for e in &reg.events {
            if let Some(fw) = &e.framework {
                assert!(reg.agreement(fw).is_some(), "{} names unknown framework {fw}", e.id);
            }
        }
        for a in &reg.agreements {
            for s in &a.steps {
                if let Some(b) = &s.basis {
                    assert!(!reg.sources_of(b).is_empty(), "{}: basis {b} has no sources", a.id);
                }
            }
        }
    }

    #[test]
    fn overrides_keep_the_users_fields_only() {
        let base =
            serde_json::json!({"id": "x", "signed": "2022-07-21", "place": "A", "names": {"en": ["a"], "ru": ["б"]}});
        let user = serde_json::json!({"id": "x", "signed": "2022-07-22", "place": "A", "names": {"en": ["a", "c"]}});
        let patch = diff_override(&base, &user);
        assert_eq!(
            serde_json::Value::Object(patch.clone()),
            serde_json::json!({"signed": "2022-07-22", "names": {"en": ["a", "c"]}})
        );
        // A newer built-in row changes the place; the user's date and names still win.
        let newer =
            serde_json::json!({"id": "x", "signed": "2022-07-21", "place": "B", "names": {"en": ["a"], "ru": ["б"]}});
        let eff = apply_override(&newer, &patch);
        assert_eq!(eff["signed"], "2022-07-22");
        assert_eq!(eff["place"], "B");
        assert_eq!(eff["names"], serde_json::json!({"en": ["a", "c"], "ru": ["б"]}));
    }

    #[test]
    fn dates_apart_respect_precision() {
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(days_apart(&d("2022-07-07"), &d("2022-07-21")), 14);
        assert_eq!(days_apart(&d("2022-07"), &d("2022-07-21")), 0);
        assert_eq!(days_apart(&d("2022"), &d("2022-12-31")), 0);
        assert_eq!(days_apart(&d("2023"), &d("2022-12-31")), 1);
        assert_eq!(human_date(&d("2022-07-21")), "21 Jul 2022");
    }
}
