//! The purpose of a journey, in each language (texts written for this test, coded without a
//! language given):
//! - a head of state who arrives or sets off "to take part in" a summit («для участия в»,
//!   "ishtirok etish uchun", «қатысу үшін», «катышуу үчүн», «барои иштирок дар», "gatnaşmak
//!   üçin") is on the way to it: the summit is not yet reported, and the host is not met;
//! - talks the text reports outside that purpose are a meeting, without the organisation whose
//!   summit was the purpose;
//! - taking part in a summit, told as done, is still a meeting.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn meetings(events: &[(EventType, Vec<String>, Option<String>)]) -> Vec<&Vec<String>> {
    events.iter().filter(|(t, _, _)| *t == EventType::Meeting).map(|(_, a, _)| a).collect()
}

#[test]
fn a_journey_to_a_summit_reports_no_meeting_yet() {
    let coder = Coder::embedded();
    let cases = [
        "The President of Tajikistan flew to Bishkek on Tuesday to attend the summit of the Collective Security Treaty Organization.",
        "Президент Туркменистана прибыл в Астану для участия в саммите глав государств Центральной Азии и Китая.",
        "Oʻzbekiston Prezidenti ShHT sammitida ishtirok etish uchun Ostona shahriga yoʻl oldi.",
        "Ўзбекистон Президенти МДҲ саммитида иштирок этиш учун Душанбега етиб келди.",
        "Тәжікстан Президенті ТМД саммитіне қатысу үшін Бішкекке келді.",
        "Казакстандын Президенти ШКУнун саммитине катышуу үчүн Ташкентке учуп барды.",
        "Президенти Ӯзбекистон барои иштирок дар нишасти сарони давлатҳои ИДМ ба Ашқобод омад.",
        "Gazagystanyň Prezidenti GDA-nyň sammitine gatnaşmak üçin Duşenbä geldi.",
    ];
    support::check(&coder, &cases, |got| meetings(got).is_empty(), "no meeting");
}

#[test]
fn talks_outside_the_purpose_are_a_meeting_without_the_organisation() {
    let coder = Coder::embedded();
    let cases = [
        "The President of Kyrgyzstan, who came to Astana to attend the SCO summit, held talks with the President of Kazakhstan on 3 July.",
        "Президент Кыргызстана, прибывший в Астану для участия в саммите ШОС, 3 июля провел переговоры с Президентом Казахстана.",
    ];
    support::check(
        &coder,
        &cases,
        |got| meetings(got).iter().any(|a| a.as_slice() == ["KAZ", "KGZ"]) && !meetings(got).iter().any(|a| a.iter().any(|x| x == "SCO")),
        "a meeting of KAZ and KGZ without SCO",
    );
}

#[test]
fn taking_part_in_a_summit_told_as_done_is_a_meeting() {
    let coder = Coder::embedded();
    let cases = [
        "On 4 July the President of Uzbekistan took part in the SCO summit in Astana.",
        "4 июля Президент Узбекистана принял участие в саммите ШОС в Астане.",
    ];
    support::check(&coder, &cases, |got| !meetings(got).is_empty(), "a meeting");
}

