//! Place labels for maps: a CSV with a name, a latitude and a longitude per row (other columns
//! are kept and shown), such as the bundled `data/source/places.csv`.
//!
//! The name column is the first of [`PLACE_NAMES`] the header has (`name`, `place`, …); the
//! coordinate columns are found as `tag` finds them. A row without a name or with unusable
//! coordinates is an error naming its line: a label list is short and made by hand, and a
//! label silently missing from a map would mislead.
//!
//! ```
//! use borderline::places::Places;
//! let text = "name,lat,lon,kind\nVorukh,39.85125,70.58012,village\n";
//! let places = Places::from_text("places.csv".as_ref(), text).unwrap();
//! assert_eq!(places.rows[0].name, "Vorukh");
//! assert_eq!(places.columns, ["name", "lat", "lon", "kind"]);
//! ```

use std::path::Path;

use crate::error::{Error, Position, Result};
use crate::incidents::parse_degrees;
use crate::input::{ColumnChoice, InputOptions, PLACE_NAMES, detect_columns, first_column};
use crate::tag::TaggedFile;
use crate::typed::{Column, column_types};

/// One labelled place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its label.
    pub name: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// The row's fields, in column order.
    pub fields: Vec<String>,
}

/// The places of a CSV.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// The header's names.
    pub columns: Vec<String>,
    /// How each column is written as JSON.
    pub types: Vec<Column>,
    /// The name column.
    pub name_column: usize,
    /// Every row, in order.
    pub rows: Vec<Place>,
}

impl Places {
    /// Reads a place CSV (or workbook, as `input` says) from a file (`-`: standard input).
    pub fn read(path: &Path, input: &InputOptions) -> Result<Places> {
        Self::from_file(path, TaggedFile::read_path(path, input, false)?)
    }

    /// Parses a place CSV held in `text`.
    pub fn from_text(path: &Path, text: &str) -> Result<Places> {
        let file = TaggedFile::read(path, text.as_bytes(), &InputOptions::default(), false)?;
        Self::from_file(path, file)
    }

    fn from_file(path: &Path, file: TaggedFile) -> Result<Places> {
        let found = detect_columns(path, &file.header, &ColumnChoice::default())?;
        let name_column = first_column(&file.header, &PLACE_NAMES).ok_or_else(|| {
            Error::input(
                path,
                Position::Line(1),
                format!(
                    "no name column (looked for {}); the header has {:?}",
                    PLACE_NAMES.join(", "),
                    file.header
                ),
            )
        })?;
        let delimiter = file.delimiter;
        let mut rows = Vec::with_capacity(file.rows.len());
        for row in file.rows {
            let at = |m: String| Error::input(path, Position::Line(row.line), m);
            let cell = |i: usize| row.fields.get(i).map_or("", String::as_str);
            let name = cell(name_column).trim().to_string();
            if name.is_empty() {
                return Err(at(format!(
                    "empty place name (column {:?})",
                    file.header[name_column]
                )));
            }
            let (Some(lat), Some(lon)) = (
                parse_degrees(cell(found.lat), 90.0, delimiter),
                parse_degrees(cell(found.lon), 180.0, delimiter),
            ) else {
                return Err(at(format!(
                    "{name}: latitude {:?} or longitude {:?} is not a coordinate",
                    cell(found.lat),
                    cell(found.lon)
                )));
            };
            let mut fields = row.fields;
            fields.resize(file.header.len(), String::new());
            rows.push(Place {
                name,
                lon,
                lat,
                fields,
            });
        }
        let types = column_types(file.header.len(), rows.iter().map(|r| r.fields.as_slice()));
        Ok(Places {
            columns: file.header,
            types,
            name_column,
            rows,
        })
    }
}
