//! `borderline export`: the border (and tagged incidents) as one styled RFC 7946 GeoJSON file.

use std::io::Write;
use std::path::PathBuf;

use borderline::export::{Incidents, Options, feature_collection};
use borderline::places::Places;

use super::output::Output;
use super::{BorderArgs, ColumnArgs, Outcome, ReadArgs, date_arg};

pub(crate) const PALETTE_HELP: &str = "\
Colours: statuses in saturated Okabe–Ito colours (safe for the common forms of colour
blindness), as simplestyle `stroke` of segments and `marker-color` of incidents:
  undelimited  #D55E00 vermillion      delimited  #0072B2 blue
  demarcated   #009E73 bluish green    disputed   #CC79A7 reddish purple
  unknown      #999999 grey (also an empty status)
  other statuses of the border, in name order: #E69F00 orange, #56B4E9 sky blue, then
  generated dark hues, so no two statuses of one border share a colour.
Countries: light tones, neighbours different; an enclave is filled with its owner's tone and
outlined in #1F2328, so no status colour is ever a fill colour.";

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

/// The layers drawn over the border (by `export` and `map`): tagged incidents, places, and the
/// border data's credit.
#[derive(Debug, clap::Args)]
pub(crate) struct LayerArgs {
    /// Tagged incident CSV (as `borderline tag` writes it) to draw as points.
    #[arg(long, value_name = "TAGGED.csv")]
    incidents: Option<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Place labels: a CSV with a name and latitude/longitude columns (e.g.
    /// data/source/places.csv).
    #[arg(long, value_name = "PLACES.csv")]
    places: Option<PathBuf>,
    /// Credit for the border data [default: the border file's top-level "attribution"].
    #[arg(long, value_name = "TEXT")]
    pub(crate) attribution: Option<String>,
}

impl LayerArgs {
    /// Reads the incidents and places, and says on stderr when nothing credits the border.
    pub(crate) fn load(
        &self,
        border: &borderline::Border,
    ) -> Result<(Option<Incidents>, Option<Places>), super::Failure> {
        let incidents = load_incidents(self.incidents.as_deref(), &self.read, &self.columns)?;
        let places = self
            .places
            .as_deref()
            .map(|p| Places::read(p, &self.read.options()))
            .transpose()?;
        warn_uncredited(border, self.attribution.as_deref());
        Ok((incidents, places))
    }
}

/// Reads `--incidents` and reports skipped rows on stderr.
fn load_incidents(
    path: Option<&std::path::Path>,
    read: &ReadArgs,
    columns: &ColumnArgs,
) -> Result<Option<Incidents>, super::Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let incidents = Incidents::read(path, &read.options(), &columns.choice(), columns.date_order)?;
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

/// Says on stderr when neither the border file nor `--attribution` credits the border data.
fn warn_uncredited(border: &borderline::Border, attribution: Option<&str>) {
    if attribution.is_none() && border.attribution.is_none() {
        eprintln!(
            "borderline: the border file has no top-level \"attribution\": the picture credits no \
             source; name it with --attribution (e.g. \"© OpenStreetMap contributors, ODbL\")"
        );
    }
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
