//! How one cell of an incident table is read — a coordinate, a date, a location-precision code —
//! the same for a CSV field ([`super::tag_csv`]) and a data frame's value ([`super::frame`]), so
//! that both say the same about the same row.

use crate::date::DateParser;
use crate::input::{Delimiter, parse_decimal};
use crate::tag::tagger::When;
use crate::tag::warning::Warning;

/// A coordinate written as text (trimmed; empty is missing) in a file of `delimiter`
/// ([`parse_decimal`]: a decimal comma only where fields are not comma-separated); `what`
/// names it in messages.
///
/// ```
/// use borderline::input::Delimiter;
/// use borderline::tag::cell::coordinate;
/// assert_eq!(coordinate(" 39.5 ", "latitude", Delimiter::Comma), Ok(39.5));
/// assert_eq!(coordinate("39,5", "latitude", Delimiter::Semicolon), Ok(39.5));
/// assert_eq!(coordinate("", "latitude", Delimiter::Comma).unwrap_err(), "missing latitude");
/// assert_eq!(
///     coordinate("N39", "latitude", Delimiter::Comma).unwrap_err(),
///     "latitude \"N39\" is not a number"
/// );
/// ```
pub fn coordinate(text: &str, what: &str, delimiter: Delimiter) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("missing {what}"));
    }
    parse_decimal(text, delimiter).ok_or_else(|| format!("{what} {text:?} is not a number"))
}

/// The date a row's status is asked for, from its date cell (trimmed; empty is undated).
///
/// ```
/// use borderline::date::DateParser;
/// use borderline::tag::cell::when;
/// use borderline::When;
/// let dates = DateParser::default();
/// assert_eq!(when(&dates, " "), Ok(When::Undated));
/// assert!(matches!(when(&dates, "16 September 2022"), Ok(When::Dated(_))));
/// assert!(when(&dates, "soon").unwrap_err().starts_with("bad date: "));
/// ```
pub fn when(dates: &DateParser, text: &str) -> Result<When, String> {
    match text.trim() {
        "" => Ok(When::Undated),
        text => dates
            .parse(text)
            .map(When::Dated)
            .map_err(|e| format!("bad date: {e}")),
    }
}

/// The warning a location-precision cell earns: a whole-number code at or above `coarse_from`
/// in `column`.
///
/// ```
/// use borderline::tag::cell::coarse_precision;
/// assert!(coarse_precision("geo_precision", "2", 2).is_some());
/// assert!(coarse_precision("geo_precision", "1", 2).is_none());
/// assert!(coarse_precision("geo_precision", "n/a", 2).is_none());
/// ```
pub fn coarse_precision(column: &str, text: &str, coarse_from: u32) -> Option<Warning> {
    let text = text.trim();
    text.parse::<u32>()
        .is_ok_and(|code| code >= coarse_from)
        .then(|| Warning::coarse_precision(column, text, coarse_from))
}
