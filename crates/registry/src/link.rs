//! Linking a coded event to what it reports: an agreement of the registry, and the multilateral
//! format (and its n-th edition) a meeting belongs to.
//!
//! **Agreements.** An event of any type but `meeting` is linked to an agreement when
//! 1. one of the agreement's names ([`crate::names`], seven languages) occurs in the event's
//!    evidence;
//! 2. the event names at least two of the agreement's parties (all of them when it has fewer);
//! 3. the event's date is not more than a year before the agreement was signed; and a generic
//!    name (`~Joint Statement`) links only when the event's date is within three days of a dated
//!    step of the agreement (its signing, ratification, entry into force) or within the
//!    precision either date gives.
//!
//! Among the agreements that pass, the one with the closest date wins, then the one the sentence
//! names first, then the longest name (where names overlap), then the best fit of parties; a tie
//! between two agreements links to neither (the reason says so). A date that is close but not
//! equal still links (the cross-check reports it).
//!
//! **Formats.** A format's name from `lexicon/formats.toml` in the evidence links the event to
//! that format. The edition is the one an ordinal next to the name gives ("the fourth
//! Consultative Meeting", "VI Консультативтік кездесуі", "to'rtinchi Maslahat uchrashuvi"),
//! else the one within three days of the event's date (month or day precision). The name of a
//! format of two or three states counts only when the event names all of them (the bare
//! "Supreme Interstate Council" with Kazakhstan and Kyrgyzstan is not the Kazakh–Uzbek one); a
//! wider format's, when it names one of its participants. Events other than meetings are linked
//! only to formats of three or more participants (documents adopted at a summit belong to it; a
//! treaty that "sets up a Supreme Interstate Council" is not a session of that council). A meeting
//! that names no format is linked to an edition held that very day when it has at least three
//! actors and all of the format's participants but at most one.

use crate::lifecycle::lifecycle;
use crate::names::{stem_matches, Phrase, Words};
use crate::{day_range, days_apart, Registry};
use hamkor_lexicon::{Lexicon, Meaning, Role};
use hamkor_model::{ActorCode, EventType, PartialDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The version of the linking rules in this file and of the merging rules (`merge.rs`); bump it
/// when a change would link or merge events differently, so that stores link and merge their
/// events again (every automatic decision; reviewers' decisions stay).
pub const RULES_VERSION: &str = "4";

/// What links depend on besides the registry's data: these rules and the lexicon's formats.
pub fn link_version() -> String {
    format!("{RULES_VERSION}+{}", embedded_lexicon_version())
}

/// The embedded lexicon's version, read from its manifest (`lexicon.toml`) without building the
/// lexicon: every store open asks for [`link_version`], and building the lexicon took a tenth of
/// a second of every command.
fn embedded_lexicon_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        #[derive(Deserialize)]
        struct Manifest {
            version: String,
        }
        let sources = hamkor_lexicon::Sources::embedded();
        let manifest = sources.files.iter().find(|(name, _)| name == "lexicon.toml").map_or("", |(_, text)| text.as_str());
        toml::from_str::<Manifest>(manifest).expect("the embedded lexicon's manifest has a version (tested)").version
    })
}

/// The lexicon compiled into the binary, built once (its formats and their names).
pub fn embedded_lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(Lexicon::embedded)
}

/// What the linker needs of a coded event.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub event_type: EventType,
    pub actors: &'a [ActorCode],
    pub date: Option<PartialDate>,
    /// The evidence sentence(s).
    pub evidence: &'a str,
}

pub use hamkor_model::link::{AgreementLink, FormatLink, Links};

struct Patterns {
    id: String,
    parties: Vec<ActorCode>,
    phrases: Vec<Phrase>,
    /// Every dated registry step (signings, ratifications, entry into force).
    step_dates: Vec<PartialDate>,
    first_signing: Option<PartialDate>,
}

/// Ordinal stems by number.
struct Ordinals {
    stems: Vec<(String, u32)>,
}

#[derive(Deserialize)]
struct OrdinalsFile {
    numbers: BTreeMap<String, Vec<String>>,
}

