//! The README's "Your own border" commands run as written, in order.
//!
//! Every `sh` block of that section (its subsections included) is read from README.md, its
//! backslash-continued lines joined, and each command run with the built `borderline` in a
//! scratch directory that sees the repository's `data/` (so files the commands write land
//! there, not in the repository). Each must succeed.

use std::path::Path;
use std::process::Command;

/// The commands of the `sh` blocks in the README section titled `title`.
fn commands(readme: &str, title: &str) -> Vec<String> {
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no section {title:?}"));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    let section = &rest[..end];
    let mut out = Vec::new();
    let mut in_block = false;
    let mut current = String::new();
    for line in section.lines() {
        if line.starts_with("```") {
            in_block = !in_block && line.trim() == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.split(" #").next().unwrap_or("").trim_end();
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                if !current.trim().is_empty() {
                    out.push(current.trim().to_string());
                }
                current.clear();
            }
        }
    }
    out
}

/// Splits a command line into words: blanks separate, double quotes group.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

#[test]
fn your_own_border_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = commands(&readme, "Your own border");
    assert!(commands.len() >= 3, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root.join("data"), dir.path().join("data")).unwrap();
    for command in &commands {
        let words = words(command);
        assert_eq!(words[0], "borderline", "{command}");
        let out = Command::new(env!("CARGO_BIN_EXE_borderline"))
            .current_dir(dir.path())
            .args(&words[1..])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn commands_are_read_as_a_shell_would() {
    let readme = "x\n## Your own border\n\n```sh\nborderline a \\\n    \"b c\" # note\n```\n\
                  text\n```sh\nborderline d\n```\n## Next\n```sh\nborderline e\n```\n";
    let commands = commands(readme, "Your own border");
    assert_eq!(commands, ["borderline a     \"b c\"", "borderline d"]);
    assert_eq!(words(&commands[0]), ["borderline", "a", "b c"]);
}
