//! `borderline report`: incidents per status, segment or line, with exposure and exact rates.

use std::io::Write;
use std::path::PathBuf;

use borderline::date::Date;
use borderline::render::Format;
use borderline::report::{ReportBy, ReportColumns, ReportInput, ReportOptions, build};
use borderline::tag::TaggedFile;

use super::output::Output;
use super::{BorderArgs, Failure, Outcome, ReadArgs, date_arg, distance_arg};

const EXAMPLES: &str = "\
Examples:
  borderline tag incidents.csv -o tagged.csv
  borderline report tagged.csv                          # per status, over the incidents' dates
  borderline report tagged.csv --from 2014-01-21 --to 2022-12-31 --format json
  borderline report tagged.csv --by segment             # segments with incidents, most first
  borderline report tagged.csv --border fergana --by border   # one row per pair of countries
  borderline report tagged.csv --by line --svg chart.svg

Input: the CSV `borderline tag` writes (the original columns, then segment_id, border, ...,
tag_warning, tag_error, with any --prefix), reported against the same border (--border/--status
as when tagging). Each row's date comes from the date column (auto-detected as tag does, or
--date; numeric day/month dates in the column's order, or --date-order); a report needs dates,
so a file without a date column is refused.
Every row lands in exactly one class, in this order: tag error (tag_error not empty), undated
(the date is empty or does not parse), outside the period, beyond the maximum distance (an
empty segment_id, or distance_m beyond --max-distance: 20 km by default, because incidents
geocoded farther from the line than a border village's or town's few km are seldom border
incidents — Bishkek is ~390 km from the Kyrgyz–Tajik line — and counting them would dilute the
rates of every status; --max-distance none counts them all) or counted. Counted rows are
tallied under the status tag wrote (the segment's status on the incident's date), rows with a
tag_warning included (the warned column counts them); the others are listed as rows in
parentheses, never dropped silently. A counted row whose status differs from the border's
status on its date is flagged in a note.
Period: --from/--to, both days included [default: the latest date of the rows without a tag
error, and the earliest one — but no earlier than the first day on which every segment has a
recorded status, so that no unknown exposure is invented; the heading says which]. Exposure:
a segment of L km that had a status on d days of the period gives L*d/365.25 km·years to that
status, so a stretch agreed mid-period counts for both statuses; before a segment's first
record its status is unknown.
Rates are incidents per 100 km·years with exact 95% Poisson intervals (Garwood 1936: Gamma
quantiles, as R's poisson.test(x, T)). Rate ratios compare each status with --reference
(default delimited) by the exact conditional (binomial) method, as R's
poisson.test(c(x1, x2), c(T1, T2)): given x1 + x2 incidents, the Clopper–Pearson interval
[pL, pU] for x1/(x1 + x2) gives [pL/(1-pL), pU/(1-pU)] * T2/T1. Without reference km·years
there is no ratio; with no reference incidents the ratio and its upper limit are unbounded.
Fatalities are summed when there is a fatalities column (auto-detected: fatalities, best,
deaths; or --fatalities): a whole number counts, a range such as 46–55 counts its lower bound,
and anything else (blank, '≥6', '59 (KG side)') is not counted but reported as missing.
--svg writes a chart: incidents per 10 km (--bin-km) along each line, coloured by status
(Okabe–Ito, as export) with the status names written beside each line.";

/// Do incidents concentrate on undelimited stretches? Incidents, fatalities, km·years of
/// exposure, rates and rate ratios per status (or per segment or line) from a tagged CSV.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Tagged CSV from `borderline tag` (`-` for standard input).
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Group by status (with exposure and rates), segment, line or pair of countries.
    #[arg(long, value_enum, default_value = "status")]
    by: ReportBy,
    /// First day of the period (YYYY-MM-DD) [default: the earliest incident date].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    from: Option<Date>,
    /// Last day of the period (YYYY-MM-DD) [default: the latest incident date].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    to: Option<Date>,
    /// Date column [default: auto-detect].
    #[arg(long, value_name = "COL")]
    date: Option<String>,
    /// How numeric dates such as 05/06/2022 are written: dmy or mdy [default: inferred from
    /// the whole column].
    #[arg(long, value_name = "ORDER")]
    date_order: Option<borderline::date::DateOrder>,
    /// Leave out of the rates incidents farther than this from every line, with its unit
    /// (20km, 800m; none for no limit). They are counted as "beyond max distance".
    #[arg(long, value_name = "DIST", value_parser = distance_arg, default_value = "20km")]
    max_distance: f64,
    /// Fatalities column [default: auto-detect; none: no fatalities].
    #[arg(long, value_name = "COL")]
    fatalities: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    /// Status the rate ratios compare against.
    #[arg(long, value_name = "STATUS", default_value = "delimited")]
    reference: String,
    /// With --by segment, list segments without incidents too.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Also write an SVG chart of incidents along the border (written atomically).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Width of the chart's bins in km.
    #[arg(long, value_name = "KM", default_value = "10", value_parser = bin_arg)]
    bin_km: f64,
    #[command(flatten)]
    border: BorderArgs,
}

fn bin_arg(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| format!("{text:?} is not a positive number of km"))
}

const ALPHA: f64 = 0.05;

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let columns = ReportColumns {
        date: args.date.clone(),
        date_order: args.date_order,
        fatalities: args.fatalities.clone(),
    };
    let file = TaggedFile::read_path(&args.input, &args.read.options(), true)?;
    let input = ReportInput::new(&args.input, file, &border, &columns)?;
    let options = ReportOptions {
        from: args.from,
        to: args.to,
        reference: args.reference.trim().to_string(),
        alpha: ALPHA,
        max_distance_m: args.max_distance,
    };
    let report = build(&border, &input, &options).map_err(|m| Failure {
        code: 2,
        message: format!("{}: {m}", args.input.display()),
    })?;
    if let Some(path) = &args.svg {
        let mut out = Output::create(Some(path))?;
        out.write_all(borderline::report::svg(&report, &border, args.bin_km).as_bytes())?;
        out.commit()?;
    }
    let rendered = report.render(args.by, args.all, args.format);
    let mut out = std::io::stdout().lock();
    out.write_all(rendered.text.as_bytes())?;
    out.flush()?;
    if args.format == Format::Csv {
        for note in &rendered.notes {
            eprintln!("* {note}");
        }
    }
    Ok(())
}
