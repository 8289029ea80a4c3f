//! `Core`: a border for Python — the model, the texts it was built from (what a pickle carries,
//! so that a worker rebuilds it without deriving or reading files again), and a tagger whose
//! indexes are built on first use.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, RecordBatch, make_array};
use arrow_data::ArrayData;
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use borderline::Border;
use borderline::border::{BUNDLED, BundledSet};
use borderline::date::{Date, DateOrder, parse_iso_date};
use borderline::derive::{Countries, DeriveOptions, derive};
use borderline::input::InputOptions;
use borderline::input::{ColumnChoice, detect_columns, detect_context_columns};
use borderline::render::Format;
use borderline::report::{ReportBy, ReportColumns, ReportInput, ReportOptions, build};
use borderline::share::{ShareBy, ShareReport};
use borderline::tag::TaggedFile;
use borderline::tag::frame::{Frame, FrameTagger, Named};
use borderline::tag::{TagColumns, TagDictionaries, Tagger};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;

use crate::arrow_in::values;
use crate::arrow_out::{Batch, Values, schema};
use crate::errors::{FRAME, bad, to_py};

/// Rows per output batch (and per parallel task).
const BATCH_ROWS: usize = 16_384;

/// What a border is rebuilt from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// A bundled set with its own status history, by name.
    Bundled(String),
    /// A border GeoJSON text and, optionally, a status CSV text, each with the name of the
    /// file it came from (for messages).
    Texts {
        border_name: String,
        border: String,
        status: Option<(String, String)>,
    },
}

/// The bundled set called `name`.
fn bundled(name: &str) -> PyResult<&'static BundledSet> {
    BundledSet::find(name).ok_or_else(|| {
        let names: Vec<&str> = BUNDLED.iter().map(|s| s.name).collect();
        bad(format!(
            "no bundled border set {name:?} (there are {})",
            names.join(", ")
        ))
    })
}

impl Source {
    fn build(&self) -> PyResult<Border> {
        match self {
            Source::Bundled(name) => bundled(name)?.load(None).map_err(to_py),
            Source::Texts {
                border_name,
                border,
                status,
            } => Border::from_texts(
                Path::new(border_name),
                border,
                status
                    .as_ref()
                    .map(|(name, text)| (Path::new(name.as_str()), text.as_str())),
            )
            .map_err(to_py),
        }
    }
}

/// The parts of tagging that are built once per border.
struct Tagging {
    tagger: Tagger,
    dictionaries: TagDictionaries,
    values: Values,
}

/// A border, ready to share, tag and travel (see the module docs).
#[pyclass(frozen, module = "borderline._borderline")]
pub struct Core {
    source: Source,
    border: Arc<Border>,
    tagging: OnceLock<Tagging>,
}

impl Core {
    fn new(source: Source) -> PyResult<Self> {
        let border = source.build()?;
        Ok(Core {
            source,
            border: Arc::new(border),
            tagging: OnceLock::new(),
        })
    }

    fn tagging(&self) -> &Tagging {
        self.tagging.get_or_init(|| {
            let dictionaries = TagDictionaries::new(&self.border);
            Tagging {
                tagger: Tagger::new(self.border.clone()),
                values: Values::new(&dictionaries),
                dictionaries,
            }
        })
    }
}

/// Reads a text file as the command line does (size limit, UTF-8, byte-order mark dropped).
fn read_text(path: &Path, limit: u64) -> PyResult<String> {
    borderline::io::read_to_string(path, limit).map_err(to_py)
}

fn name_of(path: &Path) -> String {
    path.display().to_string()
}

/// A date argument: `YYYY-MM-DD`, or `None` for today (UTC), as `--as-of`.
fn date_or_today(text: Option<&str>, what: &str) -> PyResult<Date> {
    match text {
        None => Ok(borderline::date::today()),
        Some(t) => parse_iso_date(t).map_err(|e| bad(format!("{what}: {e}"))),
    }
}

