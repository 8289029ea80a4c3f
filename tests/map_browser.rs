//! Renders `borderline map` in headless Chromium and checks the DOM it builds: one path per
//! segment, the enclave, one marker per usable incident, a legend equal to `borderline share`,
//! and no network request from the page.
//!
//! Without a browser the test is skipped with a loud message, unless `CI` is set: then it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const DATE: &str = "2022-10-07";
/// Usable rows of `tests/fixtures/tagged_incidents.csv` (8 rows, one with a tag_error, one
/// with unparsable coordinates).
const INCIDENTS: usize = 6;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return Some(p);
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `--dump-dom` and a network log; returns (DOM, net log).
fn render(browser: &Path, page: &Path, work: &Path) -> (String, Value) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let netlog = work.join(format!(
        "{}.netlog.json",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut dom).unwrap();
        dom
    });
    let deadline = Instant::now() + Duration::from_secs(25);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 25 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = reader.join().unwrap();
    let text = std::fs::read_to_string(&netlog).expect("chromium wrote no net log");
    // A log cut short at exit lacks its closing brackets.
    let log = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("net log is JSON");
    (dom, log)
}

/// URLs of network requests the page initiated. The browser itself fetches a few Google URLs
/// (time, update and account checks) even for a blank page; those have the initiator
/// "not an origin" and a Google host, and are left out. Everything else counts.
fn page_requests(log: &Value) -> Vec<String> {
    let types = &log["constants"]["logEventTypes"];
    let start_job = types["URL_REQUEST_START_JOB"].as_i64().expect("event type");
    let browser_host = |url: &str| {
        let host = url.split_once("://").map_or("", |(_, rest)| {
            rest.split(['/', ':', '?']).next().unwrap_or("")
        });
        ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    };
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start_job))
        .filter_map(|e| {
            let url = e["params"]["url"].as_str()?;
            let scheme = url.split(':').next().unwrap_or("");
            if ["file", "data", "blob", "about", "chrome"].contains(&scheme) {
                return None;
            }
            let internal = e["params"]["initiator"] == "not an origin" && browser_host(url);
            (!internal).then(|| url.to_string())
        })
        .collect()
}

/// Values of `attribute` on every element of the DOM text that has `class="CLASS"`.
fn attributes(dom: &str, class: &str, attribute: &str) -> Vec<String> {
    dom.match_indices(&format!("class=\"{class}\""))
        .map(|(i, _)| {
            let start = dom[..i].rfind('<').unwrap();
            let tag = &dom[start..start + dom[start..].find('>').unwrap()];
            let key = format!("{attribute}=\"");
            let at = tag
                .find(&key)
                .unwrap_or_else(|| panic!("no {attribute} in {tag}"))
                + key.len();
            tag[at..at + tag[at..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn map_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "no chromium found (looked for $CHROMIUM, /usr/bin/chromium, chromium on PATH) and CI is set"
            );
        }
        eprintln!(
            "\n================================================================\n\
             SKIPPED: no chromium (map_browser test needs /usr/bin/chromium or chromium on PATH)\n\
             ================================================================\n"
        );
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("map.html");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tagged_incidents.csv");
    let bin = env!("CARGO_BIN_EXE_borderline");
    let run = Command::new(bin)
        .args(["map", "--as-of", DATE, "--incidents"])
        .arg(&fixture)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let (dom, log) = render(&browser, &page, work.path());
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page did not finish drawing: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(!dom.contains("id=\"error\""), "the page reported an error");
    let count = |kind: &str| dom.matches(&format!("data-kind=\"{kind}\"")).count();
    let border = borderline::Border::embedded();
    assert_eq!(count("segment"), border.segments.len());
    assert_eq!(count("enclave"), 1);
    assert_eq!(count("incident"), INCIDENTS);
    assert_eq!(count("link"), INCIDENTS);
    assert!(
        dom.contains(&format!("as of {DATE}</h1>")),
        "title without the date"
    );

    // The legend is `share`'s table for the same date.
    let share = Command::new(bin)
        .args(["share", "--as-of", DATE, "--format", "json"])
        .output()
        .unwrap();
    assert!(share.status.success());
    let share: Value = serde_json::from_slice(&share.stdout).unwrap();
    let expected = share["statuses"].as_object().unwrap();
    let statuses = attributes(&dom, "legend-item", "data-status");
    let shares = attributes(&dom, "legend-item", "data-share");
    let kms = attributes(&dom, "legend-item", "data-km");
    assert_eq!(statuses.len(), expected.len(), "legend {statuses:?}");
    for ((status, s), km) in statuses.iter().zip(&shares).zip(&kms) {
        let want = &expected[status.as_str()];
        let got: f64 = s.parse().unwrap();
        assert!(
            (got - want["share"].as_f64().unwrap()).abs() < 1e-6,
            "{status}: legend share {got}, share says {}",
            want["share"]
        );
        let got_km: f64 = km.parse().unwrap();
        assert!((got_km - want["km"].as_f64().unwrap()).abs() < 1e-3);
    }
    assert_eq!(share["modelled"], true);
    assert!(
        dom.contains("id=\"footnote\">"),
        "modelled footnote missing"
    );

    let requests = page_requests(&log);
    assert!(
        requests.is_empty(),
        "the map made network requests: {requests:?}"
    );

    // The filter does see requests a page makes (so an empty list above means something).
    let control = work.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><img src=\"http://127.0.0.1:9/tile.png\">\
         <script>fetch('http://127.0.0.1:9/data.json').catch(function () {});</script>",
    )
    .unwrap();
    let (_, log) = render(&browser, &control, work.path());
    let requests = page_requests(&log);
    assert!(
        requests.iter().any(|u| u.contains("127.0.0.1:9/tile.png")),
        "the net log filter missed a page request: {requests:?}"
    );
}
