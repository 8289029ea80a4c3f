//! Renders `borderline map` in headless Chromium and checks what a person would see, at two
//! dates opened with `#date=` and once after moving the slider: the legend equals
//! `borderline share --as-of` (and an independent measurement of the border), the segments'
//! colours follow, the incidents dated up to the date are shown and no others, the country and
//! enclave names and the attribution are on the map, and the page makes no network request.
//! The static `map --svg` is rendered too.
//!
//! Expected values come from the inputs (`tests/oracle`): the GeoJSON's lines measured with
//! geographiclib-rs, the status CSV read plainly, the incident CSV's dates, the names in the
//! GeoJSON. Without a browser the test is skipped with a message on the terminal, unless `CI`
//! is set: then it fails.

mod browser;
mod oracle;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use browser::{attribute, elements, has_class};

const AS_OF: &str = "2022-10-07";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn borderline(args: &[&str]) -> Vec<u8> {
    let run = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "borderline {args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run.stdout
}

/// The incident fixture's rows that a map can draw (no tag_error, numeric coordinates), as
/// their ISO dates.
fn drawable_dates(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (date, lat, lon, error) = (col("date"), col("lat"), col("lon"), col("tag_error"));
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r[error].is_empty())
        .filter(|r| r[lat].parse::<f64>().is_ok() && r[lon].parse::<f64>().is_ok())
        .map(|r| r[date].to_string())
        .collect()
}

/// What the page shows at one date.
struct Shown {
    /// (status, km, share, segments) per legend row, as the DOM carries them.
    legend: Vec<(String, f64, f64, u64)>,
    /// Segments drawn per status.
    segments: std::collections::BTreeMap<String, u64>,
    /// Incident markers shown.
    incidents: usize,
}

fn read(dom: &str) -> Shown {
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page did not finish drawing: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(!dom.contains("id=\"error\""), "the page reported an error");
    let legend = elements(dom, "legend-item")
        .into_iter()
        .filter(|(tag, _)| tag.starts_with("<li"))
        .map(|(tag, _)| {
            let get = |a: &str| attribute(tag, a).unwrap().to_string();
            (
                get("data-status"),
                get("data-km").parse().unwrap(),
                get("data-share").parse().unwrap(),
                get("data-segments").parse().unwrap(),
            )
        })
        .collect();
    let mut segments = std::collections::BTreeMap::new();
    for (tag, _) in elements(dom, "f-segment") {
        *segments
            .entry(attribute(tag, "data-status").unwrap().to_string())
            .or_insert(0) += 1;
    }
    let incidents = elements(dom, "f-incident")
        .iter()
        .filter(|(tag, _)| !has_class(tag, "off"))
        .count();
    Shown {
        legend,
        segments,
        incidents,
    }
}

/// Checks the page at `date` against `share --as-of` and the oracle.
fn check_at(dom: &str, date: &str, incident_dates: &[String]) {
    let shown = read(dom);
    assert!(
        dom.contains(&format!("as of {date}</h1>")),
        "title without the date {date}"
    );
    assert!(dom.contains(&format!("data-date=\"{date}\"")));
    // The legend is `share`'s table for the date: km to the metre, shares to 1e-6.
    let share: Value =
        serde_json::from_slice(&borderline(&["share", "--as-of", date, "--format", "json"]))
            .unwrap();
    let expected = share["statuses"].as_object().unwrap();
    assert_eq!(
        shown.legend.len(),
        expected.len(),
        "{date}: {:?}",
        shown.legend
    );
    for (status, km, fraction, segments) in &shown.legend {
        let want = &expected[status.as_str()];
        let round = |v: f64, d: i32| (v * 10f64.powi(d)).round() / 10f64.powi(d);
        assert_eq!(
            round(*km, 3),
            want["km"].as_f64().unwrap(),
            "{date} {status} km"
        );
        assert_eq!(
            round(*fraction, 6),
            want["share"].as_f64().unwrap(),
            "{date} {status}"
        );
        assert_eq!(
            *segments,
            want["segments"].as_u64().unwrap(),
            "{date} {status}"
        );
        // The segments drawn in that status are the ones counted.
        assert_eq!(
            shown.segments.get(status),
            Some(segments),
            "{date} {status}"
        );
    }
    // And both equal the border measured independently.
    let lines = oracle::lines(&root().join("data/kgz-tjk/border.geojson"));
    let rows = oracle::status_rows(&root().join("data/kgz-tjk/status.csv"));
    let km = oracle::km_by_status(&lines, &rows, date);
    assert_eq!(km.len(), shown.legend.len(), "{date}: {km:?}");
    for (status, got, _, _) in &shown.legend {
        assert!(
            (km[status] - got).abs() < 1e-6,
            "{date} {status}: {got} vs {}",
            km[status]
        );
    }
    // The incidents shown are those dated up to the date.
    let due = incident_dates.iter().filter(|d| d.as_str() <= date).count();
    assert_eq!(shown.incidents, due, "{date}: incidents shown");
    assert!(
        dom.contains(&format!("data-shown=\"{due}\"")),
        "{date}: the incident count"
    );
}

