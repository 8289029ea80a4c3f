//! An interrupted `tag -o OUT` (SIGTERM or SIGINT mid-run) leaves OUT absent or as it was
//! before (never partial) and removes its temporary file, exiting 128 + the signal number; a
//! symbolic link OUT stays a link to the unchanged file.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 300_000;

/// A CSV of `ROWS` incidents scattered over the Ferghana valley.
fn big_input(dir: &Path) -> PathBuf {
    let mut text = String::with_capacity(ROWS * 48);
    text.push_str("id,lat,lon,date,note\n");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..ROWS {
        let lat = 39.5 + 1.5 * next();
        let lon = 69.0 + 4.0 * next();
        text.push_str(&format!(
            "{i},{lat:.5},{lon:.5},2022-09-16,\"row {i}, quoted\"\n"
        ));
    }
    let path = dir.join("big.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".borderline-") && n.ends_with(".tmp"))
        .collect()
}

/// Waits until the run has written something to its temporary file (it is mid-run).
fn wait_until_writing(child: &mut Child, dir: &Path) {
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted: make the input bigger"
        );
        let writing = temp_files(dir)
            .iter()
            .any(|n| std::fs::metadata(dir.join(n)).is_ok_and(|m| m.len() > 0));
        if writing {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn wait(child: &mut Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the run did not stop after the signal");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn interrupt(signal: &str, expected_code: i32, previous: Option<&[u8]>) {
    interrupt_writing(signal, expected_code, previous, "out.csv");
}

/// Interrupts `tag -o out.csv`, where out.csv is the file `target` (itself, or the file a
/// symbolic link out.csv names).
fn interrupt_writing(signal: &str, expected_code: i32, previous: Option<&[u8]>, target: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path());
    if target != "out.csv" {
        std::os::unix::fs::symlink(target, dir.path().join("out.csv")).unwrap();
    }
    let out = dir.path().join(target);
    if let Some(bytes) = previous {
        std::fs::write(&out, bytes).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args(["tag", input.to_str().unwrap(), "-o", "out.csv", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_writing(&mut child, dir.path());
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        status.code(),
        Some(expected_code),
        "{signal}: {status:?} {stderr}"
    );
    match previous {
        None => assert!(!out.exists(), "{signal}: a partial output was left"),
        Some(bytes) => assert_eq!(
            std::fs::read(&out).unwrap(),
            bytes,
            "{signal}: the previous output was changed"
        ),
    }
    assert_eq!(
        temp_files(dir.path()),
        Vec::<String>::new(),
        "{signal}: temporary file left"
    );
    if target != "out.csv" {
        let link = std::fs::symlink_metadata(dir.path().join("out.csv")).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "{signal}: the link was replaced"
        );
    }
}

const PREVIOUS: &[u8] = b"id,lat,lon,segment_id\n1,39.9,70.5,Vorukh:001\n";

#[test]
fn sigterm_leaves_no_output() {
    interrupt("-TERM", 143, None);
}

#[test]
fn sigterm_keeps_the_previous_output() {
    interrupt("-TERM", 143, Some(PREVIOUS));
}

#[test]
fn sigterm_keeps_a_linked_output_and_its_link() {
    interrupt_writing("-TERM", 143, Some(PREVIOUS), "real.csv");
}

#[test]
fn sigint_leaves_no_output() {
    interrupt("-INT", 130, None);
}

#[test]
fn sigint_keeps_the_previous_output() {
    interrupt("-INT", 130, Some(PREVIOUS));
}

#[test]
fn sigterm_while_reading_standard_input_keeps_the_previous_output() {
    // Deterministically mid-run: the input is piped and never finished.
    let dir = tempfile::tempdir().unwrap();
    let input = std::fs::read(big_input(dir.path())).unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, PREVIOUS).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_borderline"))
        .current_dir(dir.path())
        .args(["tag", "-", "-o", "out.csv", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, &input[..input.len() / 2]).unwrap();
    wait_until_writing(&mut child, dir.path());
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait(&mut child);
    drop(stdin);
    assert_eq!(status.code(), Some(143), "{status:?}");
    assert_eq!(std::fs::read(&out).unwrap(), PREVIOUS);
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
}
