//! The events read for counting (`SqliteStore::analysis_events_for_counts`: panels, comparisons
//! and networks) against the full canonical events (`analysis_events`): the same events, reports
//! and order, and the same panels, comparisons and networks computed from them, whether the
//! reports are read by scanning indexes (most events selected) or by a look-up each (a few).

use hamkor_analysis::compare::{self, CompareOptions};
use hamkor_analysis::network::{self, NetworkOptions};
use hamkor_analysis::panel::{self, Dim, PanelQuery, Period};
use hamkor_analysis::Counting;
use hamkor_model::{ActorCode, CanonicalEvent, Domain, Event, EventType, Span};
use hamkor_store::{EventFilter, NewDocument, Source, SqliteStore, Store, WriteOp};

fn ev(t: EventType, actors: &[&str], domains: &[Domain], date: &str, text: &str) -> Event {
    Event {
        event_type: t,
        actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
        domains: domains.to_vec(),
        date: date.parse().ok(),
        evidence: Span::new(2, text.len()),
        confidence: 0.7,
        cues: vec![],
        lexicon: "test".into(),
    }
}

fn doc(n: usize, lang: &str, published: Option<&str>, text: String, events: Vec<Event>) -> WriteOp {
    WriteOp::Document(Box::new(NewDocument {
        content_hash: format!("h{n}"),
        title: None,
        published: published.map(|p| p.parse().unwrap()),
        lang: lang.into(),
        script: "Latn".into(),
        format: "txt".into(),
        text,
        source: Source { location: format!("/docs/{n}.txt"), external_id: None },
        events,
        lexicon: "test".into(),
    }))
}

/// A store of 60 documents: happenings told in two or three languages (merged into one
/// canonical event each), some dated only by their documents, some by month or year, some in
/// several domains or with three actors, and documents with two events.
fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hamkor_app::open_store(&dir.path().join("s.db")).unwrap();
    let pairs = [["KAZ", "UZB"], ["KGZ", "TJK"], ["TKM", "UZB"], ["KAZ", "KGZ"], ["CHN", "KAZ"]];
    let types = [EventType::Meeting, EventType::Agreement, EventType::Aid, EventType::Meeting];
    let domains = [Domain::Political, Domain::Economy, Domain::Water, Domain::Health];
    let langs = ["en", "ru", "uz", "kk"];
    let mut ops = Vec::new();
    for n in 0..60usize {
        let pair = pairs[n / 3 % pairs.len()];
        let t = types[n / 3 % types.len()];
        let year = 2014 + (n / 3 % 9) as i32;
        // Every fifth happening is dated only by its documents; every seventh by its year.
        let date = match n / 3 {
            h if h % 5 == 4 => String::new(),
            h if h % 7 == 6 => format!("{year}"),
            h => format!("{year}-{:02}-{:02}", 1 + h % 12, 1 + h % 27),
        };
        let published = (n % 11 != 10).then(|| format!("{year}-{:02}-28", 1 + n / 3 % 12));
        let mut ds = vec![domains[n / 3 % domains.len()]];
        if n / 3 % 4 == 1 {
            ds.push(Domain::Borders);
        }
        let mut actors: Vec<&str> = pair.to_vec();
        if n / 3 % 6 == 5 {
            actors.push("TJK");
        }
        let text = format!("{n}. A report of happening {} told by outlet {}.", n / 3, n % 3);
        let mut events = vec![ev(t, &actors, &ds, &date, &text)];
        if n % 9 == 0 {
            events.push(ev(EventType::Meeting, &["KAZ", "TKM"], &[Domain::Transport], "2019-06-03", &text));
        }
        ops.push(doc(n, langs[n % langs.len()], published.as_deref(), text, events));
    }
    store.apply(&ops).unwrap();
    hamkor_app::link(&store).unwrap();
    (dir, store)
}

/// What counting may read of an event: everything but the reports' evidence (its start kept),
/// evidence sentences and sources.
fn counted(events: &[CanonicalEvent]) -> Vec<CanonicalEvent> {
    let mut v = events.to_vec();
    for r in v.iter_mut().flat_map(|e| e.reports.iter_mut()) {
        r.evidence = Span::new(r.evidence.start, r.evidence.start);
        r.evidence_text.clear();
        r.source.clear();
    }
    v
}

fn same_analysis(full: &[CanonicalEvent], counts: &[CanonicalEvent]) {
    for (dims, period, counting) in [
        (vec![Dim::Dyad, Dim::Domain, Dim::Period], Period::Year, Counting::Events),
        (vec![Dim::Lang, Dim::Type], Period::Year, Counting::Reports),
        (vec![Dim::Actor, Dim::Period, Dim::Kind], Period::Month, Counting::Events),
    ] {
        let mut q = PanelQuery::new(&dims);
        q.period = period;
        q.counting = counting;
        q.keep_ids = true;
        let p = panel::panel(counts, &q);
        assert!(!p.rows.is_empty());
        assert_eq!(p, panel::panel(full, &q), "{dims:?}");
    }
    for counting in [Counting::Events, Counting::Reports] {
        let opts = CompareOptions { breakpoint: 2018, counting, ..CompareOptions::default() };
        assert_eq!(compare::compare(counts, &opts).unwrap(), compare::compare(full, &opts).unwrap());
        let opts = NetworkOptions { counting, ..NetworkOptions::default() };
        assert_eq!(network::network(counts, &opts), network::network(full, &opts));
    }
}

#[test]
fn events_for_counting_are_the_canonical_events_without_their_texts() {
    let (_dir, store) = store();
    let full = store.analysis_events(&EventFilter::default()).unwrap();
    assert!(full.len() >= 20, "{}", full.len());
    assert!(full.iter().any(|e| e.reports.len() >= 3), "some happenings merge");
    assert!(full.iter().any(|e| e.date_from_document), "some events are dated by their documents");
    assert!(full.iter().any(|e| e.date.is_none()), "some events have no date at all");
    // Every event selected: the reports are read by scanning.
    let counts = store.analysis_events_for_counts(&EventFilter::default()).unwrap();
    assert_eq!(counts, counted(&full));
    same_analysis(&full, &counts);

    // A few selected: a look-up per report.
    let few = EventFilter { document: Some(full[3].reports[0].document_id), ..EventFilter::default() };
    let full_few = store.analysis_events(&few).unwrap();
    assert!(!full_few.is_empty() && full_few.len() * 4 < full.len());
    assert_eq!(store.analysis_events_for_counts(&few).unwrap(), counted(&full_few));

    // Filters that keep most events, and one that keeps about half of them.
    for f in [
        EventFilter { event_type: Some(EventType::Meeting), ..EventFilter::default() },
        EventFilter { actors: vec![ActorCode::new("KAZ").unwrap()], ..EventFilter::default() },
        EventFilter { lang: Some("ru".into()), ..EventFilter::default() },
        EventFilter { limit: Some(full.len() - 2), ..EventFilter::default() },
    ] {
        let full_f = store.analysis_events(&f).unwrap();
        assert!(!full_f.is_empty());
        let counts_f = store.analysis_events_for_counts(&f).unwrap();
        assert_eq!(counts_f, counted(&full_f), "{f:?}");
        same_analysis(&full_f, &counts_f);
    }
}
