//! Three kinds of phrase, in each language where they are written this way (sentences written
//! for this test, coded without a language given):
//! - "It should be recalled that …" («Бояд хотиррасон кард, ки …», «Еске сала кетейік») is a
//!   discourse formula, not a plan: the dated signing it recalls is an agreement;
//! - refusing ("refused to sign", "imzolashdan bosh tortdi", «аз имзо даст кашид», "gol çekmekden
//!   ýüz öwürdi") takes the event back;
//! - a treaty on allied relations signed, or relations raised to a strategic partnership, is a
//!   partnership.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn check(coder: &Coder, cases: &[&str], want: EventType, present: bool) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|t| {
            let got = support::events(coder, t);
            let has = got.iter().any(|(k, _, _)| *k == want);
            (has != present).then(|| format!("{t}\n    expected {}{want:?}, got {got:?}", if present { "" } else { "no " }))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn a_recalled_signing_is_an_agreement() {
    let coder = Coder::embedded();
    let cases = [
        "It should be remembered that Kazakhstan and Tajikistan signed a treaty on good neighbourliness in March 2019.",
        "Бояд хотиррасон кард, ки Тоҷикистон ва Қазоқистон моҳи марти соли 2019 созишномаи ҳамкориро имзо карданд.",
        "Еске сала кетейік, Қазақстан мен Тәжікстан 2019 жылғы наурызда ынтымақтастық туралы келісімге қол қойды.",
    ];
    check(&coder, &cases, EventType::Agreement, true);
}

#[test]
fn a_refusal_to_sign_is_no_agreement() {
    let coder = Coder::embedded();
    let cases = [
        "In 2022 Tajikistan and Turkmenistan refused to sign the regional treaty.",
        "2022-yilda Tojikiston va Turkmaniston mintaqaviy shartnomani imzolashdan bosh tortdi.",
        "Соли 2022 Тоҷикистон ва Туркманистон аз имзои шартномаи минтақавӣ даст кашиданд.",
        "2022-nji ýylda Täjigistan we Türkmenistan sebit şertnamasyna gol çekmekden ýüz öwürdi.",
        "2022 жылы Тәжікстан мен Түрікменстан өңірлік шартқа қол қоюдан бас тартты.",
        "2022-жылы Тажикстан менен Түркмөнстан аймактык келишимге кол коюудан баш тартты.",
    ];
    check(&coder, &cases, EventType::Agreement, false);
}

#[test]
fn allied_relations_and_raised_relations_are_a_partnership() {
    let coder = Coder::embedded();
    let cases = [
        "Шартнома дар бораи муносибатҳои иттифоқӣ байни Тоҷикистон ва Қазоқистон моҳи августи соли 2024 имзо шуд.",
        "Türkmenistan bilen Özbegistan 2024-nji ýylyň awgustynda ýaranlyk gatnaşyklary hakynda şertnama gol çekdiler.",
        "2024-жылдын августунда Кыргызстан менен Казакстан мамилелерди стратегиялык өнөктөштүк деңгээлине чыгарышты.",
        "2024 жылғы тамызда Қазақстан мен Өзбекстан қарым-қатынасты стратегиялық әріптестік деңгейіне шығарды.",
    ];
    check(&coder, &cases, EventType::Partnership, true);
}