/// An array handed over from Python.
fn array(object: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    Ok(make_array(ArrayData::from_pyarrow_bound(object)?))
}

#[pymethods]
impl Core {
    /// The default bundled border (Kyrgyz–Tajik) with its modelled status history.
    #[staticmethod]
    fn embedded() -> PyResult<Self> {
        Core::new(Source::Bundled(BUNDLED[0].name.to_string()))
    }

    /// The bundled sets: `(name, description)` each, the default first.
    #[staticmethod]
    fn bundled_sets() -> Vec<(&'static str, &'static str)> {
        BUNDLED.iter().map(|s| (s.name, s.description)).collect()
    }

    /// A border as `--border`/`--status` name it: `border` is a bundled set's name or a border
    /// GeoJSON file (none: the default set); a bundled set comes with its own status history
    /// unless `status` is given, a file with none (or its lines' own) unless `status` is given.
    #[staticmethod]
    #[pyo3(signature = (border=None, status=None))]
    fn load(border: Option<PathBuf>, status: Option<PathBuf>) -> PyResult<Self> {
        let status = status
            .map(|path| {
                read_text(&path, borderline::status::MAX_STATUS_BYTES)
                    .map(|text| (name_of(&path), text))
            })
            .transpose()?;
        let set = match &border {
            None => Some(&BUNDLED[0]),
            Some(path) => path.to_str().and_then(BundledSet::find),
        };
        let source = match (set, border, status) {
            (Some(set), _, None) => Source::Bundled(set.name.to_string()),
            (Some(set), _, Some(status)) => Source::Texts {
                border_name: format!("<bundled {}>/border.geojson", set.name),
                border: set.geojson().to_string(),
                status: Some(status),
            },
            (None, Some(path), status) => Source::Texts {
                border: read_text(&path, borderline::geojson_in::MAX_GEOJSON_BYTES)?,
                border_name: name_of(&path),
                status,
            },
            (None, None, _) => unreachable!("no border is the default bundled set"),
        };
        Core::new(source)
    }

    /// The shared boundary of countries `a` and `b` (both `None`: of every pair that shares
    /// one) of a GeoJSON of country (Multi)Polygons, with their enclaves, as `borderline derive`
    /// writes it (no status history).
    #[staticmethod]
    #[pyo3(signature = (countries, a=None, b=None, key="iso_a3".to_string(), tolerance_m=1.0, max_gap_m=borderline::derive::DEFAULT_MAX_GAP_M))]
    fn derive(
        py: Python<'_>,
        countries: PathBuf,
        a: Option<String>,
        b: Option<String>,
        key: String,
        tolerance_m: f64,
        max_gap_m: f64,
    ) -> PyResult<Self> {
        for (what, metres) in [("tolerance_m", tolerance_m), ("max_gap_m", max_gap_m)] {
            if !(metres.is_finite() && metres >= 0.0) {
                return Err(bad(format!(
                    "{what}={metres}: expected a distance in metres"
                )));
            }
        }
        if a.is_some() != b.is_some() {
            return Err(bad("give both a= and b=, or neither (every pair)"));
        }
        let text = py.detach(|| -> borderline::Result<Vec<u8>> {
            let read = Countries::read(&countries, &key)?;
            let options = DeriveOptions {
                pair: a.zip(b),
                tolerance_m,
                max_gap_m,
                names: Vec::new(),
            };
            let derived = derive(&read, &options, &mut |_| {})?;
            let source = countries
                .file_name()
                .map_or_else(|| "-".to_string(), |n| n.to_string_lossy().into_owned());
            let credits: Vec<(&str, &str)> = ["attribution", "license"]
                .into_iter()
                .filter_map(|member| Some((member, read.credit(member)?)))
                .collect();
            let mut out = Vec::new();
            derived
                .write_geojson(&mut out, &source, &key, &credits)
                .map_err(|e| borderline::Error::io(&countries, e))?;
            Ok(out)
        });
        let text = String::from_utf8(text.map_err(to_py)?)
            .map_err(|_| bad("derived GeoJSON is not UTF-8"))?;
        Core::new(Source::Texts {
            border_name: format!("derived from {}", countries.display()),
            border: text,
            status: None,
        })
    }

