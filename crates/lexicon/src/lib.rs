//! The lexicon: the data files in `lexicon/` (actors, formats, cues, dates) compiled into one
//! matcher over the folded text of a sentence.
//!
//! Matching works in two steps. Every word of every term is a *stem*; a byte trie over all stems,
//! walked once per word of the text until the word leaves it, finds every stem the word starts
//! with (up to [`MAX_STEMS`], the longest kept), and what is left over is the word's ending. (An
//! Aho-Corasick automaton does the same job but keeps walking along its failure links to the end
//! of every word; the trie stops at the first byte no stem shares, which for most words of a
//! text is the first or second.) Then
//! terms, which are sequences of stems, are matched over consecutive words, each word checked
//! against the ending its language allows (`Lang::tail_limit`). Among actor terms that match at
//! the same word, only those with the longest stem count: that is what keeps `Turk` from matching
//! `Turkmenistan` when `Turkmen` is also a stem.
//!
//! Cost (measured by `hamkor bench`, see the README): building the embedded lexicon takes a few
//! milliseconds; [`Lexicon::memory_usage`] reports the bytes it holds.

pub mod grammar;

pub use grammar::{Reach, VerbAt, VerbForm};
use hamkor_model::{ActorCode, Domain, PartialDate, Span};
use hamkor_text::Folded;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Errors while loading lexicon files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("lexicon file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("lexicon file {file}: cannot read: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("lexicon: cannot build the matcher: {0}")]
    Build(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A language section of a lexicon file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Ru,
    Uz,
    UzCyrl,
    Kk,
    Ky,
    Tg,
    Tk,
}

impl Lang {
    pub const ALL: [(&'static str, Lang); 8] = [
        ("en", Lang::En),
        ("ru", Lang::Ru),
        ("uz", Lang::Uz),
        ("uz_cyrl", Lang::UzCyrl),
        ("kk", Lang::Kk),
        ("ky", Lang::Ky),
        ("tg", Lang::Tg),
        ("tk", Lang::Tk),
    ];
    pub(crate) fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.iter().find(|(k, _)| *k == s).map(|(_, l)| *l)
    }
    /// Whether a grammar entry of `entry`'s section applies to a text in `text_lang` (none given:
    /// every section applies). Uzbek is one language in both scripts.
    pub fn grammar_applies(text_lang: Option<Lang>, entry: Lang) -> bool {
        text_lang.is_none_or(|t| t == entry || matches!((t, entry), (Lang::Uz, Lang::UzCyrl) | (Lang::UzCyrl, Lang::Uz)))
    }
    /// How many letters of inflectional ending may follow a stem in this language. English
    /// endings are short (-s, -ed, -ing); Russian case endings reach five letters (-ского); the
    /// Turkic languages chain case and possessive suffixes (Республикасынан, Oʻzbekistondagi).
    pub fn tail_limit(self) -> usize {
        match self {
            Lang::En => 3,
            Lang::Ru => 5,
            Lang::Tg => 5,
            Lang::Uz | Lang::UzCyrl | Lang::Kk | Lang::Ky | Lang::Tk => 8,
        }
    }
}

/// A set of languages whose cue words apply to a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueLangs(u16);

impl CueLangs {
    pub const ALL: CueLangs = CueLangs(u16::MAX);

    fn bit(l: Lang) -> u16 {
        1 << (l as u16)
    }

    pub fn has(self, l: Lang) -> bool {
        self.0 & CueLangs::bit(l) != 0
    }

    /// The cue languages for a text in `lang` (ISO 639-1): its own, and its close neighbours
    /// (Kazakh and Kyrgyz share much of their vocabulary and are confused by detection; Uzbek
    /// in both scripts). English cue words apply everywhere: English phrases appear in every
    /// language's press. An unknown language gets all.
    pub fn for_language(lang: &str) -> CueLangs {
        let langs: &[Lang] = match lang {
            "en" => &[Lang::En],
            "ru" => &[Lang::Ru, Lang::En],
            "uz" => &[Lang::Uz, Lang::UzCyrl, Lang::En],
            "kk" | "ky" => &[Lang::Kk, Lang::Ky, Lang::En],
            "tg" => &[Lang::Tg, Lang::En],
            "tk" => &[Lang::Tk, Lang::En],
            _ => return CueLangs::ALL,
        };
        CueLangs(langs.iter().fold(0, |m, l| m | CueLangs::bit(*l)))
    }
}

