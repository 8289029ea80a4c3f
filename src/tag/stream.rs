//! Tagging a CSV of incidents: streaming, in parallel, in order, nothing lost.
//!
//! Every input row is written once, in input order, with its original fields (quoting may be
//! normalised, bytes are not touched) followed by the tag columns ([`crate::tag::record`]), so
//! that every output row has exactly as many fields as the output header:
//! - a row shorter than the header is padded with empty fields and flagged in `tag_error`;
//! - a row longer than the header keeps its first fields in their columns and its surplus
//!   fields, as one CSV record, at the end of its `tag_error` (after [`SURPLUS_MARKER`]);
//! - a file that already ends with the tag columns (one `tag` wrote) has them replaced, so
//!   tagging is idempotent; a row whose old `tag_error` says its original had the wrong number
//!   of fields is kept as it is (its shape was lost when it was padded or cut).
//!
//! A row that cannot be tagged keeps empty tags and says why in `tag_error`; a row that was
//! tagged but whose conclusion may be wrong says why in `tag_warning`. Rows are read in batches
//! by one thread, tagged in parallel (rayon) and written in order by the calling thread while
//! the next batch is tagged, so memory stays bounded whatever the input size.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::sync_channel;

use csv::ByteRecord;
use rayon::prelude::*;

use crate::date::{Date, DateOrder, DateParser, OrderEvidence, OrderProblem};
use crate::error::{Error, Position, Result};
use crate::input::{
    ColumnChoice, Columns, CsvInput, Delimiter, Header, InputOptions, TextEncoding, detect_columns,
    read_header,
};
use crate::tag::record::{SURPLUS_MARKER, TagColumns, TagRecord, push_csv_field};
use crate::tag::tagger::{Tagger, When};
use crate::tag::warning::WarningKind;

/// Rows per batch handed to the worker threads.
const BATCH_ROWS: usize = 8_192;
/// Rows per parallel task within a batch.
const CHUNK_ROWS: usize = 1_024;
/// A batch still filling after this long is handed on at its next row, so that the rows of a
/// slow input (a live feed, a pipe) are tagged and written promptly, and a closed output pipe
/// is noticed soon after it closes instead of when the input ends.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Options of a tagging run (the maximum distance is the [`Tagger`]'s).
#[derive(Debug, Clone)]
pub struct TagOptions {
    /// How to read the input: delimiter, encoding, sheet.
    pub input: InputOptions,
    /// Which columns hold what.
    pub columns: ColumnChoice,
    /// Status date for every row of a file without a date column.
    pub as_of: Date,
    /// How the date column writes numeric dates (`None`: inferred from the column).
    pub date_order: Option<DateOrder>,
    /// Prefix of the appended column names.
    pub prefix: String,
}

impl TagOptions {
    /// Auto-detected columns, statuses as of `as_of` for undated files, no prefix.
    pub fn new(as_of: Date) -> Self {
        TagOptions {
            input: InputOptions::default(),
            columns: ColumnChoice::default(),
            as_of,
            date_order: None,
            prefix: String::new(),
        }
    }
}

/// What a tagging run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data rows read (and written).
    pub rows: u64,
    /// Rows with a segment.
    pub tagged: u64,
    /// Rows farther than the maximum distance from every segment.
    pub beyond_max_distance: u64,
    /// Rows that could not be tagged.
    pub errors: u64,
    /// Rows with at least one warning.
    pub warned: u64,
    /// Warnings by kind.
    pub warnings: BTreeMap<WarningKind, u64>,
    /// Rows whose status rests on a row labelled `modelled`.
    pub modelled: u64,
    /// CSV line and reason of the first row in error.
    pub first_error: Option<(u64, String)>,
    /// The date column (as the header spells it); `None`: every row takes the `as_of` date.
    pub date_column: Option<String>,
    /// The day/month order used for numeric dates, when the column has any.
    pub date_order: Option<DateOrder>,
    /// Whether the input's own tag columns were replaced.
    pub replaced_tags: bool,
}

