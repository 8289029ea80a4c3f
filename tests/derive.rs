//! `borderline derive` against hand-made fixtures and the bundled source.
//!
//! Expected lengths and areas were computed with Python's `geographiclib` 2.1 (WGS84), not with
//! borderline: line lengths as the sum of `Geodesic.WGS84.Inverse(...)['s12']` over the edges,
//! polygon area and perimeter with `Geodesic.WGS84.Polygon()` (`Compute(False, True)`). The
//! fixtures in `tests/fixtures/derive/` are squares and notches placed by hand, one per case:
//! T-junctions and a sliver, an enclave with a counter-enclave inside it (hosts holed or not),
//! an island in a lake, two countries that do not touch, a water gap and a third country in a
//! gap.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use borderline::Border;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Runs `derive FILE --a A --b B [extra] -o OUT` and returns (output document, stderr, out path).
fn derive(file: &Path, a: &str, b: &str, extra: &[&str], dir: &Path) -> (Value, String, PathBuf) {
    let mut args = vec!["--a", a, "--b", b];
    args.extend(extra);
    derive_with(file, &args, dir)
}

/// Runs `derive FILE ARGS -o OUT` and returns (output document, stderr, out path).
fn derive_with(file: &Path, args: &[&str], dir: &Path) -> (Value, String, PathBuf) {
    let out = dir.join("border.geojson");
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(file)
        .args(args)
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
        stderr.contains("enclave Testvale (BBB in AAA): 188.12 km²"),
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

/// The credit and licence the bundled borders carry (their source is OpenStreetMap data).
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

// ---------------------------------------------------------------------------------------------
// One fixture per case of a source that is not as tidy as the bundled one.

fn derive_fixture(name: &str, args: &[&str], dir: &Path) -> (Value, String, PathBuf) {
    derive_with(
        &fixture(&format!("tests/fixtures/derive/{name}.geojson")),
        args,
        dir,
    )
}

fn line<'a>(doc: &'a Value, id: &str) -> &'a Value {
    features(doc, "line")
        .into_iter()
        .find(|f| f["properties"]["id"] == id)
        .unwrap_or_else(|| panic!("no line {id:?} in {doc}"))
}

fn ids(doc: &Value, kind: &str) -> Vec<String> {
    let key = if kind == "line" { "id" } else { "name" };
    features(doc, kind)
        .iter()
        .map(|f| f["properties"][key].as_str().unwrap().to_string())
        .collect()
}

/// geographiclib: the meridian arc at longitude 1° from 40°N to 41°N (the AAA|BBB boundary of
/// the fixtures), and pieces of it.
const MERIDIAN_40_41_M: f64 = 111_044.260_879_212;
const MERIDIAN_41_TO_40_6_M: f64 = 44_420.017_891_904;
const MERIDIAN_40_6_TO_40_4_M: f64 = 22_208.851_278_668;
const MERIDIAN_40_3_TO_40_M: f64 = 33_311.255_099_752;

/// The length of a derived line as `Border::load` measures it (m).
fn loaded_length_m(out: &Path, id: &str) -> f64 {
    let border = Border::load(Some(out), None).unwrap();
    border.lines.iter().find(|l| l.id == id).unwrap().length_km * 1000.0
}

/// WGS84 metres per degree of longitude at `lat`: N(φ)·cos φ·π/180 (hand formula).
fn metres_per_degree_of_longitude(lat: f64) -> f64 {
    let (a, f) = (6_378_137.0_f64, 1.0 / 298.257_223_563);
    let e2 = f * (2.0 - f);
    let s = lat.to_radians().sin();
    a / (1.0 - e2 * s * s).sqrt() * lat.to_radians().cos() * std::f64::consts::PI / 180.0
}

