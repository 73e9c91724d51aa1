//! The linking stage through the application layer: the store keeps the rows, the registry
//! decides, `hamkor_app` runs the stage after each write (moved here from the store's own tests
//! when the store stopped depending on the registry).

use hamkor_model::{ActorCode, CanonicalEvent, Domain, Event, EventType, Span};
use hamkor_registry::Origin;
use hamkor_store::{EventEdit, EventFilter, NewDocument, ReviewOutcome, Source, SqliteStore, Store, WriteOp};

fn ev(t: EventType, actors: &[&str], date: &str, text: &str, needle: &str) -> Event {
    let start = text.find(needle).expect("the needle is in the text");
    Event {
        event_type: t,
        actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
        domains: vec![Domain::Political],
        date: date.parse().ok(),
        evidence: Span::new(start, start + needle.len()),
        confidence: 0.7,
        cues: vec![],
        lexicon: "test".into(),
    }
}

fn doc(hash: &str, lang: &str, text: &str, events: Vec<Event>) -> WriteOp {
    WriteOp::Document(Box::new(NewDocument {
        content_hash: hash.into(),
        title: None,
        published: None,
        lang: lang.into(),
        script: "Latn".into(),
        format: "txt".into(),
        text: text.into(),
        source: Source { location: format!("/docs/{hash}.txt"), external_id: None },
        events,
        lexicon: "test".into(),
    }))
}

const EN: &str = "On 22 December 2022 the presidents signed the Treaty on Allied Relations in Tashkent.";
const RU: &str = "22 декабря 2022 года президенты подписали Договор о союзнических отношениях.";
const UZ: &str = "Prezidentlar Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladi.";

fn three_reports(store: &mut SqliteStore) {
    let p = EventType::Partnership;
    store
        .apply(&[
            doc("a", "en", EN, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", EN, EN)]),
            doc("b", "ru", RU, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", RU, RU)]),
            doc("c", "uz", UZ, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", UZ, UZ)]),
        ])
        .unwrap();
    // A read never links: the stage runs when asked to, after the write.
    assert!(canon(store).is_empty());
    assert_eq!(hamkor_app::link(store).unwrap().linked, 3);
}

fn canon(store: &SqliteStore) -> Vec<CanonicalEvent> {
    store.canonical_events(&EventFilter::default()).unwrap()
}

#[test]
fn a_new_store_holds_the_builtin_registry() {
    let dir = tempfile::tempdir().unwrap();
    let store = hamkor_app::open_store(&dir.path().join("s.db")).unwrap();
    let s = store.registry_status().unwrap();
    assert_eq!(s.agreements.get("builtin"), Some(&80));
    assert_eq!(s.events.get("builtin"), Some(&198));
    assert_eq!(s.builtin_version, hamkor_registry::builtin_version());
    assert!(hamkor_app::registry(&store).unwrap().agreement("ca-friendship-treaty-2022").is_some());
}

#[test]
fn three_reports_in_three_languages_are_one_event_and_stay_one_after_a_recode() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hamkor_app::open_store(&dir.path().join("s.db")).unwrap();
    three_reports(&mut store);
    let c = canon(&store);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].agreement.as_deref(), Some("kaz-uzb-allied-treaty-2022"));
    assert_eq!(c[0].reports.len(), 3);
    let id = c[0].id;
    // A re-code replaces a document's events (new ids): the new report finds its event again.
    let b = store.document_id_by_hash("b").unwrap().unwrap();
    let p = EventType::Partnership;
    store
        .apply(&[WriteOp::Recoded {
            document_id: b,
            events: vec![ev(p, &["KAZ", "UZB"], "2022-12-22", RU, RU)],
            lexicon: "test2".into(),
        }])
        .unwrap();
    hamkor_app::link(&store).unwrap();
    let c = canon(&store);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].id, id, "the canonical event keeps its id");
    assert_eq!(c[0].reports.len(), 3);
    // The merge is explained.
    let d = store.canonical_event(id).unwrap().unwrap();
    assert!(d.reports.iter().filter(|r| r.merge.rule == "same-day").count() >= 2, "{d:#?}");
    assert!(d.reports.iter().all(|r| r.agreement.as_ref().is_some_and(|a| a.id == "kaz-uzb-allied-treaty-2022")));
}

