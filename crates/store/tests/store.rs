//! The SQLite store through the `Store` seam: atomic writes, deduplication, recoding, queries.

use hamkor_model::{ActorCode, Domain, Event, EventType, Span};
use hamkor_store::{EventFilter, NewDocument, SearchQuery, Source, SqliteStore, Store, WriteOp};

fn event(t: EventType, actors: &[&str], domain: Domain, date: Option<&str>, span: (usize, usize)) -> Event {
    Event {
        event_type: t,
        actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
        domains: vec![domain],
        date: date.map(|d| d.parse().unwrap()),
        evidence: Span::new(span.0, span.1),
        confidence: 0.9,
        cues: vec![],
        lexicon: String::new(),
    }
}

fn doc(hash: &str, text: &str, location: &str, events: Vec<Event>) -> WriteOp {
    WriteOp::Document(Box::new(NewDocument {
        content_hash: hash.into(),
        title: Some(format!("title {hash}")),
        published: Some("2023-05".parse().unwrap()),
        lang: "en".into(),
        script: "Latn".into(),
        format: "txt".into(),
        text: text.into(),
        source: Source { location: location.into(), external_id: None },
        events,
        lexicon: "lex-1".into(),
    }))
}

fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

const TEXT: &str = "Uzbekistan and Tajikistan signed a water agreement in Dushanbe.";

#[test]
fn same_content_twice_is_one_document_with_two_sources() {
    let (_d, mut s) = open();
    let ev = vec![event(EventType::Agreement, &["TJK", "UZB"], Domain::Water, Some("2023-05-04"), (0, 63))];
    let a = s.apply(&[doc("aaaa01", TEXT, "/x/a.txt", ev.clone())]).unwrap();
    assert_eq!((a.documents_added, a.events_added, a.sources_added), (1, 1, 1));
    let b = s.apply(&[doc("aaaa01", TEXT, "/x/b.txt", ev)]).unwrap();
    assert_eq!((b.documents_added, b.documents_known, b.events_added, b.sources_added), (0, 1, 0, 1));
    // The same path again adds nothing at all.
    let c = s
        .apply(&[WriteOp::Source {
            content_hash: "aaaa01".into(),
            source: Source { location: "/x/b.txt".into(), external_id: None },
        }])
        .unwrap();
    assert_eq!(c.sources_added, 0);
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.events, st.sources), (1, 1, 2));
    let rec = s.find_document("aaaa01").unwrap().expect("found by hash prefix");
    assert_eq!(rec.sources.len(), 2);
    assert_eq!(rec.events[0].evidence, TEXT);
}

#[test]
fn a_failing_batch_leaves_nothing_behind() {
    let (_d, mut s) = open();
    let ops = vec![
        doc(
            "bbbb01",
            TEXT,
            "/x/a.txt",
            vec![event(EventType::Meeting, &["KAZ", "UZB"], Domain::Political, None, (0, 10))],
        ),
        WriteOp::FileDone { path: "/x/a.txt".into(), mtime_ns: 1, size: 2, documents: 1 },
        // A source for a document that does not exist: the whole batch must roll back.
        WriteOp::Source { content_hash: "nope".into(), source: Source { location: "/y".into(), external_id: None } },
    ];
    assert!(s.apply(&ops).is_err());
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.events, st.sources), (0, 0, 0));
    assert!(!s.file_unchanged("/x/a.txt", 1, 2).unwrap());
    // The store is still usable after the rollback.
    s.apply(&ops[..2]).unwrap();
    assert!(s.file_unchanged("/x/a.txt", 1, 2).unwrap());
    assert!(!s.file_unchanged("/x/a.txt", 1, 3).unwrap(), "a changed size must not count as unchanged");
}

