//! Finding columns by name: the names each command recognises, how headers are compared, and
//! the errors that list what the header has.
//!
//! Auto-detection compares [`clean_header`] forms (trimmed, lower case, runs of spaces, `-` and
//! `_` as one `_`), so `Event Date`, `event-date` and `EVENT_DATE` are all `event_date`. A name
//! given on the command line is first looked up exactly as written, then in that clean form, so
//! two headers that differ only by case or spacing (`LAT ` and `lat`) can be told apart.

use std::path::Path;

use crate::error::{Error, Position, Result};

/// Header names recognised as latitude.
pub const LAT_NAMES: [&str; 3] = ["lat", "latitude", "y"];
/// Header names recognised as longitude.
pub const LON_NAMES: [&str; 5] = ["lon", "lng", "long", "longitude", "x"];
/// Header names recognised as an incident's date: generic ones, ACLED's `event_date`, UCDP's
/// `date_start`.
pub const DATE_NAMES: [&str; 7] = [
    "date",
    "event_date",
    "date_start",
    "start_date",
    "incident_date",
    "date_of_event",
    "day",
];
/// Header names recognised as a fatality count: ACLED's `fatalities`, UCDP GED's `best`, others.
pub const FATALITY_NAMES: [&str; 3] = ["fatalities", "best", "deaths"];
/// Header names recognised as a location-precision code, with the value from which the code
/// means "coarse": ACLED's `geo_precision` (1 the exact place, 2 a nearby town or part of a
/// region, 3 a larger region) and UCDP's `where_prec` (1–2 the exact place or within 25 km,
/// 3 and up a second-order administrative division or coarser).
pub const PRECISION_NAMES: [(&str, u32); 2] = [("geo_precision", 2), ("where_prec", 3)];

/// A header name as detection compares it: without a byte-order mark, trimmed, lower case, runs
/// of white space, `-` and `_` written as one `_`.
///
/// ```
/// use borderline::input::clean_header;
/// assert_eq!(clean_header("\u{feff} Event  Date ".as_bytes()), "event_date");
/// assert_eq!(clean_header(b"geo-precision"), "geo_precision");
/// ```
pub fn clean_header(header: &[u8]) -> String {
    let text = String::from_utf8_lossy(header);
    let text = text.trim_start_matches('\u{feff}').trim().to_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('_');
        }
        gap = false;
        out.push(c);
    }
    out
}

/// The header names as a message lists them.
fn listing(header: &[String]) -> String {
    header
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A column to find: what it holds, the flag that names it, the name given with that flag, and
/// the names recognised without one.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec<'a> {
    /// What the column holds, for messages (`latitude`).
    pub what: &'a str,
    /// The flag that names it (`--lat`).
    pub flag: &'a str,
    /// The name given with the flag.
    pub chosen: Option<&'a str>,
    /// Names recognised without the flag ([`clean_header`] forms).
    pub candidates: &'a [&'a str],
}

/// The index of a column of `header` (names as the file spells them, without a byte-order mark).
/// A `chosen` name is looked up exactly, then by [`clean_header`]; an absent one is an error.
/// Otherwise the single column whose clean name is among `candidates` (several are an error),
/// or `None`.
///
/// ```
/// use borderline::input::{ColumnSpec, find_column};
/// let header: Vec<String> = ["id", "LAT ", "lat"].iter().map(|s| s.to_string()).collect();
/// let spec = |chosen| ColumnSpec { what: "latitude", flag: "--lat", chosen, candidates: &["lat"] };
/// let path = std::path::Path::new("in.csv");
/// assert_eq!(find_column(path, &header, spec(Some("LAT "))).unwrap(), Some(1));
/// assert!(find_column(path, &header, spec(None)).is_err()); // two columns are `lat`
/// ```
pub fn find_column(path: &Path, header: &[String], spec: ColumnSpec) -> Result<Option<usize>> {
    let fail = |m: String| Error::input(path, Position::Line(1), m);
    let clean: Vec<String> = header.iter().map(|h| clean_header(h.as_bytes())).collect();
    let several = |hits: &[usize]| {
        hits.iter()
            .map(|&i| format!("{:?}", header[i]))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    if let Some(name) = spec.chosen {
        let exact: Vec<usize> = (0..header.len()).filter(|&i| header[i] == name).collect();
        let loose: Vec<usize> = (0..header.len())
            .filter(|&i| clean[i] == clean_header(name.as_bytes()))
            .collect();
        return match (exact.as_slice(), loose.as_slice()) {
            ([one], _) | ([], [one]) => Ok(Some(*one)),
            ([], []) => Err(fail(format!(
                "no column {name:?} (given with {}); the header has {}",
                spec.flag,
                listing(header)
            ))),
            ([], many) | (many, _) => Err(fail(format!(
                "{} all match {name:?} (given with {}); give one exactly as the header spells it",
                several(many),
                spec.flag
            ))),
        };
    }
    let hits: Vec<usize> = (0..header.len())
        .filter(|&i| spec.candidates.contains(&clean[i].as_str()))
        .collect();
    match hits.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(fail(format!(
            "ambiguous {} column: {} all match; choose one with {} (the header has {})",
            spec.what,
            several(many),
            spec.flag,
            listing(header)
        ))),
    }
}

