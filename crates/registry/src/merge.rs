//! One happening, many reports: when a coded event from one document is the same event as a
//! canonical event built from others, and why.
//!
//! A report joins a canonical event when all of these hold, against the reports already in it:
//! - **type**: the same event type;
//! - **document**: no report of the canonical event comes from the same document (the coder
//!   already merged what one document says twice);
//! - **links**: when both are linked to an agreement, the same agreement; when both are linked to
//!   a format, the same format, and the same edition when both give one;
//! - **places**: when both name places (capitals and cities, [`crate::link::places`]), at least
//!   one in common: a meeting in Samarkand is not the meeting in Tashkent the same day. Aid is
//!   exempt (it is sent from one place and arrives in another);
//! - **actors**: the same actors; or one set within the other when both report the same
//!   agreement (one signing, fewer names), or when both name the same multilateral format and
//!   the smaller set has three actors or more (a summit report that names three of five
//!   leaders). Never otherwise: two leaders meeting on the sidelines of a summit, and a guest
//!   meeting one host, are happenings of their own;
//! - **dates**: both dated, and the same day, or one date within the other's precision (`2022-12`
//!   and `2022-12-22`); meetings up to three days apart (summits and visits last several days),
//!   aid up to three days apart (dispatched one day, delivered another).
//!
//! Among the canonical events a report may join, the one with the same agreement, then the same
//! edition, then the same date, then the same actors wins. A report dated only by month or year
//! that fits two canonical events of different dates joins neither (it is ambiguous).
//!
//! Every decision carries a [`MergeReason`]: the rule, and the fields that agreed (or, for a new
//! canonical event, why each candidate was refused), so that a reviewer can see why and undo it.
//! `tests/merge_pairs.rs` measures precision and recall on report pairs in seven languages.

use crate::{day_range, days_apart};
use hamkor_model::{ActorCode, Domain, EventType, PartialDate};
use std::collections::BTreeMap;

pub use hamkor_model::link::{Canonical, MergeReason, Report, Summary};

/// The decision for one report.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Join { canonical: i64, reason: MergeReason },
    New { reason: MergeReason },
}

/// The most frequent item (weighted), the first seen among equals.
fn most_common<T: Ord + Clone>(items: impl Iterator<Item = (T, usize)>) -> Option<T> {
    let mut counts: BTreeMap<T, (usize, usize)> = BTreeMap::new();
    for (i, (x, w)) in items.enumerate() {
        let e = counts.entry(x).or_insert((0, i));
        e.0 += w;
    }
    counts.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1))).map(|(k, _)| k)
}

/// The canonical event its reports describe. `reports` must not be empty.
pub fn summarize(reports: &[Report]) -> Summary {
    let weighted: Vec<(&Report, usize)> = reports.iter().map(|r| (r, 1)).collect();
    summarize_weighted(&weighted)
}

/// [`summarize`] over groups of identical reports, each with how many there are (a store
/// groups the reports of a large canonical event instead of reading every one).
pub fn summarize_weighted(groups: &[(&Report, usize)]) -> Summary {
    let reports: Vec<&Report> = groups.iter().map(|(r, _)| *r).collect();
    let weight = |i: usize| groups[i].1;
    let mut actors: Vec<ActorCode> = reports.iter().flat_map(|r| r.actors.iter().copied()).collect();
    actors.sort();
    actors.dedup();
    let mut domains: Vec<Domain> = reports.iter().flat_map(|r| r.domains.iter().copied()).collect();
    domains.sort();
    domains.dedup();
    let dated: Vec<(PartialDate, usize)> =
        reports.iter().enumerate().filter_map(|(i, r)| Some((r.date?, weight(i)))).collect();
    let best_precision = dated.iter().map(|(d, _)| d.precision()).max();
    let date = best_precision.and_then(|p| {
        let mut counts: BTreeMap<PartialDate, usize> = BTreeMap::new();
        for (d, w) in dated.iter().filter(|(d, _)| d.precision() == p) {
            *counts.entry(*d).or_default() += w;
        }
        let top = counts.values().copied().max()?;
        counts.into_iter().find(|(_, n)| *n == top).map(|(d, _)| d)
    });
    let range = dated.iter().map(|(d, _)| day_range(d)).reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let edition_of =
        most_common(reports.iter().enumerate().filter_map(|(i, r)| Some(((r.format.clone()?, r.edition), weight(i)))));
    Summary {
        event_type: reports.first().map_or(EventType::Meeting, |r| r.event_type),
        actors,
        domains,
        date,
        range,
        agreement: most_common(reports.iter().enumerate().filter_map(|(i, r)| Some((r.agreement.clone()?, weight(i))))),
        format: edition_of.as_ref().map(|(f, _)| f.clone()),
        edition: edition_of.and_then(|(_, e)| e),
    }
}

