//! Calls and ceremonies, in each language (texts written for this test, coded without a language
//! given):
//! - what a text tells after a telephone call, between the same parties and with no place, arrival
//!   or date of its own ("The sides discussed trade"), is told of the call: no meeting; a later
//!   meeting in a named city is one;
//! - condolences at an embassy or to an ambassador are a ceremony, not a meeting;
//! - a plan clause that ends in a colon governs what follows the colon;
//! - a welcome at the airport in the plural ("kutib olishdi", «тосуп алышты») is an arrival.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn meetings(coder: &Coder, text: &str) -> Vec<Vec<String>> {
    support::events(coder, text).into_iter().filter(|(t, _, _)| *t == EventType::Meeting).map(|(_, a, _)| a).collect()
}

fn expect(coder: &Coder, cases: &[&str], want_meeting: bool) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|t| {
            let got = meetings(coder, t);
            (got.is_empty() == want_meeting).then(|| format!("{t}\n    expected {}, got {got:?}", if want_meeting { "a meeting" } else { "no meeting" }))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn what_follows_a_telephone_call_is_told_of_the_call() {
    let coder = Coder::embedded();
    let cases = [
        "On 12 May the President of Kazakhstan had a telephone conversation with the President of Kyrgyzstan. The sides discussed trade between Kazakhstan and Kyrgyzstan and the supply of water.",
        "12 мая Президент Узбекистана провел телефонный разговор с Президентом Таджикистана. Стороны обсудили торговлю между Узбекистаном и Таджикистаном.",
        "12-may kuni Oʻzbekiston Prezidenti Turkmaniston Prezidenti bilan telefon orqali muloqot qildi. Oʻzbekiston va Turkmaniston oʻrtasidagi savdo masalalari muhokama qilindi.",
        "12 мамырда Қазақстан Президенті Өзбекстан Президентімен телефон арқылы сөйлесті. Тараптар Қазақстан мен Өзбекстан арасындағы сауданы талқылады.",
        "12-майда Кыргызстандын Президенти Тажикстандын Президенти менен телефон аркылуу сүйлөштү. Тараптар соода маселелерин талкуулашты.",
        "12 май Президенти Тоҷикистон бо Президенти Туркманистон тавассути телефон суҳбат кард. Ҷонибҳо масъалаҳои савдоро муҳокима карданд.",
        "12-nji maýda Türkmenistanyň Prezidenti Gazagystanyň Prezidenti bilen telefon arkaly söhbetdeşlik geçirdi. Söhbetdeşligiň dowamynda taraplar söwda meselelerini maslahatlaşdylar.",
    ];
    expect(&coder, &cases, false);
}

#[test]
fn a_meeting_in_a_named_city_after_a_call_is_a_meeting() {
    let coder = Coder::embedded();
    let cases = [
        "On 2 May the presidents of Kazakhstan and Kyrgyzstan spoke by telephone. On 12 May they met in Astana and discussed trade.",
        "2 мая президенты Узбекистана и Таджикистана поговорили по телефону. 12 мая они провели переговоры в Душанбе.",
    ];
    expect(&coder, &cases, true);
}

#[test]
fn condolences_are_a_ceremony_not_a_meeting() {
    let coder = Coder::embedded();
    let cases = [
        "The Foreign Minister of Kazakhstan received the Ambassador of Türkiye and expressed condolences over the earthquake.",
        "Министр иностранных дел Узбекистана принял посла Турции и выразил соболезнования в связи с землетрясением.",
        "Qirgʻiziston tashqi ishlar vaziri Turkiya elchisini qabul qilib, zilziladan hamdardlik bildirdi.",
        "Қазақстан Сыртқы істер министрі Түркия елшісін қабылдап, жер сілкінісіне байланысты көңіл айтты.",
        "Кыргызстандын тышкы иштер министри Түркиянын элчисин кабыл алып, жер титирөөгө байланыштуу көңүл айтты.",
        "Вазири корҳои хориҷии Тоҷикистон сафири Туркияро ба ҳузур пазируфта, ҳамдардӣ баён кард.",
        "Türkmenistanyň daşary işler ministri Türkiýäniň ilçisini kabul edip, ýer titremesi sebäpli duýgudaşlyk bildirdi.",
    ];
    expect(&coder, &cases, false);
}

#[test]
fn a_plan_clause_ending_in_a_colon_governs_what_follows() {
    let coder = Coder::embedded();
    let cases = [
        "Tomonlar bu masalada hamkorlik qilish niyatida: Oʻzbekiston va Qirgʻiziston hokimlarining uchrashuvi oʻtkaziladigan joy aniqlanmoqda.",
        "Kazakhstan and Kyrgyzstan intend to cooperate on this: a meeting of their border governors is being organised.",
    ];
    expect(&coder, &cases, false);
}

#[test]
fn a_welcome_in_the_plural_is_an_arrival() {
    let coder = Coder::embedded();
    let cases = [
        "Қозоғистон президентини Тошкент аэропортида Ўзбекистон Бош вазири кутиб олишди.",
        "Кыргызстандын президентин Астана аэропортунда Казакстандын премьер-министри тосуп алышты.",
    ];
    expect(&coder, &cases, true);
}

/// "The Year of Kazakhstan in Uzbekistan opened": a state's year in a partner state is a joint
/// cultural programme, in every word order; a year that is a date ("2019 жылы") is not.
#[test]
fn a_states_year_in_a_partner_state_is_a_joint_activity() {
    let coder = Coder::embedded();
    let joint = |t: &str| support::events(&coder, t).iter().any(|(k, a, _)| *k == EventType::JointActivity && a.len() == 2);
    let cases = [
        "The Year of Kazakhstan in Uzbekistan opened in Tashkent on 15 April 2019.",
        "15 апреля 2019 года в Ташкенте открылся Год Казахстана в Узбекистане.",
        "2019-yil 15-aprelda Toshkentda Oʻzbekistondagi Qozogʻiston yilining ochilishi boʻldi.",
        "2019 жылдың 15 сәуірінде Өзбекстандағы Қазақстан жылының ашылуы болды.",
        "2019-жылдын 15-апрелинде Өзбекстандагы Казакстан жылынын ачылышы болду.",
        "15 апрели соли 2019 дар Тошканд Соли Қазоқистон дар Ӯзбекистон кушода шуд.",
        "2019-njy ýylyň 15-nji aprelinde Özbegistanda Gazagystanyň ýylynyň açylyşy boldy.",
    ];
    let wrong: Vec<&str> = cases.iter().copied().filter(|t| !joint(t)).collect();
    assert!(wrong.is_empty(), "expected a joint activity of the pair in:\n{}", wrong.join("\n"));
    for t in ["2019 жылы Қазақстан мен Өзбекстан арасындағы сауда өсті.", "In the year of 2019 Kazakhstan and Uzbekistan traded more."] {
        assert!(!joint(t), "expected no joint activity in: {t}");
    }
}

/// A wreath laid at a monument honours it: the monument is no joint cultural activity, and the
/// ceremony no meeting.
#[test]
fn a_wreath_at_a_monument_is_no_joint_activity() {
    let coder = Coder::embedded();
    let cases = [
        "The President of Kazakhstan laid a wreath at the monument to Alisher Navoi in Tashkent, Uzbekistan.",
        "Президент Казахстана возложил венок к памятнику Алишеру Навои в Ташкенте, Узбекистан.",
        "Qozogʻiston Prezidenti Toshkentda Alisher Navoiy yodgorligiga gulchambar qoʻydi, Oʻzbekiston.",
        "Қазақстан Президенті Өзбекстанда Әлішер Науаи ескерткішіне гүл шоқтарын қойды.",
        "Кыргызстандын Президенти Өзбекстанда Алишер Навоийдин эстелигине гүл коюп, таазим кылды.",
        "Президенти Тоҷикистон дар Ӯзбекистон ба муҷассамаи Алишер Навоӣ гулчанбар гузошт.",
        "Türkmenistanyň Prezidenti Özbegistanda Alyşir Nowaýynyň ýadygärligine gül desse goýdy.",
    ];
    let joint = |text: &str| support::events(&coder, text).iter().any(|(t, _, _)| *t == EventType::JointActivity);
    let wrong: Vec<&str> = cases.iter().copied().filter(|t| joint(t)).collect();
    assert!(wrong.is_empty(), "{} of {} wrong (a joint activity):\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