#[test]
fn failures_are_counted_per_file_and_cleared_by_success() {
    let (_d, mut s) = open();
    s.apply(&[
        WriteOp::Failure { path: "/x/bad.pdf".into(), item: String::new(), reason: "corrupt PDF".into() },
        WriteOp::Failure { path: "/x/l.jsonl".into(), item: "3".into(), reason: "bad JSON".into() },
        WriteOp::Failure { path: "/x/l.jsonl".into(), item: "7".into(), reason: "no text".into() },
    ])
    .unwrap();
    assert_eq!(s.stats().unwrap().failed_files, 2);
    // Recording the same failure again does not count twice.
    s.apply(&[WriteOp::Failure { path: "/x/bad.pdf".into(), item: String::new(), reason: "corrupt PDF".into() }])
        .unwrap();
    assert_eq!(s.stats().unwrap().failed_files, 2);
    s.apply(&[WriteOp::FileDone { path: "/x/bad.pdf".into(), mtime_ns: 5, size: 5, documents: 1 }]).unwrap();
    assert_eq!(s.stats().unwrap().failed_files, 1);
    s.apply(&[WriteOp::FileStart { path: "/x/l.jsonl".into() }]).unwrap();
    assert_eq!(s.stats().unwrap().failed_files, 0);
}

#[test]
fn recode_replaces_events_and_is_resumable_by_version() {
    let (_d, mut s) = open();
    s.apply(&[
        doc("c1", TEXT, "/a", vec![event(EventType::Meeting, &["KAZ", "UZB"], Domain::Political, None, (0, 5))]),
        doc("c2", "Another text about Kyrgyzstan.", "/b", vec![]),
    ])
    .unwrap();
    assert_eq!(s.count_to_recode("lex-1").unwrap(), 0);
    assert_eq!(s.count_to_recode("lex-2").unwrap(), 2);
    let todo = s.documents_to_recode("lex-2", 0, 1).unwrap();
    assert_eq!(todo.len(), 1);
    assert_eq!(todo[0].published.unwrap().to_string(), "2023-05");
    let new = vec![
        event(EventType::Agreement, &["TJK", "UZB"], Domain::Water, Some("2023"), (0, 63)),
        event(EventType::Meeting, &["TJK", "UZB"], Domain::Water, Some("2023"), (0, 63)),
    ];
    s.apply(&[WriteOp::Recoded { document_id: todo[0].id, events: new, lexicon: "lex-2".into() }]).unwrap();
    assert_eq!(s.count_to_recode("lex-2").unwrap(), 1);
    let rest = s.documents_to_recode("lex-2", 0, 10).unwrap();
    assert_eq!(rest.len(), 1);
    assert_ne!(rest[0].id, todo[0].id);
    let st = s.stats().unwrap();
    assert_eq!(st.events, 2);
    assert_eq!(st.events_by_type.get("meeting"), Some(&1));
    assert_eq!(st.documents_by_lexicon.get("lex-2"), Some(&1));
    assert_eq!(st.top_dyads[0].a, "TJK");
    assert_eq!(st.top_dyads[0].events, 2);
}

