//! Names of agreements in running text, in any of the seven languages.
//!
//! A [`Phrase`] is a name or short form from `registry/names.toml`; [`Words`] is a text folded
//! the way the lexicon folds it (`hamkor_text::fold`: case, Uzbek apostrophes, diacritics, the
//! Central Asian Cyrillic letters), split into words, with the map back to the original bytes.
//! A phrase matches when its words start consecutive words of the text, each followed by at most
//! the ending its language allows, with `…` standing for up to [`GAP`] words in between.
//! Uzbek phrases are written in Latin and also matched in Cyrillic (the transliterator makes the
//! second form), like the lexicon's Uzbek terms.

use hamkor_model::Span;
use hamkor_text::fold::is_word_char;
use hamkor_text::Folded;

/// How many other words a `…` in a phrase may stand for.
pub const GAP: usize = 8;

/// Letters of ending a word may add to a stem, by language: the lexicon's limits
/// (`hamkor_lexicon::Lang::tail_limit`).
pub fn tail_limit(lang: &str) -> usize {
    match lang {
        "en" => 3,
        "ru" | "tg" => 5,
        _ => 8,
    }
}

/// A text prepared for matching: its folded copy and the words in it.
#[derive(Debug, Clone)]
pub struct Words {
    folded: Folded,
    /// Byte ranges of the words in `folded.text`.
    words: Vec<(usize, usize)>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let folded = hamkor_text::fold(text);
        let words = split_words(&folded.text);
        Words { folded, words }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The folded word at `i`.
    pub fn word(&self, i: usize) -> &str {
        let (s, e) = self.words[i];
        &self.folded.text[s..e]
    }

    /// The original bytes of words `first..=last`.
    pub fn span(&self, first: usize, last: usize) -> Span {
        self.folded.original_span(self.words[first].0, self.words[last].1)
    }

    /// The index of the word that starts at folded byte `start` (a lexicon token's start).
    pub fn index_at(&self, folded_start: usize) -> Option<usize> {
        self.words.binary_search_by_key(&folded_start, |w| w.0).ok()
    }

    pub fn folded(&self) -> &Folded {
        &self.folded
    }
}

fn split_words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// Does `word` start with `stem`, followed by at most `limit` letters (none when `exact`)?
pub fn stem_matches(word: &str, stem: &str, exact: bool, limit: usize) -> bool {
    match word.strip_prefix(stem) {
        Some(rest) if exact => rest.is_empty(),
        Some(rest) => rest.chars().count() <= limit,
        None => false,
    }
}

/// A name of an agreement, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// As written in the data (without the `~`).
    pub written: String,
    pub lang: String,
    /// Generic ("Joint Statement"): links only when the dates agree.
    pub strict: bool,
    /// Runs of consecutive word stems, separated by gaps; each stem with "must match whole".
    segments: Vec<Vec<(String, bool)>>,
}

impl Phrase {
    /// Compile a phrase of `lang`; `None` when it has no words.
    pub fn new(written: &str, lang: &str) -> Option<Phrase> {
        let written = written.trim();
        let (strict, body) = match written.strip_prefix('~') {
            Some(b) => (true, b.trim()),
            None => (false, written),
        };
        let mut segments = Vec::new();
        for part in body.split(['…']).flat_map(|p| p.split("...")) {
            let words: Vec<(String, bool)> = part
                .split_whitespace()
                .flat_map(|w| {
                    let (w, exact) = match w.strip_suffix('=') {
                        Some(b) => (b, true),
                        None => (w, false),
                    };
                    let key = hamkor_text::fold_key(w);
                    let parts: Vec<String> =
                        key.split(|c: char| !is_word_char(c)).filter(|p| !p.is_empty()).map(str::to_string).collect();
                    let n = parts.len();
                    parts.into_iter().enumerate().map(move |(k, p)| (p, exact && k + 1 == n)).collect::<Vec<_>>()
                })
                .collect();
            if !words.is_empty() {
                segments.push(words);
            }
        }
        if segments.is_empty() {
            return None;
        }
        // A lone short word is too ambiguous to take endings.
        if segments.len() == 1 && segments[0].len() == 1 && segments[0][0].0.chars().count() <= 3 {
            segments[0][0].1 = true;
        }
        Some(Phrase { written: body.to_string(), lang: lang.to_string(), strict, segments })
    }

