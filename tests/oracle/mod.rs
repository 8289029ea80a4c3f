//! An independent reading of a border for the picture tests: line lengths measured with
//! geographiclib-rs from a parse of the GeoJSON, and statuses from a plain parse of the status
//! CSV with the documented rule (at a date, a stretch has the status of the latest row that has
//! taken effect and covers it; before any, `unknown`). Nothing here calls borderline.

#![allow(dead_code)] // each test file uses part of it

use std::collections::BTreeMap;
use std::path::Path;

use geographiclib_rs::{Geodesic, InverseGeodesic};
use serde_json::Value;

/// A border line as the GeoJSON has it.
pub struct Line {
    pub id: String,
    pub length_km: f64,
    /// `a` and `a_name`, `b` and `b_name`.
    pub countries: Vec<(String, String)>,
}

/// The lines of a border GeoJSON, each measured on WGS84.
pub fn lines(path: &Path) -> Vec<Line> {
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let g = Geodesic::wgs84();
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .map(|f| {
            let coords: Vec<(f64, f64)> = f["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                .collect();
            let metres: f64 = coords
                .windows(2)
                .map(|w| {
                    let s: f64 = g.inverse(w[0].1, w[0].0, w[1].1, w[1].0);
                    s
                })
                .sum();
            let p = &f["properties"];
            let text = |k: &str| p[k].as_str().unwrap_or("").to_string();
            Line {
                id: text("id"),
                length_km: metres / 1000.0,
                countries: vec![(text("a"), text("a_name")), (text("b"), text("b_name"))],
            }
        })
        .collect()
}

/// One status row.
pub struct Row {
    pub line: String,
    pub from_km: f64,
    /// `None`: `end`.
    pub to_km: Option<f64>,
    pub status: String,
    /// ISO date (compared as text, which orders ISO dates).
    pub from: String,
    pub basis: String,
}

/// The rows of a status CSV.
pub fn status_rows(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            Row {
                line: r["line"].clone(),
                from_km: r["from_km"].parse().unwrap(),
                to_km: r["to_km"].parse().ok(),
                status: r["status"].clone(),
                from: r["effective_from"].clone(),
                basis: r["basis"].clone(),
            }
        })
        .collect()
}

/// The row in force at `km` along `line` on `date` (ISO), if any.
pub fn row_at<'a>(rows: &'a [Row], line: &Line, km: f64, date: &str) -> Option<&'a Row> {
    rows.iter()
        .filter(|r| r.line == line.id && r.from.as_str() <= date)
        .filter(|r| r.from_km <= km && km <= r.to_km.unwrap_or(line.length_km))
        .max_by(|a, b| a.from.cmp(&b.from))
}

/// Km per status on `date`, over every line.
pub fn km_by_status(lines: &[Line], rows: &[Row], date: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for line in lines {
        let mut cuts: Vec<f64> = vec![0.0, line.length_km];
        for r in rows.iter().filter(|r| r.line == line.id) {
            cuts.push(r.from_km.min(line.length_km));
            cuts.push(r.to_km.unwrap_or(line.length_km).min(line.length_km));
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        for w in cuts.windows(2) {
            let status = row_at(rows, line, (w[0] + w[1]) / 2.0, date)
                .map_or("unknown", |r| r.status.as_str());
            *out.entry(status.to_string()).or_insert(0.0) += w[1] - w[0];
        }
    }
    out
}
