//! Warnings: a row was tagged, but a conclusion drawn from its tags may be wrong.
//!
//! Each warning is written as `code: detail` in the `tag_warning` column, several separated by
//! `; `, so that a spreadsheet filter on the code finds them all and a person reads the detail.

use std::fmt;

use serde::Serialize;

/// Separator between warnings in one `tag_warning` field.
pub const WARNING_SEPARATOR: &str = "; ";

/// Distance (m) from the border beyond which a tagged row is warned as far from it.
pub const FAR_FROM_BORDER_M: f64 = 20_000.0;
/// A point this far (m) from every line whose swapped point is within [`SWAP_NEAR_M`] of one is
/// warned as probably swapped.
pub const SWAP_FAR_M: f64 = 100_000.0;
/// See [`SWAP_FAR_M`].
pub const SWAP_NEAR_M: f64 = 20_000.0;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The point as given is far from every line, but with latitude and longitude exchanged it
    /// is near one.
    SwappedCoordinates,
    /// The file has a date column but this row's date is empty: no status is given.
    Undated,
    /// The source says its location is coarse (ACLED `geo_precision` ≥ 2, UCDP `where_prec` ≥ 3):
    /// the nearest segment may not be where it happened.
    CoarsePrecision,
    /// The row's date is a period during which its segment's status changed.
    StatusChangedInRange,
    /// The nearest line is more than [`FAR_FROM_BORDER_M`] away: the row may not be a border
    /// incident at all.
    FarFromBorder,
}

impl WarningKind {
    /// Every kind, in the order warnings are written.
    pub const ALL: [WarningKind; 5] = [
        WarningKind::SwappedCoordinates,
        WarningKind::Undated,
        WarningKind::CoarsePrecision,
        WarningKind::StatusChangedInRange,
        WarningKind::FarFromBorder,
    ];

    /// The code written before the detail.
    ///
    /// ```
    /// use borderline::WarningKind;
    /// assert_eq!(WarningKind::FarFromBorder.code(), "far_from_border");
    /// assert_eq!(WarningKind::from_code("undated"), Some(WarningKind::Undated));
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::SwappedCoordinates => "swapped_coordinates",
            WarningKind::Undated => "undated",
            WarningKind::CoarsePrecision => "coarse_precision",
            WarningKind::StatusChangedInRange => "status_changed_in_range",
            WarningKind::FarFromBorder => "far_from_border",
        }
    }

    /// The kind written as `code`.
    pub fn from_code(code: &str) -> Option<WarningKind> {
        WarningKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Words for summaries: `coarse precision`.
    pub fn words(self) -> &'static str {
        match self {
            WarningKind::SwappedCoordinates => "swapped coordinates",
            WarningKind::Undated => "undated",
            WarningKind::CoarsePrecision => "coarse precision",
            WarningKind::StatusChangedInRange => "status changed in range",
            WarningKind::FarFromBorder => "far from the border",
        }
    }
}

/// One warning of a row.
///
/// ```
/// use borderline::{Warning, WarningKind};
/// let w = Warning::far_from_border(390_212.0);
/// assert_eq!(w.kind, WarningKind::FarFromBorder);
/// assert_eq!(w.to_string(), "far_from_border: 390.2 km from the nearest border line");
/// assert_eq!(Warning::parse_field(&w.to_string()).unwrap(), vec![w]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// Words for a person (no `;`).
    pub detail: String,
}

impl Warning {
    /// A warning of `kind`; `;` in `detail` become `,` so that the field splits back.
    pub fn new(kind: WarningKind, detail: impl Into<String>) -> Self {
        let mut detail = detail.into();
        // Most details have no `;`: no second string for them (a warning is written on many rows).
        if detail.contains(';') {
            detail = detail.replace(';', ",");
        }
        Warning { kind, detail }
    }

    /// See [`WarningKind::SwappedCoordinates`].
    pub fn swapped(distance_m: f64, swapped_distance_m: f64) -> Self {
        Warning::new(
            WarningKind::SwappedCoordinates,
            format!(
                "{:.1} km from the border as given, {:.1} km with latitude and longitude \
                 exchanged: are they swapped?",
                distance_m / 1000.0,
                swapped_distance_m / 1000.0
            ),
        )
    }

    /// See [`WarningKind::Undated`].
    pub fn undated() -> Self {
        Warning::new(
            WarningKind::Undated,
            "no date: location tagged, status not given",
        )
    }

    /// See [`WarningKind::CoarsePrecision`]: `column` held `value`, coarse from `coarse_from` on.
    pub fn coarse_precision(column: &str, value: &str, coarse_from: u32) -> Self {
        Warning::new(
            WarningKind::CoarsePrecision,
            format!(
                "{column} {value} (≥ {coarse_from}): the location is approximate, the segment \
                 may be wrong"
            ),
        )
    }

    /// See [`WarningKind::StatusChangedInRange`]: `during` lists the statuses in force during
    /// `range`, in order, with the day each took effect (as [`crate::Segment::statuses_during`]).
    pub fn status_changed(range: &str, during: &[(&str, Option<crate::date::Date>)]) -> Self {
        let words: Vec<String> = during
            .iter()
            .map(|(status, from)| match from {
                Some(d) => format!("{status} from {d}"),
                None => status.to_string(),
            })
            .collect();
        Warning::new(
            WarningKind::StatusChangedInRange,
            format!(
                "{range}: the segment was {} (the status given is the first day's)",
                words.join(", then ")
            ),
        )
    }

    /// See [`WarningKind::FarFromBorder`].
    pub fn far_from_border(distance_m: f64) -> Self {
        Warning::new(
            WarningKind::FarFromBorder,
            format!("{:.1} km from the nearest border line", distance_m / 1000.0),
        )
    }

    /// Reads a `tag_warning` field back (empty: no warnings).
    pub fn parse_field(field: &str) -> Result<Vec<Warning>, String> {
        field
            .split(WARNING_SEPARATOR.trim())
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| {
                let (code, detail) = w.split_once(':').unwrap_or((w, ""));
                WarningKind::from_code(code.trim())
                    .map(|kind| Warning::new(kind, detail.trim()))
                    .ok_or_else(|| {
                        format!(
                            "unknown warning {:?} in tag_warning (known: {})",
                            code.trim(),
                            WarningKind::ALL.map(WarningKind::code).join(", ")
                        )
                    })
            })
            .collect()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.detail)
    }
}
