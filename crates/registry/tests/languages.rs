//! Linking real coder output to the registry in all seven languages, and the cross-check of a
//! text that repeats the published "7 July 2022" error against one that states the record.
//!
//! The sentences are ours, written as news would put them; the coder (crates/coder) codes them,
//! and the registry must find the agreement each one reports.

use hamkor_coder::Coder;
use hamkor_model::{EventType, InputDocument};
use hamkor_registry::check::{check, Verdict};
use hamkor_registry::{Linker, Registry, ReportInput};

fn linked(lang: &str, date: &str, text: &str) -> Vec<(EventType, Option<String>)> {
    let reg = Registry::builtin();
    let linker = Linker::new(&reg);
    let coded = Coder::embedded().code(&InputDocument {
        id: lang.into(),
        text: text.into(),
        lang: Some(lang.into()),
        date: date.parse().ok(),
        source: None,
    });
    coded
        .events
        .iter()
        .map(|e| {
            let evidence = &text[e.evidence.start..e.evidence.end];
            let r = ReportInput { event_type: e.event_type, actors: &e.actors, date: e.date, evidence };
            (e.event_type, linker.link(&r).agreement.map(|l| l.id))
        })
        .collect()
}

fn assert_links(cases: &[(&str, &str)], date: &str, id: &str) {
    for (lang, text) in cases {
        let got = linked(lang, date, text);
        assert!(
            got.iter()
                .any(|(t, a)| matches!(t, EventType::Agreement | EventType::Partnership) && a.as_deref() == Some(id)),
            "{lang}: {text}\n  coded and linked: {got:?}"
        );
    }
}

#[test]
fn the_friendship_treaty_in_seven_languages_and_both_uzbek_scripts() {
    assert_links(
        &[
            ("en", "On 21 July 2022 in Cholpon-Ata the presidents of Kazakhstan, Kyrgyzstan and Uzbekistan signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century."),
            ("ru", "21 июля 2022 года в Чолпон-Ате президенты Казахстана, Кыргызстана и Узбекистана подписали Договор о дружбе, добрососедстве и сотрудничестве в целях развития Центральной Азии в XXI веке."),
            ("uz", "2022-yil 21-iyulda Cho'lpon-Otada Qozog'iston, Qirg'iziston va O'zbekiston prezidentlari XXI asrda Markaziy Osiyoni rivojlantirish yo'lida do'stlik, yaxshi qo'shnichilik va hamkorlik to'g'risidagi shartnomani imzoladi."),
            ("uz", "2022 йил 21 июлда Чўлпон-Отада Қозоғистон, Қирғизистон ва Ўзбекистон президентлари XXI асрда Марказий Осиёни ривожлантириш йўлида дўстлик, яхши қўшничилик ва ҳамкорлик тўғрисидаги шартномани имзолади."),
            ("kk", "2022 жылғы 21 шілдеде Шолпан-Атада Қазақстан, Қырғызстан және Өзбекстан президенттері XXI ғасырда Орталық Азияны дамыту мақсатындағы достық, тату көршілік және ынтымақтастық туралы шартқа қол қойды."),
            ("ky", "2022-жылдын 21-июлунда Чолпон-Атада Казакстандын, Кыргызстандын жана Өзбекстандын президенттери XXI кылымда Борбордук Азияны өнүктүрүү максатында достук, жакшы коңшулук жана кызматташтык жөнүндө келишимге кол коюшту."),
            ("tg", "21 июли соли 2022 дар Чолпон-Ато президентҳои Қазоқистон, Қирғизистон ва Ӯзбекистон Шартнома дар бораи дӯстӣ, ҳамсоягии нек ва ҳамкорӣ баҳри рушди Осиёи Марказӣ дар асри XXI-ро имзо карданд."),
            ("tk", "2022-nji ýylyň 21-nji iýulynda Çolpon-Atada Gazagystanyň, Gyrgyzystanyň we Özbegistanyň Prezidentleri XXI asyrda Merkezi Aziýanyň ösüşi üçin dostluk, hoşniýetli goňşuçylyk we hyzmatdaşlyk hakynda Şertnama gol çekdiler."),
        ],
        "2022-07-21",
        "ca-friendship-treaty-2022",
    );
}

#[test]
fn the_kazakh_uzbek_allied_treaty_in_seven_languages() {
    assert_links(
        &[
            ("en", "On 22 December 2022 in Tashkent the presidents of Kazakhstan and Uzbekistan signed the Treaty on Allied Relations."),
            ("ru", "22 декабря 2022 года в Ташкенте президенты Казахстана и Узбекистана подписали Договор о союзнических отношениях."),
            ("uz", "2022-yil 22-dekabrda Toshkentda Qozogʻiston va Oʻzbekiston prezidentlari Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladi."),
            ("kk", "2022 жылғы 22 желтоқсанда Ташкентте Қазақстан мен Өзбекстан президенттері Одақтастық қатынастар туралы шартқа қол қойды."),
            ("ky", "2022-жылдын 22-декабрында Ташкентте Казакстан менен Өзбекстандын президенттери Союздаштык мамилелер жөнүндө келишимге кол коюшту."),
            ("tg", "22 декабри соли 2022 дар Тошканд президентҳои Қазоқистон ва Ӯзбекистон Шартнома дар бораи муносибатҳои иттифоқчигиро имзо карданд."),
            ("tk", "2022-nji ýylyň 22-nji dekabrynda Daşkentde Gazagystanyň we Özbegistanyň Prezidentleri Soýuzdaşlyk gatnaşyklary hakynda şertnama gol çekdiler."),
        ],
        "2022-12-22",
        "kaz-uzb-allied-treaty-2022",
    );
}

