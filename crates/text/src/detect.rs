//! Language and script identification for the seven languages of the region.
//!
//! No crate detects Uzbek, Kyrgyz, Tajik or Turkmen reliably (whatlang has no Kazakh, Kyrgyz or
//! Tajik and reads their Cyrillic as Russian or Bulgarian; lingua has Kazakh only and weighs 45 MB;
//! see DEPENDENCIES.md). These languages are told apart well by the letters each alphabet adds to
//! the Russian or Latin base and by a handful of function words, which is what this does.

/// Language and script of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// ISO 639-1: `en` `ru` `uz` `kk` `ky` `tg` `tk`, or `und` when there is too little text.
    pub lang: &'static str,
    /// ISO 15924: `Latn`, `Cyrl`, or `Zyyy` when there are no letters.
    pub script: &'static str,
}

const LANGS: [&str; 7] = ["en", "ru", "uz", "kk", "ky", "tg", "tk"];
// Positions in LANGS (and in the score array).
const EN: usize = 0;
const RU: usize = 1;
const UZ: usize = 2;
const KK: usize = 3;
const KY: usize = 4;
const TG: usize = 5;
const TK: usize = 6;

/// Letters that only some of the languages use, with the weight a single occurrence adds.
fn letter_votes(c: char) -> &'static [(usize, f32)] {
    match c {
        'ў' | 'Ў' => &[(UZ, 6.0)],
        'ӯ' | 'Ӯ' | 'ӣ' | 'Ӣ' | 'ҷ' | 'Ҷ' => &[(TG, 6.0)],
        'ә' | 'Ә' | 'і' | 'І' | 'ұ' | 'Ұ' | 'һ' | 'Һ' => &[(KK, 5.0)],
        'қ' | 'Қ' | 'ғ' | 'Ғ' => &[(UZ, 1.5), (KK, 1.5), (TG, 1.5)],
        'ҳ' | 'Ҳ' => &[(UZ, 2.5), (TG, 2.5)],
        'ң' | 'Ң' | 'ө' | 'Ө' | 'ү' | 'Ү' => &[(KY, 2.5), (KK, 1.5)],
        'ы' | 'Ы' => &[(RU, 0.4), (KY, 0.4), (KK, 0.4)],
        'щ' | 'Щ' | 'ъ' => &[(RU, 0.5)],
        'ý' | 'Ý' | 'ň' | 'Ň' | 'ž' | 'Ž' => &[(TK, 6.0)],
        'ä' | 'Ä' => &[(TK, 3.0)],
        'ş' | 'Ş' | 'ç' | 'Ç' | 'ö' | 'Ö' | 'ü' | 'Ü' => &[(TK, 1.0), (UZ, 0.5)],
        'ʻ' | 'ʼ' => &[(UZ, 3.0)],
        _ => &[],
    }
}

/// The longest function word of [`word_votes`], in characters: a longer word is none of them.
const LONGEST_WORD: usize = 10;

/// Frequent function words, compared after lower-casing.
fn word_votes(w: &str) -> &'static [(usize, f32)] {
    match w {
        "the" | "of" | "and" | "to" | "in" | "was" | "with" | "on" | "for" | "said" | "has" | "by" => &[(EN, 2.0)],
        "и" | "в" | "на" | "с" | "по" | "что" | "о" | "для" | "из" | "был" | "была" | "было" | "также" | "которые" | "года" => &[(RU, 2.0)],
        "va" | "bilan" | "uchun" | "boʻyicha" | "bo'yicha" | "hamda" | "kuni" | "yil" | "oʻrtasida" | "qilindi" | "etildi" => &[(UZ, 3.0)],
        "ва" => &[(UZ, 1.5), (TG, 1.5)],
        "билан" | "учун" | "бўйича" | "ҳамда" | "куни" | "йил" | "ўртасида" => &[(UZ, 3.0)],
        "және" | "мен" | "бойынша" | "арасындағы" | "жылы" | "бұл" | "үшін" => &[(KK, 3.0)],
        "менен" | "жана" | "боюнча" | "ортосунда" | "үчүн" | "болуп" => &[(KY, 3.0)],
        "дар" | "бо" | "аз" | "ба" | "миёни" | "байни" | "шуд" | "карданд" | "намуданд" => &[(TG, 3.0)],
        "we" | "bilen" | "üçin" | "boýunça" | "arasynda" | "ýylyň" => &[(TK, 3.0)],
        _ => &[],
    }
}