impl Ordinals {
    fn load() -> Ordinals {
        let file: OrdinalsFile = toml::from_str(crate::ORDINALS).expect("registry/ordinals.toml parses (tested)");
        let mut stems = Vec::new();
        for (n, words) in file.numbers {
            let n: u32 = n.parse().expect("ordinal numbers are numbers (tested)");
            for w in words {
                stems.push((hamkor_text::fold_key(&w), n));
                let cyr = hamkor_text::latin_to_cyrillic(&w);
                if cyr != w {
                    stems.push((hamkor_text::fold_key(&cyr), n));
                }
            }
        }
        Ordinals { stems }
    }

    /// The number word `i` of `words` gives as an ordinal, if any.
    fn at(&self, words: &Words, i: usize, original: &str) -> Option<u32> {
        let w = words.word(i);
        if let Some(&(_, n)) = self.stems.iter().find(|(s, _)| stem_matches(w, s, false, 3)) {
            return Some(n);
        }
        const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
        if let Some(k) = ROMAN.iter().position(|r| *r == w) {
            let span = words.span(i, i);
            let orig = &original[span.start..span.end];
            if orig.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && w != "i" {
                return Some(k as u32 + 1);
            }
            return None;
        }
        // 4th, 4-я, 6-chi, 7-nji, 5-ум
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return None;
        }
        let n: u32 = digits.parse().ok().filter(|n| (1..=20).contains(n))?;
        let rest = &w[digits.len()..];
        let suffix = if rest.is_empty() {
            let next = i + 1;
            if next >= words.len() {
                return None;
            }
            // Only a hyphen between the number and its suffix.
            let (a, b) = (words.span(i, i), words.span(next, next));
            if original[a.end..b.start].trim() != "-" {
                return None;
            }
            words.word(next)
        } else {
            rest
        };
        const SUFFIXES: [&str; 27] = [
            "th", "st", "nd", "rd", "й", "я", "е", "го", "ое", "ой", "ая", "ую", "ый", "ого", "ом", "chi", "nchi",
            "inchi", "ші", "шы", "чи", "чы", "чу", "чү", "ум", "nji", "njy",
        ];
        (suffix.chars().count() <= 6 && SUFFIXES.iter().any(|s| suffix.starts_with(s))).then_some(n)
    }
}

/// The places a text names: capitals and the cities of `lexicon/places.toml`, each as
/// `CODE:key`, the key being the name's skeleton (see [`place_key`]), the same in every script
/// and language ("Tashkent", "Toshkent", "Ташкент", "Тошканд", "Daşkent" are all `UZB:tsnt`).
/// Sorted, unique.
pub fn places(text: &str) -> Vec<String> {
    let words = Words::new(text);
    places_in(embedded_lexicon(), words.folded(), text)
}

