//! Writing RFC 7946 GeoJSON: `[lon, lat]` positions rounded to a fixed number of decimals,
//! polygons wound counter-clockwise (holes clockwise), a `bbox` on the collection.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect, Winding};
use serde_json::{Map, Value, json};

/// Decimal places of written coordinates by default (~0.1 m).
pub const DEFAULT_PRECISION: u32 = 6;

/// Rounds `value` to `precision` decimals.
pub fn round(value: f64, precision: u32) -> f64 {
    let scale = 10f64.powi(precision as i32);
    (value * scale).round() / scale
}

fn position(c: Coord, precision: u32) -> Value {
    json!([round(c.x, precision), round(c.y, precision)])
}

fn positions(line: &LineString, precision: u32) -> Value {
    Value::Array(line.0.iter().map(|c| position(*c, precision)).collect())
}

/// A LineString geometry.
pub fn line_string(line: &LineString, precision: u32) -> Value {
    json!({"type": "LineString", "coordinates": positions(line, precision)})
}

/// A ring rounded to `precision` and then wound as asked (counter-clockwise for `ccw`), or
/// `None` when rounding leaves it without area (a ring smaller than the precision).
fn rounded_ring(ring: &LineString, precision: u32, ccw: bool) -> Option<LineString> {
    let mut rounded = LineString::new(
        ring.0
            .iter()
            .map(|c| Coord {
                x: round(c.x, precision),
                y: round(c.y, precision),
            })
            .collect(),
    );
    rounded.0.dedup();
    let twice_area: f64 = rounded
        .0
        .windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum();
    if rounded.0.len() < 4 || twice_area == 0.0 {
        return None;
    }
    if ccw {
        rounded.make_ccw_winding();
    } else {
        rounded.make_cw_winding();
    }
    Some(rounded)
}

/// The rings of a polygon as written (rounded, then wound: exterior counter-clockwise, holes
/// clockwise; holes without area at this precision left out), or `None` when the exterior has
/// no area at this precision.
fn rings(polygon: &Polygon, precision: u32) -> Option<Value> {
    let exterior = rounded_ring(polygon.exterior(), precision, true)?;
    let mut out = vec![positions(&exterior, precision)];
    for hole in polygon.interiors() {
        if let Some(hole) = rounded_ring(hole, precision, false) {
            out.push(positions(&hole, precision));
        }
    }
    Some(Value::Array(out))
}

/// A Polygon geometry (exterior counter-clockwise, holes clockwise, wound after rounding so that
/// rounding cannot turn a ring; a polygon smaller than the precision is written as it is).
pub fn polygon(polygon: &Polygon, precision: u32) -> Value {
    let coordinates = rings(polygon, precision).unwrap_or_else(|| {
        let rings: Vec<Value> = std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(|r| positions(r, precision))
            .collect();
        Value::Array(rings)
    });
    json!({"type": "Polygon", "coordinates": coordinates})
}

/// A MultiPolygon geometry (exteriors counter-clockwise, holes clockwise; parts smaller than
/// the precision left out).
pub fn multi_polygon(shape: &MultiPolygon, precision: u32) -> Value {
    let polygons: Vec<Value> = shape.0.iter().filter_map(|p| rings(p, precision)).collect();
    json!({"type": "MultiPolygon", "coordinates": polygons})
}

/// A Feature with `geometry` and `properties`.
pub fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

/// A FeatureCollection with a `bbox` covering `extent` (if any).
pub fn collection(features: Vec<Value>, extent: Option<Rect>, precision: u32) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), "FeatureCollection".into());
    if let Some(r) = extent {
        let (min, max) = (r.min(), r.max());
        out.insert(
            "bbox".into(),
            json!([
                round(min.x, precision),
                round(min.y, precision),
                round(max.x, precision),
                round(max.y, precision)
            ]),
        );
    }
    out.insert("features".into(), Value::Array(features));
    Value::Object(out)
}

