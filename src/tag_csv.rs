//! Tagging a CSV of incidents: streaming, in parallel, in order, nothing lost.
//!
//! Every input row is written once, in input order, with its original fields (quoting may be
//! normalised, bytes are not touched) followed by [`TAG_COLUMNS`]. A row that cannot be tagged
//! keeps empty tags and says why in `tag_error`. Rows are read in batches by one thread, tagged
//! in parallel (rayon), and written in order, so memory stays bounded whatever the input size.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::sync_channel;

use csv::ByteRecord;
use rayon::prelude::*;

use crate::date::{Date, parse_incident_date};
use crate::error::{Error, Position, Result};
use crate::tagger::{PointTags, Tagger};

/// The columns appended to every row, in order.
pub const TAG_COLUMNS: [&str; 10] = [
    "segment_id",
    "status",
    "distance_m",
    "chainage_km",
    "line",
    "side",
    "enclave",
    "nearest_enclave",
    "enclave_distance_m",
    "tag_error",
];

/// Header names recognised as latitude, longitude and date (case-insensitive).
pub const LAT_NAMES: [&str; 3] = ["lat", "latitude", "y"];
pub const LON_NAMES: [&str; 5] = ["lon", "lng", "long", "longitude", "x"];
pub const DATE_NAMES: [&str; 3] = ["date", "event_date", "date_start"];

/// Rows per batch handed to the worker threads.
const BATCH_ROWS: usize = 16_384;
/// Rows per parallel task within a batch.
const CHUNK_ROWS: usize = 1_024;
/// A batch still filling after this long is handed on at its next row, so that the rows of a
/// slow input (a live feed, a pipe) are tagged and written promptly, and a closed output pipe
/// is noticed soon after it closes instead of when the input ends.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Which columns hold what; `None` fields are auto-detected from the header.
#[derive(Debug, Clone, Default)]
pub struct ColumnChoice {
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub date: Option<String>,
}

/// The resolved column indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub lat: usize,
    pub lon: usize,
    pub date: Option<usize>,
}

/// A header name as column detection compares it: trimmed, without a BOM, lower case.
pub fn clean_header(header: &[u8]) -> String {
    String::from_utf8_lossy(header)
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
}

/// The header names as a message lists them.
fn listing(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The index of a column among `names` (cleaned header names, as [`clean_header`] gives):
/// the one `chosen` by the user (an error if absent), else the single one among `candidates`
/// (an error if several match), else `None`. `what` and `flag` word the messages.
pub fn find_column(
    path: &Path,
    names: &[String],
    what: &str,
    flag: &str,
    chosen: Option<&str>,
    candidates: &[&str],
) -> Result<Option<usize>> {
    let fail = |m: String| Error::input(path, Position::Line(1), m);
    if let Some(name) = chosen {
        let wanted = name.trim().to_ascii_lowercase();
        return match names.iter().position(|n| *n == wanted) {
            Some(i) => Ok(Some(i)),
            None => Err(fail(format!(
                "no column {name:?} (given with {flag}); the header has {}",
                listing(names)
            ))),
        };
    }
    let hits: Vec<usize> = (0..names.len())
        .filter(|&i| candidates.contains(&names[i].as_str()))
        .collect();
    match hits.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(fail(format!(
            "ambiguous {what} column: {} all match; choose one with {flag} (the header has {})",
            many.iter()
                .map(|&i| format!("{:?}", names[i]))
                .collect::<Vec<_>>()
                .join(" and "),
            listing(names)
        ))),
    }
}

