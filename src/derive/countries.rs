//! Step 1 of deriving: the countries of a GeoJSON file, its features grouped by country key.

use std::path::{Path, PathBuf};

use geo::Polygon;
use geojson::Feature;

use crate::error::{Error, Position, Result};
use crate::geojson_in::{FeatureAt, read_collection};

/// One country of the file: every polygon of every feature with its key.
#[derive(Debug, Clone)]
pub(super) struct Territory {
    pub key: String,
    /// The `name` property of its first feature, or the key.
    pub name: String,
    pub polygons: Vec<Polygon>,
}

/// The countries of a GeoJSON FeatureCollection of (Multi)Polygons, keyed by a property.
///
/// ```
/// use std::path::Path;
/// use borderline::derive::Countries;
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/source/osm-countries-kg-tj-uz.geojson"));
/// let countries = Countries::read(path, "iso_a3").unwrap();
/// assert_eq!(countries.keys().collect::<Vec<_>>(), ["UZB", "KGZ", "TJK"]);
/// ```
#[derive(Debug, Clone)]
pub struct Countries {
    path: PathBuf,
    key: String,
    pub(super) territories: Vec<Territory>,
    /// The file's top-level `attribution` and `license` members.
    credits: Vec<(&'static str, String)>,
}

impl Countries {
    /// Reads the countries of the GeoJSON file at `path` (`-` is standard input), each feature
    /// keyed by its property `key`; features with the same key make one country.
    pub fn read(path: &Path, key: &str) -> Result<Countries> {
        let mut countries = Countries::empty(path, key);
        let members = read_collection(path, |at, feature| countries.add(at, &feature))?;
        countries.credits = CREDITS
            .into_iter()
            .filter_map(|member| match members.get(member)? {
                serde_json::Value::String(s) if !s.trim().is_empty() => Some((member, s.clone())),
                _ => None,
            })
            .collect();
        Ok(countries)
    }

    /// The countries of features already read (see [`Countries::read`]).
    pub fn from_features(path: &Path, features: &[Feature], key: &str) -> Result<Countries> {
        let mut countries = Countries::empty(path, key);
        for (index, feature) in features.iter().enumerate() {
            countries.add(FeatureAt { path, index }, feature)?;
        }
        Ok(countries)
    }

    fn empty(path: &Path, key: &str) -> Countries {
        Countries {
            path: path.to_path_buf(),
            key: key.to_string(),
            territories: Vec::new(),
            credits: Vec::new(),
        }
    }

    fn add(&mut self, at: FeatureAt, feature: &Feature) -> Result<()> {
        let props = feature.properties.as_ref();
        let key = at.required_text(props, &self.key)?;
        let shape = at.multi_polygon(feature)?;
        match self.territories.iter_mut().find(|t| t.key == key) {
            Some(t) => t.polygons.extend(shape.0),
            None => {
                let name = at
                    .text_property(props, "name")
                    .unwrap_or_else(|| key.clone());
                self.territories.push(Territory {
                    key,
                    name,
                    polygons: shape.0,
                })
            }
        }
        Ok(())
    }

    /// The country keys, in the order of their first feature.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.territories.iter().map(|t| t.key.as_str())
    }

    /// The file the countries come from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The property that holds the country key.
    pub fn key_property(&self) -> &str {
        &self.key
    }

    /// The file's top-level credit `member` (`attribution` or `license`), if it has one.
    pub fn credit(&self, member: &str) -> Option<&str> {
        self.credits
            .iter()
            .find(|(m, _)| *m == member)
            .map(|(_, text)| text.as_str())
    }

    /// The index of the country keyed `key`, or an error listing the keys there are.
    pub(super) fn find(&self, key: &str) -> Result<usize> {
        self.territories
            .iter()
            .position(|t| t.key == key)
            .ok_or_else(|| {
                let keys: Vec<&str> = self.keys().collect();
                Error::input(
                    &self.path,
                    Position::File,
                    format!(
                        "no feature with {} = {key:?} (found: {})",
                        self.key,
                        keys.join(", ")
                    ),
                )
            })
    }
}

/// The top-level members a derived border passes on from its source.
const CREDITS: [&str; 2] = ["attribution", "license"];
