//! `borderline report`: incidents per status, segment or line, with exposure and exact rates.

use std::io::Write;
use std::path::PathBuf;

use borderline::date::Date;
use borderline::io::Output;
use borderline::report::{
    GroupFigures, PeriodStart, Rate, Ratio, Report, ReportColumns, ReportInput, ReportOptions,
    StatusFigures, Tally, build,
};
use borderline::tag::TaggedFile;
use serde_json::{Value, json};

use super::{BorderArgs, Failure, Format, Outcome, date_arg, distance_arg, plural, write_table};

const EXAMPLES: &str = "\
Examples:
  borderline tag incidents.csv -o tagged.csv
  borderline report tagged.csv                          # per status, over the incidents' dates
  borderline report tagged.csv --from 2014-01-21 --to 2022-12-31 --format json
  borderline report tagged.csv --by segment             # segments with incidents, most first
  borderline report tagged.csv --by line --svg chart.svg

Input: the CSV `borderline tag` writes (the original columns, then segment_id, status, ...,
tag_error), reported against the same border (--border/--status as when tagging). Each row's
date comes from the date column (auto-detected: date, event_date, date_start; or --date), read
as tag reads it; a report needs dates, so a file without a date column is refused.
Every row lands in exactly one class, in this order: tag error (tag_error not empty), undated
(the date does not parse), outside the period, beyond the tag's max distance (empty segment_id)
or counted. Counted rows are tallied under the status tag wrote (the segment's status on the
incident's date); the others are listed as rows in parentheses, never dropped silently. A
counted row whose status differs from the border's status on its date is flagged in a note.
Period: --from/--to, both days included [default: the earliest and latest date of the rows
without a tag error]. Exposure: a segment of L km that had a status on d days of the period
gives L*d/365.25 km·years to that status, so a stretch agreed mid-period counts for both
statuses; before a segment's first record its status is unknown.
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
    by: By,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// One row per status, with km·years, rates and rate ratios.
    Status,
    /// One row per segment, with its status history.
    Segment,
    /// One row per border line.
    Line,
    /// One row per pair of countries (the lines' `border`, A-B).
    Border,
}

fn bin_arg(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| format!("{text:?} is not a positive number of km"))
}

const ALPHA: f64 = 0.05;

/// Labels of the excluded classes, as rows in tables and CSV.
fn excluded_label(key: &str) -> &'static str {
    match key {
        "tag_error" => "(tag error)",
        "undated" => "(undated)",
        "outside_period" => "(outside period)",
        _ => "(beyond max distance)",
    }
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let columns = ReportColumns {
        date: args.date.clone(),
        date_order: args.date_order,
        fatalities: args.fatalities.clone(),
    };
    let file = TaggedFile::read_path(&args.input, true)?;
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
        out.write_all(borderline::report::svg(&report, &border, args.bin_km).as_bytes())
            .map_err(|e| Failure::failed(format!("writing {}: {e}", path.display())))?;
        out.commit()?;
    }
    let notes = notes(&report, args.by);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let mut doc = json_doc(&report, args.by, args.all);
            doc["notes"] = json!(notes);
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let (headers, rows) = rows(&report, args.by, args.all, true);
            super::write_csv(&mut out, &headers, &rows)?;
            for n in &notes {
                eprintln!("* {n}");
            }
        }
        Format::Table => {
            writeln!(out, "{}", heading(&report, args.by))?;
            let (headers, rows) = rows(&report, args.by, args.all, false);
            write_table(&mut out, &headers, &rows, &TEXT_COLUMNS)?;
            for n in &notes {
                writeln!(out, "* {n}")?;
            }
        }
    }
    Ok(())
}

fn heading(r: &Report, by: By) -> String {
    let what = match by {
        By::Status => "by status on the incident's date",
        By::Segment => "by segment",
        By::Line => "by line",
        By::Border => "by pair of countries",
    };
    let x = &r.excluded;
    let period = match (r.period_start, r.period_end_from_data) {
        (PeriodStart::FirstIncident, true) => ", the span of the incident dates",
        (PeriodStart::FirstRecord, true) => {
            ", from the border's first status record to the last incident"
        }
        (PeriodStart::FirstRecord, false) => ", from the border's first status record",
        (PeriodStart::FirstIncident, false) => ", from the first incident",
        (PeriodStart::Given, true) => ", to the last incident",
        (PeriodStart::Given, false) => "",
    };
    let window = if r.max_distance_m.is_finite() {
        format!(
            "within {} km of the border",
            borderline::geojson_out::round(r.max_distance_m / 1000.0, 3)
        )
    } else {
        "at any distance from the border".to_string()
    };
    format!(
        "{} border: incidents {window} {what}, {} to {} ({} = {:.2} years{period})\n\
         {}: {} counted ({} with warnings), {}, {} undated, {} outside the period, {} beyond max distance",
        r.border,
        r.window.from,
        r.window.to,
        plural(r.window.days() as u64, "day"),
        r.window.years(),
        plural(r.rows_read, "row"),
        r.counted.incidents,
        r.counted.warned,
        plural(x.tag_error.incidents, "tag error"),
        x.undated.incidents,
        x.outside_period.incidents,
        x.beyond_max_distance.incidents,
    )
}

