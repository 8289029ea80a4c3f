//! `borderline tag`: tag a CSV of incidents with the nearest border segment.

use std::io::IsTerminal;
use std::path::PathBuf;

use borderline::date::Date;
use borderline::io::{Output, is_std};
use borderline::tag_csv::{ColumnChoice, TagOptions, tag_csv};
use borderline::tagger::Tagger;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{BorderArgs, Failure, Outcome, date_arg};

const EXAMPLES: &str = "\
Examples:
  borderline tag incidents.csv -o tagged.csv
  borderline tag acled_export.csv --max-distance 5km -o tagged.csv
  borderline tag ged.csv --date date_start -o tagged.csv        # UCDP GED
  cat sheet.csv | borderline tag - --lat Y --lon X --as-of 2022-09-16 > tagged.csv

Appended columns: segment_id, status, distance_m, chainage_km, line, side, enclave,
nearest_enclave, enclave_distance_m, tag_error.
Columns are auto-detected (case-insensitive): latitude from lat, latitude, y; longitude from
lon, lng, long, longitude, x; date from date, event_date, date_start. Dates may be ISO
(2022-09-16, also with a time), ACLED's '16 September 2022', a month (2015-08), a year or an
interval (2022-09-14/2022-09-17); a period takes the status of its first day. Without a date
column every row gets the status as of --as-of (default today).
Distances are geodesic on the WGS84 ellipsoid, exact to well under a metre; the nearest
segment is the one brute force over every segment would choose (ties: lowest segment).
Every input row is written once, in order. Bad rows keep empty tags and say why in tag_error;
--strict makes any bad row fail the run (exit 1). With -o the file is replaced only when the
run succeeds. Blank lines are not rows (as in RFC 4180) and are not copied.";

/// Tag every row of an incident CSV with its nearest border segment, the segment's status on the
/// row's date, the distance, the position along the border, the side and the enclave.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Input CSV (`-` for standard input).
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Output CSV (`-` for standard output); a file is written atomically.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// Latitude column [default: auto-detect].
    #[arg(long, value_name = "COL")]
    lat: Option<String>,
    /// Longitude column [default: auto-detect].
    #[arg(long, value_name = "COL")]
    lon: Option<String>,
    /// Date column [default: auto-detect; none: use --as-of].
    #[arg(long, value_name = "COL")]
    date: Option<String>,
    /// Status date for rows when there is no date column [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<Date>,
    /// Leave segment fields empty for rows farther than this from every segment (e.g. 5km, 800m).
    #[arg(long, value_name = "DIST", value_parser = distance_arg)]
    max_distance: Option<f64>,
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

/// Parses `5km`, `800m` or a bare number of metres.
fn distance_arg(text: &str) -> Result<f64, String> {
    let t = text.trim().to_ascii_lowercase();
    let (number, scale) = if let Some(n) = t.strip_suffix("km") {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 1.0)
    } else {
        (t.as_str(), 1.0)
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v * scale)
        .ok_or_else(|| format!("{text:?} is not a distance (e.g. 5km, 800m)"))
}

pub fn run(args: Args) -> Outcome {
    let mut border = args.border.load()?;
    if let Some(path) = &args.enclaves {
        let features = borderline::geojson_in::read_features(path)?;
        border.enclaves = borderline::border::enclaves_from_features(path, &features)?;
    }
    let tagger = Tagger::new(&border);
    let options = TagOptions {
        columns: ColumnChoice {
            lat: args.lat,
            lon: args.lon,
            date: args.date,
        },
        as_of: args.as_of.unwrap_or_else(borderline::date::today),
        max_distance_m: args.max_distance.unwrap_or(f64::INFINITY),
    };
    let total_bytes = if is_std(&args.input) {
        None
    } else {
        std::fs::metadata(&args.input).ok().map(|m| m.len())
    };
    let input: Box<dyn std::io::Read + Send> = if is_std(&args.input) {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(&args.input).map_err(|e| borderline::Error::io(&args.input, e))?,
        )
    };
    let bar = progress_bar(args.quiet, total_bytes);
    let rows = std::sync::atomic::AtomicU64::new(0);
    let on_progress = |bytes: u64, batch_rows: u64| {
        let done = rows.fetch_add(batch_rows, std::sync::atomic::Ordering::Relaxed) + batch_rows;
        match total_bytes {
            Some(_) => bar.set_position(bytes),
            None => bar.set_position(done),
        }
        bar.set_message(format!("{done} rows"));
    };
    let mut output = Output::create(Some(&args.output))?;
    let summary = tag_csv(
        &tagger,
        &args.input,
        input,
        &mut output,
        &options,
        &on_progress,
    )?;
    if std::env::var_os("BORDERLINE_GRID_STATS").is_some() {
        eprintln!("grid stats {:?}", tagger.grid_stats());
    }
    bar.finish_and_clear();
    if let (true, Some((line, reason))) = (args.strict, &summary.first_error) {
        // A file is simply not replaced; what went to standard output cannot be taken back.
        let fate = if is_std(&args.output) {
            "the output on stdout is incomplete: discard it"
        } else {
            "no file written"
        };
        return Err(Failure::failed(format!(
            "{}:line {line}: {reason} ({} bad rows; --strict: {fate})",
            args.input.display(),
            summary.errors
        )));
    }
    output.commit()?;
    if !args.quiet {
        eprintln!(
            "borderline: {} rows: {} tagged, {} beyond max distance, {} errors",
            summary.rows, summary.tagged, summary.beyond_max_distance, summary.errors
        );
    }
    Ok(())
}

fn progress_bar(quiet: bool, total_bytes: Option<u64>) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
    let template = if total_bytes.is_some() {
        "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {msg} ({per_sec} read, eta {eta})"
    } else {
        "{spinner} [{elapsed_precise}] {msg} ({per_sec} rows/s)"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
