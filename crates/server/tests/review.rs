//! The review workflow through the API and the store: decisions with their audit rows, stale
//! forms refused, a re-code that keeps every human decision, and the pages that show them.

mod support;

use axum::http::StatusCode;
use hamkor_model::{ActorCode, Domain, Event, EventType, Span};
use hamkor_store::{AuditQuery, Store, WriteOp};
use serde_json::json;
use support::*;

#[tokio::test]
async fn the_queue_is_lowest_confidence_first() {
    let f = fixture();
    let r = get(&f.app(), "/api/review/queue").await.json();
    let conf: Vec<f64> = r["items"].as_array().unwrap().iter().map(|e| e["confidence"].as_f64().unwrap()).collect();
    assert_eq!(conf.len(), 4);
    assert!(conf.windows(2).all(|w| w[0] <= w[1]), "{conf:?}");
    let page = get(&f.app(), "/api/review/queue?per_page=1&page=2").await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["has_more"], true);
}

#[tokio::test]
async fn accept_edit_and_reject_are_audited_with_before_and_after() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Malika");
    let ids = f.event_ids();
    let (a, b, c) = (ids[0], ids[1], ids[2]);

    let r = post_json(&app, &format!("/api/review/events/{a}/accept"), Some(&token), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let before = get(&app, &format!("/api/events/{b}")).await.json();
    let rev = before["revision"].as_i64().unwrap();
    let edit = json!({"type": "meeting", "actors": ["UZB", "KAZ", "TJK"], "domains": ["water", "health"], "date": "2023-06", "reason": "three parties", "revision": rev});
    let r = post_json(&app, &format!("/api/review/events/{b}/edit"), Some(&token), edit.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let audit = &r.json()["audit"];
    assert_eq!(audit["action"], "edit");
    assert_eq!(audit["actor"], "Malika");
    assert_eq!(audit["reason"], "three parties");
    assert_eq!(audit["before"]["type"], before["event"]["type"]);
    assert_eq!(audit["after"]["type"], "meeting");
    assert_eq!(audit["after"]["actors"], json!(["KAZ", "TJK", "UZB"]));
    assert_eq!(audit["after"]["domains"], json!(["health", "water"]));
    assert_eq!(audit["after"]["date"], "2023-06");
    // The same form again (its revision is now stale) is refused, not applied twice.
    let r = post_json(&app, &format!("/api/review/events/{b}/edit"), Some(&token), edit).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "conflict");
    // The edit is what every reader sees.
    let after = get(&app, &format!("/api/events/{b}")).await.json();
    assert_eq!(after["reviewed"], true);
    assert_eq!(after["event"]["type"], "meeting");
    assert_eq!(after["history"].as_array().unwrap().len(), 1);
    let listed = get(&app, "/api/events?actor=KAZ,TJK&type=meeting&from=2023-06&to=2023-06").await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "the CLI's filters see the corrected event");

    let r = post_json(&app, &format!("/api/review/events/{c}/reject"), Some(&token), json!({"reason": "not cooperation"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(get(&app, &format!("/api/events/{c}")).await.status, StatusCode::NOT_FOUND);
    let r = post_json(&app, &format!("/api/review/events/{c}/accept"), Some(&token), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let queue = get(&app, "/api/review/queue").await.json();
    let queued: Vec<i64> = queue["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(queued, vec![ids[3]], "decided events leave the queue");

    let log = get(&app, "/api/review/audit").await.json();
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["reject", "edit", "accept", "token_create"], "newest first");
    let reject = &log["items"][0];
    assert_eq!(reject["reason"], "not cooperation");
    assert_eq!(reject["object"], format!("event:{c}"));
    assert!(reject["before"]["evidence"].is_array(), "a rejected event's evidence stays in the log");
    // The log is append-only, whoever asks.
    let conn = rusqlite::Connection::open(&f.db).unwrap();
    assert!(conn.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}

fn machine(t: EventType, actors: &[&str], span: (usize, usize)) -> Event {
    Event {
        event_type: t,
        actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
        domains: vec![Domain::Water],
        date: None,
        evidence: Span::new(span.0, span.1),
        confidence: 0.5,
        cues: vec![],
        lexicon: "test-2".into(),
    }
}

#[tokio::test]
async fn a_recode_never_overwrites_a_human_decision() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Timur");
    // Document 1 has two machine events: an agreement (sentence 1) and a meeting (sentence 2).
    let doc = f.store().find_document("1").unwrap().unwrap();
    let (agreement, meeting) = (&doc.events[0], &doc.events[1]);
    let r = post_json(&app, &format!("/api/review/events/{}/edit", agreement.id), Some(&token), json!({"domains": ["water", "health"]})).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = post_json(&app, &format!("/api/review/events/{}/reject", meeting.id), Some(&token), json!({"reason": "a visit, not a meeting of the sides"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let s1 = (agreement.evidence_start, agreement.evidence_end);
    let s2 = (meeting.evidence_start, meeting.evidence_end);
    // A new lexicon codes the document again: the same two reports, and one new one.
    let recoded = vec![
        machine(EventType::Agreement, &["TJK", "UZB"], s1),
        machine(EventType::Meeting, &["TJK", "UZB"], s2),
        machine(EventType::Aid, &["TJK", "UZB"], s1),
    ];
    let mut store = f.store();
    let applied = store.apply(&[WriteOp::Recoded { document_id: 1, events: recoded, lexicon: "test-2".into() }]).unwrap();
    assert_eq!(applied.recoded, 1);
    let doc = store.find_document("1").unwrap().unwrap();
    let kinds: Vec<(&str, bool)> = doc
        .events
        .iter()
        .map(|e| (e.event_type.as_str(), store.is_reviewed(e.id).unwrap().unwrap()))
        .collect();
    assert_eq!(kinds, vec![("agreement", true), ("aid", false)], "the edited event stays, the rejected one stays gone, the new one comes");
    let kept = doc.events.iter().find(|e| e.event_type == "agreement").unwrap();
    assert_eq!(kept.id, agreement.id, "the reviewed event keeps its id");
    assert_eq!(kept.domains, vec!["health", "water"], "and the reviewer's values");
    // Again: nothing changes the second time.
    let again = vec![machine(EventType::Agreement, &["TJK", "UZB"], s1), machine(EventType::Meeting, &["TJK", "UZB"], s2)];
    store.apply(&[WriteOp::Recoded { document_id: 1, events: again, lexicon: "test-3".into() }]).unwrap();
    let doc = store.find_document("1").unwrap().unwrap();
    assert_eq!(doc.events.len(), 1);
    assert_eq!(doc.events[0].id, agreement.id);
    let n = store.audit_log(&AuditQuery { limit: 100, ..Default::default() }).unwrap().len();
    assert_eq!(n, 3, "a re-code writes nothing to the audit log: it is not a person");
}

#[tokio::test]
async fn pages_show_evidence_links_and_the_reader_s_language() {
    let f = fixture();
    let app = f.app();
    let id = f.event_ids()[0];
    let page = get(&app, &format!("/events/{id}")).await;
    assert!(page.body.contains("mark class=\"evidence target\""), "the evidence is highlighted");
    assert!(page.body.contains("Uzbekistan and Tajikistan signed an agreement on water in Dushanbe."));
    assert!(page.body.contains(&format!("/documents/1#ev-{id}")));
    let doc = get(&app, "/documents/1").await;
    assert!(doc.body.contains(&format!("id=\"ev-{id}\"")), "anchors in the document");
    // The overview links each pair to its page, the pair page its domains to their events.
    let overview = get(&app, "/").await;
    assert!(overview.body.contains("href=\"/dyads/TJK-UZB\""), "{}", overview.body);
    assert!(overview.body.contains("<svg"), "the map is drawn");
    let dyad = get(&app, "/dyads/TJK-UZB").await;
    assert!(dyad.body.contains("href=\"/events?pair=TJK%2CUZB&amp;domain=water\""), "{}", dyad.body);
    let heat = get(&app, "/heatmap").await;
    assert!(
        heat.body.contains("/happenings?dims=dyad%2Cdomain&amp;key=KAZ-UZB%2Ceducation"),
        "every cell links to the events it counts: {}",
        heat.body
    );
    let cell = get(&app, "/happenings?dims=dyad%2Cdomain&key=KAZ-UZB%2Ceducation").await;
    assert_eq!(cell.body.matches("<tr class=\"happening\">").count(), 1, "{}", cell.body);
    let events = get(&app, "/events?pair=TJK,UZB&domain=water").await;
    assert!(events.body.contains(&format!("href=\"/events/{id}\"")));
    // Languages: Accept-Language, then ?lang= (remembered), each in its own words.
    let ru = get_with(&app, "/", &[("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")]).await;
    assert!(ru.body.contains("Сотрудничество в Центральной Азии") && ru.body.contains("lang=\"ru\""));
    let uz = get(&app, "/?lang=uz").await;
    assert!(uz.body.contains("Markaziy Osiyodagi hamkorlik"));
    assert_eq!(set_cookie(&uz, "hamkor_lang").as_deref(), Some("uz"));
    let uz_again = get_with(&app, "/heatmap", &[("cookie", "hamkor_lang=uz")]).await;
    assert!(uz_again.body.contains("Juftliklar × sohalar"));
    // Search finds across scripts and marks the match.
    let found = get(&app, "/search?q=%D1%81%D0%BE%D0%B3%D0%BB%D0%B0%D1%88%D0%B5%D0%BD%D0%B8%D0%B5").await;
    assert!(found.body.contains("<mark>"), "{}", found.body);
    let api = get(&app, "/api/search?q=hamkorlik").await.json();
    assert_eq!(api["items"][0]["id"], 3);
}

#[tokio::test]
async fn independent_codings_give_alpha_and_disagreements() {
    let f = fixture();
    let app = f.app();
    let (a, b) = (f.token("Coder A"), f.token("Coder B"));
    let doc = f.store().find_document("1").unwrap().unwrap();
    let units: Vec<(usize, usize)> = doc.events.iter().map(|e| (e.evidence_start, e.evidence_end)).collect();
    for (tok, types) in [(&a, ["agreement", "meeting"]), (&b, ["agreement", "none"])] {
        for (u, t) in units.iter().zip(types) {
            let body = json!({"document_id": 1, "evidence_start": u.0, "evidence_end": u.1, "type": t, "actors": ["UZB", "TJK"], "domains": ["water"], "date": "2023"});
            let r = post_json(&app, "/api/review/codings", Some(tok), body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    }
    // A span that is not in the text is refused.
    let bad = json!({"document_id": 1, "evidence_start": 5, "evidence_end": 100000, "type": "aid"});
    assert_eq!(post_json(&app, "/api/review/codings", Some(&a), bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rep = get(&app, "/api/review/agreement").await.json();
    assert_eq!(rep["reviewers"], json!(["Coder A", "Coder B"]));
    assert_eq!(rep["units_shared"], 2);
    let type_alpha = rep["fields"][0]["alpha"].as_f64().unwrap();
    // Units (agreement, agreement) and (meeting, none): n = 4, D_o = 2, Σ n_c n_k (c≠k) = 16 - 6 = 10.
    assert!((type_alpha - (1.0 - 3.0 * 2.0 / 10.0)).abs() < 1e-12, "{type_alpha}");
    let dis = rep["disagreements"].as_array().unwrap();
    assert_eq!(dis.len(), 1);
    assert_eq!(dis[0]["field"], "type");
    let page = get(&app, "/review/agreement").await;
    assert!(page.body.contains("0.400"), "the page shows alpha");
    // Coding is blind: B's page does not show A's values.
    let page = get_with(&app, "/review/code/1", &[("authorization", &format!("Bearer {b}"))]).await;
    assert!(page.body.contains("value=\"none\" selected"), "B sees B's own coding");
}

#[tokio::test]
async fn merge_and_split_go_through_the_registry_and_the_audit_log() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Farrukh");
    let ids = f.event_ids();
    let store = f.store();
    let c0 = store.canonical_of(ids[0]).unwrap().unwrap();
    let c2 = store.canonical_of(ids[2]).unwrap().unwrap();
    // Two agreements (document 1's and document 2's) become one event, then two again.
    let r = post_json(&app, "/api/review/merge", Some(&token), json!({"event_id": ids[2], "canonical": c0, "reason": "the same signing"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["canonical"], c0);
    assert_eq!(f.store().canonical_of(ids[2]).unwrap(), Some(c0));
    let canon = get(&app, &format!("/api/canonical-events/{c0}")).await.json();
    assert_eq!(canon["reports"].as_array().unwrap().len(), 2, "{canon}");
    // The event page shows both reports with their evidence.
    let page = get(&app, &format!("/events/{}", ids[0])).await;
    assert_eq!(page.body.matches("<article class=\"report\"").count(), 2);
    let r = post_json(&app, "/api/review/split", Some(&token), json!({"event_id": ids[2], "reason": "two signings after all"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(f.store().canonical_of(ids[2]).unwrap(), Some(c0));
    // A meeting never joins an agreement.
    let c2_now = f.store().canonical_of(ids[2]).unwrap().unwrap();
    let r = post_json(&app, "/api/review/merge", Some(&token), json!({"event_id": ids[1], "canonical": c2_now, "reason": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let log = f.store().audit_log(&AuditQuery { limit: 10, ..Default::default() }).unwrap();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(&actions[..2], &["split", "merge"]);
    assert_eq!(log[1].before.as_ref().unwrap()["canonical"], json!(c2));
    assert_eq!(log[1].after.as_ref().unwrap()["canonical"], json!(c0));
    assert_eq!(log[1].reason.as_deref(), Some("the same signing"));
}
