//! The border model: lines cut into segments with stable IDs, each with a status history,
//! plus the enclaves and country polygons that come with it.

use std::path::{Path, PathBuf};

use geo::{Coord, GeodesicArea, InterpolatePoint, LineString, MultiPolygon, Point, Polygon};
use geo::{Distance, Geodesic};
use geojson::Feature;

use crate::date::Date;
use crate::error::{Error, Position, Result};
use crate::geodesy::geodesic_length_m;
use crate::geojson_in::{FeatureAt, read_features};
use crate::status::{StatusTable, UNKNOWN};

/// Segments are cut at every status breakpoint and are at most this long.
pub const MAX_SEGMENT_KM: f64 = 10.0;

/// A continuous border line (open, or closed around an enclave).
#[derive(Debug, Clone, PartialEq)]
pub struct BorderLine {
    /// Unique ID, e.g. `KGZ-TJK` or `Vorukh`.
    pub id: String,
    /// The pair of countries the line separates, `A-B` (the line's `border` property, else its
    /// `a` and `b` properties joined by `-`; empty when the file says neither).
    pub border: String,
    /// The line, lon/lat.
    pub geometry: LineString,
    /// Geodesic length, km.
    pub length_km: f64,
}

/// A period of a segment's history: from `from` (`None`: since before the first record) until
/// the next period, the segment had `status`.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// First day (`None`: since before the first record).
    pub from: Option<Date>,
    /// The status.
    pub status: String,
    /// What the status rests on: `modelled`, `sourced`, …
    pub basis: String,
    /// Where it comes from.
    pub source: String,
}

impl Period {
    /// Whether the period rests on a row labelled `modelled`.
    pub fn is_modelled(&self) -> bool {
        crate::status::is_modelled(&self.basis)
    }
}

/// A stretch of a border line with one status at any date.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Stable ID, `LINE:NNN` numbered along the line from 1.
    pub id: String,
    /// Index into [`Border::lines`].
    pub line: usize,
    /// Where the segment starts along its line, km.
    pub from_km: f64,
    /// Where it ends, km.
    pub to_km: f64,
    /// The segment, lon/lat.
    pub geometry: LineString,
    /// Periods in date order; empty means always [`UNKNOWN`].
    pub history: Vec<Period>,
}

impl Segment {
    /// Geodesic length in km.
    pub fn length_km(&self) -> f64 {
        self.to_km - self.from_km
    }

    /// The period in force on `date`, or `None` before the first record.
    pub fn period_at(&self, date: Date) -> Option<&Period> {
        self.history
            .iter()
            .rev()
            .find(|p| p.from.is_none_or(|from| from <= date))
    }

    /// The status on `date` ([`UNKNOWN`] before the first record).
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// let date = "2022-10-07".parse().unwrap();
    /// let statuses: Vec<&str> = border.segments.iter().map(|s| s.status_at(date)).collect();
    /// assert!(statuses.contains(&"undelimited"));
    /// ```
    pub fn status_at(&self, date: Date) -> &str {
        self.period_at(date).map_or(UNKNOWN, |p| p.status.as_str())
    }

    /// The statuses in force on some day of `start..=end`, in order, each with the day it took
    /// effect within the range (`None` for the one in force on `start`); consecutive periods
    /// of one status count once.
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// let last = border.segments.last().unwrap(); // agreed by the treaty of 2025-03-12
    /// let d = |s: &str| s.parse().unwrap();
    /// let during = last.statuses_during(d("2025-03-01"), d("2025-03-31"));
    /// assert_eq!(during, vec![("undelimited", None), ("delimited", Some(d("2025-03-12")))]);
    /// ```
    pub fn statuses_during(&self, start: Date, end: Date) -> Vec<(&str, Option<Date>)> {
        let mut out = vec![(self.status_at(start), None)];
        for p in &self.history {
            if let Some(from) = p.from.filter(|f| start < *f && *f <= end)
                && out.last().is_some_and(|(s, _)| *s != p.status)
            {
                out.push((p.status.as_str(), Some(from)));
            }
        }
        out
    }
}

/// An enclave: a polygon of one country surrounded by another.
#[derive(Debug, Clone, PartialEq)]
pub struct Enclave {
    /// Its name (e.g. `Vorukh`).
    pub name: String,
    /// Country key of the enclave's owner (e.g. `TJK`).
    pub country: String,
    /// Its territory, lon/lat.
    pub polygon: Polygon,
    /// Geodesic area, km².
    pub area_km2: f64,
}