impl Summary {
    fn merge(&mut self, other: Summary) {
        self.rows += other.rows;
        self.tagged += other.tagged;
        self.beyond_max_distance += other.beyond_max_distance;
        self.errors += other.errors;
        self.warned += other.warned;
        self.modelled += other.modelled;
        for (kind, n) in other.warnings {
            *self.warnings.entry(kind).or_default() += n;
        }
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn count(&mut self, record: &TagRecord, line: u64) {
        self.rows += 1;
        match &record.tag_error {
            Some(message) => {
                self.errors += 1;
                if self.first_error.is_none() {
                    self.first_error = Some((line, message.clone()));
                }
            }
            None if record.segment_id.is_empty() => self.beyond_max_distance += 1,
            None => self.tagged += 1,
        }
        if !record.tag_warning.is_empty() {
            self.warned += 1;
            for w in &record.tag_warning {
                *self.warnings.entry(w.kind).or_default() += 1;
            }
        }
        if record.is_modelled() {
            self.modelled += 1;
        }
    }
}

/// The layout of the input: its own columns and, when it was tagged before, the old tags.
struct Layout {
    /// Fields of the input's own header (without old tag columns).
    width: usize,
    /// The input's delimiter, which the output keeps.
    delimiter: Delimiter,
    /// Whether each row carries old tag columns after its own fields.
    retag: bool,
    columns: Columns,
    /// The precision column's name, for warnings.
    precision_name: String,
    dates: DateParser,
}

/// Reads a coordinate field.
fn coordinate(
    record: &[&[u8]],
    index: usize,
    what: &str,
    delimiter: Delimiter,
) -> std::result::Result<f64, String> {
    let raw = record
        .get(index)
        .ok_or_else(|| format!("missing {what} (row too short)"))?;
    let text = std::str::from_utf8(raw).map_err(|_| format!("{what} is not UTF-8 text"))?;
    crate::tag::cell::coordinate(text, what, delimiter)
}

/// Starts every `tag_error` about a row's field count: such a row's shape belongs to the
/// original file, so re-tagging a tagged file keeps its old tags as they are.
const FIELD_COUNT_ERROR: &str = "row has ";

/// Puts the row's own fields (without old tag columns) into `fields`; false when the row is a
/// tagged row whose old tags say its original had the wrong number of fields (it is kept as it
/// is). `fields` is the chunk's one buffer: no allocation per row.
fn own_fields<'r>(layout: &Layout, record: &'r ByteRecord, fields: &mut Vec<&'r [u8]>) -> bool {
    let n = crate::tag::record::TAG_COLUMNS.len();
    fields.clear();
    if !layout.retag || record.len() != layout.width + n {
        fields.extend(record.iter());
        return true;
    }
    if record[layout.width + n - 1].starts_with(FIELD_COUNT_ERROR.as_bytes()) {
        return false;
    }
    fields.extend(record.iter().take(layout.width));
    true
}

/// Why a row with the wrong number of fields is wrong, with a hint when a quoted field holds
/// line breaks (a quote left open swallows the lines after it).
fn field_count_error(fields: &[&[u8]], width: usize, line: u64) -> String {
    let mut message = format!(
        "{FIELD_COUNT_ERROR}{} field{}, the header has {width}",
        fields.len(),
        if fields.len() == 1 { "" } else { "s" }
    );
    let mut newlines = 0u64;
    for field in fields {
        if field.contains(&b'\n') || field.contains(&b'\r') {
            message.push_str(&format!(
                "; a quoted field opened on line {} holds line breaks: probably a quote left open",
                line + newlines
            ));
            break;
        }
        newlines += field.iter().filter(|&&b| b == b'\n').count() as u64;
    }
    if fields.len() > width {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(&fields[width..]);
        let kept = w.into_inner().unwrap_or_default();
        message.push_str("; ");
        message.push_str(SURPLUS_MARKER);
        message.push_str(String::from_utf8_lossy(&kept).trim_end_matches('\n'));
    }
    message
}

