//! `borderline map`: one self-contained HTML file (inline SVG and script, no network) that draws
//! the border coloured by status, the enclaves and tagged incidents.

use std::io::Write;
use std::path::PathBuf;

use borderline::export::{Options, feature_collection, legend_order, status_color};
use borderline::share::share_at;
use serde_json::{Value, json};

use super::export::{PALETTE_HELP, load_incidents};
use super::output::Output;
use super::{BorderArgs, ColumnArgs, Outcome, ReadArgs, date_arg};

const TEMPLATE: &str = include_str!("map_template.html");
const TOKEN: &str = "__BORDERLINE_DATA__";

const EXAMPLES: &str = "\
Examples:
  borderline map                                            # map.html, statuses today
  borderline map --as-of 2022-10-07 --incidents tagged.csv -o map-2022-10-07.html
  borderline map --title 'Batken border' -o - > page.html

The page works offline from a double-click: no external scripts, fonts or tiles. Pan with the
mouse, touch or arrow keys, zoom with the wheel, a pinch, +/- or the buttons; hover or click a
segment, enclave or incident for its details. The legend gives km and % per status at the date
(the numbers of `borderline share --as-of DATE`); a footnote says when modelled statuses
contribute. With --incidents, a hidden layer links each incident to its nearest border point.
";

/// Write a self-contained HTML map of the border (and tagged incidents) at a date.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n{PALETTE_HELP}"))]
pub struct Args {
    /// Output file (`-`: standard output); a regular file is replaced atomically.
    #[arg(short, long, value_name = "map.html", default_value = "map.html")]
    output: PathBuf,
    /// The date to map (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<borderline::date::Date>,
    /// Tagged incident CSV (as `borderline tag` writes it) to draw as points.
    #[arg(long, value_name = "TAGGED.csv")]
    incidents: Option<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Title of the page ("as of DATE" is appended) [default: "<border name> border"].
    #[arg(long, value_name = "T")]
    title: Option<String>,
    #[command(flatten)]
    border: BorderArgs,
}

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let incidents = load_incidents(args.incidents.as_deref(), &args.read, &args.columns)?;
    let date = args.as_of.unwrap_or_else(borderline::date::today);
    let options = Options {
        date,
        precision: borderline::geojson_out::DEFAULT_PRECISION,
        links: incidents.is_some(),
    };
    let features = feature_collection(&border, incidents.as_ref(), &options);
    let share = share_at(&border, date);
    let mut statuses: Vec<_> = share.statuses.iter().collect();
    statuses.sort_by_key(|(name, _)| legend_order(name));
    let legend: Vec<Value> = statuses
        .iter()
        .map(|(name, s)| {
            json!({"status": name, "km": s.km, "share": s.share, "color": status_color(name)})
        })
        .collect();
    let footnote = if share.has_modelled() {
        let modelled: f64 = share.statuses.values().map(|s| s.modelled_km).sum();
        json!(format!(
            "* Some statuses are modelled, not sourced (basis=modelled; see the data's README): \
             {modelled:.1} of {:.1} km rest on modelled rows. Treat km and shares as estimates.",
            share.total_km
        ))
    } else {
        Value::Null
    };
    let data = json!({
        "title": args.title.unwrap_or_else(|| format!("{} border", border.name)),
        "as_of": date.to_string(),
        "total_km": share.total_km,
        "legend": legend,
        "footnote": footnote,
        "features": features,
    });
    let html = render(&data);
    let mut out = Output::create(Some(&args.output))?;
    out.write_all(html.as_bytes())?;
    out.commit()?;
    Ok(())
}

/// The template with `data` in place of its placeholder. The JSON sits in a
/// `<script type="application/json">` element, so every `<` is written `\u003c` (no `</script>`
/// or `<!--` can end or change it) and U+2028/U+2029 as escapes.
fn render(data: &Value) -> String {
    let payload = serde_json::to_string(data)
        .unwrap_or_else(|e| unreachable!("a JSON value always serialises: {e}"))
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    debug_assert_eq!(TEMPLATE.matches(TOKEN).count(), 1);
    TEMPLATE.replacen(TOKEN, &payload, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_has_one_placeholder() {
        assert_eq!(TEMPLATE.matches(TOKEN).count(), 1);
    }

    #[test]
    fn hostile_text_cannot_leave_the_data_element() {
        let text = "</script><script>alert(1)</script> <!-- \u{2028}\u{2029} \"q\" __BORDERLINE_DATA__ ü 🚧";
        let html = render(&json!({"title": text}));
        let start = html.find("id=\"borderline-data\">").unwrap() + "id=\"borderline-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let back: Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(back["title"], text);
        assert!(!html[start..end].contains('\u{2028}'));
    }
}
