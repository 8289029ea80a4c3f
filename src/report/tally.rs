//! Counting incidents and fatalities.

use serde::Serialize;

/// A fatality count as written in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fatalities {
    /// Empty cell.
    Blank,
    /// A whole number.
    Count(u64),
    /// A range `a–b` or `a-b` (`a ≤ b`): the lower bound is counted.
    Range {
        /// Lower bound.
        low: u64,
        /// Upper bound.
        high: u64,
    },
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
    /// Rows.
    pub incidents: u64,
    /// Sum of the readable counts (lower bounds of ranges).
    pub fatalities: u64,
    /// Rows whose count was a range (its lower bound is in `fatalities`).
    pub fatality_ranges: u64,
    /// Rows with a blank or unreadable count (not in `fatalities`).
    pub fatalities_missing: u64,
    /// Rows with a `tag_warning` (counted all the same).
    pub warned: u64,
}

impl Tally {
    /// Counts one row with fatality cell `f`, warned or not.
    pub fn add(&mut self, f: Fatalities, warned: bool) {
        self.incidents += 1;
        self.warned += u64::from(warned);
        match f {
            Fatalities::Count(n) => self.fatalities += n,
            Fatalities::Range { low, .. } => {
                self.fatalities += low;
                self.fatality_ranges += 1;
            }
            Fatalities::Blank | Fatalities::Unreadable => self.fatalities_missing += 1,
        }
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) {
        self.incidents += other.incidents;
        self.warned += other.warned;
        self.fatalities += other.fatalities;
        self.fatality_ranges += other.fatality_ranges;
        self.fatalities_missing += other.fatalities_missing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            t.add(parse_fatalities(f), f.is_empty());
        }
        assert_eq!(
            t,
            Tally {
                incidents: 4,
                fatalities: 4,
                fatality_ranges: 1,
                fatalities_missing: 2,
                warned: 1,
            }
        );
    }
}
