//! `borderline derive`: the shared boundary of two countries, and their enclaves, from polygons.

use std::path::PathBuf;

use borderline::derive::{DeriveOptions, derive};
use borderline::geojson_in::read_features;
use geo::Point;

use super::Outcome;
use super::output::Output;

const EXAMPLES: &str = "\
Examples:
  borderline derive data/source/osm-countries-kg-tj-uz.geojson --a KGZ --b TJK \\
      --names data/kgz-tjk/enclave-names.csv \\
      --attribution \"© OpenStreetMap contributors, ODbL 1.0\" \\
      --license \"ODbL-1.0 https://opendatacommons.org/licenses/odbl/1-0/\" \\
      -o data/kgz-tjk/border.geojson
  borderline derive countries.geojson --key ISO_A3 --a IND --b BGD --tolerance-m 5 -o - | head

Lines are oriented with country --a on their right; closed lines around enclaves start at
their northernmost vertex. Enclaves are polygons of one country inside the other's outer
shell that touch no third country; the host country's polygon is holed for them.";

/// Extract the shared boundary of two countries as lines, and their enclaves, from a GeoJSON of
/// country (Multi)Polygons.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// GeoJSON FeatureCollection of country (Multi)Polygons (`-` for standard input).
    countries: PathBuf,
    /// Key of the first country (on the right of every line).
    #[arg(long)]
    a: String,
    /// Key of the second country.
    #[arg(long)]
    b: String,
    /// Property that holds the country key.
    #[arg(long, default_value = "iso_a3")]
    key: String,
    /// Vertices within this many metres of the other country's boundary count as shared.
    #[arg(long, default_value_t = 1.0, value_parser = positive)]
    tolerance_m: f64,
    /// CSV of named points (name, lat, lon): each enclave is named after the first inside it.
    #[arg(long, value_name = "CSV")]
    names: Option<PathBuf>,
    /// Credit for the source, written as the output's top-level `attribution` member.
    #[arg(long, value_name = "TEXT")]
    attribution: Option<String>,
    /// The source's licence, written as the output's top-level `license` member.
    #[arg(long, value_name = "TEXT")]
    license: Option<String>,
    /// Output file (`-` for standard output); written atomically.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

fn positive(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("{text:?} is not a distance in metres"))
}

pub fn run(args: Args) -> Outcome {
    let features = read_features(&args.countries)?;
    let names = match &args.names {
        Some(path) => read_names(path)?,
        None => Vec::new(),
    };
    let options = DeriveOptions {
        a: args.a,
        b: args.b,
        key: args.key,
        tolerance_m: args.tolerance_m,
        names,
    };
    let derived = derive(&args.countries, &features, &options)?;
    let source = args
        .countries
        .file_name()
        .map_or_else(|| "-".to_string(), |n| n.to_string_lossy().into_owned());
    let credits: Vec<(&str, &str)> = [
        ("attribution", &args.attribution),
        ("license", &args.license),
    ]
    .into_iter()
    .filter_map(|(member, text)| Some((member, text.as_deref()?)))
    .collect();
    let doc = derived.to_geojson(&source, options.tolerance_m, &credits);
    let mut out = Output::create(Some(&args.output))?;
    serde_json::to_writer(&mut out, &doc).map_err(std::io::Error::from)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    out.commit()?;
    for (id, line) in &derived.lines {
        eprintln!(
            "line {id}: {:.3} km",
            borderline::geodesy::geodesic_length_m(line) / 1000.0
        );
    }
    for e in &derived.enclaves {
        eprintln!("enclave {} ({}): {:.2} km²", e.name, e.country, e.area_km2);
    }
    Ok(())
}

fn read_names(path: &std::path::Path) -> Result<Vec<(String, Point)>, super::Failure> {
    let text = borderline::io::read_to_string(path, 1 << 28)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let bad = |line: u64, m: String| {
        borderline::Error::input(path, borderline::error::Position::Line(line), m)
    };
    let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| bad(1, format!("missing column {name:?}")))
    };
    let (n, la, lo) = (col("name")?, col("lat")?, col("lon")?);
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = r.position().map_or(0, |p| p.line());
        let num = |i: usize| {
            r.get(i)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        let (Some(lat), Some(lon)) = (num(la), num(lo)) else {
            return Err(bad(line, "lat/lon is not a number".into()).into());
        };
        out.push((r.get(n).unwrap_or("").to_string(), Point::new(lon, lat)));
    }
    Ok(out)
}
