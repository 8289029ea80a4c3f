//! Incidents per status, segment and line, against the km·years of border that had each status.
//!
//! The input is a CSV written by `borderline tag` ([`TaggedFile`]). Every row falls in exactly
//! one class, tested in this order: a tag error (non-empty `tag_error`), undated (the date
//! column does not parse), outside the period, beyond the maximum distance (an empty
//! `segment_id`, or a `distance_m` beyond the report's window, 20 km by default), or counted.
//! Counted rows are tallied under the `status` the tagger wrote (the segment's status on the
//! incident's date), their segment, their line and their line's pair of countries; rows with a `tag_warning` are counted like
//! the others and their number is given per status.
//!
//! Exposure ([`exposure`]): a segment of `L` km that had status `s` on `d` days of the period
//! contributes `L·d/365.25` km·years to `s` (both ends of the period are included), so a
//! stretch agreed mid-period contributes to both statuses. Before a segment's first status
//! record its status is `unknown`, as when tagging; the default period therefore starts no
//! earlier than the border's first status record. Rates are incidents per 100 km·years with
//! the exact (Garwood) interval; rate ratios against a reference status use the exact
//! conditional method (see [`crate::stats`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::border::Border;
use crate::date::{Date, DateOrder, DateParser};
use crate::error::{Error, Position, Result};
use crate::input::{ColumnSpec, DATE_NAMES, FATALITY_NAMES, find_column, missing_column};
use crate::stats::{RateRatio, rate_ratio};
use crate::tag::{TagRecord, TaggedFile};

mod exposure;
mod history;
mod render;
mod svg;
mod tally;

pub use exposure::{DAYS_PER_YEAR, RATE_PER_KM_YEARS, Rate, Window, exposure, rate, status_days};
pub use history::{border_history, line_history, segment_history};
pub use render::ReportBy;
pub use svg::svg;
pub use tally::{Fatalities, Tally, parse_fatalities};

/// The report's default distance window, metres: incidents farther from every line are left
/// out of the rates (counted as beyond the maximum distance). Border incidents as ACLED and UCDP
/// geocode them sit on the village or outpost they are named after; villages along this kind
/// of border lie within a few km of the line, and 20 km still holds a town-level geocode of a
/// clash at the line, while provincial capitals and the places of political events about the
/// border (Bishkek, ~390 km from the Kyrgyz–Tajik line; Dushanbe, ~200 km) fall outside.
pub const DEFAULT_MAX_DISTANCE_M: f64 = 20_000.0;

/// One data row of a tagged CSV, as the report needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// 1-based CSV line.
    pub csv_line: u64,
    /// `None`: the date column is empty or does not parse.
    pub date: Option<Date>,
    /// Index into [`Border::segments`] of the tagged segment; `None`: none (beyond the tag's
    /// maximum distance, or a tag error).
    pub segment: Option<usize>,
    /// The row's tags.
    pub tags: TagRecord<'static>,
    /// The row's fatality cell.
    pub fatalities: Fatalities,
}

/// The rows of a tagged CSV and the columns they were read from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// Every row, in order.
    pub rows: Vec<ReportRow>,
    /// The date column, as the header spells it.
    pub date_column: String,
    /// The day/month order of numeric dates, when the column has them.
    pub date_order: Option<DateOrder>,
    /// `None`: no fatality column.
    pub fatalities_column: Option<String>,
}

/// Which columns to read; `None` auto-detects.
#[derive(Debug, Clone, Default)]
pub struct ReportColumns {
    /// `--date`.
    pub date: Option<String>,
    /// `--date-order`: how numeric dates are written (`None`: inferred from the column).
    pub date_order: Option<DateOrder>,
    /// `--fatalities`.
    pub fatalities: Option<String>,
}

