//! Where a CSV parser is within a row, byte by byte: enough to tell a line break that ends a
//! row from one inside a quoted field, without parsing fields.
//!
//! The rules are the `csv` crate's: `"` opens a quoted field only at the start of a field, a
//! doubled `""` inside quotes is a quote, CR or LF outside quotes ends a row.

/// The state of a row being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuotes,
    QuoteInQuotes,
}

/// Follows CSV bytes to tell where rows end.
///
/// ```
/// use borderline::input::lexer::CsvLexer;
/// let mut lexer = CsvLexer::new(b';');
/// let ends: Vec<bool> = b"a;\"b\nc\"\n".iter().map(|&b| lexer.ends_row(b)).collect();
/// // The line break inside the quoted field does not end the row; the last one does.
/// assert_eq!(ends.iter().filter(|&&e| e).count(), 1);
/// assert!(ends[7]);
/// ```
#[derive(Debug, Clone)]
pub struct CsvLexer {
    delimiter: u8,
    state: State,
}

impl CsvLexer {
    /// A lexer at the start of a row of fields separated by `delimiter`.
    pub fn new(delimiter: u8) -> Self {
        CsvLexer {
            delimiter,
            state: State::StartField,
        }
    }

    /// Takes the next byte; true when it ends a row (a CR or LF outside quotes).
    pub fn ends_row(&mut self, byte: u8) -> bool {
        use State::*;
        match (self.state, byte) {
            (InQuotes, b'"') => self.state = QuoteInQuotes,
            (InQuotes, _) => {}
            (_, b'\r' | b'\n') => {
                self.state = StartField;
                return true;
            }
            (_, b) if b == self.delimiter => self.state = StartField,
            (StartField | QuoteInQuotes, b'"') => self.state = InQuotes,
            _ => self.state = InField,
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::CsvLexer;

    fn row_ends(delimiter: u8, text: &[u8]) -> Vec<usize> {
        let mut lexer = CsvLexer::new(delimiter);
        (0..text.len())
            .filter(|&i| lexer.ends_row(text[i]))
            .collect()
    }

    #[test]
    fn quotes_open_only_at_the_start_of_a_field() {
        // After `;` a quote opens a field, so the CR inside it is data.
        assert_eq!(row_ends(b';', b"a;\"x\ry\"\rb"), vec![7]);
        // With `,` as the delimiter the same quote is inside the field `a;"x`.
        assert_eq!(row_ends(b',', b"a;\"x\ry\"\rb"), vec![4, 7]);
        // Doubled quotes stay inside the field; tab-separated.
        assert_eq!(row_ends(b'\t', b"\"a\"\"\n\"\tb\r\n"), vec![8, 9]);
    }
}
