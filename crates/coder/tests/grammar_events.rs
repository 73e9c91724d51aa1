//! The grammar layer through the whole coder: the same happening told as done, as planned, as
//! expected and as denied, in each of the seven languages. Done acts are events; the others are
//! not. Sentences written for this test.

use hamkor_coder::Coder;
use hamkor_model::{EventType, InputDocument, PartialDate};

fn types_of(coder: &Coder, lang: &str, text: &str) -> Vec<EventType> {
    let doc = InputDocument {
        id: "t".into(),
        text: text.into(),
        lang: Some(lang.into()),
        date: Some(PartialDate { year: 2025, month: Some(5), day: Some(14) }),
        ..Default::default()
    };
    coder.code(&doc).events.iter().map(|e| e.event_type).collect()
}

/// (language, sentence, the event type it reports, or None when it reports none)
fn check(cases: &[(&str, &str, Option<EventType>)]) {
    let coder = Coder::embedded();
    let mut wrong = Vec::new();
    for (lang, text, want) in cases {
        let got = types_of(&coder, lang, text);
        let ok = match want {
            Some(t) => got.contains(t),
            None => got.is_empty(),
        };
        if !ok {
            wrong.push(format!("{lang}: {text}\n    expected {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

use EventType::*;

#[test]
fn done_acts_are_events_in_every_language() {
    check(&[
        ("en", "The foreign ministers of Uzbekistan and Tajikistan signed a memorandum on academic mobility in Dushanbe.", Some(Agreement)),
        ("ru", "Министры образования Казахстана и Кыргызстана подписали соглашение о взаимном признании дипломов.", Some(Agreement)),
        ("uz", "Oʻzbekiston va Qozogʻiston sogʻliqni saqlash vazirlari Toshkentda hamkorlik toʻgʻrisidagi memorandumni imzoladi.", Some(Agreement)),
        ("uz", "Ўзбекистон ва Тожикистон ташқи ишлар вазирлари Душанбеда учрашди.", Some(Meeting)),
        ("kk", "Қазақстан мен Өзбекстан сыртқы істер министрлері Астанада кездесті.", Some(Meeting)),
        ("ky", "Кыргызстан менен Тажикстандын өкмөт башчылары Бишкекте жолугушту.", Some(Meeting)),
        ("tg", "Вазирони корҳои хориҷии Тоҷикистон ва Ӯзбекистон дар Душанбе мулоқот карданд.", Some(Meeting)),
        ("tk", "Türkmenistanyň we Özbegistanyň daşary işler ministrleri Aşgabatda duşuşdylar.", Some(Meeting)),
    ]);
}

#[test]
fn plans_and_expectations_are_not_events() {
    check(&[
        ("en", "The foreign ministers of Uzbekistan and Tajikistan will sign a memorandum on academic mobility next month.", None),
        ("en", "Kazakhstan is to send humanitarian aid to Afghanistan.", None),
        // Perfective present = future, with no word of planning.
        ("ru", "Президент Казахстана совершит государственный визит в Кыргызстан.", None),
        ("ru", "Таджикистан направит гуманитарную помощь Афганистану.", None),
        ("ru", "Встреча министров иностранных дел Казахстана и Узбекистана пройдет в Ташкенте в июне.", None),
        // Present-future endings.
        ("uz", "Oʻzbekiston Afgʻonistonga insonparvarlik yordami yuboradi.", None),
        ("uz", "Ўзбекистон Афғонистонга инсонпарварлик ёрдами юборади.", None),
        ("kk", "Қазақстан Қырғызстанға гуманитарлық көмек жібереді.", None),
        ("ky", "Кыргызстан Тажикстанга гуманитардык жардам жөнөтөт.", None),
        ("tg", "Тоҷикистон ба Афғонистон кумаки башардӯстона мефиристад.", None),
        ("tk", "Türkmenistan Owganystana ynsanperwer kömek iberýär.", None),
        ("tk", "Türkmenistanyň we Özbegistanyň daşary işler ministrleriniň duşuşygy indiki aýda Aşgabatda geçiriler.", None),
        ("tg", "Вазирони корҳои хориҷии Тоҷикистон ва Ӯзбекистон моҳи оянда дар Душанбе мулоқот хоҳанд кард.", None),
    ]);
}

#[test]
fn the_same_acts_done_are_events() {
    check(&[
        ("en", "Kazakhstan sent humanitarian aid to Afghanistan.", Some(Aid)),
        ("ru", "Президент Казахстана совершил государственный визит в Кыргызстан.", Some(Meeting)),
        ("ru", "Таджикистан направил гуманитарную помощь Афганистану.", Some(Aid)),
        ("uz", "Oʻzbekiston Afgʻonistonga insonparvarlik yordami yubordi.", Some(Aid)),
        ("kk", "Қазақстан Қырғызстанға гуманитарлық көмек жіберді.", Some(Aid)),
        ("ky", "Кыргызстан Тажикстанга гуманитардык жардам жөнөттү.", Some(Aid)),
        ("tg", "Тоҷикистон ба Афғонистон кумаки башардӯстона фиристод.", Some(Aid)),
        ("tk", "Türkmenistan Owganystana ynsanperwer kömek iberdi.", Some(Aid)),
    ]);
}

#[test]
fn denials_are_not_events() {
    check(&[
        ("en", "Kazakhstan and Kyrgyzstan did not sign the agreement on water sharing.", None),
        ("ru", "Казахстан и Кыргызстан так и не подписали соглашение о вододелении.", None),
        ("uz", "Qozogʻiston va Qirgʻiziston suv taqsimoti boʻyicha kelishuvni imzolamadi.", None),
        ("kk", "Қазақстан мен Қырғызстан су бөлу туралы келісімге қол қоймады.", None),
        ("ky", "Казакстан менен Кыргызстан суу бөлүштүрүү боюнча келишимге кол койгон жок.", None),
        ("tg", "Тоҷикистон ва Қирғизистон созишномаро дар бораи об имзо накарданд.", None),
        ("tk", "Gazagystan bilen Gyrgyzystan suw paýlaşygy barada ylalaşyga gol çekmediler.", None),
    ]);
}
