//! Any bytes as an incident CSV tagged against the embedded border: every row comes out, as
//! many as the `csv` crate counts in the input, each as wide as the header; never a panic or a
//! hang (`checks::tag_row`).
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

use std::sync::LazyLock;

use borderline::tag::Tagger;
use libfuzzer_sys::fuzz_target;

static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(borderline::Border::embedded()));

fuzz_target!(|data: &[u8]| checks::tag_row(&TAGGER, data));
