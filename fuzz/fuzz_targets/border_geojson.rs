//! Any text as a border GeoJSON: an error or a border whose segments tile its lines, never a
//! panic or a hang (`checks::border_geojson`).
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::border_geojson(data));
