//! The walker: turns the inputs into jobs, in a stable order.
//!
//! Directories are read one at a time and their entries sorted by name, so the order is the
//! same on every run and memory does not grow with the size of the tree (only with its depth
//! and the width of one directory). Hidden entries (names starting with `.`) are skipped inside
//! directories, as ripgrep does: `.git` and editor droppings are not documents. A directory
//! that leads back to one of its ancestors through a symbolic link is reported, not followed,
//! and so is a symbolic link that leads out of the folder given (a link to `/etc/passwd` in a
//! folder of downloads is not a document of that folder). A path given by name is read
//! whatever it links to: naming it is consent.
//!
//! Files quarantined by an earlier run (see `inflight`) are skipped while they are unchanged,
//! and said so, unless `--retry-failed` asks for them.

use crate::extract::Format;
use crate::jobs::{Job, LinesJob, Msg};
use crate::{Error, Input, Options};
use hamkor_store::{Store, WriteOp};
use std::fs::{self, Metadata};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

/// Lines per JSON-lines job: large enough to amortise the hand-over, small enough to keep both
/// workers busy on one big file.
const LINES_PER_JOB: usize = 128;
const BYTES_PER_JOB: usize = 4 << 20;

/// The receiving end is gone (the writer stopped): the walk ends quietly.
pub(crate) struct Stopped;

pub(crate) struct Walker<'a> {
    pub opts: &'a Options,
    pub store: Box<dyn Store>,
    pub jobs: SyncSender<Job>,
    pub out: SyncSender<Msg>,
    pub stop: &'a AtomicBool,
}

/// Quarantined items of a file: ranges of lines, as (first, last, item name, reason).
type Ranges = Vec<(u64, u64, String, String)>;

pub(crate) fn key_of(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).to_string_lossy().into_owned()
}

