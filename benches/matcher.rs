//! Per-point matching: `Tagger::nearest_segment` and `Tagger::tag` on the bundled border.
//!
//! `cargo bench --bench matcher` (`-- --quick` for a short run). Points are seeded (SplitMix64):
//! "near" lie within 0–5 km of a random border vertex, "region" are uniform over lon 69–74,
//! lat 39–40.7 (mostly 10–100 km from the line), "far" 200–2000 km from the region's centre.

use std::hint::black_box;

use borderline::Border;
use borderline::geodesy::SurfacePoint;
use borderline::tag::{Tagger, When};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;
use common::Rng;

/// Points per set; each iteration matches the whole set.
const POINTS: usize = 1_000;

/// (lon, lat) sets: near the line, spread over the region, far away.
fn point_sets(border: &Border) -> Vec<(&'static str, Vec<[f64; 2]>)> {
    let mut rng = Rng(42);
    let vertices: Vec<[f64; 2]> = border
        .lines
        .iter()
        .flat_map(|l| l.geometry.0.iter().map(|c| [c.x, c.y]))
        .collect();
    let near = (0..POINTS)
        .map(|_| {
            let v = vertices[(rng.uniform() * vertices.len() as f64) as usize];
            // Up to ~5 km in a random direction (degrees scaled for latitude ~40°).
            let r = 5_000.0 * rng.uniform();
            let a = std::f64::consts::TAU * rng.uniform();
            [
                v[0] + r * a.cos() / (111_320.0 * 0.766),
                v[1] + r * a.sin() / 110_950.0,
            ]
        })
        .collect();
    let region = (0..POINTS)
        .map(|_| [69.0 + 5.0 * rng.uniform(), 39.0 + 1.7 * rng.uniform()])
        .collect();
    let far = (0..POINTS)
        .map(|_| {
            let r = 2.0 + 16.0 * rng.uniform();
            let a = std::f64::consts::TAU * rng.uniform();
            [71.5 + r * a.cos() / 0.766, 39.85 + r * a.sin()]
        })
        .collect();
    vec![("near", near), ("region", region), ("far", far)]
}

fn matcher(c: &mut Criterion) {
    let border = Border::embedded();
    let tagger = Tagger::new(border.clone());
    let sets = point_sets(&border);

    let mut group = c.benchmark_group("nearest_segment");
    group.throughput(Throughput::Elements(POINTS as u64));
    for (name, points) in &sets {
        let prepared: Vec<SurfacePoint> = points
            .iter()
            .map(|p| SurfacePoint::new(p[0], p[1]))
            .collect();
        group.bench_function(*name, |b| {
            b.iter(|| {
                for p in &prepared {
                    black_box(tagger.nearest_segment(black_box(p), f64::INFINITY));
                }
            })
        });
    }
    group.finish();

    let when = When::on(jiff::civil::date(2022, 10, 7));
    let mut group = c.benchmark_group("tag");
    group.throughput(Throughput::Elements(POINTS as u64));
    for (name, points) in &sets {
        group.bench_function(*name, |b| {
            b.iter(|| {
                for p in points {
                    black_box(tagger.tag(black_box(p[0]), black_box(p[1]), when));
                }
            })
        });
    }
    group.finish();

    c.bench_function("tagger_new", |b| {
        b.iter(|| black_box(Tagger::new(border.clone())))
    });
}

criterion_group!(benches, matcher);
criterion_main!(benches);
