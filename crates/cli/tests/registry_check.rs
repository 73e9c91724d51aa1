//! `hamkor check` through the real binary: a text of ours that repeats the published error
//! (the Cholpon-Ata summit and the friendship treaty dated 7 July 2022) is flagged with the
//! sources for 21 July, and a text that states the record has no conflict.

use std::process::{Command, Stdio};

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_hamkor"))
        .args(args)
        .env_remove("HAMKOR_DB")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run hamkor");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const WRONG: &str = "Title: Summits without a secretariat\nDate: 2023-05-10\n\nA recent study of Uzbekistan's humanitarian diplomacy traces how regional cooperation gathered pace after 2017. In its account, the leaders of the five states met for the fourth Consultative Meeting at Cholpon-Ata on 7 July 2022, and on that day the presidents of Kazakhstan, Kyrgyzstan and Uzbekistan signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century. Tajikistan and Turkmenistan held back.\n";

const RIGHT: &str = "Title: Three presidents sign the regional friendship treaty\nDate: 2022-07-22\n\nCHOLPON-ATA, 21 July 2022. The fourth Consultative Meeting of the Heads of State of Central Asia opened on Thursday in Cholpon-Ata on the northern shore of Lake Issyk-Kul, with the presidents of all five countries taking part.\n\nPresidents Kassym-Jomart Tokayev, Sadyr Japarov and Shavkat Mirziyoyev signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century at the end of the meeting. Tajikistan and Turkmenistan said they would sign once their domestic procedures were complete.\n\nThe heads of state also approved a roadmap for regional cooperation for 2022-2024.\n";

#[test]
fn the_seventh_of_july_error_is_flagged_with_the_sources_for_the_twenty_first() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("study.md");
    std::fs::write(&file, WRONG).unwrap();
    let db = tmp.path().join("none.db");
    let (code, out, err) = run(&["check", file.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(code, 1, "conflicts found: {out}{err}");
    assert!(!db.exists(), "checking a file creates no store");
    let block = out
        .split("\n\n")
        .find(|b| b.contains("CONFLICT (date, ca-friendship-treaty-2022)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains("on 7 Jul 2022"), "{block}");
    assert!(block.contains("signed on 21 Jul 2022 at Cholpon-Ata by KAZ, KGZ and UZB"), "{block}");
    assert!(block.contains("7 July 2022"), "the evidence sentence: {block}");
    assert!(block.contains("https://kaktus.media/doc/463976"), "{block}");
    assert!(block.contains("https://www.rferl.org/a/central-asia-summit-failure-cooperate/31955695.html"), "{block}");
    assert!(out.contains("CONFLICT (date, consultative-meeting#4)"), "{out}");

    // The same as JSON.
    let (code, out, _) = run(&["check", file.to_str().unwrap(), "--db", db.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = v[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["registry_id"] == "ca-friendship-treaty-2022")
        .unwrap()
        .clone();
    assert_eq!(f["verdict"], "conflict");
    assert_eq!(f["date"], "2022-07-07");
    assert!(f["sources"].as_array().unwrap().len() >= 3);
}

#[test]
fn a_text_that_states_the_record_has_no_conflict_and_is_corroborated() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report.txt");
    std::fs::write(&file, RIGHT).unwrap();
    let (code, out, err) =
        run(&["check", file.to_str().unwrap(), "--db", tmp.path().join("none.db").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 conflict(s)"), "{out}");
    assert!(!out.contains("CONFLICT"), "{out}");
    assert!(out.contains("corroborated (signing, ca-friendship-treaty-2022)"), "{out}");
    assert!(out.contains("corroborated (meeting, consultative-meeting#4)"), "{out}");
}

#[test]
fn a_stored_document_is_checked_by_its_id() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("study.md"), WRONG).unwrap();
    std::fs::write(docs.join("report.txt"), RIGHT).unwrap();
    let db = tmp.path().join("s.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = run(&["ingest", "--db", db, docs.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(&["search", "--db", db, "--format", "jsonl", "secretariat"]);
    let id = serde_json::from_str::<serde_json::Value>(out.lines().next().unwrap()).unwrap()["id"].to_string();
    let (code, out, _) = run(&["check", &id, "--db", db]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("CONFLICT (date, ca-friendship-treaty-2022)"), "{out}");
    let (code, _, err) = run(&["check", "no-such-document", "--db", db]);
    assert_eq!(code, 2);
    assert!(err.contains("neither a file nor a document"), "{err}");
}

/// A long essay of ours (tests/essays/consultative_meetings.md, about 1,800 words) that names
/// the Consultative Meetings generically many times before it names the fourth one, in
/// Cholpon-Ata on 21 July 2022. Told right it corroborates the record; with a wrong day or a
/// wrong place the one dated sentence is flagged, with the sources, and the exit status is 1.
#[test]
fn a_long_essay_with_a_wrong_day_or_place_of_the_fourth_meeting_is_flagged() {
    let essay = include_str!("essays/consultative_meetings.md");
    let key = "was held in Cholpon-Ata on 21 July 2022";
    assert!(essay.contains(key));
    assert!(essay.split_whitespace().count() > 1500, "a long essay");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    let check = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        run(&["check", "--db", db, path.to_str().unwrap()])
    };

    let (code, out, err) = check("right.md", essay);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("corroborated (meeting, consultative-meeting#4)"), "{out}");

    let (code, out, err) = check("day.md", &essay.replace(key, "was held in Cholpon-Ata on 15 August 2022"));
    assert_eq!(code, 1, "a wrong day is a conflict\n{out}\n{err}");
    assert!(out.contains("CONFLICT (date, consultative-meeting#4)"), "{out}");
    assert!(out.contains("15 Aug 2022") && out.contains("21 Jul 2022 in Cholpon-Ata"), "{out}");
    assert!(out.contains("was held in Cholpon-Ata on 15 August 2022"), "the evidence is the dated sentence, not a generic mention\n{out}");
    assert!(out.contains("https://"), "with the sources\n{out}");

    let (code, out, err) = check("place.md", &essay.replace(key, "was held in Ashgabat on 21 July 2022"));
    assert_eq!(code, 1, "a wrong place is a conflict\n{out}\n{err}");
    assert!(out.contains("CONFLICT (place, consultative-meeting#4)") && out.contains("met in Ashgabat"), "{out}");
}
