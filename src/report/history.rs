//! Status histories in words, for tables.

use crate::border::{Border, Segment};
use crate::date::Date;
use crate::status::UNKNOWN;

/// Segment history in words, consecutive periods of one status merged.
///
/// ```
/// let border = borderline::Border::embedded();
/// let last = border.segments.last().unwrap();
/// assert_eq!(
///     borderline::report::segment_history(last),
///     "undelimited since 2014-01-21 → delimited since 2024-12-05"
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
    mix_history(border.segments.iter().filter(|s| s.line == line).collect())
}

/// The history of a pair of countries (every line whose `border` is `pair`), as
/// [`line_history`].
///
/// ```
/// let fergana = borderline::border::BundledSet::find("fergana").unwrap().load(None).unwrap();
/// assert_eq!(borderline::report::border_history(&fergana, "TJK-UZB"), "unknown 1317 km");
/// ```
pub fn border_history(border: &Border, pair: &str) -> String {
    mix_history(
        border
            .segments
            .iter()
            .filter(|s| border.lines[s.line].border == pair)
            .collect(),
    )
}

/// km per status of `segments` at every date on which the mix changes, in words.
fn mix_history(segments: Vec<&Segment>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{period, segment};

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
