//! How much of a border has which status at a date.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::border::{Border, Segment};
use crate::date::Date;

mod render;

pub use render::{MODELLED_NOTE, ShareBy, ShareReport};

/// Length and share of one status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusShare {
    /// Geodesic km with this status.
    pub km: f64,
    /// Fraction of the total length.
    pub share: f64,
    /// Number of segments with this status.
    pub segments: usize,
    /// Of `km`, how much rests on rows labelled `modelled`.
    pub modelled_km: f64,
}

/// The share of each status on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// The date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Length of the segments counted, km.
    pub total_km: f64,
    /// By status name, in name order.
    pub statuses: BTreeMap<String, StatusShare>,
}

impl Share {
    /// Whether any modelled row contributed.
    pub fn has_modelled(&self) -> bool {
        self.statuses.values().any(|s| s.modelled_km > 0.0)
    }
}

/// The share of each status among `segments` on `date`.
pub fn share_of<'a>(segments: impl IntoIterator<Item = &'a Segment>, date: Date) -> Share {
    let mut statuses: BTreeMap<String, StatusShare> = BTreeMap::new();
    let mut total_km = 0.0;
    for segment in segments {
        let km = segment.length_km();
        total_km += km;
        let period = segment.period_at(date);
        let entry = statuses
            .entry(segment.status_at(date).to_string())
            .or_insert(StatusShare {
                km: 0.0,
                share: 0.0,
                segments: 0,
                modelled_km: 0.0,
            });
        entry.km += km;
        entry.segments += 1;
        if period.is_some_and(|p| p.is_modelled()) {
            entry.modelled_km += km;
        }
    }
    for s in statuses.values_mut() {
        s.share = if total_km > 0.0 { s.km / total_km } else { 0.0 };
    }
    Share {
        as_of: date.to_string(),
        total_km,
        statuses,
    }
}

/// The share of each status along the whole border on `date`.
///
/// ```
/// let border = borderline::Border::embedded();
/// let after_treaty = borderline::share::share_at(&border, "2025-06-01".parse().unwrap());
/// assert!(!after_treaty.statuses.contains_key("undelimited"));
/// ```
pub fn share_at(border: &Border, date: Date) -> Share {
    share_of(&border.segments, date)
}

/// The share on `date` line by line, in line order.
pub fn share_by_line(border: &Border, date: Date) -> Vec<(String, Share)> {
    border
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            (
                line.id.clone(),
                share_of(border.segments.iter().filter(|s| s.line == i), date),
            )
        })
        .collect()
}

/// The share on `date` pair of countries by pair (a line's `border`), in order of first
/// appearance.
///
/// ```
/// let fergana = borderline::border::BundledSet::find("fergana").unwrap().load(None).unwrap();
/// let by_border = borderline::share::share_by_border(&fergana, "2022-10-07".parse().unwrap());
/// let names: Vec<&str> = by_border.iter().map(|(b, _)| b.as_str()).collect();
/// assert_eq!(names, ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"]);
/// // Only the Kyrgyz–Tajik lines have a status history: the others are unknown.
/// assert_eq!(by_border[1].1.statuses.keys().collect::<Vec<_>>(), ["unknown"]);
/// ```
pub fn share_by_border(border: &Border, date: Date) -> Vec<(String, Share)> {
    let mut pairs: Vec<&str> = Vec::new();
    for line in &border.lines {
        if !pairs.contains(&line.border.as_str()) {
            pairs.push(&line.border);
        }
    }
    pairs
        .into_iter()
        .map(|pair| {
            let segments = border
                .segments
                .iter()
                .filter(|s| border.lines[s.line].border == pair);
            (pair.to_string(), share_of(segments, date))
        })
        .collect()
}

/// The share at every date on which some status changes, in date order.
pub fn history(border: &Border) -> Vec<Share> {
    border
        .change_dates()
        .into_iter()
        .map(|d| share_at(border, d))
        .collect()
}
