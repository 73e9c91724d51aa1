//! Establishing diplomatic relations is a `partnership` (eval/NOTES.md), in each language; an
//! anniversary of them, with no date of the founding in the sentence, reports nothing. Sentences
//! written for this test, coded without a language given.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn types(coder: &Coder, text: &str) -> Vec<EventType> {
    support::events(coder, text).into_iter().map(|(t, _, _)| t).collect()
}

#[test]
fn establishing_diplomatic_relations_is_a_partnership() {
    let coder = Coder::embedded();
    let cases = [
        "Kazakhstan and Mongolia established diplomatic relations on 22 January 1992.",
        "Узбекистан и Малайзия установили дипломатические отношения 24 февраля 1992 года.",
        "Oʻzbekiston va Indoneziya oʻrtasida diplomatik munosabatlar 1992-yil 23-iyunda oʻrnatilgan.",
        "Қазақстан мен Вьетнам арасында дипломатиялық қатынастар 1992 жылғы 29 маусымда орнатылды.",
        "Кыргызстан менен Малайзиянын ортосундагы дипломатиялык мамилелер 1992-жылдын 30-декабрында түзүлгөн.",
        "Муносибатҳои дипломатӣ байни Тоҷикистон ва Малайзия 15 декабри соли 1992 барқарор гардид.",
        "Türkmenistan we Malaýziýa 1992-nji ýylyň 22-nji dekabrynda diplomatik gatnaşyklary ýola goýdy.",
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|t| {
            let got = types(&coder, t);
            (!got.contains(&EventType::Partnership)).then(|| format!("{t}\n    expected a partnership, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn an_anniversary_without_the_founding_date_reports_nothing() {
    let coder = Coder::embedded();
    let cases = [
        "Kazakhstan and Mongolia marked the 30th anniversary of the establishment of diplomatic relations.",
        "Узбекистан и Малайзия отметили 30-летие установления дипломатических отношений.",
        "Oʻzbekiston va Indoneziya oʻrtasida diplomatik munosabatlar oʻrnatilganining 30 yilligi nishonlandi.",
        "Қазақстан мен Вьетнам арасында дипломатиялық қатынастар орнатылғанның 30 жылдығы аталып өтті.",
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|t| {
            let got = types(&coder, t);
            got.contains(&EventType::Partnership).then(|| format!("{t}\n    expected no partnership, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
