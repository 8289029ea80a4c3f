//! Exposure: km·years of border with each status over a period, and rates against it.

use std::collections::BTreeMap;

use crate::border::Segment;
use crate::date::Date;
use crate::stats::{Interval, poisson_interval};
use crate::status::UNKNOWN;

/// Days per year in km·years.
pub const DAYS_PER_YEAR: f64 = 365.25;
/// Rates are per this many km·years.
pub const RATE_PER_KM_YEARS: f64 = 100.0;

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub from: Date,
    /// Last day.
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

    /// Length in years of [`DAYS_PER_YEAR`] days.
    pub fn years(&self) -> f64 {
        self.days() as f64 / DAYS_PER_YEAR
    }

    /// Whether `date` is one of the window's days.
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
    /// Incidents per [`RATE_PER_KM_YEARS`] km·years.
    pub value: f64,
    /// Its exact interval.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{date, period, segment};

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
}
