//! Joint activities that are written without a "joint" word, in each language (sentences written
//! for this test, coded without a language given):
//! - quotas, grants and places for another state's students are a joint educational programme;
//!   a quota for labour migrants is not;
//! - opening a border crossing point is a joint activity (eval/NOTES.md);
//! - a joint exercise in the singular (Russian «учение») is one too.

use hamkor_coder::Coder;
use hamkor_model::EventType;

mod support;

fn joint(coder: &Coder, t: &str) -> bool {
    support::events(coder, t).iter().any(|(k, _, _)| *k == EventType::JointActivity)
}

fn all_joint(coder: &Coder, cases: &[&str]) {
    let wrong: Vec<String> = cases.iter().filter(|t| !joint(coder, t)).map(|t| format!("{t}\n    got {:?}", support::events(coder, t))).collect();
    assert!(wrong.is_empty(), "expected a joint activity, {} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn places_and_grants_for_another_states_students_are_a_joint_activity() {
    let coder = Coder::embedded();
    all_joint(
        &coder,
        &[
            "Kazakhstan allocated 50 grants for students from Kyrgyzstan at its universities.",
            "Казахстан выделил 50 грантов для кыргызских студентов в своих университетах.",
            "Qozogʻiston oʻz universitetlarida Qirgʻiziston talabalari uchun 50 ta grant ajratdi.",
            "Қазақстан өз университеттерінде Қырғызстан студенттері үшін 50 грант бөлді.",
            "Казакстан өз университеттеринде Кыргызстандын студенттери үчүн 50 орундук квота бөлдү.",
            "Қазоқистон дар донишгоҳҳои худ барои донишҷӯёни Тоҷикистон 50 квота ҷудо кард.",
            "Gazagystan öz uniwersitetlerinde Türkmenistanyň talyplary üçin 50 kwota bölüp berdi.",
        ],
    );
    for t in ["Казахстан установил квоту на привлечение трудовых мигрантов из Узбекистана.", "Russia set a quota for labour migrants from Tajikistan."] {
        assert!(!joint(&coder, t), "expected no joint activity: {t}\n    got {:?}", support::events(&coder, t));
    }
}

#[test]
fn opening_a_border_crossing_point_is_a_joint_activity() {
    let coder = Coder::embedded();
    all_joint(
        &coder,
        &[
            "On 13 March 2025 Kyrgyzstan and Tajikistan held the opening of the border crossing at Kairagach.",
            "13 марта 2025 года состоялась церемония открытия КПП на кыргызско-таджикской границе между Кыргызстаном и Таджикистаном.",
            "Қазақстан мен Қырғызстан 2025 жылғы 13 наурызда шекарадағы жаңа өткізу пунктін ашты.",
            "2025-жылдын 13-мартында Кыргызстан менен Тажикстандын чек арасындагы өткөрүү пункту ачылды.",
        ],
    );
}

#[test]
fn a_joint_exercise_in_the_singular_is_a_joint_activity() {
    let coder = Coder::embedded();
    all_joint(&coder, &["В августе 2025 года в Балыкчы прошло совместное тактико-специальное учение подразделений Кыргызстана и Казахстана."]);
}
