//! The bodies of the fuzz targets: one function per parser that reads untrusted input, each
//! checking what must hold for every input, not only that nothing crashes.
//!
//! ```text
//! fuzz/fuzz_targets/NAME.rs (cargo +nightly fuzz, libFuzzer, coverage-guided, long runs)
//!        │
//!        ▼
//! hamkor_fuzz::TARGETS ◄── crates/fuzz/tests/replay.rs (stable cargo test: every committed
//!                                                        input of fuzz/corpus/NAME, in seconds)
//! ```
//!
//! Panics: the ingest pipeline runs every extractor under `catch_unwind`, so a panic inside a
//! third-party parser (pdf-extract and lopdf do panic on some damaged files) fails that file
//! only, with a reason. The targets do the same: [`init`] installs a panic hook that lets a
//! panic raised in a dependency's source unwind into [`tolerate`], where it is counted, and
//! aborts the process (a crash, for libFuzzer) on a panic anywhere else: in hamkor's own code,
//! or in a check of this crate. Stack overflows, hangs (libFuzzer's `-timeout`) and memory over
//! budget (`-rss_limit_mb`, `-malloc_limit_mb`) are crashes whatever code they happen in.

use hamkor_ingest::extract::{self, dates, Budget, Format};
use hamkor_model::PartialDate;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Once, OnceLock};

/// Every target: its name (the folder of its corpus under `fuzz/corpus/`) and its body.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("html", html),
    ("pdf", pdf),
    ("docx", docx),
    ("feed", feed),
    ("jsonl", jsonl),
    ("dates", dates),
    ("search", search),
    ("filters", filters),
];

/// The budget every extraction target runs with: the pipeline's default depth, smaller text and
/// unpacked-bytes limits (inputs are at most 64 KiB; a bomb is found as soon as it unpacks past
/// 4 MB, rather than at the pipeline's 200 MB, so that each input takes milliseconds).
pub const BUDGET: Budget = Budget { max_text_len: 1_000_000, max_unpacked: 4_000_000, max_depth: 512 };

static TOLERATED: AtomicU64 = AtomicU64::new(0);

/// Panics raised in a dependency's source and turned into a failure of the input so far.
pub fn tolerated_panics() -> u64 {
    TOLERATED.load(Ordering::Relaxed)
}

/// Install the panic hook described in the crate documentation. Call once before the first
/// input (the libFuzzer drivers call it from `fuzz_target!(init: …)`).
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let file = info.location().map(|l| l.file()).unwrap_or("");
            if in_dependency(file) {
                return; // unwinds into `tolerate`
            }
            eprintln!("hamkor-fuzz: panic outside a dependency: {info}");
            std::process::abort();
        }));
    });
}

/// A source file of a crate from a registry (not hamkor's own code, not the standard library).
pub fn in_dependency(file: &str) -> bool {
    file.contains("/.cargo/registry/") || file.contains("/cargo/registry/") || file.contains("\\registry\\src\\")
}

/// Run `f` as the pipeline runs an extractor: a panic becomes `None`.
pub fn tolerate<T>(f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(_) => {
            TOLERATED.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

fn check_extracted(x: &extract::Extracted, what: &str) {
    assert!(x.text.len() <= BUDGET.max_text_len, "{what}: text of {} bytes is over the budget", x.text.len());
    assert!(!x.text.contains('\0'), "{what}: a NUL byte in the extracted text");
    assert!(!x.title.as_deref().unwrap_or("").contains('\0'), "{what}: a NUL byte in the title");
    if let Some(d) = x.published {
        assert!(
            (dates::EARLIEST_YEAR..=dates::LATEST_YEAR).contains(&d.year),
            "{what}: publication date {d} outside the years the date rule allows"
        );
    }
}

/// The stack extraction gets in the pipeline's child process (`hamkor_ingest::sandbox`).
const EXTRACTION_STACK: usize = 64 << 20;

fn file(format: Format, data: &[u8], what: &str) {
    let owned = data.to_vec();
    let outcome = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(EXTRACTION_STACK)
            .spawn_scoped(s, move || tolerate(|| extract::extract(format, &owned, &BUDGET)))
            .expect("a thread for the extraction")
            .join()
            .expect("panics are caught inside the thread")
    });
    if let Some(Ok(contents)) = outcome {
        assert!(!contents.items.is_empty(), "{what}: a file with no items and no error");
        for x in contents.items.iter().flatten() {
            check_extracted(x, what);
        }
    }
}

/// An HTML page, in whatever encoding it declares or seems to have.
pub fn html(data: &[u8]) {
    file(Format::Html, data, "html");
}

/// A PDF, with its streams unpacked within the budget.
pub fn pdf(data: &[u8]) {
    file(Format::Pdf, data, "pdf");
}

/// A DOCX (a ZIP archive of XML parts).
pub fn docx(data: &[u8]) {
    file(Format::Docx, data, "docx");
}

/// An RSS or Atom feed, item by item.
pub fn feed(data: &[u8]) {
    file(Format::Feed, data, "feed");
}

/// One line of JSON lines input.
pub fn jsonl(data: &[u8]) {
    if let Some(Ok(Some(x))) = tolerate(|| extract::parse_line(data)) {
        assert!(!x.text.trim().is_empty(), "jsonl: a document without text was accepted");
        check_extracted(&x, "jsonl");
    }
}