fn notes(r: &Report, by: By) -> Vec<String> {
    let mut notes = Vec::new();
    if by == By::Status {
        notes.push(format!(
            "Rates per 100 km·years with exact 95% intervals (Garwood); rate ratios against {} by the exact conditional binomial method (as R's poisson.test).",
            r.reference
        ));
        for s in &r.statuses {
            if let Ratio::Undefined(why) = &s.ratio {
                notes.push(format!("{}: no rate ratio ({why}).", s.status));
            }
            if let Ratio::Value(rr) = &s.ratio
                && rr.estimate.is_infinite()
            {
                notes.push(format!(
                    "{}: no incidents on {} stretches, so the ratio and its upper limit are unbounded; the lower limit is exact.",
                    s.status, r.reference
                ));
            }
        }
        if !r.statuses.iter().any(|s| s.status == r.reference) {
            notes.push(format!(
                "The reference status {:?} has neither km·years nor incidents in the period.",
                r.reference
            ));
        }
    }
    match &r.fatalities_column {
        None => notes.push("No fatalities column (looked for fatalities, best, deaths; name one with --fatalities).".into()),
        Some(col) => {
            let mut all = r.counted;
            for (_, t) in r.excluded.classes() {
                all.incidents += t.incidents;
                all.fatalities += t.fatalities;
                all.fatality_ranges += t.fatality_ranges;
                all.fatalities_missing += t.fatalities_missing;
            }
            if all.fatality_ranges + all.fatalities_missing > 0 {
                notes.push(format!(
                    "Fatalities from column {col:?}: ranges (lower bound counted): {}; blank or unreadable (not counted): {} rows.",
                    all.fatality_ranges, all.fatalities_missing
                ));
            }
        }
    }
    if r.status_mismatches > 0
        && let Some((line, tagged, now)) = &r.first_mismatch
    {
        notes.push(format!(
            "{} counted rows carry a status that differs from this border's status on their date (first: line {line}, tagged {tagged:?}, border {now:?}): was the file tagged with another --status?",
            r.status_mismatches
        ));
    }
    if r.modelled {
        notes.push("Some statuses in the period are modelled, not sourced (basis=modelled; see the data's README): treat km·years and rates as estimates.".into());
    }
    notes
}

/// Numbers for people: 3 significant digits, at most 3 decimals.
fn sig(x: f64) -> String {
    if x.is_infinite() {
        return "∞".into();
    }
    let decimals = if x == 0.0 || x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else if x.abs() >= 1.0 {
        2
    } else {
        3
    };
    format!("{x:.decimals$}")
}

/// Numbers for machines: 6 decimals, `inf` when unbounded.
/// A km·years cell: full precision for machines (CSV, JSON), one decimal for people.
fn km_years_cell(km_years: f64, machine: bool) -> String {
    if machine {
        exact(km_years)
    } else {
        format!("{km_years:.1}")
    }
}

fn exact(x: f64) -> String {
    if x.is_infinite() {
        "inf".into()
    } else {
        format!("{x:.6}")
    }
}

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(borderline::geojson_out::round(x, 6))
    } else {
        Value::Null
    }
}

fn tally_cells(t: &Tally, fatalities: bool, machine: bool) -> Vec<String> {
    let mut cells = vec![t.incidents.to_string()];
    if fatalities {
        cells.push(t.fatalities.to_string());
        if machine {
            cells.push(t.fatality_ranges.to_string());
        }
        cells.push(t.fatalities_missing.to_string());
    } else if machine {
        cells.extend([String::new(), String::new(), String::new()]);
    }
    cells
}

fn tally_headers(fatalities: bool, machine: bool) -> Vec<&'static str> {
    let mut h = vec!["incidents"];
    if machine {
        h.extend(["fatalities", "fatality_ranges", "fatalities_missing"]);
    } else if fatalities {
        h.extend(["fatalities", "fatalities n/a"]);
    }
    h
}

