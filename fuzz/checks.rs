//! What the fuzz targets check, one function per target, shared with `tests/hostile.rs`, whose
//! `fuzz_regressions` replays every seed, corpus file and kept crash through the same checks
//! (`#[path]`-included by both, so they cannot drift apart).
//!
//! Every function takes any bytes; it may return early on an error (bad input is allowed to be
//! refused) and panics where a result breaks a promise.

use std::path::Path;

use borderline::Border;
use borderline::status::StatusTable;
use borderline::tag::{TagOptions, Tagger, tag_csv};

/// `border_geojson`: any text as a border GeoJSON is an error or a border whose segments tile
/// each of its lines, from 0 to the line's length, in order.
pub fn border_geojson(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(border) = Border::from_texts(Path::new("fuzz.geojson"), text, None) else {
        return;
    };
    for (index, line) in border.lines.iter().enumerate() {
        let mut at_km = 0.0;
        for segment in border.segments.iter().filter(|s| s.line == index) {
            assert_eq!(segment.from_km, at_km, "{}: a gap or overlap", segment.id);
            assert!(segment.to_km >= segment.from_km, "{}", segment.id);
            at_km = segment.to_km;
        }
        assert_eq!(
            at_km, line.length_km,
            "{}: segments end at its length",
            line.id
        );
    }
}

/// `status_csv`: any bytes as a status CSV, validated against `lines` (id, km), are an error or
/// a table — no panic, no hang.
pub fn status_csv(data: &[u8], lines: &[(&str, f64)]) {
    let path = Path::new("fuzz.csv");
    if let Ok(table) = StatusTable::from_reader(path, data) {
        let _ = table.validate(path, lines);
    }
}

/// `tag_row`: any bytes as an incident CSV tagged with `tagger`. When tagging succeeds, every
/// output row has exactly the header's width and there is one per input row: as many as the
/// summary says and as many as the `csv` crate finds in the input itself ([`input_rows`]).
pub fn tag_row(tagger: &Tagger, data: &[u8]) {
    let options = TagOptions::new("2022-10-07".parse().expect("a valid date"));
    let mut out = Vec::new();
    let Ok(summary) = tag_csv(
        tagger,
        Path::new("fuzz.csv"),
        data,
        &mut out,
        &options,
        None,
        &|_, _| {},
    ) else {
        return;
    };
    // Not flexible: a row of another width than the header is an error of the parser.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(output_delimiter(&out))
        .from_reader(out.as_slice());
    let mut rows_out = 0u64;
    for row in reader.byte_records() {
        row.expect("every output row has exactly the header's width");
        rows_out += 1;
    }
    assert_eq!(
        rows_out, summary.rows,
        "rows out != rows the summary counts"
    );
    if let Some(counts) = input_rows(data) {
        assert!(
            counts.contains(&rows_out),
            "{rows_out} rows out, but the input has {counts:?} (by the delimiters , ; tab |)"
        );
    }
}

/// The delimiter of `tag`'s output, which keeps the input's: the byte before the header's
/// last field, `tag_error`.
fn output_delimiter(out: &[u8]) -> u8 {
    let header_end = out.iter().position(|&b| b == b'\n').unwrap_or(out.len());
    let header = &out[..header_end];
    let header = header.strip_suffix(b"\r").unwrap_or(header);
    let before = header
        .strip_suffix(b"tag_error")
        .expect("the header ends with tag_error");
    *before.last().expect("tag columns after the input's")
}

/// The data rows of an incident file as the `csv` crate counts them, independently of
/// borderline's reader: the text decoded from UTF-16 when a byte-order mark says so (a UTF-8
/// one dropped), the first record the header, blank lines not rows. Which delimiter a file has
/// can change where a quoted field ends, so there is one count per delimiter borderline
/// accepts (`,` `;` tab `|`); `None` for a workbook, which is not text.
pub fn input_rows(data: &[u8]) -> Option<Vec<u64>> {
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return None;
    }
    let utf16 = |bytes: &[u8], unit: fn([u8; 2]) -> u16| -> Vec<u8> {
        let units = bytes.chunks(2).map(|c| match c {
            [a, b] => unit([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .into_bytes()
    };
    let text: Vec<u8> = if let Some(rest) = data.strip_prefix(b"\xff\xfe") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = data.strip_prefix(b"\xfe\xff") {
        utf16(rest, u16::from_be_bytes)
    } else {
        data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data).to_vec()
    };
    Some(
        [b',', b';', b'\t', b'|']
            .iter()
            .map(|&delimiter| {
                csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .from_reader(text.as_slice())
                    .byte_records()
                    .take_while(Result::is_ok)
                    .count() as u64
            })
            .collect(),
    )
}
