//! Files as people have them: the same incidents as a UTF-8 CSV, a `;` CSV, a tab-separated
//! file, UTF-16 "Unicode text", a Windows-1251 CSV, a CR-only CSV and an `.xlsx` workbook tag to
//! the same tag columns, keep their own delimiter (a workbook becomes a CSV), and `export
//! --incidents`, `report` and `map` read every result as they read the UTF-8 one.
//!
//! The variants are written here with independent writers (the `csv` crate with another
//! delimiter, `encoding_rs`' encoders, `rust_xlsxwriter`), and the oracle is the UTF-8 CSV's
//! tagging, itself checked against brute force and geographiclib in tests/nearest.rs and
//! tests/golden.rs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_borderline");

/// The incidents: id, ISO date, lat, lon, place (Cyrillic), a note with delimiters and quotes.
const ROWS: [[&str; 6]; 5] = [
    [
        "1",
        "2022-09-16",
        "39.85125",
        "70.58012",
        "Ворух",
        "shelling; \"heavy\", 3 dead",
    ],
    [
        "2",
        "2022-09-14",
        "39.949722",
        "70.535833",
        "Кок-Таш",
        "border post\tfire",
    ],
    [
        "3",
        "2021-04-29",
        "40.06259",
        "70.81939",
        "Баткен",
        "roads | closed",
    ],
    ["4", "2022-09-17", "40.52828", "72.7985", "Ош", ""],
    ["5", "2022-09-16", "95.1", "70.5", "нигде", "bad latitude"],
];
const HEADER: [&str; 6] = [
    "event_id",
    "event_date",
    "latitude",
    "longitude",
    "location",
    "notes",
];

/// The rows as CSV text with `delimiter`, LF line ends.
fn csv_text(delimiter: u8) -> String {
    csv_text_with(delimiter, |row| row.map(String::from))
}

