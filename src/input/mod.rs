//! Reading incident files: opening them (`-` for standard input), their header, and which
//! column holds what. `tag`, `report`, `export` and `map` all read through here, so they agree
//! on what a file says.
//!
//! Incident tables come as people have them: CSV with `,` `;` tab or `|` between fields, in
//! UTF-8, UTF-16 or a legacy code page, with LF, CRLF or bare CR line ends — or an Excel or
//! LibreOffice workbook. [`CsvInput::open`] looks at the first bytes of a file (or of standard
//! input) and hands every command the same thing: CSV text for the `csv` crate to parse, its
//! [`Delimiter`], and the [`TextEncoding`] in which to show its fields.
//!
//! - A workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`, recognised by its content, not its
//!   name) becomes the CSV rows of one sheet ([`sheet`]), comma-separated.
//! - Text is transcoded to UTF-8 when it is UTF-16 ([`encoding`]); other encodings pass
//!   untouched. A UTF-8 byte-order mark is dropped.
//! - The delimiter is sniffed from the header line unless one is named ([`delimiter`]).
//! - A file whose lines end in CR (bare, or CRLF) has its row ends made LF ([`line_ends`]), so
//!   that the line numbers in messages are the file's.
//!
//! ```
//! use std::io::Read;
//! use borderline::input::{CsvInput, InputOptions};
//! use borderline::input::delimiter::Delimiter;
//! let text = "\u{feff}id;lat;lon\r1;39,9;70,5\r";
//! let input = CsvInput::from_reader("in.csv".as_ref(), text.as_bytes(), &InputOptions::default())
//!     .unwrap();
//! assert_eq!(input.delimiter, Delimiter::Semicolon);
//! let mut reader = input.csv_reader();
//! let mut row = csv::ByteRecord::new();
//! assert!(reader.read_byte_record(&mut row).unwrap());
//! assert_eq!((&row[1], row.position().unwrap().line()), (&b"39,9"[..], 2));
//! ```

mod columns;
pub mod delimiter;
pub mod encoding;
pub mod lexer;
pub mod line_ends;
pub mod sheet;

use std::io::{Cursor, Read};
use std::path::Path;

pub use columns::{
    ColumnChoice, ColumnSpec, Columns, DATE_NAMES, FATALITY_NAMES, ID_NAMES, LAT_NAMES, LON_NAMES,
    PLACE_NAMES, PRECISION_NAMES, PrecisionColumn, clean_header, detect_columns,
    detect_context_columns, find_column, first_column, missing_column,
};
pub use delimiter::Delimiter;
pub use encoding::TextEncoding;

use crate::error::{Error, Position, Result};
use crate::io::{CsvReader, MAX_ROW_BYTES, is_std};

/// Largest workbook read, in bytes (1 GiB): a workbook is read whole before its sheet is.
pub const MAX_WORKBOOK_BYTES: u64 = 1 << 30;

/// Bytes enough to recognise a workbook (its 8-byte signature) or UTF-16 without a BOM.
const START_BYTES: usize = 8;

/// Longest header line looked at to sniff the delimiter (a longer one is sniffed from its
/// start).
const MAX_HEADER_BYTES: usize = 1 << 20;

/// Opens `path` for reading as it is (`-`: standard input), for [`CsvInput::from_reader`].
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    if is_std(path) {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(Box::new(file))
}

/// How to read an input: what the user named; `None` is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// The field delimiter [default: sniffed from the header line].
    pub delimiter: Option<Delimiter>,
    /// The text encoding [default: from the byte-order mark, else UTF-8].
    pub encoding: Option<TextEncoding>,
    /// The sheet of a workbook to read [default: the first]; an error for a text input.
    pub sheet: Option<String>,
}

/// What an input turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// CSV text.
    Text,
    /// A workbook, of which the named sheet is read.
    Workbook {
        /// The sheet read.
        sheet: String,
    },
}

/// An input ready for a CSV parser (see the module documentation).
pub struct CsvInput<'a> {
    /// The CSV text as the parser reads it.
    reader: Box<dyn Read + Send + 'a>,
    /// The field delimiter of the text the parser reads (`,` for a workbook).
    pub delimiter: Delimiter,
    /// How to show the parsed fields as text.
    pub encoding: TextEncoding,
    /// Text or workbook.
    pub kind: InputKind,
}

