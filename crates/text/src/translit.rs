//! Uzbek Cyrillic ↔ Latin transliteration by the 1995 rules, with the 2026 Latin alphabet as an
//! output option and accepted as input (languages.md §0, §1.2–1.5).
//!
//! Positional rules are applied word by word: Cyrillic е is *ye* at the start of a word, after a
//! vowel and after ъ/ь; ц is *s* at the start, after a consonant and at the end, *ts* between a
//! vowel and a letter; ўъ is *oʻ*; ъ before е/ё/ю/я disappears (объект → obyekt); ь is dropped but
//! gives *y* before о (батальон → batalyon); сҳ is *sʼh*; сентябрь/октябрь are *sentabr/oktabr*.
//! Digraphs follow the case of the word: Шаҳар → Shahar, ШАҲАР → SHAHAR.

/// Which Latin alphabet to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alphabet {
    /// The 1995 alphabet in force: oʻ gʻ sh ch.
    #[default]
    Latin1995,
    /// The 2026 alphabet approved by the Senate (not yet in force): ö ğ ş ç.
    Latin2026,
}

/// U+02BB, the oʻ/gʻ mark.
pub const TURNED_COMMA: char = '\u{02BB}';
/// U+02BC, the tutuq belgisi.
pub const TUTUQ: char = '\u{02BC}';

fn is_cyr_vowel(c: char) -> bool {
    matches!(c.to_lowercase().next().unwrap_or(c), 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ў' | 'э' | 'ю' | 'я' | 'ы')
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || crate::fold::is_apostrophe(c)
}

/// Split a text into runs of word characters and runs of everything else.
fn words(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let word = is_word_char(first);
        let len = rest.char_indices().find(|&(_, c)| is_word_char(c) != word).map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some((word, run))
    })
}

#[derive(Clone, Copy, PartialEq)]
enum WordCase {
    Lower,
    Title,
    Upper,
}

fn word_case(word: &str) -> WordCase {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase()) {
        WordCase::Upper
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        WordCase::Title
    } else {
        WordCase::Lower
    }
}

/// Write `latin` (lower case) for a source letter, following the source letter's case and the
/// case of the whole word for digraphs.
fn push_cased(out: &mut String, latin: &str, upper: bool, case: WordCase) {
    if !upper {
        out.push_str(latin);
    } else if case == WordCase::Upper {
        out.extend(latin.chars().flat_map(char::to_uppercase));
    } else {
        let mut cs = latin.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.extend(cs);
        }
    }
}

/// Uzbek Cyrillic → Latin. Characters that are not Cyrillic pass through unchanged.
pub fn cyrillic_to_latin(text: &str, alphabet: Alphabet) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (is_word, run) in words(text) {
        if is_word {
            word_cyr_to_lat(run, alphabet, &mut out);
        } else {
            out.push_str(run);
        }
    }
    out
}

