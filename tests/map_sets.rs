//! Pictures of a border set: three countries, three lines between different pairs and an
//! enclave line, with a status file that covers only one line. `export`, `map` (page and SVG)
//! and `report --svg` draw every line, pair, country and enclave — nothing assumes two
//! countries or one line. Expected values are read from the fixture written here.

mod oracle;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn borderline(dir: &Path, args: &[&str]) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "borderline {args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
}

fn line(id: &str, a: &str, b: &str, coords: &str) -> String {
    let name = |k: &str| format!("{k}land");
    format!(
        r#"{{"type":"Feature","properties":{{"kind":"line","id":"{id}","a":"{a}","a_name":"{}","b":"{b}","b_name":"{}","border":"{a}-{b}"}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}"#,
        name(a),
        name(b)
    )
}

/// Countries A (south-west), B (south-east), C (north); lines A-B, B-C, A-C and the perimeter
/// of C's enclave E inside A.
fn fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let country = |key: &str, rings: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"country","key":"{key}"}},"geometry":{{"type":"MultiPolygon","coordinates":[{rings}]}}}}"#
        )
    };
    let features = [
        line("A-B", "A", "B", "[[0.1,0.0],[0.1,0.1]]"),
        line("B-C", "B", "C", "[[0.2,0.1],[0.1,0.1]]"),
        line("A-C", "A", "C", "[[0.1,0.1],[0.0,0.1]]"),
        line("E", "A", "C", "[[0.04,0.04],[0.05,0.04],[0.05,0.05],[0.04,0.05],[0.04,0.04]]"),
        r#"{"type":"Feature","properties":{"kind":"enclave","name":"E","country":"C"},"geometry":{"type":"Polygon","coordinates":[[[0.04,0.04],[0.05,0.04],[0.05,0.05],[0.04,0.05],[0.04,0.04]]]}}"#.to_string(),
        country("A", &square(0.0, 0.0, 0.1, 0.1)),
        country("B", &square(0.1, 0.0, 0.2, 0.1)),
        country("C", &format!("{},{}", square(0.0, 0.1, 0.2, 0.2), square(0.04, 0.04, 0.05, 0.05))),
    ];
    let border = dir.join("set.geojson");
    std::fs::write(
        &border,
        format!(
            r#"{{"type":"FeatureCollection","attribution":"test set, CC0","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let status = dir.join("status.csv");
    std::fs::write(
        &status,
        "line,from_km,to_km,status,effective_from,basis,source\n\
         A-B,0,end,undelimited,2020-01-01,sourced,test\n\
         A-B,0,end,delimited,2021-01-01,sourced,test\n",
    )
    .unwrap();
    (border, status)
}

#[test]
fn every_pair_line_country_and_enclave_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let (border, status) = fixture(dir.path());
    let (b, s) = (border.to_str().unwrap(), status.to_str().unwrap());
    let lines = oracle::lines(&border);
    // Lines up to 10 km are one segment each, longer ones ceil(km / 10).
    let segments: usize = lines
        .iter()
        .map(|l| (l.length_km / 10.0).ceil() as usize)
        .sum();

    let fc: Value = serde_json::from_str(&borderline(
        dir.path(),
        &[
            "export",
            "--border",
            b,
            "--status",
            s,
            "--as-of",
            "2020-06-01",
        ],
    ))
    .unwrap();
    let of_kind = |k: &str| -> Vec<Value> {
        fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == k)
            .cloned()
            .collect()
    };
    let exported = of_kind("segment");
    assert_eq!(exported.len(), segments);
    let mut pairs: Vec<&str> = exported
        .iter()
        .map(|f| f["properties"]["border"].as_str().unwrap())
        .collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs, ["A-B", "A-C", "B-C"]);
    // Only A-B has a history; the other lines are unknown.
    for f in &exported {
        let p = &f["properties"];
        let want = if p["line"] == "A-B" {
            "undelimited"
        } else {
            "unknown"
        };
        assert_eq!(p["status"], want, "{p}");
    }
    let names: Vec<String> = of_kind("country")
        .iter()
        .map(|c| c["properties"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Aland", "Bland", "Cland"]);
    let tones: std::collections::BTreeSet<String> = of_kind("country")
        .iter()
        .map(|c| c["properties"]["fill"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(tones.len(), 3, "three neighbours, three tones");
    assert_eq!(fc["attribution"], "test set, CC0");

    // The static map: every segment, country and name.
    let svg = dir.path().join("map.svg");
    borderline(
        dir.path(),
        &[
            "map",
            "--border",
            b,
            "--status",
            s,
            "--as-of",
            "2020-06-01",
            "--svg",
            svg.to_str().unwrap(),
        ],
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_eq!(svg.matches(r#"class="f-segment""#).count(), segments);
    assert_eq!(svg.matches(r#"class="f-country""#).count(), 3);
    for name in ["ALAND", "BLAND", "CLAND"] {
        assert!(svg.contains(&format!(">{name}</text>")), "no label {name}");
    }
    assert!(svg.contains(">E</text>"), "no enclave label");
    assert!(svg.contains("test set, CC0"));
    // The legend: one row per status on the date.
    assert_eq!(svg.matches(r#"class="legend-item""#).count(), 2);

    // The page holds the same drawing and every line's data.
    let page = dir.path().join("map.html");
    borderline(
        dir.path(),
        &[
            "map",
            "--border",
            b,
            "--status",
            s,
            "-o",
            page.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(page).unwrap();
    assert_eq!(html.matches(r#"class="f-segment""#).count(), segments);
    let open = "id=\"borderline-data\">";
    let start = html.find(open).unwrap() + open.len();
    let data: Value =
        serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()])
            .unwrap();
    assert_eq!(data["lines"].as_array().unwrap().len(), lines.len());

    // The space–time chart: a panel and bands for every line.
    let points = dir.path().join("points.csv");
    std::fs::write(
        &points,
        "id,date,lat,lon\n1,2020-06-01,0.05,0.1\n2,2021-06-01,0.1,0.15\n3,2020-03-01,0.1,0.05\n",
    )
    .unwrap();
    let tagged = dir.path().join("tagged.csv");
    borderline(
        dir.path(),
        &[
            "tag",
            "-q",
            "--border",
            b,
            "--status",
            s,
            points.to_str().unwrap(),
            "-o",
            tagged.to_str().unwrap(),
        ],
    );
    let chart = dir.path().join("chart.svg");
    borderline(
        dir.path(),
        &[
            "report",
            "--border",
            b,
            "--status",
            s,
            tagged.to_str().unwrap(),
            "--svg",
            chart.to_str().unwrap(),
        ],
    );
    let chart = std::fs::read_to_string(chart).unwrap();
    for l in &lines {
        assert!(
            chart.contains(&format!(r#"class="line-panel" data-line="{}""#, l.id)),
            "no panel {}",
            l.id
        );
        assert!(
            chart.contains(&format!(r#"class="band" data-line="{}""#, l.id)),
            "no band {}",
            l.id
        );
    }
    assert_eq!(chart.matches(r#"<circle class="incident""#).count(), 3);
}

#[test]
fn a_border_across_the_antimeridian_is_drawn_in_one_piece() {
    let dir = tempfile::tempdir().unwrap();
    let border = dir.path().join("fiji.geojson");
    std::fs::write(
        &border,
        r#"{"type": "FeatureCollection", "attribution": "test, CC0", "features": [
          {"type": "Feature", "properties": {"kind": "line", "id": "M", "a": "A", "b": "B"},
           "geometry": {"type": "LineString", "coordinates": [[179.6, -16.0], [179.9, -16.2], [-179.8, -16.4], [-179.5, -16.5]]}}]}"#,
    )
    .unwrap();
    let svg = dir.path().join("map.svg");
    borderline(
        dir.path(),
        &[
            "map",
            "--border",
            border.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    let mut xs: Vec<f64> = Vec::new();
    for (i, _) in svg.match_indices(r#"class="f-segment""#) {
        let tag = &svg[i..i + svg[i..].find('>').unwrap()];
        let d = &tag[tag.find(" d=\"").unwrap() + 4..];
        let d = &d[..d.find('"').unwrap()];
        for point in d.split(['M', 'L']).filter(|p| !p.is_empty()) {
            xs.push(point.split(' ').next().unwrap().parse().unwrap());
        }
    }
    // The line's ~110 km are cut into 10 km segments, drawn west to east in small steps inside
    // the frame: no jump across the map at 180°.
    assert!(xs.len() >= 12, "{xs:?}");
    assert!(
        xs.windows(2).all(|w| w[1] >= w[0] && w[1] - w[0] < 200.0),
        "{xs:?}"
    );
    assert!(xs.iter().all(|x| (0.0..=920.0).contains(x)), "{xs:?}");
}

#[test]
fn hostile_names_stay_text_in_the_static_svg() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "</text><script>alert(1)</script> & \"q\" 'a' <!-- Ворух 🚧";
    let places = dir.path().join("places.csv");
    let mut w = csv::Writer::from_path(&places).unwrap();
    w.write_record(["name", "lat", "lon"]).unwrap();
    w.write_record([hostile, "39.9", "70.6"]).unwrap();
    w.flush().unwrap();
    let svg = dir.path().join("map.svg");
    borderline(
        dir.path(),
        &[
            "map",
            "--title",
            hostile,
            "--places",
            places.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(
        !svg.contains("<script") && !svg.contains("<!--"),
        "markup leaked"
    );
    let escaped = "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39; &lt;!-- Ворух 🚧";
    assert!(
        svg.contains(&format!(">{escaped}</text>")),
        "the place label, escaped"
    );
    assert!(
        svg.contains(&format!("<title>{escaped} as of")),
        "the title, escaped"
    );
}
