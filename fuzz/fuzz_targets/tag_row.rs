//! Any bytes as an incident CSV tagged against the embedded border: every row comes out,
//! never a panic or a hang.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use borderline::tag::{TagOptions, Tagger, tag_csv};
use libfuzzer_sys::fuzz_target;

static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(borderline::Border::embedded()));

fuzz_target!(|data: &[u8]| {
    let options = TagOptions::new("2022-10-07".parse().expect("a valid date"));
    let mut out = Vec::new();
    if let Ok(summary) = tag_csv(
        &TAGGER,
        Path::new("fuzz.csv"),
        data,
        &mut out,
        &options,
        None,
        &|_, _| {},
    ) {
        // Nothing lost: one output record per input record, plus the header.
        let records = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(out.as_slice())
            .byte_records()
            .count() as u64;
        assert_eq!(records, summary.rows, "rows in != rows out");
    }
});
