//! CSV text as typed JSON values, so that GIS tools (QGIS, kepler.gl) read a column of numbers
//! as numbers and not as text.
//!
//! A column is numeric when every non-empty cell in it is a plain decimal number (JSON's number
//! syntax, at most 15 significant digits, so the value is exactly the text) — then its cells are
//! JSON numbers and its empty cells `null`. Any other column stays text, cell for cell: a
//! column with one `1–2` in it, or an identifier like `007`, is not turned into numbers.
//!
//! ```
//! use borderline::typed::{Column, column_types};
//! let rows = vec![vec!["0".to_string(), "007".into()], vec!["".into(), "12".into()]];
//! let types = column_types(2, rows.iter().map(|r| r.as_slice()));
//! assert_eq!(types, [Column::Number, Column::Text]);
//! assert_eq!(types[0].value("0"), serde_json::json!(0));
//! assert_eq!(types[0].value(""), serde_json::Value::Null);
//! assert_eq!(types[1].value("007"), serde_json::json!("007"));
//! ```

use serde_json::{Number, Value};

/// How a column's cells are written as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Every non-empty cell is a number: numbers, and `null` for empty cells.
    Number,
    /// Text, as read.
    Text,
}

impl Column {
    /// The JSON value of one cell of a column of this type.
    pub fn value(self, cell: &str) -> Value {
        match self {
            Column::Text => Value::from(cell),
            Column::Number => number(cell).map_or_else(
                || {
                    if cell.trim().is_empty() {
                        Value::Null
                    } else {
                        Value::from(cell)
                    }
                },
                Value::Number,
            ),
        }
    }
}

/// The number a cell writes exactly: JSON number syntax (optional `-`, no leading zeros, an
/// optional fraction and exponent; surrounding spaces allowed), at most 15 significant digits.
///
/// ```
/// use borderline::typed::number;
/// assert_eq!(number(" 39.87438 ").unwrap().as_f64(), Some(39.87438));
/// assert!(number("-0.5e3").is_some());
/// for text in ["007", "1–2", "1,5", "+1", ".5", "1.", "NaN", "inf", "", "1234567890123456"] {
///     assert!(number(text).is_none(), "{text}");
/// }
/// ```
pub fn number(cell: &str) -> Option<Number> {
    let text = cell.trim();
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let int_digits = digits(&mut i);
    if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
        return None;
    }
    let mut significant = text[int_start..i].trim_start_matches('0').len();
    let mut fraction = "";
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        if digits(&mut i) == 0 {
            return None;
        }
        fraction = &text[start..i];
    }
    significant += if significant == 0 {
        fraction.trim_start_matches('0').len()
    } else {
        fraction.len()
    };
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() || significant > 15 {
        return None;
    }
    if fraction.is_empty()
        && !text.contains(['e', 'E'])
        && let Ok(n) = text.parse::<i64>()
    {
        return Some(Number::from(n));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// The type of each of `width` columns over `rows` (a row shorter than `width` has empty cells
/// at its end).
pub fn column_types<'a>(width: usize, rows: impl IntoIterator<Item = &'a [String]>) -> Vec<Column> {
    let mut numeric = vec![true; width];
    let mut seen = vec![false; width];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(width) {
            if cell.trim().is_empty() {
                continue;
            }
            seen[i] = true;
            if numeric[i] && number(cell).is_none() {
                numeric[i] = false;
            }
        }
    }
    numeric
        .into_iter()
        .zip(seen)
        .map(|(n, s)| if n && s { Column::Number } else { Column::Text })
        .collect()
}