impl<'a> CsvInput<'a> {
    /// Opens `path` (`-`: standard input).
    pub fn open(path: &Path, options: &InputOptions) -> Result<CsvInput<'static>> {
        CsvInput::from_reader(path, open(path)?, options)
    }

    /// Reads `input`, named `path` in errors.
    pub fn from_reader(
        path: &Path,
        mut input: impl Read + Send + 'a,
        options: &InputOptions,
    ) -> Result<CsvInput<'a>> {
        let start = read_up_to(&mut input, START_BYTES).map_err(|e| Error::io(path, e))?;
        if sheet::is_workbook(&start) {
            return CsvInput::workbook(path, Cursor::new(start).chain(input), options);
        }
        if options.sheet.is_some() {
            return Err(Error::input(
                path,
                Position::File,
                "a sheet was named, but this is CSV text, not a workbook (xlsx, xls, ods)",
            ));
        }
        let (encoding, bom) = TextEncoding::detect(&start, options.encoding)
            .map_err(|m| Error::input(path, Position::File, m))?;
        let mut start = start;
        if !encoding.is_transcoded() {
            // The transcoder drops a UTF-16 BOM itself; a UTF-8 one is dropped here.
            start.drain(..bom);
        }
        let mut text = encoding.reader(Cursor::new(start).chain(input));
        let (head, delimiter, ends_in_cr) =
            read_header_line(&mut text, options.delimiter).map_err(|e| Error::io(path, e))?;
        let text = Cursor::new(head).chain(text);
        let reader: Box<dyn Read + Send + 'a> = if ends_in_cr {
            Box::new(line_ends::LineEnds::new(text, delimiter.byte()))
        } else {
            Box::new(text)
        };
        Ok(CsvInput {
            reader,
            delimiter,
            encoding,
            kind: InputKind::Text,
        })
    }

    fn workbook(path: &Path, input: impl Read, options: &InputOptions) -> Result<CsvInput<'a>> {
        let mut bytes = Vec::new();
        input
            .take(MAX_WORKBOOK_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
            return Err(Error::input(
                path,
                Position::File,
                format!("a workbook larger than the limit of {MAX_WORKBOOK_BYTES} bytes"),
            ));
        }
        let rows = sheet::read_sheet(path, &bytes, options.sheet.as_deref())?;
        Ok(CsvInput {
            kind: InputKind::Workbook {
                sheet: rows.name().to_string(),
            },
            reader: Box::new(rows),
            delimiter: Delimiter::Comma,
            encoding: TextEncoding::UTF_8,
        })
    }

    /// A CSV reader of the input with its header row, its delimiter, rows of any length
    /// (`flexible`: a short or long row is the reader's to judge, not an error of the parser)
    /// and the row-size limit [`MAX_ROW_BYTES`].
    pub fn csv_reader(self) -> CsvReader<Box<dyn Read + Send + 'a>> {
        let mut builder = csv::ReaderBuilder::new();
        builder
            .flexible(true)
            .has_headers(true)
            .delimiter(self.delimiter.byte());
        CsvReader::new(builder, self.reader, MAX_ROW_BYTES)
    }

    /// The CSV text as the parser would read it.
    pub fn into_reader(self) -> Box<dyn Read + Send + 'a> {
        self.reader
    }
}

/// A header row: its fields as the file has them (byte-order mark removed), and as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The fields' bytes, written back unchanged.
    pub raw: csv::ByteRecord,
    /// The fields as text (decoded with the input's encoding, invalid sequences replaced), for
    /// finding columns and for messages.
    pub names: Vec<String>,
}

/// The header of `reader`, whose fields are in `encoding`; an empty file is an error.
pub fn read_header<R: Read>(
    path: &Path,
    reader: &mut CsvReader<R>,
    encoding: TextEncoding,
) -> Result<Header> {
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
        .map(|h| encoding.decode(h).into_owned())
        .collect();
    Ok(Header { raw, names })
}