fn word_cyr_to_lat(word: &str, alphabet: Alphabet, out: &mut String) {
    let case = word_case(word);
    let chars: Vec<char> = word.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let new = alphabet == Alphabet::Latin2026;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let l = lower[i];
        let upper = c != l;
        let prev = i.checked_sub(1).map(|p| lower[p]);
        let next = lower.get(i + 1).copied();
        // сентябрь / октябрь: the 1995 spelling drops the я.
        if (l == 'т' && prev == Some('н') || l == 'т' && prev == Some('к'))
            && next == Some('я')
            && lower.get(i + 2) == Some(&'б')
            && lower.get(i + 3) == Some(&'р')
            && (lower[..i].ends_with(&['с', 'е', 'н']) || lower[..i].ends_with(&['о', 'к']))
        {
            push_cased(out, "ta", upper, case);
            i += 2;
            continue;
        }
        let latin: &str = match l {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' => {
                let ye = match prev {
                    None => true,
                    Some(p) => is_cyr_vowel(p) || p == 'ъ' || p == 'ь',
                };
                if ye { "ye" } else { "e" }
            }
            'ё' => "yo",
            'ж' => "j",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => {
                if next == Some('ҳ') {
                    // сҳ is s + h across a syllable boundary, marked with the tutuq (Isʼhoq).
                    push_cased(out, "s", upper, case);
                    out.push(TUTUQ);
                    i += 1;
                    continue;
                }
                "s"
            }
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "x",
            'ц' => {
                let after_vowel = prev.is_some_and(is_cyr_vowel);
                let word_end = next.is_none_or(|n| !n.is_alphabetic());
                if after_vowel && !word_end { "ts" } else { "s" }
            }
            'ч' => if new { "ç" } else { "ch" },
            'ш' => if new { "ş" } else { "sh" },
            'щ' => if new { "şç" } else { "shch" },
            'ъ' => {
                // ўъ → oʻ alone; ъ before a iotated vowel disappears (объект → obyekt).
                if prev == Some('ў') || matches!(next, Some('е' | 'ё' | 'ю' | 'я')) {
                    i += 1;
                    continue;
                }
                out.push(TUTUQ);
                i += 1;
                continue;
            }
            'ь' => {
                if next == Some('о') {
                    "y"
                } else {
                    i += 1;
                    continue;
                }
            }
            'ы' => "i",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            'ў' => {
                if new {
                    "ö"
                } else {
                    push_cased(out, "o", upper, case);
                    out.push(TURNED_COMMA);
                    i += 1;
                    continue;
                }
            }
            'қ' => "q",
            'ғ' => {
                if new {
                    "ğ"
                } else {
                    push_cased(out, "g", upper, case);
                    out.push(TURNED_COMMA);
                    i += 1;
                    continue;
                }
            }
            'ҳ' => "h",
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        push_cased(out, latin, upper, case);
        i += 1;
    }
}

fn is_lat_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'ö' | 'õ' | 'ō' | 'ŏ')
}

/// Uzbek Latin (1995 or 2026, any apostrophe variant) → Cyrillic. Mixed-case tokens such as
/// `iPhone` or `ShHT` are foreign words or abbreviations and are left alone.
pub fn latin_to_cyrillic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (is_word, run) in words(text) {
        if is_word && run.chars().any(|c| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c)) {
            word_lat_to_cyr(run, &mut out);
        } else {
            out.push_str(run);
        }
    }
    out
}

fn is_mixed_case(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    // Upper after a lower letter (iPhone), or lower then upper inside (ShHT): not a plain word.
    letters.windows(2).enumerate().any(|(k, w)| w[0].is_lowercase() && w[1].is_uppercase() && !(k == 0 && letters.len() == 2))
}

