//! Drills and orders, in each language (texts written for this test, coded without a language
//! given):
//! - the medical aid and evacuation that troops or rescuers rehearse during an exercise are a
//!   drill, not aid sent from one state to another;
//! - a head of state who instructs a minister to send aid has not yet sent it;
//! - aid that was sent stays aid.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn aid(got: &[(EventType, Vec<String>, Option<String>)]) -> bool {
    got.iter().any(|(t, _, _)| *t == EventType::Aid)
}

#[test]
fn aid_rehearsed_in_an_exercise_is_no_aid() {
    let coder = Coder::embedded();
    let cases = [
        "During the joint exercise of Kazakhstan and Kyrgyzstan the rescuers practised evacuating residents and giving first medical aid to the injured.",
        "В ходе совместных учений Узбекистана и Таджикистана военные медики отработали эвакуацию раненых и оказание медицинской помощи.",
        "Oʻzbekiston va Qozogʻiston qoʻshma mashqlari chogʻida harbiylar yaradorlarga tibbiy yordam koʻrsatishni mashq qildi.",
        "Қазақстан мен Өзбекстанның бірлескен оқу-жаттығуында құтқарушылар зардап шеккендерге медициналық көмек көрсетуді пысықтады.",
        "Кыргызстан менен Тажикстандын биргелешкен машыгуусунда куткаруучулар жабыркагандарга медициналык жардам көрсөтүүнү машыктырышты.",
        "Дар машқҳои муштараки Тоҷикистон ва Ӯзбекистон наҷотдиҳандагон расонидани кумаки тиббиро ба захмиён омӯхтанд.",
        "Türkmenistanyň we Özbegistanyň bilelikdäki türgenleşiginde halas edijiler ýaralananlara lukmançylyk kömegini bermegi öwrendiler.",
    ];
    support::check(&coder, &cases, |got| !aid(got), "no aid");
}

#[test]
fn an_order_to_send_aid_is_not_aid_sent() {
    let coder = Coder::embedded();
    let cases = [
        "Президент Казахстана распорядился направить гуманитарную помощь Турции.",
        "Türkmenistanyň Prezidenti Daşary işler ministrine Owganystana ynsanperwer kömegini ibermegi buýurdy.",
    ];
    support::check(&coder, &cases, |got| !aid(got), "no aid");
}

#[test]
fn aid_sent_stays_aid() {
    let coder = Coder::embedded();
    let cases = [
        "On 10 February Kazakhstan sent 40 tonnes of humanitarian aid to Türkiye after the earthquake.",
        "10 февраля Узбекистан направил в Турцию гуманитарную помощь пострадавшим от землетрясения.",
    ];
    support::check(&coder, &cases, aid, "an aid event");
}
