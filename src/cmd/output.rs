//! Where `-o` writes: standard output, straight into a device or FIFO, or a regular file
//! replaced atomically — and the clean-up that keeps an interrupted run from leaving anything
//! behind.
//!
//! What `-o PATH` does depends on what PATH is when the run starts:
//! - `-`, `/dev/stdout`, `/dev/fd/1` (and `/dev/stderr`, `/dev/fd/2`): the process's own stream,
//!   so that `-o /dev/stdout >> log` appends as the shell arranged;
//! - an existing file that is not a regular file (a character device such as `/dev/null`, a FIFO,
//!   a terminal): opened and written into directly, never replaced — replacing `/dev/null` with
//!   a regular file, as root, would break every other program on the machine;
//! - a symbolic link: followed (link after link); what it finally names is written as below, and
//!   the link stays a link;
//! - a regular file, or nothing yet: the data goes to a temporary file in the same directory,
//!   renamed over the target only when the run succeeds, so a failed or interrupted run leaves
//!   the target as it was. An existing file keeps its permission bits (and, where the user may
//!   change them, its owner and group); a new file gets mode 0666 less the umask, like a file a
//!   shell redirection creates.
//!
//! Write errors name the output path, e.g. `writing tagged.csv: No space left on device`.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use borderline::error::{Error, Result};
use borderline::io::is_std;

/// Symbolic links followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Temporary files of [`Output`]s not yet committed, removed when a signal ends the run.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of unfinished [`Output`]s and
/// end the process with exit code 128 + the signal number (130 for SIGINT, 143 for SIGTERM),
/// so that an interrupted run leaves every `-o` target as it was. Call once, early in `main`.
pub fn clean_up_on_signals() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // The lock is held until the end: no output is created or committed meanwhile.
                    let files = pending();
                    for path in files.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    signal_hook::low_level::exit(128 + signal);
                }
            })?;
    }
    Ok(())
}

/// A write error of an [`Output`], naming its path; carried inside a [`std::io::Error`] of the
/// original kind, so that a closed pipe is still recognised as one.
#[derive(Debug)]
pub struct OutputError {
    path: PathBuf,
    source: std::io::Error,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "writing {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// What `-o` named, once symbolic links are followed.
enum Target {
    /// The process's standard output (1) or standard error (2).
    Stream(u32),
    /// An existing file that is not a regular file, or a descriptor of another open file.
    Direct(PathBuf),
    /// A regular file to replace (with its metadata) or to create (`None`).
    Regular(PathBuf, Option<Metadata>),
}

/// The descriptor number `N` when `path` is `/dev/fd/N`, `/proc/self/fd/N` or
/// `/proc/thread-self/fd/N` (1 for `/dev/stdout`, 2 for `/dev/stderr`): a view of an already
/// open file, which must not be replaced.
fn descriptor(path: &Path) -> Option<u32> {
    let parts: Vec<Component> = path.components().collect();
    let names: Vec<&str> = parts
        .iter()
        .filter_map(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    if !matches!(parts.first(), Some(Component::RootDir)) || names.len() + 1 != parts.len() {
        return None;
    }
    match names.as_slice() {
        ["dev", "stdout"] => Some(1),
        ["dev", "stderr"] => Some(2),
        ["dev", "fd", n] | ["proc", "self" | "thread-self", "fd", n] => n.parse().ok(),
        _ => None,
    }
}

/// Follows `path` through symbolic links to what it finally names.
fn resolve(path: &Path) -> Result<Target> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match descriptor(&current) {
            Some(n @ (1 | 2)) => return Ok(Target::Stream(n)),
            Some(_) => return Ok(Target::Direct(current)),
            None => {}
        }
        let metadata = match std::fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target::Regular(current, None));
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        if metadata.file_type().is_symlink() {
            let link = std::fs::read_link(&current).map_err(|e| Error::io(path, e))?;
            current = match current.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            };
        } else if metadata.is_file() {
            return Ok(Target::Regular(current, Some(metadata)));
        } else {
            return Ok(Target::Direct(current));
        }
    }
    Err(Error::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// The temporary file beside a regular target, renamed over it on commit.
struct Replacement {
    temp: tempfile::NamedTempFile,
    /// The file renamed over: the end of the symbolic links `-o` named.
    target: PathBuf,
    /// The replaced file's metadata, whose permissions and owner the new file takes.
    previous: Option<Metadata>,
}

/// An output as `-o` names it (see the module documentation).
pub struct Output {
    /// The path as given, for messages.
    path: PathBuf,
    replacement: Option<Replacement>,
    writer: BufWriter<Box<dyn Write + Send>>,
}

impl Output {
    /// Opens `path` for writing (`-` or `None`: standard output).
    pub fn create(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path.filter(|p| !is_std(p)) else {
            return Ok(Output::new("standard output".into(), None, std_stream(1)));
        };
        let (replacement, sink): (_, Box<dyn Write + Send>) = match resolve(path)? {
            Target::Stream(n) => (None, std_stream(n)),
            Target::Direct(target) => {
                // No truncation: a device or FIFO has nothing to truncate, and another open
                // file seen through /dev/fd keeps whatever its opener arranged.
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| Error::io(path, e))?;
                (None, Box::new(file))
            }
            Target::Regular(target, previous) => {
                let replacement = Replacement::create(path, target, previous)?;
                let file = replacement.temp.reopen().map_err(|e| Error::io(path, e))?;
                (Some(replacement), Box::new(file))
            }
        };
        Ok(Output::new(path.to_path_buf(), replacement, sink))
    }

    fn new(path: PathBuf, replacement: Option<Replacement>, sink: Box<dyn Write + Send>) -> Self {
        Output {
            path,
            replacement,
            writer: BufWriter::with_capacity(1 << 16, sink),
        }
    }

    /// Whether the output is a file replaced only on [`Output::commit`]; otherwise what is
    /// written goes straight to a stream, device or FIFO and cannot be taken back.
    pub fn is_atomic(&self) -> bool {
        self.replacement.is_some()
    }

    /// Flushes and, for a regular file, renames the temporary file over the target.
    pub fn commit(mut self) -> Result<()> {
        self.writer.flush().map_err(|e| self.write_error(e))?;
        if let Some(replacement) = self.replacement.take() {
            replacement.commit(&self.path)?;
        }
        Ok(())
    }

    fn write_error(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    fn named(&self, source: std::io::Error) -> std::io::Error {
        std::io::Error::new(
            source.kind(),
            OutputError {
                path: self.path.clone(),
                source,
            },
        )
    }
}

/// The process's standard output (1) or standard error (2).
fn std_stream(n: u32) -> Box<dyn Write + Send> {
    if n == 2 {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    }
}

impl Replacement {
    /// A temporary file in `target`'s directory; `path` (as given) names it in errors.
    fn create(path: &Path, target: PathBuf, previous: Option<Metadata>) -> Result<Self> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".borderline-").suffix(".tmp");
        #[cfg(unix)]
        {
            // Created with the mode the file will have (the umask narrows it, as for any new
            // file): a private file is never readable by others, not even while written.
            use std::os::unix::fs::PermissionsExt;
            let mode = previous
                .as_ref()
                .map_or(0o666, |m| m.permissions().mode() & 0o777);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let mut pending = pending();
        let temp = builder.tempfile_in(dir).map_err(|e| {
            // tempfile's message ends with the temporary file's path: say it in the user's terms.
            let reason = std::fs::metadata(dir)
                .err()
                .unwrap_or_else(|| std::io::Error::from(e.kind()));
            let message = format!("cannot create a file in {}: {reason}", dir.display());
            Error::io(path, std::io::Error::new(e.kind(), message))
        })?;
        pending.push(temp.path().to_path_buf());
        Ok(Replacement {
            temp,
            target,
            previous,
        })
    }

    fn commit(self, path: &Path) -> Result<()> {
        let file = self.temp.as_file();
        let failed = |source| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        file.sync_all().map_err(failed)?;
        if let Some(previous) = &self.previous {
            keep_owner_and_mode(file, previous).map_err(|e| Error::io(path, e))?;
        }
        let mut pending = pending();
        pending.retain(|p| p != self.temp.path());
        self.temp
            .persist(&self.target)
            .map_err(|e| Error::io(path, e.error))?;
        Ok(())
    }
}

