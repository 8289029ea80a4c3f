//! `borderline report --svg`: the space–time chart, checked structurally against the inputs and
//! rendered once in headless Chromium.
//!
//! Bands: for every line of the border GeoJSON, the bands tile its length × the chart's time
//! span exactly (areas add up, none overlap), and each band's status and basis are those of the
//! status CSV at its corners and centre (`tests/oracle`, read without borderline); hatching marks
//! exactly the modelled bands. Dots: one per counted incident, at the chainage and first day
//! the tagged CSV gives it.

mod browser;
mod oracle;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use browser::{attribute, elements};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Day number of an ISO date (days since 1970-01-01).
fn day(iso: &str) -> i64 {
    iso.parse::<jiff::civil::Date>()
        .unwrap()
        .duration_since(jiff::civil::date(1970, 1, 1))
        .as_secs()
        / 86_400
}

fn iso(day: i64) -> String {
    (jiff::civil::date(1970, 1, 1) + jiff::Span::new().days(day)).to_string()
}

/// The first day of an incident date as the fixture writes them: `YYYY-MM-DD`, `YYYY-MM` or
/// `START/END`.
fn first_day(text: &str) -> String {
    let start = text.split('/').next().unwrap();
    if start.len() == 7 {
        format!("{start}-01")
    } else {
        start.to_string()
    }
}

struct Band {
    line: String,
    status: String,
    basis: String,
    from_km: f64,
    to_km: f64,
    from: i64,
    to: i64,
}

#[test]
fn space_time_chart_has_every_band_and_every_incident() {
    let work = tempfile::tempdir().unwrap();
    let svg_path = work.path().join("chart.svg");
    let tagged = root().join("tests/fixtures/report/incidents-tagged.csv");
    // From before the first status record, so that every incident is counted.
    let run = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .arg("report")
        .arg(&tagged)
        .args(["--from", "2014-01-01", "--svg"])
        .arg(&svg_path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(
        svg.matches("http").count(),
        1,
        "only the namespace: no external references"
    );
    assert!(
        svg.contains("© OpenStreetMap contributors, ODbL"),
        "no attribution"
    );

    let lines = oracle::lines(&root().join("data/kgz-tjk/border.geojson"));
    let rows = oracle::status_rows(&root().join("data/kgz-tjk/status.csv"));
    let bands: Vec<Band> = elements(&svg, "band")
        .iter()
        .map(|(tag, _)| {
            let get = |a: &str| {
                attribute(tag, a)
                    .unwrap_or_else(|| panic!("{a} in {tag}"))
                    .to_string()
            };
            Band {
                line: get("data-line"),
                status: get("data-status"),
                basis: get("data-basis"),
                from_km: get("data-from-km").parse().unwrap(),
                to_km: get("data-to-km").parse().unwrap(),
                from: day(&get("data-from")),
                to: day(&get("data-to")),
            }
        })
        .collect();
    let start = bands.iter().map(|b| b.from).min().unwrap();
    let end = bands.iter().map(|b| b.to).max().unwrap();
    // The span holds the whole history and every incident.
    let changes: Vec<i64> = rows.iter().map(|r| day(&r.from)).collect();
    assert!(start <= *changes.iter().min().unwrap() && start <= day("2014-01-11"));
    assert!(end > *changes.iter().max().unwrap());

    for line in &lines {
        let mine: Vec<&Band> = bands.iter().filter(|b| b.line == line.id).collect();
        assert!(!mine.is_empty(), "no band for line {}", line.id);
        // They tile length × span: areas add up and no two overlap.
        let area: f64 = mine
            .iter()
            .map(|b| (b.to_km - b.from_km) * (b.to - b.from) as f64)
            .sum();
        let whole = line.length_km * (end - start) as f64;
        assert!(
            (area - whole).abs() < 1e-6 * whole,
            "{}: {area} of {whole}",
            line.id
        );
        for (i, a) in mine.iter().enumerate() {
            for b in &mine[i + 1..] {
                let km = a.to_km.min(b.to_km) - a.from_km.max(b.from_km);
                let days = a.to.min(b.to) - a.from.max(b.from);
                assert!(km <= 1e-9 || days <= 0, "{}: bands overlap", line.id);
            }
        }
        // Each band has the status CSV's status and basis wherever it is.
        for b in &mine {
            let probes = [
                (b.from_km + 1e-6, b.from),
                ((b.from_km + b.to_km) / 2.0, (b.from + b.to) / 2),
                (b.to_km - 1e-6, b.to - 1),
            ];
            for (km, d) in probes {
                let row = oracle::row_at(&rows, line, km, &iso(d));
                let (status, basis) =
                    row.map_or(("unknown", ""), |r| (r.status.as_str(), r.basis.as_str()));
                assert_eq!(
                    (b.status.as_str(), b.basis.as_str()),
                    (status, basis),
                    "{} km {km} on {}",
                    line.id,
                    iso(d)
                );
            }
        }
    }
    assert!(bands.iter().all(|b| lines.iter().any(|l| l.id == b.line)));
    // Hatching marks the modelled bands, and only them.
    let modelled = bands.iter().filter(|b| b.basis == "modelled").count();
    assert!(modelled > 0);
    assert_eq!(elements(&svg, "modelled").len(), modelled);
    // Direct labels: the statuses are written in the bands.
    let labels: Vec<&str> = elements(&svg, "band-label")
        .iter()
        .map(|(_, t)| *t)
        .collect();
    assert!(
        labels.contains(&"undelimited") && labels.contains(&"delimited"),
        "{labels:?}"
    );

    // One dot per incident, where and when the tagged file puts it.
    let mut reader = csv::Reader::from_path(&tagged).unwrap();
    let mut want: Vec<(String, String, String)> = reader
        .deserialize::<BTreeMap<String, String>>()
        .map(Result::unwrap)
        .filter(|r| r["tag_error"].is_empty() && !r["segment_id"].is_empty())
        .map(|r| {
            (
                r["line"].clone(),
                r["chainage_km"].parse::<f64>().unwrap().to_string(),
                first_day(&r["date"]),
            )
        })
        .collect();
    let mut got: Vec<(String, String, String)> = elements(&svg, "incident")
        .iter()
        .map(|(tag, _)| {
            let get = |a: &str| attribute(tag, a).unwrap().to_string();
            (
                get("data-line"),
                get("data-chainage").parse::<f64>().unwrap().to_string(),
                get("data-date"),
            )
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(want.len(), 33);
    assert_eq!(got, want);

    // A person sees it: Chromium renders it at its size.
    let Some(chromium) = browser::chromium_or_skip("space_time_chart (rendering)") else {
        return;
    };
    let size = |a: &str| -> u32 {
        attribute(&svg[..svg.find('>').unwrap()], a)
            .unwrap()
            .parse::<f64>()
            .unwrap() as u32
    };
    let (w, h) = (size("width"), size("height"));
    let png = browser::screenshot(
        &chromium,
        &format!("file://{}", svg_path.display()),
        work.path(),
        "chart",
        (w, h),
    );
    assert_eq!(browser::png_size(&png), (w, h));
    assert!(png.len() > 20_000, "a blank picture? {} bytes", png.len());
}
