//! The subcommands, one file each: usage text, options and `run`.

pub mod derive;
pub mod export;
mod layers;
pub mod map;
pub mod output;
pub mod report;
pub mod share;
pub mod tag;

use std::path::PathBuf;

use borderline::Border;
use borderline::date::{Date, parse_iso_date};
use borderline::setting::{Setting, spell};

/// Why a command failed, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    /// 1: the job failed; 2: bad usage or input.
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// A failure of the job itself (exit code 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<borderline::Error> for Failure {
    fn from(e: borderline::Error) -> Self {
        match e {
            // Output that cannot be written is a failure of the run, not of its input.
            borderline::Error::Write { path, source } => {
                if source.kind() == std::io::ErrorKind::BrokenPipe
                    || source
                        .get_ref()
                        .is_some_and(|e| e.is::<output::OutputError>())
                {
                    Failure::from(source)
                } else {
                    Failure::failed(format!("writing {}: {source}", path.display()))
                }
            }
            e => Failure {
                code: 2,
                message: e.spelled(flag),
            },
        }
    }
}

/// Output written to the terminal or a pipe failing (e.g. closed pipe) is a job failure.
impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`borderline … | head`): stop quietly, like other tools.
            return Failure {
                code: 0,
                message: String::new(),
            };
        }
        match e.get_ref() {
            // The output's own error names its path.
            Some(named) if named.is::<output::OutputError>() => Failure::failed(named.to_string()),
            _ => Failure::failed(format!("writing output: {e}")),
        }
    }
}

pub type Outcome = Result<(), Failure>;

/// How the command line spells a setting the library's messages mention: as its flag.
pub fn flag(setting: Setting) -> String {
    match setting {
        Setting::Lat => "--lat",
        Setting::Lon => "--lon",
        Setting::Date => "--date",
        Setting::DateOrder => "--date-order",
        Setting::PrecisionColumn => "--precision-col",
        Setting::CoarsePrecision => "--coarse-precision",
        Setting::Prefix => "--prefix",
        Setting::MaxDistance => "--max-distance",
        Setting::Fatalities => "--fatalities",
        Setting::From => "--from",
        Setting::To => "--to",
        Setting::Border => "--border",
        Setting::Status => "--status",
        Setting::CountryA => "--a",
        Setting::CountryB => "--b",
        Setting::CountryKey => "--key",
        Setting::Tolerance => "--tolerance-m",
    }
    .to_string()
}

pub use borderline::render::plural;

/// Prints a rendered result on standard output; with CSV, its notes go to standard error.
pub fn print(
    rendered: &borderline::render::Rendered,
    format: borderline::render::Format,
) -> Outcome {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(spell(&rendered.text, flag).as_bytes())?;
    out.flush()?;
    if format == borderline::render::Format::Csv {
        for note in &rendered.notes {
            eprintln!("* {}", spell(note, flag));
        }
    }
    Ok(())
}

/// Options that choose the border and its status history.
#[derive(Debug, Clone, clap::Args)]
pub struct BorderArgs {
    /// A bundled border set — kgz-tjk (the Kyrgyz–Tajik border, the default) or fergana (every
    /// border of the Fergana Valley) — or a border GeoJSON file (lines, enclaves, countries);
    /// write ./NAME for a file called like a bundled set.
    #[arg(long, value_name = "NAME|FILE")]
    pub border: Option<PathBuf>,
    /// Status history CSV (line,from_km,to_km,status,effective_from,basis,source); it may
    /// cover only some lines, the others are unknown [default: the bundled set's own; none
    /// with a border file].
    #[arg(long, value_name = "FILE")]
    pub status: Option<PathBuf>,
}

impl BorderArgs {
    /// Loads the border these options name.
    pub fn load(&self) -> Result<Border, Failure> {
        let bundled = match &self.border {
            None => Some(&borderline::border::BUNDLED[0]),
            Some(path) => path.to_str().and_then(borderline::border::BundledSet::find),
        };
        if let Some(set) = bundled {
            if set.name == borderline::border::BUNDLED[0].name && self.status.is_none() {
                return Ok(Border::embedded());
            }
            return Ok(set.load(self.status.as_deref())?);
        }
        Ok(Border::load(
            self.border.as_deref(),
            self.status.as_deref(),
        )?)
    }
}

/// Parses a `--as-of`/`--from`/`--to` date (clap reports a failure as a usage error, exit 2).
pub fn date_arg(text: &str) -> Result<Date, String> {
    parse_iso_date(text)
}

/// Parses a distance with its unit, `5km` or `800m` (a bare number is refused: metres or
/// kilometres?), or `none` for no limit.
pub fn distance_arg(text: &str) -> Result<f64, String> {
    let t = text.trim().to_ascii_lowercase();
    if t == "none" {
        return Ok(f64::INFINITY);
    }
    let (number, scale) = if let Some(n) = t.strip_suffix("km") {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 1.0)
    } else if t.trim().parse::<f64>().is_ok() {
        return Err(format!(
            "{text:?} has no unit: write {t}km or {t}m (or none for no limit)"
        ));
    } else {
        (t.as_str(), f64::NAN)
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|v| v * scale)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("{text:?} is not a distance (e.g. 5km, 800m, or none)"))
}

/// The options that say which columns of an incident file hold what (every command that
/// reads one has them).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ColumnArgs {
    /// Latitude column [default: auto-detect: lat, latitude, y].
    #[arg(long, value_name = "COL")]
    pub lat: Option<String>,
    /// Longitude column [default: auto-detect: lon, lng, long, longitude, x].
    #[arg(long, value_name = "COL")]
    pub lon: Option<String>,
    /// Date column [default: auto-detect: date, event_date, date_start, start_date,
    /// incident_date, date_of_event, day].
    #[arg(long, value_name = "COL")]
    pub date: Option<String>,
    /// How numeric dates such as 05/06/2022 are written: dmy (day first) or mdy
    /// [default: inferred from the whole column].
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<borderline::date::DateOrder>,
}

impl ColumnArgs {
    /// The column choice these options make.
    pub fn choice(&self) -> borderline::input::ColumnChoice {
        borderline::input::ColumnChoice {
            lat: self.lat.clone(),
            lon: self.lon.clone(),
            date: self.date.clone(),
            ..Default::default()
        }
    }
}

/// The options that say how to read an incident file: its delimiter, encoding and, for a
/// workbook, its sheet (every command that reads one has them).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// Field delimiter: , ; tab or | [default: sniffed from the header line; a tagged file
    /// keeps its input's].
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<borderline::input::Delimiter>,
    /// Text encoding: utf-8, utf-16le, utf-16be, windows-1251, latin1, ... [default: from the
    /// byte-order mark, else UTF-8; other bytes pass through tag untouched and are shown
    /// lossily].
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<borderline::input::TextEncoding>,
    /// Sheet of an .xlsx, .xls or .ods workbook [default: the first].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl ReadArgs {
    /// The reading options these flags make.
    pub fn options(&self) -> borderline::input::InputOptions {
        borderline::input::InputOptions {
            delimiter: self.delimiter,
            encoding: self.encoding,
            sheet: self.sheet.clone(),
        }
    }
}