fn codes(a: &[ActorCode]) -> String {
    a.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")
}

/// Can `r` join `c`? The reason when it can, the refusal when it cannot.
pub fn compatible(r: &Report, c: &Canonical) -> Result<MergeReason, String> {
    let s = summarize(&c.reports);
    if r.event_type != s.event_type {
        return Err(format!("type {} ≠ {}", r.event_type, s.event_type));
    }
    if c.reports.iter().any(|x| x.document_id == r.document_id) {
        return Err(format!("already has a report from document {}", r.document_id));
    }
    let meeting = r.event_type == EventType::Meeting;
    let mut agreed = vec![format!("type {}", r.event_type)];

    // Links.
    if let (Some(a), Some(b)) = (&r.agreement, &s.agreement) {
        if a != b {
            return Err(format!("agreement {a} ≠ {b}"));
        }
        agreed.push(format!("agreement {a}"));
    }
    let same_edition = match (&r.format, r.edition, &s.format, s.edition) {
        (Some(f1), Some(e1), Some(f2), Some(e2)) => {
            if f1 != f2 || e1 != e2 {
                return Err(format!("format {f1} #{e1} ≠ {f2} #{e2}"));
            }
            agreed.push(format!("format {f1} #{e1}"));
            true
        }
        (Some(f1), _, Some(f2), _) if f1 != f2 => return Err(format!("format {f1} ≠ {f2}")),
        _ => false,
    };

    // Places. Against each report that names places, not against all of them together: a report
    // naming Bishkek and Osh must not let a meeting in Osh join one in Bishkek.
    if r.event_type != EventType::Aid && !r.places.is_empty() {
        let theirs: Vec<&String> = c.reports.iter().flat_map(|x| x.places.iter()).collect();
        if !theirs.is_empty() {
            let apart = c.reports.iter().find(|x| !x.places.is_empty() && !r.places.iter().any(|p| x.places.contains(p)));
            if let Some(x) = apart {
                return Err(format!("places {} and {} differ", r.places.join(", "), x.places.join(", ")));
            }
            if !r.places.iter().any(|p| theirs.contains(&p)) {
                let mut t: Vec<&str> = theirs.iter().map(|p| p.as_str()).collect();
                t.sort_unstable();
                t.dedup();
                return Err(format!("places {} and {} differ", r.places.join(", "), t.join(", ")));
            }
            agreed.push(format!("place {}", r.places.iter().find(|p| theirs.contains(p)).map_or("", |p| p.as_str())));
        }
    }

    // Actors.
    if r.actors == s.actors {
        agreed.push(format!("actors equal ({})", codes(&r.actors)));
    } else {
        let (small, large) =
            if r.actors.len() <= s.actors.len() { (&r.actors, &s.actors) } else { (&s.actors, &r.actors) };
        if !small.iter().all(|a| large.contains(a)) {
            return Err(format!("actors {} and {} differ", codes(&r.actors), codes(&s.actors)));
        }
        let same_agreement = r.agreement.is_some() && r.agreement == s.agreement;
        let same_format = r.format.is_some() && r.format == s.format;
        if same_agreement {
            // One signing of one agreement on one day: a report that names fewer of the
            // signatories (or a counterpart more) is the same signing.
            agreed.push(format!("actors {} within {} (same agreement)", codes(small), codes(large)));
        } else if same_format && small.len() >= 3 {
            agreed.push(format!(
                "actors {} within {} (same format{})",
                codes(small),
                codes(large),
                if same_edition { " and edition" } else { "" }
            ));
        } else {
            return Err(format!("actors {} are only a part of {} (a side meeting?)", codes(small), codes(large)));
        }
    }

    // Dates, against every report.
    let Some(d) = r.date else { return Err("the report is not dated".into()) };
    let mut rule = "same-day";
    for x in &c.reports {
        let Some(xd) = x.date else { continue };
        let apart = days_apart(&d, &xd);
        if apart == 0 {
            if d.precision() != xd.precision() || d.precision() < 3 {
                rule = if rule == "multi-day-meeting" { rule } else { "within-precision" };
            }
        } else if meeting && apart <= 3 && d.precision() == 3 && xd.precision() == 3 {
            rule = "multi-day-meeting";
        } else if r.event_type == EventType::Aid && apart <= 3 && d.precision() == 3 && xd.precision() == 3 {
            rule = if rule == "same-day" || rule == "aid-in-transit" { "aid-in-transit" } else { rule };
        } else {
            return Err(format!("dates {d} and {xd} are {apart} day(s) apart"));
        }
    }
    if s.date.is_none() {
        return Err("the canonical event is not dated".into());
    }
    agreed.push(format!("date {d} ~ {}", s.date.map(|x| x.to_string()).unwrap_or_default()));
    Ok(MergeReason { rule: rule.into(), agreed, refused: vec![], note: None })
}

