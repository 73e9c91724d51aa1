//! The grammar layer (`lexicon/grammar.toml`): which verb forms report a done act and which plan,
//! expect, propose or deny one, in each language.
//!
//! The file lists verbs as roots and, per table, the exact endings that may follow a root, each
//! with the *form* it gives (past, future, negative, …). Compiling it registers every root as a
//! stem of the lexicon's trie, so the tokeniser finds roots in the same pass as every other term;
//! [`Lexicon::verbs_into`](crate::Lexicon::verbs_into) then looks the rest of each word up in its
//! root's table. Whole words with a fixed form (English `met`) and the auxiliaries that change the
//! form of a neighbouring verb (Russian `не`, `будут`; Uzbek `edi`, `emas`; Tajik `хоҳад`) are terms
//! like any other, with [`Meaning::Grammar`](crate::Meaning::Grammar).

use crate::{Error, Lang, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// What a verb form says about the act it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VerbForm {
    /// Done: past, perfect, pluperfect, a Russian short participle.
    Past,
    /// Going on now (progressive).
    Present,
    /// No tense shown (English "they sign").
    Base,
    /// Attributive past participle ("the agreement signed on …"): a done act when it is dated.
    ParticiplePast,
    /// A link in a chain of verbs (-ib, -ып, -yp, карда): it takes the form of the next verb.
    Converb,
    /// A verb used as a noun (signing, imzolash, подписание): it takes the form of its governor.
    VerbalNoun,
    /// Present-future or habitual (-adi, -ады, -ат, -ýar, ме-).
    Nonpast,
    Future,
    ParticipleFuture,
    Conditional,
    Infinitive,
    Necessity,
    Negative,
}

impl VerbForm {
    pub const ALL: [(&'static str, VerbForm); 13] = [
        ("past", VerbForm::Past),
        ("present", VerbForm::Present),
        ("base", VerbForm::Base),
        ("participle_past", VerbForm::ParticiplePast),
        ("converb", VerbForm::Converb),
        ("verbal_noun", VerbForm::VerbalNoun),
        ("nonpast", VerbForm::Nonpast),
        ("future", VerbForm::Future),
        ("participle_future", VerbForm::ParticipleFuture),
        ("conditional", VerbForm::Conditional),
        ("infinitive", VerbForm::Infinitive),
        ("necessity", VerbForm::Necessity),
        ("negative", VerbForm::Negative),
    ];

    pub fn parse(s: &str) -> Option<VerbForm> {
        VerbForm::ALL.iter().find(|(k, _)| *k == s).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        VerbForm::ALL.iter().find(|(_, f)| *f == self).map(|(k, _)| *k).unwrap_or("?")
    }

    /// The form takes back the event it governs: a plan, an expectation, a condition, a purpose,
    /// a denial.
    pub fn takes_back(self) -> bool {
        matches!(
            self,
            VerbForm::Nonpast
                | VerbForm::Future
                | VerbForm::ParticipleFuture
                | VerbForm::Conditional
                | VerbForm::Infinitive
                | VerbForm::Necessity
                | VerbForm::Negative
        )
    }
}

/// Which neighbour a grammar word acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The word is a verb form itself (English `met`).
    Itself,
    /// It sets the form of the next verb (`не`, `will`, `хоҳад`).
    Next,
    /// It sets the form of the verb just before it (`edi`, `emas`, `үшін`).
    Previous,
}

/// A verb form found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerbAt {
    pub token: usize,
    pub form: VerbForm,
    pub lang: Lang,
}

