//! `borderline map`: the border at a date with its countries, enclaves, incidents and places, as
//! one self-contained HTML page that moves through time, or as a static SVG.

use std::io::Write;
use std::path::PathBuf;

use borderline::map::{Map, MapOptions};

use super::layers::{LayerArgs, PALETTE_HELP};
use super::output::Output;
use super::{BorderArgs, Outcome, date_arg};

const EXAMPLES: &str = "\
Examples:
  borderline map                                            # map.html, statuses today
  borderline map --as-of 2022-10-07 --incidents tagged.csv --places data/source/places.csv -o map.html
  borderline map --as-of 2022-10-07 --incidents tagged.csv --svg map.svg   # static, for print
  borderline map --title 'Batken border' -o - > page.html

The page works offline from a double-click: no external scripts, fonts or tiles. The date
slider (or play) moves from the first status record to the last change and across the
incidents' dates: segment colours, the legend's km and % (the numbers of `borderline share
--as-of DATE`) and the incidents shown (those dated up to the date, older ones fainter, or
those within a window of days) follow it. Open it at a date with map.html#date=2022-09-16.
Pan with the mouse, touch or arrow keys, zoom with the wheel, a pinch, +/- or the buttons;
hover or click a segment, enclave, country or incident for its details (an incident's tags
first, then its CSV fields in order).

Markers: filled with the status on the incident's date; hollow grey: status unknown; dashed
ring: beyond the tagger's maximum distance; thick black ring: a tag_warning.
--svg writes the same map at --as-of as a static SVG (no script), with its legend.
";

/// Write a map of the border (with tagged incidents and places): an HTML page that moves
/// through time, or a static SVG.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n{PALETTE_HELP}"))]
pub struct Args {
    /// Output HTML file (`-`: standard output); a regular file is replaced atomically.
    #[arg(
        short,
        long,
        value_name = "map.html",
        default_value = "map.html",
        conflicts_with = "svg"
    )]
    output: PathBuf,
    /// Write the map as a static SVG to this file (`-`: standard output) instead of HTML.
    #[arg(long, value_name = "map.svg")]
    svg: Option<PathBuf>,
    /// The date to map (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<borderline::date::Date>,
    #[command(flatten)]
    layers: LayerArgs,
    /// Show only incidents dated within this many days up to the date [default: all up to
    /// it, older ones fainter].
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    window: Option<u32>,
    /// Title of the map ("as of DATE" is appended) [default: "<border name> border"].
    #[arg(long, value_name = "T")]
    title: Option<String>,
    #[command(flatten)]
    border: BorderArgs,
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let (incidents, places) = args.layers.load(&border)?;
    let options = MapOptions {
        date: args.as_of.unwrap_or_else(borderline::date::today),
        title: args.title,
        attribution: args.layers.attribution,
        window_days: args.window,
    };
    let map = Map::new(&border, incidents.as_ref(), places.as_ref(), options);
    let (path, text) = match &args.svg {
        Some(path) => (path, map.svg()),
        None => (&args.output, map.html()),
    };
    let mut out = Output::create(Some(path))?;
    out.write_all(text.as_bytes())?;
    out.commit()?;
    Ok(())
}
