//! borderline: analyse international borders segment by segment.
//!
//! A [`Border`] is a set of lines between pairs of countries, cut into [`Segment`]s that each
//! have a status history ([`Period`]s: `undelimited` until a date, `delimited` after, …), with
//! the [`Enclave`]s and [`Country`] territories around them. On it the library answers:
//! - how much of the border had which status on a date ([`ShareReport`], [`share`]);
//! - for an incident at a point and a date, its nearest segment and that segment's status then,
//!   the distance and position along the border, the side and the enclave, with warnings where
//!   a conclusion may be wrong ([`Tagger`] → [`TagRecord`]; whole CSV files with
//!   [`tag::tag_csv`]);
//! - whether incidents concentrate on undelimited stretches ([`Report`]: rates per km·year of
//!   exposure with exact intervals);
//! - pictures: styled GeoJSON ([`export`]), maps that move through time as one HTML page or a
//!   static SVG ([`map`]), and a space–time chart of the border ([`report::svg`]).
//! - borders from country polygons ([`mod@derive`]): the boundary of two countries, or of every
//!   pair of a file at once, with their enclaves.
//!
//! Two border sets are bundled ([`border::BUNDLED`]): the Kyrgyz–Tajik border (the default) and
//! every border of the Fergana Valley.
//!
//! Distances and lengths are geodesic on the WGS84 ellipsoid ([`geodesy`]); the nearest segment
//! is found with an R-tree ([`index`]) and decided exactly, so it is the one brute force would
//! choose. Results render as tables, CSV or JSON ([`render`]), the same for every front end.
//!
//! ```
//! use borderline::{Border, ShareReport, Tagger, When};
//! let border = Border::embedded(); // the bundled Kyrgyz–Tajik border
//! let date = "2022-10-07".parse().unwrap();
//! let share = ShareReport::at(&border, date, None).to_json();
//! assert_eq!(share["statuses"]["undelimited"]["km"], 386.618);
//! // Kok-Tash, Kyrgyzstan, on that date.
//! let tagger = Tagger::new(border);
//! let record = tagger.tag(70.535833, 39.949722, When::on(date));
//! assert_eq!((&*record.segment_id, &*record.status), ("KGZ-TJK:088", "undelimited"));
//! ```
#![warn(missing_docs)]

pub mod border;
pub mod date;
pub mod derive;
pub mod error;
pub mod export;
pub mod geodesy;
pub mod incidents;
pub mod index;
pub mod input;
pub mod locate;
pub mod map;
pub mod palette;
pub mod places;
pub mod render;
pub mod report;
pub mod setting;
pub mod share;
pub mod stats;
pub mod status;
pub mod svg;
pub mod tag;
pub mod typed;

// Plumbing for the command-line front end: GeoJSON reading limits and writing helpers,
// standard streams and atomic output. Not part of the library's surface.
#[doc(hidden)]
pub mod geojson_in;
#[doc(hidden)]
pub mod geojson_out;
#[doc(hidden)]
pub mod io;
#[cfg(test)]
mod testing;

pub use border::{Border, BorderLine, Country, Enclave, Period, Segment};
pub use date::{Date, DateRange};
pub use error::{Error, Result};
pub use report::{Report, ReportInput, ReportOptions};
pub use share::{Share, ShareReport};
pub use tag::{TagColumns, TagRecord, Tagger, Warning, WarningKind, When};
