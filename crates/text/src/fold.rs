//! The match key: a folded copy of a text in which spelling variants coincide, with a map from
//! every byte of the copy back to the original bytes it came from.
//!
//! Evidence spans are always byte offsets into the original text. The coder matches on the
//! folded copy and maps each match back through [`Folded::original_span`]; no folding step may
//! lose that link.

use hamkor_model::Span;
use unicode_normalization::char::{compose, is_combining_mark};

/// Characters that stand for the Uzbek oʻ/gʻ mark and the tutuq (languages.md §1.4), plus the
/// typographic quotes that real text uses in their place.
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{00B4}' | '\u{2032}' | '\u{02B9}' | '\u{02BB}' | '\u{02BC}' | '\u{02BD}' | '\u{FF07}'
    )
}

/// A folded text and its map back to the original.
///
/// The map is run-length: most characters keep their byte length when folded (ASCII, Cyrillic
/// to Cyrillic, ş to sh), so the distance between a folded offset and its original stays the same
/// over long runs. `map` holds a breakpoint (folded offset, original offset) wherever that
/// distance changes: a dropped apostrophe, collapsed white space, ö (2 bytes) becoming o (1).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    map: Vec<(u32, u32)>,
    /// Original offset where the folded slice ends.
    end: u32,
}

impl Folded {
    /// The original span covering folded bytes `[start, end)`.
    ///
    /// The end is where the next folded character's original starts (or the end of the slice), so a
    /// span may take in characters the fold dropped after it (an apostrophe, extra white space);
    /// it is always on character boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> Span {
        if start >= end {
            return Span::new(self.original_at(start), self.original_at(start));
        }
        Span::new(self.original_at(start), self.original_at(end))
    }

    /// The original offset of folded offset `at` (exact at the start of every folded character;
    /// the end of the slice at or past the end).
    pub fn original_at(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.end as usize;
        }
        let k = self.map.partition_point(|&(f, _)| f as usize <= at);
        let (f, o) = self.map[k.saturating_sub(1)];
        o as usize + (at - f as usize)
    }

    /// Note that the next folded character comes from original offset `orig`.
    #[inline]
    fn mark(&mut self, orig: usize) {
        let f = self.text.len() as u32;
        let o = orig as u32;
        match self.map.last() {
            Some(&(bf, bo)) if bo + (f - bf) == o => {}
            _ => self.map.push((f, o)),
        }
    }

    #[inline]
    fn push(&mut self, c: char, start: usize) {
        self.mark(start);
        self.text.push(c);
    }

    /// An expansion (ş → sh): every character of it maps to the start of the original one.
    fn push_str(&mut self, s: &str, start: usize) {
        for c in s.chars() {
            self.push(c, start);
        }
    }
}

/// Fold a slice of a larger text; `base` is the slice's offset in the original, so that spans map
/// to the whole document.
pub fn fold_at(text: &str, base: usize) -> Folded {
    let mut out = Folded::default();
    fold_into(text, base, &mut out);
    out
}

