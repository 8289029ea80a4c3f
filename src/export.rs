//! Building the RFC 7946 FeatureCollection that `borderline export` writes and `borderline map`
//! draws: segments coloured by status, enclaves, tagged incidents and links from each incident
//! to its nearest border point, all styled with the
//! [simplestyle spec](https://github.com/mapbox/simplestyle-spec) so that geojson.io, QGIS,
//! kepler.gl or a Leaflet page show them without manual work.
//!
//! Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms
//! of colour blindness; see [`status_color`].
//!
//! ```
//! use borderline::export::{Options, feature_collection};
//! let border = borderline::Border::embedded();
//! let options = Options::new("2022-10-07".parse().unwrap());
//! let fc = feature_collection(&border, None, &options);
//! assert_eq!(fc["type"], "FeatureCollection");
//! assert!(fc.get("crs").is_none());
//! ```

use std::path::Path;

use geo::{Coord, LineString, Rect};
use serde_json::{Map, Value, json};

use crate::border::Border;
use crate::date::Date;
use crate::error::Result;
use crate::geodesy::SurfacePoint;
use crate::geojson_out::{
    DEFAULT_PRECISION, collection, extent_of, feature, line_string, polygon, round, union_extent,
};
use crate::input::{ColumnChoice, Delimiter, InputOptions, detect_columns, parse_decimal};
use crate::tag::{
    CHAINAGE_DECIMALS, DEGREE_DECIMALS, DISTANCE_DECIMALS, TagColumns, TagRecord, TaggedFile,
    Tagger,
};

/// Colours of the well-known statuses (Okabe–Ito), matched case-insensitively.
pub const STATUS_COLORS: [(&str, &str); 5] = [
    ("undelimited", "#D55E00"), // vermillion
    ("delimited", "#0072B2"),   // blue
    ("demarcated", "#009E73"),  // bluish green
    ("disputed", "#CC79A7"),    // reddish purple
    ("unknown", "#999999"),     // grey
];

/// The remaining Okabe–Ito colours, given to any other status by a hash of its name.
pub const OTHER_COLORS: [&str; 4] = [
    "#E69F00", // orange
    "#56B4E9", // sky blue
    "#F0E442", // yellow
    "#000000", // black
];

/// Fill of enclave polygons (Okabe–Ito yellow) and their outline (black).
pub const ENCLAVE_FILL: &str = "#F0E442";
/// Outline of enclave polygons.
pub const ENCLAVE_STROKE: &str = "#000000";

/// Width of segment lines in pixels (simplestyle `stroke-width`).
pub const SEGMENT_WIDTH: f64 = 3.0;

/// The colour of a status: fixed for the well-known ones, otherwise one of [`OTHER_COLORS`]
/// chosen by a stable hash of the lower-cased, trimmed name (the same name always gets the same
/// colour). An empty status counts as `unknown`.
///
/// ```
/// use borderline::export::status_color;
/// assert_eq!(status_color("undelimited"), "#D55E00");
/// assert_eq!(status_color(" Delimited "), "#0072B2");
/// assert_eq!(status_color("claimed"), status_color("CLAIMED"));
/// ```
pub fn status_color(status: &str) -> &'static str {
    let key = status.trim().to_lowercase();
    let key = if key.is_empty() { "unknown" } else { &key };
    if let Some((_, c)) = STATUS_COLORS.iter().find(|(s, _)| *s == key) {
        return c;
    }
    // FNV-1a: stable across runs, platforms and Rust versions.
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    OTHER_COLORS[(hash % OTHER_COLORS.len() as u64) as usize]
}

/// Position of a status in legends: the well-known ones first, in [`STATUS_COLORS`] order, then
/// the others by name.
pub fn legend_order(status: &str) -> (usize, String) {
    let key = status.trim().to_lowercase();
    let rank = STATUS_COLORS
        .iter()
        .position(|(s, _)| *s == key)
        .unwrap_or(STATUS_COLORS.len());
    (rank, key)
}

/// Properties that the export sets itself; CSV columns with these names are renamed `csv:NAME`.
const RESERVED: [&str; 2] = ["kind", "marker-color"];

/// One incident row with usable coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// 1-based CSV line of the row.
    pub line: u64,
    /// The row's own fields, in column order, under their (de-duplicated) column names.
    pub fields: Vec<(String, String)>,
    /// The row's tags, when the file was tagged.
    pub tags: Option<TagRecord<'static>>,
}

impl Incident {
    /// The status the row was tagged with (empty when untagged).
    pub fn status(&self) -> &str {
        self.tags.as_ref().map_or("", |t| &t.status)
    }
}

/// The rows of an incident CSV, tagged (as `borderline tag` writes it) or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incidents {
    /// Property names of the row's own columns, de-duplicated (`status`, `status_2`, ...).
    pub columns: Vec<String>,
    /// The tag columns' names, when the file was tagged.
    pub tag_columns: Option<TagColumns>,
    /// The usable rows.
    pub rows: Vec<Incident>,
    /// Rows skipped because their `tag_error` column is not empty.
    pub skipped_tag_error: usize,
    /// Rows skipped because their coordinates are missing, unparsable or out of range.
    pub skipped_coordinates: usize,
}

