//! `borderline._borderline`: the compiled half of the Python package `borderline`.
//!
//! It holds a border ([`border::Core`]: the model, its texts for pickling, and a tagger built on
//! first use) and tags columns handed over as Arrow arrays, in parallel with the GIL released,
//! returning Arrow record batches. The Python half (`python/borderline/`) finds the columns of
//! pandas, GeoPandas, pyarrow and polars frames and puts the tag columns back on them.

mod arrow_in;
mod arrow_out;
mod border;
mod errors;

use pyo3::prelude::*;

/// The module: the `Core` class and the package's exception.
#[pymodule]
fn _borderline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<border::Core>()?;
    m.add(
        "BorderlineError",
        m.py().get_type::<errors::BorderlineError>(),
    )?;
    m.add("TAG_COLUMNS", borderline::tag::TAG_COLUMNS.to_vec())?;
    m.add("DATE_NAMES", borderline::input::DATE_NAMES.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
