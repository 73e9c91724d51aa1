//! The life of an agreement, per party: signed → ratified → instruments exchanged → in force
//! (→ suspended, withdrawn), each step dated and sourced.
//!
//! Where the steps come from, in order:
//! 1. the steps the registry states for single parties (`steps` of an agreement, from
//!    `registry/lifecycle.jsonl`: who signed when, who ratified, who deferred);
//! 2. when no party's signature is stated, every party signed on the agreement's `signed` date;
//!    when `in_force` is given and no party's entry into force is stated, every signatory's
//!    agreement entered into force then;
//! 3. registry `ratification` events about the agreement that no stated step cites, as steps of
//!    the agreement as a whole (the party is not known);
//! 4. coded `ratification` reports linked to the agreement: a report dated like a known
//!    ratification, exchange or entry into force is attached to that step as its evidence;
//!    a report dated after the signing and matching no step adds a step of its own, marked as
//!    reported by a text, for the party the sentence names first. Reports dated on or before the
//!    signing (a treaty "will enter into force after ratification") are left out and listed.

use crate::{days_apart, Agreement, Registry};
use hamkor_model::{ActorCode, PartialDate};
use serde::{Deserialize, Serialize};

/// What a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Signed,
    /// Did not sign when the others did.
    Deferred,
    Ratified,
    /// Instruments of ratification exchanged.
    Exchanged,
    InForce,
    Suspended,
    Withdrawn,
}

impl StepKind {
    pub fn code(self) -> &'static str {
        match self {
            StepKind::Signed => "signed",
            StepKind::Deferred => "deferred",
            StepKind::Ratified => "ratified",
            StepKind::Exchanged => "exchanged",
            StepKind::InForce => "in_force",
            StepKind::Suspended => "suspended",
            StepKind::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Signed => "signed",
            StepKind::Deferred => "deferred signature",
            StepKind::Ratified => "ratified",
            StepKind::Exchanged => "instruments exchanged",
            StepKind::InForce => "in force",
            StepKind::Suspended => "suspended",
            StepKind::Withdrawn => "withdrawn",
        }
    }
}

/// A step as the registry data states it (a line of `registry/lifecycle.jsonl`, or an element of
/// an imported agreement's `steps`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    #[serde(default)]
    pub party: Option<ActorCode>,
    #[serde(rename = "step")]
    pub kind: StepKind,
    #[serde(default)]
    pub date: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The registry record (event or agreement) whose sources support the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a step comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepFrom {
    /// The registry's data.
    Registry,
    /// A coded report (no registry step has that date).
    Text,
}

pub use hamkor_model::link::CodedStep;

/// A dated step with its sources and the coded reports that confirm it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub party: Option<ActorCode>,
    pub kind: StepKind,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub note: Option<String>,
    /// The registry record the step rests on.
    pub basis: Option<String>,
    pub sources: Vec<String>,
    pub from: StepFrom,
    pub reports: Vec<CodedStep>,
}

/// Where a party stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    NotSigned,
    Deferred,
    Signed,
    Ratified,
    Exchanged,
    InForce,
    Suspended,
    Withdrawn,
}

