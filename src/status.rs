//! Status histories: which stretch of which line had which status from which date.
//!
//! A status table is a CSV with the columns `line,from_km,to_km,status,effective_from,basis,source`
//! (extra columns are ignored). Each row says: from `effective_from` on, the stretch
//! `from_km..to_km` of `line` has `status`. A row stays in force until a later row of the same
//! line that overlaps it takes effect. An empty `effective_from` means "since before the first
//! record"; `to_km` may be `end`. Status words are free text.
//!
//! At every date on which anything changes, the rows in force on a line must cover it from 0 to
//! its length with no gap and no overlap; before a line's first row takes effect its status is
//! [`UNKNOWN`].

use std::io::Read;
use std::path::Path;

use crate::date::{Date, parse_iso_date};
use crate::error::{Error, Position, Result};

/// The status of a line before its first record.
pub const UNKNOWN: &str = "unknown";
/// The `basis` value that marks a row as modelled rather than sourced.
pub const MODELLED: &str = "modelled";

/// Whether a `basis` value marks a row as modelled (case and surrounding space ignored).
pub fn is_modelled(basis: &str) -> bool {
    basis.trim().eq_ignore_ascii_case(MODELLED)
}
/// How far (km) stretches may miss each other, or the line's ends, and still count as joined.
pub const JOIN_TOLERANCE_KM: f64 = 0.001;
/// How far (km) the last `to_km` may miss the line's geodesic length (users round lengths).
pub const END_TOLERANCE_KM: f64 = 0.5;
/// Largest status CSV borderline reads (bytes, 64 MiB).
pub const MAX_STATUS_BYTES: u64 = 64 << 20;

/// One row of a status table.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    /// The line the row is about.
    pub line: String,
    /// Where the stretch starts along the line, km.
    pub from_km: f64,
    /// `None` for `end`: the end of the line.
    pub to_km: Option<f64>,
    /// The stretch's status from `effective_from` on (free text).
    pub status: String,
    /// `None`: in force since before the first record.
    pub effective_from: Option<Date>,
    /// What the row rests on: `modelled`, `sourced`, …
    pub basis: String,
    /// Where the row comes from.
    pub source: String,
    /// 1-based line in the CSV file, for error messages.
    pub csv_line: u64,
}

impl StatusRow {
    fn end_km(&self, length_km: f64) -> f64 {
        self.to_km.unwrap_or(length_km)
    }
}

/// A parsed status table.
#[derive(Debug, Clone, Default)]
pub struct StatusTable {
    /// The rows, in file order.
    pub rows: Vec<StatusRow>,
}

const COLUMNS: [&str; 7] = [
    "line",
    "from_km",
    "to_km",
    "status",
    "effective_from",
    "basis",
    "source",
];

