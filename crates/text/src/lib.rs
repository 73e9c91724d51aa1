//! Text for the coder: script and language identification, Uzbek transliteration, the folded
//! match key with its offset map, language-aware case folding and sentence splitting.
//!
//! Pure: no I/O. Every function that changes text either returns a plain string for display or
//! search, or a [`Folded`] that maps each byte back to the original, so that evidence spans are
//! always byte offsets into the original text.

pub mod detect;
pub mod fold;
pub mod sentences;
pub mod translit;

pub use detect::{detect, Detected};
pub use fold::{fold, fold_at, fold_into, fold_key, Folded};
pub use translit::{cyrillic_to_latin, latin_to_cyrillic, latin_to_latin, Alphabet};

/// Lower-case a text by the rules of a language. Kazakh Latin (2021) uses the Turkish-style I:
/// `I` is the capital of `ı` and `İ` the capital of `i`; everywhere else `I` is the capital of `i`.
/// A stray `İ` from Turkish-locale casing in other languages becomes `i` (OLİB → olib).
pub fn lowercase(text: &str, lang: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match (c, lang) {
            ('I', "kk") => out.push('ı'),
            ('İ', _) => out.push('i'),
            (c, _) => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A key for full-text search in which Uzbek Cyrillic and Latin spellings of a word coincide:
/// Uzbek Cyrillic letters are transliterated to Latin, then the text is folded (apostrophes,
/// diacritics, the 2026 letters). Russian Cyrillic is transliterated the same way, which lets a
/// Latin query find it too; that is a feature for names (Mirziyoyev, Мирзиёев).
pub fn search_key(text: &str) -> String {
    fold_key(&cyrillic_to_latin(text, Alphabet::Latin1995))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_latin_i_is_turkish_style() {
        assert_eq!(lowercase("BIR", "kk"), "bır");
        assert_eq!(lowercase("İSHI", "kk"), "ishı");
        assert_eq!(lowercase("BIR", "uz"), "bir");
        assert_eq!(lowercase("OLİB", "uz"), "olib");
    }

    #[test]
    fn search_keys_meet_across_scripts() {
        assert_eq!(search_key("Ўзбекистон"), search_key("Oʻzbekiston"));
        assert_eq!(search_key("ҳамкорлик"), search_key("hamkorlik"));
        assert_eq!(search_key("Тошкентда"), search_key("TOSHKENTDA"));
        assert_eq!(search_key("Özbekiston"), search_key("O'zbekiston"));
        assert_eq!(search_key("шартнома"), search_key("şartnoma"));
    }
}
