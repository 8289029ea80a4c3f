//! Tagging a table already in memory — the columns of a data frame, as a binding hands them
//! over — by the rules [`tag_csv`](super::tag_csv) applies to a CSV: the same columns found
//! ([`crate::input::detect_columns`] on the column names), the same cells read
//! ([`super::cell`]), the day/month order of numeric dates inferred from the whole date column,
//! and the same errors and warnings, row by row.
//!
//! A binding finds the columns by name, hands their values over as [`Column`]s (borrowed, no
//! copy), and tags rows by position from as many threads as it likes
//! ([`FrameTagger::tag_row`]); [`super::TagDictionaries`] turns the text tags of each row into
//! indexes, for output written dictionary-encoded.

use std::path::Path;

use crate::date::{Date, DateOrder, DateParser, OrderEvidence};
use crate::error::{Error, Position, Result};
use crate::input::Delimiter;
use crate::setting::Setting;
use crate::tag::cell;
use crate::tag::record::TagRecord;
use crate::tag::tagger::{Located, Tagger, When};
use crate::tag::warning::Warning;

/// The values of one column, as a data frame holds them.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// Numbers; NaN is a missing value (how a data frame writes a null number).
    Numbers(&'a [f64]),
    /// Text, read as a CSV field is read; `None` is a missing value.
    Texts(&'a [Option<&'a str>]),
    /// Calendar days (a date or timestamp column); `None` is a missing value.
    Days(&'a [Option<Date>]),
}

impl Column<'_> {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Numbers(v) => v.len(),
            Column::Texts(v) => v.len(),
            Column::Days(v) => v.len(),
        }
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A named column.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// The column's name, as the frame spells it (for messages and warnings).
    pub name: &'a str,
    /// Its values.
    pub values: Column<'a>,
}

/// The columns a frame is tagged from.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Latitudes (degrees, WGS84).
    pub lat: Column<'a>,
    /// Longitudes (degrees, WGS84).
    pub lon: Column<'a>,
    /// The incidents' dates; `None`: every row takes the status as of the run's date.
    pub date: Option<Named<'a>>,
    /// A location-precision column, and the code from which it means "coarse".
    pub precision: Option<(Named<'a>, u32)>,
}

/// Tags the rows of a [`Frame`]: built once per frame (it reads the date column whole), then
/// asked row by row.
///
/// ```
/// use borderline::{Border, Tagger};
/// use borderline::tag::frame::{Column, Frame, FrameTagger, Named};
/// let tagger = Tagger::new(Border::embedded());
/// let (lat, lon) = ([39.85125, f64::NAN], [70.58012, 70.5]);
/// let dates = [Some("16/09/2022"), Some("05/06/2022")];
/// let frame = Frame {
///     lat: Column::Numbers(&lat),
///     lon: Column::Numbers(&lon),
///     date: Some(Named { name: "event_date", values: Column::Texts(&dates) }),
///     precision: None,
/// };
/// let as_of = "2025-01-01".parse().unwrap();
/// let rows = FrameTagger::new(&tagger, frame, as_of, None, "frame".as_ref(), true).unwrap();
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows.date_order().unwrap().name(), "dmy"); // 16/09 decides the column
/// assert_eq!(rows.tag_row(0).record.enclave, "Vorukh");
/// assert_eq!(rows.tag_row(1).record.tag_error.as_deref(), Some("missing latitude"));
/// ```
#[derive(Clone)]
pub struct FrameTagger<'a> {
    tagger: &'a Tagger,
    frame: Frame<'a>,
    rows: usize,
    as_of: Date,
    dates: DateParser,
}

