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