impl ReportInput {
    /// The rows of `file` (a tagged CSV read from `path`) against `border`. A `segment_id` that
    /// `border` does not have is an error: the file was tagged against another border, and its
    /// statuses would not match the exposure.
    pub fn new(
        path: &Path,
        file: TaggedFile,
        border: &Border,
        columns: &ReportColumns,
    ) -> Result<ReportInput> {
        let header = &file.header;
        let date_spec = ColumnSpec {
            what: "date",
            flag: "--date",
            chosen: columns.date.as_deref(),
            candidates: &DATE_NAMES,
        };
        let date = find_column(path, header, date_spec)?.ok_or_else(|| {
            missing_column(
                path,
                header,
                date_spec,
                " (a report needs each incident's date: exposure is counted over a period)",
            )
        })?;
        let fatalities = find_column(
            path,
            header,
            ColumnSpec {
                what: "fatalities",
                flag: "--fatalities",
                chosen: columns.fatalities.as_deref(),
                candidates: &FATALITY_NAMES,
            },
        )?;
        let date_order = match columns.date_order {
            Some(order) => Some(order),
            None => DateOrder::infer(file.rows.iter().map(|r| {
                (
                    format_args!("line {}", r.line).to_string(),
                    r.fields.get(date).map_or("", String::as_str),
                )
            }))
            .map_err(|problem| {
                Error::input(
                    path,
                    Position::File,
                    format!(
                        "date column {:?}: {problem}; give the order with --date-order dmy|mdy",
                        header[date]
                    ),
                )
            })?,
        };
        let dates = DateParser::new(date_order);
        let ids: HashMap<&str, usize> = border
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut rows = Vec::with_capacity(file.rows.len());
        for row in file.rows {
            let tags = row.tags.unwrap_or_default();
            let segment = if tags.has_segment() {
                Some(*ids.get(&*tags.segment_id).ok_or_else(|| {
                    Error::input(
                        path,
                        Position::Line(row.line),
                        format!(
                            "segment {:?} is not a segment of the {} border: report with the \
                             --border/--status the file was tagged with",
                            tags.segment_id, border.name
                        ),
                    )
                })?)
            } else {
                None
            };
            let cell = |i: usize| row.fields.get(i).map_or("", String::as_str);
            rows.push(ReportRow {
                csv_line: row.line,
                date: dates.parse(cell(date)).ok().map(|r| r.start),
                segment,
                fatalities: fatalities.map_or(Fatalities::Blank, |i| parse_fatalities(cell(i))),
                tags,
            });
        }
        Ok(ReportInput {
            rows,
            date_column: header[date].clone(),
            date_order,
            fatalities_column: fatalities.map(|i| header[i].clone()),
        })
    }
}

/// A status's rate compared with the reference status.
#[derive(Debug, Clone, PartialEq)]
pub enum Ratio {
    /// This is the reference status.
    Reference,
    /// The ratio and its exact interval.
    Value(RateRatio),
    /// Why there is no ratio.
    Undefined(String),
}

/// The figures of one status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusFigures {
    /// The status.
    pub status: String,
    /// Incidents counted under it.
    pub tally: Tally,
    /// Exposure: km·years of border with this status in the period.
    pub km_years: f64,
    /// Incidents per [`RATE_PER_KM_YEARS`] km·years.
    pub rate: Option<Rate>,
    /// The rate against the reference status's.
    pub ratio: Ratio,
}

/// The figures of one segment, line or pair of countries.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    /// Segment or line ID, or the pair (`A-B`).
    pub id: String,
    /// The line's ID (empty for a pair).
    pub line: String,
    /// The line's country pair.
    pub border: String,
    /// Where the group starts along its line, km.
    pub from_km: f64,
    /// Where it ends, km.
    pub to_km: f64,
    /// Its length, km.
    pub km: f64,
    /// Incidents counted on it.
    pub tally: Tally,
    /// Counted incidents per tagged status.
    pub by_status: BTreeMap<String, u64>,
    /// E.g. `undelimited since 2014-01-21 → delimited since 2024-07-01`.
    pub history: String,
}

/// Rows left out of the rates, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Excluded {
    /// Rows with a `tag_error`.
    pub tag_error: Tally,
    /// Rows whose date is empty or does not parse.
    pub undated: Tally,
    /// Rows dated outside the period.
    pub outside_period: Tally,
    /// Rows farther than the maximum distance from every line.
    pub beyond_max_distance: Tally,
}

