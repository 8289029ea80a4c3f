//! Geodesy against independent oracles.
//!
//! Every expected value below was computed with Python's `geographiclib` 2.1
//! (`Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)['s12']`, summed edge by edge for lines), not
//! with borderline itself.

use borderline::Border;
use borderline::geodesy::{SurfacePoint, geodesic_length_m};
use geo::{Coord, LineString};

/// (what, vertices as (lon, lat), geographiclib length in m)
type LineCase = (&'static str, &'static [(f64, f64)], f64);
/// ((lon, lat), (lon, lat), geographiclib distance in m)
type PairCase = ((f64, f64), (f64, f64), f64);

fn line(points: &[(f64, f64)]) -> LineString {
    LineString::new(points.iter().map(|&(x, y)| Coord { x, y }).collect())
}

fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (±{tol})"
    );
}

#[test]
fn geodesic_lengths_match_geographiclib_to_a_millimetre() {
    let cases: [LineCase; 4] = [
        // A 3-vertex line in the Ferghana valley.
        (
            "central asia",
            &[(70.5, 40.0), (71.0, 40.2), (71.6, 39.9)],
            109_152.534_877_889_63,
        ),
        // One degree of the equator (2πa/360).
        (
            "equator degree",
            &[(0.0, 0.0), (1.0, 0.0)],
            111_319.490_793_273_57,
        ),
        // Meridian arc from the equator to 45°N.
        (
            "meridian arc",
            &[(10.0, 0.0), (10.0, 45.0)],
            4_984_944.377_977_744,
        ),
        // London – Moscow – Tokyo.
        (
            "long line",
            &[(-0.1278, 51.5074), (37.6173, 55.7558), (139.6917, 35.6895)],
            10_005_372.787_504_187,
        ),
    ];
    for (what, points, want) in cases {
        assert_close(what, geodesic_length_m(&line(points)), want, 1e-3);
    }
}

#[test]
fn surface_point_distances_match_geographiclib() {
    let pairs: [PairCase; 6] = [
        // Sofia – Plovdiv (a chord over 100 km: the geographiclib path).
        (
            (23.319941, 42.698334),
            (24.742168, 42.136097),
            132_675.501_858_820_56,
        ),
        // Vorukh village to a point 5.7 km away.
        ((70.58012, 39.85125), (70.6, 39.9), 5_673.714_873_220_957),
        // 0.001° of the equator.
        ((0.0, 0.0), (0.001, 0.0), 111.319_490_793_273_57),
        // A diagonal of ~70 km in Kyrgyzstan (fast path).
        ((72.0, 40.0), (72.5, 40.5), 69_943.684_982_591_51),
        // New York – Paris (slow path).
        (
            (-74.006, 40.7128),
            (2.3522, 48.8566),
            5_852_935.291_766_765_5,
        ),
        // 1.1 cm along a meridian.
        (
            (69.0, 39.0),
            (69.0, 39.000_000_1),
            0.011_101_548_864_054_768,
        ),
    ];
    for ((lon1, lat1), (lon2, lat2), want) in pairs {
        let a = SurfacePoint::new(lon1, lat1);
        let b = SurfacePoint::new(lon2, lat2);
        let what = format!("{lon1},{lat1} → {lon2},{lat2}");
        assert_close(&what, a.distance_m(&b), want, 1e-3);
        assert_close(&format!("{what} (reversed)"), b.distance_m(&a), want, 1e-3);
    }
    assert_eq!(
        SurfacePoint::new(70.0, 40.0).distance_m(&SurfacePoint::new(70.0, 40.0)),
        0.0
    );
}

/// Figures measured from the source polygons (`osm-countries-kg-tj-uz.geojson`) with geographiclib,
/// as recorded in the reference data's README: "Kyrgyz–Tajik shared line: 893.10 km … Vorukh
/// enclave: 97.69 km², perimeter 59.61 km. Together 952.7 km".
#[test]
fn bundled_border_matches_the_independently_measured_source() {
    let border = Border::embedded();
    let km = |id: &str| {
        border
            .lines
            .iter()
            .find(|l| l.id == id)
            .unwrap_or_else(|| panic!("no line {id}"))
            .length_km
    };
    assert_eq!(border.lines.len(), 2);
    assert_close("KGZ-TJK km", km("KGZ-TJK"), 893.10, 0.01);
    assert_close("Vorukh perimeter km", km("Vorukh"), 59.61, 0.01);
    // The bundled file's own coordinates, summed with geographiclib in Python: 893.104084633778
    // and 59.613455108521755 km.
    assert_close(
        "KGZ-TJK km (bundled)",
        km("KGZ-TJK"),
        893.104_084_633_778,
        1e-6,
    );
    assert_close(
        "Vorukh km (bundled)",
        km("Vorukh"),
        59.613_455_108_521_755,
        1e-6,
    );

    let vorukh: Vec<_> = border
        .enclaves
        .iter()
        .filter(|e| e.name == "Vorukh")
        .collect();
    assert_eq!(vorukh.len(), 1);
    assert_eq!(vorukh[0].country, "TJK");
    assert_close("Vorukh area km²", vorukh[0].area_km2, 97.69, 0.01);
    // geographiclib PolygonArea on the bundled ring: 97.68856225632602 km².
    assert_close(
        "Vorukh area km² (bundled)",
        vorukh[0].area_km2,
        97.688_562_256_326,
        1e-6,
    );

    let total = border.total_km();
    assert_close("total km", total, 893.10 + 59.61, 0.02);
    assert!(
        (total - 952.7).abs() <= 0.01 * 952.7,
        "total {total} km is not within 1% of 952.7 km"
    );
    // Segments tile the lines exactly.
    let segments_km: f64 = border.segments.iter().map(|s| s.length_km()).sum();
    assert_close("segments sum", segments_km, total, 1e-9);
}
