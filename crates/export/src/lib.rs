//! Exports of canonical events for the tools researchers already use. Every format, its
//! columns and their meaning are documented in `docs/exports.md`; the field lists here and
//! there must agree (a test checks the CSV header and the Parquet schema against the document).
//!
//! - [`write_csv`]: one row per canonical event, RFC 4180, optional HXL hashtag row;
//! - [`write_jsonl`]: one JSON object per canonical event, with its reports and evidence;
//! - [`write_parquet`]: the same columns as the CSV, typed, lists as Arrow lists;
//! - [`write_graphml`]: the cooperation network with centralities, for Gephi;
//! - [`write_geojson`]: actors as points and dyads as lines between capitals, for QGIS;
//! - [`write_plover`]: PLOVER-style event records with a CAMEO root-code crosswalk.

use hamkor_analysis::network::{self, NetworkOptions};
use hamkor_analysis::panel::{cameo_code, goldstein, quad_code};
use hamkor_analysis::{dyads, CanonicalEvent, Counting};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

mod parquet_out;

pub use parquet_out::{parquet_schema, write_parquet};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("building Arrow arrays: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("unknown export format {0:?} (expected csv, jsonl, parquet, graphml, geojson, plover)")]
    UnknownFormat(String),
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
    Graphml,
    Geojson,
    Plover,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "csv" => ExportFormat::Csv,
            "jsonl" | "ndjson" => ExportFormat::Jsonl,
            "parquet" => ExportFormat::Parquet,
            "graphml" => ExportFormat::Graphml,
            "geojson" => ExportFormat::Geojson,
            "plover" => ExportFormat::Plover,
            other => return Err(Error::UnknownFormat(other.to_string())),
        })
    }
}

/// One canonical event as every tabular export writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub event_id: i64,
    pub date: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub year: Option<i32>,
    pub date_from_document: bool,
    #[serde(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub n_actors: u32,
    pub multilateral: bool,
    pub domains: Vec<String>,
    pub agreement: Option<String>,
    pub format: Option<String>,
    pub plover: String,
    pub cameo: String,
    pub cameo_root: String,
    pub goldstein: f64,
    pub quad: u8,
    pub reports: u32,
    pub document_ids: Vec<i64>,
    pub languages: Vec<String>,
    pub sources: Vec<String>,
    pub evidence: Vec<String>,
}

/// The columns of [`Row`], in order (CSV header, Parquet schema).
pub const COLUMNS: &[&str] = &[
    "event_id",
    "date",
    "date_start",
    "date_end",
    "year",
    "date_from_document",
    "type",
    "actors",
    "n_actors",
    "multilateral",
    "domains",
    "agreement",
    "format",
    "plover",
    "cameo",
    "cameo_root",
    "goldstein",
    "quad",
    "reports",
    "document_ids",
    "languages",
    "sources",
    "evidence",
];

/// The HXL hashtag of each column (https://hxlstandard.org), same order as [`COLUMNS`].
pub const HXL: &[&str] = &[
    "#event+id",
    "#date",
    "#date+start",
    "#date+end",
    "#date+year",
    "#meta+date_from_document",
    "#event+type",
    "#country+code+list",
    "#indicator+actors+num",
    "#indicator+multilateral",
    "#sector+list",
    "#meta+agreement",
    "#meta+format",
    "#event+type+plover",
    "#event+type+cameo",
    "#event+type+cameo_root",
    "#indicator+goldstein+num",
    "#indicator+quad+num",
    "#indicator+reports+num",
    "#meta+document+list",
    "#meta+lang+list",
    "#meta+source+list",
    "#description+evidence",
];