fn places_in(lex: &Lexicon, folded: &hamkor_text::Folded, text: &str) -> Vec<String> {
    let tokens = lex.tokens(folded);
    let mut out: Vec<String> = lex
        .hits(folded, text, &tokens)
        .iter()
        .filter_map(|h| match lex.term(h.term).meaning {
            Meaning::Actor { code, role: Role::Capital } => Some(format!("{code}:{}", place_key(&lex.term(h.term).written))),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A place name's skeleton across scripts and spellings: letters in Latin, then only the
/// consonants that every spelling keeps, by class (b p → p, d t → t, z s sh ch ts → s, v w f
/// → f, j zh dzh → j; the velars k g q x h and every vowel dropped, because Russian, Uzbek and
/// Turkmen write them differently: Ашхабад, Ashxobod, Aşgabat → `spt`), doubled ones once.
pub fn place_key(name: &str) -> String {
    let lower = name.to_lowercase().replace("дж", "ж");
    let mut latin = String::new();
    for c in lower.chars() {
        let s: &str = match c {
            'б' => "b",
            'в' => "v",
            'д' => "d",
            'ж' | 'ҷ' | 'ž' => "j",
            'з' => "z",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' | 'ň' => "n",
            'п' => "p",
            'р' => "r",
            'с' | 'ц' => "s",
            'т' => "t",
            'ф' => "f",
            'ч' | 'ç' => "ch",
            'ш' | 'щ' | 'ş' => "sh",
            c if c.is_ascii_lowercase() => {
                latin.push(c);
                continue;
            }
            _ => "",
        };
        latin.push_str(s);
    }
    let mut out = String::new();
    for c in latin.chars() {
        let k = match c {
            'b' | 'p' => 'p',
            'd' | 't' => 't',
            'z' | 's' | 'c' => 's',
            'v' | 'w' | 'f' => 'f',
            'j' => 'j',
            'l' | 'm' | 'n' | 'r' => c,
            _ => continue,
        };
        if !out.ends_with(k) {
            out.push(k);
        }
    }
    out
}

/// Links coded events to the registry's agreements and the lexicon's formats.
pub struct Linker {
    agreements: Vec<Patterns>,
    ordinals: Ordinals,
    lexicon: &'static Lexicon,
}

impl Linker {
    pub fn new(reg: &Registry) -> Linker {
        let agreements = reg
            .agreements
            .iter()
            .map(|a| {
                let life = lifecycle(a, reg, &[]);
                let mut step_dates: Vec<PartialDate> = life.steps().filter_map(|s| s.date).collect();
                step_dates.extend(a.signed);
                step_dates.sort();
                step_dates.dedup();
                let first_signing = life.signings().into_iter().filter_map(|(d, _)| d).min().or(a.signed);
                let mut phrases = Vec::new();
                for (lang, list) in &a.names {
                    for p in list {
                        phrases.extend(Phrase::variants(p, lang));
                    }
                }
                // The official titles are names too.
                phrases.extend(Phrase::variants(&a.name_en, "en"));
                if let Some(ru) = &a.name_ru {
                    phrases.extend(Phrase::variants(ru, "ru"));
                }
                if let Some(uz) = &a.name_uz {
                    phrases.extend(Phrase::variants(uz, "uz"));
                }
                Patterns { id: a.id.clone(), parties: a.parties.clone(), phrases, step_dates, first_signing }
            })
            .collect();
        Linker { agreements, ordinals: Ordinals::load(), lexicon: embedded_lexicon() }
    }

    /// The agreement and the format `r` reports, with the reasons.
    pub fn link(&self, r: &ReportInput<'_>) -> Links {
        let words = Words::new(r.evidence);
        let mut links = Links::default();
        if r.event_type != EventType::Meeting {
            self.link_agreement(r, &words, &mut links);
        }
        links.format = self.link_format(r, &words);
        links.places = places_in(self.lexicon, words.folded(), r.evidence);
        links
    }

    fn link_agreement(&self, r: &ReportInput<'_>, words: &Words, links: &mut Links) {
        // (rank, index, link); rank: the closest date, then the name the sentence gives first
        // ("the Treaty on the State Border and a Joint Statement" reports the treaty), then the
        // longest name where names overlap, then the best fit of parties.
        type Rank = (u8, std::cmp::Reverse<usize>, usize, u32);
        let mut best: Vec<(Rank, usize, AgreementLink)> = Vec::new();
        for (k, a) in self.agreements.iter().enumerate() {
            let shared: Vec<&ActorCode> = r.actors.iter().filter(|x| a.parties.contains(x)).collect();
            if shared.len() < a.parties.len().min(2) {
                continue;
            }
            let (level, dates) = self.date_level(a, r.date);
            if level.is_none() {
                continue;
            }
            let level = level.unwrap_or(0);
            let mut found: Option<(usize, &Phrase, (usize, usize))> = None;
            for p in &a.phrases {
                if p.strict && level < 2 {
                    continue;
                }
                if let Some(range) = p.find(words) {
                    let better = found
                        .as_ref()
                        .is_none_or(|(n, _, (f, _))| p.word_count() > *n || (p.word_count() == *n && range.0 < *f));
                    if better {
                        found = Some((p.word_count(), p, range));
                    }
                }
            }
            let Some((n, phrase, (first, last))) = found else { continue };
            let fit = 2 * r.actors.iter().all(|x| a.parties.contains(x)) as u32
                + a.parties.iter().all(|x| r.actors.contains(x)) as u32;
            let rank: Rank = (level, std::cmp::Reverse(first), n, fit);
            let span = words.span(first, last);
            let parties = format!(
                "{} of the event's actors are parties ({})",
                shared.len(),
                shared.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")
            );
            let link = AgreementLink {
                id: a.id.clone(),
                phrase: phrase.written.clone(),
                lang: phrase.lang.clone(),
                matched: r.evidence[span.start..span.end].split_whitespace().collect::<Vec<_>>().join(" "),
                dates,
                parties,
            };
            best.push((rank, k, link));
        }
        best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        match best.as_slice() {
            [] => {}
            [(s0, _, _), (s1, _, _), ..] if s0 == s1 => {
                links.ambiguous = best.iter().take_while(|b| b.0 == *s0).map(|b| b.2.id.clone()).collect();
            }
            [(_, _, l), ..] => links.agreement = Some(l.clone()),
        }
    }

    /// 3: the event's date lies within a dated step's precision; 2: within three days; 1: within
    /// a year, or undated; 0: further. `None`: more than a year before the signing.
    fn date_level(&self, a: &Patterns, date: Option<PartialDate>) -> (Option<u8>, String) {
        let Some(d) = date else { return (Some(1), "the event is not dated".into()) };
        if let Some(s) = a.first_signing {
            if day_range(&d).1 < day_range(&s).0 - 366 {
                return (None, format!("dated more than a year before the signing ({s})"));
            }
        }
        let nearest = a.step_dates.iter().map(|s| (days_apart(&d, s), *s)).min();
        match nearest {
            None => (Some(1), "the agreement has no dated step".into()),
            Some((0, s)) => (Some(3), format!("the event's date {d} agrees with the step of {s}")),
            Some((n, s)) if n <= 3 => (Some(2), format!("the event's date {d} is {n} day(s) from the step of {s}")),
            Some((n, s)) if n <= 366 => (Some(1), format!("the event's date {d} is {n} days from the step of {s}")),
            Some((n, s)) => (Some(0), format!("the event's date {d} is {n} days from the nearest step ({s})")),
        }
    }

    fn link_format(&self, r: &ReportInput<'_>, words: &Words) -> Option<FormatLink> {
        let lex = self.lexicon;
        let folded = words.folded();
        let tokens = lex.tokens(folded);
        let hits = lex.hits(folded, r.evidence, &tokens);
        for h in &hits {
            let Meaning::Format(fi) = lex.term(h.term).meaning else { continue };
            let f = &lex.formats[fi];
            // A bilateral or trilateral format's bare name ("Supreme Interstate Council") is that
            // format only when the event names its members; a wider one needs one of them.
            let shared = f.participants.iter().filter(|p| r.actors.contains(p)).count();
            let fits = if f.participants.len() <= 3 { shared == f.participants.len() } else { shared >= 1 };
            if !fits && r.actors.iter().any(|a| a.is_central_asian()) {
                continue;
            }
            // Only meetings belong to a bilateral body ("the treaty sets up a Supreme Interstate
            // Council" is not a session of it); an agreement adopted at a summit belongs to it.
            if r.event_type != EventType::Meeting && f.participants.len() < 3 {
                continue;
            }
            let (Some(first), Some(last)) =
                (words.index_at(tokens[h.first].start), words.index_at(tokens[h.last].start))
            else {
                continue;
            };
            let term = r.evidence[h.span.start..h.span.end].split_whitespace().collect::<Vec<_>>().join(" ");
            // An ordinal just before the name, or just after it (Вохӯрии панҷуми …).
            let near = (first.saturating_sub(4)..first).rev().chain(last + 1..(last + 2).min(words.len()));
            let mut by_ordinal = None;
            for i in near {
                if let Some(n) = self.ordinals.at(words, i, r.evidence) {
                    let s = words.span(i, i);
                    by_ordinal = Some((n, r.evidence[s.start..s.end].to_string()));
                    break;
                }
            }
            let edition = match &by_ordinal {
                Some((n, _)) => f.editions.iter().find(|e| e.number == *n),
                None => r.date.filter(|d| d.precision() >= 2).and_then(|d| {
                    let close: Vec<_> =
                        f.editions.iter().filter(|e| e.date().is_some_and(|ed| days_apart(&ed, &d) <= 3)).collect();
                    (close.len() == 1).then(|| close[0])
                }),
            };
            let by = match (&by_ordinal, edition) {
                (Some((n, w)), Some(_)) => format!("ordinal {w:?} ({n})"),
                (Some((n, w)), None) => format!("ordinal {w:?} ({n}), an edition the lexicon does not list"),
                (None, Some(_)) => "the event's date".to_string(),
                (None, None) => "its name".to_string(),
            };
            return Some(FormatLink {
                id: f.id.clone(),
                name: f.name_en.clone(),
                edition: edition.map(|e| e.number),
                edition_date: edition.and_then(|e| e.date()),
                edition_place: edition.and_then(|e| e.place.clone()),
                by,
                term: Some(term),
            });
        }
        // A meeting of (nearly) all participants on the very day of an edition.
        if r.event_type == EventType::Meeting && r.actors.len() >= 3 {
            let d = r.date?;
            for f in &lex.formats {
                let shared = f.participants.iter().filter(|p| r.actors.contains(p)).count();
                if shared < 3 || shared + 1 < f.participants.len() {
                    continue;
                }
                let on_day: Vec<_> = f
                    .editions
                    .iter()
                    .filter(|e| e.date().is_some_and(|ed| days_apart(&ed, &d) == 0 && d.precision() == 3))
                    .collect();
                if let [e] = on_day.as_slice() {
                    return Some(FormatLink {
                        id: f.id.clone(),
                        name: f.name_en.clone(),
                        edition: Some(e.number),
                        edition_date: e.date(),
                        edition_place: e.place.clone(),
                        by: format!("participants ({shared} of {}) and date", f.participants.len()),
                        term: None,
                    });
                }
            }
        }
        None
    }

    /// The lexicon the formats come from.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }
}

/// The registry meeting that is an edition of a format (for its sources): a meeting on the
/// edition's day whose actors include every Central Asian participant of the format.
pub fn edition_event<'r>(reg: &'r Registry, f: &FormatLink) -> Option<&'r crate::RegistryEvent> {
    let d = f.edition_date?;
    let lex = embedded_lexicon();
    let fmt = lex.formats.iter().find(|x| x.id == f.id)?;
    reg.events.iter().find(|e| {
        e.event_type == EventType::Meeting
            && e.date == Some(d)
            && fmt.participants.iter().filter(|p| p.is_central_asian()).all(|p| e.actors.contains(p))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_manifest_version_is_the_built_lexicons() {
        assert_eq!(super::embedded_lexicon_version(), super::embedded_lexicon().version);
    }

    #[test]
    fn a_place_has_one_key_in_every_spelling() {
        for (names, key) in [
            (&["Tashkent", "Toshkent", "Ташкент", "Тошканд", "Daşkent"][..], "tsnt"),
            (&["Ashgabat", "Ашхабад", "Ashxobod", "Aşgabat", "Ашқобод", "Ашғабат"][..], "spt"),
            (&["Samarkand", "Samarqand", "Самарқанд", "Samarkant"][..], "smrnt"),
            (&["Khujand", "Худжанд", "Хуҷанд", "Xoʻjand", "Кожент"][..], "jnt"),
            (&["Cholpon-Ata", "Чолпон-Ата", "Шолпан-Ата", "Çolpon-Ata"][..], "slpnt"),
        ] {
            for n in names {
                assert_eq!(place_key(n), key, "{n}");
            }
        }
        assert_ne!(place_key("Dushanbe"), place_key("Tashkent"));
        assert_eq!(places("The presidents met in Samarkand, not in Tashkent."), ["UZB:smrnt", "UZB:tsnt"]);
        assert_eq!(places("Президенты встретились в Душанбе."), ["TJK:tsnp"]);
        // A short name's case forms (in Osh) are the one place, and words that start like it
        // ("Ошибка", Uzbek "Oʻsha", that) are none.
        let osh = places("The presidents met in Osh.");
        assert_eq!(osh.len(), 1);
        for text in ["Prezidentlar Oʻshda uchrashdi.", "Президенттер Ошта кездесті.", "Prezidentler Oşda duşuşdy.", "Президенттер Ошто жолугушту."] {
            assert_eq!(places(text), osh, "{text}");
        }
        for text in ["Ошибка исправлена.", "Oʻsha kuni prezidentlar uchrashdi."] {
            assert!(places(text).is_empty(), "{text}");
        }
    }

    use super::*;

    fn a(codes: &[&str]) -> Vec<ActorCode> {
        codes.iter().map(|c| ActorCode::new(c).unwrap()).collect()
    }

    fn link(t: EventType, actors: &[&str], date: &str, text: &str) -> Links {
        let reg = Registry::builtin();
        let linker = Linker::new(&reg);
        let actors = a(actors);
        linker.link(&ReportInput { event_type: t, actors: &actors, date: date.parse().ok(), evidence: text })
    }

    #[test]
    fn the_allied_treaty_in_four_languages() {
        for text in [
            "Following the talks, the two presidents signed the Treaty on Allied Relations between Kazakhstan and Uzbekistan.",
            "По итогам переговоров главы государств подписали Договор между Республикой Казахстан и Республикой Узбекистан о союзнических отношениях.",
            "Muzokaralar yakunida ikki davlat rahbarlari Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladi.",
            "Екі ел президенттері одақтастық қатынастар туралы шартқа қол қойды.",
        ] {
            let l = link(EventType::Partnership, &["KAZ", "UZB"], "2022-12-22", text);
            assert_eq!(l.agreement.map(|x| x.id).as_deref(), Some("kaz-uzb-allied-treaty-2022"), "{text}");
        }
        // The same words with Tajikistan and Uzbekistan are the 2024 treaty.
        let l = link(
            EventType::Partnership,
            &["TJK", "UZB"],
            "2024-04-18",
            "Иттифоқчилик муносабатлари тўғрисидаги шартномани имзолади.",
        );
        assert_eq!(l.agreement.map(|x| x.id).as_deref(), Some("tjk-uzb-allied-treaty-2024"));
    }

    #[test]
    fn a_wrong_date_still_links_a_distinctive_name_but_not_a_generic_one() {
        let l = link(
            EventType::Agreement,
            &["KAZ", "KGZ", "UZB"],
            "2022-07-07",
            "the presidents signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century",
        );
        assert_eq!(l.agreement.as_ref().map(|x| x.id.as_str()), Some("ca-friendship-treaty-2022"));
        assert!(l.agreement.unwrap().dates.contains("14 days"));
        let l = link(
            EventType::Agreement,
            &["KAZ", "KGZ", "TJK", "TKM", "UZB"],
            "2022-07-07",
            "They adopted a Joint Statement.",
        );
        assert_eq!(l.agreement, None);
        let l = link(
            EventType::Agreement,
            &["KAZ", "KGZ", "TJK", "TKM", "UZB"],
            "2022-07-21",
            "They adopted a Joint Statement.",
        );
        assert_eq!(l.agreement.map(|x| x.id).as_deref(), Some("ca-cm-statement-2022"));
    }

    #[test]
    fn a_sentence_naming_two_documents_reports_the_first() {
        let l = link(
            EventType::Agreement,
            &["KGZ", "TJK"],
            "2025-03-13",
            "The presidents signed the Treaty on the State Border between Kyrgyzstan and Tajikistan and a joint \
             statement on strengthening friendship and good-neighbourly relations.",
        );
        assert_eq!(l.agreement.map(|x| x.id).as_deref(), Some("kgz-tjk-border-treaty-2025"));
        let l = link(
            EventType::Agreement,
            &["KGZ", "TJK"],
            "2025-03-13",
            "Сарони ду давлат Изҳороти муштарак дар бораи таҳкими минбаъдаи дӯстӣ ва ҳамсоягии нек ва Шартнома \
             дар бораи сарҳади давлатиро имзо карданд.",
        );
        assert_eq!(l.agreement.map(|x| x.id).as_deref(), Some("kgz-tjk-joint-statement-2025"));
    }

    #[test]
    fn meetings_find_their_edition_by_ordinal_or_date() {
        for (text, date, n) in [
            ("the fourth Consultative Meeting of the Heads of State of Central Asia", "2022-07-07", 4),
            ("Орталық Азия мемлекеттері басшыларының VI Консультативтік кездесуі өтті", "2024-08-09", 6),
            ("Markaziy Osiyo davlatlari rahbarlarining to'rtinchi Maslahat uchrashuvi bo'lib o'tdi", "2022-07-21", 4),
            (
                "Daşkentde Merkezi Aziýa döwletleriniň Baştutanlarynyň ýedinji konsultatiw duşuşygy geçirildi",
                "2025-11-16",
                7,
            ),
            ("В Астане прошла Консультативная встреча глав государств", "2024-08-09", 6),
        ] {
            let l = link(EventType::Meeting, &["KAZ", "KGZ", "UZB"], date, text);
            let f = l.format.unwrap_or_else(|| panic!("no format in {text}"));
            assert_eq!((f.id.as_str(), f.edition), ("consultative-meeting", Some(n)), "{text}");
        }
        // No name, but all five on the day of an edition.
        let l =
            link(EventType::Meeting, &["KAZ", "KGZ", "TKM", "UZB"], "2023-09-14", "The presidents met in Dushanbe.");
        assert_eq!(l.format.and_then(|f| f.edition), Some(5));
        // The ministers on the eve are not the summit.
        let l = link(EventType::Meeting, &["KAZ", "KGZ", "TJK", "TKM", "UZB"], "2022-07-20", "The ministers met.");
        assert_eq!(l.format, None);
    }
}