/// What a mention of an actor is: its name, an adjective or demonym, its capital or another of its
/// places (a city, a region), an office-holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Name,
    Adjective,
    Capital,
    Leader { from: i32, to: i32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Concept {
    Meet,
    /// Arriving, receiving, welcoming: a meeting only when nothing else explains the visit.
    Arrive,
    /// "According to", "как сообщает": the actors of its clause are the source, not parties.
    Source,
    /// Sending, delivering, donating: aid when what is sent is medical or relief goods.
    Send,
    /// Relief goods: flour, tents, medicines, masks.
    Relief,
    /// A forum: a joint activity unless the sentence reports a summit or talks.
    Forum,
    Sign,
    Document,
    Ratify,
    /// "tassyklady" (confirmed): a ratification only with a document word in the sentence.
    RatifyWeak,
    Partnership,
    Raise,
    Aid,
    Joint,
    Establish,
    Body,
    Plan,
    Negation,
    /// Postponed, cancelled, rescheduled: the event its sentence names did not happen.
    Cancel,
    /// "On the sidelines of", "в рамках": the organisation after it is a setting, not a party.
    Setting,
    /// "doirasida", "аясында", "çäginde": the same, after the organisation.
    SettingAfter,
    /// "To attend", «для участия в», "ishtirok etish uchun": a setting that is also the purpose of
    /// an arrival or departure; the summit it names is where the traveller goes, not a report
    /// that the summit took place.
    Purpose,
    /// The same, after the summit or organisation: "qatnashish uchun", «қатысу үшін».
    PurposeAfter,
    /// "The second batch", "ещё одну партию": a further shipment, not the same aid again.
    Another,
    /// A state's own body (parliament, cabinet): its session is a domestic act.
    Domestic,
    /// Trilateral, multilateral: several partners in one event.
    Multilateral,
    /// An anniversary: what it recalls is an event only with a date in the sentence.
    Anniversary,
    Remote,
    Context,
    /// Phrases that contain a cue word but mean nothing for coding ("press conference").
    Ignore,
    /// A currency ("US dollars", "долларов США", "АҚШ доллары"): the state named next to it names
    /// the money, not a party.
    Currency,
    /// Trade figures ("trade turnover", "товарооборот", "savdo hajmi", billions): a sentence of
    /// statistics reports no joint activity, forum or new institution.
    Statistic,
    /// Condolences, wreaths, commemoration: a ceremony, not a meeting between states.
    Ceremony,
    /// "Including", «в том числе», "jumladan": the states named after it are examples of a
    /// larger set the sentence names otherwise (a format's participants).
    Including,
    /// Quotas, grants, places for students: a joint activity where the sentence is about
    /// education ("Kazakhstan allocated 50 grants for Kyrgyz students").
    Quota,
    /// A military or rescue exercise: the aid and evacuation it rehearses are no aid sent.
    Drill,
    /// "Under article 4 of the agreement", «согласно статье», "moddasiga koʻra": what a document
    /// provides for, not an event; it takes back its clause like a plan.
    Provision,
    Domain(Domain),
}

impl Concept {
    fn parse(s: &str) -> Option<Concept> {
        Some(match s {
            "meet" => Concept::Meet,
            "arrive" => Concept::Arrive,
            "source" => Concept::Source,
            "send" => Concept::Send,
            "relief" => Concept::Relief,
            "forum" => Concept::Forum,
            "sign" => Concept::Sign,
            "document" => Concept::Document,
            "ratify" => Concept::Ratify,
            "ratify_weak" => Concept::RatifyWeak,
            "partnership" => Concept::Partnership,
            "raise" => Concept::Raise,
            "aid" => Concept::Aid,
            "joint" => Concept::Joint,
            "establish" => Concept::Establish,
            "body" => Concept::Body,
            "plan" => Concept::Plan,
            "negation" => Concept::Negation,
            "cancel" => Concept::Cancel,
            "setting" => Concept::Setting,
            "setting_after" => Concept::SettingAfter,
            "purpose" => Concept::Purpose,
            "purpose_after" => Concept::PurposeAfter,
            "another" => Concept::Another,
            "domestic" => Concept::Domestic,
            "multilateral" => Concept::Multilateral,
            "anniversary" => Concept::Anniversary,
            "remote" => Concept::Remote,
            "context" => Concept::Context,
            "ignore" => Concept::Ignore,
            "currency" => Concept::Currency,
            "statistic" => Concept::Statistic,
            "ceremony" => Concept::Ceremony,
            "including" => Concept::Including,
            "quota" => Concept::Quota,
            "drill" => Concept::Drill,
            "provision" => Concept::Provision,
            other => Concept::Domain(other.strip_prefix("domain:")?.parse().ok()?),
        })
    }
}

/// What a term means.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    Actor { code: ActorCode, role: Role },
    Format(usize),
    Cue(Concept),
    Month(u8),
    RelativeDay(i32),
    /// Days from the date the text was last at ("a day earlier").
    RelativeToPrevious(i32),
    RelativeYear(i32),
    Weekday(u8),
    /// A day of the month written as an ordinal word ("пятого", "панҷуми"): a date only with a
    /// month after it.
    DayWord(u8),
    /// "years ago", "лет назад", "yil oldin": with the number before it, a year back from the
    /// publication.
    YearsAgo,
    /// A word of the grammar layer: a verb form by itself, or an auxiliary that sets the form of
    /// the verb next to it (`grammar.toml`).
    Grammar { form: VerbForm, reach: Reach },
    /// "Our head of state", "Davlatimiz rahbari": the publishing state, when the text's source is
    /// one of its outlets (`outlets.toml`).
    OwnState,
}

/// One term of the lexicon, compiled.
#[derive(Debug, Clone)]
pub struct Term {
    /// Stem ids and whether the word must match exactly (no ending).
    words: Vec<(u32, bool)>,
    pub lang: Lang,
    pub meaning: Meaning,
    /// Written in capitals in the lexicon: must be in capitals in the text too.
    pub abbreviation: bool,
    /// The term as written in the lexicon file.
    pub written: String,
    /// Counts only where the text writes it in lower case: a weekday that is also a city's name
    /// (Tajik душанбе, Turkmen duşenbe).
    pub lowercase_only: bool,
    /// Bit k set: the term writes a dash between its words k and k+1 ("EU – Central Asia"), and
    /// the text must have a dash (or a plus) there too, so that "the EU, Central Asia and China"
    /// is not the format.
    dashes: u32,
}

/// A multilateral format and who takes part in it.
#[derive(Debug, Clone)]
pub struct Format {
    pub id: String,
    pub name_en: String,
    pub participants: Vec<ActorCode>,
    pub editions: Vec<Edition>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    pub number: u32,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
}

impl Edition {
    pub fn date(&self) -> Option<PartialDate> {
        self.date.as_deref().and_then(|d| d.parse().ok())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    State,
    Organisation,
    Group,
}

/// A word of the folded text.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// Byte range in the folded text.
    pub start: usize,
    pub end: usize,
    /// Stems the word starts with (id, byte length), longest last; `n_stems` are in use.
    stems: [(u32, u16); MAX_STEMS],
    n_stems: u8,
    pub is_number: bool,
}

/// How many stems one word may start with that are all kept (Хуҷанд, Хуҷандро…).
pub const MAX_STEMS: usize = 4;

impl Token {
    /// Keep a stem the word starts with; past `MAX_STEMS`, the shortest is dropped.
    #[inline]
    fn push_stem(&mut self, id: u32, len: usize) {
        let found = (id, len as u16);
        if (self.n_stems as usize) < MAX_STEMS {
            self.stems[self.n_stems as usize] = found;
            self.n_stems += 1;
        } else {
            self.stems.rotate_left(1);
            self.stems[MAX_STEMS - 1] = found;
        }
    }

    fn stems(&self) -> &[(u32, u16)] {
        &self.stems[..self.n_stems as usize]
    }
    /// The byte length of `stem` when the word starts with it.
    fn stem_len(&self, stem: u32) -> Option<usize> {
        self.stems().iter().find(|(s, _)| *s == stem).map(|(_, l)| *l as usize)
    }
}

/// A term found in a text.
#[derive(Debug, Clone)]
pub struct Hit {
    pub term: u32,
    /// Token range `[first, last]`.
    pub first: usize,
    pub last: usize,
    /// Byte span in the original text.
    pub span: Span,
}

