//! The coder: multilingual text in, cooperation events with evidence spans out.
//!
//! Pure: no I/O, no global state; one [`Coder`] is shared by all threads. The pipeline for one
//! document:
//!
//! 1. split the original text into sentences (byte spans);
//! 2. fold each sentence into its match key, keeping the offset map ([`hamkor_text::Folded`]);
//! 3. find the lexicon's terms: actors, formats, cue concepts, date words ([`hamkor_lexicon`]);
//! 4. find the date expressions and resolve them against the publication date ([`dates`]);
//! 5. turn concepts into event types ([`rules`]), pick actors (carrying "the sides" over from the
//!    previous sentence), domains and a date, and map every span back to the original bytes;
//! 6. merge repeated reports of the same (type, actors, date) within the document.
//!
//! Text the coder cannot handle never fails: it becomes a [`Diagnostic`].

pub mod dates;
mod predicate;
pub mod rules;

use dates::{DateMention, Written};
use hamkor_lexicon::{ActorKind, Concept, CueLangs, Hit, Lang, Lexicon, Meaning, Role, Token, VerbAt, VerbForm};
use hamkor_model::{ActorCode, CodedDocument, Cue, Diagnostic, Domain, Event, EventType, InputDocument, PartialDate, Span};
use rules::{CueAt, Trigger};
use std::collections::{BTreeSet, HashMap};

/// Documents longer than this are coded in their first `max_text_bytes` only, with a diagnostic.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Sentences longer than this are cut (a run-on table or a file without punctuation).
const MAX_SENTENCE_BYTES: usize = 4096;

/// Sentences analysed together, so that an aid sentence can borrow its recipient from a later one.
const WINDOW: usize = 64;

pub struct Coder {
    lexicon: Lexicon,
    pub max_text_bytes: usize,
}

/// One actor mention in a sentence.
#[derive(Debug, Clone)]
struct ActorAt {
    code: ActorCode,
    token: usize,
    /// Last token of the name.
    last: usize,
    role: Role,
    span: Span,
    /// Named as the place of something ("in Ashgabat", "в Казахстане", "Toshkentda").
    venue: bool,
}

/// What one sentence says, before it becomes events.
#[derive(Debug, Clone)]
struct Sentence {
    span: Span,
    actors: Vec<ActorAt>,
    cues: Vec<CueAt>,
    cue_spans: Vec<Span>,
    /// Format index, token, and whether modality took it back.
    formats: Vec<(usize, usize, bool)>,
    dates: Vec<(DateMention, Option<PartialDate>)>,
    domains: BTreeSet<Domain>,
    remote: bool,
    context_word: bool,
    modality_dropped: bool,
    /// Documents cited by their date ("Соглашение … от 20 марта 2006 года", "2024-yil
    /// 4-dekabrdagi … bitim"): the date each was signed and the span of the date.
    cited: Vec<(PartialDate, Span)>,
}

/// Buffers reused from sentence to sentence, so that coding allocates little per sentence.
#[derive(Default)]
struct Scratch {
    folded: hamkor_text::Folded,
    tokens: Vec<Token>,
    hits: Vec<Hit>,
    clauses: Vec<usize>,
    verbs: Vec<VerbAt>,
}

/// An event before the document-level merge, with what the merge needs to know.
struct Draft {
    event: Event,
    /// Where the date comes from: 2 written in the event's sentence, 1 carried from an earlier
    /// sentence, 0 the publication date.
    date_rank: u8,
    /// A meeting known only from words like "arrived" or "received".
    weak_meeting: bool,
    /// Aid merged from reports on several days of one month, dated to the month.
    operation: bool,
    /// The sentence says this is a further shipment ("the second batch").
    another: bool,
}

/// What carries from one sentence to the next.
#[derive(Default)]
struct DocState {
    /// The state whose outlet published the text (`source`), for "our head of state".
    publisher: Option<ActorCode>,
    context: Vec<ActorCode>,
    narrative_date: Option<PartialDate>,
    year_hint: Option<i32>,
    /// The parties and date of the telephone or video call the text has just reported.
    call: Option<(Vec<ActorCode>, Option<PartialDate>)>,
}

impl Coder {
    pub fn new(lexicon: Lexicon) -> Coder {
        Coder { lexicon, max_text_bytes: DEFAULT_MAX_TEXT_BYTES }
    }

    /// A coder over the lexicon embedded in the binary.
    pub fn embedded() -> Coder {
        Coder::new(Lexicon::embedded())
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn lexicon_version(&self) -> &str {
        &self.lexicon.version
    }

    /// Code one document. Never fails: problems become diagnostics.
    pub fn code(&self, doc: &InputDocument) -> CodedDocument {
        let mut diagnostics = Vec::new();
        let mut text = doc.text.as_str();
        if text.len() > self.max_text_bytes {
            let mut cut = self.max_text_bytes;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            diagnostics.push(Diagnostic {
                code: "text-truncated".into(),
                message: format!("text is {} bytes; coded the first {} bytes only", text.len(), cut),
                span: Some(Span::new(cut, text.len())),
            });
            text = &text[..cut];
        }
        let lang = doc.lang.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| hamkor_text::detect(text).lang.to_string());
        if text.trim().is_empty() {
            diagnostics.push(Diagnostic { code: "empty-text".into(), message: "the document has no text".into(), span: None });
            return CodedDocument { id: doc.id.clone(), events: vec![], lang: Some(lang), diagnostics };
        }

        let mut drafts = Vec::new();
        let publisher = doc.source.as_deref().and_then(|s| self.lexicon.publisher_of(s));
        let mut state = DocState { publisher, ..Default::default() };
        let spans = split_semicolons(text, hamkor_text::sentences::split(text));
        let mut scratch = Scratch::default();
        let verb_final = matches!(lang.as_str(), "uz" | "kk" | "ky" | "tg" | "tk");
        let grammar_lang = Lexicon::lang_of(&lang);
        // Cue words of every language apply: the per-language lists are not complete, and a
        // Russian text borrows Uzbek or Kazakh terms. (CueLangs::for_language narrows them;
        // measured on the development set it lost more than it gained.)
        let cue_langs = CueLangs::ALL;
        for window in spans.chunks(WINDOW) {
            let sentences: Vec<Sentence> =
                window.iter().map(|&s| self.analyse(text, cut_sentence(text, s), doc.date, verb_final, grammar_lang, cue_langs, &mut state, &mut scratch)).collect();
            let recipient = aid_counterpart(&sentences);
            for (i, s) in sentences.iter().enumerate() {
                let next = sentences.get(i + 1);
                self.events_of(s, next, doc.date, &mut state, recipient.as_ref(), &mut drafts, &mut diagnostics);
            }
        }
        let events = merge_repeats(drop_weak_meetings(drafts));
        CodedDocument { id: doc.id.clone(), events, lang: Some(lang), diagnostics }
    }

