//! `borderline tag` as an analyst meets it (issue 9): the output read back by column name
//! whatever the rows' shapes, warnings where a conclusion may be wrong, dates as spreadsheets
//! write them, column-name clashes, re-tagging, and `report`'s distance window.
//!
//! Expectations are independent of the code: a synthetic border on the equator
//! (`tests/fixtures/report/border.geojson`, line A from 0°E to 0.9°E) with a status history
//! written here, so that which status a date gets is known by hand; points far from or near
//! the bundled border are chosen by geography (the Barents Sea, Bishkek, Vorukh).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The contract of the appended columns, in order.
const TAGS: [&str; 16] = [
    "segment_id",
    "border",
    "line",
    "status",
    "status_basis",
    "status_since",
    "distance_m",
    "chainage_km",
    "border_lon",
    "border_lat",
    "side",
    "enclave",
    "nearest_enclave",
    "enclave_distance_m",
    "tag_warning",
    "tag_error",
];

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn borderline(args: &[&str], stdin: &[u8], dir: Option<&Path>) -> Run {
    let mut cmd = Command::cargo_bin("borderline").unwrap();
    cmd.args(args).write_stdin(stdin.to_vec());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `borderline tag - ARGS` on `input`; must succeed.
fn tag(input: &str, args: &[&str]) -> Run {
    let mut all = vec!["tag", "-"];
    all.extend_from_slice(args);
    let r = borderline(&all, input.as_bytes(), None);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r
}

/// Rows read back with the csv crate by header name, as any reader of the file would.
fn by_name(out: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(out);
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("every row as wide as the header");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// A directory with the equator border and a status table: line A undelimited since before the
/// records, delimited from 2021-03-01; line B delimited throughout. Without breakpoints, A
/// (100.187542 km) is cut into 11 segments of 9.107958 km, so 0.5°E (55.659745 km along) lies
/// on A:007.
fn equator() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let status = dir.path().join("status.csv");
    std::fs::write(
        &status,
        "line,from_km,to_km,status,effective_from,basis,source\n\
         A,0,end,undelimited,,sourced,test\n\
         A,0,end,delimited,2021-03-01,modelled,test\n\
         B,0,end,delimited,,sourced,test\n",
    )
    .unwrap();
    let args = vec![
        "--border".to_string(),
        fixture("border.geojson").display().to_string(),
        "--status".to_string(),
        status.display().to_string(),
    ];
    (dir, args)
}

fn tag_equator(input: &str, extra: &[&str]) -> Run {
    let (_dir, args) = equator();
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend_from_slice(extra);
    tag(input, &all)
}

#[test]
fn long_short_and_quoted_newline_rows_read_back_by_name() {
    let input = "id,lat,lon,date,note\n\
                 ok,0.001,0.5,2020-06-01,fine\n\
                 long,0.001,0.5,2020-06-01,x,\"surplus, one\",two\n\
                 short,0.001\n\
                 quoted,0.001,0.5,2020-06-01,\"two\nlines\"\n\
                 open,0.001,0.5,\"2020-06-01,never closed\n\
                 last,0.001,0.5,2020-06-01,lost?\n";
    let r = tag_equator(input, &[]);
    let rows = by_name(&r.stdout);
    let mut reader = csv::Reader::from_reader(r.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..5], ["id", "lat", "lon", "date", "note"]);
    assert_eq!(header[5..], TAGS);
    assert_eq!(
        rows.len(),
        5,
        "the open quote swallows the last line into its row"
    );
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["ok", "long", "short", "quoted", "open"]);
    // A clean row: tags in their named columns.
    assert_eq!(rows[0]["segment_id"], "A:007");
    assert_eq!(rows[0]["status"], "undelimited");
    assert_eq!(rows[0]["tag_error"], "");
    // A long row: its first fields in place, the surplus kept in tag_error, no tags.
    assert_eq!(rows[1]["note"], "x");
    assert_eq!(rows[1]["segment_id"], "");
    assert!(
        rows[1]["tag_error"].contains("row has 7 fields, the header has 5")
            && rows[1]["tag_error"].ends_with("surplus fields, as CSV: \"surplus, one\",two"),
        "{:?}",
        rows[1]["tag_error"]
    );
    // A short row: padded, flagged.
    assert_eq!(rows[2]["lat"], "0.001");
    assert_eq!(rows[2]["lon"], "");
    assert!(rows[2]["tag_error"].contains("row has 2 fields"));
    // Line breaks inside a well-formed quoted field are data.
    assert_eq!(rows[3]["note"], "two\nlines");
    assert_eq!(rows[3]["tag_error"], "");
    // The quote left open on line 7 takes the rest of the file; the row says where it opened.
    assert!(
        rows[4]["tag_error"].contains("quoted field opened on line 7")
            && rows[4]["tag_error"].contains("quote left open"),
        "{:?}",
        rows[4]["tag_error"]
    );
}

