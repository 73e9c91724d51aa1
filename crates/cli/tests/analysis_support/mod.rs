//! Shared by the analysis tests: the demo store, the binary, and the rule for optional tools
//! (skip with a message on a developer's machine, fail in CI).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn hamkor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hamkor"))
}

#[track_caller]
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh demo store in `dir`.
pub fn demo_store(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/demo");
    run(hamkor().args(["demo", "--no-serve", "--samples"]).arg(&samples).arg("--db").arg(&db));
    db
}

/// In CI (CI=true) a missing tool is a failure; elsewhere the test says why it skips.
pub fn missing_tool(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{what} is needed in CI (CI=true) but is not installed; .ci/run installs it");
    }
    eprintln!("SKIPPED: {what} is not installed (the test runs in CI, where .ci/run installs it)");
}

/// An executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}
