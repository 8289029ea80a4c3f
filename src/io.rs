//! Reading inputs and writing outputs: `-` for standard streams, atomic file replacement.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::error::{Error, Position, Result};

/// Longest CSV row borderline reads, in bytes (64 MiB): a longer one fails the run with
/// `FILE:line N: a CSV row longer than …` instead of being buffered whole. A row spans several
/// lines when a quoted field holds line breaks; the limit applies to the row as a whole.
pub const MAX_ROW_BYTES: u64 = 64 << 20;

/// Whether `path` names a standard stream.
pub fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a whole text file (or standard input for `-`), refusing more than `limit` bytes and
/// text that is not UTF-8. A leading byte-order mark is dropped.
pub fn read_to_string(path: &Path, limit: u64) -> Result<String> {
    let mut bytes = Vec::new();
    let read = if is_std(path) {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::input(
            path,
            Position::File,
            format!("larger than the limit of {limit} bytes"),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Error::input(
            path,
            Position::File,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Temporary files of [`Output`]s not yet committed, removed when a signal ends the run.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of unfinished [`Output`]s and
/// end the process with exit code 128 + the signal number (130 for SIGINT, 143 for SIGTERM),
/// so that an interrupted run leaves every `-o` target as it was. Call once, early in `main`.
pub fn clean_up_on_signals() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // The lock is held until the end: no output is created or committed meanwhile.
                    let files = pending();
                    for path in files.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    signal_hook::low_level::exit(128 + signal);
                }
            })?;
    }
    Ok(())
}

/// An output that is either standard output or a file replaced atomically on [`Output::commit`]:
/// the data goes to a temporary file beside the target, renamed over it only when complete, so
/// a failed or interrupted run never leaves a partial file.
pub struct Output {
    target: Option<PathBuf>,
    temp: Option<tempfile::NamedTempFile>,
    writer: BufWriter<Box<dyn Write + Send>>,
}

impl Output {
    /// Opens `path` for writing (`-` or `None`: standard output).
    pub fn create(path: Option<&Path>) -> Result<Output> {
        match path.filter(|p| !is_std(p)) {
            None => Ok(Output {
                target: None,
                temp: None,
                writer: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
            }),
            Some(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let mut pending = pending();
                let temp = tempfile::Builder::new()
                    .prefix(".borderline-")
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .map_err(|e| Error::io(path, e))?;
                pending.push(temp.path().to_path_buf());
                drop(pending);
                let file = temp.reopen().map_err(|e| Error::io(path, e))?;
                Ok(Output {
                    target: Some(path.to_path_buf()),
                    temp: Some(temp),
                    writer: BufWriter::with_capacity(1 << 16, Box::new(file)),
                })
            }
        }
    }

    /// The path written to, for messages (`-` for standard output).
    pub fn path(&self) -> PathBuf {
        self.target.clone().unwrap_or_else(|| PathBuf::from("-"))
    }

    /// Flushes and, for a file, renames the temporary file over the target.
    pub fn commit(mut self) -> Result<()> {
        let path = self.path();
        let failed = |source| Error::Write {
            path: path.clone(),
            source,
        };
        self.writer.flush().map_err(failed)?;
        if let (Some(temp), Some(target)) = (self.temp.take(), self.target.take()) {
            temp.as_file().sync_all().map_err(failed)?;
            #[cfg(unix)]
            {
                // Temporary files are private (0600); the result should be an ordinary file.
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::Permissions::from_mode(0o644);
                temp.as_file()
                    .set_permissions(mode)
                    .map_err(|e| Error::io(&path, e))?;
            }
            let mut pending = pending();
            pending.retain(|p| p != temp.path());
            temp.persist(&target)
                .map_err(|e| Error::io(&target, e.error))?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // An uncommitted temporary file is deleted by its drop, under the lock so that a
        // signal cannot end the process between the two.
        if let Some(temp) = self.temp.take() {
            let mut pending = pending();
            pending.retain(|p| p != temp.path());
            drop(temp);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Why [`RowLimit`] stopped: a CSV row longer than its limit.
#[derive(Debug)]
pub struct RowTooLong {
    /// 1-based line on which the row starts.
    pub line: u64,
    /// The limit, bytes.
    pub limit: u64,
}

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a CSV row longer than {} bytes ({} MiB), the limit (is a quote left open?)",
            self.limit,
            self.limit >> 20
        )
    }
}

impl std::error::Error for RowTooLong {}

/// Bytes a CSV reader over a [`RowLimit`] buffers ahead of the row it parses.
pub const CSV_BUFFER_BYTES: usize = 256 << 10;

/// Where the CSV parser reading from a [`RowLimit`] is: the byte offset and line at which its
/// current row starts, as it reports after each row ([`RowLimit::mark`]).
#[derive(Debug, Default)]
pub struct RowStart {
    byte: AtomicU64,
    line: AtomicU64,
}

impl RowStart {
    /// Records that the parser's current row starts at `position`.
    pub fn mark(&self, position: &csv::Position) {
        self.byte.store(position.byte(), Ordering::Relaxed);
        self.line.store(position.line(), Ordering::Relaxed);
    }
}

/// A reader of CSV bytes that fails with [`RowTooLong`] (as an [`std::io::Error`] of kind
/// `InvalidData`) once the parser reading from it would hold more than `limit` bytes of one row,
/// so that it never buffers more than that for one row.
///
/// The parser says where its current row starts ([`RowStart::mark`]); a parser buffering at most
/// [`CSV_BUFFER_BYTES`] ahead has then read at most that much beyond the row when it asks for
/// more, so rows of up to `limit` bytes are read and the limit never looks at a byte: the
/// parser's own scan is the only one.
pub struct RowLimit<R> {
    inner: R,
    limit: u64,
    handed: u64,
    start: Arc<RowStart>,
}

impl<R> RowLimit<R> {
    /// `inner`, failing once a row passes `limit` bytes; the parser marks its rows in `start`.
    pub fn new(inner: R, limit: u64, start: Arc<RowStart>) -> Self {
        RowLimit {
            inner,
            limit,
            handed: 0,
            start,
        }
    }
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let row_start = self.start.byte.load(Ordering::Relaxed);
        if self.handed.saturating_sub(row_start) > self.limit + CSV_BUFFER_BYTES as u64 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RowTooLong {
                    line: self.start.line.load(Ordering::Relaxed).max(1),
                    limit: self.limit,
                },
            ));
        }
        let n = self.inner.read(buf)?;
        self.handed += n as u64;
        Ok(n)
    }
}

/// The [`Error`] for a failure of a CSV reader of `path`: a [`RowTooLong`] names the row's
/// line; anything else is `what: …` at the position the reader gives.
pub fn csv_error(path: &Path, e: &csv::Error, what: &str) -> Error {
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(long) = io.get_ref().and_then(|s| s.downcast_ref::<RowTooLong>())
    {
        return Error::input(path, Position::Line(long.line), long.to_string());
    }
    let position = e
        .position()
        .map_or(Position::File, |p| Position::Line(p.line()));
    Error::input(path, position, format!("{what}: {e}"))
}
