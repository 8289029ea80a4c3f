//! Reading GeoJSON into `geo` geometries, with every coordinate checked.

use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeometryValue, JsonObject, Position as GjPosition};

use crate::error::{Error, Position, Result};

/// Largest GeoJSON text borderline reads (bytes, 256 MiB). A bigger file is refused before
/// parsing.
pub const MAX_GEOJSON_BYTES: u64 = 256 << 20;

/// Most JSON arrays (so most coordinate positions) a GeoJSON text may hold: 16 million. A text
/// with more is refused before parsing, which keeps memory bounded: features are read one at a
/// time, so loading costs about 70 bytes per position (a border set derived from the whole
/// world file of the bundled source, 10 million arrays, loads in 0.7 GB; the world file itself,
/// 9.2 million, is derived in 1.2 GB).
pub const MAX_ARRAYS: usize = 16_000_000;

/// Reads a GeoJSON FeatureCollection from `path` (`-` is standard input).
pub fn read_features(path: &Path) -> Result<Vec<Feature>> {
    let text = crate::io::read_to_string(path, MAX_GEOJSON_BYTES)?;
    parse_features(path, &text)
}

/// Parses GeoJSON text that must be a FeatureCollection; `path` is used in messages only.
///
/// ```
/// use std::path::Path;
/// let text = r#"{"type": "FeatureCollection", "features": [
///     {"type": "Feature", "properties": {"id": "M"},
///      "geometry": {"type": "LineString", "coordinates": [[70, 39], [70, 40]]}}]}"#;
/// let features = borderline::geojson_in::parse_features(Path::new("m.geojson"), text).unwrap();
/// assert_eq!(features.len(), 1);
/// ```
pub fn parse_features(path: &Path, text: &str) -> Result<Vec<Feature>> {
    let mut features = Vec::new();
    parse_collection(path, text, |_, feature| {
        features.push(feature);
        Ok(())
    })?;
    Ok(features)
}

/// Reads a GeoJSON FeatureCollection from `path` feature by feature (see [`parse_collection`]).
pub fn read_collection(
    path: &Path,
    each: impl FnMut(FeatureAt, Feature) -> Result<()>,
) -> Result<JsonObject> {
    let text = crate::io::read_to_string(path, MAX_GEOJSON_BYTES)?;
    parse_collection(path, &text, each)
}

/// Parses a GeoJSON FeatureCollection, handing each feature to `each` as soon as it is read,
/// and returns the collection's other top-level members (`attribution`, `bbox`, …).
///
/// Only one feature's JSON is held at a time, so the memory needed is that of the text, the
/// largest feature and whatever `each` keeps. The first error wins: a JSON syntax error (named
/// by its line), else a collection that is not a FeatureCollection, else the first feature
/// that is not a GeoJSON Feature or that `each` refuses.
pub fn parse_collection(
    path: &Path,
    text: &str,
    mut each: impl FnMut(FeatureAt, Feature) -> Result<()>,
) -> Result<JsonObject> {
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
    let invalid = |e: serde_json::Error| {
        Error::input(
            path,
            Position::Line(e.line() as u64),
            format!("invalid JSON: {e}"),
        )
    };
    let mut reading = Reading {
        path,
        each: &mut each,
        first_error: None,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let top = serde::Deserializer::deserialize_any(&mut deserializer, TopLevel(&mut reading))
        .map_err(invalid)?;
    deserializer.end().map_err(invalid)?;
    let kind = top.kind.as_deref().unwrap_or("");
    if kind != "FeatureCollection" {
        let found = match &top.kind {
            None => "JSON without a GeoJSON \"type\"".to_string(),
            Some(kind) => format!("a {kind}"),
        };
        return Err(whole(format!(
            "expected a GeoJSON FeatureCollection, found {found}"
        )));
    }
    if !top.has_features {
        return Err(whole(
            "FeatureCollection without a \"features\" array".into(),
        ));
    }
    match reading.first_error {
        Some(e) => Err(e),
        None => Ok(top.members),
    }
}

/// Visitor methods for JSON scalars (strings, numbers, booleans, null), all answering `$value`:
/// a scalar where an object or array belongs is not an error of syntax but of shape.
macro_rules! scalars_are {
    ($value:expr) => {
        fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// The state of a collection being read: where features go, and the first error met.
struct Reading<'a, F> {
    path: &'a Path,
    each: &'a mut F,
    first_error: Option<Error>,
}

/// What the top level of a GeoJSON text held, besides the features handed on.
#[derive(Default)]
struct Top {
    /// The `type` member, if it is a string.
    kind: Option<String>,
    has_features: bool,
    members: JsonObject,
}

/// Visits the top-level JSON value (an object, if it is GeoJSON).
struct TopLevel<'r, 'a, F>(&'r mut Reading<'a, F>);

impl<'de, F: FnMut(FeatureAt, Feature) -> Result<()>> serde::de::Visitor<'de>
    for TopLevel<'_, '_, F>
{
    type Value = Top;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Top, A::Error> {
        let mut top = Top::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    top.kind = match map.next_value::<serde_json::Value>()? {
                        serde_json::Value::String(s) => Some(s),
                        _ => None,
                    }
                }
                "features" => {
                    top.has_features = map.next_value_seed(FeatureArray(&mut *self.0))?;
                }
                _ => {
                    let value = map.next_value::<serde_json::Value>()?;
                    top.members.insert(key, value);
                }
            }
        }
        Ok(top)
    }

    // Any other JSON value is read to its end (so that a syntax error is still reported as
    // one, and nesting deeper than serde_json's recursion limit too), then found not to be
    // GeoJSON.
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Top, A::Error> {
        while seq.next_element::<serde_json::Value>()?.is_some() {}
        Ok(Top::default())
    }

    scalars_are!(Top::default());
}

