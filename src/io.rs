//! Reading inputs and writing outputs: `-` for standard streams, atomic file replacement.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Position, Result};

/// Whether `path` names a standard stream.
pub fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a whole text file (or standard input for `-`), refusing more than `limit` bytes and
/// text that is not UTF-8. A leading byte-order mark is dropped.
pub fn read_to_string(path: &Path, limit: u64) -> Result<String> {
    let mut bytes = Vec::new();
    let read = if is_std(path) {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::input(
            path,
            Position::File,
            format!("larger than the limit of {limit} bytes"),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Error::input(
            path,
            Position::File,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// An output that is either standard output or a file replaced atomically on [`Output::commit`]:
/// the data goes to a temporary file beside the target, renamed over it only when complete, so
/// a failed or interrupted run never leaves a partial file.
pub struct Output {
    target: Option<PathBuf>,
    temp: Option<tempfile::NamedTempFile>,
    writer: BufWriter<Box<dyn Write + Send>>,
}

impl Output {
    /// Opens `path` for writing (`-` or `None`: standard output).
    pub fn create(path: Option<&Path>) -> Result<Output> {
        match path.filter(|p| !is_std(p)) {
            None => Ok(Output {
                target: None,
                temp: None,
                writer: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
            }),
            Some(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let temp = tempfile::Builder::new()
                    .prefix(".borderline-")
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .map_err(|e| Error::io(path, e))?;
                let file = temp.reopen().map_err(|e| Error::io(path, e))?;
                Ok(Output {
                    target: Some(path.to_path_buf()),
                    temp: Some(temp),
                    writer: BufWriter::with_capacity(1 << 16, Box::new(file)),
                })
            }
        }
    }

    /// The path written to, for messages (`-` for standard output).
    pub fn path(&self) -> PathBuf {
        self.target.clone().unwrap_or_else(|| PathBuf::from("-"))
    }

    /// Flushes and, for a file, renames the temporary file over the target.
    pub fn commit(mut self) -> Result<()> {
        let path = self.path();
        let failed = |source| Error::Write {
            path: path.clone(),
            source,
        };
        self.writer.flush().map_err(failed)?;
        if let (Some(temp), Some(target)) = (self.temp.take(), self.target.take()) {
            temp.as_file().sync_all().map_err(failed)?;
            #[cfg(unix)]
            {
                // Temporary files are private (0600); the result should be an ordinary file.
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::Permissions::from_mode(0o644);
                temp.as_file()
                    .set_permissions(mode)
                    .map_err(|e| Error::io(&path, e))?;
            }
            temp.persist(&target)
                .map_err(|e| Error::io(&target, e.error))?;
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}
