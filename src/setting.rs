//! The settings a message may point to (`give the order with date_order`), named once here and
//! spelled by each front end its own way: the command line as flags (`--date-order`), the Python
//! package as keywords (`date_order=`).
//!
//! The library writes a setting into a message as a [`Setting::mention`]; [`spell`] replaces
//! every mention by a front end's spelling, and [`crate::Error`]'s `Display` spells them
//! neutrally, as their keys in backticks.

use std::fmt;

/// A setting of a command or call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// The latitude column.
    Lat,
    /// The longitude column.
    Lon,
    /// The date column.
    Date,
    /// How numeric dates are written (day or month first).
    DateOrder,
    /// The location-precision column.
    PrecisionColumn,
    /// The precision code from which a location is coarse.
    CoarsePrecision,
    /// The prefix of the tag columns.
    Prefix,
    /// The maximum distance.
    MaxDistance,
    /// The fatalities column.
    Fatalities,
    /// The first day of a period.
    From,
    /// The last day of a period.
    To,
    /// The border (file or bundled set).
    Border,
    /// The status table.
    Status,
    /// The first country of a pair.
    CountryA,
    /// The second country of a pair.
    CountryB,
    /// The property that keys countries.
    CountryKey,
    /// How far apart two outlines may be and still be one boundary.
    Tolerance,
}

impl Setting {
    /// Every setting.
    pub const ALL: [Setting; 17] = [
        Setting::Lat,
        Setting::Lon,
        Setting::Date,
        Setting::DateOrder,
        Setting::PrecisionColumn,
        Setting::CoarsePrecision,
        Setting::Prefix,
        Setting::MaxDistance,
        Setting::Fatalities,
        Setting::From,
        Setting::To,
        Setting::Border,
        Setting::Status,
        Setting::CountryA,
        Setting::CountryB,
        Setting::CountryKey,
        Setting::Tolerance,
    ];

    /// The setting's key: `date_order`, `lat`, … (the Python keyword).
    pub fn key(self) -> &'static str {
        match self {
            Setting::Lat => "lat",
            Setting::Lon => "lon",
            Setting::Date => "date",
            Setting::DateOrder => "date_order",
            Setting::PrecisionColumn => "precision",
            Setting::CoarsePrecision => "coarse_precision",
            Setting::Prefix => "prefix",
            Setting::MaxDistance => "max_distance",
            Setting::Fatalities => "fatalities",
            Setting::From => "from",
            Setting::To => "to",
            Setting::Border => "border",
            Setting::Status => "status",
            Setting::CountryA => "a",
            Setting::CountryB => "b",
            Setting::CountryKey => "key",
            Setting::Tolerance => "tolerance_m",
        }
    }

    /// How a message refers to the setting, for [`spell`] to replace.
    ///
    /// ```
    /// use borderline::setting::{Setting, spell};
    /// let message = format!("name it with {}", Setting::Lat.mention());
    /// assert_eq!(spell(&message, |s| format!("--{}", s.key())), "name it with --lat");
    /// ```
    pub fn mention(self) -> Mention {
        Mention(self)
    }
}

/// A setting as it stands in a message (see [`Setting::mention`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention(Setting);

/// Marks a mention's start and end in message text: private-use characters, which no file or
/// flag of ours contains.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

impl fmt::Display for Mention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{OPEN}{}{CLOSE}", self.0.key())
    }
}

/// `text` with every setting mentioned in it spelled by `spelling`.
pub fn spell(text: &str, spelling: impl Fn(Setting) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after[..end];
        match Setting::ALL.iter().find(|s| s.key() == key) {
            Some(setting) => out.push_str(&spelling(*setting)),
            None => out.push_str(key),
        }
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The neutral spelling: the key in backticks (`` `date_order` ``).
pub fn neutral(setting: Setting) -> String {
    format!("`{}`", setting.key())
}