/// The compiled lexicon.
pub struct Lexicon {
    pub version: String,
    terms: Vec<Term>,
    stems: Vec<String>,
    matcher: StemTrie,
    /// Terms by the id of their first stem.
    by_first_stem: Vec<Vec<u32>>,
    pub formats: Vec<Format>,
    actor_kinds: HashMap<String, ActorKind>,
    /// Per stem id: index into `root_entries` when the stem is a verb root, else `u32::MAX`.
    root_of: Vec<u32>,
    /// The languages and ending tables of each verb root.
    root_entries: Vec<Vec<(Lang, u16)>>,
    /// Ending → form, per table of `grammar.toml`.
    ending_tables: Vec<HashMap<String, VerbForm>>,
    /// Endings two templates gave different forms (the first kept); a test lists them.
    pub grammar_clashes: Vec<String>,
    /// Outlet domain → the state it publishes for.
    outlets: Vec<(String, ActorCode)>,
}

// ------------------------------------------------------------------------ file shapes

#[derive(Deserialize)]
struct OutletsFile {
    #[serde(default)]
    outlets: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    phrases: LangLists,
}

type LangLists = BTreeMap<String, Vec<String>>;

#[derive(Deserialize)]
struct Manifest {
    version: String,
}

#[derive(Deserialize)]
struct ActorsFile {
    actor: Vec<ActorEntry>,
}

#[derive(Deserialize)]
struct ActorEntry {
    code: String,
    kind: String,
    #[serde(default)]
    names: LangLists,
    #[serde(default)]
    adjectives: LangLists,
    #[serde(default)]
    capitals: LangLists,
    #[serde(default)]
    leaders: Vec<LeaderEntry>,
}

#[derive(Deserialize)]
struct LeaderEntry {
    #[serde(default)]
    from: Option<i32>,
    #[serde(default)]
    to: Option<i32>,
    #[serde(flatten)]
    names: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<PlaceEntry>,
}

#[derive(Deserialize)]
struct PlaceEntry {
    code: String,
    #[serde(default)]
    names: LangLists,
}

#[derive(Deserialize)]
struct FormatsFile {
    #[serde(default)]
    format: Vec<FormatEntry>,
}

#[derive(Deserialize)]
struct FormatEntry {
    id: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    participants: Vec<String>,
    #[serde(default)]
    terms: LangLists,
    #[serde(default)]
    editions: Vec<Edition>,
}

#[derive(Deserialize)]
struct CuesFile {
    cue: Vec<CueEntry>,
}

#[derive(Deserialize)]
struct CueEntry {
    concept: String,
    #[serde(flatten)]
    terms: LangLists,
}

#[derive(Deserialize)]
struct DatesFile {
    months: BTreeMap<String, Vec<String>>,
    relative_days: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    previous_days: BTreeMap<String, Vec<String>>,
    relative_years: BTreeMap<String, Vec<String>>,
    weekdays: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    day_words: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    years_ago: Vec<String>,
}

/// The lexicon files as text, keyed by file name.
pub struct Sources {
    pub files: Vec<(String, String)>,
}

impl Sources {
    /// The lexicon compiled into the binary.
    pub fn embedded() -> Sources {
        Sources {
            files: vec![
                ("lexicon.toml".into(), include_str!("../../../lexicon/lexicon.toml").into()),
                ("actors.toml".into(), include_str!("../../../lexicon/actors.toml").into()),
                ("places.toml".into(), include_str!("../../../lexicon/places.toml").into()),
                ("formats.toml".into(), include_str!("../../../lexicon/formats.toml").into()),
                ("cues.toml".into(), include_str!("../../../lexicon/cues.toml").into()),
                ("dates.toml".into(), include_str!("../../../lexicon/dates.toml").into()),
                ("grammar.toml".into(), include_str!("../../../lexicon/grammar.toml").into()),
                ("outlets.toml".into(), include_str!("../../../lexicon/outlets.toml").into()),
            ],
        }
    }

    /// A lexicon folder on disk (to try corrections without rebuilding).
    pub fn from_dir(dir: &Path) -> Result<Sources> {
        let mut files = Vec::new();
        for name in ["lexicon.toml", "actors.toml", "places.toml", "formats.toml", "cues.toml", "dates.toml", "grammar.toml", "outlets.toml"] {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path)
                .map_err(|source| Error::Read { file: path.display().to_string(), source })?;
            files.push((name.to_string(), text));
        }
        Ok(Sources { files })
    }

    fn get(&self, name: &str) -> &str {
        self.files.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap_or("")
    }
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Parse { file: name.to_string(), message: e.to_string() })
}

struct Builder {
    stems: Vec<String>,
    stem_ids: HashMap<String, u32>,
    terms: Vec<Term>,
    /// Terms already added, so that spellings that fold to one key are one term.
    seen: std::collections::HashSet<(Vec<(u32, bool)>, String)>,
}

impl Builder {
    fn add(&mut self, written: &str, lang: Lang, meaning: Meaning) {
        self.add_with(written, lang, meaning, true)
    }

    fn stem_id(&mut self, w: &str) -> u32 {
        *self.stem_ids.entry(w.to_string()).or_insert_with(|| {
            self.stems.push(w.to_string());
            (self.stems.len() - 1) as u32
        })
    }

    /// A term whose every word must match whole (grammar words: `не`, `will`, `edi`).
    fn add_whole_words(&mut self, written: &str, lang: Lang, meaning: Meaning) {
        let key = hamkor_text::fold_key(written.trim());
        let words: Vec<String> =
            key.split(|c: char| !hamkor_text::fold::is_word_char(c)).filter(|w| !w.is_empty()).map(String::from).collect();
        if words.is_empty() {
            return;
        }
        let ids: Vec<(u32, bool)> = words.iter().map(|w| (self.stem_id(w), true)).collect();
        if self.seen.insert((ids.clone(), format!("{meaning:?}"))) {
            self.terms.push(Term { words: ids, lang, meaning, abbreviation: false, written: written.to_string(), lowercase_only: false, dashes: 0 });
        }
    }

