//! Reading gold, system and corpus lines, and the gold line `hamkor export --format gold` writes.
//!
//! The lines are those score.py reads: one JSON object a line, blank lines skipped, a later line
//! with an id already seen ignored (with a warning). Where score.py warns and goes on (an event
//! without a type, a date it cannot read), this reader stops and names the file and the line:
//! a gold file with a mistake in it should be fixed, not scored around.

use crate::{Error, Result};
use hamkor_model::{ActorCode, Domain, EventType, PartialDate, Span};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// Which file a line comes from; named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Gold,
    System,
    Corpus,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Gold => "gold",
            Role::System => "system",
            Role::Corpus => "corpus",
        })
    }
}

/// One event as it is scored (gold or predicted). Actors and domains are sets: sorted, unique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    pub date: Option<PartialDate>,
    /// Byte offsets of the reporting sentence(s) in the document's text, when the line gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Span>,
}

impl GoldEvent {
    /// An event with its actors and domains made into sets.
    pub fn new(
        event_type: EventType,
        mut actors: Vec<ActorCode>,
        mut domains: Vec<Domain>,
        date: Option<PartialDate>,
        evidence: Option<Span>,
    ) -> Self {
        actors.sort();
        actors.dedup();
        domains.sort();
        domains.dedup();
        GoldEvent { event_type, actors, domains, date, evidence }
    }

    /// `agreement KGZ,UZB 2017-09-05 borders`: how the lists show an event.
    pub fn summary(&self) -> String {
        let actors: Vec<&str> = self.actors.iter().map(|a| a.as_str()).collect();
        let domains: Vec<&str> = self.domains.iter().map(|d| d.code()).collect();
        let date = self.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        let mut s = format!("{} {} {}", self.event_type, actors.join(","), date);
        if !domains.is_empty() {
            s.push(' ');
            s.push_str(&domains.join(","));
        }
        s
    }
}

/// One document of a gold or system file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    /// The line of the file it was read from (1-based; 0 when it was not read from a file).
    pub line: usize,
    pub events: Vec<GoldEvent>,
    /// The hex SHA-256 of the document's text, when the line gives it (gold exported by hamkor).
    pub sha256: Option<String>,
}

/// The documents of one gold or system file, in file order, one per id.
#[derive(Debug, Clone, Default)]
pub struct DocSet {
    docs: Vec<Document>,
    index: HashMap<String, usize>,
    /// Warnings about the file (a repeated id), as score.py prints them.
    pub warnings: Vec<String>,
}

impl DocSet {
    /// Read the lines of a gold (`role` = Gold) or system file; `file` names it in errors.
    pub fn parse(file: &str, role: Role, text: &str) -> Result<DocSet> {
        let mut set = DocSet::default();
        for (n, line) in numbered_lines(text) {
            let obj = object(file, n, role, line)?;
            let id = id_of(file, n, role, &obj)?;
            let bad_line = |message: String| Error::BadLine { file: file.into(), line: n, role, message };
            let events = match obj.get("events") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(k, e)| {
                        parse_event(e).map_err(|message| Error::BadEvent {
                            file: file.into(),
                            line: n,
                            role,
                            id: id.clone(),
                            index: k,
                            message,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                Some(_) => return Err(bad_line(format!("{id}: \"events\" is not a list"))),
            };
            let sha256 = match obj.get("sha256") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    Some(s.to_ascii_lowercase())
                }
                Some(_) => return Err(bad_line(format!("{id}: \"sha256\" is not 64 hex digits"))),
            };
            if !set.push(Document { id: id.clone(), line: n, events, sha256 }) {
                set.warnings.push(format!("{role}: duplicate id {id} (later line ignored)"));
            }
        }
        Ok(set)
    }

    /// Add a document; false (and nothing added) when its id is there already.
    pub fn push(&mut self, doc: Document) -> bool {
        if self.index.contains_key(&doc.id) {
            return false;
        }
        self.index.insert(doc.id.clone(), self.docs.len());
        self.docs.push(doc);
        true
    }

