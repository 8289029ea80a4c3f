//! Any bytes as a status CSV, validated against the embedded border's lines: an error or a
//! table, never a panic or a hang.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use borderline::Border;
use borderline::status::StatusTable;
use libfuzzer_sys::fuzz_target;

static LINES: LazyLock<Vec<(String, f64)>> = LazyLock::new(|| {
    Border::embedded()
        .lines
        .iter()
        .map(|l| (l.id.clone(), l.length_km))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    if let Ok(table) = StatusTable::from_reader(path, data) {
        let lines: Vec<(&str, f64)> = LINES.iter().map(|(id, km)| (id.as_str(), *km)).collect();
        let _ = table.validate(path, &lines);
    }
});
