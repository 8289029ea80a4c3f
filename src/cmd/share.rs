//! `borderline share`: km and share of the border per status at a date.

use std::io::Write;

use borderline::Border;
use borderline::share::{Share, history, share_at, share_by_border, share_by_line};
use serde_json::{Value, json};

use super::{BorderArgs, Format, Outcome, date_arg, write_csv, write_table};

const EXAMPLES: &str = "\
Examples:
  borderline share                                 # today, bundled Kyrgyz–Tajik border
  borderline share --as-of 2022-10-07 --format json
  borderline share --as-of 2022-10-07 --by line
  borderline share --border fergana --by border    # every pair of the Fergana Valley
  borderline share --history --format csv > trajectory.csv
  borderline share --border my-border.geojson --status my-status.csv

Lengths are geodesic on the WGS84 ellipsoid. Segments whose status rests on rows labelled
basis=modelled are counted in modelled_km, and a footnote says so; so does one for lines that
no status row covers (their status is unknown at every date).";

/// Km and share of the border per status, geodesic on WGS84, at a date.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The date to report (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<borderline::date::Date>,
    /// Break the figures down by border line, or by pair of countries.
    #[arg(long, value_enum, value_name = "WHAT")]
    by: Option<By>,
    /// One row per date on which the status history changes.
    #[arg(long, conflicts_with_all = ["as_of", "by"])]
    history: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    border: BorderArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// One block per border line.
    Line,
    /// One block per pair of countries (the lines' `border`, A-B).
    Border,
}

impl By {
    /// The name of the column (and JSON member) that says which line or pair.
    fn column(self) -> &'static str {
        match self {
            By::Line => "line",
            By::Border => "border",
        }
    }
}

const FOOTNOTE: &str = "* Some statuses are modelled, not sourced (basis=modelled; see the data's README): treat km and shares as estimates.";

