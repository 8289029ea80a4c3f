//! The tag record: the columns `tag` appends to every row, defined once and used by every writer
//! (`tag`, the Python package) and reader (`report`, `export`, `map`).
//!
//! The columns, in this order, after the input's own columns ([`TAG_COLUMNS`]):
//!
//! | column | meaning |
//! |---|---|
//! | `segment_id` | nearest segment (`LINE:NNN`); empty beyond `--max-distance` or on error |
//! | `border` | the line's country pair, `A-B` |
//! | `line` | the segment's line |
//! | `status` | the segment's status on the row's date (`unknown` before the first record; empty for an undated row) |
//! | `status_basis` | the basis of the status row in force (`modelled`, `sourced`, …) |
//! | `status_since` | the date that row took effect (empty: since before the first record) |
//! | `distance_m` | geodesic distance to the nearest line, metres (kept beyond `--max-distance`) |
//! | `chainage_km` | position of the nearest point along its line, km from the line's start |
//! | `border_lon`, `border_lat` | that nearest point |
//! | `side` | the country whose polygon contains the point |
//! | `enclave` | the enclave containing the point |
//! | `nearest_enclave`, `enclave_distance_m` | the nearest enclave and the distance to it (0 inside) |
//! | `tag_warning` | `code: detail` warnings, `; `-separated ([`Warning`]) |
//! | `tag_error` | why the row could not be tagged (then every other tag is empty) |
//!
//! Header rules ([`TagColumns`]): the appended names may carry a prefix (`--prefix`); a header
//! that already ends with the tag columns (a file `tag` wrote) has them replaced; any other
//! input column whose name clashes with an appended one is an error.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use crate::date::Date;
use crate::input::clean_header;
use crate::tag::warning::{WARNING_SEPARATOR, Warning};

/// The columns appended to every row, in order (see the module docs).
pub const TAG_COLUMNS: [&str; 16] = [
    "segment_id",
    "border",
    "line",
    "status",
    "status_basis",
    "status_since",
    "distance_m",
    "chainage_km",
    "border_lon",
    "border_lat",
    "side",
    "enclave",
    "nearest_enclave",
    "enclave_distance_m",
    "tag_warning",
    "tag_error",
];

/// Decimal places of the numeric columns: 0.1 m for distances, 1 m for chainage, 1e-6° (0.1 m)
/// for the nearest point.
pub const DISTANCE_DECIMALS: usize = 1;
/// See [`DISTANCE_DECIMALS`].
pub const CHAINAGE_DECIMALS: usize = 3;
/// See [`DISTANCE_DECIMALS`].
pub const DEGREE_DECIMALS: usize = 6;

/// Where the surplus fields of a row longer than the header are kept, inside `tag_error`:
/// after this marker, as one CSV record.
pub const SURPLUS_MARKER: &str = "surplus fields, as CSV: ";

/// Everything `tag` says about one row: the typed form of [`TAG_COLUMNS`].
///
/// Text borrows from the border when the tagger made the record, and from the file when a
/// reader did; [`TagRecord::into_owned`] detaches it.
///
/// ```
/// use borderline::{Border, Tagger, When};
/// let tagger = Tagger::new(Border::embedded());
/// // Kok-Tash, Kyrgyzstan, on 2022-09-16.
/// let record = tagger.tag(70.535833, 39.949722, When::on("2022-09-16".parse().unwrap()));
/// assert_eq!(record.border, "KGZ-TJK");
/// assert_eq!(record.status, "undelimited");
/// assert_eq!(record.status_basis, "modelled");
/// assert!(record.tag_error.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TagRecord<'a> {
    /// Nearest segment's ID; empty beyond the maximum distance or on error.
    pub segment_id: Cow<'a, str>,
    /// The segment's line's country pair (`A-B`).
    pub border: Cow<'a, str>,
    /// The segment's line.
    pub line: Cow<'a, str>,
    /// The segment's status on the row's date (empty for an undated row).
    pub status: Cow<'a, str>,
    /// Basis of the status row in force (`modelled`, `sourced`, …).
    pub status_basis: Cow<'a, str>,
    /// Date the status row in force took effect.
    pub status_since: Option<Date>,
    /// Geodesic distance to the nearest line, metres.
    pub distance_m: Option<f64>,
    /// Position of the nearest point along its line, km from the line's start.
    pub chainage_km: Option<f64>,
    /// Longitude of the nearest point of the border.
    pub border_lon: Option<f64>,
    /// Latitude of the nearest point of the border.
    pub border_lat: Option<f64>,
    /// Key of the country containing the point.
    pub side: Cow<'a, str>,
    /// The enclave containing the point.
    pub enclave: Cow<'a, str>,
    /// The nearest enclave (the containing one when inside).
    pub nearest_enclave: Cow<'a, str>,
    /// Distance to the nearest enclave, metres (0 inside).
    pub enclave_distance_m: Option<f64>,
    /// Why a conclusion from this row may be wrong.
    pub tag_warning: Vec<Warning>,
    /// Why the row could not be tagged.
    pub tag_error: Option<String>,
}

