//! The text encoding of a CSV file, and reading it as the CSV parser needs.
//!
//! - UTF-8, with or without a byte-order mark (the BOM is dropped), is read as it is.
//! - UTF-16 (Excel's "Unicode text"), little- or big-endian, is recognised by its BOM or named,
//!   and transcoded to UTF-8 as it streams: the parser only ever sees an ASCII-compatible text.
//! - Any other bytes — Latin-1, Windows-1251 from Russian-language sources — are passed on
//!   untouched: a tagged file keeps its input's bytes. What has to be shown as text (header
//!   names, place names in GeoJSON) is decoded with the encoding named, or else as UTF-8 with
//!   invalid bytes replaced by U+FFFD.
//!
//! A byte-order mark wins over a named encoding, as in the WHATWG decoding rules.

use std::borrow::Cow;
use std::io::Read;

/// The encoding of a text input.
///
/// ```
/// use borderline::input::encoding::TextEncoding;
/// let cp1251: TextEncoding = "windows-1251".parse().unwrap();
/// assert_eq!(cp1251.decode(b"\xc1\xe0\xf2\xea\xe5\xed"), "Баткен");
/// // Without a named encoding, bytes that are not UTF-8 are shown lossily.
/// assert_eq!(TextEncoding::default().decode(b"Batken \xff"), "Batken \u{fffd}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding(&'static encoding_rs::Encoding);

impl Default for TextEncoding {
    fn default() -> Self {
        TextEncoding::UTF_8
    }
}

impl TextEncoding {
    /// UTF-8, the default.
    pub const UTF_8: TextEncoding = TextEncoding(encoding_rs::UTF_8);
    /// UTF-16, little-endian (Windows' "Unicode").
    pub const UTF_16LE: TextEncoding = TextEncoding(encoding_rs::UTF_16LE);
    /// UTF-16, big-endian.
    pub const UTF_16BE: TextEncoding = TextEncoding(encoding_rs::UTF_16BE);

    /// The encoding's canonical name (`UTF-8`, `UTF-16LE`, `windows-1251`, …).
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Whether the input is transcoded to UTF-8 before parsing (UTF-16); otherwise its bytes
    /// reach the parser, and a tagged output, untouched.
    pub fn is_transcoded(self) -> bool {
        self.0 == encoding_rs::UTF_16LE || self.0 == encoding_rs::UTF_16BE
    }

    /// The text of a field or header name of a parsed input (after any transcoding): decoded
    /// with this encoding, invalid sequences replaced by U+FFFD.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        if self.is_transcoded() {
            // The parser saw UTF-8 produced by the transcoder.
            return String::from_utf8_lossy(bytes);
        }
        self.0.decode_without_bom_handling(bytes).0
    }

    /// The encoding announced by a byte-order mark at the start of `bytes`, and the mark's
    /// length.
    pub fn from_bom(bytes: &[u8]) -> Option<(TextEncoding, usize)> {
        encoding_rs::Encoding::for_bom(bytes).map(|(e, n)| (TextEncoding(e), n))
    }

    /// The input's encoding from its first bytes (`start`, a few hundred are enough) and the
    /// one the user `named`: the BOM's if there is one, else the named one, else UTF-8. The
    /// second value is the length of the BOM. Text that looks like UTF-16 without a BOM (every
    /// other byte NUL) and no named encoding is an error saying which to name.
    ///
    /// ```
    /// use borderline::input::encoding::TextEncoding;
    /// let utf16 = b"\xff\xfei\0d\0";
    /// assert_eq!(TextEncoding::detect(utf16, None), Ok((TextEncoding::UTF_16LE, 2)));
    /// assert!(TextEncoding::detect(b"i\0d\0,\0l\0a\0t\0", None).is_err());
    /// ```
    pub fn detect(
        start: &[u8],
        named: Option<TextEncoding>,
    ) -> Result<(TextEncoding, usize), String> {
        if let Some(found) = TextEncoding::from_bom(start) {
            return Ok(found);
        }
        if let Some(named) = named {
            return Ok((named, 0));
        }
        if let Some(guess) = utf16_without_bom(start) {
            return Err(format!(
                "looks like {} text without a byte-order mark; name its encoding ({})",
                guess.name(),
                guess.name().to_ascii_lowercase()
            ));
        }
        Ok((TextEncoding::UTF_8, 0))
    }

    /// `input` as the CSV parser reads it: UTF-16 transcoded to UTF-8 (its BOM dropped), any
    /// other encoding untouched. A UTF-8 BOM is left for the caller to skip.
    pub fn reader<'a>(self, input: impl Read + Send + 'a) -> Box<dyn Read + Send + 'a> {
        if self.is_transcoded() {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(self.0))
                    .strip_bom(true)
                    .build(input),
            )
        } else {
            Box::new(input)
        }
    }
}

