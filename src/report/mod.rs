//! Incidents per status, segment and line, against the km·years of border that had each status.
//!
//! The input is a CSV written by `borderline tag`: the original columns followed by
//! [`TAG_COLUMNS`](crate::tag_csv::TAG_COLUMNS). Every row falls in exactly one class, tested
//! in this order: a tag error (non-empty `tag_error`), undated (the date column does not parse),
//! outside the period, beyond the tag's max distance (empty `segment_id`), or counted. Counted
//! rows are tallied under the `status` the tagger wrote (the segment's status on the incident's
//! date), their segment and their line.
//!
//! Exposure: a segment of `L` km that had status `s` on `d` days of the period contributes
//! `L·d/365.25` km·years to `s` (both ends of the period are included), so a stretch agreed
//! mid-period contributes to both statuses. Before a segment's first status record its status
//! is `unknown`, as when tagging. Rates are incidents per 100 km·years with the exact
//! (Garwood) interval; rate ratios against a reference status use the exact conditional method
//! (see [`crate::stats`]).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::border::{Border, Segment};
use crate::date::{Date, parse_incident_date};
use crate::error::{Error, Position, Result};
use crate::stats::{Interval, RateRatio, poisson_interval, rate_ratio};
use crate::status::UNKNOWN;
use crate::tag_csv::{DATE_NAMES, TAG_COLUMNS, clean_header, find_column};

mod svg;
pub use svg::svg;

/// Days per year in km·years.
pub const DAYS_PER_YEAR: f64 = 365.25;
/// Header names recognised as a fatality count (case-insensitive): ACLED, UCDP GED, others.
pub const FATALITY_NAMES: [&str; 3] = ["fatalities", "best", "deaths"];
/// Rates are per this many km·years.
pub const RATE_PER_KM_YEARS: f64 = 100.0;

/// A fatality count as written in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fatalities {
    /// Empty cell.
    Blank,
    /// A whole number.
    Count(u64),
    /// A range `a–b` or `a-b` (`a ≤ b`): the lower bound is counted.
    Range { low: u64, high: u64 },
    /// Anything else (`≥6`, `59 (KG side)`): not counted, reported.
    Unreadable,
}

/// Reads a fatality cell: a whole number, or a range `a–b`/`a-b`/`a—b` whose lower bound counts.
///
/// ```
/// use borderline::report::{Fatalities, parse_fatalities};
/// assert_eq!(parse_fatalities(" 7 "), Fatalities::Count(7));
/// assert_eq!(parse_fatalities("46–55"), Fatalities::Range { low: 46, high: 55 });
/// assert_eq!(parse_fatalities("≥6 in video"), Fatalities::Unreadable);
/// assert_eq!(parse_fatalities(""), Fatalities::Blank);
/// ```
pub fn parse_fatalities(text: &str) -> Fatalities {
    let text = text.trim();
    let whole = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    if text.is_empty() {
        return Fatalities::Blank;
    }
    if let Some(n) = whole(text) {
        return Fatalities::Count(n);
    }
    if let Some((a, b)) = text.split_once(['–', '-', '—'])
        && let (Some(low), Some(high)) = (whole(a), whole(b))
        && low <= high
    {
        return Fatalities::Range { low, high };
    }
    Fatalities::Unreadable
}

/// Incidents and fatalities of a group of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub incidents: u64,
    /// Sum of the readable counts (lower bounds of ranges).
    pub fatalities: u64,
    /// Rows whose count was a range (its lower bound is in `fatalities`).
    pub fatality_ranges: u64,
    /// Rows with a blank or unreadable count (not in `fatalities`).
    pub fatalities_missing: u64,
}