    pub fn get(&self, id: &str) -> Option<&Document> {
        self.index.get(id).map(|&i| &self.docs[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The documents in file order.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents `keep` accepts, in the same order.
    pub fn filter(&self, mut keep: impl FnMut(&Document) -> bool) -> DocSet {
        let mut out = DocSet { warnings: self.warnings.clone(), ..Default::default() };
        for d in self.docs.iter().filter(|d| keep(d)) {
            out.push(d.clone());
        }
        out
    }
}

impl FromIterator<Document> for DocSet {
    fn from_iter<I: IntoIterator<Item = Document>>(iter: I) -> Self {
        let mut set = DocSet::default();
        // As in a file: the first document with an id wins.
        for d in iter {
            set.push(d);
        }
        set
    }
}

/// One line of the coder's input: what scoring needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusEntry {
    pub id: String,
    pub text: Option<String>,
    pub lang: Option<String>,
}

/// The coder's input lines (`{"id", "text", "lang", ...}`): each document's language for the
/// by-language table and its text for the evidence of the lists.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    entries: HashMap<String, CorpusEntry>,
    pub warnings: Vec<String>,
}

impl Corpus {
    pub fn parse(file: &str, text: &str) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        for (n, line) in numbered_lines(text) {
            let obj = object(file, n, Role::Corpus, line)?;
            let id = id_of(file, n, Role::Corpus, &obj)?;
            let string = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
            if corpus.entries.contains_key(&id) {
                corpus.warnings.push(format!("corpus: duplicate id {id} (later line ignored)"));
                continue;
            }
            corpus.entries.insert(id.clone(), CorpusEntry { id, text: string("text"), lang: string("lang") });
        }
        Ok(corpus)
    }

    pub fn get(&self, id: &str) -> Option<&CorpusEntry> {
        self.entries.get(id)
    }

    /// The document's language as score.py takes it: its `lang`, else `?`.
    pub fn lang(&self, id: &str) -> String {
        self.get(id).and_then(|e| e.lang.clone()).unwrap_or_else(|| "?".to_string())
    }
}

/// One line of a gold file as `hamkor export --format gold` writes it: the shape of
/// `../shared/eval/*/gold.jsonl`, and the SHA-256 of the document's text so that
/// `hamkor eval --db` finds the same text in a store whatever the id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoldLine {
    pub id: String,
    pub events: Vec<GoldEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl GoldLine {
    /// The line as JSON, without the newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a gold line serialises")
    }
}

/// Non-blank lines with their 1-based numbers. A byte-order mark before the first is dropped.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty())
}

fn object(file: &str, line: usize, role: Role, text: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::BadLine { file: file.into(), line, role, message: "is not a JSON object".into() }),
        Err(e) => Err(Error::BadJson { file: file.into(), line, role, message: e.to_string() }),
    }
}

fn id_of(file: &str, line: usize, role: Role, obj: &Map<String, Value>) -> Result<String> {
    let bad = |message: &str| Error::BadLine { file: file.into(), line, role, message: message.into() };
    match obj.get("id") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(_) => Err(bad("has an id that is neither a string nor a number")),
        None => Err(bad("without an id")),
    }
}

