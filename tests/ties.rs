//! Exact ties: points exactly as far from two segments (or two enclaves), where only the tie
//! rule the README states decides — the segment that comes first in the border's order (lines
//! as the border file lists them, each cut into segments from its start), then the smaller
//! chainage.
//!
//! Each fixture is hand-made so that the tie is exact by construction and the distance known
//! independently:
//! - a vertex two lines share, at a corner, seen from outside it: the nearest point of both
//!   lines is the shared vertex;
//! - two meridians symmetric about a point of the equator: the nearest points are on the
//!   equator by symmetry, and the distance is a·Δλ (the equator is a geodesic), a closed form;
//! - a closed ring shorter than a segment, seen from outside its first vertex: the nearest
//!   point is that vertex, at chainage 0 and at the ring's full length alike;
//! - the first vertex of the bundled Vorukh ring, shared by its first and last segments;
//! - two enclaves symmetric about a point of the equator (a·Δλ again).
//!
//! Other distances are Python geographiclib 2.1 values (`Geodesic.WGS84.Inverse`), meridian
//! arcs included. Every number `tag` prints is checked to its printed precision.

use std::path::Path;

use assert_cmd::Command;
use borderline::Border;
use borderline::geodesy::{SurfacePoint, WGS84_A};
use borderline::tag::{TAG_COLUMNS, Tagger, When};

/// A border GeoJSON of `features`.
fn border_file(dir: &Path, features: &[String]) -> std::path::PathBuf {
    let path = dir.join("border.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",\n")
        ),
    )
    .unwrap();
    path
}

fn line(id: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type": "Feature", "properties": {{"kind": "line", "id": "{id}"}},
            "geometry": {{"type": "LineString", "coordinates": {coordinates}}}}}"#
    )
}

fn enclave(name: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type": "Feature", "properties": {{"kind": "enclave", "name": "{name}", "country": "AAA"}},
            "geometry": {{"type": "Polygon", "coordinates": [{coordinates}]}}}}"#
    )
}

/// What `tag` must print for one point: (column, text).
type Expect<'a> = &'a [(&'a str, &'a str)];

/// Tags the points `(lon, lat)` against `features` with the library and with the CLI; each
/// point's printed columns must read as `expect` says.
fn tie(features: &[String], points: &[((f64, f64), Expect)]) {
    let dir = tempfile::tempdir().unwrap();
    let path = border_file(dir.path(), features);
    let mut csv = String::from("id,lon,lat\n");
    for (i, ((lon, lat), _)) in points.iter().enumerate() {
        csv.push_str(&format!("{i},{lon},{lat}\n"));
    }
    std::fs::write(dir.path().join("points.csv"), csv).unwrap();
    let out = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "tag",
            "points.csv",
            "--border",
            "border.geojson",
            "--as-of",
            "2022-10-07",
            "--quiet",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 3 + TAG_COLUMNS.len());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), points.len());
    let border = Border::load(Some(&path), None).unwrap();
    let tagger = Tagger::new(border);
    for (row, ((lon, lat), expect)) in rows.iter().zip(points) {
        let record = tagger.tag(*lon, *lat, When::on("2022-10-07".parse().unwrap()));
        for (column, want) in *expect {
            let i = header.iter().position(|h| h == *column).unwrap();
            assert_eq!(&row[i], *want, "{column} of ({lon}, {lat}) by the CLI");
        }
        let segment = expect.iter().find(|(c, _)| *c == "segment_id");
        if let Some((_, want)) = segment {
            assert_eq!(record.segment_id, *want, "({lon}, {lat}) by the library");
        }
        let enclave = expect.iter().find(|(c, _)| *c == "nearest_enclave");
        if let Some((_, want)) = enclave {
            assert_eq!(
                record.nearest_enclave, *want,
                "({lon}, {lat}) by the library"
            );
        }
    }
}

/// W runs east along the equator from 0.2°E to 1°E (89,055.593 m: nine segments), E south
/// from there to 1°S (twelve). Seen from north-east of the corner, the nearest point of both
/// W:009 (its end) and E:001 (its start) is the corner: W:009 wins, at W's full length.
#[test]
fn a_vertex_two_lines_share_goes_to_the_first_line() {
    // geographiclib: (1°E, 0°) to (1.3°E, 0.35°N) is 51,117.867 m; W is 89,055.593 m long.
    tie(
        &[
            line("W", "[[0.2, 0], [1, 0]]"),
            line("E", "[[1, 0], [1, -1]]"),
        ],
        &[(
            (1.3, 0.35),
            &[
                ("segment_id", "W:009"),
                ("distance_m", "51117.9"),
                ("chainage_km", "89.056"),
                ("border_lon", "1.000000"),
                ("border_lat", "0.000000"),
            ],
        )],
    );
    // The other way round, E first: E:001 wins, at chainage 0.
    tie(
        &[
            line("E", "[[1, 0], [1, -1]]"),
            line("W", "[[0.2, 0], [1, 0]]"),
        ],
        &[(
            (1.3, 0.35),
            &[("segment_id", "E:001"), ("chainage_km", "0.000")],
        )],
    );
}

