//! `borderline export`: RFC 7946 rules, simplestyle properties, incidents, links and hostile text.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use serde_json::Value;

const DATE: &str = "2022-10-07";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_borderline"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `borderline export ARGS -o FILE` and returns (file text, stderr).
fn export(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.geojson");
    let run = bin()
        .arg("export")
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "export {args:?} failed: {stderr}");
    (std::fs::read_to_string(&out).unwrap(), stderr)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not valid JSON: {e}"))
}

fn features(fc: &Value) -> &Vec<Value> {
    fc["features"].as_array().expect("features array")
}

fn of_kind<'a>(fc: &'a Value, kind: &str) -> Vec<&'a Value> {
    features(fc)
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

/// Every position of a geometry, whatever its nesting.
fn positions(coords: &Value, out: &mut Vec<(Value, Value)>) {
    let array = coords.as_array().expect("coordinates are arrays");
    if array.first().is_some_and(Value::is_number) {
        assert_eq!(array.len(), 2, "a position is [lon, lat]: {coords}");
        out.push((array[0].clone(), array[1].clone()));
    } else {
        for c in array {
            positions(c, out);
        }
    }
}

fn all_positions(fc: &Value) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for f in features(fc) {
        positions(&f["geometry"]["coordinates"], &mut out);
    }
    out
}

