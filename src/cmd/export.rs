//! `borderline export`: the border (and tagged incidents) as one styled RFC 7946 GeoJSON file.

use std::io::Write;
use std::path::PathBuf;

use borderline::export::{Incidents, Options, feature_collection};

use super::output::Output;
use super::{BorderArgs, ColumnArgs, Outcome, ReadArgs, date_arg};

pub(crate) const PALETTE_HELP: &str = "\
Colours (Okabe–Ito palette, safe for the common forms of colour blindness), as simplestyle
`stroke` of segments and `marker-color` of incidents:
  undelimited  #D55E00 vermillion      delimited  #0072B2 blue
  demarcated   #009E73 bluish green    disputed   #CC79A7 reddish purple
  unknown      #999999 grey (also an empty status)
  any other status: #E69F00 orange, #56B4E9 sky blue, #F0E442 yellow or #000000 black, chosen
  by a stable hash of its lower-cased name (the same name always gets the same colour).
Enclaves: fill #F0E442 yellow at 45 % opacity, outline #000000.";

const EXAMPLES: &str = "\
Examples:
  borderline export -o border.geojson                       # statuses today
  borderline export --as-of 2022-10-07 --incidents tagged.csv --links -o incidents.geojson
  borderline export --precision 5 | jq '.features | length'

Output (RFC 7946): [lon, lat] positions rounded to --precision decimals, outer rings
counter-clockwise and holes clockwise, no crs member, a bbox on the collection.
Features, in drawing order:
  kind=enclave   Polygon: name, country, area_km2, fill, fill-opacity, stroke
  kind=segment   LineString: id, line, border, status (at --as-of), from_km, to_km, length_km, basis,
                 source, since, stroke, stroke-width, stroke-opacity
  kind=link      LineString from an incident to its nearest border point (--links):
                 segment_id, distance_m
  kind=incident  Point: every CSV field as text, then the tag columns (numbers as numbers),
                 marker-color by the row's tagged status
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
    /// Tagged incident CSV (as `borderline tag` writes it) to add as points.
    #[arg(long, value_name = "TAGGED.csv")]
    incidents: Option<PathBuf>,
    /// Add a line from each incident to its nearest border point.
    #[arg(long, requires = "incidents")]
    links: bool,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Decimal places of coordinates (6 ≈ 0.1 m).
    #[arg(long, value_name = "N", default_value_t = borderline::geojson_out::DEFAULT_PRECISION,
          value_parser = clap::value_parser!(u32).range(0..=15))]
    precision: u32,
    #[command(flatten)]
    border: BorderArgs,
}

/// Reads `--incidents` and reports skipped rows on stderr.
pub(crate) fn load_incidents(
    path: Option<&std::path::Path>,
    read: &ReadArgs,
    columns: &ColumnArgs,
) -> Result<Option<Incidents>, super::Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let incidents = Incidents::read(path, &read.options(), &columns.choice())?;
    if incidents.skipped() > 0 {
        eprintln!(
            "borderline: {}: skipped {} of {} incident rows ({} with a tag_error, {} with unusable coordinates)",
            path.display(),
            incidents.skipped(),
            incidents.skipped() + incidents.rows.len(),
            incidents.skipped_tag_error,
            incidents.skipped_coordinates
        );
    }
    Ok(Some(incidents))
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let incidents = load_incidents(args.incidents.as_deref(), &args.read, &args.columns)?;
    let options = Options {
        date: args.as_of.unwrap_or_else(borderline::date::today),
        precision: args.precision,
        links: args.links,
    };
    let fc = feature_collection(&border, incidents.as_ref(), &options);
    let mut out = Output::create(Some(&args.output))?;
    // An I/O error comes back as the output's own (naming its path, a closed pipe as such).
    serde_json::to_writer(&mut out, &fc).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.commit()?;
    Ok(())
}