    /// Find the actors, cues and dates of one sentence.
    fn analyse(
        &self,
        text: &str,
        span: Span,
        doc_date: Option<PartialDate>,
        verb_final: bool,
        grammar_lang: Option<Lang>,
        cue_langs: CueLangs,
        state: &mut DocState,
        scratch: &mut Scratch,
    ) -> Sentence {
        let lex = &self.lexicon;
        let sentence = &text[span.start..span.end];
        let Scratch { folded, tokens, hits, clauses, verbs } = scratch;
        hamkor_text::fold_into(sentence, span.start, folded);
        lex.tokens_into(folded, tokens);
        lex.hits_for(folded, text, tokens, cue_langs, hits);
        drop_contained_cues(lex, hits);
        // Clauses matter only for cues; most background sentences have none.
        if hits.iter().any(|h| matches!(lex.term(h.term).meaning, Meaning::Cue(_))) {
            clause_of_tokens(&folded.text, tokens, clauses);
        } else {
            clauses.clear();
            clauses.resize(tokens.len(), 0);
        }
        let (folded, tokens, hits) = (&*folded, &tokens[..], &hits[..]);

        let mentions = dates::find(lex, folded, tokens, hits);
        // A word that is part of a date ("7-may") is not also a cue ("may" = perhaps).
        let in_date = |t: usize| mentions.iter().any(|m| matches!(m.written, Written::Absolute { .. }) && m.first <= t && t <= m.last);
        let mut actors = Vec::new();
        let mut cues = Vec::new();
        let mut cue_spans = Vec::new();
        let mut formats = Vec::new();
        let mut domains = BTreeSet::new();
        for h in hits {
            match &lex.term(h.term).meaning {
                Meaning::Actor { code, role } => actors.push(ActorAt {
                    code: code.clone(),
                    token: h.first,
                    last: h.last,
                    role: *role,
                    span: h.span,
                    venue: *role == Role::Capital || is_venue(&folded.text, tokens, h.first, h.last),
                }),
                Meaning::OwnState => {
                    if let Some(code) = state.publisher {
                        actors.push(ActorAt { code, token: h.first, last: h.last, role: Role::Name, span: h.span, venue: false });
                    }
                }
                Meaning::Format(i) => formats.push((*i, h.first, false)),
                Meaning::Cue(Concept::Domain(d)) => {
                    domains.insert(*d);
                }
                Meaning::Cue(_) if in_date(h.first) => {}
                Meaning::Cue(c) => {
                    cues.push(CueAt::new(*c, h.first, h.last, clauses[h.first]));
                    cue_spans.push(h.span);
                }
                _ => {}
            }
        }
        actors.sort_by_key(|a| a.token);
        // "4 млрд долларов США", "US$44 billion", "2 mlrd AQSH dollari", "доллари ИМА": the state
        // next to a currency word names the money, not a party.
        let currency: Vec<(usize, usize)> = cues.iter().filter(|c| c.concept == Concept::Currency).map(|c| (c.token, c.last)).collect();
        actors.retain(|a| {
            let money_sign = text[a.span.end..].starts_with('$');
            // (A Central Asian state next to money is its recipient: "10 млн долларов Таджикистану".)
            let next_to_currency = !a.code.is_central_asian() && currency.iter().any(|&(f, l)| a.token + 1 >= f && a.token <= l + 1);
            !money_sign && !next_to_currency
        });
        // "The Year of Kazakhstan in Uzbekistan", «Год Казахстана в Узбекистане», "Oʻzbekistonda
        // Qozogʻiston yili", «Өзбекстандағы Қазақстан жылы», «Соли Қазоқистон»: a state's year in
        // a partner state is a joint cultural programme. (Not "2019 жылы", a date: the year word
        // must stand next to a state's name.)
        for a in actors.iter().filter(|a| a.role == Role::Name) {
            let word = |t: usize| tokens.get(t).map(|x| &folded.text[x.start..x.end]);
            let turkic_after = word(a.last + 1).is_some_and(|w| ["жыл", "yil", "йил", "ýyl", "yyl"].iter().any(|y| w.starts_with(y)) && w.chars().count() <= 8);
            let before = |k: usize| a.token.checked_sub(k).and_then(word);
            let year_before = before(1).is_some_and(|w| matches!(w, "год" | "года" | "году" | "соли"))
                || (before(1) == Some("of") && before(2).is_some_and(|w| w == "year"));
            if turkic_after || year_before {
                let t = if turkic_after { a.last + 1 } else { a.token - 1 };
                cues.push(CueAt::new(Concept::Joint, t, t, clauses[t]));
                cue_spans.push(folded.original_span(tokens[t].start, tokens[t].end));
                domains.insert(Domain::Culture);
                break;
            }
        }
        // "Kazakhstan allocated 50 grants for Kyrgyz students", «квота … для студентов»: places
        // and grants for another state's students are a joint educational programme. (Quotas
        // for labour migrants or trade are not.)
        if domains.contains(&Domain::Education) {
            let quotas: Vec<(usize, usize, Span)> = cues.iter().zip(&cue_spans).filter(|(c, _)| c.concept == Concept::Quota).map(|(c, sp)| (c.token, c.last, *sp)).collect();
            for (t, l, sp) in quotas {
                cues.push(CueAt::new(Concept::Joint, t, l, clauses[t]));
                cue_spans.push(sp);
            }
        }
        // "«Талибан» (организация, запрещенная решением ООН)", "(banned in Russia)": a gloss in
        // brackets says something about a word, and the states it names are no parties. (A list
        // of names in brackets, "(Kazakhstan, Kyrgyzstan and Uzbekistan)", is no gloss.)
        if sentence.contains('(') {
            let glosses = bracket_glosses(&folded.text, tokens, &actors);
            if !glosses.is_empty() {
                actors.retain(|a| !glosses.iter().any(|&(f, l)| f <= a.token && a.token <= l));
            }
        }
        for &(when, what) in SENTENCE_TAKEBACKS {
            if cues.iter().any(|c| c.concept == when) {
                for c in cues.iter_mut().filter(|c| what.contains(&c.concept)) {
                    c.suppressed = true;
                }
            }
        }
        // "Bishkek, Kyrgyzstan – The Embassy of Russia and WHO donated …", "ASTANA — …": the
        // dateline says where the text was written; its places are no parties.
        if actors.first().is_some_and(|a| a.token == 0 && a.role == Role::Capital) {
            let dash = (1..tokens.len().min(6)).find(|&k| {
                let gap = &folded.text[tokens[k - 1].end..tokens[k].start];
                gap.contains(" - ") || gap.contains('–') || gap.contains('—')
            });
            if let Some(k) = dash {
                actors.retain(|a| a.token >= k);
            }
        }
        // "As the CIS executive committee reports, …": whoever is named in the clause that gives the
        // source reports the event and is not a party to it.
        let source_clauses: BTreeSet<usize> = cues.iter().filter(|c| c.concept == Concept::Source).map(|c| c.clause).collect();
        // (Unless the source reports its own event and naming it as the source would leave that
        // event without parties: «Об этом сообщили в Минобороны Беларуси по итогам встречи
        // министра с министром обороны Кыргызстана».)
        if !source_clauses.is_empty() {
            let distinct = |list: &mut dyn Iterator<Item = &ActorAt>| list.map(|a| &a.code).collect::<BTreeSet<_>>().len();
            let kept = distinct(&mut actors.iter().filter(|a| !source_clauses.contains(&clauses[a.token])));
            let own_event = cues.iter().any(|c| is_event_cue(c.concept) && source_clauses.contains(&c.clause));
            if !(own_event && kept < 2 && distinct(&mut actors.iter()) >= 2) {
                actors.retain(|a| !source_clauses.contains(&clauses[a.token]));
            }
        }
        self.drop_settings(&cues, clauses, &mut actors);
        // "Arrived in Astana to attend the summit", "саммит доирасида ... келди": an arrival for
        // or within something else is part of it, not a meeting with the host.
        if cues.iter().any(|c| matches!(c.concept, Concept::Setting | Concept::SettingAfter | Concept::Purpose | Concept::PurposeAfter)) {
            for c in cues.iter_mut().filter(|c| c.concept == Concept::Arrive) {
                c.suppressed = true;
            }
        }
        // "Arrived in Astana to take part in the Central Asia – China summit", «саммитке катышуу
        // үчүн учуп кетти»: the summit a traveller goes to is the purpose of the journey, told
        // before it takes place; its meeting word reports nothing yet. Words outside the
        // purpose ("…, where he held talks with Tokayev") still do.
        const PURPOSE_REACH: usize = 8;
        // The purpose ends with its clause; but a format's name may hold a dash that ends a
        // clause ("«Markaziy Osiyo – Xitoy» sammitida ishtirok etish uchun"), so a format counts
        // when it starts inside the reach before a purpose written after its object.
        let purposes: Vec<(usize, usize, usize, bool)> = cues
            .iter()
            .filter_map(|c| match c.concept {
                // (From its own words: «накануне визита» names the visit it comes before.)
                Concept::Purpose => Some((c.token, c.last + PURPOSE_REACH, c.clause, false)),
                Concept::PurposeAfter => Some((c.token.saturating_sub(PURPOSE_REACH), c.token.saturating_sub(1), c.clause, true)),
                _ => None,
            })
            .collect();
        if !purposes.is_empty() {
            let governed = |t: usize, format: bool| {
                purposes.iter().any(|&(first, last, clause, after)| first <= t && t <= last && (clauses[t] == clause || (format && after)))
            };
            for c in cues.iter_mut().filter(|c| matches!(c.concept, Concept::Meet | Concept::Forum)) {
                if governed(c.token, false) {
                    c.suppressed = true;
                }
            }
            for f in formats.iter_mut() {
                if governed(f.1, true) {
                    f.2 = true;
                }
            }
        }

        // Modality: a plan or a negation takes back every event cue of its clause. In the
        // verb-final languages a plan word that ends the sentence is its main verb
        // ("…muzokaralar oʻtkazishi kutilmoqda"), and takes back the whole sentence.
        let mut takeback: BTreeSet<usize> =
            cues.iter().filter(|c| takes_back_clause(c.concept)).map(|c| c.clause).collect();
        // "It is expected that …", "Интизор меравад, ки …", "ожидается, что …": a plan clause
        // followed by a complement governs the complement too.
        let plan_clauses: Vec<usize> = takeback.iter().copied().collect();
        for c in plan_clauses {
            let next_first = tokens.iter().enumerate().find(|&(k, _)| clauses[k] == c + 1).map(|(k, _)| k);
            if let Some(k) = next_first {
                let w = &folded.text[tokens[k].start..tokens[k].end];
                // "…hamkorlik qilish niyatida: hozirda uchrashuv joyi aniqlanmoqda": a plan
                // clause that ends in a colon announces what follows it.
                let colon = k > 0 && folded.text[tokens[k - 1].end..tokens[k].start].contains(':');
                if colon || matches!(w, "that" | "что" | "чтобы" | "ки" | "ki" | "kim") {
                    takeback.insert(c + 1);
                }
            }
        }
        let has_event_cue = cues.iter().any(|c| is_event_cue(c.concept));
        if has_event_cue {
            predicate::verbs_of(lex, folded, tokens, hits, grammar_lang, &in_date, verbs);
        } else {
            verbs.clear();
        }
        let final_modal = |c: &&CueAt| takes_back_clause(c.concept);
        if verb_final
            && cues.iter().any(|c| final_modal(&c))
            && cues.iter().filter(final_modal).any(|c| {
                let last_token = predicate::main_clause_end(&folded.text, tokens);
                c.token <= last_token && c.last >= last_token
            })
        {
            // "…saparyny tamamlap, Bakuwa ugrady, ol ýerde GDA-nyň sammitine gatnaşar": a clause
            // closed by a finite past verb is a sentence of its own; the final plan governs only
            // the clauses after it.
            // (Not a Tajik relative clause, "…, ки мувофиқа шуда буданд, …": it opens with "ки";
            // Turkic relative clauses are participles, not finite verbs.)
            let closes_clause = |t: usize| clauses.get(t + 1).is_none_or(|&k| k != clauses[t]);
            let relative = |t: usize| {
                let first = clauses.iter().position(|&k| k == clauses[t]).unwrap_or(t);
                matches!(&folded.text[tokens[first].start..tokens[first].end], "ки" | "kim" | "ki")
            };
            let done_upto =
                verbs.iter().filter(|v| v.form == VerbForm::Past && closes_clause(v.token) && !relative(v.token)).map(|v| clauses[v.token]).max();
            let plan_clause = clauses.last().copied().unwrap_or(0);
            takeback.extend(clauses.iter().copied().filter(|&k| done_upto.is_none_or(|u| u >= plan_clause || k > u)));
        }
        let mut modality_dropped = false;
        // The grammar layer: an event word whose governing verb plans, expects, proposes or denies
        // it is taken back (predicate.rs states the rules).
        // Clauses whose event words the grammar took back ("…, онда ТМД саммитіне қатысады").
        let mut verb_taken: BTreeSet<usize> = BTreeSet::new();
        if has_event_cue {
            let dated_clause = |clause: usize| mentions.iter().any(|m| clauses.get(m.token) == Some(&clause));
            for c in cues.iter_mut().filter(|c| is_event_cue(c.concept) && !c.suppressed) {
                let Some(form) = predicate::governing_form(c, verbs, tokens, &folded.text, clauses, verb_final) else { continue };
                let own_participle = form == VerbForm::ParticiplePast && own_verbs(verbs, c).next().is_some();
                // "“Today we are signing a historic treaty,” he said": in direct speech the
                // present announces what the speaker is about to do, not what the text reports.
                let quoted = {
                    let before = &folded.text[..tokens[c.token].start];
                    before.matches('"').count() % 2 == 1
                };
                let take_back = if form == VerbForm::Present && quoted {
                    true
                } else if own_participle {
                    let dated = dated_clause(c.clause);
                    c.dated_participle = dated;
                    // "gol çekilen «… Ähtnama»", "подписанное «Соглашение о …»": a participle
                    // before a quoted title says that document was signed, as at a clause's end.
                    let before_title = tokens.get(c.last + 1).is_some_and(|n| folded.text[tokens[c.last].end..n.start].contains('"'));
                    let clause_final = before_title || clauses.get(c.last + 1).is_none_or(|&k| k != c.clause);
                    !dated && !clause_final
                } else {
                    // (Only the event word's own verb: a noun governed by a dated past verb is
                    // not itself dated.)
                    let own_past = own_verbs(verbs, c).any(|v| v.form == VerbForm::Past);
                    if form == VerbForm::Past && own_past {
                        c.dated_past = dated_clause(c.clause);
                    }
                    form.takes_back()
                };
                if take_back {
                    c.suppressed = true;
                    modality_dropped = true;
                    verb_taken.insert(c.clause);
                }
            }
        }
        // "Программа предусматривает встречу лидеров Узбекистана, Таджикистана и Кыргызстана, а
        // также двусторонние переговоры": a clause without a verb of its own that goes on a list
        // (names only, or "а также", "as well as", "including") continues the clause before it,
        // and a plan there governs it too.
        if !verb_final && !takeback.is_empty() {
            let last_clause = clauses.last().copied().unwrap_or(0);
            let has_verb = |k: usize| verbs.iter().any(|v| clauses.get(v.token) == Some(&k) && v.form != VerbForm::VerbalNoun);
            let goes_on_list = |k: usize| {
                let Some(first) = clauses.iter().position(|&c| c == k) else { return false };
                let word = &folded.text[tokens[first].start..tokens[first].end];
                let only_names = (first..tokens.len())
                    .take_while(|&t| clauses[t] == k)
                    .all(|t| actors.iter().any(|a| a.token <= t && t <= a.token + 3) || matches!(&folded.text[tokens[t].start..tokens[t].end], "и" | "and" | "va" | "мен" | "менен" | "ва" | "we"));
                only_names || matches!(word, "а" | "также" | "as" | "including" | "включая" | "plus")
            };
            for c in takeback.clone() {
                let mut k = c + 1;
                while k <= last_clause && !has_verb(k) && goes_on_list(k) {
                    takeback.insert(k);
                    k += 1;
                }
                // "Under article 4 of the agreement, a joint commission is established": a
                // provision that opens the sentence without a verb governs the clause after it.
                let provision = cues.iter().any(|x| x.concept == Concept::Provision && x.clause == c);
                if provision && !has_verb(c) && (0..c).all(|j| !has_verb(j)) && c < last_clause {
                    takeback.insert(c + 1);
                }
                // "Besides the ministerial meeting, Pompeo was scheduled to meet …": clauses
                // without a verb that open the sentence belong to its predicate.
                let mut k = c;
                while k > 0 && !has_verb(k - 1) && (0..k - 1).all(|j| !has_verb(j)) {
                    takeback.insert(k - 1);
                    k -= 1;
                }
            }
        }
        // "Жогорку Кеңеш 19-марттагы жыйынында …", "дар ҷаласаи навбатии Маҷлиси намояндагон":
        // a session (a meeting word that is no verb) next to a state's own body is that body's
        // session. A verb ("the speakers of the two parliaments met") stays a meeting.
        let domestic: Vec<usize> = cues.iter().filter(|c| c.concept == Concept::Domestic).map(|c| c.token).collect();
        if !domestic.is_empty() {
            // The body's name comes before its session, with the name of a committee between
            // ("Жогорку Кеңештин Социалдык маселелер … комитетинин отурумунда"); a body named well
            // after a session noun belongs to someone's title, not to the session.
            const BEFORE: usize = 12;
            const AFTER: usize = 5;
            let session = cues.iter().any(|c| {
                let own = own_verbs(verbs, c).next().map(|v| v.form);
                let noun = own.is_none_or(|f| f == VerbForm::VerbalNoun);
                c.concept == Concept::Meet && noun && domestic.iter().any(|&d| d + BEFORE >= c.token && d <= c.last + AFTER)
            });
            // What "was discussed" there was discussed at that session.
            if session {
                for c in cues.iter_mut().filter(|c| c.concept == Concept::Meet) {
                    c.suppressed = true;
                }
            }
        }
        for c in cues.iter_mut() {
            // ("On the agenda: ratifying the treaty signed in Bishkek on 5 September 2017": the
            // dated signing is a fact whatever is planned around it.)
            if takeback.contains(&c.clause) && is_event_cue(c.concept) && !c.dated_participle && !c.dated_past {
                c.suppressed = true;
                modality_dropped = true;
            }
        }
        // "The visit, scheduled for 5 January, has been postponed", "Визит … перенесен на более
        // поздний срок", "Tashrif … boshqa muddatga qoldirildi": a cancelled event is not an event,
        // however many commas stand between the event word and the verb that cancels it. Only an
        // event word that is itself a past verb of another clause stands, and then the sentence is
        // about what happened ("the presidents, whose meeting was postponed in March, met in May").
        if cues.iter().any(|c| c.concept == Concept::Cancel) {
            let cancel_clauses: BTreeSet<usize> = cues.iter().filter(|c| c.concept == Concept::Cancel).map(|c| c.clause).collect();
            let own_past = |c: &CueAt| own_verbs(verbs, c).any(|v| v.form == VerbForm::Past);
            let happened_elsewhere = cues.iter().any(|c| is_event_cue(c.concept) && !c.suppressed && !cancel_clauses.contains(&c.clause) && own_past(c));
            let mut dropped = false;
            for c in cues.iter_mut().filter(|c| is_event_cue(c.concept) && !c.suppressed) {
                if cancel_clauses.contains(&c.clause) || !happened_elsewhere {
                    c.suppressed = true;
                    dropped = true;
                }
            }
            if !happened_elsewhere {
                for f in formats.iter_mut() {
                    f.2 = true;
                }
            }
            modality_dropped |= dropped;
        }
        for f in formats.iter_mut() {
            if takeback.contains(&clauses[f.1]) {
                f.2 = true;
                modality_dropped = true;
            }
        }
        // "Rahmon ended his visit to Russia and flew to Minsk, where on 23 November he will
        // attend the CSTO summit": the parties and the date of a planned clause belong to the
        // plan, not to what the rest of the sentence reports as done.
        let live_clauses: BTreeSet<usize> = cues.iter().filter(|c| is_event_cue(c.concept) && !c.suppressed).map(|c| c.clause).collect();
        // (Only a clause that holds the plan or the event it takes back: a clause of a date or a
        // place that opens the sentence belongs to its predicate, not to the plan.)
        let planned_only: BTreeSet<usize> = cues
            .iter()
            .filter(|c| {
                (takeback.contains(&c.clause) && (matches!(c.concept, Concept::Plan | Concept::Negation) || is_event_cue(c.concept)))
                    || (verb_taken.contains(&c.clause) && is_event_cue(c.concept))
            })
            .map(|c| c.clause)
            .filter(|k| !live_clauses.contains(k))
            .collect();
        // (Only when what is done has its parties in its own clauses: "the question of ratifying
        // the treaty between Kyrgyzstan and Uzbekistan, signed on 5 September 2017" is on an agenda,
        // and the dated signing it cites takes its parties from the agenda item.)
        let live_parties: BTreeSet<&ActorCode> = actors.iter().filter(|a| live_clauses.contains(&clauses[a.token])).map(|a| &a.code).collect();
        let mentions = if live_parties.len() >= 2 && !planned_only.is_empty() {
            actors.retain(|a| !planned_only.contains(&clauses[a.token]));
            mentions.into_iter().filter(|m| !planned_only.contains(&clauses[m.first])).collect()
        } else {
            mentions
        };
        // "As the press service reported on 17 February, the sides signed …": the date of the
        // report is not the date of what it reports, when that is told in another clause.
        let event_outside_source = live_clauses.iter().any(|k| !source_clauses.contains(k));
        let mentions: Vec<DateMention> = if event_outside_source && !source_clauses.is_empty() {
            mentions.into_iter().filter(|m| !source_clauses.contains(&clauses[m.first]) || live_clauses.contains(&clauses[m.first])).collect()
        } else {
            mentions
        };
        // "Konsultatiw duşuşyklar boýunça … düzgünnama", «консультативдик жолугушуулар боюнча
        // кеңеш»: a meeting named as the topic of a document or a body ("on", "about", a
        // postposition right after it) is what they are about, not a meeting that took place.
        for c in cues.iter_mut().filter(|c| c.concept == Concept::Meet) {
            let next = tokens.get(c.last + 1).map(|t| &folded.text[t.start..t.end]);
            let topic = next.is_some_and(|w| {
                // (Folded: boýunça, boʻyicha, бўйича, бойынша, боюнча, haqida, ҳақида, туралы,
                // жөнүндө, hakynda, barada.)
                matches!(w, "boyuncha" | "boyicha" | "буйича" | "бойынша" | "боюнча" | "haqida" | "хакида" | "туралы" | "жонундо" | "жонундогу" | "hakynda" | "barada")
            });
            if topic {
                c.suppressed = true;
                // (A format whose long name ends in this meeting word: "Орталық Азия мемлекеттері
                // басшыларының Консультативтік кездесулері".)
                for f in formats.iter_mut().filter(|f| f.1 <= c.token && f.1 + 8 >= c.token) {
                    f.2 = true;
                }
            }
        }
        // "Uzbekistan concluded 320 agreements worth $44 billion": a count in the hundreds of
        // documents or meetings is a statistic, not a report of one.
        // (Not an ordinal: "91-йиғилиши", "the 13th meeting".)
        for c in cues.iter_mut().filter(|c| matches!(c.concept, Concept::Document | Concept::Meet)) {
            let counted = (c.token.saturating_sub(2)..c.token).any(|k| {
                let t = &tokens[k];
                let ordinal = folded.text[t.end..].starts_with(|ch: char| ch == '-' || ch.is_alphabetic());
                !ordinal && folded.text[t.start..t.end].parse::<u32>().is_ok_and(|n| (100..1900).contains(&n))
            });
            if counted {
                c.suppressed = true;
            }
        }
        let remote = cues.iter().any(|c| c.concept == Concept::Remote);
        let context_word = cues.iter().any(|c| c.concept == Concept::Context);

        let mut resolved = Vec::new();
        // "The dialogue dates back to 2004: the first meeting was held in August of that year":
        // a month without a year takes the year named earlier in the same sentence.
        let mut sentence_year: Option<i32> = None;
        let mut relative_year: Option<(usize, i32)> = None;
        // "April 18 last year", "18 апреля прошлого года", "18 апрели соли гузашта": a relative year
        // right after a day and month names their year too.
        let years_after: Vec<(usize, i32)> = mentions
            .iter()
            .filter_map(|m| match m.written {
                Written::RelativeYear(off) => doc_date.map(|d| (m.first, d.year + off)),
                _ => None,
            })
            .collect();
        for m in mentions {
            // "шу йилнинг май ойида" (in May of this year): the relative year names the month's year.
            if let Written::RelativeYear(off) = m.written {
                relative_year = doc_date.map(|d| (m.token, d.year + off));
            }
            let m = match (m.written, relative_year) {
                (Written::Absolute { year: None, month: Some(mo), day }, Some((at, y))) if m.token <= at + 3 => {
                    DateMention { written: Written::Absolute { year: Some(y), month: Some(mo), day }, ..m }
                }
                (Written::Absolute { year: None, month: Some(mo), day }, _) => {
                    match years_after.iter().find(|&&(at, _)| at > m.last && at <= m.last + 2) {
                        Some(&(_, y)) => DateMention { written: Written::Absolute { year: Some(y), month: Some(mo), day }, ..m },
                        None => m,
                    }
                }
                _ => m,
            };
            let d = match (m.written, sentence_year) {
                (Written::Absolute { year: None, month, day }, Some(y)) => dates::resolve(Written::Absolute { year: Some(y), month, day }, doc_date, None),
                (Written::RelativeToPrevious(off), _) => {
                    state.narrative_date.filter(|n| n.day.is_some()).map(|n| PartialDate::from_days(n.to_days() + off as i64))
                }
                _ => dates::resolve(m.written, doc_date, state.year_hint),
            };
            if let Written::Absolute { year: Some(y), .. } = m.written {
                state.year_hint = Some(y);
                sentence_year = Some(y);
            }
            // The relative year itself adds nothing once the month has taken it.
            if matches!(m.written, Written::Absolute { .. }) && relative_year.is_some_and(|(at, _)| m.token <= at + 3 && m.token > at) {
                resolved.retain(|(r, _): &(DateMention, Option<PartialDate>)| !matches!(r.written, Written::RelativeYear(_)));
            }
            resolved.push((m, d));
        }
        drop_subsumed_years(&mut resolved);
        let cited = cited_documents(text, folded, tokens, &cues, &resolved);
        Sentence { span, actors, cues, cue_spans, formats, dates: resolved, domains, remote, context_word, modality_dropped, cited }
    }

