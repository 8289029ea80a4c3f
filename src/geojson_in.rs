//! Reading GeoJSON into `geo` geometries, with every coordinate checked.

use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeometryValue, JsonObject, Position as GjPosition};

use crate::error::{Error, Position, Result};

/// Largest GeoJSON text borderline reads (bytes, 256 MiB). A bigger file is refused before
/// parsing.
pub const MAX_GEOJSON_BYTES: u64 = 256 << 20;

/// Most JSON arrays (so most coordinate positions) a GeoJSON text may hold: 10 million. A text
/// with more is refused before parsing, which keeps memory bounded (about 2 GB at the limit:
/// some 200 bytes per position while a border is built).
pub const MAX_ARRAYS: usize = 10_000_000;

/// Reads a GeoJSON FeatureCollection from `path` (`-` is standard input).
pub fn read_features(path: &Path) -> Result<Vec<Feature>> {
    let text = crate::io::read_to_string(path, MAX_GEOJSON_BYTES)?;
    parse_features(path, &text)
}

/// Parses GeoJSON text that must be a FeatureCollection; `path` is used in messages only.
pub fn parse_features(path: &Path, text: &str) -> Result<Vec<Feature>> {
    let whole = |message: String| Error::input(path, Position::File, message);
    if text.trim().is_empty() {
        return Err(whole(
            "empty file (expected a GeoJSON FeatureCollection)".into(),
        ));
    }
    let arrays = count_arrays(text);
    if arrays > MAX_ARRAYS {
        return Err(whole(format!(
            "too many coordinates: {arrays} JSON arrays, more than the limit of {MAX_ARRAYS} \
             (simplify the geometry first)"
        )));
    }
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(
            path,
            Position::Line(e.line() as u64),
            format!("invalid JSON: {e}"),
        )
    })?;
    let kind = value.get("type").and_then(|t| t.as_str()).unwrap_or("");
    if kind != "FeatureCollection" {
        let found = if kind.is_empty() {
            "JSON without a GeoJSON \"type\"".to_string()
        } else {
            format!("a {kind}")
        };
        return Err(whole(format!(
            "expected a GeoJSON FeatureCollection, found {found}"
        )));
    }
    // Parse feature by feature so that an error names the feature that has it.
    // Taken, not cloned: each feature's JSON is freed as soon as it is converted.
    let Some(serde_json::Value::Array(features)) =
        value.get_mut("features").map(serde_json::Value::take)
    else {
        return Err(whole(
            "FeatureCollection without a \"features\" array".into(),
        ));
    };
    features
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            serde_json::from_value::<Feature>(f).map_err(|e| {
                Error::input(
                    path,
                    Position::Feature(i),
                    format!("not a GeoJSON Feature: {e}"),
                )
            })
        })
        .collect()
}

/// A feature's position in its file, to build messages.
#[derive(Debug, Clone, Copy)]
pub struct FeatureAt<'a> {
    /// The file.
    pub path: &'a Path,
    /// The feature's 0-based index.
    pub index: usize,
}

impl FeatureAt<'_> {
    /// An input error at this feature.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::input(self.path, Position::Feature(self.index), message)
    }

    /// A string (or number) property, if present.
    pub fn text_property(&self, properties: Option<&JsonObject>, key: &str) -> Option<String> {
        match properties?.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A required string property.
    pub fn required_text(&self, properties: Option<&JsonObject>, key: &str) -> Result<String> {
        self.text_property(properties, key)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| self.error(format!("missing property {key:?}")))
    }

    fn coord(&self, p: &GjPosition) -> Result<Coord> {
        let s = p.as_slice();
        if s.len() < 2 {
            return Err(self.error("a position has fewer than 2 numbers"));
        }
        let (lon, lat) = (s[0], s[1]);
        if !lon.is_finite() || !lat.is_finite() {
            return Err(self.error(format!(
                "coordinate [{}, {}] is not finite",
                short(lon),
                short(lat)
            )));
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            let hint = if lat.abs() > 90.0 && lon.abs() <= 90.0 {
                "; are latitude and longitude swapped?"
            } else {
                ""
            };
            return Err(self.error(format!(
                "coordinate [{}, {}] is out of range (expected [longitude, latitude] in degrees){hint}",
                short(lon),
                short(lat)
            )));
        }
        Ok(Coord { x: lon, y: lat })
    }

    /// A LineString of at least two distinct positions.
    pub fn line_string(&self, positions: &[GjPosition]) -> Result<LineString> {
        let mut coords: Vec<Coord> = positions
            .iter()
            .map(|p| self.coord(p))
            .collect::<Result<_>>()?;
        coords.dedup();
        if coords.len() < 2 {
            return Err(self.error("a line needs at least two distinct positions"));
        }
        Ok(LineString::new(coords))
    }

    fn ring(&self, positions: &[GjPosition]) -> Result<LineString> {
        let ring = self.line_string(positions)?;
        if ring.0.len() < 4 || !ring.is_closed() {
            return Err(self.error(
                "a polygon ring needs at least four positions, the last equal to the first",
            ));
        }
        Ok(ring)
    }

    fn polygon(&self, rings: &[Vec<GjPosition>]) -> Result<Polygon> {
        let mut rings = rings.iter().map(|r| self.ring(r));
        let exterior = rings
            .next()
            .ok_or_else(|| self.error("a polygon without rings"))??;
        Ok(Polygon::new(exterior, rings.collect::<Result<_>>()?))
    }

    /// The geometry of a Polygon or MultiPolygon feature.
    pub fn multi_polygon(&self, feature: &Feature) -> Result<MultiPolygon> {
        match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Polygon { coordinates }) => {
                Ok(MultiPolygon::new(vec![self.polygon(coordinates)?]))
            }
            Some(GeometryValue::MultiPolygon { coordinates }) => {
                if coordinates.is_empty() {
                    return Err(self.error("empty MultiPolygon"));
                }
                Ok(MultiPolygon::new(
                    coordinates
                        .iter()
                        .map(|p| self.polygon(p))
                        .collect::<Result<_>>()?,
                ))
            }
            other => Err(self.error(format!(
                "expected a Polygon or MultiPolygon, found {}",
                type_name(other)
            ))),
        }
    }

    /// The geometry of a LineString feature.
    pub fn line_string_geometry(&self, feature: &Feature) -> Result<LineString> {
        match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => self.line_string(coordinates),
            other => Err(self.error(format!("expected a LineString, found {}", type_name(other)))),
        }
    }
}

/// A number for a message: in scientific notation when huge (`1e308`, not 309 digits).
fn short(v: f64) -> String {
    if v.abs() < 1e9 {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// The number of `[` outside JSON strings: an upper bound on the positions a GeoJSON holds.
fn count_arrays(text: &str) -> usize {
    let (mut count, mut in_string, mut escaped) = (0, false, false);
    for &b in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'[' {
            count += 1;
        }
    }
    count
}

fn type_name(value: Option<&GeometryValue>) -> &'static str {
    value.map_or("no geometry (null)", |v| v.type_name())
}