/// Tags one row (its own fields).
fn tag_row<'t>(
    tagger: &'t Tagger,
    layout: &Layout,
    options: &TagOptions,
    fields: &[&[u8]],
    line: u64,
) -> TagRecord<'t> {
    if fields.len() != layout.width {
        return TagRecord::error(field_count_error(fields, layout.width, line));
    }
    let columns = &layout.columns;
    let delimiter = layout.delimiter;
    let point = coordinate(fields, columns.lat, "latitude", delimiter).and_then(|lat| {
        coordinate(fields, columns.lon, "longitude", delimiter).map(|lon| (lat, lon))
    });
    let (lat, lon) = match point {
        Ok(p) => p,
        Err(message) => return TagRecord::error(message),
    };
    let when = match columns.date {
        None => When::on(options.as_of),
        Some(i) => match std::str::from_utf8(fields[i]) {
            Err(_) => return TagRecord::error("date is not UTF-8 text"),
            Ok(text) => match crate::tag::cell::when(&layout.dates, text) {
                Ok(when) => when,
                Err(message) => return TagRecord::error(message),
            },
        },
    };
    let mut record = tagger.tag(lon, lat, when);
    if record.tag_error.is_none()
        && let Some(precision) = columns.precision
        && let Ok(text) = std::str::from_utf8(fields[precision.index])
        && let Some(warning) =
            crate::tag::cell::coarse_precision(&layout.precision_name, text, precision.coarse_from)
    {
        record.tag_warning.push(warning);
    }
    record
}

/// A way to read the input again, for the one case that needs two passes: a date column of
/// numeric dates (`05/06/2022`), whose day/month order only the whole column tells.
pub type Reopen<'a> = &'a (dyn Fn() -> Result<Box<dyn Read + Send>> + Sync);

/// The day/month order of the date column: inferred from the first batch and, when that batch
/// has numeric dates and the input can be read again, from the whole column.
fn infer_date_order(
    path: &Path,
    input: &InputOptions,
    encoding: TextEncoding,
    header: &Header,
    date: usize,
    first: &[ByteRecord],
    reopen: Option<Reopen>,
) -> Result<Option<DateOrder>> {
    let add = |evidence: &mut OrderEvidence, record: &ByteRecord| {
        if let Some(text) = record.get(date).and_then(|f| std::str::from_utf8(f).ok()) {
            let line = record.position().map_or(0, |p| p.line());
            evidence.add(format_args!("line {line}"), text);
        }
    };
    let mut evidence = OrderEvidence::default();
    first.iter().for_each(|r| add(&mut evidence, r));
    let column = &header.names[date];
    let explain = |problem: crate::date::OrderProblem, note: &str| {
        Error::input(
            path,
            Position::File,
            format!(
                "date column {column:?}: {problem}{note}; give the order with {} (dmy or mdy)",
                crate::setting::Setting::DateOrder.mention()
            ),
        )
    };
    let Some(reopen) = reopen else {
        return evidence.conclusion().map_err(|p| {
            explain(
                p,
                " (standard input is read once, so only its first rows were looked at)",
            )
        });
    };
    if evidence.conclusion() == Ok(None) {
        return Ok(None);
    }
    // Numeric dates: read the whole column to decide.
    let mut reader = CsvInput::from_reader(path, reopen()?, input)?.csv_reader();
    read_header(path, &mut reader, encoding)?;
    let mut evidence = OrderEvidence::default();
    let mut record = ByteRecord::new();
    while !evidence.is_mixed() {
        match reader.read_byte_record(&mut record) {
            Ok(true) => add(&mut evidence, &record),
            Ok(false) => break,
            Err(e) => return Err(crate::io::csv_error(path, &e, "unreadable CSV")),
        }
    }
    evidence.conclusion().map_err(|p| explain(p, ""))
}

/// Reads records into `batch` after its first `from` until it holds [`BATCH_ROWS`], ending
/// early when it has been filling for longer than [`BATCH_WAIT`]: the number it holds, and
/// whether the input ended.
fn fill_batch<R: Read>(
    path: &Path,
    reader: &mut crate::io::CsvReader<R>,
    batch: &mut Vec<ByteRecord>,
    from: usize,
) -> (usize, bool, Option<Error>) {
    batch.resize_with(BATCH_ROWS, ByteRecord::new);
    let started = std::time::Instant::now();
    let mut filled = from;
    let mut ended = false;
    while filled < BATCH_ROWS {
        match reader.read_byte_record(&mut batch[filled]) {
            Ok(true) => filled += 1,
            Ok(false) => {
                ended = true;
                break;
            }
            Err(e) => {
                batch.truncate(filled);
                let failure = crate::io::csv_error(path, &e, "unreadable CSV");
                return (filled, true, Some(failure));
            }
        }
        if started.elapsed() > BATCH_WAIT {
            break;
        }
    }
    batch.truncate(filled);
    (filled, ended, None)
}

