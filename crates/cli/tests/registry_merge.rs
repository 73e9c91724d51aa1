//! One happening, many reports, through the real binary: the Kazakhstan–Uzbekistan treaty on
//! allied relations reported in English, Russian and Uzbek is one canonical event with three
//! reports, and two Consultative Meetings a year apart stay two events. The texts are ours.

use std::path::Path;
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

const TREATY: &[(&str, &str)] = &[
    (
        "treaty-en.txt",
        "Title: Kazakhstan and Uzbekistan become allies\nDate: 2022-12-22\n\nTASHKENT, 22 December 2022. Kazakh President Kassym-Jomart Tokayev, on a state visit to Uzbekistan, held talks with President Shavkat Mirziyoyev in Tashkent on Thursday.\n\nAfter the talks the two leaders signed the Treaty on Allied Relations between the Republic of Kazakhstan and the Republic of Uzbekistan, which sets up a Supreme Interstate Council chaired by the two presidents.\n",
    ),
    (
        "treaty-ru.txt",
        "Title: Казахстан и Узбекистан подписали союзнический договор\nDate: 2022-12-23\n\nТашкент, 22 декабря. Президент Казахстана Касым-Жомарт Токаев, прибывший в Узбекистан с государственным визитом, провёл переговоры с Шавкатом Мирзиёевым.\n\nПо итогам переговоров президенты двух стран подписали Договор о союзнических отношениях между Республикой Казахстан и Республикой Узбекистан.\n",
    ),
    (
        "treaty-uz.txt",
        "Title: Oʻzbekiston va Qozogʻiston ittifoqchilik shartnomasini imzoladi\nDate: 2022-12-22\n\nToshkent, 22-dekabr. Qozogʻiston Prezidenti Qasim-Jomart Toqayev Oʻzbekistonga davlat tashrifi bilan keldi va Prezident Shavkat Mirziyoyev bilan muzokaralar oʻtkazdi.\n\nMuzokaralardan soʻng ikki davlat rahbarlari Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladilar.\n",
    ),
];

const SUMMITS: &[(&str, &str)] = &[
    (
        "summit-2023-en.txt",
        "Title: Central Asian leaders meet in Dushanbe\nDate: 2023-09-14\n\nDUSHANBE, 14 September 2023. The fifth Consultative Meeting of the Heads of State of Central Asia was held in Dushanbe on Thursday under the chairmanship of President Emomali Rahmon. The presidents of Kazakhstan, Kyrgyzstan, Turkmenistan and Uzbekistan attended.\n",
    ),
    (
        "summit-2023-ru.txt",
        "Title: В Душанбе прошла пятая Консультативная встреча\nDate: 2023-09-15\n\nВчера в Душанбе состоялась пятая Консультативная встреча глав государств Центральной Азии. В ней приняли участие президенты Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана.\n",
    ),
    (
        "summit-2024-en.txt",
        "Title: Astana hosts the sixth regional summit\nDate: 2024-08-09\n\nASTANA, 9 August 2024. The presidents of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan met in Astana on Friday for the sixth Consultative Meeting of the Heads of State of Central Asia.\n",
    ),
    (
        "summit-2024-ru.txt",
        "Title: В Астане прошла шестая Консультативная встреча\nDate: 2024-08-09\n\n9 августа в Астане состоялась шестая Консультативная встреча глав государств Центральной Азии с участием президентов Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана.\n",
    ),
];

fn write(dir: &Path, docs: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in docs {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn canonical(db: &str) -> Vec<serde_json::Value> {
    let (code, out, err) = run(&["registry", "canonical", "--db", db, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().clone()
}

fn langs(e: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> =
        e["reports"].as_array().unwrap().iter().map(|r| r["lang"].as_str().unwrap().to_string()).collect();
    v.sort();
    v
}

#[test]
fn one_treaty_three_languages_one_event_and_two_summits_a_year_apart_stay_two() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(&docs, TREATY);
    write(&docs, SUMMITS);
    let db = tmp.path().join("s.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = run(&["ingest", "--db", db, docs.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("hamkor: registry:"), "ingest links and merges: {err}");

    let events = canonical(db);
    let treaty: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["agreement"] == "kaz-uzb-allied-treaty-2022" && e["type"] == "partnership")
        .collect();
    assert_eq!(treaty.len(), 1, "one signing: {events:#?}");
    let t = treaty[0];
    assert_eq!(t["date"], "2022-12-22");
    assert_eq!(t["actors"], serde_json::json!(["KAZ", "UZB"]));
    assert_eq!(langs(t), ["en", "ru", "uz"]);
    let docs_of: std::collections::BTreeSet<i64> =
        t["reports"].as_array().unwrap().iter().map(|r| r["document_id"].as_i64().unwrap()).collect();
    assert_eq!(docs_of.len(), 3, "three documents");
    // The visit (the talks) is one meeting with three reports too.
    let visit: Vec<_> = events.iter().filter(|e| e["type"] == "meeting" && e["date"] == "2022-12-22").collect();
    assert_eq!(visit.len(), 1);
    assert_eq!(langs(visit[0]), ["en", "ru", "uz"]);

    let summits: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["type"] == "meeting" && e["format"] == "consultative-meeting").collect();
    assert_eq!(summits.len(), 2, "{summits:#?}");
    let dates: Vec<&str> = summits.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2023-09-14", "2024-08-09"]);
    assert!(summits.iter().all(|e| langs(e) == ["en", "ru"]), "{summits:#?}");

    // Why: each report's rule, the fields that agreed, and the name that linked it.
    let id = t["id"].as_i64().unwrap().to_string();
    let (code, out, err) = run(&["registry", "canonical", &id, "--db", db]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "merged:   same-day: type partnership; agreement kaz-uzb-allied-treaty-2022; actors equal (KAZ, UZB)"
        ),
        "{out}"
    );
    assert!(out.contains("by the name \"Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani\""), "{out}");
    assert!(out.contains("by the name \"Договор о союзнических отношениях\""), "{out}");

    // The treaty's page lists the event with its three reports.
    let (_, out, _) = run(&["agreements", "show", "kaz-uzb-allied-treaty-2022", "--db", db]);
    assert!(out.contains("3 report(s)"), "{out}");

    // Ingesting again changes nothing; a fourth report, later, joins the same event.
    let (code, _, _) = run(&["ingest", "--db", db, docs.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(canonical(db).len(), events.len());
    let more = tmp.path().join("more");
    write(
        &more,
        &[(
            "treaty-kk.txt",
            "Title: Қазақстан мен Өзбекстан одақтас болды\nDate: 2022-12-22\n\nТашкент, 22 желтоқсан. Келіссөз қорытындысы бойынша екі ел президенттері Қазақстан Республикасы мен Өзбекстан Республикасы арасындағы одақтастық қатынастар туралы шартқа қол қойды.\n",
        )],
    );
    let (code, _, err) = run(&["ingest", "--db", db, more.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let after = canonical(db);
    let t2 = after.iter().find(|e| e["id"] == t["id"]).expect("the same canonical event");
    assert_eq!(langs(t2), ["en", "kk", "ru", "uz"]);

    let (_, out, _) = run(&["registry", "status", "--db", db, "--format", "json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(s["merged"].as_u64().unwrap() >= 4, "{s}");
}
