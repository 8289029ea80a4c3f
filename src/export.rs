//! Building the RFC 7946 FeatureCollection that `borderline export` writes: countries, enclaves,
//! segments coloured by status, tagged incidents, links from each incident to its nearest border
//! point and place labels, all styled with the
//! [simplestyle spec](https://github.com/mapbox/simplestyle-spec) so that geojson.io, QGIS,
//! kepler.gl or a Leaflet page show them without manual work.
//!
//! The collection carries the border data's credit as a top-level `attribution` member, and the
//! date of its statuses as `as_of`; its `bbox` crosses the antimeridian (west > east) when the
//! data do. Incident and place properties keep their CSV's column order and are typed
//! ([`crate::typed`]: numbers as JSON numbers). Colours: [`crate::palette`].
//!
//! ```
//! use borderline::export::{Options, feature_collection};
//! let border = borderline::Border::embedded();
//! let options = Options::new("2022-10-07".parse().unwrap());
//! let fc = serde_json::to_value(feature_collection(&border, None, None, &options)).unwrap();
//! assert_eq!(fc["type"], "FeatureCollection");
//! assert_eq!(fc["attribution"], "© OpenStreetMap contributors, ODbL 1.0");
//! assert!(fc.get("crs").is_none());
//! ```

use geo::{Coord, LineString};
use serde_json::{Value, json};

use crate::border::Border;
use crate::date::Date;
use crate::geodesy::SurfacePoint;
use crate::geojson_out::{
    Collection, DEFAULT_PRECISION, Extent, Feature, Properties, line_string, multi_polygon,
    polygon, round, round_bbox,
};
use crate::palette::{CountryTones, INK, StatusPalette};
use crate::places::Places;
use crate::tag::{
    CHAINAGE_DECIMALS, DEGREE_DECIMALS, DISTANCE_DECIMALS, TagColumns, TagRecord, Tagger,
};

pub use crate::incidents::{Incident, Incidents};

/// Width of segment lines in pixels (simplestyle `stroke-width`).
pub const SEGMENT_WIDTH: f64 = 3.0;

/// The tag columns of a record as typed JSON properties (numbers as numbers, empty as null).
pub fn tag_properties(record: &TagRecord, columns: &TagColumns) -> Vec<(String, Value)> {
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
    /// The credit written as the collection's `attribution` (`None`: the border's own).
    pub attribution: Option<String>,
}

impl Options {
    /// Statuses on `date`, [`DEFAULT_PRECISION`], no links, the border's own attribution.
    pub fn new(date: Date) -> Self {
        Options {
            date,
            precision: DEFAULT_PRECISION,
            links: false,
            attribution: None,
        }
    }
}

/// The incident's nearest border point: its segment ID, distance (m) and `[lon, lat]` — as the
/// row's tags say, or measured as `tag` would for an untagged row.
pub fn nearest_point(tagger: &Tagger, incident: &Incident) -> Option<(String, f64, [f64; 2])> {
    let tagged = incident.tags.as_ref().and_then(|t| {
        Some((
            t.segment_id.to_string(),
            t.distance_m?,
            [t.border_lon?, t.border_lat?],
        ))
    });
    tagged.or_else(|| {
        let border = tagger.border();
        let point = SurfacePoint::new(incident.lon, incident.lat);
        tagger.nearest_segment(&point, f64::INFINITY).map(|hit| {
            (
                border.segments[hit.segment].id.clone(),
                hit.distance_m,
                hit.foot,
            )
        })
    })
}