#[derive(Deserialize)]
struct LangSection {
    #[serde(default)]
    slots: Vec<String>,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    derive: Vec<Derive>,
    #[serde(default)]
    parts: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    endings: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    words: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    before: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    after: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Derive {
    table: String,
    /// A template over the slots of each verb ("ме{present}").
    #[serde(default)]
    root: Option<String>,
    /// Roots written out, instead of derived from `verbs`.
    #[serde(default)]
    roots: Vec<String>,
}

/// The grammar file, compiled: roots with their table of endings, and the grammar words.
pub(crate) struct Compiled {
    /// (folded root, language, table index).
    pub roots: Vec<(String, Lang, u16)>,
    /// Ending (folded) → form, one map per table.
    pub tables: Vec<HashMap<String, VerbForm>>,
    /// (words as written, language, form, reach).
    pub words: Vec<(String, Lang, VerbForm, Reach)>,
    /// Endings that two templates of one table read as a done act and as a taken-back one (the
    /// first kept), for review.
    pub clashes: Vec<String>,
}

fn err(message: String) -> Error {
    Error::Parse { file: "grammar.toml".into(), message }
}

/// Expand `{NAME}` placeholders with every combination of the named parts.
fn expand(template: &str, parts: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>> {
    let Some(open) = template.find('{') else { return Ok(vec![template.to_string()]) };
    let close = template[open..].find('}').map(|k| open + k).ok_or_else(|| err(format!("unclosed {{ in {template:?}")))?;
    let name = &template[open + 1..close];
    let values = parts.get(name).ok_or_else(|| err(format!("unknown part {{{name}}} in {template:?}")))?;
    let mut out = Vec::new();
    for v in values {
        let head = format!("{}{}", &template[..open], v);
        for rest in expand(&template[close + 1..], parts)? {
            out.push(format!("{head}{rest}"));
        }
    }
    Ok(out)
}

fn fold_piece(s: &str) -> String {
    // Endings are folded like words: no leading or trailing space to trim, but the fold drops
    // apostrophes and lower-cases.
    hamkor_text::fold_key(s)
}

/// Compile the grammar file. Uzbek is written in Latin; every Uzbek root and ending gets its
/// Cyrillic twin from the transliterator, as the lexicon's terms do.
pub(crate) fn compile(text: &str) -> Result<Compiled> {
    let file: BTreeMap<String, LangSection> = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut out = Compiled { roots: Vec::new(), tables: Vec::new(), words: Vec::new(), clashes: Vec::new() };
    for (lang_key, sec) in &file {
        let lang = Lang::parse(lang_key).ok_or_else(|| err(format!("unknown language section {lang_key:?}")))?;
        let scripts: Vec<(Lang, fn(&str) -> String)> = if lang == Lang::Uz {
            vec![(Lang::Uz, |s: &str| s.to_string()), (Lang::UzCyrl, |s: &str| hamkor_text::latin_to_cyrillic(s))]
        } else {
            vec![(lang, |s: &str| s.to_string())]
        };
        for (script_lang, convert) in &scripts {
            // Tables of this language, by name.
            let mut table_ids: HashMap<&str, u16> = HashMap::new();
            for (name, forms) in &sec.endings {
                let mut map: HashMap<String, VerbForm> = HashMap::new();
                for (form_name, templates) in forms {
                    let form = VerbForm::parse(form_name).ok_or_else(|| err(format!("[{lang_key}.endings.{name}]: unknown form {form_name:?}")))?;
                    for t in templates {
                        if t.contains(' ') {
                            return Err(err(format!("[{lang_key}.endings.{name}.{form_name}]: {t:?} has a space; endings are one word (put the second word under `after`)")));
                        }
                        for e in expand(t, &sec.parts)? {
                            let key = fold_piece(&convert(&e));
                            match map.get(&key) {
                                // Two readings that agree on whether the event stands (future or
                                // infinitive, converb or participle) are harmless; a reading that
                                // reports an act against one that takes it back is a clash.
                                Some(f) if f.takes_back() != form.takes_back() => {
                                    out.clashes.push(format!("{lang_key}.{name}: ending {e:?} is {} and {form_name}", f.name()))
                                }
                                Some(_) => {}
                                None => {
                                    map.insert(key, form);
                                }
                            }
                        }
                    }
                }
                out.tables.push(map);
                table_ids.insert(name.as_str(), (out.tables.len() - 1) as u16);
            }
            for d in &sec.derive {
                let table = *table_ids.get(d.table.as_str()).ok_or_else(|| err(format!("[{lang_key}]: derive names unknown table {:?}", d.table)))?;
                let mut roots: Vec<String> = d.roots.clone();
                if let Some(template) = &d.root {
                    for v in &sec.verbs {
                        let slots: Vec<&str> = v.split('/').collect();
                        if slots.len() != sec.slots.len().max(1) {
                            return Err(err(format!("[{lang_key}]: verb {v:?} has {} parts, slots are {:?}", slots.len(), sec.slots)));
                        }
                        let mut root = template.clone();
                        for (name, value) in sec.slots.iter().zip(&slots) {
                            root = root.replace(&format!("{{{name}}}"), value);
                        }
                        roots.push(root);
                    }
                }
                for r in roots {
                    let key = fold_piece(&convert(&r));
                    if !key.is_empty() {
                        out.roots.push((key, *script_lang, table));
                    }
                }
            }
        }
        for (reach, lists) in [(Reach::Itself, &sec.words), (Reach::Next, &sec.before), (Reach::Previous, &sec.after)] {
            for (form_name, words) in lists {
                let form = VerbForm::parse(form_name).ok_or_else(|| err(format!("[{lang_key}]: unknown form {form_name:?}")))?;
                for w in words {
                    out.words.push((w.clone(), lang, form, reach));
                }
            }
        }
    }
    Ok(out)
}