/// The error for a required column that is not there.
pub fn missing_column(path: &Path, header: &[String], spec: ColumnSpec, why: &str) -> Error {
    Error::input(
        path,
        Position::Line(1),
        format!(
            "no {} column (looked for {}); name it with {}{why}; the header has {}",
            spec.what,
            spec.candidates.join(", "),
            spec.flag,
            listing(header)
        ),
    )
}

/// Which columns hold what; `None` fields are auto-detected from the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnChoice {
    /// `--lat`.
    pub lat: Option<String>,
    /// `--lon`.
    pub lon: Option<String>,
    /// `--date`.
    pub date: Option<String>,
    /// `--precision-col`.
    pub precision: Option<String>,
    /// `--coarse-precision`: the precision code from which a location is coarse.
    pub coarse_precision: Option<u32>,
}

/// A location-precision column and the code from which it means "coarse".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrecisionColumn {
    /// Column index.
    pub index: usize,
    /// Codes at or above this are coarse.
    pub coarse_from: u32,
}

/// The resolved column indexes of an incident file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// Latitude column.
    pub lat: usize,
    /// Longitude column.
    pub lon: usize,
    /// Date column, if any.
    pub date: Option<usize>,
    /// Location-precision column, if any.
    pub precision: Option<PrecisionColumn>,
}

/// Finds the latitude, longitude, date and precision columns of `header`.
///
/// ```
/// use borderline::input::{ColumnChoice, detect_columns};
/// let header: Vec<String> = ["event_id", "event_date", "latitude", "longitude", "geo_precision"]
///     .iter().map(|s| s.to_string()).collect();
/// let c = detect_columns("in.csv".as_ref(), &header, &ColumnChoice::default()).unwrap();
/// assert_eq!((c.lat, c.lon, c.date), (2, 3, Some(1)));
/// assert_eq!(c.precision.unwrap().coarse_from, 2);
/// ```
pub fn detect_columns(path: &Path, header: &[String], choice: &ColumnChoice) -> Result<Columns> {
    fn spec<'a>(
        what: &'a str,
        flag: &'a str,
        chosen: &'a Option<String>,
        candidates: &'a [&'a str],
    ) -> ColumnSpec<'a> {
        ColumnSpec {
            what,
            flag,
            chosen: chosen.as_deref(),
            candidates,
        }
    }
    let lat_spec = spec("latitude", "--lat", &choice.lat, &LAT_NAMES[..]);
    let lon_spec = spec("longitude", "--lon", &choice.lon, &LON_NAMES[..]);
    let lat = find_column(path, header, lat_spec)?
        .ok_or_else(|| missing_column(path, header, lat_spec, ""))?;
    let lon = find_column(path, header, lon_spec)?
        .ok_or_else(|| missing_column(path, header, lon_spec, ""))?;
    if lat == lon {
        return Err(Error::input(
            path,
            Position::Line(1),
            "--lat and --lon name the same column",
        ));
    }
    let date = find_column(
        path,
        header,
        spec("date", "--date", &choice.date, &DATE_NAMES[..]),
    )?;
    let precision_names: Vec<&str> = PRECISION_NAMES.iter().map(|(n, _)| *n).collect();
    let precision = find_column(
        path,
        header,
        spec(
            "location precision",
            "--precision-col",
            &choice.precision,
            &precision_names,
        ),
    )?
    .map(|index| {
        let clean = clean_header(header[index].as_bytes());
        let known = PRECISION_NAMES
            .iter()
            .find(|(n, _)| *n == clean)
            .map(|(_, from)| *from);
        PrecisionColumn {
            index,
            coarse_from: choice.coarse_precision.or(known).unwrap_or(2),
        }
    });
    Ok(Columns {
        lat,
        lon,
        date,
        precision,
    })
}