impl PartyStatus {
    pub const ALL_CODES: [&'static str; 8] =
        ["not_signed", "deferred", "signed", "ratified", "exchanged", "in_force", "suspended", "withdrawn"];

    pub fn code(self) -> &'static str {
        match self {
            PartyStatus::NotSigned => "not_signed",
            PartyStatus::Deferred => "deferred",
            PartyStatus::Signed => "signed",
            PartyStatus::Ratified => "ratified",
            PartyStatus::Exchanged => "exchanged",
            PartyStatus::InForce => "in_force",
            PartyStatus::Suspended => "suspended",
            PartyStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<PartyStatus> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        [
            PartyStatus::NotSigned,
            PartyStatus::Deferred,
            PartyStatus::Signed,
            PartyStatus::Ratified,
            PartyStatus::Exchanged,
            PartyStatus::InForce,
            PartyStatus::Suspended,
            PartyStatus::Withdrawn,
        ]
        .into_iter()
        .find(|p| p.code() == s)
    }
    /// How far along the ladder signed → ratified → exchanged → in force a party is.
    fn rank(self) -> u8 {
        match self {
            PartyStatus::NotSigned | PartyStatus::Deferred => 0,
            PartyStatus::Signed => 1,
            PartyStatus::Ratified => 2,
            PartyStatus::Exchanged => 3,
            PartyStatus::InForce => 4,
            PartyStatus::Suspended | PartyStatus::Withdrawn => 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyLifecycle {
    pub party: ActorCode,
    pub status: PartyStatus,
    /// When the party signed (`None`: not signed, or the date is not recorded).
    pub signed: Option<PartialDate>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lifecycle {
    pub agreement: String,
    /// The least advanced signatory's status (not_signed when nobody signed).
    pub status: PartyStatus,
    /// Some intended parties have not signed.
    pub open: bool,
    pub parties: Vec<PartyLifecycle>,
    /// Steps of the agreement as a whole (the party is not known).
    pub general: Vec<Step>,
    /// Coded ratification reports that fit no step (dated on or before the signing, or undated).
    pub unplaced: Vec<CodedStep>,
}

impl Lifecycle {
    pub fn party(&self, code: &str) -> Option<&PartyLifecycle> {
        self.parties.iter().find(|p| p.party.as_str() == code)
    }

    /// Every registry step, party by party, then the general ones.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.parties.iter().flat_map(|p| p.steps.iter()).chain(self.general.iter())
    }

    /// The signings: each date with the parties that signed on it, by date (undated last).
    pub fn signings(&self) -> Vec<(Option<PartialDate>, Vec<ActorCode>)> {
        let mut out: Vec<(Option<PartialDate>, Vec<ActorCode>)> = Vec::new();
        for s in self.steps().filter(|s| s.kind == StepKind::Signed && s.from == StepFrom::Registry) {
            let Some(p) = s.party else { continue };
            match out.iter_mut().find(|(d, _)| *d == s.date) {
                Some((_, ps)) => ps.push(p),
                None => out.push((s.date, vec![p])),
            }
        }
        for (_, ps) in &mut out {
            ps.sort();
            ps.dedup();
        }
        out.sort_by_key(|(d, _)| (d.is_none(), *d));
        out
    }

    /// The sources of the registry steps of one kind on one date (for the cross-check).
    pub fn sources_of(&self, kind: StepKind, date: Option<PartialDate>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.steps().filter(|s| s.kind == kind && s.date == date && s.from == StepFrom::Registry) {
            for u in &s.sources {
                if !out.contains(u) {
                    out.push(u.clone());
                }
            }
        }
        out
    }
}

fn registry_step(rec: &crate::StepRecord, a: &Agreement, reg: &Registry) -> Step {
    let sources = match &rec.basis {
        Some(b) if !reg.sources_of(b).is_empty() => reg.sources_of(b).to_vec(),
        _ => a.sources.clone(),
    };
    Step {
        party: rec.party,
        kind: rec.kind,
        date: rec.date,
        place: rec.place.clone(),
        note: rec.note.clone(),
        basis: rec.basis.clone().or_else(|| Some(a.id.clone())),
        sources,
        from: StepFrom::Registry,
        reports: vec![],
    }
}

/// The lifecycle of `a`, from the registry and the coded ratification reports linked to it.
pub fn lifecycle(a: &Agreement, reg: &Registry, coded: &[CodedStep]) -> Lifecycle {
    let mut steps: Vec<Step> = a.steps.iter().map(|s| registry_step(s, a, reg)).collect();
    if !a.steps.iter().any(|s| s.kind == StepKind::Signed) {
        for &p in &a.parties {
            steps.push(Step {
                party: Some(p),
                kind: StepKind::Signed,
                date: a.signed,
                place: a.place.clone(),
                note: a.signed.is_none().then(|| "the date of signature is not recorded".to_string()),
                basis: Some(a.id.clone()),
                sources: a.sources.clone(),
                from: StepFrom::Registry,
                reports: vec![],
            });
        }
    }
    if let Some(d) = a.in_force {
        if !a.steps.iter().any(|s| s.kind == StepKind::InForce) {
            let signers: Vec<ActorCode> =
                steps.iter().filter(|s| s.kind == StepKind::Signed).filter_map(|s| s.party).collect();
            for p in signers {
                steps.push(Step {
                    party: Some(p),
                    kind: StepKind::InForce,
                    date: Some(d),
                    place: None,
                    note: None,
                    basis: Some(a.id.clone()),
                    sources: a.sources.clone(),
                    from: StepFrom::Registry,
                    reports: vec![],
                });
            }
        }
    }
    // Registry ratification events that no stated step cites.
    let cited: Vec<&str> = a.steps.iter().filter_map(|s| s.basis.as_deref()).collect();
    for e in reg.events_of(&a.id) {
        if e.event_type == hamkor_model::EventType::Ratification && !cited.contains(&e.id.as_str()) {
            steps.push(Step {
                party: None,
                kind: StepKind::Ratified,
                date: e.date,
                place: e.place.clone(),
                note: Some(e.title_en.clone()),
                basis: Some(e.id.clone()),
                sources: e.sources.clone(),
                from: StepFrom::Registry,
                reports: vec![],
            });
        }
    }

    // Coded ratification reports.
    let first_signing = steps.iter().filter(|s| s.kind == StepKind::Signed).filter_map(|s| s.date).min();
    let mut unplaced = Vec::new();
    for c in coded {
        let Some(date) = c.date else {
            unplaced.push(c.clone());
            continue;
        };
        let party = c.first_actor.filter(|p| a.parties.contains(p));
        let fits = |s: &Step| {
            matches!(s.kind, StepKind::Ratified | StepKind::Exchanged | StepKind::InForce)
                && s.date.is_some_and(|d| days_apart(&d, &date) == 0)
                && (s.party.is_none() || party.is_none() || s.party == party)
        };
        if let Some(s) = steps.iter_mut().find(|s| fits(s)) {
            s.reports.push(c.clone());
            continue;
        }
        let after_signing = first_signing.is_none_or(|s| {
            let (_, shi) = crate::day_range(&s);
            crate::day_range(&date).0 > shi
        });
        if !after_signing {
            unplaced.push(c.clone());
            continue;
        }
        // A step reported by the text only: grouped with an earlier identical one.
        match steps.iter_mut().find(|s| s.from == StepFrom::Text && s.date == Some(date) && s.party == party) {
            Some(s) => s.reports.push(c.clone()),
            None => steps.push(Step {
                party,
                kind: StepKind::Ratified,
                date: Some(date),
                place: None,
                note: Some(
                    "reported by a coded text (ratification or entry into force); the party is the one the \
                     sentence names first"
                        .into(),
                ),
                basis: None,
                sources: vec![],
                from: StepFrom::Text,
                reports: vec![c.clone()],
            }),
        }
    }

    let mut parties: Vec<PartyLifecycle> = a
        .parties
        .iter()
        .map(|&p| {
            let mut own: Vec<Step> = steps.iter().filter(|s| s.party == Some(p)).cloned().collect();
            own.sort_by_key(step_order);
            let status = party_status(&own);
            let signed = own.iter().filter(|s| s.kind == StepKind::Signed).filter_map(|s| s.date).min();
            PartyLifecycle { party: p, status, signed, steps: own }
        })
        .collect();
    parties.sort_by_key(|p| p.party);
    let mut general: Vec<Step> = steps.into_iter().filter(|s| s.party.is_none()).collect();
    general.sort_by_key(step_order);
    let signatories: Vec<&PartyLifecycle> = parties.iter().filter(|p| p.status.rank() > 0).collect();
    let status = signatories.iter().map(|p| p.status).min_by_key(|s| s.rank()).unwrap_or_else(|| {
        if parties.iter().any(|p| p.status == PartyStatus::Deferred) {
            PartyStatus::Deferred
        } else {
            PartyStatus::NotSigned
        }
    });
    let open = signatories.len() < parties.len();
    Lifecycle { agreement: a.id.clone(), status, open, parties, general, unplaced }
}

/// Steps in time order: by the last day their date covers ("in force 2024" after "ratified
/// 2024-05-20"), undated last, then along the ladder.
fn step_order(s: &Step) -> (bool, i64, StepKind) {
    (s.date.is_none(), s.date.map_or(0, |d| crate::day_range(&d).1), s.kind)
}

fn party_status(steps: &[Step]) -> PartyStatus {
    let mut status = PartyStatus::NotSigned;
    for s in steps {
        let next = match s.kind {
            StepKind::Signed => PartyStatus::Signed,
            StepKind::Deferred => PartyStatus::Deferred,
            StepKind::Ratified => PartyStatus::Ratified,
            StepKind::Exchanged => PartyStatus::Exchanged,
            StepKind::InForce => PartyStatus::InForce,
            StepKind::Suspended => PartyStatus::Suspended,
            StepKind::Withdrawn => PartyStatus::Withdrawn,
        };
        // Steps are in date order: suspension and withdrawal are final until a later step; the
        // ladder only moves up (a ratification reported after entry into force changes nothing).
        status = match (status, next) {
            (_, PartyStatus::Suspended | PartyStatus::Withdrawn) => next,
            (PartyStatus::Suspended | PartyStatus::Withdrawn, PartyStatus::InForce) => next,
            (PartyStatus::Suspended | PartyStatus::Withdrawn, _) => status,
            (cur, n) if n.rank() > cur.rank() => n,
            (PartyStatus::NotSigned, PartyStatus::Deferred) => PartyStatus::Deferred,
            (cur, _) => cur,
        };
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(id: &str) -> Lifecycle {
        let reg = Registry::builtin();
        lifecycle(reg.agreement(id).unwrap(), &reg, &[])
    }

    #[test]
    fn friendship_treaty_three_signed_in_2022_tajikistan_in_2025_turkmenistan_not() {
        let l = life("ca-friendship-treaty-2022");
        assert_eq!(l.party("KAZ").unwrap().signed.unwrap().to_string(), "2022-07-21");
        assert_eq!(l.party("TJK").unwrap().signed.unwrap().to_string(), "2025-08-28");
        assert_eq!(l.party("TJK").unwrap().status, PartyStatus::Signed);
        assert_eq!(l.party("TKM").unwrap().status, PartyStatus::Deferred);
        assert_eq!(l.party("TKM").unwrap().signed, None);
        assert!(l.open);
        let s = l.signings();
        assert_eq!(s[0].0.unwrap().to_string(), "2022-07-21");
        assert_eq!(s[0].1.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["KAZ", "KGZ", "UZB"]);
        assert!(l.sources_of(StepKind::Signed, s[0].0).iter().any(|u| u.contains("kaktus.media")));
    }

    #[test]
    fn ratification_and_entry_into_force() {
        let l = life("kaz-uzb-allied-treaty-2022");
        assert_eq!(l.party("KAZ").unwrap().status, PartyStatus::InForce);
        let kaz = l.party("KAZ").unwrap();
        assert!(kaz.steps.iter().any(|s| s.kind == StepKind::Ratified && s.date.unwrap().to_string() == "2024-05-20"));
        let l = life("tjk-uzb-allied-treaty-2024");
        assert_eq!(l.status, PartyStatus::InForce);
        let l = life("kgz-tjk-border-treaty-2025");
        assert_eq!(l.party("KGZ").unwrap().status, PartyStatus::Ratified);
        assert_eq!(l.party("TJK").unwrap().status, PartyStatus::Signed);
        assert_eq!(l.status, PartyStatus::Signed);
    }

    #[test]
    fn coded_reports_confirm_steps_or_add_their_own() {
        let reg = Registry::builtin();
        let a = reg.agreement("kaz-uzb-allied-treaty-2022").unwrap();
        let code = |d: &str, first: &str| CodedStep {
            event_id: 1,
            document_id: 1,
            date: Some(d.parse().unwrap()),
            first_actor: Some(ActorCode::new(first).unwrap()),
            lang: "ru".into(),
            evidence: "…".into(),
        };
        let l = lifecycle(a, &reg, &[code("2024-05-20", "KAZ"), code("2022-12-22", "KAZ"), code("2025-02-01", "UZB")]);
        let kaz = l.party("KAZ").unwrap();
        assert_eq!(kaz.steps.iter().find(|s| s.kind == StepKind::Ratified).unwrap().reports.len(), 1);
        // "Will enter into force after ratification", dated the day of signing: not a step.
        assert_eq!(l.unplaced.len(), 1);
        let uzb = l.party("UZB").unwrap();
        assert!(uzb.steps.iter().any(|s| s.from == StepFrom::Text && s.kind == StepKind::Ratified));
    }
}