/// Decimal places of a JSON number as written.
fn decimals(n: &Value) -> usize {
    let text = n.to_string();
    assert!(!text.contains(['e', 'E']), "exponent notation: {text}");
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

/// Twice the signed planar area of a closed ring (shoelace): > 0 counter-clockwise.
fn shoelace(ring: &Value) -> f64 {
    let pts: Vec<(f64, f64)> = ring
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect();
    pts.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum()
}

fn check_rfc7946(fc: &Value, precision: usize) {
    assert_eq!(fc["type"], "FeatureCollection");
    assert!(fc.get("crs").is_none(), "RFC 7946 has no crs member");
    let bbox: Vec<f64> = fc["bbox"]
        .as_array()
        .expect("bbox on the collection")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(bbox.len(), 4);
    assert!(bbox[0] <= bbox[2] && bbox[1] <= bbox[3], "bbox {bbox:?}");
    for v in fc["bbox"].as_array().unwrap() {
        assert!(decimals(v) <= precision, "bbox value {v}");
    }
    let points = all_positions(fc);
    assert!(points.len() > 1000, "only {} positions", points.len());
    for (x, y) in &points {
        assert!(
            decimals(x) <= precision && decimals(y) <= precision,
            "[{x}, {y}]"
        );
        let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
        // [lon, lat]: the Kyrgyz–Tajik border lies at 69–74° E, 39–41° N.
        assert!((69.0..=74.0).contains(&x), "longitude {x} (swapped order?)");
        assert!((39.0..=41.0).contains(&y), "latitude {y} (swapped order?)");
        assert!(
            bbox[0] <= x && x <= bbox[2] && bbox[1] <= y && y <= bbox[3],
            "[{x}, {y}] outside bbox {bbox:?}"
        );
    }
    for f in features(fc) {
        assert_eq!(f["type"], "Feature");
        assert!(f.get("crs").is_none());
        assert!(f["geometry"].get("crs").is_none());
        if f["geometry"]["type"] == "Polygon" {
            for (i, ring) in f["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
            {
                let r = ring.as_array().unwrap();
                assert!(r.len() >= 4);
                assert_eq!(r.first(), r.last(), "ring not closed");
                let area = shoelace(ring);
                if i == 0 {
                    assert!(area > 0.0, "exterior ring must be counter-clockwise");
                } else {
                    assert!(area < 0.0, "holes must be clockwise");
                }
            }
        }
    }
}

#[test]
fn bundled_border_follows_rfc7946() {
    let (text, _) = export(&["--as-of", DATE]);
    check_rfc7946(&parse(&text), 6);
}

#[test]
fn precision_limits_decimals() {
    let (text, _) = export(&["--as-of", DATE, "--precision", "3"]);
    check_rfc7946(&parse(&text), 3);
    let (text, _) = export(&[
        "--as-of",
        DATE,
        "--precision",
        "4",
        "--incidents",
        fixture("tagged_incidents.csv").to_str().unwrap(),
        "--links",
    ]);
    check_rfc7946(&parse(&text), 4);
}

#[test]
fn precision_out_of_range_is_a_usage_error() {
    let run = bin()
        .args(["export", "--precision", "16"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn winding_is_fixed_whatever_the_input() {
    // A clockwise enclave with a counter-clockwise hole in, CCW exterior / CW hole out.
    let dir = tempfile::tempdir().unwrap();
    let border = dir.path().join("b.geojson");
    std::fs::write(
        &border,
        r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"kind":"line","id":"L","status":"delimited"},
  "geometry":{"type":"LineString","coordinates":[[70,40],[70.1,40.05],[70.2,40]]}},
 {"type":"Feature","properties":{"kind":"enclave","name":"E","country":"TJK"},
  "geometry":{"type":"Polygon","coordinates":[
    [[70.0,39.9],[70.0,40.0],[70.1,40.0],[70.1,39.9],[70.0,39.9]],
    [[70.02,39.92],[70.08,39.92],[70.08,39.98],[70.02,39.98],[70.02,39.92]]]}}]}"#,
    )
    .unwrap();
    let (text, _) = export(&["--border", border.to_str().unwrap()]);
    let fc = parse(&text);
    check_rfc7946_rings(&fc);
    let enclave = &of_kind(&fc, "enclave")[0];
    assert_eq!(
        enclave["geometry"]["coordinates"].as_array().unwrap().len(),
        2
    );
}

fn check_rfc7946_rings(fc: &Value) {
    for f in of_kind(fc, "enclave") {
        let rings = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(shoelace(&rings[0]) > 0.0);
        for hole in &rings[1..] {
            assert!(shoelace(hole) < 0.0);
        }
    }
}

#[test]
fn simplestyle_properties_are_present() {
    let (text, _) = export(&["--as-of", DATE]);
    let fc = parse(&text);
    let segments = of_kind(&fc, "segment");
    assert!(!segments.is_empty());
    let is_color = |v: &Value| {
        v.as_str().is_some_and(|s| {
            s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
        })
    };
    let mut statuses = std::collections::BTreeSet::new();
    for s in &segments {
        let p = &s["properties"];
        assert_eq!(s["geometry"]["type"], "LineString");
        for key in ["id", "line", "status", "basis"] {
            assert!(p[key].is_string(), "segment property {key}: {p}");
        }
        for key in [
            "from_km",
            "to_km",
            "length_km",
            "stroke-width",
            "stroke-opacity",
        ] {
            assert!(p[key].is_number(), "segment property {key}: {p}");
        }
        assert!(is_color(&p["stroke"]), "{p}");
        let status = p["status"].as_str().unwrap();
        assert_eq!(
            p["stroke"],
            borderline::export::status_color(status),
            "{status}"
        );
        statuses.insert(status.to_string());
        assert_eq!(p["basis"], "modelled");
    }
    // As of 2022-10-07 the bundled history has both statuses, in different colours.
    assert!(statuses.contains("undelimited") && statuses.contains("delimited"));
    assert_eq!(borderline::export::status_color("undelimited"), "#D55E00");
    assert_eq!(borderline::export::status_color("delimited"), "#0072B2");
    let enclaves = of_kind(&fc, "enclave");
    assert_eq!(enclaves.len(), 1);
    let p = &enclaves[0]["properties"];
    assert_eq!(enclaves[0]["geometry"]["type"], "Polygon");
    assert!(p["name"].is_string() && p["country"].is_string(), "{p}");
    assert!(p["area_km2"].as_f64().unwrap() > 0.0);
    assert!(is_color(&p["fill"]) && is_color(&p["stroke"]), "{p}");
    assert!(p["fill-opacity"].is_number());
}

#[test]
fn status_follows_as_of() {
    let (before, _) = export(&["--as-of", DATE]);
    let (after, _) = export(&["--as-of", "2025-06-01"]);
    let undelimited = |text: &str| {
        of_kind(&parse(text), "segment")
            .iter()
            .filter(|s| s["properties"]["status"] == "undelimited")
            .count()
    };
    assert!(undelimited(&before) > 0);
    assert_eq!(undelimited(&after), 0);
}

#[test]
fn palette_is_okabe_ito_and_deterministic() {
    use borderline::export::{OTHER_COLORS, status_color};
    assert_eq!(status_color("demarcated"), "#009E73");
    assert_eq!(status_color("disputed"), "#CC79A7");
    assert_eq!(status_color("unknown"), "#999999");
    assert_eq!(status_color(""), "#999999");
    for name in ["claimed", "agreed", "provisional", "x", "ü"] {
        let c = status_color(name);
        assert!(OTHER_COLORS.contains(&c), "{name}: {c}");
        assert_eq!(c, status_color(&name.to_uppercase()));
    }
}

#[test]
fn round_trips_through_the_geojson_crate() {
    let (text, _) = export(&[
        "--as-of",
        DATE,
        "--incidents",
        fixture("tagged_incidents.csv").to_str().unwrap(),
        "--links",
    ]);
    let border = borderline::Border::embedded();
    let parsed = geojson::GeoJson::from_str(&text).expect("the geojson crate reads the export");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a FeatureCollection");
    };
    // 6 usable incident rows (of 8), each with a link.
    assert_eq!(
        fc.features.len(),
        border.segments.len() + border.enclaves.len() + 6 + 6
    );
    assert!(fc.bbox.is_some());
    assert!(fc.features.iter().all(|f| f.geometry.is_some()));
    // And back: serialising the parsed collection gives the same JSON.
    let again: Value = serde_json::to_value(&fc).unwrap();
    assert_eq!(again, parse(&text));
}

