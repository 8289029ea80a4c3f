//! Reading inputs: `-` for standard input, size limits, the CSV row-size limit.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Position, Result};
use crate::input::lexer::CsvLexer;

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

/// A reader of CSV bytes that fails with [`RowTooLong`] (as an [`std::io::Error`] of kind
/// `InvalidData`) once a row grows past `limit` bytes, so that a CSV parser reading from it
/// never buffers more than that for one row.
pub struct RowLimit<R> {
    inner: R,
    limit: u64,
    lexer: CsvLexer,
    row_bytes: u64,
    line: u64,
    row_line: u64,
}

impl<R> RowLimit<R> {
    /// Limits the rows of comma-separated `inner` to `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        RowLimit::with_delimiter(inner, limit, b',')
    }

    /// Limits the rows of `inner`, whose fields are separated by `delimiter`, to `limit` bytes.
    pub fn with_delimiter(inner: R, limit: u64, delimiter: u8) -> Self {
        RowLimit {
            inner,
            limit,
            lexer: CsvLexer::new(delimiter),
            row_bytes: 0,
            line: 1,
            row_line: 1,
        }
    }
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            let ends_row = self.lexer.ends_row(b);
            if b == b'\n' {
                self.line += 1;
            }
            if ends_row {
                self.row_bytes = 0;
                self.row_line = self.line;
            } else {
                self.row_bytes += 1;
                if self.row_bytes > self.limit {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        RowTooLong {
                            line: self.row_line,
                            limit: self.limit,
                        },
                    ));
                }
            }
        }
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
