//! What `-o` does to what it names: devices, FIFOs and standard streams are written into, never
//! replaced; symbolic links are followed and kept; a replaced file keeps its permissions (and,
//! as root, its owner); a new file gets 0666 less the umask; write errors name the output; and
//! `tag` stops soon after its output pipe closes.

#![cfg(unix)]

use std::io::{BufRead, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_borderline");

/// A small incident CSV of `rows` rows near the Vorukh enclave.
fn incidents(rows: usize) -> String {
    let mut text = String::from("id,lat,lon,date\n");
    for i in 0..rows {
        let lat = 39.80 + (i % 100) as f64 * 0.002;
        let lon = 70.50 + (i % 37) as f64 * 0.004;
        text.push_str(&format!("{i},{lat:.4},{lon:.4},2022-09-16\n"));
    }
    text
}

fn write_input(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("in.csv");
    std::fs::write(&path, incidents(rows)).unwrap();
    path
}

fn borderline(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn succeed(args: &[&str]) -> Vec<u8> {
    let out = borderline(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What `tag INPUT` writes to standard output: what every `-o` target should receive.
fn tagged(input: &Path) -> Vec<u8> {
    succeed(&["tag", input.to_str().unwrap(), "-q"])
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".borderline-"))
        .collect()
}

/// Runs `args` (`-o TARGET` among them) and checks that the character device `device` is one
/// still and that nothing went to standard output.
fn assert_device_kept(device: &Path, args: &[&str]) {
    let out = succeed(args);
    assert!(out.is_empty(), "{args:?} wrote to stdout");
    let kind = std::fs::symlink_metadata(device).unwrap().file_type();
    assert!(
        kind.is_char_device(),
        "{args:?} turned {} into {kind:?}",
        device.display()
    );
}

#[test]
fn dev_null_stays_a_character_device() {
    let null = Path::new("/dev/null");
    if std::fs::OpenOptions::new().write(true).open(null).is_err() {
        eprintln!("skipped: /dev/null is not writable here");
        return;
    }
    if !std::fs::metadata(null)
        .unwrap()
        .file_type()
        .is_char_device()
    {
        // Some other program on this machine replaced it: the run cannot be judged by it.
        eprintln!("skipped: /dev/null is not a character device before the run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    let input = input.to_str().unwrap();
    assert_device_kept(null, &["tag", input, "-o", "/dev/null", "-q"]);
    assert_device_kept(null, &["export", "-o", "/dev/null"]);
    assert_device_kept(null, &["map", "-o", "/dev/null"]);
}

#[test]
fn a_null_device_of_our_own_stays_one() {
    // The same check on a device node made for the test (as root), which no other program
    // touches.
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot make a device node here (not root)");
        return;
    }
    let input = write_input(dir.path(), 10);
    let (input, target) = (input.to_str().unwrap(), device.to_str().unwrap());
    assert_device_kept(&device, &["tag", input, "-o", target, "-q"]);
    assert_device_kept(&device, &["export", "-o", target]);
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
}

#[test]
fn a_fifo_receives_every_row() {
    let dir = tempfile::tempdir().unwrap();
    // More rows than one batch, so that several batches reach the reader.
    let input = write_input(dir.path(), 40_000);
    let fifo = dir.path().join("rows.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    succeed(&[
        "tag",
        input.to_str().unwrap(),
        "-o",
        fifo.to_str().unwrap(),
        "-q",
    ]);
    let received = reader.join().unwrap();
    assert_eq!(received, tagged(&input));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
}

#[test]
fn a_symbolic_link_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    let data = dir.path().join("data");
    let links = dir.path().join("links");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&links).unwrap();
    let target = data.join("tagged.csv");
    std::fs::write(&target, "old\n").unwrap();
    // links/latest.csv -> current.csv -> ../data/tagged.csv (relative, in another directory).
    std::os::unix::fs::symlink("../data/tagged.csv", links.join("current.csv")).unwrap();
    std::os::unix::fs::symlink("current.csv", links.join("latest.csv")).unwrap();
    let latest = links.join("latest.csv");
    succeed(&[
        "tag",
        input.to_str().unwrap(),
        "-o",
        latest.to_str().unwrap(),
        "-q",
    ]);
    for link in ["latest.csv", "current.csv"] {
        let kind = std::fs::symlink_metadata(links.join(link))
            .unwrap()
            .file_type();
        assert!(kind.is_symlink(), "{link} was replaced by {kind:?}");
    }
    assert_eq!(std::fs::read(&target).unwrap(), tagged(&input));
    assert_eq!(temp_files(&data), Vec::<String>::new());
    assert_eq!(temp_files(&links), Vec::<String>::new());

    // A link to a file not yet there creates the file it names, as a shell redirection does.
    std::os::unix::fs::symlink("../data/new.csv", links.join("dangling.csv")).unwrap();
    let dangling = links.join("dangling.csv");
    succeed(&[
        "tag",
        input.to_str().unwrap(),
        "-o",
        dangling.to_str().unwrap(),
        "-q",
    ]);
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(data.join("new.csv")).unwrap(), tagged(&input));
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_replaced_file_keeps_its_permission_bits() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    let out = dir.path().join("out.csv");
    for bits in [0o600, 0o640, 0o604] {
        std::fs::write(&out, "old\n").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(bits)).unwrap();
        succeed(&[
            "tag",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(mode(&out), bits, "chmod {bits:o} was not kept");
        assert_eq!(std::fs::read(&out).unwrap(), tagged(&input));
    }
}