#[test]
fn incidents_become_points_with_links() {
    let (text, stderr) = export(&[
        "--as-of",
        DATE,
        "--incidents",
        fixture("tagged_incidents.csv").to_str().unwrap(),
        "--links",
    ]);
    let fc = parse(&text);
    let incidents = of_kind(&fc, "incident");
    let links = of_kind(&fc, "link");
    assert_eq!(incidents.len(), 6);
    assert_eq!(links.len(), 6);
    for (incident, link) in incidents.iter().zip(&links) {
        let p = &incident["properties"];
        assert_eq!(incident["geometry"]["type"], "Point");
        // The row's own fields are text; the tag columns are typed.
        for key in [
            "event_id",
            "date",
            "lat",
            "lon",
            "fatalities",
            "segment_id",
            "status",
            "status_basis",
            "tag_warning",
            "tag_error",
        ] {
            assert!(p[key].is_string(), "incident property {key}: {p}");
        }
        for key in ["distance_m", "chainage_km", "border_lon", "border_lat"] {
            assert!(p[key].is_number(), "incident property {key}: {p}");
        }
        assert_eq!(
            p["marker-color"],
            borderline::export::status_color(p["status"].as_str().unwrap())
        );
        // [lon, lat] of the point is the CSV's lon, lat.
        let c = &incident["geometry"]["coordinates"];
        let lon: f64 = p["lon"].as_str().unwrap().parse().unwrap();
        let lat: f64 = p["lat"].as_str().unwrap().parse().unwrap();
        assert!((c[0].as_f64().unwrap() - lon).abs() < 1e-6);
        assert!((c[1].as_f64().unwrap() - lat).abs() < 1e-6);
        // The link runs from the incident to the nearest border point `tag` wrote, and is as
        // long as `tag` measured.
        assert_eq!(link["geometry"]["coordinates"][0], *c);
        assert_eq!(link["geometry"]["coordinates"][1][0], p["border_lon"]);
        assert_eq!(link["geometry"]["coordinates"][1][1], p["border_lat"]);
        assert_eq!(link["properties"]["distance_m"], p["distance_m"]);
        assert_eq!(link["properties"]["segment_id"], p["segment_id"]);
    }
    assert!(
        stderr.contains("skipped 2 of 8")
            && stderr.contains("1 with a tag_error")
            && stderr.contains("1 with unusable coordinates"),
        "stderr: {stderr}"
    );
}

#[test]
fn rows_with_tag_errors_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.csv");
    std::fs::write(
        &plain,
        "ID,Latitude,LNG,date\n\
         a,40.0,70.5,2022-09-16\n\
         b,40.0,70.5,2015-13\n\
         c,40.0,70.5,\n\
         d,,70.5,2022-09-16\n\
         e,95,70.5,2022-09-16\n\
         f,40.0,70.5,2022-09-16\n",
    )
    .unwrap();
    let tagged = dir.path().join("tagged.csv");
    let run = bin()
        .args(["tag", "-q"])
        .arg(&plain)
        .arg("-o")
        .arg(&tagged)
        .output()
        .unwrap();
    assert!(run.status.success());
    // Tagged: b (bad date), d (no latitude) and e (out of range) have a tag_error.
    let (text, stderr) = export(&["--incidents", tagged.to_str().unwrap()]);
    let fc = parse(&text);
    let ids: Vec<&Value> = of_kind(&fc, "incident")
        .iter()
        .map(|f| &f["properties"]["ID"])
        .collect();
    assert_eq!(ids, ["a", "c", "f"]);
    assert!(
        stderr.contains("skipped 3 of 6") && stderr.contains("3 with a tag_error"),
        "stderr: {stderr}"
    );
    // The undated row c has no status: drawn as unknown.
    assert_eq!(
        of_kind(&fc, "incident")[1]["properties"]["marker-color"],
        "#999999"
    );
    // Untagged, the rows without usable coordinates are the ones skipped.
    let (text, stderr) = export(&["--incidents", plain.to_str().unwrap()]);
    assert_eq!(of_kind(&parse(&text), "incident").len(), 4);
    assert!(
        stderr.contains("skipped 2 of 6") && stderr.contains("2 with unusable coordinates"),
        "stderr: {stderr}"
    );
}

