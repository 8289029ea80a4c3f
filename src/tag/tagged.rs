//! Reading a tagged CSV back: the input's own columns, and each row's [`TagRecord`].
//!
//! `report`, `export` and `map` read what `tag` wrote through here. The tag columns are found
//! by name as the trailing block of the header ([`TagColumns::find_block`], any prefix); a row
//! must have exactly the header's width, as `tag` writes it.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Position, Result};
use crate::input::{CsvInput, Delimiter, InputOptions, read_header};
use crate::tag::record::{TAG_COLUMNS, TagColumns, TagRecord};

/// One data row of a tagged file.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedRow {
    /// 1-based CSV line on which the row starts.
    pub line: u64,
    /// The row's own fields (without the tag columns), as text (decoded with the file's
    /// encoding, invalid sequences replaced).
    pub fields: Vec<String>,
    /// The row's tags; `None` when the file has no tag columns.
    pub tags: Option<TagRecord<'static>>,
}

/// A tagged CSV, read whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaggedFile {
    /// The input's own column names (without the tag columns).
    pub header: Vec<String>,
    /// The file's field delimiter.
    pub delimiter: Delimiter,
    /// The tag columns' names (their prefix), when the file has them.
    pub tag_columns: Option<TagColumns>,
    /// Every data row, in order.
    pub rows: Vec<TaggedRow>,
}

impl TaggedFile {
    /// Reads a CSV (any delimiter, encoding or workbook [`CsvInput`] reads) from `input`
    /// (`path` names it in messages). With `require_tags`, a file without the tag columns is
    /// an error; without, its rows have no tags.
    ///
    /// ```
    /// use borderline::tag::TaggedFile;
    /// let text = "id;lat;lon\n1;39.9;70.5\n";
    /// let options = Default::default();
    /// let file = TaggedFile::read("plain.csv".as_ref(), text.as_bytes(), &options, false).unwrap();
    /// assert_eq!(file.rows[0].fields, ["1", "39.9", "70.5"]);
    /// assert!(TaggedFile::read("plain.csv".as_ref(), text.as_bytes(), &options, true).is_err());
    /// ```
    pub fn read(
        path: &Path,
        input: impl Read + Send,
        options: &InputOptions,
        require_tags: bool,
    ) -> Result<TaggedFile> {
        let input = CsvInput::from_reader(path, input, options)?;
        let (encoding, delimiter) = (input.encoding, input.delimiter);
        let mut reader = input.csv_reader();
        let header = read_header(path, &mut reader, encoding)?.names;
        let block = TagColumns::find_block(&header);
        if block.is_none() && require_tags {
            return Err(Error::input(
                path,
                Position::Line(1),
                format!(
                    "not a tagged CSV: the header must end with {} (run `borderline tag` first)",
                    TAG_COLUMNS.join(",")
                ),
            ));
        }
        let own = block.as_ref().map_or(header.len(), |(start, _)| *start);
        let mut file = TaggedFile {
            delimiter,
            header: header[..own].to_vec(),
            tag_columns: block.map(|(_, columns)| columns),
            rows: Vec::new(),
        };
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(crate::io::csv_error(path, &e, "unreadable CSV")),
            }
            let line = record.position().map_or(0, |p| p.line());
            let at = |m: String| Error::input(path, Position::Line(line), m);
            let text: Vec<String> = record
                .iter()
                .map(|f| encoding.decode(f).into_owned())
                .collect();
            let tags = match &file.tag_columns {
                None => None,
                Some(_) if text.len() != header.len() => {
                    return Err(at(format!(
                        "row has {} fields, the header has {}: not as `borderline tag` writes it",
                        text.len(),
                        header.len()
                    )));
                }
                Some(_) => {
                    let fields: Vec<&str> = text[own..].iter().map(String::as_str).collect();
                    Some(TagRecord::from_fields(&fields).map_err(at)?.into_owned())
                }
            };
            let mut fields = text;
            fields.truncate(own);
            file.rows.push(TaggedRow { line, fields, tags });
        }
        Ok(file)
    }

    /// Reads the file at `path` (`-`: standard input).
    pub fn read_path(
        path: &Path,
        options: &InputOptions,
        require_tags: bool,
    ) -> Result<TaggedFile> {
        TaggedFile::read(path, crate::input::open(path)?, options, require_tags)
    }
}
