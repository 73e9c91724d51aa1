//! Every committed input of every fuzz target (fuzz/seeds/NAME: where runs start;
//! fuzz/corpus/NAME: what libFuzzer kept for new coverage, minimised; fuzz/regressions/NAME:
//! inputs that once failed) through the target's body, on the stable toolchain. Bounded: a few
//! thousand small files, seconds.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(_) => vec![],
    };
    out.sort();
    out
}

#[test]
fn every_committed_input_of_every_target_passes_its_checks() {
    hamkor_fuzz::init();
    let mut total = 0;
    for (name, body) in hamkor_fuzz::TARGETS {
        let mut corpus = inputs(&fuzz_dir().join("seeds").join(name));
        corpus.extend(inputs(&fuzz_dir().join("corpus").join(name)));
        assert!(!corpus.is_empty(), "fuzz/seeds/{name} and fuzz/corpus/{name} hold no inputs");
        let regressions = inputs(&fuzz_dir().join("regressions").join(name));
        let t0 = Instant::now();
        for path in corpus.iter().chain(&regressions) {
            let data = std::fs::read(path).unwrap();
            body(&data);
        }
        eprintln!(
            "{name}: {} seeds and corpus inputs, {} regressions in {:.2} s",
            corpus.len(),
            regressions.len(),
            t0.elapsed().as_secs_f64()
        );
        total += corpus.len() + regressions.len();
    }
    eprintln!("{total} inputs replayed; {} panics inside dependencies turned into failures", hamkor_fuzz::tolerated_panics());
}