/// A country's territory, keyed as in the source data (e.g. ISO 3166 alpha-3).
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// Its key (e.g. `KGZ`).
    pub key: String,
    /// Its territory, lon/lat.
    pub shape: MultiPolygon,
}

/// A border: its lines, their segments, enclaves and (optionally) the two countries.
#[derive(Debug, Clone, PartialEq)]
pub struct Border {
    /// Human-readable name, e.g. `Kyrgyzstan–Tajikistan`.
    pub name: String,
    /// The continuous lines.
    pub lines: Vec<BorderLine>,
    /// The lines cut into segments, line by line, in order along each.
    pub segments: Vec<Segment>,
    /// The enclaves.
    pub enclaves: Vec<Enclave>,
    /// The countries' territories, when the file has them.
    pub countries: Vec<Country>,
}

const EMBEDDED_BORDER: &str = include_str!("../data/kgz-tjk/border.geojson");
const EMBEDDED_STATUS: &str = include_str!("../data/kgz-tjk/status.csv");

/// What a border GeoJSON holds before statuses are attached.
struct Parts {
    name: String,
    lines: Vec<BorderLine>,
    /// Status fixed by a feature's own `status` property (pre-segmented input), per line.
    fixed: Vec<Option<Period>>,
    enclaves: Vec<Enclave>,
    countries: Vec<Country>,
}

impl Border {
    /// The bundled Kyrgyz–Tajik border with its modelled status history (see `data/README.md`).
    pub fn embedded() -> Border {
        Self::from_texts(
            Path::new("<embedded>/border.geojson"),
            EMBEDDED_BORDER,
            Some((Path::new("<embedded>/status.csv"), EMBEDDED_STATUS)),
        )
        .unwrap_or_else(|e| unreachable!("the embedded data is checked by the tests: {e}"))
    }

    /// Loads a border from files; `None` uses the embedded default for that part. The status
    /// table is only read for a border whose lines carry no `status` property.
    pub fn load(border: Option<&Path>, status: Option<&Path>) -> Result<Border> {
        let parts = match border {
            Some(path) => parts_from_features(path, &read_features(path)?)?,
            None => parts_from_features(
                Path::new("<embedded>/border.geojson"),
                &crate::geojson_in::parse_features(Path::new("<embedded>"), EMBEDDED_BORDER)?,
            )?,
        };
        let table = match (status, border) {
            (Some(path), _) => Some((path.to_path_buf(), read_status(path)?)),
            (None, None) => Some((
                PathBuf::from("<embedded>/status.csv"),
                StatusTable::from_reader("<embedded>/status.csv", EMBEDDED_STATUS.as_bytes())?,
            )),
            (None, Some(_)) => None,
        };
        assemble(parts, table.as_ref().map(|(p, t)| (p.as_path(), t)))
    }

    /// Builds a border from GeoJSON text and an optional status CSV text.
    pub fn from_texts(path: &Path, geojson: &str, status: Option<(&Path, &str)>) -> Result<Border> {
        let parts = parts_from_features(path, &crate::geojson_in::parse_features(path, geojson)?)?;
        let table = status
            .map(|(p, text)| StatusTable::from_reader(p, text.as_bytes()).map(|t| (p, t)))
            .transpose()?;
        assemble(parts, table.as_ref().map(|(p, t)| (*p, t)))
    }

    /// Total geodesic length of all lines in km.
    pub fn total_km(&self) -> f64 {
        self.lines.iter().map(|l| l.length_km).sum()
    }

    /// The first day on which every segment with a status history has a recorded status (before
    /// it, some of them are `unknown`); `None` when no history starts on a date.
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// assert_eq!(border.first_recorded_day().unwrap().to_string(), "2014-01-21");
    /// ```
    pub fn first_recorded_day(&self) -> Option<Date> {
        self.segments
            .iter()
            .filter_map(|s| s.history.first())
            .filter_map(|p| p.from)
            .max()
    }

