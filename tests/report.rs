//! `borderline report` end to end: exposure on a hand-computed fixture, agreement of the table,
//! JSON and CSV outputs, the accounting of rows left out of the rates, and the SVG chart.
//!
//! Fixture `tests/fixtures/report/`: `border.geojson` has two lines on the equator, where the
//! WGS84 geodesic is the equator itself and its length is a·Δλ (a = 6378.137 km):
//!   A: 0°E → 0.9°E, L_A = 6378.137 · 0.9 · π/180 = 100.187542 km;
//!   B: 1.0°E → 1.1°E, L_B = 6378.137 · 0.1 · π/180 = 11.131949 km.
//! `status.csv`: A km 0–40 undelimited from 2020-01-01; A km 40–end undelimited from
//! 2020-01-01 and delimited from 2021-01-01 (agreed mid-period); B delimited since before the
//! records. Over 2019-07-01..2021-12-31 (915 days: 184 in 2019, 366 in 2020, 365 in 2021):
//!   unknown     = L_A·184/365.25                          =  50.470931 km·years
//!   undelimited = (40·(366+365) + (L_A−40)·366)/365.25     = 140.365887 km·years
//!   delimited   = (L_A−40)·365/365.25 + L_B·915/365.25     =  88.033364 km·years
//! `incidents.csv` (tagged with `--max-distance 5km` into `incidents-tagged-synthetic.csv`):
//! in the period, 3 undelimited, 2 delimited and 1 unknown incident; 2 rows outside it, 1 tag
//! error (latitude "abc"), 1 row 111 km from the border (beyond the max distance).
//! Rate ratio undelimited vs delimited, 3 / 140.365887 vs 2 / 88.033364, by the conditional
//! method: 0.940756 [0.107766, 11.263458] (`scipy.stats.beta.ppf` Clopper–Pearson limits for
//! 3 of 5, mapped through p/(1−p)·E2/E1; R's `poisson.test(c(3, 2), c(140.365887, 88.033364))`
//! uses the same formula).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use borderline::report::{Window, exposure};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

fn synthetic_args() -> Vec<String> {
    vec![
        "report".into(),
        fixture("incidents-tagged-synthetic.csv")
            .display()
            .to_string(),
        "--border".into(),
        fixture("border.geojson").display().to_string(),
        "--status".into(),
        fixture("status.csv").display().to_string(),
    ]
}

fn bundled_args() -> Vec<String> {
    vec![
        "report".into(),
        fixture("incidents-tagged.csv").display().to_string(),
    ]
}

fn period() -> Vec<String> {
    ["--from", "2019-07-01", "--to", "2021-12-31"]
        .map(String::from)
        .to_vec()
}

