//! Which unit a researcher's selection codes, and one coding per unit.
//!
//! hamkor's reviewers code units: a sentence span of a document, the evidence span of the
//! machine's event where there is one (alpha compares the coders unit by unit). A selection made
//! in a QDA tool rarely has exactly those bounds (a phrase, a sentence without its full stop, a
//! space too many), so a selection is read as the unit it lies in:
//!
//! 1. its bounds are trimmed of white space;
//! 2. the smallest evidence span of the document that holds it is its unit;
//! 3. else the sentences it touches, from the first one's start to the last one's end;
//! 4. else (it touches no sentence) its trimmed bounds.
//!
//! Then every selection of one reviewer on the same unit is merged into that unit's one coding
//! ([`merge`]): a project imported twice, or two selections of one sentence, never give a unit
//! two codings.

use hamkor_model::{ActorCode, Domain, EventType, Span};

/// The unit the selection `start..end` (bytes of `text`, on character boundaries) codes, or
/// `None` when it holds nothing but white space. `evidence` and `sentences` are the document's
/// evidence spans and sentence spans.
pub fn unit_of(text: &str, start: usize, end: usize, evidence: &[Span], sentences: &[Span]) -> Option<Span> {
    let cut = text.get(start..end)?;
    let s = start + (cut.len() - cut.trim_start().len());
    let e = end - (cut.len() - cut.trim_end().len());
    if s >= e {
        return None;
    }
    if let Some(ev) = evidence.iter().filter(|ev| ev.start <= s && e <= ev.end).min_by_key(|ev| (ev.end - ev.start, ev.start)) {
        return Some(*ev);
    }
    let touched = sentences.iter().filter(|x| x.start < e && s < x.end);
    match (touched.clone().map(|x| x.start).min(), touched.map(|x| x.end).max()) {
        (Some(a), Some(b)) => Some(Span::new(a.min(s), b.max(e))),
        _ => Some(Span::new(s, e)),
    }
}

/// What one selection says: its event types and the rest of its coding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    pub types: Vec<EventType>,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    pub date: Option<String>,
}

/// One event of a unit's coding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitEvent {
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    pub date: Option<String>,
}

/// The selections of one reviewer on one unit, in the project's order, as the unit's events:
/// every event type coded on any of them is one event, with that selection's actors, domains and
/// date; the codes of a selection without a type (a domain or an actor coded on a phrase) are
/// added to every event of the unit; the same event twice is kept once. No type at all: no
/// event there (an empty list).
pub fn merge(said: &[Said]) -> Vec<UnitEvent> {
    let mut events: Vec<UnitEvent> = Vec::new();
    for s in said {
        for &t in &s.types {
            let e = UnitEvent { event_type: t, actors: s.actors.clone(), domains: s.domains.clone(), date: s.date.clone() };
            if !events.contains(&e) {
                events.push(e);
            }
        }
    }
    for s in said.iter().filter(|s| s.types.is_empty()) {
        for e in &mut events {
            e.actors.extend(s.actors.iter().copied());
            e.domains.extend(s.domains.iter().copied());
            if e.date.is_none() {
                e.date.clone_from(&s.date);
            }
        }
    }
    for e in &mut events {
        e.actors.sort();
        e.actors.dedup();
        e.domains.sort();
        e.domains.dedup();
    }
    // Adding a typeless selection's codes can make two events equal.
    let mut out: Vec<UnitEvent> = Vec::with_capacity(events.len());
    for e in events {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Birinchi gap. Oʻzbekiston va Qozogʻiston kelishuv imzoladi. Uchinchi gap bu.";

    fn spans() -> (Vec<Span>, Vec<Span>) {
        let second = TEXT.find("Oʻzbekiston").unwrap();
        let third = TEXT.find("Uchinchi").unwrap();
        let sentences = vec![Span::new(0, 13), Span::new(second, third - 1), Span::new(third, TEXT.len())];
        (vec![Span::new(second, third - 1)], sentences)
    }

    #[test]
    fn a_phrase_or_a_loose_selection_codes_the_unit_it_lies_in() {
        let (evidence, sentences) = spans();
        let unit = evidence[0];
        let phrase = TEXT.find("kelishuv").unwrap();
        assert_eq!(unit_of(TEXT, phrase, phrase + "kelishuv".len(), &evidence, &sentences), Some(unit));
        // Without its full stop, and with the space before it.
        assert_eq!(unit_of(TEXT, unit.start - 1, unit.end - 1, &evidence, &sentences), Some(unit));
        assert_eq!(unit_of(TEXT, unit.start, unit.end, &evidence, &sentences), Some(unit));
        // No evidence there: the sentence.
        let third = TEXT.find("gap bu").unwrap();
        assert_eq!(unit_of(TEXT, third, third + 3, &evidence, &sentences), Some(sentences[2]));
        // Across two sentences: both.
        assert_eq!(unit_of(TEXT, 3, phrase, &evidence, &sentences), Some(Span::new(0, unit.end)));
        // White space only, or bounds inside a character.
        assert_eq!(unit_of(TEXT, 13, 14, &evidence, &sentences), None);
        let inside = TEXT.find('ʻ').unwrap() + 1;
        assert_eq!(unit_of(TEXT, inside, inside + 3, &evidence, &sentences), None);
    }

    #[test]
    fn selections_of_one_unit_merge_into_its_events() {
        let kaz = ActorCode::new("KAZ").unwrap();
        let uzb = ActorCode::new("UZB").unwrap();
        let agreement = Said { types: vec![EventType::Agreement], actors: vec![kaz, uzb], domains: vec![Domain::Water], date: Some("2024-03".into()) };
        let partnership = Said { types: vec![EventType::Partnership], actors: vec![kaz, uzb], domains: vec![], date: None };
        let domain_only = Said { types: vec![], actors: vec![], domains: vec![Domain::Transport], date: None };
        let events = merge(&[agreement.clone(), partnership, agreement.clone(), domain_only.clone()]);
        assert_eq!(events.iter().map(|e| e.event_type).collect::<Vec<_>>(), [EventType::Agreement, EventType::Partnership]);
        assert_eq!(events[0].domains, [Domain::Water, Domain::Transport].iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>());
        assert_eq!(events[1].domains, [Domain::Transport]);
        assert_eq!(events[0].date.as_deref(), Some("2024-03"));
        assert!(merge(&[domain_only.clone(), Said::default()]).is_empty(), "no type: no event");
        assert_eq!(merge(&[agreement.clone()]).len(), 1);
    }
}
