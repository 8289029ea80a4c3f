//! The report as a table, CSV or JSON, the same for every front end.

use serde_json::{Value, json};

use crate::render::{Format, Rendered, Table, footer, json_text, plural};
use crate::report::{GroupFigures, PeriodStart, Rate, Ratio, Report, StatusFigures, Tally};

/// How a report groups its incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ReportBy {
    /// One row per status, with km·years, rates and rate ratios.
    Status,
    /// One row per segment, with its status history.
    Segment,
    /// One row per border line.
    Line,
    /// One row per pair of countries (the lines' `border`, A-B).
    Border,
}

/// Labels of the excluded classes, as rows in tables and CSV.
fn excluded_label(key: &str) -> &'static str {
    match key {
        "tag_error" => "(tag error)",
        "undated" => "(undated)",
        "outside_period" => "(outside period)",
        _ => "(beyond max distance)",
    }
}

fn heading(r: &Report, by: ReportBy) -> String {
    let what = match by {
        ReportBy::Status => "by status on the incident's date",
        ReportBy::Segment => "by segment",
        ReportBy::Line => "by line",
        ReportBy::Border => "by pair of countries",
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
            crate::geojson_out::round(r.max_distance_m / 1000.0, 3)
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

fn notes(r: &Report, by: ReportBy) -> Vec<String> {
    let mut notes = Vec::new();
    if by == ReportBy::Status {
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
        json!(crate::geojson_out::round(x, 6))
    } else {
        Value::Null
    }
}

fn tally_cells(t: &Tally, fatalities: bool, machine: bool) -> Vec<String> {
    let mut cells = vec![t.incidents.to_string(), t.warned.to_string()];
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
    let mut h = vec!["incidents", "warned"];
    if machine {
        h.extend(["fatalities", "fatality_ranges", "fatalities_missing"]);
    } else if fatalities {
        h.extend(["fatalities", "fatalities n/a"]);
    }
    h
}

/// The rows printed by the table and CSV formats (`machine`: CSV, full precision).
fn table(r: &Report, by: ReportBy, all: bool, machine: bool) -> Table {
    let fat = r.fatalities_column.is_some();
    let mut rows = Vec::new();
    let mut headers: Vec<&'static str>;
    let width;
    match by {
        ReportBy::Status => {
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
        ReportBy::Segment | ReportBy::Line | ReportBy::Border => {
            headers = match by {
                ReportBy::Segment => vec!["segment_id", "line", "from_km", "to_km", "km"],
                ReportBy::Border => vec!["border", "km"],
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
                ReportBy::Segment => r
                    .segments
                    .iter()
                    .filter(|g| all || g.tally.incidents > 0)
                    .collect(),
                ReportBy::Border => r.borders.iter().collect(),
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
                let mut row = if by == ReportBy::Segment {
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
            ReportBy::Segment => 4,
            ReportBy::Line | ReportBy::Border => 1,
            ReportBy::Status => 0,
        };
        row.extend(std::iter::repeat_n(String::new(), lead));
        row.extend(tally_cells(t, fat, machine));
        row.resize(width, String::new());
        rows.push(row);
    }
    Table {
        headers: headers.into_iter().map(String::from).collect(),
        rows,
        text_columns: TEXT_COLUMNS.map(String::from).to_vec(),
    }
}

fn by_status_text(g: &GroupFigures) -> String {
    let mut v: Vec<(&String, &u64)> = g.by_status.iter().collect();
    v.sort_by_key(|(s, _)| crate::export::legend_order(s));
    v.iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tally_json(t: &Tally, fatalities: bool) -> Value {
    if fatalities {
        json!({"incidents": t.incidents, "warned": t.warned, "fatalities": t.fatalities, "fatality_ranges": t.fatality_ranges, "fatalities_missing": t.fatalities_missing})
    } else {
        json!({"incidents": t.incidents, "warned": t.warned, "fatalities": null, "fatality_ranges": null, "fatalities_missing": null})
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

fn json_doc(r: &Report, by: ReportBy, all: bool) -> Value {
    let fat = r.fatalities_column.is_some();
    let mut doc = json!({
        "border": r.border,
        "by": match by { ReportBy::Status => "status", ReportBy::Segment => "segment", ReportBy::Line => "line", ReportBy::Border => "border" },
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
        ReportBy::Status => {
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
        ReportBy::Segment | ReportBy::Line | ReportBy::Border => {
            let groups: Vec<Value> = if by == ReportBy::Segment {
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
                let (groups, key) = if by == ReportBy::Border {
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
                ReportBy::Segment => "segments",
                ReportBy::Border => "borders",
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

impl Report {
    /// The report grouped `by` status, segment or line (`all`: segments without incidents too),
    /// in `format`.
    ///
    /// ```no_run
    /// # fn show(report: &borderline::Report) {
    /// use borderline::render::Format;
    /// use borderline::report::ReportBy;
    /// print!("{}", report.render(ReportBy::Status, false, Format::Table).text);
    /// # }
    /// ```
    pub fn render(&self, by: ReportBy, all: bool, format: Format) -> Rendered {
        let notes = notes(self, by);
        let text = match format {
            Format::Json => {
                let mut doc = json_doc(self, by, all);
                doc["notes"] = json!(notes);
                json_text(&doc)
            }
            Format::Csv => table(self, by, all, true).csv(),
            Format::Table => format!(
                "{}\n{}{}",
                heading(self, by),
                table(self, by, all, false).aligned(),
                footer(&notes)
            ),
        };
        Rendered { text, notes }
    }
}