fn run(args: &[String]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(dir.path())
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn with(base: &[String], extra: &[&str]) -> Vec<String> {
    let mut v = base.to_vec();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn json(args: &[String]) -> Value {
    serde_json::from_str(&run(&with(args, &["--format", "json"]))).unwrap()
}

fn csv_rows(args: &[String]) -> Vec<std::collections::HashMap<String, String>> {
    let text = run(&with(args, &["--format", "csv"]));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Table rows split on runs of two or more spaces, keyed by their first cell.
fn table_rows(args: &[String]) -> Vec<Vec<String>> {
    let text = run(args);
    text.lines()
        .skip(3) // title, row accounting, column headers
        .take_while(|l| !l.starts_with('*'))
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-9)
}

#[test]
fn exposure_matches_hand_computation() {
    let border = borderline::Border::load(
        Some(&fixture("border.geojson")),
        Some(&fixture("status.csv")),
    )
    .unwrap();
    let window = Window {
        from: "2019-07-01".parse().unwrap(),
        to: "2021-12-31".parse().unwrap(),
    };
    assert_eq!(window.days(), 915);
    let e = exposure(&border.segments, window);
    assert!((e["unknown"] - 50.470931).abs() < 1e-5, "{e:?}");
    assert!((e["undelimited"] - 140.365887).abs() < 1e-5, "{e:?}");
    assert!((e["delimited"] - 88.033364).abs() < 1e-5, "{e:?}");
    // The same through the CLI.
    let doc = json(&[synthetic_args(), period()].concat());
    let km_years: Vec<(String, f64)> = doc["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_string(),
                s["km_years"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        km_years.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        ["undelimited", "delimited", "unknown"]
    );
    for ((_, got), want) in km_years.iter().zip([140.365887, 88.033364, 50.470931]) {
        assert!((got - want).abs() < 1e-5);
    }
}

#[test]
fn rates_and_rate_ratio_on_fixture() {
    let doc = json(&[synthetic_args(), period()].concat());
    let s = &doc["statuses"][0];
    assert_eq!(s["status"], "undelimited");
    assert_eq!(s["incidents"], 3);
    // 3 / 140.365887 × 100; Garwood: [0.618672, 8.767273] / 140.365887 × 100.
    assert!(close(
        s["rate_per_100_km_years"].as_f64().unwrap(),
        2.137271,
        1e-6
    ));
    assert!(close(s["rate_ci"][0].as_f64().unwrap(), 0.440757, 1e-5));
    assert!(close(s["rate_ci"][1].as_f64().unwrap(), 6.246014, 1e-5));
    assert!(close(s["rate_ratio"].as_f64().unwrap(), 0.940756, 1e-5));
    assert!(close(
        s["rate_ratio_ci"][0].as_f64().unwrap(),
        0.107766,
        1e-5
    ));
    assert!(close(
        s["rate_ratio_ci"][1].as_f64().unwrap(),
        11.263458,
        1e-5
    ));
    assert_eq!(doc["statuses"][1]["rate_ratio_note"], "reference");
    // Fatalities: 3 + lower bound of "1–2"; incident 5 ("about 4") and 3 (blank) are missing.
    assert_eq!(s["fatalities"], 4);
    assert_eq!(s["fatality_ranges"], 1);
    assert_eq!(doc["total"]["fatalities"], 6);
    assert_eq!(doc["total"]["fatalities_missing"], 2);
}

#[test]
fn rows_left_out_are_counted_not_dropped() {
    let doc = json(&[synthetic_args(), period()].concat());
    let rows = &doc["rows"];
    assert_eq!(rows["read"], 10);
    assert_eq!(rows["counted"], 6);
    assert_eq!(rows["tag_error"], 1);
    assert_eq!(rows["undated"], 0);
    assert_eq!(rows["outside_period"], 2);
    assert_eq!(rows["beyond_max_distance"], 1);
    assert_eq!(doc["excluded"]["beyond_max_distance"]["fatalities"], 7);
    let csv = csv_rows(&[synthetic_args(), period()].concat());
    let get = |k: &str| csv.iter().find(|r| r["status"] == k).unwrap()["incidents"].clone();
    assert_eq!(get("(tag error)"), "1");
    assert_eq!(get("(outside period)"), "2");
    assert_eq!(get("(beyond max distance)"), "1");
    assert_eq!(get("(all counted)"), "6");
    let text = run(&[synthetic_args(), period()].concat());
    assert!(
        text.contains(
            "10 rows: 6 counted (0 with warnings), 1 tag error, 0 undated, 2 outside the period, 1 beyond max distance"
        ),
        "{text}"
    );
}

#[test]
fn default_period_starts_with_the_status_records() {
    // The incidents span 2018-01-01..2022-01-01, but line A has no status before 2020-01-01:
    // the period starts then, and the two earlier incidents (rows 5 and 7) are outside it,
    // rather than counted under an invented "unknown" status.
    let doc = json(&synthetic_args());
    assert_eq!(doc["period"]["from"], "2020-01-01");
    assert_eq!(doc["period"]["to"], "2022-01-01");
    assert_eq!(doc["period"]["from_first_status_record"], true);
    assert_eq!(doc["rows"]["outside_period"], 2);
    assert_eq!(doc["rows"]["counted"], 6);
    assert!(
        doc["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] != "unknown"),
        "{doc}"
    );
    let text = run(&synthetic_args());
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("from the border's first status record to the last incident"),
        "{text}"
    );
}

/// Table, JSON and CSV carry the same numbers, for every grouping, on both fixtures.
fn assert_formats_agree(base: &[String]) {
    let doc = json(base);
    let csv = csv_rows(base);
    let table = table_rows(base);
    let statuses = doc["statuses"].as_array().unwrap();
    assert_eq!(csv.len(), statuses.len() + 1 + 4);
    assert_eq!(table.len(), csv.len());
    for (i, s) in statuses.iter().enumerate() {
        let (c, t) = (&csv[i], &table[i]);
        let name = s["status"].as_str().unwrap();
        assert_eq!(c["status"], name);
        assert_eq!(t[0], name);
        assert_eq!(c["incidents"], s["incidents"].to_string());
        assert_eq!(t[1], s["incidents"].to_string());
        assert_eq!(c["warned"], s["warned"].to_string());
        assert_eq!(t[2], s["warned"].to_string());
        assert_eq!(c["fatalities"], s["fatalities"].to_string());
        assert_eq!(t[3], s["fatalities"].to_string());
        assert_eq!(t[4], s["fatalities_missing"].to_string());
        let km_years = s["km_years"].as_f64().unwrap();
        assert!(close(c["km_years"].parse().unwrap(), km_years, 1e-6));
        assert_eq!(t[5], format!("{km_years:.1}"));
        let rate = s["rate_per_100_km_years"].as_f64().unwrap();
        assert!(close(
            c["rate_per_100_km_years"].parse().unwrap(),
            rate,
            1e-5
        ));
        assert!(close(t[6].parse().unwrap(), rate, 5e-3));
        match s["rate_ratio"].as_f64() {
            Some(rr) if s["rate_ratio_note"] == "reference" => {
                assert_eq!(rr, 1.0);
                assert_eq!(c["rate_ratio"], "1");
                assert_eq!(t[8], "1 (ref.)");
            }
            Some(rr) => {
                assert!(close(c["rate_ratio"].parse().unwrap(), rr, 1e-5));
                assert!(close(t[8].parse().unwrap(), rr, 5e-3));
                let lo = s["rate_ratio_ci"][0].as_f64().unwrap();
                assert!(close(c["rate_ratio_low"].parse().unwrap(), lo, 1e-5));
            }
            None => {
                // Unbounded (no reference incidents) or undefined.
                assert!(c["rate_ratio"] == "inf" || c["rate_ratio"].is_empty());
                assert!(t[8] == "∞" || t[8] == "—");
            }
        }
    }
    for (key, label) in [
        ("tag_error", "(tag error)"),
        ("undated", "(undated)"),
        ("outside_period", "(outside period)"),
        ("beyond_max_distance", "(beyond max distance)"),
    ] {
        let c = csv.iter().find(|r| r["status"] == label).unwrap();
        let t = table.iter().find(|r| r[0] == label).unwrap();
        assert_eq!(c["incidents"], doc["rows"][key].to_string());
        assert_eq!(t[1], doc["rows"][key].to_string());
    }
    // By segment and by line: same IDs, order and counts.
    for (by, key, id) in [
        ("segment", "segments", "segment_id"),
        ("line", "lines", "line"),
    ] {
        let args = with(base, &["--by", by]);
        let doc = json(&args);
        let csv = csv_rows(&args);
        let table = table_rows(&args);
        let groups = doc[key].as_array().unwrap();
        assert!(!groups.is_empty());
        for (i, g) in groups.iter().enumerate() {
            assert_eq!(csv[i][id], g[id].as_str().unwrap());
            assert_eq!(table[i][0], g[id].as_str().unwrap());
            assert_eq!(csv[i]["incidents"], g["incidents"].to_string());
            assert_eq!(
                csv[i]["status_history"],
                g["status_history"].as_str().unwrap()
            );
            assert!(table[i].contains(&g["incidents"].to_string()));
        }
        let counts: Vec<u64> = groups
            .iter()
            .map(|g| g["incidents"].as_u64().unwrap())
            .collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        let total: u64 = counts.iter().sum();
        assert_eq!(total, doc["rows"]["counted"].as_u64().unwrap());
    }
}

#[test]
fn formats_agree_on_synthetic_fixture() {
    assert_formats_agree(&[synthetic_args(), period()].concat());
    assert_formats_agree(&synthetic_args());
}

#[test]
fn formats_agree_on_bundled_border() {
    assert_formats_agree(&bundled_args());
    assert_formats_agree(&with(&bundled_args(), &["--reference", "undelimited"]));
}

#[test]
fn bundled_report_reads_every_row() {
    let doc = json(&bundled_args());
    assert_eq!(doc["rows"]["read"], 33);
    let counted: u64 = doc["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["incidents"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, doc["rows"]["counted"].as_u64().unwrap());
    // No incident in the sample is on a delimited stretch: the ratio is unbounded, said so.
    let undelimited = &doc["statuses"][0];
    assert_eq!(undelimited["status"], "undelimited");
    assert!(undelimited["rate_ratio"].is_null());
    assert!(undelimited["rate_ratio_ci"][0].as_f64().unwrap() > 1.0);
    assert!(undelimited["rate_ratio_ci"][1].is_null());
    assert!(
        undelimited["rate_ratio_note"]
            .as_str()
            .unwrap()
            .contains("unbounded")
    );
}

#[test]
fn segment_history_and_all_flag() {
    let args = with(&[synthetic_args(), period()].concat(), &["--by", "segment"]);
    let doc = json(&args);
    let segments = doc["segments"].as_array().unwrap();
    assert!(
        segments
            .iter()
            .all(|s| s["incidents"].as_u64().unwrap() > 0)
    );
    let a6 = segments
        .iter()
        .find(|s| s["segment_id"] == "A:006")
        .unwrap();
    assert_eq!(a6["incidents"], 2);
    assert_eq!(
        a6["status_history"],
        "undelimited since 2020-01-01 → delimited since 2021-01-01"
    );
    assert_eq!(a6["incidents_by_status"]["delimited"], 1);
    let all = json(&with(&args, &["--all"]));
    assert_eq!(all["segments"].as_array().unwrap().len(), 13);
}

#[test]
fn svg_chart_is_self_contained_and_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chart.svg");
    // From before the first status record, so that E01 (2014-01-11, status unknown) is drawn.
    let args = with(
        &bundled_args(),
        &["--svg", out.to_str().unwrap(), "--from", "2014-01-01"],
    );
    run(&args);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("href"), "no external references");
    assert_eq!(svg.matches("http").count(), 1, "only the namespace");
    // Direct labels: line names and status names in their colours.
    assert!(svg.contains(">KGZ-TJK</tspan>") && svg.contains(">Vorukh</tspan>"));
    assert!(svg.contains(r##"<tspan fill="#D55E00" font-weight="bold">25 undelimited</tspan>"##));
    assert!(svg.contains(r##"fill="#999999" font-weight="bold">1 unknown</tspan>"##));
    assert!(svg.contains("km along KGZ-TJK"));
    // Background + 11 one-status bins on KGZ-TJK + one two-status bin on Vorukh.
    assert_eq!(
        svg.matches("<rect").count(),
        1 + 11 + 2,
        "one bar per status per bin"
    );
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn fails(args: &[String], needle: &str) {
    let out = Command::cargo_bin("borderline")
        .unwrap()
        .args(args)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains(needle), "{err}");
}

#[test]
fn refuses_inputs_it_cannot_report() {
    // Not tagged.
    fails(
        &[
            "report".into(),
            fixture("incidents.csv").display().to_string(),
        ],
        "not a tagged CSV",
    );
    // Tagged against another border.
    let mut args = bundled_args();
    args.extend(
        [
            "--border",
            fixture("border.geojson").to_str().unwrap(),
            "--status",
            fixture("status.csv").to_str().unwrap(),
        ]
        .map(String::from),
    );
    fails(&args, "is not a segment of the Aland–Beland border");
    // A named date column that does not exist.
    fails(
        &with(&synthetic_args(), &["--date", "when"]),
        "no column \"when\"",
    );
    // An empty period.
    fails(
        &with(
            &synthetic_args(),
            &["--from", "2021-01-02", "--to", "2021-01-01"],
        ),
        "ends",
    );
}

#[test]
fn refuses_a_file_without_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("undated.csv");
    let text = std::fs::read_to_string(fixture("incidents-tagged-synthetic.csv")).unwrap();
    std::fs::write(&path, text.replacen("event_date", "when", 1)).unwrap();
    let mut args = synthetic_args();
    args[1] = path.display().to_string();
    fails(&args, "no date column");
}

#[test]
fn reads_standard_input() {
    let text = std::fs::read(fixture("incidents-tagged-synthetic.csv")).unwrap();
    let mut args = synthetic_args();
    args[1] = "-".into();
    args.extend(period());
    args.extend(["--format".into(), "json".into()]);
    let out = Command::cargo_bin("borderline")
        .unwrap()
        .args(&args)
        .write_stdin(text)
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["rows"]["counted"], 6);
}

#[test]
fn flags_statuses_that_disagree_with_the_border() {
    // Row 1 (CSV line 2) is undelimited on 2020-06-01; pretend it was tagged "delimited".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.csv");
    let text = std::fs::read_to_string(fixture("incidents-tagged-synthetic.csv")).unwrap();
    std::fs::write(
        &path,
        text.replacen("A:002,,A,undelimited", "A:002,,A,delimited", 1),
    )
    .unwrap();
    let mut args = synthetic_args();
    args[1] = path.display().to_string();
    args.extend(period());
    let doc = json(&args);
    assert_eq!(doc["status_mismatches"], 1);
    // The tagged status is the one counted, and a note says so.
    assert_eq!(doc["statuses"][0]["incidents"], 2);
    let notes = doc["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| {
        n.as_str()
            .unwrap()
            .contains("first: line 2, tagged \"delimited\", border \"undelimited\"")
    }));
}