#[test]
fn t_junctions_and_a_sliver_make_one_line() {
    // AAA's east edge has vertices at 40, 40.1 and 41; BBB's west edge at 40, 40.25, 40.5,
    // 40.6 (5e-6° east of it), 40.75 and 41: no vertex in common but the corners.
    let dir = tempfile::tempdir().unwrap();
    let (doc, stderr, out) = derive_fixture("t-junctions", &["--all"], dir.path());
    assert_eq!(ids(&doc, "line"), ["AAA-BBB"]);
    let expected = [
        (1.0, 41.0),
        (1.0, 40.75),
        (1.0, 40.6),
        (1.0, 40.5),
        (1.0, 40.25),
        (1.0, 40.1),
        (1.0, 40.0),
    ];
    assert_eq!(coords(line(&doc, "AAA-BBB")), expected);
    assert!((loaded_length_m(&out, "AAA-BBB") - MERIDIAN_40_41_M).abs() < 1e-3);
    // The sliver: BBB's vertex at 40.6 lies 5e-6° of longitude off AAA's edge.
    let offset = 5e-6 * metres_per_degree_of_longitude(40.6);
    assert!((offset - 0.423).abs() < 5e-4, "{offset}");
    assert!(
        stderr.contains(&format!(
            "1 stretches where the outlines are up to {offset:.3} m apart"
        )),
        "{stderr}"
    );

    // With a tolerance below the sliver's width, the stretch from 40.5 to 40.75 is no longer
    // shared: the rest is, and the line is chained across it as a gap of the source.
    let (doc, stderr, _) = derive_fixture(
        "t-junctions",
        &["--all", "--tolerance-m", "0.1"],
        dir.path(),
    );
    assert_eq!(ids(&doc, "line"), ["AAA-BBB"]);
    let gaps = &line(&doc, "AAA-BBB")["properties"]["gaps_km"];
    assert_eq!(gaps.as_array().unwrap().len(), 1, "{gaps}");
    assert!(stderr.contains("1 gaps"), "{stderr}");
}

/// geographiclib Polygon: the BBB enclave (0.2–0.8° × 40.2–40.8°) and the AAA counter-enclave
/// inside it (0.4–0.6° × 40.4–40.6°).
const ENCLAVE_E1_PERIMETER_M: f64 = 234_972.828_896_963;
const ENCLAVE_E1_AREA_M2: f64 = 3_388_646_457.564_117;
const ENCLAVE_E2_PERIMETER_M: f64 = 78_324.748_822_594;
const ENCLAVE_E2_AREA_M2: f64 = 376_518_634.773_697;

#[test]
fn counter_enclaves_do_not_depend_on_the_order_of_the_countries() {
    use geo::Contains;
    for file in ["counter-enclave", "counter-enclave-holed"] {
        for (a, b) in [("AAA", "BBB"), ("BBB", "AAA")] {
            let dir = tempfile::tempdir().unwrap();
            let (doc, _, out) = derive_fixture(file, &["--a", a, "--b", b], dir.path());
            let case = format!("{file} --a {a} --b {b}");
            assert_eq!(
                ids(&doc, "line"),
                [
                    format!("{a}-{b}"),
                    "AAA-enclave-1".into(),
                    "BBB-enclave-1".into()
                ],
                "{case}"
            );
            let border = Border::load(Some(&out), None).unwrap();
            let km = |id: &str| border.lines.iter().find(|l| l.id == id).unwrap().length_km;
            assert!((km(&format!("{a}-{b}")) * 1e3 - MERIDIAN_40_41_M).abs() < 1e-3);
            assert!((km("BBB-enclave-1") * 1e3 - ENCLAVE_E1_PERIMETER_M).abs() < 1e-3);
            assert!((km("AAA-enclave-1") * 1e3 - ENCLAVE_E2_PERIMETER_M).abs() < 1e-3);

            // The enclave's area is net of the counter-enclave inside it.
            let enclave = |name: &str| border.enclaves.iter().find(|e| e.name == name).unwrap();
            let (e1, e2) = (enclave("BBB-enclave-1"), enclave("AAA-enclave-1"));
            assert_eq!((e1.country.as_str(), e2.country.as_str()), ("BBB", "AAA"));
            let net = ENCLAVE_E1_AREA_M2 - ENCLAVE_E2_AREA_M2;
            assert!(
                (e1.area_km2 * 1e6 - net).abs() < 1.0,
                "{case}: {}",
                e1.area_km2
            );
            assert!(
                (e2.area_km2 * 1e6 - ENCLAVE_E2_AREA_M2).abs() < 1.0,
                "{case}"
            );
            let host = |name: &str| {
                features(&doc, "enclave")
                    .into_iter()
                    .find(|f| f["properties"]["name"] == name)
                    .unwrap()["properties"]["host"]
                    .clone()
            };
            assert_eq!(
                (host("BBB-enclave-1"), host("AAA-enclave-1")),
                ("AAA".into(), "BBB".into())
            );

            // Every point is in exactly one country's polygons: the counter-enclave's middle in
            // AAA's, the enclave's ring in BBB's, the rest of the square in AAA's.
            for (x, y, owner) in [(0.5, 40.5, "AAA"), (0.3, 40.3, "BBB"), (0.1, 40.1, "AAA")] {
                let p = geo::Point::new(x, y);
                let holders: Vec<&str> = border
                    .countries
                    .iter()
                    .filter(|c| c.shape.contains(&p))
                    .map(|c| c.key.as_str())
                    .collect();
                assert_eq!(holders, [owner], "{case}: ({x}, {y})");
                let in_enclave: Vec<&str> = border
                    .enclaves
                    .iter()
                    .filter(|e| e.polygon.contains(&p))
                    .map(|e| e.country.as_str())
                    .collect();
                let expected: &[&str] = match (x, owner) {
                    (0.1, _) => &[],
                    (_, o) => &[o][..],
                };
                assert_eq!(in_enclave, expected, "{case}: ({x}, {y})");
            }

            // The first country is on the right of every line: the ring around an enclave of
            // the second runs counter-clockwise (a outside), around one of its own clockwise.
            for (id, owner) in [("BBB-enclave-1", "BBB"), ("AAA-enclave-1", "AAA")] {
                let c = coords(line(&doc, id));
                let inside = if owner == "BBB" {
                    (0.3, 40.3)
                } else {
                    (0.5, 40.5)
                };
                let right = on_right(c[0], c[1], inside);
                assert_eq!(right, owner == a, "{case}: {id} {c:?}");
            }
        }
    }
}

