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

fn idx(lang: &str) -> usize {
    LANGS.iter().position(|l| *l == lang).unwrap_or(0)
}

/// Letters that only some of the languages use, with the weight a single occurrence adds.
fn letter_votes(c: char) -> &'static [(&'static str, f32)] {
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
fn word_votes(w: &str) -> &'static [(&'static str, f32)] {
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

/// Guess the language and script of a text. Reads at most the first 20,000 characters.
pub fn detect(text: &str) -> Detected {
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
        for (lang, w) in letter_votes(c) {
            score[idx(lang)] += w;
        }
    }
    for word in sample.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == 'ʻ' || c == 'ʼ')) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        for (lang, w) in word_votes(&lower) {
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
}
