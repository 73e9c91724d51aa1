//! REFI-QDA back in: a project exported by hamkor, coded further by a researcher (a type changed,
//! actors changed, a selection emptied, a selection deleted, a selection of their own added),
//! comes back as that researcher's codings. The changes arrive; nothing else moves (the machine's
//! events, another reviewer's codings, the other reviewer's scores); a second import changes
//! nothing; `hamkor review alpha` and `hamkor eval --reviewer` compare the codings with the
//! machine's and with the other reviewer's. One coding per unit and reviewer: selections of one
//! sentence merge, and a later import replaces an earlier one.

mod analysis_support;

use analysis_support::{hamkor, run};
use std::io::{Read, Write};
use std::path::Path;

/// `hamkor eval --reviewer NAME --json` on the store.
fn eval(db: &Path, reviewer: &str) -> serde_json::Value {
    serde_json::from_slice(&run(hamkor().args(["eval", "--json", "--reviewer", reviewer, "--db"]).arg(db)).stdout).unwrap()
}

/// (gold, predicted, matched) overall.
fn tally(v: &serde_json::Value) -> (u64, u64, u64) {
    let o = &v["overall"];
    (o["gold"].as_u64().unwrap(), o["pred"].as_u64().unwrap(), o["tp"].as_u64().unwrap())
}