    /// Rebuilds a border from [`Core::state`].
    #[staticmethod]
    fn from_state(state: (String, String, String, Option<(String, String)>)) -> PyResult<Self> {
        let (kind, border_name, border, status) = state;
        match kind.as_str() {
            "bundled" => Core::new(Source::Bundled(border_name)),
            "texts" => Core::new(Source::Texts {
                border_name,
                border,
                status,
            }),
            other => Err(bad(format!("unknown border state {other:?}"))),
        }
    }

    /// What a pickle carries: `(kind, border name, border GeoJSON, (status name, status CSV))`.
    fn state(&self) -> (String, String, String, Option<(String, String)>) {
        match &self.source {
            Source::Bundled(name) => ("bundled".into(), name.clone(), String::new(), None),
            Source::Texts {
                border_name,
                border,
                status,
            } => (
                "texts".into(),
                border_name.clone(),
                border.clone(),
                status.clone(),
            ),
        }
    }

    /// The border's name (`Kyrgyzstan–Tajikistan`).
    #[getter]
    fn name(&self) -> String {
        self.border.name.clone()
    }

    /// Total geodesic length of its lines, km.
    #[getter]
    fn total_km(&self) -> f64 {
        self.border.total_km()
    }

    /// The IDs of its lines, of its segments, and the names of its enclaves.
    fn ids(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let b = &self.border;
        (
            b.lines.iter().map(|l| l.id.clone()).collect(),
            b.segments.iter().map(|s| s.id.clone()).collect(),
            b.enclaves.iter().map(|e| e.name.clone()).collect(),
        )
    }

    /// `borderline share --format json` (the document's text).
    #[pyo3(signature = (as_of=None, by=None, history=false))]
    fn share_json(&self, as_of: Option<&str>, by: Option<&str>, history: bool) -> PyResult<String> {
        let report = if history {
            if as_of.is_some() || by.is_some() {
                return Err(bad(
                    "history=True gives every date: as_of and by do not apply",
                ));
            }
            ShareReport::history(&self.border)
        } else {
            let by = match by {
                None => None,
                Some("line") => Some(ShareBy::Line),
                Some("border") => Some(ShareBy::Border),
                Some(other) => {
                    return Err(bad(format!(
                        "by={other:?}: expected \"line\" or \"border\""
                    )));
                }
            };
            ShareReport::at(&self.border, date_or_today(as_of, "as_of")?, by)
        };
        Ok(crate::errors::python_words(
            &report.render(Format::Json).text,
        ))
    }

