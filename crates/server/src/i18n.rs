//! The interface in English, Russian and Uzbek (Latin script): a small message catalogue.
//!
//! The messages are data, `i18n/{en,ru,uz}.toml`, embedded at build time; nested tables become
//! dotted keys (`[type] agreement = …` is `type.agreement`). A missing message falls back to
//! English, then to the key itself; a test checks that the three files have the same keys and
//! that every key the code asks for exists.
//!
//! The language of a request is `?lang=` (remembered in a cookie), else the cookie, else the
//! best match of `Accept-Language`, else English.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
    Uz,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Uz];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Uz => "uz",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
            Lang::Uz => "Oʻzbekcha",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "uz" => Some(Lang::Uz),
            _ => None,
        }
    }

    /// The first supported language by quality in an `Accept-Language` header.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else { return Lang::En };
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag) {
                if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                    best = Some((q, i, lang));
                }
            }
        }
        best.map_or(Lang::En, |b| b.2)
    }
}

type Catalogue = HashMap<Lang, HashMap<String, String>>;

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../i18n/en.toml")),
    (Lang::Ru, include_str!("../i18n/ru.toml")),
    (Lang::Uz, include_str!("../i18n/uz.toml")),
];

fn flatten(prefix: &str, v: &toml::Value, out: &mut HashMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

pub(crate) fn parse(src: &str) -> Result<HashMap<String, String>, String> {
    let v: toml::Value = toml::from_str(src).map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    flatten("", &v, &mut out);
    Ok(out)
}

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, src)| {
                // The files are ours and tested; a broken one is a build defect.
                (*lang, parse(src).unwrap_or_else(|e| panic!("i18n/{}.toml: {e}", lang.code())))
            })
            .collect()
    })
}

/// The message `key` in `lang`; English when the language lacks it, the key itself when no
/// catalogue has it.
pub fn t<'a>(lang: Lang, key: &'a str) -> &'a str {
    let cat = catalogue();
    cat.get(&lang)
        .and_then(|m| m.get(key))
        .or_else(|| cat.get(&Lang::En).and_then(|m| m.get(key)))
        .map_or(key, String::as_str)
}

/// `t` with `{name}` placeholders filled.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A human label for an event type, a domain or an actor code; unknown codes show as they are.
pub fn label(lang: Lang, kind: &str, code: &str) -> String {
    let key = format!("{kind}.{code}");
    let cat = catalogue();
    cat.get(&lang)
        .and_then(|m| m.get(&key))
        .or_else(|| cat.get(&Lang::En).and_then(|m| m.get(&key)))
        .cloned()
        .unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
pub(crate) fn keys(lang: Lang) -> Vec<String> {
    let mut k: Vec<String> = catalogue()[&lang].keys().cloned().collect();
    k.sort();
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language(None), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(Lang::from_accept_language(Some("de-DE, uz;q=0.7, ru;q=0.5")), Lang::Uz);
        assert_eq!(Lang::from_accept_language(Some("fr, de")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("ru;q=0, uz-Latn-UZ")), Lang::Uz);
    }

    #[test]
    fn the_three_catalogues_have_the_same_keys() {
        let en = keys(Lang::En);
        for lang in [Lang::Ru, Lang::Uz] {
            let other = keys(lang);
            let missing: Vec<_> = en.iter().filter(|k| !other.contains(k)).collect();
            let extra: Vec<_> = other.iter().filter(|k| !en.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", lang.code());
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        // Scan the sources for t(…, "key") and tf(…, "key", …) with a literal key.
        let en = keys(Lang::En);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                for pat in ["t(lang, \"", "tf(lang, \"", "t(l, \"", "tf(l, \"", "t(c.lang, \"", "tf(c.lang, \""] {
                    for (i, _) in src.match_indices(pat) {
                        let rest = &src[i + pat.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if !en.iter().any(|k| k == key) {
                            missing.push(format!("{}: {key}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not in i18n/en.toml: {missing:#?}");
    }
}
