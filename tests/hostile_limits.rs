//! Inputs that would need unbounded memory fail with a clear error within a bounded memory
//! budget (the limits are `MAX_ROW_BYTES`, `MAX_GEOJSON_BYTES`, `MAX_ARRAYS` and
//! `MAX_STATUS_BYTES`), and a 100 MB property string is either read or refused cleanly.
//!
//! The big inputs are generated here (streamed to standard input, or written to a temporary
//! directory), never committed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use borderline::geojson_in::MAX_GEOJSON_BYTES;
use borderline::io::MAX_ROW_BYTES;
use borderline::status::MAX_STATUS_BYTES;

const TIMEOUT: Duration = Duration::from_secs(180);
/// Peak resident memory allowed to a run fed a huge line (the limit's buffer is 64 MiB).
const MEMORY_BUDGET_KB: u64 = 500 * 1024;

struct Outcome {
    code: Option<i32>,
    stderr: String,
    /// Peak resident set size seen in /proc (kB); 0 where /proc is not available.
    peak_kb: u64,
}

/// Runs `borderline ARGS` in `dir`, writing `chunks()` to its standard input until it returns
/// `None` or the child stops reading, and watching its peak memory.
fn run_streaming(
    dir: &Path,
    args: &[&str],
    mut chunks: impl FnMut() -> Option<Vec<u8>> + Send + 'static,
) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        while let Some(chunk) = chunks() {
            if stdin.write_all(&chunk).is_err() {
                break; // the child stopped reading: expected once it refuses the input
            }
        }
    });
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                    let hwm = status
                        .lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                        .unwrap_or(0);
                    peak.fetch_max(hwm, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    done.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    writer.join().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    Outcome {
        code: status.code(),
        stderr,
        peak_kb: peak.load(Ordering::Relaxed),
    }
}

/// `head` then `total` bytes of `fill`, in 1 MiB chunks.
fn stream(head: &str, fill: u8, total: u64) -> impl FnMut() -> Option<Vec<u8>> + Send + 'static {
    let mut head = Some(head.as_bytes().to_vec());
    let mut left = total;
    move || {
        if let Some(h) = head.take() {
            return Some(h);
        }
        if left == 0 {
            return None;
        }
        let n = left.min(1 << 20);
        left -= n;
        Some(vec![fill; n as usize])
    }
}

fn assert_no_files_but(dir: &Path, expected: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, expected, "files in the output directory");
}

