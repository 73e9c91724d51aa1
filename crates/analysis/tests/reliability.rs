//! Krippendorff's alpha against an independent computation: `scripts/krippendorff_reference.py`
//! (exact fractions, cross-checked with the `krippendorff` package from PyPI) wrote
//! `tests/data/alpha_expected.json` from `tests/data/codings.json`.

use hamkor_analysis::reliability::report;
use hamkor_model::Coding;

#[test]
fn alpha_matches_the_python_reference() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let raw: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(data.join("codings.json")).unwrap()).unwrap();
    let codings: Vec<Coding> = raw
        .iter()
        .map(|c| Coding {
            document_id: c["document_id"].as_i64().unwrap(),
            evidence_start: c["evidence_start"].as_u64().unwrap() as usize,
            evidence_end: c["evidence_end"].as_u64().unwrap() as usize,
            reviewer: c["reviewer"].as_str().unwrap().into(),
            event_type: c["type"].as_str().unwrap().into(),
            actors: c["actors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().into()).collect(),
            domains: c["domains"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().into()).collect(),
            date: c["date"].as_str().map(String::from),
            at: String::new(),
        })
        .collect();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("alpha_expected.json")).unwrap()).unwrap();
    let rep = report(&codings);
    assert_eq!(rep.reviewers, vec!["Aziza", "Bekzod", "Dina"]);
    for f in &rep.fields {
        let want = &expected["fields"][&f.field];
        let got = f.alpha.alpha.expect("defined");
        let exact = want["alpha"].as_f64().unwrap();
        assert!((got - exact).abs() < 1e-12, "{}: {got} vs {exact}", f.field);
        if let Some(pkg) = want["krippendorff_package"].as_f64() {
            assert!((got - pkg).abs() < 1e-9, "{}: {got} vs the krippendorff package's {pkg}", f.field);
        }
        assert_eq!(f.alpha.units as u64, want["units"].as_u64().unwrap(), "{}", f.field);
        assert_eq!(f.alpha.values as u64, want["values"].as_u64().unwrap(), "{}", f.field);
    }
    assert!(!rep.disagreements.is_empty());
    for d in &rep.disagreements {
        let distinct: std::collections::BTreeSet<&String> = d.values.iter().map(|(_, v)| v).collect();
        assert!(distinct.len() > 1 && d.values.len() >= 2, "{d:?}");
    }
}
