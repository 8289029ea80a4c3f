//! `borderline export`: the border (and tagged incidents) as one styled RFC 7946 GeoJSON file.

use std::io::Write;
use std::path::PathBuf;

use borderline::export::{Options, feature_collection};

use super::layers::{LayerArgs, PALETTE_HELP};
use super::output::Output;
use super::{BorderArgs, Outcome, date_arg};

const EXAMPLES: &str = "\
Examples:
  borderline export -o border.geojson                       # statuses today
  borderline export --as-of 2022-10-07 --incidents tagged.csv --links -o incidents.geojson
  borderline export --places data/source/places.csv --precision 5 | jq '.features | length'

Output (RFC 7946): [lon, lat] positions rounded to --precision decimals, outer rings
counter-clockwise and holes clockwise, no crs member, a bbox on the collection (west > east
when it crosses the antimeridian), then the top-level members attribution (the border data's
credit) and as_of. Features, in drawing order:
  kind=country   MultiPolygon: key, name, fill (a light tone), fill-opacity
  kind=enclave   Polygon: name, country, area_km2, fill (its country's tone), stroke
  kind=segment   LineString: id, border, line, status (at --as-of), from_km, to_km, length_km,
                 basis, source, since, stroke, stroke-width, stroke-opacity
  kind=link      LineString from an incident to its nearest border point (--links):
                 segment_id, distance_m
  kind=incident  Point: every CSV field in CSV order (a column whose every value is a number
                 as JSON numbers, others as text), then the tag columns (numbers as numbers),
                 marker-color by the row's tagged status
  kind=place     Point (--places): every field of the place CSV, title, marker-color
--incidents takes the CSV `borderline tag` writes (any CSV with latitude and longitude
columns works, found as tag finds them or named with --lat/--lon); rows with a tag_error or
unusable coordinates are skipped and counted on stderr. With --links, a tagged row's link
ends at its border_lon/border_lat.
";

/// Export the border, its enclaves and tagged incidents as styled RFC 7946 GeoJSON.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n{PALETTE_HELP}"))]
pub struct Args {
    /// Output file (`-`: standard output); a regular file is replaced atomically.
    #[arg(short, long, value_name = "OUT.geojson", default_value = "-")]
    output: PathBuf,
    /// The date whose statuses colour the segments (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<borderline::date::Date>,
    #[command(flatten)]
    layers: LayerArgs,
    /// Add a line from each incident to its nearest border point.
    #[arg(long, requires = "incidents")]
    links: bool,
    /// Decimal places of coordinates (6 ≈ 0.1 m).
    #[arg(long, value_name = "N", default_value_t = borderline::geojson_out::DEFAULT_PRECISION,
          value_parser = clap::value_parser!(u32).range(0..=15))]
    precision: u32,
    #[command(flatten)]
    border: BorderArgs,
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let (incidents, places) = args.layers.load(&border)?;
    let options = Options {
        date: args.as_of.unwrap_or_else(borderline::date::today),
        precision: args.precision,
        links: args.links,
        attribution: args.layers.attribution,
    };
    let fc = feature_collection(&border, incidents.as_ref(), places.as_ref(), &options);
    let mut out = Output::create(Some(&args.output))?;
    // An I/O error comes back as the output's own (naming its path, a closed pipe as such).
    serde_json::to_writer(&mut out, &fc).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.commit()?;
    Ok(())
}