/// The FeatureCollection of `border` (with `incidents` and `places`, if given): countries
/// first, then enclaves, segments, links, incidents and places, so that viewers draw points on
/// top.
pub fn feature_collection(
    border: &Border,
    incidents: Option<&Incidents>,
    places: Option<&Places>,
    options: &Options,
) -> Collection {
    let p = options.precision;
    let mut features = Vec::new();
    let mut extent = Extent::default();
    let palette =
        StatusPalette::of_border(border, incidents.into_iter().flat_map(|i| i.statuses()));
    let tones = CountryTones::of(border);

    for country in &border.countries {
        let mut props = Properties::default();
        props.insert("kind", "country");
        props.insert("key", country.key.as_str());
        props.insert("name", country.name.as_str());
        props.insert("fill", tones.tone(&country.key));
        props.insert("fill-opacity", 0.5);
        props.insert("stroke-width", 0);
        for polygon in &country.shape.0 {
            extent.add_line(polygon.exterior());
        }
        features.push(Feature::new(multi_polygon(&country.shape, p), props));
    }

    for enclave in &border.enclaves {
        let mut props = Properties::default();
        props.insert("kind", "enclave");
        props.insert("name", enclave.name.as_str());
        props.insert("country", enclave.country.as_str());
        props.insert("area_km2", round(enclave.area_km2, 3));
        props.insert("fill", tones.tone(&enclave.country));
        props.insert("fill-opacity", 0.9);
        props.insert("stroke", INK);
        props.insert("stroke-width", 1.5);
        props.insert("stroke-opacity", 0.9);
        extent.add_line(enclave.polygon.exterior());
        features.push(Feature::new(polygon(&enclave.polygon, p), props));
    }

    for segment in &border.segments {
        let period = segment.period_at(options.date);
        let status = segment.status_at(options.date);
        let line = &border.lines[segment.line];
        let mut props = Properties::default();
        props.insert("kind", "segment");
        props.insert("id", segment.id.as_str());
        props.insert("border", line.border.as_str());
        props.insert("line", line.id.as_str());
        props.insert("status", status);
        props.insert("from_km", round(segment.from_km, 3));
        props.insert("to_km", round(segment.to_km, 3));
        props.insert("length_km", round(segment.length_km(), 3));
        props.insert("basis", period.map_or("", |p| &p.basis));
        props.insert("source", period.map_or("", |p| &p.source));
        props.insert(
            "since",
            period
                .and_then(|p| p.from)
                .map_or(Value::Null, |d| d.to_string().into()),
        );
        props.insert("stroke", palette.color(status));
        props.insert("stroke-width", SEGMENT_WIDTH);
        props.insert("stroke-opacity", 0.9);
        extent.add_line(&segment.geometry);
        features.push(Feature::new(line_string(&segment.geometry, p), props));
    }

    if let Some(incidents) = incidents {
        if options.links && !border.segments.is_empty() {
            // A tagged row carries its nearest border point; an untagged one is measured as
            // `tag` would, so links always agree with distance_m.
            let tagger = Tagger::new(border.clone());
            for incident in &incidents.rows {
                let Some((segment_id, distance_m, [x, y])) = nearest_point(&tagger, incident)
                else {
                    continue;
                };
                let link = LineString::new(vec![
                    Coord {
                        x: incident.lon,
                        y: incident.lat,
                    },
                    Coord { x, y },
                ]);
                let mut props = Properties::default();
                props.insert("kind", "link");
                props.insert("segment_id", segment_id);
                props.insert("distance_m", round(distance_m, 1));
                props.insert("stroke", "#555555");
                props.insert("stroke-width", 1);
                props.insert("stroke-opacity", 0.7);
                extent.add_line(&link);
                features.push(Feature::new(line_string(&link, p), props));
            }
        }
        for incident in &incidents.rows {
            let mut props = Properties::default();
            props.insert("kind", "incident");
            for (i, name) in incidents.columns.iter().enumerate() {
                props.insert(name.as_str(), incident.value(incidents, i));
            }
            if let (Some(tags), Some(columns)) = (&incident.tags, &incidents.tag_columns) {
                for (name, value) in tag_properties(tags, columns) {
                    props.insert(name, value);
                }
            }
            props.insert("marker-color", palette.color(incident.status()));
            props.insert("marker-size", "small");
            extent.add(incident.lon, incident.lat);
            features.push(Feature::new(point(incident.lon, incident.lat, p), props));
        }
    }

    if let Some(places) = places {
        for place in &places.rows {
            let mut props = Properties::default();
            props.insert("kind", "place");
            for (i, name) in places.columns.iter().enumerate() {
                let value = places.types[i].value(&place.fields[i]);
                if name == "kind" {
                    props.insert("csv:kind", value);
                } else {
                    props.insert(name.as_str(), value);
                }
            }
            props.insert("title", place.name.as_str());
            props.insert("marker-color", INK);
            props.insert("marker-size", "small");
            props.insert("marker-symbol", "village");
            extent.add(place.lon, place.lat);
            features.push(Feature::new(point(place.lon, place.lat, p), props));
        }
    }

    let mut members = Properties::default();
    if let Some(credit) = options.attribution.as_ref().or(border.attribution.as_ref()) {
        members.insert("attribution", credit.as_str());
    }
    members.insert("as_of", options.date.to_string());
    Collection {
        bbox: extent.bbox().map(|b| round_bbox(b, p)),
        members,
        features,
    }
}

fn point(lon: f64, lat: f64, precision: u32) -> Value {
    json!({"type": "Point", "coordinates": [round(lon, precision), round(lat, precision)]})
}