fn mtime_ns(meta: &Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

impl Walker<'_> {
    pub fn run(&mut self, inputs: &[Input]) -> Result<(), Stopped> {
        for input in inputs {
            if self.stop.load(Ordering::Relaxed) {
                return Err(Stopped);
            }
            match input {
                Input::Stdin => {
                    self.send(Msg::Counted { files: 1, unchanged: 0 })?;
                    let stdin = std::io::stdin();
                    let reader = BufReader::with_capacity(1 << 16, utf_reader(stdin.lock()));
                    self.stream_lines(reader, Arc::from("<stdin>"), Arc::from("stdin"), None, Vec::new())?;
                }
                Input::Path(p) => self.root(p)?,
            }
        }
        Ok(())
    }

    fn send(&self, msg: Msg) -> Result<(), Stopped> {
        self.out.send(msg).map_err(|_| Stopped)
    }

    fn fail(&self, key: &str, item: &str, error: Error) -> Result<(), Stopped> {
        let op = WriteOp::Failure { path: key.to_string(), item: item.to_string(), reason: error.to_string() };
        self.send(Msg::Ops { ops: vec![op], chunk_of: None, warnings: vec![] })
    }

    fn root(&mut self, path: &Path) -> Result<(), Stopped> {
        let key = key_of(path);
        let link = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return self.send(Msg::Missing { path: path.display().to_string() });
            }
            Err(e) => return self.fail(&key, "", Error::Io(e)),
        };
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(_) if link.file_type().is_symlink() => return self.fail(&key, "", Error::BrokenLink),
            Err(e) => return self.fail(&key, "", Error::Io(e)),
        };
        if meta.is_dir() {
            let canon = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let mut ancestors = vec![canon.clone()];
            self.dir(path, &canon, &mut ancestors)
        } else if meta.is_file() {
            self.file(path, &meta)
        } else {
            self.fail(&key, "", Error::NotAFile)
        }
    }

    fn dir(&mut self, dir: &Path, root: &Path, ancestors: &mut Vec<PathBuf>) -> Result<(), Stopped> {
        if self.excluded(dir) {
            return Ok(());
        }
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return self.fail(&key_of(dir), "", Error::Io(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => names.push(e.file_name()),
                Err(e) => self.fail(&key_of(dir), "", Error::Io(e))?,
            }
        }
        names.sort();
        for name in names {
            if self.stop.load(Ordering::Relaxed) {
                return Err(Stopped);
            }
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let path = dir.join(&name);
            let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link {
                if let Ok(target) = fs::canonicalize(&path) {
                    if !target.starts_with(root) {
                        self.fail(&key_of(&path), "", Error::LinkLeavesFolder(target))?;
                        continue;
                    }
                }
            }
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    self.fail(&key_of(&path), "", if is_link { Error::BrokenLink } else { Error::Io(e) })?;
                    continue;
                }
            };
            if meta.is_dir() {
                let canon = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if let Some(anc) = ancestors.iter().find(|a| **a == canon) {
                    self.fail(&key_of(&path), "", Error::SymlinkLoop(anc.clone()))?;
                    continue;
                }
                ancestors.push(canon);
                let r = self.dir(&path, root, ancestors);
                ancestors.pop();
                r?;
            } else if meta.is_file() {
                self.file(&path, &meta)?;
            } else {
                self.fail(&key_of(&path), "", Error::NotAFile)?;
            }
        }
        Ok(())
    }

    fn excluded(&self, path: &Path) -> bool {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.opts.exclude.contains(&abs)
    }

    fn file(&mut self, path: &Path, meta: &Metadata) -> Result<(), Stopped> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if self.opts.exclude.contains(&abs) {
            return Ok(());
        }
        let key = abs.to_string_lossy().into_owned();
        let (mtime, size) = (mtime_ns(meta), meta.len());
        match self.store.file_unchanged(&key, mtime, size) {
            Ok(true) => return self.send(Msg::Counted { files: 1, unchanged: 1 }),
            Ok(false) => {}
            Err(e) => return self.send(Msg::Fatal(e.to_string())),
        }
        self.send(Msg::Counted { files: 1, unchanged: 0 })?;
        let mut ranges: Ranges = Vec::new();
        if !self.opts.retry_failed {
            let quarantined = match self.store.quarantined(&key, mtime, size) {
                Ok(q) => q,
                Err(e) => return self.send(Msg::Fatal(e.to_string())),
            };
            for (item, reason) in quarantined {
                if item.is_empty() {
                    return self.send(Msg::Skipped { path: key, item, reason });
                }
                if let Some((a, b)) = item.strip_prefix("lines ").and_then(|r| r.split_once('-')) {
                    if let (Ok(a), Ok(b)) = (a.parse(), b.parse()) {
                        ranges.push((a, b, item, reason));
                    }
                }
            }
        }
        let format = match Format::from_path(path) {
            Ok(f) => f,
            Err(e) => return self.fail(&key, "", e),
        };
        if size == 0 {
            return self.fail(&key, "", Error::Empty);
        }
        if format == Format::JsonLines {
            let file = match fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return self.fail(&key, "", Error::Io(e)),
            };
            let key: Arc<str> = Arc::from(key);
            let reader = BufReader::with_capacity(1 << 16, utf_reader(file));
            return self.stream_lines(reader, key.clone(), key, Some((mtime, size)), ranges);
        }
        if size > self.opts.max_file_size {
            return self.fail(&key, "", Error::FileTooLarge { size, limit: self.opts.max_file_size });
        }
        self.jobs.send(Job::File { path: path.to_path_buf(), key, format, mtime_ns: mtime, size }).map_err(|_| Stopped)
    }

    /// Hand a JSON lines stream to the workers in chunks, then tell the writer how many chunks
    /// to wait for before the file counts as done. Lines in quarantined `ranges` are skipped
    /// (their quarantine is written again after the stream's start clears the file's rows).
    fn stream_lines<R: BufRead>(
        &mut self,
        mut reader: R,
        key: Arc<str>,
        location_prefix: Arc<str>,
        done: Option<(i64, u64)>,
        ranges: Ranges,
    ) -> Result<(), Stopped> {
        self.send(Msg::LinesBegin { key: key.clone() })?;
        if let Some((mtime_ns, size)) = done {
            for (_, _, item, reason) in &ranges {
                let op = WriteOp::Quarantine { path: key.to_string(), item: item.clone(), mtime_ns, size, reason: reason.clone() };
                self.send(Msg::Ops { ops: vec![op], chunk_of: None, warnings: vec![] })?;
                self.send(Msg::Skipped { path: key.to_string(), item: item.clone(), reason: reason.clone() })?;
            }
        }
        let limit = self.opts.budget.max_text_len;
        let (mut chunks, mut content_lines, mut line_no) = (0u64, 0u64, 0u64);
        let mut lines: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        let mut buf = Vec::new();
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Err(Stopped);
            }
            match read_line_bounded(&mut reader, &mut buf, limit) {
                Ok(None) => break,
                Ok(Some(fits)) => {
                    line_no += 1;
                    if ranges.iter().any(|(a, b, ..)| (*a..=*b).contains(&line_no)) {
                        content_lines += 1;
                        continue;
                    }
                    if !fits {
                        content_lines += 1;
                        self.fail(&key, &line_no.to_string(), Error::LineTooLong { limit })?;
                        continue;
                    }
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    content_lines += 1;
                    bytes += buf.len();
                    lines.push((line_no, std::mem::take(&mut buf)));
                    if lines.len() >= LINES_PER_JOB || bytes >= BYTES_PER_JOB {
                        self.send_lines(&key, &location_prefix, &mut lines, done)?;
                        chunks += 1;
                        bytes = 0;
                    }
                }
                Err(e) => {
                    self.fail(&key, "", Error::Io(e))?;
                    break;
                }
            }
        }
        if !lines.is_empty() {
            self.send_lines(&key, &location_prefix, &mut lines, done)?;
            chunks += 1;
        }
        if content_lines == 0 {
            self.fail(&key, "", Error::Empty)?;
        }
        self.send(Msg::LinesEnd { key, chunks, done })
    }

    fn send_lines(
        &self,
        key: &Arc<str>,
        prefix: &Arc<str>,
        lines: &mut Vec<(u64, Vec<u8>)>,
        file: Option<(i64, u64)>,
    ) -> Result<(), Stopped> {
        let job = LinesJob { key: key.clone(), location_prefix: prefix.clone(), lines: std::mem::take(lines), file };
        self.jobs.send(Job::Lines(job)).map_err(|_| Stopped)
    }
}