/// What the detector asks of a character, for the first 2,048 code points (Latin, Greek,
/// Cyrillic and their extensions) read from a table: the standard library looks non-ASCII
/// characters up in compressed tables, which made `is_alphabetic`, `is_alphanumeric` and
/// `to_lowercase` most of the detector's time. Built from the standard library's own answers
/// (and [`letter_votes`]), so they never differ.
struct CharTable {
    /// [`LATIN`], [`CYRILLIC`], [`WORD`] bits.
    class: [u8; TABLE],
    /// The lower case when it is one character, else `'\0'` (then the standard library answers).
    lower: [char; TABLE],
    /// [`letter_votes`] of each character.
    votes: [&'static [(usize, f32)]; TABLE],
}

const TABLE: usize = 0x800;
/// A letter of the Latin script (ASCII or Latin-1 Supplement to Latin Extended-B).
const LATIN: u8 = 1;
/// A letter of the Cyrillic blocks (U+0400 to U+052F).
const CYRILLIC: u8 = 2;
/// Part of a word: a letter, a digit or an apostrophe (' ʻ ʼ).
const WORD: u8 = 4;

fn class_of(c: char) -> u8 {
    let mut k = 0;
    if c.is_alphabetic() {
        if ('\u{0400}'..='\u{052F}').contains(&c) {
            k |= CYRILLIC;
        } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            k |= LATIN;
        }
    }
    if c.is_alphanumeric() || c == '\'' || c == 'ʻ' || c == 'ʼ' {
        k |= WORD;
    }
    k
}

impl CharTable {
    fn build() -> CharTable {
        let mut t = CharTable { class: [0; TABLE], lower: ['\0'; TABLE], votes: [&[]; TABLE] };
        for (i, c) in (0..TABLE as u32).filter_map(|i| char::from_u32(i).map(|c| (i as usize, c))) {
            t.class[i] = class_of(c);
            t.votes[i] = letter_votes(c);
            let mut l = c.to_lowercase();
            if let (Some(one), None) = (l.next(), l.next()) {
                t.lower[i] = one;
            }
        }
        t
    }

    /// The class bits and the letter votes of a character.
    #[inline]
    fn get(&self, c: char) -> (u8, &'static [(usize, f32)]) {
        match self.class.get(c as usize) {
            Some(&k) => (k, self.votes[c as usize]),
            None => (class_of(c), letter_votes(c)),
        }
    }

    /// Each character of the lower case of `c`.
    #[inline]
    fn lowercase_each(&self, c: char, mut f: impl FnMut(char)) {
        match self.lower.get(c as usize) {
            Some(&l) if l != '\0' => f(l),
            _ => c.to_lowercase().for_each(f),
        }
    }
}

fn table() -> &'static CharTable {
    static TABLE: std::sync::OnceLock<CharTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(CharTable::build)
}

/// A word being read: where it starts, how many characters it has, its lower case while it is
/// short enough to be a function word, and whether it has Uzbek Latin oʻ/gʻ written with an
/// ASCII apostrophe (`o'`, `g'` in lower case; only O, o, G and g lower-case to o and g, which a
/// test checks over every character).
struct Word {
    reading: bool,
    chars: usize,
    lower: [u8; WORD_BYTES],
    len: usize,
    after_o_or_g: bool,
    o_or_g_apostrophe: bool,
}

/// Room for the lower case of [`LONGEST_WORD`] characters (one may lower-case to three).
const WORD_BYTES: usize = LONGEST_WORD * 12;

impl Word {
    fn new() -> Word {
        Word { reading: false, chars: 0, lower: [0; WORD_BYTES], len: 0, after_o_or_g: false, o_or_g_apostrophe: false }
    }