/// The same words between Tajikistan and Uzbekistan are the other allied treaty.
#[test]
fn parties_tell_two_treaties_of_the_same_name_apart() {
    assert_links(
        &[("ru", "18 апреля 2024 года в Душанбе президенты Таджикистана и Узбекистана подписали Договор о союзнических отношениях.")],
        "2024-04-18",
        "tjk-uzb-allied-treaty-2024",
    );
}

const WRONG: &str = "A recent study of Uzbekistan's humanitarian diplomacy traces how regional cooperation gathered pace after 2017. In its account, the leaders of the five states met for the fourth Consultative Meeting at Cholpon-Ata on 7 July 2022, and on that day the presidents of Kazakhstan, Kyrgyzstan and Uzbekistan signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century. Tajikistan and Turkmenistan held back.";

const RIGHT: &str = "CHOLPON-ATA, 21 July 2022. The fourth Consultative Meeting of the Heads of State of Central Asia opened on Thursday in Cholpon-Ata on the northern shore of Lake Issyk-Kul, with the presidents of all five countries taking part.\n\nPresidents Kassym-Jomart Tokayev, Sadyr Japarov and Shavkat Mirziyoyev signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century at the end of the meeting. Tajikistan and Turkmenistan said they would sign once their domestic procedures were complete.";

fn checked(text: &str, published: &str) -> hamkor_registry::check::CheckReport {
    let reg = Registry::builtin();
    let linker = Linker::new(&reg);
    let coded = Coder::embedded().code(&InputDocument {
        id: "t".into(),
        text: text.into(),
        lang: Some("en".into()),
        date: published.parse().ok(),
        source: None,
    });
    check(&reg, &linker, text, &coded.events)
}

#[test]
fn the_seventh_of_july_is_flagged_with_the_sources_for_the_twenty_first() {
    let r = checked(WRONG, "2023-05-10");
    let treaty = r
        .conflicts()
        .find(|f| f.registry_id == "ca-friendship-treaty-2022" && f.about == "date")
        .unwrap_or_else(|| panic!("no date conflict for the treaty: {:#?}", r.findings));
    assert!(treaty.claim.contains("7 Jul 2022"), "{}", treaty.claim);
    assert!(treaty.record.contains("21 Jul 2022") && treaty.record.contains("KAZ, KGZ and UZB"), "{}", treaty.record);
    assert!(treaty.sources.iter().any(|u| u.contains("kaktus.media")), "{:?}", treaty.sources);
    assert!(treaty.sources.iter().any(|u| u.contains("rferl.org")), "{:?}", treaty.sources);
    assert!(WRONG[treaty.evidence.start..treaty.evidence.end].contains("7 July 2022"));
    // The summit itself is dated wrong too: the fourth Consultative Meeting was on 21 July.
    let summit = r.conflicts().find(|f| f.registry_id == "consultative-meeting#4").expect("the summit's date");
    assert!(summit.record.contains("21 Jul 2022"), "{}", summit.record);
}

#[test]
fn a_text_that_states_the_record_has_no_conflict() {
    let r = checked(RIGHT, "2022-07-22");
    assert_eq!(r.conflicts().count(), 0, "{:#?}", r.findings);
    let signed =
        r.corroborated().find(|f| f.registry_id == "ca-friendship-treaty-2022").expect("the signing corroborated");
    assert!(signed.record.contains("21 Jul 2022"));
    assert!(r.corroborated().any(|f| f.registry_id == "consultative-meeting#4"));
}

#[test]
fn claiming_that_all_five_signed_in_2022_is_a_conflict_of_parties() {
    let text = "On 21 July 2022 in Cholpon-Ata the presidents of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan signed the Treaty on Friendship, Good-Neighbourliness and Cooperation for the Development of Central Asia in the 21st Century.";
    let r = checked(text, "2022-07-22");
    let f = r.conflicts().find(|f| f.about == "parties").unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert!(f.record.contains("TJK signed on 28 Aug 2025"), "{}", f.record);
    assert!(f.record.contains("TKM has not signed"), "{}", f.record);
    assert!(f.sources.iter().any(|u| u.contains("todayheadline")), "{:?}", f.sources);
    assert_eq!(f.verdict, Verdict::Conflict);
}
