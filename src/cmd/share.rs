//! `borderline share`: km and share of the border per status at a date.

use std::io::Write;

use borderline::ShareReport;
use borderline::render::Format;
use borderline::share::ShareBy;

use super::{BorderArgs, Outcome, date_arg};

const EXAMPLES: &str = "\
Examples:
  borderline share                                 # today, bundled Kyrgyz–Tajik border
  borderline share --as-of 2022-10-07 --format json
  borderline share --as-of 2022-10-07 --by line
  borderline share --border fergana --by border    # every pair of the Fergana Valley
  borderline share --history --format csv > trajectory.csv
  borderline share --border my-border.geojson --status my-status.csv

Lengths are geodesic on the WGS84 ellipsoid. Segments whose status rests on rows labelled
basis=modelled are counted in modelled_km, and a footnote says so (on stderr with --format csv);
so does one for lines no status row covers (their status is unknown at every date).";

/// Km and share of the border per status, geodesic on WGS84, at a date.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The date to report (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<borderline::date::Date>,
    /// Break the figures down by border line or by pair of countries.
    #[arg(long, value_enum, value_name = "WHAT")]
    by: Option<ShareBy>,
    /// One row per date on which the status history changes.
    #[arg(long, conflicts_with_all = ["as_of", "by"])]
    history: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    border: BorderArgs,
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let report = if args.history {
        ShareReport::history(&border)
    } else {
        let date = args.as_of.unwrap_or_else(borderline::date::today);
        ShareReport::at(&border, date, args.by)
    };
    let rendered = report.render(args.format);
    let mut out = std::io::stdout().lock();
    out.write_all(rendered.text.as_bytes())?;
    out.flush()?;
    if args.format == Format::Csv {
        for note in &rendered.notes {
            eprintln!("* {note}");
        }
    }
    Ok(())
}
