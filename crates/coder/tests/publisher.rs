//! "Our head of state": on an official or national outlet the publishing state is the subject;
//! without a source, or on a foreign outlet, the phrase names nobody. Sentences written for this
//! test, one per language.

use hamkor_coder::Coder;
use hamkor_model::InputDocument;

fn actors(coder: &Coder, text: &str, source: Option<&str>) -> Vec<Vec<String>> {
    let doc = InputDocument { id: "t".into(), text: text.into(), source: source.map(String::from), ..Default::default() };
    coder.code(&doc).events.iter().map(|e| e.actors.iter().map(|a| a.as_str().to_string()).collect()).collect()
}

const CASES: &[(&str, &str, &str)] = &[
    ("Our head of state met the President of Tajikistan in Dushanbe.", "https://president.uz/en/lists/view/1", "TJK,UZB"),
    ("Глава нашего государства провел переговоры с Президентом Кыргызстана в Бишкеке.", "https://akorda.kz/ru/news/2", "KAZ,KGZ"),
    ("Davlatimiz rahbari Ostonada Qozogʻiston Prezidenti bilan uchrashdi.", "kun.uz", "KAZ,UZB"),
    ("Мемлекет басшысы Ташкентте Өзбекстан Президентімен кездесті.", "https://www.inform.kz/kz/a", "KAZ,UZB"),
    ("Мамлекет башчысы Душанбеде Тажикстандын Президенти менен жолугушту.", "https://kabar.kg/news/b", "KGZ,TJK"),
    ("Сарвари давлат дар Тошкент бо Президенти Ӯзбекистон мулоқот карданд.", "https://khovar.tj/2026/01/c", "TJK,UZB"),
    ("Hormatly Prezidentimiz Daşkentde Özbegistanyň Prezidenti bilen duşuşdy.", "https://tdh.gov.tm/tk/post/1", "TKM,UZB"),
];

#[test]
fn an_outlet_names_its_own_state() {
    let coder = Coder::embedded();
    let mut wrong = Vec::new();
    for (text, source, want) in CASES {
        let got = actors(&coder, text, Some(source));
        if !got.iter().any(|a| a.join(",") == *want) {
            wrong.push(format!("{source}: {text}\n    expected {want}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn without_a_known_outlet_nobody_is_guessed() {
    let coder = Coder::embedded();
    for (text, _, _) in CASES {
        for other in [None, Some("https://example.com/news/1"), Some("https://president.uz.example.org/")] {
            let got = actors(&coder, text, other);
            assert!(got.is_empty(), "{other:?} on {text}: {got:?}");
        }
    }
}

#[test]
fn the_host_decides_not_a_lookalike() {
    let lex = hamkor_lexicon::Lexicon::embedded();
    let code = |s: &str| lex.publisher_of(s).map(|c| c.as_str().to_string());
    assert_eq!(code("https://www.president.uz/uz/lists/view/7"), Some("UZB".into()));
    assert_eq!(code("KABAR.KG"), Some("KGZ".into()));
    assert_eq!(code("https://president.uz.evil.example/"), None);
    assert_eq!(code("https://example.com/?from=president.uz"), None);
    assert_eq!(code("https://user@tdh.gov.tm:443/x"), Some("TKM".into()));
    assert_eq!(code("not a url"), None);
}