    /// `borderline report --format json` of a tagged table written as CSV text (`csv`), with
    /// `report`'s options.
    #[pyo3(signature = (csv, by="status", from_date=None, to_date=None, date=None, date_order=None, fatalities=None, reference="delimited", max_distance=20_000.0, all=false))]
    #[allow(clippy::too_many_arguments)]
    fn report_json(
        &self,
        py: Python<'_>,
        csv: Vec<u8>,
        by: &str,
        from_date: Option<&str>,
        to_date: Option<&str>,
        date: Option<String>,
        date_order: Option<&str>,
        fatalities: Option<String>,
        reference: &str,
        max_distance: f64,
        all: bool,
    ) -> PyResult<String> {
        let by = match by {
            "status" => ReportBy::Status,
            "segment" => ReportBy::Segment,
            "line" => ReportBy::Line,
            other => {
                return Err(bad(format!(
                    "by={other:?}: expected \"status\", \"segment\" or \"line\""
                )));
            }
        };
        let day = |text: Option<&str>, what: &str| {
            text.map(|t| parse_iso_date(t).map_err(|e| bad(format!("{what}: {e}"))))
                .transpose()
        };
        let columns = ReportColumns {
            date,
            date_order: date_order
                .map(|o| {
                    o.parse()
                        .map_err(|e: String| bad(format!("date_order: {e}")))
                })
                .transpose()?,
            fatalities,
        };
        let options = ReportOptions {
            from: day(from_date, "from_date")?,
            to: day(to_date, "to_date")?,
            reference: reference.trim().to_string(),
            max_distance_m: max_distance,
            ..ReportOptions::default()
        };
        let border = &self.border;
        py.detach(|| -> PyResult<String> {
            let path = Path::new(FRAME);
            let file = TaggedFile::read(path, csv.as_slice(), &InputOptions::default(), true)
                .map_err(to_py)?;
            let input = ReportInput::new(path, file, border, &columns).map_err(to_py)?;
            let report = build(border, &input, &options)
                .map_err(|m| bad(crate::errors::python_words(&m)))?;
            Ok(crate::errors::python_words(
                &report.render(by, all, Format::Json).text,
            ))
        })
    }

