//! Language identification on every document we wrote (the coder's test documents): the
//! detector must name the language of at least 95% of them, and the script of all of them.
//! whatlang and lingua were measured on such text before we wrote our own (see
//! ../shared/guide/DEPENDENCIES.md): neither knows Uzbek, Kyrgyz, Tajik and Turkmen well.

#[test]
fn detects_the_language_of_our_documents() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../coder/tests/documents");
    let (mut right, mut total) = (0, 0);
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let (lang, text) = (v["lang"].as_str().unwrap(), v["text"].as_str().unwrap());
        let d = hamkor_text::detect(text);
        total += 1;
        if d.lang == lang {
            right += 1;
        } else {
            wrong.push(format!("{}: {} detected as {}", path.file_name().unwrap().to_string_lossy(), lang, d.lang));
        }
        let expected_script = if lang == "tk" || lang == "en" { "Latn" } else if lang == "uz" { d.script } else { "Cyrl" };
        assert_eq!(d.script, expected_script, "{}", path.display());
    }
    let rate = right as f64 / total as f64;
    println!("language identified for {right} of {total} documents ({rate:.3}); wrong: {wrong:?}");
    assert!(rate >= 0.95, "{wrong:?}");
}