impl StatusTable {
    /// Reads a status table; `path` is used in error messages only.
    ///
    /// ```
    /// use borderline::status::StatusTable;
    /// let csv = "line,from_km,to_km,status,effective_from,basis,source\n\
    ///            A,0,end,undelimited,2014-01-21,modelled,statement\n";
    /// let table = StatusTable::from_reader("status.csv", csv.as_bytes()).unwrap();
    /// assert_eq!(table.rows[0].status, "undelimited");
    /// ```
    pub fn from_reader(path: impl AsRef<Path>, reader: impl Read) -> Result<Self> {
        let path = path.as_ref();
        let at = |line: u64, message: String| Error::input(path, Position::Line(line), message);
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(reader);
        let headers = csv
            .headers()
            .map_err(|e| at(1, format!("unreadable header: {e}")))?
            .clone();
        let column = |name: &str| {
            let is = |h: &&str| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            };
            if headers.iter().filter(is).count() > 1 {
                return Err(at(1, format!("duplicate column {name:?}")));
            }
            headers.iter().position(|h| is(&h)).ok_or_else(|| {
                at(
                    1,
                    format!("missing column {name:?} (need {})", COLUMNS.join(",")),
                )
            })
        };
        let idx: Vec<usize> = COLUMNS.iter().map(|c| column(c)).collect::<Result<_>>()?;
        let mut rows = Vec::new();
        for record in csv.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                at(line, format!("malformed CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| record.get(idx[i]).unwrap_or("").trim();
            let km = |i: usize| -> Result<f64> {
                let text = field(i);
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| {
                        at(
                            line,
                            format!("{}: {text:?} is not a distance in km", COLUMNS[i]),
                        )
                    })
            };
            let line_id = field(0);
            if line_id.is_empty() {
                return Err(at(line, "empty line id".into()));
            }
            let from_km = km(1)?;
            let to_km = if field(2).eq_ignore_ascii_case("end") {
                None
            } else {
                Some(km(2)?)
            };
            if to_km.is_some_and(|to| to <= from_km) {
                return Err(at(
                    line,
                    format!("to_km {} is not after from_km {from_km}", field(2)),
                ));
            }
            let status = field(3);
            if status.is_empty() {
                return Err(at(line, "empty status".into()));
            }
            let effective_from = match field(4) {
                "" => None,
                text => Some(
                    parse_iso_date(text).map_err(|e| at(line, format!("effective_from: {e}")))?,
                ),
            };
            rows.push(StatusRow {
                line: line_id.to_string(),
                from_km,
                to_km,
                status: status.to_string(),
                effective_from,
                basis: field(5).to_string(),
                source: field(6).to_string(),
                csv_line: line,
            });
        }
        Ok(StatusTable { rows })
    }

    /// The rows of `line`, in file order.
    pub fn rows_of<'a>(&'a self, line: &'a str) -> impl Iterator<Item = &'a StatusRow> + 'a {
        self.rows.iter().filter(move |r| r.line == line)
    }

    /// Every date on which some row of `line` takes effect, ascending, with `None` (before any
    /// record) first when a row is in force from the start.
    pub fn change_dates(&self, line: &str) -> Vec<Option<Date>> {
        let mut dates: Vec<Option<Date>> = self.rows_of(line).map(|r| r.effective_from).collect();
        dates.sort();
        dates.dedup();
        dates
    }

    /// The rows of `line` in force on `date` (`None`: before every dated row), sorted by
    /// `from_km`. A row is in force if it has taken effect and no later row that overlaps it has.
    pub fn in_force<'a>(
        &'a self,
        line: &'a str,
        date: Option<Date>,
        length_km: f64,
    ) -> Vec<&'a StatusRow> {
        let started: Vec<&StatusRow> = self
            .rows_of(line)
            .filter(|r| r.effective_from <= date)
            .collect();
        let mut rows: Vec<&StatusRow> = started
            .iter()
            .copied()
            .filter(|r| {
                !started.iter().any(|later| {
                    later.effective_from > r.effective_from
                        && later.from_km < r.end_km(length_km) - JOIN_TOLERANCE_KM
                        && r.from_km < later.end_km(length_km) - JOIN_TOLERANCE_KM
                })
            })
            .collect();
        rows.sort_by(|a, b| a.from_km.total_cmp(&b.from_km));
        rows
    }

    /// The rows of `line` in force at each of its [`change_dates`](Self::change_dates), as
    /// [`in_force`](Self::in_force) gives them, computed together: O(rows²) for the whole line
    /// rather than per date, so that a long history cannot stall a run.
    pub fn periods<'a>(
        &'a self,
        line: &'a str,
        length_km: f64,
    ) -> Vec<(Option<Date>, Vec<&'a StatusRow>)> {
        let rows: Vec<&StatusRow> = self.rows_of(line).collect();
        // When each row stops being in force: the first date on which a later row that
        // overlaps it takes effect.
        let until: Vec<Option<Date>> = rows
            .iter()
            .map(|r| {
                rows.iter()
                    .filter(|later| {
                        later.effective_from > r.effective_from
                            && later.from_km < r.end_km(length_km) - JOIN_TOLERANCE_KM
                            && r.from_km < later.end_km(length_km) - JOIN_TOLERANCE_KM
                    })
                    .filter_map(|later| later.effective_from)
                    .min()
            })
            .collect();
        self.change_dates(line)
            .into_iter()
            .map(|date| {
                let mut in_force: Vec<&StatusRow> = rows
                    .iter()
                    .zip(&until)
                    .filter(|(r, until)| {
                        r.effective_from <= date && until.is_none_or(|u| Some(u) > date)
                    })
                    .map(|(r, _)| *r)
                    .collect();
                in_force.sort_by(|a, b| a.from_km.total_cmp(&b.from_km));
                (date, in_force)
            })
            .collect()
    }

    /// Checks that every row names a known line and that at every change date the rows in force
    /// tile each line exactly. `lines` gives each line's id and geodesic length in km.
    pub fn validate(&self, path: &Path, lines: &[(&str, f64)]) -> Result<()> {
        for row in &self.rows {
            let Some((_, length)) = lines.iter().find(|(id, _)| *id == row.line) else {
                let known: Vec<&str> = lines.iter().map(|(id, _)| *id).collect();
                return Err(Error::input(
                    path,
                    Position::Line(row.csv_line),
                    format!(
                        "unknown line {:?} (the border has: {})",
                        row.line,
                        known.join(", ")
                    ),
                ));
            };
            if row.from_km > length + END_TOLERANCE_KM
                || row.to_km.is_some_and(|t| t > length + END_TOLERANCE_KM)
            {
                return Err(Error::input(
                    path,
                    Position::Line(row.csv_line),
                    format!(
                        "km range beyond the end of line {:?} ({length:.3} km)",
                        row.line
                    ),
                ));
            }
        }
        for &(line, length) in lines {
            for (date, rows) in self.periods(line, length) {
                check_tiling(path, line, length, date, &rows)?;
            }
        }
        Ok(())
    }
}