    /// Turn one analysed sentence into events.
    #[allow(clippy::too_many_arguments)]
    fn events_of(
        &self,
        s: &Sentence,
        next: Option<&Sentence>,
        doc_date: Option<PartialDate>,
        state: &mut DocState,
        aid_recipient: Option<&ActorCode>,
        drafts: &mut Vec<Draft>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let format_tokens: Vec<(usize, bool)> = s.formats.iter().map(|&(_, t, sup)| (t, sup)).collect();
        let relief_goods = s.domains.contains(&Domain::Health)
            || s.domains.contains(&Domain::Disaster)
            || s.cues.iter().any(|c| c.concept == Concept::Relief);
        let here = self.sentence_actors(s, &s.actors);
        let own_date = s.dates.iter().rev().find_map(|(_, d)| *d);
        // "Mirziyoyev had a telephone conversation with Tokayev. … The sides discussed trade": what
        // follows a call between the same parties, with no place, arrival, format or other date
        // of its own, is told of that call.
        if s.remote {
            let (parties, _) = self.with_context(&here, s.context_word, state);
            state.call = (parties.len() >= 2).then(|| (parties, own_date.or(state.narrative_date)));
        }
        let in_call = !s.remote
            && state.call.as_ref().is_some_and(|(parties, date)| {
                here.iter().all(|a| parties.contains(a))
                    && !s.actors.iter().any(|a| a.venue)
                    && !s.cues.iter().any(|c| c.concept == Concept::Arrive && !c.suppressed)
                    && s.formats.iter().all(|f| f.2)
                    && own_date.is_none_or(|d| date.is_none_or(|c| c == d))
            });
        if !s.remote && !in_call {
            state.call = None;
        }
        let triggers = rules::triggers(&s.cues, &format_tokens, s.remote || in_call, relief_goods);

        if triggers.is_empty() {
            if s.modality_dropped && here.len() >= 2 {
                diags.push(Diagnostic {
                    code: "modality".into(),
                    message: "event words taken back by a plan, a proposal or a negation".into(),
                    span: Some(s.span),
                });
            }
            if !s.cited.is_empty() {
                let (actors, from_context) = self.with_context(&here, s.context_word, state);
                self.cited_agreements(s, &actors, from_context, drafts);
            }
            let negated = s.cues.iter().any(|c| matches!(c.concept, Concept::Negation | Concept::Cancel));
            if here.len() >= 2 && !negated {
                state.context = here;
            }
            if let Some(d) = own_date {
                state.narrative_date = Some(d);
            }
            return;
        }

        // "The first meeting was held in Kazakhstan in 2004, the sixth in Ashgabat in 2017": when
        // a multilateral dialogue is what the text is about, the places of its meetings are not
        // its parties.
        let venues_only = state.context.len() >= 3
            && !here.is_empty()
            && here.iter().all(|c| state.context.contains(c) && s.actors.iter().filter(|a| a.code == *c).all(|a| a.venue))
            && triggers.iter().all(|t| t.event_type == EventType::Meeting);
        let here = if venues_only { Vec::new() } else { here };
        let (mut actors, mut from_context) = self.with_context(&here, s.context_word, state);
        // Nothing before to lean on: "The 80th session of the water commission took place. The
        // delegations of Kazakhstan, Uzbekistan and Turkmenistan…" names the parties after.
        if actors.len() < 2 {
            if let Some(n) = next {
                let ahead = self.sentence_actors(n, &n.actors);
                if ahead.len() >= 2 {
                    for a in ahead {
                        if !actors.contains(&a) {
                            actors.push(a);
                        }
                    }
                    from_context = true;
                }
            }
        }
        let has_other_type = triggers.iter().any(|t| t.event_type != EventType::Meeting);
        // "The 30th anniversary of diplomatic relations": a founding recalled without its date.
        let undated_anniversary = s.cues.iter().any(|c| c.concept == Concept::Anniversary) && own_date.is_none();
        for trig in &triggers {
            if undated_anniversary && matches!(trig.event_type, EventType::Partnership | EventType::Agreement | EventType::Institution) {
                continue;
            }
            if trig.event_type == EventType::Meeting && trig.weak && has_other_type {
                // "A team of doctors arrived in Bishkek": the arrival is the aid, not a meeting.
                continue;
            }
            let groups: Vec<Vec<ActorCode>> = match trig.event_type {
                EventType::Aid => aid_pairs(&actors, aid_recipient),
                EventType::Agreement => self.signers(s, &actors, state),
                EventType::Meeting => {
                    let listed = self.listed_formats(s);
                    if listed.len() >= 2 {
                        listed
                    } else {
                        vec![actors.clone()]
                    }
                }
                _ => vec![actors.clone()],
            };
            for group in groups {
                let group = normalise_actors(group);
                if group.len() < 2 || !group.iter().any(|a| a.is_central_asian()) {
                    diags.push(Diagnostic {
                        code: "no-counterpart".into(),
                        message: format!(
                            "{} words without two actors of whom one is a Central Asian state (found: {})",
                            trig.event_type,
                            if group.is_empty() { "none".to_string() } else { group.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ") }
                        ),
                        span: Some(s.span),
                    });
                    continue;
                }
                if let Some(pairs) = self.enumerated_partners(s, &group) {
                    for (pair, own_date) in pairs {
                        let dated = match own_date {
                            Some(d) => vec![(Some(d), 2)],
                            None => self.dates_for(s, trig, state, doc_date),
                        };
                        for (date, rank) in dated {
                            drafts.push(Draft {
                                event: self.event(s, trig, pair.clone(), date, from_context),
                                date_rank: rank,
                                weak_meeting: trig.event_type == EventType::Meeting && trig.weak,
                                operation: false,
                                another: false,
                            });
                        }
                    }
                    continue;
                }
                for (date, rank) in self.dates_for(s, trig, state, doc_date) {
                    drafts.push(Draft {
                        event: self.event(s, trig, group.clone(), date, from_context),
                        date_rank: rank,
                        weak_meeting: trig.event_type == EventType::Meeting && trig.weak,
                        operation: false,
                        another: s.cues.iter().any(|c| c.concept == Concept::Another),
                    });
                }
            }
        }
        self.cited_agreements(s, &actors, from_context, drafts);
        // "Tajikistan and Turkmenistan did not sign": who did not act is not who the next
        // sentence's "the leaders" are.
        let negated = s.cues.iter().any(|c| matches!(c.concept, Concept::Negation | Concept::Cancel));
        if here.len() >= 2 && !negated {
            state.context = here;
        } else if actors.len() >= 2 && !negated {
            state.context = actors;
        }
        if let Some(d) = own_date {
            state.narrative_date = Some(d);
        }
    }

    /// A document cited by its date is an agreement signed on that date (eval/NOTES.md), whatever
    /// the sentence does with it now (ratifies, amends, recalls, or only calls it important).
    fn cited_agreements(&self, s: &Sentence, actors: &[ActorCode], from_context: bool, drafts: &mut Vec<Draft>) {
        for &(date, date_span) in &s.cited {
            let group = normalise_actors(actors.to_vec());
            if group.len() < 2 || !group.iter().any(|a| a.is_central_asian()) {
                continue;
            }
            let trig = Trigger { event_type: EventType::Agreement, token: 0, support: 2, weak: false };
            let mut event = self.event(s, &trig, group, Some(date), from_context);
            if !event.cues.iter().any(|c| c.role == "date") {
                event.cues.push(Cue { role: "date".into(), span: date_span });
            }
            drafts.push(Draft { event, date_rank: 2, weak_meeting: false, operation: false, another: false });
        }
    }

    /// "On the sidelines of the SCO summit the presidents of Kazakhstan and Tajikistan met",
    /// "MDH sammiti doirasida …": an organisation named only as the setting of a bilateral meeting
    /// or signing is no party to it. It stays when the sentence has no event word outside the
    /// setting ("took part in the SCO summit") or fewer than two states would remain.
    fn drop_settings(&self, cues: &[CueAt], clauses: &[usize], actors: &mut Vec<ActorAt>) {
        // Within nine words, or further in the setting's own clause ("within the framework of
        // the meeting of the Health Scientific Board of the Turkic Council, …").
        const REACH: usize = 9;
        const CLAUSE_REACH: usize = 16;
        let mut regions: Vec<(usize, usize, usize)> = Vec::new();
        for c in cues {
            let near = |a: &ActorAt, gap: usize| gap <= REACH || (gap <= CLAUSE_REACH && clauses.get(a.token) == Some(&c.clause));
            let inside = |a: &ActorAt| match c.concept {
                Concept::Setting | Concept::Purpose => a.token > c.last && near(a, a.token - c.last),
                Concept::SettingAfter | Concept::PurposeAfter => a.token < c.token && near(a, c.token - a.token),
                _ => false,
            };
            for a in actors.iter().filter(|a| inside(a) && self.lexicon.actor_kind(a.code.as_str()) == Some(ActorKind::Organisation)) {
                // The city of the summit belongs to the setting too: "the CIS summit in Dushanbe",
                // "Душанбеде өткөн ШКУ саммитинин алкагында".
                // (Within the clause: "…, who arrived to attend the SCO summit, held talks".)
                regions.push(if matches!(c.concept, Concept::Setting | Concept::Purpose) { (c.token, a.token + 3, clauses[a.token]) } else { (a.token.saturating_sub(3), c.last, clauses[a.token]) });
            }
        }
        if regions.is_empty() {
            return;
        }
        let in_region = |t: usize| regions.iter().any(|&(f, l, clause)| f <= t && t <= l && clauses.get(t) == Some(&clause));
        let event_outside = cues.iter().any(|c| matches!(c.concept, Concept::Meet | Concept::Sign | Concept::Document) && !in_region(c.token));
        if !event_outside {
            return;
        }
        let is_setting =
            |a: &ActorAt| in_region(a.token) && (a.role == Role::Capital || self.lexicon.actor_kind(a.code.as_str()) == Some(ActorKind::Organisation));
        // (The parties left may be a state and an organisation met outside the setting: "within
        // the framework of the Turkic Council's meeting, the minister met the WHO's director".)
        let mut parties: Vec<ActorCode> = actors
            .iter()
            .filter(|a| !is_setting(a) && self.lexicon.actor_kind(a.code.as_str()).is_some())
            .filter(|a| a.role != Role::Capital || a.code.is_central_asian())
            .map(|a| a.code)
            .collect();
        parties.sort();
        parties.dedup();
        if parties.len() >= 2 && parties.iter().any(|c| c.is_central_asian()) {
            actors.retain(|a| !is_setting(a));
        }
    }

    /// "Summits such as Central Asia–China, EU–Central Asia and Central Asia–Russia were held":
    /// formats named in a list are one meeting each, of each format's participants (when the
    /// sentence does not name the states itself).
    fn listed_formats(&self, s: &Sentence) -> Vec<Vec<ActorCode>> {
        if named_central_asian(s, &s.actors) >= 2 {
            return Vec::new();
        }
        let mut out: Vec<Vec<ActorCode>> = Vec::new();
        for &(f, _, suppressed) in &s.formats {
            let p = normalise_actors(self.lexicon.formats[f].participants.clone());
            if !suppressed && !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// "Rahmon paid state visits to Sri Lanka and India", "strategic partnerships with Türkiye
    /// in 2017 and with Azerbaijan in 2018": one Central Asian state with several partner states
    /// named in a list is one bilateral event with each, dated by the date written after that
    /// partner when the sentence gives several. Not for a multilateral format or a sentence that
    /// says trilateral or multilateral, and not when an organisation takes part.
    fn enumerated_partners(&self, s: &Sentence, group: &[ActorCode]) -> Option<Vec<(Vec<ActorCode>, Option<PartialDate>)>> {
        let central: Vec<&ActorCode> = group.iter().filter(|a| a.is_central_asian()).collect();
        let partners: Vec<&ActorCode> = group.iter().filter(|a| !a.is_central_asian()).collect();
        if central.len() != 1 || partners.len() < 2 {
            return None;
        }
        if partners.iter().any(|p| self.lexicon.actor_kind(p.as_str()) != Some(ActorKind::State)) {
            return None;
        }
        if !s.formats.is_empty() || s.cues.iter().any(|c| c.concept == Concept::Multilateral) {
            return None;
        }
        let dated: Vec<(usize, PartialDate)> = s.dates.iter().filter_map(|(m, d)| d.map(|d| (m.token, d))).collect();
        let distinct: BTreeSet<PartialDate> = dated.iter().map(|(_, d)| *d).collect();
        let mut out = Vec::new();
        for p in partners {
            let at = s.actors.iter().find(|a| a.code == *p).map(|a| a.token);
            let own = match at {
                Some(t) if distinct.len() >= 2 => dated.iter().find(|(dt, _)| *dt > t).or(dated.last()).map(|(_, d)| *d),
                _ => None,
            };
            out.push((normalise_actors(vec![*central[0], *p]), own));
        }
        Some(out)
    }

    /// The actors a sentence names, in order, without venue-only mentions.
    fn sentence_actors(&self, s: &Sentence, mentions: &[ActorAt]) -> Vec<ActorCode> {
        let mut out: Vec<ActorCode> = Vec::new();
        let push = |out: &mut Vec<ActorCode>, c: &ActorCode| {
            if !out.contains(c) {
                out.push(c.clone());
            }
        };
        for a in mentions {
            // A partner state's capital is usually only where something happened ("in Vienna").
            if a.role == Role::Capital && !a.code.is_central_asian() {
                continue;
            }
            push(&mut out, &a.code);
        }
        // A format names its usual participants, when the sentence does not name them itself
        // (and "Supreme Interstate Council" with Kyrgyzstan named is not the Uzbek one).
        if named_central_asian(s, mentions) < 2 {
            for &(f, _, _) in &s.formats {
                for p in &self.lexicon.formats[f].participants {
                    push(&mut out, p);
                }
            }
        }
        // Partner capitals count when nothing else names the counterpart ("Moscow is ready to…").
        if out.len() < 2 {
            for a in mentions.iter().filter(|a| a.role == Role::Capital && !a.code.is_central_asian()) {
                push(&mut out, &a.code);
            }
        }
        // A group code stands in only when the states are not named one by one.
        let states = out.iter().filter(|c| self.lexicon.actor_kind(c.as_str()) == Some(ActorKind::State)).count();
        if states >= 2 {
            out.retain(|c| self.lexicon.actor_kind(c.as_str()) != Some(ActorKind::Group));
        }
        out
    }

    /// Fill a sentence that names fewer than two actors ("the sides signed…") from the last
    /// sentence that named two or more.
    fn with_context(&self, here: &[ActorCode], context_word: bool, state: &DocState) -> (Vec<ActorCode>, bool) {
        let ctx = &state.context;
        if ctx.is_empty() {
            return (here.to_vec(), false);
        }
        let has_ca = here.iter().any(|a| a.is_central_asian());
        // "The leaders then met in Tashkent in 2019, in Awaza in 2021…": the sides are those of
        // the context when the sentence names only some of them.
        // (Only for three or more: "both sides" after a bilateral sentence are that pair.)
        let subset_of_context = here.len() >= 3 && here.iter().all(|a| ctx.contains(a)) && here.len() < ctx.len();
        let lean = here.len() < 2 || !has_ca || (context_word && subset_of_context);
        if !lean {
            return (here.to_vec(), false);
        }
        // "Xi Jinping hosted a summit with the five countries" after a sentence on Biden's summit
        // with them: the partner named now replaces the partner of the context.
        let new_partner = here.iter().any(|a| !a.is_central_asian() && self.lexicon.actor_kind(a.as_str()) == Some(ActorKind::State));
        let mut out: Vec<ActorCode> = ctx.iter().filter(|a| !new_partner || a.is_central_asian() || here.contains(a)).copied().collect();
        for a in here {
            if !out.contains(a) && self.lexicon.actor_kind(a.as_str()) != Some(ActorKind::Group) {
                out.push(*a);
            }
        }
        (out, true)
    }

    /// The parties of each signing in a sentence: actors are split between the signing verbs, so
    /// that "the leaders adopted a statement, and A, B and C signed the treaty" gives two parties.
    fn signers(&self, s: &Sentence, actors: &[ActorCode], state: &DocState) -> Vec<Vec<ActorCode>> {
        // (Two stems of one word, «подписал» and «подписали», are one signing.)
        let mut signs: Vec<usize> = s.cues.iter().filter(|c| c.concept == Concept::Sign && !c.suppressed).map(|c| c.token).collect();
        signs.dedup();
        if signs.len() < 2 {
            return vec![actors.to_vec()];
        }
        let mut groups = Vec::new();
        for (k, &tok) in signs.iter().enumerate() {
            let lo = if k == 0 { 0 } else { signs[k - 1] + 1 };
            let hi = if k + 1 == signs.len() { usize::MAX } else { tok };
            let part: Vec<ActorAt> = s.actors.iter().filter(|a| a.token >= lo && a.token <= hi.min(usize::MAX)).cloned().collect();
            let part = self.sentence_actors(s, &part);
            let named_states = part.iter().filter(|c| self.lexicon.actor_kind(c.as_str()) == Some(ActorKind::State)).count();
            let only_group = !part.is_empty() && part.iter().all(|c| self.lexicon.actor_kind(c.as_str()) == Some(ActorKind::Group));
            if named_states >= 2 {
                groups.push(part);
            } else if only_group && state.context.len() >= 2 {
                // "The leaders of the Central Asian states adopted a statement": those of the context.
                groups.push(state.context.clone());
            } else {
                groups.push(actors.to_vec());
            }
        }
        groups
    }

    /// The date(s) of an event: the date expression nearest its cue; for a meeting sentence that
    /// lists several years ("met in 2019, in 2021 and in 2022"), one per year; else the date the
    /// narrative is at, else the publication date.
    fn dates_for(&self, s: &Sentence, trig: &Trigger, state: &DocState, doc_date: Option<PartialDate>) -> Vec<(Option<PartialDate>, u8)> {
        // A coded event has happened: a date well after the publication date ("the Central Asia
        // 2040 strategy", "a roadmap to 2030") is a horizon, not the event's date.
        let horizon = doc_date.map(|d| PartialDate::year(d.year).to_days() + 366 + 31);
        let dated: Vec<(usize, PartialDate)> = s
            .dates
            .iter()
            .filter_map(|(m, d)| d.map(|d| (m.token, d)))
            .filter(|(_, d)| horizon.is_none_or(|h| d.to_days() <= h))
            .collect();
        if trig.event_type == EventType::Meeting {
            let years: BTreeSet<i32> = dated.iter().map(|(_, d)| d.year).collect();
            if years.len() >= 3 {
                let mut seen = BTreeSet::new();
                return dated.iter().filter(|(_, d)| seen.insert(d.year)).map(|(_, d)| (Some(*d), 2)).collect();
            }
        }
        if let Some((_, d)) = dated.iter().min_by_key(|(t, _)| (*t as i64 - trig.token as i64).abs()) {
            return vec![(Some(*d), 2)];
        }
        match state.narrative_date {
            Some(d) => vec![(Some(d), 1)],
            None => vec![(doc_date, 0)],
        }
    }

    fn event(&self, s: &Sentence, trig: &Trigger, actors: Vec<ActorCode>, date: Option<PartialDate>, carried: bool) -> Event {
        let domains = domains_for(trig.event_type, &s.domains);
        let mut cues = Vec::new();
        for (c, span) in s.cues.iter().zip(&s.cue_spans) {
            if !c.suppressed && is_event_cue(c.concept) {
                let name = concept_name(c.concept);
                let mut role = String::with_capacity(4 + name.len());
                role.push_str("cue:");
                role.push_str(name);
                cues.push(Cue { role, span: *span });
            }
        }
        for a in &s.actors {
            if actors.contains(&a.code) {
                let mut role = String::with_capacity(12);
                role.push_str("actor:");
                role.push_str(a.code.as_str());
                cues.push(Cue { role, span: a.span });
            }
        }
        if let Some((m, _)) = s.dates.iter().find(|(_, d)| *d == date && date.is_some()) {
            cues.push(Cue { role: "date".into(), span: m.span });
        }
        let mut confidence = 0.45 + 0.1 * trig.support as f32;
        if carried {
            confidence -= 0.2;
        }
        if date.is_none() {
            confidence -= 0.05;
        }
        Event {
            event_type: trig.event_type,
            actors,
            domains,
            date,
            evidence: s.span,
            confidence: confidence.clamp(0.05, 0.95),
            cues,
            lexicon: self.lexicon.version.clone(),
        }
    }
}

/// The verbs on an event word's own tokens (the word is itself a verb: "signed", "imzolandi").
fn own_verbs<'a>(verbs: &'a [VerbAt], c: &CueAt) -> impl Iterator<Item = &'a VerbAt> {
    let (first, last) = (c.token, c.last);
    verbs.iter().filter(move |v| v.token >= first && v.token <= last)
}

/// Token ranges of bracketed glosses: brackets holding at least two words that are neither an
/// actor's name nor a conjunction.
fn bracket_glosses(folded: &str, tokens: &[Token], actors: &[ActorAt]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for i in 0..tokens.len() {
        let before = if i == 0 { &folded[..tokens[0].start] } else { &folded[tokens[i - 1].end..tokens[i].start] };
        if before.contains(')') {
            if let Some(f) = open.take() {
                out.push((f, i - 1));
            }
        }
        if before.contains('(') {
            open = Some(i);
        }
    }
    if let Some(f) = open {
        if folded[tokens[tokens.len() - 1].end..].contains(')') {
            out.push((f, tokens.len() - 1));
        }
    }
    out.retain(|&(f, l)| {
        let plain = (f..=l)
            .filter(|&t| {
                let w = &folded[tokens[t].start..tokens[t].end];
                let named = actors.iter().any(|a| a.token <= t && t <= a.last);
                !named && !matches!(w, "and" | "и" | "va" | "ва" | "мен" | "менен" | "жана" | "we" | "hem" | "or" | "или")
            })
            .count();
        plain >= 2
    });
    out
}

/// How many Central Asian states a sentence names as its parties: those named after "including"
/// ("all six countries, including Turkmenistan and Tajikistan, signed") are examples of a set
/// the sentence names otherwise, and do not count.
fn named_central_asian(s: &Sentence, mentions: &[ActorAt]) -> usize {
    let including = s.cues.iter().filter(|c| c.concept == Concept::Including).map(|c| c.token).min();
    mentions
        .iter()
        .filter(|a| a.code.is_central_asian() && including.is_none_or(|t| a.token < t))
        .map(|a| a.code)
        .collect::<BTreeSet<_>>()
        .len()
}

/// Documents a sentence cites by their full date: a date right after «от», "of", "dated", «аз»
/// that follows a document word within its title ("Соглашение между … о … от 20 марта 2006
/// года", "the Agreement of 16 October 2004"), or a date with the Turkic attributive ending
/// (-dagi, -даги, -дағы, -дагы, -daky) shortly before one ("2024-yil 4-dekabrdagi … bitim",
/// "2006 жылғы 20 наурыздағы келісім"). Only dates with a day: "the 2006 agreement" may name
/// the year of anything about it.
fn cited_documents(text: &str, folded: &hamkor_text::Folded, tokens: &[Token], cues: &[CueAt], dates: &[(DateMention, Option<PartialDate>)]) -> Vec<(PartialDate, Span)> {
    const TITLE: usize = 20;
    const BEFORE: usize = 8;
    let documents: Vec<usize> = cues.iter().filter(|c| c.concept == Concept::Document).map(|c| c.token).collect();
    if documents.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (m, d) in dates {
        let Some(d) = d.filter(|d| d.day.is_some()) else { continue };
        if !matches!(m.written, Written::Absolute { .. }) {
            continue;
        }
        let after_of = m.first > 0 && {
            let w = &folded.text[tokens[m.first - 1].start..tokens[m.first - 1].end];
            matches!(w, "от" | "of" | "dated" | "аз")
        };
        let cites_after = after_of && documents.iter().any(|&doc| doc < m.first && m.first - doc <= TITLE);
        let last = text[m.span.start..m.span.end].to_lowercase();
        let attributive = ["dagi", "даги", "дагы", "деги", "дағы", "дегі", "тағы", "тегі", "тагы", "теги", "daky", "däki", "daki", "dagy"]
            .iter()
            .any(|e| last.ends_with(e));
        let cites_before = attributive && documents.iter().any(|&doc| doc > m.last && doc - m.last <= BEFORE);
        if cites_after || cites_before {
            out.push((d, m.span));
        }
    }
    out
}

/// A place named as where something happened: after "in"/"в"/"at", or with a Turkic locative
/// ending (Toshkentda, Астанада, Aşgabatda).
fn is_venue(folded: &str, tokens: &[Token], first: usize, last: usize) -> bool {
    let before = first.checked_sub(1).map(|k| &folded[tokens[k].start..tokens[k].end]);
    if matches!(before, Some("in" | "at" | "в" | "во" | "дар")) {
        return true;
    }
    let word = &folded[tokens[last].start..tokens[last].end];
    ["da", "de", "ta", "te", "да", "де", "та", "те", "дә", "тә"].iter().any(|e| word.ends_with(e))
}

/// A concept that, named anywhere in a sentence, takes back the event words of some concepts
/// there, wherever they stand.
const SENTENCE_TAKEBACKS: &[(Concept, &[Concept])] = &[
    // "Trade turnover exceeded 4 billion dollars", "өз ара алмашуу 5 миллиарддан ашты": figures
    // of trade are no exchange programme, forum or new body.
    (Concept::Statistic, &[Concept::Joint, Concept::Forum, Concept::Establish]),
    // "Received the ambassador and expressed condolences", "laid a wreath": a ceremony is no
    // meeting between states, nor is the memorial or monument it honours a joint cultural
    // activity.
    (Concept::Ceremony, &[Concept::Meet, Concept::Arrive, Concept::Joint]),
    // "During the exercise the troops practised evacuating the wounded and giving them medical
    // aid": what an exercise rehearses is a drill, not aid sent.
    (Concept::Drill, &[Concept::Aid, Concept::Send]),
];

/// Plans, negations and provisions take back the event words of their clause.
fn takes_back_clause(c: Concept) -> bool {
    matches!(c, Concept::Plan | Concept::Negation | Concept::Provision)
}

fn is_event_cue(c: Concept) -> bool {
    matches!(
        c,
        Concept::Meet | Concept::Arrive | Concept::Send | Concept::Forum | Concept::Sign | Concept::Ratify | Concept::RatifyWeak | Concept::Partnership | Concept::Raise | Concept::Aid | Concept::Joint | Concept::Establish
    )
}

fn concept_name(c: Concept) -> &'static str {
    match c {
        Concept::Meet => "meet",
        Concept::Arrive => "arrive",
        Concept::Source => "source",
        Concept::Send => "send",
        Concept::Relief => "relief",
        Concept::Forum => "forum",
        Concept::Sign => "sign",
        Concept::Document => "document",
        Concept::Ratify | Concept::RatifyWeak => "ratify",
        Concept::Partnership => "partnership",
        Concept::Raise => "raise",
        Concept::Aid => "aid",
        Concept::Joint => "joint",
        Concept::Establish => "establish",
        Concept::Body => "body",
        Concept::Plan => "plan",
        Concept::Negation => "negation",
        Concept::Cancel => "cancel",
        Concept::Setting => "setting",
        Concept::SettingAfter => "setting_after",
        Concept::Purpose => "purpose",
        Concept::PurposeAfter => "purpose_after",
        Concept::Another => "another",
        Concept::Domestic => "domestic",
        Concept::Multilateral => "multilateral",
        Concept::Anniversary => "anniversary",
        Concept::Remote => "remote",
        Concept::Context => "context",
        Concept::Ignore => "ignore",
        Concept::Currency => "currency",
        Concept::Statistic => "statistic",
        Concept::Ceremony => "ceremony",
        Concept::Including => "including",
        Concept::Quota => "quota",
        Concept::Drill => "drill",
        Concept::Provision => "provision",
        Concept::Domain(_) => "domain",
    }
}

