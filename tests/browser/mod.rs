//! Headless Chromium for the picture tests: find it, render a page to its DOM (with a network
//! log) or to a PNG, and list the requests a page made.
//!
//! Without a browser a test is skipped with a message written straight to the terminal (not
//! through the test harness, which would swallow it), unless `CI` is set: then it fails.

#![allow(dead_code)] // each test file uses part of it

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The browser, or `None` after saying loudly that `test` is skipped (a panic under CI).
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            let fixed = Path::new("/usr/bin/chromium");
            fixed.is_file().then(|| fixed.to_path_buf())
        })
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "no chromium found (looked for $CHROMIUM, /usr/bin/chromium, chromium on PATH) and CI is set"
            );
        }
        // Straight to the terminal: the harness captures eprintln! of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "\n================================================================\n\
             SKIPPED {test}: no chromium (install it, e.g. apt-get install chromium,\n\
             or point $CHROMIUM at it); this test then checks the pictures in a browser\n\
             ================================================================"
        );
    }
    found
}

fn base_command(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Waits for `child` at most `seconds`.
fn wait(mut child: std::process::Child, seconds: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Renders `url` (a file URL, possibly with a `#fragment`) with `--dump-dom` and a network log;
/// returns (DOM, net log).
pub fn dom(browser: &Path, url: &str, work: &Path, name: &str) -> (String, Value) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let netlog = work.join(format!("{name}.netlog.json"));
    let mut child = base_command(browser, profile.path())
        .arg("--window-size=1280,800")
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(url)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut dom).unwrap();
        dom
    });
    wait(child, 40);
    let dom = reader.join().unwrap();
    let text = std::fs::read_to_string(&netlog).expect("chromium wrote no net log");
    // A log cut short at exit lacks its closing brackets.
    let log = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("net log is JSON");
    (dom, log)
}

/// Renders `url` to a PNG of `width` × `height` pixels; returns its bytes.
pub fn screenshot(browser: &Path, url: &str, work: &Path, name: &str, size: (u32, u32)) -> Vec<u8> {
    let profile = tempfile::tempdir_in(work).unwrap();
    let png = work.join(format!("{name}.png"));
    let child = base_command(browser, profile.path())
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .stdout(Stdio::null())
        .spawn()
        .expect("start chromium");
    wait(child, 40);
    std::fs::read(&png).expect("chromium wrote no screenshot")
}

/// The width and height in a PNG's header.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

/// URLs of network requests the page initiated. The browser itself fetches a few Google URLs
/// (time, update and account checks) even for a blank page; those have the initiator
/// "not an origin" and a Google host, and are left out. Everything else counts.
pub fn page_requests(log: &Value) -> Vec<String> {
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

/// Every start tag of `dom` (or of an SVG text) whose `class` attribute contains `class` as a
/// word, as (tag text, inner text up to the next `<`).
pub fn elements<'a>(dom: &'a str, class: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = dom[at..].find("class=\"") {
        let start = at + i;
        let value_start = start + "class=\"".len();
        let value_end = value_start + dom[value_start..].find('"').unwrap();
        at = value_end;
        if !dom[value_start..value_end].split(' ').any(|c| c == class) {
            continue;
        }
        let open = dom[..start].rfind('<').unwrap();
        let close = value_end + dom[value_end..].find('>').unwrap();
        let inner_end = dom[close + 1..]
            .find('<')
            .map_or(dom.len(), |j| close + 1 + j);
        out.push((&dom[open..=close], &dom[close + 1..inner_end]));
    }
    out
}

/// The value of `attribute` in a start tag, if present.
pub fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let key = format!(" {attribute}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// Whether a start tag's class list has `class`.
pub fn has_class(tag: &str, class: &str) -> bool {
    attribute(tag, "class").is_some_and(|c| c.split(' ').any(|w| w == class))
}