/// Reads the `features` member: `true` if it is an array, whose features are handed on one
/// at a time.
struct FeatureArray<'r, 'a, F>(&'r mut Reading<'a, F>);

impl<'de, F: FnMut(FeatureAt, Feature) -> Result<()>> serde::de::DeserializeSeed<'de>
    for FeatureArray<'_, '_, F>
{
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnMut(FeatureAt, Feature) -> Result<()>> serde::de::Visitor<'de>
    for FeatureArray<'_, '_, F>
{
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<bool, A::Error> {
        let reading = self.0;
        let mut index = 0;
        // Each feature's JSON is parsed on its own and dropped once converted; after an error
        // the rest is only checked for syntax.
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            if reading.first_error.is_none() {
                let at = FeatureAt {
                    path: reading.path,
                    index,
                };
                let outcome = serde_json::from_value::<Feature>(value)
                    .map_err(|e| at.error(format!("not a GeoJSON Feature: {e}")))
                    .and_then(|feature| (reading.each)(at, feature));
                if let Err(e) = outcome {
                    reading.first_error = Some(e);
                }
            }
            index += 1;
        }
        Ok(true)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<bool, A::Error> {
        use serde_json::Value;
        while map.next_entry::<String, Value>()?.is_some() {}
        Ok(false)
    }

    scalars_are!(false);
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

    /// A required string property. When it is missing, the message lists the properties the
    /// feature has, and names the one that differs only in case (property names are
    /// case-sensitive: `--key ISO_A3` does not find `iso_a3`).
    ///
    /// ```
    /// use borderline::geojson_in::FeatureAt;
    /// let props = serde_json::json!({"ISO_A3": "KGZ", "NAME": "Kyrgyzstan"});
    /// let at = FeatureAt { path: "countries.geojson".as_ref(), index: 3 };
    /// let e = at.required_text(props.as_object(), "iso_a3").unwrap_err().to_string();
    /// assert_eq!(e, "countries.geojson:feature 3: missing property \"iso_a3\"; the feature has \
    ///     \"ISO_A3\", \"NAME\" (names are case-sensitive: did you mean \"ISO_A3\"?)");
    /// ```
    pub fn required_text(&self, properties: Option<&JsonObject>, key: &str) -> Result<String> {
        self.text_property(properties, key)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                let found: Vec<&String> = properties.into_iter().flat_map(|p| p.keys()).collect();
                let mut message = if properties.is_some_and(|p| p.contains_key(key)) {
                    format!("property {key:?} is empty or not text")
                } else if found.is_empty() {
                    format!("missing property {key:?}; the feature has no properties")
                } else {
                    const SHOWN: usize = 20;
                    let mut listed: Vec<String> =
                        found.iter().take(SHOWN).map(|k| format!("{k:?}")).collect();
                    if found.len() > SHOWN {
                        listed.push(format!("… ({} in all)", found.len()));
                    }
                    format!(
                        "missing property {key:?}; the feature has {}",
                        listed.join(", ")
                    )
                };
                if let Some(near) = found
                    .iter()
                    .find(|k| k.as_str() != key && k.eq_ignore_ascii_case(key))
                {
                    message.push_str(&format!(
                        " (names are case-sensitive: did you mean {near:?}?)"
                    ));
                }
                self.error(message)
            })
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