    /// `short_exact`: a one-word term of three letters or fewer takes no ending. Month stems
    /// (июл, окт) are short on purpose and say so with `false`.
    fn add_with(&mut self, written: &str, lang: Lang, meaning: Meaning, short_exact: bool) {
        let written = written.trim();
        // "Oʻshda=@Oʻsh": a case form listed on its own, named by its base form (so that every
        // form of one place has one place key).
        let (written, name) = match written.split_once('@') {
            Some((w, n)) => (w.trim(), Some(n.trim())),
            None => (written, None),
        };
        let (body, exact_last) = match written.strip_suffix('=') {
            Some(b) => (b, true),
            None => (written, false),
        };
        let letters: Vec<char> = body.chars().filter(|c| c.is_alphabetic()).collect();
        let abbreviation = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        let key = hamkor_text::fold_key(body);
        let words: Vec<&str> = key.split(|c: char| !hamkor_text::fold::is_word_char(c)).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return;
        }
        let n = words.len();
        // Which gaps between words are written with a dash (– or —; a hyphen joins words of
        // one name, "пресс-служба", and stays free).
        // (Read from the term as written: folding turns every dash into a hyphen.)
        let mut dashes = 0u32;
        let mut gap_index = 0usize;
        let mut in_word = false;
        let mut gap_has_dash = false;
        for c in body.chars() {
            if hamkor_text::fold::is_word_char(c) {
                if !in_word && gap_index > 0 && gap_has_dash && gap_index <= 32 {
                    dashes |= 1 << (gap_index - 1);
                }
                in_word = true;
                gap_has_dash = false;
            } else {
                if in_word {
                    gap_index += 1;
                }
                in_word = false;
                gap_has_dash |= c == '–' || c == '—';
            }
        }
        if gap_index + usize::from(in_word) != n {
            dashes = 0;
        }
        let mut ids = Vec::with_capacity(n);
        for (k, w) in words.iter().enumerate() {
            let id = self.stem_id(w);
            // Short words on their own are too ambiguous to take endings (мая, may, can); inside a
            // phrase the other words keep them in check (қол қойды, gol çekdi).
            // An abbreviation takes an ending only in lower case or after a hyphen (BMTning,
            // ШКУнун): `abbreviation_case_ok` checks the case in the original text.
            let exact = (k == n - 1 && exact_last) || (short_exact && n == 1 && w.chars().count() <= 3 && !abbreviation);
            ids.push((id, exact));
        }
        if self.seen.insert((ids.clone(), format!("{meaning:?}"))) {
            self.terms.push(Term { words: ids, lang, meaning, abbreviation, written: name.unwrap_or(written).to_string(), lowercase_only: false, dashes });
        }
    }

    fn add_lists(&mut self, lists: &LangLists, file: &str, meaning: &Meaning) -> Result<()> {
        for (lang_key, terms) in lists {
            let lang = Lang::parse(lang_key)
                .ok_or_else(|| Error::Parse { file: file.into(), message: format!("unknown language section {lang_key:?}") })?;
            for t in terms {
                self.add(t, lang, meaning.clone());
                if lang == Lang::Uz {
                    // Uzbek is written in both scripts; the Cyrillic form comes from the transliterator.
                    let cyr = hamkor_text::latin_to_cyrillic(t);
                    self.add(&cyr, Lang::UzCyrl, meaning.clone());
                }
            }
        }
        Ok(())
    }
}

impl Lexicon {
    /// The lexicon compiled into the binary.
    pub fn embedded() -> Lexicon {
        Lexicon::build(&Sources::embedded()).expect("the embedded lexicon is checked by the tests")
    }

    pub fn build(src: &Sources) -> Result<Lexicon> {
        let manifest: Manifest = parse("lexicon.toml", src.get("lexicon.toml"))?;
        let mut b = Builder { stems: Vec::new(), stem_ids: HashMap::new(), terms: Vec::new(), seen: Default::default() };
        let mut actor_kinds = HashMap::new();

        let actors: ActorsFile = parse("actors.toml", src.get("actors.toml"))?;
        for a in &actors.actor {
            let err = |m: String| Error::Parse { file: "actors.toml".into(), message: m };
            let code = ActorCode::new(&a.code).map_err(|e| err(e.to_string()))?;
            let kind = match a.kind.as_str() {
                "state" => ActorKind::State,
                "organisation" | "organization" => ActorKind::Organisation,
                "group" => ActorKind::Group,
                k => return Err(err(format!("actor {}: unknown kind {k:?}", a.code))),
            };
            actor_kinds.insert(a.code.clone(), kind);
            for (lists, role) in [(&a.names, Role::Name), (&a.adjectives, Role::Adjective), (&a.capitals, Role::Capital)] {
                b.add_lists(lists, "actors.toml", &Meaning::Actor { code: code.clone(), role })?;
            }
            for l in &a.leaders {
                let role = Role::Leader { from: l.from.unwrap_or(0), to: l.to.unwrap_or(9999) };
                let mut lists = LangLists::new();
                for (k, v) in &l.names {
                    if let toml::Value::Array(items) = v {
                        lists.insert(k.clone(), items.iter().filter_map(|x| x.as_str().map(String::from)).collect());
                    }
                }
                b.add_lists(&lists, "actors.toml", &Meaning::Actor { code: code.clone(), role })?;
            }
        }

        // Cities and regions stand for their state the way capitals do ("talks in Samarkand").
        let places: PlacesFile = parse("places.toml", src.get("places.toml"))?;
        for p in &places.place {
            let code = ActorCode::new(&p.code).map_err(|e| Error::Parse { file: "places.toml".into(), message: e.to_string() })?;
            b.add_lists(&p.names, "places.toml", &Meaning::Actor { code, role: Role::Capital })?;
        }

        let formats_file: FormatsFile = parse("formats.toml", src.get("formats.toml"))?;
        let mut formats = Vec::new();
        for (i, f) in formats_file.format.into_iter().enumerate() {
            let participants = f
                .participants
                .iter()
                .map(|p| ActorCode::new(p))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::Parse { file: "formats.toml".into(), message: format!("format {}: {e}", f.id) })?;
            b.add_lists(&f.terms, "formats.toml", &Meaning::Format(i))?;
            formats.push(Format { id: f.id, name_en: f.name_en, participants, editions: f.editions });
        }

        let cues: CuesFile = parse("cues.toml", src.get("cues.toml"))?;
        for c in &cues.cue {
            let concept = Concept::parse(&c.concept)
                .ok_or_else(|| Error::Parse { file: "cues.toml".into(), message: format!("unknown concept {:?}", c.concept) })?;
            b.add_lists(&c.terms, "cues.toml", &Meaning::Cue(concept))?;
        }