/// A decimal number in a file separated by `delimiter`: `39.85125`, or, where fields are not
/// comma-separated, with a decimal comma (`39,85125`, as European-locale Excel writes
/// coordinates in `;`-separated files). In a comma-separated file, a quoted `"39,9"` is more
/// likely two numbers in one field than one number, and is not read. A comma is read as the
/// decimal point only where it is the number's one separator. Whether the value is finite is
/// the caller's to judge.
///
/// ```
/// use borderline::input::{Delimiter, parse_decimal};
/// assert_eq!(parse_decimal("39,85125", Delimiter::Semicolon), Some(39.85125));
/// assert_eq!(parse_decimal("39,85125", Delimiter::Comma), None);
/// assert_eq!(parse_decimal(" -70.5 ", Delimiter::Comma), Some(-70.5));
/// assert_eq!(parse_decimal("1,234.5", Delimiter::Tab), None);
/// assert_eq!(parse_decimal("1,2,3", Delimiter::Tab), None);
/// ```
pub fn parse_decimal(text: &str, delimiter: Delimiter) -> Option<f64> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(v) => Some(v),
        Err(_)
            if delimiter != Delimiter::Comma
                && text.matches(',').count() == 1
                && !text.contains('.') =>
        {
            text.replacen(',', ".", 1).parse().ok()
        }
        Err(_) => None,
    }
}

/// Reads until at least `want` bytes are in, or the input ends: whatever each read hands out,
/// so that a slow input (a pipe) is not waited on for more than it has to give.
fn read_up_to(input: &mut impl Read, want: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    while buf.len() < want && read_more(input, &mut buf)? > 0 {}
    Ok(buf)
}

