//! Aid as researchers count it (eval/NOTES.md): a joint donation by several partners to one
//! Central Asian state is one event with all of them; one aid operation reported on several days
//! of a month (dispatch, arrival, handing over) is one event dated to the month. Texts written for
//! this test, coded without a language given.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn aid_events(coder: &Coder, text: &str) -> Vec<(Vec<String>, Option<String>)> {
    support::events(coder, text).into_iter().filter(|(t, _, _)| *t == EventType::Aid).map(|(_, a, d)| (a, d)).collect()
}

#[test]
fn a_joint_donation_to_one_state_is_one_event_with_every_donor() {
    let coder = Coder::embedded();
    let cases: [(&str, &[&str]); 7] = [
        ("The Government of Germany, together with UNICEF, handed over 40 ambulances to the health ministry of Tajikistan.", &["DEU", "TJK", "UNICEF"]),
        ("Япония и ВОЗ передали Министерству здравоохранения Кыргызстана партию аппаратов искусственной вентиляции легких в качестве гуманитарной помощи.", &["JPN", "KGZ", "WHO"]),
        ("Germaniya hukumati UNICEF bilan hamkorlikda Oʻzbekistonga 30 ta tez yordam mashinasini insonparvarlik yordami sifatida topshirdi.", &["DEU", "UNICEF", "UZB"]),
        ("Жапония мен ДДСҰ Қазақстанға гуманитарлық көмек ретінде медициналық жабдық тапсырды.", &["JPN", "KAZ", "WHO"]),
        ("Германия менен ЮНИСЕФ Кыргызстанга гуманитардык жардам катары дары-дармек тапшырды.", &["DEU", "KGZ", "UNICEF"]),
        ("Ҳукумати Олмон ва ЮНИСЕФ ба Тоҷикистон ҳамчун кумаки башардӯстона доруворӣ супориданд.", &["DEU", "TJK", "UNICEF"]),
        ("Ýaponiýa we BSGG Türkmenistana ynsanperwer kömegi hökmünde lukmançylyk enjamlaryny gowşurdylar.", &["JPN", "TKM", "WHO"]),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let got = aid_events(&coder, text);
        if got.len() != 1 || got[0].0 != want {
            wrong.push(format!("{text}\n    expected one aid event of {want:?}, got {got:?}"));
        }
    }
    // One donor giving to several recipients stays one event per recipient.
    let text = "Kazakhstan sent humanitarian aid with flour and medicines to Afghanistan and to Türkiye.";
    let got = aid_events(&coder, text);
    if got.len() < 2 {
        wrong.push(format!("{text}\n    expected an event per recipient, got {got:?}"));
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn one_aid_operation_over_several_days_is_one_event_of_the_month() {
    let coder = Coder::embedded();
    let cases = [
        "On 8 February a team of Kazakh rescuers flew to Türkiye to help after the earthquake. On 10 February the Kazakh rescuers began work in Hatay. On 21 February the rescuers of Kazakhstan returned home from Türkiye.",
        "8 февраля казахстанские спасатели вылетели в Турцию для помощи пострадавшим от землетрясения. 10 февраля спасатели Казахстана приступили к работе в Хатае. 21 февраля спасатели Казахстана вернулись из Турции.",
        "8 феврал наҷотдиҳандагони Тоҷикистон барои кумак ба зилзилазадагон ба Туркия парвоз карданд. 10 феврал наҷотдиҳандагони Тоҷикистон дар Туркия ба кор шурӯъ карданд. 21 феврал наҷотдиҳандагони Тоҷикистон аз Туркия баргаштанд.",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let got = aid_events(&coder, text);
        let ok = got.len() == 1 && got[0].1.as_deref() == Some("2025-02");
        if !ok {
            wrong.push(format!("{text}\n    expected one aid event in 2025-02, got {got:?}"));
        }
    }
    // A further shipment is another event, even within the month.
    let batches = [
        "On 6 April Kyrgyzstan sent humanitarian aid to flood victims in Kazakhstan. On 13 April Kyrgyzstan sent a second batch of humanitarian aid to Kazakhstan.",
        "6 апреля Кыргызстан отправил гуманитарную помощь пострадавшим от паводков в Казахстане. 13 апреля Кыргызстан отправил в Казахстан вторую партию гуманитарной помощи.",
    ];
    for text in batches {
        let got = aid_events(&coder, text);
        if got.len() != 2 {
            wrong.push(format!("{text}\n    expected two aid events, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_dateline_names_where_the_text_was_written_not_a_party() {
    let coder = Coder::embedded();
    let cases: [(&str, &[&str]); 3] = [
        ("Dushanbe, Tajikistan - The Embassy of Japan in Tajikistan and UNICEF have donated medical equipment to the health ministry of Tajikistan.", &["JPN", "TJK", "UNICEF"]),
        ("БИШКЕК, Кыргызстан — Посольство Германии и ВОЗ передали Министерству здравоохранения Кыргызстана медицинские наборы в качестве гуманитарной помощи.", &["DEU", "KGZ", "WHO"]),
        ("TOSHKENT – Yaponiya elchixonasi va UNICEF Oʻzbekiston Sogʻliqni saqlash vazirligiga insonparvarlik yordami sifatida tibbiy jihozlar topshirdi.", &["JPN", "UNICEF", "UZB"]),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let got = aid_events(&coder, text);
        if got.len() != 1 || got[0].0 != want {
            wrong.push(format!("{text}\n    expected one aid event of {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