    /// The phrase and, for Uzbek, its Cyrillic form too.
    pub fn variants(written: &str, lang: &str) -> Vec<Phrase> {
        let mut out: Vec<Phrase> = Phrase::new(written, lang).into_iter().collect();
        if lang == "uz" {
            let cyr = hamkor_text::latin_to_cyrillic(written);
            if let Some(p) = Phrase::new(&cyr, lang) {
                if out.first().is_none_or(|o| o.segments != p.segments) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Words the phrase requires (how specific it is).
    pub fn word_count(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }

    /// The first place the phrase matches: word range `first..=last`.
    pub fn find(&self, text: &Words) -> Option<(usize, usize)> {
        let limit = tail_limit(&self.lang);
        let seg_at = |seg: &[(String, bool)], i: usize| -> bool {
            i + seg.len() <= text.len()
                && seg.iter().enumerate().all(|(k, (stem, exact))| stem_matches(text.word(i + k), stem, *exact, limit))
        };
        'start: for i in 0..text.len() {
            if !seg_at(&self.segments[0], i) {
                continue;
            }
            let mut next = i + self.segments[0].len();
            for seg in &self.segments[1..] {
                let found = (next..=(next + GAP).min(text.len())).find(|&j| seg_at(seg, j));
                match found {
                    Some(j) => next = j + seg.len(),
                    None => continue 'start,
                }
            }
            return Some((i, next - 1));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(phrase: &str, lang: &str, text: &str) -> Option<String> {
        let w = Words::new(text);
        Phrase::variants(phrase, lang).iter().find_map(|p| p.find(&w)).map(|(a, b)| {
            let s = w.span(a, b);
            text[s.start..s.end].to_string()
        })
    }

    #[test]
    fn phrases_match_with_endings_gaps_and_scripts() {
        assert_eq!(
            finds(
                "Договор … о союзнических отношени",
                "ru",
                "подписали Договор между Республикой Казахстан и Республикой Узбекистан о союзнических\n\nотношениях."
            )
            .as_deref(),
            Some("Договор между Республикой Казахстан и Республикой Узбекистан о союзнических\n\nотношениях")
        );
        assert!(finds(
            "Ittifoqchilik munosabatlari toʻgʻrisidagi shartnoma",
            "uz",
            "Ittifoqchilik munosabatlari to'g'risidagi shartnomani imzoladi"
        )
        .is_some());
        assert!(finds(
            "Ittifoqchilik munosabatlari toʻgʻrisidagi shartnoma",
            "uz",
            "Иттифоқчилик муносабатлари тўғрисидаги шартномани имзолади"
        )
        .is_some());
        assert!(
            finds("Одақтастық қатынастар туралы шарт", "kk", "одақтастық қатынастар туралы шартқа қол қойды").is_some()
        );
        assert!(finds("roadmap … 2022-2024", "en", "a roadmap for regional cooperation for 2022–2024").is_some());
        // Endings are limited: "отношениями" fits, a different word does not.
        assert!(finds("союзническ договор", "ru", "союзнический договор").is_some());
        assert!(finds("Treaty on Allied Relations", "en", "a treaty on alliance").is_none());
        // The gap is bounded.
        assert!(finds(
            "Договор … союзническ",
            "ru",
            "Договор один два три четыре пять шесть семь восемь девять союзнический"
        )
        .is_none());
        // A lone short word must match whole.
        assert!(finds("ЦЧС", "ru", "ЦЧССРБ").is_none());
    }
}
