//! `hamkor ingest` on a folder mixing good files in every format with many kinds of bad ones,
//! through the real binary: every good document is stored, every bad file is named on stderr
//! with its reason, the exit status is "some failed" (1), and a second run stores nothing new.

mod ingest_support;

use ingest_support::{count, dump, fixtures, run};
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

/// Good inputs, and the titles of the documents each must produce.
fn good_files(root: &Path) -> Vec<&'static str> {
    write(root, "good/01-header.txt", "Title: Water deal signed\nDate: 2024-03-02\n\nUzbekistan and Tajikistan signed an agreement on water in Dushanbe.\n");
    // An identical copy: one document, two sources.
    write(root, "good/sub/01-copy.txt", "Title: Water deal signed\nDate: 2024-03-02\n\nUzbekistan and Tajikistan signed an agreement on water in Dushanbe.\n");
    write(
        root,
        "good/02-plain.txt",
        "Kazakhstan sends aid to Kyrgyzstan\nRescue teams from Kazakhstan arrived in Bishkek on Monday.",
    );
    write(root, "good/03-note.md", "---\ntitle: Border treaty ratified\ndate: 2023-01\n---\n# Border\n\nKyrgyzstan ratified the border treaty with Uzbekistan.");
    write(
        root,
        "good/04-page.html",
        r#"<html><head><title>Site</title><meta property="og:title" content="Summit in Astana">
           <meta property="article:published_time" content="2024-08-09T09:00:00Z"></head>
           <body><nav>Home | News</nav><article><p>The presidents of the five Central Asian states met in Astana
           for their sixth Consultative Meeting and discussed water and transport.</p></article></body></html>"#,
    );
    write(
        root,
        "good/05-short.htm",
        "<html><body><h1>Festival</h1><p>A Navruz festival with Turkmen artists opened in Tashkent.</p></body></html>",
    );
    write(
        root,
        "good/06-report.pdf",
        fixtures::pdf(&["Tajikistan and Uzbekistan opened a joint university branch."], Some("Branch campus"), false),
    );
    write(
        root,
        "good/07-report.docx",
        fixtures::docx(
            &["Соглашение о воде", "Казахстан и Узбекистан подписали соглашение."],
            "Соглашение о воде",
            "2022-06-01T10:00:00Z",
        ),
    );
    write(
        root,
        "good/08-news.rss",
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>MFA</title>
           <item><title>Turkmen delegation in Dushanbe</title><link>https://example.org/n/1</link>
             <pubDate>Tue, 11 Jun 2024 08:00:00 GMT</pubDate><description>Talks on energy were held.</description></item>
           <item><title>Uzbek doctors in Bishkek</title><link>https://example.org/n/2</link>
             <description>&lt;p&gt;A team of doctors arrived.&lt;/p&gt;</description></item></channel></rss>"#,
    );
    write(
        root,
        "good/09-desk.atom",
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
           <id>urn:desk</id><updated>2025-03-13T00:00:00Z</updated>
           <entry><title>Border treaty signed</title><id>urn:desk:1</id><link href="https://example.org/a/1"/>
             <updated>2025-03-13T00:00:00Z</updated><content type="html">&lt;p&gt;Kyrgyzstan and Tajikistan signed a treaty.&lt;/p&gt;</content></entry></feed>"#,
    );
    write(
        root,
        "good/10-lines.jsonl",
        concat!(
            r#"{"id": "j1", "text": "Kazakhstan and Uzbekistan held talks in Tashkent.", "lang": "en", "date": "2024-01-05"}"#,
            "\n\n",
            r#"{"id": "j2", "text": "Ўзбекистон ва Тожикистон ҳамкорлик тўғрисида келишди.", "lang": "uz"}"#,
            "\n",
            r#"{"id": "j3", "title": "Kyrgyz line", "text": "Кыргызстан менен Казакстан келишимге кол коюшту."}"#,
            "\n"
        ),
    );
    // UTF-16 with a byte-order mark, as some Windows tools save text.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("UTF-16 note\nTurkmenistan hosted culture days.".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(root, "good/11-utf16.txt", utf16);
    write(root, "good/deep/er/12-deep.txt", "Deep file\nThe Aral Sea fund met in Dushanbe.");
    // Latin-1 with no declaration: detected, read, and said so in a warning.
    write(root, "good/13-latin1.txt", b"Caf\xe9 in Tashkent, na\xefve encoding\n");
    vec![
        "Water deal signed",
        "Kazakhstan sends aid to Kyrgyzstan",
        "Border treaty ratified",
        "Summit in Astana",
        "Festival",
        "Branch campus",
        "Соглашение о воде",
        "Turkmen delegation in Dushanbe",
        "Uzbek doctors in Bishkek",
        "Border treaty signed",
        "Kazakhstan and Uzbekistan held talks in Tashkent.",
        "Ўзбекистон ва Тожикистон ҳамкорлик тўғрисида келишди.",
        "Kyrgyz line",
        "UTF-16 note",
        "Deep file",
        "Café in Tashkent, naïve encoding",
        // Good lines inside the JSON lines files that also have bad lines.
        "Good line beside a bad one",
        "Another good line",
    ]
}