#[test]
fn reserved_and_repeated_columns_keep_their_data() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(
        &csv,
        "kind,status,lat,lon,status,marker-color\nriot,old,40,70.5,disputed,red\n",
    )
    .unwrap();
    let (text, _) = export(&["--incidents", csv.to_str().unwrap()]);
    let fc = parse(&text);
    let p = &of_kind(&fc, "incident")[0]["properties"];
    assert_eq!(p["kind"], "incident");
    assert_eq!(p["csv:kind"], "riot");
    assert_eq!(p["status"], "old");
    assert_eq!(p["status_2"], "disputed");
    assert_eq!(p["csv:marker-color"], "red");
    // An untagged file's own status columns are data: only the tag's status colours markers.
    assert_eq!(p["marker-color"], "#999999");
}

#[test]
fn csv_without_coordinates_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "name,place\na,b\n").unwrap();
    let run = bin()
        .args(["export", "--incidents"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("latitude"), "{stderr}");
}

const HOSTILE: [&str; 7] = [
    "double \"quotes\" and 'single'",
    "new\nline\r\nand\ttab",
    "</script><script>alert(1)</script><!--",
    "Kök-Tash, Ворух, 中文, \u{2028}\u{2029}",
    "emoji 🚧🔥👩‍👩‍👧",
    "back\\slash \\u0041 \u{1} control",
    "__BORDERLINE_DATA__ {\"a\":1}",
];

fn hostile_csv(dir: &Path) -> PathBuf {
    let path = dir.join("hostile.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    let mut header = vec!["lat", "lon", "status", "tag_error"];
    let names: Vec<String> = (0..HOSTILE.len()).map(|i| format!("f{i}")).collect();
    header.extend(names.iter().map(String::as_str));
    header.push("na\"me <b>é</b>");
    w.write_record(&header).unwrap();
    let mut row = vec!["40.1", "70.4", "undelimited", ""];
    row.extend(HOSTILE);
    row.push("x");
    w.write_record(&row).unwrap();
    w.flush().unwrap();
    path
}

#[test]
fn hostile_text_stays_valid_json_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let csv = hostile_csv(dir.path());
    let (text, _) = export(&["--incidents", csv.to_str().unwrap(), "--links"]);
    let fc = parse(&text);
    let p = &of_kind(&fc, "incident")[0]["properties"];
    for (i, h) in HOSTILE.iter().enumerate() {
        assert_eq!(p[format!("f{i}")], *h);
    }
    assert_eq!(p["na\"me <b>é</b>"], "x");
    assert!(geojson::GeoJson::from_str(&text).is_ok());
}

#[test]
fn hostile_text_survives_the_html_map() {
    let dir = tempfile::tempdir().unwrap();
    let csv = hostile_csv(dir.path());
    let html = dir.path().join("map.html");
    let run = bin()
        .args(["map", "--incidents"])
        .arg(&csv)
        .arg("--title")
        .arg(HOSTILE[2])
        .arg("-o")
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&html).unwrap();
    let open = "<script type=\"application/json\" id=\"borderline-data\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let payload = &html[start..end];
    assert!(!payload.contains('<') && !payload.contains('\u{2028}'));
    let data = parse(payload);
    assert_eq!(data["title"], HOSTILE[2]);
    let p = &of_kind(&data["features"], "incident")[0]["properties"];
    for (i, h) in HOSTILE.iter().enumerate() {
        assert_eq!(p[format!("f{i}")], *h);
    }
}

#[test]
fn writes_to_stdout_by_default() {
    let run = bin()
        .args(["export", "--as-of", DATE, "--precision", "2"])
        .output()
        .unwrap();
    assert!(run.status.success());
    let fc = parse(std::str::from_utf8(&run.stdout).unwrap());
    check_rfc7946(&fc, 2);
}
