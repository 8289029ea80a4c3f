//! Nearest-segment search against a border set of world size (issue 11's "world on demand"):
//! `EdgeIndex::nearest` over 200 synthetic borders of 5 000 vertices each (1M vertices, random
//! walks of ~300 m steps placed over the continents' latitudes), for points uniform on the
//! sphere and points within 50 km of a line; and over the same number of borders all drawn in
//! Central Asia, for points around their antipodes, 13 000 km or more from every line.
//!
//! `cargo bench --bench large_border` (`-- --quick` for a short run). Seeded (SplitMix64).

use std::hint::black_box;

use borderline::geodesy::SurfacePoint;
use borderline::index::EdgeIndex;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::{Coord, LineString};

mod common;
use common::Rng;

const LINES: usize = 200;
const VERTICES: usize = 5_000;
const POINTS: usize = 200;

/// Random walks starting in `[lon0, lon0 + width] × [lat0, lat0 + height]`.
fn walks(rng: &mut Rng, start: [f64; 4]) -> Vec<LineString> {
    let [lon0, lat0, width, height] = start;
    (0..LINES)
        .map(|_| {
            let mut lon = lon0 + width * rng.uniform();
            let mut lat = lat0 + height * rng.uniform();
            let mut heading = std::f64::consts::TAU * rng.uniform();
            (0..VERTICES)
                .map(|_| {
                    heading += 0.6 * (rng.uniform() - 0.5);
                    let step = 0.003 * (0.5 + rng.uniform());
                    lon =
                        (lon + step * heading.cos() / lat.to_radians().cos()).clamp(-179.0, 179.0);
                    lat = (lat + step * heading.sin()).clamp(-60.0, 75.0);
                    Coord { x: lon, y: lat }
                })
                .collect()
        })
        .collect()
}

fn uniform_on_sphere(rng: &mut Rng) -> SurfacePoint {
    let lon = -180.0 + 360.0 * rng.uniform();
    let lat = (2.0 * rng.uniform() - 1.0).asin().to_degrees();
    SurfacePoint::new(lon, lat)
}

fn large_border(c: &mut Criterion) {
    let mut rng = Rng(42);
    // Land borders lie between 56°S and 70°N; the walks start there.
    let lines = walks(&mut rng, [-170.0, -50.0, 330.0, 115.0]);
    let index = EdgeIndex::new(&lines);
    let vertices: Vec<Coord> = lines.iter().flat_map(|l| l.0.iter().copied()).collect();
    let sphere: Vec<SurfacePoint> = (0..POINTS).map(|_| uniform_on_sphere(&mut rng)).collect();
    let near: Vec<SurfacePoint> = (0..POINTS)
        .map(|_| {
            let v = vertices[(rng.uniform() * vertices.len() as f64) as usize];
            let r = 0.45 * rng.uniform();
            let a = std::f64::consts::TAU * rng.uniform();
            SurfacePoint::new(v.x + r * a.cos(), (v.y + r * a.sin()).clamp(-89.0, 89.0))
        })
        .collect();
    // Borders over Central Asia only, and points around their antipodes (South Pacific).
    let asia = EdgeIndex::new(&walks(&mut rng, [60.0, 35.0, 20.0, 10.0]));
    let far: Vec<SurfacePoint> = (0..POINTS / 10)
        .map(|_| SurfacePoint::new(-110.0 + 20.0 * rng.uniform(), -50.0 + 20.0 * rng.uniform()))
        .collect();
    assert!(far.iter().all(|p| {
        asia.nearest(p, f64::INFINITY)
            .is_some_and(|n| n.distance_m > 13_000_000.0)
    }));
    let mut group = c.benchmark_group("large_border_nearest");
    group.sample_size(10);
    for (name, index, points) in [
        ("sphere", &index, &sphere),
        ("within_50km", &index, &near),
        ("beyond_13000km", &asia, &far),
    ] {
        group.throughput(Throughput::Elements(points.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for p in points.iter() {
                    black_box(index.nearest(black_box(p), f64::INFINITY));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, large_border);
criterion_main!(benches);