/// Like [`fold_at`], reusing the buffers of `out` (the coder folds millions of sentences).
pub fn fold_into(text: &str, base: usize, out: &mut Folded) {
    out.text.clear();
    out.map.clear();
    out.text.reserve(text.len());
    out.end = (base + text.len()) as u32;
    let bytes = text.as_bytes();
    let n = bytes.len();
    // A combining mark (U+0300–U+036F) starts with byte CC or CD: the character before it needs
    // composing, which the general path does.
    let mark_follows = |i: usize| matches!(bytes.get(i), Some(0xCC | 0xCD));
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        let start = base + i;
        // Fastest path: a run of plain ASCII (letters, digits, punctuation, single spaces) copied
        // in one piece and lower-cased in place. Its edges go through the paths below whenever
        // they touch something that needs care: a Cyrillic neighbour (look-alike letters), a
        // combining mark, an apostrophe, other white space.
        let plain = |x: u8| x < 0x80 && x != b'\'' && x != b'`' && (x == b' ' || !x.is_ascii_whitespace());
        if plain(b) && !prev.is_some_and(is_cyrillic) && !(b == b' ' && (out.text.is_empty() || out.text.ends_with(' '))) {
            let run_start = i;
            let mut j = i;
            while j < n && plain(bytes[j]) && !(bytes[j] == b' ' && j > run_start && bytes[j - 1] == b' ') {
                j += 1;
            }
            // Leave the last byte to the careful paths when what follows needs its context.
            if j < n && matches!(bytes[j], 0xCC | 0xCD | 0xD0..=0xD3) {
                j -= 1;
            }
            if j > run_start {
                out.mark(start);
                let at = out.text.len();
                out.text.push_str(&text[run_start..j]);
                out.text[at..].make_ascii_lowercase();
                prev = Some(bytes[j - 1] as char);
                i = j;
                continue;
            }
        }
        // The same for a run of lower-case Russian letters (а–я), which are their own fold.
        let lower_ru = |k: usize| {
            k + 1 < n && ((bytes[k] == 0xD0 && (0xB0..=0xBF).contains(&bytes[k + 1])) || (bytes[k] == 0xD1 && (0x80..=0x8F).contains(&bytes[k + 1])))
        };
        if lower_ru(i) && !prev.is_some_and(|p| p.is_ascii_alphabetic() || is_latin_letter(p)) {
            let run_start = i;
            let mut j = i;
            while lower_ru(j) {
                j += 2;
            }
            // A Latin letter or a combining mark after the run needs the last letter's context.
            if j < n && (bytes[j].is_ascii_alphabetic() || (0xC3..=0xCD).contains(&bytes[j])) {
                j -= 2;
            }
            if j > run_start {
                out.mark(start);
                out.text.push_str(&text[run_start..j]);
                prev = text[j - 2..j].chars().next();
                i = j;
                continue;
            }
        }
        // Fast path 1: ASCII (English text, digits, punctuation, Latin-script Uzbek and Turkmen).
        if b < 0x80 && b != b'\'' && b != b'`' && !mark_follows(i + 1) {
            let c = b as char;
            let next_is_cyrillic = matches!(bytes.get(i + 1), Some(0xD0..=0xD3));
            if b.is_ascii_whitespace() {
                if !out.text.is_empty() && !out.text.ends_with(' ') {
                    out.push(' ', start);
                }
            } else if b.is_ascii_alphabetic() && (prev.is_some_and(is_cyrillic) || next_is_cyrillic) {
                let next = text[i + 1..].chars().next();
                match fold_char(fix_mixed_script(c, prev, next)) {
                    Folding::One(f) => out.push(f, start),
                    Folding::Str(s) => out.push_str(s, start),
                }
            } else {
                out.mark(start);
                out.text.push(c.to_ascii_lowercase());
            }
            prev = Some(c);
            i += 1;
            continue;
        }
        // Fast path 2: a lower-case Russian letter (а–я) between letters of its own script is its
        // own fold: copy it.
        if (b == 0xD0 || b == 0xD1) && i + 1 < n && !mark_follows(i + 2) {
            let c = char::from_u32(((b as u32 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F)).unwrap_or(' ');
            let next_latin = bytes.get(i + 2).is_some_and(|x| x.is_ascii_alphabetic() || (0xC3..=0xC9).contains(x));
            let prev_latin = prev.is_some_and(|p| p.is_ascii_alphabetic() || is_latin_letter(p));
            if ('а'..='я').contains(&c) && !next_latin && !prev_latin {
                out.mark(start);
                out.text.push(c);
                prev = Some(c);
                i += 2;
                continue;
            }
        }
        // The general path: decode, compose, fold.
        let mut iter = text[i..].char_indices().peekable();
        let Some((_, first)) = iter.next() else { break };
        let c = compose_marks(first, &mut iter);
        let consumed = iter.peek().map_or(n - i, |&(k, _)| k);
        let next = iter.peek().map(|&(_, x)| x);
        i += consumed;
        if is_apostrophe(c) {
            prev = Some(c);
            continue;
        }
        if c.is_whitespace() {
            if !out.text.is_empty() && !out.text.ends_with(' ') {
                out.push(' ', start);
            }
            prev = Some(c);
            continue;
        }
        push_folded(out, c, prev, next, start);
        prev = Some(c);
    }
}