impl<'a> TagRecord<'a> {
    /// A record that only says why the row could not be tagged.
    pub fn error(message: impl Into<String>) -> Self {
        TagRecord {
            tag_error: Some(message.into()),
            ..TagRecord::default()
        }
    }

    /// The record with every borrowed text copied.
    pub fn into_owned(self) -> TagRecord<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        TagRecord {
            segment_id: own(self.segment_id),
            border: own(self.border),
            line: own(self.line),
            status: own(self.status),
            status_basis: own(self.status_basis),
            status_since: self.status_since,
            distance_m: self.distance_m,
            chainage_km: self.chainage_km,
            border_lon: self.border_lon,
            border_lat: self.border_lat,
            side: own(self.side),
            enclave: own(self.enclave),
            nearest_enclave: own(self.nearest_enclave),
            enclave_distance_m: self.enclave_distance_m,
            tag_warning: self.tag_warning,
            tag_error: self.tag_error,
        }
    }

    /// Whether the row was located on a segment (no error, within the maximum distance).
    pub fn has_segment(&self) -> bool {
        self.tag_error.is_none() && !self.segment_id.is_empty()
    }

    /// Whether the status rests on a row labelled `modelled`.
    pub fn is_modelled(&self) -> bool {
        crate::status::is_modelled(&self.status_basis)
    }

    /// The `tag_warning` field as written.
    pub fn warning_text(&self) -> String {
        self.tag_warning
            .iter()
            .map(Warning::to_string)
            .collect::<Vec<_>>()
            .join(WARNING_SEPARATOR)
    }

    /// Appends the [`TAG_COLUMNS`] fields to the CSV row in `out`, each after a `delimiter` and
    /// quoted where CSV needs it, byte for byte as the `csv` crate writes them.
    pub fn write_csv(&self, out: &mut Vec<u8>, delimiter: u8) {
        use std::io::Write;
        let number = |out: &mut Vec<u8>, value: Option<f64>, decimals: usize| {
            out.push(delimiter);
            if let Some(v) = value {
                write_fixed(out, v, decimals);
            }
        };
        for text in [
            &self.segment_id,
            &self.border,
            &self.line,
            &self.status,
            &self.status_basis,
        ] {
            out.push(delimiter);
            push_csv_field(out, text.as_bytes(), delimiter);
        }
        out.push(delimiter);
        if let Some(d) = self.status_since {
            // Writing to a Vec cannot fail.
            let _ = write!(out, "{d}");
        }
        number(out, self.distance_m, DISTANCE_DECIMALS);
        number(out, self.chainage_km, CHAINAGE_DECIMALS);
        number(out, self.border_lon, DEGREE_DECIMALS);
        number(out, self.border_lat, DEGREE_DECIMALS);
        for text in [&self.side, &self.enclave, &self.nearest_enclave] {
            out.push(delimiter);
            push_csv_field(out, text.as_bytes(), delimiter);
        }
        number(out, self.enclave_distance_m, DISTANCE_DECIMALS);
        out.push(delimiter);
        let start = out.len();
        for (i, w) in self.tag_warning.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(WARNING_SEPARATOR.as_bytes());
            }
            let _ = write!(out, "{w}");
        }
        quote_from(out, start, delimiter);
        out.push(delimiter);
        push_csv_field(
            out,
            self.tag_error.as_deref().unwrap_or("").as_bytes(),
            delimiter,
        );
    }

    /// Reads the [`TAG_COLUMNS`] fields back, as [`TagRecord::write_csv`] wrote them.
    ///
    /// ```
    /// use borderline::TagRecord;
    /// let fields = ["Vorukh:001", "KGZ-TJK", "Vorukh", "undelimited", "modelled", "2014-01-21",
    ///     "957.9", "8.500", "70.571", "39.86", "TJK", "Vorukh", "Vorukh", "0.0", "", ""];
    /// let record = TagRecord::from_fields(&fields).unwrap();
    /// assert_eq!(record.distance_m, Some(957.9));
    /// assert!(record.is_modelled());
    /// ```
    pub fn from_fields(fields: &[&'a str]) -> Result<TagRecord<'a>, String> {
        let [
            segment_id,
            border,
            line,
            status,
            status_basis,
            status_since,
            distance_m,
            chainage_km,
            border_lon,
            border_lat,
            side,
            enclave,
            nearest_enclave,
            enclave_distance_m,
            tag_warning,
            tag_error,
        ] = <[&str; 16]>::try_from(fields).map_err(|_| {
            format!(
                "{} tag fields where {} were expected",
                fields.len(),
                TAG_COLUMNS.len()
            )
        })?;
        let number = |name: &str, text: &str| -> Result<Option<f64>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| format!("{name} {text:?} is not a number"))
        };
        let text = |t: &'a str| Cow::Borrowed(t.trim());
        Ok(TagRecord {
            segment_id: text(segment_id),
            border: text(border),
            line: text(line),
            status: text(status),
            status_basis: text(status_basis),
            status_since: match status_since.trim() {
                "" => None,
                d => {
                    Some(crate::date::parse_iso_date(d).map_err(|e| format!("status_since: {e}"))?)
                }
            },
            distance_m: number("distance_m", distance_m)?,
            chainage_km: number("chainage_km", chainage_km)?,
            border_lon: number("border_lon", border_lon)?,
            border_lat: number("border_lat", border_lat)?,
            side: text(side),
            enclave: text(enclave),
            nearest_enclave: text(nearest_enclave),
            enclave_distance_m: number("enclave_distance_m", enclave_distance_m)?,
            tag_warning: Warning::parse_field(tag_warning)?,
            tag_error: Some(tag_error.trim().to_string()).filter(|e| !e.is_empty()),
        })
    }
}

