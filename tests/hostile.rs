//! Hostile inputs for every kind of file borderline reads: border GeoJSON (`share --border`),
//! country polygons (`derive`), status CSV (`share --status`) and incident CSV (`tag`).
//!
//! The documented outcome is either a one-line error naming the file and the position (exit 2),
//! or, for a row-level fault in `tag`, the row kept with its reason in `tag_error`, or (where
//! the input is odd but meaningful) a normal result. Never a panic, never a hang (every run has
//! a timeout), never an output file or a `.borderline-*.tmp` left behind after an error.
//!
//! `tests/errors.rs` covers the basic cases for the border GeoJSON and the status CSV (empty,
//! truncated JSON, a Feature, a Point, latitude 95, 1e400, bad dates, gaps, overlaps); this file
//! extends them to the other kinds of file and to nastier inputs. Inputs under
//! `tests/fixtures/hostile/` are inputs found by fuzzing (see `fuzz/README.md`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// No run may take longer than this: a hang fails the test instead of blocking it.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A straight border line M, 70°E from 39°N to 40°N: 111.0 km.
const BORDER_M: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"kind": "line", "id": "M"},
   "geometry": {"type": "LineString", "coordinates": [[70, 39], [70, 40]]}}
]}"#;

/// Two squares sharing the 70°E meridian between 39°N and 40°N.
const COUNTRIES: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"iso_a3": "AAA"},
   "geometry": {"type": "Polygon", "coordinates": [[[69, 39], [70, 39], [70, 40], [69, 40], [69, 39]]]}},
  {"type": "Feature", "properties": {"iso_a3": "BBB"},
   "geometry": {"type": "Polygon", "coordinates": [[[70, 39], [71, 39], [71, 40], [70, 40], [70, 39]]]}}
]}"#;

const STATUS_HEADER: &str = "line,from_km,to_km,status,effective_from,basis,source\n";

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs `borderline ARGS` in `dir` (with `stdin` if given), never longer than [`TIMEOUT`].
fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::cargo_bin("borderline").unwrap();
    cmd.current_dir(dir).args(args).timeout(TIMEOUT);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    assert!(
        out.status.code().is_some(),
        "{args:?} did not finish within {TIMEOUT:?} (or was killed): {stderr}"
    );
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr,
    }
}

/// Names and contents of every file in `dir`, sorted.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = if e.file_type().unwrap().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// A scratch directory holding `files`, plus an `old-out` file a failing run must leave as is.
fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("old-out"), "previous complete output\n").unwrap();
    dir
}

/// Runs `args` in a scratch directory holding `files`, expecting exit 2, nothing on stdout, a
/// one-line message containing each of `expected`, and the directory unchanged.
fn fails(files: &[(&str, &[u8])], args: &[&str], expected: &[&str]) -> String {
    let dir = scratch(files);
    let before = listing(dir.path());
    let r = run_in(dir.path(), args, None);
    assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(
        r.stderr.lines().count(),
        1,
        "{args:?}: not one line:\n{}",
        r.stderr
    );
    assert!(r.stderr.starts_with("borderline: "), "{}", r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "{args:?}: {:?} lacks {e:?}", r.stderr);
    }
    let after = listing(dir.path());
    let names = |l: &[(String, Vec<u8>)]| l.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&before),
        names(&after),
        "{args:?}: files added or removed"
    );
    assert!(before == after, "{args:?}: a file changed");
    r.stderr
}

/// Runs `args` in a scratch directory holding `files`, expecting success.
fn succeeds(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = scratch(files);
    let r = run_in(dir.path(), args, None);
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
    r
}

/// The file as a border GeoJSON: `share --border`, and `tag --border -o` (no output left).
fn border_fails(text: &[u8], expected: &[&str]) {
    let mut expected_here = vec!["border.geojson"];
    expected_here.extend(expected);
    let files = [
        ("border.geojson", text),
        ("in.csv", &b"lat,lon\n39.5,70.1\n"[..]),
    ];
    fails(
        &files,
        &[
            "share",
            "--border",
            "border.geojson",
            "--as-of",
            "2022-10-07",
        ],
        &expected_here,
    );
    fails(
        &files,
        &[
            "tag",
            "in.csv",
            "--border",
            "border.geojson",
            "-o",
            "old-out",
        ],
        &expected_here,
    );
    fails(
        &files,
        &[
            "tag",
            "in.csv",
            "--border",
            "border.geojson",
            "-o",
            "new-out",
        ],
        &expected_here,
    );
}

