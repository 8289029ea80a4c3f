//! The border model: what a border is made of — lines, the segments they are cut into, each
//! segment's status history, enclaves and countries.

use geo::{LineString, MultiPolygon, Polygon};

use crate::date::Date;
use crate::status::UNKNOWN;

/// A continuous border line (open, or closed around an enclave).
#[derive(Debug, Clone, PartialEq)]
pub struct BorderLine {
    /// Unique ID, e.g. `KGZ-TJK` or `Vorukh`.
    pub id: String,
    /// The pair of countries the line separates, `A-B` (the line's `border` property, else its
    /// `a` and `b` properties joined by `-`; empty when the file says neither).
    pub border: String,
    /// The line, lon/lat.
    pub geometry: LineString,
    /// Geodesic length, km.
    pub length_km: f64,
}

/// A period of a segment's history: from `from` (`None`: since before the first record) until
/// the next period, the segment had `status`.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// First day (`None`: since before the first record).
    pub from: Option<Date>,
    /// The status.
    pub status: String,
    /// What the status rests on: `modelled`, `sourced`, …
    pub basis: String,
    /// Where it comes from.
    pub source: String,
}

impl Period {
    /// Whether the period rests on a row labelled `modelled`.
    pub fn is_modelled(&self) -> bool {
        crate::status::is_modelled(&self.basis)
    }
}

/// A stretch of a border line with one status at any date.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Stable ID, `LINE:NNN` numbered along the line from 1.
    pub id: String,
    /// Index into [`Border::lines`](crate::Border::lines).
    pub line: usize,
    /// Where the segment starts along its line, km.
    pub from_km: f64,
    /// Where it ends, km.
    pub to_km: f64,
    /// The segment, lon/lat.
    pub geometry: LineString,
    /// Periods in date order; empty means always [`UNKNOWN`].
    pub history: Vec<Period>,
}

impl Segment {
    /// Geodesic length in km.
    pub fn length_km(&self) -> f64 {
        self.to_km - self.from_km
    }

    /// The period in force on `date`, or `None` before the first record.
    pub fn period_at(&self, date: Date) -> Option<&Period> {
        self.history
            .iter()
            .rev()
            .find(|p| p.from.is_none_or(|from| from <= date))
    }

    /// The status on `date` ([`UNKNOWN`] before the first record).
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// let date = "2022-10-07".parse().unwrap();
    /// let statuses: Vec<&str> = border.segments.iter().map(|s| s.status_at(date)).collect();
    /// assert!(statuses.contains(&"undelimited"));
    /// ```
    pub fn status_at(&self, date: Date) -> &str {
        self.period_at(date).map_or(UNKNOWN, |p| p.status.as_str())
    }

    /// The statuses in force on some day of `start..=end`, in order, each with the day it took
    /// effect within the range (`None` for the one in force on `start`); consecutive periods
    /// of one status count once.
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// let last = border.segments.last().unwrap(); // Vorukh, all described on 2024-12-05
    /// let d = |s: &str| s.parse().unwrap();
    /// let during = last.statuses_during(d("2024-12-01"), d("2024-12-31"));
    /// assert_eq!(during, vec![("undelimited", None), ("delimited", Some(d("2024-12-05")))]);
    /// ```
    pub fn statuses_during(&self, start: Date, end: Date) -> Vec<(&str, Option<Date>)> {
        let mut out = vec![(self.status_at(start), None)];
        for p in &self.history {
            if let Some(from) = p.from.filter(|f| start < *f && *f <= end)
                && out.last().is_some_and(|(s, _)| *s != p.status)
            {
                out.push((p.status.as_str(), Some(from)));
            }
        }
        out
    }
}

/// An enclave: a polygon of one country surrounded by another.
#[derive(Debug, Clone, PartialEq)]
pub struct Enclave {
    /// Its name (e.g. `Vorukh`).
    pub name: String,
    /// Country key of the enclave's owner (e.g. `TJK`).
    pub country: String,
    /// Its territory, lon/lat (holed for any enclave inside it).
    pub polygon: Polygon,
    /// Geodesic area, km², net of holes.
    pub area_km2: f64,
}

/// A country's territory, keyed as in the source data (e.g. ISO 3166 alpha-3).
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// Its key (e.g. `KGZ`).
    pub key: String,
    /// Its name: the feature's `name` property, else the `a_name`/`b_name` the lines give for
    /// its key, else the key.
    pub name: String,
    /// Its territory, lon/lat.
    pub shape: MultiPolygon,
}
