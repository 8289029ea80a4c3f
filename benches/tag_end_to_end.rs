//! End-to-end tagging: `borderline::tag::tag_csv` from an in-memory CSV to `io::sink()`.
//!
//! `cargo bench --bench tag_end_to_end` (`-- --quick` for a short run). The input is 100 000
//! seeded ACLED-like rows (SplitMix64): `event_id,event_date,latitude,longitude,fatalities,notes`,
//! 60% within ~20 km of a border vertex, 30% uniform over lon 69–74 / lat 39–40.7, 10% farther
//! out; dates 2014–2025 in ISO and ACLED (`16 September 2022`) forms; some notes quoted with
//! commas, quotes and newlines. Throughput is reported in rows (elements) per second; the
//! tagger is built once outside the timed loop, as the CLI builds it once per run. Parallelism
//! follows rayon's default (all cores; set `RAYON_NUM_THREADS` to pin it).

use std::hint::black_box;
use std::path::Path;

use borderline::Border;
use borderline::date::Date;
use borderline::tag::{TagOptions, Tagger, tag_csv};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;
use common::Rng;

const ROWS: usize = 100_000;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn generate(border: &Border, rows: usize, seed: u64) -> Vec<u8> {
    use std::fmt::Write;
    let mut rng = Rng(seed);
    let vertices: Vec<[f64; 2]> = border
        .lines
        .iter()
        .flat_map(|l| l.geometry.0.iter().map(|c| [c.x, c.y]))
        .collect();
    let mut out = String::from("event_id,event_date,latitude,longitude,fatalities,notes\n");
    for i in 0..rows {
        let kind = rng.uniform();
        let [lon, lat] = if kind < 0.6 {
            let v = vertices[(rng.uniform() * vertices.len() as f64) as usize];
            let r = 20_000.0 * rng.uniform();
            let a = std::f64::consts::TAU * rng.uniform();
            [
                v[0] + r * a.cos() / (111_320.0 * 0.766),
                v[1] + r * a.sin() / 110_950.0,
            ]
        } else if kind < 0.9 {
            [69.0 + 5.0 * rng.uniform(), 39.0 + 1.7 * rng.uniform()]
        } else {
            [66.0 + 11.0 * rng.uniform(), 37.0 + 6.0 * rng.uniform()]
        };
        let year = 2014 + (12.0 * rng.uniform()) as u32;
        let month = (12.0 * rng.uniform()) as usize;
        let day = 1 + (28.0 * rng.uniform()) as u32;
        let date = if rng.uniform() < 0.5 {
            format!("{year}-{:02}-{day:02}", month + 1)
        } else {
            format!("{day} {} {year}", MONTHS[month])
        };
        let fatalities = (rng.uniform() * rng.uniform() * 10.0) as u32;
        let notes = match (rng.uniform() * 10.0) as u32 {
            0 => "\"Clash near the canal, \"\"reportedly\"\" two sides\"".to_string(),
            1 => "\"Multi-line\nnote\"".to_string(),
            _ => format!("Event {i}"),
        };
        let _ = writeln!(out, "EV{i},{date},{lat:.5},{lon:.5},{fatalities},{notes}");
    }
    out.into_bytes()
}

fn end_to_end(c: &mut Criterion) {
    let border = Border::embedded();
    let tagger = Tagger::new(border.clone());
    let input = generate(&border, ROWS, 42);
    let options = TagOptions::new(Date::constant(2022, 10, 7));
    let mut group = c.benchmark_group("tag_csv");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.bench_function("100k_rows_to_sink", |b| {
        b.iter(|| {
            let summary = tag_csv(
                &tagger,
                Path::new("bench.csv"),
                black_box(input.as_slice()),
                &mut std::io::sink(),
                &options,
                None,
                &|_, _| {},
            )
            .unwrap();
            assert_eq!(summary.rows, ROWS as u64);
            black_box(summary)
        })
    });
    group.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
