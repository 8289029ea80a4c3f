//! The `share` result as a table, CSV or JSON, the same for every front end.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::border::Border;
use crate::date::Date;
use crate::render::{Format, Rendered, Table, footer, json_text, round};
use crate::share::{Share, history, share_at, share_by_border, share_by_line};

/// The footnote given whenever a modelled status contributes.
pub const MODELLED_NOTE: &str = "Some statuses are modelled, not sourced (basis=modelled; see the data's README): treat km and shares as estimates.";

/// How the figures are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ShareBy {
    /// One block per border line.
    Line,
    /// One block per pair of countries (a line's `border`).
    Border,
}

/// What `share` answers: the figures of a border at a date (whole or broken down), or at every
/// change of its status history.
///
/// ```
/// use borderline::{Border, ShareReport};
/// use borderline::render::Format;
/// let border = Border::embedded();
/// let report = ShareReport::at(&border, "2022-10-07".parse().unwrap(), None);
/// let json = report.to_json();
/// assert_eq!(json["as_of"], "2022-10-07");
/// assert!(json["modelled"].as_bool().unwrap());
/// let table = report.render(Format::Table).text;
/// assert!(table.starts_with("Kyrgyzstan–Tajikistan border as of 2022-10-07"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ShareReport {
    /// The border's name.
    pub border: String,
    /// Its total length, km.
    pub total_km: f64,
    /// The date asked about (`None`: the history).
    pub as_of: Option<Date>,
    /// The breakdown, if any.
    pub by: Option<ShareBy>,
    /// The figures: one per group (named) or per date (unnamed).
    pub tables: Vec<(Option<String>, Share)>,
    /// The lines no status row covers (their status is `unknown` at every date), with their
    /// lengths in km.
    pub without_status: Vec<(String, f64)>,
    /// How many lines the border has.
    pub lines: usize,
}

impl ShareReport {
    /// The figures on `date`, whole or broken down `by` line or border.
    pub fn at(border: &Border, date: Date, by: Option<ShareBy>) -> Self {
        let tables = match by {
            None => vec![(None, share_at(border, date))],
            Some(ShareBy::Line) => share_by_line(border, date)
                .into_iter()
                .map(|(l, s)| (Some(l), s))
                .collect(),
            Some(ShareBy::Border) => share_by_border(border, date)
                .into_iter()
                .map(|(b, s)| (Some(b), s))
                .collect(),
        };
        ShareReport {
            as_of: Some(date),
            by,
            tables,
            ..ShareReport::of(border)
        }
    }

    /// The figures at every date on which some status changes.
    pub fn history(border: &Border) -> Self {
        ShareReport {
            tables: history(border).into_iter().map(|s| (None, s)).collect(),
            ..ShareReport::of(border)
        }
    }

    /// What every report of `border` says, with no figures yet.
    fn of(border: &Border) -> Self {
        ShareReport {
            border: border.name.clone(),
            total_km: border.total_km(),
            as_of: None,
            by: None,
            tables: Vec::new(),
            without_status: border
                .lines_without_status()
                .iter()
                .map(|l| (l.id.clone(), l.length_km))
                .collect(),
            lines: border.lines.len(),
        }
    }

    /// Whether a modelled status contributes to any figure.
    pub fn modelled(&self) -> bool {
        self.tables.iter().any(|(_, s)| s.has_modelled())
    }