impl Tally {
    fn add(&mut self, f: Fatalities) {
        self.incidents += 1;
        match f {
            Fatalities::Count(n) => self.fatalities += n,
            Fatalities::Range { low, .. } => {
                self.fatalities += low;
                self.fatality_ranges += 1;
            }
            Fatalities::Blank | Fatalities::Unreadable => self.fatalities_missing += 1,
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.incidents += other.incidents;
        self.fatalities += other.fatalities;
        self.fatality_ranges += other.fatality_ranges;
        self.fatalities_missing += other.fatalities_missing;
    }
}

/// One data row of a tagged CSV, as the report needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedRow {
    /// 1-based CSV line.
    pub csv_line: u64,
    /// `None`: the date column does not parse.
    pub date: Option<Date>,
    /// The tagger's `tag_error`, if any.
    pub tag_error: Option<String>,
    /// Index into [`Border::segments`]; `None`: beyond the tag's max distance (or a tag error).
    pub segment: Option<usize>,
    /// The tagged status.
    pub status: String,
    pub chainage_km: Option<f64>,
    pub fatalities: Fatalities,
}

/// The rows of a tagged CSV and the columns they were read from.
#[derive(Debug, Clone)]
pub struct TaggedFile {
    pub rows: Vec<TaggedRow>,
    pub date_column: String,
    /// `None`: no fatality column.
    pub fatalities_column: Option<String>,
}

/// Which columns to read; `None` auto-detects.
#[derive(Debug, Clone, Default)]
pub struct ReportColumns {
    pub date: Option<String>,
    pub fatalities: Option<String>,
}

/// Reads a CSV written by `borderline tag` against `border`. The header must end with the tag
/// columns; the tag fields of a row are its last ten (tag pads short rows and keeps long ones).
/// A `segment_id` that `border` does not have is an error: the file was tagged against another
/// border, and its statuses would not match the exposure.
pub fn read_tagged(
    path: &Path,
    input: impl Read,
    border: &Border,
    columns: &ReportColumns,
) -> Result<TaggedFile> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::input(path, Position::Line(1), format!("unreadable header: {e}")))?
        .clone();
    let names: Vec<String> = headers.iter().map(clean_header).collect();
    let tags = TAG_COLUMNS.len();
    if names.len() < tags || names[names.len() - tags..] != TAG_COLUMNS.map(String::from) {
        return Err(Error::input(
            path,
            Position::Line(1),
            format!(
                "not a tagged CSV: the header must end with {} (run `borderline tag` first)",
                TAG_COLUMNS.join(",")
            ),
        ));
    }
    let original = &names[..names.len() - tags];
    let date = find_column(
        path,
        original,
        "date",
        "--date",
        columns.date.as_deref(),
        &DATE_NAMES,
    )?
    .ok_or_else(|| {
        Error::input(
            path,
            Position::Line(1),
            format!(
                "no date column (looked for {}); name it with --date. A report needs each \
                 incident's date: exposure is counted over a period",
                DATE_NAMES.join(", ")
            ),
        )
    })?;
    let fatalities = find_column(
        path,
        original,
        "fatalities",
        "--fatalities",
        columns.fatalities.as_deref(),
        &FATALITY_NAMES,
    )?;
    let ids: HashMap<&str, usize> = border
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let width = names.len();
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(Error::input(
                    path,
                    Position::Line(line),
                    format!("unreadable CSV: {e}"),
                ));
            }
        }
        let csv_line = record.position().map_or(0, |p| p.line());
        if record.len() < width {
            return Err(Error::input(
                path,
                Position::Line(csv_line),
                format!(
                    "row has {} fields, the header has {width}: not as `borderline tag` writes it",
                    record.len()
                ),
            ));
        }
        let text = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default());
        let base = record.len() - tags;
        let tag_error = Some(text(base + 9).trim().to_string()).filter(|e| !e.is_empty());
        let segment_id = text(base).trim().to_string();
        let segment = if tag_error.is_some() || segment_id.is_empty() {
            None
        } else {
            Some(*ids.get(segment_id.as_str()).ok_or_else(|| {
                Error::input(
                    path,
                    Position::Line(csv_line),
                    format!(
                        "segment {segment_id:?} is not a segment of the {} border: report with \
                         the --border/--status the file was tagged with",
                        border.name
                    ),
                )
            })?)
        };
        rows.push(TaggedRow {
            csv_line,
            date: parse_incident_date(&text(date)).ok(),
            tag_error,
            segment,
            status: text(base + 1).trim().to_string(),
            chainage_km: text(base + 3).trim().parse().ok(),
            fatalities: fatalities.map_or(Fatalities::Blank, |i| parse_fatalities(&text(i))),
        });
    }
    Ok(TaggedFile {
        rows,
        date_column: original[date].clone(),
        fatalities_column: fatalities.map(|i| original[i].clone()),
    })
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub to: Date,
}

