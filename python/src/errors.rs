//! The library's errors as Python exceptions, with the command line's text: the settings they
//! mention are spelled as the Python keywords that take them (`lat=` where the command line
//! says `--lat`).

use borderline::setting::{Setting, spell};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyPermissionError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    borderline,
    BorderlineError,
    PyValueError,
    "Bad input: a border, status table or data frame borderline cannot use (the message says \
     which and where, as the command line does)."
);

/// What names a data frame in the library's messages; such messages lose the name, which
/// would only say "the frame".
pub const FRAME: &str = "<frame>";

/// How the Python package spells a setting the library's messages mention: as the keyword
/// argument that takes it (`date_order=`).
pub fn keyword(setting: Setting) -> String {
    format!("{}=", setting.key())
}

/// `message` with the settings it mentions spelled as Python keywords.
pub fn python_words(message: &str) -> String {
    spell(message, keyword)
}

/// The exception for a library error.
pub fn to_py(error: borderline::Error) -> PyErr {
    match error {
        borderline::Error::Io { ref source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(error.to_string()),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(error.to_string()),
            _ => PyOSError::new_err(error.to_string()),
        },
        borderline::Error::Input { path, message, .. } if path.as_os_str() == FRAME => {
            BorderlineError::new_err(python_words(&message))
        }
        error => BorderlineError::new_err(error.spelled(keyword)),
    }
}

/// A `BorderlineError` with `message`.
pub fn bad(message: impl Into<String>) -> PyErr {
    BorderlineError::new_err(message.into())
}