/// NFC: compose a base letter with the combining marks that follow it (и + ˘ → й). A mark with no
/// precomposed form carries no meaning for matching and is dropped.
#[inline(always)]
fn compose_marks(mut c: char, iter: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> char {
    while let Some(&(_, m)) = iter.peek() {
        if m < '\u{0300}' || ('\u{0400}'..'\u{0483}').contains(&m) || ('\u{048A}'..='\u{052F}').contains(&m) {
            break;
        }
        let maybe_mark = matches!(m, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}');
        if !maybe_mark || !is_combining_mark(m) {
            break;
        }
        if let Some(composed) = compose(c, m) {
            c = composed;
        }
        iter.next();
    }
    c
}

fn push_folded(out: &mut Folded, c: char, prev: Option<char>, next: Option<char>, start: usize) {
    // A Latin look-alike inside a Cyrillic word (or the reverse) is a typing accident.
    let c = if is_latin_letter(c) || is_cyrillic(c) { fix_mixed_script(c, prev, next) } else { c };
    match fold_char(c) {
        Folding::One(f) => out.push(f, start),
        Folding::Str(s) => out.push_str(s, start),
    }
}

/// Fold a whole text.
/// A letter or digit, with fast paths for ASCII and Cyrillic: the tokeniser's word characters.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
        !matches!(c, '\u{0482}'..='\u{0489}')
    } else {
        c.is_alphanumeric()
    }
}

pub fn fold(text: &str) -> Folded {
    fold_at(text, 0)
}

/// The folded key of a short string (a lexicon term, a query), without the offset map.
pub fn fold_key(text: &str) -> String {
    fold(text).text.trim().to_string()
}

enum Folding {
    One(char),
    Str(&'static str),
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}')
}

fn is_letter_fast(c: char) -> bool {
    // Apostrophes are letters to Unicode (ʻ ʼ) but the fold drops them: they give no context.
    !is_apostrophe(c) && (c.is_ascii_alphabetic() || is_cyrillic(c) || is_latin_letter(c) || (!c.is_ascii() && c.is_alphabetic()))
}

fn fix_mixed_script(c: char, prev: Option<char>, next: Option<char>) -> char {
    let cyr_around = prev.is_some_and(is_cyrillic) && next.is_none_or(|n| is_cyrillic(n) || !is_letter_fast(n))
        || next.is_some_and(is_cyrillic) && prev.is_none_or(|p| is_cyrillic(p) || !is_letter_fast(p));
    if cyr_around && is_latin_letter(c) {
        return match c {
            'a' => 'а', 'A' => 'А', 'e' => 'е', 'E' => 'Е', 'o' => 'о', 'O' => 'О', 'p' => 'р', 'P' => 'Р',
            'c' => 'с', 'C' => 'С', 'x' => 'х', 'X' => 'Х', 'y' => 'у', 'i' => 'і', 'I' => 'І', 'K' => 'К',
            'k' => 'к', 'M' => 'М', 'H' => 'Н', 'T' => 'Т', 'B' => 'В',
            other => other,
        };
    }
    let lat_around = prev.is_some_and(is_latin_letter) && next.is_none_or(|n| is_latin_letter(n) || !is_letter_fast(n))
        || next.is_some_and(is_latin_letter) && prev.is_none_or(|p| is_latin_letter(p) || !is_letter_fast(p));
    if lat_around && is_cyrillic(c) {
        return match c {
            'а' => 'a', 'А' => 'A', 'е' => 'e', 'Е' => 'E', 'о' => 'o', 'О' => 'O', 'р' => 'p', 'Р' => 'P',
            'с' => 'c', 'С' => 'C', 'х' => 'x', 'Х' => 'X', 'у' => 'y', 'і' => 'i', 'К' => 'K', 'к' => 'k',
            other => other,
        };
    }
    c
}