#[test]
fn map_moves_through_time_in_headless_chromium() {
    let Some(chromium) = browser::chromium_or_skip("map_moves_through_time_in_headless_chromium")
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("map.html");
    let incidents = root().join("tests/fixtures/tagged_incidents.csv");
    let places = root().join("data/source/places.csv");
    borderline(&[
        "map",
        "--as-of",
        AS_OF,
        "--incidents",
        incidents.to_str().unwrap(),
        "--places",
        places.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    let dates = drawable_dates(&incidents);
    assert_eq!(dates.len(), 6);
    let url = format!("file://{}", page.display());

    // Two dates opened from the URL: before the third incident's day, and after it (the
    // incident dated 2021-04-28 is shown on that very day), and 2024-05-01, mid-way through the
    // 2024 agreements.
    let mut counts = Vec::new();
    for date in ["2021-04-27", "2021-04-28", "2024-05-01"] {
        let (dom, log) = browser::dom(&chromium, &format!("{url}#date={date}"), work.path(), date);
        check_at(&dom, date, &dates);
        counts.push(read(&dom).incidents);
        let requests = browser::page_requests(&log);
        assert!(
            requests.is_empty(),
            "the map made network requests: {requests:?}"
        );
        if date == "2024-05-01" {
            check_context(&dom);
        }
    }
    assert_eq!(counts, [2, 3, 6], "markers shown as the date moves");

    // The slider, driven as a person would: set its value, dispatch the input event.
    let slid = "2014-03-01";
    let driven = work.path().join("driven.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let day = slid
        .parse::<jiff::civil::Date>()
        .unwrap()
        .duration_since(jiff::civil::date(1970, 1, 1))
        .as_secs()
        / 86_400;
    let script = format!(
        "<script>var s = document.getElementById('slider'); s.value = '{day}'; \
         s.dispatchEvent(new Event('input', {{bubbles: true}}));</script></body>"
    );
    std::fs::write(&driven, html.replacen("</body>", &script, 1)).unwrap();
    let (dom, _) = browser::dom(
        &chromium,
        &format!("file://{}", driven.display()),
        work.path(),
        "driven",
    );
    check_at(&dom, slid, &dates);

    // The static SVG renders and carries the same context.
    let svg = work.path().join("map.svg");
    borderline(&[
        "map",
        "--as-of",
        AS_OF,
        "--incidents",
        incidents.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(!text.contains("<script"), "the static map has a script");
    check_context(&text);
    let png = browser::screenshot(
        &chromium,
        &format!("file://{}", svg.display()),
        work.path(),
        "map-svg",
        (1280, 900),
    );
    assert_eq!(browser::png_size(&png), (1280, 900));

    // The net-log filter does see requests a page makes (so an empty list above means something).
    let control = work.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><img src=\"http://127.0.0.1:9/tile.png\">\
         <script>fetch('http://127.0.0.1:9/data.json').catch(function () {});</script>",
    )
    .unwrap();
    let (_, log) = browser::dom(
        &chromium,
        &format!("file://{}", control.display()),
        work.path(),
        "control",
    );
    let requests = browser::page_requests(&log);
    assert!(
        requests.iter().any(|u| u.contains("127.0.0.1:9/tile.png")),
        "the net log filter missed a page request: {requests:?}"
    );
}

/// Country and enclave names (as the GeoJSON spells them) and the OpenStreetMap credit.
fn check_context(dom: &str) {
    let lines = oracle::lines(&root().join("data/kgz-tjk/border.geojson"));
    let labels: Vec<&str> = elements(dom, "country-label")
        .iter()
        .map(|(_, text)| *text)
        .collect();
    for (_, name) in &lines[0].countries {
        assert!(
            labels.contains(&name.to_uppercase().as_str()),
            "no label {name}: {labels:?}"
        );
    }
    let enclaves: Vec<&str> = elements(dom, "enclave-label")
        .iter()
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(enclaves, ["Vorukh"]);
    assert!(
        dom.contains("© OpenStreetMap contributors, ODbL"),
        "no attribution"
    );
}
