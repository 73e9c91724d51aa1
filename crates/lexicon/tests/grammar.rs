//! The grammar layer on words of every language: each verb form gets the form a speaker reads
//! in it. The words are the verbs of the region's press (signing, holding, visiting, sending)
//! in the tenses, moods and polarities that decide whether an event is reported as done.

use hamkor_lexicon::{Lexicon, VerbForm};

fn form_of(lex: &Lexicon, lang: &str, word: &str) -> Option<VerbForm> {
    let folded = hamkor_text::fold(word);
    let tokens = lex.tokens(&folded);
    let hits = lex.hits(&folded, word, &tokens);
    let mut verbs = Vec::new();
    lex.verbs_into(&folded, &tokens, &hits, Lexicon::lang_of(lang), &mut verbs);
    verbs.iter().rev().find(|v| v.token + 1 == tokens.len()).map(|v| v.form)
}

fn check(lang: &str, cases: &[(&str, VerbForm)]) {
    let lex = Lexicon::embedded();
    let mut wrong = Vec::new();
    for (word, want) in cases {
        let got = form_of(&lex, lang, word);
        if got != Some(*want) {
            wrong.push(format!("{lang} {word:?}: expected {}, got {:?}", want.name(), got.map(|f| f.name())));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

use VerbForm::*;

#[test]
fn english_forms() {
    check("en", &[("signed", Past), ("held", Past), ("met", Past), ("visited", Past), ("sends", Present), ("signing", VerbalNoun), ("donated", Past)]);
}

#[test]
fn russian_aspect_decides_present_or_future() {
    check(
        "ru",
        &[
            ("подписали", Past),
            ("подпишут", Future),
            ("подписан", Past),
            ("подписанный", ParticiplePast),
            ("подписание", VerbalNoun),
            ("подписать", Infinitive),
            ("подписывают", Present),
            ("проведут", Future),
            ("провели", Past),
            ("проведена", Past),
            ("проводит", Present),
            ("состоится", Future),
            ("состоялась", Past),
            ("пройдет", Future),
            ("прошла", Past),
            ("прошедший", ParticiplePast),
            ("проходит", Present),
            ("посетит", Future),
            ("посетил", Past),
            ("примут", Future),
            ("приняли", Past),
            ("принята", Past),
            ("направит", Future),
            ("направил", Past),
            ("направлена", Past),
            ("откроют", Future),
            ("открыт", Past),
            ("будут", Future),
            ("был", Past),
        ],
    );
}

#[test]
fn uzbek_forms_in_both_scripts() {
    check(
        "uz",
        &[
            ("imzolandi", Past),
            ("imzoladi", Past),
            ("imzolaydi", Nonpast),
            ("imzolanadi", Nonpast),
            ("imzolanmadi", Negative),
            ("imzolangan", ParticiplePast),
            ("imzolanadigan", ParticipleFuture),
            ("imzolash", VerbalNoun),
            ("imzolamoqchi", Future),
            ("oʻtkazildi", Past),
            ("o‘tkaziladi", Nonpast),
            ("oʻtkazilmoqda", Present),
            ("oʻtkaziladigan", ParticipleFuture),
            ("uchrashdi", Past),
            ("uchrashib", Converb),
            ("имзоланди", Past),
            ("имзоланади", Nonpast),
            ("ўтказилади", Nonpast),
            ("ўтказилди", Past),
            ("бўлиб", Converb),
            ("ўтган", ParticiplePast),
            ("ўтадиган", ParticipleFuture),
            ("юборилди", Past),
        ],
    );
}

#[test]
fn kazakh_forms() {
    check(
        "kk",
        &[
            ("қойды", Past),
            ("қойылды", Past),
            ("қояды", Nonpast),
            ("қойылады", Nonpast),
            ("қойылмады", Negative),
            ("қойған", ParticiplePast),
            ("өтті", Past),
            ("өтеді", Nonpast),
            ("өтетін", ParticipleFuture),
            ("өтуде", Present),
            ("қатыспақ", Future),
            ("өткізу", VerbalNoun),
            ("жіберілді", Past),
            ("жөнелтілетін", ParticipleFuture),
            ("кездесті", Past),
            ("кездесіп", Converb),
        ],
    );
}

#[test]
fn kyrgyz_forms() {
    check(
        "ky",
        &[
            ("коюшту", Past),
            ("коюлду", Past),
            ("коюлат", Nonpast),
            ("коюлган", ParticiplePast),
            ("коюлары", Future),
            ("коюлар", ParticipleFuture),
            ("болорун", Future),
            ("өттү", Past),
            ("өтөт", Nonpast),
            ("келет", Nonpast),
            ("келди", Past),
            ("ачат", Nonpast),
            ("ачылды", Past),
            ("катышат", Nonpast),
            ("жөнөтүлдү", Past),
            ("өткөрүлбөдү", Negative),
            ("кылмакчы", Future),
            ("өткөрүү", VerbalNoun),
        ],
    );
}

#[test]
fn tajik_stems_and_prefixes() {
    check(
        "tg",
        &[
            ("кард", Past),
            ("карданд", Past),
            ("кардааст", Past),
            ("мекунад", Nonpast),
            ("намекунад", Negative),
            ("накард", Negative),
            ("кунад", Conditional),
            ("расид", Past),
            ("расиданд", Past),
            ("мерасад", Nonpast),
            ("гардид", Past),
            ("мегардад", Nonpast),
            ("шуд", Past),
            ("мешавад", Nonpast),
            ("нашуд", Negative),
            ("карда", Converb),
            ("намуданд", Past),
            ("дорад", Present),
        ],
    );
}

#[test]
fn turkmen_forms() {
    check(
        "tk",
        &[
            ("çekdi", Past),
            ("çekildi", Past),
            ("çekiler", Future),
            ("çekilmedi", Negative),
            ("geçirildi", Past),
            ("geçiriler", Future),
            ("geçirilýär", Nonpast),
            ("geçirilýän", Present),
            ("geçiriljek", Future),
            ("geçirilen", ParticiplePast),
            ("geler", Future),
            ("duşuşdy", Past),
            ("duşuşypdylar", Past),
            ("iberdi", Past),
            ("iberer", Future),
            ("ugrady", Past),
        ],
    );
}

#[test]
fn no_clashes_between_forms() {
    let lex = Lexicon::embedded();
    assert!(lex.grammar_clashes.is_empty(), "endings with two forms:\n{}", lex.grammar_clashes.join("\n"));
}