impl Excluded {
    /// The classes with their labels, in classification order.
    pub fn classes(&self) -> [(&'static str, &Tally); 4] {
        [
            ("tag_error", &self.tag_error),
            ("undated", &self.undated),
            ("outside_period", &self.outside_period),
            ("beyond_max_distance", &self.beyond_max_distance),
        ]
    }
}

/// A counted incident, for charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Index into [`Border::segments`].
    pub segment: usize,
    /// The status it was tagged with.
    pub status: String,
    /// Position along its line, km.
    pub chainage_km: f64,
    /// Its date (the first day of its range).
    pub date: Date,
    /// Whether it carries a `tag_warning`.
    pub warned: bool,
}

/// How the period of a report was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodStart {
    /// Given with `--from`.
    Given,
    /// The earliest incident date.
    FirstIncident,
    /// The first day on which every segment has a recorded status
    /// ([`Border::first_recorded_day`]), later than the earliest incident: before it some
    /// statuses are `unknown`.
    FirstRecord,
}

/// What to report and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// First day of the period (`None`: the earliest incident date, but no earlier than the
    /// border's first status record).
    pub from: Option<Date>,
    /// Last day of the period (`None`: the latest incident date).
    pub to: Option<Date>,
    /// Status the rate ratios compare against.
    pub reference: String,
    /// 1 − confidence of the intervals.
    pub alpha: f64,
    /// Incidents farther than this (m) from every line are left out of the rates.
    pub max_distance_m: f64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            from: None,
            to: None,
            reference: "delimited".into(),
            alpha: 0.05,
            max_distance_m: DEFAULT_MAX_DISTANCE_M,
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The border's name.
    pub border: String,
    /// The period.
    pub window: Window,
    /// How its first day was chosen.
    pub period_start: PeriodStart,
    /// Whether its last day is the latest incident date (no `--to`).
    pub period_end_from_data: bool,
    /// The reference status of the rate ratios.
    pub reference: String,
    /// 1 − confidence of the intervals.
    pub alpha: f64,
    /// The distance window, metres (infinite: none).
    pub max_distance_m: f64,
    /// The date column read.
    pub date_column: String,
    /// The fatality column read, if any.
    pub fatalities_column: Option<String>,
    /// Data rows read.
    pub rows_read: u64,
    /// Incidents counted.
    pub counted: Tally,
    /// Exposure of the whole border over the period, km·years.
    pub km_years: f64,
    /// The rate of all counted incidents.
    pub total_rate: Option<Rate>,
    /// In legend order (undelimited, delimited, demarcated, disputed, unknown, others).
    pub statuses: Vec<StatusFigures>,
    /// By incidents (descending), then ID.
    pub segments: Vec<GroupFigures>,
    /// By incidents (descending), then ID.
    pub lines: Vec<GroupFigures>,
    /// Per pair of countries (the lines' `border`): by incidents (descending), then name.
    pub borders: Vec<GroupFigures>,
    /// Rows left out of the rates.
    pub excluded: Excluded,
    /// Counted rows whose tagged status differs from the border's status on their date.
    pub status_mismatches: u64,
    /// CSV line, tagged and recomputed status of the first mismatch.
    pub first_mismatch: Option<(u64, String, String)>,
    /// Whether some exposure in the period rests on rows labelled `modelled`.
    pub modelled: bool,
    /// The counted incidents, for charts.
    pub incidents: Vec<Incident>,
}