impl Incidents {
    /// Reads an incident CSV (or workbook, as `input` says) from a file (`-`: standard input),
    /// finding the latitude and longitude columns as `tag` does (`choice` overrides).
    pub fn read(path: &Path, input: &InputOptions, choice: &ColumnChoice) -> Result<Incidents> {
        Self::from_file(path, TaggedFile::read_path(path, input, false)?, choice)
    }

    /// Parses an incident CSV held in `text`.
    ///
    /// ```
    /// use borderline::export::Incidents;
    /// let text = "id,Latitude,LNG\na,40.0,70.5\nb,,70.5\n";
    /// let incidents = Incidents::from_text("in.csv".as_ref(), text, &Default::default()).unwrap();
    /// assert_eq!(incidents.rows.len(), 1);
    /// assert_eq!(incidents.skipped_coordinates, 1);
    /// ```
    pub fn from_text(path: &Path, text: &str, choice: &ColumnChoice) -> Result<Incidents> {
        Self::from_file(
            path,
            TaggedFile::read(path, text.as_bytes(), &InputOptions::default(), false)?,
            choice,
        )
    }

    /// The usable rows of `file`: rows with a `tag_error` or unusable coordinates are skipped
    /// and counted.
    pub fn from_file(path: &Path, file: TaggedFile, choice: &ColumnChoice) -> Result<Incidents> {
        let lat_lon = ColumnChoice {
            date: None,
            precision: None,
            ..choice.clone()
        };
        let columns = detect_columns(path, &file.header, &lat_lon)?;
        let mut names: Vec<String> = Vec::new();
        for h in &file.header {
            let base = if RESERVED.contains(&h.as_str()) {
                format!("csv:{h}")
            } else {
                h.clone()
            };
            let mut name = base.clone();
            let mut n = 1;
            while names.contains(&name) {
                n += 1;
                name = format!("{base}_{n}");
            }
            names.push(name);
        }
        let delimiter = file.delimiter;
        let mut out = Incidents {
            columns: names,
            tag_columns: file.tag_columns,
            ..Incidents::default()
        };
        for row in file.rows {
            if row.tags.as_ref().is_some_and(|t| t.tag_error.is_some()) {
                out.skipped_tag_error += 1;
                continue;
            }
            let get = |i: usize| row.fields.get(i).map_or("", String::as_str);
            let (Some(lat), Some(lon)) = (
                parse_degrees(get(columns.lat), 90.0, delimiter),
                parse_degrees(get(columns.lon), 180.0, delimiter),
            ) else {
                out.skipped_coordinates += 1;
                continue;
            };
            let fields = out
                .columns
                .iter()
                .enumerate()
                .map(|(i, name)| (name.clone(), get(i).to_string()))
                .collect();
            out.rows.push(Incident {
                lon,
                lat,
                line: row.line,
                fields,
                tags: row.tags,
            });
        }
        Ok(out)
    }

    /// Rows skipped for any reason.
    pub fn skipped(&self) -> usize {
        self.skipped_tag_error + self.skipped_coordinates
    }
}

fn parse_degrees(text: &str, limit: f64, delimiter: Delimiter) -> Option<f64> {
    parse_decimal(text, delimiter).filter(|v| v.is_finite() && v.abs() <= limit)
}

/// The tag columns of a record as typed JSON properties (numbers as numbers, empty as null).
fn tag_properties(record: &TagRecord, columns: &TagColumns) -> Vec<(String, Value)> {
    let text = |t: &str| Value::from(t);
    let number = |v: Option<f64>, decimals: usize| {
        v.map_or(Value::Null, |v| json!(round(v, decimals as u32)))
    };
    let values = [
        text(&record.segment_id),
        text(&record.border),
        text(&record.line),
        text(&record.status),
        text(&record.status_basis),
        record
            .status_since
            .map_or(Value::Null, |d| d.to_string().into()),
        number(record.distance_m, DISTANCE_DECIMALS),
        number(record.chainage_km, CHAINAGE_DECIMALS),
        number(record.border_lon, DEGREE_DECIMALS),
        number(record.border_lat, DEGREE_DECIMALS),
        text(&record.side),
        text(&record.enclave),
        text(&record.nearest_enclave),
        number(record.enclave_distance_m, DISTANCE_DECIMALS),
        text(&record.warning_text()),
        text(record.tag_error.as_deref().unwrap_or("")),
    ];
    columns.names().into_iter().zip(values).collect()
}

/// What to export and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The date whose statuses colour the segments.
    pub date: Date,
    /// Decimal places of coordinates.
    pub precision: u32,
    /// Whether to add a line from each incident to its nearest border point.
    pub links: bool,
}

impl Options {
    /// Statuses on `date`, [`DEFAULT_PRECISION`], no links.
    pub fn new(date: Date) -> Self {
        Options {
            date,
            precision: DEFAULT_PRECISION,
            links: false,
        }
    }
}

