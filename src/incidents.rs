//! The incidents `export`, `map` and `report --svg` draw: the rows of an incident CSV, tagged
//! (as `borderline tag` writes it) or not, with usable coordinates, each with its own fields in
//! column order, its date range and its tags.
//!
//! ```
//! use borderline::incidents::Incidents;
//! let text = "id,date,Latitude,LNG,deaths\na,2022-09-16,40.0,70.5,3\nb,2022-09,,70.5,\n";
//! let incidents = Incidents::from_text("in.csv".as_ref(), text, &Default::default(), None).unwrap();
//! assert_eq!(incidents.rows.len(), 1);
//! assert_eq!(incidents.skipped_coordinates, 1);
//! assert_eq!(incidents.id_column, Some(0));
//! assert_eq!(incidents.rows[0].date.unwrap().start.to_string(), "2022-09-16");
//! assert_eq!(incidents.rows[0].value(&incidents, 4), serde_json::json!(3));
//! ```

use std::path::Path;

use serde_json::Value;

use crate::date::{DateOrder, DateParser, DateRange};
use crate::error::{Error, Position, Result};
use crate::input::{
    ColumnChoice, Delimiter, ID_NAMES, InputOptions, PLACE_NAMES, detect_columns, first_column,
    parse_decimal,
};
use crate::tag::{TagColumns, TagRecord, TaggedFile};
use crate::typed::{Column, column_types};

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
    /// The row's own fields, in column order (names in [`Incidents::columns`]).
    pub fields: Vec<String>,
    /// The days its date covers; `None`: no date column, or the cell is empty or unreadable.
    pub date: Option<DateRange>,
    /// The row's tags, when the file was tagged.
    pub tags: Option<TagRecord<'static>>,
}

impl Incident {
    /// The status the row was tagged with (empty when untagged).
    pub fn status(&self) -> &str {
        self.tags.as_ref().map_or("", |t| &t.status)
    }

    /// Whether the row was tagged but left without a segment: beyond the tagger's maximum
    /// distance from every line.
    pub fn beyond_max_distance(&self) -> bool {
        self.tags.as_ref().is_some_and(|t| !t.has_segment())
    }

    /// Whether the row carries a `tag_warning`.
    pub fn warned(&self) -> bool {
        self.tags
            .as_ref()
            .is_some_and(|t| !t.tag_warning.is_empty())
    }

    /// The field of column `i` as a typed JSON value ([`crate::typed`]).
    pub fn value(&self, incidents: &Incidents, i: usize) -> Value {
        let cell = self.fields.get(i).map_or("", String::as_str);
        incidents
            .types
            .get(i)
            .copied()
            .unwrap_or(Column::Text)
            .value(cell)
    }
}

/// The usable rows of an incident CSV.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incidents {
    /// Property names of the row's own columns, de-duplicated (`status`, `status_2`, ...), with
    /// `RESERVED` names written `csv:NAME`.
    pub columns: Vec<String>,
    /// How each column is written as JSON (numbers where every cell is one).
    pub types: Vec<Column>,
    /// The tag columns' names, when the file was tagged.
    pub tag_columns: Option<TagColumns>,
    /// The column with each row's identifier, if one is recognised ([`ID_NAMES`]).
    pub id_column: Option<usize>,
    /// The date column, if any (found as `tag` finds it, or named).
    pub date_column: Option<usize>,
    /// The column naming each row's place, if one is recognised ([`PLACE_NAMES`]).
    pub place_column: Option<usize>,
    /// The usable rows.
    pub rows: Vec<Incident>,
    /// Rows skipped because their `tag_error` column is not empty.
    pub skipped_tag_error: usize,
    /// Rows skipped because their coordinates are missing, unparsable or out of range.
    pub skipped_coordinates: usize,
}

impl Incidents {
    /// Reads an incident CSV (or workbook, as `input` says) from a file (`-`: standard input),
    /// finding the latitude, longitude and date columns as `tag` does (`choice` overrides;
    /// `order` gives the day/month order of numeric dates, else it is inferred from the whole
    /// column).
    pub fn read(
        path: &Path,
        input: &InputOptions,
        choice: &ColumnChoice,
        order: Option<DateOrder>,
    ) -> Result<Self> {
        Self::from_file(
            path,
            TaggedFile::read_path(path, input, false)?,
            choice,
            order,
        )
    }

    /// Parses an incident CSV held in `text` (see [`Incidents::read`]).
    pub fn from_text(
        path: &Path,
        text: &str,
        choice: &ColumnChoice,
        order: Option<DateOrder>,
    ) -> Result<Self> {
        let file = TaggedFile::read(path, text.as_bytes(), &InputOptions::default(), false)?;
        Self::from_file(path, file, choice, order)
    }

    /// The usable rows of `file`: rows with a `tag_error` or unusable coordinates are skipped
    /// and counted.
    pub fn from_file(
        path: &Path,
        file: TaggedFile,
        choice: &ColumnChoice,
        order: Option<DateOrder>,
    ) -> Result<Self> {
        let found = detect_columns(
            path,
            &file.header,
            &ColumnChoice {
                precision: None,
                ..choice.clone()
            },
        )?;
        let dates = match found.date {
            None => None,
            Some(date) => Some(date_parser(path, &file, date, order)?),
        };
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
            id_column: first_column(&file.header, &ID_NAMES),
            date_column: found.date,
            place_column: first_column(&file.header, &PLACE_NAMES),
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
                parse_degrees(get(found.lat), 90.0, delimiter),
                parse_degrees(get(found.lon), 180.0, delimiter),
            ) else {
                out.skipped_coordinates += 1;
                continue;
            };
            let date = match (found.date, &dates) {
                (Some(i), Some(parser)) => parser.parse(get(i)).ok(),
                _ => None,
            };
            let mut fields = row.fields;
            fields.resize(out.columns.len(), String::new());
            out.rows.push(Incident {
                lon,
                lat,
                line: row.line,
                fields,
                date,
                tags: row.tags,
            });
        }
        out.types = column_types(
            out.columns.len(),
            out.rows.iter().map(|r| r.fields.as_slice()),
        );
        Ok(out)
    }

    /// Rows skipped for any reason.
    pub fn skipped(&self) -> usize {
        self.skipped_tag_error + self.skipped_coordinates
    }

    /// The statuses the rows were tagged with (for a palette).
    pub fn statuses(&self) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .map(Incident::status)
            .filter(|s| !s.is_empty())
    }
}

/// The parser of the date column `date` of `file`, its day/month order given or inferred from
/// the whole column (an ambiguous column is an error that says how to give the order).
pub(crate) fn date_parser(
    path: &Path,
    file: &TaggedFile,
    date: usize,
    order: Option<DateOrder>,
) -> Result<DateParser> {
    let order = match order {
        Some(order) => Some(order),
        None => DateOrder::infer(file.rows.iter().map(|r| {
            (
                format_args!("line {}", r.line).to_string(),
                r.fields.get(date).map_or("", String::as_str),
            )
        }))
        .map_err(|problem| {
            Error::input(
                path,
                Position::File,
                format!(
                    "date column {:?}: {problem}; give the order with {} (dmy or mdy)",
                    file.header[date],
                    crate::setting::Setting::DateOrder.mention()
                ),
            )
        })?,
    };
    Ok(DateParser::new(order))
}

/// Degrees in `-limit..=limit` (a decimal comma where the fields are not comma-separated), or
/// `None`.
pub(crate) fn parse_degrees(text: &str, limit: f64, delimiter: Delimiter) -> Option<f64> {
    parse_decimal(text, delimiter).filter(|v| v.is_finite() && v.abs() <= limit)
}
