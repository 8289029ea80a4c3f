//! Spreadsheets as CSV: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods` workbooks (ACLED's export
//! tool and UCDP's downloads hand out `.xlsx`), read with `calamine`.
//!
//! One sheet — the first, or one named — is read whole, and its rows are handed on as
//! comma-separated CSV text, one row at a time, so every command reads a workbook exactly as
//! it reads a CSV. Cells become text as a CSV export from the spreadsheet would show them,
//! except that dates are ISO 8601: a date cell is `2022-09-16`, a date and time
//! `2022-09-16T14:30:00`; numbers are written in full (`39.85125`, `2022`), booleans `TRUE` or
//! `FALSE`, error cells as their code (`#N/A`). The rows are those of the sheet's used range:
//! its first row is the header.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Range, Reader};

use crate::error::{Error, Position, Result};

/// Whether an input starting with `start` is a workbook: a ZIP archive (`.xlsx`, `.xlsb`,
/// `.ods`) or an OLE compound file (`.xls`). No CSV text starts like either.
///
/// ```
/// assert!(borderline::input::sheet::is_workbook(b"PK\x03\x04\x14\0"));
/// assert!(!borderline::input::sheet::is_workbook(b"lat,lon\n"));
/// ```
pub fn is_workbook(start: &[u8]) -> bool {
    start.starts_with(b"PK\x03\x04") || start.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
}

/// The rows of one sheet of a workbook, read as CSV text.
pub struct SheetRows {
    name: String,
    range: Range<Data>,
    next_row: usize,
    /// The CSV text of the row being handed out, and how much of it has been.
    text: Vec<u8>,
    handed: usize,
}