    /// Every date on which some segment's status changes, ascending.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut dates: Vec<Date> = self
            .segments
            .iter()
            .flat_map(|s| s.history.iter().filter_map(|p| p.from))
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

fn read_status(path: &Path) -> Result<StatusTable> {
    let text = crate::io::read_to_string(path, crate::status::MAX_STATUS_BYTES)?;
    StatusTable::from_reader(path, text.as_bytes())
}

fn parts_from_features(path: &Path, features: &[Feature]) -> Result<Parts> {
    let mut parts = Parts {
        name: String::new(),
        lines: Vec::new(),
        fixed: Vec::new(),
        enclaves: Vec::new(),
        countries: Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let at = FeatureAt { path, index };
        let props = feature.properties.as_ref();
        let is_line = matches!(
            feature.geometry.as_ref().map(|g| &g.value),
            Some(geojson::GeometryValue::LineString { .. })
        );
        let kind = at
            .text_property(props, "kind")
            .or_else(|| is_line.then(|| "line".to_string()))
            .ok_or_else(|| at.error("missing property \"kind\" (line, enclave or country)"))?;
        match kind.as_str() {
            "line" | "segment" => {
                let geometry = at.line_string_geometry(feature)?;
                let id = at
                    .text_property(props, "id")
                    .or_else(|| {
                        feature.id.as_ref().map(|id| match id {
                            geojson::feature::Id::String(s) => s.clone(),
                            geojson::feature::Id::Number(n) => n.to_string(),
                        })
                    })
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| at.error("missing property \"id\""))?;
                if parts.lines.iter().any(|l| l.id == id) {
                    return Err(at.error(format!("duplicate line id {id:?}")));
                }
                for key in ["a_name", "b_name"] {
                    if let Some(n) = at.text_property(props, key).filter(|n| !names.contains(n)) {
                        names.push(n);
                    }
                }
                let fixed = at.text_property(props, "status").map(|status| Period {
                    from: None,
                    status,
                    basis: at.text_property(props, "basis").unwrap_or_default(),
                    source: at.text_property(props, "source").unwrap_or_default(),
                });
                let length_km = geodesic_length_m(&geometry) / 1000.0;
                let pair = match (at.text_property(props, "a"), at.text_property(props, "b")) {
                    (Some(a), Some(b)) => format!("{a}-{b}"),
                    _ => String::new(),
                };
                parts.lines.push(BorderLine {
                    id,
                    border: at.text_property(props, "border").unwrap_or(pair),
                    geometry,
                    length_km,
                });
                parts.fixed.push(fixed);
            }
            "enclave" => parts.enclaves.push(enclave_from_feature(at, feature)?),
            "country" => parts.countries.push(Country {
                key: at.required_text(props, "key")?,
                shape: at.multi_polygon(feature)?,
            }),
            other => {
                return Err(at.error(format!(
                    "unsupported kind {other:?} (expected line, enclave or country)"
                )));
            }
        }
    }
    if parts.lines.is_empty() {
        return Err(Error::input(
            path,
            Position::File,
            "no border lines (LineString features with an \"id\")",
        ));
    }
    parts.name = if names.is_empty() {
        "border".into()
    } else {
        names.join("–")
    };
    Ok(parts)
}

fn enclave_from_feature(at: FeatureAt, feature: &Feature) -> Result<Enclave> {
    let props = feature.properties.as_ref();
    let shape = at.multi_polygon(feature)?;
    let [polygon] = <[Polygon; 1]>::try_from(shape.0)
        .map_err(|_| at.error("an enclave must be a single Polygon"))?;
    Ok(Enclave {
        name: at.required_text(props, "name")?,
        country: at.text_property(props, "country").unwrap_or_default(),
        area_km2: area_km2(&polygon),
        polygon,
    })
}

/// The enclaves (`kind: enclave` Polygon features, with `name` and `country`) of a GeoJSON.
pub fn enclaves_from_features(path: &Path, features: &[Feature]) -> Result<Vec<Enclave>> {
    features
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.properties
                .as_ref()
                .and_then(|p| p.get("kind"))
                .and_then(|k| k.as_str())
                == Some("enclave")
        })
        .map(|(index, f)| enclave_from_feature(FeatureAt { path, index }, f))
        .collect()
}

fn assemble(parts: Parts, table: Option<(&Path, &StatusTable)>) -> Result<Border> {
    if let Some((path, table)) = table {
        let free: Vec<(&str, f64)> = parts
            .lines
            .iter()
            .zip(&parts.fixed)
            .filter(|(_, f)| f.is_none())
            .map(|(l, _)| (l.id.as_str(), l.length_km))
            .collect();
        table.validate(path, &free)?;
    }
    let mut segments = Vec::new();
    for (index, (line, fixed)) in parts.lines.iter().zip(&parts.fixed).enumerate() {
        match fixed {
            Some(period) => segments.push(Segment {
                id: line.id.clone(),
                line: index,
                from_km: 0.0,
                to_km: line.length_km,
                geometry: line.geometry.clone(),
                history: vec![period.clone()],
            }),
            None => segments.extend(cut_line(index, line, table.map(|(_, t)| t))),
        }
    }
    Ok(Border {
        name: parts.name,
        lines: parts.lines,
        segments,
        enclaves: parts.enclaves,
        countries: parts.countries,
    })
}