/// UTF-16 LE or BE when `start` looks like it: ASCII text with a NUL byte beside every
/// character (at least four characters seen).
fn utf16_without_bom(start: &[u8]) -> Option<TextEncoding> {
    let pairs: Vec<&[u8]> = start.chunks_exact(2).take(64).collect();
    if pairs.len() < 4 {
        return None;
    }
    let ascii = |b: u8| b != 0 && b.is_ascii();
    if pairs.iter().all(|p| ascii(p[0]) && p[1] == 0) {
        Some(TextEncoding::UTF_16LE)
    } else if pairs.iter().all(|p| p[0] == 0 && ascii(p[1])) {
        Some(TextEncoding::UTF_16BE)
    } else {
        None
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;

    /// Parses an encoding label as web browsers know them (WHATWG): `utf-8`, `utf-16le`,
    /// `utf-16be`, `windows-1251`, `cp1251`, `koi8-r`, `latin1`, `iso-8859-2`, `shift_jis`, …
    /// (`utf-16` alone is little-endian, as Windows writes it).
    fn from_str(label: &str) -> Result<Self, Self::Err> {
        encoding_rs::Encoding::for_label(label.trim().as_bytes())
            // Labels that name no encoding of text for a CSV (`replacement`, `x-user-defined`)
            // are not accepted.
            .filter(|e| *e != encoding_rs::REPLACEMENT && *e != encoding_rs::X_USER_DEFINED)
            .map(TextEncoding)
            .ok_or_else(|| {
                format!(
                    "unknown encoding {label:?} (e.g. utf-8, utf-16le, utf-16be, windows-1251, \
                     latin1)"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::TextEncoding;
    use std::io::Read;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    }

    fn read_all(encoding: TextEncoding, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        encoding.reader(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn utf16_with_a_bom_is_transcoded_to_utf8_without_it() {
        let text = "id\tlat\tlon\tplace\r\n1\t39.9\t70.5\tВорух 😀\r\n";
        for big_endian in [false, true] {
            let bytes = utf16(text, big_endian);
            let (encoding, bom) = TextEncoding::detect(&bytes, None).unwrap();
            assert_eq!(bom, 2);
            assert!(encoding.is_transcoded());
            assert_eq!(read_all(encoding, &bytes), text.as_bytes());
            // A BOM wins over a named encoding.
            let named = TextEncoding::detect(&bytes, Some("windows-1251".parse().unwrap()));
            assert_eq!(named.unwrap().0, encoding);
        }
    }

    #[test]
    fn transcoding_streams_through_small_reads() {
        // A reader handing out one byte at a time splits every UTF-16 unit and surrogate pair.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((&first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = first;
                self.0 = rest;
                Ok(1)
            }
        }
        let text = "a,b\n😀,Ш\n".repeat(1000);
        let bytes = utf16(&text, false);
        let mut out = String::new();
        TextEncoding::UTF_16LE
            .reader(Trickle(&bytes))
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn other_encodings_pass_untouched_and_decode_when_named() {
        // "Баткен;39,9" in Windows-1251.
        let bytes = b"\xc1\xe0\xf2\xea\xe5\xed;39,9\n";
        let (encoding, bom) = TextEncoding::detect(bytes, None).unwrap();
        assert_eq!((encoding, bom), (TextEncoding::UTF_8, 0));
        assert_eq!(read_all(encoding, bytes), bytes);
        let cp1251: TextEncoding = "cp1251".parse().unwrap();
        assert_eq!(cp1251.name(), "windows-1251");
        assert!(!cp1251.is_transcoded());
        assert_eq!(read_all(cp1251, bytes), bytes);
        assert_eq!(cp1251.decode(&bytes[..6]), "Баткен");
        // Latin-1 as the web knows it (windows-1252).
        let latin1: TextEncoding = "latin1".parse().unwrap();
        assert_eq!(latin1.decode(b"Kh\xf4jand"), "Khôjand");
        assert_eq!(TextEncoding::UTF_8.decode(b"Kh\xf4jand"), "Kh\u{fffd}jand");
    }

    #[test]
    fn utf8_bom_is_recognised() {
        assert_eq!(
            TextEncoding::detect(b"\xef\xbb\xbflat,lon", None),
            Ok((TextEncoding::UTF_8, 3))
        );
    }

    #[test]
    fn utf16_without_a_bom_asks_for_the_encoding() {
        let le: Vec<u8> = "lat,lon\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "lat,lon\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let message = TextEncoding::detect(&le, None).unwrap_err();
        assert!(message.contains("utf-16le"), "{message}");
        assert!(
            TextEncoding::detect(&be, None)
                .unwrap_err()
                .contains("utf-16be")
        );
        // Named, it is read.
        let named = TextEncoding::detect(&le, Some("utf-16le".parse().unwrap()));
        assert_eq!(named, Ok((TextEncoding::UTF_16LE, 0)));
        assert_eq!(read_all(TextEncoding::UTF_16LE, &le), b"lat,lon\n");
    }

    #[test]
    fn unknown_labels_are_refused() {
        assert!("klingon".parse::<TextEncoding>().is_err());
        assert!("iso-2022-kr".parse::<TextEncoding>().is_err());
        assert_eq!("UTF-16".parse::<TextEncoding>(), Ok(TextEncoding::UTF_16LE));
    }
}
