//! GDELT and ACLED in: files written here in the datasets' documented layouts (GDELT 2.0 event
//! exports, 61 tab-separated columns, plain and zipped; ACLED's CSV export with its header), with
//! rows of our own, rows from elsewhere and malformed rows. The right rows are kept with the right
//! types and dates, malformed rows are named by line and skipped, a second import adds nothing,
//! and `hamkor stats --json` counts them per source.

mod analysis_support;

use analysis_support::{hamkor, run};
use std::io::Write;
use std::path::Path;

/// A GDELT 2.0 event row: 61 columns, those that matter set (the codebook's positions).
pub fn gdelt_row(id: &str, day: &str, a1: &str, a2: &str, code: &str, goldstein: &str) -> String {
    let mut f = vec![String::new(); 61];
    f[0] = id.into();
    f[1] = day.into();
    f[2] = day.get(..6).unwrap_or("").into();
    f[3] = day.get(..4).unwrap_or("").into();
    f[4] = "2021.3288".into();
    f[5] = format!("{a1}GOV");
    f[6] = format!("{a1} government");
    f[7] = a1.into();
    f[12] = "GOV".into();
    f[15] = if a2.is_empty() { String::new() } else { format!("{a2}BOR") };
    f[16] = if a2.is_empty() { String::new() } else { format!("{a2} border guard") };
    f[17] = a2.into();
    f[25] = "1".into();
    f[26] = code.into();
    f[27] = code.get(..3).unwrap_or(code).into();
    f[28] = code.get(..2).unwrap_or(code).into();
    f[29] = "4".into();
    f[30] = goldstein.into();
    f[31] = "4".into();
    f[32] = "1".into();
    f[33] = "4".into();
    f[34] = "-3.5".into();
    f[51] = "4".into();
    f[52] = "Batken, Batken, Kyrgyzstan".into();
    f[53] = "KG".into();
    f[59] = format!("{day}120000");
    f[60] = format!("https://news.example.org/{id}.html");
    f.join("\t")
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

fn acled_row(id: &str, date: &str, event_type: &str, sub: &str, a1: &str, a2: &str, iso: &str, country: &str, notes: &str, fatalities: &str) -> String {
    format!(
        "{id},{date},{},1,Political violence,{event_type},{sub},{a1},,1,{a2},,1,11,,{iso},Caucasus and Central Asia,{country},Batken,,,Kok-Tash,39.91,70.81,1,Local press,National,\"{notes}\",{fatalities},,1700000000",
        &date[date.len() - 4..].parse::<i32>().map(|y| y.to_string()).unwrap_or_else(|_| date[..4].to_string())
    )
}

fn imported(db: &Path) -> Vec<(String, String, String, String, String, Option<f64>, Option<i64>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT source, external_id, date, type, actors, goldstein, fatalities FROM imported_events ORDER BY source, external_id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn gdelt_and_acled_files_import_with_their_counts_types_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // GDELT: a plain export and a zipped one.
    let plain = [
        gdelt_row("1000001", "20210429", "KGZ", "TJK", "190", "-10.0"),
        gdelt_row("1000002", "20210503", "KGZ", "TJK", "0571", "8.0"),
        gdelt_row("1000003", "20210503", "RUS", "CHN", "040", "1.0"),
        "1000004\t20210504\tonly three".to_string(),
        gdelt_row("1000005", "2021-05-05", "UZB", "KAZ", "040", "1.0"),
        gdelt_row("1000006", "20220110", "UZB", "", "043", "2.8"),
    ]
    .join("\n")
        + "\n";
    let gdelt_csv = dir.path().join("20220110000000.export.CSV");
    std::fs::write(&gdelt_csv, &plain).unwrap();
    let zipped = dir.path().join("20220111000000.export.CSV.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
        z.start_file("20220111000000.export.CSV", zip::write::SimpleFileOptions::default()).unwrap();
        let rows = [
            gdelt_row("1000007", "20220111", "TKM", "AFG", "0710", "7.4"),
            gdelt_row("1000008", "20220111", "KAZ", "RUS", "061", "6.4"),
            gdelt_row("1000009", "20220111", "KAZ", "RUS", "XYZ", "6.4"),
        ]
        .join("\n");
        z.write_all(rows.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let out = hamkor().args(["import", "gdelt", "--db"]).arg(&db).arg(&gdelt_csv).arg(&zipped).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "malformed rows make the exit status 1");
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("20220110000000.export.CSV:4: expected 61 tab-separated columns, found 3"), "{said}");
    assert!(said.contains("20220110000000.export.CSV:5: Day \"2021-05-05\""), "{said}");
    assert!(said.contains("20220111000000.export.CSV.zip!20220111000000.export.CSV:3: EventCode \"XYZ\""), "{said}");
    assert!(said.contains("6 rows read, 5 about Central Asia (5 added, 0 already stored), 1 elsewhere left out, 3 malformed skipped"), "{said}");

    // ACLED.
    let acled = dir.path().join("acled.csv");
    let rows = [
        ACLED_HEADER.to_string(),
        acled_row("KGZ2001", "2021-04-29", "Battles", "Armed clash", "Military Forces of Kyrgyzstan (2021-)", "Military Forces of Tajikistan (1994-)", "417", "Kyrgyzstan", "Border guards exchanged fire near Kok-Tash, both sides reported casualties.", "12"),
        acled_row("TJK3001", "1 May 2021", "Strategic developments", "Agreement", "Government of Tajikistan (2020-)", "Government of Kyrgyzstan (2021-)", "762", "Tajikistan", "The two governments agreed a ceasefire.", "0"),
        acled_row("AFG9", "2021-05-02", "Protests", "Peaceful protest", "Protesters (Afghanistan)", "", "4", "Afghanistan", "A protest in Kabul.", "0"),
        acled_row("KGZ2002", "2021-02-30", "Riots", "Mob violence", "Rioters (Kyrgyzstan)", "", "417", "Kyrgyzstan", "A riot.", "0"),
        acled_row("KGZ2003", "2022-09-14", "Battles", "Armed clash", "Military Forces of Kyrgyzstan (2021-)", "Military Forces of Tajikistan (1994-)", "417", "Kyrgyzstan", "Fighting along the border.", "many"),
        acled_row("KGZ2004", "2022-09-16", "Explosions/Remote violence", "Shelling/artillery/missile attack", "Military Forces of Tajikistan (1994-)", "Civilians (Kyrgyzstan)", "417", "Kyrgyzstan", "Shelling of a village, with \"\"heavy\"\" damage.", "3"),
    ]
    .join("\r\n");
    std::fs::write(&acled, rows).unwrap();
    let out = hamkor().args(["import", "acled", "--db"]).arg(&db).arg(&acled).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("acled.csv:5: event_date \"2021-02-30\""), "{said}");
    assert!(said.contains("acled.csv:6: fatalities \"many\""), "{said}");
    assert!(said.contains("3 about Central Asia (3 added, 0 already stored), 1 elsewhere left out, 2 malformed skipped"), "{said}");

    let rows = imported(&db);
    let row = |source: &str, id: &str| rows.iter().find(|r| r.0 == source && r.1 == id).unwrap().clone();
    assert_eq!(rows.len(), 8);
    assert_eq!(row("gdelt", "1000001"), ("gdelt".into(), "1000001".into(), "2021-04-29".into(), "other".into(), r#"["KGZ","TJK"]"#.into(), Some(-10.0), None));
    assert_eq!(row("gdelt", "1000002").3, "agreement");
    assert_eq!(row("gdelt", "1000006").3, "meeting");
    assert_eq!(row("gdelt", "1000007").3, "aid");
    assert_eq!(row("gdelt", "1000008").3, "joint_activity");
    assert_eq!(row("gdelt", "1000007").4, r#"["AFG","TKM"]"#);
    assert_eq!(row("acled", "KGZ2001"), ("acled".into(), "KGZ2001".into(), "2021-04-29".into(), "other".into(), r#"["KGZ","TJK"]"#.into(), None, Some(12)));
    assert_eq!((row("acled", "TJK3001").2.as_str(), row("acled", "TJK3001").3.as_str()), ("2021-05-01", "agreement"));
    assert_eq!(row("acled", "KGZ2004").6, Some(3));

    let stats: serde_json::Value = serde_json::from_slice(&run(hamkor().args(["stats", "--json", "--db"]).arg(&db)).stdout).unwrap();
    assert_eq!(stats["imported"], serde_json::json!({"acled": 3, "gdelt": 5}));
    assert_eq!(stats["events"], 0, "imported events are not coded events");

    // A second import adds nothing.
    let out = hamkor().args(["import", "gdelt", "--db"]).arg(&db).arg(&gdelt_csv).arg(&zipped).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("(0 added, 5 already stored)"));
    let out = hamkor().args(["import", "acled", "--db"]).arg(&db).arg(&acled).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("(0 added, 3 already stored)"));
    assert_eq!(imported(&db), rows);
}