/// The `summary`-like key of each event of a list of `eval --json`: (type, actors, evidence start).
fn listed(v: &serde_json::Value, list: &str) -> Vec<(String, String, i64)> {
    let mut out: Vec<_> = v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let e = &m["event"];
            (e["type"].as_str().unwrap().to_string(), e["actors"].to_string(), e["evidence"]["start"].as_i64().unwrap())
        })
        .collect();
    out.sort();
    out
}

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
    let t3 = "The presidents of Kyrgyzstan and Tajikistan met in Dushanbe on Monday. Kazakhstan and Turkmenistan signed an agreement on railway transit.";
    let lines = [
        serde_json::json!({"id": "t1", "lang": "uz", "date": "2023-05-10", "text": t1}),
        serde_json::json!({"id": "t2", "lang": "uz", "date": "2023-06-01", "text": t2}),
        serde_json::json!({"id": "t3", "lang": "en", "date": "2023-07-02", "text": t3}),
    ];
    std::fs::write(&input, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    run(hamkor().arg("ingest").arg(&input).arg("--db").arg(&db));
    let events: Vec<serde_json::Value> = events_dump(&db).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 6);
    let id_of = |ty: &str, actor: &str| {
        events.iter().find(|e| e["type"] == ty && e["actors"].as_array().unwrap().iter().any(|a| a == actor)).unwrap()
    };
    let (meeting_t1, agreement_t1) = (id_of("meeting", "KAZ"), id_of("agreement", "KGZ"));
    let agreement_t2 = id_of("agreement", "TJK");
    let (meeting_t3, agreement_t3) = (id_of("meeting", "KGZ"), id_of("agreement", "TKM"));

    let qdpx = dir.path().join("project.qdpx");
    run(hamkor().args(["export", "--format", "qdpx", "--db"]).arg(&db).arg("-o").arg(&qdpx));
    // A first reviewer takes the project back unchanged: their codings are the machine's.
    run(hamkor().args(["import", "qdpx", "--reviewer", "Aziz", "--db"]).arg(&db).arg(&qdpx));
    let before_events = events_dump(&db);
    let aziz = codings(&db);
    assert_eq!(aziz.len(), 6);
    for e in &events {
        let c = aziz.iter().find(|c| c.1 == e["evidence_start"].as_i64().unwrap() && c.0 == e["document_id"].as_i64().unwrap()).unwrap();
        assert_eq!(c.4, e["type"].as_str().unwrap());
        assert_eq!(c.5.as_deref(), Some(e["actors"].to_string().as_str()));
        assert_eq!(c.6.as_deref(), Some(e["domains"].to_string().as_str()));
        assert_eq!(c.7.as_deref(), e["date"].as_str());
        assert_eq!(c.2, e["evidence_end"].as_i64().unwrap(), "the same byte span");
    }
    // Taken back unchanged, the project scores the machine as perfect.
    let aziz_eval = eval(&db, "Aziz");
    assert_eq!(tally(&aziz_eval), (6, 6, 6), "{aziz_eval:#}");

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
    // 5. A selection deleted.
    let r = selection(&xml, &format!("agreement {}", agreement_t3["id"]));
    xml.replace_range(r, "");
    *qde = xml.into_bytes();
    let edited_path = dir.path().join("edited.qdpx");
    write_zip(&edited_path, &parts);

    let out = run(hamkor().args(["import", "qdpx", "--reviewer", "Researcher", "--db"]).arg(&db).arg(&edited_path));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("3 of 3 sources") && said.contains("6 added, 0 changed, 0 unchanged"), "{said}");
    // Nothing else moved.
    assert_eq!(events_dump(&db), before_events, "the machine's events are as they were");
    let all = codings(&db);
    assert_eq!(all.iter().filter(|c| c.3 == "Aziz").cloned().collect::<Vec<_>>(), aziz, "the other reviewer's codings are as they were");
    let mine: Vec<_> = all.iter().filter(|c| c.3 == "Researcher").collect();
    assert_eq!(mine.len(), 6, "no coding where the selection was deleted");
    assert!(!mine.iter().any(|c| c.1 == agreement_t3["evidence_start"].as_i64().unwrap() && c.0 == agreement_t3["document_id"].as_i64().unwrap()));
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
    // The unchanged selections are the machine's coding.
    let edited = [&meeting_t1["id"], &agreement_t1["id"], &agreement_t2["id"], &agreement_t3["id"]];
    let untouched: Vec<_> = events.iter().filter(|e| !edited.contains(&&e["id"])).collect();
    assert_eq!(untouched.len(), 2);
    assert!(untouched.iter().any(|u| u["id"] == meeting_t3["id"]));
    for u in &untouched {
        assert_eq!((at(u).4.as_str(), at(u).5.clone()), (u["type"].as_str().unwrap(), Some(u["actors"].to_string())));
    }

    // eval: the researcher's codings as gold against the machine. t1: the meeting they call an
    // agreement and the agreement with another actor match nothing; t2: the untouched meeting
    // matches, the emptied agreement is a false event, their own partnership is missed; t3: the
    // untouched meeting matches, the deleted agreement is a false event.
    let researcher = eval(&db, "Researcher");
    assert_eq!(tally(&researcher), (5, 6, 2), "{researcher:#}");
    let start = |e: &serde_json::Value| e["evidence_start"].as_i64().unwrap();
    let key = |e: &serde_json::Value, ty: &str, actors: &str| (ty.to_string(), actors.to_string(), start(e));
    assert_eq!(
        listed(&researcher, "missed"),
        {
            let mut v = vec![
                key(meeting_t1, "agreement", &meeting_t1["actors"].to_string()),
                key(agreement_t1, "agreement", r#"["KAZ","KGZ","UZB"]"#),
                ("partnership".to_string(), "[]".to_string(), third as i64),
            ];
            v.sort();
            v
        }
    );
    assert_eq!(listed(&researcher, "false"), {
        let mut v: Vec<_> = [meeting_t1, agreement_t1, agreement_t2, agreement_t3]
            .iter()
            .map(|e| key(e, e["type"].as_str().unwrap(), &e["actors"].to_string()))
            .collect();
        v.sort();
        v
    });
    // Only the units the researcher coded: the deleted selection's agreement is not scored.
    let units_only: serde_json::Value = serde_json::from_slice(
        &run(hamkor().args(["eval", "--json", "--coded-units", "--reviewer", "Researcher", "--db"]).arg(&db)).stdout,
    )
    .unwrap();
    assert_eq!(tally(&units_only), (5, 5, 2), "{units_only:#}");
    assert!(!listed(&units_only, "false").iter().any(|f| f.2 == start(agreement_t3) && f.0 == "agreement"));
    // The same gold as a file: `export --format gold --reviewer` and `eval GOLD --db` agree.
    let gold = dir.path().join("researcher.gold.jsonl");
    run(hamkor().args(["export", "--format", "gold", "--reviewer", "Researcher", "--db"]).arg(&db).arg("-o").arg(&gold));
    assert_eq!(std::fs::read_to_string(&gold).unwrap().lines().count(), 3);
    let from_file: serde_json::Value =
        serde_json::from_slice(&run(hamkor().args(["eval", "--json"]).arg(&gold).arg("--db").arg(&db)).stdout).unwrap();
    assert_eq!(from_file, researcher);
    // The other reviewer's figures did not move.
    assert_eq!(eval(&db, "Aziz"), aziz_eval);

    // A second import of the same file changes nothing.
    let out = run(hamkor().args(["import", "qdpx", "--reviewer", "Researcher", "--db"]).arg(&db).arg(&edited_path));
    assert!(String::from_utf8(out.stderr).unwrap().contains("0 added, 0 changed, 6 unchanged"));
    assert_eq!(codings(&db), all);

    // Alpha compares the researcher with the other reviewer and with the machine.
    let alpha: serde_json::Value =
        serde_json::from_slice(&run(hamkor().args(["review", "alpha", "--json", "--machine", "--db"]).arg(&db)).stdout).unwrap();
    let reviewers: Vec<&str> = alpha["reviewers"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(reviewers, ["Aziz", "Researcher", "hamkor (machine)"]);
    let type_alpha = alpha["fields"].as_array().unwrap().iter().find(|f| f["field"] == "type").unwrap();
    let a = type_alpha["alpha"].as_f64().unwrap();
    assert!(a < 1.0 && a > -1.0, "the researcher disagrees on two units: {a}");
    // The disagreements are exactly at the units the researcher changed (the deleted one they
    // no longer code; the machine has no event at their own).
    let mut disputed: Vec<(i64, i64, String)> = alpha["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["document_id"].as_i64().unwrap(), d["evidence_start"].as_i64().unwrap(), d["field"].as_str().unwrap().to_string()))
        .collect();
    disputed.sort();
    disputed.dedup();
    let doc = |e: &serde_json::Value| e["document_id"].as_i64().unwrap();
    let mut want = vec![
        (doc(meeting_t1), start(meeting_t1), "type".to_string()),
        (doc(agreement_t1), start(agreement_t1), "actors".to_string()),
        (doc(agreement_t2), start(agreement_t2), "type".to_string()),
        (doc(agreement_t2), third as i64, "type".to_string()),
    ];
    want.sort();
    let fields_at = |d: i64, s: i64| disputed.iter().filter(|x| x.0 == d && x.1 == s).map(|x| x.2.clone()).collect::<Vec<_>>();
    for (d, s, field) in &want {
        assert!(fields_at(*d, *s).contains(field), "{field} disputed at document {d} byte {s}: {disputed:?}");
    }
    let units: std::collections::BTreeSet<(i64, i64)> = disputed.iter().map(|x| (x.0, x.1)).collect();
    assert_eq!(units, want.iter().map(|x| (x.0, x.1)).collect(), "no other unit is disputed");
}

/// A `<PlainTextSelection>` of characters `start..end` coded with `codes` (GUIDs), `n` making its
/// GUIDs unique.
fn new_selection(n: u32, name: &str, start: usize, end: usize, codes: &[String]) -> String {
    let codings: String = codes
        .iter()
        .enumerate()
        .map(|(i, g)| format!(r#"<Coding guid="{n:08x}-{i:04x}-4000-8000-000000000000"><CodeRef targetGUID="{g}"/></Coding>"#))
        .collect();
    format!(r#"<PlainTextSelection guid="{n:08x}-ffff-4000-8000-000000000000" name="{name}" startPosition="{start}" endPosition="{end}">{codings}</PlainTextSelection>"#)
}

/// One coding per sentence span and reviewer: selections of one reviewer that fall on the same
/// unit (the machine's selection, a phrase inside it, the sentence without its full stop) merge
/// into that unit's one coding; importing the project again changes nothing; a later version of
/// it replaces the earlier coding of each unit, never adds a second.
#[test]
fn one_coding_per_unit_and_reviewer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = dir.path().join("texts.jsonl");
    let text = "The presidents of Kyrgyzstan and Tajikistan met in Dushanbe on Monday. Kazakhstan and Turkmenistan signed an agreement on railway transit.";
    let line = serde_json::json!({"id": "t3", "lang": "en", "date": "2023-07-02", "text": text});
    std::fs::write(&input, format!("{line}\n")).unwrap();
    run(hamkor().arg("ingest").arg(&input).arg("--db").arg(&db));
    let events: Vec<serde_json::Value> = events_dump(&db).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 2);
    let meeting = events.iter().find(|e| e["type"] == "meeting").unwrap();
    let (ms, me) = (meeting["evidence_start"].as_i64().unwrap() as usize, meeting["evidence_end"].as_i64().unwrap() as usize);
    assert_eq!(&text[ms..me], "The presidents of Kyrgyzstan and Tajikistan met in Dushanbe on Monday.");

    let qdpx = dir.path().join("project.qdpx");
    run(hamkor().args(["export", "--format", "qdpx", "--db"]).arg(&db).arg("-o").arg(&qdpx));
    let parts = read_zip(&qdpx);
    let xml = String::from_utf8(parts.iter().find(|(n, _)| n == "project.qde").unwrap().1.clone()).unwrap();
    let edit = |extra: &str, path: &Path| {
        let mut xml = xml.clone();
        let r = selection(&xml, &format!("meeting {}", meeting["id"]));
        xml.insert_str(r.end, extra);
        let parts: Vec<(String, Vec<u8>)> =
            parts.iter().map(|(n, b)| (n.clone(), if n == "project.qde" { xml.clone().into_bytes() } else { b.clone() })).collect();
        write_zip(path, &parts);
    };
    // The text is ASCII: characters are bytes.
    let phrase = text.find("met in Dushanbe").unwrap();
    let v1 = format!(
        "{}{}",
        // A phrase of the sentence coded with a domain only: added to the unit's events.
        new_selection(1, "phrase", phrase, phrase + "met in Dushanbe".len(), &[code_guid(&xml, "borders")]),
        // The sentence without its full stop, coded with a second type: one more event there.
        new_selection(2, "sentence again", ms, me - 1, &[code_guid(&xml, "joint_activity")]),
    );
    let p1 = dir.path().join("v1.qdpx");
    edit(&v1, &p1);
    let said = String::from_utf8(run(hamkor().args(["import", "qdpx", "--reviewer", "R", "--db"]).arg(&db).arg(&p1)).stderr).unwrap();
    assert!(said.contains("4 selections coding 2 units (2 merged into a unit another selection codes), 3 events"), "{said}");
    assert!(said.contains("2 added, 0 changed, 0 unchanged"), "{said}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows = |conn: &rusqlite::Connection| -> Vec<(i64, i64, String, Option<String>, Option<String>)> {
        let mut st = conn
            .prepare("SELECT evidence_start, evidence_end, type, domains, more FROM codings WHERE reviewer = 'R' ORDER BY evidence_start")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let first = rows(&conn);
    assert_eq!(first.len(), 2, "one coding per unit: {first:?}");
    assert_eq!((first[0].0, first[0].1, first[0].2.as_str()), (ms as i64, me as i64, "meeting"));
    assert_eq!(first[0].3.as_deref(), Some(r#"["borders","political"]"#), "the phrase's domain joins the sentence's");
    assert_eq!(
        first[0].4.as_deref(),
        Some(r#"[{"type":"joint_activity","actors":[],"domains":["borders"],"date":null}]"#),
        "the second type is a second event of the same unit"
    );
    // Scored: the three events of the reviewer against the machine's two.
    assert_eq!(tally(&eval(&db, "R")), (3, 2, 2));

    // The same project again: nothing added, nothing changed.
    let said = String::from_utf8(run(hamkor().args(["import", "qdpx", "--reviewer", "R", "--db"]).arg(&db).arg(&p1)).stderr).unwrap();
    assert!(said.contains("0 added, 0 changed, 2 unchanged"), "{said}");
    assert_eq!(rows(&conn), first);

    // A later version without the second type: the unit's coding is replaced, not doubled.
    let v2 = new_selection(1, "phrase", phrase, phrase + "met in Dushanbe".len(), &[code_guid(&xml, "borders")]);
    let p2 = dir.path().join("v2.qdpx");
    edit(&v2, &p2);
    let said = String::from_utf8(run(hamkor().args(["import", "qdpx", "--reviewer", "R", "--db"]).arg(&db).arg(&p2)).stderr).unwrap();
    assert!(said.contains("0 added, 1 changed, 1 unchanged"), "{said}");
    let second = rows(&conn);
    assert_eq!(second.len(), 2);
    assert_eq!((second[0].2.as_str(), second[0].4.clone()), ("meeting", None));
    assert_eq!(second[1], first[1]);
    assert_eq!(tally(&eval(&db, "R")), (2, 2, 2));
}
