//! REFI-QDA out: the project hamkor writes loads in an independent reader (`pyrefiqda`, from
//! PyPI, which maps every element of the standard's schema), with one text source per document,
//! one coded selection per report, every selection inside its source and equal to its evidence
//! sentence, also for Cyrillic, ʻ/ʼ, combining marks and CR LF line ends. The codebook alone
//! (`.qdc`) loads too, and the filters of `hamkor events` apply.

mod analysis_support;

use analysis_support::{demo_store, hamkor, missing_tool, run, which};
use std::path::Path;

/// Reads a project with pyrefiqda and prints what the test checks, as JSON.
const READ_PROJECT: &str = r#"
import sys, json, re, zipfile
from pyrefiqda import RefiProject
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
qdpx, extract = sys.argv[1], sys.argv[2]
p = RefiProject.load(qdpx, extract_dir=extract)
z = zipfile.ZipFile(qdpx)
guids = []
codes, depth = {}, 0
def walk(cs, parent, level):
    global depth
    if cs:
        depth = max(depth, level)
    for c in cs:
        guids.append(c.guid)
        codes[c.guid] = {"name": c.name, "parent": parent, "codable": c.is_codable}
        walk(c.code, c.name, level + 1)
walk(p.code_book.codes.code, None, 1)
variables = {v.guid: v.name for v in p.variables.variable}
def values(vs):
    out = {}
    for v in vs:
        x = v.text_value if v.text_value is not None else v.integer_value if v.integer_value is not None else v.float_value
        out[variables[v.variable_ref.target_guid]] = str(x)
    return out
cases = {}
for c in p.cases.case:
    guids.append(c.guid)
    for s in c.selection_ref:
        cases[s.target_guid] = values(c.variable_value)
users = {u.guid: u.name for u in p.users.user}
guids += list(users)
names, sources = set(), []
for s in p.sources.text_source:
    guids.append(s.guid)
    assert s.name not in names, "source names are unique"
    names.add(s.name)
    assert s.plain_text_path.startswith("internal://")
    raw = z.read("Sources/" + s.plain_text_path[len("internal://"):])
    text = raw.decode("utf-8")
    sels = []
    for sel in s.plain_text_selection:
        guids.append(sel.guid)
        assert users[sel.creating_user] == "hamkor"
        assert 0 <= sel.start_position < sel.end_position <= len(text), "selection inside its source"
        sels.append({
            "text": text[sel.start_position:sel.end_position],
            "codes": [codes[c.code_ref.target_guid] for c in sel.coding],
            "case": cases[sel.guid],
        })
    sources.append({"name": s.name, "has_cr": "\r" in text, "vars": values(s.variable_value), "selections": sels})
assert all(GUID.match(g) for g in guids), "every GUID has the schema's pattern"
assert len(set(guids)) == len(guids), "GUIDs are unique"
print(json.dumps({"depth": depth, "codes": len(codes), "users": sorted(users.values()), "sources": sources}))
"#;

const READ_CODEBOOK: &str = r#"
import sys
from pyrefiqda import RefiCodebook
cb = RefiCodebook.load(sys.argv[1])
n = 0
def walk(cs):
    global n
    for c in cs:
        n += 1
        walk(c.code)
walk(cb.codes.code)
print(n)
"#;

