//! The in-flight journal: which file (or range of JSON lines) each worker is reading right now.
//!
//! A worker writes its entry before it reads a file and clears it when the file's documents
//! are handed to the writer. If the process dies in between — killed, out of memory, or a
//! crash no budget caught — the entry outlives it, and the next run quarantines that file
//! (records it as failed and skips it while it is unchanged) instead of crashing on it again.
//! A run that ends normally, or is stopped politely (Ctrl-C, SIGTERM), removes its entries.
//!
//! The journal is a folder beside the store with one small file per worker of each running
//! process (`PID.WORKER`), written with plain `write`: it must cost less than a store commit
//! per file, and it only has to survive the death of the process, not of the machine. Entries
//! of processes that are still alive (another ingest into the same store) are left alone.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a worker is reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    /// `""` for a whole file, `lines A-B` for a chunk of a JSON lines file.
    pub item: String,
    pub mtime_ns: i64,
    pub size: u64,
}

/// One worker's slot in the journal.
pub struct Slot {
    file: Option<PathBuf>,
}

impl Slot {
    pub fn new(dir: Option<&Path>, worker: usize) -> Slot {
        Slot { file: dir.map(|d| d.join(format!("{}.{worker}", std::process::id()))) }
    }

    /// Say that `entry` is being read. Best effort: a journal that cannot be written costs the
    /// protection, never the ingest.
    pub fn enter(&self, entry: &Entry) {
        if let Some(f) = &self.file {
            let _ = std::fs::write(f, serde_json::to_vec(entry).expect("an entry serialises"));
        }
    }

    /// Nothing is being read.
    pub fn leave(&self) {
        if let Some(f) = &self.file {
            let _ = std::fs::write(f, b"");
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// Entries left by processes that are gone, removed from the journal as they are returned
/// (the caller records them in the store first; see `pipeline::ingest`).
pub struct Leftovers {
    pub entries: Vec<Entry>,
    files: Vec<PathBuf>,
}

impl Leftovers {
    pub fn remove(self) {
        for f in self.files {
            let _ = std::fs::remove_file(f);
        }
    }
}

pub fn leftovers(dir: &Path) -> Leftovers {
    let mut out = Leftovers { entries: vec![], files: vec![] };
    let Ok(read) = std::fs::read_dir(dir) else { return out };
    for entry in read.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.split('.').next()).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || alive(pid) {
            continue;
        }
        let path = entry.path();
        if let Ok(bytes) = std::fs::read(&path) {
            if let Ok(e) = serde_json::from_slice::<Entry>(&bytes) {
                out.entries.push(e);
            }
        }
        out.files.push(path);
    }
    out.entries.sort_by(|a, b| (&a.path, &a.item).cmp(&(&b.path, &b.item)));
    out
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only asks whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_dead_processes_are_left_over_and_live_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let e = Entry { path: "/x/a.html".into(), item: String::new(), mtime_ns: 5, size: 10 };
        // A process that has certainly exited: a child we waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        std::fs::write(dir.path().join(format!("{dead}.0")), serde_json::to_vec(&e).unwrap()).unwrap();
        std::fs::write(dir.path().join(format!("{dead}.1")), b"").unwrap();
        // Our own slot is in use, not left over.
        let mine = Slot::new(Some(dir.path()), 0);
        mine.enter(&Entry { path: "/x/b.pdf".into(), ..e.clone() });
        let l = leftovers(dir.path());
        assert_eq!(l.entries, vec![e]);
        l.remove();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "only the live slot remains");
        drop(mine);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
