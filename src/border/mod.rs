//! Borders: lines cut into segments with stable IDs, each with a status history, plus the
//! enclaves and country polygons that come with them — one pair of countries or a set of
//! pairs (each line says which pair it separates).
//!
//! - `model`: the types (lines, segments, periods, enclaves, countries);
//! - `decode`: reading a border GeoJSON;
//! - `segment`: cutting lines into segments at status breakpoints;
//! - here: [`Border`] and the border sets compiled into the binary ([`BUNDLED`]).
//!
//! Geodesic measures (lengths, areas, positions along a line) are in [`crate::geodesy`].

mod decode;
mod model;
mod segment;

use std::path::Path;

use crate::date::Date;
use crate::error::Result;
use crate::geojson_in::{parse_features, read_features};
use crate::status::StatusTable;

pub use decode::enclaves_from_features;
pub use model::{BorderLine, Country, Enclave, Period, Segment};
pub use segment::MAX_SEGMENT_KM;

/// A border: its lines, their segments, enclaves and (optionally) the countries.
#[derive(Debug, Clone, PartialEq)]
pub struct Border {
    /// Human-readable name, e.g. `Kyrgyzstan–Tajikistan`.
    pub name: String,
    /// The lines, in file order.
    pub lines: Vec<BorderLine>,
    /// The segments, line by line, each line's in order along it.
    pub segments: Vec<Segment>,
    /// The enclaves.
    pub enclaves: Vec<Enclave>,
    /// The countries' polygons, when the file has them.
    pub countries: Vec<Country>,
}

/// A border set compiled into the binary (see `data/README.md` for where each comes from).
#[derive(Debug, Clone, Copy)]
pub struct BundledSet {
    /// The name `--border` takes, e.g. `fergana`.
    pub name: &'static str,
    /// What it holds, in words.
    pub description: &'static str,
    geojson: &'static str,
    status: &'static str,
}

const KGZ_TJK_STATUS: &str = include_str!("../../data/kgz-tjk/status.csv");

/// The bundled border sets; the first is the default.
pub const BUNDLED: [BundledSet; 2] = [
    BundledSet {
        name: "kgz-tjk",
        description: "the Kyrgyz–Tajik border with its modelled status history",
        geojson: include_str!("../../data/kgz-tjk/border.geojson"),
        status: KGZ_TJK_STATUS,
    },
    BundledSet {
        name: "fergana",
        description: "every border of the Fergana Valley (Kyrgyzstan, Tajikistan, Uzbekistan), \
                      every enclave named; only the Kyrgyz–Tajik lines have a status history",
        geojson: include_str!("../../data/fergana/border.geojson"),
        status: KGZ_TJK_STATUS,
    },
];

impl BundledSet {
    /// The bundled set called `name`.
    ///
    /// ```
    /// let set = borderline::border::BundledSet::find("fergana").unwrap();
    /// let border = set.load(None).unwrap();
    /// assert_eq!(border.borders(), ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"]);
    /// ```
    pub fn find(name: &str) -> Option<&'static BundledSet> {
        BUNDLED.iter().find(|s| s.name == name)
    }

    /// Its border, with its own status history or, given `status`, the table in that file.
    pub fn load(&self, status: Option<&Path>) -> Result<Border> {
        let path = format!("<bundled {}>", self.name);
        let geojson_path = Path::new(&path).join("border.geojson");
        let parts = decode::parts(&geojson_path, &parse_features(&geojson_path, self.geojson)?)?;
        let table = match status {
            Some(path) => (path.to_path_buf(), read_status(path)?),
            None => {
                let status_path = Path::new(&path).join("status.csv");
                let table = StatusTable::from_reader(&status_path, self.status.as_bytes())?;
                (status_path, table)
            }
        };
        segment::assemble(parts, Some((&table.0, &table.1)))
    }
}

impl Border {
    /// The default bundled border (Kyrgyz–Tajik) with its modelled status history.
    pub fn embedded() -> Border {
        BUNDLED[0]
            .load(None)
            .unwrap_or_else(|e| unreachable!("the bundled data is checked by the tests: {e}"))
    }

    /// Loads a border from files; `None` for the border is the default bundled set, with its
    /// status history unless `status` names another. The status table is only read for lines
    /// that carry no `status` property of their own.
    pub fn load(border: Option<&Path>, status: Option<&Path>) -> Result<Border> {
        let Some(path) = border else {
            return BUNDLED[0].load(status);
        };
        let parts = decode::parts(path, &read_features(path)?)?;
        let table = status.map(|p| read_status(p).map(|t| (p, t))).transpose()?;
        segment::assemble(parts, table.as_ref().map(|(p, t)| (*p, t)))
    }

    /// Builds a border from GeoJSON text and an optional status CSV text.
    pub fn from_texts(path: &Path, geojson: &str, status: Option<(&Path, &str)>) -> Result<Border> {
        let parts = decode::parts(path, &parse_features(path, geojson)?)?;
        let table = status
            .map(|(p, text)| StatusTable::from_reader(p, text.as_bytes()).map(|t| (p, t)))
            .transpose()?;
        segment::assemble(parts, table.as_ref().map(|(p, t)| (*p, t)))
    }

    /// Total geodesic length of all lines in km.
    pub fn total_km(&self) -> f64 {
        self.lines.iter().map(|l| l.length_km).sum()
    }

    /// The country pairs of the lines (`A-B`), in order of first appearance.
    pub fn borders(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for line in &self.lines {
            if !out.contains(&line.border.as_str()) {
                out.push(&line.border);
            }
        }
        out
    }

    /// The lines no status row and no `status` property speak of: their status is always
    /// `unknown`.
    ///
    /// ```
    /// let fergana = borderline::border::BundledSet::find("fergana").unwrap().load(None).unwrap();
    /// let ids: Vec<&str> = fergana.lines_without_status().iter().map(|l| l.id.as_str()).collect();
    /// assert!(ids.contains(&"Sokh") && !ids.contains(&"Vorukh"));
    /// ```
    pub fn lines_without_status(&self) -> Vec<&BorderLine> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.segments
                    .iter()
                    .filter(|s| s.line == *i)
                    .all(|s| s.history.is_empty())
            })
            .map(|(_, l)| l)
            .collect()
    }

    /// The first day on which every segment with a status history has a recorded status (before
    /// it, some of them are `unknown`); `None` when no history starts on a date.
    ///
    /// ```
    /// let border = borderline::Border::embedded();
    /// assert_eq!(border.first_recorded_day().unwrap().to_string(), "2014-01-21");
    /// ```
    pub fn first_recorded_day(&self) -> Option<Date> {
        self.segments
            .iter()
            .filter_map(|s| s.history.first())
            .filter_map(|p| p.from)
            .max()
    }

    /// Every date on which some segment's status changes, ascending.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut dates: Vec<Date> = self
            .segments
            .iter()
            .flat_map(|s| s.history.iter().filter_map(|p| p.from))
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

fn read_status(path: &Path) -> Result<StatusTable> {
    let text = crate::io::read_to_string(path, crate::status::MAX_STATUS_BYTES)?;
    StatusTable::from_reader(path, text.as_bytes())
}
