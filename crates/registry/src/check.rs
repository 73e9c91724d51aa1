//! The cross-check: what a coded text claims, against what the registry records.
//!
//! Every coded event of the text is linked ([`crate::link`]) and then compared:
//! - **a signing** (`agreement` or `partnership` linked to an agreement): its date against the
//!   dates the parties signed, and its actors against who signed then. A date within a year of a
//!   signing that matches no step is a *date* conflict; a party named as signing on a date it did
//!   not sign (or never signed) is a *parties* conflict. A date further than a year from every
//!   step is left unchecked (a later mention of the agreement, not a claim about its signing).
//! - **a ratification** linked to an agreement: its date against the recorded ratifications,
//!   exchanges of instruments and entries into force; a conflict only when the party the
//!   sentence names first has a recorded ratification within a year on another date.
//! - **a meeting** linked to the n-th edition of a format by an ordinal ("the fourth
//!   Consultative Meeting"): its date against the edition's (three days either way).
//! - any other event is corroborated when the registry holds an event of the same type and
//!   actors on a compatible date, and left unchecked otherwise. Registry events never produce a
//!   conflict on their own: the registry is not a complete list of what happened.
//!
//! Each finding carries the text's evidence, the registry's value and the sources behind it.

use crate::lifecycle::{lifecycle, StepFrom, StepKind};
use crate::link::{edition_event, Linker, Links, ReportInput};
use crate::{actor_list, day_range, days_apart, human_date, Registry};
use hamkor_model::{ActorCode, Event, EventType, PartialDate, Span};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Conflict,
    Corroborated,
}

/// One claim of the text, compared with the registry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub verdict: Verdict,
    /// `date`, `parties`, `signing`, `ratification`, `meeting`, `event`.
    pub about: String,
    /// Index of the coded event in the text's events.
    pub event: usize,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub date: Option<PartialDate>,
    /// What the text says, in words.
    pub claim: String,
    /// What the registry records.
    pub record: String,
    /// The registry record compared with (an agreement, an event, or `format#edition`).
    pub registry_id: String,
    pub sources: Vec<String>,
    pub evidence: Span,
    pub evidence_text: String,
}

/// A claim that could not be compared, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unchecked {
    pub event: usize,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub date: Option<PartialDate>,
    pub why: String,
    pub evidence_text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    pub unchecked: Vec<Unchecked>,
    /// Each event's links, in event order (for the explanation).
    pub links: Vec<Links>,
}

impl CheckReport {
    pub fn conflicts(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.verdict == Verdict::Conflict)
    }
    pub fn corroborated(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.verdict == Verdict::Corroborated)
    }
}

