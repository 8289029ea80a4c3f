//! The library's error type.
//!
//! Every variant names the file (or `-`/`<embedded>`) and, where it has one, the position in it
//! (CSV line or GeoJSON feature index), so that the CLI can print a single helpful line.

use std::path::PathBuf;

/// Where in an input something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// The file as a whole.
    File,
    /// A 1-based line of a text file (CSV line as counted by the CSV reader).
    Line(u64),
    /// A 0-based feature index of a GeoJSON FeatureCollection.
    Feature(usize),
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::File => Ok(()),
            Position::Line(n) => write!(f, ":line {n}"),
            Position::Feature(i) => write!(f, ":feature {i}"),
        }
    }
}

/// Errors raised by borderline's readers, model and writers.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// An input is malformed; `message` says how.
    #[error("{}{position}: {message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Where in it.
        position: Position,
        /// What is wrong.
        message: String,
    },
    /// Output could not be written (a full disk, a closed pipe): a failure of the run, not of
    /// its input.
    #[error("writing {}: {source}", path.display())]
    Write {
        /// The output.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A status history leaves part of a line uncovered, or covers part of it twice.
    #[error("{}: line {line:?}, km {from_km:.3}–{to_km:.3} as of {date}: {problem}", path.display())]
    Coverage {
        /// The status file.
        path: PathBuf,
        /// The line.
        line: String,
        /// Start of the stretch, km.
        from_km: f64,
        /// End of the stretch, km.
        to_km: f64,
        /// The date at which the rows in force do not tile the line.
        date: String,
        /// Gap or overlap.
        problem: String,
    },
}

impl Error {
    /// An [`Error::Input`] at `position` of `path`.
    pub fn input(path: impl Into<PathBuf>, position: Position, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            position,
            message: message.into(),
        }
    }

    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