/// Opens the sheet named `sheet` (or the first) of the workbook held in `bytes`; `path` names
/// it in errors.
pub fn read_sheet(path: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<SheetRows> {
    let fail = |m: String| Error::input(path, Position::File, m);
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| fail(format!("unreadable spreadsheet: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        None => names
            .first()
            .cloned()
            .ok_or_else(|| fail("the workbook has no sheets".into()))?,
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned()
            .ok_or_else(|| {
                fail(format!(
                    "no sheet {wanted:?}; the workbook has {}",
                    names
                        .iter()
                        .map(|n| format!("{n:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| fail(format!("sheet {name:?}: {e}")))?;
    Ok(SheetRows {
        name,
        range,
        next_row: 0,
        text: Vec::new(),
        handed: 0,
    })
}

impl SheetRows {
    /// The sheet's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renders the next row into `text`; false after the last.
    fn render_next(&mut self) -> std::io::Result<bool> {
        let row = self.next_row;
        if row >= self.range.height() {
            return Ok(false);
        }
        self.next_row += 1;
        let cells = (0..self.range.width()).map(|column| {
            self.range
                .get((row, column))
                .map_or_else(String::new, cell_text)
        });
        self.text.clear();
        let mut writer = csv::WriterBuilder::new()
            .buffer_capacity(1024)
            .from_writer(std::mem::take(&mut self.text));
        writer.write_record(cells).map_err(std::io::Error::other)?;
        self.text = writer.into_inner().map_err(|e| e.into_error())?;
        self.handed = 0;
        Ok(true)
    }
}

impl Read for SheetRows {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.handed == self.text.len() {
            if !self.render_next()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.text.len() - self.handed);
        buf[..n].copy_from_slice(&self.text[self.handed..self.handed + n]);
        self.handed += n;
        Ok(n)
    }
}

/// A cell as CSV text (see the module documentation).
///
/// ```
/// use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
/// use borderline::input::sheet::cell_text;
/// // 44820 days after 1899-12-30 (Excel's 1900 date system).
/// let date = ExcelDateTime::new(44820.0, ExcelDateTimeType::DateTime, false);
/// assert_eq!(cell_text(&Data::DateTime(date)), "2022-09-16");
/// assert_eq!(cell_text(&Data::Float(39.85125)), "39.85125");
/// ```
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) if dt.is_duration() => {
            let seconds = (dt.as_f64() * 86_400.0).round() as i64;
            format!(
                "{}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            )
        }
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            match (hh, mm, ss, ms) {
                (0, 0, 0, 0) => format!("{y:04}-{m:02}-{d:02}"),
                (_, _, _, 0) => format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}"),
                _ => format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_a_csv_export_shows_them_with_iso_dates() {
        let date = |serial, is_1904| {
            Data::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                is_1904,
            ))
        };
        let cases = [
            (Data::Empty, ""),
            (Data::String("Vorukh, Isfara".into()), "Vorukh, Isfara"),
            (Data::Int(-7), "-7"),
            (Data::Float(2022.0), "2022"),
            (Data::Float(70.58012), "70.58012"),
            (Data::Bool(true), "TRUE"),
            (Data::Error(CellErrorType::NA), "#N/A"),
            // Hand-computed: 2022-09-16 is day 44820 of the 1900 system (day 0 = 1899-12-30)
            // and day 43358 of the 1904 system (day 0 = 1904-01-01).
            (date(44820.0, false), "2022-09-16"),
            (date(43358.0, true), "2022-09-16"),
            (date(44820.6047453704, false), "2022-09-16T14:30:50"),
            (date(1.0, false), "1900-01-01"),
            (date(61.0, false), "1900-03-01"),
            (
                Data::DateTimeIso("2022-09-16T10:00:00".into()),
                "2022-09-16T10:00:00",
            ),
            (
                Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false)),
                "36:00:00",
            ),
        ];
        for (cell, text) in cases {
            assert_eq!(cell_text(&cell), text, "{cell:?}");
        }
    }

    #[test]
    fn a_sheet_reads_as_csv_rows() {
        let mut range = Range::new((0, 0), (2, 2));
        range.set_value((0, 0), Data::String("lat".into()));
        range.set_value((0, 1), Data::String("lon".into()));
        range.set_value((0, 2), Data::String("note".into()));
        range.set_value((1, 0), Data::Float(39.85125));
        range.set_value((1, 1), Data::Float(70.58012));
        range.set_value(
            (1, 2),
            Data::String("a \"quoted\",\nmulti-line note".into()),
        );
        range.set_value((2, 0), Data::Float(40.0));
        let rows = SheetRows {
            name: "Sheet1".into(),
            range,
            next_row: 0,
            text: Vec::new(),
            handed: 0,
        };
        let mut text = String::new();
        // Small reads hand out one row in several pieces.
        let mut reader = std::io::BufReader::with_capacity(3, rows);
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(
            text,
            "lat,lon,note\n39.85125,70.58012,\"a \"\"quoted\"\",\nmulti-line note\"\n40,,\n"
        );
    }

    /// An .xlsx with a notes sheet first and the incidents, with date cells, second.
    fn workbook() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let notes = book.add_worksheet().set_name("Notes").unwrap();
        notes.write_string(0, 0, "exported by hand").unwrap();
        let sheet = book.add_worksheet().set_name("Incidents 2022").unwrap();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        for (column, name) in [
            "event_date",
            "latitude",
            "longitude",
            "fatalities",
            "timestamp",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        let day = ExcelDateTime::from_ymd(2022, 9, 16).unwrap();
        sheet.write_datetime_with_format(1, 0, &day, &date).unwrap();
        sheet.write_number(1, 1, 39.85125).unwrap();
        sheet.write_number(1, 2, 70.58012).unwrap();
        sheet.write_number(1, 3, 3).unwrap();
        let when = ExcelDateTime::from_ymd(2022, 9, 14)
            .unwrap()
            .and_hms(14, 30, 0)
            .unwrap();
        sheet
            .write_datetime_with_format(1, 4, &when, &stamp)
            .unwrap();
        book.save_to_buffer().unwrap()
    }

    fn csv_text(mut rows: SheetRows) -> String {
        let mut text = String::new();
        rows.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn an_xlsx_sheet_reads_with_iso_dates() {
        let bytes = workbook();
        assert!(is_workbook(&bytes));
        let path = Path::new("acled.xlsx");
        let rows = read_sheet(path, &bytes, Some("Incidents 2022")).unwrap();
        assert_eq!(rows.name(), "Incidents 2022");
        assert_eq!(
            csv_text(rows),
            "event_date,latitude,longitude,fatalities,timestamp\n\
             2022-09-16,39.85125,70.58012,3,2022-09-14T14:30:00\n"
        );
        // Sheet names match regardless of case and surrounding spaces.
        let rows = read_sheet(path, &bytes, Some(" incidents 2022")).unwrap();
        assert_eq!(rows.name(), "Incidents 2022");
        // The first sheet by default.
        let rows = read_sheet(path, &bytes, None).unwrap();
        assert_eq!(csv_text(rows), "exported by hand\n");
        let e = read_sheet(path, &bytes, Some("Data")).err().unwrap();
        assert_eq!(
            e.to_string(),
            "acled.xlsx: no sheet \"Data\"; the workbook has \"Notes\", \"Incidents 2022\""
        );
    }

    /// A minimal OpenDocument spreadsheet, as LibreOffice writes one (its cells hold typed
    /// values beside the text shown).
    fn ods() -> Vec<u8> {
        use std::io::Write;
        let cell = |attrs: &str, shown: &str| {
            format!("<table:table-cell {attrs}><text:p>{shown}</text:p></table:table-cell>")
        };
        let header = ["event_date", "latitude", "longitude"]
            .map(|n| cell("office:value-type=\"string\"", n))
            .concat();
        let row = [
            cell(
                "office:value-type=\"date\" office:date-value=\"2022-09-16\"",
                "16.09.22",
            ),
            cell(
                "office:value-type=\"float\" office:value=\"39.85125\"",
                "39,85",
            ),
            cell(
                "office:value-type=\"float\" office:value=\"70.58012\"",
                "70,58",
            ),
        ]
        .concat();
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
             <office:body><office:spreadsheet><table:table table:name=\"Лист1\">\
             <table:table-row>{header}</table:table-row><table:table-row>{row}</table:table-row>\
             </table:table></office:spreadsheet></office:body></office:document-content>"
        );
        let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
            <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
            <manifest:file-entry manifest:full-path=\"/\" \
            manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
            <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
            </manifest:manifest>";
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, text) in [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content.as_str()),
        ] {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn an_ods_sheet_reads_with_iso_dates() {
        let bytes = ods();
        assert!(is_workbook(&bytes));
        let rows = read_sheet(Path::new("sheet.ods"), &bytes, None).unwrap();
        assert_eq!(rows.name(), "Лист1");
        assert_eq!(
            csv_text(rows),
            "event_date,latitude,longitude\n2022-09-16,39.85125,70.58012\n"
        );
    }

    #[test]
    fn a_file_that_is_no_workbook_is_refused_by_name() {
        let e = read_sheet(Path::new("in.xlsx"), b"PK\x03\x04not really", None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.starts_with("in.xlsx: unreadable spreadsheet"), "{e}");
    }
}