#[test]
fn a_reviewer_splits_and_the_split_survives_a_recode_until_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hamkor_app::open_store(&dir.path().join("s.db")).unwrap();
    three_reports(&mut store);
    let c = canon(&store);
    let ru_event = c[0].reports.iter().find(|r| r.lang == "ru").unwrap().event_id;
    let out = hamkor_app::split_report(&store, ru_event, "the Russian text is about another signing", "Reviewer").unwrap();
    assert!(matches!(out, ReviewOutcome::Done { .. }));
    assert_eq!(canon(&store).len(), 2);
    let b = store.document_id_by_hash("b").unwrap().unwrap();
    store
        .apply(&[WriteOp::Recoded {
            document_id: b,
            events: vec![ev(EventType::Partnership, &["KAZ", "UZB"], "2022-12-22", RU, RU)],
            lexicon: "test2".into(),
        }])
        .unwrap();
    hamkor_app::link(&store).unwrap();
    let c = canon(&store);
    assert_eq!(c.len(), 2, "the reviewer's split is kept by the report, not the event id");
    let new_ru = c.iter().flat_map(|e| e.reports.iter()).find(|r| r.lang == "ru").unwrap().event_id;
    let d = store.canonical_event(store.canonical_of(new_ru).unwrap().unwrap()).unwrap().unwrap();
    assert!(d.reports[0].pinned && d.reports[0].merge.rule == "review-split");
    // Undo: the report is merged automatically again.
    hamkor_app::clear_review(&store, new_ru).unwrap();
    assert_eq!(canon(&store).len(), 1);
    // A manual merge of a report into another event of the same type, and its refusal for another type.
    let (a_id, other) = {
        let c = canon(&store);
        (c[0].reports[0].event_id, c[0].id)
    };
    assert_eq!(hamkor_app::merge_report(&store, a_id, other, "same", "Reviewer").unwrap(), ReviewOutcome::Done { canonical: other });
    assert_eq!(hamkor_app::unmerge_canonical(&store, other, "undo", "Reviewer").unwrap().len(), 3);
    assert_eq!(canon(&store).len(), 3);
}

#[test]
fn an_edited_event_is_linked_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hamkor_app::open_store(&dir.path().join("s.db")).unwrap();
    three_reports(&mut store);
    assert_eq!(canon(&store).len(), 1);
    let ev_id = canon(&store)[0].reports[0].event_id;
    let edit = EventEdit { date: Some(Some("2023-12-22".parse().unwrap())), ..Default::default() };
    store.edit_event(ev_id, &edit, "Reviewer", None, None).unwrap();
    hamkor_app::link(&store).unwrap();
    let c = canon(&store);
    assert_eq!(c.len(), 2, "{c:#?}");
    assert_eq!(
        store
            .canonical_event(store.canonical_of(ev_id).unwrap().unwrap())
            .unwrap()
            .unwrap()
            .event
            .date
            .unwrap()
            .year,
        2023
    );
}

#[test]
fn a_users_corrections_and_records_survive_a_new_builtin_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = hamkor_app::open_store(&path).unwrap();
    let lines = vec![
        (
            "ca-friendship-treaty-2022".to_string(),
            serde_json::json!({"id": "ca-friendship-treaty-2022", "place": "Cholpon-Ata (Issyk-Kul)"}),
        ),
        (
            "my-agreement-2024".to_string(),
            serde_json::json!({"id": "my-agreement-2024", "name_en": "Our own agreement", "kind": "agreement",
                "parties": ["KAZ", "UZB"], "signed": "2024-01-02", "domains": ["water"], "sources": ["https://example.org/a"],
                "names": {"en": ["our own agreement"]}}),
        ),
        ("bad".to_string(), serde_json::json!({"id": "bad", "parties": []})),
    ];
    let s = hamkor_app::import_registry(&store, &lines, "test.jsonl").unwrap();
    assert_eq!(s.corrected, ["ca-friendship-treaty-2022"]);
    assert_eq!(s.added, ["my-agreement-2024"]);
    assert_eq!(s.rejected.len(), 1);
    drop(store);
    // An "older" built-in registry in the store (another version, a changed built-in row), so
    // that opening it seeds this hamkor's.
    {
        let store = SqliteStore::open(&path).unwrap();
        let (mut records, _) = hamkor_registry::seed_plan(&[]).unwrap();
        for r in records.iter_mut().filter(|r| r.0 == "ca-friendship-treaty-2022") {
            let mut v: serde_json::Value = serde_json::from_str(&r.2).unwrap();
            v["notes"] = "stale".into();
            r.2 = v.to_string();
        }
        assert!(store.seed_registry("old", &records, &[]).unwrap());
        let reg = hamkor_app::registry(&store).unwrap();
        assert_eq!(reg.agreement("ca-friendship-treaty-2022").unwrap().notes, "stale");
    }
    let store = hamkor_app::open_store(&path).unwrap();
    let reg = hamkor_app::registry(&store).unwrap();
    let f = reg.agreement("ca-friendship-treaty-2022").unwrap();
    assert_eq!(f.place.as_deref(), Some("Cholpon-Ata (Issyk-Kul)"), "the user's correction wins");
    assert_ne!(f.notes, "stale", "the built-in row was replaced");
    assert!(f.overridden);
    let mine = reg.agreement("my-agreement-2024").unwrap();
    assert_eq!(mine.origin, Origin::User);
    // Importing the built-in value again drops the correction.
    let s = hamkor_app::import_registry(
            &store,
            &[(
                "ca-friendship-treaty-2022".into(),
                serde_json::json!({"id": "ca-friendship-treaty-2022", "place": "Cholpon-Ata"}),
            )],
            "t",
        )
        .unwrap();
    assert_eq!(s.corrected, ["ca-friendship-treaty-2022"]);
    assert!(!hamkor_app::registry(&store).unwrap().agreement("ca-friendship-treaty-2022").unwrap().overridden);
}

