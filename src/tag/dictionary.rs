//! The values each text tag column can take on a border, and each tagged row's index into
//! them, so that a writer can store those columns dictionary-encoded (a data frame's
//! categorical columns) without looking a single string up per row.
//!
//! The values are those of the border itself — its segment IDs in order, its lines, country
//! pairs, statuses, bases, countries and enclaves — whether or not a row takes them, so every
//! batch of a table shares one dictionary per column. An empty tag (no segment beyond the
//! maximum distance, no enclave, …) has no index: it is a null.

use std::collections::HashMap;

use crate::border::Border;
use crate::status::UNKNOWN;
use crate::tag::tagger::Located;

/// Distinct texts, in the order first given, and their indexes.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    values: Vec<String>,
    index: HashMap<String, u32>,
}

impl Dictionary {
    fn from_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut dictionary = Dictionary::default();
        for value in values {
            dictionary.insert(value);
        }
        dictionary
    }

    fn insert(&mut self, value: &str) -> Option<u32> {
        if value.is_empty() {
            return None;
        }
        if let Some(&i) = self.index.get(value) {
            return Some(i);
        }
        let i = self.values.len() as u32;
        self.values.push(value.to_string());
        self.index.insert(value.to_string(), i);
        Some(i)
    }

    /// The values, in order.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// The index of `value` (`None` for an empty one or one not in the dictionary).
    pub fn code(&self, value: &str) -> Option<u32> {
        if value.is_empty() {
            return None;
        }
        // A handful of statuses: a scan beats hashing.
        if self.values.len() <= 8 {
            return self
                .values
                .iter()
                .position(|v| v == value)
                .map(|i| i as u32);
        }
        self.index.get(value).copied()
    }
}

/// The dictionary of each text tag column of a border (`enclave` and `nearest_enclave` share
/// one).
///
/// ```
/// use borderline::{Border, Tagger, When};
/// use borderline::tag::TagDictionaries;
/// let border = Border::embedded();
/// let dictionaries = TagDictionaries::new(&border);
/// let tagger = Tagger::new(border);
/// let tagged = tagger.tag_located(70.58012, 39.85125, When::on("2022-09-16".parse().unwrap()));
/// let codes = dictionaries.codes(&tagged);
/// let segment = codes.segment_id.unwrap() as usize;
/// assert_eq!(dictionaries.segment_id.values()[segment], "Vorukh:001");
/// let enclave = codes.enclave.unwrap() as usize;
/// assert_eq!(dictionaries.enclave.values()[enclave], "Vorukh");
/// ```
#[derive(Debug, Clone)]
pub struct TagDictionaries {
    /// `segment_id`: every segment's ID, in the border's order.
    pub segment_id: Dictionary,
    /// `border`: the country pairs of the lines.
    pub border: Dictionary,
    /// `line`: the line IDs.
    pub line: Dictionary,
    /// `status`: every status of the history, and `unknown`.
    pub status: Dictionary,
    /// `status_basis`: every basis of the history.
    pub status_basis: Dictionary,
    /// `side`: the country keys.
    pub side: Dictionary,
    /// `enclave` and `nearest_enclave`: the enclave names.
    pub enclave: Dictionary,
    segment_codes: Vec<SegmentCodes>,
    country_codes: Vec<Option<u32>>,
    enclave_codes: Vec<Option<u32>>,
}

/// A segment's codes in the dictionaries of its ID, line and country pair.
#[derive(Debug, Clone, Copy)]
struct SegmentCodes {
    id: Option<u32>,
    line: Option<u32>,
    border: Option<u32>,
}

/// A row's index into each dictionary (`None`: the tag is empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagCodes {
    /// Into [`TagDictionaries::segment_id`].
    pub segment_id: Option<u32>,
    /// Into [`TagDictionaries::border`].
    pub border: Option<u32>,
    /// Into [`TagDictionaries::line`].
    pub line: Option<u32>,
    /// Into [`TagDictionaries::status`].
    pub status: Option<u32>,
    /// Into [`TagDictionaries::status_basis`].
    pub status_basis: Option<u32>,
    /// Into [`TagDictionaries::side`].
    pub side: Option<u32>,
    /// Into [`TagDictionaries::enclave`].
    pub enclave: Option<u32>,
    /// Into [`TagDictionaries::enclave`].
    pub nearest_enclave: Option<u32>,
}

impl TagCodes {
    /// The codes in the order of the tag columns they stand for: segment_id, border, line,
    /// status, status_basis, side, enclave, nearest_enclave.
    ///
    /// ```
    /// use borderline::tag::TagCodes;
    /// let codes = TagCodes { status: Some(2), ..TagCodes::default() };
    /// assert_eq!(codes.in_column_order()[3], Some(2));
    /// ```
    pub fn in_column_order(&self) -> [Option<u32>; 8] {
        [
            self.segment_id,
            self.border,
            self.line,
            self.status,
            self.status_basis,
            self.side,
            self.enclave,
            self.nearest_enclave,
        ]
    }
}

impl TagDictionaries {
    /// The dictionaries of `border`'s tags.
    pub fn new(border: &Border) -> Self {
        let segment_id = Dictionary::from_values(border.segments.iter().map(|s| s.id.as_str()));
        let line = Dictionary::from_values(border.lines.iter().map(|l| l.id.as_str()));
        let pairs = Dictionary::from_values(border.lines.iter().map(|l| l.border.as_str()));
        let mut statuses: Vec<&str> = border
            .segments
            .iter()
            .flat_map(|s| s.history.iter().map(|p| p.status.as_str()))
            .chain([UNKNOWN])
            .collect();
        statuses.sort_unstable();
        let mut bases: Vec<&str> = border
            .segments
            .iter()
            .flat_map(|s| s.history.iter().map(|p| p.basis.as_str()))
            .collect();
        bases.sort_unstable();
        let side = Dictionary::from_values(border.countries.iter().map(|c| c.key.as_str()));
        let enclave = Dictionary::from_values(border.enclaves.iter().map(|e| e.name.as_str()));
        TagDictionaries {
            segment_codes: border
                .segments
                .iter()
                .map(|s| {
                    let l = &border.lines[s.line];
                    SegmentCodes {
                        id: segment_id.code(&s.id),
                        line: line.code(&l.id),
                        border: pairs.code(&l.border),
                    }
                })
                .collect(),
            country_codes: border.countries.iter().map(|c| side.code(&c.key)).collect(),
            enclave_codes: border
                .enclaves
                .iter()
                .map(|e| enclave.code(&e.name))
                .collect(),
            segment_id,
            border: pairs,
            line,
            status: Dictionary::from_values(statuses),
            status_basis: Dictionary::from_values(bases),
            side,
            enclave,
        }
    }

    /// The indexes of a tagged row's text tags.
    pub fn codes(&self, tagged: &Located) -> TagCodes {
        let (record, Some(at)) = (&tagged.record, &tagged.at) else {
            return TagCodes::default();
        };
        let mut codes = TagCodes::default();
        if let Some(hit) = at.segment.filter(|_| !record.segment_id.is_empty()) {
            let segment = self.segment_codes[hit.segment];
            codes.segment_id = segment.id;
            codes.line = segment.line;
            codes.border = segment.border;
        }
        codes.status = self.status.code(&record.status);
        codes.status_basis = self.status_basis.code(&record.status_basis);
        codes.side = at.side.and_then(|i| self.country_codes[i]);
        if let Some(e) = at.enclave {
            let code = self.enclave_codes[e.enclave];
            codes.nearest_enclave = code;
            codes.enclave = code.filter(|_| e.inside);
        }
        codes
    }
}