/// Finds the latitude, longitude and date columns in `headers`.
///
/// ```
/// use borderline::tag_csv::{ColumnChoice, detect_columns};
/// let headers = csv::ByteRecord::from(vec!["event_id", "event_date", "latitude", "longitude"]);
/// let c = detect_columns("in.csv".as_ref(), &headers, &ColumnChoice::default()).unwrap();
/// assert_eq!((c.lat, c.lon, c.date), (2, 3, Some(1)));
/// ```
pub fn detect_columns(path: &Path, headers: &ByteRecord, choice: &ColumnChoice) -> Result<Columns> {
    let names: Vec<String> = headers.iter().map(clean_header).collect();
    let fail = |m: String| Error::input(path, Position::Line(1), m);
    let find = |what: &str, flag: &str, chosen: &Option<String>, candidates: &[&str]| {
        find_column(path, &names, what, flag, chosen.as_deref(), candidates)
    };
    let listing = || listing(&names);
    let missing = |what: &str, flag: &str, candidates: &[&str]| {
        fail(format!(
            "no {what} column (looked for {}); name it with {flag}; the header has {}",
            candidates.join(", "),
            listing()
        ))
    };
    let lat = find("latitude", "--lat", &choice.lat, &LAT_NAMES)?
        .ok_or_else(|| missing("latitude", "--lat", &LAT_NAMES))?;
    let lon = find("longitude", "--lon", &choice.lon, &LON_NAMES)?
        .ok_or_else(|| missing("longitude", "--lon", &LON_NAMES))?;
    if lat == lon {
        return Err(fail("--lat and --lon name the same column".into()));
    }
    let date = find("date", "--date", &choice.date, &DATE_NAMES)?;
    Ok(Columns { lat, lon, date })
}

/// Options of a tagging run.
#[derive(Debug, Clone)]
pub struct TagOptions {
    pub columns: ColumnChoice,
    /// Status date for rows without a date column.
    pub as_of: Date,
    /// Rows farther than this (metres) from every segment keep empty segment fields.
    pub max_distance_m: f64,
}

/// Counts of a tagging run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub tagged: u64,
    pub beyond_max_distance: u64,
    pub errors: u64,
    /// CSV line and reason of the first row in error.
    pub first_error: Option<(u64, String)>,
}

/// The result of tagging one row.
enum RowOutcome {
    Tagged(PointTags, Date),
    Failed(String),
}

fn coordinate(
    record: &ByteRecord,
    index: usize,
    what: &str,
    limit: f64,
) -> std::result::Result<f64, String> {
    let raw = record
        .get(index)
        .ok_or_else(|| format!("missing {what} (row too short)"))?;
    let text = std::str::from_utf8(raw)
        .map_err(|_| format!("{what} is not UTF-8 text"))?
        .trim();
    if text.is_empty() {
        return Err(format!("missing {what}"));
    }
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{what} {text:?} is not a number"))?;
    if !value.is_finite() {
        return Err(format!("{what} {text:?} is not finite"));
    }
    if value.abs() > limit {
        return Err(format!("{what} {text} is out of range (±{limit})"));
    }
    Ok(value)
}