pub fn run(args: Args) -> Outcome {
    let border = args.border.load()?;
    let date = args.as_of.unwrap_or_else(borderline::date::today);
    let tables: Vec<(Option<String>, Share)> = if args.history {
        history(&border).into_iter().map(|s| (None, s)).collect()
    } else if let Some(by) = args.by {
        let groups = match by {
            By::Line => share_by_line(&border, date),
            By::Border => share_by_border(&border, date),
        };
        groups.into_iter().map(|(l, s)| (Some(l), s)).collect()
    } else {
        vec![(None, share_at(&border, date))]
    };
    let modelled = tables.iter().any(|(_, s)| s.has_modelled());
    let unknown = without_status(&border);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let doc = if args.history {
                json!({"border": border.name, "history": tables.iter().map(|(_, s)| share_json(s)).collect::<Vec<_>>()})
            } else if let Some(by) = args.by {
                let groups: Vec<Value> = tables
                    .iter()
                    .map(|(l, s)| {
                        let mut v = share_json(s);
                        v[by.column()] = json!(l);
                        v
                    })
                    .collect();
                let key = format!("{}s", by.column());
                json!({"border": border.name, "as_of": date.to_string(), "total_km": round(border.total_km(), 3), key: groups})
            } else {
                let mut v = share_json(&tables[0].1);
                v["border"] = json!(border.name);
                v
            };
            let mut doc = doc;
            doc["modelled"] = json!(modelled);
            if modelled {
                doc["note"] = json!(FOOTNOTE.trim_start_matches("* "));
            }
            let ids: Vec<&str> = border
                .lines_without_status()
                .iter()
                .map(|l| l.id.as_str())
                .collect();
            doc["lines_without_status"] = json!(ids);
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = tables
                .iter()
                .flat_map(|(line, s)| {
                    s.statuses.iter().map(move |(name, st)| {
                        let mut row = vec![s.as_of.clone()];
                        row.extend(line.clone());
                        row.extend([
                            name.clone(),
                            format!("{:.3}", st.km),
                            format!("{:.6}", st.share),
                            st.segments.to_string(),
                            format!("{:.3}", st.modelled_km),
                        ]);
                        row
                    })
                })
                .collect();
            let mut headers = vec!["as_of"];
            if let Some(by) = args.by {
                headers.push(by.column());
            }
            headers.extend(["status", "km", "share", "segments", "modelled_km"]);
            write_csv(&mut out, &headers, &rows)?;
            if modelled {
                eprintln!("{FOOTNOTE}");
            }
            if let Some(note) = &unknown {
                eprintln!("{note}");
            }
        }
        Format::Table if args.history => {
            let names: std::collections::BTreeSet<&String> =
                tables.iter().flat_map(|(_, s)| s.statuses.keys()).collect();
            let mut headers = vec!["date".to_string()];
            for n in &names {
                headers.push(format!("{n} km"));
                headers.push(format!("{n} %"));
            }
            let rows: Vec<Vec<String>> = tables
                .iter()
                .map(|(_, s)| {
                    let mut row = vec![s.as_of.clone()];
                    for n in &names {
                        let st = s.statuses.get(*n);
                        row.push(format!("{:.1}", st.map_or(0.0, |x| x.km)));
                        row.push(format!("{:.1}%", st.map_or(0.0, |x| 100.0 * x.share)));
                    }
                    row
                })
                .collect();
            writeln!(
                out,
                "{} border: share per status at every change of the status history",
                border.name
            )?;
            write_table(
                &mut out,
                &headers.iter().map(String::as_str).collect::<Vec<_>>(),
                &rows,
                &["date"],
            )?;
            if modelled {
                writeln!(out, "{FOOTNOTE}")?;
            }
            if let Some(note) = &unknown {
                writeln!(out, "{note}")?;
            }
        }
        Format::Table => {
            writeln!(
                out,
                "{} border as of {date}: {:.1} km",
                border.name,
                border.total_km()
            )?;
            let mut headers = Vec::new();
            if let Some(by) = args.by {
                headers.push(by.column());
            }
            headers.extend(["status", "km", "share", "segments"]);
            let rows: Vec<Vec<String>> = tables
                .iter()
                .flat_map(|(line, s)| {
                    s.statuses.iter().map(move |(name, st)| {
                        let mut row: Vec<String> = line.iter().cloned().collect();
                        row.extend([
                            name.clone(),
                            format!("{:.1}", st.km),
                            format!("{:.1}%", 100.0 * st.share),
                            st.segments.to_string(),
                        ]);
                        row
                    })
                })
                .collect();
            write_table(&mut out, &headers, &rows, &["line", "border", "status"])?;
            if modelled {
                writeln!(out, "{FOOTNOTE}")?;
            }
            if let Some(note) = &unknown {
                writeln!(out, "{note}")?;
            }
        }
    }
    Ok(())
}

/// The footnote for lines no status row covers, if there are any: how many, which (the first
/// few), and their km.
fn without_status(border: &Border) -> Option<String> {
    let lines = border.lines_without_status();
    if lines.is_empty() {
        return None;
    }
    const SHOWN: usize = 6;
    let mut ids: Vec<&str> = lines.iter().take(SHOWN).map(|l| l.id.as_str()).collect();
    if lines.len() > SHOWN {
        ids.push("…");
    }
    let km: f64 = lines.iter().map(|l| l.length_km).sum();
    Some(format!(
        "* No status history for {} of {} lines ({}; {km:.1} km): their status is unknown at every date (give --status to cover them).",
        lines.len(),
        border.lines.len(),
        ids.join(", ")
    ))
}

fn round(x: f64, decimals: u32) -> f64 {
    borderline::geojson_out::round(x, decimals)
}

fn share_json(s: &Share) -> Value {
    let statuses: serde_json::Map<String, Value> = s
        .statuses
        .iter()
        .map(|(name, st)| {
            (
                name.clone(),
                json!({"km": round(st.km, 3), "share": round(st.share, 6), "segments": st.segments, "modelled_km": round(st.modelled_km, 3)}),
            )
        })
        .collect();
    json!({"as_of": s.as_of, "total_km": round(s.total_km, 3), "statuses": statuses})
}
