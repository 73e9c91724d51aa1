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
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the original byte offset where the producing character starts.
    starts: Vec<u32>,
    /// For each byte of `text`, the original byte offset where the producing character ends.
    ends: Vec<u32>,
}

impl Folded {
    /// The original span covering folded bytes `[start, end)`.
    pub fn original_span(&self, start: usize, end: usize) -> Span {
        if self.text.is_empty() || start >= end {
            let at = self.starts.get(start).copied().unwrap_or(0) as usize;
            return Span::new(at, at);
        }
        Span::new(self.starts[start] as usize, self.ends[end - 1] as usize)
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.starts.push(start as u32);
            self.ends.push(end as u32);
        }
    }

    fn push_str(&mut self, s: &str, start: usize, end: usize) {
        for c in s.chars() {
            self.push(c, start, end);
        }
    }
}

/// Fold a slice of a larger text; `base` is the slice's offset in the original, so that spans map
/// to the whole document.
pub fn fold_at(text: &str, base: usize) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        starts: Vec::with_capacity(text.len()),
        ends: Vec::with_capacity(text.len()),
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let at = i;
        let (pos, mut c) = chars[i];
        let mut end = chars.get(i + 1).map_or(text.len(), |&(p, _)| p);
        i += 1;
        // NFC: compose a base letter with the combining marks that follow it (и + ˘ → й).
        while i < chars.len() && is_combining_mark(chars[i].1) {
            // A mark with no precomposed form carries no meaning for matching and is dropped.
            if let Some(composed) = compose(c, chars[i].1) {
                c = composed;
            }
            end = chars.get(i + 1).map_or(text.len(), |&(p, _)| p);
            i += 1;
        }
        let (start, end) = (base + pos, base + end);
        if is_apostrophe(c) {
            continue;
        }
        if c.is_whitespace() {
            if !out.text.ends_with(' ') && !out.text.is_empty() {
                out.push(' ', start, end);
            }
            continue;
        }
        // A Latin look-alike inside a Cyrillic word (or the reverse) is a typing accident.
        let prev = at.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i).map(|x| x.1);
        let c = fix_mixed_script(c, prev, next);
        match fold_char(c) {
            Folding::One(f) => out.push(f, start, end),
            Folding::Str(s) => out.push_str(s, start, end),
        }
    }
    out
}

/// Fold a whole text.
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

fn fix_mixed_script(c: char, prev: Option<char>, next: Option<char>) -> char {
    let cyr_around = prev.is_some_and(is_cyrillic) && next.map_or(true, |n| is_cyrillic(n) || !n.is_alphabetic())
        || next.is_some_and(is_cyrillic) && prev.map_or(true, |p| is_cyrillic(p) || !p.is_alphabetic());
    if cyr_around && is_latin_letter(c) {
        return match c {
            'a' => 'а', 'A' => 'А', 'e' => 'е', 'E' => 'Е', 'o' => 'о', 'O' => 'О', 'p' => 'р', 'P' => 'Р',
            'c' => 'с', 'C' => 'С', 'x' => 'х', 'X' => 'Х', 'y' => 'у', 'i' => 'і', 'I' => 'І', 'K' => 'К',
            'k' => 'к', 'M' => 'М', 'H' => 'Н', 'T' => 'Т', 'B' => 'В',
            other => other,
        };
    }
    let lat_around = prev.is_some_and(is_latin_letter) && next.map_or(true, |n| is_latin_letter(n) || !n.is_alphabetic())
        || next.is_some_and(is_latin_letter) && prev.map_or(true, |p| is_latin_letter(p) || !p.is_alphabetic());
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
