//! `hamkor serve`, `hamkor token`, `hamkor review alpha` and `hamkor recode` after review,
//! through the real binary and a real socket.

mod server_support;

use server_support::*;

#[test]
fn a_token_is_printed_once_and_stored_only_as_a_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let t = token(&db, "Nodira");
    assert!(t.starts_with("hk_") && t.len() == 67, "{t}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let hashes: Vec<String> =
        conn.prepare("SELECT hash FROM api_tokens").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0], t);
    drop(conn);
    for f in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        assert!(!bytes.windows(t.len()).any(|w| w == t.as_bytes()), "the token is nowhere in the store's files");
    }
    let (_, list, _) = run(&["token", "list", "--db", db.to_str().unwrap()]);
    assert!(list.contains("Nodira") && list.contains("active") && !list.contains(&t), "{list}");
    let (code, _, err) = run(&["token", "create", "<script>", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["token", "revoke", "1", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (_, list, _) = run(&["token", "list", "--db", db.to_str().unwrap()]);
    assert!(list.contains("revoked"), "{list}");
}

#[test]
fn serve_starts_in_under_a_second_and_refuses_the_network_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let (code, _, err) = run(&["serve", "--db", db.to_str().unwrap(), "--addr", "0.0.0.0:0"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a loopback address") && err.contains("hamkor token create"), "{err}");
    let server = Server::start(&db);
    eprintln!("hamkor serve on the demo store listened after {:.0} ms", server.started_in.as_secs_f64() * 1000.0);
    assert!(server.started_in.as_secs_f64() < 1.0, "started in {:?}", server.started_in);
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("Cooperation in Central Asia"));
    let (status, body) = server.get("/api/stats");
    assert_eq!(status, 200);
    let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(stats["events"].as_u64().unwrap() > 100, "{stats}");
}

#[test]
fn ingest_through_the_api_needs_a_token_and_codes_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let t = token(&db, "Pipeline");
    let server = Server::start(&db);
    let line = r#"{"id":"api-1","text":"Uzbekistan and Kyrgyzstan signed an agreement on water management in Bishkek on 12 March 2024.","lang":"en"}"#;
    let (status, _) = http(&server.url, "POST", "/api/documents", &[("Content-Type", "application/x-ndjson")], line);
    assert_eq!(status, 401);
    let auth = format!("Bearer {t}");
    let (status, body) =
        http(&server.url, "POST", "/api/documents", &[("Content-Type", "application/x-ndjson"), ("Authorization", &auth)], line);
    assert_eq!(status, 200, "{body}");
    let r: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(r["documents_new"], 1, "{r}");
    assert!(r["events"].as_u64().unwrap() >= 1, "{r}");
    let (_, body) = server.get("/api/search?q=Bishkek");
    assert!(body.contains("water management"), "{body}");
}

#[test]
fn recode_keeps_what_reviewers_decided_and_alpha_reports_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let (a, b) = (token(&db, "Reviewer A"), token(&db, "Reviewer B"));
    let server = Server::start(&db);
    let (_, queue) = server.get("/api/review/queue?per_page=3");
    let queue: serde_json::Value = serde_json::from_str(&queue).unwrap();
    let ids: Vec<i64> = queue["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let post = |path: &str, tok: &str, body: serde_json::Value| {
        let auth = format!("Bearer {tok}");
        http(&server.url, "POST", path, &[("Content-Type", "application/json"), ("Authorization", &auth)], &body.to_string())
    };
    let (s, body) = post(&format!("/api/review/events/{}/edit", ids[0]), &a, serde_json::json!({"type": "aid", "domains": ["health"]}));
    assert_eq!(s, 200, "{body}");
    let (s, _) = post(&format!("/api/review/events/{}/reject", ids[1]), &a, serde_json::json!({"reason": "no event"}));
    assert_eq!(s, 200);
    let (s, _) = post(&format!("/api/review/events/{}/accept", ids[2]), &b, serde_json::json!({}));
    assert_eq!(s, 200);
    // Two reviewers code the same units of one document.
    let (_, doc) = server.get("/api/documents/1");
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    for (tok, ty) in [(&a, "meeting"), (&b, "agreement")] {
        for e in doc["events"].as_array().unwrap() {
            let unit = serde_json::json!({
                "document_id": 1, "evidence_start": e["evidence"]["start"], "evidence_end": e["evidence"]["end"],
                "type": ty, "actors": e["actors"], "domains": e["domains"], "date": e["date"]
            });
            let (s, body) = post("/api/review/codings", tok, unit);
            assert_eq!(s, 201, "{body}");
        }
    }
    drop(server);
    let (code, out, err) = run(&["review", "alpha", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 reviewers (Reviewer A, Reviewer B)") && out.contains("type") && out.contains("disagreements"), "{out}");
    let (_, json, _) = run(&["review", "alpha", "--json", "--db", db.to_str().unwrap()]);
    let rep: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rep["fields"][1]["field"], "actors");
    let actors = &rep["fields"][1]["alpha"];
    assert!(actors.is_null() || actors.as_f64() == Some(1.0), "both gave the same actors: {actors}");
    assert!(rep["fields"][0]["alpha"].as_f64().unwrap() <= 0.0, "they never agreed on the type: {}", rep["fields"][0]);

    // A new lexicon version: every document is re-coded; the decisions stay.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE documents SET coded_with = 'an-older-lexicon'", []).unwrap();
    let row = |id: i64| -> Option<(String, String, i64)> {
        conn.query_row("SELECT type, domains, reviewed FROM events WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .ok()
    };
    let (code, _, err) = run(&["recode", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("re-coded"), "{err}");
    assert_eq!(row(ids[0]), Some(("aid".into(), "[\"health\"]".into(), 1)), "the edit survives the re-code");
    assert_eq!(row(ids[1]), None, "the rejected event is not back");
    assert_eq!(row(ids[2]).map(|r| r.2), Some(1), "the accepted event survives");
    let rejected: (i64, i64, i64) = conn
        .query_row(
            "SELECT r.document_id, r.evidence_start, r.evidence_end FROM reviewed_reports r WHERE r.decision = 'rejected'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mtype: String = conn.query_row("SELECT machine_type FROM reviewed_reports WHERE decision = 'rejected'", [], |r| r.get(0)).unwrap();
    let back: i64 = conn
        .query_row(
            "SELECT count(*) FROM events WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND type = ?4",
            rusqlite::params![rejected.0, rejected.1, rejected.2, mtype],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(back, 0, "the machine did not code the rejected report again");
}

/// Reads never write: after an ingest through the API (which links its reports into canonical
/// events as part of the write), every GET route of the dashboard and the API is walked, and the
/// store holds exactly what it held before, row for row.
#[test]
fn the_api_ingest_links_its_reports_and_no_read_changes_the_store() {
    use hamkor_store::{SearchQuery, SqliteStore, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let t = token(&db, "Pipeline");
    let server = Server::start(&db);
    let auth = format!("Bearer {t}");
    let line = r#"{"id":"api-walk","text":"Uzbekistan and Kyrgyzstan signed an agreement on water management in Bishkek on 12 March 2024. The two presidents met in Bishkek on 12 March 2024.","lang":"en"}"#;
    let (status, body) =
        http(&server.url, "POST", "/api/documents", &[("Content-Type", "application/x-ndjson"), ("Authorization", &auth)], line);
    assert_eq!(status, 200, "{body}");
    let r: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(r["documents_new"], 1, "{r}");
    assert!(r["events"].as_u64().unwrap() >= 1, "{r}");

    let store = SqliteStore::open_reader(&db).unwrap();
    let hit = store.search(&SearchQuery { text: "Bishkek".into(), limit: 5, lang: None }).unwrap();
    let doc = store.find_document(&hit[0].id.to_string()).unwrap().expect("the ingested document");
    assert!(!doc.events.is_empty());
    for e in &doc.events {
        assert!(store.canonical_of(e.id).unwrap().is_some(), "event {} of the API's ingest is linked", e.id);
    }
    let status = store.registry_status().unwrap();
    assert!(status.reports > 0);
    let before = store.dump().unwrap();

    let event = doc.events[0].id;
    let canonical = store.canonical_of(event).unwrap().unwrap();
    let agreement = hamkor_app::registry(&store).unwrap().agreements[0].id.clone();
    let mut walked = 0;
    for route in hamkor_server::routes::routes() {
        if route.method != "GET" {
            continue;
        }
        let path = route
            .path
            .replace("{id}", &if route.path.contains("documents") {
                doc.id.to_string()
            } else if route.path.contains("agreements") {
                agreement.clone()
            } else if route.path.contains("canonical") {
                canonical.to_string()
            } else {
                event.to_string()
            })
            .replace("{pair}", "KGZ-UZB")
            .replace("{document}", &doc.id.to_string())
            .replace("{file}", "style.css");
        let mut uris = vec![path.clone()];
        match route.path {
            "/api/search" | "/search" => uris = vec![format!("{path}?q=Bishkek")],
            "/events" | "/api/events" => uris.push(format!("{path}?actor=UZB&type=agreement&from=2024")),
            "/api/panels" => uris.push(format!("{path}?by=dyad,domain,year")),
            _ => {}
        }
        for uri in uris {
            let (status, body) = server.get(&uri);
            assert!(status < 500, "GET {uri}: {status} {body}");
            walked += 1;
        }
    }
    assert!(walked >= 25, "{walked} reads");
    let after = SqliteStore::open_reader(&db).unwrap().dump().unwrap();
    if before != after {
        let diff: Vec<_> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).take(5).collect();
        panic!("{walked} reads changed the store: {diff:#?}");
    }
}

/// Every number a chart's table shows links to exactly the events it counts: on the demo store,
/// each heatmap cell, each pair row of the overview and each timeline bar is followed to its
/// page, which must list as many canonical events as the number said.
#[test]
fn every_count_links_to_exactly_the_events_it_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let server = Server::start(&db);
    let mut checked = 0;
    for page in [
        "/heatmap",
        "/",
        "/timeline",
        "/dyads/KAZ-UZB",
        "/dyads/KGZ-TJK",
        "/network",
        "/agreements",
        "/heatmap?from=2020&type=agreement",
        "/network?domain=water",
    ] {
        let (status, body) = server.get(page);
        assert_eq!(status, 200, "{page}");
        let mut found = 0;
        for piece in body.split("<a class=\"count\" href=\"").skip(1) {
            let (href, rest) = piece.split_once('"').unwrap();
            let href = href.replace("&amp;", "&");
            let n: usize = rest.split_once('>').unwrap().1.split('<').next().unwrap().trim().parse().unwrap();
            let (status, list) = server.get(&href);
            assert_eq!(status, 200, "{href}: {list}");
            let rows = list.matches("<tr class=\"happening\">").count();
            assert_eq!(rows, n, "{page}: the number {n} links to {href}, which lists {rows} events");
            found += 1;
        }
        assert!(found > 0 || page.contains('?'), "{page} shows numbers with links");
        checked += found;
    }
    eprintln!("{checked} numbers on the heatmap, overview, timeline, network, agreements and pair pages each list exactly their events");
    assert!(checked >= 20, "{checked}");
}

/// The value of a query parameter in an href of a page (`&amp;` as HTML writes it).
fn param(href: &str, name: &str) -> Option<String> {
    let q = href.replace("&amp;", "&");
    let (_, q) = q.split_once('?')?;
    // Pair and domain keys need no decoding but the comma.
    q.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')).map(|v| v.replace("%2C", ","))
}

/// The report's event lists: anchor id → (label, number of events).
fn report_lists(html: &str) -> std::collections::BTreeMap<String, (String, usize)> {
    let mut out = std::collections::BTreeMap::new();
    for piece in html.split("<li id=\"list-").skip(1) {
        let (id, rest) = piece.split_once('"').unwrap();
        let li = rest.split("</li>").next().unwrap();
        let label = li.split("<span class=\"key\">").nth(1).and_then(|k| k.split("</span>").next()).unwrap_or("");
        out.insert(format!("list-{id}"), (label.replace("&amp;", "&"), li.matches("class=\"ev\"").count()));
    }
    out
}

/// The report and the dashboard draw from the same figures (`hamkor_analysis::figures`): on the
/// demo store, every number of the report's heatmap, timeline, map and network is the size of
/// the event list it links to; the report's events per pair and domain (figure 1) are the
/// numbers of each pair's page, and its events per pair (figure 4) the overview's; and no group
/// is shown as a pair with one of its own members.
#[test]
fn the_report_and_the_dashboard_show_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let out = dir.path().join("report.html");
    let (code, _, err) = run(&["report", "--db", db.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    let lists = report_lists(&html);

    // The report's own walk: each linked mark's number is its list's length.
    let mut walked = 0;
    for piece in html.split("<a href=\"#list-fig-").skip(1) {
        let (rest, body) = piece.split_once('"').unwrap();
        let id = format!("list-fig-{rest}");
        if id.starts_with("list-fig-follow") {
            continue; // shares of agreements, not counts of events
        }
        let body = body.split("</a>").next().unwrap();
        let title = body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap();
        let n: usize = title.rsplit(": ").next().unwrap().trim().parse().unwrap_or_else(|_| panic!("{title}"));
        let (_, listed) = lists.get(&id).unwrap_or_else(|| panic!("{id} is linked but no list has that id"));
        assert_eq!(*listed, n, "the report's mark {title:?} links to {id}, which lists {listed} events");
        walked += 1;
    }
    assert!(walked >= 20, "{walked}");

    // Figure 1 per pair and domain, and figure 4 per pair.
    let mut by_pair: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>> = Default::default();
    let mut per_pair: std::collections::BTreeMap<String, usize> = Default::default();
    for (id, (label, n)) in &lists {
        if id.starts_with("list-fig-heatmap-") {
            let (pair, domain) = label.split_once(" · ").unwrap();
            by_pair.entry(pair.to_string()).or_default().insert(domain.to_string(), *n);
        } else if id.starts_with("list-fig-map-") {
            per_pair.insert(label.clone(), *n);
        }
    }
    assert!(by_pair.len() >= 5, "{by_pair:?}");
    for pair in by_pair.keys().chain(per_pair.keys()) {
        let (a, b) = pair.split_once('-').unwrap();
        for (group, member) in [(a, b), (b, a)] {
            let (g, m) = (hamkor_model::ActorCode::new(group).unwrap(), hamkor_model::ActorCode::new(member).unwrap());
            assert!(!hamkor_model::groups::is_member(&g, &m), "the report shows {pair}: a group with its own member");
        }
    }
    let server = Server::start(&db);
    let mut compared = 0;
    for (pair, domains) in &by_pair {
        let (status, page) = server.get(&format!("/dyads/{pair}"));
        assert_eq!(status, 200, "{pair}");
        let table = page.split("id=\"by-domain\"").nth(1).unwrap().split("</table>").next().unwrap();
        let mut shown = std::collections::BTreeMap::new();
        for piece in table.split("<a class=\"count\" href=\"").skip(1) {
            let (href, rest) = piece.split_once('"').unwrap();
            let n: usize = rest.split_once('>').unwrap().1.split('<').next().unwrap().trim().parse().unwrap();
            shown.insert(param(href, "key").unwrap(), n);
        }
        assert_eq!(&shown, domains, "{pair}: the report's figure 1 and the pair's page");
        compared += domains.len();
    }
    let (_, overview) = server.get("/");
    let table = overview.split("id=\"dyads\"").nth(1).unwrap().split("</table>").next().unwrap();
    let mut shown = std::collections::BTreeMap::new();
    for piece in table.split("<a class=\"count\" href=\"").skip(1) {
        let (href, rest) = piece.split_once('"').unwrap();
        let n: usize = rest.split_once('>').unwrap().1.split('<').next().unwrap().trim().parse().unwrap();
        shown.insert(param(href, "key").unwrap(), n);
    }
    assert_eq!(shown, per_pair, "the report's figure 4 and the overview's pairs");
    assert!(!shown.keys().any(|k| k.contains("CAS")), "{shown:?}");
    eprintln!(
        "{walked} marks of the report list exactly their events; {compared} pair × domain numbers and {} pairs agree with the dashboard",
        per_pair.len()
    );
}