fn fold_char(c: char) -> Folding {
    use Folding::*;
    match c {
        // Central Asian Cyrillic onto Russian look-alikes.
        'ё' | 'Ё' => One('е'),
        'ў' | 'Ў' | 'ӯ' | 'Ӯ' | 'ү' | 'Ү' | 'ұ' | 'Ұ' => One('у'),
        'ӣ' | 'Ӣ' | 'і' | 'І' => One('и'),
        'ҳ' | 'Ҳ' | 'һ' | 'Һ' => One('х'),
        'ҷ' | 'Ҷ' | 'ӌ' | 'Ӌ' => One('ч'),
        'қ' | 'Қ' => One('к'),
        'ғ' | 'Ғ' => One('г'),
        'ә' | 'Ә' | 'ə' | 'Ə' => One('а'),
        'ө' | 'Ө' => One('о'),
        'ң' | 'Ң' | 'ӊ' | 'Ӊ' | 'ҥ' | 'Ҥ' => One('н'),
        // Tajik typed in the old fonts that put its letters on Serbian and Macedonian code points
        // (Љ for Ҷ, Њ for Ҳ, Ќ for Қ, Ѓ for Ғ, Ї for Ӣ); no language hamkor reads uses these.
        'љ' | 'Љ' => One('ч'),
        'њ' | 'Њ' => One('х'),
        'ќ' | 'Ќ' => One('к'),
        'ѓ' | 'Ѓ' => One('г'),
        'ї' | 'Ї' => One('и'),
        // Latin letters with diacritics: the 2026 Uzbek letters, Turkmen, Kazakh Latin.
        'ş' | 'Ş' | 'ș' | 'Ș' => Str("sh"),
        'ç' | 'Ç' => Str("ch"),
        'ž' | 'Ž' => Str("zh"),
        'ı' | 'İ' => One('i'),
        'ñ' | 'Ñ' | 'ň' | 'Ň' => One('n'),
        'ğ' | 'Ğ' | 'ḡ' | 'Ḡ' => One('g'),
        // Dashes and hyphens: one hyphen.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => One('-'),
        '«' | '»' | '“' | '”' | '„' => One('"'),
        c if c.is_ascii() => One(c.to_ascii_lowercase()),
        // Russian capitals: a table lookup instead of the general Unicode one.
        'А'..='Я' => One(char::from_u32(c as u32 + 32).unwrap_or(c)),
        'а'..='я' => One(c),
        'Ѐ'..='Џ' => One(char::from_u32(c as u32 + 80).unwrap_or(c)),
        c => {
            let lower = c.to_lowercase().next().unwrap_or(c);
            One(strip_latin_diacritic(lower))
        }
    }
}