/// Appends what one read of `input` hands out (up to 8 KiB) to `buf`: the number of bytes.
fn read_more(input: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 8192];
    loop {
        match input.read(&mut chunk) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads the header line of `text` (or up to [`MAX_HEADER_BYTES`] of it): returns what was
/// read, the delimiter (`forced`, else sniffed from it) and whether the line ends in CR (a bare
/// CR or CRLF).
fn read_header_line(
    text: &mut impl Read,
    forced: Option<Delimiter>,
) -> std::io::Result<(Vec<u8>, Delimiter, bool)> {
    let mut head = Vec::new();
    loop {
        let delimiter = forced.unwrap_or_else(|| Delimiter::sniff(&head));
        if let Some(end) = line_ends::first_row_end(&head, delimiter.byte()) {
            return Ok((head, delimiter, end == b'\r'));
        }
        if head.len() >= MAX_HEADER_BYTES || read_more(text, &mut head)? == 0 {
            return Ok((head, delimiter, false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The delimiter, kind, rows (header first, decoded) and line numbers of the rows read
    /// from `bytes`.
    fn read(
        bytes: &[u8],
        options: &InputOptions,
    ) -> (Delimiter, InputKind, Vec<Vec<String>>, Vec<u64>) {
        let input =
            CsvInput::from_reader(Path::new("in.csv"), Cursor::new(bytes.to_vec()), options)
                .unwrap();
        let (delimiter, kind, encoding) = (input.delimiter, input.kind.clone(), input.encoding);
        let mut reader = input.csv_reader();
        let decode = |r: &csv::ByteRecord| -> Vec<String> {
            r.iter().map(|f| encoding.decode(f).into_owned()).collect()
        };
        let mut rows = vec![decode(reader.byte_headers().unwrap())];
        let mut lines = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            lines.push(record.position().unwrap().line());
            rows.push(decode(&record));
        }
        (delimiter, kind, rows, lines)
    }

    fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|f| f.to_string()).collect())
            .collect()
    }

    #[test]
    fn every_form_reads_to_the_same_rows() {
        let expected = strings(&[
            &["id", "lat", "lon", "place"],
            &["1", "39.85", "70.58", "Ворух"],
            &["2", "40.06", "70.82", "Баткен, \"центр\""],
        ]);
        let utf8 = String::from(
            "id,lat,lon,place\n1,39.85,70.58,Ворух\n2,40.06,70.82,\"Баткен, \"\"центр\"\"\"\n",
        );
        let semicolon = utf8.replace(',', ";").replace("Баткен; ", "Баткен, ");
        let tab = utf8.replace(',', "\t").replace("Баткен\t ", "Баткен, ");
        let pipe_crlf = utf8
            .replace(',', "|")
            .replace("Баткен| ", "Баткен, ")
            .replace('\n', "\r\n");
        let cr_only = semicolon.replace('\n', "\r");
        let mut utf16le = vec![0xff, 0xfe];
        utf16le.extend(tab.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf16be = vec![0xfe, 0xff];
        utf16be.extend(cr_only.encode_utf16().flat_map(u16::to_be_bytes));
        let bom = format!("\u{feff}{semicolon}");
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&semicolon);
        let cases: Vec<(&str, Vec<u8>, Option<TextEncoding>, Delimiter)> = vec![
            ("utf-8 ,", utf8.clone().into_bytes(), None, Delimiter::Comma),
            (
                "utf-8 ;",
                semicolon.clone().into_bytes(),
                None,
                Delimiter::Semicolon,
            ),
            ("utf-8 tab", tab.clone().into_bytes(), None, Delimiter::Tab),
            (
                "utf-8 | crlf",
                pipe_crlf.into_bytes(),
                None,
                Delimiter::Pipe,
            ),
            (
                "utf-8 ; cr",
                cr_only.clone().into_bytes(),
                None,
                Delimiter::Semicolon,
            ),
            ("utf-8 bom", bom.into_bytes(), None, Delimiter::Semicolon),
            ("utf-16le tab", utf16le, None, Delimiter::Tab),
            ("utf-16be ; cr", utf16be, None, Delimiter::Semicolon),
            (
                "windows-1251 ;",
                cp1251.into_owned(),
                Some("windows-1251".parse().unwrap()),
                Delimiter::Semicolon,
            ),
        ];
        for (what, bytes, encoding, delimiter) in cases {
            let options = InputOptions {
                encoding,
                ..InputOptions::default()
            };
            let (found, kind, rows, lines) = read(&bytes, &options);
            assert_eq!(found, delimiter, "{what}");
            assert_eq!(rows, expected, "{what}");
            assert_eq!(lines, vec![2, 3], "{what}: line numbers");
            assert_eq!(kind, InputKind::Text);
        }
    }

    #[test]
    fn a_named_delimiter_wins_over_sniffing() {
        let options = InputOptions {
            delimiter: Some(Delimiter::Semicolon),
            ..InputOptions::default()
        };
        // Sniffing would choose `,` (two of them against one `;`).
        let (found, _, rows, _) = read(b"a,b;c,d\n1,2;3,4\n", &options);
        assert_eq!(found, Delimiter::Semicolon);
        assert_eq!(rows, strings(&[&["a,b", "c,d"], &["1,2", "3,4"]]));
    }

    #[test]
    fn line_numbers_count_quoted_line_breaks_of_cr_files() {
        // A quoted field holding a CRLF spans two lines, as in an LF file.
        let (_, _, rows, lines) = read(b"id;note\r1;\"a\r\nb\"\r2;c\r", &InputOptions::default());
        assert_eq!(rows[1], vec!["1".to_string(), "a\r\nb".into()]);
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn short_inputs_and_a_header_alone() {
        for text in [&b""[..], b"lat", b"lat;lon", b"lat;lon\r", b"lat;lon\r\n"] {
            let (found, _, rows, lines) = read(text, &InputOptions::default());
            assert!(lines.is_empty());
            assert_eq!(rows.len(), 1, "{text:?}");
            if text.len() > 3 {
                assert_eq!(found, Delimiter::Semicolon, "{text:?}");
            }
        }
    }

    #[test]
    fn a_sheet_named_for_a_text_input_is_an_error() {
        let options = InputOptions {
            sheet: Some("Data".into()),
            ..InputOptions::default()
        };
        let e = CsvInput::from_reader(Path::new("in.csv"), &b"lat,lon\n"[..], &options)
            .err()
            .unwrap();
        assert!(
            e.to_string().starts_with("in.csv: a sheet was named"),
            "{e}"
        );
    }

    #[test]
    fn utf16_without_bom_names_the_file() {
        let bytes: Vec<u8> = "lat,lon\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let e = CsvInput::from_reader(
            Path::new("u.txt"),
            Cursor::new(bytes),
            &InputOptions::default(),
        )
        .err()
        .unwrap();
        assert!(
            e.to_string().starts_with("u.txt: looks like UTF-16LE"),
            "{e}"
        );
    }
}
