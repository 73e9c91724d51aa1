//! Follow-through: for each agreement, the implementation events (programmes, exchanges, aid,
//! new joint bodies) that came after its signing, the time to the first of them, and a summary
//! per domain and per bilateral/multilateral agreement.
//!
//! An event implements an agreement when the registry links it to the agreement, or, by rule,
//! when all of these hold (docs/statistics.md, "Follow-through"):
//! - its type is an implementation type (`joint_activity`, `aid`, `institution` by default);
//! - it is dated on or after the signing day, and within the horizon (default 3 years);
//! - at least two of the agreement's parties take part in it (both, for a bilateral one);
//! - it shares a domain with the agreement.
//!
//! Agreements signed less than a horizon before the end of the data have had less time to be
//! followed; the Kaplan–Meier estimate treats them as censored at the end of the data instead of
//! as failures.

use crate::stats::{self, KmStep};
use crate::{Agreement, CanonicalEvent};
use hamkor_model::{Domain, EventType, PartialDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowOptions {
    pub types: Vec<EventType>,
    /// Days after signing within which an event counts as implementation.
    pub horizon_days: i64,
    /// The last day of the data (for censoring); by default the latest event date.
    pub end: Option<PartialDate>,
    pub level: f64,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            types: vec![EventType::JointActivity, EventType::Aid, EventType::Institution],
            horizon_days: 3 * 365,
            end: None,
            level: 0.95,
        }
    }
}

