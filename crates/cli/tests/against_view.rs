//! Cooperation against conflict: `hamkor stats panel --source acled|gdelt|coded`, the report's
//! figure and the pair page of the dashboard, on a store with coded Kyrgyzstan–Tajikistan events
//! and GDELT and ACLED rows written here. Every count links to exactly the rows it counts.

mod server_support;

use server_support::*;
use std::path::Path;

fn gdelt_row(id: &str, day: &str, a1: &str, a2: &str, code: &str, goldstein: &str) -> String {
    let mut f = vec![String::new(); 61];
    f[0] = id.into();
    f[1] = day.into();
    f[7] = a1.into();
    f[17] = a2.into();
    f[26] = code.into();
    f[28] = code[..2].into();
    f[30] = goldstein.into();
    f[60] = format!("https://news.example.org/{id}");
    f.join("\t")
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,iso,country,location,notes,fatalities";

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn store(dir: &Path) -> String {
    let db = dir.join("s.db");
    let d = db.to_str().unwrap().to_string();
    let texts = dir.join("texts.jsonl");
    let lines = [
        serde_json::json!({"id": "c1", "lang": "en", "date": "2021-06-10", "text": "Kyrgyzstan and Tajikistan signed an agreement on the border in Bishkek on 10 June 2021."}),
        serde_json::json!({"id": "c2", "lang": "en", "date": "2022-11-02", "text": "The presidents of Kyrgyzstan and Tajikistan held talks in Dushanbe on 2 November 2022."}),
        // A second report of the same talks: one canonical event, two reports.
        serde_json::json!({"id": "c3", "lang": "en", "date": "2022-11-03", "text": "On 2 November 2022 the presidents of Tajikistan and Kyrgyzstan held talks in Dushanbe."}),
    ];
    std::fs::write(&texts, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    ok(&["ingest", texts.to_str().unwrap(), "--db", &d]);
    let gdelt = dir.join("g.CSV");
    let rows = [
        gdelt_row("501", "20210429", "KGZ", "TJK", "190", "-10"),
        gdelt_row("502", "20210430", "TJK", "KGZ", "1823", "-9"),
        gdelt_row("503", "20220916", "KGZ", "TJK", "190", "-10"),
        gdelt_row("504", "20220920", "UZB", "KAZ", "040", "1"),
    ];
    std::fs::write(&gdelt, rows.join("\n")).unwrap();
    ok(&["import", "gdelt", gdelt.to_str().unwrap(), "--db", &d]);
    let acled = dir.join("a.csv");
    let rows = [
        ACLED_HEADER,
        "KGZ1,2021-04-29,2021,Battles,Armed clash,Military Forces of Kyrgyzstan (2021-),Military Forces of Tajikistan (1994-),417,Kyrgyzstan,Kok-Tash,Fire across the border.,5",
        "KGZ2,2022-09-14,2022,Battles,Armed clash,Military Forces of Kyrgyzstan (2021-),Military Forces of Tajikistan (1994-),417,Kyrgyzstan,Batken,Fighting along the border.,24",
        "KGZ3,2022-09-15,2022,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Tajikistan (1994-),Civilians (Kyrgyzstan),417,Kyrgyzstan,Batken,Shelling of a village.,3",
    ];
    std::fs::write(&acled, rows.join("\n")).unwrap();
    ok(&["import", "acled", acled.to_str().unwrap(), "--db", &d]);
    d
}

#[test]
fn panels_report_and_pair_page_set_cooperation_against_imported_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());

    // The panel of each source.
    let acled: serde_json::Value =
        serde_json::from_str(&ok(&["stats", "panel", "--source", "acled", "--by", "dyad,year", "--format", "json", "--db", &db])).unwrap();
    let rows = acled["rows"].as_array().unwrap();
    let kt = |y: &str| rows.iter().find(|r| r["dyad"] == "KGZ-TJK" && r["year"] == y).unwrap().clone();
    assert_eq!((kt("2021")["count"].as_u64(), kt("2021")["fatalities"].as_i64()), (Some(1), Some(5)));
    assert_eq!((kt("2022")["count"].as_u64(), kt("2022")["fatalities"].as_i64()), (Some(2), Some(27)));
    let gdelt = ok(&["stats", "panel", "--source", "gdelt", "--by", "dyad,year", "--pair", "KGZ,TJK", "--format", "csv", "--db", &db]);
    assert_eq!(gdelt.lines().next().unwrap(), "dyad,year,count,fatalities,goldstein");
    assert!(gdelt.contains("KGZ-TJK,2021,2,0,-9.5") && gdelt.contains("KGZ-TJK,2022,1,0,-10"), "{gdelt}");
    assert!(!gdelt.contains("KAZ-UZB"), "the pair filter applies");
    let coded = ok(&["stats", "panel", "--source", "coded", "--by", "dyad,year", "--format", "csv", "--db", &db]);
    assert!(coded.contains("KGZ-TJK,2021,1") && coded.contains("KGZ-TJK,2022,1"), "{coded}");

    // The report's figure: every link resolves to an anchor of the report.
    let report = dir.path().join("r.html");
    ok(&["report", "-o", report.to_str().unwrap(), "--db", &db]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("Cooperation against conflict") && html.contains("id=\"fig-against-1\""), "figure 6 is there");
    for href in html.split("href=\"#").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
        assert!(html.contains(&format!("id=\"{href}\"")), "#{href} resolves");
    }
    let acled_2022 = html.split("id=\"list-imp-fig-against-1-kgz-tjk---acled---2022\"").nth(1).expect("the ACLED 2022 list");
    let acled_2022 = &acled_2022[..acled_2022.find("</li>").unwrap()];
    assert_eq!(acled_2022.matches("href=\"#imp-").count(), 2, "two ACLED events in 2022: {acled_2022}");

    // The pair page of the dashboard: counts link to lists of exactly those rows.
    let server = Server::start(Path::new(&db));
    let (status, page) = server.get("/dyads/KGZ-TJK");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"against-table\""), "the pair view is on the pair page");
    let table = &page[page.find("id=\"against-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let mut checked = 0;
    let mut coded_years = std::collections::BTreeMap::new();
    for cell in table.split("href=\"").skip(1) {
        let href = cell[..cell.find('"').unwrap()].replace("&amp;", "&");
        let shown: usize = cell[cell.find('>').unwrap() + 1..cell.find("</a>").unwrap()].parse().unwrap();
        let (status, list) = server.get(&href);
        assert_eq!(status, 200, "{href}");
        let listed = if href.starts_with("/imported") {
            list.matches("<tr id=\"imported-").count()
        } else {
            // The pair's canonical events of the year, as the report's figure counts them.
            assert!(href.starts_with("/happenings?") && href.contains("dims=period"), "{href}");
            let year = href.split("key=").nth(1).unwrap()[..4].to_string();
            coded_years.insert(year, shown);
            list.matches("<tr class=\"happening\">").count()
        };
        assert_eq!(listed, shown, "{href} lists what its count says");
        checked += 1;
    }
    assert_eq!(checked, 2 + 2 + 2, "coded 2021 and 2022, GDELT 2021 and 2022, ACLED 2021 and 2022");

    // The report's figure 6 counts the pair's coded cooperation as the pair page does.
    let mut report_years = std::collections::BTreeMap::new();
    for piece in html.split("<li id=\"list-fig-against-1-kgz-tjk---coded-cooperation---").skip(1) {
        let year = piece[..4].to_string();
        let li = &piece[..piece.find("</li>").unwrap()];
        report_years.insert(year, li.matches("class=\"ev\"").count());
    }
    assert_eq!(report_years, coded_years, "figure 6 of the report and the pair page");
    // Canonical events, not reports: the talks of 2022 were reported twice and count once.
    let events = ok(&["events", "--pair", "KGZ,TJK", "--from", "2022", "--to", "2022", "--format", "jsonl", "--db", &db]);
    assert_eq!(events.lines().count(), 2, "two reports of the 2022 talks: {events}");
    assert_eq!(coded_years.get("2022"), Some(&1), "{coded_years:?}");
}
