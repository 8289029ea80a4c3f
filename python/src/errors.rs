//! The library's errors as Python exceptions, with the command line's text: option names are
//! spelled as the Python keywords that take their place (`--lat` → `lat=`).

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

/// The command line's option names and the Python keywords for them, longest first.
const KEYWORDS: [(&str, &str); 10] = [
    ("--date-order dmy|mdy", "date_order=\"dmy\" or \"mdy\""),
    ("--date-order", "date_order="),
    ("--precision-col", "precision="),
    ("--coarse-precision", "coarse_precision="),
    ("--prefix bl_", "prefix=\"bl_\""),
    ("--prefix", "prefix="),
    ("--max-distance", "max_distance="),
    ("--date", "date="),
    ("--lat", "lat="),
    ("--lon", "lon="),
];

/// `message` with the command line's option names spelled as Python keywords.
pub fn python_words(message: &str) -> String {
    KEYWORDS
        .iter()
        .fold(message.to_string(), |text, (flag, keyword)| {
            text.replace(flag, keyword)
        })
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
        error => BorderlineError::new_err(python_words(&error.to_string())),
    }
}

/// A `BorderlineError` with `message`.
pub fn bad(message: impl Into<String>) -> PyErr {
    BorderlineError::new_err(message.into())
}
