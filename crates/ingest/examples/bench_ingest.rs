//! Ingest benchmark: generate N small documents (default 200,000) as files in a tree of
//! folders of 1,000, ingest them into a fresh store with the real coder, and print documents per
//! second and memory: peak (VmHWM) and the resident size sampled as the run goes, which must
//! stay flat as the collection grows.
//!
//! ```sh
//! cargo run --release -p hamkor-ingest --example bench_ingest -- 200000
//! scripts/bench-ingest.sh            # the same
//! ```
//!
//! Options: `--dir DIR` generates into DIR (kept afterwards) instead of a temporary folder;
//! `--jsonl` writes the documents as one JSON lines file instead of one file each.

use hamkor_coder::Coder;
use hamkor_ingest::{ingest, Input, Options, Progress};
use hamkor_store::{SqliteStore, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const STATES: [(&str, &str, &str); 5] = [
    ("Kazakhstan", "Казахстан", "Qozogʻiston"),
    ("Kyrgyzstan", "Кыргызстан", "Qirgʻiziston"),
    ("Tajikistan", "Таджикистан", "Tojikiston"),
    ("Turkmenistan", "Туркменистан", "Turkmaniston"),
    ("Uzbekistan", "Узбекистан", "Oʻzbekiston"),
];
const CITIES: [&str; 5] = ["Astana", "Bishkek", "Dushanbe", "Ashgabat", "Tashkent"];

/// A short news item, in English, Russian or Uzbek, with a cooperation event in most of them.
fn document(i: usize) -> String {
    let a = i % 5;
    let b = (a + 1 + (i / 5) % 4) % 5;
    let day = 1 + i % 28;
    let month = 1 + (i / 28) % 12;
    let year = 2015 + (i / 336) % 10;
    match i % 3 {
        0 => format!(
            "Title: Talks in {city} ({i})\nDate: {year}-{month:02}-{day:02}\n\n{} and {} signed an agreement on water \
             resources in {city} on {day} March {year}. The ministers also discussed transport corridors and trade. \
             Item {i} of the benchmark collection; the parties agreed to meet again next year.\n",
            STATES[a].0,
            STATES[b].0,
            city = CITIES[a],
        ),
        1 => format!(
            "{} направил гуманитарную помощь в {} после наводнения. Спасатели прибыли {day} апреля {year} года. \
             Сообщение номер {i}: помощь включает продовольствие и медикаменты, сообщили в министерстве.\n",
            STATES[a].1, STATES[b].1
        ),
        _ => format!(
            "{} va {} {} shahrida taʼlim sohasida hamkorlik toʻgʻrisida memorandum imzoladi. Hujjat {i}-raqamli, \
             {year}-yil {day}-mayda qabul qilindi. Universitetlar talabalar almashinuvini yoʻlga qoʻyadi.\n",
            STATES[a].2, STATES[b].2, CITIES[b]
        ),
    }
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn generate(root: &Path, n: usize, jsonl: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(root)?;
    if jsonl {
        let mut out = std::io::BufWriter::new(std::fs::File::create(root.join("bench.jsonl"))?);
        for i in 0..n {
            let line = serde_json::json!({"id": format!("b{i}"), "text": document(i)});
            writeln!(out, "{line}")?;
        }
        return out.flush();
    }
    for i in 0..n {
        let dir = root.join(format!("d{:04}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        std::fs::write(dir.join(format!("doc{i:07}.txt")), document(i))?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut n = 200_000usize;
    let mut dir: Option<PathBuf> = None;
    let mut jsonl = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = Some(args.next().ok_or("--dir needs a folder")?.into()),
            "--jsonl" => jsonl = true,
            other => n = other.replace('_', "").parse().map_err(|_| format!("not a count: {other}"))?,
        }
    }
    let tmp = tempfile::tempdir()?;
    let root = dir.unwrap_or_else(|| tmp.path().join("docs"));
    let t = Instant::now();
    generate(&root, n, jsonl)?;
    println!(
        "generated {n} documents ({}) in {:.1} s",
        if jsonl { "one JSON lines file" } else { "one file each" },
        t.elapsed().as_secs_f64()
    );
    let rss_before = status_kib("VmRSS:");

    let db = tmp.path().join("bench.db");
    let mut store = SqliteStore::open(&db)?;
    let coder = Coder::embedded();
    let opts = Options::default();
    let mut samples: Vec<(u64, u64)> = Vec::new();
    let mut next_sample = 0u64;
    let t = Instant::now();
    let summary = ingest(&mut store, &coder, &[Input::Path(root.clone())], &opts, &mut |p| {
        if let Progress::Tick(c) = p {
            if c.documents_seen >= next_sample {
                samples.push((c.documents_seen, status_kib("VmRSS:")));
                next_sample += (n as u64 / 20).max(1);
            }
        }
    })?;
    let secs = t.elapsed().as_secs_f64();
    let c = &summary.counters;
    let stats = store.stats()?;
    let db_size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "ingested {} documents ({} new), {} events, {} failures in {secs:.1} s: {:.0} documents/s ({} threads)",
        c.documents_seen,
        c.documents_new,
        c.events,
        c.failures,
        c.documents_seen as f64 / secs,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "store: {} documents, {} events, {:.1} MiB on disk",
        stats.documents,
        stats.events,
        db_size as f64 / 1048576.0
    );
    println!("memory: resident {:.1} MiB before ingest; during ingest (documents → resident MiB):", mib(rss_before));
    for (docs, kib) in &samples {
        println!("  {docs:>8} → {:.1}", mib(*kib));
    }
    let hwm = status_kib("VmHWM:");
    println!("peak memory (VmHWM): {:.1} MiB", mib(hwm));

    // A second run over the same tree: everything is skipped by path, mtime and size.
    let t = Instant::now();
    let again = ingest(&mut store, &coder, &[Input::Path(root)], &opts, &mut |_| {})?;
    println!(
        "re-run: {} files unchanged, {} new documents, in {:.1} s",
        again.counters.files_unchanged,
        again.counters.documents_new,
        t.elapsed().as_secs_f64()
    );
    if hwm > 1024 * 1024 {
        return Err(format!("peak memory {:.0} MiB is over 1 GiB", mib(hwm)).into());
    }
    Ok(())
}