        let dates: DatesFile = parse("dates.toml", src.get("dates.toml"))?;
        let num = |k: &str, what: &str| -> Result<i32> {
            k.parse().map_err(|_| Error::Parse { file: "dates.toml".into(), message: format!("{what}: {k:?} is not a number") })
        };
        for (k, terms) in &dates.months {
            let m = num(k, "months")?;
            for t in terms {
                b.add_with(t, Lang::En, Meaning::Month(m as u8), false);
            }
        }
        for (k, terms) in &dates.relative_days {
            let d = num(k, "relative_days")?;
            for t in terms {
                b.add(t, Lang::En, Meaning::RelativeDay(d));
                b.add(&hamkor_text::latin_to_cyrillic(t), Lang::UzCyrl, Meaning::RelativeDay(d));
            }
        }
        for (k, terms) in &dates.previous_days {
            let d = num(k, "previous_days")?;
            for t in terms {
                b.add(t, Lang::En, Meaning::RelativeToPrevious(d));
            }
        }
        for (k, terms) in &dates.relative_years {
            let d = num(k, "relative_years")?;
            for t in terms {
                b.add(t, Lang::En, Meaning::RelativeYear(d));
                b.add(&hamkor_text::latin_to_cyrillic(t), Lang::UzCyrl, Meaning::RelativeYear(d));
            }
        }
        for (k, terms) in &dates.weekdays {
            let d = num(k, "weekdays")?;
            for t in terms {
                b.add(t, Lang::En, Meaning::Weekday(d as u8));
            }
        }
        for (k, terms) in &dates.day_words {
            let d = num(k, "day_words")?;
            if !(1..=31).contains(&d) {
                return Err(Error::Parse { file: "dates.toml".into(), message: format!("day_words: {d} is not a day of a month") });
            }
            for t in terms {
                b.add(t, Lang::En, Meaning::DayWord(d as u8));
            }
        }
        for t in &dates.years_ago {
            b.add(t, Lang::En, Meaning::YearsAgo);
            b.add(&hamkor_text::latin_to_cyrillic(t), Lang::UzCyrl, Meaning::YearsAgo);
        }
        // Month and day terms are short stems: let them take the longest endings of any language.
        for t in b.terms.iter_mut() {
            if matches!(t.meaning, Meaning::Month(_) | Meaning::Weekday(_) | Meaning::RelativeDay(_) | Meaning::RelativeToPrevious(_) | Meaning::RelativeYear(_) | Meaning::YearsAgo) {
                t.lang = Lang::Kk;
            }
        }

        // Outlets and the phrases that mean the publishing state.
        let outlets_file: OutletsFile = parse("outlets.toml", src.get("outlets.toml"))?;
        let mut outlets = Vec::new();
        for (code, domains) in &outlets_file.outlets {
            let code = ActorCode::new(code).map_err(|e| Error::Parse { file: "outlets.toml".into(), message: e.to_string() })?;
            for d in domains {
                outlets.push((d.trim().to_ascii_lowercase(), code));
            }
        }
        b.add_lists(&outlets_file.phrases, "outlets.toml", &Meaning::OwnState)?;

        // The grammar layer: verb roots become stems; grammar words become terms.
        let compiled = grammar::compile(src.get("grammar.toml"))?;
        let mut root_index: HashMap<u32, u32> = HashMap::new();
        let mut root_entries: Vec<Vec<(Lang, u16)>> = Vec::new();
        for (root, lang, table) in &compiled.roots {
            let id = b.stem_id(root);
            let e = *root_index.entry(id).or_insert_with(|| {
                root_entries.push(Vec::new());
                (root_entries.len() - 1) as u32
            });
            if !root_entries[e as usize].contains(&(*lang, *table)) {
                root_entries[e as usize].push((*lang, *table));
            }
        }
        for (written, lang, form, reach) in &compiled.words {
            let meaning = Meaning::Grammar { form: *form, reach: *reach };
            b.add_whole_words(written, *lang, meaning.clone());
            if *lang == Lang::Uz {
                b.add_whole_words(&hamkor_text::latin_to_cyrillic(written), Lang::UzCyrl, meaning);
            }
        }
        let mut root_of = vec![u32::MAX; b.stems.len()];
        for (id, e) in root_index {
            root_of[id as usize] = e;
        }

