//! Money, trade figures and groups, in each language (sentences written for this test, coded
//! without a language given):
//! - a state named with a currency ("US dollars", "долларов США", "АҚШ доллары", "доллари ИМА")
//!   is no party to the event;
//! - a sentence of trade figures ("trade turnover exceeded 4 billion dollars") reports no joint
//!   activity and no new institution, whatever exchange or opening words it has;
//! - "the Central Asian states" as a group are the five states by name;
//! - a session of a government commission is a domestic act; a word that only starts like a
//!   meeting word (Kyrgyz "жыйынтык", result, after "жыйын", meeting) is none;
//! - an optative or subjunctive verb ("let the government consider", "…мувофиқа намояд") takes
//!   back the events of its sentence.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

#[test]
fn a_state_named_with_its_currency_is_no_party() {
    let coder = Coder::embedded();
    let cases = [
        "Kazakhstan and Kyrgyzstan signed an agreement on a joint fund of 50 million US dollars on 3 March 2025.",
        "Kazakhstan and Kyrgyzstan signed contracts worth US$300 million on 3 March 2025.",
        "3 марта 2025 года Казахстан и Кыргызстан подписали соглашение о совместном фонде на 50 млн долларов США.",
        "Oʻzbekiston va Tojikiston 2025-yil 3-martda 50 million AQSH dollari miqdoridagi qoʻshma jamgʻarma toʻgʻrisida bitim imzoladi.",
        "Қазақстан мен Қырғызстан 2025 жылғы 3 наурызда 50 миллион АҚШ долларына бірлескен қор туралы келісімге қол қойды.",
        "Кыргызстан менен Өзбекстан 2025-жылдын 3-мартында 50 миллион АКШ доллары өлчөмүндөгү биргелешкен фонд боюнча келишимге кол коюшту.",
        "Тоҷикистон ва Ӯзбекистон 3 марти соли 2025 дар бораи фонди муштарак ба маблағи 50 миллион доллари ИМА созишнома имзо карданд.",
        "Türkmenistan bilen Özbegistan 2025-nji ýylyň 3-nji martynda 50 million ABŞ dollary möçberindäki bilelikdäki gaznany döretmek barada ylalaşyga gol çekdiler.",
    ];
    support::check(
        &coder,
        &cases,
        |got| got.iter().any(|(t, _, _)| *t == EventType::Agreement) && got.iter().all(|(_, a, _)| !a.contains(&"USA".to_string())),
        "an agreement without USA",
    );
}

#[test]
fn a_sentence_of_trade_figures_reports_no_joint_activity() {
    let coder = Coder::embedded();
    let cases = [
        "Trade turnover between Kazakhstan and Uzbekistan, including mutual exchange of goods, exceeded 4 billion dollars last year.",
        "Товарооборот Казахстана и Узбекистана, включая взаимный обмен услугами, превысил 4 млрд долларов.",
        "Oʻzbekiston va Qozogʻiston oʻrtasidagi savdo hajmi oʻzaro almashinuv hisobiga 4 mlrd dollardan oshdi.",
        "Қазақстан мен Өзбекстан арасындағы тауар айналымы, оның ішінде өзара алмасу, 4 млрд доллардан асты.",
        "Кыргызстан менен Казакстандын ортосундагы өз ара алмашуу 2 миллиард доллардан ашты.",
        "Гардиши мол байни Тоҷикистон ва Ӯзбекистон бо мубодилаи мутақобила аз 1 миллиард доллар гузашт.",
        "Türkmenistan bilen Özbegistanyň arasyndaky haryt dolanyşygy özara alyş-çalyş hasabyna 1 milliard dollardan geçdi.",
    ];
    support::check(
        &coder,
        &cases,
        |got| !got.iter().any(|(t, _, _)| matches!(t, EventType::JointActivity | EventType::Institution)),
        "no joint activity or institution",
    );
}

#[test]
fn the_central_asian_states_as_a_group_are_the_five() {
    let coder = Coder::embedded();
    let five = ["KAZ", "KGZ", "TJK", "TKM", "UZB"].map(String::from).to_vec();
    let cases = [
        "The previous summit of the leaders of the Central Asian states took place in Kyrgyzstan on 21 July 2022.",
        "Предыдущая встреча глав государств Центральной Азии прошла в Кыргызстане 21 июля 2022 года.",
        "Markaziy Osiyo davlatlari rahbarlarining oldingi sammiti 2022-yil 21-iyulda Qirgʻizistonda boʻlib oʻtgan edi.",
        "Орталық Азия мемлекеттері басшыларының алдыңғы саммиті 2022 жылғы 21 шілдеде Қырғызстанда өтті.",
        "Борбордук Азия мамлекеттеринин башчыларынын мурунку саммити 2022-жылдын 21-июлунда Кыргызстанда өткөн.",
        "Merkezi Aziýa döwletleriniň Baştutanlarynyň öňki sammiti 2022-nji ýylyň 21-nji iýulynda Gyrgyzystanda geçirildi.",
    ];
    support::check(&coder, &cases, |got| got.iter().any(|(t, a, _)| *t == EventType::Meeting && *a == five), "a meeting of the five");
}

