//! borderline: analyse international borders segment by segment.
