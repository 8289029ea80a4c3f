//! `borderline derive` against hand-made fixtures and the bundled source.
//!
//! Expected lengths and areas were computed with Python's `geographiclib` 2.1 (WGS84), not with
//! borderline: line lengths as the sum of `Geodesic.WGS84.Inverse(...)['s12']` over the edges,
//! polygon area and perimeter with `Geodesic.WGS84.Polygon()` (`Compute(False, True)`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use borderline::Border;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Runs `derive FILE --a A --b B [extra] -o OUT` and returns (output document, stderr, out path).
fn derive(file: &Path, a: &str, b: &str, extra: &[&str], dir: &Path) -> (Value, String, PathBuf) {
    let out = dir.join("border.geojson");
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(file)
        .args(["--a", a, "--b", b])
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let text = std::fs::read_to_string(&out).unwrap();
    (serde_json::from_str(&text).unwrap(), stderr, out)
}

fn features<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

fn coords(feature: &Value) -> Vec<(f64, f64)> {
    feature["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

/// Whether `p` lies to the right of the directed edge `from → to`, in a local plane where a
/// degree of longitude is scaled by cos(latitude) (the edges here are short).
fn on_right(from: (f64, f64), to: (f64, f64), p: (f64, f64)) -> bool {
    let c = from.1.to_radians().cos();
    let (ex, ey) = ((to.0 - from.0) * c, to.1 - from.1);
    let (px, py) = ((p.0 - from.0) * c, p.1 - from.1);
    ex * py - ey * px < 0.0
}

/// The shared AAA|BBB boundary of both synthetic fixtures, from the tripoint AAA/BBB/CCC in the
/// north to the one in the south (AAA lies west of it, so with AAA on the right it runs south).
const SHARED: [(f64, f64); 4] = [(1.0, 41.0), (0.99, 40.7), (1.02, 40.4), (1.0, 40.0)];
/// geographiclib: sum of the three edges of `SHARED`.
const SHARED_M: f64 = 111_184.340_303_273;
/// The BBB enclave inside AAA, from its northernmost (then westernmost) vertex, with AAA
/// (outside) on the right: counter-clockwise.
const ENCLAVE: [(f64, f64); 5] = [
    (0.4, 40.6),
    (0.4, 40.5),
    (0.6, 40.5),
    (0.6, 40.6),
    (0.4, 40.6),
];
/// geographiclib Polygon on the enclave: perimeter (m) and area (m²).
const ENCLAVE_PERIMETER_M: f64 = 56_090.942_501_495_665;
const ENCLAVE_AREA_M2: f64 = 188_121_180.960_174_56;

fn check_synthetic(file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let names = fixture("tests/fixtures/derive/names.csv");
    let (doc, stderr, out) = derive(
        &fixture(file),
        "AAA",
        "BBB",
        &["--names", names.to_str().unwrap()],
        dir.path(),
    );
    let lines = features(&doc, "line");
    assert_eq!(
        lines.len(),
        2,
        "{file}: one shared line and one enclave perimeter"
    );

    // The shared line: exactly the hand-placed vertices, between the two tripoints.
    let shared = lines
        .iter()
        .find(|f| f["properties"]["id"] == "AAA-BBB")
        .expect("a line AAA-BBB");
    assert_eq!(coords(shared), SHARED.to_vec(), "{file}");
    assert_eq!(shared["properties"]["a"], "AAA");
    assert_eq!(shared["properties"]["b"], "BBB");
    assert_eq!(shared["properties"]["length_km"].as_f64(), Some(111.184));
    // Orientation: (0.9, 40.9) is inside AAA, (1.1, 40.9) inside BBB; every edge has AAA on
    // its right (and the line runs from north to south, AAA being west of BBB).
    // For every edge, a point 0.05° west of its middle is in AAA, 0.05° east in BBB.
    let derived = coords(shared);
    for w in derived.windows(2) {
        let mid = ((w[0].0 + w[1].0) / 2.0, (w[0].1 + w[1].1) / 2.0);
        assert!(
            on_right(w[0], w[1], (mid.0 - 0.05, mid.1)),
            "{file}: AAA right of {w:?}"
        );
        assert!(
            !on_right(w[0], w[1], (mid.0 + 0.05, mid.1)),
            "{file}: BBB left of {w:?}"
        );
    }
    assert!(on_right(SHARED[0], SHARED[1], (0.9, 40.9)));
    assert!(!on_right(SHARED[0], SHARED[1], (1.1, 40.9)));

    // The enclave perimeter: closed, from the northernmost vertex, AAA outside on the right.
    let ring = lines
        .iter()
        .find(|f| f["properties"]["id"] == "Testvale")
        .expect("the enclave's perimeter line, named from names.csv");
    let ring_coords = coords(ring);
    assert_eq!(ring_coords, ENCLAVE.to_vec(), "{file}");
    assert!(
        on_right(ENCLAVE[0], ENCLAVE[1], (0.3, 40.55)),
        "AAA outside on the right"
    );
    assert!(
        !on_right(ENCLAVE[0], ENCLAVE[1], (0.5, 40.55)),
        "BBB inside on the left"
    );
    assert_eq!(ring["properties"]["length_km"].as_f64(), Some(56.091));

    // Exactly one enclave: the square, not the BBB triangle that touches CCC.
    let enclaves = features(&doc, "enclave");
    assert_eq!(
        enclaves.len(),
        1,
        "{file}: the triangle touching CCC is no enclave"
    );
    let e = &enclaves[0]["properties"];
    assert_eq!(e["name"], "Testvale");
    assert_eq!(e["country"], "BBB");
    assert_eq!(e["area_km2"].as_f64(), Some(188.12));
    assert!(
        stderr.contains("enclave Testvale (BBB): 188.12 km²"),
        "{stderr}"
    );

    // The countries: AAA holed once for the enclave (whether or not the source had the hole),
    // BBB with its three polygons, CCC not included.
    let countries = features(&doc, "country");
    let keys: Vec<&str> = countries
        .iter()
        .map(|c| c["properties"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["AAA", "BBB"]);
    let aaa = countries[0]["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(aaa.len(), 1);
    assert_eq!(
        aaa[0].as_array().unwrap().len(),
        2,
        "{file}: AAA = shell + one hole"
    );
    assert_eq!(
        countries[1]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // The output loads as a border; its lengths and area match geographiclib to a millimetre.
    let border = Border::load(Some(&out), None).unwrap();
    assert_eq!(border.name, "Aland–Beland");
    let km = |id: &str| border.lines.iter().find(|l| l.id == id).unwrap().length_km;
    assert!((km("AAA-BBB") * 1000.0 - SHARED_M).abs() < 1e-3);
    assert!((km("Testvale") * 1000.0 - ENCLAVE_PERIMETER_M).abs() < 1e-3);
    assert_eq!(border.enclaves.len(), 1);
    assert!((border.enclaves[0].area_km2 * 1e6 - ENCLAVE_AREA_M2).abs() < 1.0);
}

#[test]
fn synthetic_fixture_with_an_unholed_host() {
    // Like the OSM source: AAA's polygon overlaps the BBB enclave.
    check_synthetic("tests/fixtures/derive/synthetic.geojson");
}

#[test]
fn synthetic_fixture_with_a_holed_host() {
    check_synthetic("tests/fixtures/derive/synthetic-holed.geojson");
}

#[test]
fn enclave_without_a_name_gets_a_numbered_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("tests/fixtures/derive/synthetic.geojson");
    let (doc, _, _) = derive(&file, "AAA", "BBB", &[], dir.path());
    let enclaves = features(&doc, "enclave");
    assert_eq!(enclaves.len(), 1);
    assert_eq!(enclaves[0]["properties"]["name"], "BBB-enclave-1");
    // Without --attribution and --license the output claims no credit of its own.
    assert!(doc.get("attribution").is_none() && doc.get("license").is_none());
}

#[test]
fn swapping_a_and_b_reverses_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("tests/fixtures/derive/synthetic.geojson");
    let (doc, _, _) = derive(&file, "BBB", "AAA", &[], dir.path());
    let lines = features(&doc, "line");
    let shared = lines
        .iter()
        .find(|f| f["properties"]["id"] == "BBB-AAA")
        .expect("a line BBB-AAA");
    let mut reversed = SHARED.to_vec();
    reversed.reverse();
    assert_eq!(coords(shared), reversed);
    // With BBB (the owner, inside) on the right, the enclave ring is clockwise.
    let ring = lines
        .iter()
        .find(|f| f["properties"]["id"] == "BBB-enclave-1")
        .unwrap();
    let c = coords(ring);
    assert_eq!(c[0], (0.4, 40.6));
    assert!(on_right(c[0], c[1], (0.5, 40.55)), "{c:?}");
}

const OSM_CREDIT: &str = "© OpenStreetMap contributors, ODbL 1.0";
const ODBL: &str = "ODbL-1.0 https://opendatacommons.org/licenses/odbl/1-0/";

fn bundled_source() -> PathBuf {
    fixture("data/source/osm-countries-kg-tj-uz.geojson")
}

#[test]
fn bundled_source_gives_the_kyrgyz_tajik_line_and_vorukh() {
    let dir = tempfile::tempdir().unwrap();
    let names = fixture("data/kgz-tjk/enclave-names.csv");
    // The command of data/README.md, "Rebuilding the border".
    let (doc, _, out) = derive(
        &bundled_source(),
        "KGZ",
        "TJK",
        &[
            "--names",
            names.to_str().unwrap(),
            "--attribution",
            OSM_CREDIT,
            "--license",
            ODBL,
        ],
        dir.path(),
    );
    // OpenStreetMap is credited at the top level, as the ODbL asks of a derived database.
    assert_eq!(doc["attribution"], OSM_CREDIT);
    assert_eq!(doc["license"], ODBL);
    let lines = features(&doc, "line");
    let (open, closed): (Vec<&Value>, Vec<&Value>) = lines.iter().partition(|f| {
        let c = coords(f);
        c.first() != c.last()
    });
    assert_eq!(open.len(), 1, "one open line");
    assert_eq!(closed.len(), 1, "one closed line");
    let c = coords(open[0]);
    let near = |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).abs() < 0.01 && (p.1 - q.1).abs() < 0.01;
    // The README of the reference data: from about 73.600E 39.460N (tripoint with China) to
    // about 70.983E 40.226N (tripoint with Uzbekistan).
    assert!(near(c[0], (73.600, 39.460)), "starts at {:?}", c[0]);
    assert!(
        near(*c.last().unwrap(), (70.983, 40.226)),
        "ends at {:?}",
        c.last()
    );
    assert_eq!(closed[0]["properties"]["id"], "Vorukh");
    let enclaves = features(&doc, "enclave");
    assert_eq!(enclaves.len(), 1);
    assert_eq!(enclaves[0]["properties"]["name"], "Vorukh");
    assert_eq!(enclaves[0]["properties"]["country"], "TJK");

    // The bundled border is reproducible byte for byte.
    let ours = std::fs::read(&out).unwrap();
    let bundled = std::fs::read(fixture("data/kgz-tjk/border.geojson")).unwrap();
    assert!(
        ours == bundled,
        "derive output differs from data/kgz-tjk/border.geojson"
    );
}

#[test]
fn unknown_country_key_is_a_usage_error_listing_the_keys() {
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(bundled_source())
        .args(["--a", "XYZ", "--b", "TJK", "-o", "-"])
        .assert()
        .code(2);
    let out = assert.get_output();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("\"XYZ\""), "{stderr}");
    for key in ["KGZ", "TJK", "UZB"] {
        assert!(stderr.contains(key), "{stderr} should list {key}");
    }
    assert!(!stderr.contains("panicked"));
}

#[test]
fn a_key_that_differs_in_case_names_the_properties_found() {
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(fixture("tests/fixtures/derive/synthetic.geojson"))
        .args(["--key", "ISO_A3", "--a", "AAA", "--b", "BBB", "-o", "-"])
        .assert()
        .code(2);
    let out = assert.get_output();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            "feature 0: missing property \"ISO_A3\"; the feature has \"iso_a3\", \"name\" \
             (names are case-sensitive: did you mean \"iso_a3\"?)"
        ),
        "{stderr}"
    );
}
