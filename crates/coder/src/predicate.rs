//! Which verb governs each event word, and in what form: the coder's use of the grammar layer
//! (`lexicon/grammar.toml`, compiled by [`hamkor_lexicon::grammar`]).
//!
//! A text reports an event as done only when the verb that carries it is in a form that says so.
//! Stated as rules:
//!
//! 1. Every word that is a form of a listed verb gets that form ([`Lexicon::verbs_into`]).
//! 2. Auxiliaries change a neighbour's form: a `before` word (не, will, хоҳад, to) the next verb
//!    within three words, an `after` word (edi, emas, үшін, kutilmoqda) the verb within two words
//!    before it. A negation wins over everything; a past auxiliary (edi, еді, эле, буд) makes a
//!    participle, converb or progressive before it a past.
//! 3. An event word that is itself a verb takes its own form; a converb (-ib, -ып, -yp, карда)
//!    takes the form of the next verb that is not a converb.
//! 4. An event noun (and a verbal noun: signing, imzolash, подписание) takes the form of its
//!    governor. In the verb-final languages (Uzbek, Kazakh, Kyrgyz, Tajik, Turkmen) that is a
//!    participle right before it ("o‘tkazilgan uchrashuv", "өтетін кездесу"), else the first verb
//!    after it that is not a verbal noun or an attributive participle, up to a quotative (deb, деп,
//!    diýip, ки) or the end of the sentence, where a participle is the predicate. In Russian and
//!    English it is the nearest finite verb or infinitive of its clause, else of the sentence.
//! 5. A plan, expectation, condition, purpose, necessity or denial takes the event back. A past
//!    participle attached to the event word itself ("подписанное соглашение") stands only when its
//!    clause carries a date or it ends the clause (then it is the predicate).

use crate::rules::CueAt;
use hamkor_lexicon::{Hit, Lang, Lexicon, Meaning, Reach, Token, VerbAt, VerbForm};
use hamkor_text::Folded;

/// Verb forms of one sentence, after the auxiliaries have acted on them.
///
/// `in_date(token)` says a word belongs to a date ("in May 2020"): it is no auxiliary there.
pub(crate) fn verbs_of(
    lex: &Lexicon,
    folded: &Folded,
    tokens: &[Token],
    hits: &[Hit],
    lang: Option<Lang>,
    in_date: &dyn Fn(usize) -> bool,
    out: &mut Vec<VerbAt>,
) {
    lex.verbs_into(folded, tokens, hits, lang, out);
    if out.is_empty() {
        return;
    }
    let is_aux = |h: &Hit| matches!(lex.term(h.term).meaning, Meaning::Grammar { reach: Reach::Next | Reach::Previous, .. });
    for h in hits {
        let term = lex.term(h.term);
        let Meaning::Grammar { form, reach } = term.meaning else { continue };
        if !Lang::grammar_applies(lang, term.lang) || in_date(h.first) {
            continue;
        }
        // "agreed to" is one auxiliary, not "agreed" and then "to".
        if hits.iter().any(|o| is_aux(o) && o.first <= h.first && h.last <= o.last && o.last - o.first > h.last - h.first) {
            continue;
        }
        // An auxiliary acts on a verb, not on a verbal noun ("to the laws ratifying").
        let target = match reach {
            Reach::Itself => continue,
            // (The English progressive "are signing" is the one verbal noun a "be" acts on.)
            Reach::Next => out
                .iter()
                .position(|v| v.token > h.last && v.token <= h.last + 3)
                .filter(|&k| out[k].form != VerbForm::VerbalNoun || (form == VerbForm::Present && out[k].token == h.last + 1)),
            Reach::Previous => out.iter().rposition(|v| v.token < h.first && v.token + 2 >= h.first),
        };
        let Some(k) = target else { continue };
        let v = &mut out[k];
        v.form = combine(v.form, form);
    }
}

/// The form a verb has once an auxiliary acts on it.
fn combine(verb: VerbForm, aux: VerbForm) -> VerbForm {
    use VerbForm::*;
    match (verb, aux) {
        (Negative, _) | (_, Negative) => Negative,
        // "imzolagan edi", "қол қойған еді": had signed. A plan already marked stays a plan.
        (ParticiplePast | Converb | Present | Past | VerbalNoun | Base, Past) => Past,
        (v, Past) => v,
        (_, a) => a,
    }
}

