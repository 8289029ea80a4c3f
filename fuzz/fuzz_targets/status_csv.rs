//! Any bytes as a status CSV, validated against the embedded border's lines: an error or a
//! table, never a panic or a hang (`checks::status_csv`).
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

use std::sync::LazyLock;

use borderline::Border;
use libfuzzer_sys::fuzz_target;

static LINES: LazyLock<Vec<(String, f64)>> = LazyLock::new(|| {
    Border::embedded()
        .lines
        .iter()
        .map(|l| (l.id.clone(), l.length_km))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let lines: Vec<(&str, f64)> = LINES.iter().map(|(id, km)| (id.as_str(), *km)).collect();
    checks::status_csv(data, &lines);
});