/// Publication dates in every shape sources write them, and the model's own date syntax: what
/// is read as a date is a real one within the allowed years, and reads back as itself.
pub fn dates(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(Some(d)) = dates::metadata_date(s) {
        assert!((dates::EARLIEST_YEAR..=dates::LATEST_YEAR).contains(&d.year), "{s:?} read as {d}");
        assert_eq!(dates::metadata_date(&d.to_string()), Ok(Some(d)), "{s:?} read as {d}, which does not read back");
    }
    if let Ok(d) = s.parse::<PartialDate>() {
        assert_eq!(d.to_string().parse::<PartialDate>().ok(), Some(d), "{s:?} parsed as {d}, which does not read back");
    }
}

/// A search as a person types it, run on a small store: it finds something, nothing, or is
/// refused as a bad query with a reason; never an error from the search engine's own syntax.
pub fn search(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let store = search_store();
    let lock = store.lock().unwrap_or_else(|p| p.into_inner());
    let query = hamkor_store::SearchQuery { text: text.clone(), limit: 20, lang: None };
    match hamkor_store::Store::search(&*lock, &query) {
        Ok(hits) => assert!(hits.len() <= 20),
        Err(hamkor_store::Error::BadQuery(_)) => {}
        Err(e) => panic!("search {text:?}: {e}"),
    }
}

/// The query strings of the event lists and of the analysis endpoints, as the API reads them:
/// the filters of `hamkor events` (actors, pair, type, domain, dates, language, document) with
/// paging, and the analysis filters (years, domain, type, actors, counting). Each is a filter
/// that runs on a store, or a client error with a reason; never a server error.
pub fn filters(data: &[u8]) {
    use hamkor_server::api::analysis::AnalysisQuery;
    use hamkor_server::api::types::{EventQuery, Paging};
    let Ok(q) = std::str::from_utf8(data) else { return };
    let client_error = |what: &str, e: hamkor_server::AppError| {
        assert!(e.status.is_client_error(), "{what} {q:?}: {e}");
    };
    if let (Ok(eq), Ok(paging)) = (serde_urlencoded::from_str::<EventQuery>(q), serde_urlencoded::from_str::<Paging>(q)) {
        match hamkor_server::api::event_filter(&eq) {
            Ok(filter) => {
                let store = search_store().lock().unwrap_or_else(|p| p.into_inner());
                match hamkor_server::api::events_page(&store, &filter, &paging) {
                    Ok((rows, _)) => assert!(rows.len() <= paging.per_page()),
                    Err(e) => client_error("events", e),
                }
            }
            Err(e) => client_error("event filter", e),
        }
    }
    if let Ok(aq) = serde_urlencoded::from_str::<AnalysisQuery>(q) {
        if let Err(e) = aq.filter() {
            client_error("analysis filter", e);
        }
    }
}

fn search_store() -> &'static std::sync::Mutex<hamkor_store::SqliteStore> {
    static STORE: OnceLock<std::sync::Mutex<hamkor_store::SqliteStore>> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = std::env::temp_dir();
        remove_stale_stores(&dir);
        let path = dir.join(format!("hamkor-fuzz-search-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let mut store = hamkor_store::SqliteStore::open(&path).expect("a store for the search target");
        let docs = [
            ("en", "Water talks", "Uzbekistan and Tajikistan signed an agreement on water in Dushanbe."),
            ("ru", "Соглашение", "Казахстан и Узбекистан подписали соглашение о сотрудничестве."),
            ("uz", "Hamkorlik", "Oʻzbekiston va Qirgʻiziston chegara masalalari boʻyicha kelishuv imzoladi."),
            ("uz", "Ҳамкорлик", "Ўзбекистон ва Қирғизистон чегара масалалари бўйича келишув имзолади."),
            ("kk", "Келісім", "Қазақстан мен Қырғызстан шекара мәселелері бойынша келісімге қол қойды."),
        ];
        let ops: Vec<_> = docs
            .iter()
            .enumerate()
            .map(|(i, (lang, title, text))| {
                hamkor_store::WriteOp::Document(Box::new(hamkor_store::NewDocument {
                    content_hash: format!("{:064x}", i + 1),
                    title: Some(title.to_string()),
                    published: None,
                    lang: lang.to_string(),
                    script: String::new(),
                    format: "txt".into(),
                    text: text.to_string(),
                    source: hamkor_store::Source { location: format!("fuzz:{i}"), external_id: None },
                    events: vec![],
                    lexicon: "fuzz".into(),
                }))
            })
            .collect();
        hamkor_store::Store::apply(&mut store, &ops).expect("store the search target's documents");
        std::sync::Mutex::new(store)
    })
}

/// Stores left by earlier fuzzing processes that have ended.
fn remove_stale_stores(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("hamkor-fuzz-search-") else { continue };
        let pid: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let alive = pid.parse::<i32>().is_ok_and(|p| unsafe { libc::kill(p, 0) } == 0);
        if !alive {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registry_sources_count_as_dependencies() {
        assert!(in_dependency("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/lopdf-0.36.0/src/parser.rs"));
        assert!(!in_dependency("crates/ingest/src/extract/pdf.rs"));
        assert!(!in_dependency("/work/main/crates/fuzz/src/lib.rs"));
        assert!(!in_dependency("/rustc/abc/library/core/src/slice/index.rs"));
        assert_eq!(tolerate(|| 7), Some(7));
    }
}
