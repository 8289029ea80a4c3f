//! Any text as a border GeoJSON: an error or a border, never a panic or a hang.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = borderline::Border::from_texts(Path::new("fuzz.geojson"), text, None);
    }
});
