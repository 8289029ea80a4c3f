//! `borderline share` end to end, on the bundled border and on hand-computed fixtures.
//!
//! Fixture lengths were computed with Python's `geographiclib` 2.1 (WGS84), summing
//! `Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)['s12']` over each line's edges; shares are
//! those lengths divided by hand.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// Runs `borderline ARGS` in `dir`; returns (stdout, stderr), asserting success.
fn run_in(dir: &Path, args: &[&str]) -> (String, String) {
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
        .success();
    let out = assert.get_output();
    (
        String::from_utf8(out.stdout.clone()).unwrap(),
        String::from_utf8(out.stderr.clone()).unwrap(),
    )
}

/// Runs `borderline ARGS` in a fresh empty directory.
fn run(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), args)
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&run(&all).0).unwrap()
}

/// status → (km, share) of a share object.
fn statuses(share: &Value) -> BTreeMap<String, (f64, f64)> {
    share["statuses"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                (v["km"].as_f64().unwrap(), v["share"].as_f64().unwrap()),
            )
        })
        .collect()
}

/// Shares sum to 1 and km to the total (both rounded in the output: 6 and 3 decimals).
fn check_sums(share: &Value, total_km: f64) {
    let s = statuses(share);
    let share_sum: f64 = s.values().map(|v| v.1).sum();
    let km_sum: f64 = s.values().map(|v| v.0).sum();
    assert!((share_sum - 1.0).abs() < 1e-5, "shares sum to {share_sum}");
    assert!(
        (km_sum - total_km).abs() < 0.002 * s.len() as f64,
        "km sum {km_sum} vs total {total_km}"
    );
}

const FOOTNOTE: &str = "* Some statuses are modelled";

#[test]
fn bundled_border_on_2022_10_07() {
    let doc = json(&["share", "--as-of", "2022-10-07"]);
    assert_eq!(doc["as_of"], "2022-10-07");
    let total = doc["total_km"].as_f64().unwrap();
    assert!((total - 952.7).abs() <= 0.01 * 952.7, "total {total}");
    let s = statuses(&doc);
    // The figures of the README, from data/kgz-tjk/status.csv and the geographiclib lengths of
    // the two lines (893.104084633778 and 59.613455108521755 km, tests/geodesy.rs): KGZ-TJK
    // km 0–566.1 delimited; km 566.1–end and the Vorukh perimeter undelimited, i.e.
    // 893.104084633778 − 566.1 + 59.613455108521755 = 386.617539742 km of 952.717539742.
    assert_eq!(s["delimited"], (566.1, 0.594195));
    assert_eq!(s["undelimited"], (386.618, 0.405805));
    check_sums(&doc, total);
    assert_eq!(doc["modelled"], true);
}

#[test]
fn bundled_border_after_the_treaty_has_nothing_undelimited() {
    let doc = json(&["share", "--as-of", "2025-06-01"]);
    let s = statuses(&doc);
    assert!(!s.contains_key("undelimited"), "{doc}");
    assert!((s["delimited"].1 - 1.0).abs() < 1e-9);
    check_sums(&doc, doc["total_km"].as_f64().unwrap());
}

#[test]
fn before_the_first_record_the_status_is_unknown() {
    let doc = json(&["share", "--as-of", "2014-01-20"]);
    let s = statuses(&doc);
    assert_eq!(s.keys().collect::<Vec<_>>(), ["unknown"]);
    assert!((s["unknown"].1 - 1.0).abs() < 1e-9);
    let doc = json(&["share", "--as-of", "1991-08-31"]);
    assert_eq!(statuses(&doc).keys().collect::<Vec<_>>(), ["unknown"]);
}

