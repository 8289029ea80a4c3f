//! `borderline derive`: the boundaries countries share, and their enclaves, from polygons.

use std::path::PathBuf;

use borderline::derive::{Countries, DeriveOptions, Derived, derive};
use geo::Point;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Outcome;
use super::output::Output;

const EXAMPLES: &str = "\
Examples:
  borderline derive data/source/osm-countries-kg-tj-uz.geojson --a KGZ --b TJK \\
      --names data/kgz-tjk/enclave-names.csv \\
      --attribution \"© OpenStreetMap contributors, ODbL 1.0\" \\
      --license \"ODbL-1.0 https://opendatacommons.org/licenses/odbl/1-0/\" \\
      -o data/kgz-tjk/border.geojson
  borderline derive data/source/osm-countries-kg-tj-uz.geojson --all \\
      --names data/fergana/enclave-names.csv -o fergana.geojson
  borderline derive world.geojson --key A3 --all -o world-borders.geojson
  borderline derive countries.geojson --key ISO_A3 --a IND --b BGD --tolerance-m 5 -o - | head

Lines are oriented with country --a on their right (with --all: the country whose key sorts
first); closed lines around enclaves start at their northernmost vertex. An enclave is a
polygon of one country that touches no country but one other and lies inside its outer ring;
the surrounding country's polygon is holed for it. Outlines within --tolerance-m of each other
count as shared, whether or not they share vertices. Where a river, lake or reservoir (or land
the file gives to neither) interrupts a border, its pieces are chained across the gap, up to
--max-gap-km wide, and the gaps are reported.";

/// Extract the boundaries countries share as lines, and their enclaves, from a GeoJSON of
/// country (Multi)Polygons: of two countries (--a, --b) or of every pair (--all).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// GeoJSON FeatureCollection of country (Multi)Polygons (`-` for standard input).
    countries: PathBuf,
    /// Key of the first country (on the right of every line).
    #[arg(long, required_unless_present = "all", conflicts_with = "all")]
    a: Option<String>,
    /// Key of the second country.
    #[arg(long, required_unless_present = "all", conflicts_with = "all")]
    b: Option<String>,
    /// Every pair of countries that share a boundary, in one border file.
    #[arg(long)]
    all: bool,
    /// Property that holds the country key.
    #[arg(long, default_value = "iso_a3")]
    key: String,
    /// Outlines within this many metres of each other count as shared.
    #[arg(long, default_value_t = 1.0, value_parser = metres)]
    tolerance_m: f64,
    /// Bridge gaps in a border (water, or land the file gives to neither country) up to this
    /// many km wide.
    #[arg(long, default_value_t = borderline::derive::DEFAULT_MAX_GAP_M / 1000.0, value_parser = metres)]
    max_gap_km: f64,
    /// CSV of named points (name, lat, lon): each enclave is named after the first inside it.
    #[arg(long, value_name = "CSV")]
    names: Option<PathBuf>,
    /// Credit for the source, written as the output's top-level `attribution` member [default:
    /// the countries file's own `attribution`, if it has one].
    #[arg(long, value_name = "TEXT")]
    attribution: Option<String>,
    /// The source's licence, written as the output's top-level `license` member [default: the
    /// countries file's own `license`, if it has one].
    #[arg(long, value_name = "TEXT")]
    license: Option<String>,
    /// No progress or summary on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// Output file (`-` for standard output); written atomically.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

fn metres(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("{text:?} is not a non-negative number"))
}

pub fn run(args: Args) -> Outcome {
    let bar = progress_bar(args.quiet);
    bar.set_message("reading the countries");
    let countries = Countries::read(&args.countries, &args.key)?;
    let names = match &args.names {
        Some(path) => read_names(path)?,
        None => Vec::new(),
    };
    let options = DeriveOptions {
        pair: args.a.clone().zip(args.b.clone()),
        tolerance_m: args.tolerance_m,
        max_gap_m: args.max_gap_km * 1000.0,
        names,
    };
    let derived = derive(&countries, &options, &mut |step| {
        bar.set_message(step.to_string())
    })?;
    bar.set_message("writing");
    let source = args
        .countries
        .file_name()
        .map_or_else(|| "-".to_string(), |n| n.to_string_lossy().into_owned());
    // Credits given on the command line, else the source's own.
    let credits: Vec<(&str, &str)> = [
        ("attribution", args.attribution.as_deref()),
        ("license", args.license.as_deref()),
    ]
    .into_iter()
    .filter_map(|(member, given)| Some((member, given.or(countries.credit(member))?)))
    .collect();
    let mut out = Output::create(Some(&args.output))?;
    derived.write_geojson(&mut out, &source, &args.key, &credits)?;
    out.commit()?;
    bar.finish_and_clear();
    if !args.quiet {
        summarise(&derived, args.all);
    }
    Ok(())
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} derive: {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// What was derived, on standard error: every line (or, with --all, every pair), enclave, and
/// what was bridged or set aside.
fn summarise(derived: &Derived, all: bool) {
    let tolerance = derived.options().tolerance_m;
    for pair in &derived.pairs {
        let border = format!("{}-{}", pair.a, pair.b);
        let lines: Vec<_> = derived
            .lines
            .iter()
            .filter(|l| l.a == pair.a && l.b == pair.b)
            .collect();
        if all {
            let km: f64 = lines.iter().map(|l| l.length_km()).sum();
            eprintln!("border {border}: {} lines, {km:.3} km", lines.len());
        } else {
            for l in &lines {
                eprintln!("line {}: {:.3} km", l.id, l.length_km());
            }
        }
        let b = pair.bridged;
        let c = pair.chaining;
        if b.stretches > 0 || c.joins > 0 {
            eprintln!(
                "  {border}: {} stretches where the outlines are up to {:.3} m apart, and {} \
                 piece ends up to {:.3} m apart, taken as shared (tolerance {tolerance} m)",
                b.stretches, b.largest_m, c.joins, c.join_largest_m
            );
        }
        if c.gaps > 0 {
            eprintln!(
                "  {border}: {} gaps (water, or land the source gives to neither) bridged, \
                 {:.3} km in all, the widest {:.3} km",
                c.gaps,
                c.gap_total_m / 1000.0,
                c.gap_largest_m / 1000.0
            );
        }
    }
    for e in &derived.enclaves {
        let enclave = &e.enclave;
        eprintln!(
            "enclave {} ({} in {}): {:.2} km²",
            enclave.name, enclave.country, e.host, enclave.area_km2
        );
    }
    for o in &derived.overlaps {
        eprintln!(
            "not enclaves: {} polygons of {} ({:.2} km²) coincide with {}'s outline: the source \
             gives that land to both",
            o.polygons, o.country, o.area_km2, o.other
        );
    }
    for island in &derived.lake_islands {
        eprintln!(
            "not an enclave: a {} island of {:.2} km² in a lake of {} (at {:.5}E {:.5}N), \
             touching it nowhere",
            island.country, island.area_km2, island.host, island.at.x, island.at.y
        );
    }
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