fn word_lat_to_cyr(word: &str, out: &mut String) {
    if is_mixed_case(word) {
        out.push_str(word);
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let all_upper = word_case(word) == WordCase::Upper;
    let apos = |k: usize| lower.get(k).is_some_and(|&c| crate::fold::is_apostrophe(c));
    let mut i = 0;
    while i < chars.len() {
        let l = lower[i];
        let upper = chars[i] != l || (all_upper && chars[i].is_alphabetic());
        let next = lower.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| lower[p]);
        let at_start = i == 0;
        let emit = |out: &mut String, cyr: &str| {
            if upper {
                out.extend(cyr.chars().flat_map(char::to_uppercase));
            } else {
                out.push_str(cyr);
            }
        };
        let (cyr, used): (&str, usize) = match l {
            'o' if apos(i + 1) => ("ў", 2),
            'g' if apos(i + 1) => ("ғ", 2),
            's' if apos(i + 1) && next.is_some() && lower.get(i + 2) == Some(&'h') => ("сҳ", 3),
            's' if next == Some('h') => ("ш", 2),
            'c' if next == Some('h') => ("ч", 2),
            'y' if next == Some('o') && apos(i + 2) => ("йў", 3),
            'y' if next == Some('o') => ("ё", 2),
            'y' if next == Some('u') => ("ю", 2),
            'y' if next == Some('a') => ("я", 2),
            'y' if next == Some('e') => ("е", 2),
            't' if next == Some('s')
                && prev.is_some_and(is_lat_vowel)
                && lower.get(i + 2).is_some_and(|&c| is_lat_vowel(c)) =>
            {
                ("ц", 2)
            }
            'e' if at_start || prev.is_some_and(|p| crate::fold::is_apostrophe(p)) => ("э", 1),
            'e' if prev.is_some_and(is_lat_vowel) => ("э", 1),
            'e' => ("е", 1),
            'a' => ("а", 1),
            'b' => ("б", 1),
            'd' => ("д", 1),
            'f' => ("ф", 1),
            'g' | 'ğ' | 'ḡ' => ("г", 1),
            'h' => ("ҳ", 1),
            'i' | 'ı' => ("и", 1),
            'j' => ("ж", 1),
            'k' => ("к", 1),
            'l' => ("л", 1),
            'm' => ("м", 1),
            'n' => ("н", 1),
            'o' => ("о", 1),
            'p' => ("п", 1),
            'q' => ("қ", 1),
            'r' => ("р", 1),
            's' => ("с", 1),
            't' => ("т", 1),
            'u' => ("у", 1),
            'v' => ("в", 1),
            'x' => ("х", 1),
            'y' => ("й", 1),
            'z' => ("з", 1),
            'c' => ("ц", 1),
            'ş' | 'ș' => ("ш", 1),
            'ç' => ("ч", 1),
            'ö' | 'õ' | 'ō' | 'ŏ' => ("ў", 1),
            'ñ' => ("нг", 1),
            c if crate::fold::is_apostrophe(c) => ("ъ", 1),
            _ => {
                out.push(chars[i]);
                i += 1;
                continue;
            }
        };
        // ğ/ḡ are gʻ in the 2026 alphabet and its drafts.
        let cyr = if matches!(l, 'ğ' | 'ḡ') { "ғ" } else { cyr };
        if upper && !all_upper && cyr.chars().count() > 1 {
            // Title case: only the first Cyrillic letter is a capital (Shahar → Шаҳар, Yoʻl → Йўл).
            let mut cs = cyr.chars();
            out.extend(cs.next().unwrap().to_uppercase());
            out.extend(cs);
        } else {
            emit(out, cyr);
        }
        i += used;
    }
}