/// Where `r` goes among `candidates`.
pub fn decide(r: &Report, candidates: &[Canonical]) -> Decision {
    if r.date.is_none() {
        let mut reason = MergeReason::rule("undated");
        reason.note = Some("an undated report is never merged automatically".into());
        return Decision::New { reason };
    }
    let mut ok: Vec<(i64, i64, MergeReason, Summary)> = Vec::new();
    let mut refused = Vec::new();
    for c in candidates {
        match compatible(r, c) {
            Ok(reason) => {
                let s = summarize(&c.reports);
                let mut score = 0;
                if r.agreement.is_some() && r.agreement == s.agreement {
                    score += 100;
                }
                if r.edition.is_some() && r.format == s.format && r.edition == s.edition {
                    score += 50;
                }
                if r.date == s.date {
                    score += 10;
                }
                if r.actors == s.actors {
                    score += 5;
                }
                ok.push((score, c.id, reason, s));
            }
            Err(why) => refused.push((c.id, why)),
        }
    }
    if ok.is_empty() {
        let mut reason = MergeReason::rule("new");
        if refused.is_empty() {
            reason.note = Some("no canonical event of this type with dates and actors that could agree".into());
        }
        reason.refused = refused;
        return Decision::New { reason };
    }
    let coarse = r.date.is_some_and(|d| d.precision() < 3);
    if coarse && ok.len() > 1 {
        let first = ok[0].3.date;
        if ok.iter().any(|o| o.3.date != first)
            && !ok.iter().any(|o| r.agreement.is_some() && o.3.agreement == r.agreement)
        {
            let mut reason = MergeReason::rule("ambiguous");
            reason.note = Some(format!(
                "dated {} only; fits canonical events {}",
                r.date.map(|d| d.to_string()).unwrap_or_default(),
                ok.iter().map(|o| o.1.to_string()).collect::<Vec<_>>().join(", ")
            ));
            reason.refused = refused;
            return Decision::New { reason };
        }
    }
    ok.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let (_, id, reason, _) = ok.swap_remove(0);
    Decision::Join { canonical: id, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(id: i64, doc: i64, t: EventType, actors: &[&str], date: &str) -> Report {
        Report {
            event_id: id,
            document_id: doc,
            event_type: t,
            actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
            domains: vec![Domain::Political],
            date: date.parse().ok(),
            agreement: None,
            format: None,
            edition: None,
            places: vec![],
        }
    }

    #[test]
    fn the_rules() {
        let c = Canonical { id: 1, reports: vec![rep(1, 1, EventType::Partnership, &["KAZ", "UZB"], "2022-12-22")] };
        let ok = |r: Report| compatible(&r, &c).map(|m| m.rule);
        assert_eq!(ok(rep(2, 2, EventType::Partnership, &["KAZ", "UZB"], "2022-12-22")).as_deref(), Ok("same-day"));
        assert_eq!(
            ok(rep(2, 2, EventType::Partnership, &["KAZ", "UZB"], "2022-12")).as_deref(),
            Ok("within-precision")
        );
        assert!(ok(rep(2, 1, EventType::Partnership, &["KAZ", "UZB"], "2022-12-22")).is_err(), "same document");
        assert!(ok(rep(2, 2, EventType::Agreement, &["KAZ", "UZB"], "2022-12-22")).is_err(), "type");
        assert!(
            ok(rep(2, 2, EventType::Partnership, &["KAZ", "UZB"], "2022-12-23")).is_err(),
            "not a meeting: same day"
        );
        assert!(ok(rep(2, 2, EventType::Partnership, &["KAZ", "KGZ", "UZB"], "2022-12-22")).is_err(), "actors");
        let mut linked = rep(2, 2, EventType::Partnership, &["KAZ", "UZB"], "2022-12-22");
        linked.agreement = Some("x".into());
        let mut c2 = c.clone();
        c2.reports[0].agreement = Some("y".into());
        assert!(compatible(&linked, &c2).is_err(), "different agreements");

        let summit = |id: i64, actors: &[&str], date: &str| {
            let mut r = rep(id, id, EventType::Meeting, actors, date);
            r.format = Some("consultative-meeting".into());
            r.edition = Some(6);
            r
        };
        let m = Canonical { id: 2, reports: vec![summit(1, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2024-08-09")] };
        let okm = |r: Report| compatible(&r, &m).map(|m| m.rule);
        assert_eq!(okm(summit(2, &["KAZ", "KGZ", "UZB"], "2024-08-08")).as_deref(), Ok("multi-day-meeting"));
        assert!(
            okm(rep(2, 2, EventType::Meeting, &["KAZ", "KGZ", "UZB"], "2024-08-09")).is_err(),
            "three of the five, no format named"
        );
        assert!(okm(summit(2, &["KAZ", "UZB"], "2024-08-09")).is_err(), "a side meeting of two");
        assert!(okm(summit(2, &["KAZ", "KGZ", "UZB"], "2024-08-14")).is_err());
        // Places: one pair, one day, two cities.
        let mut here = rep(1, 1, EventType::Meeting, &["AZE", "TJK"], "2025-11-15");
        here.places = vec!["UZB:smrtnt".into()];
        let mut there = rep(2, 2, EventType::Meeting, &["AZE", "TJK"], "2025-11-15");
        there.places = vec!["UZB:tsnt".into()];
        assert!(compatible(&there, &Canonical { id: 3, reports: vec![here.clone()] }).is_err());
        // A report naming both cities does not bridge them: Tashkent joins neither a canonical
        // event that holds a Samarkand-only report.
        let mut both = rep(3, 3, EventType::Meeting, &["AZE", "TJK"], "2025-11-15");
        both.places = vec!["UZB:smrtnt".into(), "UZB:tsnt".into()];
        assert!(compatible(&there, &Canonical { id: 3, reports: vec![here.clone(), both] }).is_err(), "bridged by a two-city report");
        there.places.clear();
        assert!(compatible(&there, &Canonical { id: 3, reports: vec![here] }).is_ok(), "a report without a place");
        // Aid: dispatched and delivered two days apart; a bilateral meeting must not take a guest.
        let aid = Canonical { id: 4, reports: vec![rep(1, 1, EventType::Aid, &["AFG", "UZB"], "2024-03-10")] };
        assert_eq!(
            compatible(&rep(2, 2, EventType::Aid, &["AFG", "UZB"], "2024-03-12"), &aid).map(|m| m.rule).as_deref(),
            Ok("aid-in-transit")
        );
        let two = Canonical { id: 5, reports: vec![rep(1, 1, EventType::Meeting, &["KAZ", "UZB"], "2023-03-03")] };
        assert!(compatible(&rep(2, 2, EventType::Meeting, &["KAZ", "TKM", "UZB"], "2023-03-03"), &two).is_err());
    }

    #[test]
    fn summits_a_year_apart_stay_apart_and_coarse_reports_do_not_guess() {
        let a = Canonical {
            id: 1,
            reports: vec![rep(1, 1, EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2023-09-14")],
        };
        let b = Canonical {
            id: 2,
            reports: vec![rep(2, 2, EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2024-08-09")],
        };
        let r = rep(3, 3, EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2024-08-09");
        assert!(matches!(decide(&r, &[a.clone(), b.clone()]), Decision::Join { canonical: 2, .. }));
        let c = Canonical {
            id: 3,
            reports: vec![rep(4, 4, EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2024-03-01")],
        };
        let year_only = rep(5, 5, EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2024");
        match decide(&year_only, &[b, c]) {
            Decision::New { reason } => assert_eq!(reason.rule, "ambiguous"),
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn summaries_take_the_finest_date_and_the_union_of_actors() {
        let s = summarize(&[
            rep(1, 1, EventType::Meeting, &["KAZ", "UZB"], "2022-12"),
            rep(2, 2, EventType::Meeting, &["KAZ", "KGZ", "UZB"], "2022-12-22"),
        ]);
        assert_eq!(s.date.unwrap().to_string(), "2022-12-22");
        assert_eq!(s.actors.len(), 3);
    }
}
