//! Meetings that are not meetings between states, in each language (sentences written for this
//! test, coded without a language given):
//!
//! - a session of a state's own body (parliament, cabinet) is a domestic act, even when the
//!   sentence names a partner state, while the speakers of two parliaments meeting is a meeting;
//! - an arrival to attend a summit (or within one) is part of the summit, not a bilateral meeting
//!   with the host;
//! - the Tajik izofa -и of a meeting noun ("нишасти сарон", the summit of the heads) is no past
//!   verb, so a future verb after it still says the summit has not happened.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn events(coder: &Coder, text: &str) -> Vec<(EventType, Vec<String>)> {
    support::events(coder, text).into_iter().map(|(t, a, _)| (t, a)).collect()
}

fn no_meeting(cases: &[&str]) {
    let coder = Coder::embedded();
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|text| {
            let got = events(&coder, text);
            got.iter().any(|(t, _)| *t == EventType::Meeting).then(|| format!("{text}\n    expected no meeting, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn a_session_of_a_domestic_body_is_no_meeting() {
    no_meeting(&[
        "At its session on 12 March the parliament of Kyrgyzstan discussed the border treaty with Tajikistan.",
        "На заседании Жогорку Кенеша депутаты обсудили договор о границе между Кыргызстаном и Узбекистаном.",
        "Oliy Majlis Senatining yigʻilishida Oʻzbekiston va Qozogʻiston oʻrtasidagi shartnoma muhokama qilindi.",
        "Жогорку Кеңештин жыйынында Кыргызстан менен Тажикстандын ортосундагы келишим талкууланды.",
        "Дар ҷаласаи навбатии Маҷлиси намояндагон созишномаи байни Тоҷикистон ва Қирғизистон баррасӣ гардид.",
        "Türkmenistanyň Mejlisiniň nobatdaky mejlisinde Türkmenistan bilen Gazagystanyň arasyndaky şertnama ara alnyp maslahatlaşyldy.",
    ]);
    let coder = Coder::embedded();
    let text = "The speakers of the parliaments of Kazakhstan and Uzbekistan met in Astana.";
    let got = events(&coder, text);
    assert!(got.iter().any(|(t, a)| *t == EventType::Meeting && a == &["KAZ", "UZB"]), "{text}\n    expected a meeting, got {got:?}");
}

#[test]
fn an_arrival_to_attend_a_summit_is_no_meeting_with_the_host() {
    let coder = Coder::embedded();
    let cases: [(&str, [&str; 2]); 4] = [
        ("The President of Kyrgyzstan arrived in Astana to attend the summit of the Shanghai Cooperation Organisation.", ["KAZ", "KGZ"]),
        ("Президент Таджикистана прибыл в Бишкек для участия в саммите СНГ.", ["KGZ", "TJK"]),
        ("Қырғызстан президенті ШЫҰ саммитіне қатысу үшін Астанаға келді.", ["KAZ", "KGZ"]),
        ("Türkmenistanyň Prezidenti GDA-nyň sammitine gatnaşmak üçin Duşanbe şäherine geldi.", ["TJK", "TKM"]),
    ];
    let mut wrong = Vec::new();
    for (text, pair) in cases {
        let got = events(&coder, text);
        if got.iter().any(|(t, a)| *t == EventType::Meeting && a == &pair) {
            wrong.push(format!("{text}\n    expected no meeting of {pair:?} alone, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_tajik_izofa_of_a_meeting_noun_is_no_past_verb() {
    no_meeting(&[
        "Президенти Қирғизистон 12 июн дар нишасти сарони давлатҳои ИДМ дар Душанбе ширкат мекунад.",
        "Вазири корҳои хориҷии Ӯзбекистон дар нишасти вазирони СҲШ дар Остона иштирок мекунад.",
    ]);
}

/// A guest invited to an organisation's summit who meets a head of state there meets that state
/// only: the organisation is the setting. And a body's name in capitals (Turkmen "Mejlis", the
/// parliament) is not the common noun in lower case ("mejlis", a session).
#[test]
fn a_guest_of_a_summit_meets_the_host_not_the_organisation() {
    let coder = Coder::embedded();
    let pair = ["KGZ", "TKM"].map(String::from).to_vec();
    let cases = [
        "On 11 November 2022 the Turkmen leader, invited to the summit of the Organization of Turkic States as a guest of honour, met the President of Kyrgyzstan.",
        "11 ноября 2022 года лидер Туркменистана, приглашенный на саммит Организации тюркских государств в качестве почетного гостя, встретился с президентом Кыргызстана.",
        "2022-nji ýylyň 11-nji noýabrynda Türki Döwletleriň Guramasynyň sammitine hormatly myhman hökmünde çagyrylan Türkmenistanyň Lideri Gyrgyz Respublikasynyň Prezidenti bilen duşuşdy.",
        "2022-жылдын 11-ноябрында Түрк мамлекеттер уюмунун саммитине ардактуу конок катары чакырылган Түркмөнстандын лидери Кыргызстандын Президенти менен жолукту.",
        "2022 жылғы 11 қарашада Түркі мемлекеттері ұйымының саммитіне құрметті қонақ ретінде шақырылған Түрікменстан көшбасшысы Қырғызстан Президентімен кездесті.",
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|text| {
            let got = events(&coder, text);
            (!got.contains(&(EventType::Meeting, pair.clone()))).then(|| format!("{text}\n    expected a meeting of {pair:?}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// A committee of a parliament is that parliament: its session, with the committee's long name
/// between the body and the session word, is domestic.
#[test]
fn a_parliamentary_committee_session_is_no_meeting() {
    no_meeting(&[
        "Жогорку Кеңештин социалдык маселелер, билим берүү, илим жана саламаттык сактоо боюнча комитетинин отурумунда Казакстан менен Өзбекстандагы квоталар талкууланды.",
        "Қазақстан Парламенті Сенатының әлеуметтік-мәдени даму және ғылым мәселелері жөніндегі комитетінің отырысында Қырғызстан мен Өзбекстандағы квоталар талқыланды.",
        "Oliy Majlis Senatining fan, taʼlim va sogʻliqni saqlash masalalari qoʻmitasi yigʻilishida Qozogʻiston va Qirgʻizistondagi kvotalar muhokama qilindi.",
    ]);
}

/// Deputies at their session ("Депутаттар бүгүнкү жыйында …") are a state's own body: their
/// session supporting an agreement with a partner is a domestic act. Deputies who meet a foreign
/// delegation meet it.
#[test]
fn deputies_at_their_session_are_a_domestic_body() {
    no_meeting(&[
        "At today's session the deputies supported the agreement between Kyrgyzstan and Tajikistan on water management.",
        "Депутаты на сегодняшнем заседании поддержали соглашение между Кыргызстаном и Таджикистаном о водном хозяйстве.",
        "Deputatlar bugungi majlisda Oʻzbekiston va Tojikiston oʻrtasidagi suv xoʻjaligi boʻyicha kelishuvni qoʻllab-quvvatladi.",
        "Депутаттар бүгінгі отырыста Қазақстан мен Тәжікстан арасындағы су шаруашылығы туралы келісімді қолдады.",
        "Депутаттар бүгүнкү жыйында Кыргызстан менен Тажикстандын ортосундагы суу чарба боюнча макулдашууну колдошту.",
        "Вакилони мардумӣ дар ҷаласаи имрӯза созишномаи байни Тоҷикистон ва Қирғизистонро оид ба хоҷагии об дастгирӣ карданд.",
        "Deputatlar şu günki mejlisde Türkmenistan bilen Täjigistanyň arasyndaky suw hojalygy boýunça ylalaşygy goldadylar.",
    ]);
    let coder = Coder::embedded();
    for text in [
        "On 12 May deputies of the parliament of Kyrgyzstan met a delegation of the Oliy Majlis of Uzbekistan.",
        "12 мая депутаты Жогорку Кенеша Кыргызстана встретились с делегацией Олий Мажлиса Узбекистана.",
    ] {
        let got = events(&coder, text);
        assert!(got.iter().any(|(t, a)| *t == EventType::Meeting && a == &["KGZ", "UZB"]), "{text}\n    expected a meeting, got {got:?}");
    }
}

/// "His visit will conclude on 27 November": Kyrgyz «жыйынтыкталат», Kazakh «қорытындыланады»
/// are present-future forms of "conclude", not a report that the visit took place.
#[test]
fn a_visit_that_will_conclude_has_not_been_reported() {
    no_meeting(&[
        "Тажикстандын Президентинин Кыргызстанга болгон расмий сапары 27-ноябрда өтүүчү саммиттен кийин жыйынтыкталат.",
        "Тәжікстан Президентінің Қазақстанға сапары 27 қарашада саммиттен кейін қорытындыланады.",
    ]);
}
