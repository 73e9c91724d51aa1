//! REFI-QDA back in: a project exported by hamkor, coded further by a researcher (a type changed,
//! a domain removed, actors changed, a selection emptied, a selection of their own added), comes
//! back as that researcher's codings. The changes arrive; nothing else moves (the machine's
//! events, another reviewer's codings); a second import changes nothing; `hamkor review alpha`
//! compares the codings with the machine's and with the other reviewer's.

mod analysis_support;

use analysis_support::{hamkor, run};
use std::io::{Read, Write};
use std::path::Path;

fn events_dump(db: &Path) -> String {
    String::from_utf8(run(hamkor().args(["events", "--format", "jsonl", "--db"]).arg(db)).stdout).unwrap()
}

/// (document, start, end, reviewer, type, actors, domains, date) of every coding.
fn codings(db: &Path) -> Vec<(i64, i64, i64, String, String, Option<String>, Option<String>, Option<String>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT document_id, evidence_start, evidence_end, reviewer, type, actors, domains, date FROM codings
             ORDER BY reviewer, document_id, evidence_start",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn read_zip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn write_zip(path: &Path, parts: &[(String, Vec<u8>)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// The GUID of the code named `name`.
fn code_guid(xml: &str, name: &str) -> String {
    let at = xml.find(&format!(r#"" name="{name}" isCodable="true""#)).unwrap();
    let start = xml[..at].rfind("guid=\"").unwrap() + 6;
    xml[start..at].to_string()
}

/// The `<PlainTextSelection …>…</PlainTextSelection>` named `name`, as a byte range of `xml`.
fn selection(xml: &str, name: &str) -> std::ops::Range<usize> {
    let at = xml.find(&format!(r#"name="{name}""#)).unwrap_or_else(|| panic!("no selection {name}"));
    let start = xml[..at].rfind("<PlainTextSelection").unwrap();
    let end = at + xml[at..].find("</PlainTextSelection>").unwrap() + "</PlainTextSelection>".len();
    start..end
}

#[test]
fn export_edit_import_brings_the_changes_and_moves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = dir.path().join("texts.jsonl");
    let t1 = "Ўзбекистон ва Қозоғистон президентлари Тошкентда музокаралар ўтказди.\r\nOʻzbekiston va Qirgʻiziston suv toʻgʻrisida kelishuv imzoladi.";
    let t2 = "Kecha Toshkentda Oʻzbekiston va Qozogʻiston prezidentlari muzokaralar oʻtkazdi. Tojikiston va Oʼzbekiston chegara bo\u{301}yicha kelishuv imzoladi. Bu yil ikki tomon savdo hajmini oshirishni rejalashtirmoqda.";
    let lines = [
        serde_json::json!({"id": "t1", "lang": "uz", "date": "2023-05-10", "text": t1}),
        serde_json::json!({"id": "t2", "lang": "uz", "date": "2023-06-01", "text": t2}),
    ];
    std::fs::write(&input, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    run(hamkor().arg("ingest").arg(&input).arg("--db").arg(&db));
    let events: Vec<serde_json::Value> = events_dump(&db).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 4);
    let id_of = |ty: &str, actor: &str| {
        events.iter().find(|e| e["type"] == ty && e["actors"].as_array().unwrap().iter().any(|a| a == actor)).unwrap()
    };
    let (meeting_t1, agreement_t1) = (id_of("meeting", "KAZ"), id_of("agreement", "KGZ"));
    let agreement_t2 = id_of("agreement", "TJK");

    let qdpx = dir.path().join("project.qdpx");
    run(hamkor().args(["export", "--format", "qdpx", "--db"]).arg(&db).arg("-o").arg(&qdpx));
    // A first reviewer takes the project back unchanged: their codings are the machine's.
    run(hamkor().args(["import", "qdpx", "--reviewer", "Aziz", "--db"]).arg(&db).arg(&qdpx));
    let before_events = events_dump(&db);
    let aziz = codings(&db);
    assert_eq!(aziz.len(), 4);
    for e in &events {
        let c = aziz.iter().find(|c| c.1 == e["evidence_start"].as_i64().unwrap() && c.0 == e["document_id"].as_i64().unwrap()).unwrap();
        assert_eq!(c.4, e["type"].as_str().unwrap());
        assert_eq!(c.5.as_deref(), Some(e["actors"].to_string().as_str()));
        assert_eq!(c.6.as_deref(), Some(e["domains"].to_string().as_str()));
        assert_eq!(c.7.as_deref(), e["date"].as_str());
        assert_eq!(c.2, e["evidence_end"].as_i64().unwrap(), "the same byte span");
    }

    // The researcher's edits, made to project.qde as a QDA tool would save them.
    let mut parts = read_zip(&qdpx);
    let (_, qde) = parts.iter_mut().find(|(n, _)| n == "project.qde").unwrap();
    let mut xml = String::from_utf8(qde.clone()).unwrap();
    // 1. A meeting recoded as an agreement.
    let r = selection(&xml, &format!("meeting {}", meeting_t1["id"]));
    let edited = xml[r.clone()].replace(&code_guid(&xml, "meeting"), &code_guid(&xml, "agreement"));
    xml.replace_range(r, &edited);
    // 2. Every code taken off a selection: no event there.
    let r = selection(&xml, &format!("agreement {}", agreement_t2["id"]));
    let start_tag_end = xml[r.clone()].find('>').unwrap() + r.start + 1;
    xml.replace_range(start_tag_end..r.end, "</PlainTextSelection>");
    // 3. Actors changed on a case.
    let case_at = xml.find(&format!(r#"name="event {}""#, agreement_t1["id"])).unwrap();
    let value_at = case_at + xml[case_at..].find("<TextValue>KGZ;UZB</TextValue>").unwrap();
    xml.replace_range(value_at..value_at + "<TextValue>KGZ;UZB</TextValue>".len(), "<TextValue>KAZ;KGZ;UZB</TextValue>");
    // 4. A selection of the researcher's own on the third sentence of t2, coded partnership and economy.
    let text2 = t2;
    let third = text2.find("Bu yil").unwrap();
    let (cs, ce) = (text2[..third].chars().count(), text2.chars().count());
    let own = format!(
        r#"<PlainTextSelection guid="0c1b2a39-4d5e-4f60-8a71-92b3c4d5e6f7" name="own" startPosition="{cs}" endPosition="{ce}"><Coding guid="1c1b2a39-4d5e-4f60-8a71-92b3c4d5e6f7"><CodeRef targetGUID="{}"/></Coding><Coding guid="2c1b2a39-4d5e-4f60-8a71-92b3c4d5e6f7"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#,
        code_guid(&xml, "partnership"),
        code_guid(&xml, "economy")
    );
    let r = selection(&xml, &format!("agreement {}", agreement_t2["id"]));
    xml.insert_str(r.end, &own);
    *qde = xml.into_bytes();
    let edited_path = dir.path().join("edited.qdpx");
    write_zip(&edited_path, &parts);

    let out = run(hamkor().args(["import", "qdpx", "--reviewer", "Researcher", "--db"]).arg(&db).arg(&edited_path));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("2 of 2 sources") && said.contains("5 added, 0 changed, 0 unchanged"), "{said}");
    // Nothing else moved.
    assert_eq!(events_dump(&db), before_events, "the machine's events are as they were");
    let all = codings(&db);
    assert_eq!(all.iter().filter(|c| c.3 == "Aziz").cloned().collect::<Vec<_>>(), aziz, "the other reviewer's codings are as they were");
    let mine: Vec<_> = all.iter().filter(|c| c.3 == "Researcher").collect();
    assert_eq!(mine.len(), 5);
    let at = |e: &serde_json::Value| mine.iter().find(|c| c.1 == e["evidence_start"].as_i64().unwrap() && c.0 == e["document_id"].as_i64().unwrap()).unwrap();
    // The changes arrived.
    assert_eq!(at(meeting_t1).4, "agreement");
    assert_eq!(at(meeting_t1).5.as_deref(), Some(meeting_t1["actors"].to_string().as_str()));
    assert_eq!(at(agreement_t2).4, "none");
    assert_eq!((at(agreement_t2).5.clone(), at(agreement_t2).6.clone()), (None, None));
    assert_eq!(at(agreement_t1).5.as_deref(), Some(r#"["KAZ","KGZ","UZB"]"#));
    assert_eq!(at(agreement_t1).4, "agreement");
    let own = mine.iter().find(|c| c.1 == third as i64).expect("the researcher's own selection");
    assert_eq!((own.2, own.4.as_str(), own.6.as_deref()), (text2.len() as i64, "partnership", Some(r#"["economy"]"#)));
    // The unchanged selection is the machine's coding.
    let untouched = events.iter().find(|e| ![&meeting_t1["id"], &agreement_t1["id"], &agreement_t2["id"]].contains(&&e["id"])).unwrap();
    assert_eq!(at(untouched).4, untouched["type"].as_str().unwrap());

    // A second import of the same file changes nothing.
    let out = run(hamkor().args(["import", "qdpx", "--reviewer", "Researcher", "--db"]).arg(&db).arg(&edited_path));
    assert!(String::from_utf8(out.stderr).unwrap().contains("0 added, 0 changed, 5 unchanged"));
    assert_eq!(codings(&db), all);

    // Alpha compares the researcher with the other reviewer and with the machine.
    let alpha: serde_json::Value =
        serde_json::from_slice(&run(hamkor().args(["review", "alpha", "--json", "--machine", "--db"]).arg(&db)).stdout).unwrap();
    let reviewers: Vec<&str> = alpha["reviewers"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(reviewers, ["Aziz", "Researcher", "hamkor (machine)"]);
    let type_alpha = alpha["fields"].as_array().unwrap().iter().find(|f| f["field"] == "type").unwrap();
    let a = type_alpha["alpha"].as_f64().unwrap();
    assert!(a < 1.0 && a > -1.0, "the researcher disagrees on two units: {a}");
    assert!(alpha["disagreements"].as_array().unwrap().iter().any(|d| d["values"].to_string().contains("Researcher")));
}
