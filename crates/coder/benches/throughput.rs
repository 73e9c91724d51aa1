//! Coder throughput on a generated multilingual corpus: `cargo bench -p hamkor-coder`.
//!
//! Builds about 100 MB of news-like text in the seven languages from templates (our own
//! sentences with varying actors, dates and numbers: a lead that reports an event, then sentences
//! of which about one in three reports another and the rest are background), codes it on one
//! thread, and prints MB/s and sentences/s per core of CPU time, plus the compiled lexicon's
//! memory. HAMKOR_BENCH_MB changes the size; HAMKOR_BENCH_CORPUS=file.jsonl codes a real corpus
//! (repeated up to the size) instead.

use hamkor_coder::Coder;
use hamkor_model::InputDocument;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEMPLATES: &[(&str, &str)] = &[
    ("en", "President {A} of {X} held talks with the leader of {Y} in {C} on {D} July 2023, and the sides signed an agreement on water and energy."),
    ("en", "{X} sent {N} tonnes of humanitarian aid to {Y} after the floods, the ministry said on Monday."),
    ("en", "The forum discussed trade, transport corridors and student exchanges between {X} and {Y}; no new documents are expected this year."),
    ("ru", "Президенты {XR} и {YR} провели переговоры в Ташкенте {D} мая 2024 года и подписали соглашение о сотрудничестве в области образования."),
    ("ru", "{XR} направил в {YR} гуманитарную помощь: {N} тонн муки, медикаменты и палатки для пострадавших от паводка."),
    ("uz", "Oʻzbekiston va {XU} oʻrtasida {D}-iyul kuni Toshkentda strategik sheriklik toʻgʻrisidagi shartnoma imzolandi."),
    ("uz", "Ўзбекистон ҳукумати {N} тонна инсонпарварлик ёрдамини Қирғизистонга жўнатди."),
    ("kk", "Қазақстан Президенті Қасым-Жомарт Тоқаев {D} шілдеде Ташкентте Өзбекстан Президентімен келіссөздер жүргізді."),
    ("ky", "Кыргызстан менен Өзбекстандын ортосунда {D}-сентябрда чек ара боюнча келишимге кол коюлду."),
    ("tg", "Рӯзи {D} апрел дар шаҳри Душанбе вазирони корҳои хориҷии Тоҷикистон ва Ӯзбекистон мулоқот карданд."),
    ("tk", "Türkmenistanyň we Özbegistanyň Prezidentleri {D}-nji oktýabrda Aşgabatda gepleşik geçirdiler we ylalaşyklara gol çekdiler."),
];

/// Sentences that report no event: most of a news text is background like this.
const BACKGROUND: &[(&str, &str)] = &[
    ("en", "The region is home to more than {N} million people, and its economies have grown by about five percent a year."),
    ("en", "Experts say that water shortages will remain one of the main challenges for farmers in the coming decade."),
    ("en", "According to the statistics agency, trade between the countries reached {N} million dollars in the first half of the year."),
    ("en", "The minister noted that the railway would shorten the route to the ports by several days."),
    ("ru", "По данным статистического агентства, за первое полугодие товарооборот вырос на {N} процентов."),
    ("ru", "Эксперты считают, что нехватка воды останется одной из главных проблем сельского хозяйства региона."),
    ("ru", "В регионе проживает более {N} миллионов человек, большинство из них моложе тридцати лет."),
    ("uz", "Mutaxassislarning fikricha, suv taqchilligi yaqin yillarda ham asosiy muammolardan biri boʻlib qoladi."),
    ("uz", "Statistika agentligi maʼlumotlariga koʻra, yilning birinchi yarmida savdo hajmi {N} foizga oshdi."),
    ("uz", "Мутахассисларнинг фикрича, сув танқислиги минтақанинг асосий муаммоларидан бири бўлиб қолмоқда."),
    ("kk", "Сарапшылардың пікірінше, су тапшылығы алдағы жылдары да өңірдің басты мәселелерінің бірі болып қала береді."),
    ("kk", "Статистика агенттігінің мәліметінше, жылдың бірінші жартысында тауар айналымы {N} пайызға өсті."),
    ("ky", "Адистердин пикиринде, суу тартыштыгы жакынкы жылдары да аймактын негизги көйгөйлөрүнүн бири бойдон калат."),
    ("ky", "Статистика комитетинин маалыматы боюнча, жылдын биринчи жарымында соода {N} пайызга өстү."),
    ("tg", "Ба гуфтаи коршиносон, камобӣ дар солҳои наздик яке аз мушкилоти асосии минтақа боқӣ мемонад."),
    ("tg", "Тибқи маълумоти оморӣ, дар нимаи аввали сол ҳаҷми савдо {N} фоиз афзоиш ёфт."),
    ("tk", "Hünärmenleriň pikiriçe, suw ýetmezçiligi ýakyn ýyllarda hem sebitiň esasy meseleleriniň biri bolup galar."),
    ("tk", "Statistika maglumatlaryna görä, ýylyň birinji ýarymynda söwda dolanyşygy {N} göterim artdy."),
];

