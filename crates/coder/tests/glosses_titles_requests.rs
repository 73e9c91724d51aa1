//! Words around a report that are no part of it, in each language (sentences written for this
//! test, coded without a language given):
//! - a gloss in brackets ("the Taliban (an organisation banned by a UN decision)") names no party;
//!   a list of states in brackets still does;
//! - "Ambassador Extraordinary and Plenipotentiary" names no emergency, so an ambassador who "gave"
//!   a statement gave no aid;
//! - asking for aid is not receiving it.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

#[test]
fn a_bracketed_gloss_names_no_party() {
    let coder = Coder::embedded();
    let cases = [
        "Turkmenistan sent humanitarian aid to Afghanistan after the Taliban (a movement banned by a decision of the UN) came to power in August 2021.",
        "Туркменистан отправил Афганистану гуманитарную помощь после прихода к власти движения «Талибан» (организация, запрещенная решением ООН) в августе 2021 года.",
        "Turkmaniston Afgʻonistonga insonparvarlik yordami yubordi, «Tolibon» (BMT qarori bilan taqiqlangan harakat) 2021-yil avgustda hokimiyatga kelgach.",
        "Түрікменстан 2021 жылғы тамызда «Талибан» (БҰҰ шешімімен тыйым салынған ұйым) билікке келгеннен кейін Ауғанстанға гуманитарлық көмек жіберді.",
    ];
    support::check(&coder, &cases, |got| got.iter().any(|(t, _, _)| *t == EventType::Aid) && got.iter().all(|(_, a, _)| !a.contains(&"UN".to_string())), "aid without the UN");
    let listed = [
        "Three states (Kazakhstan, Kyrgyzstan and Uzbekistan) signed the treaty on 21 July 2022.",
        "Три государства (Казахстан, Кыргызстан и Узбекистан) подписали договор 21 июля 2022 года.",
    ];
    let three = ["KAZ", "KGZ", "UZB"].map(String::from).to_vec();
    support::check(&coder, &listed, |got| got.iter().any(|(t, a, _)| *t == EventType::Agreement && *a == three), "an agreement of the three");
}

#[test]
fn an_ambassador_extraordinary_names_no_emergency() {
    let coder = Coder::embedded();
    let cases = [
        "The Ambassador Extraordinary and Plenipotentiary of Uzbekistan to Kyrgyzstan gave a statement at a press conference.",
        "Чрезвычайный и полномочный посол Узбекистана в Кыргызстане дал заявление на пресс-конференции.",
        "Oʻzbekistonning Qirgʻizistondagi favqulodda va muxtor elchisi matbuot anjumanida bayonot berdi.",
        "Фавқулодда ва мухтор сафири Ӯзбекистон дар Қирғизистон дар нишасти матбуотӣ изҳорот дод.",
    ];
    support::check(&coder, &cases, |got| !got.iter().any(|(t, _, _)| *t == EventType::Aid), "no aid");
}

#[test]
fn asking_for_aid_is_not_receiving_it() {
    let coder = Coder::embedded();
    let cases = [
        "Residents left homeless by the earthquake in Afghanistan asked Turkmenistan for humanitarian aid.",
        "Жители Афганистана, оставшиеся без крова после землетрясения, попросили Туркменистан о гуманитарной помощи.",
        "Afgʻonistondagi zilziladan uysiz qolgan aholi Oʻzbekistondan insonparvarlik yordami soʻradi.",
        "Ауғанстандағы жер сілкінісінен баспанасыз қалған тұрғындар Қазақстаннан гуманитарлық көмек сұрады.",
        "Ооганстандагы жер титирөөдөн баспанасыз калган тургундар Кыргызстандан гуманитардык жардам сурады.",
        "Сокинони Афғонистон, ки аз заминҷунбӣ бехона монданд, аз Тоҷикистон кумаки башардӯстона дархост карданд.",
        "Owganystanda ýer titremesinden jaýsyz galan raýatlar Türkmenistandan ynsanperwer kömek sorady.",
    ];
    support::check(&coder, &cases, |got| !got.iter().any(|(t, _, _)| *t == EventType::Aid), "no aid");
}