/// One event object; the error says what is wrong with it.
fn parse_event(v: &Value) -> std::result::Result<GoldEvent, String> {
    let Value::Object(e) = v else { return Err("is not an object".into()) };
    let event_type: EventType = match e.get("type") {
        Some(Value::String(t)) => t.parse().map_err(|err: hamkor_model::Error| err.to_string())?,
        Some(_) => return Err("\"type\" is not a string".into()),
        None => return Err("has no \"type\"".into()),
    };
    let actors = match e.get("actors") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|a| match a {
                Value::String(s) => ActorCode::new(s).map_err(|err| err.to_string()),
                other => Err(format!("actor {other} is not a string")),
            })
            .collect::<std::result::Result<Vec<_>, _>>()?,
        Some(_) => return Err("\"actors\" is not a list".into()),
        None => return Err("has no \"actors\"".into()),
    };
    let domains = match e.get("domains") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|d| match d {
                Value::String(s) => s.parse::<Domain>().map_err(|err| err.to_string()),
                other => Err(format!("domain {other} is not a string")),
            })
            .collect::<std::result::Result<Vec<_>, _>>()?,
        Some(_) => return Err("\"domains\" is not a list".into()),
    };
    let date = match e.get("date") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.parse::<PartialDate>().map_err(|err| err.to_string())?),
        Some(other) => return Err(format!("date {other} is not a string")),
    };
    let evidence = match e.get("evidence") {
        None | Some(Value::Null) => None,
        Some(Value::Object(span)) => {
            let at = |k: &str| span.get(k).and_then(Value::as_u64).map(|n| n as usize);
            match (at("start"), at("end")) {
                (Some(start), Some(end)) if start <= end => Some(Span { start, end }),
                _ => return Err("\"evidence\" is not {\"start\", \"end\"} with start <= end".into()),
            }
        }
        Some(_) => return Err("\"evidence\" is not an object".into()),
    };
    Ok(GoldEvent::new(event_type, actors, domains, date, evidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_with_their_numbers_and_duplicates_are_warned() {
        let text = "\n{\"id\": \"a\", \"events\": [{\"type\": \"meeting\", \"actors\": [\"UZB\", \"KAZ\", \"UZB\"], \"domains\": [\"political\"], \"date\": \"2024-03\", \"evidence\": {\"start\": 0, \"end\": 5}}]}\n\n{\"id\": 7, \"events\": null}\n{\"id\": \"a\", \"events\": []}\n";
        let set = DocSet::parse("g.jsonl", Role::Gold, text).unwrap();
        assert_eq!(set.len(), 2);
        let a = set.get("a").unwrap();
        assert_eq!(a.line, 2);
        assert_eq!(a.events[0].actors.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["KAZ", "UZB"]);
        assert_eq!(a.events[0].evidence, Some(Span { start: 0, end: 5 }));
        assert_eq!(set.get("7").unwrap().events, vec![]);
        assert_eq!(set.warnings, vec!["gold: duplicate id a (later line ignored)".to_string()]);
    }

    #[test]
    fn bad_input_names_the_file_and_the_line() {
        let err = |text: &str| DocSet::parse("gold.jsonl", Role::Gold, text).unwrap_err().to_string();
        assert!(err("{}\n").starts_with("gold.jsonl:1: gold line without an id"), "{}", err("{}\n"));
        assert!(err("\n\n{\"id\": \"x\"\n").starts_with("gold.jsonl:3: bad JSON in gold:"));
        assert!(err("[1]\n").starts_with("gold.jsonl:1: gold line is not a JSON object"));
        let unknown = err("{\"id\": \"d\", \"events\": [{\"type\": \"summit\", \"actors\": [\"KAZ\", \"UZB\"]}]}");
        assert!(unknown.starts_with("gold.jsonl:1: gold d, event 0: unknown event type \"summit\""), "{unknown}");
        let actor = err("{\"id\": \"d\", \"events\": [{\"type\": \"aid\", \"actors\": [\"kaz\", \"UZB\"]}]}");
        assert!(actor.contains("bad actor code \"kaz\""), "{actor}");
        let domain = err("{\"id\": \"d\", \"events\": [{\"type\": \"aid\", \"actors\": [\"KAZ\", \"UZB\"], \"domains\": [\"sport\"]}]}");
        assert!(domain.contains("unknown domain \"sport\""), "{domain}");
        let date = err(
            "{\"id\": \"d\", \"events\": [{\"type\": \"aid\", \"actors\": [\"KAZ\", \"UZB\"], \"date\": \"2024-13\"}]}",
        );
        assert!(date.contains("bad date \"2024-13\""), "{date}");
        let system = DocSet::parse("out.jsonl", Role::System, "{\"id\": \"d\", \"events\": {}}").unwrap_err();
        assert_eq!(system.to_string(), "out.jsonl:1: system line d: \"events\" is not a list");
    }

    #[test]
    fn corpus_gives_languages_and_texts() {
        let c = Corpus::parse(
            "c.jsonl",
            "{\"id\": \"a\", \"text\": \"Talks.\", \"lang\": \"en\"}\n{\"id\": \"b\", \"text\": \"x\"}\n",
        )
        .unwrap();
        assert_eq!(c.lang("a"), "en");
        assert_eq!(c.lang("b"), "?");
        assert_eq!(c.lang("zzz"), "?");
        assert_eq!(c.get("a").unwrap().text.as_deref(), Some("Talks."));
        assert!(Corpus::parse("c.jsonl", "{\"text\": \"no id\"}")
            .unwrap_err()
            .to_string()
            .starts_with("c.jsonl:1: corpus line without an id"));
    }

    #[test]
    fn gold_lines_have_the_shared_shape() {
        let e = GoldEvent::new(
            EventType::Agreement,
            vec![ActorCode::new("UZB").unwrap(), ActorCode::new("KGZ").unwrap()],
            vec![Domain::Borders],
            Some("2017-09-05".parse().unwrap()),
            Some(Span { start: 0, end: 12 }),
        );
        let line = GoldLine { id: "doc-1".into(), events: vec![e.clone()], sha256: None };
        assert_eq!(
            line.to_json_line(),
            r#"{"id":"doc-1","events":[{"type":"agreement","actors":["KGZ","UZB"],"domains":["borders"],"date":"2017-09-05","evidence":{"start":0,"end":12}}]}"#
        );
        // And it reads back as the same event.
        let back = DocSet::parse("g", Role::Gold, &line.to_json_line()).unwrap();
        assert_eq!(back.get("doc-1").unwrap().events, vec![e]);
        let undated = GoldEvent { date: None, evidence: None, ..back.get("doc-1").unwrap().events[0].clone() };
        assert!(serde_json::to_string(&undated).unwrap().contains("\"date\":null"));
        assert_eq!(undated.summary(), "agreement KGZ,UZB undated borders");
    }
}