#[test]
fn footnote_appears_only_when_modelled_rows_contribute() {
    let (out, _) = run(&["share", "--as-of", "2022-10-07"]);
    assert!(out.lines().any(|l| l.starts_with(FOOTNOTE)), "{out}");
    let (out, _) = run(&["share", "--as-of", "2025-06-01"]);
    assert!(!out.contains(FOOTNOTE), "{out}");
    let doc = json(&["share", "--as-of", "2025-06-01"]);
    assert_eq!(doc["modelled"], false);
    assert!(doc.get("note").is_none());
    // CSV keeps stdout clean: the footnote goes to stderr.
    let (out, err) = run(&["share", "--as-of", "2022-10-07", "--format", "csv"]);
    assert!(!out.contains(FOOTNOTE));
    assert!(err.contains(FOOTNOTE), "{err}");
}

/// Parses a `--history` table into date → status → (km, %).
fn parse_history_table(text: &str) -> BTreeMap<String, BTreeMap<String, (f64, f64)>> {
    let mut lines = text.lines().skip(1); // title
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header[0], "date");
    // "NAME km NAME %" for each status.
    let names: Vec<&str> = header[1..].chunks(4).map(|c| c[0]).collect();
    let mut out = BTreeMap::new();
    for line in lines.take_while(|l| !l.starts_with('*')) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let row = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let km: f64 = cells[1 + 2 * i].parse().unwrap();
                let pct: f64 = cells[2 + 2 * i].trim_end_matches('%').parse().unwrap();
                (n.to_string(), (km, pct))
            })
            .collect();
        out.insert(cells[0].to_string(), row);
    }
    out
}

#[test]
fn history_formats_agree() {
    let doc = json(&["share", "--history"]);
    let history = doc["history"].as_array().unwrap();
    assert!(history.len() >= 3);
    let (table, _) = run(&["share", "--history"]);
    let table = parse_history_table(&table);
    let (csv, _) = run(&["share", "--history", "--format", "csv"]);
    let mut csv_rows: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    let mut csv_lines = csv.lines();
    assert_eq!(
        csv_lines.next(),
        Some("as_of,status,km,share,segments,modelled_km")
    );
    for line in csv_lines {
        let c: Vec<&str> = line.split(',').collect();
        csv_rows.insert(
            (c[0].to_string(), c[1].to_string()),
            (c[2].parse().unwrap(), c[3].parse().unwrap()),
        );
    }
    assert_eq!(table.len(), history.len());
    let mut json_rows = 0;
    let mut previous = String::new();
    for entry in history {
        let date = entry["as_of"].as_str().unwrap().to_string();
        assert!(date > previous, "dates ascend");
        previous = date.clone();
        check_sums(entry, entry["total_km"].as_f64().unwrap());
        let row = &table[&date];
        for (status, (km, share)) in statuses(entry) {
            json_rows += 1;
            let (csv_km, csv_share) = csv_rows[&(date.clone(), status.clone())];
            assert!((csv_km - km).abs() < 1e-9, "{date} {status}");
            assert!((csv_share - share).abs() < 1e-9, "{date} {status}");
            let (t_km, t_pct) = row[&status];
            assert!((t_km - km).abs() <= 0.05 + 1e-9, "{date} {status}");
            assert!(
                (t_pct - 100.0 * share).abs() <= 0.05 + 1e-6,
                "{date} {status}"
            );
        }
        // The table lists every status of the history; those absent on a date read 0.
        for (status, (km, pct)) in row {
            if !entry["statuses"].as_object().unwrap().contains_key(status) {
                assert_eq!((*km, *pct), (0.0, 0.0), "{date} {status}");
            }
        }
    }
    assert_eq!(json_rows, csv_rows.len());
}

