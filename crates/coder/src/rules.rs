//! How concepts found in a sentence become events. Each rule is stated in words first.
//!
//! - meeting: a `meet` cue, or the name of a multilateral format (the Consultative Meeting), that
//!   no plan, negation or telephone cue in its clause takes back; failing those, an `arrive` cue
//!   ("arrived", "received") gives a weak meeting that other events of the sentence or the
//!   document can explain away.
//! - agreement: a `sign` cue and a `document` (or `partnership`) cue; not when the clause is about
//!   ratifying (a president "signed the law ratifying" an agreement is a ratification), unless the
//!   sign cue is a dated past participle ("the law ratifying the agreement signed on 3 November").
//! - ratification: a `ratify` cue, or a `ratify_weak` cue ("tassyklady") with a document cue.
//! - partnership: a `partnership` cue with a `sign` (not in a ratifying clause), `raise` or
//!   `establish` cue.
//! - aid: an `aid` cue, or a `send` cue in a sentence about health or disasters ("sent 400
//!   ventilators", "donated flour to the flood zone").
//! - joint_activity: a `joint` cue, or a `forum` cue in a sentence that reports no summit or talks.
//! - institution: an `establish` cue and a `body` cue.
//!
//! A `plan` or `negation` cue takes back every event cue of its clause (clauses end at , ; : —
//! and brackets), so "will sign", "did not sign", "Mirziyoyev will visit" code nothing.

use hamkor_lexicon::Concept;
use hamkor_model::EventType;

/// A cue found in a sentence, with its clause and whether modality took it back.
#[derive(Debug, Clone, Copy)]
pub struct CueAt {
    pub concept: Concept,
    pub token: usize,
    /// Last token of the cue's words.
    pub last: usize,
    pub clause: usize,
    pub suppressed: bool,
    /// A past participle with a date in its clause: "the agreement signed on 3 November 2022"
    /// cites a signing that took place, even inside a law on ratifying it.
    pub dated_participle: bool,
    /// A past verb with a date in its clause ("…, ки 5 сентябри соли 2017 имзо шуда буд"): a
    /// dated fact that a plan elsewhere in the sentence does not take back.
    pub dated_past: bool,
}

impl CueAt {
    /// A cue on tokens `token..=last` of clause `clause`, not (yet) taken back.
    pub fn new(concept: Concept, token: usize, last: usize, clause: usize) -> CueAt {
        CueAt { concept, token, last, clause, suppressed: false, dated_participle: false, dated_past: false }
    }
}

/// An event type a sentence supports, and the token of its main cue (for picking the date).
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    pub event_type: EventType,
    pub token: usize,
    /// How many distinct cues support it (more is surer).
    pub support: u8,
    /// A meeting known only from arrival or reception words.
    pub weak: bool,
}

fn live(cues: &[CueAt], c: Concept) -> impl Iterator<Item = &CueAt> {
    cues.iter().filter(move |x| x.concept == c && !x.suppressed)
}

fn any(cues: &[CueAt], c: Concept) -> bool {
    live(cues, c).next().is_some()
}

/// Which event types the cues of one sentence support. `format_tokens` are the tokens where a
/// multilateral format is named (each acts as a meeting cue); `remote` says the sentence reports a
/// telephone or video call.
pub fn triggers(cues: &[CueAt], format_tokens: &[(usize, bool)], remote: bool, relief_goods: bool) -> Vec<Trigger> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Trigger>, event_type, token, support: usize| {
        out.push(Trigger { event_type, token, support: support.min(4) as u8, weak: false })
    };

    if !remote {
        let meets: Vec<&CueAt> = live(cues, Concept::Meet).collect();
        let formats: Vec<usize> = format_tokens.iter().filter(|(_, sup)| !sup).map(|(t, _)| *t).collect();
        if let Some(first) = meets.first().map(|c| c.token).or(formats.first().copied()) {
            push(&mut out, EventType::Meeting, first, meets.len() + formats.len());
        } else if let Some(arrive) = live(cues, Concept::Arrive).next() {
            out.push(Trigger { event_type: EventType::Meeting, token: arrive.token, support: 1, weak: true });
        }
    }
    let meeting = out.iter().any(|t| t.event_type == EventType::Meeting && !t.weak);

    // A word that can mean merely "confirmed" (Turkmen "tassyklady") ratifies only a document
    // the sentence names.
    let documented = any(cues, Concept::Document) || any(cues, Concept::Partnership);
    let ratify: Vec<&CueAt> =
        cues.iter().filter(|c| !c.suppressed && (c.concept == Concept::Ratify || (c.concept == Concept::RatifyWeak && documented))).collect();
    if let Some(r) = ratify.first() {
        push(&mut out, EventType::Ratification, r.token, ratify.len());
    }

    let ratify_clauses: Vec<usize> =
        cues.iter().filter(|c| c.concept == Concept::Ratify || (c.concept == Concept::RatifyWeak && documented)).map(|c| c.clause).collect();
    let signs: Vec<&CueAt> = live(cues, Concept::Sign).filter(|c| c.dated_participle || !ratify_clauses.contains(&c.clause)).collect();
    let has_doc = any(cues, Concept::Document) || any(cues, Concept::Partnership);
    if let (Some(s), true) = (signs.first(), has_doc) {
        push(&mut out, EventType::Agreement, s.token, 1 + signs.len());
    }

    if let Some(p) = live(cues, Concept::Partnership).next() {
        // Signing a treaty of alliance establishes the status; ratifying it does not again.
        if !signs.is_empty() || any(cues, Concept::Raise) || any(cues, Concept::Establish) {
            push(&mut out, EventType::Partnership, p.token, 2);
        }
    }

    let aids: Vec<&CueAt> = live(cues, Concept::Aid).collect();
    if let Some(a) = aids.first() {
        push(&mut out, EventType::Aid, a.token, aids.len());
    } else if let (Some(s), true) = (live(cues, Concept::Send).next(), relief_goods) {
        push(&mut out, EventType::Aid, s.token, 1);
    }

    let joints: Vec<&CueAt> = live(cues, Concept::Joint).collect();
    let forum = live(cues, Concept::Forum).next().filter(|_| !meeting);
    if let Some(j) = joints.first().copied().or(forum) {
        push(&mut out, EventType::JointActivity, j.token, joints.len() + forum.is_some() as usize);
    }

    if let (Some(e), true) = (live(cues, Concept::Establish).next(), any(cues, Concept::Body)) {
        push(&mut out, EventType::Institution, e.token, 2);
    }
    out
}