/// Gives `file` the owner, group and permission bits of the file it replaces. Owner and group
/// are kept where this user may set them (root, or a group the user is in) and otherwise left
/// as created; the mode is set after them, since a change of owner clears set-user-ID bits.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, previous: &Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let created = file.metadata()?;
    if (created.uid(), created.gid()) != (previous.uid(), previous.gid()) {
        let _ = std::os::unix::fs::fchown(file, Some(previous.uid()), Some(previous.gid()))
            .or_else(|_| std::os::unix::fs::fchown(file, None, Some(previous.gid())));
    }
    file.set_permissions(std::fs::Permissions::from_mode(
        previous.permissions().mode() & 0o7777,
    ))
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, previous: &Metadata) -> std::io::Result<()> {
    file.set_permissions(previous.permissions())
}

impl Drop for Output {
    fn drop(&mut self) {
        // An uncommitted temporary file is deleted by its drop, under the lock so that a
        // signal cannot end the process between the two.
        if let Some(replacement) = self.replacement.take() {
            let mut pending = pending();
            pending.retain(|p| p != replacement.temp.path());
            drop(replacement);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf).map_err(|e| self.named(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush().map_err(|e| self.named(e))
    }
}

#[cfg(test)]
mod tests {
    use super::descriptor;
    use std::path::Path;

    #[test]
    fn descriptors_are_recognised_by_their_paths() {
        assert_eq!(descriptor(Path::new("/dev/fd/1")), Some(1));
        assert_eq!(descriptor(Path::new("/dev/stdout")), Some(1));
        assert_eq!(descriptor(Path::new("/proc/self/fd/7")), Some(7));
        assert_eq!(descriptor(Path::new("/proc/thread-self/fd/2")), Some(2));
        assert_eq!(descriptor(Path::new("dev/fd/1")), None);
        assert_eq!(descriptor(Path::new("/dev/fd/x")), None);
        assert_eq!(descriptor(Path::new("/dev/fd/../fd/1")), None);
        assert_eq!(descriptor(Path::new("/tmp/dev/fd/1")), None);
    }
}
