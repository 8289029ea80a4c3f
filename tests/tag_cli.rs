//! `borderline tag` end to end: bad rows, `--strict`, standard streams, the atomic `-o`,
//! column detection, ACLED and UCDP headers, status at the row's date, `--max-distance`,
//! UTF-8 and quoting, and deterministic parallel output.
//!
//! "Original fields byte-for-byte" is checked by parsing input and output with the `csv` crate
//! into byte records: quoting may be normalised, field contents may not change.

use std::path::Path;

use assert_cmd::Command;

/// The columns the tagger appends, in order: the contract of issue 9.
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

/// Vorukh village (GeoNames), inside the Vorukh enclave: lat, lon.
const VORUKH: (&str, &str) = ("39.85125", "70.58012");
/// Kok-Tash (KG), ~0.9 km from the main line on the Ferghana-valley stretch (Isfara valley).
const KOK_TASH: (&str, &str) = ("39.949722", "70.535833");
/// Osh, ~126 km from the line.
const OSH: (&str, &str) = ("40.52828", "72.7985");
/// Batken, ~7.3 km from the line.
const BATKEN: (&str, &str) = ("40.06259", "70.81939");

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run_with(args: &[&str], stdin: &[u8], envs: &[(&str, &str)], dir: Option<&Path>) -> Run {
    let mut cmd = Command::cargo_bin("borderline").unwrap();
    cmd.arg("tag").args(args).write_stdin(stdin.to_vec());
    for (k, v) in envs {
        cmd.env(k, v);
    }
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

/// `borderline tag - ARGS` with `input` on stdin; must succeed.
fn tag(input: &str, args: &[&str]) -> Run {
    let mut all = vec!["-"];
    all.extend_from_slice(args);
    let r = run_with(&all, input.as_bytes(), &[], None);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r
}

fn records(bytes: &[u8]) -> Vec<csv::ByteRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .byte_records()
        .map(|r| r.unwrap())
        .collect()
}

/// Output rows as maps from column name to text, read by the header's names (every row must
/// have exactly the header's width).
fn table(out: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let recs = records(out);
    let header: Vec<String> = recs[0]
        .iter()
        .map(|h| String::from_utf8(h.to_vec()).unwrap())
        .collect();
    recs[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "row width: {r:?}");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.clone(), String::from_utf8(v.to_vec()).unwrap()))
                .collect()
        })
        .collect()
}

/// Every input record appears once, in order, with its fields unchanged, followed by the tags:
/// exactly the header's width (short rows padded with empty fields, long rows' surplus fields
/// moved into tag_error).
fn assert_preserved(input: &[u8], output: &[u8]) {
    let inp = records(input);
    let out = records(output);
    assert_eq!(inp.len(), out.len(), "row count");
    let width = inp[0].len();
    let mut header = inp[0].clone();
    let first = header.get(0).unwrap();
    if let Some(stripped) = first.strip_prefix("\u{feff}".as_bytes()) {
        let mut fixed = csv::ByteRecord::from(vec![stripped.to_vec()]);
        fixed.extend(header.iter().skip(1));
        header = fixed;
    }
    let mut want_header = header.clone();
    want_header.extend(TAGS.iter().map(|t| t.as_bytes()));
    assert_eq!(out[0], want_header, "header");
    for (i, (a, b)) in inp.iter().zip(&out).enumerate().skip(1) {
        assert_eq!(b.len(), width + TAGS.len(), "row {i}: field count");
        for (j, field) in a.iter().take(width).enumerate() {
            assert_eq!(
                &b[j],
                field,
                "row {i}, field {j}: {:?} became {:?}",
                String::from_utf8_lossy(field),
                String::from_utf8_lossy(&b[j])
            );
        }
        for j in a.len()..width {
            assert_eq!(&b[j], b"", "row {i}: padding field {j}");
        }
        if a.len() > width {
            let error = String::from_utf8_lossy(&b[b.len() - 1]).into_owned();
            assert!(error.contains("surplus"), "row {i}: {error}");
        }
    }
}

fn assert_untagged(row: &std::collections::HashMap<String, String>) {
    for t in &TAGS[..TAGS.len() - 1] {
        assert_eq!(row[*t], "", "{t} should be empty in {row:?}");
    }
    assert!(!row["tag_error"].is_empty(), "{row:?}");
}