/// Bad inputs: (file name, a word its error line must contain).
fn bad_files(root: &Path) -> Vec<(&'static str, &'static str)> {
    let good_pdf = fixtures::pdf(&["Some text in a PDF that will be cut in half."], Some("cut"), false);
    write(root, "bad/corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref\n");
    write(root, "bad/encrypted.pdf", fixtures::pdf(&["secret"], Some("secret"), true));
    write(root, "bad/blank.pdf", fixtures::pdf(&[], None, false));
    write(root, "bad/truncated.pdf", &good_pdf[..good_pdf.len() / 3]);
    write(root, "bad/binary.txt", (0u8..=255).cycle().take(4096).collect::<Vec<u8>>());
    write(root, "bad/empty.txt", b"");
    write(root, "bad/whitespace.txt", b"   \n\n\t\n");
    write(root, "bad/huge.txt", "x".repeat(300_000));
    write(root, "bad/long.txt", "word ".repeat(30_000));
    write(
        root,
        "bad/scripts.html",
        "<html><head><script>var a = 1;</script></head><body><script>track()</script><style>p{}</style></body></html>",
    );
    write(root, "bad/notzip.docx", b"This is a text file renamed to .docx");
    write(root, "bad/nodocument.docx", fixtures::zip_parts(&[("word/styles.xml", "<styles/>")]));
    write(
        root,
        "bad/brokenxml.docx",
        fixtures::zip_parts(&[("word/document.xml", "<w:document><w:body><w:p><w:t>text</w:body>")]),
    );
    write(root, "bad/malformed.rss", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>cut off");
    write(root, "bad/noitems.atom", r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id></feed>"#);
    write(
        root,
        "bad/badjson.jsonl",
        concat!(
            r#"{"id": "g1", "text": "Good line beside a bad one"}"#,
            "\n",
            r#"{"id": "b1", "text": "unterminated"#,
            "\n"
        ),
    );
    write(
        root,
        "bad/notext.jsonl",
        concat!(r#"{"id": "g2", "text": "Another good line"}"#, "\n", r#"{"id": "b2", "lang": "en"}"#, "\n"),
    );
    write(root, "bad/notes.xyz", "some notes in an unknown format");
    fs::create_dir_all(root.join("bad/loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("bad/loop/up")).unwrap();
    std::os::unix::fs::symlink("does-not-exist.txt", root.join("bad/dangling.txt")).unwrap();
    vec![
        ("corrupt.pdf", "corrupt PDF"),
        ("encrypted.pdf", "encrypted PDF"),
        ("blank.pdf", "no text layer"),
        ("truncated.pdf", "PDF"),
        ("binary.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("whitespace.txt", "no text"),
        ("huge.txt", "--max-file-size"),
        ("long.txt", "--max-text-len"),
        ("scripts.html", "no text"),
        ("notzip.docx", "not a ZIP archive"),
        ("nodocument.docx", "no word/document.xml"),
        ("brokenxml.docx", "malformed DOCX"),
        ("malformed.rss", "feed"),
        ("noitems.atom", "no items"),
        ("badjson.jsonl:2", "bad JSON line"),
        ("notext.jsonl:2", "no \"text\""),
        ("notes.xyz", "unsupported file type (.xyz)"),
        ("loop/up", "symbolic link loop"),
        ("dangling.txt", "broken symbolic link"),
    ]
}

#[test]
fn good_files_are_stored_bad_ones_named_and_a_second_run_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let expected_titles = good_files(root);
    let bad = bad_files(root);
    let db = root.join("store.db");
    let db_arg = db.to_str().unwrap();
    let missing = root.join("no-such-folder");
    let (good_dir, bad_dir) = (root.join("good"), root.join("bad"));
    let args = [
        "ingest",
        "--db",
        db_arg,
        "--max-file-size",
        "200kB",
        "--max-text-len",
        "100kB",
        good_dir.to_str().unwrap(),
        bad_dir.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];

    let first = run(&args);
    // SHOW_STDERR=1 cargo test ... -- --nocapture prints every error line, to review wording.
    if std::env::var_os("SHOW_STDERR").is_some() {
        eprintln!("{}", first.stderr);
    }
    assert_eq!(first.code, 1, "some files failed: exit 1\nstderr:\n{}", first.stderr);

    // Every bad input is named on its own line with its reason.
    let lines: Vec<&str> = first.stderr.lines().collect();
    for (name, reason) in &bad {
        let hit = lines.iter().find(|l| l.contains(&format!("/bad/{name}")));
        let hit = hit.unwrap_or_else(|| panic!("{name} is not named on stderr:\n{}", first.stderr));
        assert!(hit.contains(reason), "{name}: expected {reason:?} in {hit:?}");
    }
    assert!(lines.iter().any(|l| l.contains("no-such-folder") && l.contains("no such file")), "{}", first.stderr);
    assert!(bad.len() >= 15, "at least 15 kinds of bad input");
    // No good file is reported as failed.
    let good_failed = lines.iter().any(|l| l.contains("/good/") && !l.contains(": warning: "));
    assert!(!good_failed, "a good file failed:\n{}", first.stderr);
    assert!(
        lines.iter().any(|l| l.contains("13-latin1.txt: warning: ") && l.contains("windows-1252")),
        "the guessed encoding is said:\n{}",
        first.stderr
    );

    // Every good document is stored, once.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut titles: Vec<String> = conn
        .prepare("SELECT title FROM documents ORDER BY title")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    titles.sort();
    let mut want: Vec<String> = expected_titles.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(titles, want);
    assert_eq!(count(&db, "sources"), want.len() as i64 + 1, "the copy adds a source, not a document");
    let copies: i64 = conn
        .query_row(
            "SELECT count(*) FROM sources s JOIN documents d ON d.id = s.document_id WHERE d.title = 'Water deal signed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(copies, 2);
    // Metadata made it through each extractor.
    let meta = |title: &str| -> (Option<String>, String) {
        conn.query_row("SELECT published, format FROM documents WHERE title = ?1", [title], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    assert_eq!(meta("Water deal signed"), (Some("2024-03-02".into()), "txt".into()));
    assert_eq!(meta("Border treaty ratified"), (Some("2023-01".into()), "md".into()));
    assert_eq!(meta("Summit in Astana"), (Some("2024-08-09".into()), "html".into()));
    assert_eq!(meta("Branch campus"), (Some("2024-03-02".into()), "pdf".into()));
    assert_eq!(meta("Соглашение о воде"), (Some("2022-06-01".into()), "docx".into()));
    assert_eq!(meta("Turkmen delegation in Dushanbe"), (Some("2024-06-11".into()), "feed".into()));
    assert_eq!(meta("Border treaty signed"), (Some("2025-03-13".into()), "feed".into()));
    let link: String = conn
        .query_row(
            "SELECT location FROM sources s JOIN documents d ON d.id = s.document_id WHERE d.title = 'Border treaty signed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(link, "https://example.org/a/1", "a feed item's source is its link");

    // stats --json: integers, and one failed file per bad input (the missing folder is not a file).
    let stats = run(&["stats", "--db", db_arg, "--json"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let v: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(v["documents"].as_i64(), Some(want.len() as i64));
    assert!(v["events"].is_i64());
    assert_eq!(v["failed_files"].as_i64(), Some(bad.len() as i64), "{}", stats.stdout);

    // A second run: the bad files fail again, nothing new is stored, nothing is duplicated.
    let before = dump(&db);
    let second = run(&args);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("(0 new,"), "{}", second.stderr);
    assert_eq!(dump(&db), before, "the second run changed the store");
    let v: serde_json::Value = serde_json::from_str(&run(&["stats", "--db", db_arg, "--json"]).stdout).unwrap();
    assert_eq!(v["failed_files"].as_i64(), Some(bad.len() as i64), "failures are not counted twice");
}

#[test]
fn exit_status_two_when_nothing_can_be_done() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("a.txt");
    fs::write(&good, "Some text").unwrap();
    // The store cannot be opened: its folder does not exist.
    let o = run(&["ingest", "--db", tmp.path().join("nope/x.db").to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("nope"), "{}", o.stderr);
    // The store is not a database.
    let junk = tmp.path().join("junk.db");
    fs::write(&junk, "not a database at all, just text that is long enough to look like a header").unwrap();
    let o = run(&["ingest", "--db", junk.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("junk.db"), "{}", o.stderr);
    // No input exists.
    let o = run(&[
        "ingest",
        "--db",
        tmp.path().join("s.db").to_str().unwrap(),
        tmp.path().join("missing").to_str().unwrap(),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    // All good: 0.
    let o = run(&["ingest", "--db", tmp.path().join("s.db").to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}