/// Writes a FeatureCollection feature by feature, so that a big one never exists whole in
/// memory: `type`, then `bbox` (covering `extent`, if any), then `members` in their order, then
/// `features`.
///
/// ```
/// use serde_json::{Map, json};
/// let feature = borderline::geojson_out::feature(json!(null), Map::new());
/// let mut out = Vec::new();
/// borderline::geojson_out::write_collection(&mut out, None, &[("name", json!("x"))], [feature], 6).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with(r#"{"type":"FeatureCollection","name":"x","features":["#));
/// ```
pub fn write_collection(
    mut out: impl std::io::Write,
    extent: Option<Rect>,
    members: &[(&str, Value)],
    features: impl IntoIterator<Item = Value>,
    precision: u32,
) -> std::io::Result<()> {
    out.write_all(br#"{"type":"FeatureCollection""#)?;
    let bbox = extent.map(|r| {
        json!([
            round(r.min().x, precision),
            round(r.min().y, precision),
            round(r.max().x, precision),
            round(r.max().y, precision)
        ])
    });
    for (key, value) in bbox
        .iter()
        .map(|b| ("bbox", b))
        .chain(members.iter().map(|(k, v)| (*k, v)))
    {
        write!(out, ",{}:", Value::from(key))?;
        serde_json::to_writer(&mut out, value)?;
    }
    out.write_all(br#","features":["#)?;
    for (i, feature) in features.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        } else {
            out.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"]}\n")
}

/// The smallest rectangle covering every rectangle given.
pub fn union_extent(rects: impl IntoIterator<Item = Option<Rect>>) -> Option<Rect> {
    rects.into_iter().flatten().reduce(|a, b| {
        Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    })
}

/// The bounding rectangle of a line.
pub fn extent_of(line: &LineString) -> Option<Rect> {
    line.bounding_rect()
}

/// Feature properties in the order given (a `serde_json::Map` would sort them by name), so an
/// incident's properties keep its CSV's column order.
///
/// ```
/// use borderline::geojson_out::Properties;
/// let mut p = Properties::default();
/// p.insert("zeta", 1);
/// p.insert("alpha", "a");
/// assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"zeta":1,"alpha":"a"}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties(pub Vec<(String, Value)>);

impl Properties {
    /// Sets `key` (in place if present, else at the end).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl serde::Serialize for Properties {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A Feature whose properties keep their order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Feature {
    #[serde(rename = "type")]
    kind: &'static str,
    /// The geometry (as [`line_string`], [`polygon`]… write it).
    pub geometry: Value,
    /// Its properties, in order.
    pub properties: Properties,
}

impl Feature {
    /// A Feature of `geometry` with `properties`.
    pub fn new(geometry: Value, properties: Properties) -> Feature {
        Feature {
            kind: "Feature",
            geometry,
            properties,
        }
    }
}

/// A FeatureCollection: `type`, `bbox`, the other top-level `members` in order, `features`.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// `[west, south, east, north]`; west > east when it crosses the antimeridian.
    pub bbox: Option<[f64; 4]>,
    /// Other top-level members (`attribution`, …), in order.
    pub members: Properties,
    /// The features, in drawing order.
    pub features: Vec<Feature>,
}

impl serde::Serialize for Collection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", "FeatureCollection")?;
        if let Some(bbox) = &self.bbox {
            map.serialize_entry("bbox", bbox)?;
        }
        for (k, v) in &self.members.0 {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("features", &self.features)?;
        map.end()
    }
}

/// The extent of a set of positions on the globe, safe across the antimeridian: its longitudes
/// are the shortest arc that holds them all (RFC 7946 §5.2: west > east when that arc crosses
/// 180°).
///
/// ```
/// use borderline::geojson_out::Extent;
/// let mut e = Extent::default();
/// for (lon, lat) in [(179.5, -16.0), (-179.0, -17.0), (178.0, -18.5)] {
///     e.add(lon, lat);
/// }
/// assert_eq!(e.bbox(), Some([178.0, -18.5, -179.0, -16.0]));
/// assert_eq!(e.central_meridian(), Some(179.5));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extent {
    lons: Vec<f64>,
    south: f64,
    north: f64,
}

impl Extent {
    /// Adds a position.
    pub fn add(&mut self, lon: f64, lat: f64) {
        if !(lon.is_finite() && lat.is_finite()) {
            return;
        }
        if self.lons.is_empty() {
            (self.south, self.north) = (lat, lat);
        }
        self.south = self.south.min(lat);
        self.north = self.north.max(lat);
        self.lons.push(lon);
    }

    /// Adds every position of a line.
    pub fn add_line(&mut self, line: &LineString) {
        for c in &line.0 {
            self.add(c.x, c.y);
        }
    }

    /// `(west, east)`: the shortest arc of longitudes holding every position, from west
    /// eastwards (west > east when it crosses the antimeridian).
    pub fn lon_range(&self) -> Option<(f64, f64)> {
        let mut lons: Vec<f64> = self
            .lons
            .iter()
            .map(|l| if *l == 180.0 { -180.0 } else { *l })
            .collect();
        lons.sort_by(f64::total_cmp);
        lons.dedup();
        let (first, last) = (*lons.first()?, *lons.last()?);
        // The widest empty gap between neighbours (the last one wraps around 180°) is where the
        // extent does not go.
        let mut gap = (first + 360.0 - last, last, first);
        for w in lons.windows(2) {
            if w[1] - w[0] > gap.0 {
                gap = (w[1] - w[0], w[0], w[1]);
            }
        }
        let (west, east) = (gap.2, gap.1);
        // Keep the plain form where it is plain: -180..180 rather than 180..180 crossed.
        Some(if west <= east {
            (west, east)
        } else if east == -180.0 {
            (west, 180.0)
        } else {
            (west, east)
        })
    }

    /// `[west, south, east, north]`, or `None` when empty.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let (west, east) = self.lon_range()?;
        Some([west, self.south, east, self.north])
    }

    /// The longitude in the middle of [`Extent::lon_range`], in -180..180.
    pub fn central_meridian(&self) -> Option<f64> {
        let (west, east) = self.lon_range()?;
        let width = (east - west).rem_euclid(360.0);
        Some(wrap_lon(west + width / 2.0))
    }

    /// South and north latitudes.
    pub fn lat_range(&self) -> Option<(f64, f64)> {
        (!self.lons.is_empty()).then_some((self.south, self.north))
    }
}

/// `lon` brought into -180..180.
pub fn wrap_lon(lon: f64) -> f64 {
    let w = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if w == -180.0 && lon > 0.0 { 180.0 } else { w }
}

/// A bbox rounded to `precision` decimals.
pub fn round_bbox(bbox: [f64; 4], precision: u32) -> [f64; 4] {
    bbox.map(|v| round(v, precision))
}
