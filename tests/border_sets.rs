//! Border sets: the bundled Fergana Valley set (`--border fergana`) and any border file of
//! several pairs of countries, through `share`, `tag` and `report`.
//!
//! The lines' lengths are checked against geographiclib in `tests/derive.rs`; here the
//! figures of each pair must add up to its lines, the Kyrgyz–Tajik pair must have the same
//! statuses as the default bundled border (its lines are the same), and every other line must
//! be `unknown` and said to be.

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

fn json_in(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&run_in(dir, &all).0).unwrap()
}

/// The lines of the bundled Fergana set without a status history, in file order.
const UNKNOWN_LINES: [&str; 10] = [
    "KGZ-UZB-1",
    "KGZ-UZB-2",
    "KGZ-UZB-3",
    "Sokh",
    "Chong-Kara",
    "Jani-Ayil",
    "Shakhimardan",
    "Barak",
    "TJK-UZB",
    "Sarvak",
];

#[test]
fn share_by_border_on_the_fergana_set() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json_in(
        dir.path(),
        &[
            "share",
            "--border",
            "fergana",
            "--as-of",
            "2022-10-07",
            "--by",
            "border",
        ],
    );
    let groups = doc["borders"].as_array().unwrap();
    let pairs: Vec<&str> = groups
        .iter()
        .map(|g| g["border"].as_str().unwrap())
        .collect();
    assert_eq!(pairs, ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"]);
    // Each pair's lines of data/fergana/border.geojson, summed with Python geographiclib 2.1.
    let pair_km = [
        ("KGZ-TJK", 952.717_539_742_299_8),
        ("KGZ-UZB", 1_306.313_231_608_089_6),
        ("TJK-UZB", 1_316.581_959_909_664_6),
    ];
    for g in groups {
        let pair = g["border"].as_str().unwrap();
        let km = pair_km.iter().find(|p| p.0 == pair).unwrap().1;
        assert!(
            (g["total_km"].as_f64().unwrap() - km).abs() <= 5e-4,
            "{pair}"
        );
        if pair != "KGZ-TJK" {
            let statuses: Vec<&String> = g["statuses"].as_object().unwrap().keys().collect();
            assert_eq!(statuses, ["unknown"], "{pair}");
        }
    }
    // The Kyrgyz–Tajik lines are those of the default border, with its statuses.
    let default = json_in(dir.path(), &["share", "--as-of", "2022-10-07"]);
    assert_eq!(groups[0]["statuses"], default["statuses"]);
    assert_eq!(groups[0]["total_km"], default["total_km"]);
    // Which lines have no status history is said.
    let ids: Vec<&str> = doc["lines_without_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids, UNKNOWN_LINES);
    assert_eq!(default["lines_without_status"], serde_json::json!([]));

    let (table, _) = run_in(
        dir.path(),
        &["share", "--border", "fergana", "--as-of", "2022-10-07"],
    );
    assert!(
        table.contains("* No status history for 10 of 12 lines (KGZ-UZB-1, KGZ-UZB-2"),
        "{table}"
    );
    let (table, _) = run_in(dir.path(), &["share", "--as-of", "2022-10-07"]);
    assert!(!table.contains("No status history"), "{table}");
}

#[test]
fn a_status_file_may_cover_only_some_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("status.csv"),
        "line,from_km,to_km,status,effective_from,basis,source\n\
         KGZ-UZB-1,0,end,delimited,2001-02-26,sourced,test\n",
    )
    .unwrap();
    let doc = json_in(
        dir.path(),
        &[
            "share",
            "--border",
            "fergana",
            "--status",
            "status.csv",
            "--as-of",
            "2022-10-07",
            "--by",
            "line",
        ],
    );
    let lines = doc["lines"].as_array().unwrap();
    for l in lines {
        let id = l["line"].as_str().unwrap();
        let statuses: Vec<&String> = l["statuses"].as_object().unwrap().keys().collect();
        let expected = if id == "KGZ-UZB-1" {
            "delimited"
        } else {
            "unknown"
        };
        assert_eq!(statuses, [expected], "{id}");
    }
    // The bundled Kyrgyz–Tajik history is replaced, not merged: 11 lines are unknown now.
    assert_eq!(doc["lines_without_status"].as_array().unwrap().len(), 11);
    // A row for a line the set does not have is an error naming it.
    std::fs::write(
        dir.path().join("bad.csv"),
        "line,from_km,to_km,status,effective_from,basis,source\n\
         KGZ-UZB,0,end,delimited,2001-02-26,sourced,test\n",
    )
    .unwrap();
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(dir.path())
        .args(["share", "--border", "fergana", "--status", "bad.csv"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("bad.csv:line 2"), "{stderr}");
    assert!(stderr.contains("unknown line \"KGZ-UZB\""), "{stderr}");
}