/// Cuts a line at every status breakpoint and into pieces of at most [`MAX_SEGMENT_KM`].
fn cut_line(index: usize, line: &BorderLine, table: Option<&StatusTable>) -> Vec<Segment> {
    let length = line.length_km;
    let mut breaks = vec![0.0, length];
    if let Some(table) = table {
        for row in table.rows_of(&line.id) {
            breaks.push(row.from_km.min(length));
            breaks.push(row.to_km.unwrap_or(length).min(length));
        }
    }
    breaks.sort_by(f64::total_cmp);
    breaks.dedup_by(|a, b| (*a - *b).abs() < crate::status::JOIN_TOLERANCE_KM);
    if let Some(last) = breaks.last_mut() {
        *last = length;
    }
    let mut cuts = vec![0.0];
    for pair in breaks.windows(2) {
        let pieces = ((pair[1] - pair[0]) / MAX_SEGMENT_KM).ceil().max(1.0) as usize;
        let step = (pair[1] - pair[0]) / pieces as f64;
        cuts.extend((1..=pieces).map(|i| {
            if i == pieces {
                pair[1]
            } else {
                pair[0] + step * i as f64
            }
        }));
    }
    let cumulative = cumulative_m(&line.geometry);
    // The rows in force at each change date, computed once for the line, not per segment.
    let periods = table
        .map(|t| t.periods(&line.id, length))
        .unwrap_or_default();
    let width = (cuts.len() - 1).to_string().len().max(3);
    cuts.windows(2)
        .enumerate()
        .map(|(i, w)| {
            let middle = (w[0] + w[1]) / 2.0;
            let mut history: Vec<Period> = Vec::new();
            for (date, rows) in &periods {
                let date = *date;
                let Some(row) = rows
                    .iter()
                    .find(|r| r.from_km <= middle && middle <= r.to_km.unwrap_or(length))
                else {
                    continue;
                };
                if history
                    .last()
                    .is_some_and(|p| p.status == row.status && p.basis == row.basis)
                {
                    continue;
                }
                history.push(Period {
                    from: date,
                    status: row.status.clone(),
                    basis: row.basis.clone(),
                    source: row.source.clone(),
                });
            }
            Segment {
                id: format!("{}:{:0width$}", line.id, i + 1),
                line: index,
                from_km: w[0],
                to_km: w[1],
                geometry: sub_line(&line.geometry, &cumulative, w[0] * 1000.0, w[1] * 1000.0),
                history,
            }
        })
        .collect()
}

/// Geodesic area of a polygon in km², whatever the winding of its rings.
pub fn area_km2(polygon: &Polygon) -> f64 {
    use geo::orient::{Direction, Orient};
    polygon.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// Cumulative geodesic distance (m) at each vertex of `line`.
pub fn cumulative_m(line: &LineString) -> Vec<f64> {
    let mut total = 0.0;
    let mut out = vec![0.0];
    for w in line.0.windows(2) {
        total += Geodesic.distance(Point::from(w[0]), Point::from(w[1]));
        out.push(total);
    }
    out
}

/// The part of `line` between `from_m` and `to_m` along it (geodesic metres).
pub fn sub_line(line: &LineString, cumulative: &[f64], from_m: f64, to_m: f64) -> LineString {
    let at = |m: f64| -> Coord {
        let i = cumulative
            .partition_point(|&c| c <= m)
            .clamp(1, cumulative.len() - 1);
        let (a, b) = (Point::from(line.0[i - 1]), Point::from(line.0[i]));
        let offset = (m - cumulative[i - 1]).clamp(0.0, cumulative[i] - cumulative[i - 1]);
        Geodesic.point_at_distance_between(a, b, offset).into()
    };
    let mut coords = vec![at(from_m)];
    coords.extend(
        line.0
            .iter()
            .zip(cumulative)
            .filter(|(_, c)| **c > from_m && **c < to_m)
            .map(|(p, _)| *p),
    );
    coords.push(at(to_m));
    coords.dedup();
    if coords.len() < 2 {
        coords.push(coords[0]);
    }
    LineString::new(coords)
}
