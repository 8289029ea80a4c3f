//! Reading a border GeoJSON: its `line`, `enclave` and `country` features, before statuses are
//! attached.

use std::path::Path;

use geo::Polygon;
use geojson::Feature;

use super::model::{BorderLine, Country, Enclave, Period};
use crate::error::{Error, Position, Result};
use crate::geodesy::{area_km2, geodesic_length_m};
use crate::geojson_in::FeatureAt;

/// What a border GeoJSON holds before statuses are attached.
pub(super) struct Parts {
    /// The countries' names joined (`Kyrgyzstan–Tajikistan`), or `border`.
    pub name: String,
    pub lines: Vec<BorderLine>,
    /// Status fixed by a feature's own `status` property (pre-segmented input), per line.
    pub fixed: Vec<Option<Period>>,
    pub enclaves: Vec<Enclave>,
    pub countries: Vec<Country>,
}

/// The parts of a border GeoJSON's features (`path` names the file in messages).
pub(super) fn parts(path: &Path, features: &[Feature]) -> Result<Parts> {
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