#[test]
fn an_island_in_a_lake_is_no_enclave() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, stderr, _) = derive_fixture("lake-island", &["--a", "AAA", "--b", "BBB"], dir.path());
    assert_eq!(ids(&doc, "line"), ["AAA-BBB"]);
    assert!(ids(&doc, "enclave").is_empty());
    let area = ENCLAVE_E2_AREA_M2 / 1e6;
    assert!(
        stderr.contains(&format!(
            "not an enclave: a BBB island of {area:.2} km² in a lake of AAA"
        )),
        "{stderr}"
    );
    // The island stays BBB's: its country keeps both polygons.
    let bbb = features(&doc, "country")
        .into_iter()
        .find(|c| c["properties"]["key"] == "BBB")
        .unwrap();
    assert_eq!(bbb["geometry"]["coordinates"].as_array().unwrap().len(), 2);
}

#[test]
fn countries_that_do_not_touch_are_an_error_with_their_closest_approach() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("border.geojson");
    let file = fixture("tests/fixtures/derive/apart.geojson");
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(&file)
        .args(["--a", "AAA", "--b", "BBB", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("apart.geojson"), "{stderr}");
    assert!(
        stderr.contains("AAA and BBB share no boundary within 1 m"),
        "{stderr}"
    );
    // geographiclib: the outlines come closest at 41°N, 0.01° of longitude apart.
    let closest_m: f64 = 841.351_850_681;
    assert!(
        stderr.contains(&format!("{:.3} km apart", closest_m / 1000.0)),
        "{stderr}"
    );
    assert!(stderr.contains("--tolerance-m"), "{stderr}");
    assert!(!out.exists(), "no output on failure");
    // With every pair, none sharing a boundary is an error too.
    let assert = Command::cargo_bin("borderline")
        .unwrap()
        .arg("derive")
        .arg(&file)
        .args(["--all", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(
        stderr.contains("no two countries share a boundary within 1 m"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_water_gap_is_chained_across_and_reported() {
    // A lake between 40.4°N and 40.6°N: a notch in each outline, in neither country.
    let dir = tempfile::tempdir().unwrap();
    let (doc, stderr, out) = derive_fixture("water-gap", &["--all"], dir.path());
    assert_eq!(ids(&doc, "line"), ["AAA-BBB"]);
    let shared = line(&doc, "AAA-BBB");
    assert_eq!(
        coords(shared),
        [(1.0, 41.0), (1.0, 40.6), (1.0, 40.4), (1.0, 40.0)]
    );
    // The connector runs along the meridian: the line is as long as the whole boundary, and
    // chainage runs on across the lake.
    assert!((loaded_length_m(&out, "AAA-BBB") - MERIDIAN_40_41_M).abs() < 1e-3);
    let from = MERIDIAN_41_TO_40_6_M / 1000.0;
    let to = (MERIDIAN_41_TO_40_6_M + MERIDIAN_40_6_TO_40_4_M) / 1000.0;
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    assert_eq!(
        shared["properties"]["gaps_km"],
        serde_json::json!([[round(from), round(to)]])
    );
    let width = MERIDIAN_40_6_TO_40_4_M / 1000.0;
    assert!(
        stderr.contains(&format!(
            "1 gaps (water, or land the source gives to neither) bridged, {width:.3} km in all"
        )),
        "{stderr}"
    );

    // A gap wider than --max-gap-km stays a gap between two lines.
    let (doc, _, _) = derive_fixture("water-gap", &["--all", "--max-gap-km", "20"], dir.path());
    assert_eq!(ids(&doc, "line"), ["AAA-BBB-1", "AAA-BBB-2"]);
    assert_eq!(coords(line(&doc, "AAA-BBB-1")), [(1.0, 41.0), (1.0, 40.6)]);
    assert_eq!(coords(line(&doc, "AAA-BBB-2")), [(1.0, 40.4), (1.0, 40.0)]);
}

#[test]
fn a_third_country_in_a_gap_is_not_bridged() {
    // CCC fills the notches between 40.3°N and 40.6°N: the AAA|BBB boundary stops at two
    // tripoints on either side, and CCC borders both.
    let dir = tempfile::tempdir().unwrap();
    let (doc, stderr, out) = derive_fixture("third-country-gap", &["--all"], dir.path());
    assert_eq!(
        ids(&doc, "line"),
        ["AAA-BBB-1", "AAA-BBB-2", "AAA-CCC", "BBB-CCC"]
    );
    assert_eq!(coords(line(&doc, "AAA-BBB-1")), [(1.0, 41.0), (1.0, 40.6)]);
    assert_eq!(coords(line(&doc, "AAA-BBB-2")), [(1.0, 40.3), (1.0, 40.0)]);
    assert!((loaded_length_m(&out, "AAA-BBB-1") - MERIDIAN_41_TO_40_6_M).abs() < 1e-3);
    assert!((loaded_length_m(&out, "AAA-BBB-2") - MERIDIAN_40_3_TO_40_M).abs() < 1e-3);
    assert!(!stderr.contains("gaps"), "{stderr}");
    // Each line carries its pair.
    for f in features(&doc, "line") {
        let p = &f["properties"];
        assert_eq!(
            p["border"].as_str().unwrap(),
            format!("{}-{}", p["a"].as_str().unwrap(), p["b"].as_str().unwrap())
        );
    }
}

/// geographiclib, on `data/source/osm-countries-kg-tj-uz.geojson`: the summed length of the
/// edges each pair's polygons have in common (m), and each enclave's perimeter (m) and area (m²).
const BUNDLED_SHARED_M: [(&str, f64); 3] = [
    ("KGZ-TJK", 893_104.084_634),
    ("KGZ-UZB", 1_088_680.434_187),
    ("TJK-UZB", 1_257_811.731_463),
];
const BUNDLED_ENCLAVES: [(&str, &str, &str, f64, f64); 7] = [
    ("Vorukh", "TJK", "KGZ", 59_613.455_109, 97_688_562.256),
    ("Sarvak", "TJK", "UZB", 31_136.596_371, 13_669_265.543),
    ("Sokh", "UZB", "KGZ", 141_873.046_570, 225_978_520.787),
    ("Chong-Kara", "UZB", "KGZ", 8_051.799_382, 2_852_018.218),
    ("Jani-Ayil", "UZB", "KGZ", 4_016.439_169, 844_791.969),
    ("Shakhimardan", "UZB", "KGZ", 44_362.041_997, 43_686_226.716),
    ("Barak", "KGZ", "UZB", 5_783.379_300, 2_082_447.050),
];

type Edge = ((i64, i64), (i64, i64));

/// Every edge of every polygon ring of country `key` in the source, both ways, in units of
/// 1e-6 degree.
fn source_edges(source: &Value, key: &str) -> std::collections::HashSet<Edge> {
    let q = |p: &Value| {
        (
            (p[0].as_f64().unwrap() * 1e6).round() as i64,
            (p[1].as_f64().unwrap() * 1e6).round() as i64,
        )
    };
    let mut edges = std::collections::HashSet::new();
    for f in source["features"].as_array().unwrap() {
        if f["properties"]["iso_a3"] != key {
            continue;
        }
        for polygon in f["geometry"]["coordinates"].as_array().unwrap() {
            for ring in polygon.as_array().unwrap() {
                for w in ring.as_array().unwrap().windows(2) {
                    edges.insert((q(&w[0]), q(&w[1])));
                    edges.insert((q(&w[1]), q(&w[0])));
                }
            }
        }
    }
    edges
}

fn geographiclib_m(p: (f64, f64), q: (f64, f64)) -> f64 {
    use geographiclib_rs::{Geodesic, InverseGeodesic};
    let s12: f64 = Geodesic::wgs84().inverse(p.1, p.0, q.1, q.0);
    s12
}

#[test]
fn every_pair_of_the_bundled_source_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let names = fixture("data/fergana/enclave-names.csv");
    let (doc, stderr, out) = derive_with(
        &bundled_source(),
        &[
            "--all",
            "--names",
            names.to_str().unwrap(),
            "--attribution",
            OSM_CREDIT,
            "--license",
            ODBL,
        ],
        dir.path(),
    );
    // The bundled Fergana Valley set is this output, byte for byte.
    let bundled = std::fs::read(fixture("data/fergana/border.geojson")).unwrap();
    assert!(
        std::fs::read(&out).unwrap() == bundled,
        "derive --all output differs from data/fergana/border.geojson"
    );
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(bundled_source()).unwrap()).unwrap();
    let enclave_names: Vec<&str> = BUNDLED_ENCLAVES.iter().map(|e| e.0).collect();
    let mut pairs: Vec<String> = features(&doc, "line")
        .iter()
        .map(|f| f["properties"]["border"].as_str().unwrap().to_string())
        .collect();
    pairs.dedup();
    assert_eq!(
        pairs,
        ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"],
        "exactly three pairs"
    );

    for (pair, shared_m) in BUNDLED_SHARED_M {
        let (a, b) = pair.split_once('-').unwrap();
        let (ea, eb) = (source_edges(&source, a), source_edges(&source, b));
        // Every edge of the pair's lines (enclave perimeters aside) is either an edge both
        // countries' polygons have — each such edge exactly once — or a connector across a
        // gap (which one of them may have: the gap's other shore can be a single edge).
        let (mut shared, mut connectors) = (Vec::new(), Vec::new());
        for f in features(&doc, "line") {
            let p = &f["properties"];
            if p["border"] != pair || enclave_names.contains(&p["id"].as_str().unwrap()) {
                continue;
            }
            for w in coords(f).windows(2) {
                let q = |c: (f64, f64)| ((c.0 * 1e6).round() as i64, (c.1 * 1e6).round() as i64);
                let edge = (q(w[0]), q(w[1]));
                if ea.contains(&edge) && eb.contains(&edge) {
                    shared.push((edge, geographiclib_m(w[0], w[1])));
                } else {
                    connectors.push(geographiclib_m(w[0], w[1]));
                }
            }
        }
        let distinct: std::collections::HashSet<Edge> = shared
            .iter()
            .map(|(e, _)| if e.0 < e.1 { *e } else { (e.1, e.0) })
            .collect();
        assert_eq!(distinct.len(), shared.len(), "{pair}: an edge twice");
        let common = ea.intersection(&eb).count() / 2;
        assert_eq!(
            shared.len(),
            common,
            "{pair}: every common edge is on a line"
        );
        let length: f64 = shared.iter().map(|(_, m)| m).sum();
        assert!((length - shared_m).abs() < 1e-3, "{pair}: {length} m");
        // The gaps bridged are the connectors, as reported.
        let border = Border::load(Some(&out), None).unwrap();
        let total: f64 = border
            .lines
            .iter()
            .filter(|l| l.id.starts_with(pair))
            .map(|l| l.length_km * 1000.0)
            .sum();
        let gaps: f64 = connectors.iter().sum();
        assert!((total - shared_m - gaps).abs() < 1e-3, "{pair}");
        if !connectors.is_empty() {
            assert!(
                stderr.contains(&format!(
                    "{pair}: {} gaps (water, or land the source gives to neither) bridged, {:.3} km",
                    connectors.len(),
                    gaps / 1000.0
                )),
                "{pair}: {stderr}"
            );
        }
    }

    // Every enclave, named from the Fergana names file, with its perimeter and area.
    let border = Border::load(Some(&out), None).unwrap();
    assert_eq!(ids(&doc, "enclave").len(), BUNDLED_ENCLAVES.len());
    for (name, owner, host, perimeter_m, area_m2) in BUNDLED_ENCLAVES {
        let e = border.enclaves.iter().find(|e| e.name == name).unwrap();
        assert_eq!(e.country, owner, "{name}");
        let f = features(&doc, "enclave")
            .into_iter()
            .find(|f| f["properties"]["name"] == name)
            .unwrap();
        assert_eq!(f["properties"]["host"], host, "{name}");
        assert!(
            (e.area_km2 * 1e6 - area_m2).abs() < 1.0,
            "{name}: {}",
            e.area_km2
        );
        let l = border.lines.iter().find(|l| l.id == name).unwrap();
        assert!((l.length_km * 1e3 - perimeter_m).abs() < 1e-3, "{name}");
        let pair = format!("{}-{}", owner.min(host), owner.max(host));
        assert_eq!(line(&doc, name)["properties"]["border"], pair.as_str());
    }
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