#[test]
fn status_basis_since_and_a_range_across_a_change() {
    let input = "id,lat,lon,date\n\
                 before,0.001,0.5,2021-02-28\n\
                 after,0.001,0.5,2021-03-01\n\
                 range,0.001,0.5,2021-02-20/2021-03-10\n\
                 month,0.001,0.5,2021-03\n\
                 year,0.001,0.5,2021\n\
                 b,0.0005,1.05,2021\n";
    let rows = by_name(&tag_equator(input, &[]).stdout);
    assert_eq!(rows[0]["status"], "undelimited");
    assert_eq!(rows[0]["status_basis"], "sourced");
    assert_eq!(
        rows[0]["status_since"], "",
        "in force since before the records"
    );
    assert_eq!(rows[1]["status"], "delimited");
    assert_eq!(rows[1]["status_basis"], "modelled");
    assert_eq!(rows[1]["status_since"], "2021-03-01");
    for row in &rows[..2] {
        assert_eq!(row["tag_warning"], "");
    }
    // A range is tagged with its first day's status and warned when the status changed in it.
    assert_eq!(rows[2]["status"], "undelimited");
    assert_eq!(
        rows[2]["tag_warning"],
        "status_changed_in_range: 2021-02-20/2021-03-10: the segment was undelimited, then \
         delimited from 2021-03-01 (the status given is the first day's)"
    );
    // The month of March starts on the day of the change: no change within it.
    assert_eq!(rows[3]["status"], "delimited");
    assert_eq!(rows[3]["tag_warning"], "");
    // The year 2021 holds the change.
    assert_eq!(rows[4]["status"], "undelimited");
    assert!(rows[4]["tag_warning"].starts_with("status_changed_in_range: 2021-01-01/2021-12-31"));
    // Line B never changed.
    assert_eq!(rows[5]["line"], "B");
    assert_eq!(rows[5]["tag_warning"], "");
}