/// Two meridians, 0° and 2°E, from 0.4°S to 0.6°N (110,574.307 m: twelve segments each); the
/// point (1°E, 0°) is a·(1°) from both, the nearest points on the equator, 44,229.718 m (the
/// meridian arc from 0.4°S) along either: the first line's A:005 wins.
#[test]
fn a_point_equidistant_from_two_meridians_goes_to_the_first() {
    let one_degree_m = WGS84_A * std::f64::consts::PI / 180.0;
    assert_eq!(format!("{one_degree_m:.1}"), "111319.5");
    let meridians = [
        line("A", "[[0, -0.4], [0, 0.6]]"),
        line("B", "[[2, -0.4], [2, 0.6]]"),
    ];
    tie(
        &meridians,
        &[(
            (1.0, 0.0),
            &[
                ("segment_id", "A:005"),
                ("distance_m", "111319.5"),
                ("chainage_km", "44.230"),
                ("border_lon", "0.000000"),
            ],
        )],
    );
    let reversed = [meridians[1].clone(), meridians[0].clone()];
    tie(
        &reversed,
        &[(
            (1.0, 0.0),
            &[("segment_id", "B:005"), ("border_lon", "2.000000")],
        )],
    );
}

/// The same meridians 40° apart, seen from (20°E, 0°): 20° of the equator, 2,226,389.8 m, from
/// both — beyond the reach of the index's grid, so the far search decides the tie, by the same
/// rule: the first line's A:005. The foot's chainage is not checked here: from 2,226 km the
/// distance is flat along the line (moving the foot s metres changes it by about s²/2D, under
/// a millimetre for s = 60 m), so the foot is found to tens of metres, the distance to a
/// millimetre.
#[test]
fn a_far_point_equidistant_from_two_meridians_goes_to_the_first() {
    let twenty_degrees_m = WGS84_A * std::f64::consts::PI / 9.0;
    assert_eq!(format!("{twenty_degrees_m:.1}"), "2226389.8");
    let meridians = [
        line("A", "[[0, -0.4], [0, 0.6]]"),
        line("B", "[[40, -0.4], [40, 0.6]]"),
    ];
    let expect: Expect = &[
        ("segment_id", "A:005"),
        ("distance_m", "2226389.8"),
        ("border_lon", "0.000000"),
    ];
    tie(&meridians, &[((20.0, 0.0), expect)]);
    let reversed = [meridians[1].clone(), meridians[0].clone()];
    tie(
        &reversed,
        &[(
            (20.0, 0.0),
            &[("segment_id", "B:005"), ("border_lon", "40.000000")],
        )],
    );
}

/// A closed triangle of 3,565.336 m, one segment: seen from south-west of its first vertex,
/// the nearest point is that vertex, at chainage 0 and 3.565 km alike: 0 wins.
#[test]
fn the_first_vertex_of_a_closed_ring_is_at_chainage_zero() {
    // geographiclib: (10°E, 10°N) to (9.999°E, 9.9985°N) is 198.866 m.
    tie(
        &[line(
            "R",
            "[[10, 10], [10.01, 10], [10.005, 10.01], [10, 10]]",
        )],
        &[
            (
                (9.999, 9.9985),
                &[
                    ("segment_id", "R:001"),
                    ("distance_m", "198.9"),
                    ("chainage_km", "0.000"),
                    ("border_lon", "10.000000"),
                    ("border_lat", "10.000000"),
                ],
            ),
            // On the vertex itself.
            (
                (10.0, 10.0),
                &[
                    ("segment_id", "R:001"),
                    ("distance_m", "0.0"),
                    ("chainage_km", "0.000"),
                ],
            ),
        ],
    );
}

/// Two square enclaves symmetric about (1°E, 0°): their near edges are the meridians 0.6°E and
/// 1.4°E, both a·(0.4°) = 44,527.796 m away: the first enclave wins.
#[test]
fn a_point_equidistant_from_two_enclaves_goes_to_the_first() {
    let x = enclave(
        "X",
        "[[0.2, -0.2], [0.6, -0.2], [0.6, 0.2], [0.2, 0.2], [0.2, -0.2]]",
    );
    let y = enclave(
        "Y",
        "[[1.4, -0.2], [1.8, -0.2], [1.8, 0.2], [1.4, 0.2], [1.4, -0.2]]",
    );
    let far = line("L", "[[1, 5], [1, 6]]");
    let point_of: Expect = &[
        ("nearest_enclave", "X"),
        ("enclave", ""),
        ("enclave_distance_m", "44527.8"),
    ];
    tie(
        &[far.clone(), x.clone(), y.clone()],
        &[((1.0, 0.0), point_of)],
    );
    tie(&[far, y, x], &[((1.0, 0.0), &[("nearest_enclave", "Y")])]);
}

/// The bundled Vorukh ring starts and ends at the same vertex, where its first and last
/// segments meet: the first, Vorukh:001, at chainage 0.
#[test]
fn the_start_of_the_vorukh_ring_is_vorukh_001() {
    let border = Border::embedded();
    let vorukh = border.lines.iter().find(|l| l.id == "Vorukh").unwrap();
    let start = vorukh.geometry.0[0];
    assert_eq!(vorukh.geometry.0.last(), Some(&start), "a closed ring");
    let last = border
        .segments
        .iter()
        .rfind(|s| s.id.starts_with("Vorukh:"))
        .unwrap();
    assert_ne!(last.id, "Vorukh:001");
    let tagger = Tagger::new(border.clone());
    let hit = tagger
        .nearest_segment(&SurfacePoint::new(start.x, start.y), f64::INFINITY)
        .unwrap();
    assert_eq!(border.segments[hit.segment].id, "Vorukh:001");
    assert_eq!(hit.distance_m, 0.0);
    assert_eq!(hit.chainage_km, 0.0);
}