fn days_between(a: Date, b: Date) -> i64 {
    // Civil dates span far less than i64 days; `until` cannot fail for day units.
    a.until((jiff::Unit::Day, b))
        .map_or(0, |span| i64::from(span.get_days()))
}

impl Window {
    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        days_between(self.from, self.to) + 1
    }

    pub fn years(&self) -> f64 {
        self.days() as f64 / DAYS_PER_YEAR
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Days of `window` on which `segment` had each status (`unknown` before its first record),
/// merged by status, in order of first appearance.
///
/// ```
/// use borderline::report::{Window, status_days};
/// let border = borderline::Border::embedded();
/// let window = Window { from: "2024-01-01".parse().unwrap(), to: "2024-12-31".parse().unwrap() };
/// let days: i64 = status_days(&border.segments[0], window).iter().map(|(_, d)| d).sum();
/// assert_eq!(days, 366);
/// ```
pub fn status_days(segment: &Segment, window: Window) -> Vec<(String, i64)> {
    let mut starts: Vec<(Option<Date>, &str)> = Vec::new();
    if segment.history.first().is_none_or(|p| p.from.is_some()) {
        starts.push((None, UNKNOWN));
    }
    starts.extend(segment.history.iter().map(|p| (p.from, p.status.as_str())));
    let mut out: Vec<(String, i64)> = Vec::new();
    for (i, (start, status)) in starts.iter().enumerate() {
        let begin = start.map_or(window.from, |s| s.max(window.from));
        // Exclusive end: the next period's start, or the day after the window.
        let end_excl = starts.get(i + 1).and_then(|(s, _)| *s);
        let days = match end_excl {
            Some(next) if next <= window.to => days_between(begin, next),
            _ => days_between(begin, window.to) + 1,
        };
        if days <= 0 {
            continue;
        }
        match out.iter_mut().find(|(s, _)| s == status) {
            Some(entry) => entry.1 += days,
            None => out.push((status.to_string(), days)),
        }
    }
    out
}

/// km·years per status over `window` for `segments`.
pub fn exposure<'a>(
    segments: impl IntoIterator<Item = &'a Segment>,
    window: Window,
) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for segment in segments {
        for (status, days) in status_days(segment, window) {
            *out.entry(status).or_default() += segment.length_km() * days as f64 / DAYS_PER_YEAR;
        }
    }
    out
}

/// A rate per [`RATE_PER_KM_YEARS`] km·years with its exact interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub value: f64,
    pub interval: Interval,
}

/// The rate of `incidents` over `km_years`, `None` without exposure.
pub fn rate(incidents: u64, km_years: f64, alpha: f64) -> Option<Rate> {
    (km_years > 0.0).then(|| {
        let scale = RATE_PER_KM_YEARS / km_years;
        let ci = poisson_interval(incidents, alpha);
        Rate {
            value: incidents as f64 * scale,
            interval: Interval {
                low: ci.low * scale,
                high: ci.high * scale,
            },
        }
    })
}

/// A status's rate compared with the reference status.
#[derive(Debug, Clone, PartialEq)]
pub enum Ratio {
    /// This is the reference status.
    Reference,
    Value(RateRatio),
    /// Why there is no ratio.
    Undefined(String),
}

/// The figures of one status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusFigures {
    pub status: String,
    pub tally: Tally,
    pub km_years: f64,
    pub rate: Option<Rate>,
    pub ratio: Ratio,
}

