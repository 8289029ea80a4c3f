//! What `export` and `map` draw over the border, and the options that choose it: tagged
//! incidents, place labels and the border data's credit, and the colours (help text shared by
//! both commands).

use std::path::PathBuf;

use borderline::export::Incidents;
use borderline::places::Places;

use super::{ColumnArgs, Failure, ReadArgs};

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
    ) -> Result<(Option<Incidents>, Option<Places>), Failure> {
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
) -> Result<Option<Incidents>, Failure> {
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