        // A weekday spelled like a capital (Душанбе) must be in lower case to be a weekday.
        let actor_first_stems: std::collections::HashSet<u32> =
            b.terms.iter().filter(|t| matches!(t.meaning, Meaning::Actor { .. })).map(|t| t.words[0].0).collect();
        for t in b.terms.iter_mut() {
            if matches!(t.meaning, Meaning::Weekday(_)) && actor_first_stems.contains(&t.words[0].0) {
                t.lowercase_only = true;
            }
        }
        let matcher = StemTrie::build(&b.stems);
        let mut by_first_stem: Vec<Vec<u32>> = vec![Vec::new(); b.stems.len()];
        for (i, t) in b.terms.iter().enumerate() {
            by_first_stem[t.words[0].0 as usize].push(i as u32);
        }
        Ok(Lexicon {
            version: manifest.version,
            terms: b.terms,
            stems: b.stems,
            matcher,
            by_first_stem,
            formats,
            actor_kinds,
            root_of,
            root_entries,
            ending_tables: compiled.tables,
            grammar_clashes: compiled.clashes,
            outlets,
        })
    }

    pub fn term(&self, id: u32) -> &Term {
        &self.terms[id as usize]
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn actor_kind(&self, code: &str) -> Option<ActorKind> {
        self.actor_kinds.get(code).copied()
    }

    /// Every actor code the lexicon knows, sorted.
    pub fn actor_codes(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.actor_kinds.keys().map(|s| s.as_str()).collect();
        v.sort();
        v
    }

    /// Bytes held by the compiled lexicon (automaton, stems and terms).
    pub fn memory_usage(&self) -> usize {
        self.matcher.memory_usage()
            + self.stems.iter().map(|s| s.capacity() + 24).sum::<usize>()
            + self.terms.iter().map(|t| std::mem::size_of::<Term>() + t.words.capacity() * 8 + t.written.capacity()).sum::<usize>()
            + self.by_first_stem.iter().map(|v| v.capacity() * 4 + 24).sum::<usize>()
    }

    /// Split folded text into words and numbers, each with the longest stem it starts with.
    pub fn tokens(&self, folded: &Folded) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.tokens_into(folded, &mut tokens);
        tokens
    }

    /// Like [`Lexicon::tokens`], reusing `tokens`' buffer.
    pub fn tokens_into(&self, folded: &Folded, tokens: &mut Vec<Token>) {
        tokens.clear();
        let text = folded.text.as_str();
        let bytes = text.as_bytes();
        let n = bytes.len();
        // Byte loop with a hand decoder: this runs over every byte of every text.
        let decode = |i: usize| -> (char, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (b as char, 1)
            } else if b < 0xE0 && i + 1 < n {
                (char::from_u32(((b as u32 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F)).unwrap_or(' '), 2)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            }
        };
        let mut i = 0;
        while i < n {
            let (c, len) = decode(i);
            if !hamkor_text::fold::is_word_char(c) {
                i += len;
                continue;
            }
            let start = i;
            let mut is_number = true;
            let mut tok = Token { start, end: i, stems: [(0, 0); MAX_STEMS], n_stems: 0, is_number: false };
            // Walk the stem trie in the same pass that finds the word's end.
            let mut at = Some(0usize);
            while i < n {
                let b = bytes[i];
                let (c, len) = if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    (b as char, 1)
                } else {
                    let (c, len) = decode(i);
                    if !hamkor_text::fold::is_word_char(c) {
                        break;
                    }
                    (c, len)
                };
                is_number &= c.is_ascii_digit();
                i += len;
                if let Some(node) = at {
                    at = self.matcher.step(node, c);
                    if let Some(next) = at {
                        let stem = self.matcher.stem_at(next);
                        if stem != u32::MAX {
                            tok.push_stem(stem, i - start);
                        }
                    }
                }
            }
            tok.end = i;
            tok.is_number = is_number;
            if is_number {
                tok.n_stems = 0;
            }
            tokens.push(tok);
        }
    }

    /// Every term found in the tokens of a folded text, with its span in `original`.
    pub fn hits(&self, folded: &Folded, original: &str, tokens: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.hits_into(folded, original, tokens, &mut hits);
        hits
    }

    /// Like [`Lexicon::hits`], reusing `hits`' buffer.
    pub fn hits_into(&self, folded: &Folded, original: &str, tokens: &[Token], hits: &mut Vec<Hit>) {
        self.hits_for(folded, original, tokens, CueLangs::ALL, hits)
    }

    /// Like [`Lexicon::hits_into`], with cue words only from the languages in `cue_langs`
    /// (names, places, formats and dates match in every language: a Russian text names
    /// "Ташкент" and "Oʻzbekiston Temir Yoʻllari" alike, but Kazakh "мәжіліс" (a meeting) in a
    /// Russian text is the Mazhilis, Kazakhstan's parliament).
    pub fn hits_for(&self, folded: &Folded, original: &str, tokens: &[Token], cue_langs: CueLangs, hits: &mut Vec<Hit>) {
        hits.clear();
        let text = folded.text.as_str();
        for (i, tok) in tokens.iter().enumerate() {
            let first_hit = hits.len();
            for &(stem, _) in tok.stems() {
                let candidates = &self.by_first_stem[stem as usize];
                for &tid in candidates {
                    let term = &self.terms[tid as usize];
                    if i + term.words.len() > tokens.len() {
                        continue;
                    }
                    if matches!(term.meaning, Meaning::Cue(_)) && !cue_langs.has(term.lang) {
                        continue;
                    }
                    // Cheap test first: does every word start with the term's stem?
                    if !term.words.iter().enumerate().skip(1).all(|(k, &(want, _))| tokens[i + k].stem_len(want).is_some()) {
                        continue;
                    }
                    let ok = term.words.iter().enumerate().all(|(k, &(want, exact))| {
                        let t = &tokens[i + k];
                        match t.stem_len(want) {
                            Some(len) => {
                                let rest = &text[t.start + len..t.end];
                                let tail = if rest.is_ascii() { rest.len() } else { rest.chars().count() };
                                let limit = if exact { 0 } else { term.lang.tail_limit() };
                                tail <= limit && (!term.abbreviation || abbreviation_case_ok(folded, original, t, len))
                            }
                            None => false,
                        }
                    });
                    if !ok {
                        continue;
                    }
                    let last = i + term.words.len() - 1;
                    if term.dashes != 0
                        && !(0..term.words.len() - 1).filter(|k| term.dashes & (1 << k) != 0).all(|k| {
                            let gap = &text[tokens[i + k].end..tokens[i + k + 1].start];
                            gap.contains(['-', '–', '—', '+'])
                        })
                    {
                        continue;
                    }
                    let span = folded.original_span(tok.start, tokens[last].end);
                    if !case_rule_ok(term, original, span, i == 0) {
                        continue;
                    }
                    hits.push(Hit { term: tid, first: i, last, span });
                }
            }
            // Among actor terms at this word, the longest first stem wins (Turkmen over Turk).
            let here = &hits[first_hit..];
            if here.iter().filter(|h| matches!(self.terms[h.term as usize].meaning, Meaning::Actor { .. })).count() > 1 {
                let stem_len = |h: &Hit| tok.stem_len(self.terms[h.term as usize].words[0].0).unwrap_or(0);
                let best = here
                    .iter()
                    .filter(|h| matches!(self.terms[h.term as usize].meaning, Meaning::Actor { .. }))
                    .map(|h| (h.last - h.first, stem_len(h)))
                    .max()
                    .unwrap_or((0, 0));
                let mut k = first_hit;
                while k < hits.len() {
                    let h = &hits[k];
                    let is_actor = matches!(self.terms[h.term as usize].meaning, Meaning::Actor { .. });
                    if is_actor && (h.last - h.first, stem_len(h)) < best {
                        hits.remove(k);
                    } else {
                        k += 1;
                    }
                }
            }
        }
    }
}

