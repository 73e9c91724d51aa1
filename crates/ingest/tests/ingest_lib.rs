//! The ingest library end to end on a real SQLite store: extraction of generated PDFs and DOCX
//! files, deduplication, resumption and per-item failures.

#[path = "support/fixtures.rs"]
mod fixtures;

use hamkor_coder::Coder;
use hamkor_ingest::extract::{extract, Format};
use hamkor_ingest::{ingest, Budget, Error, Input, Options, Progress, Summary};
use hamkor_store::{SqliteStore, Store};
use std::fs;
use std::path::Path;

fn run(store: &mut SqliteStore, inputs: &[&Path], opts: &Options) -> (Summary, Vec<String>) {
    let coder = Coder::embedded();
    let mut failures = Vec::new();
    let inputs: Vec<Input> = inputs.iter().map(|p| Input::Path(p.to_path_buf())).collect();
    let summary = ingest(store, &coder, &inputs, opts, &mut |p| {
        if let Progress::Failed { path, item, error } = p {
            failures.push(format!("{path}|{item}|{error}"));
        }
    })
    .expect("the run completes");
    (summary, failures)
}

#[test]
fn pdf_text_title_and_date_are_extracted() {
    let bytes = fixtures::pdf(&["Water agreement signed in Dushanbe", "Second (line)"], Some("Water deal"), false);
    let f = extract(Format::Pdf, &bytes, &Budget::default()).unwrap();
    let doc = f.items[0].as_ref().unwrap();
    assert!(doc.text.contains("Water agreement signed in Dushanbe"), "{:?}", doc.text);
    assert!(doc.text.contains("Second (line)"), "{:?}", doc.text);
    assert_eq!(doc.title.as_deref(), Some("Water deal"));
    assert_eq!(doc.published.unwrap().to_string(), "2024-03-02");
}

#[test]
fn bad_pdfs_are_named_for_what_is_wrong() {
    let enc = fixtures::pdf(&["secret"], None, true);
    assert!(matches!(extract(Format::Pdf, &enc, &Budget::default()), Err(Error::EncryptedPdf)), "encrypted");
    let blank = fixtures::pdf(&[], None, false);
    match extract(Format::Pdf, &blank, &Budget::default()) {
        Err(Error::NoText(why)) => assert!(why.contains("no text layer"), "{why}"),
        other => panic!("blank page: {:?}", other.map(|f| f.items.len())),
    }
    assert!(matches!(extract(Format::Pdf, b"%PDF-1.4\nthis is not a real pdf", &Budget::default()), Err(Error::CorruptPdf(_))));
    assert!(matches!(extract(Format::Pdf, b"GIF89a....", &Budget::default()), Err(Error::CorruptPdf(_))));
}

#[test]
fn docx_from_the_fixture_builder_reads_back() {
    let bytes = fixtures::docx(&["Соглашение о воде", "Tashkent & Astana"], "Сув", "2021-11-05T09:00:00Z");
    let f = extract(Format::Docx, &bytes, &Budget::default()).unwrap();
    let doc = f.items[0].as_ref().unwrap();
    assert_eq!(doc.text, "Соглашение о воде\nTashkent & Astana");
    assert_eq!(doc.title.as_deref(), Some("Сув"));
    assert_eq!(doc.published.unwrap().to_string(), "2021-11-05");
}

#[test]
fn a_second_run_stores_nothing_and_a_changed_file_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("a.txt"), "Title: A\n\nKazakhstan and Kyrgyzstan met in Bishkek.").unwrap();
    fs::write(docs.join("sub/copy.txt"), "Title: A\n\nKazakhstan and Kyrgyzstan met in Bishkek.").unwrap();
    fs::write(docs.join("b.md"), "# B\n\nTajikistan sent aid.").unwrap();
    fs::write(docs.join(".hidden.txt"), "never read").unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let opts = Options::default();

    let (s, failures) = run(&mut store, &[&docs], &opts);
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!((s.counters.files, s.counters.documents_new, s.counters.documents_known), (3, 2, 1));
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.sources), (2, 3), "the copy is a second source, not a document");

    let (s, _) = run(&mut store, &[&docs], &opts);
    assert_eq!((s.counters.files_unchanged, s.counters.documents_new, s.counters.documents_seen), (3, 0, 0));

    fs::write(docs.join("b.md"), "# B\n\nTajikistan sent aid to Kyrgyzstan.").unwrap();
    let (s, _) = run(&mut store, &[&docs], &opts);
    assert_eq!((s.counters.files_unchanged, s.counters.documents_new), (2, 1));
    assert_eq!(store.stats().unwrap().documents, 3, "a changed file is a new document; the old text stays");
}

#[test]
fn json_lines_stream_in_chunks_and_a_bad_line_keeps_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let mut lines: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"id": "d{i}", "text": "Document {i}: Uzbekistan and Kazakhstan.", "lang": "en"}}"#))
        .collect();
    lines[150] = "{not json".into();
    lines[200] = r#"{"id": "no-text"}"#.into();
    lines.insert(10, String::new());
    fs::write(&path, lines.join("\n")).unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let opts = Options { workers: 2, ..Options::default() };

    let (s, failures) = run(&mut store, &[&path], &opts);
    assert_eq!(s.counters.documents_new, 298);
    assert_eq!(failures.len(), 2, "{failures:?}");
    // Line numbers count the blank line too: they are the lines an editor shows.
    assert!(failures[0].contains("|152|bad JSON line"), "{failures:?}");
    assert!(failures[1].contains("|202|") && failures[1].contains("no \"text\""), "{failures:?}");
    assert_eq!(store.stats().unwrap().failed_files, 1);

    // The file is not marked done, so the bad lines are reported again; nothing is stored twice.
    let (s, failures) = run(&mut store, &[&path], &opts);
    assert_eq!((s.counters.documents_new, s.counters.documents_known, failures.len()), (0, 298, 2));
    let doc = store.find_document(&format!("{}:2", path.display())).unwrap().expect("found by source location");
    assert_eq!(doc.sources[0].external_id.as_deref(), Some("d1"));
}

#[test]
fn limits_refuse_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("big.txt"), "x".repeat(5000)).unwrap();
    fs::write(docs.join("long.html"), format!("<html><body><p>{}</p></body></html>", "word ".repeat(400))).unwrap();
    fs::write(docs.join("ok.txt"), "Short and fine.").unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let opts = Options { max_file_size: 3000, budget: Budget { max_text_len: 1000, ..Budget::default() }, ..Options::default() };
    let (s, failures) = run(&mut store, &[&docs], &opts);
    assert_eq!(s.counters.documents_new, 1);
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures[0].contains("big.txt") && failures[0].contains("over the --max-file-size limit of 3.0 kB"));
    assert!(failures[1].contains("long.html") && failures[1].contains("over the --max-text-len limit"));
}