const EN: &[&str] = &["Uzbekistan", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "China", "Russia", "Japan"];
const RU: &[&str] = &["Узбекистана", "Казахстана", "Кыргызстана", "Таджикистана", "Туркменистана", "Китая", "России"];
const UZ: &[&str] = &["Qozogʻiston", "Qirgʻiziston", "Tojikiston", "Turkmaniston", "Xitoy"];

/// CPU time of this thread: unlike wall time, not inflated when other work shares the machine.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we pass and reads nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn corpus(target_bytes: usize) -> (Vec<InputDocument>, usize) {
    let mut docs = Vec::new();
    let mut bytes = 0;
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    while bytes < target_bytes {
        let mut text = String::new();
        let n_sent = 3 + (next() % 6) as usize;
        let lang = TEMPLATES[(next() % TEMPLATES.len() as u64) as usize].0;
        for k in 0..n_sent {
            // About one sentence in three reports an event (the first one, like a lead); the rest
            // are background.
            let event_sentence = k == 0 || next() % 3 == 0;
            let pool = if event_sentence { TEMPLATES } else { BACKGROUND };
            let candidates: Vec<&&str> = pool.iter().filter(|(l, _)| *l == lang).map(|(_, t)| t).collect();
            let t = candidates[(next() % candidates.len() as u64) as usize];
            let pick = |list: &[&str], r: u64| list[(r % list.len() as u64) as usize].to_string();
            let s = t
                .replace("{X}", &pick(EN, next()))
                .replace("{Y}", &pick(EN, next()))
                .replace("{XR}", &pick(RU, next()))
                .replace("{YR}", &pick(RU, next()))
                .replace("{XU}", &pick(UZ, next()))
                .replace("{A}", "Mirziyoyev")
                .replace("{C}", "Tashkent")
                .replace("{D}", &(1 + next() % 28).to_string())
                .replace("{N}", &(10 + next() % 900).to_string());
            text.push_str(&s);
            text.push(' ');
        }
        bytes += text.len();
        docs.push(InputDocument { id: format!("bench-{}", docs.len()), text, lang: Some(lang.to_string()), date: Some("2024-08-01".parse().unwrap()), source: None });
    }
    (docs, bytes)
}

fn main() {
    let mb: usize = std::env::var("HAMKOR_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let t0 = Instant::now();
    let coder = Coder::embedded();
    let build = t0.elapsed();
    println!("lexicon {}: built in {:.1} ms, compiled memory {:.2} MiB, {} terms",
        coder.lexicon_version(), build.as_secs_f64() * 1e3, coder.lexicon().memory_usage() as f64 / 1048576.0, coder.lexicon().terms().len());
    // HAMKOR_BENCH_CORPUS=file.jsonl: code that corpus (repeated up to the size) instead.
    let (docs, bytes) = match std::env::var("HAMKOR_BENCH_CORPUS") {
        Ok(path) => {
            let lines: Vec<InputDocument> =
                std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
            let mut docs = Vec::new();
            let mut bytes = 0;
            while bytes < mb * 1_000_000 {
                for d in &lines {
                    bytes += d.text.len();
                    docs.push(d.clone());
                }
            }
            (docs, bytes)
        }
        Err(_) => corpus(mb * 1_000_000),
    };
    let sentences: usize = docs.iter().map(|d| hamkor_text::sentences::split(&d.text).len()).sum();
    println!("corpus: {} documents, {:.1} MB, {} sentences", docs.len(), bytes as f64 / 1e6, sentences);
    if std::env::var("HAMKOR_BENCH_STAGES").is_ok() {
        stages(&coder, &docs);
    }
    let t = Instant::now();
    let cpu0 = thread_cpu_seconds();
    let mut events = 0usize;
    for d in &docs {
        events += coder.code(d).events.len();
    }
    let cpu = thread_cpu_seconds() - cpu0;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "one core: {:.2} s CPU ({:.2} s wall), {:.1} MB/s, {:.0} sentences/s per core, {} events",
        cpu,
        secs,
        bytes as f64 / 1e6 / cpu,
        sentences as f64 / cpu,
        events
    );
}

#[allow(dead_code)]
pub fn stages(coder: &Coder, docs: &[InputDocument]) {
    let lex = coder.lexicon();
    let t = Instant::now();
    let mut n = 0;
    for d in docs {
        n += hamkor_text::sentences::split(&d.text).len();
    }
    println!("  split: {:.3} s ({n})", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut f = hamkor_text::Folded::default();
    for d in docs {
        for s in hamkor_text::sentences::split(&d.text) {
            hamkor_text::fold_into(&d.text[s.start..s.end], s.start, &mut f);
        }
    }
    println!("  +fold: {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut toks = Vec::new();
    let mut hits = Vec::new();
    for d in docs {
        for s in hamkor_text::sentences::split(&d.text) {
            hamkor_text::fold_into(&d.text[s.start..s.end], s.start, &mut f);
            lex.tokens_into(&f, &mut toks);
        }
    }
    println!("  +tokens: {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    for d in docs {
        for s in hamkor_text::sentences::split(&d.text) {
            hamkor_text::fold_into(&d.text[s.start..s.end], s.start, &mut f);
            lex.tokens_into(&f, &mut toks);
            lex.hits_into(&f, &d.text, &toks, &mut hits);
        }
    }
    println!("  +hits: {:.3} s", t.elapsed().as_secs_f64());
}