impl Lexicon {
    /// The verb forms among the tokens: each word that starts with a verb root of `grammar.toml`
    /// and ends with one of its table's endings, and each whole word with a fixed form (`met`,
    /// Tajik `дорад`), which wins over a root's reading of the same word. The longest root wins.
    /// With `lang` given (the text's language), only that language's grammar applies: Kazakh
    /// `өтеді` and Kyrgyz `өтөт` share a root but not their endings.
    pub fn verbs_into(&self, folded: &Folded, tokens: &[Token], hits: &[Hit], lang: Option<Lang>, out: &mut Vec<VerbAt>) {
        out.clear();
        let applies = |l: Lang| Lang::grammar_applies(lang, l);
        let text = folded.text.as_str();
        for (i, tok) in tokens.iter().enumerate() {
            let mut best: Option<(usize, VerbAt)> = None;
            for &(stem, len) in tok.stems() {
                let e = self.root_of[stem as usize];
                if e == u32::MAX {
                    continue;
                }
                let tail = &text[tok.start + len as usize..tok.end];
                for &(l, table) in &self.root_entries[e as usize] {
                    if !applies(l) {
                        continue;
                    }
                    if let Some(&form) = self.ending_tables[table as usize].get(tail) {
                        if best.as_ref().is_none_or(|(bl, _)| len as usize > *bl) {
                            best = Some((len as usize, VerbAt { token: i, form, lang: l }));
                        }
                    }
                }
            }
            if let Some((_, v)) = best {
                out.push(v);
            }
        }
        for h in hits {
            let term = &self.terms[h.term as usize];
            if let Meaning::Grammar { form, reach: Reach::Itself } = term.meaning {
                if !applies(term.lang) {
                    continue;
                }
                let v = VerbAt { token: h.last, form, lang: term.lang };
                match out.iter_mut().find(|x| x.token == h.last) {
                    Some(x) => *x = v,
                    None => out.push(v),
                }
            }
        }
        out.sort_by_key(|v| v.token);
    }

    /// The state whose outlet published a text, from its `source` (a URL or a domain): the host
    /// is a listed domain or ends with "." and one. `None` for any other source: never a guess.
    pub fn publisher_of(&self, source: &str) -> Option<ActorCode> {
        let s = source.trim().to_ascii_lowercase();
        let rest = s.split_once("://").map_or(s.as_str(), |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next().unwrap_or("").trim_end_matches('.');
        self.outlets
            .iter()
            .filter(|(d, _)| host == d || host.strip_suffix(d.as_str()).is_some_and(|p| p.ends_with('.')))
            .max_by_key(|(d, _)| d.len())
            .map(|(_, c)| *c)
    }

    /// The language of a text by its ISO code, for [`Lexicon::verbs_into`].
    pub fn lang_of(code: &str) -> Option<Lang> {
        Lang::parse(code)
    }
}

/// A trie over the stems, on characters rather than bytes: every character that occurs in a stem
/// gets a small code (its *alphabet*), so a Cyrillic letter is one step, not two, and a node that
/// branches widely is a dense row indexed by code. A character outside the alphabet ends the walk
/// at once: no stem contains it.
struct StemTrie {
    /// Per node: the stem that ends here (or `u32::MAX`), and its run of `edges`, or its row in
    /// `dense` (`lo == u32::MAX`, `hi` = row).
    nodes: Vec<(u32, u32, u32)>,
    /// (character code, child node), sorted by code within each node's run.
    edges: Vec<(u8, u32)>,
    /// Rows of `alphabet_len` children (`u32::MAX` where there is none).
    dense: Vec<u32>,
    /// Code of each ASCII character (0 = not in the alphabet).
    ascii: [u8; 128],
    /// Code of each character of the Cyrillic block U+0400–U+04FF.
    cyrillic: [u8; 256],
    /// Codes of the other characters, sorted by character.
    other: Vec<(char, u8)>,
    alphabet_len: usize,
}

impl StemTrie {
    fn build(stems: &[String]) -> StemTrie {
        let mut chars: Vec<char> = stems.iter().flat_map(|s| s.chars()).collect();
        chars.sort_unstable();
        chars.dedup();
        // Codes start at 1; 0 means "not in any stem". More than 255 distinct characters would
        // not fit a byte: fold makes that impossible in practice, and build() would panic loudly.
        assert!(chars.len() < 255, "the stems use {} distinct characters", chars.len());
        let mut ascii = [0u8; 128];
        let mut cyrillic = [0u8; 256];
        let mut other = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let code = (i + 1) as u8;
            if c.is_ascii() {
                ascii[c as usize] = code;
            } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
                cyrillic[c as usize - 0x400] = code;
                other.push((c, code));
            } else {
                other.push((c, code));
            }
        }
        let alphabet_len = chars.len() + 1;
        let mut tree: Vec<(u32, BTreeMap<u8, usize>)> = vec![(u32::MAX, BTreeMap::new())];
        for (id, stem) in stems.iter().enumerate() {
            let mut at = 0;
            for c in stem.chars() {
                let code = if c.is_ascii() { ascii[c as usize] } else { other[other.binary_search_by_key(&c, |&(x, _)| x).unwrap()].1 };
                at = match tree[at].1.get(&code) {
                    Some(&next) => next,
                    None => {
                        tree.push((u32::MAX, BTreeMap::new()));
                        let next = tree.len() - 1;
                        tree[at].1.insert(code, next);
                        next
                    }
                };
            }
            tree[at].0 = id as u32;
        }
        // Number the nodes breadth-first, so that the levels every word walks through (its first
        // letters) sit together in memory and stay in cache.
        let mut order = Vec::with_capacity(tree.len());
        let mut new_id = vec![0u32; tree.len()];
        let mut queue = std::collections::VecDeque::from([0usize]);
        while let Some(n) = queue.pop_front() {
            new_id[n] = order.len() as u32;
            order.push(n);
            queue.extend(tree[n].1.values().copied());
        }
        let mut nodes = Vec::with_capacity(tree.len());
        let mut edges = Vec::with_capacity(tree.len());
        let mut dense = Vec::new();
        for &old in &order {
            let (stem, children) = &tree[old];
            if children.len() > 8 {
                let row = (dense.len() / alphabet_len) as u32;
                dense.extend(std::iter::repeat_n(u32::MAX, alphabet_len));
                let base = row as usize * alphabet_len;
                for (&code, &c) in children {
                    dense[base + code as usize] = new_id[c];
                }
                nodes.push((*stem, u32::MAX, row));
            } else {
                let start = edges.len() as u32;
                edges.extend(children.iter().map(|(&code, &c)| (code, new_id[c])));
                nodes.push((*stem, start, edges.len() as u32));
            }
        }
        StemTrie { nodes, edges, dense, ascii, cyrillic, other, alphabet_len }
    }

    #[inline]
    fn code(&self, c: char) -> u8 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
            self.cyrillic[c as usize - 0x400]
        } else {
            match self.other.binary_search_by_key(&c, |&(x, _)| x) {
                Ok(k) => self.other[k].1,
                Err(_) => 0,
            }
        }
    }

    /// The child of `node` by character `c`, if any stem continues that way.
    #[inline]
    fn step(&self, node: usize, c: char) -> Option<usize> {
        let code = self.code(c);
        if code == 0 {
            return None;
        }
        let (_, lo, hi) = self.nodes[node];
        let next = if lo == u32::MAX {
            self.dense[hi as usize * self.alphabet_len + code as usize]
        } else {
            self.edges[lo as usize..hi as usize].iter().find(|(e, _)| *e == code).map_or(u32::MAX, |&(_, c)| c)
        };
        (next != u32::MAX).then_some(next as usize)
    }

    /// The stem that ends at `node`, or `u32::MAX`.
    #[inline]
    fn stem_at(&self, node: usize) -> u32 {
        self.nodes[node].0
    }

    fn memory_usage(&self) -> usize {
        self.nodes.capacity() * 12 + self.edges.capacity() * 8 + self.dense.capacity() * 4 + self.other.capacity() * 8 + 128
    }
}