#[test]
fn a_file_called_like_a_bundled_set_needs_a_path() {
    let dir = tempfile::tempdir().unwrap();
    // `./fergana` is a file, and there is none.
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(dir.path())
        .args(["share", "--border", "./fergana"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("./fergana"), "{stderr}");
    // The default is the Kyrgyz–Tajik set, by name too.
    let (named, _) = run_in(
        dir.path(),
        &["share", "--border", "kgz-tjk", "--as-of", "2022-10-07"],
    );
    let (default, _) = run_in(dir.path(), &["share", "--as-of", "2022-10-07"]);
    assert_eq!(named, default);
}

/// Tagged rows as maps from column to value.
fn rows(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn tag_and_report_every_pair() {
    let dir = tempfile::tempdir().unwrap();
    // Named points of data/fergana/enclave-names.csv (inside their enclaves), a point in the
    // Kempir-Abad reservoir (a gap of the Kyrgyz–Uzbek line), and the bundled incidents' first.
    std::fs::write(
        dir.path().join("points.csv"),
        "id,date,lat,lon\n\
         sokh,2021-04-30,40.04417,71.09417\n\
         sarvak,2021-04-30,40.96667,70.61556\n\
         barak,2021-04-30,40.66667,72.76667\n\
         kempir-abad,2022-10-30,40.7832,73.1047\n\
         ak-sai,2014-01-11,39.87438,70.52211\n",
    )
    .unwrap();
    let (tagged, _) = run_in(
        dir.path(),
        &[
            "tag",
            "points.csv",
            "--border",
            "fergana",
            "-o",
            "-",
            "--quiet",
        ],
    );
    let rows = rows(&tagged);
    let cell = |i: usize, c: &str| rows[i][c].as_str();
    let expect = [
        ("sokh", "KGZ-UZB", "Sokh", "UZB", "Sokh", "unknown"),
        ("sarvak", "TJK-UZB", "Sarvak", "TJK", "Sarvak", "unknown"),
        ("barak", "KGZ-UZB", "Barak", "KGZ", "Barak", "unknown"),
        ("kempir-abad", "KGZ-UZB", "KGZ-UZB-1", "", "", "unknown"),
        ("ak-sai", "KGZ-TJK", "Vorukh", "KGZ", "", "unknown"),
    ];
    for (i, (id, border, line, side, enclave, status)) in expect.into_iter().enumerate() {
        assert_eq!(cell(i, "id"), id);
        assert_eq!(cell(i, "border"), border, "{id}");
        assert_eq!(cell(i, "line"), line, "{id}");
        assert_eq!(cell(i, "enclave"), enclave, "{id}");
        assert_eq!(cell(i, "status"), status, "{id}");
        if !side.is_empty() {
            assert_eq!(cell(i, "side"), side, "{id}");
        }
    }
    std::fs::write(dir.path().join("tagged.csv"), &tagged).unwrap();
    let report = json_in(
        dir.path(),
        &[
            "report",
            "tagged.csv",
            "--border",
            "fergana",
            "--by",
            "border",
            "--from",
            "2014-01-01",
            "--max-distance",
            "none",
        ],
    );
    assert_eq!(report["by"], "border");
    let incidents: Vec<(&str, u64)> = report["borders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["border"].as_str().unwrap(),
                g["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(incidents, [("KGZ-UZB", 3), ("KGZ-TJK", 1), ("TJK-UZB", 1)]);
}