/// The rows printed by the table and CSV formats (`machine`: CSV, full precision).
fn rows(r: &Report, by: By, all: bool, machine: bool) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let fat = r.fatalities_column.is_some();
    let mut rows = Vec::new();
    let mut headers: Vec<&'static str>;
    let width;
    match by {
        By::Status => {
            headers = vec!["status"];
            headers.extend(tally_headers(fat, machine));
            if machine {
                headers.extend([
                    "km_years",
                    "rate_per_100_km_years",
                    "rate_low",
                    "rate_high",
                    "rate_ratio",
                    "rate_ratio_low",
                    "rate_ratio_high",
                ]);
            } else {
                headers.extend([
                    "km·years",
                    "per 100 km·yr",
                    "95% CI",
                    "rate ratio",
                    "95% CI ",
                ]);
            }
            width = headers.len();
            let rate_cells = |rate: &Option<Rate>| -> Vec<String> {
                match rate {
                    None => vec![String::new(); if machine { 3 } else { 2 }],
                    Some(q) if machine => vec![
                        exact(q.value),
                        exact(q.interval.low),
                        exact(q.interval.high),
                    ],
                    Some(q) => vec![
                        sig(q.value),
                        format!("{}–{}", sig(q.interval.low), sig(q.interval.high)),
                    ],
                }
            };
            let status_row = |s: &StatusFigures| {
                let mut row = vec![s.status.clone()];
                row.extend(tally_cells(&s.tally, fat, machine));
                row.push(km_years_cell(s.km_years, machine));
                row.extend(rate_cells(&s.rate));
                match (&s.ratio, machine) {
                    (Ratio::Reference, true) => {
                        row.extend(["1".into(), String::new(), String::new()])
                    }
                    (Ratio::Reference, false) => row.extend(["1 (ref.)".into(), String::new()]),
                    (Ratio::Undefined(_), true) => {
                        row.extend([String::new(), String::new(), String::new()])
                    }
                    (Ratio::Undefined(_), false) => row.extend(["—".into(), String::new()]),
                    (Ratio::Value(rr), true) => row.extend([
                        exact(rr.estimate),
                        exact(rr.interval.low),
                        exact(rr.interval.high),
                    ]),
                    (Ratio::Value(rr), false) => row.extend([
                        sig(rr.estimate),
                        format!("{}–{}", sig(rr.interval.low), sig(rr.interval.high)),
                    ]),
                }
                row
            };
            rows.extend(r.statuses.iter().map(status_row));
            let mut total = vec!["(all counted)".to_string()];
            total.extend(tally_cells(&r.counted, fat, machine));
            total.push(km_years_cell(r.km_years, machine));
            total.extend(rate_cells(&r.total_rate));
            total.resize(width, String::new());
            rows.push(total);
        }
        By::Segment | By::Line | By::Border => {
            headers = match by {
                By::Segment => vec!["segment_id", "line", "from_km", "to_km", "km"],
                By::Border => vec!["border", "km"],
                _ => vec!["line", "km"],
            };
            headers.extend(tally_headers(fat, machine));
            headers.extend(if machine {
                ["incidents_by_status", "status_history"]
            } else {
                ["by status", "status history"]
            });
            width = headers.len();
            let groups: Vec<&GroupFigures> = match by {
                By::Segment => r
                    .segments
                    .iter()
                    .filter(|g| all || g.tally.incidents > 0)
                    .collect(),
                By::Border => r.borders.iter().collect(),
                _ => r.lines.iter().collect(),
            };
            for g in groups {
                let km = |x: f64| {
                    if machine {
                        format!("{x:.3}")
                    } else {
                        format!("{x:.1}")
                    }
                };
                let mut row = if by == By::Segment {
                    vec![
                        g.id.clone(),
                        g.line.clone(),
                        km(g.from_km),
                        km(g.to_km),
                        km(g.km),
                    ]
                } else {
                    vec![g.id.clone(), km(g.km)]
                };
                row.extend(tally_cells(&g.tally, fat, machine));
                row.push(by_status_text(g));
                row.push(g.history.clone());
                rows.push(row);
            }
        }
    }
    for (key, t) in r.excluded.classes() {
        let mut row = vec![excluded_label(key).to_string()];
        let lead = match by {
            By::Segment => 4,
            By::Line | By::Border => 1,
            By::Status => 0,
        };
        row.extend(std::iter::repeat_n(String::new(), lead));
        row.extend(tally_cells(t, fat, machine));
        row.resize(width, String::new());
        rows.push(row);
    }
    (headers, rows)
}