#[test]
fn a_replaced_file_keeps_its_owner_when_run_as_root() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "old\n").unwrap();
    if std::fs::metadata(&out).unwrap().uid() != 0 {
        eprintln!("skipped: not running as root");
        return;
    }
    std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
    succeed(&[
        "tag",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    let metadata = std::fs::metadata(&out).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (65534, 65534));
}

#[test]
fn a_new_file_gets_the_umask_mode() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    for (umask, expected) in [("027", 0o640), ("002", 0o664), ("077", 0o600)] {
        let out = dir.path().join(format!("new-{umask}.csv"));
        let status = Command::new("sh")
            .args(["-c", &format!("umask {umask} && exec \"$@\""), "sh", BIN])
            .args(["tag", input.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .arg("-q")
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(mode(&out), expected, "umask {umask}");
    }
}

#[test]
fn dev_stdout_is_written_into_not_replaced() {
    if !Path::new("/dev/stdout").exists() {
        eprintln!("skipped: no /dev/stdout here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    // Standard output is a file opened for appending (`>> log.csv`): the run must append to
    // it, not replace the file behind /dev/stdout.
    let log = dir.path().join("log.csv");
    std::fs::write(&log, "previous\n").unwrap();
    let appending = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let status = Command::new(BIN)
        .args(["tag", input.to_str().unwrap(), "-o", "/dev/stdout", "-q"])
        .stdout(appending)
        .status()
        .unwrap();
    assert!(status.success());
    let mut expected = b"previous\n".to_vec();
    expected.extend(tagged(&input));
    assert_eq!(std::fs::read(&log).unwrap(), expected);
}

#[test]
fn write_errors_name_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), 10);
    let input = input.to_str().unwrap();
    if Path::new("/dev/full").exists() {
        for args in [
            &["tag", input, "-o", "/dev/full", "-q"][..],
            &["export", "-o", "/dev/full"][..],
        ] {
            let out = borderline(args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(stderr.contains("writing /dev/full: "), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
    let folder = dir.path().to_str().unwrap();
    let out = borderline(&["tag", input, "-o", folder, "-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr.contains(folder), "{stderr}");
    let missing = dir.path().join("no-such-dir/out.csv");
    let out = borderline(&["tag", input, "-o", missing.to_str().unwrap(), "-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr.contains("no-such-dir/out.csv"), "{stderr}");
    assert!(!stderr.contains(".borderline-"), "{stderr}");
}

#[test]
fn tag_stops_soon_after_its_output_pipe_closes() {
    let mut child = Command::new(BIN)
        .args(["tag", "-", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A slow input: a row every 20 ms for up to two minutes, stopping when tag is gone.
    let feeder = std::thread::spawn(move || {
        let started = Instant::now();
        let mut rows = incidents(6_000).into_bytes().into_iter().peekable();
        let mut line = Vec::new();
        while started.elapsed() < Duration::from_secs(120) && rows.peek().is_some() {
            line.clear();
            line.extend(rows.by_ref().take_while(|&b| b != b'\n'));
            line.push(b'\n');
            if stdin.write_all(&line).and_then(|()| stdin.flush()).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    });
    // `| head -1`: read the header, then close the pipe.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut header = String::new();
    stdout.read_line(&mut header).unwrap();
    assert!(header.starts_with("id,lat,lon,date,segment_id"), "{header}");
    drop(stdout);
    let closed = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if closed.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("tag kept reading its input a minute after its output closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    // A reader going away is not a failure (as for `cat … | head`).
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(feeder.join().unwrap(), "the input ended before tag stopped");
}