/// ö → o, ä → a, ý → y, á → a …: the base letter of a precomposed Latin letter.
fn strip_latin_diacritic(c: char) -> char {
    if !('\u{00C0}'..='\u{024F}').contains(&c) && !('\u{1E00}'..='\u{1EFF}').contains(&c) {
        return c;
    }
    let mut base = c;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base == c && d.is_ascii_alphabetic() {
            base = d;
        }
    });
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_tajik_fonts_fold_like_the_proper_letters() {
        // Ҷумҳурии Тоҷикистон, қарор, ғолиб, ӣ written with the old fonts' code points.
        assert_eq!(fold("Љумњурии Тољикистон").text, fold("Ҷумҳурии Тоҷикистон").text);
        assert_eq!(fold("ќарор ѓолиб милл\u{457}").text, fold("қарор ғолиб миллӣ").text);
    }

    #[test]
    fn apostrophe_variants_fold_to_one_key() {
        let keys: Vec<String> =
            ["Oʻzbekiston", "O'zbekiston", "O‘zbekiston", "O’zbekiston", "O`zbekiston", "Özbekiston"].iter().map(|s| fold_key(s)).collect();
        assert!(keys.iter().all(|k| k == "ozbekiston"), "{keys:?}");
    }

    #[test]
    fn cyrillic_variants_fold_to_one_key() {
        assert_eq!(fold_key("Ӯзбекистон"), fold_key("Ўзбекистон"));
        assert_eq!(fold_key("Ўзбекистон"), "узбекистон");
        assert_eq!(fold_key("Қазақстан"), "казакстан");
        assert_eq!(fold_key("Объединённых"), fold_key("Объединенных"));
    }

    #[test]
    fn decomposed_letters_are_composed() {
        // и + combining breve is й; у + combining breve is ў.
        assert_eq!(fold_key("и\u{0306}"), "й");
        assert_eq!(fold_key("s\u{0327}ahar"), "shahar");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let text = "O‘zbekiston  va Қозоғистон";
        let f = fold(text);
        let at = f.text.find("козогистон").unwrap();
        let span = f.original_span(at, at + "козогистон".len());
        assert_eq!(&text[span.start..span.end], "Қозоғистон");
        let span = f.original_span(0, "ozbekiston".len());
        assert_eq!(&text[span.start..span.end], "O‘zbekiston");
    }

    #[test]
    fn latin_lookalike_inside_cyrillic_word_is_fixed() {
        // Latin "o" typed inside a Cyrillic word.
        assert_eq!(fold_key("Узбекист\u{006F}н"), "узбекистон");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text from the alphabets the region writes in, with the traps: apostrophe variants,
    /// combining marks, look-alikes, white space runs.
    fn regional_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "O", "o", "ʻ", "'", "‘", "’", "`", "z", "b", "e", "k", "i", "s", "t", "n", "ş", "ç", "ö", "ğ", "ý", "ň", "ä", "ü", "I", "İ",
            "ı", "Ў", "ў", "Қ", "қ", "ғ", "ҳ", "ӯ", "ӣ", "ҷ", "ә", "і", "ң", "ө", "ү", "ұ", "ё", "Ё", "и", "\u{0306}", "у", "\u{0304}",
            "е", "\u{0308}", "s\u{0327}", "а", "о", "р", " ", "  ", "\n", "\t", "\u{a0}", ",", ".", "-", "—", "«", "»", "1", "2022",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn every_folded_offset_maps_to_a_boundary_of_the_original(text in regional_text()) {
            let f = fold(&text);
            let mut last = 0;
            for (i, _) in f.text.char_indices().chain(std::iter::once((f.text.len(), ' '))) {
                let o = f.original_at(i);
                prop_assert!(text.is_char_boundary(o), "offset {o} of {text:?} is not a boundary");
                prop_assert!(o >= last, "offsets go backwards in {text:?}");
                prop_assert!(o <= text.len());
                last = o;
            }
        }

        #[test]
        fn every_word_maps_back_to_original_text_that_folds_to_it(text in regional_text()) {
            let f = fold(&text);
            let mut start = None;
            for (i, c) in f.text.char_indices().chain(std::iter::once((f.text.len(), ' '))) {
                match (start, is_word_char(c)) {
                    (None, true) => start = Some(i),
                    (Some(s), false) => {
                        let span = f.original_span(s, i);
                        let original = &text[span.start..span.end];
                        prop_assert_eq!(fold_key(original), f.text[s..i].to_string(), "word {:?} of {:?}", &f.text[s..i], text);
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }
}