/// Where a sentence's clause ends for rule 4: words that close a reported clause.
fn is_quotative(word: &str) -> bool {
    matches!(word, "деб" | "deb" | "деп" | "diyip" | "diýip" | "дип" | "ки" | "ki" | "дея" | "deya")
}

/// The last word of a verb-final sentence's own predicate: the last word, or the word before a
/// closing quotative frame ("… oʻtkaziladi, deya xabar bermoqda agentlik", "… пландалган», —
/// деди ал", "… geçiriler diýip habar berýär").
pub(crate) fn main_clause_end(folded: &str, tokens: &[Token]) -> usize {
    const FRAME: usize = 8;
    let last = tokens.len().saturating_sub(1);
    let from = tokens.len().saturating_sub(FRAME).max(1);
    (from..tokens.len())
        .find(|&k| {
            let w = &folded[tokens[k].start..tokens[k].end];
            // Not "ки": in Tajik it opens a complement ("хабар дод, ки …"); it closes nothing.
            matches!(w, "деб" | "deb" | "деп" | "diyip" | "diýip" | "дип" | "deya" | "дея" | "dedi" | "деди" | "деді" | "diydi" | "diýdi" | "гуфт" | "гуфта")
        })
        .map_or(last, |k| k - 1)
}

/// "… ceremony to hand …": the verb at `token` follows "to", and the word before "to" is no verb.
fn noun_before_to(token: usize, verbs: &[VerbAt], tokens: &[Token], folded: &str) -> bool {
    token >= 2
        && &folded[tokens[token - 1].start..tokens[token - 1].end] == "to"
        && !verbs.iter().any(|v| v.token == token - 2)
}

/// A converb (-ib, -ып, -yp, карда) has the form of the next verb that is not one; a chain that
/// ends the sentence reports what was done.
fn converb_form(converb: &VerbAt, verbs: &[VerbAt]) -> VerbForm {
    verbs.iter().find(|n| n.token > converb.token && n.form != VerbForm::Converb).map_or(VerbForm::Past, |n| n.form)
}

/// The form that governs an event cue, if any verb does.
pub(crate) fn governing_form(cue: &CueAt, verbs: &[VerbAt], tokens: &[Token], folded: &str, clauses: &[usize], verb_final: bool) -> Option<VerbForm> {
    use VerbForm::*;
    let own = verbs.iter().rev().find(|v| v.token >= cue.token && v.token <= cue.last);
    if let Some(v) = own {
        match v.form {
            Converb => return Some(converb_form(v, verbs)),
            VerbalNoun => {}
            // "a ceremony to hand over aid was held": an infinitive after a noun names what the
            // noun is; the clause's verb says whether it happened. After a verb ("plans to
            // sign", "met to discuss") it is a purpose or a plan.
            Infinitive if !verb_final && noun_before_to(v.token, verbs, tokens, folded) => {}
            f => return Some(f),
        }
    }
    let last_token = tokens.len().saturating_sub(1);
    if verb_final {
        if let Some(p) = verbs.iter().find(|v| v.token + 1 == cue.token) {
            if matches!(p.form, ParticiplePast | ParticipleFuture | Present) {
                return Some(p.form);
            }
        }
        for v in verbs.iter().filter(|v| v.token > cue.last) {
            // A quotative before the verb ends the clause the cue is in.
            let quoted = tokens[cue.last + 1..v.token].iter().any(|t| is_quotative(&folded[t.start..t.end]));
            if quoted {
                return None;
            }
            match v.form {
                VerbalNoun => continue,
                ParticiplePast | ParticipleFuture if v.token < last_token => continue,
                ParticiplePast => return Some(Past),
                Converb => return Some(converb_form(v, verbs)),
                f => return Some(f),
            }
        }
        return None;
    }
    let own_token = own.map(|v| v.token);
    let finite = |v: &&VerbAt| !matches!(v.form, VerbalNoun | ParticiplePast | Converb) && Some(v.token) != own_token;
    let nearest = |pool: Vec<&VerbAt>| pool.into_iter().min_by_key(|v| (v.token as i64 - cue.token as i64).abs()).map(|v| v.form);
    let clause = clauses.get(cue.token).copied();
    let in_clause: Vec<&VerbAt> = verbs.iter().filter(finite).filter(|v| clauses.get(v.token).copied() == clause).collect();
    if !in_clause.is_empty() {
        return nearest(in_clause);
    }
    nearest(verbs.iter().filter(finite).collect())
}
