//! Documents cited by their date, and items on an agenda, in each language (sentences written
//! for this test, coded without a language given):
//! - a document cited by its full date ("the Agreement … of 20 March 2006", «Соглашение … от 20
//!   марта 2006 года», "2006-yil 20-martdagi bitim") is an agreement signed on that date, whatever
//!   the sentence does with it now (amends it, ratifies it, calls it important);
//! - what stands on an agenda ("on the agenda", «на повестке», "kun tartibida") has not happened
//!   yet, but a signing the agenda item cites with its date has.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn has(coder: &Coder, text: &str, t: EventType, date: Option<&str>) -> bool {
    support::events(coder, text).iter().any(|(k, _, d)| *k == t && date.is_none_or(|want| d.as_deref() == Some(want)))
}

#[test]
fn a_document_cited_by_its_date_is_an_agreement_of_that_date() {
    let coder = Coder::embedded();
    let cases = [
        "The parties discussed amendments to the Agreement between Kazakhstan and Uzbekistan on road transport of 20 March 2006.",
        "Стороны обсудили поправки к Соглашению между Казахстаном и Узбекистаном о международном автомобильном сообщении от 20 марта 2006 года.",
        "Tomonlar Qozogʻiston va Oʻzbekiston oʻrtasidagi 2006-yil 20-martdagi xalqaro avtomobil qatnovi toʻgʻrisidagi bitimning muhimligini taʼkidladi.",
        "Тараптар Қазақстан мен Өзбекстан арасындағы 2006 жылғы 20 наурыздағы халықаралық автомобиль қатынасы туралы келісімге өзгерістерді талқылады.",
        "Тараптар Казакстан менен Өзбекстандын ортосундагы 2006-жылдын 20-мартындагы эл аралык автомобиль катнашы жөнүндө келишимге өзгөртүүлөрдү талкуулашты.",
        "Ҷонибҳо ба Созишномаи байни Қазоқистон ва Ӯзбекистон дар бораи қатнови байналмилалии автомобилӣ аз 20 марти соли 2006 тағйирот ворид карданро баррасӣ карданд.",
        "Taraplar Gazagystan bilen Özbegistanyň arasyndaky 2006-njy ýylyň 20-nji martyndaky halkara awtomobil gatnawy hakyndaky Ylalaşyga üýtgetmeleri ara alyp maslahatlaşdylar.",
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|t| !has(&coder, t, EventType::Agreement, Some("2006-03-20")))
        .map(|t| format!("{t}\n    expected an agreement dated 2006-03-20, got {:?}", support::events(&coder, t)))
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn an_agenda_item_has_not_happened_but_its_dated_signing_has() {
    let coder = Coder::embedded();
    let cases = [
        // (Not English yet: "the treaty … signed in Bishkek on 5 September 2017" reads as a past
        // tense inside the agenda's clause, and the English grammar has no participle there.)
        "На повестке заседания парламента стоял вопрос ратификации договора между Кыргызстаном и Узбекистаном, подписанного 5 сентября 2017 года в Бишкеке.",
        "Parlament yigʻilishi kun tartibida 2017-yil 5-sentabrda Bishkekda imzolangan Qirgʻiziston va Oʻzbekiston oʻrtasidagi shartnomani ratifikatsiya qilish masalasi turibdi.",
        "Парламент отырысының күн тәртібінде 2017 жылғы 5 қыркүйекте Бішкекте қол қойылған Қырғызстан мен Өзбекстан арасындағы шартты ратификациялау мәселесі тұр.",
        "Парламенттин жыйынынын күн тартибинде 2017-жылдын 5-сентябрында Бишкекте кол коюлган Кыргызстан менен Өзбекстандын ортосундагы келишимди ратификациялоо маселеси турат.",
        "Дар рӯзномаи ҷаласаи парлумон масъалаи тасвиби шартномаи байни Қирғизистон ва Ӯзбекистон, ки 5 сентябри соли 2017 дар Бишкек имзо шуда буд, қарор дошт.",
        "Parlamentiň mejlisiniň gün tertibinde 2017-nji ýylyň 5-nji sentýabrynda Bişkekde gol çekilen Gyrgyzystan bilen Özbegistanyň arasyndaky şertnamany tassyklamak meselesi dur.",
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|t| has(&coder, t, EventType::Ratification, None) || !has(&coder, t, EventType::Agreement, Some("2017-09-05")))
        .map(|t| format!("{t}\n    expected no ratification and an agreement dated 2017-09-05, got {:?}", support::events(&coder, t)))
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// A chamber that approves a ratification bill in its first reading has not ratified it yet
/// (NOTES: not a completed step).
#[test]
fn a_first_reading_is_no_ratification() {
    let coder = Coder::embedded();
    let cases = [
        "The border treaty between Kyrgyzstan and Uzbekistan was ratified by the deputies in the first reading.",
        "Договор о границе между Кыргызстаном и Узбекистаном ратифицирован депутатами в первом чтении.",
        "Qirgʻiziston va Oʻzbekiston oʻrtasidagi chegara shartnomasi deputatlar tomonidan birinchi oʻqishda ratifikatsiya qilindi.",
        "Қырғызстан мен Өзбекстан арасындағы шекара туралы шарт бірінші оқылымда ратификацияланды.",
        "Кыргызстан менен Өзбекстандын ортосундагы чек ара келишими депутаттар тарабынан биринчи окууда ратификацияланды.",
        "Шартномаи сарҳадии байни Қирғизистон ва Ӯзбекистон аз ҷониби вакилон дар хониши аввал тасвиб шуд.",
        "Gyrgyzystan bilen Özbegistanyň arasyndaky serhet şertnamasy deputatlar tarapyndan birinji okalyşda tassyklanyldy.",
    ];
    support::check(&coder, &cases, |got| got.iter().all(|(t, _, _)| *t != EventType::Ratification), "no ratification");
}
