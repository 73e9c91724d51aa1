//! Extraction in a child process, for the formats whose parsers are large third-party code
//! (HTML, PDF, DOCX, feeds).
//!
//! The extractors have budgets of their own (depth, unpacked bytes), but a parser can still
//! hang, loop, recurse or allocate in ways no budget foresaw, and in-process that takes the
//! whole run down (a stack overflow aborts the process; `catch_unwind` catches only panics).
//! So each ingest worker keeps one child — the same `hamkor` binary, started with a hidden
//! subcommand that calls [`serve`] — and hands it one file at a time:
//!
//! ```text
//! worker ──request (path, format, budget)──▶ child: read file, extract (64 MiB stack,
//!        ◀──documents or a reason────────────        address space capped by setrlimit)
//! ```
//!
//! - **Time**: the worker waits at most the file's time budget, then kills the child.
//! - **Memory**: before each file the child caps its own address space (`RLIMIT_AS`) at what
//!   it uses plus the file's memory budget ([`memory_budget`]); an allocation past it aborts
//!   the child, and the worker reports the file as over the memory budget.
//! - **Crashes** (stack overflow, abort, a signal) end the child, not the run: the file fails
//!   with what the child said, and the next file gets a new child.
//! - A child that grew large on one file is replaced, so memory does not ratchet up.
//!
//! Messages are length-prefixed JSON frames on the child's stdin and stdout; stderr is kept
//! (its last few kilobytes) to explain a crash. Plain text, Markdown and JSON lines are decoded
//! by our own bounded code and stay in-process.

use crate::extract::{self, Budget, Extracted, FileContents, Format, ItemError};
use crate::pipeline::{guard, read_limited};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Stack of the child's extraction thread: depth budgets keep recursion far below this, and
/// it costs only address space until touched.
const CHILD_STACK: usize = 64 << 20;
/// A child whose resident memory (or address space) is above this after a file is replaced
/// before the next one.
const RECYCLE_RSS: u64 = 256 << 20;
const RECYCLE_VM: u64 = 1 << 30;
/// Memory every extraction may use, whatever the file's size, and how much more per byte of
/// the file: a parser holds the file, its objects and the text (a PDF's objects take a few
/// times the file's size).
const MEMORY_BASE: u64 = 256 << 20;
const MEMORY_PER_BYTE: u64 = 8;

/// The memory budget for extracting a file of `size` bytes: [`MEMORY_BASE`] plus
/// [`MEMORY_PER_BYTE`] times its size, at most `max_memory` (`0`: no limit).
pub fn memory_budget(size: u64, max_memory: u64) -> u64 {
    if max_memory == 0 {
        return 0;
    }
    MEMORY_BASE.saturating_add(size.saturating_mul(MEMORY_PER_BYTE)).min(max_memory)
}
/// How much of a child's stderr is kept to explain a crash.
const STDERR_TAIL: usize = 4096;

/// Where extraction of the risky formats runs.
#[derive(Debug, Clone, Default)]
pub enum Isolation {
    /// On the worker thread: for tests, benchmarks and embedding, where no child program is
    /// at hand. Budgets still hold; a crash in a parser still ends the process.
    #[default]
    InProcess,
    /// In child processes running `program args…`, which must call [`serve`].
    Process { program: PathBuf, args: Vec<OsString> },
}

/// Limits for one extraction beyond the extractors' own [`Budget`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_size: u64,
    pub budget: Budget,
    pub timeout: Duration,
    /// Memory the extraction of this file may add to the child's; `0` for no limit. See
    /// [`memory_budget`].
    pub max_memory: u64,
}

#[derive(Serialize, Deserialize)]
struct Request {
    /// The path's bytes (paths need not be UTF-8).
    path: Vec<u8>,
    format: Format,
    max_file_size: u64,
    budget: Budget,
    max_memory: u64,
}

#[derive(Serialize, Deserialize)]
enum Response {
    Items(Vec<Item>),
    Failed(String),
}

#[derive(Serialize, Deserialize)]
enum Item {
    Ok(Extracted),
    Err { item: String, reason: String },
}

/// Extracts files for one worker thread, in-process or through its child.
pub struct Extractor {
    isolation: Isolation,
    child: Option<Worker>,
    /// The memory budget of the file being extracted, to name it if the child runs out.
    max_memory: u64,
}

struct Worker {
    process: Child,
    stdin: ChildStdin,
    responses: Receiver<std::io::Result<Vec<u8>>>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
}

impl Extractor {
    pub fn new(isolation: Isolation) -> Extractor {
        Extractor { isolation, child: None, max_memory: 0 }
    }