#[test]
fn by_line_csv_and_json_agree() {
    let doc = json(&["share", "--as-of", "2022-10-07", "--by", "line"]);
    let (csv, _) = run(&[
        "share",
        "--as-of",
        "2022-10-07",
        "--by",
        "line",
        "--format",
        "csv",
    ]);
    let mut csv_lines = csv.lines();
    assert_eq!(
        csv_lines.next(),
        Some("as_of,line,status,km,share,segments,modelled_km")
    );
    let csv_rows: Vec<Vec<&str>> = csv_lines.map(|l| l.split(',').collect()).collect();
    let mut n = 0;
    let mut line_total = 0.0;
    for line in doc["lines"].as_array().unwrap() {
        let id = line["line"].as_str().unwrap();
        line_total += line["total_km"].as_f64().unwrap();
        check_sums(line, line["total_km"].as_f64().unwrap());
        for (status, (km, share)) in statuses(line) {
            n += 1;
            let row = csv_rows
                .iter()
                .find(|r| r[1] == id && r[2] == status)
                .unwrap_or_else(|| panic!("no CSV row for {id} {status}"));
            assert_eq!(row[0], "2022-10-07");
            assert!((row[3].parse::<f64>().unwrap() - km).abs() < 1e-9);
            assert!((row[4].parse::<f64>().unwrap() - share).abs() < 1e-9);
        }
    }
    assert_eq!(n, csv_rows.len());
    let total = doc["total_km"].as_f64().unwrap();
    assert!(
        (line_total - total).abs() < 0.002,
        "{line_total} vs {total}"
    );
    let ids: Vec<&str> = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KGZ-TJK", "Vorukh"]);
}

/// A border of one meridian line, 70°E from 39°N to 40°N: geographiclib length
/// 111 025.045 546 508 86 m.
const MERIDIAN_KM: f64 = 111.025_045_546_508_86;

fn meridian_fixture(dir: &Path) {
    std::fs::write(
        dir.join("meridian.geojson"),
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"kind": "line", "id": "M"},
   "geometry": {"type": "LineString", "coordinates": [[70, 39], [70, 40]]}}
]}
"#,
    )
    .unwrap();
    // From 2020-01-01, km 0–40 delimited (sourced) and 40–end undelimited (modelled); from
    // 2021-06-01 the rest is delimited too.
    std::fs::write(
        dir.join("status.csv"),
        "line,from_km,to_km,status,effective_from,basis,source\n\
         M,0,40,delimited,2020-01-01,sourced,a\n\
         M,40,end,undelimited,2020-01-01,modelled,b\n\
         M,40,end,delimited,2021-06-01,sourced,c\n",
    )
    .unwrap();
}