fn by_status_text(g: &GroupFigures) -> String {
    let mut v: Vec<(&String, &u64)> = g.by_status.iter().collect();
    v.sort_by_key(|(s, _)| borderline::export::legend_order(s));
    v.iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tally_json(t: &Tally, fatalities: bool) -> Value {
    if fatalities {
        json!({"incidents": t.incidents, "fatalities": t.fatalities, "fatality_ranges": t.fatality_ranges, "fatalities_missing": t.fatalities_missing})
    } else {
        json!({"incidents": t.incidents, "fatalities": null, "fatality_ranges": null, "fatalities_missing": null})
    }
}

fn rate_json(v: &mut Value, rate: &Option<Rate>) {
    match rate {
        Some(q) => {
            v["rate_per_100_km_years"] = num(q.value);
            v["rate_ci"] = json!([num(q.interval.low), num(q.interval.high)]);
        }
        None => {
            v["rate_per_100_km_years"] = Value::Null;
            v["rate_ci"] = Value::Null;
        }
    }
}

fn json_doc(r: &Report, by: By, all: bool) -> Value {
    let fat = r.fatalities_column.is_some();
    let mut doc = json!({
        "border": r.border,
        "by": match by { By::Status => "status", By::Segment => "segment", By::Line => "line", By::Border => "border" },
        "period": {
            "from": r.window.from.to_string(),
            "to": r.window.to.to_string(),
            "days": r.window.days(),
            "years": num(r.window.years()),
            "from_data": r.period_start != PeriodStart::Given,
            "from_first_status_record": r.period_start == PeriodStart::FirstRecord,
            "to_data": r.period_end_from_data,
        },
        "date_column": r.date_column,
        "fatalities_column": r.fatalities_column,
        "confidence": 1.0 - r.alpha,
        "rows": {
            "read": r.rows_read,
            "counted": r.counted.incidents,
            "tag_error": r.excluded.tag_error.incidents,
            "undated": r.excluded.undated.incidents,
            "outside_period": r.excluded.outside_period.incidents,
            "beyond_max_distance": r.excluded.beyond_max_distance.incidents,
        },
        "status_mismatches": r.status_mismatches,
        "modelled": r.modelled,
    });
    let excluded: serde_json::Map<String, Value> = r
        .excluded
        .classes()
        .iter()
        .map(|(k, t)| (k.to_string(), tally_json(t, fat)))
        .collect();
    doc["excluded"] = Value::Object(excluded);
    match by {
        By::Status => {
            doc["reference"] = json!(r.reference);
            let statuses: Vec<Value> = r
                .statuses
                .iter()
                .map(|s| {
                    let mut v = tally_json(&s.tally, fat);
                    v["status"] = json!(s.status);
                    v["km_years"] = num(s.km_years);
                    rate_json(&mut v, &s.rate);
                    match &s.ratio {
                        Ratio::Reference => {
                            v["rate_ratio"] = json!(1.0);
                            v["rate_ratio_ci"] = Value::Null;
                            v["rate_ratio_note"] = json!("reference");
                        }
                        Ratio::Value(rr) => {
                            v["rate_ratio"] = num(rr.estimate);
                            v["rate_ratio_ci"] =
                                json!([num(rr.interval.low), num(rr.interval.high)]);
                            v["rate_ratio_note"] = if rr.estimate.is_infinite() {
                                json!(format!(
                                    "no {} incidents: the ratio and its upper limit are unbounded (null)",
                                    r.reference
                                ))
                            } else {
                                Value::Null
                            };
                        }
                        Ratio::Undefined(why) => {
                            v["rate_ratio"] = Value::Null;
                            v["rate_ratio_ci"] = Value::Null;
                            v["rate_ratio_note"] = json!(why);
                        }
                    }
                    v
                })
                .collect();
            doc["statuses"] = json!(statuses);
            let mut total = tally_json(&r.counted, fat);
            total["km_years"] = num(r.km_years);
            rate_json(&mut total, &r.total_rate);
            doc["total"] = total;
        }
        By::Segment | By::Line | By::Border => {
            let groups: Vec<Value> = if by == By::Segment {
                r.segments
                    .iter()
                    .filter(|g| all || g.tally.incidents > 0)
                    .map(|g| {
                        let mut v = tally_json(&g.tally, fat);
                        v["segment_id"] = json!(g.id);
                        v["line"] = json!(g.line);
                        v["from_km"] = num(g.from_km);
                        v["to_km"] = num(g.to_km);
                        v["km"] = num(g.km);
                        v["incidents_by_status"] = json!(g.by_status);
                        v["status_history"] = json!(g.history);
                        v
                    })
                    .collect()
            } else {
                let (groups, key) = if by == By::Border {
                    (&r.borders, "border")
                } else {
                    (&r.lines, "line")
                };
                groups
                    .iter()
                    .map(|g| {
                        let mut v = tally_json(&g.tally, fat);
                        v[key] = json!(g.id);
                        v["km"] = num(g.km);
                        v["incidents_by_status"] = json!(g.by_status);
                        v["status_history"] = json!(g.history);
                        v
                    })
                    .collect()
            };
            let member = match by {
                By::Segment => "segments",
                By::Border => "borders",
                _ => "lines",
            };
            doc[member] = json!(groups);
        }
    }
    doc
}

/// Columns of the tables that hold text (left-aligned); the others hold numbers.
const TEXT_COLUMNS: [&str; 6] = [
    "status",
    "segment_id",
    "line",
    "border",
    "by status",
    "status history",
];
