//! Bad input and bad usage: exit code 2, one line on stderr naming the file and the position,
//! nothing on stdout, never a panic.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

/// Runs `borderline ARGS` in the error fixtures' directory, expecting exit code 2; returns stderr.
fn fails(args: &[&str]) -> String {
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(fixtures())
        .args(args)
        .assert()
        .code(2);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    stderr
}

/// Like [`fails`], and the message is one line, `borderline: ` then each of `expected`.
fn fails_with(args: &[&str], expected: &[&str]) -> String {
    let stderr = fails(args);
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: not one line:\n{stderr}"
    );
    assert!(stderr.starts_with("borderline: "), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{args:?}: {stderr:?} lacks {e:?}");
    }
    stderr
}

fn share_border(file: &str) -> Vec<&str> {
    vec!["share", "--border", file, "--as-of", "2022-10-07"]
}

fn share_status(file: &str) -> Vec<&str> {
    vec![
        "share",
        "--border",
        "meridian.geojson",
        "--status",
        file,
        "--as-of",
        "2022-10-07",
    ]
}

#[test]
fn the_fixtures_are_fine_apart_from_their_one_fault() {
    // The border used with the bad status tables loads on its own.
    Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(fixtures())
        .args(share_border("meridian.geojson"))
        .assert()
        .success();
}

#[test]
fn missing_file() {
    fails_with(
        &share_border("no-such-file.geojson"),
        &["no-such-file.geojson", "No such file"],
    );
    fails_with(&share_status("no-such-file.csv"), &["no-such-file.csv"]);
    fails_with(
        &["derive", "no-such-file.geojson", "--a", "A", "--b", "B"],
        &["no-such-file.geojson"],
    );
}

#[test]
fn unreadable_file() {
    // Tests may run as root, for whom mode 000 is readable: a directory is unreadable as a file.
    let dir = fixtures();
    let dir = dir.to_str().unwrap();
    fails_with(&share_border(dir), &[dir, "directory"]);
    fails_with(&share_status("."), &["."]);
}

#[test]
fn empty_file() {
    fails_with(&share_border("empty.geojson"), &["empty.geojson", "empty"]);
}

#[test]
fn invalid_json() {
    // The file ends in the middle of the features array (its 4th line is missing).
    fails_with(
        &share_border("invalid.geojson"),
        &["invalid.geojson:line ", "invalid JSON"],
    );
}

#[test]
fn a_feature_instead_of_a_feature_collection() {
    fails_with(
        &share_border("feature.geojson"),
        &["feature.geojson", "FeatureCollection", "a Feature"],
    );
}

#[test]
fn wrong_geometry_type() {
    fails_with(
        &share_border("point.geojson"),
        &["point.geojson:feature 1", "LineString", "Point"],
    );
    fails_with(
        &[
            "derive",
            "countries-with-a-line.geojson",
            "--a",
            "AAA",
            "--b",
            "BBB",
        ],
        &[
            "countries-with-a-line.geojson:feature 1",
            "Polygon",
            "LineString",
        ],
    );
}

#[test]
fn coordinate_out_of_range() {
    fails_with(
        &share_border("lat-95.geojson"),
        &["lat-95.geojson:feature 1", "95", "out of range"],
    );
}

#[test]
fn coordinate_not_finite() {
    // 1e400 overflows f64: the JSON parser refuses it, naming the line of the file.
    fails_with(
        &share_border("not-finite.geojson"),
        &["not-finite.geojson:line 3", "out of range"],
    );
}

#[test]
fn status_csv_with_a_bad_date() {
    fails_with(
        &share_status("date-feb-30.csv"),
        &["date-feb-30.csv:line 3", "2022-02-30", "effective_from"],
    );
    fails_with(
        &share_status("date-yesterday.csv"),
        &["date-yesterday.csv:line 3", "yesterday", "effective_from"],
    );
}

#[test]
fn status_csv_with_bad_fields() {
    fails_with(
        &share_status("missing-column.csv"),
        &["missing-column.csv:line 1", "to_km"],
    );
    fails_with(&share_status("ragged.csv"), &["ragged.csv:line 3"]);
    fails_with(&share_status("bad-km.csv"), &["bad-km.csv:line 2", "forty"]);
}

#[test]
fn status_csv_naming_an_unknown_line() {
    fails_with(
        &share_status("unknown-line.csv"),
        &["unknown-line.csv:line 3", "\"N\"", "M"],
    );
}

#[test]
fn status_csv_with_a_gap() {
    fails_with(
        &share_status("gap.csv"),
        &["gap.csv", "\"M\"", "40.000", "50.000", "gap"],
    );
}

#[test]
fn status_csv_with_an_overlap() {
    fails_with(
        &share_status("overlap.csv"),
        &[
            "overlap.csv",
            "\"M\"",
            "50.000",
            "60.000",
            "overlap",
            "line 3",
        ],
    );
}

#[test]
fn unknown_flag() {
    let stderr = fails(&["share", "--no-such-flag"]);
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
    fails(&["no-such-command"]);
}

#[test]
fn bad_as_of_date() {
    for date in ["2022-02-30", "yesterday", "2022-10-7", ""] {
        let stderr = fails(&["share", "--as-of", date]);
        assert!(stderr.contains("--as-of"), "{stderr}");
    }
}