/// Keep sentences to a size the matcher handles in constant memory; the cut is on a char boundary.
/// "First Uzbekistan and Kazakhstan signed a strategic partnership in June 2013; then Uzbekistan
/// and Turkmenistan concluded one in March 2017": clauses joined by a semicolon report their own
/// events, each with its own parties and date, as sentences do. Short parts (list items such as
/// "Russia – 375;") stay with their sentence.
fn split_semicolons(text: &str, spans: Vec<Span>) -> Vec<Span> {
    const MIN_WORDS: usize = 6;
    let mut out = Vec::with_capacity(spans.len());
    for s in spans {
        let sentence = &text[s.start..s.end];
        if !sentence.contains("; ") {
            out.push(s);
            continue;
        }
        let parts: Vec<(usize, usize)> = {
            let mut v = Vec::new();
            let mut from = 0;
            for (i, _) in sentence.match_indices("; ") {
                v.push((from, i + 1));
                from = i + 2;
            }
            v.push((from, sentence.len()));
            v
        };
        if parts.iter().all(|&(a, b)| sentence[a..b].split_whitespace().count() >= MIN_WORDS) {
            out.extend(parts.into_iter().map(|(a, b)| Span::new(s.start + a, s.start + b)));
        } else {
            out.push(s);
        }
    }
    out
}

