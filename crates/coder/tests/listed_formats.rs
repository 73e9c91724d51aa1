//! Summit formats named in a list are one meeting each, of each format's participants; and a
//! Kyrgyz future participle with a possessive ending is a reported future ("… болорун
//! билдирди": said that he will be …). Sentences written for this test, coded without a
//! language given.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn meetings(coder: &Coder, text: &str) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = support::events(coder, text).into_iter().filter(|(t, _, _)| *t == EventType::Meeting).map(|(_, a, _)| a).collect();
    v.sort();
    v
}

#[test]
fn formats_named_in_a_list_are_one_meeting_each() {
    let coder = Coder::embedded();
    let five = ["KAZ", "KGZ", "TJK", "TKM", "UZB"];
    let with = |p: &str| {
        let mut v: Vec<String> = five.iter().map(|s| s.to_string()).collect();
        v.push(p.to_string());
        v.sort();
        v
    };
    let mut want = vec![with("CHN"), with("RUS")];
    want.sort();
    let cases = [
        "In recent years the Central Asia – China summit and the Central Asia – Russia summit were held.",
        "В последние годы прошли саммиты «Центральная Азия – Китай» и «Центральная Азия – Россия».",
        "Акыркы жылдары “Борбор Азия – Кытай” жана “Борбор Азия – Орусия” саммиттери өттү.",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let got = meetings(&coder, text);
        if got != want {
            wrong.push(format!("{text}\n    expected {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_kyrgyz_reported_future_is_no_event() {
    let coder = Coder::embedded();
    for text in [
        "Өзбекстандын президенти Кыргызстанда 26-27-январь күндөрү мамлекеттик сапар менен болорун бүгүн тышкы иштер министрлиги билдирди.",
        "Сапардын алкагында кыргыз-өзбек бизнес форуму өтөрү кабарланды.",
    ] {
        let got = meetings(&coder, text);
        assert!(got.is_empty(), "{text}\n    expected no meeting, got {got:?}");
    }
}

/// A format written "<region> – <partner>" is that format wherever the text joins the two with a
/// dash, a hyphen or a plus, with or without a noun after it; the same names joined by a comma or
/// "and" are no format.
#[test]
fn a_dash_joined_format_needs_its_dash() {
    let coder = Coder::embedded();
    let eu_and_five = ["EU", "KAZ", "KGZ", "TJK", "TKM", "UZB"].map(String::from).to_vec();
    for text in [
        "On 10 November 2017 the EU-Central Asia ministerial meeting took place in Samarkand.",
        "On 10 November 2017 the Central Asia – EU ministerial meeting took place in Samarkand.",
        "10 ноября 2017 года в Самарканде прошла министерская встреча «ЕС – Центральная Азия».",
    ] {
        let got = meetings(&coder, text);
        assert!(got.contains(&eu_and_five), "{text}\n    expected a meeting of the EU and the five, got {got:?}");
    }
    for text in [
        "Ministers of the EU, Central Asia and China met in Samarkand on 10 November 2017 with Uzbekistan's minister.",
        "Министры ЕС, Центральной Азии и Китая встретились в Самарканде 10 ноября 2017 года с министром Узбекистана.",
    ] {
        let got = meetings(&coder, text);
        assert!(!got.contains(&eu_and_five), "{text}\n    expected no meeting of the EU with the five, got {got:?}");
    }
}

/// States named after "including" are examples of the format's participants, not the only
/// parties: "all six, including Turkmenistan and Tajikistan, signed" at a Central Asia – China
/// summit is a signing of the six.
#[test]
fn states_named_after_including_do_not_replace_the_format() {
    let coder = Coder::embedded();
    let six = ["CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"].map(String::from).to_vec();
    let cases = [
        "At the Central Asia – China summit in June 2025 all six states, including Turkmenistan and Tajikistan, signed the treaty on good neighbourliness.",
        "На саммите «Центральная Азия – Китай» в июне 2025 года все шесть государств, в том числе Туркменистан и Таджикистан, подписали договор о добрососедстве.",
        "2025-yil iyun oyida “Markaziy Osiyo – Xitoy” sammitida 6 mamlakatning barchasi, jumladan Turkmaniston va Tojikiston ham shartnomani imzoladi.",
        "2025 жылғы маусымда «Орталық Азия – Қытай» саммитінде алты елдің барлығы, соның ішінде Түрікменстан мен Тәжікстан да шартқа қол қойды.",
        "2025-жылдын июнунда «Борбор Азия – Кытай» саммитинде алты мамлекеттин баары, анын ичинде Түркмөнстан менен Тажикстан да келишимге кол коюшту.",
        "Дар нишасти «Осиёи Марказӣ – Чин» дар моҳи июни соли 2025 ҳамаи шаш давлат, аз ҷумла Туркманистон ва Тоҷикистон, шартномаро имзо карданд.",
        "2025-nji ýylyň iýunynda «Merkezi Aziýa – Hytaý» sammitinde alty döwletiň hemmesi, şol sanda Türkmenistan we Täjigistan şertnama gol çekdiler.",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let got = support::events(&coder, text);
        if !got.iter().any(|(t, a, _)| *t == EventType::Agreement && *a == six) {
            wrong.push(format!("{text}\n    expected an agreement of the six, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
