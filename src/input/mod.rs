//! Reading incident files: opening them (`-` for standard input), their header, and which
//! column holds what. `tag`, `report`, `export` and `map` all read through here, so they agree
//! on what a file says.

mod columns;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

pub use columns::{
    ColumnChoice, ColumnSpec, Columns, DATE_NAMES, FATALITY_NAMES, LAT_NAMES, LON_NAMES,
    PRECISION_NAMES, PrecisionColumn, clean_header, detect_columns, find_column, missing_column,
};

use crate::error::{Error, Position, Result};
use crate::io::{RowLimit, RowStart};

/// Opens `path` for reading (`-`: standard input).
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    if crate::io::is_std(path) {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(Box::new(file))
}

/// A CSV reader of `input` as every command reads incident files: a header row, rows of any
/// width (the commands say what they do with ragged ones), at most [`crate::io::MAX_ROW_BYTES`]
/// a row.
pub fn csv_reader<R: Read>(input: R) -> CsvReader<R> {
    let start = Arc::new(RowStart::default());
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(crate::io::CSV_BUFFER_BYTES)
        .from_reader(RowLimit::new(
            input,
            crate::io::MAX_ROW_BYTES,
            Arc::clone(&start),
        ));
    CsvReader { reader, start }
}

/// A `csv` reader whose rows are at most [`crate::io::MAX_ROW_BYTES`] long: it tells the
/// [`RowLimit`] under it where each row starts.
pub struct CsvReader<R> {
    reader: csv::Reader<RowLimit<R>>,
    start: Arc<RowStart>,
}

impl<R: Read> CsvReader<R> {
    /// The header row (read on first use), as [`csv::Reader::byte_headers`].
    pub fn byte_headers(&mut self) -> csv::Result<&csv::ByteRecord> {
        self.reader.byte_headers()?;
        self.start.mark(self.reader.position());
        self.reader.byte_headers()
    }

    /// Reads the next row into `record`, as [`csv::Reader::read_byte_record`].
    pub fn read_byte_record(&mut self, record: &mut csv::ByteRecord) -> csv::Result<bool> {
        let read = self.reader.read_byte_record(record);
        self.start.mark(self.reader.position());
        read
    }

    /// Where the next row starts.
    pub fn position(&self) -> &csv::Position {
        self.reader.position()
    }
}

/// A header row: its fields as the file has them (byte-order mark removed), and as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The fields' bytes, written back unchanged.
    pub raw: csv::ByteRecord,
    /// The fields as text (invalid UTF-8 replaced), for finding columns and for messages.
    pub names: Vec<String>,
}

/// The header of `reader`; an empty file is an error.
pub fn read_header<R: Read>(path: &Path, reader: &mut CsvReader<R>) -> Result<Header> {
    let mut raw = reader
        .byte_headers()
        .map_err(|e| crate::io::csv_error(path, &e, "unreadable header"))?
        .clone();
    if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
        return Err(Error::input(
            path,
            Position::File,
            "empty file: no header row",
        ));
    }
    if let Some(first) = raw
        .get(0)
        .and_then(|h| h.strip_prefix("\u{feff}".as_bytes()))
    {
        let mut fixed = csv::ByteRecord::from(vec![first.to_vec()]);
        fixed.extend(raw.iter().skip(1));
        raw = fixed;
    }
    let names = raw
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    Ok(Header { raw, names })
}
