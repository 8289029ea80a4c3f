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

fn rings(polygon: &Polygon, precision: u32) -> Value {
    let mut exterior = polygon.exterior().clone();
    exterior.make_ccw_winding();
    let mut out = vec![positions(&exterior, precision)];
    for hole in polygon.interiors() {
        let mut hole = hole.clone();
        hole.make_cw_winding();
        out.push(positions(&hole, precision));
    }
    Value::Array(out)
}

/// A Polygon geometry (exterior counter-clockwise, holes clockwise).
pub fn polygon(polygon: &Polygon, precision: u32) -> Value {
    json!({"type": "Polygon", "coordinates": rings(polygon, precision)})
}

/// A MultiPolygon geometry (exteriors counter-clockwise, holes clockwise).
pub fn multi_polygon(shape: &MultiPolygon, precision: u32) -> Value {
    let polygons: Vec<Value> = shape.0.iter().map(|p| rings(p, precision)).collect();
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
