//! Sources that report their own meeting, and annulled agreements (texts written for this test,
//! coded without a language given):
//! - the ministry that reports a meeting of its own minister is the source and also a party:
//!   leaving it out would leave the meeting with one party;
//! - a source named apart from the event it reports is still no party;
//! - an agreement a state annuls («күшін жойғанын», «күчүн жойду») is no event, nor is the aid it
//!   would have given.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn meetings(got: &[(EventType, Vec<String>, Option<String>)]) -> Vec<&Vec<String>> {
    got.iter().filter(|(t, _, _)| *t == EventType::Meeting).map(|(_, a, _)| a).collect()
}

#[test]
fn a_source_reporting_its_own_meeting_is_a_party() {
    let coder = Coder::embedded();
    let cases = [
        "Об этом сообщили в Министерстве иностранных дел Казахстана по итогам встречи министра с министром иностранных дел Туркменистана.",
        "Bu haqda Qozogʻiston Tashqi ishlar vazirligi vazirning Turkmaniston tashqi ishlar vaziri bilan uchrashuvi yakunlari boʻyicha xabar qildi.",
        "Бұл туралы Қазақстан Сыртқы істер министрлігі министрдің Түрікменстан сыртқы істер министрімен кездесуінің қорытындысы бойынша хабарлады.",
        "Дар ин бора Вазорати корҳои хориҷии Қазоқистон пас аз мулоқоти вазир бо вазири корҳои хориҷии Туркманистон хабар дод.",
        "Bu barada Gazagystanyň Daşary işler ministrligi ministriň Türkmenistanyň daşary işler ministri bilen duşuşygynyň netijeleri boýunça habar berdi.",
    ];
    support::check(&coder, &cases, |got| meetings(got).iter().any(|a| a.as_slice() == ["KAZ", "TKM"]), "a meeting of KAZ and TKM");
}

#[test]
fn a_source_apart_from_the_event_is_no_party() {
    let coder = Coder::embedded();
    let cases = [
        "Как сообщает МИД Казахстана, министры иностранных дел Узбекистана и Таджикистана провели переговоры в Ташкенте.",
        "According to the Foreign Ministry of Kazakhstan, the foreign ministers of Uzbekistan and Tajikistan held talks in Tashkent.",
    ];
    support::check(&coder, &cases, |got| meetings(got).iter().any(|a| a.as_slice() == ["TJK", "UZB"]), "a meeting of TJK and UZB only");
}

#[test]
fn an_annulled_agreement_is_no_event() {
    let coder = Coder::embedded();
    let cases = [
        "Қырғызстан Қазақстанмен жасалған техникалық көмек туралы келісімнің күшін жойғанын хабарлады.",
        "Кыргызстан Казакстан менен түзүлгөн техникалык жардам жөнүндөгү келишимдин күчүн жойду.",
    ];
    support::check(&coder, &cases, |got| got.is_empty(), "no event");
}

/// "As the press service reported on 17 February, Kyrgyzstan and Uzbekistan signed a protocol":
/// the date in the clause of the source is when it reported, not when the signing took place.
#[test]
fn the_date_of_a_report_is_not_the_date_of_the_event() {
    let coder = Coder::embedded();
    let cases = [
        "Как сообщила 17 февраля пресс-служба Президента Кыргызстана, Кыргызстан и Узбекистан подписали протокол о границе.",
        "Qirgʻiziston Prezidenti matbuot xizmatining 17-fevraldagi xabariga koʻra, Qirgʻiziston va Oʻzbekiston chegara boʻyicha protokol imzoladi.",
        "Қырғызстан Президентінің баспасөз қызметі 17 ақпанда хабарлағандай, Қырғызстан мен Өзбекстан шекара туралы хаттамаға қол қойды.",
        "Кыргызстандын Президентинин басма сөз кызматы 17-февралда билдиргендей, Кыргызстан менен Өзбекстан чек ара боюнча протоколго кол коюшту.",
        "Тибқи маълумоти 17 феврали хадамоти матбуоти Президенти Қирғизистон, Қирғизистон ва Ӯзбекистон протоколи сарҳадиро имзо карданд.",
        "Gyrgyzystanyň Prezidentiniň metbugat gullugynyň 17-nji fewralda habar bermegine görä, Gyrgyzystan bilen Özbegistan serhet boýunça teswirnama gol çekdiler.",
    ];
    support::check(
        &coder,
        &cases,
        |got| got.iter().any(|(t, a, d)| *t == EventType::Agreement && a.as_slice() == ["KGZ", "UZB"] && d.as_deref() != Some("2025-02-17")),
        "an agreement of KGZ and UZB not dated 17 February",
    );
}
