//! The field delimiter of a CSV file: `,` as RFC 4180 has it, `;` from European-locale Excel
//! (where `,` is the decimal separator), tab from "text (tab-delimited)" exports, `|` from
//! database dumps. Sniffed from the header line unless one is named.

/// A field delimiter borderline reads (and writes back: a tagged file keeps its input's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// `,`
    #[default]
    Comma,
    /// `;`
    Semicolon,
    /// A tab.
    Tab,
    /// `|`
    Pipe,
}

impl Delimiter {
    /// Every delimiter, in the order that breaks a tie when sniffing.
    pub const ALL: [Delimiter; 4] = [
        Delimiter::Comma,
        Delimiter::Semicolon,
        Delimiter::Tab,
        Delimiter::Pipe,
    ];

    /// The byte that separates fields.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
            Delimiter::Pipe => b'|',
        }
    }

    /// The delimiter of a CSV whose header line is `header` (its first line, with or without
    /// its line end): the candidate found most often outside quotes, ties going to the earlier
    /// in [`Delimiter::ALL`]; a header without any (a single column) is comma-separated.
    ///
    /// ```
    /// use borderline::input::delimiter::Delimiter;
    /// assert_eq!(Delimiter::sniff(b"event_id;latitude;longitude\r\n"), Delimiter::Semicolon);
    /// // Delimiters inside quoted names do not count.
    /// assert_eq!(Delimiter::sniff(b"\"a;b;c\",lat,lon"), Delimiter::Comma);
    /// assert_eq!(Delimiter::sniff(b"id\tlat\tlon"), Delimiter::Tab);
    /// ```
    pub fn sniff(header: &[u8]) -> Delimiter {
        let mut counts = [0usize; 4];
        let mut quoted = false;
        for &b in header {
            match b {
                // A doubled quote inside quotes toggles twice: still quoted.
                b'"' => quoted = !quoted,
                b'\r' | b'\n' if !quoted => break,
                _ if !quoted => {
                    if let Some(i) = Delimiter::ALL.iter().position(|d| d.byte() == b) {
                        counts[i] += 1;
                    }
                }
                _ => {}
            }
        }
        let mut best = Delimiter::Comma;
        let mut most = 0;
        for (d, &n) in Delimiter::ALL.iter().zip(&counts) {
            if n > most {
                best = *d;
                most = n;
            }
        }
        best
    }
}

impl std::fmt::Display for Delimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Delimiter::Comma => ",",
            Delimiter::Semicolon => ";",
            Delimiter::Tab => "tab",
            Delimiter::Pipe => "|",
        })
    }
}

impl std::str::FromStr for Delimiter {
    type Err = String;

    /// Parses `,` `;` `|`, a tab character or `\t`, or a name: comma, semicolon, tab, pipe.
    ///
    /// ```
    /// use borderline::input::delimiter::Delimiter;
    /// assert_eq!("tab".parse(), Ok(Delimiter::Tab));
    /// assert_eq!(";".parse(), Ok(Delimiter::Semicolon));
    /// assert!(":".parse::<Delimiter>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "," | "comma" => Ok(Delimiter::Comma),
            ";" | "semicolon" => Ok(Delimiter::Semicolon),
            "\t" | "\\t" | "tab" => Ok(Delimiter::Tab),
            "|" | "pipe" => Ok(Delimiter::Pipe),
            _ => Err(format!(
                "{text:?} is not a delimiter borderline reads (`,` `;` `|` or tab)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Delimiter;

    #[test]
    fn sniffs_each_delimiter_from_a_header_line() {
        let cases: [(&[u8], Delimiter); 9] = [
            (b"id,lat,lon,date\n1,2,3,4\n", Delimiter::Comma),
            (
                b"id;lat;lon;date\r\n1;39,9;70,5;x\r\n",
                Delimiter::Semicolon,
            ),
            (b"id\tlat\tlon\r", Delimiter::Tab),
            (b"id|lat|lon", Delimiter::Pipe),
            // Only the header line counts: the data's decimal commas do not outvote it.
            (b"lat;lon\n1,1,1,1,1;2,2,2,2\n", Delimiter::Semicolon),
            // More `;` than `,` in the header: `;`.
            (b"a,b;c;d", Delimiter::Semicolon),
            // A tie goes to the earlier in ALL.
            (b"a,b;c", Delimiter::Comma),
            // One column: comma.
            (b"latitude\n", Delimiter::Comma),
            // A quoted header name holding line breaks and delimiters.
            (b"\"note;\nmore;\"\tlat\tlon\n", Delimiter::Tab),
        ];
        for (header, expected) in cases {
            assert_eq!(
                Delimiter::sniff(header),
                expected,
                "{}",
                String::from_utf8_lossy(header)
            );
        }
    }

    #[test]
    fn every_delimiter_round_trips_through_its_name() {
        for d in Delimiter::ALL {
            assert_eq!(d.to_string().parse(), Ok(d));
            assert_eq!((d.byte() as char).to_string().parse(), Ok(d));
        }
    }
}