    /// Read and extract one file within `limits`. `stop` is asked while waiting for a child:
    /// when it says so the child is ended and the result is [`Error::Stopped`].
    pub fn extract(
        &mut self,
        path: &Path,
        format: Format,
        limits: &Limits,
        stop: &dyn Fn() -> bool,
    ) -> Result<FileContents, Error> {
        let (format, misnamed) = extract::by_content(format, &head(path)?)?;
        let mut contents = self.extract_as(path, format, limits, stop)?;
        if let Some(w) = misnamed {
            for x in contents.items.iter_mut().flatten() {
                x.warnings.insert(0, w.clone());
            }
        }
        Ok(contents)
    }

    fn extract_as(
        &mut self,
        path: &Path,
        format: Format,
        limits: &Limits,
        stop: &dyn Fn() -> bool,
    ) -> Result<FileContents, Error> {
        let isolated = matches!(format, Format::Html | Format::Pdf | Format::Docx | Format::Feed);
        let Isolation::Process { program, args } = &self.isolation else {
            return extract_here(path, format, limits.max_file_size, &limits.budget);
        };
        if !isolated {
            return extract_here(path, format, limits.max_file_size, &limits.budget);
        }
        let (program, args) = (program.clone(), args.clone());
        let request = Request {
            path: path_bytes(path),
            format,
            max_file_size: limits.max_file_size,
            budget: limits.budget,
            max_memory: limits.max_memory,
        };
        self.max_memory = limits.max_memory;
        let frame = serde_json::to_vec(&request).expect("a request serialises");
        // A child that died between files is found when writing to it: start another, once.
        for attempt in 0..2 {
            if self.child.is_none() {
                self.child = Some(spawn(&program, &args)?);
            }
            let child = self.child.as_mut().expect("started above");
            if write_frame(&mut child.stdin, &frame).is_err() {
                self.stop();
                if attempt == 0 {
                    continue;
                }
                return Err(Error::Isolation("the extraction process could not be started".into()));
            }
            let deadline = std::time::Instant::now() + limits.timeout;
            let answer = loop {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match child.responses.recv_timeout(left.min(Duration::from_millis(100))) {
                    Err(RecvTimeoutError::Timeout) if !left.is_zero() => {
                        if stop() {
                            self.stop();
                            return Err(Error::Stopped);
                        }
                    }
                    other => break other,
                }
            };
            return match answer {
                Ok(Ok(bytes)) => {
                    let response: Response = serde_json::from_slice(&bytes)
                        .map_err(|e| Error::Isolation(format!("unreadable answer from the extraction process: {e}")))?;
                    if memory(child.process.id()).is_some_and(|(vm, rss)| rss > RECYCLE_RSS || vm > RECYCLE_VM) {
                        self.stop();
                    }
                    match response {
                        Response::Failed(reason) => Err(Error::Extraction(reason)),
                        Response::Items(items) => Ok(FileContents {
                            items: items
                                .into_iter()
                                .map(|i| match i {
                                    Item::Ok(x) => Ok(x),
                                    Item::Err { item, reason } => Err(ItemError { item, error: Error::Extraction(reason) }),
                                })
                                .collect(),
                        }),
                    }
                }
                Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(self.died()),
                Err(RecvTimeoutError::Timeout) => {
                    self.stop();
                    Err(Error::Timeout { limit: limits.timeout })
                }
            };
        }
        unreachable!("the loop returns on its second attempt")
    }

    /// The child ended while working on a file: why, from its exit status and last words.
    fn died(&mut self) -> Error {
        let Some(mut child) = self.child.take() else {
            return Error::Isolation("the extraction process is gone".into());
        };
        drop(child.stdin);
        let status = child.process.wait();
        let said = String::from_utf8_lossy(&child.stderr.lock().map(|t| t.iter().copied().collect::<Vec<_>>()).unwrap_or_default())
            .into_owned();
        let last_line = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        if said.contains("memory allocation of") || said.contains("out of memory") {
            return Error::OutOfMemory { limit: self.max_memory };
        }
        if said.contains("overflowed its stack") {
            return Error::Crashed("its parser recursed too deeply (stack overflow)".into());
        }
        let how = match status {
            Ok(s) => describe_exit(s),
            Err(e) => e.to_string(),
        };
        Error::Crashed(if last_line.is_empty() { how } else { format!("{how}: {}", crate::extract::cut(&last_line, 200)) })
    }

    /// End the child (killed if it is still working).
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.process.kill();
            let _ = child.process.wait();
        }
    }
}