/// JSON lines as UTF-8: a UTF-16 stream (marked by its byte-order mark, as Windows tools save
/// it) is transcoded as it is read; a UTF-8 mark is dropped; anything else passes unchanged, so
/// that a line of invalid UTF-8 is reported as such.
fn utf_reader<R: Read>(r: R) -> encoding_rs_io::DecodeReaderBytes<R, Vec<u8>> {
    encoding_rs_io::DecodeReaderBytesBuilder::new().utf8_passthru(true).strip_bom(true).build(r)
}

/// Read one line (without its `\n` / `\r\n`) into `buf`, holding at most `limit` bytes of it.
/// `None` at the end; `Some(false)` when the line was longer, after skipping the rest of it.
pub(crate) fn read_line_bounded<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let n = r.by_ref().take(limit as u64 + 2).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    let ended = buf.last() == Some(&b'\n');
    if ended {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() <= limit {
        return Ok(Some(true));
    }
    // Too long: drop what was read and skip to the next newline without holding it.
    buf.clear();
    if !ended {
        loop {
            let avail = r.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                r.consume(i + 1);
                break;
            }
            let len = avail.len();
            r.consume(len);
        }
    }
    Ok(Some(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_without_losing_the_next() {
        let data = b"short\r\n0123456789abcdef\nok\nlast";
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        let mut got = vec![];
        while let Some(fits) = read_line_bounded(&mut r, &mut buf, 8).unwrap() {
            got.push((fits, String::from_utf8(buf.clone()).unwrap()));
        }
        assert_eq!(got, [(true, "short".into()), (false, String::new()), (true, "ok".into()), (true, "last".into())]);
        // A line of exactly the limit fits, with or without its newline.
        let mut r = BufReader::new(&b"12345678\n12345678"[..]);
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Some(true));
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Some(true));
        assert_eq!(buf, b"12345678");
    }
}
