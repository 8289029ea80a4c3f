//! `borderline tag`: tag a CSV of incidents with the nearest border segment.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use borderline::date::Date;
use borderline::input::ColumnChoice;
use borderline::io::is_std;
use borderline::tag::{Summary, TagOptions, Tagger, tag_csv};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::Output;
use super::{BorderArgs, ColumnArgs, Failure, Outcome, ReadArgs, date_arg, distance_arg, plural};

const EXAMPLES: &str = "\
Examples:
  borderline tag incidents.csv -o tagged.csv
  borderline tag acled_export.csv --max-distance 5km -o tagged.csv
  borderline tag ged.csv --date date_start -o tagged.csv        # UCDP GED
  borderline tag sheet.csv --date-order dmy --prefix bl_ -o tagged.csv
  cat sheet.csv | borderline tag - --lat Y --lon X --as-of 2022-09-16 > tagged.csv
  borderline tag acled.xlsx --sheet Data -o tagged.csv          # workbooks: xlsx, xls, ods
  borderline tag unicode.txt --encoding utf-16le -o tagged.txt  # UTF-16 without a BOM

Appended columns, in this order: segment_id, border, line, status, status_basis, status_since,
distance_m, chainage_km, border_lon, border_lat, side, enclave, nearest_enclave,
enclave_distance_m, tag_warning, tag_error (with --prefix P, each name starts with P).
  status        the segment's status on the row's date (unknown before the first record)
  status_basis  modelled, sourced, ...: the basis of that status; modelled ones are estimates
  status_since  the day that status took effect
  distance_m    geodesic distance to the nearest line (kept beyond --max-distance)
  chainage_km   position of the nearest point along its line; border_lon/lat: that point
  side          the country whose polygon holds the point (as precise as the polygons)
  tag_warning   code: detail; several separated by '; ' (the row is tagged all the same):
    swapped_coordinates      the point is over 100 km from every line, but with latitude and
                             longitude exchanged it is within 20 km of one (never fires for
                             a far point whose exchange is far too)
    undated                  the file has a date column but the row's date is empty
    coarse_precision         ACLED geo_precision >= 2, UCDP where_prec >= 3 (--precision-col,
                             --coarse-precision)
    status_changed_in_range  the row's date is a period (interval, month, year) during which
                             the segment's status changed; the status is that of the first day
    far_from_border          the nearest line is over 20 km away
  tag_error     why the row could not be tagged (then the other tags are empty)
Input: CSV with , ; tab or | (sniffed; the output keeps it), UTF-8 or UTF-16 with a BOM
(other encodings pass through untouched), LF, CRLF or CR line ends, or a workbook (first
sheet, or --sheet) whose date cells become ISO dates.
Columns are auto-detected (case and spacing ignored): latitude from lat, latitude, y;
longitude from lon, lng, long, longitude, x; date from date, event_date, date_start,
start_date, incident_date, date_of_event, day; precision from geo_precision, where_prec.
Dates may be ISO (2022-09-16, also with a time and zone), 16 September 2022, 16-Sep-22,
Sep 16 2022, 2022/09/16, 16/09/2022 or 9/16/2022 (day/month order inferred from the whole
column, or --date-order), a month (2015-08), a year or an interval (2022-09-14/2022-09-17).
Without a date column every row gets the status as of --as-of (default today), and a line on
stderr says so.
Distances are geodesic on the WGS84 ellipsoid; the nearest segment is the one brute force over
every segment would choose (ties: the lowest segment). Every input row is written once, in
order, with exactly as many fields as the header: a short row is padded, a long one keeps its
surplus fields in tag_error; both are errors. A file that already ends with the tag columns
has them replaced. --strict makes any bad row fail the run (exit 1). With -o a file (or the file a symbolic link
names) is replaced only when the run succeeds and keeps its permissions; a device, FIFO or
/dev/stdout is written into. Rows are written as they are tagged, and the run stops soon after
its output pipe closes (`| head`). Blank lines are not rows (RFC 4180) and are not copied.";