fn cut_sentence(text: &str, s: Span) -> Span {
    if s.len() <= MAX_SENTENCE_BYTES {
        return s;
    }
    let mut end = s.start + MAX_SENTENCE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Span::new(s.start, end)
}

/// Clause number of every token: clauses end at , ; : and dashes between words, and around a
/// parenthesis of more than a few words. Quotation marks and a short parenthesis enclose a name
/// ("«Xitoy – Markaziy Osiyo» sammiti", "Shanghai Cooperation Organisation (SCO) summit"), which
/// belongs to the clause around it.
fn clause_of_tokens(folded: &str, tokens: &[Token], out: &mut Vec<usize>) {
    const SHORT_PARENTHESIS: usize = 4;
    out.clear();
    let bytes = folded.as_bytes();
    let gap = |i: usize| &bytes[tokens[i - 1].end..tokens[i].start];
    let mut clause = 0;
    // Token index where the current short parenthesis closes.
    let mut short_until: Option<usize> = None;
    for i in 0..tokens.len() {
        if i > 0 {
            // One pass over the bytes between the words (usually a single space).
            let g = gap(i);
            let mut breaks = g.iter().any(|b| matches!(b, b',' | b';' | b':')) || g.windows(3).any(|w| w == b" - ");
            if g.contains(&b'(') {
                let close = (i + 1..tokens.len().min(i + SHORT_PARENTHESIS + 1)).find(|&k| gap(k).contains(&b')'));
                match close {
                    Some(k) => short_until = Some(k),
                    None => breaks = true,
                }
            } else if g.contains(&b')') && short_until != Some(i) {
                breaks = true;
            }
            if breaks {
                clause += 1;
            }
        }
        out.push(clause);
    }
}

