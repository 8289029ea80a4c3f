//! Rendering results for people and programs: aligned tables, CSV and JSON, written the same
//! way by every front end (the command line, the Python package).

use std::fmt::Write as _;

use serde_json::Value;

/// How a result is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people, with notes below.
    Table,
    /// One JSON document, notes included.
    Json,
    /// Comma-separated values with a header; notes are given apart (on stderr).
    Csv,
}

/// A result rendered: the document, and the notes that go with it (already inside a table or
/// JSON document; to be shown apart, e.g. on stderr, with CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The document.
    pub text: String,
    /// Footnotes (without the leading `* `).
    pub notes: Vec<String>,
}

/// A table: a header and rows of cells, some columns text (left-aligned), the others numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows of cells, as wide as `headers`.
    pub rows: Vec<Vec<String>>,
    /// Columns that hold text (left-aligned); the others are right-aligned.
    pub text_columns: Vec<String>,
}

impl Table {
    /// A table with these column names.
    pub fn new(headers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            ..Table::default()
        }
    }

    /// Marks these columns as text.
    pub fn text(mut self, columns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.text_columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// Aligned columns, two spaces apart, without trailing spaces.
    ///
    /// ```
    /// use borderline::render::Table;
    /// let mut t = Table::new(["status", "km"]).text(["status"]);
    /// t.rows.push(vec!["delimited".into(), "528.7".into()]);
    /// assert_eq!(t.aligned(), "status        km\ndelimited  528.7\n");
    /// ```
    pub fn aligned(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([self.headers[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = " ".repeat(widths[i] - cell.chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                if self.text_columns.contains(&self.headers[i]) {
                    line.push_str(cell);
                    line.push_str(&pad);
                } else {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }

    /// The table as CSV with a header row.
    ///
    /// ```
    /// use borderline::render::Table;
    /// let mut t = Table::new(["status", "note"]);
    /// t.rows.push(vec!["delimited".into(), "a, b".into()]);
    /// assert_eq!(t.csv(), "status,note\ndelimited,\"a, b\"\n");
    /// ```
    pub fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row);
        }
        String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
    }
}

/// `n` and the word, in the plural unless `n` is 1: `1 row`, `2 rows`, `0 errors`.
///
/// ```
/// assert_eq!(borderline::render::plural(1, "day"), "1 day");
/// assert_eq!(borderline::render::plural(0, "error"), "0 errors");
/// ```
pub fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Notes as a table's footer: one `* note` line each.
pub fn footer(notes: &[String]) -> String {
    notes.iter().map(|n| format!("* {n}\n")).collect()
}

/// A JSON document as text: pretty-printed, with a final newline.
pub fn json_text(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc)
        .unwrap_or_else(|e| unreachable!("a JSON value always serialises: {e}"));
    text.push('\n');
    text
}

/// `x` rounded to `decimals` decimal places, as JSON outputs give numbers.
pub fn round(x: f64, decimals: u32) -> f64 {
    crate::geojson_out::round(x, decimals)
}