/// The evidence text of an event, whitespace collapsed.
fn evidence_of(text: &str, e: &Event) -> String {
    text.get(e.evidence.start..e.evidence.end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The actor the evidence names first (from the coder's cues).
pub fn first_actor(e: &Event) -> Option<ActorCode> {
    e.cues
        .iter()
        .filter_map(|c| Some((c.span.start, ActorCode::new(c.role.strip_prefix("actor:")?).ok()?)))
        .min_by_key(|(s, _)| *s)
        .map(|(_, a)| a)
}

/// The actors the evidence itself names (by the coder's cues); an actor the coder carried from
/// another sentence ("the sides") is not a claim of this one. All of them when there are no cues.
pub fn named_in_evidence(e: &Event) -> Vec<ActorCode> {
    if e.cues.is_empty() {
        return e.actors.clone();
    }
    let mut v: Vec<ActorCode> = e
        .cues
        .iter()
        .filter(|c| e.evidence.contains(c.span))
        .filter_map(|c| ActorCode::new(c.role.strip_prefix("actor:")?).ok())
        .filter(|a| e.actors.contains(a))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Whether the evidence itself gives the event's date (else the coder took it from the context
/// or the publication date, and it is not a claim of this sentence).
pub fn date_in_evidence(e: &Event) -> bool {
    e.cues.is_empty() || e.cues.iter().any(|c| c.role == "date" && e.evidence.contains(c.span))
}

fn push_unique(out: &mut Vec<String>, more: &[String]) {
    for u in more {
        if !out.contains(u) {
            out.push(u.clone());
        }
    }
}

/// Compare every event of a coded `text` with the registry.
pub fn check(reg: &Registry, linker: &Linker, text: &str, events: &[Event]) -> CheckReport {
    let mut report = CheckReport::default();
    for (i, e) in events.iter().enumerate() {
        let evidence = text.get(e.evidence.start..e.evidence.end).unwrap_or("");
        let links = linker.link(&ReportInput { event_type: e.event_type, actors: &e.actors, date: e.date, evidence });
        let before = report.findings.len();
        let mut why_unchecked: Option<String> = None;
        let finding = |verdict, about: &str, claim: String, record: String, id: &str, sources: Vec<String>| Finding {
            verdict,
            about: about.into(),
            event: i,
            event_type: e.event_type,
            actors: e.actors.clone(),
            date: e.date,
            claim,
            record,
            registry_id: id.into(),
            sources,
            evidence: e.evidence,
            evidence_text: evidence_of(text, e),
        };

        if let Some(al) = &links.agreement {
            let a = reg.agreement(&al.id).expect("the linker links registry agreements");
            let life = lifecycle(a, reg, &[]);
            let claimed: Vec<ActorCode> = e.actors.iter().copied().filter(|x| a.parties.contains(x)).collect();
            // Only the parties the sentence itself names can be claimed to have signed.
            let named: Vec<ActorCode> = named_in_evidence(e).into_iter().filter(|x| a.parties.contains(x)).collect();
            let date_claimed = date_in_evidence(e);
            let name = &format!("the {}", a.name_en);
            // What the record says of a party that did not sign on a date.
            let party_note = |p: ActorCode| -> (String, Vec<String>) {
                let pl = life.party(p.as_str());
                match pl.and_then(|pl| pl.signed.map(|d| (d, pl))) {
                    Some((d, _)) => {
                        (format!("{p} signed on {}", human_date(&d)), life.sources_of(StepKind::Signed, Some(d)))
                    }
                    None => {
                        let deferred = pl.and_then(|pl| pl.steps.iter().find(|s| s.kind == StepKind::Deferred));
                        match deferred {
                            Some(s) => (
                                format!(
                                    "{p} has not signed (it deferred its signature{}; no later signature is recorded)",
                                    s.date.map(|d| format!(" on {}", human_date(&d))).unwrap_or_default()
                                ),
                                s.sources.clone(),
                            ),
                            None => (format!("{p} has not signed"), a.sources.clone()),
                        }
                    }
                }
            };
            match e.event_type {
                EventType::Agreement | EventType::Partnership if !claimed.is_empty() => {
                    let signings = life.signings();
                    match e.date {
                        None => {
                            let ever: Vec<ActorCode> = signings.iter().flat_map(|(_, ps)| ps.iter().copied()).collect();
                            let never: Vec<ActorCode> = named.iter().copied().filter(|p| !ever.contains(p)).collect();
                            if never.is_empty() {
                                why_unchecked = Some(format!("reports {name} without a date"));
                            } else {
                                let mut sources = Vec::new();
                                let notes: Vec<String> = never
                                    .iter()
                                    .map(|p| {
                                        let (n, s) = party_note(*p);
                                        push_unique(&mut sources, &s);
                                        n
                                    })
                                    .collect();
                                report.findings.push(finding(
                                    Verdict::Conflict,
                                    "parties",
                                    format!("{} signed {name}", actor_list(&named)),
                                    notes.join("; "),
                                    &a.id,
                                    sources,
                                ));
                            }
                        }
                        Some(d) => {
                            let same: Vec<&(Option<PartialDate>, Vec<ActorCode>)> = signings
                                .iter()
                                .filter(|(sd, _)| sd.is_some_and(|sd| days_apart(&sd, &d) == 0))
                                .collect();
                            if !same.is_empty() {
                                let mut signers: Vec<ActorCode> =
                                    same.iter().flat_map(|(_, ps)| ps.iter().copied()).collect();
                                signers.sort();
                                signers.dedup();
                                let mut sources = Vec::new();
                                for (sd, _) in &same {
                                    push_unique(&mut sources, &life.sources_of(StepKind::Signed, *sd));
                                }
                                let when = same
                                    .iter()
                                    .filter_map(|(sd, _)| sd.map(|x| human_date(&x)))
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                // A party that had signed before is the counterpart of an accession
                                // (the registry codes Tajikistan's 2025 signature with the earlier
                                // signatories), not a claim that it signed again.
                                let signed_before = |p: &ActorCode| {
                                    life.party(p.as_str())
                                        .and_then(|pl| pl.signed)
                                        .is_some_and(|sd| day_range(&sd).1 < day_range(&d).0)
                                };
                                let extras: Vec<ActorCode> = named
                                    .iter()
                                    .copied()
                                    .filter(|p| !signers.contains(p) && !signed_before(p))
                                    .collect();
                                if extras.is_empty() {
                                    report.findings.push(finding(
                                        Verdict::Corroborated,
                                        "signing",
                                        format!("{} signed {name} on {}", actor_list(&claimed), human_date(&d)),
                                        format!(
                                            "signed on {when}{} by {}",
                                            place_of(&life, same[0].0)
                                                .or(a.place.clone())
                                                .map(|p| format!(" at {p}"))
                                                .unwrap_or_default(),
                                            actor_list(&signers)
                                        ),
                                        &a.id,
                                        sources,
                                    ));
                                } else {
                                    let notes: Vec<String> = extras
                                        .iter()
                                        .map(|p| {
                                            let (n, s) = party_note(*p);
                                            push_unique(&mut sources, &s);
                                            n
                                        })
                                        .collect();
                                    report.findings.push(finding(
                                        Verdict::Conflict,
                                        "parties",
                                        format!("{} signed {name} on {}", actor_list(&named), human_date(&d)),
                                        format!("on {when} only {} signed; {}", actor_list(&signers), notes.join("; ")),
                                        &a.id,
                                        sources,
                                    ));
                                }
                            } else {
                                let nearest = signings
                                    .iter()
                                    .filter_map(|(sd, ps)| sd.map(|sd| (days_apart(&sd, &d), sd, ps)))
                                    .min_by_key(|(n, _, _)| *n);
                                let other_step = life
                                    .steps()
                                    .filter(|s| {
                                        s.from == StepFrom::Registry
                                            && s.kind != StepKind::Signed
                                            && s.date.is_some_and(|sd| {
                                                days_apart(&sd, &d) == 0 && sd.precision() >= d.precision()
                                            })
                                    })
                                    .max_by_key(|s| s.date.map(|x| x.precision()));
                                match (nearest, other_step) {
                                    (_, Some(s)) => report.findings.push(finding(
                                        Verdict::Corroborated,
                                        "date",
                                        format!("an act on {name} on {}", human_date(&d)),
                                        format!(
                                            "{}{} on {}",
                                            s.party.map(|p| format!("{p} ")).unwrap_or_default(),
                                            s.kind.label(),
                                            s.date.map(|x| human_date(&x)).unwrap_or_default()
                                        ),
                                        &a.id,
                                        s.sources.clone(),
                                    )),
                                    (Some((n, _, _)), None) if n <= 366 && d.precision() >= 2 && !date_claimed => {
                                        why_unchecked = Some(format!(
                                            "the sentence gives no date for {name} (the coder's {d} comes from the context)"
                                        ))
                                    }
                                    (Some((n, sd, signers)), None) if n <= 366 && d.precision() >= 2 => {
                                        let sources = life.sources_of(StepKind::Signed, Some(sd));
                                        let place = life
                                            .steps()
                                            .find(|s| s.kind == StepKind::Signed && s.date == Some(sd))
                                            .and_then(|s| s.place.clone())
                                            .or_else(|| a.place.clone());
                                        let mut record = format!(
                                            "signed on {}{} by {}",
                                            human_date(&sd),
                                            place.map(|p| format!(" at {p}")).unwrap_or_default(),
                                            actor_list(signers)
                                        );
                                        // The sources are those of this signing; the other parties' steps
                                        // are named for context only.
                                        let others: Vec<String> =
                                            a.parties.iter().filter(|p| !signers.contains(p)).map(|p| party_note(*p).0).collect();
                                        if !others.is_empty() {
                                            record.push_str(&format!(" ({})", others.join("; ")));
                                        }
                                        report.findings.push(finding(
                                            Verdict::Conflict,
                                            "date",
                                            format!("{} signed {name} on {}", actor_list(&claimed), human_date(&d)),
                                            record,
                                            &a.id,
                                            sources,
                                        ));
                                        let extras: Vec<ActorCode> =
                                            named.iter().copied().filter(|p| !signers.contains(p)).collect();
                                        if !extras.is_empty() {
                                            let mut sources = Vec::new();
                                            let notes: Vec<String> = extras
                                                .iter()
                                                .map(|p| {
                                                    let (n, s) = party_note(*p);
                                                    push_unique(&mut sources, &s);
                                                    n
                                                })
                                                .collect();
                                            report.findings.push(finding(
                                                Verdict::Conflict,
                                                "parties",
                                                format!("{} signed {name}", actor_list(&named)),
                                                notes.join("; "),
                                                &a.id,
                                                sources,
                                            ));
                                        }
                                    }
                                    _ => {
                                        why_unchecked = Some(format!(
                                            "mentions {name} with a date ({d}) far from its signing: a later mention, not checked"
                                        ))
                                    }
                                }
                            }
                        }
                    }
                }
                EventType::Ratification => {
                    let party = first_actor(e).filter(|p| a.parties.contains(p));
                    let steps: Vec<_> = life
                        .steps()
                        .filter(|s| {
                            s.from == StepFrom::Registry
                                && matches!(s.kind, StepKind::Ratified | StepKind::Exchanged | StepKind::InForce)
                        })
                        .collect();
                    match e.date {
                        None => why_unchecked = Some(format!("reports a ratification of {name} without a date")),
                        Some(d) => {
                            let hit = steps
                                .iter()
                                .filter(|s| {
                                    s.date.is_some_and(|sd| days_apart(&sd, &d) == 0)
                                        && (party.is_none() || s.party.is_none() || s.party == party)
                                })
                                .max_by_key(|s| (s.date.map(|x| x.precision()), s.party == party));
                            let party_rat = party.and_then(|p| {
                                steps.iter().find(|s| {
                                    s.party == Some(p)
                                        && s.kind == StepKind::Ratified
                                        && s.date
                                            .is_some_and(|sd| days_apart(&sd, &d) > 0 && days_apart(&sd, &d) <= 366)
                                })
                            });
                            if let Some(s) = hit {
                                report.findings.push(finding(
                                    Verdict::Corroborated,
                                    "ratification",
                                    format!("{name}: ratification or entry into force on {}", human_date(&d)),
                                    format!(
                                        "{}{} on {}",
                                        s.party.map(|p| format!("{p} ")).unwrap_or_default(),
                                        s.kind.label(),
                                        s.date.map(|x| human_date(&x)).unwrap_or_default()
                                    ),
                                    &a.id,
                                    s.sources.clone(),
                                ));
                            } else if let (Some(p), Some(s)) = (party, party_rat) {
                                report.findings.push(finding(
                                    Verdict::Conflict,
                                    "date",
                                    format!("{p} ratified {name} on {}", human_date(&d)),
                                    format!(
                                        "{p} ratified it on {}",
                                        s.date.map(|x| human_date(&x)).unwrap_or_default()
                                    ),
                                    &a.id,
                                    s.sources.clone(),
                                ));
                            } else {
                                why_unchecked = Some(format!(
                                    "the registry records no ratification of {name} on or near {d} to compare with"
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }

        if e.event_type == EventType::Meeting {
            if let Some(f) = &links.format {
                if let (Some(n), Some(ed)) = (f.edition, f.edition_date) {
                    let id = format!("{}#{n}", f.id);
                    let mut sources = edition_event(reg, f).map(|r| r.sources.clone()).unwrap_or_default();
                    if sources.is_empty() {
                        sources.push("lexicon/formats.toml".into());
                    }
                    let place = f.edition_place.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
                    let record = format!("the {} {} was held on {}{place}", ordinal(n), f.name, human_date(&ed));
                    // "The fourth Consultative Meeting was held in Ashgabat": a place the text
                    // gives for a known edition, in another state than the edition's place.
                    let wrong_place = f.edition_place.as_deref().and_then(|p| {
                        let lex = linker.lexicon();
                        let home = places_in(lex, p);
                        let named = places_in(lex, evidence);
                        let home_code = home.first().map(|(c, _)| *c)?;
                        (!named.is_empty() && !named.iter().any(|(c, _)| *c == home_code)).then(|| named[0].1.clone())
                    });
                    let place_conflict = wrong_place.is_some() && f.by.starts_with("ordinal");
                    if let (Some(named), true) = (wrong_place, place_conflict) {
                        report.findings.push(finding(
                            Verdict::Conflict,
                            "place",
                            format!("the {} {} met in {named}", ordinal(n), f.name),
                            record.clone(),
                            &id,
                            sources.clone(),
                        ));
                    }
                    match e.date {
                        None => why_unchecked = Some(format!("a meeting of {} without a date", f.name)),
                        Some(d) => {
                            let apart = days_apart(&d, &ed);
                            if place_conflict {
                                // The place is wrong: the day alone corroborates nothing.
                            } else if apart == 0 || (apart <= 3 && d.precision() == 3) {
                                report.findings.push(finding(
                                    Verdict::Corroborated,
                                    "meeting",
                                    format!("the {} met on {}", f.name, human_date(&d)),
                                    record,
                                    &id,
                                    sources,
                                ));
                            } else if f.by.starts_with("ordinal") && date_in_evidence(e) {
                                report.findings.push(finding(
                                    Verdict::Conflict,
                                    "date",
                                    format!("the {} {} met on {}", ordinal(n), f.name, human_date(&d)),
                                    record,
                                    &id,
                                    sources,
                                ));
                            }
                        }
                    }
                }
            }
        }

        if report.findings.len() == before {
            // A registry event of the same type and actors on a compatible date.
            let matching = e.date.and_then(|d| {
                reg.events.iter().find(|r| {
                    r.event_type == e.event_type
                        && r.actors == e.actors
                        && r.date.is_some_and(|rd| days_apart(&rd, &d) == 0 && rd.precision() >= d.precision().min(3))
                })
            });
            match matching {
                Some(r) => report.findings.push(finding(
                    Verdict::Corroborated,
                    "event",
                    format!(
                        "{} of {} on {}",
                        e.event_type,
                        actor_list(&e.actors),
                        e.date.map(|d| human_date(&d)).unwrap_or_default()
                    ),
                    format!("{} ({})", r.title_en, r.date.map(|d| human_date(&d)).unwrap_or_default()),
                    &r.id,
                    r.sources.clone(),
                )),
                None => report.unchecked.push(Unchecked {
                    event: i,
                    event_type: e.event_type,
                    actors: e.actors.clone(),
                    date: e.date,
                    why: why_unchecked.unwrap_or_else(|| "nothing in the registry to compare with".into()),
                    evidence_text: evidence_of(text, e),
                }),
            }
        }
        report.links.push(links);
    }
    report
}

/// The places (cities and capitals, by the lexicon) a text names, with their state and the words
/// as written.
fn places_in(lex: &hamkor_lexicon::Lexicon, text: &str) -> Vec<(ActorCode, String)> {
    let folded = hamkor_text::fold(text);
    let tokens = lex.tokens(&folded);
    lex.hits(&folded, text, &tokens)
        .into_iter()
        .filter_map(|h| match &lex.term(h.term).meaning {
            hamkor_lexicon::Meaning::Actor { code, role: hamkor_lexicon::Role::Capital } => {
                Some((*code, text.get(h.span.start..h.span.end).unwrap_or("").to_string()))
            }
            _ => None,
        })
        .collect()
}

/// Where the parties that signed on `date` signed.
fn place_of(life: &crate::Lifecycle, date: Option<PartialDate>) -> Option<String> {
    life.steps().find(|s| s.kind == StepKind::Signed && s.date == date).and_then(|s| s.place.clone())
}

/// `4` → `fourth` (up to tenth), else `11th`.
pub fn ordinal(n: u32) -> String {
    const W: [&str; 10] =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    match n {
        1..=10 => W[n as usize - 1].to_string(),
        _ => format!("{n}th"),
    }
}