/// The names of the appended columns, with an optional prefix, and the header rules around them.
///
/// ```
/// use borderline::TagColumns;
/// let columns = TagColumns::new("bl_");
/// assert_eq!(columns.names()[0], "bl_segment_id");
/// let tagged: Vec<String> = ["id", "lat", "lon"].iter().map(|s| s.to_string())
///     .chain(columns.names()).collect();
/// assert_eq!(TagColumns::find_block(&tagged), Some((3, columns)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagColumns {
    prefix: String,
}

impl TagColumns {
    /// The tag columns named `PREFIX` + each of [`TAG_COLUMNS`].
    pub fn new(prefix: impl Into<String>) -> Self {
        TagColumns {
            prefix: prefix.into(),
        }
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The appended column names, in order.
    pub fn names(&self) -> Vec<String> {
        TAG_COLUMNS
            .iter()
            .map(|c| format!("{}{c}", self.prefix))
            .collect()
    }

    /// Where a header's trailing block of tag columns starts, and their prefix: the header ends
    /// with `P` + each of [`TAG_COLUMNS`] for some prefix `P` (compared as [`clean_header`]
    /// compares names). `None`: the header has no such block.
    pub fn find_block(header: &[String]) -> Option<(usize, TagColumns)> {
        let n = TAG_COLUMNS.len();
        let start = header.len().checked_sub(n)?;
        let last = clean_header(header.last()?.as_bytes());
        let prefix = last.strip_suffix("tag_error")?;
        let columns = TagColumns::new(prefix);
        header[start..]
            .iter()
            .zip(columns.names())
            .all(|(h, want)| clean_header(h.as_bytes()) == want)
            .then(|| {
                // Keep the prefix as the file spells it.
                let spelled = header[start + n - 1].trim();
                let prefix = &spelled[..spelled.len() - "tag_error".len()];
                (start, TagColumns::new(prefix))
            })
    }

    /// An error naming the first column of `header` (read from `path`) whose name clashes with
    /// an appended one, if any.
    pub fn refuse_clash(&self, path: &Path, header: &[String]) -> crate::Result<()> {
        match self.clash(header) {
            None => Ok(()),
            Some((i, name)) => Err(crate::Error::input(
                path,
                crate::error::Position::Line(1),
                format!(
                    "column {} {:?} clashes with the tag column {name:?}: rename it, or prefix \
                     the tag columns with {} (e.g. bl_)",
                    i + 1,
                    header[i],
                    crate::setting::Setting::Prefix.mention()
                ),
            )),
        }
    }

    /// The first column of `header` whose name clashes with an appended one (compared as
    /// [`clean_header`] compares names): its index and the tag column's name.
    pub fn clash(&self, header: &[String]) -> Option<(usize, String)> {
        let names = self.names();
        let wanted: Vec<String> = names.iter().map(|n| clean_header(n.as_bytes())).collect();
        header.iter().enumerate().find_map(|(i, h)| {
            let h = clean_header(h.as_bytes());
            wanted
                .iter()
                .position(|w| *w == h)
                .map(|k| (i, names[k].clone()))
        })
    }
}

/// Whether the `csv` crate quotes a field holding `b` (with its defaults otherwise: `"` quote,
/// CR or LF line ends).
fn needs_quotes(b: u8, delimiter: u8) -> bool {
    b == delimiter || matches!(b, b'"' | b'\r' | b'\n')
}

/// Appends `field` to a CSV row, quoted (quotes doubled) when it holds a delimiter, a quote or
/// a line break: what the `csv` crate's writer does with a field.
pub(crate) fn push_csv_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    if !needs_quoting(field, delimiter) {
        out.extend_from_slice(field);
        return;
    }
    out.reserve(field.len() + 2);
    out.push(b'"');
    // Runs between quotes are copied whole; each quote is doubled.
    let mut pieces = field.split(|&b| b == b'"');
    if let Some(first) = pieces.next() {
        out.extend_from_slice(first);
    }
    for piece in pieces {
        out.extend_from_slice(b"\"\"");
        out.extend_from_slice(piece);
    }
    out.push(b'"');
}

