//! Reading inputs: `-` for standard input, size limits, the CSV row-size limit.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Bytes a [`CsvReader`] buffers ahead of the row it parses.
pub const CSV_BUFFER_BYTES: usize = 256 << 10;

/// Where the parser reading from a [`RowLimit`] is: the byte offset and line at which its
/// current row starts, as the [`CsvReader`] over it records after each row.
#[derive(Debug, Default)]
pub struct RowStart {
    byte: AtomicU64,
    line: AtomicU64,
}

impl RowStart {
    /// Records that the parser's current row starts at `position`.
    fn mark(&self, position: &csv::Position) {
        self.byte.store(position.byte(), Ordering::Relaxed);
        self.line.store(position.line(), Ordering::Relaxed);
    }

    fn too_long(&self, limit: u64) -> RowTooLong {
        RowTooLong {
            line: self.line.load(Ordering::Relaxed).max(1),
            limit,
        }
    }
}

/// A reader of CSV bytes that fails with [`RowTooLong`] (as an [`std::io::Error`] of kind
/// `InvalidData`) once the parser reading from it would hold more than `limit` bytes of one
/// row beyond its read-ahead, so that a parser never buffers a row much longer than that.
///
/// The parser says where its current row starts ([`RowStart`], kept by [`CsvReader`]); buffering
/// at most [`CSV_BUFFER_BYTES`] ahead, it has read at most that much beyond the row when it asks
/// for more. The limit never looks at a byte: the parser's own scan is the only one.
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
            let long = self.start.too_long(self.limit);
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, long));
        }
        let n = self.inner.read(buf)?;
        self.handed += n as u64;
        Ok(n)
    }
}

/// A `csv` reader whose rows are at most `limit` bytes (their line end aside): it tells the
/// [`RowLimit`] under it where each row starts, so that a row left open (a quote never closed)
/// stops the reader within [`CSV_BUFFER_BYTES`] of the limit, and checks each row it reads.
///
/// ```
/// use borderline::io::CsvReader;
/// let builder = csv::ReaderBuilder::new();
/// let mut reader = CsvReader::new(builder, &b"a,b\n1,\"22\"\n"[..], 3);
/// assert_eq!(reader.byte_headers().unwrap().len(), 2);
/// let mut row = csv::ByteRecord::new();
/// let e = reader.read_byte_record(&mut row).unwrap_err();
/// assert!(e.to_string().starts_with("a CSV row longer than 3 bytes"), "{e}");
/// ```
pub struct CsvReader<R> {
    reader: csv::Reader<RowLimit<R>>,
    start: Arc<RowStart>,
    limit: u64,
}

impl<R: Read> CsvReader<R> {
    /// Reads `input` as `builder` says, with rows of at most `limit` bytes.
    pub fn new(mut builder: csv::ReaderBuilder, input: R, limit: u64) -> Self {
        let start = Arc::new(RowStart::default());
        let reader = builder
            .buffer_capacity(CSV_BUFFER_BYTES)
            .from_reader(RowLimit::new(input, limit, Arc::clone(&start)));
        CsvReader {
            reader,
            start,
            limit,
        }
    }

    /// The header row (read on first use), as [`csv::Reader::byte_headers`].
    pub fn byte_headers(&mut self) -> csv::Result<&csv::ByteRecord> {
        self.reader.byte_headers()?;
        self.start.mark(self.reader.position());
        self.reader.byte_headers()
    }

    /// Reads the next row into `record`, as [`csv::Reader::read_byte_record`]; a row longer
    /// than the limit is an error ([`RowTooLong`]).
    pub fn read_byte_record(&mut self, record: &mut csv::ByteRecord) -> csv::Result<bool> {
        let read = self.reader.read_byte_record(record)?;
        let from = self.start.byte.load(Ordering::Relaxed);
        let to = self.reader.position().byte();
        // The row's bytes, its line end (one byte once read) aside.
        if read && (to - from).saturating_sub(1) > self.limit {
            let long = self.start.too_long(self.limit);
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, long).into());
        }
        self.start.mark(self.reader.position());
        Ok(read)
    }

    /// Where the next row starts.
    pub fn position(&self) -> &csv::Position {
        self.reader.position()
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