/// A cue inside a longer cue is the longer cue's word ("conference" in "press conference"); an
/// actor inside a longer actor's name is that actor ("Кореи" in "Северной Кореи").
fn drop_contained_cues(lex: &Lexicon, hits: &mut Vec<Hit>) {
    let is_actor = |h: &Hit| matches!(lex.term(h.term).meaning, Meaning::Actor { .. });
    // A format's name holds an organisation's ("the summit of the IFAS founder states"): the
    // format's participants are the parties, not the organisation.
    let is_named = |h: &Hit| matches!(lex.term(h.term).meaning, Meaning::Actor { .. } | Meaning::Format(_));
    let long_actors: Vec<(usize, usize)> = hits.iter().filter(|h| h.last > h.first && is_named(h)).map(|h| (h.first, h.last)).collect();
    if !long_actors.is_empty() {
        hits.retain(|h| !(is_actor(h) && long_actors.iter().any(|&(f, l)| f <= h.first && h.last <= l && (l - f) > (h.last - h.first))));
    }
    let is_cue = |h: &Hit| matches!(lex.term(h.term).meaning, Meaning::Cue(c) if !matches!(c, Concept::Domain(_)));
    // Only multi-word cues can contain others; most sentences have none. An `ignore` phrase
    // takes every cue on its words, even one of the same length ("Мажилис", the parliament,
    // is not Kazakh "мәжіліс", a meeting).
    let long: Vec<(usize, usize)> = hits.iter().filter(|h| h.last > h.first && is_cue(h)).map(|h| (h.first, h.last)).collect();
    let ignored: Vec<(usize, usize)> =
        hits.iter().filter(|h| matches!(lex.term(h.term).meaning, Meaning::Cue(Concept::Ignore))).map(|h| (h.first, h.last)).collect();
    hits.retain(|h| {
        // (A body's name stays a domestic body inside a longer phrase, as under the phrase that
        // keeps it from being a meeting word: "Türkmenistanyň Mejlisi"; an exercise stays a drill
        // inside "joint exercise", which is also a joint activity.)
        let domestic = matches!(lex.term(h.term).meaning, Meaning::Cue(Concept::Domestic));
        let drill = matches!(lex.term(h.term).meaning, Meaning::Cue(Concept::Drill));
        let inside = is_cue(h) && !domestic && !drill && long.iter().any(|&(f, l)| f <= h.first && h.last <= l && (l - f) > (h.last - h.first));
        // (An ignored phrase names no domain either: "Ambassador Extraordinary" is no emergency.)
        let any_cue = matches!(lex.term(h.term).meaning, Meaning::Cue(_));
        let under_ignore = any_cue && !domestic && ignored.iter().any(|&(f, l)| f <= h.first && h.last <= l);
        !inside && !under_ignore
    });
}