/// Builds the report of `input` against `border`.
pub fn build(
    border: &Border,
    input: &ReportInput,
    options: &ReportOptions,
) -> std::result::Result<Report, String> {
    let reference = options.reference.as_str();
    let alpha = options.alpha;
    let dated = input
        .rows
        .iter()
        .filter(|r| r.tags.tag_error.is_none())
        .filter_map(|r| r.date);
    let (first, last) = (dated.clone().min(), dated.max());
    let no_dates =
        "no row has a readable date and no tag error: give the period with --from and --to";
    let first_record = border.first_recorded_day();
    let (from, period_start) = match (options.from, first, first_record) {
        (Some(from), ..) => (from, PeriodStart::Given),
        (None, Some(first), Some(record)) if record > first => (record, PeriodStart::FirstRecord),
        (None, Some(first), _) => (first, PeriodStart::FirstIncident),
        (None, None, _) => return Err(no_dates.into()),
    };
    let window = Window {
        from,
        to: options.to.or(last).ok_or(no_dates)?,
    };
    if window.to < window.from {
        return Err(format!(
            "the period ends ({}) before it starts ({}){}",
            window.to,
            window.from,
            if period_start == PeriodStart::FirstRecord {
                ": every incident is older than the border's first status record; give --from"
            } else {
                ""
            }
        ));
    }
    let mut excluded = Excluded::default();
    let mut counted = Tally::default();
    let mut by_status: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_segment: Vec<(Tally, BTreeMap<String, u64>)> =
        vec![Default::default(); border.segments.len()];
    let mut status_mismatches = 0;
    let mut first_mismatch = None;
    let mut incidents = Vec::new();
    for row in &input.rows {
        let warned = !row.tags.tag_warning.is_empty();
        if row.tags.tag_error.is_some() {
            excluded.tag_error.add(row.fatalities, warned);
            continue;
        }
        let Some(date) = row.date else {
            excluded.undated.add(row.fatalities, warned);
            continue;
        };
        if !window.contains(date) {
            excluded.outside_period.add(row.fatalities, warned);
            continue;
        }
        let far = row
            .tags
            .distance_m
            .is_some_and(|d| d > options.max_distance_m);
        let (Some(index), false) = (row.segment, far) else {
            excluded.beyond_max_distance.add(row.fatalities, warned);
            continue;
        };
        let segment = &border.segments[index];
        let recomputed = segment.status_at(date);
        let status = if row.tags.status.is_empty() {
            recomputed.to_string()
        } else {
            row.tags.status.to_string()
        };
        if recomputed != status {
            status_mismatches += 1;
            first_mismatch.get_or_insert((row.csv_line, status.clone(), recomputed.to_string()));
        }
        counted.add(row.fatalities, warned);
        by_status
            .entry(status.clone())
            .or_default()
            .add(row.fatalities, warned);
        let (tally, statuses) = &mut by_segment[index];
        tally.add(row.fatalities, warned);
        *statuses.entry(status.clone()).or_default() += 1;
        incidents.push(Incident {
            segment: index,
            chainage_km: row
                .tags
                .chainage_km
                .unwrap_or((segment.from_km + segment.to_km) / 2.0),
            status,
            date,
            warned,
        });
    }
    let exposure = exposure(&border.segments, window);
    let km_years: f64 = exposure.values().sum();
    let mut names: Vec<String> = exposure
        .iter()
        .filter(|(_, e)| **e > 0.0)
        .map(|(s, _)| s.clone())
        .chain(by_status.keys().cloned())
        .collect();
    names.sort_by_key(|s| crate::export::legend_order(s));
    names.dedup();
    let reference_figures = (
        by_status.get(reference).map_or(0, |t| t.incidents),
        exposure.get(reference).copied().unwrap_or(0.0),
    );
    let statuses = names
        .into_iter()
        .map(|status| {
            let tally = by_status.get(&status).copied().unwrap_or_default();
            let km_years = exposure.get(&status).copied().unwrap_or(0.0);
            let (x2, e2) = reference_figures;
            let ratio = if status == reference {
                Ratio::Reference
            } else if e2 <= 0.0 {
                Ratio::Undefined(format!("no {reference} km·years in the period"))
            } else if km_years <= 0.0 {
                Ratio::Undefined(format!("no {status} km·years in the period"))
            } else {
                match rate_ratio(tally.incidents, km_years, x2, e2, alpha) {
                    Some(rr) => Ratio::Value(rr),
                    None => Ratio::Undefined(format!(
                        "no incidents on {status} or {reference} stretches"
                    )),
                }
            };
            StatusFigures {
                rate: rate(tally.incidents, km_years, alpha),
                status,
                tally,
                km_years,
                ratio,
            }
        })
        .collect();
    let mut segments: Vec<GroupFigures> = border
        .segments
        .iter()
        .zip(&by_segment)
        .map(|(s, (tally, by_status))| GroupFigures {
            id: s.id.clone(),
            line: border.lines[s.line].id.clone(),
            border: border.lines[s.line].border.clone(),
            from_km: s.from_km,
            to_km: s.to_km,
            km: s.length_km(),
            tally: *tally,
            by_status: by_status.clone(),
            history: segment_history(s),
        })
        .collect();
    // The segments' figures summed over a group of lines.
    let sum_over = |in_group: &dyn Fn(usize) -> bool| {
        let mut tally = Tally::default();
        let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
        for (g, _) in segments
            .iter()
            .zip(&border.segments)
            .filter(|(_, s)| in_group(s.line))
        {
            tally.merge(&g.tally);
            for (s, n) in &g.by_status {
                *statuses.entry(s.clone()).or_default() += n;
            }
        }
        (tally, statuses)
    };
    let mut lines: Vec<GroupFigures> = border
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let (tally, by_status) = sum_over(&|l| l == i);
            GroupFigures {
                id: line.id.clone(),
                line: line.id.clone(),
                border: line.border.clone(),
                from_km: 0.0,
                to_km: line.length_km,
                km: line.length_km,
                tally,
                by_status,
                history: line_history(border, i),
            }
        })
        .collect();
    let mut borders: Vec<GroupFigures> = border
        .borders()
        .into_iter()
        .map(|pair| {
            let (tally, by_status) = sum_over(&|l| border.lines[l].border == pair);
            let km: f64 = border
                .lines
                .iter()
                .filter(|l| l.border == pair)
                .map(|l| l.length_km)
                .sum();
            GroupFigures {
                id: pair.to_string(),
                line: String::new(),
                border: pair.to_string(),
                from_km: 0.0,
                to_km: km,
                km,
                tally,
                by_status,
                history: border_history(border, pair),
            }
        })
        .collect();
    let order = |a: &GroupFigures, b: &GroupFigures| {
        b.tally
            .incidents
            .cmp(&a.tally.incidents)
            .then_with(|| a.id.cmp(&b.id))
    };
    segments.sort_by(order);
    lines.sort_by(order);
    borders.sort_by(order);
    let modelled = border.segments.iter().any(|s| {
        s.history.iter().enumerate().any(|(i, p)| {
            let starts_before_end = p.from.is_none_or(|f| f <= window.to);
            let ends_after_start = s
                .history
                .get(i + 1)
                .and_then(|n| n.from)
                .is_none_or(|n| n > window.from);
            p.is_modelled() && starts_before_end && ends_after_start
        })
    });
    Ok(Report {
        border: border.name.clone(),
        window,
        period_start,
        period_end_from_data: options.to.is_none(),
        reference: reference.to_string(),
        alpha,
        max_distance_m: options.max_distance_m,
        date_column: input.date_column.clone(),
        fatalities_column: input.fatalities_column.clone(),
        rows_read: input.rows.len() as u64,
        counted,
        km_years,
        total_rate: rate(counted.incidents, km_years, alpha),
        statuses,
        segments,
        lines,
        borders,
        excluded,
        status_mismatches,
        first_mismatch,
        modelled,
        incidents,
    })
}

/// Segments and periods for the unit tests of the report's parts.
#[cfg(test)]
mod fixtures {
    use crate::border::{Period, Segment};
    use crate::date::Date;

    pub fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    pub fn period(from: Option<&str>, status: &str) -> Period {
        Period {
            from: from.map(date),
            status: status.into(),
            basis: String::new(),
            source: String::new(),
        }
    }

    pub fn segment(km: f64, history: Vec<Period>) -> Segment {
        Segment {
            id: "A:001".into(),
            line: 0,
            from_km: 0.0,
            to_km: km,
            geometry: geo::LineString::new(vec![]),
            history,
        }
    }
}