fn python_with_pyrefiqda() -> Option<std::path::PathBuf> {
    let python = which("python3")?;
    let ok = std::process::Command::new(&python).args(["-c", "import pyrefiqda"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

fn events_of(db: &Path, filters: &[&str]) -> Vec<serde_json::Value> {
    let out = run(hamkor().args(["events", "--format", "jsonl", "--db"]).arg(db).args(filters));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn stats(db: &Path) -> serde_json::Value {
    serde_json::from_slice(&run(hamkor().args(["stats", "--json", "--db"]).arg(db)).stdout).unwrap()
}

/// Export, read back with pyrefiqda, and check every selection against the store's events.
/// Returns the project as read, or `None` when pyrefiqda is missing outside CI.
fn export_and_check(dir: &Path, db: &Path, filters: &[&str], documents: usize) -> Option<serde_json::Value> {
    let qdpx = dir.join(format!("project{}.qdpx", filters.len()));
    run(hamkor().args(["export", "--format", "qdpx", "--db"]).arg(db).arg("-o").arg(&qdpx).args(filters));
    let Some(python) = python_with_pyrefiqda() else {
        missing_tool("pyrefiqda (pip install pyrefiqda)");
        return None;
    };
    let out = run(std::process::Command::new(python).args(["-c", READ_PROJECT]).arg(&qdpx).arg(dir.join("extracted")));
    let project: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sources = project["sources"].as_array().unwrap();
    assert_eq!(sources.len(), documents, "one text source per document");
    assert_eq!(project["depth"], 2, "codes nested two levels");
    let events = events_of(db, filters);
    let selections: Vec<&serde_json::Value> =
        sources.iter().flat_map(|s| s["selections"].as_array().unwrap().iter()).collect();
    assert_eq!(selections.len(), events.len(), "one selection per report");
    let by_id: std::collections::HashMap<String, &serde_json::Value> =
        events.iter().map(|e| (e["id"].to_string(), e)).collect();
    for s in sources {
        assert_eq!(s["has_cr"], false, "texts have LF line ends");
        assert!(s["vars"]["content hash"].as_str().is_some_and(|h| h.len() == 64));
    }
    for sel in &selections {
        let e = by_id[sel["case"]["event"].as_str().unwrap()];
        let evidence = e["evidence"].as_str().unwrap().replace("\r\n", "\n").replace('\r', "\n");
        assert_eq!(sel["text"].as_str().unwrap(), evidence, "the selection's text is its evidence sentence");
        let codes: Vec<(String, String)> = sel["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["parent"].as_str().unwrap().to_string(), c["name"].as_str().unwrap().to_string()))
            .collect();
        let mut want = vec![("Event type".to_string(), e["type"].as_str().unwrap().to_string())];
        want.extend(e["domains"].as_array().unwrap().iter().map(|d| ("Domain".to_string(), d.as_str().unwrap().to_string())));
        assert_eq!(codes, want, "coded with its type and domains");
        let actors: Vec<&str> = e["actors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(sel["case"]["actors"], actors.join(";"), "actors as a variable");
        if let Some(date) = e["date"].as_str() {
            assert_eq!(sel["case"]["date"], date, "the date as a variable");
        }
    }
    Some(project)
}

#[test]
fn cyrillic_apostrophes_combining_marks_and_crlf_keep_their_selections() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = dir.path().join("texts.jsonl");
    let lines = [
        serde_json::json!({"id": "t1", "lang": "uz", "date": "2023-05-10",
            "text": "Ўзбекистон ва Қозоғистон президентлари Тошкентда музокаралар ўтказди.\r\nOʻzbekiston va Qirgʻiziston suv toʻgʻrisida kelishuv imzoladi."}),
        serde_json::json!({"id": "t2", "lang": "uz", "date": "2023-06-01",
            "text": "Kecha Toshkentda Oʻzbekiston va Qozogʻiston prezidentlari muzokaralar oʻtkazdi. Tojikiston va Oʼzbekiston chegara bo\u{301}yicha kelishuv imzoladi."}),
    ];
    std::fs::write(&input, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    run(hamkor().arg("ingest").arg(&input).arg("--db").arg(&db));
    let events = events_of(&db, &[]);
    assert_eq!(events.len(), 4, "{events:#?}");
    assert!(events.iter().any(|e| e["evidence"].as_str().unwrap().contains('\u{301}')));
    let Some(project) = export_and_check(dir.path(), &db, &[], 2) else { return };
    // Positions are characters: the second sentence of t1 starts after 69 characters and a
    // line end, though its byte offset is far larger.
    assert!(project["sources"].as_array().unwrap().iter().any(|s| s["selections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["text"].as_str().unwrap().starts_with("Oʻzbekiston va Qirgʻiziston"))));
}

#[test]
fn the_demo_store_exports_a_project_and_a_codebook_that_pyrefiqda_loads() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let documents = stats(&db)["documents"].as_u64().unwrap() as usize;
    let Some(project) = export_and_check(dir.path(), &db, &[], documents) else { return };
    assert!(project["users"].as_array().unwrap().iter().any(|u| u == "hamkor"));
    // The filters of `hamkor events` apply: only the pair's reports and their documents.
    let pair = ["--pair", "KGZ,TJK"];
    let docs: std::collections::BTreeSet<u64> =
        events_of(&db, &pair).iter().map(|e| e["document_id"].as_u64().unwrap()).collect();
    assert!(!docs.is_empty());
    export_and_check(dir.path(), &db, &pair, docs.len());
    // The codebook alone.
    let qdc = dir.path().join("codebook.qdc");
    run(hamkor().args(["export", "--format", "qdc", "--db"]).arg(&db).arg("-o").arg(&qdc));
    let python = python_with_pyrefiqda().unwrap();
    let out = run(std::process::Command::new(python).args(["-c", READ_CODEBOOK]).arg(&qdc));
    let n: usize = String::from_utf8(out.stdout).unwrap().trim().parse().unwrap();
    assert_eq!(n, project["codes"].as_u64().unwrap() as usize, "the codebook has the project's codes");
}
