//! Calendar dates as incident sheets and status tables write them.
//!
//! Status tables use strict ISO dates ([`parse_iso_date`]). Incident sheets use whatever their
//! authors' software wrote: ISO dates (with or without a time and zone), ACLED's
//! `16 September 2022`, Excel's `16/09/2022` or `9/16/2022`, `16-Sep-22`, `Sep 16 2022`,
//! months, years and intervals. [`DateParser`] reads them all into a [`DateRange`]; whether
//! `05/06/2022` is the 5th of June or the 6th of May is not a property of one cell but of the
//! whole column, so [`DateOrder::infer`] decides it from every value at once and refuses to guess
//! when the column does not tell.

use std::fmt;

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
    iso_day(text).ok_or_else(|| {
        if is_iso_shaped(text) {
            format!("{text:?} is not a valid date (no such day)")
        } else {
            format!("{text:?} is not a date (expected YYYY-MM-DD)")
        }
    })
}

fn is_iso_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `YYYY-MM-DD` exactly, or `None`.
fn iso_day(text: &str) -> Option<Date> {
    if !is_iso_shaped(text) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<i16>().ok();
    Date::new(
        n(0..4)?,
        i8::try_from(n(5..7)?).ok()?,
        i8::try_from(n(8..10)?).ok()?,
    )
    .ok()
}

/// The days an incident date covers, both ends included: one day for a plain date, the whole
/// month for `2015-08`, the whole year for `2015`, `start..end` for an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateRange {
    /// First day.
    pub start: Date,
    /// Last day (equal to `start` for a single day).
    pub end: Date,
}

impl DateRange {
    /// The range of one day.
    ///
    /// ```
    /// use borderline::date::DateRange;
    /// let day = DateRange::day("2022-09-16".parse().unwrap());
    /// assert!(day.is_single_day());
    /// ```
    pub fn day(date: Date) -> Self {
        DateRange {
            start: date,
            end: date,
        }
    }

    /// Whether the range is one day.
    pub fn is_single_day(&self) -> bool {
        self.start == self.end
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single_day() {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}/{}", self.start, self.end)
        }
    }
}

/// How a column writes numeric dates whose first two numbers could be day or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `16/09/2022`: day, month, year (most of the world, Excel outside the US).
    DayMonthYear,
    /// `09/16/2022`: month, day, year (the US).
    MonthDayYear,
}

impl DateOrder {
    /// The short name used on the command line (`dmy`, `mdy`).
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::DayMonthYear => "dmy",
            DateOrder::MonthDayYear => "mdy",
        }
    }

    /// Infers the order of a column from all of its values (see [`OrderEvidence`]).
    ///
    /// ```
    /// use borderline::date::{DateOrder, OrderProblem};
    /// let order = DateOrder::infer(["05/06/2022", "16/09/2022"].into_iter().enumerate());
    /// assert_eq!(order, Ok(Some(DateOrder::DayMonthYear)));
    /// let unclear = DateOrder::infer(["05/06/2022", "01/02/2023"].into_iter().enumerate());
    /// assert!(matches!(unclear, Err(OrderProblem::Ambiguous { .. })));
    /// assert_eq!(DateOrder::infer(["2022-09-16"].into_iter().enumerate()), Ok(None));
    /// ```
    pub fn infer<'a, K: fmt::Display>(
        values: impl IntoIterator<Item = (K, &'a str)>,
    ) -> Result<Option<DateOrder>, OrderProblem> {
        let mut evidence = OrderEvidence::default();
        for (at, value) in values {
            evidence.add(at, value);
        }
        evidence.conclusion()
    }
}

/// What the values of a date column say about its day/month order: a first number above 12
/// (as in `16/09/2022`) proves day-first, a second number above 12 (`9/16/2022`) month-first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderEvidence {
    ambiguous: Option<String>,
    day_first: Option<(String, String)>,
    month_first: Option<(String, String)>,
}

