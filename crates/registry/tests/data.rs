//! The built-in registry data (registry/ at the root of the repository): complete, consistent,
//! and every agreement reachable by its own names.

use hamkor_model::{EventType, PartialDate};
use hamkor_registry::lifecycle::lifecycle;
use hamkor_registry::{Linker, Registry, ReportInput, LANGUAGES};
use std::collections::BTreeSet;

#[test]
fn every_record_and_every_source_of_the_shared_data_is_kept() {
    let reg = Registry::builtin();
    assert_eq!(reg.agreements.len(), 80);
    assert_eq!(reg.events.len(), 198);
    let urls: BTreeSet<&str> = reg
        .agreements
        .iter()
        .flat_map(|a| a.sources.iter())
        .chain(reg.events.iter().flat_map(|e| e.sources.iter()))
        .map(String::as_str)
        .collect();
    // registry/README.md: "The files cite 297 distinct source URLs."
    assert_eq!(urls.len(), 297);
    assert!(urls.iter().all(|u| u.starts_with("http://") || u.starts_with("https://")));
}

#[test]
fn every_agreement_is_named_in_all_seven_languages() {
    let reg = Registry::builtin();
    for a in &reg.agreements {
        for lang in LANGUAGES {
            let names = a.names.get(lang).map_or(0, |v| v.len());
            assert!(names > 0, "{} has no name in {lang}", a.id);
        }
    }
}

#[test]
fn lifecycle_steps_are_about_parties_and_rest_on_sourced_records() {
    let reg = Registry::builtin();
    for a in &reg.agreements {
        for s in &a.steps {
            if let Some(p) = s.party {
                assert!(a.parties.contains(&p), "{}: step for {p}, not a party", a.id);
            }
            let basis = s.basis.as_deref().unwrap_or(&a.id);
            assert!(!reg.sources_of(basis).is_empty(), "{}: step rests on {basis}, which has no sources", a.id);
        }
        let life = lifecycle(a, &reg, &[]);
        assert_eq!(life.parties.len(), a.parties.len());
    }
}

/// The names a hand-written alias file gets wrong are the ones two agreements share: every
/// agreement must be reached by its own English and Russian titles when an event names its
/// parties on the day it was signed.
#[test]
fn every_agreement_is_linked_by_its_own_title_on_its_signing_day() {
    let reg = Registry::builtin();
    let linker = Linker::new(&reg);
    let mut wrong = Vec::new();
    for a in &reg.agreements {
        let titles = [Some(a.name_en.clone()), a.name_ru.clone()];
        for title in titles.into_iter().flatten() {
            let text = format!("The parties signed the {title}.");
            let date: Option<PartialDate> = a.signed;
            let r = ReportInput { event_type: EventType::Agreement, actors: &a.parties, date, evidence: &text };
            let got = linker.link(&r).agreement.map(|l| l.id);
            if got.as_deref() != Some(a.id.as_str()) {
                wrong.push(format!("{} by {title:?} → {got:?}", a.id));
            }
        }
    }
    assert!(wrong.is_empty(), "{} agreements not linked by their own titles:\n{}", wrong.len(), wrong.join("\n"));
}