/// An abbreviation must be in capitals in the text, and an ending glued to it in lower case
/// (BMTning, ШКУнун), so that the word "ес" or "bank" is not read as EU.
fn abbreviation_case_ok(folded: &Folded, original: &str, t: &Token, stem_len: usize) -> bool {
    let stem = folded.original_span(t.start, t.start + stem_len);
    let Some(s) = stem.slice(original) else { return false };
    if !s.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) {
        return false;
    }
    if t.start + stem_len < t.end {
        let tail = folded.original_span(t.start + stem_len, t.end);
        if let Some(tl) = tail.slice(original) {
            return tl.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_lowercase());
        }
    }
    true
}

/// Names of states and cities are proper nouns, written with a capital (this keeps "turkey" and
/// Tajik "душанбе" (Monday) out); weekdays are written in lower case.
fn case_rule_ok(term: &Term, original: &str, span: Span, sentence_start: bool) -> bool {
    // Most terms (cue words) have no case rule: decide that before reading the original text.
    // A state's own body written with a capital is its name (Turkmen "Mejlis", the parliament),
    // and the same word in lower case is a common noun ("mejlis", a session).
    let proper_body = matches!(term.meaning, Meaning::Cue(Concept::Domestic)) && term.written.starts_with(char::is_uppercase);
    let needs_case = term.lowercase_only
        || proper_body
        || matches!(term.meaning, Meaning::Weekday(_) | Meaning::Actor { role: Role::Name | Role::Capital | Role::Leader { .. }, .. });
    if !needs_case {
        return true;
    }
    let first = span.slice(original).and_then(|s| s.chars().find(|c| hamkor_text::fold::is_word_char(*c) && !c.is_ascii_digit()));
    if term.lowercase_only {
        return first.is_some_and(|c| c.is_lowercase());
    }
    // Weekdays are lower case inside a sentence in every language here but English; a capital
    // there is a name (Жўмарт, Anna).
    if let Meaning::Weekday(_) = term.meaning {
        const ENGLISH: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        return sentence_start || ENGLISH.contains(&term.written.as_str()) || first.is_some_and(|c| c.is_lowercase());
    }
    first.is_some_and(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(lex: &Lexicon, text: &str) -> Vec<(String, Meaning)> {
        let folded = hamkor_text::fold(text);
        let tokens = lex.tokens(&folded);
        lex.hits(&folded, text, &tokens)
            .into_iter()
            .map(|h| (text[h.span.start..h.span.end].to_string(), lex.term(h.term).meaning.clone()))
            .collect()
    }

    fn actors(lex: &Lexicon, text: &str) -> Vec<String> {
        let mut v: Vec<String> = found(lex, text)
            .into_iter()
            .filter_map(|(_, m)| match m {
                Meaning::Actor { code, .. } => Some(code.to_string()),
                _ => None,
            })
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn embedded_lexicon_builds() {
        let lex = Lexicon::embedded();
        assert!(!lex.version.is_empty());
        assert!(lex.terms().len() > 500);
        for code in ["UZB", "KAZ", "KGZ", "TJK", "TKM"] {
            assert_eq!(lex.actor_kind(code), Some(ActorKind::State));
        }
    }

    #[test]
    fn stems_are_prefixes_not_suffixes() {
        let lex = Lexicon::embedded();
        // "mar" (March) ends inside "Jomart" and "is to" inside "visit to": neither is a match.
        let hits = found(&lex, "Kassym-Jomart Tokayev paid an official visit to Tashkent");
        assert!(!hits.iter().any(|(_, m)| matches!(m, Meaning::Month(_))), "{hits:?}");
        assert!(!hits.iter().any(|(s, _)| s == "visit to"), "{hits:?}");
    }

    #[test]
    fn names_match_through_inflection_in_every_language() {
        let lex = Lexicon::embedded();
        for (text, code) in [
            ("Uzbekistan's president", "UZB"),
            ("с Узбекистаном", "UZB"),
            ("Oʻzbekistonning", "UZB"),
            ("O'zbekistondagi", "UZB"),
            ("Ўзбекистонга", "UZB"),
            ("Өзбекстанмен", "UZB"),
            ("Özbegistanyň", "UZB"),
            ("Ҷумҳурии Ӯзбекистон", "UZB"),
            ("Кыргыз Республикасынын", "KGZ"),
            ("Gazagystandan", "KAZ"),
            ("Узбекистон", "UZB"),
        ] {
            assert_eq!(actors(&lex, text), vec![code.to_string()], "{text}");
        }
    }

    #[test]
    fn capital_rule_keeps_monday_out() {
        let lex = Lexicon::embedded();
        assert!(actors(&lex, "рӯзи душанбе").is_empty());
        let hits = found(&lex, "рӯзи душанбе");
        assert!(hits.iter().any(|(_, m)| *m == Meaning::Weekday(1)), "{hits:?}");
    }

    #[test]
    fn spans_point_at_the_original_bytes() {
        let lex = Lexicon::embedded();
        let text = "  O‘zbekiston  Respublikasi va Qozog‘iston";
        let hits = found(&lex, text);
        assert!(hits.iter().any(|(s, _)| s == "O‘zbekiston  Respublikasi"), "{hits:?}");
        assert!(hits.iter().any(|(s, _)| s == "Qozog‘iston"), "{hits:?}");
    }
}