/// Whether `field` holds a byte that makes CSV quote it ([`needs_quotes`]). Every field of
/// every row passes here: a long one (a note) is searched with `memchr`'s vector code, which
/// takes a few instructions per 32 bytes where the byte-by-byte test takes several per byte.
fn needs_quoting(field: &[u8], delimiter: u8) -> bool {
    if field.len() > 16 {
        memchr::memchr3(delimiter, b'"', b'\n', field).is_some()
            || memchr::memchr(b'\r', field).is_some()
    } else {
        field.iter().any(|&b| needs_quotes(b, delimiter))
    }
}

/// Quotes the field that `out[start..]` holds, if CSV needs it.
fn quote_from(out: &mut Vec<u8>, start: usize, delimiter: u8) {
    if needs_quoting(&out[start..], delimiter) {
        let field = out.split_off(start);
        push_csv_field(out, &field, delimiter);
    }
}

/// Writes `value` with `decimals` decimals, exactly as `format!("{value:.decimals$}")` does
/// (the correctly rounded decimal), without the formatting machinery, which dominated the cost
/// of a row. Values too large for the fast path, or too close to a rounding tie for the product
/// `value · 10^decimals` to decide it, take `format!`.
pub(crate) fn write_fixed(out: &mut Vec<u8>, value: f64, decimals: usize) {
    let scale = 10u64.pow(decimals as u32);
    let magnitude = value.abs() * scale as f64;
    if magnitude.is_nan() || magnitude >= 1e15 {
        out.extend_from_slice(format!("{value:.decimals$}").as_bytes());
        return;
    }
    // Below 2^53 the integer part converts exactly and the fraction is exact.
    let whole = magnitude as u64;
    let fraction = magnitude - whole as f64;
    // The product is within an ulp or so of the exact scaled value; only near a tie (x.5) can
    // that ulp change the rounding.
    if (fraction - 0.5).abs() <= magnitude * 1e-15 + 1e-300 {
        out.extend_from_slice(format!("{value:.decimals$}").as_bytes());
        return;
    }
    let scaled = whole + u64::from(fraction > 0.5);
    // `format!` keeps the sign of negative values that round to zero, too: `-0.0`.
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let mut digits = itoa::Buffer::new();
    out.extend_from_slice(digits.format(scaled / scale).as_bytes());
    if decimals > 0 {
        out.push(b'.');
        // The fraction with its leading zeros: the digits of `scale + fraction` after the 1.
        out.extend_from_slice(&digits.format(scale + scaled % scale).as_bytes()[1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: f64, d: usize) -> String {
        let mut out = Vec::new();
        write_fixed(&mut out, v, d);
        String::from_utf8(out).unwrap()
    }

    /// Equal to `format!` to the byte, ties and negative zero included.
    #[test]
    fn write_fixed_is_format_exactly() {
        let mut values = vec![
            0.0,
            -0.0,
            0.04,
            0.05,
            0.25,
            0.35,
            0.5,
            1.5,
            2.5,
            0.96,
            1.0,
            12.345,
            957.94,
            1.005,
            2.675,
            99999.95,
            123456.7891,
            -70.5712345,
            -0.00000049,
            -0.04,
            1e14,
            1e17,
            5e-324,
        ];
        // Deterministic pseudo-random values over the ranges the columns take.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push(unit * 20_000_000.0);
            values.push((unit - 0.5) * 360.0);
            values.push((unit * 1e6).round() / 1e3 + 0.0005);
            values.push((unit * 1e5).round() / 10.0 + 0.05);
        }
        for v in values {
            for d in [0, 1, 3, 6] {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v:e} with {d} decimals");
            }
        }
    }

    /// Against the byte-by-byte definition, for every special byte at every position of
    /// fields of 0 to 40 bytes, and for fields with none.
    #[test]
    fn needs_quoting_finds_every_special_byte_anywhere() {
        for delimiter in [b',', b';', b'\t', b'|'] {
            for len in 0..=40 {
                let plain: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                assert!(!needs_quoting(&plain, delimiter));
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut field = plain.clone();
                        field[at] = b;
                        let want = field.iter().any(|&c| needs_quotes(c, delimiter));
                        assert_eq!(needs_quoting(&field, delimiter), want, "{field:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn fields_round_trip() {
        let record = TagRecord {
            segment_id: "L:001".into(),
            border: "A-B".into(),
            line: "L".into(),
            status: "undelimited".into(),
            status_basis: "modelled".into(),
            status_since: Some("2014-01-21".parse().unwrap()),
            distance_m: Some(12.3),
            chainage_km: Some(4.567),
            border_lon: Some(-70.123456),
            border_lat: Some(39.5),
            side: "A".into(),
            enclave: "".into(),
            nearest_enclave: "E".into(),
            enclave_distance_m: Some(100.0),
            tag_warning: vec![Warning::undated(), Warning::far_from_border(25_000.0)],
            tag_error: None,
        };
        let mut out = b"own".to_vec();
        record.write_csv(&mut out, b',');
        let row = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_slice())
            .into_byte_records()
            .next()
            .unwrap()
            .unwrap();
        let texts: Vec<&str> = row
            .iter()
            .skip(1)
            .map(|f| std::str::from_utf8(f).unwrap())
            .collect();
        assert_eq!(texts.len(), TAG_COLUMNS.len());
        assert_eq!(texts[6..10], ["12.3", "4.567", "-70.123456", "39.500000"]);
        assert_eq!(TagRecord::from_fields(&texts).unwrap(), record);
    }

    #[test]
    fn header_rules() {
        let header = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let plain = TagColumns::default();
        assert_eq!(
            plain.clash(&header(&["id", " Status ", "lat"])),
            Some((1, "status".into()))
        );
        assert_eq!(plain.clash(&header(&["id", "lat"])), None);
        assert_eq!(
            TagColumns::new("bl_").clash(&header(&["id", "status"])),
            None
        );
        let mut tagged = header(&["id", "lat", "lon"]);
        tagged.extend(TagColumns::new("BL_").names());
        assert_eq!(
            TagColumns::find_block(&tagged),
            Some((3, TagColumns::new("BL_")))
        );
        tagged.pop();
        assert_eq!(TagColumns::find_block(&tagged), None);
    }
}