/// The file as country polygons: `derive -o` (no output left).
/// The `total_km` that `share --border` reports for a border GeoJSON.
fn total_km(border: &str) -> f64 {
    let r = succeeds(
        &[("border.geojson", border.as_bytes())],
        &["share", "--border", "border.geojson", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    doc["total_km"].as_f64().unwrap()
}

/// `derive` of the test countries AAA and BBB into `out.geojson`.
const DERIVE: [&str; 8] = [
    "derive",
    "countries.geojson",
    "--a",
    "AAA",
    "--b",
    "BBB",
    "-o",
    "out.geojson",
];

/// `derive` on degenerate countries either succeeds or fails cleanly (exit 2), never panics.
fn derive_copes(countries: &str) {
    let dir = scratch(&[("countries.geojson", countries.as_bytes())]);
    let r = run_in(dir.path(), &DERIVE, None);
    assert!(matches!(r.code, Some(0 | 2)), "{}", r.stderr);
}

fn countries_fail(text: &[u8], expected: &[&str]) {
    let mut expected_here = vec!["countries.geojson"];
    expected_here.extend(expected);
    for out in ["old-out", "new-out"] {
        fails(
            &[("countries.geojson", text)],
            &[
                "derive",
                "countries.geojson",
                "--a",
                "AAA",
                "--b",
                "BBB",
                "-o",
                out,
            ],
            &expected_here,
        );
    }
}

/// Both: the same text as a border and as country polygons.
fn geojson_fails(text: &[u8], expected: &[&str]) {
    border_fails(text, expected);
    countries_fail(text, expected);
}

/// The file as a status CSV for [`BORDER_M`].
fn status_fails(text: &[u8], expected: &[&str]) {
    let mut expected_here = vec!["status.csv"];
    expected_here.extend(expected);
    fails(
        &[
            ("border.geojson", BORDER_M.as_bytes()),
            ("status.csv", text),
        ],
        &[
            "share",
            "--border",
            "border.geojson",
            "--status",
            "status.csv",
            "--as-of",
            "2022-10-07",
        ],
        &expected_here,
    );
}

/// `share --format csv` with a status CSV for [`BORDER_M`]: (status, km) rows.
fn share_with_status(text: &[u8], date: &str) -> Vec<(String, f64)> {
    let r = succeeds(
        &[
            ("border.geojson", BORDER_M.as_bytes()),
            ("status.csv", text),
        ],
        &[
            "share",
            "--border",
            "border.geojson",
            "--status",
            "status.csv",
            "--as-of",
            date,
            "--format",
            "csv",
        ],
    );
    csv::Reader::from_reader(r.stdout.as_slice())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].to_string(), r[2].parse().unwrap())
        })
        .collect()
}

/// The file as an incident CSV: `tag -o` must fail and leave no output.
fn incidents_fail(text: &[u8], expected: &[&str]) {
    let mut expected_here = vec!["in.csv"];
    expected_here.extend(expected);
    for out in ["old-out", "new-out"] {
        fails(
            &[("in.csv", text)],
            &["tag", "in.csv", "-o", out, "--as-of", "2022-10-07"],
            &expected_here,
        );
    }
}

/// Tags `text` (embedded border, as of 2022-10-07) to a file; returns the output's records.
fn tag_ok(text: &[u8]) -> Vec<csv::ByteRecord> {
    let dir = scratch(&[("in.csv", text)]);
    let r = run_in(
        dir.path(),
        &["tag", "in.csv", "-o", "out.csv", "--as-of", "2022-10-07"],
        None,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = std::fs::read(dir.path().join("out.csv")).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.as_slice())
        .byte_records()
        .map(Result::unwrap)
        .collect()
}

fn feature_collection(features: &[String]) -> String {
    format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        features.join(",\n")
    )
}

/// A line feature with `id` and a raw JSON `geometry`.
fn line_feature(id: &str, geometry: &str) -> String {
    format!(
        r#"{{"type": "Feature", "properties": {{"kind": "line", "id": "{id}"}}, "geometry": {geometry}}}"#
    )
}

