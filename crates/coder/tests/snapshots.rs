//! Snapshot tests of the coder's output: one line per event (type, actors, domains, date, the
//! evidence text). Run with `UPDATE_EXPECT=1 cargo test -p hamkor-coder --test snapshots` to
//! accept a change, then read the diff: every changed line is a changed coding.

use expect_test::{expect, Expect};
use hamkor_coder::Coder;
use hamkor_model::InputDocument;
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(Coder::embedded)
}

fn check(lang: &str, date: Option<&str>, text: &str, expect: Expect) {
    let doc = InputDocument { id: "t".into(), text: text.into(), lang: Some(lang.into()), date: date.map(|d| d.parse().unwrap()), source: None };
    let coded = coder().code(&doc);
    let mut out = String::new();
    for e in &coded.events {
        let actors: Vec<&str> = e.actors.iter().map(|a| a.as_str()).collect();
        let domains: Vec<&str> = e.domains.iter().map(|d| d.code()).collect();
        out.push_str(&format!(
            "{} {} {} {} | {}\n",
            e.event_type,
            actors.join(","),
            domains.join(","),
            e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            &text[e.evidence.start..e.evidence.end]
        ));
    }
    expect.assert_eq(&out);
}

#[test]
fn visit_with_signing_gives_a_meeting_an_agreement_and_a_partnership() {
    check(
        "en",
        Some("2024-04-19"),
        "Kazakh President Kassym-Jomart Tokayev held talks with Shavkat Mirziyoyev in Samarkand yesterday. The two presidents signed a treaty on allied relations.",
        expect![[r#"
            meeting KAZ,UZB political 2024-04-18 | Kazakh President Kassym-Jomart Tokayev held talks with Shavkat Mirziyoyev in Samarkand yesterday.
            agreement KAZ,UZB political 2024-04-18 | The two presidents signed a treaty on allied relations.
            partnership KAZ,UZB political 2024-04-18 | The two presidents signed a treaty on allied relations.
        "#]],
    );
}

#[test]
fn plans_and_negations_code_nothing() {
    check(
        "ru",
        Some("2024-03-01"),
        "Президент Таджикистана посетит Ташкент в мае. Туркменистан не подписал соглашение с Кыргызстаном.",
        expect![[""]],
    );
}

#[test]
fn aid_from_one_donor_to_several_recipients_is_one_event_each() {
    check(
        "uz",
        None,
        "Oʻzbekiston Qirgʻiziston va Tojikistonga insonparvarlik yordami joʻnatdi.",
        expect![[r#"
            aid KGZ,UZB disaster - | Oʻzbekiston Qirgʻiziston va Tojikistonga insonparvarlik yordami joʻnatdi.
            aid TJK,UZB disaster - | Oʻzbekiston Qirgʻiziston va Tojikistonga insonparvarlik yordami joʻnatdi.
        "#]],
    );
}

#[test]
fn kyrgyz_and_turkmen_inflected_names() {
    check(
        "ky",
        Some("2023-01-27"),
        "Кыргыз Республикасынын Президенти Садыр Жапаров 26-январда Өзбекстандын Президенти менен сүйлөшүү жүргүздү.",
        expect![[r#"
            meeting KGZ,UZB political 2023-01-26 | Кыргыз Республикасынын Президенти Садыр Жапаров 26-январда Өзбекстандын Президенти менен сүйлөшүү жүргүздү.
        "#]],
    );
    check(
        "tk",
        None,
        "2023-nji ýylyň 4-nji awgustynda Aşgabatda Türkmenistanyň, Täjigistanyň we Özbegistanyň Prezidentleriniň sammiti geçirildi.",
        expect![[r#"
            meeting TJK,TKM,UZB political 2023-08-04 | 2023-nji ýylyň 4-nji awgustynda Aşgabatda Türkmenistanyň, Täjigistanyň we Özbegistanyň Prezidentleriniň sammiti geçirildi.
        "#]],
    );
}