#[test]
fn hand_computed_status_fixture() {
    let dir = tempfile::tempdir().unwrap();
    meridian_fixture(dir.path());
    let args = |date: &'static str, format: &'static str| {
        [
            "share",
            "--border",
            "meridian.geojson",
            "--status",
            "status.csv",
            "--as-of",
            date,
            "--format",
            format,
        ]
    };
    let share_json = |date| -> Value {
        serde_json::from_str(&run_in(dir.path(), &args(date, "json")).0).unwrap()
    };

    // Between the two dates: 40 km delimited, 111.025 − 40 = 71.025 km undelimited.
    let doc = share_json("2020-06-01");
    assert_eq!(doc["total_km"].as_f64(), Some(111.025));
    assert!((MERIDIAN_KM - 111.025).abs() < 0.0005);
    let d = &doc["statuses"]["delimited"];
    let u = &doc["statuses"]["undelimited"];
    assert_eq!(d["km"].as_f64(), Some(40.0));
    assert_eq!(d["modelled_km"].as_f64(), Some(0.0));
    let rest = ((MERIDIAN_KM - 40.0) * 1000.0).round() / 1000.0;
    assert_eq!(rest, 71.025);
    assert_eq!(u["km"].as_f64(), Some(rest));
    assert_eq!(u["modelled_km"].as_f64(), Some(rest));
    // 40 / 111.02504554650886 and 71.02504554650886 / 111.02504554650886, to 6 decimals.
    assert_eq!(d["share"].as_f64(), Some(0.360279));
    assert_eq!(u["share"].as_f64(), Some(0.639721));
    // Cut at km 40 and into pieces of at most 10 km: 4 + ceil(71.025 / 10) = 4 + 8.
    assert_eq!(d["segments"].as_u64(), Some(4));
    assert_eq!(u["segments"].as_u64(), Some(8));
    assert_eq!(doc["modelled"], true);

    let (csv, _) = run_in(dir.path(), &args("2020-06-01", "csv"));
    assert_eq!(
        csv,
        "as_of,status,km,share,segments,modelled_km\n\
         2020-06-01,delimited,40.000,0.360279,4,0.000\n\
         2020-06-01,undelimited,71.025,0.639721,8,71.025\n"
    );
    let (table, _) = run_in(dir.path(), &args("2020-06-01", "table"));
    assert!(table.lines().any(|l| l.starts_with(FOOTNOTE)), "{table}");

    // On the second date (inclusive) all of it is delimited and nothing is modelled.
    let doc = share_json("2021-06-01");
    let s = statuses(&doc);
    assert_eq!(s.keys().collect::<Vec<_>>(), ["delimited"]);
    assert_eq!(s["delimited"], (111.025, 1.0));
    assert_eq!(doc["modelled"], false);
    let (table, _) = run_in(dir.path(), &args("2021-06-01", "table"));
    assert!(!table.contains(FOOTNOTE), "{table}");
    assert!(table.contains("111.0"), "{table}");

    // The day before the first row: unknown.
    let doc = share_json("2019-12-31");
    assert_eq!(statuses(&doc)["unknown"], (111.025, 1.0));

    // The history has exactly the two change dates.
    let (csv, _) = run_in(
        dir.path(),
        &[
            "share",
            "--border",
            "meridian.geojson",
            "--status",
            "status.csv",
            "--history",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        csv,
        "as_of,status,km,share,segments,modelled_km\n\
         2020-01-01,delimited,40.000,0.360279,4,0.000\n\
         2020-01-01,undelimited,71.025,0.639721,8,71.025\n\
         2021-06-01,delimited,111.025,1.000000,12,0.000\n"
    );
}

#[test]
fn pre_segmented_border_without_a_status_table() {
    let dir = tempfile::tempdir().unwrap();
    // S1: 70°E from 39°N to 39.5°N, geographiclib 55.510 128 777 183 31 km.
    // S2: (70.5, 39) – (71, 39.2) – (71.5, 39.1), geographiclib 93.242 808 273 080 45 km.
    // Total 148.752 937 050 263 77 km; S1's share 0.373 169 968 122 554 65.
    std::fs::write(
        dir.path().join("segments.geojson"),
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "S1", "properties": {"status": "delimited", "basis": "treaty"},
   "geometry": {"type": "LineString", "coordinates": [[70, 39], [70, 39.5]]}},
  {"type": "Feature", "properties": {"id": "S2", "status": "disputed"},
   "geometry": {"type": "LineString", "coordinates": [[70.5, 39], [71, 39.2], [71.5, 39.1]]}}
]}
"#,
    )
    .unwrap();
    let (out, _) = run_in(
        dir.path(),
        &[
            "share",
            "--border",
            "segments.geojson",
            "--as-of",
            "2000-01-01",
            "--format",
            "json",
        ],
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["total_km"].as_f64(), Some(148.753));
    let d = &doc["statuses"]["delimited"];
    let x = &doc["statuses"]["disputed"];
    assert_eq!(d["km"].as_f64(), Some(55.51));
    assert_eq!(x["km"].as_f64(), Some(93.243));
    assert_eq!(d["share"].as_f64(), Some(0.37317));
    assert_eq!(x["share"].as_f64(), Some(0.62683));
    // Lines with a status of their own are cut into segments of at most 10 km like the others:
    // 55.5 km into 6, 93.2 km into 10.
    assert_eq!(d["segments"].as_u64(), Some(6));
    assert_eq!(x["segments"].as_u64(), Some(10));
    assert_eq!(doc["modelled"], false);
    assert_eq!(statuses(&doc).len(), 2);

    let (out, _) = run_in(
        dir.path(),
        &[
            "share",
            "--border",
            "segments.geojson",
            "--by",
            "line",
            "--as-of",
            "2000-01-01",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        out,
        "as_of,line,status,km,share,segments,modelled_km\n\
         2000-01-01,S1,delimited,55.510,1.000000,6,0.000\n\
         2000-01-01,S2,disputed,93.243,1.000000,10,0.000\n"
    );
}
