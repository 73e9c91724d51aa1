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
//! budget (the process above libFuzzer's `-rss_limit_mb`, one allocation of [`MAX_ALLOCATION`]
//! or more: [`CappedAllocator`]) are crashes whatever code they happen in.

use hamkor_ingest::extract::{self, dates, Budget, Format};
use hamkor_model::PartialDate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex, Once, OnceLock};

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

/// One allocation of this size or more is over budget: the process aborts, a crash for
/// libFuzzer. `-malloc_limit_mb` cannot do this here: libFuzzer sees allocations only through a
/// sanitizer's allocator hooks, and these drivers are built without a sanitizer (`-s none`), so
/// the allocator of the process checks instead (the stable replay test gets the same check).
pub const MAX_ALLOCATION: usize = 512 << 20;

/// The system allocator, aborting on an allocation of [`MAX_ALLOCATION`] bytes or more.
pub struct CappedAllocator;

impl CappedAllocator {
    fn check(size: usize) {
        if size >= MAX_ALLOCATION {
            // No formatting: it could allocate.
            let msg = b"hamkor-fuzz: one allocation of 512 MiB or more (over budget)\n";
            unsafe { libc::write(2, msg.as_ptr().cast(), msg.len()) };
            std::process::abort();
        }
    }
}

// SAFETY: every call goes to the system allocator unchanged, after a check that only reads the
// requested size.
unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::check(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::check(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: CappedAllocator = CappedAllocator;

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

type Outcome = Option<Result<extract::FileContents, hamkor_ingest::Error>>;

/// The one thread that extracts, with the pipeline's stack, kept for the whole process as the
/// pipeline's child process keeps its one (`hamkor_ingest::sandbox::serve`). A new thread of
/// 64 MiB for each input (as before) cost a `clone`, the page faults of a fresh stack and an
/// `munmap` per input: about 5 % of the pdf target's time in `perf`.
struct ExtractionThread {
    jobs: mpsc::Sender<(Format, Vec<u8>)>,
    outcomes: mpsc::Receiver<Outcome>,
}

fn extraction_thread() -> &'static Mutex<ExtractionThread> {
    static THREAD: OnceLock<Mutex<ExtractionThread>> = OnceLock::new();
    THREAD.get_or_init(|| {
        let (jobs, job_rx) = mpsc::channel::<(Format, Vec<u8>)>();
        let (outcome_tx, outcomes) = mpsc::channel::<Outcome>();
        std::thread::Builder::new()
            .name("hamkor-fuzz-extract".into())
            .stack_size(EXTRACTION_STACK)
            .spawn(move || {
                for (format, data) in job_rx {
                    // Panics are caught here (the hook aborts on those outside a dependency).
                    let outcome = tolerate(|| extract::extract(format, &data, &BUDGET));
                    if outcome_tx.send(outcome).is_err() {
                        return;
                    }
                }
            })
            .expect("a thread for the extractions");
        Mutex::new(ExtractionThread { jobs, outcomes })
    })
}

fn file(format: Format, data: &[u8], what: &str) {
    let outcome = {
        let thread = extraction_thread().lock().unwrap_or_else(|p| p.into_inner());
        thread.jobs.send((format, data.to_vec())).expect("the extraction thread takes inputs");
        thread.outcomes.recv().expect("the extraction thread answers every input")
    };
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

    /// Run in a child process of this test binary: allocate `HAMKOR_FUZZ_ALLOCATE` bytes.
    #[test]
    fn allocate_in_child() {
        if let Some(n) = std::env::var_os("HAMKOR_FUZZ_ALLOCATE") {
            let n: usize = n.to_str().and_then(|n| n.parse().ok()).expect("a size");
            let v: Vec<u8> = Vec::with_capacity(n);
            std::hint::black_box(&v);
            eprintln!("allocated {n} bytes");
        }
    }

    #[test]
    fn one_allocation_over_the_cap_aborts_the_process() {
        let run = |n: usize| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "tests::allocate_in_child", "--nocapture", "--test-threads=1"])
                .env("HAMKOR_FUZZ_ALLOCATE", n.to_string())
                .output()
                .unwrap()
        };
        let under = run(MAX_ALLOCATION - 1);
        assert!(under.status.success(), "{}", String::from_utf8_lossy(&under.stderr));
        let over = run(MAX_ALLOCATION);
        assert!(!over.status.success());
        let said = String::from_utf8_lossy(&over.stderr);
        assert!(said.contains("one allocation of 512 MiB or more"), "{said}");
        assert!(!said.contains("allocated"), "{said}");
    }
}