#[test]
fn every_bad_row_kind_is_kept_with_its_reason_and_empty_tags() {
    // (row, words expected in tag_error)
    let cases: &[(&str, &[&str])] = &[
        ("good,39.85125,70.58012,2022-10-07,ok", &[]),
        ("missing-lat,,70.5,2022-10-07,x", &["missing", "latitude"]),
        ("blank-lon,39.9,   ,2022-10-07,x", &["missing", "longitude"]),
        ("text,abc,70.5,2022-10-07,x", &["latitude", "not a number"]),
        (
            "comma-decimal,\"39,9\",70.5,2022-10-07,x",
            &["not a number"],
        ),
        ("inf,inf,70.5,2022-10-07,x", &["not finite"]),
        ("neg-infinity,39.9,-Infinity,2022-10-07,x", &["not finite"]),
        ("nan,39.9,NaN,2022-10-07,x", &["longitude", "not finite"]),
        ("overflow,1e400,70.5,2022-10-07,x", &["not finite"]),
        ("lat-95,95,70.5,2022-10-07,x", &["latitude", "out of range"]),
        (
            "lon-200,39.9,200.5,2022-10-07,x",
            &["longitude", "out of range"],
        ),
        (
            "swapped,120.5,39.9,2022-10-07,x",
            &["out of range", "swapped"],
        ),
        ("short,39.9", &["fields"]),
        ("long,39.9,70.5,2022-10-07,x,extra", &["fields"]),
        ("bad-date,39.9,70.5,yesterday,x", &["date"]),
        ("feb-30,39.9,70.5,2022-02-30,x", &["date"]),
        ("good-again,40.52828,72.7985,2022-10-07,ok", &[]),
    ];
    let mut input = String::from("id,lat,lon,date,note\n");
    for (row, _) in cases {
        input.push_str(row);
        input.push('\n');
    }
    let r = tag(&input, &[]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let rows = table(&r.stdout);
    assert_eq!(rows.len(), cases.len());
    for ((row, words), out) in cases.iter().zip(&rows) {
        let id = row.split(',').next().unwrap();
        assert_eq!(out["id"], id, "order");
        if words.is_empty() {
            assert_eq!(out["tag_error"], "", "{row}");
            assert!(!out["segment_id"].is_empty());
        } else {
            assert_untagged(out);
            let e = out["tag_error"].to_lowercase();
            for w in *words {
                assert!(e.contains(w), "{row}: tag_error {e:?} lacks {w:?}");
            }
        }
    }
    let bad = cases.len() - 2;
    assert!(
        r.stderr.contains(&format!(
            "{} rows: 2 tagged, 1 with warnings (1 far from the border), {bad} errors",
            cases.len()
        )),
        "summary: {}",
        r.stderr
    );
}

#[test]
fn strict_fails_naming_the_first_bad_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Line 1 header, lines 2–3 one quoted record with a newline, line 4 good, line 5 bad.
    let input = "id,lat,lon,note\n\
                 1,39.85125,70.58012,\"two\nlines\"\n\
                 2,39.9,70.5,ok\n\
                 3,abc,70.5,bad\n\
                 4,,70.5,bad too\n";
    std::fs::write(dir.path().join("in.csv"), input).unwrap();
    let r = run_with(
        &[
            "in.csv",
            "--strict",
            "-o",
            "out.csv",
            "--as-of",
            "2022-10-07",
        ],
        b"",
        &[],
        Some(dir.path()),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("line 5"),
        "names the first bad line: {}",
        r.stderr
    );
    assert!(r.stderr.contains("not a number"), "{}", r.stderr);
    assert!(r.stderr.contains("2 bad rows"), "{}", r.stderr);
    assert!(!dir.path().join("out.csv").exists(), "no file on failure");
    // A pre-existing output stays as it was.
    std::fs::write(dir.path().join("out.csv"), "precious\n").unwrap();
    let r = run_with(
        &["in.csv", "--strict", "-o", "out.csv"],
        b"",
        &[],
        Some(dir.path()),
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        std::fs::read(dir.path().join("out.csv")).unwrap(),
        b"precious\n"
    );
    assert_no_temp_files(dir.path());
    // Without bad rows --strict succeeds and writes the file.
    std::fs::write(dir.path().join("good.csv"), "lat,lon\n39.9,70.5\n").unwrap();
    let r = run_with(
        &["good.csv", "--strict", "-o", "out.csv", "--quiet"],
        b"",
        &[],
        Some(dir.path()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let out = std::fs::read(dir.path().join("out.csv")).unwrap();
    assert_eq!(records(&out).len(), 2);
}

#[test]
fn strict_names_the_first_bad_line_beyond_the_first_batch() {
    // More rows than one read batch, so the first error is found in a later batch.
    let mut input = String::from("lat,lon\n");
    for _ in 0..20_000 {
        input.push_str("39.9,70.5\n");
    }
    input.push_str("bad,70.5\n39.9,70.5\n,\n");
    let r = run_with(
        &["-", "--strict", "--as-of", "2022-10-07"],
        input.as_bytes(),
        &[],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("line 20002"), "{}", r.stderr);
    assert!(r.stderr.contains("2 bad rows"), "{}", r.stderr);
}

fn assert_no_temp_files(dir: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.starts_with(".borderline"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn stdin_to_stdout() {
    let input = format!("lat,lon\n{},{}\n", VORUKH.0, VORUKH.1);
    for args in [&["-"][..], &[][..], &["-", "-o", "-"][..]] {
        let r = run_with(args, input.as_bytes(), &[], None);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let rows = table(&r.stdout);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["enclave"], "Vorukh");
        assert_eq!(rows[0]["side"], "TJK");
    }
}

#[test]
fn output_file_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    // Missing latitude column: usage error, no file.
    let r = run_with(
        &["-", "-o", out.to_str().unwrap()],
        b"name,lon\na,70.5\n",
        &[],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists());
    assert_no_temp_files(dir.path());
    // A pre-existing file is left untouched by a failing run.
    std::fs::write(&out, "old contents\n").unwrap();
    let r = run_with(
        &["-", "-o", out.to_str().unwrap()],
        b"name,lon\na,70.5\n",
        &[],
        None,
    );
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read(&out).unwrap(), b"old contents\n");
    // A missing input file fails the same way.
    let r = run_with(
        &["no-such.csv", "-o", out.to_str().unwrap()],
        b"",
        &[],
        Some(dir.path()),
    );
    assert_ne!(r.code, 0);
    assert_eq!(std::fs::read(&out).unwrap(), b"old contents\n");
    assert_no_temp_files(dir.path());
    // A successful run replaces it.
    let input = b"lat,lon\n39.9,70.5\n";
    let r = run_with(
        &["-", "-o", out.to_str().unwrap(), "--quiet"],
        input,
        &[],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_preserved(input, &std::fs::read(&out).unwrap());
    assert_no_temp_files(dir.path());
    // Tagging a file onto itself is safe: it is read in full before the rename.
    let own = dir.path().join("own.csv");
    std::fs::write(&own, input).unwrap();
    let r = run_with(
        &["own.csv", "-o", "own.csv", "--quiet"],
        b"",
        &[],
        Some(dir.path()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_preserved(input, &std::fs::read(&own).unwrap());
    assert_no_temp_files(dir.path());
}

#[test]
fn column_detection() {
    let point = |lat_first: bool| {
        if lat_first {
            format!("{},{}", VORUKH.0, VORUKH.1)
        } else {
            format!("{},{}", VORUKH.1, VORUKH.0)
        }
    };
    for (header, lat_first) in [
        ("lat,lon", true),
        ("latitude,longitude", true),
        ("Y,X", true),
        ("x,y", false),
        ("LAT,Lon", true),
        ("Latitude,LONGITUDE", true),
        ("lat,lng", true),
        ("long,lat", false),
        (" lat , lon ", true),
    ] {
        let input = format!("name,{header}\nVorukh,{}\n", point(lat_first));
        let r = tag(&input, &["--as-of", "2022-10-07"]);
        assert_preserved(input.as_bytes(), &r.stdout);
        let row = &table(&r.stdout)[0];
        assert_eq!(row["enclave"], "Vorukh", "{header}: {row:?}");
        assert_eq!(row["tag_error"], "");
    }
    // Flags override detection (and are case-insensitive too).
    let input = format!(
        "lat,lon,when,a,b\n0,0,2013-01-01,{},{}\n",
        VORUKH.0, VORUKH.1
    );
    let r = tag(&input, &["--lat", "A", "--lon", "b", "--date", "when"]);
    let row = &table(&r.stdout)[0];
    assert_eq!(row["enclave"], "Vorukh", "{row:?}");
    assert_eq!(
        row["status"], "unknown",
        "the date comes from --date: {row:?}"
    );
    // Missing: exit 2, the headers found are listed.
    let r = run_with(&["-"], b"place,northing,easting\na,1,2\n", &[], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for h in ["place", "northing", "easting", "--lat"] {
        assert!(r.stderr.contains(h), "{h} not in {}", r.stderr);
    }
    assert!(r.stdout.is_empty());
    let r = run_with(&["-"], b"lat,easting\n1,2\n", &[], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--lon") && r.stderr.contains("easting"),
        "{}",
        r.stderr
    );
    // A flag naming a missing column.
    let r = run_with(&["-", "--lat", "nope"], b"lat,lon\n1,2\n", &[], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
    let r = run_with(&["-", "--date", "nope"], b"lat,lon\n1,2\n", &[], None);
    assert_eq!(r.code, 2);
    // Ambiguous: exit 2 naming both; a flag resolves it.
    let input = b"lat,latitude,lon\n1,39.9,70.5\n";
    let r = run_with(&["-"], input, &[], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ambiguous"), "{}", r.stderr);
    assert!(
        r.stderr.contains("\"lat\"") && r.stderr.contains("\"latitude\""),
        "{}",
        r.stderr
    );
    let r = tag(std::str::from_utf8(input).unwrap(), &["--lat", "latitude"]);
    assert_eq!(table(&r.stdout)[0]["tag_error"], "");
    let r = run_with(&["-"], b"lat,lon,x\n1,2,3\n", &[], None);
    assert_eq!(r.code, 2, "lon and x both match: {}", r.stderr);
    // An empty input has no header.
    let r = run_with(&["-"], b"", &[], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // A header alone is a valid, empty job.
    let r = tag("lat,lon\n", &[]);
    assert_eq!(records(&r.stdout).len(), 1);
}

#[test]
fn acled_style_export() {
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,\
                  sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,\
                  interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,\
                  location,latitude,longitude,geo_precision,source,source_scale,notes,\
                  fatalities,tags,timestamp";
    let rows = [
        format!(
            "KGZ1234,16 September 2022,2022,1,Political violence,Battles,Armed clash,\
             Military Forces of Kyrgyzstan (2021-),,State forces,Military Forces of Tajikistan \
             (1994-),,State forces,State forces-State forces,,417,Central Asia,Kyrgyzstan,\
             Batken,Batken,Ak-Sai,Ak-Sai,{},{},1,24.kg; AKIpress,National,\
             \"On 16 September 2022, clashes \"\"near\"\" the border.\",4,,1666196044",
            KOK_TASH.0, KOK_TASH.1
        ),
        format!(
            "TJK567,1 June 2025,2025,1,Demonstrations,Protests,Peaceful protest,Protesters \
             (Tajikistan),,Protesters,,,,Protesters only,,762,Central Asia,Tajikistan,Sughd,\
             Isfara,Vorukh,Vorukh,{},{},1,Asia-Plus,National,Residents met.,0,crowd size=no \
             report,1750000000",
            VORUKH.0, VORUKH.1
        ),
    ];
    let input = format!("{header}\n{}\n{}\n", rows[0], rows[1]);
    let r = tag(&input, &[]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let out = table(&r.stdout);
    assert_eq!(out[0]["tag_error"], "");
    assert_eq!(out[0]["status"], "undelimited");
    assert_eq!(out[0]["line"], "KGZ-TJK");
    assert_eq!(out[0]["side"], "KGZ");
    assert_eq!(out[1]["status"], "delimited");
    assert_eq!(out[1]["enclave"], "Vorukh");
}

#[test]
fn ucdp_ged_style_export() {
    let header = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,\
                  conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,\
                  side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,\
                  number_of_sources,source_article,source_office,source_date,source_headline,\
                  source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,\
                  latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,\
                  event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,\
                  deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob";
    let row = |id: &str, date: &str, (lat, lon): (&str, &str)| {
        format!(
            "{id},KGZ-2022-1-{id},2022,1,Clear,1,13743,13743,Kyrgyzstan - Tajikistan,14977,\
             14977,Government of Kyrgyzstan - Government of Tajikistan,1,1,Government of \
             Kyrgyzstan,2,2,Government of Tajikistan,3,\"AFP,2022-09-16; Reuters,2022-09-16\",\
             ,,,,1,Ak-Sai village,\"Ak-Sai, Batken\",Batken province,Batken district,{lat},\
             {lon},POINT ({lon} {lat}),178563,Kyrgyzstan,703,Asia,1,1,{date},{date},2,1,0,0,3,\
             5,3,703,702"
        )
    };
    let input = format!(
        "{header}\n{}\n{}\n{}\n",
        row("1", "2022-09-16 00:00:00.000", KOK_TASH),
        row("2", "2025-06-01 00:00:00.000", KOK_TASH),
        row("3", "2013-05-01 00:00:00.000", KOK_TASH),
    );
    let r = tag(&input, &[]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let out = table(&r.stdout);
    let statuses: Vec<&str> = out.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(statuses, ["undelimited", "delimited", "unknown"]);
    assert!(out.iter().all(|r| r["tag_error"].is_empty()));
}

#[test]
fn status_at_the_rows_date() {
    // Bundled modelled history: the Ferghana-valley stretch (Kok-Tash) undelimited from the
    // first record (2014-01-21) until 2024-07-01, the Vorukh perimeter until the descriptions
    // were completed on 2024-12-05; everything delimited from then on; nothing known before
    // 2014-01-21.
    let input = format!(
        "date,lat,lon\n\
         2022-10-07,{k0},{k1}\n\
         2025-06-01,{k0},{k1}\n\
         2013-06-01,{k0},{k1}\n\
         2024-08-01,{k0},{k1}\n\
         2024-08-01,{v0},{v1}\n\
         2024-12-04,{v0},{v1}\n\
         2024-12-05,{v0},{v1}\n\
         16 Sep 2022,{k0},{k1}\n\
         2022-09,{k0},{k1}\n\
         2022-09-14/2025-09-17,{k0},{k1}\n",
        k0 = KOK_TASH.0,
        k1 = KOK_TASH.1,
        v0 = VORUKH.0,
        v1 = VORUKH.1
    );
    // --as-of is ignored when the rows have dates.
    let r = tag(&input, &["--as-of", "2013-01-01"]);
    let out = table(&r.stdout);
    let statuses: Vec<&str> = out.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(
        statuses,
        [
            "undelimited",
            "delimited",
            "unknown",
            "delimited",
            "undelimited",
            "undelimited",
            "delimited",
            "undelimited",
            "undelimited",
            "undelimited"
        ]
    );
    assert_eq!(out[4]["line"], "Vorukh");
    assert_eq!(out[0]["line"], "KGZ-TJK");
    // The status's basis and the day it took effect.
    assert_eq!(out[0]["status_basis"], "modelled");
    assert_eq!(out[0]["status_since"], "2014-01-21");
    assert_eq!(out[2]["status_basis"], "", "unknown: no status row");
    assert_eq!(out[2]["status_since"], "");
    assert_eq!(out[6]["status_since"], "2024-12-05");
    assert_eq!(out[6]["status_basis"], "sourced");
    // The interval spans the agreement of 2024-07-01: warned, first day's status kept.
    let w = &out[9]["tag_warning"];
    assert!(
        w.starts_with("status_changed_in_range: ")
            && w.contains("undelimited, then delimited from 2024-07-01"),
        "{w}"
    );
    assert!(out[..9].iter().all(|r| r["tag_warning"].is_empty()));
}

#[test]
fn an_empty_date_keeps_the_location_and_warns() {
    let input = format!(
        "date,lat,lon
,{},{}
",
        KOK_TASH.0, KOK_TASH.1
    );
    let r = tag(&input, &[]);
    let row = &table(&r.stdout)[0];
    assert_eq!(row["tag_error"], "");
    assert_eq!(row["segment_id"], "KGZ-TJK:088");
    assert_eq!(row["status"], "");
    assert_eq!(row["status_basis"], "");
    assert!(row["tag_warning"].starts_with("undated: "), "{row:?}");
    assert!(
        r.stderr.contains("1 with warnings (1 undated)"),
        "{}",
        r.stderr
    );
}

#[test]
fn as_of_applies_without_a_date_column() {
    let input = format!("lat,lon\n{},{}\n", KOK_TASH.0, KOK_TASH.1);
    for (as_of, want) in [
        ("2022-10-07", "undelimited"),
        ("2025-06-01", "delimited"),
        ("2013-01-01", "unknown"),
    ] {
        let r = tag(&input, &["--as-of", as_of]);
        assert_eq!(table(&r.stdout)[0]["status"], want, "{as_of}");
    }
    // Default: today, which is after the treaty.
    let r = tag(&input, &[]);
    assert_eq!(table(&r.stdout)[0]["status"], "delimited");
    let r = run_with(
        &["-", "--as-of", "16 September 2022"],
        input.as_bytes(),
        &[],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn max_distance_leaves_far_rows_untagged_but_keeps_them() {
    let input = format!(
        "name,lat,lon\nVorukh,{},{}\nOsh,{},{}\nBatken,{},{}\nbad,x,y\n",
        VORUKH.0, VORUKH.1, OSH.0, OSH.1, BATKEN.0, BATKEN.1
    );
    let r = tag(&input, &["--max-distance", "5km", "--as-of", "2022-10-07"]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let out = table(&r.stdout);
    assert_eq!(out.len(), 4);
    assert!(!out[0]["segment_id"].is_empty());
    for row in &out[1..3] {
        for t in [
            "segment_id",
            "border",
            "line",
            "status",
            "status_basis",
            "status_since",
            "chainage_km",
            "border_lon",
            "border_lat",
            "tag_warning",
            "tag_error",
        ] {
            assert_eq!(row[t], "", "{t} in {row:?}");
        }
        // The rest is still answered, the distance included.
        assert!(row["distance_m"].parse::<f64>().unwrap() > 5000.0);
        assert_eq!(row["side"], "KGZ");
        assert_eq!(row["nearest_enclave"], "Vorukh");
    }
    assert!(!out[3]["tag_error"].is_empty());
    assert!(
        r.stderr
            .contains("4 rows: 1 tagged, 2 beyond max distance, 0 with warnings, 1 error;"),
        "{}",
        r.stderr
    );
    // Units: 8km includes Batken (7.3 km), 7000m does not.
    for (arg, tagged) in [("8km", 2), ("7000m", 1), ("0.5km", 0), ("none", 3)] {
        let r = tag(&input, &["--max-distance", arg]);
        let n = table(&r.stdout)
            .iter()
            .filter(|r| !r["segment_id"].is_empty())
            .count();
        assert_eq!(n, tagged, "{arg}");
    }
    for bad in ["5 parsecs", "-1km", "km", "inf", "7000", "nankm"] {
        let r = run_with(&["-", "--max-distance", bad], input.as_bytes(), &[], None);
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
    }
    // A bare number says which units it lacks.
    let r = run_with(&["-", "--max-distance", "5"], input.as_bytes(), &[], None);
    assert!(r.stderr.contains("5km or 5m"), "{}", r.stderr);
}

#[test]
fn utf8_and_bom_are_preserved_and_tolerated() {
    let input = format!(
        "\u{feff}lat,lon,name,note\n\
         {},{},Ворух,Wārōx 💥 🇹🇯 — «ok»\n\
         {},{},Ош,日本語 ünïcödé\n",
        VORUKH.0, VORUKH.1, OSH.0, OSH.1
    );
    let r = tag(&input, &[]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let out = records(&r.stdout);
    assert_eq!(&out[0][0], b"lat", "header name without the BOM");
    let rows = table(&r.stdout);
    assert_eq!(rows[0]["name"], "Ворух");
    assert_eq!(rows[0]["note"], "Wārōx 💥 🇹🇯 — «ok»");
    assert_eq!(rows[0]["enclave"], "Vorukh");
    assert_eq!(rows[1]["note"], "日本語 ünïcödé");
    assert_eq!(rows[1]["tag_error"], "");
    // Bytes that are not UTF-8 in a free-text field pass through untouched.
    let mut latin1 = format!("lat,lon,note\n{},{},caf", VORUKH.0, VORUKH.1).into_bytes();
    latin1.extend_from_slice(b"\xe9 cr\xe8me\n");
    let r = run_with(&["-"], &latin1, &[], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_preserved(&latin1, &r.stdout);
    // The BOM on a file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), &input).unwrap();
    let r = run_with(&["in.csv"], b"", &[], Some(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_preserved(input.as_bytes(), &r.stdout);
}

#[test]
fn bom_before_a_quoted_first_header() {
    // Excel and many exporters write a BOM followed by a quoted header.
    let input = format!(
        "\u{feff}\"lat\",\"lon\",\"name\"\n{},{},Vorukh\n",
        VORUKH.0, VORUKH.1
    );
    let r = run_with(&["-"], input.as_bytes(), &[], None);
    assert_eq!(r.code, 0, "BOM + quoted header: {}", r.stderr);
    let rows = table(&r.stdout);
    assert_eq!(rows[0]["enclave"], "Vorukh");
    assert_eq!(&records(&r.stdout)[0][0], b"lat");
}

#[test]
fn quoted_fields_with_newlines_commas_and_quotes() {
    let input = format!(
        "id,lat,lon,notes\n\
         1,{},{},\"first line\nsecond line, with a comma\"\n\
         2,\"{}\",\"{}\",\"she said \"\"hi\"\", then left\"\n\
         3,{},{},\"\"\n\
         4,{},{},\"trailing\r\nCRLF inside\"\n\
         5,{},{},\" padded \"\n",
        VORUKH.0,
        VORUKH.1,
        OSH.0,
        OSH.1,
        BATKEN.0,
        BATKEN.1,
        KOK_TASH.0,
        KOK_TASH.1,
        VORUKH.0,
        VORUKH.1
    );
    let r = tag(&input, &[]);
    assert_preserved(input.as_bytes(), &r.stdout);
    let rows = table(&r.stdout);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["notes"], "first line\nsecond line, with a comma");
    assert_eq!(rows[1]["notes"], "she said \"hi\", then left");
    assert_eq!(rows[3]["notes"], "trailing\r\nCRLF inside");
    assert_eq!(rows[4]["notes"], " padded ");
    assert!(rows.iter().all(|r| r["tag_error"].is_empty()));
    // CRLF line endings.
    let crlf = input.replace("\n", "\r\n").replace("\r\r\n", "\r\n");
    let r = tag(&crlf, &[]);
    assert_preserved(crlf.as_bytes(), &r.stdout);
}

/// SplitMix64 in [0, 1).
fn uniform(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn output_is_deterministic_across_runs_and_thread_counts() {
    let mut s = 20_221_007u64;
    let mut input = String::from("id,event_date,latitude,longitude,notes\n");
    let rows = 50_000;
    for i in 0..rows {
        let lat = 39.0 + 1.7 * uniform(&mut s);
        let lon = 69.0 + 5.0 * uniform(&mut s);
        let year = 2012 + (uniform(&mut s) * 14.0) as u32;
        let month = 1 + (uniform(&mut s) * 12.0) as u32;
        let day = 1 + (uniform(&mut s) * 28.0) as u32;
        let kind = uniform(&mut s);
        let line = if kind < 0.01 {
            format!("{i},{year}-{month:02}-{day:02},,{lon:.5},missing\n")
        } else if kind < 0.015 {
            format!("{i},{year}-{month:02}-{day:02},{lat:.5}\n")
        } else if kind < 0.02 {
            format!("{i},not a date,{lat:.5},{lon:.5},\"bad, date\"\n")
        } else if kind < 0.03 {
            format!("{i},{day} March {year},{lat:.5},{lon:.5},\"multi\nline, ü\"\n")
        } else {
            format!("{i},{year}-{month:02}-{day:02},{lat:.6},{lon:.6},n{i}\n")
        };
        input.push_str(&line);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), &input).unwrap();
    let go = |threads: &str, out: &str| {
        let r = run_with(
            &["in.csv", "-o", out, "--quiet"],
            b"",
            &[("RAYON_NUM_THREADS", threads)],
            Some(dir.path()),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let a = go("2", "a.csv");
    let b = go("2", "b.csv");
    let c = go("1", "c.csv");
    assert!(a == b, "two runs differ");
    assert!(a == c, "1 and 2 threads differ");
    assert_preserved(input.as_bytes(), &a);
    let out = table(&a);
    assert_eq!(out.len(), rows);
    assert!(
        out.iter()
            .enumerate()
            .all(|(i, r)| r["id"] == i.to_string()),
        "order"
    );
    let errors = out.iter().filter(|r| !r["tag_error"].is_empty()).count();
    assert!((500..2_000).contains(&errors), "{errors} errors");
}