#[test]
fn event_filters_select_by_actor_pair_type_domain_date_and_language() {
    let (_d, mut s) = open();
    s.apply(&[doc(
        "d1",
        TEXT,
        "/a",
        vec![
            event(EventType::Agreement, &["TJK", "UZB"], Domain::Water, Some("2020-03-01"), (0, 10)),
            event(EventType::Meeting, &["KAZ", "UZB"], Domain::Political, Some("2022-07"), (0, 10)),
            // No date of its own: the document's (2023-05) applies to date filters.
            event(EventType::Aid, &["KGZ", "UZB"], Domain::Disaster, None, (0, 10)),
        ],
    )])
    .unwrap();
    let types = |f: EventFilter| {
        let mut v = vec![];
        s.for_each_event(&f, &mut |e| {
            v.push(e.event_type);
            Ok(())
        })
        .unwrap();
        v
    };
    assert_eq!(types(EventFilter::default()), ["agreement", "meeting", "aid"]);
    assert_eq!(types(EventFilter { actors: vec![code("KAZ")], ..Default::default() }), ["meeting"]);
    assert_eq!(types(EventFilter { actors: vec![code("UZB"), code("TJK")], ..Default::default() }), ["agreement"]);
    assert_eq!(types(EventFilter { event_type: Some(hamkor_model::EventType::Aid), ..Default::default() }), ["aid"]);
    assert_eq!(types(EventFilter { domain: Some(hamkor_model::Domain::Water), ..Default::default() }), ["agreement"]);
    let from = |s: &str| Some(s.parse().unwrap());
    assert_eq!(
        types(EventFilter { from: from("2021"), to: from("2022-06"), ..Default::default() }),
        Vec::<String>::new()
    );
    assert_eq!(types(EventFilter { from: from("2021"), to: from("2022-07"), ..Default::default() }), ["meeting"]);
    assert_eq!(types(EventFilter { from: from("2023-05"), ..Default::default() }), ["aid"]);
    assert_eq!(types(EventFilter { lang: Some("ru".into()), ..Default::default() }), Vec::<String>::new());
    // Source: some source of the document contains the text; review state.
    let all = ["agreement", "meeting", "aid"];
    assert_eq!(types(EventFilter { source: Some("/a".into()), ..Default::default() }), all);
    assert_eq!(types(EventFilter { source: Some("/b".into()), ..Default::default() }), Vec::<String>::new());
    let review = |r| EventFilter { review: Some(r), ..Default::default() };
    assert_eq!(types(review(hamkor_model::ReviewState::Unreviewed)), all);
    assert_eq!(types(review(hamkor_model::ReviewState::Reviewed)), Vec::<String>::new());
    let meeting = {
        let mut id = 0;
        s.for_each_event(&EventFilter { event_type: Some(EventType::Meeting), ..Default::default() }, &mut |e| {
            id = e.id;
            Ok(())
        })
        .unwrap();
        id
    };
    s.edit_event(meeting, &hamkor_store::EventEdit::default(), "Reviewer", None, None).unwrap();
    let mut reviewed = vec![];
    s.for_each_event(&review(hamkor_model::ReviewState::Reviewed), &mut |e| {
        reviewed.push(e.id);
        Ok(())
    })
    .unwrap();
    assert_eq!(reviewed, [meeting], "an edit marks the event reviewed");
}

#[test]
fn search_finds_words_and_ignores_query_syntax() {
    let (_d, mut s) = open();
    s.apply(&[
        doc("e1", TEXT, "/a", vec![]),
        doc("e2", "Казахстан и Кыргызстан обсудили водные ресурсы.", "/b", vec![]),
    ])
    .unwrap();
    let q = |t: &str| {
        s.search(&SearchQuery { text: t.into(), limit: 10, lang: None })
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(q("water agreement").len(), 1);
    assert_eq!(q("Кыргызстан").len(), 1);
    assert_eq!(q("водн*").len(), 1);
    assert_eq!(q("water Кыргызстан").len(), 0, "words are ANDed");
    assert_eq!(q("\"water\" OR NEAR(x").len(), 0, "operators are searched as words, never parsed");
    let hit = &s.search(&SearchQuery { text: "Dushanbe".into(), limit: 1, lang: None }).unwrap()[0];
    assert!(hit.snippet.contains("\u{2}Dushanbe\u{3}"), "{:?}", hit.snippet);
    assert!(s.search(&SearchQuery { text: "  ".into(), limit: 1, lang: None }).is_err());
}

#[test]
fn reopening_runs_no_migration_twice_and_other_handles_see_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut a = SqliteStore::open(&path).unwrap();
    let b = a.another().unwrap();
    a.apply(&[doc("f1", TEXT, "/a", vec![])]).unwrap();
    assert!(b.document_id_by_hash("f1").unwrap().is_some());
    drop(a);
    let again = SqliteStore::open(&path).unwrap();
    assert_eq!(again.stats().unwrap().documents, 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(n, SqliteStore::schema_version());
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_newer_schema_or_a_non_database_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')", []).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).err().expect("must refuse").to_string();
    assert!(err.contains("newer"), "{err}");

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database, just some text that is long enough to have a header").unwrap();
    let err = SqliteStore::open(&junk).err().expect("must refuse").to_string();
    assert!(err.contains("junk.db"), "{err}");
}

fn code(s: &str) -> hamkor_model::ActorCode {
    hamkor_model::ActorCode::new(s).unwrap()
}