/// The rows, changed by `change`, as CSV text with `delimiter`.
fn csv_text_with(delimiter: u8, change: impl Fn([&str; 6]) -> [String; 6]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for row in ROWS {
        w.write_record(change(row)).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The rows as an .xlsx: dates as Excel date cells, coordinates and ids as numbers.
fn xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    for (r, row) in ROWS.iter().enumerate() {
        let r = r as u32 + 1;
        sheet
            .write_number(r, 0, row[0].parse::<f64>().unwrap())
            .unwrap();
        let ymd: Vec<u16> = row[1].split('-').map(|p| p.parse().unwrap()).collect();
        let day = ExcelDateTime::from_ymd(ymd[0], ymd[1] as u8, ymd[2] as u8).unwrap();
        sheet.write_datetime_with_format(r, 1, &day, &date).unwrap();
        for c in [2, 3] {
            sheet
                .write_number(r, c, row[c as usize].parse::<f64>().unwrap())
                .unwrap();
        }
        sheet.write_string(r, 4, row[4]).unwrap();
        if !row[5].is_empty() {
            sheet.write_string(r, 5, row[5]).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// A variant of the incident file: its name, bytes, extra `tag` flags, and the delimiter its
/// tagged output keeps.
struct Variant {
    name: &'static str,
    bytes: Vec<u8>,
    flags: Vec<&'static str>,
    delimiter: u8,
}

fn variants() -> Vec<Variant> {
    let semicolon = csv_text(b';');
    let tab = csv_text(b'\t');
    let (cp1251, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&semicolon);
    assert!(!unmappable);
    let variant = |name, bytes: Vec<u8>, flags: Vec<&'static str>, delimiter| Variant {
        name,
        bytes,
        flags,
        delimiter,
    };
    vec![
        variant(
            "semicolon.csv",
            semicolon.clone().into_bytes(),
            vec![],
            b';',
        ),
        variant("tab.txt", tab.clone().into_bytes(), vec![], b'\t'),
        variant("unicode.txt", utf16le_with_bom(&tab), vec![], b'\t'),
        variant("cyrillic.csv", cp1251.clone().into_owned(), vec![], b';'),
        variant(
            "cyrillic-named.csv",
            cp1251.into_owned(),
            vec!["--encoding", "windows-1251"],
            b';',
        ),
        variant(
            "mac.csv",
            semicolon.replace('\n', "\r").into_bytes(),
            vec![],
            b';',
        ),
        variant(
            "pipe-forced.csv",
            csv_text(b'|').into_bytes(),
            vec!["--delimiter", "|"],
            b'|',
        ),
        variant("acled.xlsx", xlsx(), vec![], b','),
        // European Excel: `;` between fields, decimal commas in the coordinates.
        variant(
            "decimal-comma.csv",
            csv_text_with(b';', |row| {
                let mut row = row.map(String::from);
                row[2] = row[2].replace('.', ",");
                row[3] = row[3].replace('.', ",");
                row
            })
            .into_bytes(),
            vec![],
            b';',
        ),
    ]
}

fn run(args: &[&str], dir: &Path) -> std::process::Output {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Tags `file` into `out` (with `flags`) and returns the output's rows as byte records.
fn tag(dir: &Path, file: &str, flags: &[&str], out: &str, delimiter: u8) -> Vec<csv::ByteRecord> {
    let mut args = vec!["tag", file, "-o", out, "-q", "--as-of", "2022-10-07"];
    args.extend_from_slice(flags);
    run(&args, dir);
    let bytes = std::fs::read(dir.join(out)).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(&bytes[..])
        .byte_records()
        .map(|r| r.unwrap())
        .collect()
}

/// The fields after the input's columns: what tag appended.
fn tags(rows: &[csv::ByteRecord]) -> Vec<Vec<Vec<u8>>> {
    rows.iter()
        .map(|r| r.iter().skip(HEADER.len()).map(<[u8]>::to_vec).collect())
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn every_form_of_the_file_tags_like_the_utf8_csv_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    write(dir, "plain.csv", csv_text(b',').as_bytes());
    let expected = tag(dir, "plain.csv", &[], "plain.tagged.csv", b',');
    assert_eq!(expected.len(), ROWS.len() + 1);
    let expected_tags = tags(&expected);
    // The oracle has tagged rows and one bad row, so the comparison can fail either way.
    let header: Vec<&[u8]> = expected[0].iter().collect();
    let error_column = header.iter().position(|h| *h == b"tag_error").unwrap();
    let segment_column = header.iter().position(|h| *h == b"segment_id").unwrap();
    assert!(!expected[1][segment_column].is_empty());
    assert!(!expected[5][error_column].is_empty());
    let report = |file: &str, flags: &[&str]| {
        let mut args = vec!["report", file, "--format", "csv"];
        args.extend_from_slice(flags);
        run(&args, dir).stdout
    };
    let expected_report = report("plain.tagged.csv", &[]);
    assert!(expected_report.len() > 100);

    for v in variants() {
        write(dir, v.name, &v.bytes);
        let out = format!("{}.tagged", v.name);
        let rows = tag(dir, v.name, &v.flags, &out, v.delimiter);
        assert_eq!(tags(&rows), expected_tags, "{}: tag columns", v.name);
        // The input's own fields come out as they were (UTF-16 as UTF-8, a workbook's dates
        // as ISO dates).
        for (i, row) in rows.iter().enumerate().skip(1) {
            let fields: Vec<&[u8]> = row.iter().take(HEADER.len()).collect();
            let want = ROWS[i - 1];
            if v.name == "decimal-comma.csv" {
                assert_eq!(fields[2], want[2].replace('.', ",").as_bytes());
            } else if v.name.starts_with("cyrillic") {
                let (location, _, _) = encoding_rs::WINDOWS_1251.encode(want[4]);
                assert_eq!(fields[4], &location[..], "{}: bytes untouched", v.name);
            } else {
                let text: Vec<&str> = fields
                    .iter()
                    .map(|f| std::str::from_utf8(f).unwrap())
                    .collect();
                assert_eq!(text, want, "{}: row {i}", v.name);
            }
        }

        let named: &[&str] = if v.name == "cyrillic-named.csv" {
            &["--encoding", "windows-1251"]
        } else {
            &[]
        };
        assert_eq!(report(&out, named), expected_report, "{}: report", v.name);
        let html = format!("{}.html", v.name);
        let mut args = vec!["map", "--incidents", &out, "-o", &html];
        args.extend_from_slice(named);
        run(&args, dir);
        let geojson = format!("{}.geojson", v.name);
        let mut args = vec!["export", "--incidents", &out, "-o", &geojson];
        args.extend_from_slice(named);
        run(&args, dir);
        let fc: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&geojson)).unwrap()).unwrap();
        let incidents: Vec<&Value> = fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == "incident")
            .collect();
        // Every row but the bad one.
        assert_eq!(incidents.len(), ROWS.len() - 1, "{}: incidents", v.name);
        let places: Vec<&str> = incidents
            .iter()
            .map(|f| f["properties"]["location"].as_str().unwrap())
            .collect();
        if v.name == "cyrillic.csv" {
            // Not UTF-8 and no encoding named: shown lossily, not refused.
            assert!(places.iter().all(|p| p.contains('\u{fffd}')), "{places:?}");
        } else {
            assert_eq!(places, ["Ворух", "Кок-Таш", "Баткен", "Ош"], "{}", v.name);
        }
    }
}

#[test]
fn a_named_sheet_is_read_and_a_sheet_of_a_csv_is_refused() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Read me")
        .unwrap()
        .write_string(0, 0, "notes")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Events").unwrap();
    for (c, name) in ["lat", "lon"].iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    sheet.write_number(1, 0, 39.85125).unwrap();
    sheet.write_number(1, 1, 70.58012).unwrap();
    write(dir, "book.xlsx", &book.save_to_buffer().unwrap());
    let rows = tag(dir, "book.xlsx", &["--sheet", "Events"], "out.csv", b',');
    assert_eq!(&rows[1][0], b"39.85125");
    assert_eq!(&rows[1][2], b"Vorukh:001");
    // The first sheet has no coordinates: the message names the file.
    let out = Command::new(BIN)
        .args(["tag", "book.xlsx", "-q"])
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("book.xlsx:line 1: no latitude column"),
        "{stderr}"
    );
    write(dir, "plain.csv", csv_text(b',').as_bytes());
    let out = Command::new(BIN)
        .args(["tag", "plain.csv", "--sheet", "Events"])
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("plain.csv: a sheet was named"), "{stderr}");
}