fn tag_row(
    tagger: &Tagger,
    columns: &Columns,
    options: &TagOptions,
    width: usize,
    record: &ByteRecord,
) -> RowOutcome {
    let outcome = (|| {
        if record.len() != width {
            return Err(format!(
                "row has {} fields, the header has {width}",
                record.len()
            ));
        }
        let lat = coordinate(record, columns.lat, "latitude", 90.0);
        let lon = coordinate(record, columns.lon, "longitude", 180.0);
        let (lat, lon) = match (lat, lon) {
            (Ok(lat), Ok(lon)) => (lat, lon),
            (Err(e), Ok(lon)) if lon.abs() <= 90.0 && e.contains("out of range") => {
                return Err(format!("{e}; are latitude and longitude swapped?"));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        let date = match columns.date {
            None => options.as_of,
            Some(i) => {
                let text = std::str::from_utf8(record.get(i).unwrap_or_default())
                    .map_err(|_| "date is not UTF-8 text".to_string())?;
                parse_incident_date(text).map_err(|e| format!("bad date: {e}"))?
            }
        };
        Ok((tagger.tag(lon, lat, options.max_distance_m), date))
    })();
    match outcome {
        Ok((tags, date)) => RowOutcome::Tagged(tags, date),
        Err(message) => RowOutcome::Failed(message),
    }
}

/// Appends the [`TAG_COLUMNS`] of one row to `row`; `number` is scratch space.
fn push_tags(tagger: &Tagger, outcome: &RowOutcome, row: &mut ByteRecord, number: &mut Vec<u8>) {
    let border = tagger.border();
    let mut push_number = |row: &mut ByteRecord, value: f64, decimals: u32| {
        number.clear();
        write_fixed(number, value, decimals);
        row.push_field(number);
    };
    let (tags, date) = match outcome {
        RowOutcome::Failed(message) => {
            for _ in 1..TAG_COLUMNS.len() {
                row.push_field(b"");
            }
            row.push_field(message.as_bytes());
            return;
        }
        RowOutcome::Tagged(tags, date) => (tags, *date),
    };
    match tags.segment {
        Some(hit) => {
            let segment = &border.segments[hit.segment];
            row.push_field(segment.id.as_bytes());
            row.push_field(segment.status_at(date).as_bytes());
            push_number(row, hit.distance_m, 1);
            push_number(row, hit.chainage_km, 3);
            row.push_field(border.lines[segment.line].id.as_bytes());
        }
        None => (0..5).for_each(|_| row.push_field(b"")),
    }
    row.push_field(
        tags.side
            .map_or(&b""[..], |side| border.countries[side].key.as_bytes()),
    );
    match tags.enclave {
        Some(e) => {
            let name = border.enclaves[e.enclave].name.as_bytes();
            row.push_field(if e.inside { name } else { b"" });
            row.push_field(name);
            push_number(row, e.distance_m, 1);
        }
        None => (0..3).for_each(|_| row.push_field(b"")),
    }
    row.push_field(b"");
}

/// Writes a non-negative `value` with `decimals` decimals (rounded half up), like
/// `format!("{value:.decimals$}")` but without the formatting machinery, which dominated the
/// cost of a row.
fn write_fixed(out: &mut Vec<u8>, value: f64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let scaled = (value * scale as f64).round();
    if !(0.0..1e18).contains(&scaled) {
        out.extend_from_slice(format!("{value:.prec$}", prec = decimals as usize).as_bytes());
        return;
    }
    let scaled = scaled as u64;
    let mut digits = [0u8; 20];
    let mut n = scaled / scale;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
    if decimals > 0 {
        out.push(b'.');
        let mut fraction = scaled % scale;
        let start = out.len();
        for _ in 0..decimals {
            out.push(b'0' + (fraction % 10) as u8);
            fraction /= 10;
        }
        out[start..].reverse();
    }
}

/// Tags every row of a CSV read from `input`, writing the tagged CSV to `output`.
/// `path` names the input in messages; `progress` is called with the bytes read so far after
/// each batch.
pub fn tag_csv(
    tagger: &Tagger,
    path: &Path,
    input: impl Read + Send,
    output: &mut (impl Write + ?Sized),
    options: &TagOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Summary> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(crate::io::RowLimit::new(input, crate::io::MAX_ROW_BYTES));
    let mut headers = reader
        .byte_headers()
        .map_err(|e| crate::io::csv_error(path, &e, "unreadable header"))?
        .clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err(Error::input(
            path,
            Position::File,
            "empty file: no header row",
        ));
    }
    if let Some(first) = headers
        .get(0)
        .and_then(|h| h.strip_prefix("\u{feff}".as_bytes()))
    {
        let mut fixed = ByteRecord::from(vec![first.to_vec()]);
        fixed.extend(headers.iter().skip(1));
        headers = fixed;
    }
    let columns = detect_columns(path, &headers, &options.columns)?;
    let width = headers.len();
    let out_error = |source: std::io::Error| Error::Write {
        path: "output".into(),
        source,
    };
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut *output);
        let mut header_out = headers.clone();
        header_out.extend(TAG_COLUMNS.iter().map(|c| c.as_bytes()));
        w.write_byte_record(&header_out)
            .map_err(|e| out_error(e.into()))?;
        w.flush().map_err(out_error)?;
    }
    let mut summary = Summary::default();
    let (batch_tx, batch_rx) = sync_channel::<Result<Vec<ByteRecord>>>(2);
    let (spare_tx, spare_rx) = sync_channel::<Vec<ByteRecord>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            loop {
                // Reuse the records of a batch already written: no allocation per row.
                let mut batch = spare_rx.try_recv().unwrap_or_default();
                batch.resize_with(BATCH_ROWS, ByteRecord::new);
                let mut filled = 0;
                let mut failure = None;
                let started = std::time::Instant::now();
                let mut slow = false;
                while filled < BATCH_ROWS && !slow {
                    match reader.read_byte_record(&mut batch[filled]) {
                        Ok(true) => {
                            filled += 1;
                            slow = started.elapsed() > BATCH_WAIT;
                        }
                        Ok(false) => break,
                        Err(e) => {
                            failure = Some(crate::io::csv_error(path, &e, "unreadable CSV"));
                            break;
                        }
                    }
                }
                batch.truncate(filled);
                let done = (filled < BATCH_ROWS && !slow) || failure.is_some();
                progress(reader.position().byte(), filled as u64);
                if filled > 0 && batch_tx.send(Ok(batch)).is_err() {
                    return;
                }
                if let Some(e) = failure {
                    let _ = batch_tx.send(Err(e));
                    return;
                }
                if done {
                    return;
                }
            }
        });
        for batch in batch_rx {
            let batch = batch?;
            let chunks: Vec<(Vec<u8>, Summary)> = batch
                .par_chunks(CHUNK_ROWS)
                .map(|chunk| {
                    let mut local = Summary::default();
                    let mut w = csv::WriterBuilder::new()
                        .flexible(true)
                        .from_writer(Vec::with_capacity(chunk.len() * 128));
                    let mut row = ByteRecord::new();
                    let mut number = Vec::with_capacity(24);
                    for record in chunk {
                        let outcome = tag_row(tagger, &columns, options, width, record);
                        local.rows += 1;
                        match &outcome {
                            RowOutcome::Failed(message) => {
                                local.errors += 1;
                                if local.first_error.is_none() {
                                    let line = record.position().map_or(0, |p| p.line());
                                    local.first_error = Some((line, message.clone()));
                                }
                            }
                            RowOutcome::Tagged(tags, _) if tags.segment.is_none() => {
                                local.beyond_max_distance += 1
                            }
                            RowOutcome::Tagged(..) => local.tagged += 1,
                        }
                        row.clear();
                        row.extend(record.iter());
                        // Short rows are padded so the tag columns line up; nothing is removed.
                        for _ in record.len()..width {
                            row.push_field(b"");
                        }
                        push_tags(tagger, &outcome, &mut row, &mut number);
                        // Writing to a Vec cannot fail.
                        let _ = w.write_byte_record(&row);
                    }
                    (w.into_inner().unwrap_or_default(), local)
                })
                .collect();
            for (bytes, local) in chunks {
                output.write_all(&bytes).map_err(out_error)?;
                summary.rows += local.rows;
                summary.tagged += local.tagged;
                summary.beyond_max_distance += local.beyond_max_distance;
                summary.errors += local.errors;
                if summary.first_error.is_none() {
                    summary.first_error = local.first_error;
                }
            }
            // Rows out as soon as they are tagged; a closed pipe fails here, ending the run.
            output.flush().map_err(out_error)?;
            // Hand the records back to the reader; if it has enough spares, drop them.
            let _ = spare_tx.try_send(batch);
        }
        Ok(())
    })?;
    output.flush().map_err(out_error)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    #[test]
    fn write_fixed_matches_format() {
        for &v in &[
            0.0,
            0.04,
            0.05,
            0.96,
            1.0,
            12.345,
            957.94,
            99999.99,
            123456.7891,
            1e17,
        ] {
            for d in [0u32, 1, 3] {
                let mut out = Vec::new();
                super::write_fixed(&mut out, v, d);
                let want = format!("{v:.prec$}", prec = d as usize);
                let got = String::from_utf8(out).unwrap();
                // Both round to the nearest; they may differ only on exact binary ties.
                assert!(
                    (got.parse::<f64>().unwrap() - want.parse::<f64>().unwrap()).abs()
                        < 1.1 * 10f64.powi(-(d as i32)),
                    "{v} {d}: {got} vs {want}"
                );
                assert_eq!(got.split('.').nth(1).map_or(0, str::len), d as usize);
            }
        }
    }
}