/// A country feature with `key` and a raw JSON `geometry`.
fn country_feature(key: &str, geometry: &str) -> String {
    format!(r#"{{"type": "Feature", "properties": {{"iso_a3": "{key}"}}, "geometry": {geometry}}}"#)
}

/// A border with line M (fine) and line X with `coordinates`, and countries AAA (fine) and BBB
/// with `coordinates` as the positions of its ring.
fn with_positions(positions: &str) -> (String, String) {
    let border = feature_collection(&[
        line_feature(
            "M",
            r#"{"type": "LineString", "coordinates": [[70, 39], [70, 40]]}"#,
        ),
        line_feature(
            "X",
            &format!(r#"{{"type": "LineString", "coordinates": {positions}}}"#),
        ),
    ]);
    let countries = feature_collection(&[
        country_feature(
            "AAA",
            r#"{"type": "Polygon", "coordinates": [[[69, 39], [70, 39], [70, 40], [69, 40], [69, 39]]]}"#,
        ),
        country_feature(
            "BBB",
            &format!(r#"{{"type": "Polygon", "coordinates": [{positions}]}}"#),
        ),
    ]);
    (border, countries)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

// ---------------------------------------------------------------------------------------------
// GeoJSON: border lines and country polygons.

#[test]
fn the_baseline_inputs_work() {
    succeeds(
        &[("border.geojson", BORDER_M.as_bytes())],
        &["share", "--border", "border.geojson"],
    );
    succeeds(&[("countries.geojson", COUNTRIES.as_bytes())], &DERIVE);
}

#[test]
fn geojson_empty_file() {
    countries_fail(b"", &["empty"]);
    geojson_fails(b" \n\t\r\n ", &["empty"]);
}

#[test]
fn geojson_truncated() {
    for cut in [1, 20, BORDER_M.len() / 2, BORDER_M.len() - 1] {
        geojson_fails(&BORDER_M.as_bytes()[..cut], &[":line ", "invalid JSON"]);
    }
    // Cut in the middle of a number and of a string.
    geojson_fails(
        br#"{"type": "FeatureCollection", "features": [1.5e"#,
        &["invalid JSON"],
    );
    geojson_fails(br#"{"type": "FeatureCollec"#, &["invalid JSON"]);
}

#[test]
fn geojson_valid_json_but_not_geojson() {
    for text in [
        "[1, 2, 3]",
        "\"text\"",
        "null",
        "42",
        "{}",
        r#"{"a": {"type": 5}}"#,
    ] {
        geojson_fails(text.as_bytes(), &["expected a GeoJSON FeatureCollection"]);
    }
    geojson_fails(
        br#"{"type": "FeatureCollection"}"#,
        &["without a \"features\" array"],
    );
    geojson_fails(
        br#"{"type": "FeatureCollection", "features": {"0": 1}}"#,
        &["without a \"features\" array"],
    );
    geojson_fails(
        br#"{"type": "FeatureCollection", "features": [42]}"#,
        &[":feature 0", "not a GeoJSON Feature"],
    );
    geojson_fails(
        br#"{"type": "Topology", "objects": {}}"#,
        &["FeatureCollection", "found a Topology"],
    );
    // An empty collection has no border lines and no countries.
    border_fails(
        br#"{"type": "FeatureCollection", "features": []}"#,
        &["no border lines"],
    );
    countries_fail(
        br#"{"type": "FeatureCollection", "features": []}"#,
        &["no feature with iso_a3 = \"AAA\""],
    );
}

#[test]
fn geojson_a_feature_instead_of_a_collection() {
    let feature = line_feature(
        "M",
        r#"{"type": "LineString", "coordinates": [[70, 39], [70, 40]]}"#,
    );
    geojson_fails(
        feature.as_bytes(),
        &["FeatureCollection", "found a Feature"],
    );
    geojson_fails(
        br#"{"type": "LineString", "coordinates": [[70, 39], [70, 40]]}"#,
        &["found a LineString"],
    );
}

#[test]
fn geojson_null_and_unsupported_geometries() {
    let null = feature_collection(&[line_feature("M", "null")]);
    border_fails(null.as_bytes(), &[":feature 0", "no geometry (null)"]);
    let null = feature_collection(&[country_feature("AAA", "null")]);
    countries_fail(null.as_bytes(), &[":feature 0", "no geometry (null)"]);
    for (geometry, name) in [
        (
            r#"{"type": "GeometryCollection", "geometries": []}"#,
            "GeometryCollection",
        ),
        (
            r#"{"type": "MultiLineString", "coordinates": [[[70, 39], [70, 40]]]}"#,
            "MultiLineString",
        ),
        (
            r#"{"type": "MultiPoint", "coordinates": [[70, 39]]}"#,
            "MultiPoint",
        ),
    ] {
        let border = feature_collection(&[line_feature("M", geometry)]);
        border_fails(
            border.as_bytes(),
            &[":feature 0", "expected a LineString", name],
        );
        let countries = feature_collection(&[country_feature("AAA", geometry)]);
        countries_fail(countries.as_bytes(), &[":feature 0", "Polygon", name]);
    }
    // A type GeoJSON does not have.
    let circle = r#"{"type": "Circle", "coordinates": [70, 39], "radius": 5}"#;
    geojson_fails(
        feature_collection(&[line_feature("M", circle)]).as_bytes(),
        &[":feature 0", "not a GeoJSON Feature", "Circle"],
    );
    // Coordinates of the wrong shape for the type.
    geojson_fails(
        feature_collection(&[line_feature(
            "M",
            r#"{"type": "LineString", "coordinates": 7}"#,
        )])
        .as_bytes(),
        &[":feature 0", "not a GeoJSON Feature"],
    );
}

#[test]
fn geojson_empty_coordinate_arrays() {
    let (border, _) = with_positions("[]");
    border_fails(
        border.as_bytes(),
        &[":feature 1", "at least two distinct positions"],
    );
    let (border, countries) = with_positions("[[]]");
    border_fails(border.as_bytes(), &[":feature 1"]);
    countries_fail(countries.as_bytes(), &[":feature 1"]);
    for geometry in [
        r#"{"type": "Polygon", "coordinates": []}"#,
        r#"{"type": "Polygon", "coordinates": [[]]}"#,
        r#"{"type": "MultiPolygon", "coordinates": []}"#,
        r#"{"type": "MultiPolygon", "coordinates": [[]]}"#,
    ] {
        let countries = feature_collection(&[country_feature("AAA", geometry)]);
        countries_fail(countries.as_bytes(), &[":feature 0"]);
    }
}

#[test]
fn geojson_nan_and_infinities() {
    // JSON has no NaN or infinity: as bare words they are invalid JSON, naming the line.
    for word in ["NaN", "Infinity", "-Infinity", "inf", "nan"] {
        let (border, countries) =
            with_positions(&format!("[[70, 39], [{word}, 39.5], [70, 40], [70, 39]]"));
        border_fails(border.as_bytes(), &[":line 2", "invalid JSON"]);
        countries_fail(countries.as_bytes(), &[":line ", "invalid JSON"]);
    }
    // 1e400 does not fit a double: invalid JSON too (serde_json: number out of range).
    let (_, countries) = with_positions("[[70, 39], [1e400, 39.5], [70, 40], [70, 39]]");
    countries_fail(countries.as_bytes(), &[":line ", "out of range"]);
    // As strings they are not numbers.
    let (border, countries) = with_positions(r#"[[70, 39], ["NaN", 39.5], [70, 40], [70, 39]]"#);
    border_fails(border.as_bytes(), &[":feature 1", "not a GeoJSON Feature"]);
    countries_fail(
        countries.as_bytes(),
        &[":feature 1", "not a GeoJSON Feature"],
    );
}

#[test]
fn geojson_huge_and_out_of_range_coordinates() {
    for (position, shown) in [
        ("[1e308, 39.5]", "1e308"),
        ("[-1.7976931348623157e308, 39.5]", "-1.7976931348623157e308"),
        ("[180.000001, 39.5]", "180.000001"),
        ("[70, -90.5]", "-90.5"),
        ("[70, 1e300]", "1e300"),
    ] {
        let (border, countries) =
            with_positions(&format!("[[70, 39], {position}, [70, 40], [70, 39]]"));
        border_fails(border.as_bytes(), &[":feature 1", "out of range", shown]);
        countries_fail(countries.as_bytes(), &[":feature 1", "out of range", shown]);
    }
    // The message stays one short line however many digits the number has.
    let (border, _) = with_positions("[[70, 39], [1e308, 39.5]]");
    let dir = scratch(&[("border.geojson", border.as_bytes())]);
    let r = run_in(dir.path(), &["share", "--border", "border.geojson"], None);
    assert!(r.stderr.len() < 200, "{}", r.stderr);
    // A third number (altitude) is allowed; fewer than two is not.
    let (border, countries) =
        with_positions("[[70, 39, 1e308], [70.5, 39.5, -5], [70, 40, 0], [70, 39, 0]]");
    succeeds(
        &[("border.geojson", border.as_bytes())],
        &["share", "--border", "border.geojson"],
    );
    succeeds(&[("countries.geojson", countries.as_bytes())], &DERIVE);
    let (border, countries) = with_positions("[[70, 39], [70], [70, 40], [70, 39]]");
    border_fails(border.as_bytes(), &[":feature 1"]);
    countries_fail(countries.as_bytes(), &[":feature 1"]);
}

#[test]
fn geojson_latitude_and_longitude_swapped() {
    // Detectable when the "latitude" is beyond ±90 but the "longitude" is not.
    let (border, countries) = with_positions("[[39, 70], [39.5, 120.5], [40, 70], [39, 70]]");
    border_fails(
        border.as_bytes(),
        &[":feature 1", "out of range", "swapped"],
    );
    countries_fail(
        countries.as_bytes(),
        &[":feature 1", "out of range", "swapped"],
    );
    // Not detectable when both fit (70°N, 39°E is a real place): the line is taken as given,
    // 0.5° of latitude long, and tagging a point by the real line finds it far away.
    let border = feature_collection(&[line_feature(
        "M",
        r#"{"type": "LineString", "coordinates": [[39, 70], [39, 70.5]]}"#,
    )]);
    let km = total_km(&border);
    assert!((km - 55.8).abs() < 0.2, "{km}");
}

#[test]
fn geojson_duplicate_line_ids() {
    let line = r#"{"type": "LineString", "coordinates": [[70, 39], [70, 40]]}"#;
    let other = r#"{"type": "LineString", "coordinates": [[71, 39], [71, 40]]}"#;
    let twice = feature_collection(&[line_feature("M", line), line_feature("M", other)]);
    border_fails(twice.as_bytes(), &[":feature 1", "duplicate line id \"M\""]);
    // Also when one id is a property and the other the feature's own id.
    let own_id =
        format!(r#"{{"type": "Feature", "id": "M", "properties": {{}}, "geometry": {other}}}"#);
    let mixed = feature_collection(&[line_feature("M", line), own_id]);
    border_fails(mixed.as_bytes(), &[":feature 1", "duplicate line id"]);
    // Country polygons with the same key are one country (a country of several features).
    let countries = COUNTRIES.replace(
        "}}\n]}",
        "}},\n  {\"type\": \"Feature\", \"properties\": {\"iso_a3\": \"BBB\"}, \"geometry\": \
         {\"type\": \"Polygon\", \"coordinates\": [[[75, 39], [76, 39], [76, 40], [75, 39]]]}}\n]}",
    );
    assert!(countries.contains("75, 39"));
    succeeds(&[("countries.geojson", countries.as_bytes())], &DERIVE);
}

#[test]
fn geojson_zero_length_lines_and_degenerate_rings() {
    let (border, countries) =
        with_positions("[[70.5, 39.5], [70.5, 39.5], [70.5, 39.5], [70.5, 39.5]]");
    border_fails(
        border.as_bytes(),
        &[":feature 1", "at least two distinct positions"],
    );
    countries_fail(
        countries.as_bytes(),
        &[":feature 1", "at least two distinct positions"],
    );
    let (border, _) = with_positions("[[70.5, 39.5]]");
    border_fails(
        border.as_bytes(),
        &[":feature 1", "at least two distinct positions"],
    );
    // A ring that is not closed, or too short to enclose anything.
    let (_, countries) = with_positions("[[70, 39], [71, 39], [71, 40], [70, 40]]");
    countries_fail(
        countries.as_bytes(),
        &[":feature 1", "the last equal to the first"],
    );
    let (_, countries) = with_positions("[[70, 39], [71, 39], [70, 39]]");
    countries_fail(
        countries.as_bytes(),
        &[":feature 1", "at least four positions"],
    );
    // A zero-area ring (there and back) is a shape with no inside: derive copes.
    let (_, countries) = with_positions("[[70, 39], [71, 39], [70, 39], [71, 39], [70, 39]]");
    derive_copes(&countries);
}

#[test]
fn geojson_self_intersecting_lines_and_polygons() {
    // A figure-of-eight line is a line: its length is the sum of its edges.
    let border = feature_collection(&[line_feature(
        "M",
        r#"{"type": "LineString", "coordinates": [[70, 39], [71, 40], [70, 40], [71, 39]]}"#,
    )]);
    let km = total_km(&border);
    assert!((km - 366.279).abs() < 0.01, "{km}");
    // A bow-tie polygon: derive must not panic; it finds the shared edges it can.
    let (_, countries) = with_positions("[[70, 39], [71, 40], [71, 39], [70, 40], [70, 39]]");
    derive_copes(&countries);
}

#[test]
fn geojson_line_crossing_the_antimeridian() {
    // The geodesy is on the ellipsoid: 179.9°E to 179.9°W at 40°N is 0.2° of longitude,
    // 17.08 km, not a 359.8° trip round the world.
    let border = feature_collection(&[line_feature(
        "AM",
        r#"{"type": "LineString", "coordinates": [[179.9, 40], [-179.9, 40]]}"#,
    )]);
    let km = total_km(&border);
    assert!((km - 17.079).abs() < 0.01, "{km}");
    // A point on the antimeridian 1 km north of the line: nearest at the middle of the line.
    // Python geographiclib (tests/fixtures/tag/golden_expect.py's nearest()): 994.5224 m away,
    // at chainage 8539.384 m of 17078.768, the foot at 40.0000431°N on the antimeridian; the
    // third point is 3.5926 m from the line, at chainage 4269.691 m.
    let csv = "lat,lon\n40.009,180\n40.009,-180\n40,179.95\n";
    let dir = scratch(&[
        ("border.geojson", border.as_bytes()),
        ("in.csv", csv.as_bytes()),
    ]);
    let r = run_in(
        dir.path(),
        &[
            "tag",
            "in.csv",
            "--border",
            "border.geojson",
            "--as-of",
            "2022-10-07",
            "-q",
        ],
        None,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut reader = csv::Reader::from_reader(r.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows[..2] {
        assert_eq!(&row[col("tag_error")], "");
        assert_eq!(&row[col("distance_m")], "994.5", "{row:?}");
        assert_eq!(&row[col("chainage_km")], "8.539", "{row:?}");
        assert_eq!(&row[col("border_lat")], "40.000043", "{row:?}");
        let lon: f64 = row[col("border_lon")].parse().unwrap();
        assert_eq!(lon.abs(), 180.0, "{row:?}");
    }
    assert_eq!(&rows[2][col("distance_m")], "3.6", "{:?}", rows[2]);
    assert_eq!(&rows[2][col("chainage_km")], "4.270", "{:?}", rows[2]);
}

#[test]
fn geojson_very_deep_nesting() {
    // serde_json's recursion limit (128) turns deep nesting into an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    geojson_fails(deep.as_bytes(), &[":line 1", "recursion limit"]);
    let inner = format!("{}{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let deep = format!(
        r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": {inner}, "geometry": null}}]}}"#
    );
    geojson_fails(deep.as_bytes(), &["recursion limit"]);
    // Deep but within the limit, in a property: fine.
    let inner = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let border = BORDER_M.replace(
        "\"id\": \"M\"",
        &format!("\"id\": \"M\", \"deep\": {inner}"),
    );
    assert!(border.contains("deep"));
    succeeds(
        &[("border.geojson", border.as_bytes())],
        &["share", "--border", "border.geojson"],
    );
}

#[test]
fn geojson_invalid_utf8() {
    let mut text = BORDER_M.as_bytes().to_vec();
    let at = BORDER_M.find("\"M\"").unwrap() + 1;
    text[at] = 0xff;
    geojson_fails(&text, &["not UTF-8", &format!("offset {at}")]);
    // UTF-16 (with its byte-order mark) is not UTF-8 either.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(BORDER_M.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    geojson_fails(&utf16, &["not UTF-8", "offset 0"]);
}

#[test]
fn geojson_bom_and_crlf_are_fine() {
    let bom = format!("\u{feff}{BORDER_M}");
    succeeds(
        &[("border.geojson", bom.as_bytes())],
        &["share", "--border", "border.geojson"],
    );
    let crlf = BORDER_M.replace('\n', "\r\n");
    succeeds(
        &[("border.geojson", crlf.as_bytes())],
        &["share", "--border", "border.geojson"],
    );
    for countries in [
        format!("\u{feff}{COUNTRIES}"),
        COUNTRIES.replace('\n', "\r\n"),
    ] {
        succeeds(&[("countries.geojson", countries.as_bytes())], &DERIVE);
    }
    // A BOM in the middle is not whitespace: invalid JSON.
    let inner = BORDER_M.replacen('\n', "\n\u{feff}", 1);
    border_fails(inner.as_bytes(), &[":line 2", "invalid JSON"]);
}

#[test]
fn geojson_too_many_positions_is_refused_before_parsing() {
    // Limit: MAX_ARRAYS JSON arrays (each position is one). One more is refused at once.
    let n = borderline::geojson_in::MAX_ARRAYS;
    let mut text = String::with_capacity(n * 6 + 200);
    text.push_str(r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "M"}, "geometry": {"type": "LineString", "coordinates": ["#);
    for i in 0..n {
        text.push_str(if i % 2 == 0 { "[0,0]," } else { "[1,1]," });
    }
    text.push_str("[2,2]]}}]}");
    let path = Path::new("<test>");
    let e = borderline::geojson_in::parse_features(path, &text).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("too many coordinates"), "{message}");
    assert!(message.contains(&n.to_string()), "{message}");
    // Brackets inside strings are not arrays.
    let brackets = "[".repeat(2 * n);
    let text = BORDER_M.replace(
        "\"id\": \"M\"",
        &format!("\"id\": \"M\", \"b\": \"{brackets}\""),
    );
    assert!(borderline::geojson_in::parse_features(path, &text).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Status CSV.

#[test]
fn status_empty_file() {
    status_fails(b"", &["status.csv:line 1", "missing column \"line\""]);
    status_fails(b"\n\n", &["status.csv:line 1", "missing column"]);
}

#[test]
fn status_header_only_leaves_the_line_unknown() {
    // No rows for a line: its status is unknown throughout (as before its first record).
    let rows = share_with_status(STATUS_HEADER.as_bytes(), "2022-10-07");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "unknown");
    assert!((rows[0].1 - 111.0).abs() < 0.1, "{rows:?}");
}

#[test]
fn status_not_a_csv_at_all() {
    status_fails(
        BORDER_M.as_bytes(),
        &["status.csv:line 1", "missing column"],
    );
    status_fails(
        b"\x00\x01\x02\x03",
        &["status.csv:line 1", "missing column"],
    );
}

#[test]
fn status_invalid_utf8() {
    let text = format!("{STATUS_HEADER}M,0,end,\u{e9}tat,2020-01-01,sourced,a\n");
    let mut bytes = text.into_bytes();
    let at = bytes.iter().position(|&b| b == 0xc3).unwrap();
    bytes[at] = 0xff;
    status_fails(
        &bytes,
        &["status.csv", "not UTF-8", &format!("offset {at}")],
    );
}

#[test]
fn status_bom_crlf_and_quoted_fields_are_fine() {
    let text = format!(
        "\u{feff}{STATUS_HEADER}M,0,50,delimited,2020-01-01,sourced,\"a, b\nand \"\"c\"\"\"\n\
         M,50,end,undelimited,2020-01-01,sourced,plain\n"
    );
    let rows = share_with_status(text.as_bytes(), "2022-10-07");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(share_with_status(crlf.as_bytes(), "2022-10-07"), rows);
    // An error after a quoted field with a line break names the right line (physical lines).
    let text = format!(
        "{STATUS_HEADER}M,0,50,delimited,2020-01-01,sourced,\"two\nlines\"\n\
         M,50,end,undelimited,2020-02-30,sourced,x\n"
    );
    status_fails(text.as_bytes(), &["status.csv:line 4", "2020-02-30"]);
    // A quote left open swallows the rest of the file: an error, not a silent row.
    let text = format!("{STATUS_HEADER}M,0,end,delimited,2020-01-01,sourced,\"open\nM,1,2\n");
    let dir = scratch(&[
        ("border.geojson", BORDER_M.as_bytes()),
        ("status.csv", text.as_bytes()),
    ]);
    let r = run_in(
        dir.path(),
        &[
            "share",
            "--border",
            "border.geojson",
            "--status",
            "status.csv",
        ],
        None,
    );
    assert!(matches!(r.code, Some(0 | 2)), "{}", r.stderr);
}

#[test]
fn status_ragged_rows() {
    // Long rows as well as short ones (ragged.csv in errors.rs has a short one).
    let text = format!("{STATUS_HEADER}M,0,end,delimited,2020-01-01,sourced,a,extra\n");
    status_fails(text.as_bytes(), &["status.csv:line 2", "malformed CSV"]);
    let text = format!("{STATUS_HEADER}M\n");
    status_fails(text.as_bytes(), &["status.csv:line 2", "malformed CSV"]);
}

#[test]
fn status_duplicate_header_names() {
    let text = "line,from_km,to_km,status,status,effective_from,basis,source\n\
                M,0,end,delimited,undelimited,2020-01-01,sourced,a\n";
    status_fails(
        text.as_bytes(),
        &["status.csv:line 1", "duplicate column \"status\""],
    );
    // Case and spaces do not make a different column.
    let text = "line,from_km,to_km,status,effective_from,basis,source, LINE \n";
    status_fails(
        text.as_bytes(),
        &["status.csv:line 1", "duplicate column \"line\""],
    );
    // Duplicates among extra columns are ignored, as the columns are.
    let text = format!(
        "{},note,note\nM,0,end,delimited,2020-01-01,sourced,a,x,y\n",
        STATUS_HEADER.trim_end()
    );
    assert_eq!(
        share_with_status(text.as_bytes(), "2022-10-07")[0].0,
        "delimited"
    );
}

#[test]
fn status_reversed_and_empty_ranges() {
    for (from, to) in [("60", "50"), ("50", "50"), ("0", "0")] {
        let text = format!("{STATUS_HEADER}M,{from},{to},delimited,2020-01-01,sourced,a\n");
        status_fails(
            text.as_bytes(),
            &["status.csv:line 2", "is not after from_km"],
        );
    }
}

#[test]
fn status_bad_distances() {
    for km in ["-5", "NaN", "inf", "-inf", "1e400", "", "5 km", "0x10"] {
        let text = format!("{STATUS_HEADER}M,{km},end,delimited,2020-01-01,sourced,a\n");
        status_fails(
            text.as_bytes(),
            &["status.csv:line 2", "not a distance in km"],
        );
    }
    // Beyond the end of the line.
    let text = format!("{STATUS_HEADER}M,0,1e308,delimited,2020-01-01,sourced,a\n");
    status_fails(
        text.as_bytes(),
        &["status.csv:line 2", "beyond the end of line"],
    );
}

#[test]
fn status_impossible_dates() {
    for date in [
        "2022-13-01",
        "2022-00-10",
        "2021-02-29",
        "2022-04-31",
        "2022-01-32",
        "0000-00-00",
        "99999-01-01",
        "2022-1-1",
        "01/02/2022",
        "2022-01-01T25:00",
    ] {
        let text = format!("{STATUS_HEADER}M,0,end,delimited,{date},sourced,a\n");
        status_fails(text.as_bytes(), &["status.csv:line 2", "effective_from"]);
    }
    // 2020-02-29 exists.
    let text = format!("{STATUS_HEADER}M,0,end,delimited,2020-02-29,sourced,a\n");
    assert_eq!(
        share_with_status(text.as_bytes(), "2022-10-07")[0].0,
        "delimited"
    );
}

#[test]
fn status_overlapping_missing_and_out_of_order_ranges() {
    // Overlap at a later date only (the first date tiles).
    let text = format!(
        "{STATUS_HEADER}M,0,end,delimited,2020-01-01,sourced,a\n\
         M,0,60,undelimited,2021-01-01,sourced,b\n\
         M,50,end,disputed,2021-01-01,sourced,c\n"
    );
    status_fails(
        text.as_bytes(),
        &["\"M\"", "50.000–60.000", "2021-01-01", "overlap", "line 4"],
    );
    // A later row replaces every row it overlaps, as a whole: replacing part of the line
    // leaves the rest uncovered.
    let text = format!(
        "{STATUS_HEADER}M,0,end,delimited,2020-01-01,sourced,a\n\
         M,10,60,undelimited,2021-01-01,sourced,b\n"
    );
    status_fails(
        text.as_bytes(),
        &["\"M\"", "0.000–10.000", "2021-01-01", "gap"],
    );
    let text = format!(
        "{STATUS_HEADER}M,0,end,delimited,2020-01-01,sourced,a\n\
         M,0,60,undelimited,2021-01-01,sourced,b\n\
         M,60,end,delimited,2021-01-01,sourced,b\n"
    );
    let rows = share_with_status(text.as_bytes(), "2022-10-07");
    let km = |s: &str| rows.iter().find(|r| r.0 == s).map(|r| r.1).unwrap();
    assert!((km("undelimited") - 60.0).abs() < 0.01, "{rows:?}");
    // The end of the line left uncovered.
    let text = format!("{STATUS_HEADER}M,0,100,delimited,2020-01-01,sourced,a\n");
    status_fails(text.as_bytes(), &["\"M\"", "100.000", "gap"]);
    // Rows out of order in the file are fine.
    let text = format!(
        "{STATUS_HEADER}M,50,end,undelimited,2020-01-01,sourced,b\n\
         M,0,50,delimited,2020-01-01,sourced,a\n"
    );
    assert_eq!(share_with_status(text.as_bytes(), "2022-10-07").len(), 2);
    // A line of the status table that the border does not have, and a border line without rows.
    let text = format!("{STATUS_HEADER}Q,0,end,delimited,2020-01-01,sourced,a\n");
    status_fails(
        text.as_bytes(),
        &["status.csv:line 2", "unknown line \"Q\""],
    );
}

#[test]
fn status_many_rows_on_one_line_do_not_hang() {
    // A history of 500 dates on one line, each turning one more stretch undelimited (a piece
    // and the rest of the line at each date: 1000 rows). Validating and segmenting it used to
    // take O(rows⁴) (hours); now seconds.
    let mut text = STATUS_HEADER.to_string();
    let n = 500;
    let step = 110.0 / n as f64;
    text.push_str("M,0,end,delimited,,sourced,a\n");
    for i in 0..n {
        let day = jiff_day(i);
        let (from, to) = (i as f64 * step, (i + 1) as f64 * step);
        if i + 1 == n {
            text.push_str(&format!("M,{from:.4},end,undelimited,{day},sourced,b\n"));
        } else {
            text.push_str(&format!(
                "M,{from:.4},{to:.4},undelimited,{day},sourced,b\n"
            ));
            text.push_str(&format!("M,{to:.4},end,delimited,{day},sourced,b\n"));
        }
    }
    let started = std::time::Instant::now();
    let rows = share_with_status(text.as_bytes(), "2030-01-01");
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "undelimited");
    // Halfway through the history, half the line.
    let rows = share_with_status(text.as_bytes(), &jiff_day(n / 2 - 1));
    assert_eq!(rows.len(), 2, "{rows:?}");
}

/// The `i`th day from 2000-01-01 as an ISO date.
fn jiff_day(i: usize) -> String {
    jiff::civil::date(2000, 1, 1)
        .checked_add(jiff::Span::new().days(i as i64))
        .unwrap()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Incident CSV (`tag`). Row-level faults (bad numbers, ragged rows, bad dates) are covered in
// tests/tag_cli.rs; these are the file-level ones and the bytes that must pass through.

#[test]
fn incidents_empty_file() {
    incidents_fail(b"", &["in.csv", "empty file"]);
    incidents_fail(b"\n", &["in.csv", "empty file"]);
}

#[test]
fn incidents_header_only() {
    let out = tag_ok(b"id,lat,lon\n");
    assert_eq!(out.len(), 1);
    assert_eq!(&out[0][0], b"id");
    assert_eq!(out[0].len(), 3 + borderline::tag::TAG_COLUMNS.len());
    // Without a final newline, too.
    assert_eq!(tag_ok(b"id,lat,lon").len(), 1);
}

#[test]
fn incidents_not_a_csv() {
    incidents_fail(
        BORDER_M.as_bytes(),
        &["in.csv:line 1", "no latitude column"],
    );
    incidents_fail(
        b"\x00\x01\x02\n\x03",
        &["in.csv:line 1", "no latitude column"],
    );
}

#[test]
fn incidents_duplicate_header_names() {
    incidents_fail(
        b"lat,lon,lat\n1,2,3\n",
        &["in.csv:line 1", "ambiguous latitude"],
    );
    incidents_fail(
        b"Lat,lon, LAT \n1,2,3\n",
        &["in.csv:line 1", "ambiguous latitude"],
    );
    // Duplicate names of other columns are kept as they are.
    let out = tag_ok(b"note,lat,lon,note\na,39.9,70.5,b\n");
    assert_eq!(&out[0][0], b"note");
    assert_eq!(&out[0][3], b"note");
    assert_eq!(&out[1][0], b"a");
    assert_eq!(&out[1][3], b"b");
    assert_eq!(
        out[1].get(out[1].len() - 1),
        Some(&b""[..]),
        "tag_error empty"
    );
}

#[test]
fn incidents_invalid_utf8_passes_through_or_is_a_row_error() {
    // Invalid UTF-8 in a text field is copied byte for byte; in a coordinate it is a row error.
    let input =
        b"id,lat,lon,note\n1,39.9,70.5,caf\xe9 \xff\xfe\n2,39\xff.9,70.5,x\n3,39.9,70.5,ok\n";
    let out = tag_ok(input);
    assert_eq!(out.len(), 4);
    assert_eq!(&out[1][3], b"caf\xe9 \xff\xfe");
    let error = |r: &csv::ByteRecord| String::from_utf8_lossy(&r[r.len() - 1]).into_owned();
    assert_eq!(error(&out[1]), "");
    assert!(error(&out[2]).contains("not UTF-8"), "{}", error(&out[2]));
    assert_eq!(&out[2][1], b"39\xff.9");
    assert_eq!(error(&out[3]), "");
    // Invalid UTF-8 in the header: the columns are still found.
    let out = tag_ok(b"n\xffote,lat,lon\nx,39.9,70.5\n");
    assert_eq!(&out[0][0], b"n\xffote");
}

#[test]
fn incidents_quote_left_open_keeps_the_row() {
    // An unclosed quote makes the rest of the file one field: the csv reader takes it as the
    // last row (kept, with a tag_error about its field count), never a lost row.
    let out = tag_ok(b"id,lat,lon\n1,39.9,70.5\n2,\"39.9,70.5\n3,39.9,70.5\n");
    assert_eq!(out.len(), 3);
    assert_eq!(&out[2][0], b"2");
    let error = String::from_utf8_lossy(&out[2][out[2].len() - 1]).into_owned();
    assert!(error.contains("fields"), "{error}");
}

#[test]
fn incidents_nul_bytes_and_control_characters_pass_through() {
    let input = b"id,lat,lon,note\n1,39.9,70.5,\"a\x00b\x1b[31mred\x07\"\n";
    let out = tag_ok(input);
    assert_eq!(&out[1][3], b"a\x00b\x1b[31mred\x07");
}

// ---------------------------------------------------------------------------------------------
// The fuzz targets' inputs, replayed through the fuzz targets' own checks (`fuzz/checks.rs`):
// every seed (`fuzz/seeds/TARGET/`), every corpus file a local fuzzing run left
// (`fuzz/corpus/TARGET/`, not committed) and every crash kept (`tests/fixtures/hostile/`,
// named `TARGET-what.ext`).

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

const FUZZ_TARGETS: [&str; 3] = ["border_geojson", "status_csv", "tag_row"];

/// Every input of `target`: its seeds, its local corpus and its kept crashes.
fn fuzz_inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["fuzz/seeds", "fuzz/corpus"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (prefix, _) = name
            .split_once('-')
            .unwrap_or_else(|| panic!("{name}: name it after its fuzz target (TARGET-what.ext)"));
        assert!(
            FUZZ_TARGETS.contains(&prefix),
            "{name}: {prefix} is not a fuzz target"
        );
        if prefix == target {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn fuzz_regressions() {
    let lines: Vec<(String, f64)> = borderline::Border::embedded()
        .lines
        .iter()
        .map(|l| (l.id.clone(), l.length_km))
        .collect();
    let lines: Vec<(&str, f64)> = lines.iter().map(|(i, k)| (i.as_str(), *k)).collect();
    let tagger = borderline::tag::Tagger::new(borderline::Border::embedded());
    for target in FUZZ_TARGETS {
        let inputs = fuzz_inputs(target);
        assert!(!inputs.is_empty(), "{target}: no seeds");
        for path in inputs {
            let data = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(|| match target {
                "border_geojson" => checks::border_geojson(&data),
                "status_csv" => checks::status_csv(&data, &lines),
                _ => checks::tag_row(&tagger, &data),
            });
            assert!(run.is_ok(), "{target}: {} fails its check", path.display());
        }
    }
}

/// The replay's own oracle: rows counted by the `csv` crate, whatever the encoding.
#[test]
fn fuzz_input_rows_are_counted_independently() {
    let utf16le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "id,lat\r\n1,\"a\nb\"\r\n\r\n2,3\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    // The quoted line break is in a field of its own only where `,` delimits.
    assert_eq!(checks::input_rows(&utf16le), Some(vec![2, 3, 3, 3]));
    assert_eq!(
        checks::input_rows(b"\xef\xbb\xbfa;b\nx;\"y\nz\"\n"),
        Some(vec![2, 1, 2, 2])
    );
    assert_eq!(checks::input_rows(b"PK\x03\x04rest"), None);
}
