//! Panels over a million generated canonical events: the time to build the columnar index once
//! and the time of each query after it (median of 7 runs).
//!
//!     cargo run --release -p hamkor-analysis --example bench_panels [-- EVENTS]

use hamkor_analysis::compare::{compare, CompareOptions};
use hamkor_analysis::network::{network, NetworkOptions};
use hamkor_analysis::panel::{Dim, EventIndex, PanelQuery, Period};
use hamkor_analysis::{CanonicalEvent, Counting, ReportRef};
use hamkor_model::{ActorCode, Domain, EventType, PartialDate, Span};
use std::time::Instant;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn generate(n: usize) -> Vec<CanonicalEvent> {
    let actors: Vec<ActorCode> =
        ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG", "RUS", "CHN", "TUR", "AZE", "EU", "UN", "SCO"]
            .iter()
            .map(|a| ActorCode::new(a).unwrap())
            .collect();
    let langs = ["en", "ru", "uz", "kk", "ky", "tg", "tk"];
    let mut rng = Rng(0x9E3779B97F4A7C15);
    (0..n)
        .map(|i| {
            let k = 2 + (rng.below(10) / 8) as usize; // mostly 2 actors, some 3
            let mut acts = vec![actors[rng.below(5) as usize]];
            while acts.len() < k {
                let a = actors[rng.below(actors.len() as u64) as usize];
                if !acts.contains(&a) {
                    acts.push(a);
                }
            }
            acts.sort();
            let mut domains = vec![Domain::ALL[rng.below(10) as usize]];
            if rng.below(3) == 0 {
                let d = Domain::ALL[rng.below(10) as usize];
                if !domains.contains(&d) {
                    domains.push(d);
                }
            }
            domains.sort();
            let year = 2010 + rng.below(16) as i32;
            let date = PartialDate::day(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8);
            let reports = (0..1 + rng.below(3))
                .map(|r| ReportRef {
                    event_id: i as i64 * 4 + r as i64,
                    document_id: rng.below(200_000) as i64,
                    evidence: Span::new(0, 100),
                    lang: langs[rng.below(7) as usize].into(),
                    source: String::new(),
                    evidence_text: String::new(),
                    published: None,
                })
                .collect();
            CanonicalEvent {
                id: i as i64,
                event_type: EventType::ALL[rng.below(7) as usize],
                actors: acts,
                domains,
                date,
                date_from_document: false,
                agreement: None,
                format: None,
                reports,
            }
        })
        .collect()
}

fn median_ms(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..7 {
        let t = Instant::now();
        rows = std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[3], rows)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let t = Instant::now();
    let events = generate(n);
    println!("generated {n} events in {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let index = EventIndex::build(&events);
    println!("index built in {:.0} ms ({:.1} MB)", t.elapsed().as_secs_f64() * 1e3, index.memory_usage() as f64 / 1e6);
    let mut queries: Vec<(&str, PanelQuery)> = vec![
        ("dyad × domain × year", PanelQuery::new(&[Dim::Dyad, Dim::Domain, Dim::Period])),
        ("domain × year", PanelQuery::new(&[Dim::Domain, Dim::Period])),
        ("type × year", PanelQuery::new(&[Dim::Type, Dim::Period])),
        ("lang × year (reports)", {
            let mut q = PanelQuery::new(&[Dim::Lang, Dim::Period]);
            q.counting = Counting::Reports;
            q
        }),
        ("dyad × month", {
            let mut q = PanelQuery::new(&[Dim::Dyad, Dim::Period]);
            q.period = Period::Month;
            q
        }),
        ("actor × year, UZB, health, 2017–2025", {
            let mut q = PanelQuery::new(&[Dim::Actor, Dim::Period]);
            q.filter.actors = vec![ActorCode::new("UZB").unwrap()];
            q.filter.domains = vec![Domain::Health];
            q.filter.from_year = Some(2017);
            q.filter.to_year = Some(2025);
            q
        }),
        ("kind × domain", PanelQuery::new(&[Dim::Kind, Dim::Domain])),
    ];
    println!("{:<40} {:>10} {:>8}", "panel query", "median ms", "cells");
    for (name, q) in &mut queries {
        let (ms, rows) = median_ms(|| index.query(q).rows.len());
        println!("{name:<40} {ms:>10.1} {rows:>8}");
    }
    let (ms, _) = median_ms(|| {
        let q = PanelQuery { keep_ids: true, ..PanelQuery::new(&[Dim::Domain, Dim::Period]) };
        index.query(&q).rows.len()
    });
    println!("{:<40} {ms:>10.1}", "domain × year with event ids");
    let (ms, _) = median_ms(|| compare(&events, &CompareOptions::default()).map(|c| c.before_after.len()).unwrap_or(0));
    println!("{:<40} {ms:>10.1}", "compare (all tests, every scope)");
    let (ms, _) = median_ms(|| network(&events, &NetworkOptions::default()).nodes.len());
    println!("{:<40} {ms:>10.1}", "network + centralities");
}