#[test]
fn a_one_gigabyte_csv_line_is_refused_within_a_memory_budget() {
    assert_eq!(MAX_ROW_BYTES, 64 << 20);
    // Unquoted and quoted (a quote left open makes the rest of the input one row).
    for (head, what) in [
        ("id,lat,lon,note\n1,39.9,70.5,ok\n2,39.9,70.5,", "unquoted"),
        ("id,lat,lon,note\n1,39.9,70.5,ok\n2,39.9,70.5,\"", "quoted"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        // A line of 1 GiB; with newlines inside the quotes for the quoted one.
        let fill = if what == "quoted" { b'\n' } else { b'x' };
        let r = run_streaming(
            dir.path(),
            &["tag", "-", "-o", "out.csv", "-q"],
            stream(head, fill, 1 << 30),
        );
        assert_eq!(r.code, Some(2), "{what}: {}", r.stderr);
        assert!(
            r.stderr
                .starts_with("borderline: -:line 3: a CSV row longer than 67108864 bytes"),
            "{what}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        if Path::new("/proc/self/status").exists() {
            assert!(r.peak_kb > 0, "memory not measured");
            assert!(
                r.peak_kb < MEMORY_BUDGET_KB,
                "{what}: peak memory {} MB",
                r.peak_kb / 1024
            );
        }
        assert_no_files_but(dir.path(), &[]);
    }
}

#[test]
fn a_row_just_under_the_limit_is_read() {
    // The limit counts the row's bytes, its line break aside: a 1 MiB field is fine.
    let border = borderline::Border::embedded();
    let tagger = borderline::tag::Tagger::new(border);
    let options = borderline::tag::TagOptions::new("2022-10-07".parse().unwrap());
    let big = "y".repeat(1 << 20);
    let input = format!("lat,lon,note\n39.9,70.5,{big}\n39.9,70.5,\"{big}\n{big}\"\n");
    let mut out = Vec::new();
    let summary = borderline::tag::tag_csv(
        &tagger,
        Path::new("in.csv"),
        input.as_bytes(),
        &mut out,
        &options,
        None,
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(summary.rows, 2);
    assert_eq!(summary.tagged, 2);
}

#[test]
fn a_geojson_over_the_size_limit_is_refused_before_parsing() {
    assert_eq!(MAX_GEOJSON_BYTES, 256 << 20);
    let dir = tempfile::tempdir().unwrap();
    let r = run_streaming(
        dir.path(),
        &["share", "--border", "-"],
        stream(
            "{\"type\": \"FeatureCollection\", \"features\": [",
            b' ',
            MAX_GEOJSON_BYTES,
        ),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("-: larger than the limit of 268435456 bytes"),
        "{}",
        r.stderr
    );
    assert_no_files_but(dir.path(), &[]);
}

#[test]
fn a_status_csv_over_the_size_limit_is_refused() {
    assert_eq!(MAX_STATUS_BYTES, 64 << 20);
    let dir = tempfile::tempdir().unwrap();
    let r = run_streaming(
        dir.path(),
        &["share", "--status", "-"],
        stream(
            "line,from_km,to_km,status,effective_from,basis,source\n",
            b'\n',
            MAX_STATUS_BYTES,
        ),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("-: larger than the limit of 67108864 bytes"),
        "{}",
        r.stderr
    );
}

/// A 100 MB string (50 million two-byte characters).
fn hundred_megabytes() -> String {
    "é".repeat(50_000_000)
}

#[test]
fn a_100_mb_property_string() {
    let dir = tempfile::tempdir().unwrap();
    let big = hundred_megabytes();
    // Border GeoJSON (under the 256 MiB limit): read, and the property ignored.
    let border = format!(
        r#"{{"type": "FeatureCollection", "features": [
  {{"type": "Feature", "properties": {{"kind": "line", "id": "M", "note": "{big}"}},
   "geometry": {{"type": "LineString", "coordinates": [[70, 39], [70, 40]]}}}}
]}}"#
    );
    std::fs::write(dir.path().join("border.geojson"), &border).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args(["share", "--border", "border.geojson", "--format", "csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("unknown,111"));
    drop(border);
    // Country polygons: the same.
    let countries = format!(
        r#"{{"type": "FeatureCollection", "features": [
  {{"type": "Feature", "properties": {{"iso_a3": "AAA", "note": "{big}"}},
   "geometry": {{"type": "Polygon", "coordinates": [[[69, 39], [70, 39], [70, 40], [69, 40], [69, 39]]]}}}},
  {{"type": "Feature", "properties": {{"iso_a3": "BBB"}},
   "geometry": {{"type": "Polygon", "coordinates": [[[70, 39], [71, 39], [71, 40], [70, 40], [70, 39]]]}}}}
]}}"#
    );
    std::fs::write(dir.path().join("countries.geojson"), &countries).unwrap();
    drop(countries);
    let out = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args([
            "derive",
            "countries.geojson",
            "--a",
            "AAA",
            "--b",
            "BBB",
            "-o",
            "derived.geojson",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Status CSV: over its 64 MiB limit, refused.
    let status = format!(
        "line,from_km,to_km,status,effective_from,basis,source\nM,0,end,delimited,,sourced,{big}\n"
    );
    std::fs::write(dir.path().join("status.csv"), &status).unwrap();
    drop(status);
    let out = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args([
            "share",
            "--border",
            "border.geojson",
            "--status",
            "status.csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("status.csv: larger than the limit of 67108864 bytes"),
        "{stderr}"
    );
    // Incident CSV: a row over the 64 MiB row limit, refused; no output left.
    let incidents = format!("id,lat,lon,note\n1,39.9,70.5,ok\n2,39.9,70.5,{big}\n");
    std::fs::write(dir.path().join("in.csv"), &incidents).unwrap();
    drop(incidents);
    let out = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args(["tag", "in.csv", "-o", "tagged.csv", "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("in.csv:line 3: a CSV row longer than 67108864 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_no_files_but(
        dir.path(),
        &[
            "border.geojson",
            "countries.geojson",
            "derived.geojson",
            "in.csv",
            "status.csv",
        ],
    );
}