    #[inline]
    fn add(&mut self, c: char, table: &CharTable) {
        if !self.reading {
            self.reading = true;
            self.chars = 0;
            self.len = 0;
            self.after_o_or_g = false;
            self.o_or_g_apostrophe = false;
        }
        self.chars += 1;
        if self.chars <= LONGEST_WORD {
            if c.is_ascii() {
                self.lower[self.len] = c.to_ascii_lowercase() as u8;
                self.len += 1;
            } else {
                table.lowercase_each(c, |l| {
                    self.len += l.encode_utf8(&mut self.lower[self.len..]).len();
                });
            }
        }
        if c == '\'' && self.after_o_or_g {
            self.o_or_g_apostrophe = true;
        }
        self.after_o_or_g = matches!(c, 'o' | 'O' | 'g' | 'G');
    }

    /// The votes of the word read (a function word's, then oʻ/gʻ's), in order; reading stops.
    fn end(&mut self, out: &mut Vec<(usize, f32)>) {
        if !self.reading {
            return;
        }
        self.reading = false;
        // Lower-casing never makes fewer characters, so a word longer than every function word
        // stays longer.
        if self.chars <= LONGEST_WORD {
            let lower = std::str::from_utf8(&self.lower[..self.len]).expect("lower case of characters is UTF-8");
            out.extend_from_slice(word_votes(lower));
        }
        if self.o_or_g_apostrophe {
            out.push((UZ, 2.0));
        }
    }
}

