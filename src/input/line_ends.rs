//! Files whose lines end in CR: a bare CR (classic Mac OS, Excel for Mac's "CSV (Macintosh)")
//! or CRLF (Windows).
//!
//! The `csv` crate reads such rows correctly but counts lines by LF only, and at a CRLF it
//! counts the LF as part of the next row: every error in a CR file would say "line 1", and in a
//! CRLF file one line too early. [`LineEnds`] turns each line end outside quotes (CR, LF or
//! CRLF) into one LF before the parser sees it; the parser's line numbers are then the file's.
//! Nothing inside a quoted field changes: its line breaks are data.

use std::io::Read;

use crate::input::lexer::CsvLexer;

/// A reader that ends every row with a single LF (see the module documentation).
///
/// ```
/// use std::io::Read;
/// use borderline::input::line_ends::LineEnds;
/// let mut out = String::new();
/// LineEnds::new(&b"id,note\r1,\"a\rb\"\r2,c\r"[..], b',').read_to_string(&mut out).unwrap();
/// assert_eq!(out, "id,note\n1,\"a\rb\"\n2,c\n");
/// ```
pub struct LineEnds<R> {
    inner: R,
    lexer: CsvLexer,
    /// The last byte was a CR that ended a row (an LF right after it is dropped).
    after_cr: bool,
}

impl<R> LineEnds<R> {
    /// Reads `inner`, a CSV whose fields are separated by `delimiter`.
    pub fn new(inner: R, delimiter: u8) -> Self {
        LineEnds {
            inner,
            lexer: CsvLexer::new(delimiter),
            after_cr: false,
        }
    }
}

/// The byte that ends the first row of a CSV starting with `start` (CR or LF, outside quotes),
/// or `None` when `start` holds no complete row.
///
/// ```
/// use borderline::input::line_ends::first_row_end;
/// assert_eq!(first_row_end(b"lat,lon\r39.9,70.5\r", b','), Some(b'\r'));
/// assert_eq!(first_row_end(b"\"a\nb\",lon\n", b','), Some(b'\n'));
/// assert_eq!(first_row_end(b"lat,lon", b','), None);
/// ```
pub fn first_row_end(start: &[u8], delimiter: u8) -> Option<u8> {
    let mut lexer = CsvLexer::new(delimiter);
    start.iter().copied().find(|&b| lexer.ends_row(b))
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            for i in 0..n {
                let b = buf[i];
                let ends_row = self.lexer.ends_row(b);
                let after_cr = std::mem::replace(&mut self.after_cr, ends_row && b == b'\r');
                if ends_row && b == b'\n' && after_cr {
                    continue;
                }
                buf[kept] = if ends_row { b'\n' } else { b };
                kept += 1;
            }
            // A read that held only the LF of a CRLF must not look like the end of the input.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineEnds;
    use std::io::Read;

    fn normalise(bytes: &[u8], delimiter: u8, chunk: usize) -> Vec<u8> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineEnds::new(Chunks(bytes, chunk), delimiter)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn row_ends_become_lf_and_quoted_breaks_stay() {
        let cases: [(&[u8], &[u8]); 4] = [
            (b"a;b\r1;2\r3;4", b"a;b\n1;2\n3;4"),
            (b"a;b\r\n1;2\r\n", b"a;b\n1;2\n"),
            (
                b"a;b\n1;\"x\r\ny\rz\"\r\r2;3\r",
                b"a;b\n1;\"x\r\ny\rz\"\n\n2;3\n",
            ),
            // CRLF split across reads of every size, and CR CR LF (a blank line).
            (b"a\r\r\nb\r\n", b"a\n\nb\n"),
        ];
        for (input, expected) in cases {
            for chunk in [1, 2, 3, 64] {
                assert_eq!(
                    normalise(input, b';', chunk),
                    expected,
                    "{:?} in chunks of {chunk}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    #[test]
    fn csv_line_numbers_are_right_for_cr_and_crlf_files() {
        for input in [
            &b"id,lat\r1,39.9\r2,\"x\"y\r3,40\r"[..],
            b"id,lat\r\n1,39.9\r\n2,\"x\"y\r\n3,40\r\n",
        ] {
            let rows: Vec<u64> = csv::Reader::from_reader(LineEnds::new(input, b','))
                .byte_records()
                .map(|r| r.unwrap().position().unwrap().line())
                .collect();
            assert_eq!(rows, vec![2, 3, 4], "{}", String::from_utf8_lossy(input));
        }
    }
}
