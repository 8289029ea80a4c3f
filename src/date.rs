//! Calendar dates as incident sheets and status tables write them.

pub use jiff::civil::Date;

/// Today's date (UTC).
pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Parses a strict ISO 8601 calendar date, `YYYY-MM-DD`.
///
/// ```
/// use borderline::date::parse_iso_date;
/// assert_eq!(parse_iso_date("2022-09-16").unwrap().to_string(), "2022-09-16");
/// assert!(parse_iso_date("2022-02-30").is_err());
/// ```
pub fn parse_iso_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(format!("{text:?} is not a date (expected YYYY-MM-DD)"));
    }
    text.parse::<Date>()
        .map_err(|e| format!("{text:?} is not a valid date: {e}"))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses the date of an incident, in the forms that ACLED, UCDP and hand-made sheets use:
/// `YYYY-MM-DD` (optionally followed by a time, as UCDP's `2022-09-16 00:00:00.000`),
/// ACLED's `16 September 2022` (or `16 Sep 2022`), a month `YYYY-MM`, a year `YYYY`, or an
/// ISO interval `START/END`. A period (month, year, interval) resolves to its first day: the
/// status an incident is tagged with is the one in force when it began.
///
/// ```
/// use borderline::date::parse_incident_date;
/// let d = |s| parse_incident_date(s).unwrap().to_string();
/// assert_eq!(d("16 September 2022"), "2022-09-16");
/// assert_eq!(d("2022-09-14/2022-09-17"), "2022-09-14");
/// assert_eq!(d("2015-08"), "2015-08-01");
/// assert_eq!(d("2022-09-16 00:00:00.000"), "2022-09-16");
/// assert!(parse_incident_date("yesterday").is_err());
/// ```
pub fn parse_incident_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.len() == 10 && !text.contains(' ') {
        // The common case, YYYY-MM-DD, without the general parser's allocations.
        return parse_iso_date(text);
    }
    if let Some((start, end)) = text.split_once('/') {
        let start_date = parse_incident_date(start)?;
        let end_date = parse_incident_date(end)?;
        if end_date < start_date {
            return Err(format!("{text:?}: the interval ends before it starts"));
        }
        return Ok(start_date);
    }
    if text.len() > 10 && text.is_char_boundary(10) && matches!(text.as_bytes()[10], b' ' | b'T') {
        return parse_iso_date(&text[..10]);
    }
    let parts: Vec<&str> = text.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    let number = |s: &str| {
        s.parse::<i16>()
            .ok()
            .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let small = |s: &str| number(s).and_then(|n| i8::try_from(n).ok());
    let month_name = |s: &str| {
        let s = s.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| s.len() >= 3 && m.starts_with(&s))
            .map(|i| i as i8 + 1)
    };
    let date = match (text.contains(' '), parts.as_slice()) {
        (false, [y, m, _]) if y.len() == 4 && m.len() == 2 => return parse_iso_date(text),
        (false, [y, m]) if y.len() == 4 && m.len() == 2 => number(y)
            .zip(small(m))
            .and_then(|(y, m)| Date::new(y, m, 1).ok()),
        (false, [y]) if y.len() == 4 => number(y).and_then(|y| Date::new(y, 1, 1).ok()),
        (true, [d, m, y]) if y.len() == 4 => small(d)
            .zip(month_name(m))
            .zip(number(y))
            .and_then(|((d, m), y)| Date::new(y, m, d).ok()),
        _ => None,
    };
    date.ok_or_else(|| format!("{text:?} is not a date (expected YYYY-MM-DD or DD Month YYYY)"))
}