impl OrderEvidence {
    /// Takes one value into account; `at` says where it is (e.g. `line 7`), for messages.
    pub fn add(&mut self, at: impl fmt::Display, value: &str) {
        let value = value.trim();
        let Some((a, b, _)) = numeric_day_month(value) else {
            return;
        };
        let example = || Some((at.to_string(), value.to_string()));
        match (a > 12, b > 12) {
            (true, false) if self.day_first.is_none() => self.day_first = example(),
            (false, true) if self.month_first.is_none() => self.month_first = example(),
            (false, false) if self.ambiguous.is_none() => self.ambiguous = Some(value.into()),
            _ => {}
        }
    }

    /// Whether the values so far contradict each other (no later value can change that).
    pub fn is_mixed(&self) -> bool {
        self.day_first.is_some() && self.month_first.is_some()
    }

    /// The order the values prove. `Ok(None)`: no numeric day/month dates, so the order does
    /// not matter.
    pub fn conclusion(&self) -> Result<Option<DateOrder>, OrderProblem> {
        match (&self.day_first, &self.month_first, &self.ambiguous) {
            (Some(day), Some(month), _) => Err(OrderProblem::Mixed {
                day: day.clone(),
                month: month.clone(),
            }),
            (Some(_), None, _) => Ok(Some(DateOrder::DayMonthYear)),
            (None, Some(_), _) => Ok(Some(DateOrder::MonthDayYear)),
            (None, None, Some(example)) => Err(OrderProblem::Ambiguous {
                example: example.clone(),
            }),
            (None, None, None) => Ok(None),
        }
    }
}

impl std::str::FromStr for DateOrder {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::DayMonthYear),
            "mdy" => Ok(DateOrder::MonthDayYear),
            _ => Err(format!("{text:?} is not a date order (dmy or mdy)")),
        }
    }
}

/// Why a column's day/month order cannot be inferred.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderProblem {
    /// Every numeric date could be read either way.
    #[error(
        "dates such as {example:?} can be read day-first or month-first and no value in the column decides"
    )]
    Ambiguous {
        /// One of the values.
        example: String,
    },
    /// Some values are only valid day-first, others only month-first.
    #[error(
        "the column mixes day-first dates ({:?} at {}) and month-first dates ({:?} at {})",
        day.1, day.0, month.1, month.0
    )]
    Mixed {
        /// Where (e.g. `line 7`) and which value is only valid day-first.
        day: (String, String),
        /// Where and which value is only valid month-first.
        month: (String, String),
    },
}

/// `A/B/YYYY` (or with `.` or `-`) where `A` and `B` are 1–2 digits: the two numbers and the year.
fn numeric_day_month(text: &str) -> Option<(u32, u32, i16)> {
    let sep = text.bytes().find(|b| matches!(b, b'/' | b'.' | b'-'))?;
    let mut parts = text.split(sep as char);
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(1..=2).contains(&a.len())
        || !(1..=2).contains(&b.len())
        || y.len() != 4
    {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if !(digits(a) && digits(b) && digits(y)) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
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

/// A month name, full or abbreviated to at least three letters (`Sep`, `Sept`, `September`).
fn month_number(name: &str) -> Option<i8> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&name))
        .map(|i| i as i8 + 1)
}