/// The figures of one segment or line.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    /// Segment or line ID.
    pub id: String,
    /// The line's ID.
    pub line: String,
    pub from_km: f64,
    pub to_km: f64,
    pub km: f64,
    pub tally: Tally,
    /// Counted incidents per tagged status.
    pub by_status: BTreeMap<String, u64>,
    /// E.g. `undelimited since 2014-01-21 → delimited since 2024-07-01`.
    pub history: String,
}

/// Rows left out of the rates, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Excluded {
    pub tag_error: Tally,
    pub undated: Tally,
    pub outside_period: Tally,
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
    pub segment: usize,
    pub status: String,
    pub chainage_km: f64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub border: String,
    pub window: Window,
    /// Whether `window` was derived from the incident dates (no `--from`/`--to`).
    pub window_from_data: (bool, bool),
    pub reference: String,
    pub alpha: f64,
    pub date_column: String,
    pub fatalities_column: Option<String>,
    pub rows_read: u64,
    pub counted: Tally,
    pub km_years: f64,
    pub total_rate: Option<Rate>,
    /// In legend order (undelimited, delimited, demarcated, disputed, unknown, others).
    pub statuses: Vec<StatusFigures>,
    /// By incidents (descending), then ID.
    pub segments: Vec<GroupFigures>,
    /// By incidents (descending), then ID.
    pub lines: Vec<GroupFigures>,
    pub excluded: Excluded,
    /// Counted rows whose tagged status differs from the border's status on their date.
    pub status_mismatches: u64,
    /// CSV line, tagged and recomputed status of the first mismatch.
    pub first_mismatch: Option<(u64, String, String)>,
    /// Whether some exposure in the period rests on rows labelled `modelled`.
    pub modelled: bool,
    pub incidents: Vec<Incident>,
}

/// Segment history in words, consecutive periods of one status merged.
///
/// ```
/// let border = borderline::Border::embedded();
/// let last = border.segments.last().unwrap();
/// assert_eq!(
///     borderline::report::segment_history(last),
///     "undelimited since 2014-01-21 → delimited since 2025-03-12"
/// );
/// ```
pub fn segment_history(segment: &Segment) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut last: Option<&str> = None;
    for p in &segment.history {
        if last == Some(p.status.as_str()) {
            continue;
        }
        last = Some(&p.status);
        parts.push(match p.from {
            Some(d) => format!("{} since {d}", p.status),
            None => p.status.clone(),
        });
    }
    if parts.is_empty() {
        UNKNOWN.to_string()
    } else {
        parts.join(" → ")
    }
}

/// Line history in words: km per status at every date on which the mix changes.
pub fn line_history(border: &Border, line: usize) -> String {
    let segments: Vec<&Segment> = border.segments.iter().filter(|s| s.line == line).collect();
    let mut dates: Vec<Date> = segments
        .iter()
        .flat_map(|s| s.history.iter().filter_map(|p| p.from))
        .collect();
    dates.sort();
    dates.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut previous = String::new();
    let always = segments
        .iter()
        .all(|s| s.history.first().is_some_and(|p| p.from.is_none()));
    let mut points: Vec<Option<Date>> = Vec::new();
    if always || dates.is_empty() {
        points.push(None);
    }
    points.extend(dates.into_iter().map(Some));
    for date in points {
        let share = match date {
            Some(d) => crate::share::share_of(segments.iter().copied(), d),
            None => crate::share::share_of(segments.iter().copied(), Date::MIN),
        };
        let mut statuses: Vec<(&String, f64)> =
            share.statuses.iter().map(|(s, st)| (s, st.km)).collect();
        statuses.sort_by(|a, b| {
            crate::export::legend_order(a.0).cmp(&crate::export::legend_order(b.0))
        });
        let mix = statuses
            .iter()
            .map(|(s, km)| format!("{s} {km:.0} km"))
            .collect::<Vec<_>>()
            .join(", ");
        if mix == previous {
            continue;
        }
        parts.push(match date {
            Some(d) => format!("{d}: {mix}"),
            None => mix.clone(),
        });
        previous = mix;
    }
    parts.join("; ")
}