/// "The dialogue dates back to 2004: the first meeting was held in August of that year": the year
/// alone is the same date as the month after it.
fn drop_subsumed_years(dates: &mut Vec<(DateMention, Option<PartialDate>)>) {
    let precise: Vec<PartialDate> = dates.iter().filter_map(|(_, d)| *d).filter(|d| d.month.is_some()).collect();
    dates.retain(|(_, d)| match d {
        Some(d) if d.month.is_none() => !precise.iter().any(|p| p.year == d.year),
        _ => true,
    });
}

/// Aid goes from a donor to a recipient: one event per pair. With one partner named and several
/// Central Asian states (all sent rescuers to Türkiye), each state is a donor; otherwise the first
/// named actor gives to each of the others.
fn aid_pairs(actors: &[ActorCode], recipient: Option<&ActorCode>) -> Vec<Vec<ActorCode>> {
    if actors.len() == 1 {
        if let Some(r) = recipient.filter(|r| *r != &actors[0]) {
            return vec![vec![actors[0].clone(), r.clone()]];
        }
    }
    if actors.len() <= 2 {
        return vec![actors.to_vec()];
    }
    let partners: Vec<&ActorCode> = actors.iter().filter(|a| !a.is_central_asian()).collect();
    // "Japan, with UNICEF, donated vaccines to Uzbekistan", "The Russian embassy and WHO handed
    // medical kits to Kyrgyzstan": partners named first, giving to the one Central Asian state
    // of the sentence, made one joint donation.
    let central: Vec<&ActorCode> = actors.iter().filter(|a| a.is_central_asian()).collect();
    if central.len() == 1 && partners.len() >= 2 && !actors[0].is_central_asian() {
        return vec![actors.to_vec()];
    }
    if partners.len() == 1 {
        return actors.iter().filter(|a| a.is_central_asian()).map(|a| vec![a.clone(), partners[0].clone()]).collect();
    }
    let donor = actors.iter().find(|a| a.is_central_asian()).unwrap_or(&actors[0]).clone();
    actors.iter().filter(|a| **a != donor).map(|a| vec![donor.clone(), a.clone()]).collect()
}