    /// Which columns of a frame with column `names` hold what, by `tag`'s rules: a dict with
    /// `width` (the frame's own columns: a trailing block of tag columns with the same prefix
    /// is left out, to be replaced), `lat`, `lon`, `date`, `precision` (positions or None) and
    /// `coarse_from`. Without `coordinates`, the points come from elsewhere (a geometry) and
    /// only the date and precision columns are looked for.
    #[pyo3(signature = (names, lat=None, lon=None, date=None, precision=None, coarse_precision=None, prefix=String::new(), coordinates=true))]
    #[allow(clippy::too_many_arguments)]
    fn plan<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        lat: Option<String>,
        lon: Option<String>,
        date: Option<String>,
        precision: Option<String>,
        coarse_precision: Option<u32>,
        prefix: String,
        coordinates: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let path = Path::new(FRAME);
        let tag_columns = TagColumns::new(prefix.as_str());
        let (width, replaced) = match TagColumns::find_block(&names) {
            Some((start, old)) if old.prefix() == prefix => (start, true),
            _ => (names.len(), false),
        };
        let own = &names[..width];
        tag_columns.refuse_clash(path, own).map_err(to_py)?;
        let choice = ColumnChoice {
            lat,
            lon,
            date,
            precision,
            coarse_precision,
        };
        let (lat, lon, date, precision) = if coordinates {
            let c = detect_columns(path, own, &choice).map_err(to_py)?;
            (Some(c.lat), Some(c.lon), c.date, c.precision)
        } else {
            let (date, precision) = detect_context_columns(path, own, &choice).map_err(to_py)?;
            (None, None, date, precision)
        };
        let plan = PyDict::new(py);
        plan.set_item("width", width)?;
        plan.set_item("replaced", replaced)?;
        plan.set_item("lat", lat)?;
        plan.set_item("lon", lon)?;
        plan.set_item("date", date)?;
        plan.set_item("precision", precision.map(|p| p.index))?;
        plan.set_item("coarse_from", precision.map(|p| p.coarse_from))?;
        plan.set_item("columns", TagColumns::new(prefix.as_str()).names())?;
        Ok(plan)
    }

    /// Tags rows given as Arrow arrays (`date` and `precision` with their names): a list of
    /// pyarrow RecordBatches of the tag columns, in row order, and a dict with `rows`,
    /// `modelled` (rows whose status is modelled) and `date_order`.
    #[pyo3(signature = (lat, lon, date=None, precision=None, coarse_from=2, as_of=None, date_order=None, max_distance=None, prefix=String::new(), dictionary=true, whole=true))]
    #[allow(clippy::too_many_arguments)]
    fn tag_arrays<'py>(
        &self,
        py: Python<'py>,
        lat: Bound<'py, PyAny>,
        lon: Bound<'py, PyAny>,
        date: Option<(String, Bound<'py, PyAny>)>,
        precision: Option<(String, Bound<'py, PyAny>)>,
        coarse_from: u32,
        as_of: Option<&str>,
        date_order: Option<&str>,
        max_distance: Option<f64>,
        prefix: String,
        dictionary: bool,
        whole: bool,
    ) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyDict>)> {
        let as_of = date_or_today(as_of, "as_of")?;
        let date_order: Option<DateOrder> = date_order
            .map(|o| {
                o.parse()
                    .map_err(|e: String| bad(format!("date_order: {e}")))
            })
            .transpose()?;
        let max_distance_m = match max_distance {
            None => f64::INFINITY,
            Some(m) if m >= 0.0 && !m.is_nan() => m,
            Some(m) => {
                return Err(bad(format!(
                    "max_distance={m}: expected a distance in metres (>= 0)"
                )));
            }
        };
        let (lat, lon) = (array(&lat)?, array(&lon)?);
        let date = date.map(|(n, a)| array(&a).map(|a| (n, a))).transpose()?;
        let precision = precision
            .map(|(n, a)| array(&a).map(|a| (n, a)))
            .transpose()?;
        let schema = schema(&prefix, dictionary);
        let outcome = py.detach(
            || -> Result<(Vec<RecordBatch>, u64, Option<DateOrder>), String> {
                let lat_values = values(&lat, "latitude")?;
                let lon_values = values(&lon, "longitude")?;
                let date_values = date
                    .as_ref()
                    .map(|(n, a)| values(a, n).map(|v| (n.as_str(), v)))
                    .transpose()?;
                let precision_values = precision
                    .as_ref()
                    .map(|(n, a)| values(a, n).map(|v| (n.as_str(), v)))
                    .transpose()?;
                let frame = Frame {
                    lat: lat_values.column(),
                    lon: lon_values.column(),
                    date: date_values.as_ref().map(|(name, v)| Named {
                        name,
                        values: v.column(),
                    }),
                    precision: precision_values.as_ref().map(|(name, v)| {
                        (
                            Named {
                                name,
                                values: v.column(),
                            },
                            coarse_from,
                        )
                    }),
                };
                let tagging = self.tagging();
                let tagger = tagging.tagger.clone().with_max_distance_m(max_distance_m);
                let rows =
                    FrameTagger::new(&tagger, frame, as_of, date_order, Path::new(FRAME), whole)
                        .map_err(|e| match e {
                            borderline::Error::Input { message, .. } => message,
                            e => e.to_string(),
                        })?;
                let starts: Vec<usize> = (0..rows.len()).step_by(BATCH_ROWS).collect();
                let batches: Vec<(RecordBatch, u64)> = starts
                    .into_par_iter()
                    .map(|start| {
                        let end = (start + BATCH_ROWS).min(rows.len());
                        let mut batch = Batch::new(&tagging.dictionaries, end - start);
                        for row in start..end {
                            batch.push(&rows.tag_row(row));
                        }
                        let modelled = batch.modelled;
                        (batch.finish(&schema, &tagging.values), modelled)
                    })
                    .collect();
                let modelled = batches.iter().map(|(_, m)| m).sum();
                Ok((
                    batches.into_iter().map(|(b, _)| b).collect(),
                    modelled,
                    rows.date_order(),
                ))
            },
        );
        let (batches, modelled, order) =
            outcome.map_err(|message| bad(crate::errors::python_words(&message)))?;
        let list = PyList::empty(py);
        for batch in &batches {
            list.append(batch.to_pyarrow(py)?)?;
        }
        let info = PyDict::new(py);
        info.set_item(
            "rows",
            batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
        )?;
        info.set_item("modelled", modelled)?;
        info.set_item("date_order", order.map(DateOrder::name))?;
        info.set_item("schema", schema.to_pyarrow(py)?)?;
        Ok((list, info))
    }
}
