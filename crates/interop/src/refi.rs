//! REFI-QDA: projects (`.qdpx`) and codebooks (`.qdc`), the exchange standard that NVivo,
//! ATLAS.ti, MAXQDA and QualCoder import and export (namespace `urn:QDA-XML:project:1.0`).
//!
//! What a hamkor project holds:
//!
//! - **Users**: `hamkor` (the machine, creator of every source and selection) and the reviewers.
//! - **CodeBook**, two levels: `Event type` → one code per type, `Domain` → one per domain,
//!   `Actor` → one per actor code. The parents are not codable.
//! - **Variables** on the sources (`hamkor document`, `content hash`, `published`, `language`)
//!   and on the cases (`actors`, `date`, `event`, `confidence`).
//! - **Sources**: one `TextSource` per document, its text as UTF-8 with LF line ends in
//!   `Sources/<guid>.txt`, a name unique in the project; one `PlainTextSelection` per coded
//!   report at its evidence span, in characters, with a `Coding` of its type and of each domain.
//! - **Cases**: one per report, with the report's actors and date as variable values and a
//!   reference to its selection (REFI-QDA puts variables on cases and sources, not selections).
//!
//! Reading ([`read_qdpx`]) takes any project, ours after a researcher has worked on it or
//! another tool's, into plain values; what they mean for hamkor is [`Selection::coding`]'s
//! business.

use crate::positions::QdaText;
use crate::{guid, Error, Result};
use hamkor_model::{ActorCode, Domain, EventType, Span};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{Read, Seek, Write};

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// The parent codes of the codebook.
pub const TYPE_PARENT: &str = "Event type";
pub const DOMAIN_PARENT: &str = "Domain";
pub const ACTOR_PARENT: &str = "Actor";
/// The user every machine selection is created by.
pub const MACHINE_USER: &str = "hamkor";
/// Variable names.
pub const VAR_DOCUMENT: &str = "hamkor document";
pub const VAR_HASH: &str = "content hash";
pub const VAR_PUBLISHED: &str = "published";
pub const VAR_LANGUAGE: &str = "language";
pub const VAR_ACTORS: &str = "actors";
pub const VAR_DATE: &str = "date";
pub const VAR_EVENT: &str = "event";
pub const VAR_CONFIDENCE: &str = "confidence";

/// A document with its coded reports, as it goes into a project.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: i64,
    /// Hex SHA-256 of `text` (the store's content hash).
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    /// The original text; spans are byte offsets into it.
    pub text: String,
    pub reports: Vec<Report>,
}

/// One coded event of a document.
#[derive(Debug, Clone)]
pub struct Report {
    pub event_id: i64,
    pub evidence: Span,
    pub event_type: EventType,
    pub domains: Vec<Domain>,
    pub actors: Vec<ActorCode>,
    pub date: Option<String>,
    pub confidence: f64,
}

/// Everything a project is written from.
#[derive(Debug, Clone)]
pub struct Project {
    pub name: String,
    /// `xs:dateTime` of the export, e.g. `2026-12-03T08:00:00Z`.
    pub created: String,
    /// Reviewers' names (users besides `hamkor`).
    pub reviewers: Vec<String>,
    /// The actor codes of the codebook, with a label each (may be empty).
    pub actors: Vec<(ActorCode, String)>,
    pub documents: Vec<Document>,
}

/// What [`write_qdpx`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub sources: usize,
    pub selections: usize,
    pub codes: usize,
    /// Reports left out, with the reason (a span not on character boundaries).
    pub skipped: Vec<String>,
}