/// The FeatureCollection of `border` (and `incidents`, if given) as a JSON value: enclaves
/// first, then segments, links and incidents, so that viewers draw points on top.
pub fn feature_collection(
    border: &Border,
    incidents: Option<&Incidents>,
    options: &Options,
) -> Value {
    let p = options.precision;
    let mut features = Vec::new();
    let mut extents: Vec<Option<Rect>> = Vec::new();

    for enclave in &border.enclaves {
        let mut props = Map::new();
        props.insert("kind".into(), "enclave".into());
        props.insert("name".into(), enclave.name.clone().into());
        props.insert("country".into(), enclave.country.clone().into());
        props.insert("area_km2".into(), json!(round(enclave.area_km2, 3)));
        props.insert("fill".into(), ENCLAVE_FILL.into());
        props.insert("fill-opacity".into(), json!(0.45));
        props.insert("stroke".into(), ENCLAVE_STROKE.into());
        props.insert("stroke-width".into(), json!(1));
        props.insert("stroke-opacity".into(), json!(0.8));
        extents.push(extent_of(enclave.polygon.exterior()));
        features.push(feature(polygon(&enclave.polygon, p), props));
    }

    for segment in &border.segments {
        let period = segment.period_at(options.date);
        let status = segment.status_at(options.date);
        let mut props = Map::new();
        props.insert("kind".into(), "segment".into());
        props.insert("id".into(), segment.id.clone().into());
        let line = border.lines.get(segment.line);
        props.insert("line".into(), line.map_or("", |l| l.id.as_str()).into());
        props.insert(
            "border".into(),
            line.map_or("", |l| l.border.as_str()).into(),
        );
        props.insert("status".into(), status.into());
        props.insert("from_km".into(), json!(round(segment.from_km, 3)));
        props.insert("to_km".into(), json!(round(segment.to_km, 3)));
        props.insert("length_km".into(), json!(round(segment.length_km(), 3)));
        props.insert("basis".into(), period.map_or("", |p| &p.basis).into());
        props.insert("source".into(), period.map_or("", |p| &p.source).into());
        props.insert(
            "since".into(),
            period
                .and_then(|p| p.from)
                .map_or(Value::Null, |d| d.to_string().into()),
        );
        props.insert("stroke".into(), status_color(status).into());
        props.insert("stroke-width".into(), json!(SEGMENT_WIDTH));
        props.insert("stroke-opacity".into(), json!(0.9));
        extents.push(extent_of(&segment.geometry));
        features.push(feature(line_string(&segment.geometry, p), props));
    }

    if let Some(incidents) = incidents {
        if options.links && !border.segments.is_empty() {
            // A tagged row carries its nearest border point; an untagged one is measured as
            // `tag` would, so links always agree with distance_m.
            let tagger = Tagger::new(border.clone());
            for incident in &incidents.rows {
                let tagged = incident.tags.as_ref().and_then(|t| {
                    Some((
                        t.segment_id.to_string(),
                        t.distance_m?,
                        [t.border_lon?, t.border_lat?],
                    ))
                });
                let Some((segment_id, distance_m, [x, y])) = tagged.or_else(|| {
                    let point = SurfacePoint::new(incident.lon, incident.lat);
                    tagger.nearest_segment(&point, f64::INFINITY).map(|hit| {
                        (
                            border.segments[hit.segment].id.clone(),
                            hit.distance_m,
                            hit.foot,
                        )
                    })
                }) else {
                    continue;
                };
                let link = LineString::new(vec![
                    Coord {
                        x: incident.lon,
                        y: incident.lat,
                    },
                    Coord { x, y },
                ]);
                let mut props = Map::new();
                props.insert("kind".into(), "link".into());
                props.insert("segment_id".into(), segment_id.into());
                props.insert("distance_m".into(), json!(round(distance_m, 1)));
                props.insert("stroke".into(), "#555555".into());
                props.insert("stroke-width".into(), json!(1));
                props.insert("stroke-opacity".into(), json!(0.7));
                extents.push(extent_of(&link));
                features.push(feature(line_string(&link, p), props));
            }
        }
        for incident in &incidents.rows {
            let mut props = Map::new();
            props.insert("kind".into(), "incident".into());
            for (name, value) in &incident.fields {
                props.insert(name.clone(), value.clone().into());
            }
            if let (Some(tags), Some(columns)) = (&incident.tags, &incidents.tag_columns) {
                for (name, value) in tag_properties(tags, columns) {
                    props.insert(name, value);
                }
            }
            props.insert(
                "marker-color".into(),
                status_color(incident.status()).into(),
            );
            props.insert("marker-size".into(), "small".into());
            let c = Coord {
                x: incident.lon,
                y: incident.lat,
            };
            extents.push(Some(Rect::new(c, c)));
            let geometry = json!({"type": "Point", "coordinates": [round(c.x, p), round(c.y, p)]});
            features.push(feature(geometry, props));
        }
    }

    collection(features, union_extent(extents), p)
}