fn check_tiling(
    path: &Path,
    line: &str,
    length: f64,
    date: Option<Date>,
    rows: &[&StatusRow],
) -> Result<()> {
    let coverage = |from_km: f64, to_km: f64, problem: String| Error::Coverage {
        path: path.to_path_buf(),
        line: line.to_string(),
        from_km,
        to_km,
        date: date.map_or_else(|| "the first record".to_string(), |d| d.to_string()),
        problem,
    };
    let mut reached = 0.0;
    for row in rows {
        let end = row.end_km(length);
        if row.from_km > reached + JOIN_TOLERANCE_KM {
            return Err(coverage(
                reached,
                row.from_km,
                "gap: no status row covers it".into(),
            ));
        }
        if row.from_km < reached - JOIN_TOLERANCE_KM {
            return Err(coverage(
                row.from_km,
                reached.min(end),
                format!(
                    "overlap: covered twice (CSV line {} overlaps an earlier row)",
                    row.csv_line
                ),
            ));
        }
        reached = end;
    }
    if reached < length - END_TOLERANCE_KM {
        return Err(coverage(
            reached,
            length,
            "gap: no status row covers it".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Validates status `rows` (CSV lines without the header) against one line `A` of 10 km.
    fn validate(rows: &str) -> std::result::Result<(), String> {
        let csv = format!("line,from_km,to_km,status,effective_from,basis,source\n{rows}");
        let table = StatusTable::from_reader("status.csv", csv.as_bytes()).unwrap();
        table
            .validate(Path::new("status.csv"), &[("A", 10.0)])
            .map_err(|e| e.to_string())
    }

    #[test]
    fn rows_that_tile_the_line_pass() {
        let rows =
            "A,0,4,delimited,2020-01-01,sourced,s\nA,4,end,undelimited,2020-01-01,modelled,s\n";
        assert_eq!(validate(rows), Ok(()));
        // Joins within a metre, and an end within half a km of the line's, are the line's own.
        let rows = "A,0,4.0009,delimited,2020-01-01,sourced,s\nA,4,9.6,undelimited,2020-01-01,modelled,s\n";
        assert_eq!(validate(rows), Ok(()));
    }

    #[test]
    fn a_gap_between_rows_is_an_error() {
        let rows =
            "A,0,4,delimited,2020-01-01,sourced,s\nA,4.002,end,undelimited,2020-01-01,modelled,s\n";
        let error = validate(rows).unwrap_err();
        assert!(error.contains("gap: no status row covers it"), "{error}");
    }

    #[test]
    fn a_line_covered_short_of_its_end_is_an_error() {
        let rows =
            "A,0,4,delimited,2020-01-01,sourced,s\nA,4,9.4,undelimited,2020-01-01,modelled,s\n";
        let error = validate(rows).unwrap_err();
        assert!(error.contains("gap: no status row covers it"), "{error}");
    }

    #[test]
    fn overlapping_rows_are_an_error() {
        let rows =
            "A,0,4,delimited,2020-01-01,sourced,s\nA,3.998,end,undelimited,2020-01-01,modelled,s\n";
        let error = validate(rows).unwrap_err();
        assert!(
            error.contains("overlap: covered twice (CSV line 3"),
            "{error}"
        );
    }
}