/// Characters XML 1.0 cannot carry are dropped; the rest is escaped.
fn esc(s: &str) -> String {
    let clean: String =
        s.chars().filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// A name on one line, without control characters, at most 200 characters.
fn one_line(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.chars().take(200).collect()
}

fn code_guid(kind: &str, code: &str) -> String {
    guid(&format!("code:{kind}:{code}"))
}

fn user_guid(name: &str) -> String {
    guid(&format!("user:{name}"))
}

fn var_guid(name: &str) -> String {
    guid(&format!("variable:{name}"))
}

/// The codebook's `<Code>` elements (two levels), in `xml`.
fn write_codes(xml: &mut String, actors: &[(ActorCode, String)]) -> usize {
    let mut n = 0;
    let mut parent = |xml: &mut String, kind: &str, name: &str, color: &str, children: Vec<(String, String)>| {
        let _ = write!(
            xml,
            r#"<Code guid="{}" name="{}" isCodable="false" color="{color}">"#,
            code_guid("parent", kind),
            esc(name)
        );
        n += 1;
        for (code, label) in children {
            let _ = write!(xml, r#"<Code guid="{}" name="{}" isCodable="true" color="{color}">"#, code_guid(kind, &code), esc(&code));
            if !label.is_empty() {
                let _ = write!(xml, "<Description>{}</Description>", esc(&label));
            }
            xml.push_str("</Code>");
            n += 1;
        }
        xml.push_str("</Code>");
    };
    let types = EventType::ALL.iter().map(|t| (t.code().to_string(), format!("hamkor event type {}", t.code()))).collect();
    parent(xml, "type", TYPE_PARENT, "#1f77b4", types);
    let domains = Domain::ALL.iter().map(|d| (d.code().to_string(), format!("hamkor domain {}", d.code()))).collect();
    parent(xml, "domain", DOMAIN_PARENT, "#2ca02c", domains);
    let mut actor_list: Vec<(String, String)> = actors.iter().map(|(a, l)| (a.as_str().to_string(), l.clone())).collect();
    actor_list.sort();
    actor_list.dedup_by(|a, b| a.0 == b.0);
    parent(xml, "actor", ACTOR_PARENT, "#d62728", actor_list);
    n
}

/// The codebook alone (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`).
pub fn write_qdc(actors: &[(ActorCode, String)], out: &mut dyn Write) -> Result<usize> {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let _ = write!(xml, "\n<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"hamkor\"><Codes>");
    let n = write_codes(&mut xml, actors);
    xml.push_str("</Codes></CodeBook>\n");
    out.write_all(xml.as_bytes())?;
    Ok(n)
}

/// A project (`.qdpx`): `project.qde` and one `Sources/<guid>.txt` per document.
pub fn write_qdpx<W: Write + Seek>(p: &Project, out: W) -> Result<Written> {
    let mut written = Written::default();
    let mut zip = zip::ZipWriter::new(out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let machine = user_guid(MACHINE_USER);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let _ = write!(
        xml,
        "\n<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"hamkor\" creatingUserGUID=\"{machine}\" creationDateTime=\"{}\">",
        esc(&one_line(&p.name)),
        esc(&p.created)
    );
    // Users.
    xml.push_str("<Users>");
    let mut users: Vec<&str> = vec![MACHINE_USER];
    for r in &p.reviewers {
        if !users.contains(&r.as_str()) {
            users.push(r);
        }
    }
    for u in &users {
        let _ = write!(xml, r#"<User guid="{}" name="{}"/>"#, user_guid(u), esc(&one_line(u)));
    }
    xml.push_str("</Users>");
    // Codebook.
    xml.push_str("<CodeBook><Codes>");
    written.codes = write_codes(&mut xml, &p.actors);
    xml.push_str("</Codes></CodeBook>");
    // Variables.
    xml.push_str("<Variables>");
    for (name, kind, what) in [
        (VAR_DOCUMENT, "Integer", "the document's id in the hamkor store"),
        (VAR_HASH, "Text", "SHA-256 of the document's text as stored (hex)"),
        (VAR_PUBLISHED, "Text", "publication date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (VAR_LANGUAGE, "Text", "language of the document (ISO 639-1)"),
        (VAR_ACTORS, "Text", "the report's actor codes, separated by ';'"),
        (VAR_DATE, "Text", "the report's date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (VAR_EVENT, "Integer", "the coded event's id in the hamkor store"),
        (VAR_CONFIDENCE, "Float", "the coder's confidence"),
    ] {
        let _ = write!(
            xml,
            r#"<Variable guid="{}" name="{name}" typeOfVariable="{kind}"><Description>{what}</Description></Variable>"#,
            var_guid(name)
        );
    }
    xml.push_str("</Variables>");

    // Sources and their selections; cases are written after, from what was selected.
    let mut sources = String::from("<Sources>");
    let mut cases = String::new();
    let mut names: HashSet<String> = HashSet::new();
    for d in &p.documents {
        let q = QdaText::new(&d.text);
        let sguid = guid(&format!("source:{}", d.content_hash));
        let base = d.title.as_deref().map(one_line).filter(|t| !t.is_empty()).unwrap_or_else(|| format!("document {}", d.id));
        let mut name = base.clone();
        if !names.insert(name.to_lowercase()) {
            name = format!("{base} [document {}]", d.id);
            names.insert(name.to_lowercase());
        }
        let file = format!("{sguid}.txt");
        zip.start_file(format!("Sources/{file}"), opts)?;
        zip.write_all(q.text.as_bytes())?;
        let _ = write!(
            sources,
            r#"<TextSource guid="{sguid}" name="{}" plainTextPath="internal://{file}" creatingUser="{machine}" creationDateTime="{}">"#,
            esc(&name),
            esc(&p.created)
        );
        written.sources += 1;
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for r in &d.reports {
            let (Some(start), Some(end)) = (q.char_of_byte(r.evidence.start), q.char_of_byte(r.evidence.end)) else {
                written.skipped.push(format!(
                    "event {}: evidence {}..{} is not on character boundaries of document {}",
                    r.event_id, r.evidence.start, r.evidence.end, d.id
                ));
                continue;
            };
            let selguid = guid(&format!("selection:{}", r.event_id));
            let _ = write!(
                sources,
                r#"<PlainTextSelection guid="{selguid}" name="{} {}" startPosition="{start}" endPosition="{end}" creatingUser="{machine}" creationDateTime="{}">"#,
                r.event_type.code(),
                r.event_id,
                esc(&p.created)
            );
            let mut coding = |kind: &str, code: &str| {
                let _ = write!(
                    sources,
                    r#"<Coding guid="{}" creatingUser="{machine}" creationDateTime="{}"><CodeRef targetGUID="{}"/></Coding>"#,
                    guid(&format!("coding:{}:{kind}:{code}", r.event_id)),
                    esc(&p.created),
                    code_guid(kind, code)
                );
            };
            coding("type", r.event_type.code());
            for dm in &r.domains {
                coding("domain", dm.code());
            }
            sources.push_str("</PlainTextSelection>");
            written.selections += 1;
            seen.insert((start, end));
            // The case of this report.
            let actors: Vec<&str> = r.actors.iter().map(|a| a.as_str()).collect();
            let _ = write!(cases, r#"<Case guid="{}" name="event {}">"#, guid(&format!("case:{}", r.event_id)), r.event_id);
            text_value(&mut cases, VAR_ACTORS, &actors.join(";"));
            if let Some(date) = &r.date {
                text_value(&mut cases, VAR_DATE, date);
            }
            let _ = write!(
                cases,
                r#"<VariableValue><VariableRef targetGUID="{}"/><IntegerValue>{}</IntegerValue></VariableValue>"#,
                var_guid(VAR_EVENT),
                r.event_id
            );
            let _ = write!(
                cases,
                r#"<VariableValue><VariableRef targetGUID="{}"/><FloatValue>{}</FloatValue></VariableValue>"#,
                var_guid(VAR_CONFIDENCE),
                r.confidence
            );
            let _ = write!(cases, r#"<SelectionRef targetGUID="{selguid}"/></Case>"#);
        }
        let _ = write!(
            sources,
            r#"<VariableValue><VariableRef targetGUID="{}"/><IntegerValue>{}</IntegerValue></VariableValue>"#,
            var_guid(VAR_DOCUMENT),
            d.id
        );
        text_value(&mut sources, VAR_HASH, &d.content_hash);
        if let Some(pd) = &d.published {
            text_value(&mut sources, VAR_PUBLISHED, pd);
        }
        text_value(&mut sources, VAR_LANGUAGE, &d.lang);
        sources.push_str("</TextSource>");
    }
    sources.push_str("</Sources>");
    if !cases.is_empty() {
        xml.push_str("<Cases>");
        xml.push_str(&cases);
        xml.push_str("</Cases>");
    }
    xml.push_str(&sources);
    xml.push_str("</Project>\n");
    zip.start_file("project.qde", opts)?;
    zip.write_all(xml.as_bytes())?;
    zip.finish()?;
    Ok(written)
}

fn text_value(xml: &mut String, var: &str, value: &str) {
    let _ = write!(
        xml,
        r#"<VariableValue><VariableRef targetGUID="{}"/><TextValue>{}</TextValue></VariableValue>"#,
        var_guid(var),
        esc(value)
    );
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A code of a project's codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub guid: String,
    pub name: String,
    /// The name of the code it is nested in.
    pub parent: Option<String>,
}

/// A coded stretch of a text source.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub guid: String,
    pub name: String,
    /// Characters, zero-based, end exclusive.
    pub start: usize,
    pub end: usize,
    pub creating_user: Option<String>,
    pub modifying_user: Option<String>,
    /// The GUIDs of the codes applied to it, with the user of each coding.
    pub codes: Vec<(String, Option<String>)>,
}

/// A text source with its text and selections.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub guid: String,
    pub name: String,
    /// The plain text (from `Sources/` or `PlainTextContent`), LF line ends.
    pub text: String,
    pub selections: Vec<Selection>,
    /// Variable name → value.
    pub variables: BTreeMap<String, String>,
}

/// A case: variable values and the selections and sources it groups.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Case {
    pub guid: String,
    pub name: String,
    pub variables: BTreeMap<String, String>,
    pub selections: Vec<String>,
    pub sources: Vec<String>,
}

/// A project as read.
#[derive(Debug, Clone, Default)]
pub struct ReadProject {
    pub name: String,
    /// GUID → name.
    pub users: HashMap<String, String>,
    pub codes: HashMap<String, Code>,
    pub sources: Vec<Source>,
    pub cases: Vec<Case>,
}

/// What one selection says in hamkor's terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectionCoding {
    /// The event types coded on it (none: "no event here").
    pub types: Vec<EventType>,
    pub domains: Vec<Domain>,
    /// Actor codes coded on it, else the actors variable of its case.
    pub actors: Vec<ActorCode>,
    pub date: Option<String>,
    /// Codes applied that are not ours (another tool's, a researcher's own).
    pub foreign: Vec<String>,
}

impl ReadProject {
    /// The case that refers to a selection.
    pub fn case_of(&self, selection: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.selections.iter().any(|s| s == selection))
    }

    /// Our codes applied to a selection, with the actors and date of its case. A code is ours
    /// when its name is one of our codes and it sits under our parent code (or at the top);
    /// codes are matched by name, so a tool that gives codes new GUIDs still maps.
    pub fn coding(&self, s: &Selection) -> SelectionCoding {
        let mut out = SelectionCoding::default();
        let mut actors: BTreeSet<ActorCode> = BTreeSet::new();
        for (g, _) in &s.codes {
            let Some(code) = self.codes.get(g) else {
                out.foreign.push(format!("unknown code {g}"));
                continue;
            };
            let parent = code.parent.as_deref();
            let name = code.name.trim();
            if matches!(parent, Some(TYPE_PARENT) | None) {
                if let Ok(t) = name.parse::<EventType>() {
                    out.types.push(t);
                    continue;
                }
            }
            if matches!(parent, Some(DOMAIN_PARENT) | None) {
                if let Ok(d) = name.parse::<Domain>() {
                    out.domains.push(d);
                    continue;
                }
            }
            if matches!(parent, Some(ACTOR_PARENT)) {
                if let Ok(a) = ActorCode::new(name) {
                    actors.insert(a);
                    continue;
                }
            }
            out.foreign.push(name.to_string());
        }
        let case = self.case_of(&s.guid);
        if actors.is_empty() {
            if let Some(v) = case.and_then(|c| c.variables.get(VAR_ACTORS)) {
                for a in v.split([';', ',', ' ']).map(str::trim).filter(|a| !a.is_empty()) {
                    if let Ok(a) = ActorCode::new(&a.to_ascii_uppercase()) {
                        actors.insert(a);
                    }
                }
            }
        }
        out.actors = actors.into_iter().collect();
        out.date = case.and_then(|c| c.variables.get(VAR_DATE)).map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        out.types.sort();
        out.types.dedup();
        out.domains.sort();
        out.domains.dedup();
        out
    }
}

/// The element being read and what is collected in it.
enum Frame {
    Code,
    Source(usize),
    Selection(usize, usize),
    Coding { user: Option<String> },
    Case(usize),
    VariableValue { var: String, value: String },
    Other,
}

fn xml_err(part: &str, reason: impl ToString) -> Error {
    Error::Xml { part: part.to_string(), reason: reason.to_string() }
}

/// Read a project: `project.qde` (any `.qde` at the top) and the texts of its sources.
pub fn read_qdpx<R: Read + Seek>(input: R) -> Result<ReadProject> {
    let mut zip = zip::ZipArchive::new(input)?;
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let qde = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with(".qde") && !n.contains('/'))
        .or_else(|| names.iter().find(|n| n.to_ascii_lowercase().ends_with(".qde")))
        .cloned()
        .ok_or_else(|| Error::Project("no .qde file in the project".into()))?;
    let mut xml = String::new();
    zip.by_name(&qde)?.read_to_string(&mut xml).map_err(|e| xml_err(&qde, e))?;
    let mut project = parse_qde(&xml, &qde)?;
    // Texts by internal path, Sources/ in any case.
    let by_lower: HashMap<String, String> = names.iter().map(|n| (n.to_ascii_lowercase(), n.clone())).collect();
    for s in &mut project.sources {
        let Some(path) = s.variables.remove("\u{0}path") else { continue };
        let file = path.strip_prefix("internal://").unwrap_or(&path);
        let key = format!("sources/{file}").to_ascii_lowercase();
        let Some(name) = by_lower.get(&key) else {
            return Err(Error::Project(format!("source {:?}: {path} is not in the project", s.name)));
        };
        let mut bytes = Vec::new();
        zip.by_name(name)?.read_to_end(&mut bytes)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Project(format!("{name} is not UTF-8")))?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        s.text = crate::positions::lf(text);
    }
    Ok(project)
}

/// Parse the XML of a project.
pub fn parse_qde(xml: &str, part: &str) -> Result<ReadProject> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut p = ReadProject::default();
    let mut stack: Vec<Frame> = Vec::new();
    // Text collected for the innermost element that wants it: PlainTextContent, TextValue…
    let mut text: Option<String> = None;
    let mut code_stack: Vec<String> = Vec::new();
    loop {
        let ev = reader.read_event().map_err(|e| xml_err(part, format!("at byte {}: {e}", reader.buffer_position())))?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let local = e.local_name();
            let name: &str = local.as_ref();
            let mut attrs: HashMap<String, String> = HashMap::new();
            for a in e.attributes().with_checks(false) {
                let a = a.map_err(|err| xml_err(part, err))?;
                let k = a.key.local_name();
                let k: &str = k.as_ref();
                let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|err| xml_err(part, err))?;
                attrs.insert(k.to_string(), v.into_owned());
            }
            let attr = |k: &str| attrs.get(k).cloned();
            let frame = match name {
                "Project" => {
                    p.name = attr("name").unwrap_or_default();
                    Frame::Other
                }
                "User" => {
                    if let Some(g) = attr("guid") {
                        p.users.insert(g.to_ascii_lowercase(), attr("name").unwrap_or_default());
                    }
                    Frame::Other
                }
                "Code" => {
                    let g = attr("guid").unwrap_or_default().to_ascii_lowercase();
                    let parent = code_stack.last().and_then(|pg| p.codes.get(pg)).map(|c| c.name.clone());
                    p.codes.insert(g.clone(), Code { guid: g.clone(), name: attr("name").unwrap_or_default(), parent });
                    code_stack.push(g);
                    Frame::Code
                }
                "TextSource" => {
                    let mut variables = BTreeMap::new();
                    if let Some(path) = attr("plainTextPath") {
                        variables.insert("\u{0}path".to_string(), path);
                    }
                    p.sources.push(Source {
                        guid: attr("guid").unwrap_or_default().to_ascii_lowercase(),
                        name: attr("name").unwrap_or_default(),
                        text: String::new(),
                        selections: vec![],
                        variables,
                    });
                    Frame::Source(p.sources.len() - 1)
                }
                "PlainTextSelection" => {
                    let si = stack.iter().rev().find_map(|f| if let Frame::Source(i) = f { Some(*i) } else { None });
                    let Some(si) = si else { return Err(xml_err(part, "PlainTextSelection outside a TextSource")) };
                    let pos = |k: &str| -> Result<usize> {
                        attr(k)
                            .and_then(|v| v.trim().parse().ok())
                            .ok_or_else(|| xml_err(part, format!("PlainTextSelection without a valid {k}")))
                    };
                    let lower = |o: Option<String>| o.map(|s| s.to_ascii_lowercase());
                    p.sources[si].selections.push(Selection {
                        guid: attr("guid").unwrap_or_default().to_ascii_lowercase(),
                        name: attr("name").unwrap_or_default(),
                        start: pos("startPosition")?,
                        end: pos("endPosition")?,
                        creating_user: lower(attr("creatingUser")),
                        modifying_user: lower(attr("modifyingUser")),
                        codes: vec![],
                    });
                    Frame::Selection(si, p.sources[si].selections.len() - 1)
                }
                "Coding" => Frame::Coding { user: attr("creatingUser").map(|s| s.to_ascii_lowercase()) },
                "CodeRef" => {
                    let target = attr("targetGUID").unwrap_or_default().to_ascii_lowercase();
                    // A coding of a selection (a coding of a whole source is not read).
                    if let (Some(Frame::Coding { user }), Some(Frame::Selection(si, k))) =
                        (stack.last(), stack.len().checked_sub(2).and_then(|i| stack.get(i)))
                    {
                        p.sources[*si].selections[*k].codes.push((target, user.clone()));
                    }
                    Frame::Other
                }
                "Case" => {
                    p.cases.push(Case {
                        guid: attr("guid").unwrap_or_default().to_ascii_lowercase(),
                        name: attr("name").unwrap_or_default(),
                        ..Default::default()
                    });
                    Frame::Case(p.cases.len() - 1)
                }
                "SelectionRef" | "SourceRef" => {
                    if let Some(Frame::Case(ci)) = stack.last() {
                        let t = attr("targetGUID").unwrap_or_default().to_ascii_lowercase();
                        if name == "SelectionRef" {
                            p.cases[*ci].selections.push(t);
                        } else {
                            p.cases[*ci].sources.push(t);
                        }
                    }
                    Frame::Other
                }
                "VariableValue" => Frame::VariableValue { var: String::new(), value: String::new() },
                "VariableRef" => {
                    if let Some(Frame::VariableValue { var, .. }) = stack.last_mut() {
                        *var = attr("targetGUID").unwrap_or_default().to_ascii_lowercase();
                    }
                    Frame::Other
                }
                "Variable" => {
                    // Variables are declared once; values refer to them by GUID.
                    if let Some(g) = attr("guid") {
                        p.codes.insert(format!("\u{0}var:{}", g.to_ascii_lowercase()), Code {
                            guid: g.to_ascii_lowercase(),
                            name: attr("name").unwrap_or_default(),
                            parent: None,
                        });
                    }
                    Frame::Other
                }
                "PlainTextContent" | "TextValue" | "IntegerValue" | "FloatValue" | "DateValue" | "DateTimeValue"
                | "BooleanValue" => {
                    text = Some(String::new());
                    Frame::Other
                }
                _ => Frame::Other,
            };
            if empty {
                if let Frame::Code = frame {
                    code_stack.pop();
                }
                if name == "VariableValue" {
                    text = None;
                }
                if matches!(name, "PlainTextContent" | "TextValue" | "IntegerValue" | "FloatValue" | "DateValue" | "DateTimeValue" | "BooleanValue") {
                    let v = text.take().unwrap_or_default();
                    if let Some(Frame::VariableValue { value, .. }) = stack.last_mut() {
                        *value = v;
                    }
                }
            } else {
                stack.push(frame);
            }
            continue;
        }
        match ev {
            Event::Text(t) => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(buf) = text.as_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        buf.push(c);
                    } else {
                        buf.push_str(match &*r {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        });
                    }
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                let frame = stack.pop();
                match name {
                    "PlainTextContent" => {
                        let v = text.take().unwrap_or_default();
                        if let Some(Frame::Source(i)) = stack.last() {
                            if p.sources[*i].text.is_empty() {
                                p.sources[*i].text = crate::positions::lf(&v);
                                p.sources[*i].variables.remove("\u{0}path");
                            }
                        }
                    }
                    "TextValue" | "IntegerValue" | "FloatValue" | "DateValue" | "DateTimeValue" | "BooleanValue" => {
                        let v = text.take().unwrap_or_default();
                        if let Some(Frame::VariableValue { value, .. }) = stack.last_mut() {
                            *value = v;
                        }
                    }
                    _ => {}
                }
                match frame {
                    Some(Frame::Code) => {
                        code_stack.pop();
                    }
                    Some(Frame::VariableValue { var, value }) => {
                        let var_name = p.codes.get(&format!("\u{0}var:{var}")).map(|c| c.name.clone()).unwrap_or(var);
                        match stack.last() {
                            Some(Frame::Source(i)) => {
                                p.sources[*i].variables.insert(var_name, value.trim().to_string());
                            }
                            Some(Frame::Case(i)) => {
                                p.cases[*i].variables.insert(var_name, value.trim().to_string());
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    p.codes.retain(|k, _| !k.starts_with('\u{0}'));
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn project() -> Project {
        let text = "Ўзбекистон ва Қозоғистон сув бўйича келишув имзолади.\r\nOʻzbekiston va Tojikiston e\u{301}lon qildi.";
        let first_end = text.find("\r\n").unwrap();
        let second = text.find("Oʻzbekiston").unwrap();
        Project {
            name: "test".into(),
            created: "2026-12-03T08:00:00Z".into(),
            reviewers: vec!["Dilnoza R.".into()],
            actors: vec![(ActorCode::new("UZB").unwrap(), "Uzbekistan".into()), (ActorCode::new("KAZ").unwrap(), String::new())],
            documents: vec![Document {
                id: 7,
                content_hash: "ab".repeat(32),
                title: Some("Suv & <kelishuv>".into()),
                published: Some("2024-05-01".into()),
                lang: "uz".into(),
                text: text.into(),
                reports: vec![
                    Report {
                        event_id: 11,
                        evidence: Span::new(0, first_end),
                        event_type: EventType::Agreement,
                        domains: vec![Domain::Water],
                        actors: vec![ActorCode::new("KAZ").unwrap(), ActorCode::new("UZB").unwrap()],
                        date: Some("2024-05".into()),
                        confidence: 0.9,
                    },
                    Report {
                        event_id: 12,
                        evidence: Span::new(second, text.len()),
                        event_type: EventType::Meeting,
                        domains: vec![],
                        actors: vec![ActorCode::new("TJK").unwrap(), ActorCode::new("UZB").unwrap()],
                        date: None,
                        confidence: 0.5,
                    },
                ],
            }],
        }
    }

    #[test]
    fn a_written_project_reads_back_with_its_selections_codes_and_cases() {
        let p = project();
        let mut buf = Cursor::new(Vec::new());
        let w = write_qdpx(&p, &mut buf).unwrap();
        assert_eq!((w.sources, w.selections), (1, 2));
        assert!(w.skipped.is_empty());
        let r = read_qdpx(Cursor::new(buf.into_inner())).unwrap();
        assert_eq!(r.sources.len(), 1);
        let s = &r.sources[0];
        assert_eq!(s.name, "Suv & <kelishuv>");
        assert!(!s.text.contains('\r'));
        assert_eq!(s.variables[VAR_HASH], "ab".repeat(32));
        assert_eq!(s.variables[VAR_DOCUMENT], "7");
        let cut = |sel: &Selection| s.text.chars().skip(sel.start).take(sel.end - sel.start).collect::<String>();
        assert_eq!(cut(&s.selections[0]), "Ўзбекистон ва Қозоғистон сув бўйича келишув имзолади.");
        assert_eq!(cut(&s.selections[1]), "Oʻzbekiston va Tojikiston e\u{301}lon qildi.");
        let c0 = r.coding(&s.selections[0]);
        assert_eq!(c0.types, vec![EventType::Agreement]);
        assert_eq!(c0.domains, vec![Domain::Water]);
        assert_eq!(c0.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["KAZ", "UZB"]);
        assert_eq!(c0.date.as_deref(), Some("2024-05"));
        let c1 = r.coding(&s.selections[1]);
        assert_eq!((c1.types.clone(), c1.date.clone()), (vec![EventType::Meeting], None));
        assert!(r.users.values().any(|u| u == "Dilnoza R."));
        // Two levels: every code's parent is a top-level code.
        for c in r.codes.values() {
            if let Some(parent) = &c.parent {
                assert!([TYPE_PARENT, DOMAIN_PARENT, ACTOR_PARENT].contains(&parent.as_str()), "{c:?}");
            }
        }
        assert_eq!(r.codes.values().filter(|c| c.parent.as_deref() == Some(ACTOR_PARENT)).count(), 2);
    }

    #[test]
    fn the_codebook_alone() {
        let mut out = Vec::new();
        let n = write_qdc(&project().actors, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains(CODEBOOK_NS));
        assert_eq!(n, 3 + EventType::ALL.len() + Domain::ALL.len() + 2);
        assert_eq!(xml.matches("<Code ").count(), n);
    }
}