/// Tags every row of a CSV read from `input`, writing the tagged CSV to `output`.
///
/// `path` names the input in messages; `reopen`, when the input can be read again, lets a
/// column of numeric dates be read whole to infer its day/month order; `progress` is called
/// with the bytes read so far and the rows of each batch.
///
/// ```
/// use borderline::{Border, Tagger};
/// use borderline::tag::{TagOptions, tag_csv};
/// let tagger = Tagger::new(Border::embedded());
/// let input = "id,lat,lon,date\n1,39.85125,70.58012,16/09/2022\n";
/// let mut output = Vec::new();
/// let options = TagOptions::new("2022-10-07".parse().unwrap());
/// let path = std::path::Path::new("in.csv");
/// let summary = tag_csv(&tagger, path, input.as_bytes(), &mut output, &options, None, &|_, _| {})
///     .unwrap();
/// assert_eq!(summary.tagged, 1);
/// let text = String::from_utf8(output).unwrap();
/// assert!(text.starts_with("id,lat,lon,date,segment_id,border,line,status,"));
/// assert!(text.contains(",Vorukh:001,KGZ-TJK,Vorukh,undelimited,modelled,"));
/// ```
pub fn tag_csv(
    tagger: &Tagger,
    path: &Path,
    input: impl Read + Send,
    output: &mut (impl Write + ?Sized),
    options: &TagOptions,
    reopen: Option<Reopen>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Summary> {
    let input = CsvInput::from_reader(path, input, &options.input)?;
    let (delimiter, encoding) = (input.delimiter, input.encoding);
    let mut reader = input.csv_reader();
    let header = read_header(path, &mut reader, encoding)?;
    let tag_columns = TagColumns::new(options.prefix.as_str());
    let mut summary = Summary::default();
    let width = match TagColumns::find_block(&header.names) {
        Some((start, old)) if old.prefix() == options.prefix => {
            summary.replaced_tags = true;
            start
        }
        _ => header.names.len(),
    };
    let own = &header.names[..width];
    tag_columns.refuse_clash(path, own)?;
    let columns = detect_columns(path, own, &options.columns)?;
    summary.date_column = columns.date.map(|i| own[i].clone());
    let mut first = Vec::new();
    let (mut filled, mut first_ended, mut first_failure) =
        fill_batch(path, &mut reader, &mut first, 0);
    // Read once (standard input), a column of numeric dates tells its day/month order from
    // the first batch alone: while its dates leave the order open, it is filled further.
    if let (Some(date), None, None) = (columns.date, options.date_order, reopen) {
        while !first_ended && first_failure.is_none() && filled < BATCH_ROWS {
            let mut evidence = OrderEvidence::default();
            for record in &first {
                if let Some(text) = record.get(date).and_then(|f| std::str::from_utf8(f).ok()) {
                    evidence.add("", text);
                }
            }
            if !matches!(evidence.conclusion(), Err(OrderProblem::Ambiguous { .. })) {
                break;
            }
            (filled, first_ended, first_failure) =
                fill_batch(path, &mut reader, &mut first, filled);
        }
    }
    let date_order = match (columns.date, options.date_order) {
        (Some(date), None) => infer_date_order(
            path,
            &options.input,
            encoding,
            &header,
            date,
            &first,
            reopen,
        )?,
        (_, order) => order,
    };
    summary.date_order = date_order;
    let layout = Layout {
        width,
        delimiter,
        retag: summary.replaced_tags,
        precision_name: columns
            .precision
            .map(|p| own[p.index].trim().to_string())
            .unwrap_or_default(),
        columns,
        dates: DateParser::new(date_order),
    };
    let out_error = |source: std::io::Error| Error::Write {
        path: "output".into(),
        source,
    };
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .delimiter(delimiter.byte())
            .from_writer(&mut *output);
        let mut header_out: ByteRecord = header.raw.iter().take(width).collect();
        header_out.extend(tag_columns.names().iter().map(|c| c.as_bytes()));
        w.write_byte_record(&header_out)
            .map_err(|e| out_error(e.into()))?;
        w.flush().map_err(out_error)?;
    }
    let (batch_tx, batch_rx) = sync_channel::<Result<Vec<ByteRecord>>>(2);
    let (spare_tx, spare_rx) = sync_channel::<Vec<ByteRecord>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            let first_rows = first.len() as u64;
            progress(reader.position().byte(), first_rows);
            if !first.is_empty() && batch_tx.send(Ok(first)).is_err() {
                return;
            }
            let mut failure = first_failure;
            let mut done = first_ended;
            while failure.is_none() && !done {
                // Reuse the records of a batch already written: no allocation per row.
                let mut batch = spare_rx.try_recv().unwrap_or_default();
                let (filled, ended, failed) = fill_batch(path, &mut reader, &mut batch, 0);
                failure = failed;
                done = ended;
                progress(reader.position().byte(), filled as u64);
                if filled > 0 && batch_tx.send(Ok(batch)).is_err() {
                    return;
                }
            }
            if let Some(e) = failure {
                let _ = batch_tx.send(Err(e));
            }
        });
        // Tagging runs on its own thread (and rayon's), writing on this one: the workers tag
        // the next batch while this thread writes the last.
        let (tagged_tx, tagged_rx) = sync_channel::<Result<Tagged>>(2);
        let layout = &layout;
        scope.spawn(move || {
            for batch in batch_rx {
                let tagged = batch.map(|batch| {
                    let chunks = batch
                        .par_chunks(CHUNK_ROWS)
                        .map(|chunk| tag_chunk(tagger, layout, options, chunk))
                        .collect();
                    (batch, chunks)
                });
                let failed = tagged.is_err();
                if tagged_tx.send(tagged).is_err() || failed {
                    return;
                }
            }
        });
        for tagged in tagged_rx {
            let (batch, chunks) = tagged?;
            for (bytes, local) in chunks {
                output.write_all(&bytes).map_err(out_error)?;
                summary.merge(local);
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

/// A batch of records and its chunks, tagged: each chunk's CSV bytes and counts.
type Tagged = (Vec<ByteRecord>, Vec<(Vec<u8>, Summary)>);

/// Tags and writes one chunk of rows: the CSV bytes and the chunk's counts.
fn tag_chunk(
    tagger: &Tagger,
    layout: &Layout,
    options: &TagOptions,
    chunk: &[ByteRecord],
) -> (Vec<u8>, Summary) {
    let mut local = Summary::default();
    let delimiter = layout.delimiter.byte();
    let mut out = Vec::with_capacity(chunk.len() * 256);
    let mut fields = Vec::with_capacity(layout.width + 1);
    for record in chunk {
        let line = record.position().map_or(0, |p| p.line());
        if !own_fields(layout, record, &mut fields) {
            let old = TagRecord::error(String::from_utf8_lossy(&record[record.len() - 1]));
            local.count(&old, line);
            push_csv_row(&mut out, record.iter(), delimiter);
            out.push(b'\n');
            continue;
        }
        let tags = tag_row(tagger, layout, options, &fields, line);
        local.count(&tags, line);
        // Own fields up to the header's width, padded: the tag columns line up with the header.
        push_csv_row(
            &mut out,
            (0..layout.width).map(|i| fields.get(i).copied().unwrap_or_default()),
            delimiter,
        );
        tags.write_csv(&mut out, delimiter);
        out.push(b'\n');
    }
    (out, local)
}

/// Appends `fields` as CSV (no line end); rows here always have more than one field, so no
/// row is a lone empty field, which the `csv` crate would write as `""`.
fn push_csv_row<'f>(out: &mut Vec<u8>, fields: impl Iterator<Item = &'f [u8]>, delimiter: u8) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        push_csv_field(out, field, delimiter);
    }
}