/// Builds the report. `from`/`to` default to the earliest and latest date among the rows
/// without a tag error. The reference status for rate ratios is `reference`.
pub fn build(
    border: &Border,
    file: &TaggedFile,
    from: Option<Date>,
    to: Option<Date>,
    reference: &str,
    alpha: f64,
) -> std::result::Result<Report, String> {
    let dated = file
        .rows
        .iter()
        .filter(|r| r.tag_error.is_none())
        .filter_map(|r| r.date);
    let (first, last) = (dated.clone().min(), dated.max());
    let window = Window {
        from: from.or(first).ok_or(
            "no row has a readable date and no tag error: give the period with --from and --to",
        )?,
        to: to.or(last).ok_or(
            "no row has a readable date and no tag error: give the period with --from and --to",
        )?,
    };
    if window.to < window.from {
        return Err(format!(
            "the period ends ({}) before it starts ({})",
            window.to, window.from
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
    for row in &file.rows {
        let Some(date) = row.date.filter(|_| row.tag_error.is_none()) else {
            if row.tag_error.is_some() {
                excluded.tag_error.add(row.fatalities);
            } else {
                excluded.undated.add(row.fatalities);
            }
            continue;
        };
        if !window.contains(date) {
            excluded.outside_period.add(row.fatalities);
            continue;
        }
        let Some(index) = row.segment else {
            excluded.beyond_max_distance.add(row.fatalities);
            continue;
        };
        let segment = &border.segments[index];
        let status = if row.status.is_empty() {
            segment.status_at(date).to_string()
        } else {
            row.status.clone()
        };
        let recomputed = segment.status_at(date);
        if recomputed != status {
            status_mismatches += 1;
            first_mismatch.get_or_insert((row.csv_line, status.clone(), recomputed.to_string()));
        }
        counted.add(row.fatalities);
        by_status
            .entry(status.clone())
            .or_default()
            .add(row.fatalities);
        let (tally, statuses) = &mut by_segment[index];
        tally.add(row.fatalities);
        *statuses.entry(status.clone()).or_default() += 1;
        incidents.push(Incident {
            segment: index,
            chainage_km: row
                .chainage_km
                .unwrap_or((segment.from_km + segment.to_km) / 2.0),
            status,
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
            from_km: s.from_km,
            to_km: s.to_km,
            km: s.length_km(),
            tally: *tally,
            by_status: by_status.clone(),
            history: segment_history(s),
        })
        .collect();
    let mut lines: Vec<GroupFigures> = border
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut tally = Tally::default();
            let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
            for g in segments
                .iter()
                .zip(&border.segments)
                .filter(|(_, s)| s.line == i)
            {
                tally.merge(&g.0.tally);
                for (s, n) in &g.0.by_status {
                    *statuses.entry(s.clone()).or_default() += n;
                }
            }
            GroupFigures {
                id: line.id.clone(),
                line: line.id.clone(),
                from_km: 0.0,
                to_km: line.length_km,
                km: line.length_km,
                tally,
                by_status: statuses,
                history: line_history(border, i),
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
        window_from_data: (from.is_none(), to.is_none()),
        reference: reference.to_string(),
        alpha,
        date_column: file.date_column.clone(),
        fatalities_column: file.fatalities_column.clone(),
        rows_read: file.rows.len() as u64,
        counted,
        km_years,
        total_rate: rate(counted.incidents, km_years, alpha),
        statuses,
        segments,
        lines,
        excluded,
        status_mismatches,
        first_mismatch,
        modelled,
        incidents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::border::Period;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn period(from: Option<&str>, status: &str) -> Period {
        Period {
            from: from.map(date),
            status: status.into(),
            basis: String::new(),
            source: String::new(),
        }
    }

    fn segment(km: f64, history: Vec<Period>) -> Segment {
        Segment {
            id: "A:001".into(),
            line: 0,
            from_km: 0.0,
            to_km: km,
            geometry: geo::LineString::new(vec![]),
            history,
        }
    }

    /// A 10 km segment, undelimited from 2020-01-01 and delimited from 2021-01-01, over
    /// 2019-07-01..2021-12-31 (915 days):
    /// unknown 2019-07-01..2019-12-31 = 184 days → 10·184/365.25 = 5.037645 km·years;
    /// undelimited 2020 (leap) = 366 days → 10.020534; delimited 2021 = 365 days → 9.993155.
    #[test]
    fn exposure_of_a_stretch_agreed_mid_period() {
        let s = segment(
            10.0,
            vec![
                period(Some("2020-01-01"), "undelimited"),
                period(Some("2021-01-01"), "delimited"),
            ],
        );
        let window = Window {
            from: date("2019-07-01"),
            to: date("2021-12-31"),
        };
        assert_eq!(window.days(), 915);
        assert_eq!(
            status_days(&s, window),
            vec![
                ("unknown".to_string(), 184),
                ("undelimited".to_string(), 366),
                ("delimited".to_string(), 365)
            ]
        );
        let e = exposure([&s], window);
        assert!((e["unknown"] - 5.037645).abs() < 1e-6);
        assert!((e["undelimited"] - 10.020534).abs() < 1e-6);
        assert!((e["delimited"] - 9.993155).abs() < 1e-6);
        let total: f64 = e.values().sum();
        assert!((total - 10.0 * window.years()).abs() < 1e-9);
    }

    /// A change on the last day of the window counts that one day; one on the day after, none.
    #[test]
    fn exposure_at_window_edges() {
        let s = segment(
            1.0,
            vec![
                period(None, "undelimited"),
                period(Some("2020-12-31"), "delimited"),
                period(Some("2021-01-01"), "demarcated"),
            ],
        );
        let window = Window {
            from: date("2020-01-01"),
            to: date("2020-12-31"),
        };
        assert_eq!(
            status_days(&s, window),
            vec![
                ("undelimited".to_string(), 365),
                ("delimited".to_string(), 1)
            ]
        );
        // Merged: the same status in two separate periods.
        let s = segment(
            1.0,
            vec![
                period(None, "undelimited"),
                period(Some("2020-03-01"), "delimited"),
                period(Some("2020-04-01"), "undelimited"),
            ],
        );
        assert_eq!(
            status_days(&s, window),
            vec![
                ("undelimited".to_string(), 335),
                ("delimited".to_string(), 31)
            ]
        );
        assert_eq!(
            status_days(&segment(2.0, vec![]), window),
            vec![("unknown".to_string(), 366)]
        );
    }

    #[test]
    fn fatalities_cells() {
        assert_eq!(
            parse_fatalities("1–2"),
            Fatalities::Range { low: 1, high: 2 }
        );
        assert_eq!(
            parse_fatalities("3-5"),
            Fatalities::Range { low: 3, high: 5 }
        );
        assert_eq!(parse_fatalities("5-3"), Fatalities::Unreadable);
        assert_eq!(parse_fatalities("59 (KG side)"), Fatalities::Unreadable);
        assert_eq!(parse_fatalities("-1"), Fatalities::Unreadable);
        assert_eq!(parse_fatalities("2.5"), Fatalities::Unreadable);
        let mut t = Tally::default();
        for f in ["1–2", "3", "", "x"] {
            t.add(parse_fatalities(f));
        }
        assert_eq!(
            t,
            Tally {
                incidents: 4,
                fatalities: 4,
                fatality_ranges: 1,
                fatalities_missing: 2
            }
        );
    }

    #[test]
    fn history_words() {
        let s = segment(
            1.0,
            vec![
                period(Some("2014-01-21"), "undelimited"),
                period(Some("2024-07-01"), "delimited"),
                period(Some("2025-03-12"), "delimited"),
            ],
        );
        assert_eq!(
            segment_history(&s),
            "undelimited since 2014-01-21 → delimited since 2024-07-01"
        );
        assert_eq!(segment_history(&segment(1.0, vec![])), "unknown");
    }
}