#[test]
fn a_government_commission_session_is_domestic() {
    let coder = Coder::embedded();
    let cases = [
        "Kazakhstan and Afghanistan: the issue of the railway was discussed at a session of the government commission.",
        "Вопрос поставок в Афганистан из Казахстана обсудили на заседании правительственной комиссии.",
        "Qozogʻistondan Afgʻonistonga yuk tashish masalasi hukumat komissiyasi yigʻilishida muhokama qilindi.",
        "Қазақстаннан Ауғанстанға жүк тасымалдау мәселесі үкіметтік комиссияның отырысында талқыланды.",
        "Кыргызстандан Ооганстанга жүк ташуу маселеси өкмөттүк комиссиянын жыйынында талкууланды.",
        "Масъалаи интиқоли бор аз Тоҷикистон ба Афғонистон дар ҷаласаи комиссияи ҳукуматӣ баррасӣ шуд.",
        // The Halk Maslahaty (People's Council) is a Turkmen body: its name holds no meeting.
        "Türkmenistanyň Halk Maslahatynyň Başlygy Gazagystanyň ilçisine hat iberdi.",
    ];
    support::check(&coder, &cases, |got| got.is_empty(), "no event");
}

#[test]
fn words_that_only_start_like_a_meeting_word_are_none() {
    let coder = Coder::embedded();
    let cases = [
        "Кыргызстан менен Казакстандын кызматташтыгынын жыйынтыгы жакшы болду.",
        "Қазақстан мен Өзбекстан ынтымақтастығының жиынтық көрсеткіштері жақсарды.",
    ];
    support::check(&coder, &cases, |got| got.is_empty(), "no event");
}

#[test]
fn an_optative_or_subjunctive_verb_takes_its_events_back() {
    let coder = Coder::embedded();
    let cases = [
        // Kyrgyz -сын (let them …), Kazakh -сын/-сін, Uzbek -sin, Turkmen -syn/-sin, Tajik subjunctive.
        "Кыргызстан менен Өзбекстандын өкмөттөрү бул маселени биргелешип караштырсын.",
        "Қазақстан мен Қырғызстан үкіметтері бұл мәселені бірлесіп талқыласын.",
        "Oʻzbekiston va Tojikiston hukumatlari bu masalani birgalikda muhokama qilsin.",
        "Türkmenistanyň we Özbegistanyň hökümetleri bu meseläni bilelikde maslahatlaşsyn.",
        "Вазорати корҳои хориҷии Тоҷикистон санаи имзои Созишномаро бо Ӯзбекистон мувофиқа намояд.",
    ];
    support::check(&coder, &cases, |got| got.is_empty(), "no event");
}

/// "1,000 tonnes of flour, 200 thermometers and 2000 test kits": a four-digit number among counted
/// things is a quantity, not the year of the event.
#[test]
fn a_number_among_quantities_is_no_year() {
    let coder = Coder::embedded();
    let cases = [
        "Uzbekistan delivered humanitarian aid to Kyrgyzstan: 500 tonnes of flour, 300 ventilators and 2000 test kits.",
        "Узбекистан доставил Кыргызстану гуманитарную помощь: 500 тонн муки, 300 аппаратов ИВЛ и 2000 тест-систем.",
        "Oʻzbekiston Qirgʻizistonga insonparvarlik yordami yetkazdi: 500 tonna un, 300 ta apparat va 2000 ta test-tizim.",
        "Өзбекстан Қырғызстанға гуманитарлық көмек жеткізді: 500 тонна ұн, 300 аппарат және 2000 тест-жүйе.",
        "Өзбекстан Кыргызстанга гуманитардык жардам жеткирди: 500 тонна ун, 300 аппарат жана 2000 тест-системасы.",
        "Ӯзбекистон ба Қирғизистон кумаки башардӯстона расонд: 500 тонна орд, 300 дастгоҳ ва 2000 тест-система.",
        "Özbegistan Gyrgyzystana ynsanperwer kömegini ýetirdi: 500 tonna un, 300 enjam we 2000 test-ulgam.",
    ];
    support::check(&coder, &cases, |got| got.iter().any(|(t, _, d)| *t == EventType::Aid && d.as_deref() != Some("2000")), "an aid event not dated 2000");
}