/// Uzbek Latin in one alphabet to the other: oʻ gʻ sh ch ↔ ö ğ ş ç (any apostrophe variant
/// accepted). s + tutuq + h (Isʼhoq) stays as it is in both. Cyrillic passes through unchanged.
pub fn latin_to_latin(text: &str, to: Alphabet) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let apos = |k: usize| chars.get(k).is_some_and(|&c| crate::fold::is_apostrophe(c));
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let upper = c.is_uppercase();
        // Digraph case: SH in a capitalised word, Sh in a title-case one.
        let next_upper = next.is_some_and(|n| n.is_uppercase());
        match to {
            Alphabet::Latin2026 => {
                let lc = c.to_lowercase().next().unwrap_or(c);
                let pair = |out: &mut String, lower: char, upper_c: char| out.push(if upper { upper_c } else { lower });
                if (lc == 'o' || lc == 'g') && apos(i + 1) {
                    if lc == 'o' { pair(&mut out, 'ö', 'Ö') } else { pair(&mut out, 'ğ', 'Ğ') }
                    i += 2;
                    continue;
                }
                if lc == 's' && next.is_some_and(|n| n == 'h' || n == 'H') {
                    pair(&mut out, 'ş', 'Ş');
                    i += 2;
                    continue;
                }
                if lc == 'c' && next.is_some_and(|n| n == 'h' || n == 'H') {
                    pair(&mut out, 'ç', 'Ç');
                    i += 2;
                    continue;
                }
                out.push(c);
            }
            Alphabet::Latin1995 => {
                let word_upper = upper && (next_upper || i.checked_sub(1).and_then(|p| chars.get(p)).is_some_and(|p| p.is_uppercase()));
                let h = if word_upper { 'H' } else { 'h' };
                match c {
                    'ş' | 'ș' => out.push_str("sh"),
                    'Ş' | 'Ș' => { out.push('S'); out.push(h) }
                    'ç' => out.push_str("ch"),
                    'Ç' => { out.push('C'); out.push(h) }
                    'ö' | 'õ' | 'ō' | 'ŏ' => { out.push('o'); out.push(TURNED_COMMA) }
                    'Ö' | 'Õ' | 'Ō' | 'Ŏ' => { out.push('O'); out.push(TURNED_COMMA) }
                    'ğ' | 'ḡ' => { out.push('g'); out.push(TURNED_COMMA) }
                    'Ğ' | 'Ḡ' => { out.push('G'); out.push(TURNED_COMMA) }
                    c if crate::fold::is_apostrophe(c) => {
                        let after_og = i.checked_sub(1).and_then(|p| chars.get(p)).is_some_and(|p| matches!(p, 'o' | 'O' | 'g' | 'G'));
                        out.push(if after_og { TURNED_COMMA } else { TUTUQ });
                    }
                    c => out.push(c),
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c2l(s: &str) -> String {
        cyrillic_to_latin(s, Alphabet::Latin1995)
    }

    // languages.md §0 rule 2: е is ye at the start, after a vowel and after ъ/ь; e elsewhere.
    #[test]
    fn rule_2_cyrillic_e_is_positional() {
        assert_eq!(c2l("енгил"), "yengil");
        assert_eq!(c2l("етти"), "yetti");
        assert_eq!(c2l("Низоев"), "Nizoyev");
        assert_eq!(c2l("қаерда"), "qayerda");
        assert_eq!(c2l("мен"), "men");
        assert_eq!(c2l("Европа"), "Yevropa");
        assert_eq!(c2l("ЕВРОПА"), "YEVROPA");
    }

    #[test]
    fn rule_2_reverse_e_at_start_is_e_and_ye_is_ye() {
        assert_eq!(latin_to_cyrillic("elchi"), "элчи");
        assert_eq!(latin_to_cyrillic("Yevropa"), "Европа");
        assert_eq!(latin_to_cyrillic("men"), "мен");
        assert_eq!(latin_to_cyrillic("yengil"), "енгил");
    }

    // Rule 3: ц is s at the start and after a consonant, ts after a vowel mid-word, s at the end.
    #[test]
    fn rule_3_tse_is_positional() {
        assert_eq!(c2l("цирк"), "sirk");
        assert_eq!(c2l("цех"), "sex");
        assert_eq!(c2l("концерт"), "konsert");
        assert_eq!(c2l("функция"), "funksiya");
        assert_eq!(c2l("акция"), "aksiya");
        assert_eq!(c2l("федерация"), "federatsiya");
        assert_eq!(c2l("милиция"), "militsiya");
        assert_eq!(c2l("лицей"), "litsey");
        assert_eq!(c2l("абзац"), "abzas");
    }

    // Rule 4: ъ → ʼ, ўъ → oʻ alone, ъе → ye; ь dropped, ьо → yo; sentabr/oktabr.
    #[test]
    fn rule_4_hard_and_soft_signs() {
        assert_eq!(c2l("маъно"), "maʼno");
        assert_eq!(c2l("эълон"), "eʼlon");
        assert_eq!(c2l("мўъжиза"), "moʻjiza");
        assert_eq!(c2l("объект"), "obyekt");
        assert_eq!(c2l("медаль"), "medal");
        assert_eq!(c2l("батальон"), "batalyon");
        assert_eq!(c2l("павильон"), "pavilyon");
        assert_eq!(c2l("сентябрь"), "sentabr");
        assert_eq!(c2l("октябрь"), "oktabr");
        assert_eq!(c2l("Сентябрда"), "Sentabrda");
        assert_eq!(c2l("ноябрь"), "noyabr");
    }

    // Rule 5: сҳ → sʼh, and the 2026 alphabet must not turn it into ş.
    #[test]
    fn rule_5_s_plus_h() {
        assert_eq!(c2l("Исҳоқ"), "Isʼhoq");
        assert_eq!(c2l("асҳоб"), "asʼhob");
        assert_eq!(cyrillic_to_latin("Исҳоқ", Alphabet::Latin2026), "Isʼhoq");
        assert_eq!(latin_to_cyrillic("Isʼhoq"), "Исҳоқ");
        assert_eq!(latin_to_cyrillic("Is'hoq"), "Исҳоқ");
    }

    // Rule 6: digraphs follow the case of the word.
    #[test]
    fn rule_6_case_of_digraphs() {
        assert_eq!(c2l("ШАҲАР"), "SHAHAR");
        assert_eq!(c2l("Шаҳар"), "Shahar");
        assert_eq!(c2l("ЧИҚИШ"), "CHIQISH");
        assert_eq!(c2l("БАРЧАМИЗНИ"), "BARCHAMIZNI");
        assert_eq!(c2l("Чорвоқ"), "Chorvoq");
        assert_eq!(latin_to_cyrillic("SHAHAR"), "ШАҲАР");
        assert_eq!(latin_to_cyrillic("Shahar"), "Шаҳар");
        assert_eq!(latin_to_cyrillic("ShHT"), "ShHT", "mixed-case abbreviations are left alone");
    }

    // Rule 7: yoʻ is й + ў, not ё.
    #[test]
    fn rule_7_yo_with_mark() {
        assert_eq!(latin_to_cyrillic("yoʻl"), "йўл");
        assert_eq!(latin_to_cyrillic("yo‘l"), "йўл");
        assert_eq!(latin_to_cyrillic("Yoʻl"), "Йўл");
        assert_eq!(latin_to_cyrillic("yoshlar"), "ёшлар");
        assert_eq!(c2l("йўл"), "yoʻl");
    }

    // Rule 1: every apostrophe variant after o/g is the oʻ/gʻ mark.
    #[test]
    fn rule_1_apostrophes_in_latin_input() {
        for v in ["O'zbekiston", "O‘zbekiston", "O’zbekiston", "O`zbekiston", "Oʻzbekiston", "Özbekiston"] {
            assert_eq!(latin_to_cyrillic(v), "Ўзбекистон", "{v}");
        }
        assert_eq!(latin_to_cyrillic("G'OFUR"), "ҒОФУР");
        assert_eq!(latin_to_cyrillic("ma'no"), "маъно");
    }

    #[test]
    fn the_2026_alphabet_both_ways() {
        let new = |s| cyrillic_to_latin(s, Alphabet::Latin2026);
        assert_eq!(new("Ўзбекча"), "Özbekça");
        assert_eq!(new("Тошкент шаҳри"), "Toşkent şahri");
        assert_eq!(new("ғалаба"), "ğalaba");
        assert_eq!(new("ШАҲАР"), "ŞAHAR");
        assert_eq!(latin_to_latin("shahar choy oʻzbek gʻalaba", Alphabet::Latin2026), "şahar çoy özbek ğalaba");
        assert_eq!(latin_to_latin("şahar çoy özbek ğalaba", Alphabet::Latin1995), "shahar choy oʻzbek gʻalaba");
        assert_eq!(latin_to_latin("Isʼhoq", Alphabet::Latin2026), "Isʼhoq");
        assert_eq!(latin_to_latin("ŞAHAR", Alphabet::Latin1995), "SHAHAR");
        assert_eq!(latin_to_latin("O'zbekiston", Alphabet::Latin1995), "Oʻzbekiston");
        assert_eq!(latin_to_cyrillic("Özbekiston"), "Ўзбекистон");
    }

    #[test]
    fn round_trips_on_plain_words() {
        for w in ["Тошкент", "Қозоғистон", "Ўзбекистон", "ҳамкорлик", "жаҳон", "дорихона", "ёшлар", "юрт", "янги"] {
            assert_eq!(latin_to_cyrillic(&c2l(w)), w, "{w} → {}", c2l(w));
        }
        assert_eq!(c2l("жаҳон"), "jahon");
        assert_eq!(c2l("дорихона"), "dorixona");
    }

    #[test]
    fn non_cyrillic_text_passes_through() {
        assert_eq!(c2l("COVID-19 va 2022-yil"), "COVID-19 va 2022-yil");
        assert_eq!(c2l("Ташкент, 16 ноября"), "Tashkent, 16 noyabrya");
    }
}