impl Drop for Extractor {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            // Closing stdin ends an idle child's loop; kill in case it is not idle.
            let Worker { mut process, stdin, .. } = child;
            drop(stdin);
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// The first bytes of a file, for [`extract::by_content`].
fn head(path: &Path) -> Result<Vec<u8>, Error> {
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(path)?.take(16).read_to_end(&mut head)?;
    Ok(head)
}

/// Extract on this thread, catching panics.
pub fn extract_here(path: &Path, format: Format, max_file_size: u64, budget: &Budget) -> Result<FileContents, Error> {
    let bytes = read_limited(path, max_file_size)?;
    guard("extracting the text", || extract::extract(format, &bytes, budget))
}

fn spawn(program: &Path, args: &[OsString]) -> Result<Worker, Error> {
    let mut process = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Isolation(format!("cannot start {}: {e}", program.display())))?;
    let stdin = process.stdin.take().expect("piped");
    let mut stdout = process.stdout.take().expect("piped");
    let mut err_pipe = process.stderr.take().expect("piped");
    let (tx, responses) = channel();
    std::thread::Builder::new()
        .name("hamkor-ingest-child-out".into())
        .spawn(move || loop {
            let frame = read_frame(&mut stdout);
            let end = !matches!(frame, Ok(Some(_)));
            let sent = match frame {
                Ok(Some(f)) => tx.send(Ok(f)),
                Ok(None) => tx.send(Err(std::io::ErrorKind::UnexpectedEof.into())),
                Err(e) => tx.send(Err(e)),
            };
            if end || sent.is_err() {
                return;
            }
        })
        .map_err(|e| Error::Isolation(e.to_string()))?;
    let stderr = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
    let tail = Arc::clone(&stderr);
    std::thread::Builder::new()
        .name("hamkor-ingest-child-err".into())
        .spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let Ok(mut t) = tail.lock() else { return };
                t.extend(&buf[..n]);
                let extra = t.len().saturating_sub(STDERR_TAIL);
                t.drain(..extra);
            }
        })
        .map_err(|e| Error::Isolation(e.to_string()))?;
    Ok(Worker { process, stdin, responses, stderr })
}

/// The child's side: answer requests from stdin on stdout until stdin closes, capping the
/// address space before each. Call this from the program named in [`Isolation::Process`]; it
/// never returns normally (it exits).
pub fn serve() -> ! {
    let worker = std::thread::Builder::new().name("hamkor-extract".into()).stack_size(CHILD_STACK).spawn(|| {
        let mut stdin = std::io::stdin().lock();
        let mut stdout = std::io::stdout().lock();
        while let Ok(Some(frame)) = read_frame(&mut stdin) {
            let response = match serde_json::from_slice::<Request>(&frame) {
                Err(e) => Response::Failed(format!("bad request: {e}")),
                Ok(req) => {
                    limit_address_space(req.max_memory);
                    let path = path_from_bytes(&req.path);
                    match extract_here(&path, req.format, req.max_file_size, &req.budget) {
                        Ok(contents) => Response::Items(
                            contents
                                .items
                                .into_iter()
                                .map(|i| match i {
                                    Ok(x) => Item::Ok(x),
                                    Err(e) => Item::Err { item: e.item, reason: e.error.to_string() },
                                })
                                .collect(),
                        ),
                        Err(e) => Response::Failed(e.to_string()),
                    }
                }
            };
            let bytes = serde_json::to_vec(&response).expect("a response serialises");
            if write_frame(&mut stdout, &bytes).is_err() {
                return;
            }
        }
    });
    let code = match worker.map(|w| w.join()) {
        Ok(Ok(())) => 0,
        _ => 3,
    };
    std::process::exit(code)
}

/// Let this process's address space grow by at most `extra` bytes from now (`0`: no limit).
/// Only the soft limit is set, so that the next file can have a larger one.
#[cfg(unix)]
fn limit_address_space(extra: u64) {
    let limit = match (extra, memory(std::process::id())) {
        (0, _) | (_, None) => libc::RLIM_INFINITY,
        (extra, Some((vm, _))) => vm.saturating_add(extra) as libc::rlim_t,
    };
    let mut current = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit read or fill the struct we pass and change only this
    // process's limits.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_AS, &mut current) == 0 {
            let wanted = libc::rlimit { rlim_cur: limit.min(current.rlim_max), rlim_max: current.rlim_max };
            libc::setrlimit(libc::RLIMIT_AS, &wanted);
        }
    }
}

#[cfg(not(unix))]
fn limit_address_space(_extra: u64) {}

/// Address space and resident memory of a process, where /proc tells.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let mut fields = statm.split_whitespace().map(|f| f.parse::<u64>().ok());
    let page = 4096;
    Some((fields.next()?? * page, fields.next()?? * page))
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                libc::SIGSEGV => "a segmentation fault",
                libc::SIGABRT => "an abort",
                libc::SIGBUS => "a bus error",
                libc::SIGILL => "an illegal instruction",
                libc::SIGFPE => "an arithmetic fault",
                libc::SIGKILL => "a kill (out of memory?)",
                _ => "a signal",
            };
            return format!("the extraction process ended with {name} (signal {signal})");
        }
    }
    format!("the extraction process ended unexpectedly ({status})")
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u32).to_le_bytes())?;
    w.write_all(bytes)?;
    w.flush()
}

/// One frame, or `None` at a clean end of stream.
fn read_frame(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut buf)?;
    Ok(Some(buf))
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}
