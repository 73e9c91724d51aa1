//! A meeting named as a topic, in the Turkic languages (texts written for this test, coded
//! without a language given): "the regulation on the Consultative Meetings", «консультативдик
//! жолугушуулар боюнча кеңеш» name the meetings as what a document or a body is about (a
//! postposition right after the meeting word: boʻyicha, бойынша, боюнча, boýunça, haqida,
//! туралы, жөнүндө, hakynda); no meeting took place. The meeting itself, held, is still one.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn meeting(got: &[(EventType, Vec<String>, Option<String>)]) -> bool {
    got.iter().any(|(t, _, _)| *t == EventType::Meeting)
}

#[test]
fn a_meeting_named_as_a_topic_is_no_meeting() {
    let coder = Coder::embedded();
    let cases = [
        "Vazirlar kengashi Markaziy Osiyo davlat rahbarlarining Konsultativ uchrashuvlari boʻyicha milliy koordinatorlar kengashi nizomini maʼqulladi.",
        "Министрлер Орталық Азия мемлекеттері басшыларының Консультативтік кездесулері бойынша ұлттық үйлестірушілер кеңесінің ережесін мақұлдады.",
        "Министрлер Борбор Азия мамлекет башчыларынын Консультативдик жолугушуулары боюнча улуттук координаторлор кеңешинин жобосун жактырышты.",
        "Ministrler Merkezi Aziýa döwletleriniň Baştutanlarynyň Konsultatiw duşuşyklary boýunça milli utgaşdyryjylar geňeşiniň düzgünnamasyny makulladylar.",
    ];
    support::check(&coder, &cases, |got| !meeting(got), "no meeting");
}

#[test]
fn the_meeting_itself_held_is_a_meeting() {
    let coder = Coder::embedded();
    let cases = [
        "Markaziy Osiyo davlat rahbarlarining Konsultativ uchrashuvi 9-avgust kuni Ostonada boʻlib oʻtdi.",
        "Орталық Азия мемлекеттері басшыларының Консультативтік кездесуі 9 тамызда Астанада өтті.",
    ];
    support::check(&coder, &cases, meeting, "a meeting");
}

/// "Under article 4 of the agreement a joint commission is established": what a document
/// provides for is its content, not an institution set up or a meeting held. (English "is
/// established" reads as a present report, so the provision words are what take it back; in the
/// other languages the present-future form of the verb already does, and the cases guard that.)
#[test]
fn what_an_agreement_provides_for_is_no_event() {
    let coder = Coder::embedded();
    let cases = [
        "Under article 4 of the agreement, a joint commission of Kazakhstan and Uzbekistan on water is established.",
        "Согласно статье 4 соглашения создается совместная комиссия Казахстана и Узбекистана по водным ресурсам.",
        "Bitimning 4-moddasiga koʻra Oʻzbekiston va Qozogʻistonning suv resurslari boʻyicha qoʻshma komissiyasi tuziladi.",
        "Келісімнің 4-бабына сәйкес Қазақстан мен Өзбекстанның су ресурстары жөніндегі бірлескен комиссиясы құрылады.",
        "Келишимдин 4-беренесине ылайык Кыргызстан менен Өзбекстандын суу ресурстары боюнча биргелешкен комиссиясы түзүлөт.",
        "Тибқи моддаи 4-уми созишнома комиссияи муштараки Тоҷикистон ва Ӯзбекистон оид ба захираҳои об таъсис дода мешавад.",
        "Ylalaşygyň 4-nji maddasyna laýyklykda Türkmenistanyň we Özbegistanyň suw serişdeleri boýunça bilelikdäki toparы döredilýär.",
    ];
    support::check(&coder, &cases, |got| got.iter().all(|(t, _, _)| *t != EventType::Institution), "no institution");
}