/// A whole number of at most `max_len` ASCII digits.
fn whole(text: &str, max_len: usize) -> Option<i16> {
    (!text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A year of four digits, or of two (`22`) read as POSIX `strptime` reads `%y`: 69–99 are
/// 1969–1999, 00–68 are 2000–2068.
fn year(text: &str) -> Option<i16> {
    match text.len() {
        4 => whole(text, 4),
        2 => whole(text, 2).map(|y| if y >= 69 { 1900 + y } else { 2000 + y }),
        _ => None,
    }
}

fn day_of(y: i16, m: i8, d: i16) -> Option<Date> {
    Date::new(y, m, i8::try_from(d).ok()?).ok()
}

/// Whether `rest` (what follows `YYYY-MM-DD`) is a time of day, optionally with fractions and a
/// zone: ` 00:00:00.000`, `T03:00`, `T03:00:00Z`, `T03:00:00+05:00`, `T03:00:00-0300`.
fn is_time_suffix(rest: &str) -> bool {
    let Some(time) = rest.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let (clock, fraction) = match clock.split_once(['.', ',']) {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let two = |s: &str, max: i16| whole(s, 2).is_some_and(|v| s.len() == 2 && v <= max);
    let clock_ok = match parts.as_slice() {
        [h, m] => two(h, 24) && two(m, 59),
        [h, m, s] => two(h, 24) && two(m, 59) && two(s, 60),
        _ => false,
    };
    let fraction_ok = fraction
        .is_none_or(|f| parts.len() == 3 && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => {
            let z = &z[1..];
            let (h, m) = match z.split_once(':') {
                Some((h, m)) => (h, Some(m)),
                None if z.len() == 4 => (&z[..2], Some(&z[2..])),
                None => (z, None),
            };
            two(h, 23) && m.is_none_or(|m| two(m, 59))
        }
    };
    clock_ok && fraction_ok && zone_ok
}

/// Reads incident dates, with a column's day/month order when it has one.
///
/// Forms read (case-insensitive month names in English, full or abbreviated):
/// - ISO `2022-09-16`, also followed by a time and zone (`2022-09-16 00:00:00.000`,
///   `2022-09-16T03:00:00+05:00`): the calendar date as written, whatever the zone;
/// - `2015-08` (the month), `2015` (the year);
/// - ACLED's `16 September 2022`, `16 Sep 2022`; `16-Sep-22`, `16-Sep-2022`,
///   `16-September-2022`; `Sep 16 2022`, `September 16, 2022`;
/// - `2022/09/16` (year first); `16/09/2022` or `9/16/2022` (also with `.` or `-`), read in the
///   column's [`DateOrder`];
/// - an interval `START/END` of any two of the above (`2022-09-14/2022-09-17`).
///
/// Anything else, trailing words included, is an error.
///
/// ```
/// use borderline::date::{DateOrder, DateParser};
/// let iso = DateParser::default();
/// assert_eq!(iso.parse("16 September 2022").unwrap().to_string(), "2022-09-16");
/// assert_eq!(iso.parse("2015-08").unwrap().to_string(), "2015-08-01/2015-08-31");
/// assert_eq!(iso.parse("Sep 16 2022").unwrap().to_string(), "2022-09-16");
/// assert!(iso.parse("05/06/2022").is_err()); // needs the column's order
/// let dmy = DateParser::new(Some(DateOrder::DayMonthYear));
/// assert_eq!(dmy.parse("16/09/2022").unwrap().to_string(), "2022-09-16");
/// assert!(dmy.parse("2022-09-16 and later").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateParser {
    order: Option<DateOrder>,
}

impl DateParser {
    /// A parser for a column with the given day/month order (`None`: the column has no
    /// numeric day/month dates, and meeting one is an error).
    pub fn new(order: Option<DateOrder>) -> Self {
        DateParser { order }
    }

    /// The column's day/month order.
    pub fn order(&self) -> Option<DateOrder> {
        self.order
    }

    /// Parses one cell. An empty cell is an error (callers treat it as "undated" first).
    pub fn parse(&self, text: &str) -> Result<DateRange, String> {
        let text = text.trim();
        if let Some(day) = iso_day(text) {
            // The common case first, without the general machinery.
            return Ok(DateRange::day(day));
        }
        if text.is_empty() {
            return Err("empty date".into());
        }
        if text.matches('/').count() == 1 {
            let (start, end) = text.split_once('/').unwrap_or((text, ""));
            let (start, end) = (self.parse(start)?, self.parse(end)?);
            if end.end < start.start {
                return Err(format!("{text:?}: the interval ends before it starts"));
            }
            return Ok(DateRange {
                start: start.start,
                end: end.end,
            });
        }
        self.single(text)
            .ok_or_else(|| self.explain(text))
            .and_then(|r| r)
    }

    /// Why `text` is not a date.
    fn explain(&self, text: &str) -> String {
        format!(
            "{text:?} is not a date (expected e.g. 2022-09-16, 16 September 2022, 16/09/2022, \
             Sep 16 2022, 2022-09 or START/END)"
        )
    }

    /// One date or period (no interval). `None`: no known shape; `Some(Err)`: a known shape
    /// that is wrong (no such day, an order the column does not allow).
    fn single(&self, text: &str) -> Option<Result<DateRange, String>> {
        let bytes = text.as_bytes();
        if bytes.len() > 10 && text.is_char_boundary(10) && iso_day(&text[..10]).is_some() {
            return Some(if is_time_suffix(&text[10..]) {
                Ok(DateRange::day(iso_day(&text[..10])?))
            } else {
                Err(format!(
                    "{text:?}: unexpected {:?} after the date",
                    &text[10..]
                ))
            });
        }
        if is_iso_shaped(text) {
            return Some(Err(format!("{text:?} is not a valid date (no such day)")));
        }
        let no_such_day = || format!("{text:?} is not a valid date (no such day)");
        // YYYY-MM and YYYY.
        if bytes.len() == 7 && bytes[4] == b'-' {
            let (y, m) = (whole(&text[..4], 4)?, whole(&text[5..], 2)?);
            let first = i8::try_from(m).ok().and_then(|m| day_of(y, m, 1));
            return Some(first.map(month_range).ok_or_else(no_such_day));
        }
        if bytes.len() == 4 {
            let y = whole(text, 4)?;
            let first = day_of(y, 1, 1)?;
            return Some(Ok(DateRange {
                start: first,
                end: day_of(y, 12, 31)?,
            }));
        }
        // YYYY/MM/DD.
        let slashed: Vec<&str> = text.split('/').collect();
        if let [y, m, d] = slashed.as_slice()
            && y.len() == 4
        {
            let (y, m, d) = (whole(y, 4)?, whole(m, 2)?, whole(d, 2)?);
            let day = i8::try_from(m).ok().and_then(|m| day_of(y, m, d));
            return Some(day.map(DateRange::day).ok_or_else(no_such_day));
        }
        if let Some((a, b, y)) = numeric_day_month(text) {
            let (a, b) = (a as i16, b as i16);
            let (d, m) = match (self.order, a > 12, b > 12) {
                (Some(DateOrder::DayMonthYear), _, _) => (a, b),
                (Some(DateOrder::MonthDayYear), _, _) => (b, a),
                (None, true, false) => (a, b),
                (None, false, true) => (b, a),
                (None, ..) => {
                    return Some(Err(format!(
                        "{text:?}: day and month could be either way round; give the column's \
                         order with --date-order dmy|mdy"
                    )));
                }
            };
            let day = i8::try_from(m).ok().and_then(|m| day_of(y, m, d));
            return Some(day.map(DateRange::day).ok_or_else(|| match self.order {
                Some(order) => format!(
                    "{text:?} is not a valid date in the column's order ({})",
                    order.name()
                ),
                None => no_such_day(),
            }));
        }
        // Month names: `16 September 2022`, `16-Sep-22`, `Sep 16 2022`, `September 16, 2022`.
        let words: Vec<&str> = text
            .split([' ', '-', ','])
            .filter(|w| !w.is_empty())
            .collect();
        let (d, m, y) = match words.as_slice() {
            [d, m, y] if whole(d, 2).is_some() => (whole(d, 2)?, month_number(m)?, year(y)?),
            [m, d, y] if whole(d, 2).is_some() && !text.contains('-') && y.len() == 4 => {
                (whole(d, 2)?, month_number(m)?, year(y)?)
            }
            _ => return None,
        };
        Some(day_of(y, m, d).map(DateRange::day).ok_or_else(no_such_day))
    }
}

/// The whole month that starts on `first`.
fn month_range(first: Date) -> DateRange {
    DateRange {
        start: first,
        end: first.last_of_month(),
    }
}

/// Parses an incident date in any of the forms [`DateParser`] reads, for a column without
/// numeric day/month dates; a period resolves to its first day (the status an incident is
/// tagged with is the one in force when it began).
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
    DateParser::default().parse(text).map(|r| r.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn range(a: &str, b: &str) -> DateRange {
        DateRange {
            start: d(a),
            end: d(b),
        }
    }

    #[test]
    fn every_form_of_the_16th_of_september_2022() {
        let dmy = DateParser::new(Some(DateOrder::DayMonthYear));
        let mdy = DateParser::new(Some(DateOrder::MonthDayYear));
        let any = DateParser::default();
        let day = DateRange::day(d("2022-09-16"));
        for text in [
            "2022-09-16",
            " 2022-09-16 ",
            "2022-09-16 00:00:00.000",
            "2022-09-16T03:00",
            "2022-09-16T03:00:00Z",
            "2022-09-16T23:30:00+05:00",
            "2022-09-16T23:30:00-0300",
            "2022-09-16T23:30:00.123456+05",
            "16 September 2022",
            "16 Sep 2022",
            "16 SEPT 2022",
            "16-Sep-22",
            "16-Sep-2022",
            "16-September-2022",
            "Sep 16 2022",
            "September 16, 2022",
            "2022/09/16",
            "16/09/2022",
            "9/16/2022",
        ] {
            assert_eq!(any.parse(text), Ok(day), "{text}");
        }
        assert_eq!(dmy.parse("16/09/2022"), Ok(day));
        assert_eq!(dmy.parse("16.09.2022"), Ok(day));
        assert_eq!(dmy.parse("16-09-2022"), Ok(day));
        assert_eq!(mdy.parse("09/16/2022"), Ok(day));
        assert_eq!(mdy.parse("9/16/2022"), Ok(day));
        // The order decides ambiguous values; a value against the order is an error.
        assert_eq!(dmy.parse("05/06/2022"), Ok(DateRange::day(d("2022-06-05"))));
        assert_eq!(mdy.parse("05/06/2022"), Ok(DateRange::day(d("2022-05-06"))));
        assert!(dmy.parse("9/16/2022").unwrap_err().contains("dmy"));
        assert!(
            any.parse("05/06/2022")
                .unwrap_err()
                .contains("--date-order")
        );
    }

    #[test]
    fn periods_and_intervals() {
        let p = DateParser::default();
        assert_eq!(p.parse("2015-08"), Ok(range("2015-08-01", "2015-08-31")));
        assert_eq!(p.parse("2024-02"), Ok(range("2024-02-01", "2024-02-29")));
        assert_eq!(p.parse("2015"), Ok(range("2015-01-01", "2015-12-31")));
        assert_eq!(
            p.parse("2022-09-14/2022-09-17"),
            Ok(range("2022-09-14", "2022-09-17"))
        );
        assert_eq!(
            p.parse("2021-04/2021-05"),
            Ok(range("2021-04-01", "2021-05-31"))
        );
        assert!(
            p.parse("2022-09-17/2022-09-14")
                .unwrap_err()
                .contains("ends")
        );
        // `9/16/2022` is a date with two slashes, not an interval.
        assert_eq!(p.parse("9/16/2022"), Ok(DateRange::day(d("2022-09-16"))));
    }

    #[test]
    fn garbage_is_an_error_not_ignored() {
        let p = DateParser::new(Some(DateOrder::DayMonthYear));
        for text in [
            "",
            "yesterday",
            "2022-09-16 and later",
            "2022-09-16T25:00",
            "2022-09-16T03:00:00+5",
            "2022-02-30",
            "2022-13",
            "31/02/2022",
            "16 Septober 2022",
            "16 September 2022 (approx.)",
            "2022/13/01",
            "16/09/22",
            "Se 16 2022",
        ] {
            assert!(p.parse(text).is_err(), "{text:?} parsed");
        }
    }

    #[test]
    fn two_digit_years_pivot_as_strptime() {
        let p = DateParser::default();
        assert_eq!(p.parse("01-Jan-69").unwrap().start, d("1969-01-01"));
        assert_eq!(p.parse("31-Dec-68").unwrap().start, d("2068-12-31"));
    }

    #[test]
    fn order_inference() {
        let infer = |v: &[&str]| DateOrder::infer(v.iter().copied().enumerate());
        assert_eq!(infer(&["2022-09-16", "16 Sep 2022"]), Ok(None));
        assert_eq!(
            infer(&["01/02/2022", "13/02/2022"]),
            Ok(Some(DateOrder::DayMonthYear))
        );
        assert_eq!(
            infer(&["01/02/2022", "02/13/2022"]),
            Ok(Some(DateOrder::MonthDayYear))
        );
        assert!(matches!(
            infer(&["01/02/2022", "03/04/2022"]),
            Err(OrderProblem::Ambiguous { .. })
        ));
        let mixed = infer(&["13/02/2022", "02/13/2022"]).unwrap_err();
        assert_eq!(
            mixed.to_string(),
            "the column mixes day-first dates (\"13/02/2022\" at 0) and month-first dates \
             (\"02/13/2022\" at 1)"
        );
    }
}
