//! borderline: analyse international borders segment by segment.
//!
//! The library holds the border model ([`Border`]: lines cut into [`border::Segment`]s with a
//! status history, enclaves, countries), the geodesy ([`geodesy`]: exact WGS84 lengths and
//! point-to-edge distances), the nearest-segment index ([`index::EdgeIndex`], an R-tree) and
//! the readers and writers the command-line tool uses.
//!
//! ```
//! let border = borderline::Border::embedded();
//! let share = borderline::share::share_at(&border, "2022-10-07".parse().unwrap());
//! assert!((share.total_km - 952.7).abs() < 9.5);
//! ```

pub mod border;
pub mod date;
pub mod derive;
pub mod error;
pub mod export;
pub mod geodesy;
pub mod geojson_in;
pub mod geojson_out;
pub mod index;
pub mod input;
pub mod io;
pub mod locate;
pub mod report;
pub mod share;
pub mod stats;
pub mod status;
pub mod tag;

pub use border::{Border, Segment};
pub use error::{Error, Result};
pub use tag::{TagColumns, TagRecord, Tagger, Warning, WarningKind, When};