    /// The footnotes: modelled statuses, lines without a status history.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.modelled() {
            notes.push(MODELLED_NOTE.to_string());
        }
        if !self.without_status.is_empty() {
            const SHOWN: usize = 6;
            let mut ids: Vec<&str> = self
                .without_status
                .iter()
                .take(SHOWN)
                .map(|(id, _)| id.as_str())
                .collect();
            if self.without_status.len() > SHOWN {
                ids.push("…");
            }
            let km: f64 = self.without_status.iter().map(|(_, km)| km).sum();
            notes.push(format!(
                "No status history for {} of {} lines ({}; {km:.1} km): their status is unknown at every date (give --status to cover them).",
                self.without_status.len(),
                self.lines,
                ids.join(", ")
            ));
        }
        notes
    }

    fn group_key(&self) -> &'static str {
        match self.by {
            Some(ShareBy::Border) => "border",
            _ => "line",
        }
    }

    /// The JSON document of `borderline share --format json`.
    pub fn to_json(&self) -> Value {
        let mut doc = match (self.as_of, self.by) {
            (None, _) => json!({
                "border": self.border,
                "history": self.tables.iter().map(|(_, s)| share_json(s)).collect::<Vec<_>>(),
            }),
            (Some(date), Some(by)) => {
                let key = self.group_key();
                let groups: Vec<Value> = self
                    .tables
                    .iter()
                    .map(|(name, s)| {
                        let mut v = share_json(s);
                        v[key] = json!(name);
                        v
                    })
                    .collect();
                let plural = match by {
                    ShareBy::Line => "lines",
                    ShareBy::Border => "borders",
                };
                let mut doc = json!({
                    "border": self.border,
                    "as_of": date.to_string(),
                    "total_km": round(self.total_km, 3),
                });
                doc[plural] = json!(groups);
                doc
            }
            (Some(_), None) => {
                let mut v = share_json(&self.tables[0].1);
                v["border"] = json!(self.border);
                v
            }
        };
        doc["modelled"] = json!(self.modelled());
        if self.modelled() {
            doc["note"] = json!(MODELLED_NOTE);
        }
        let ids: Vec<&str> = self
            .without_status
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        doc["lines_without_status"] = json!(ids);
        doc
    }

    /// The rows of `--format csv`: one per status (and group or date).
    pub fn csv_table(&self) -> Table {
        let mut headers = vec!["as_of"];
        if self.by.is_some() {
            headers.push(self.group_key());
        }
        headers.extend(["status", "km", "share", "segments", "modelled_km"]);
        let mut table = Table::new(headers);
        for (group, s) in &self.tables {
            for (name, st) in &s.statuses {
                let mut row = vec![s.as_of.clone()];
                row.extend(group.clone());
                row.extend([
                    name.clone(),
                    format!("{:.3}", st.km),
                    format!("{:.6}", st.share),
                    st.segments.to_string(),
                    format!("{:.3}", st.modelled_km),
                ]);
                table.rows.push(row);
            }
        }
        table
    }

    /// The table of `--format table`, with its title line.
    pub fn aligned(&self) -> String {
        let Some(date) = self.as_of else {
            let names: BTreeSet<&String> = self
                .tables
                .iter()
                .flat_map(|(_, s)| s.statuses.keys())
                .collect();
            let mut headers = vec!["date".to_string()];
            for n in &names {
                headers.push(format!("{n} km"));
                headers.push(format!("{n} %"));
            }
            let mut table = Table::new(headers).text(["date"]);
            for (_, s) in &self.tables {
                let mut row = vec![s.as_of.clone()];
                for n in &names {
                    let st = s.statuses.get(*n);
                    row.push(format!("{:.1}", st.map_or(0.0, |x| x.km)));
                    row.push(format!("{:.1}%", st.map_or(0.0, |x| 100.0 * x.share)));
                }
                table.rows.push(row);
            }
            return format!(
                "{} border: share per status at every change of the status history\n{}",
                self.border,
                table.aligned()
            );
        };
        let mut headers = Vec::new();
        if self.by.is_some() {
            headers.push(self.group_key());
        }
        headers.extend(["status", "km", "share", "segments"]);
        let mut table = Table::new(headers).text([self.group_key(), "status"]);
        for (group, s) in &self.tables {
            for (name, st) in &s.statuses {
                let mut row: Vec<String> = group.iter().cloned().collect();
                row.extend([
                    name.clone(),
                    format!("{:.1}", st.km),
                    format!("{:.1}%", 100.0 * st.share),
                    st.segments.to_string(),
                ]);
                table.rows.push(row);
            }
        }
        format!(
            "{} border as of {date}: {:.1} km\n{}",
            self.border,
            self.total_km,
            table.aligned()
        )
    }

    /// The result in `format`.
    pub fn render(&self, format: Format) -> Rendered {
        let notes = self.notes();
        let text = match format {
            Format::Json => json_text(&self.to_json()),
            Format::Csv => self.csv_table().csv(),
            Format::Table => format!("{}{}", self.aligned(), footer(&notes)),
        };
        Rendered { text, notes }
    }
}

/// One share as JSON, rounded as the command prints it.
fn share_json(s: &Share) -> Value {
    let statuses: serde_json::Map<String, Value> = s
        .statuses
        .iter()
        .map(|(name, st)| {
            (
                name.clone(),
                json!({"km": round(st.km, 3), "share": round(st.share, 6), "segments": st.segments, "modelled_km": round(st.modelled_km, 3)}),
            )
        })
        .collect();
    json!({"as_of": s.as_of, "total_km": round(s.total_km, 3), "statuses": statuses})
}
