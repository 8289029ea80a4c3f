//! Tagging incidents with the border: for a point and a date, the nearest segment and its status
//! then, the distance and position along the border, the side and the enclave ([`Tagger`]);
//! the typed record of the tag columns ([`TagRecord`], [`TAG_COLUMNS`]); warnings where a
//! conclusion may be wrong ([`Warning`]); and tagging whole CSV files ([`tag_csv`]).

mod record;
mod stream;
mod tagged;
mod tagger;
mod warning;

pub use record::{
    CHAINAGE_DECIMALS, DEGREE_DECIMALS, DISTANCE_DECIMALS, SURPLUS_MARKER, TAG_COLUMNS, TagColumns,
    TagRecord,
};
pub use stream::{Reopen, Summary, TagOptions, tag_csv};
pub use tagged::{TaggedFile, TaggedRow};
pub use tagger::{EnclaveHit, PointTags, SegmentHit, Tagger, When};
pub use warning::{
    FAR_FROM_BORDER_M, SWAP_FAR_M, SWAP_NEAR_M, WARNING_SEPARATOR, Warning, WarningKind,
};
