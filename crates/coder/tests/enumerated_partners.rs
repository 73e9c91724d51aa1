//! One Central Asian state with several partner states named in a list is one bilateral event
//! with each partner (eval/NOTES.md, "Enumerated partners"), dated by the date written after the
//! partner when the sentence gives several; a trilateral meeting stays one event. Sentences
//! written for this test, coded without a language given.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;
use support::events;

fn pairs_of(got: &[(EventType, Vec<String>, Option<String>)], t: EventType) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = got.iter().filter(|(et, _, _)| *et == t).map(|(_, a, _)| a.clone()).collect();
    v.sort();
    v
}

#[test]
fn visits_to_a_list_of_states_are_one_meeting_with_each() {
    let coder = Coder::embedded();
    let cases: [(&str, [[&str; 2]; 2]); 7] = [
        ("In March the President of Uzbekistan paid state visits to Malaysia and Indonesia.", [["IDN", "UZB"], ["MYS", "UZB"]]),
        ("В марте президент Казахстана совершил государственные визиты в Египет и Иорданию.", [["EGY", "KAZ"], ["JOR", "KAZ"]]),
        ("Mart oyida Oʻzbekiston Prezidenti Malayziya va Indoneziyaga davlat tashrifi bilan bordi.", [["IDN", "UZB"], ["MYS", "UZB"]]),
        ("Наурызда Қазақстан Президенті Мысыр мен Иорданияға мемлекеттік сапармен барды.", [["EGY", "KAZ"], ["JOR", "KAZ"]]),
        ("Мартта Кыргызстандын Президенти Малайзия менен Индонезияга мамлекеттик сапар менен барды.", [["IDN", "KGZ"], ["KGZ", "MYS"]]),
        ("Моҳи март Президенти Тоҷикистон ба Малайзия ва Индонезия бо сафари давлатӣ рафт.", [["IDN", "TJK"], ["MYS", "TJK"]]),
        ("Mart aýynda Türkmenistanyň Prezidenti Malaýziýa we Indoneziýa döwlet sapary bilen bardy.", [["IDN", "TKM"], ["MYS", "TKM"]]),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let got = events(&coder, text);
        let want: Vec<Vec<String>> = want.iter().map(|p| p.iter().map(|s| s.to_string()).collect()).collect();
        if pairs_of(&got, EventType::Meeting) != want {
            wrong.push(format!("{text}\n    expected meetings {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn each_partner_takes_the_date_written_after_it() {
    let coder = Coder::embedded();
    let text = "Kazakhstan signed strategic partnership treaties with Azerbaijan in 2017 and with Hungary in 2019.";
    let got = events(&coder, text);
    let dated: Vec<(Vec<String>, Option<String>)> =
        got.iter().filter(|(t, _, _)| *t == EventType::Agreement).map(|(_, a, d)| (a.clone(), d.clone())).collect();
    let want = vec![(vec!["AZE".to_string(), "KAZ".to_string()], Some("2017".to_string())), (vec!["HUN".to_string(), "KAZ".to_string()], Some("2019".to_string()))];
    let mut dated_sorted = dated.clone();
    dated_sorted.sort();
    assert_eq!(dated_sorted, want, "{text}\n    got {got:?}");
}

#[test]
fn a_trilateral_meeting_stays_one_event() {
    let coder = Coder::embedded();
    for text in [
        "The foreign ministers of Uzbekistan, Afghanistan and Pakistan held a trilateral meeting in Tashkent.",
        "Министры иностранных дел Туркменистана, Азербайджана и Турции провели трехстороннюю встречу в Ашхабаде.",
    ] {
        let got = events(&coder, text);
        let meetings = pairs_of(&got, EventType::Meeting);
        assert_eq!(meetings.len(), 1, "{text}\n    expected one meeting of the three, got {got:?}");
        assert_eq!(meetings[0].len(), 3, "{text}\n    got {got:?}");
    }
}

#[test]
fn the_places_of_a_dialogues_meetings_are_not_its_parties() {
    let coder = Coder::embedded();
    let cases = [
        "The Central Asia plus Korea dialogue brings together the foreign ministers of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan and South Korea. Its first meeting was held in Seoul in November 2007, the tenth took place in Ashgabat in May 2016 and the fifteenth in Almaty in October 2021.",
        "Диалог «Центральная Азия + Корея» объединяет министров иностранных дел Казахстана, Кыргызстана, Таджикистана, Туркменистана, Узбекистана и Республики Корея. Его первая встреча прошла в Сеуле в ноябре 2007 года, десятая состоялась в Ашхабаде в мае 2016 года, пятнадцатая в Алматы в октябре 2021 года.",
        "“Markaziy Osiyo + Koreya” muloqoti Qozogʻiston, Qirgʻiziston, Tojikiston, Turkmaniston, Oʻzbekiston va Koreya Respublikasi tashqi ishlar vazirlarini birlashtiradi. Uning birinchi uchrashuvi 2007-yil noyabr oyida Seulda, oʻninchisi 2016-yil may oyida Ashxobodda, oʻn beshinchisi 2021-yil oktabr oyida Olmaotada boʻlib oʻtdi.",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let got = events(&coder, text);
        let bad = got.iter().filter(|(t, a, _)| *t == EventType::Meeting && a.len() < 6).count();
        let dated_2016 = got.iter().any(|(t, a, d)| *t == EventType::Meeting && a.len() == 6 && d.as_deref() == Some("2016-05"));
        if bad > 0 || !dated_2016 {
            wrong.push(format!("{text}\n    expected the six in each meeting, one in 2016-05, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn clauses_joined_by_a_semicolon_keep_their_own_parties_and_dates() {
    let coder = Coder::embedded();
    let cases = [
        "First Kazakhstan and Kyrgyzstan signed a treaty on allied relations in May 2019; then Kazakhstan and Tajikistan signed a similar treaty in August 2024.",
        "Сначала Казахстан и Кыргызстан подписали договор о союзнических отношениях в мае 2019 года; затем Казахстан и Таджикистан подписали такой же договор в августе 2024 года.",
        "Avval Qozogʻiston va Qirgʻiziston 2019-yil may oyida ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladi; keyin Qozogʻiston va Tojikiston 2024-yil avgust oyida shunday shartnomani imzoladi.",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let got = events(&coder, text);
        let mut agreements: Vec<(Vec<String>, Option<String>)> =
            got.iter().filter(|(t, _, _)| *t == EventType::Agreement).map(|(_, a, d)| (a.clone(), d.clone())).collect();
        agreements.sort();
        let want = vec![
            (vec!["KAZ".to_string(), "KGZ".to_string()], Some("2019-05".to_string())),
            (vec!["KAZ".to_string(), "TJK".to_string()], Some("2024-08".to_string())),
        ];
        if agreements != want {
            wrong.push(format!("{text}\n    expected {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