/// Guess the language and script of a text. Reads at most the first 20,000 characters.
///
/// Called once per coded document when the input gives no language, so it avoids allocating:
/// one pass over the letters, one over the words, each word lower-cased into a reused buffer
/// (only words short enough to be a function word, or holding an apostrophe). The scores are
/// summed in the same order as ever (letters first, then words), so the result of a text never
/// changes with the speed-up.
pub fn detect(text: &str) -> Detected {
    const MAX_CHARS: usize = 20_000;
    let table = table();
    let mut score = [0f32; 7];
    let (mut latin, mut cyrillic) = (0usize, 0usize);
    // One pass over the characters: letters vote at once; words are cut as they end, and their
    // votes are kept in order and added after all the letters' votes, as a reading of the
    // letters then of the words would add them (the sums are the same to the last bit).
    let mut word_votes_seen: Vec<(usize, f32)> = Vec::new();
    let mut word = Word::new();
    for (n, c) in text.chars().enumerate() {
        if n == MAX_CHARS {
            break;
        }
        let (class, votes) = table.get(c);
        latin += (class & LATIN != 0) as usize;
        cyrillic += (class & CYRILLIC != 0) as usize;
        for &(lang, w) in votes {
            score[lang] += w;
        }
        if class & WORD != 0 {
            word.add(c, table);
        } else {
            word.end(&mut word_votes_seen);
        }
    }
    word.end(&mut word_votes_seen);
    for (lang, w) in word_votes_seen {
        score[lang] += w;
    }
    let script = if cyrillic == 0 && latin == 0 {
        return Detected { lang: "und", script: "Zyyy" };
    } else if cyrillic >= latin {
        "Cyrl"
    } else {
        "Latn"
    };
    let candidates: &[usize] = if script == "Cyrl" { &[RU, UZ, KK, KY, TG] } else { &[EN, UZ, TK, KK] };
    // Russian and English are the default of their scripts: they win unless another language
    // shows its own letters or words.
    let default = if script == "Cyrl" { RU } else { EN };
    let mut best = default;
    let mut best_score = score[default] + 1.0;
    for &lang in candidates {
        if score[lang] > best_score {
            best = lang;
            best_score = score[lang];
        }
    }
    if cyrillic + latin < 3 {
        return Detected { lang: "und", script };
    }
    Detected { lang: LANGS[best], script }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_seven_languages_apart() {
        let cases = [
            ("en", "The two presidents signed an agreement on water in Tashkent."),
            ("ru", "Президенты двух стран подписали соглашение о воде в Ташкенте."),
            ("uz", "Ikki davlat prezidentlari Toshkentda suv boʻyicha kelishuv imzoladilar."),
            ("uz", "Икки давлат президентлари Тошкентда сув бўйича келишув имзоладилар."),
            ("kk", "Екі мемлекет басшылары Ташкентте су жөніндегі келісімге қол қойды және сөйлесті."),
            ("ky", "Эки өлкөнүн президенттери Ташкентте суу боюнча макулдашууга кол коюшту."),
            ("tg", "Президентҳои ду кишвар дар Тошканд созишнома оид ба об имзо карданд."),
            ("tk", "Iki ýurduň Prezidentleri Daşkentde suw babatda ylalaşyga gol çekdiler."),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(text).lang, lang, "{text}");
        }
    }

    #[test]
    fn scripts_and_empty_text() {
        assert_eq!(detect("Ўзбекистон").script, "Cyrl");
        assert_eq!(detect("1234 — 5678").lang, "und");
    }

    #[test]
    fn answers_as_the_plain_reading_does() {
        // Every test document of the coder (seven languages), in capitals, repeated past the
        // 20,000 characters read, and cut into pieces at many places.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../coder/tests/documents");
        let mut texts = vec![String::new(), "O'zbekiston G'arbiy".into(), "ΣΟΦΊΑ İstanbul Ⱥ".into()];
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let text = v["text"].as_str().unwrap().to_string();
            texts.push(text.to_uppercase());
            texts.push(text.repeat(20_001 / text.len().max(1) + 2));
            let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
            for (k, &a) in cuts.iter().enumerate() {
                let b = cuts[(k * 13 + 5) % cuts.len()];
                texts.push(text[a.min(b)..a.max(b)].to_string());
            }
            texts.push(text);
        }
        assert!(texts.len() > 1000, "{} texts", texts.len());
        for t in &texts {
            assert_eq!(detect(t), reference(t), "{t}");
        }
    }

    #[test]
    fn only_o_and_g_lower_case_to_o_and_g() {
        // Word::add relies on it to find o' and g' without lower-casing whole words.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            let ends = lower.ends_with('o') || lower.ends_with('g') || lower.contains('\'');
            assert_eq!(ends, matches!(c, 'o' | 'O' | 'g' | 'G' | '\''), "{c:?} lower-cases to {lower:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn answers_as_the_plain_reading_does_on_any_text(t in "(?s).{0,300}", u in "[a-zA-Zа-яА-Яёўқғҳәіңөұүһҷӣӯýňžäşçöüʻʼ' .,\\-]{0,300}") {
            proptest::prop_assert_eq!(detect(&t), reference(&t));
            proptest::prop_assert_eq!(detect(&u), reference(&u));
        }
    }

    fn idx(lang: &str) -> usize {
        LANGS.iter().position(|l| *l == lang).unwrap_or(0)
    }

    /// Letters that only some of the languages use, with the weight a single occurrence adds.
    fn ref_letter_votes(c: char) -> &'static [(&'static str, f32)] {
        match c {
            'ў' | 'Ў' => &[("uz", 6.0)],
            'ӯ' | 'Ӯ' | 'ӣ' | 'Ӣ' | 'ҷ' | 'Ҷ' => &[("tg", 6.0)],
            'ә' | 'Ә' | 'і' | 'І' | 'ұ' | 'Ұ' | 'һ' | 'Һ' => &[("kk", 5.0)],
            'қ' | 'Қ' | 'ғ' | 'Ғ' => &[("uz", 1.5), ("kk", 1.5), ("tg", 1.5)],
            'ҳ' | 'Ҳ' => &[("uz", 2.5), ("tg", 2.5)],
            'ң' | 'Ң' | 'ө' | 'Ө' | 'ү' | 'Ү' => &[("ky", 2.5), ("kk", 1.5)],
            'ы' | 'Ы' => &[("ru", 0.4), ("ky", 0.4), ("kk", 0.4)],
            'щ' | 'Щ' | 'ъ' => &[("ru", 0.5)],
            'ý' | 'Ý' | 'ň' | 'Ň' | 'ž' | 'Ž' => &[("tk", 6.0)],
            'ä' | 'Ä' => &[("tk", 3.0)],
            'ş' | 'Ş' | 'ç' | 'Ç' | 'ö' | 'Ö' | 'ü' | 'Ü' => &[("tk", 1.0), ("uz", 0.5)],
            'ʻ' | 'ʼ' => &[("uz", 3.0)],
            _ => &[],
        }
    }

    /// Frequent function words, compared after lower-casing.
    fn ref_word_votes(w: &str) -> &'static [(&'static str, f32)] {
        match w {
            "the" | "of" | "and" | "to" | "in" | "was" | "with" | "on" | "for" | "said" | "has" | "by" => &[("en", 2.0)],
            "и" | "в" | "на" | "с" | "по" | "что" | "о" | "для" | "из" | "был" | "была" | "было" | "также" | "которые" | "года" => &[("ru", 2.0)],
            "va" | "bilan" | "uchun" | "boʻyicha" | "bo'yicha" | "hamda" | "kuni" | "yil" | "oʻrtasida" | "qilindi" | "etildi" => &[("uz", 3.0)],
            "ва" => &[("uz", 1.5), ("tg", 1.5)],
            "билан" | "учун" | "бўйича" | "ҳамда" | "куни" | "йил" | "ўртасида" => &[("uz", 3.0)],
            "және" | "мен" | "бойынша" | "арасындағы" | "жылы" | "бұл" | "үшін" => &[("kk", 3.0)],
            "менен" | "жана" | "боюнча" | "ортосунда" | "үчүн" | "болуп" => &[("ky", 3.0)],
            "дар" | "бо" | "аз" | "ба" | "миёни" | "байни" | "шуд" | "карданд" | "намуданд" => &[("tg", 3.0)],
            "we" | "bilen" | "üçin" | "boýunça" | "arasynda" | "ýylyň" => &[("tk", 3.0)],
            _ => &[],
        }
    }

    /// The detector as first written (a String per sample and per word, the standard library's
        /// character tables): the fast one must answer exactly as it does.
    fn reference(text: &str) -> Detected {
        let mut score = [0f32; 7];
        let (mut latin, mut cyrillic) = (0usize, 0usize);
        let sample: String = text.chars().take(20_000).collect();
        for c in sample.chars() {
            if c.is_alphabetic() {
                if ('\u{0400}'..='\u{052F}').contains(&c) {
                    cyrillic += 1;
                } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
                    latin += 1;
                }
            }
            for (lang, w) in ref_letter_votes(c) {
                score[idx(lang)] += w;
            }
        }
        for word in sample.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == 'ʻ' || c == 'ʼ')) {
            if word.is_empty() {
                continue;
            }
            let lower = word.to_lowercase();
            for (lang, w) in ref_word_votes(&lower) {
                score[idx(lang)] += w;
            }
            // Uzbek Latin: oʻ/gʻ written with any apostrophe, and the letters q and x are frequent.
            if lower.contains("o'") || lower.contains("g'") || lower.contains("o‘") || lower.contains("g‘") {
                score[idx("uz")] += 2.0;
            }
        }
        let script = if cyrillic == 0 && latin == 0 {
            return Detected { lang: "und", script: "Zyyy" };
        } else if cyrillic >= latin {
            "Cyrl"
        } else {
            "Latn"
        };
        let candidates: &[&str] = if script == "Cyrl" { &["ru", "uz", "kk", "ky", "tg"] } else { &["en", "uz", "tk", "kk"] };
        // Russian and English are the default of their scripts: they win unless another language
        // shows its own letters or words.
        let default = if script == "Cyrl" { "ru" } else { "en" };
        let mut best = default;
        let mut best_score = score[idx(default)] + 1.0;
        for &lang in candidates {
            if score[idx(lang)] > best_score {
                best = lang;
                best_score = score[idx(lang)];
            }
        }
        if cyrillic + latin < 3 {
            return Detected { lang: "und", script };
        }
        Detected { lang: best, script }
    }
}