/// The actor most often at the receiving end of aid in these sentences (Türkiye, when every
/// other sentence names only the state that sent rescuers).
fn aid_counterpart(sentences: &[Sentence]) -> Option<ActorCode> {
    let mut counts: HashMap<ActorCode, usize> = HashMap::new();
    for s in sentences {
        if !s.cues.iter().any(|c| c.concept == Concept::Aid && !c.suppressed) {
            continue;
        }
        let named: Vec<&ActorCode> = {
            let mut v: Vec<&ActorCode> = Vec::new();
            for a in &s.actors {
                if !v.contains(&&a.code) {
                    v.push(&a.code);
                }
            }
            v
        };
        if named.len() >= 2 {
            for a in &named[1..] {
                *counts.entry((*a).clone()).or_default() += 1;
            }
        }
    }
    counts.into_iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.clone()))).map(|(c, _)| c)
}

/// Sorted, without repeats; the group "the Central Asian states" (`CAS`) stands for the five
/// states by name, as the annotation rules read "the Consultative Meeting of the heads of state of
/// Central Asia" or "agreements between the Central Asian states" (and a group is never a party
/// beside one of its own members).
fn normalise_actors(mut actors: Vec<ActorCode>) -> Vec<ActorCode> {
    if let Some(k) = actors.iter().position(|a| a.as_str() == "CAS") {
        actors.remove(k);
        actors.extend(hamkor_model::CENTRAL_ASIA.iter().filter_map(|c| ActorCode::new(c).ok()));
    }
    actors.sort();
    actors.dedup();
    actors
}

/// Domains named in the sentence; without any, the type's usual domain.
fn domains_for(t: EventType, named: &BTreeSet<Domain>) -> Vec<Domain> {
    if t == EventType::Partnership {
        return vec![Domain::Political];
    }
    if !named.is_empty() {
        return named.iter().copied().collect();
    }
    vec![match t {
        EventType::Aid => Domain::Disaster,
        EventType::JointActivity => Domain::Culture,
        _ => Domain::Political,
    }]
}

/// A meeting known only from "arrived" or "received" is dropped when another event of the
/// document already explains the visit (the doctors who arrived brought aid; the troops who
/// arrived held exercises).
fn drop_weak_meetings(drafts: Vec<Draft>) -> Vec<Draft> {
    let others: Vec<Vec<ActorCode>> =
        drafts.iter().filter(|d| d.event.event_type != EventType::Meeting).map(|d| d.event.actors.clone()).collect();
    drafts
        .into_iter()
        .filter(|d| !(d.weak_meeting && others.iter().any(|o| o.iter().all(|a| d.event.actors.contains(a)))))
        .collect()
}

/// Days between reports of one aid operation (dispatch, arrival, handing over).
const AID_DAYS: i64 = 20;

fn dates_close(a: PartialDate, b: PartialDate, days: i64) -> bool {
    a.day.is_some() && b.day.is_some() && (a.to_days() - b.to_days()).abs() <= days
}

/// One event per happening in a document, the way a researcher counts:
/// - the same type and actors with compatible dates (one inside the other, or one not written in
///   its own sentence) are one event;
/// - the days of one visit or summit (within three days) are one meeting;
/// - a meeting whose parties are a subset of another meeting's at a compatible date is that
///   meeting (a summit described over several sentences).
///
/// The merged event keeps the first evidence, the most precise written date and all domains.
fn merge_repeats(drafts: Vec<Draft>) -> Vec<Event> {
    let mut out: Vec<Draft> = Vec::new();
    for d in drafts {
        let e = &d.event;
        let same = out.iter_mut().find(|o| {
            let oe = &o.event;
            if oe.event_type != e.event_type {
                return false;
            }
            let compatible = match (oe.date, e.date) {
                (None, _) | (_, None) => true,
                (Some(a), Some(b)) => a.within(&b) || b.within(&a) || o.date_rank < 2 || d.date_rank < 2,
            };
            let meeting = e.event_type == EventType::Meeting;
            // Aid told at its dispatch, its arrival and its handing over (or rescuers at work for
            // some days) is one aid event.
            let aid = e.event_type == EventType::Aid;
            if oe.actors == e.actors {
                return compatible
                    || (meeting && matches!((oe.date, e.date), (Some(a), Some(b)) if dates_close(a, b, 3)))
                    || (aid && !o.another && !d.another && matches!((oe.date, e.date), (Some(a), Some(b)) if dates_close(a, b, AID_DAYS)));
            }
            let subset = e.actors.iter().all(|a| oe.actors.contains(a)) || oe.actors.iter().all(|a| e.actors.contains(a));
            meeting && subset && compatible
        });
        match same {
            Some(o) => {
                // Days of one aid operation in one month: the month, as for a range of days.
                let mut one_operation = false;
                if e.event_type == EventType::Aid {
                    if let (Some(a), Some(b)) = (o.event.date, e.date) {
                        let same_month = a.year == b.year && a.month.is_some() && a.month == b.month;
                        if same_month && a != b && !o.another && !d.another && ((a.day.is_some() && b.day.is_some()) || o.operation) {
                            o.event.date = a.month.map(|m| PartialDate::month(a.year, m));
                            o.date_rank = o.date_rank.max(d.date_rank);
                            o.operation = true;
                            one_operation = true;
                        }
                    }
                }
                let better_date = !one_operation
                    && (d.date_rank > o.date_rank
                        || (d.date_rank == o.date_rank && o.event.date.map_or(0, |x| x.precision()) < e.date.map_or(0, |x| x.precision())));
                if better_date && e.date.is_some() {
                    // "The Consultative Meetings …" first, "The fourth Consultative Meeting was held
                    // on 21 July 2022" later: the sentence that writes the date is the report;
                    // the earlier mention only names the series. Its evidence goes with its date.
                    if d.date_rank == 2 && o.date_rank < 2 {
                        o.event.evidence = e.evidence;
                        o.event.cues = e.cues.clone();
                    }
                    o.event.date = e.date;
                    o.date_rank = d.date_rank;
                }
                for a in &e.actors {
                    if !o.event.actors.contains(a) {
                        o.event.actors.push(*a);
                    }
                }
                o.event.actors.sort();
                for dm in &e.domains {
                    if !o.event.domains.contains(dm) {
                        o.event.domains.push(*dm);
                    }
                }
                o.event.domains.sort();
                o.event.confidence = o.event.confidence.max(e.confidence);
            }
            None => out.push(d),
        }
    }
    out.into_iter().map(|d| d.event).collect()
}

impl Coder {
    /// A readable account of what the coder saw in each sentence of a text: the terms it found
    /// (with their meaning and the words of the original), the dates, and the events. For lexicon
    /// authors: `hamkor explain` prints it.
    pub fn explain(&self, doc: &InputDocument) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let lex = &self.lexicon;
        for span in split_semicolons(&doc.text, hamkor_text::sentences::split(&doc.text)) {
            let span = cut_sentence(&doc.text, span);
            let sentence = &doc.text[span.start..span.end];
            let folded = hamkor_text::fold_at(sentence, span.start);
            let tokens = lex.tokens(&folded);
            let hits = lex.hits(&folded, &doc.text, &tokens);
            let _ = writeln!(out, "[{}..{}] {}", span.start, span.end, sentence);
            for h in &hits {
                let term = lex.term(h.term);
                let _ = writeln!(out, "    {:?} {:?} <- {:?} ({:?})", h.span.slice(&doc.text).unwrap_or(""), term.meaning, term.written, term.lang);
            }
            for m in dates::find(lex, &folded, &tokens, &hits) {
                let _ = writeln!(out, "    date {:?} {:?}", m.span.slice(&doc.text).unwrap_or(""), dates::resolve(m.written, doc.date, None));
            }
        }
        let coded = self.code(doc);
        for e in &coded.events {
            let _ = writeln!(
                out,
                "event {} {:?} {:?} {} conf {:.2}",
                e.event_type,
                e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                e.domains.iter().map(|d| d.code()).collect::<Vec<_>>(),
                e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                e.confidence
            );
        }
        for d in &coded.diagnostics {
            let _ = writeln!(out, "diagnostic {}: {}", d.code, d.message);
        }
        out
    }
}