/// One implementation event of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Implementation {
    pub event_id: i64,
    pub date: String,
    pub days_after: i64,
    /// `registry` (linked by the registry) or `rule`.
    pub how: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowAgreement {
    pub agreement: Agreement,
    pub multilateral: bool,
    pub implementations: Vec<Implementation>,
    pub days_to_first: Option<i64>,
    /// Days the agreement could be observed (to the horizon or the end of the data).
    pub observed_days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowGroup {
    /// `all`, a domain code, `bilateral` or `multilateral`.
    pub group: String,
    pub agreements: u64,
    pub implemented: u64,
    pub share: Option<f64>,
    pub share_ci: Option<(f64, f64)>,
    pub median_days_to_first: Option<f64>,
    /// Kaplan–Meier probability of a first implementation within one year, with censoring.
    pub km_within_year: Option<f64>,
    pub km_median_days: Option<f64>,
    pub km: Vec<KmStep>,
    pub agreement_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowThrough {
    pub options: FollowOptions,
    pub end: Option<String>,
    pub agreements: Vec<FollowAgreement>,
    pub groups: Vec<FollowGroup>,
    /// Agreements without a signing date (not measured).
    pub undated: Vec<String>,
}

/// Measure the follow-through of every dated agreement.
pub fn follow_through(events: &[CanonicalEvent], agreements: &[Agreement], opts: &FollowOptions) -> FollowThrough {
    let end_day =
        opts.end.map(|d| d.to_days()).or_else(|| events.iter().filter_map(|e| e.date.map(|d| d.to_days())).max());
    let mut out_agreements = Vec::new();
    let mut undated = Vec::new();
    let mut agreements: Vec<&Agreement> = agreements.iter().collect();
    agreements.sort_by(|a, b| (a.signed.map(|d| d.to_days()), &a.id).cmp(&(b.signed.map(|d| d.to_days()), &b.id)));
    for a in agreements {
        let Some(signed) = a.signed else {
            undated.push(a.id.clone());
            continue;
        };
        let day0 = signed.to_days();
        let mut imps: Vec<Implementation> = Vec::new();
        for e in events {
            let Some(date) = e.date else { continue };
            let days = date.to_days() - day0;
            let linked = e.agreement.as_deref() == Some(a.id.as_str()) && e.event_type != EventType::Agreement;
            let by_rule = opts.types.contains(&e.event_type)
                && days >= 0
                && days <= opts.horizon_days
                && e.actors.iter().filter(|x| a.parties.contains(x)).count() >= 2
                && e.domains.iter().any(|d| a.domains.contains(d));
            if linked && days >= 0 || by_rule {
                imps.push(Implementation {
                    event_id: e.id,
                    date: date.to_string(),
                    days_after: days,
                    how: if linked { "registry" } else { "rule" },
                });
            }
        }
        imps.sort_by_key(|i| (i.days_after, i.event_id));
        let observed = match end_day {
            Some(end) => (end - day0).clamp(0, opts.horizon_days),
            None => 0,
        };
        out_agreements.push(FollowAgreement {
            multilateral: a.is_multilateral(),
            days_to_first: imps.first().map(|i| i.days_after),
            implementations: imps,
            observed_days: observed,
            agreement: a.clone(),
        });
    }
    let mut groups: BTreeMap<(u8, String), Vec<&FollowAgreement>> = BTreeMap::new();
    for f in &out_agreements {
        groups.entry((0, "all".into())).or_default().push(f);
        let kind = if f.multilateral { "multilateral" } else { "bilateral" };
        groups.entry((1, kind.into())).or_default().push(f);
        for d in &f.agreement.domains {
            groups.entry((2 + domain_rank(*d), d.code().into())).or_default().push(f);
        }
    }
    let groups = groups
        .into_iter()
        .map(|((_, name), fs)| {
            let n = fs.len() as u64;
            let done: Vec<f64> = fs.iter().filter_map(|f| f.days_to_first.map(|d| d as f64)).collect();
            let k = done.len() as u64;
            let km = stats::kaplan_meier(
                &fs.iter()
                    .map(|f| match f.days_to_first {
                        Some(d) => (d as f64, true),
                        None => (f.observed_days as f64, false),
                    })
                    .collect::<Vec<_>>(),
            );
            // Within a year is estimable only if someone was observed that long.
            let observed_year = fs.iter().any(|f| f.observed_days >= 365 || f.days_to_first.is_some_and(|d| d <= 365));
            FollowGroup {
                group: name,
                agreements: n,
                implemented: k,
                share: (n > 0).then(|| k as f64 / n as f64),
                share_ci: (n > 0).then(|| stats::clopper_pearson(k, n, opts.level)),
                median_days_to_first: stats::median(&done),
                km_within_year: observed_year.then(|| stats::km_probability_by(&km, 365.0)),
                km_median_days: stats::km_median(&km),
                km,
                agreement_ids: fs.iter().map(|f| f.agreement.id.clone()).collect(),
            }
        })
        .collect();
    FollowThrough {
        options: opts.clone(),
        end: end_day.map(|d| PartialDate::from_days(d).to_string()),
        agreements: out_agreements,
        groups,
        undated,
    }
}

fn domain_rank(d: Domain) -> u8 {
    Domain::ALL.iter().position(|x| *x == d).unwrap_or(0) as u8
}

/// Agreements standing in for a registry: every canonical `agreement` event is one agreement
/// (parties = its actors, signed = its date).
pub fn agreements_from_events(events: &[CanonicalEvent]) -> Vec<Agreement> {
    events
        .iter()
        .filter(|e| e.event_type == EventType::Agreement)
        .map(|e| Agreement {
            id: format!("event-{}", e.id),
            name: format!(
                "{} agreement ({})",
                e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>().join("–"),
                e.domains.iter().map(|d| d.code()).collect::<Vec<_>>().join(", ")
            ),
            signed: e.date,
            parties: e.actors.clone(),
            domains: e.domains.clone(),
            event_ids: vec![e.id],
            origin: "coded".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ev;

    #[test]
    fn implementation_by_rule_and_censoring() {
        let events = vec![
            ev(1, "agreement", "KGZ,UZB", "education", "2020-01-10"),
            ev(2, "joint_activity", "KGZ,UZB", "education", "2020-03-10"),
            ev(3, "joint_activity", "KGZ,UZB", "culture", "2020-04-10"),
            ev(4, "joint_activity", "KAZ,UZB", "education", "2020-04-10"),
            ev(5, "agreement", "KAZ,UZB", "health", "2021-06-01"),
            ev(6, "aid", "KAZ,UZB", "health", "2019-01-01"),
            ev(7, "meeting", "KAZ,UZB", "health", "2021-07-01"),
        ];
        let agreements = agreements_from_events(&events);
        let f = follow_through(&events, &agreements, &FollowOptions::default());
        assert_eq!(f.agreements.len(), 2);
        let first = &f.agreements[0];
        assert_eq!(first.implementations.iter().map(|i| i.event_id).collect::<Vec<_>>(), [2]);
        assert_eq!(first.days_to_first, Some(60));
        let second = &f.agreements[1];
        assert!(second.implementations.is_empty(), "aid before signing and a meeting do not count");
        assert_eq!(second.observed_days, 30, "the data end on 2021-07-01");
        let all = f.groups.iter().find(|g| g.group == "all").unwrap();
        assert_eq!((all.agreements, all.implemented), (2, 1));
        assert_eq!(all.km_within_year, Some(1.0), "the censored agreement left the risk set at 30 days");
    }
}
