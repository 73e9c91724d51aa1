//! The matching rules of `../shared/eval/score.py`, one for one.
//!
//! Per document, one-to-one and greedy: a predicted event matches a gold event when the types
//! are equal, the actor sets are equal, and the dates are consistent (a gold event without a date
//! matches any prediction; otherwise the prediction must be at least as precise as the gold date
//! and agree with it at the gold's precision: gold `2024-03` matches `2024-03` and `2024-03-01`,
//! not `2024`, no date, or `2024-04-01`). Gold events are taken in file order; each takes the
//! first still-unmatched prediction that matches, preferring one with the same date, then the
//! largest domain overlap, then the earliest.

use crate::GoldEvent;
use hamkor_model::PartialDate;

/// score.py's `date_ok`: may a prediction dated `pred` stand for a gold event dated `gold`?
pub fn date_ok(gold: Option<&PartialDate>, pred: Option<&PartialDate>) -> bool {
    match (gold, pred) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(g), Some(p)) => p.precision() >= g.precision() && p.within(g),
    }
}

/// How many elements two sorted, duplicate-free slices share.
pub fn overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Whether `p` may match `g` at all (type, actor set and, when `use_date`, date).
pub fn compatible(g: &GoldEvent, p: &GoldEvent, use_date: bool) -> bool {
    p.event_type == g.event_type && p.actors == g.actors && (!use_date || date_ok(g.date.as_ref(), p.date.as_ref()))
}

/// score.py's `match`: the matched pairs (gold index, predicted index), in gold order.
pub fn greedy(gold: &[GoldEvent], pred: &[GoldEvent], use_date: bool) -> Vec<(usize, usize)> {
    let mut used = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let mut best: Option<(usize, (bool, usize, i64))> = None;
        for (pi, p) in pred.iter().enumerate() {
            if used[pi] || !compatible(g, p, use_date) {
                continue;
            }
            let key = (p.date == g.date, overlap(&p.domains, &g.domains), -(pi as i64));
            if best.is_none_or(|(_, k)| key > k) {
                best = Some((pi, key));
            }
        }
        if let Some((pi, _)) = best {
            used[pi] = true;
            pairs.push((gi, pi));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use hamkor_model::{ActorCode, Domain, EventType};

    fn ev(t: EventType, actors: &[&str], date: Option<&str>, domains: &[Domain]) -> GoldEvent {
        GoldEvent::new(
            t,
            actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
            domains.to_vec(),
            date.map(|d| d.parse().unwrap()),
            None,
        )
    }

    #[test]
    fn dates_match_at_the_gold_precision() {
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        let ok = |g: Option<&str>, p: Option<&str>| date_ok(g.map(d).as_ref(), p.map(d).as_ref());
        assert!(ok(None, None));
        assert!(ok(None, Some("2024")));
        assert!(ok(Some("2024-03"), Some("2024-03")));
        assert!(ok(Some("2024-03"), Some("2024-03-01")));
        assert!(ok(Some("2024"), Some("2024-12-31")));
        assert!(!ok(Some("2024-03"), Some("2024")), "less precise than the gold");
        assert!(!ok(Some("2024-03"), None));
        assert!(!ok(Some("2024-03"), Some("2024-04-01")));
        assert!(!ok(Some("2024-03-01"), Some("2024-03-02")));
        assert!(!ok(Some("2024"), Some("2023-12-31")));
    }

    #[test]
    fn a_gold_event_takes_the_same_date_first_then_the_most_domains() {
        use Domain::*;
        use EventType::*;
        let gold = [ev(Meeting, &["KAZ", "UZB"], Some("2024-03"), &[Water, Political])];
        let pred = [
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03-05"), &[Water, Political]),
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03"), &[Economy]),
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03"), &[Water]),
        ];
        assert_eq!(greedy(&gold, &pred, true), vec![(0, 2)]);
        // Without the same date, the larger domain overlap wins; on a tie, the earlier one.
        let pred = [
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03-01"), &[Economy]),
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03-02"), &[Water]),
            ev(Meeting, &["KAZ", "UZB"], Some("2024-03-03"), &[Water]),
        ];
        assert_eq!(greedy(&gold, &pred, true), vec![(0, 1)]);
    }

    #[test]
    fn matching_is_one_to_one_and_greedy_in_gold_order() {
        use EventType::*;
        // The first gold event (no date) takes the only prediction, although the second could
        // have used it: score.py is greedy, not optimal.
        let gold = [ev(Aid, &["KGZ", "UZB"], None, &[]), ev(Aid, &["KGZ", "UZB"], Some("2023-05-02"), &[])];
        let pred = [ev(Aid, &["KGZ", "UZB"], Some("2023-05-02"), &[])];
        assert_eq!(greedy(&gold, &pred, true), vec![(0, 0)]);
        // Actor sets must be equal, types too.
        let gold = [ev(Aid, &["KGZ", "UZB"], None, &[])];
        assert!(greedy(&gold, &[ev(Aid, &["KGZ", "TJK", "UZB"], None, &[])], true).is_empty());
        assert!(greedy(&gold, &[ev(Meeting, &["KGZ", "UZB"], None, &[])], true).is_empty());
        // Dates ignored: a wrong date still matches.
        let gold = [ev(Aid, &["KGZ", "UZB"], Some("2023"), &[])];
        let pred = [ev(Aid, &["KGZ", "UZB"], Some("2022"), &[])];
        assert!(greedy(&gold, &pred, true).is_empty());
        assert_eq!(greedy(&gold, &pred, false), vec![(0, 0)]);
    }
}