/// "…ended the visit to Kazakhstan and flew to Baku, where on 5 December he will attend the CIS
/// summit": the visit is done and is a meeting of its two states on the text's date; the
/// organisation and the date of the clause that tells the plan belong to the plan. In the
/// verb-final languages a clause closed by a finite past verb ("Bakuwa ugrady,") stands on its
/// own, so the planning verb that ends the sentence does not take the visit back.
#[test]
fn a_planned_clause_keeps_its_parties_and_date_to_itself() {
    let coder = Coder::embedded();
    let cases = [
        "The President of Kyrgyzstan ended his visit to Uzbekistan on 12 May and left for Baku, where he is expected to attend the CIS summit on 18 May.",
        "12 мая Президент Узбекистана завершил визит в Казахстан и вылетел в Баку, где 18 мая примет участие в саммите СНГ.",
        "12-may kuni Oʻzbekiston Prezidenti Qozogʻistonga tashrifini yakunlab, Bokuga yoʻl oldi, u yerda 18-may kuni MDH sammitida ishtirok etadi.",
        "12 мамырда Қазақстан Президенті Өзбекстанға сапарын аяқтап, Бакуға аттанды, онда 18 мамырда ТМД саммитіне қатысады.",
        "12-майда Кыргызстандын Президенти Тажикстанга сапарын аяктап, Бакуга жөнөдү, ал жерде 18-майда КМШнын саммитине катышат.",
        "12 май Президенти Тоҷикистон сафари худро ба Қазоқистон анҷом дод ва ба Боку рафт, ки он ҷо 18 май дар нишасти ИДМ ширкат хоҳад кард.",
        "12-nji maýda Türkmenistanyň Prezidenti Özbegistana saparyny tamamlap, Bakuwa ugrady, ol ýerde 18-nji maýda GDA-nyň sammitine gatnaşar.",
    ];
    support::check(
        &coder,
        &cases,
        |got| {
            let m = meetings(got);
            m.len() == 1
                && m[0].len() == 2
                && !m[0].iter().any(|a| a == "CIS" || a == "AZE")
                && got.iter().all(|(_, _, d)| d.as_deref() != Some("2025-05-18"))
        },
        "one meeting of the two states, not dated 18 May",
    );
}

/// A setting named at length ("within the framework of the meeting of the Health Scientific
/// Board of the Turkic Council") is still a setting, and the organisation the minister met
/// outside it is a party.
#[test]
fn an_organisation_met_within_a_long_setting_is_a_party_and_the_setting_is_not() {
    let coder = Coder::embedded();
    let cases = [
        "Within the framework of the meeting of the Health Scientific Board of the Turkic Council in Istanbul, the Minister of Health of Kyrgyzstan met with the Regional Director of the World Health Organization.",
        "В рамках заседания Научного совета по здравоохранению Организации тюркских государств в Стамбуле министр здравоохранения Кыргызстана встретился с региональным директором Всемирной организации здравоохранения.",
        "Turkiy davlatlar tashkiloti sogʻliqni saqlash ilmiy kengashining Istanbuldagi yigʻilishi doirasida Qirgʻiziston sogʻliqni saqlash vaziri Jahon sogʻliqni saqlash tashkiloti mintaqaviy direktori bilan uchrashdi.",
    ];
    support::check(&coder, &cases, |got| meetings(got).iter().any(|a| a.as_slice() == ["KGZ", "WHO"]) && meetings(got).len() == 1, "one meeting of KGZ and WHO");
}

/// "Ahead of the visit, a business forum took place": the visit is still to come, so it is no
/// meeting; the forum that took place is a joint activity («накануне визита», "tashrif
/// arafasida", «сапар қарсаңында», «дар арафаи сафар», "saparyň öňüsyrasynda").
#[test]
fn what_happens_ahead_of_a_visit_stands_and_the_visit_is_still_to_come() {
    let coder = Coder::embedded();
    let cases = [
        "On 17 April, ahead of the official visit of the President of Uzbekistan, an Uzbek-Tajik business forum took place in Dushanbe.",
        "17 апреля в Душанбе накануне официального визита президента Узбекистана прошел узбекско-таджикский бизнес-форум.",
        "17-aprel kuni Oʻzbekiston Prezidentining rasmiy tashrifi arafasida Dushanbeda oʻzbek-tojik biznes-forumi boʻlib oʻtdi.",
        "17 сәуірде Өзбекстан Президентінің ресми сапары қарсаңында Душанбеде өзбек-тәжік бизнес-форумы өтті.",
        "17-апрелде Тажикстандын Президентинин расмий сапары карсаңында Бишкекте кыргыз-тажик бизнес-форуму өттү.",
        "17 апрел дар арафаи сафари расмии Президенти Ӯзбекистон дар Душанбе форуми тиҷоратии ӯзбеку тоҷик баргузор гардид.",
        "17-nji aprelde Özbegistanyň Prezidentiniň resmi saparynyň öňüsyrasynda Aşgabatda türkmen-özbek işewür forumy geçirildi.",
    ];
    support::check(
        &coder,
        &cases,
        |got| meetings(got).is_empty() && got.iter().any(|(t, _, _)| *t == EventType::JointActivity),
        "a joint activity and no meeting",
    );
}