pub fn row(e: &CanonicalEvent) -> Row {
    let (plover, cameo, root) = cameo_code(e.event_type);
    let bounds = e.date.map(|d| {
        let lo = format!("{:04}-{:02}-{:02}", d.year, d.month.unwrap_or(1), d.day.unwrap_or(1));
        let hm = d.month.unwrap_or(12);
        let hi =
            format!("{:04}-{:02}-{:02}", d.year, hm, d.day.unwrap_or_else(|| hamkor_model::days_in_month(d.year, hm)));
        (lo, hi)
    });
    let mut docs: Vec<i64> = e.reports.iter().map(|r| r.document_id).collect();
    docs.dedup();
    let mut sources: Vec<String> = e.reports.iter().map(|r| r.source.clone()).collect();
    sources.dedup();
    Row {
        event_id: e.id,
        date: e.date.map(|d| d.to_string()),
        date_start: bounds.as_ref().map(|b| b.0.clone()),
        date_end: bounds.map(|b| b.1),
        year: e.year(),
        date_from_document: e.date_from_document,
        event_type: e.event_type.code().to_string(),
        actors: e.actors.iter().map(|a| a.to_string()).collect(),
        n_actors: e.actors.len() as u32,
        multilateral: e.is_multilateral(),
        domains: e.domains.iter().map(|d| d.code().to_string()).collect(),
        agreement: e.agreement.clone(),
        format: e.format.clone(),
        plover: plover.to_string(),
        cameo: cameo.to_string(),
        cameo_root: root.to_string(),
        goldstein: goldstein(e.event_type),
        quad: quad_code(e.event_type),
        reports: e.reports.len() as u32,
        document_ids: docs,
        languages: e.languages().into_iter().map(String::from).collect(),
        sources,
        evidence: e.reports.iter().map(|r| one_line(&r.evidence_text)).collect(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV, one row per canonical event; lists joined with `;` (evidence with ` | `). With `hxl`,
/// a row of HXL hashtags follows the header.
pub fn write_csv(events: &[CanonicalEvent], w: &mut dyn Write, hxl: bool) -> Result<()> {
    writeln!(w, "{}", COLUMNS.join(","))?;
    if hxl {
        writeln!(w, "{}", HXL.join(","))?;
    }
    for e in events {
        let r = row(e);
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let fields = [
            r.event_id.to_string(),
            o(&r.date),
            o(&r.date_start),
            o(&r.date_end),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.date_from_document.to_string(),
            r.event_type,
            r.actors.join(";"),
            r.n_actors.to_string(),
            r.multilateral.to_string(),
            r.domains.join(";"),
            o(&r.agreement),
            o(&r.format),
            r.plover,
            r.cameo,
            r.cameo_root,
            format!("{}", r.goldstein),
            r.quad.to_string(),
            r.reports.to_string(),
            r.document_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(";"),
            r.languages.join(";"),
            r.sources.join(";"),
            r.evidence.join(" | "),
        ];
        writeln!(w, "{}", fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    event_id: i64,
    document_id: i64,
    evidence_start: usize,
    evidence_end: usize,
    lang: &'a str,
    source: &'a str,
    evidence: &'a str,
}

#[derive(Serialize)]
struct JsonEvent<'a> {
    #[serde(flatten)]
    row: Row,
    #[serde(rename = "reports_detail")]
    detail: Vec<JsonReport<'a>>,
}

/// JSON lines: the CSV's fields with lists as arrays, plus every report with its byte span.
pub fn write_jsonl(events: &[CanonicalEvent], w: &mut dyn Write) -> Result<()> {
    for e in events {
        let detail = e
            .reports
            .iter()
            .map(|r| JsonReport {
                event_id: r.event_id,
                document_id: r.document_id,
                evidence_start: r.evidence.start,
                evidence_end: r.evidence.end,
                lang: &r.lang,
                source: &r.source,
                evidence: &r.evidence_text,
            })
            .collect();
        serde_json::to_writer(&mut *w, &JsonEvent { row: row(e), detail }).map_err(std::io::Error::from)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// GraphML (Gephi, Cytoscape, igraph, networkx): the cooperation network of the events, nodes
/// with their centralities, undirected edges with their weight and event ids.
pub fn write_graphml(events: &[CanonicalEvent], opts: &NetworkOptions, w: &mut dyn Write) -> Result<()> {
    let net = network::network(events, opts);
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">"
    )?;
    for (id, for_, name, ty) in [
        ("label", "node", "label", "string"),
        ("central_asian", "node", "central_asian", "boolean"),
        ("degree", "node", "degree", "int"),
        ("strength", "node", "strength", "double"),
        ("betweenness", "node", "betweenness", "double"),
        ("betweenness_hops", "node", "betweenness_hops", "double"),
        ("eigenvector", "node", "eigenvector", "double"),
        ("weight", "edge", "weight", "double"),
        ("events", "edge", "events", "string"),
    ] {
        writeln!(w, "  <key id=\"{id}\" for=\"{for_}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>")?;
    }
    writeln!(w, "  <graph id=\"cooperation\" edgedefault=\"undirected\">")?;
    for n in &net.nodes {
        let ca = hamkor_model::CENTRAL_ASIA.contains(&n.actor.as_str());
        writeln!(
            w,
            "    <node id=\"{a}\"><data key=\"label\">{a}</data><data key=\"central_asian\">{ca}</data><data key=\"degree\">{}</data><data key=\"strength\">{}</data><data key=\"betweenness\">{}</data><data key=\"betweenness_hops\">{}</data><data key=\"eigenvector\">{}</data></node>",
            n.degree,
            n.strength,
            n.betweenness,
            n.betweenness_hops,
            n.eigenvector,
            a = xml(&n.actor)
        )?;
    }
    for (k, e) in net.edges.iter().enumerate() {
        writeln!(
            w,
            "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data><data key=\"events\">{}</data></edge>",
            xml(&e.a),
            xml(&e.b),
            e.weight,
            e.event_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        )?;
    }
    writeln!(w, "  </graph>\n</graphml>")?;
    Ok(())
}

/// GeoJSON (RFC 7946, WGS 84): a Point per actor with a capital on the map and a LineString per
/// dyad between two such capitals, with counts per domain. Dyads with an actor the map cannot
/// place are listed in the collection's `unmapped` member.
pub fn write_geojson(events: &[CanonicalEvent], counting: Counting, w: &mut dyn Write) -> Result<()> {
    let mut per_actor: BTreeMap<String, (u64, Vec<i64>)> = BTreeMap::new();
    // dyad → (a, b, count, count per domain, event ids)
    type DyadSums = (String, String, u64, BTreeMap<String, u64>, Vec<i64>);
    let mut per_dyad: BTreeMap<String, DyadSums> = BTreeMap::new();
    for e in events {
        let unit = counting.unit(e);
        for a in &e.actors {
            let c = per_actor.entry(a.to_string()).or_default();
            c.0 += unit;
            c.1.push(e.id);
        }
        for d in dyads(e) {
            let c =
                per_dyad.entry(d.to_string()).or_insert((d.a.to_string(), d.b.to_string(), 0, BTreeMap::new(), vec![]));
            c.2 += unit;
            for dm in &e.domains {
                *c.3.entry(dm.code().to_string()).or_default() += unit;
            }
            c.4.push(e.id);
        }
    }
    let mut features = Vec::new();
    for (actor, (n, ids)) in &per_actor {
        if let Some((name, lon, lat)) = hamkor_charts::capital(actor) {
            features.push(serde_json::json!({
                "type": "Feature",
                "id": format!("actor-{actor}"),
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"kind": "actor", "actor": actor, "capital": name, "events": n,
                               "central_asian": hamkor_model::CENTRAL_ASIA.contains(&actor.as_str()), "event_ids": ids},
            }));
        }
    }
    let mut unmapped = Vec::new();
    for (label, (a, b, n, by_domain, ids)) in &per_dyad {
        match (hamkor_charts::capital(a), hamkor_charts::capital(b)) {
            (Some(p), Some(q)) => features.push(serde_json::json!({
                "type": "Feature",
                "id": format!("dyad-{label}"),
                "geometry": {"type": "LineString", "coordinates": [[p.1, p.2], [q.1, q.2]]},
                "properties": {"kind": "dyad", "dyad": label, "a": a, "b": b, "events": n, "by_domain": by_domain, "event_ids": ids},
            })),
            _ => unmapped.push(serde_json::json!({"dyad": label, "events": n})),
        }
    }
    let fc = serde_json::json!({
        "type": "FeatureCollection",
        "name": "hamkor cooperation",
        "features": features,
        "unmapped": unmapped,
    });
    serde_json::to_writer_pretty(&mut *w, &fc).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// PLOVER-style records (one JSON object a line, the field names of the PLOVER specification's
/// "JSON Data Fields"), with hamkor's type and the CAMEO code and root it crosses to.
pub fn write_plover(events: &[CanonicalEvent], w: &mut dyn Write) -> Result<()> {
    for e in events {
        let (plover, cameo, root) = cameo_code(e.event_type);
        let r = row(e);
        let first = e.reports.first();
        let v = serde_json::json!({
            "id": format!("hamkor-{}", e.id),
            "date": r.date_start,
            "date_precision": e.date.map(|d| match d.precision() { 1 => "year", 2 => "month", _ => "day" }),
            "enddate": r.date_end,
            // Cooperation is reciprocal here: every party is a source, none a recipient
            // (PLOVER's rule for events where all parties act alike).
            "source": e.actors.iter().map(|a| serde_json::json!({"code": a.as_str()})).collect::<Vec<_>>(),
            "recipient": [],
            "event": [plover],
            "mode": [],
            "context": r.domains,
            "quad_code": quad_code(e.event_type),
            "event_scale": goldstein(e.event_type),
            "cameo_code": cameo,
            "cameo_root": root,
            "hamkor_type": e.event_type.code(),
            "link": e.agreement,
            "event_text": r.evidence,
            "text_info": first.map(|f| serde_json::json!({"start": f.evidence.start, "end": f.evidence.end, "unit": "byte"})),
            "cite_info": first.map(|f| serde_json::json!({"url": f.source, "language": f.lang, "citation": format!("document {}", f.document_id)})),
            "reports": e.reports.iter().map(|f| serde_json::json!({"document_id": f.document_id, "start": f.evidence.start, "end": f.evidence.end, "language": f.lang, "url": f.source})).collect::<Vec<_>>(),
            "coder": "hamkor",
        });
        serde_json::to_writer(&mut *w, &v).map_err(std::io::Error::from)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hamkor_analysis::ReportRef as Report;
    use hamkor_model::{ActorCode, Span};

    pub(crate) fn sample() -> Vec<CanonicalEvent> {
        let a = |s: &str| ActorCode::new(s).unwrap();
        vec![
            CanonicalEvent {
                id: 7,
                event_type: "aid".parse().unwrap(),
                actors: vec![a("KGZ"), a("UZB")],
                domains: vec!["health".parse().unwrap(), "disaster".parse().unwrap()],
                date: Some("2020-05".parse().unwrap()),
                date_from_document: false,
                agreement: None,
                format: None,
                reports: vec![Report {
                    event_id: 7,
                    document_id: 3,
                    evidence: Span::new(10, 40),
                    lang: "uz".into(),
                    source: "/x/a, \"b\".txt".into(),
                    evidence_text: "Oʻzbekiston\nyordam yubordi".into(),
                    published: None,
                }],
            },
            CanonicalEvent {
                id: 9,
                event_type: "meeting".parse().unwrap(),
                actors: vec![a("KAZ"), a("KGZ"), a("RUS")],
                domains: vec!["political".parse().unwrap()],
                date: None,
                date_from_document: false,
                agreement: Some("ca-x".into()),
                format: None,
                reports: vec![],
            },
        ]
    }

    #[test]
    fn csv_with_hxl_has_one_tag_per_column() {
        assert_eq!(COLUMNS.len(), HXL.len());
        let mut out = Vec::new();
        write_csv(&sample(), &mut out, true).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("#event+id,#date,"));
        assert!(
            lines[2].starts_with("7,2020-05,2020-05-01,2020-05-31,2020,false,aid,KGZ;UZB,2,false,health;disaster,"),
            "{}",
            lines[2]
        );
        assert!(lines[2].ends_with("\"/x/a, \"\"b\"\".txt\",Oʻzbekiston yordam yubordi"), "{}", lines[2]);
        assert!(lines[3].starts_with("9,,,,,false,meeting,KAZ;KGZ;RUS,3,true,political,ca-x,,CONSULT,04,04,1,1,0,"));
    }

    #[test]
    fn plover_geojson_graphml_parse() {
        let mut out = Vec::new();
        write_plover(&sample(), &mut out).unwrap();
        let first: serde_json::Value =
            serde_json::from_str(std::str::from_utf8(&out).unwrap().lines().next().unwrap()).unwrap();
        assert_eq!(first["event"][0], "AID");
        assert_eq!(first["cameo_root"], "07");
        assert_eq!(first["date"], "2020-05-01");
        assert_eq!(first["date_precision"], "month");
        let mut out = Vec::new();
        write_geojson(&sample(), Counting::Events, &mut out).unwrap();
        let g: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(g["type"], "FeatureCollection");
        assert!(g["features"].as_array().unwrap().iter().any(|f| f["id"] == "dyad-KGZ-UZB"));
        assert!(g["unmapped"].as_array().unwrap().iter().any(|f| f["dyad"] == "KGZ-RUS"));
        let mut out = Vec::new();
        write_graphml(&sample(), &NetworkOptions::default(), &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("<edge id=\"e0\" source=\"KAZ\" target=\"KGZ\">"), "{s}");
    }
}