impl<'a> FrameTagger<'a> {
    /// Prepares to tag `frame`: every column must have as many values as the coordinates. A
    /// text date column's day/month order is `date_order`, or else inferred from all its values
    /// (an error when they do not tell; `whole` says whether the frame is the whole table or
    /// one part of it, for that message). `path` names the frame in messages.
    pub fn new(
        tagger: &'a Tagger,
        frame: Frame<'a>,
        as_of: Date,
        date_order: Option<DateOrder>,
        path: &Path,
        whole: bool,
    ) -> Result<Self> {
        let rows = frame.lat.len();
        let lengths = [
            Some(frame.lon.len()),
            frame.date.map(|d| d.values.len()),
            frame.precision.map(|(p, _)| p.values.len()),
        ];
        if let Some(n) = lengths.into_iter().flatten().find(|&n| n != rows) {
            return Err(Error::input(
                path,
                Position::File,
                format!("columns of different lengths ({rows} and {n} values)"),
            ));
        }
        let order = match (date_order, frame.date) {
            (Some(order), _) => Some(order),
            (
                None,
                Some(Named {
                    name,
                    values: Column::Texts(texts),
                }),
            ) => infer_order(texts).map_err(|problem| {
                let note = if whole {
                    ""
                } else {
                    " (in this part of the table; other parts may decide otherwise)"
                };
                Error::input(
                    path,
                    Position::File,
                    format!(
                        "date column {name:?}: {problem}{note}; give the order with {} (dmy or \
                         mdy)",
                        Setting::DateOrder.mention()
                    ),
                )
            })?,
            (None, _) => None,
        };
        Ok(FrameTagger {
            tagger,
            frame,
            rows,
            as_of,
            dates: DateParser::new(order),
        })
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the frame has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The day/month order numeric dates are read in (`None`: the column has none).
    pub fn date_order(&self) -> Option<DateOrder> {
        self.dates.order()
    }

    /// The tagger.
    pub fn tagger(&self) -> &'a Tagger {
        self.tagger
    }

    /// Everything borderline says about row `row` (0-based), as `tag` says it of a CSV row.
    pub fn tag_row(&self, row: usize) -> Located<'a> {
        let refused = |message: String| Located {
            record: TagRecord::error(message),
            at: None,
        };
        let point = coordinate(&self.frame.lat, row, "latitude")
            .and_then(|lat| coordinate(&self.frame.lon, row, "longitude").map(|lon| (lat, lon)));
        let (lat, lon) = match point {
            Ok(p) => p,
            Err(message) => return refused(message),
        };
        let when = match self.frame.date.map(|d| d.values) {
            None => When::on(self.as_of),
            Some(Column::Days(days)) => days[row].map_or(When::Undated, When::on),
            Some(Column::Texts(texts)) => match texts[row].map(|t| cell::when(&self.dates, t)) {
                None => When::Undated,
                Some(Ok(when)) => when,
                Some(Err(message)) => return refused(message),
            },
            Some(Column::Numbers(numbers)) => match whole_number(numbers[row]) {
                _ if numbers[row].is_nan() => When::Undated,
                // A year written as a number (2022) reads as the text would.
                Some(n) => match cell::when(&self.dates, &n.to_string()) {
                    Ok(when) => when,
                    Err(message) => return refused(message),
                },
                None => return refused(format!("bad date: {} is not a date", numbers[row])),
            },
        };
        let mut located = self.tagger.tag_located(lon, lat, when);
        if located.record.tag_error.is_none()
            && let Some((column, coarse_from)) = self.frame.precision
            && let Some(warning) = precision_warning(column, row, coarse_from)
        {
            located.record.tag_warning.push(warning);
        }
        located
    }
}

/// The day/month order a text date column proves, from all its values.
fn infer_order(
    texts: &[Option<&str>],
) -> std::result::Result<Option<DateOrder>, crate::date::OrderProblem> {
    let mut evidence = OrderEvidence::default();
    for (row, text) in texts.iter().enumerate() {
        if let Some(text) = text {
            evidence.add(format_args!("row {row}"), text);
            if evidence.is_mixed() {
                break;
            }
        }
    }
    evidence.conclusion()
}

/// A coordinate of row `row`.
fn coordinate(column: &Column, row: usize, what: &str) -> std::result::Result<f64, String> {
    match column {
        Column::Numbers(values) if values[row].is_nan() => Err(format!("missing {what}")),
        Column::Numbers(values) => Ok(values[row]),
        // As in a comma-separated file: "39,9" is refused rather than guessed at.
        Column::Texts(texts) => cell::coordinate(texts[row].unwrap_or(""), what, Delimiter::Comma),
        Column::Days(_) => Err(format!("{what} is a date, not a number")),
    }
}

/// `value` when it is a whole number that fits a `u64`.
fn whole_number(value: f64) -> Option<u64> {
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < 1.8e19)
        .then_some(value as u64)
}

/// The coarse-precision warning of row `row`, if its code calls for one.
fn precision_warning(column: Named, row: usize, coarse_from: u32) -> Option<Warning> {
    match column.values {
        Column::Texts(texts) => cell::coarse_precision(column.name, texts[row]?, coarse_from),
        Column::Numbers(numbers) => {
            // Compared before it is written out: most rows' codes are fine.
            let code = whole_number(numbers[row]).and_then(|c| u32::try_from(c).ok())?;
            (code >= coarse_from)
                .then(|| Warning::coarse_precision(column.name, &code.to_string(), coarse_from))
        }
        Column::Days(_) => None,
    }
}
