//! Text normalisation for Central Asian languages.

/// Language and script of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// ISO 639-1: en ru uz kk ky tg tk, or "und".
    pub lang: &'static str,
    /// ISO 15924: Latn or Cyrl.
    pub script: &'static str,
}

pub fn detect(_text: &str) -> Detected {
    Detected { lang: "und", script: "Latn" }
}

/// A key for full-text search in which Uzbek Cyrillic and Latin spellings of a word coincide.
pub fn search_key(text: &str) -> String {
    text.to_lowercase()
}