/// Tag every row of an incident CSV with its nearest border segment, the segment's status on the
/// row's date, the distance, the position along the border, the side and the enclave.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Input CSV or workbook (.xlsx, .xls, .ods) (`-` for standard input).
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Output CSV (`-` for standard output); a regular file is replaced atomically.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Location-precision column [default: auto-detect: geo_precision, where_prec].
    #[arg(long, value_name = "COL")]
    precision_col: Option<String>,
    /// Precision code from which a location is coarse [default: 2 for geo_precision (ACLED),
    /// 3 for where_prec (UCDP), else 2].
    #[arg(long, value_name = "N")]
    coarse_precision: Option<u32>,
    /// Status date for rows when there is no date column [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<Date>,
    /// Leave segment fields empty for rows farther than this from every segment, with its
    /// unit (5km, 800m); distance_m is still given.
    #[arg(long, value_name = "DIST", value_parser = distance_arg)]
    max_distance: Option<f64>,
    /// Prefix for the appended column names (e.g. bl_), when the input has columns of theirs.
    #[arg(long, value_name = "P", default_value = "")]
    prefix: String,
    /// Fail (exit 1) if any row cannot be tagged; with -o no file is written.
    #[arg(long)]
    strict: bool,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    border: BorderArgs,
    /// Enclave polygons GeoJSON (kind=enclave features) to use instead of the border's own.
    #[arg(long, value_name = "FILE")]
    enclaves: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let mut border = args.border.load()?;
    if let Some(path) = &args.enclaves {
        let features = borderline::geojson_in::read_features(path)?;
        border.enclaves = borderline::border::enclaves_from_features(path, &features)?;
    }
    let tagger =
        Tagger::new(border).with_max_distance_m(args.max_distance.unwrap_or(f64::INFINITY));
    let as_of = args.as_of.unwrap_or_else(borderline::date::today);
    let options = TagOptions {
        input: args.read.options(),
        columns: ColumnChoice {
            precision: args.precision_col.clone(),
            coarse_precision: args.coarse_precision,
            ..args.columns.choice()
        },
        as_of,
        date_order: args.columns.date_order,
        prefix: args.prefix.clone(),
    };
    let regular_file = !is_std(&args.input)
        && std::fs::metadata(&args.input).is_ok_and(|m| m.file_type().is_file());
    let total_bytes = regular_file
        .then(|| std::fs::metadata(&args.input).ok().map(|m| m.len()))
        .flatten();
    let input = borderline::input::open(&args.input)?;
    let reopen = || borderline::input::open(&args.input);
    let bar = progress_bar(args.quiet, total_bytes);
    let rows = AtomicU64::new(0);
    let started = std::time::Instant::now();
    let on_progress = |bytes: u64, batch_rows: u64| {
        let done = rows.fetch_add(batch_rows, Ordering::Relaxed) + batch_rows;
        match total_bytes {
            Some(_) => bar.set_position(bytes),
            None => bar.set_position(done),
        }
        let seconds = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} · {:.0} rows/s",
            plural(done, "row"),
            done as f64 / seconds
        ));
    };
    let mut output = Output::create(Some(&args.output))?;
    let summary = tag_csv(
        &tagger,
        &args.input,
        input,
        &mut output,
        &options,
        regular_file.then_some(&reopen as borderline::tag::Reopen),
        &on_progress,
    )?;
    bar.finish_and_clear();
    if let (true, Some((line, reason))) = (args.strict, &summary.first_error) {
        // A file is simply not replaced; what went to standard output cannot be taken back.
        let fate = if output.is_atomic() {
            "no file written".to_string()
        } else {
            format!(
                "what went to {} is incomplete: discard it",
                output_name(&args.output)
            )
        };
        return Err(Failure::failed(format!(
            "{}:line {line}: {reason} ({}; --strict: {fate})",
            args.input.display(),
            plural(summary.errors, "bad row")
        )));
    }
    output.commit()?;
    if !args.quiet {
        report_summary(&args.input, &summary, as_of, tagger.max_distance_m());
    }
    Ok(())
}

/// How a message names an output written directly (`-`: standard output).
fn output_name(path: &std::path::Path) -> String {
    if is_std(path) {
        "stdout".into()
    } else {
        path.display().to_string()
    }
}

/// The lines on stderr after a run: which date undated files took, and the counts.
fn report_summary(input: &Path, summary: &Summary, as_of: Date, max_distance_m: f64) {
    if summary.date_column.is_none() {
        eprintln!(
            "borderline: {}: no date column (looked for {}; name one with --date): every row \
             takes the status as of {as_of} (--as-of)",
            input.display(),
            borderline::input::DATE_NAMES.join(", ")
        );
    }
    let mut parts = vec![
        format!("{} tagged", summary.tagged),
        format!("{} beyond max distance", summary.beyond_max_distance),
    ];
    if max_distance_m.is_infinite() {
        parts.pop();
    }
    let kinds: Vec<String> = summary
        .warnings
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.words()))
        .collect();
    parts.push(if kinds.is_empty() {
        "0 with warnings".into()
    } else {
        format!("{} with warnings ({})", summary.warned, kinds.join(", "))
    });
    parts.push(plural(summary.errors, "error"));
    let mut line = format!(
        "borderline: {}: {}",
        plural(summary.rows, "row"),
        parts.join(", ")
    );
    if summary.replaced_tags {
        line.push_str("; the input's own tag columns were replaced");
    }
    if summary.modelled > 0 {
        line.push_str(&format!(
            "; the status of {} is modelled, not sourced (status_basis=modelled): treat it \
             as an estimate",
            plural(summary.modelled, "row")
        ));
    }
    eprintln!("{line}");
}

fn progress_bar(quiet: bool, total_bytes: Option<u64>) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
    let template = if total_bytes.is_some() {
        "{spinner} [{elapsed_precise}] {bar:30} {binary_bytes}/{binary_total_bytes} \
         ({binary_bytes_per_sec}, {msg}, eta {eta})"
    } else {
        "{spinner} [{elapsed_precise}] {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