#[test]
fn numeric_dates_take_the_columns_order() {
    // 02/04/2021 is 2 April (delimited) day-first, 4 February (undelimited) month-first.
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, second: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("lat,lon,date\n0.001,0.5,02/04/2021\n0.001,0.5,{second}\n"),
        )
        .unwrap();
        path.display().to_string()
    };
    let (_status_dir, border) = equator();
    let run = |path: &str, extra: &[&str]| {
        let mut args = vec!["tag", path];
        args.extend(border.iter().map(String::as_str));
        args.extend_from_slice(extra);
        borderline(&args, b"", None)
    };
    let day_first = file("dmy.csv", "25/12/2021");
    let r = run(&day_first, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(by_name(&r.stdout)[0]["status"], "delimited");
    let month_first = file("mdy.csv", "12/25/2021");
    let r = run(&month_first, &[]);
    assert_eq!(by_name(&r.stdout)[0]["status"], "undelimited");
    // Nothing decides: a usage error asking for the order, which then decides.
    let ambiguous = file("ambiguous.csv", "01/02/2021");
    let r = run(&ambiguous, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--date-order dmy|mdy") && r.stderr.contains("ambiguous.csv"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = run(&ambiguous, &["--date-order", "mdy"]);
    assert_eq!(by_name(&r.stdout)[0]["status"], "undelimited");
    // Both orders in one column: an error naming a value of each.
    let mixed = file("mixed.csv", "25/12/2021\n0.001,0.5,12/25/2021");
    let r = run(&mixed, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("25/12/2021") && r.stderr.contains("12/25/2021"),
        "{}",
        r.stderr
    );
    // Standard input is read once: the order must show in its first rows.
    let r = borderline(
        &[
            &["tag", "-"][..],
            &border.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
        b"lat,lon,date\n0.001,0.5,01/02/2021\n",
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("standard input"), "{}", r.stderr);
}

#[test]
fn spreadsheet_date_forms() {
    // Every one is 2021-02-05 (undelimited) or 2021-04-02 (delimited) on line A.
    let cases = [
        ("05/02/2021", "undelimited"),
        ("2021/02/05", "undelimited"),
        ("05-Feb-21", "undelimited"),
        ("05-February-2021", "undelimited"),
        ("Feb 05 2021", "undelimited"),
        ("February 5, 2021", "undelimited"),
        ("5 February 2021", "undelimited"),
        ("2021-02-05T23:59:59+05:00", "undelimited"),
        ("2021-04-02 00:00:00.000", "delimited"),
    ];
    let mut input = String::from("lat,lon,date\n");
    for (date, _) in cases {
        input.push_str(&format!("0.001,0.5,\"{date}\"\n"));
    }
    let rows = by_name(&tag_equator(&input, &["--date-order", "dmy"]).stdout);
    for ((date, want), row) in cases.iter().zip(&rows) {
        assert_eq!(row["tag_error"], "", "{date}");
        assert_eq!(row["status"], *want, "{date}");
    }
    // Trailing words are an error, not ignored.
    let rows = by_name(&tag_equator("lat,lon,date\n0.001,0.5,2021-02-05 approx.\n", &[]).stdout);
    assert!(rows[0]["tag_error"].contains("bad date"), "{:?}", rows[0]);
}

#[test]
fn an_undated_file_says_which_date_every_row_takes() {
    let r = tag_equator(
        "lat,lon,incident_day\n0.001,0.5,x\n",
        &["--as-of", "2021-02-01"],
    );
    assert!(
        r.stderr.contains("no date column")
            && r.stderr
                .contains("every row takes the status as of 2021-02-01"),
        "{}",
        r.stderr
    );
    // `incident_date` is a date column: no such line.
    let r = tag_equator("lat,lon,Incident Date\n0.001,0.5,2021-04-01\n", &[]);
    assert!(!r.stderr.contains("no date column"), "{}", r.stderr);
    assert_eq!(by_name(&r.stdout)[0]["status"], "delimited");
}

#[test]
fn coarse_precision_is_warned_by_each_sources_scale() {
    let acled = "latitude,longitude,event_date,geo_precision\n\
                 0.001,0.5,2021-04-01,1\n0.001,0.5,2021-04-01,2\n0.001,0.5,2021-04-01,3\n";
    let rows = by_name(&tag_equator(acled, &[]).stdout);
    assert_eq!(rows[0]["tag_warning"], "");
    for row in &rows[1..] {
        assert!(
            row["tag_warning"].starts_with("coarse_precision: geo_precision "),
            "{row:?}"
        );
        assert_eq!(row["segment_id"], "A:007", "the row keeps its tags");
    }
    let ucdp = "latitude,longitude,date_start,where_prec\n\
                0.001,0.5,2021-04-01,2\n0.001,0.5,2021-04-01,3\n";
    let rows = by_name(&tag_equator(ucdp, &[]).stdout);
    assert_eq!(rows[0]["tag_warning"], "", "where_prec 2 is within 25 km");
    assert!(rows[1]["tag_warning"].starts_with("coarse_precision: where_prec 3"));
    // Another column, another threshold.
    let custom = "lat,lon,date,accuracy\n0.001,0.5,2021-04-01,4\n0.001,0.5,2021-04-01,5\n";
    let rows = by_name(
        &tag_equator(
            custom,
            &["--precision-col", "accuracy", "--coarse-precision", "5"],
        )
        .stdout,
    );
    assert_eq!(rows[0]["tag_warning"], "");
    assert!(rows[1]["tag_warning"].starts_with("coarse_precision: accuracy 5"));
}

#[test]
fn swapped_and_far_points_are_warned_only_when_they_should_be() {
    let input = "name,lat,lon\n\
                 barents-sea,70.5,39.9\n\
                 bishkek,42.87,74.59\n\
                 vorukh,39.85125,70.58012\n";
    let r = tag(input, &["--as-of", "2022-10-07"]);
    let rows = by_name(&r.stdout);
    // 70.5N 39.9E is thousands of km from the line; exchanged, it is Vorukh's neighbourhood.
    assert!(
        rows[0]["tag_warning"].starts_with("swapped_coordinates: "),
        "{:?}",
        rows[0]
    );
    assert!(rows[0]["tag_warning"].contains("far_from_border"));
    // Bishkek is genuinely far (~390 km): far, but its exchange (74.59N 42.87E) is no nearer.
    assert!(!rows[1]["tag_warning"].contains("swapped"), "{:?}", rows[1]);
    assert!(rows[1]["tag_warning"].starts_with("far_from_border: 3"));
    assert_eq!(rows[2]["tag_warning"], "");
    assert!(
        r.stderr
            .contains("2 with warnings (1 swapped coordinates, 2 far from the border)"),
        "{}",
        r.stderr
    );
    // Beyond --max-distance a row has no segment, so no far warning, but keeps its distance.
    let rows = by_name(&tag(input, &["--max-distance", "50km"]).stdout);
    assert_eq!(rows[1]["segment_id"], "");
    assert_eq!(rows[1]["tag_warning"], "");
    assert!(rows[1]["distance_m"].parse::<f64>().unwrap() > 380_000.0);
}

#[test]
fn modelled_statuses_are_said_in_the_file_and_the_summary() {
    let r = tag_equator(
        "lat,lon,date\n0.001,0.5,2021-04-01\n0.001,0.5,2020-04-01\n",
        &[],
    );
    let rows = by_name(&r.stdout);
    assert_eq!(rows[0]["status_basis"], "modelled");
    assert_eq!(rows[1]["status_basis"], "sourced");
    assert!(
        r.stderr.contains(
            "2 rows: 2 tagged, 0 with warnings, 0 errors; the status of 1 row is modelled"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn clashing_columns_and_prefixes() {
    let input = "id,lat,lon,Status\n1,0.001,0.5,open\n";
    let (_dir, border) = equator();
    let mut args = vec!["tag", "-"];
    args.extend(border.iter().map(String::as_str));
    let r = borderline(&args, input.as_bytes(), None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("column 4 \"Status\" clashes with the tag column \"status\"")
            && r.stderr.contains("--prefix"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = tag_equator(input, &["--prefix", "bl_", "--as-of", "2021-04-01"]);
    let rows = by_name(&r.stdout);
    assert_eq!(rows[0]["Status"], "open");
    assert_eq!(rows[0]["bl_status"], "delimited");
    assert_eq!(rows[0]["bl_segment_id"], "A:007");
}

#[test]
fn tagging_a_tagged_file_replaces_its_tags() {
    let input = "id,lat,lon,date\n\
                 1,0.001,0.5,2021-04-01\n\
                 2,0.001\n\
                 3,0.001,0.5,2021-04-01,surplus\n\
                 4,0.001,0.5,\n";
    let once = tag_equator(input, &[]).stdout;
    let twice = tag_equator(std::str::from_utf8(&once).unwrap(), &[]);
    assert_eq!(
        String::from_utf8_lossy(&twice.stdout),
        String::from_utf8_lossy(&once),
        "idempotent"
    );
    assert!(
        twice
            .stderr
            .contains("the input's own tag columns were replaced")
    );
    // With another border's statuses, the tags change and the columns stay single.
    let (_dir, border) = equator();
    let other = border[3].replace("status.csv", "other.csv");
    std::fs::write(
        &other,
        "line,from_km,to_km,status,effective_from,basis,source\n\
         A,0,end,disputed,,sourced,t\nB,0,end,disputed,,sourced,t\n",
    )
    .unwrap();
    let r = borderline(
        &["tag", "-", "--border", &border[1], "--status", &other],
        &once,
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = by_name(&r.stdout);
    assert_eq!(rows[0]["status"], "disputed");
    let mut reader = csv::Reader::from_reader(r.stdout.as_slice());
    assert_eq!(reader.headers().unwrap().len(), 4 + TAGS.len());
}

#[test]
fn report_leaves_far_incidents_out_by_default() {
    // Two incidents on line A and one 100 km north of it (0.9°N of latitude ≈ 99.5 km).
    let tagged = tag_equator(
        "id,lat,lon,date\n1,0.001,0.5,2021-04-01\n2,0.001,0.5,2021-05-01\n3,0.9,0.5,2021-05-02\n",
        &[],
    )
    .stdout;
    let (_dir, border) = equator();
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "-", "--format", "json"];
        args.extend(border.iter().map(String::as_str));
        args.extend_from_slice(extra);
        let r = borderline(&args, &tagged, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_slice::<serde_json::Value>(&r.stdout).unwrap()
    };
    let doc = report(&[]);
    assert_eq!(doc["rows"]["counted"], 2);
    assert_eq!(doc["rows"]["beyond_max_distance"], 1);
    let delimited = doc["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "delimited")
        .unwrap();
    assert_eq!(delimited["incidents"], 2);
    // Without the window the far one counts, under the status tag gave it.
    let doc = report(&["--max-distance", "none"]);
    assert_eq!(doc["rows"]["counted"], 3);
    // The table's heading says which window was used.
    let mut args = vec!["report", "-"];
    args.extend(border.iter().map(String::as_str));
    let text = String::from_utf8(borderline(&args, &tagged, None).stdout).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("within 20 km of the border"),
        "{text}"
    );
}
