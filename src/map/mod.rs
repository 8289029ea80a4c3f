//! Maps a person reads: the border coloured by status at a date, the countries in light tones
//! with their names, enclaves, tagged incidents and place labels, credited to the data's source.
//!
//! One renderer draws both forms, so they are the same map:
//! - [`Map::svg`]: a static SVG document (no script) for articles and reports — the map at the
//!   date, its legend with km and % per status (the figures of `borderline share --as-of`), a
//!   scale bar and the attribution;
//! - [`Map::html`]: one self-contained HTML page (no network) holding the same drawing plus the
//!   data to move through time: a date slider with play/pause from the first status record to
//!   the last change (and the incidents' span), `#date=YYYY-MM-DD` to open at a date, pan and
//!   zoom, details on hover and click.
//!
//! Time: a segment's colour at a date comes from its history (the period in force, as
//! [`crate::border::Segment::status_at`]); the legend at a date is [`share_at`] on the latest
//! change on or before it, computed here for every change date, so the page shows exactly what
//! `share --as-of` prints. An incident is shown from the first day of its date on (undated ones
//! at every date), fading with age, or only within a window of days before the date.
//!
//! Markers: filled with the colour of the status on the incident's date; a hollow grey ring
//! when that status is `unknown` (or the file is untagged); a dashed ring when the row is
//! beyond the tagger's maximum distance (no segment); a thick black outline when the row
//! carries a `tag_warning`.
//!
//! ```
//! use borderline::map::{Map, MapOptions};
//! let border = borderline::Border::embedded();
//! let map = Map::new(&border, None, None, MapOptions::new("2022-10-07".parse().unwrap()));
//! let svg = map.svg();
//! assert!(svg.contains("Kyrgyzstan") && svg.contains("© OpenStreetMap contributors, ODbL"));
//! assert!(!svg.contains("<script"));
//! ```

mod html;
mod labels;
mod projection;
mod svg;

use serde_json::{Value, json};

use crate::border::Border;
use crate::date::Date;
use crate::geojson_out::Extent;
use crate::incidents::{Incident, Incidents};
use crate::palette::{CountryTones, StatusPalette};
use crate::places::Places;
use crate::share::{Share, share_at};

pub use labels::{Label, LabelKind};
pub use projection::Projection;

/// Width of the map frame, in units (pixels of the static SVG); its height follows the data's
/// shape between [`FRAME_HEIGHTS`].
pub const FRAME_WIDTH: f64 = 920.0;
/// Least and most height of the map frame.
pub const FRAME_HEIGHTS: (f64, f64) = (480.0, 720.0);
/// Margin kept around the data in the frame.
const PAD: f64 = 28.0;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// The date shown (the page opens at it unless its URL says `#date=`).
    pub date: Date,
    /// Title (default: the border's name followed by "border").
    pub title: Option<String>,
    /// Credit for the border data (`None`: the border's own attribution).
    pub attribution: Option<String>,
    /// Show only incidents dated within this many days up to the date (`None`: all up to it,
    /// fading with age).
    pub window_days: Option<u32>,
}

impl MapOptions {
    /// The map on `date`, default title and credit, every incident up to the date.
    pub fn new(date: Date) -> MapOptions {
        MapOptions {
            date,
            title: None,
            attribution: None,
            window_days: None,
        }
    }
}

/// How an incident's marker is drawn (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled with its status colour.
    Status,
    /// A hollow grey ring: status `unknown` on its date, or no status at all.
    Unknown,
    /// A dashed ring: beyond the tagger's maximum distance, no segment.
    Beyond,
}

impl Marker {
    /// The marker of `incident`.
    pub fn of(incident: &Incident) -> Marker {
        if incident.beyond_max_distance() {
            Marker::Beyond
        } else {
            let status = incident.status().trim();
            if status.is_empty() || status.eq_ignore_ascii_case(crate::status::UNKNOWN) {
                Marker::Unknown
            } else {
                Marker::Status
            }
        }
    }

    /// Its name in the page (a CSS class `m-NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Marker::Status => "status",
            Marker::Unknown => "unknown",
            Marker::Beyond => "beyond",
        }
    }
}

/// Days since 1970-01-01 (the page's date numbers).
pub fn day_number(date: Date) -> i64 {
    let epoch = Date::constant(1970, 1, 1);
    date.duration_since(epoch).as_secs().div_euclid(86_400)
}

/// The days a picture of `border` through time covers: from the first change of its history
/// to the last, widened to every date range of `dates` and every day of `also`.
///
/// ```
/// let border = borderline::Border::embedded();
/// let d = |s: &str| s.parse().unwrap();
/// let (first, last) = borderline::map::time_span(&border, std::iter::empty(), &[d("2030-01-01")]);
/// assert_eq!((first, last), (border.change_dates()[0], d("2030-01-01")));
/// ```
pub fn time_span(
    border: &Border,
    dates: impl Iterator<Item = crate::date::DateRange> + Clone,
    also: &[Date],
) -> (Date, Date) {
    let changes = border.change_dates();
    let first = changes
        .first()
        .copied()
        .into_iter()
        .chain(dates.clone().map(|d| d.start))
        .chain(also.iter().copied())
        .min();
    let last = changes
        .last()
        .copied()
        .into_iter()
        .chain(dates.map(|d| d.end))
        .chain(also.iter().copied())
        .max();
    match (first, last) {
        (Some(first), Some(last)) => (first, last),
        _ => {
            let today = crate::date::today();
            (today, today)
        }
    }
}

/// How many opacity levels fading uses.
pub const FADE_LEVELS: i64 = 6;

/// Whether an incident dated `start` is shown on `day`, and its fading level (0 = fresh,
/// `FADE_LEVELS - 1` = oldest): shown from its first day on, within `window` days when given;
/// `span` (days, ≥ 1) is what "old" is measured against (the window, or the time since the
/// map's first day). Undated incidents are shown at every date, unfaded.
///
/// ```
/// use borderline::map::visibility;
/// assert_eq!(visibility(None, 100, None, 100), Some(0));
/// assert_eq!(visibility(Some(101), 100, None, 100), None); // not yet
/// assert_eq!(visibility(Some(100), 100, None, 100), Some(0));
/// assert_eq!(visibility(Some(0), 100, None, 100), Some(5));
/// assert_eq!(visibility(Some(60), 100, Some(30), 30), None); // outside the window
/// ```
pub fn visibility(start: Option<i64>, day: i64, window: Option<i64>, span: i64) -> Option<i64> {
    let Some(start) = start else {
        return Some(0);
    };
    let age = day - start;
    if age < 0 || window.is_some_and(|w| age >= w.max(1)) {
        return None;
    }
    Some((age * FADE_LEVELS / span.max(1)).clamp(0, FADE_LEVELS - 1))
}

/// The opacity of a fading level.
pub fn fade_opacity(level: i64) -> f64 {
    1.0 - 0.6 * level as f64 / (FADE_LEVELS - 1) as f64
}

/// A map of a border (see the module docs).
#[derive(Debug, Clone)]
pub struct Map<'a> {
    border: &'a Border,
    incidents: Option<&'a Incidents>,
    places: Option<&'a Places>,
    options: MapOptions,
    palette: StatusPalette,
    tones: CountryTones,
    projection: Projection,
    /// Width and height of the frame.
    frame: (f64, f64),
    labels: Vec<Label>,
    /// First and last day of the time slider.
    range: (Date, Date),
    /// The share at the date, and the period before each change date.
    shares: Vec<(Option<Date>, Share)>,
}

impl<'a> Map<'a> {
    /// The map of `border` with `incidents` and `places`, if given.
    pub fn new(
        border: &'a Border,
        incidents: Option<&'a Incidents>,
        places: Option<&'a Places>,
        options: MapOptions,
    ) -> Map<'a> {
        let palette =
            StatusPalette::of_border(border, incidents.into_iter().flat_map(|i| i.statuses()));
        let tones = CountryTones::of(border);
        // The view holds the lines, the enclaves and the incidents; countries and places are
        // context and may reach far beyond.
        let mut focus = Extent::default();
        for line in &border.lines {
            focus.add_line(&line.geometry);
        }
        for enclave in &border.enclaves {
            focus.add_line(enclave.polygon.exterior());
        }
        for incident in incidents.iter().flat_map(|i| &i.rows) {
            focus.add(incident.lon, incident.lat);
        }
        let height =
            Projection::frame_height(&focus, FRAME_WIDTH, PAD, FRAME_HEIGHTS.0, FRAME_HEIGHTS.1);
        let frame = (FRAME_WIDTH, height);
        let projection = Projection::fit(&focus, frame.0, frame.1, PAD);
        let labels = labels::labels(border, places, &projection, frame);
        let changes = border.change_dates();
        let dates = incidents
            .iter()
            .flat_map(|i| &i.rows)
            .filter_map(|r| r.date);
        let (first, last) = time_span(border, dates, &[options.date]);
        let before = changes
            .first()
            .and_then(|d| d.yesterday().ok())
            .unwrap_or(options.date);
        let mut shares = vec![(None, share_at(border, before))];
        shares.extend(changes.iter().map(|d| (Some(*d), share_at(border, *d))));
        Map {
            border,
            incidents,
            places,
            options,
            palette,
            tones,
            projection,
            frame,
            labels,
            range: (first, last),
            shares,
        }
    }

    /// The title (without the date).
    pub fn title(&self) -> String {
        self.options
            .title
            .clone()
            .unwrap_or_else(|| format!("{} border", self.border.name))
    }

    /// The credit shown: the option's, else the border's.
    pub fn attribution(&self) -> Option<&str> {
        self.options
            .attribution
            .as_deref()
            .or(self.border.attribution.as_deref())
    }

    /// The share in force on `date`.
    pub fn share_on(&self, date: Date) -> &Share {
        let i = self
            .shares
            .iter()
            .rposition(|(from, _)| from.is_none_or(|f| f <= date))
            .unwrap_or(0);
        &self.shares[i].1
    }

    /// The fading span and window (days) at the map's date.
    fn fading(&self) -> (Option<i64>, i64) {
        let window = self.options.window_days.map(i64::from);
        let span =
            window.unwrap_or_else(|| day_number(self.options.date) - day_number(self.range.0));
        (window, span.max(1))
    }

    /// Each incident's fading level on the map's date (`None`: not shown).
    fn shown(&self) -> Vec<Option<i64>> {
        let (window, span) = self.fading();
        let day = day_number(self.options.date);
        self.incidents
            .iter()
            .flat_map(|i| &i.rows)
            .map(|r| visibility(r.date.map(|d| day_number(d.start)), day, window, span))
            .collect()
    }

    /// The data the page's script needs to move through time and describe features.
    fn payload(&self) -> Value {
        let statuses: Vec<&str> = self.palette.entries().map(|(s, _)| s).collect();
        let index = |status: &str| {
            let key = crate::palette::legend_order(status).1;
            statuses.iter().position(|s| *s == key).unwrap_or(0)
        };
        let border = self.border;
        let segments: Vec<Value> = border
            .segments
            .iter()
            .map(|s| {
                let history: Vec<Value> = s
                    .history
                    .iter()
                    .map(|p| {
                        json!([
                            p.from.map(day_number),
                            index(&p.status),
                            p.basis,
                            p.from.map(|d| d.to_string()),
                            p.source
                        ])
                    })
                    .collect();
                json!({
                    "id": s.id, "line": s.line, "from_km": s.from_km, "to_km": s.to_km,
                    "length_km": s.length_km(), "history": history
                })
            })
            .collect();
        let lines: Vec<Value> = border
            .lines
            .iter()
            .map(|l| json!({"id": l.id, "border": l.border, "length_km": l.length_km}))
            .collect();
        let shares: Vec<Value> = self
            .shares
            .iter()
            .map(|(from, share)| {
                let mut rows: Vec<(&String, &crate::share::StatusShare)> =
                    share.statuses.iter().collect();
                rows.sort_by_key(|(name, _)| crate::palette::legend_order(name));
                let rows: Vec<Value> = rows
                    .iter()
                    .map(|(name, s)| json!([name, s.km, s.share, s.segments, s.modelled_km]))
                    .collect();
                json!({"from": from.map(day_number), "total_km": share.total_km, "statuses": rows})
            })
            .collect();
        let incidents = self.incidents.map_or(Value::Null, |inc| {
            let tag_names = inc.tag_columns.as_ref().map(|c| c.names());
            let rows: Vec<Value> = inc
                .rows
                .iter()
                .map(|r| {
                    let fields: Vec<Value> =
                        (0..inc.columns.len()).map(|i| r.value(inc, i)).collect();
                    let tags = match (&r.tags, &inc.tag_columns) {
                        (Some(t), Some(c)) => Value::Array(
                            crate::export::tag_properties(t, c)
                                .into_iter()
                                .map(|(_, v)| v)
                                .collect(),
                        ),
                        _ => Value::Null,
                    };
                    json!({
                        "d": r.date.map(|d| day_number(d.start)),
                        "e": r.date.filter(|d| !d.is_single_day()).map(|d| day_number(d.end)),
                        "date": r.date.map(|d| d.to_string()),
                        "line": r.line,
                        "f": fields, "t": tags,
                        "m": Marker::of(r).name(), "w": r.warned(),
                        "s": r.status(),
                    })
                })
                .collect();
            json!({
                "columns": inc.columns, "tag_columns": tag_names,
                "id": inc.id_column, "date": inc.date_column, "place": inc.place_column,
                "skipped": inc.skipped(), "rows": rows,
            })
        });
        let places = self.places.map_or(Value::Null, |p| {
            let rows: Vec<Value> = p
                .rows
                .iter()
                .map(|r| {
                    Value::Array(
                        r.fields
                            .iter()
                            .zip(&p.types)
                            .map(|(f, t)| t.value(f))
                            .collect(),
                    )
                })
                .collect();
            json!({"columns": p.columns, "name": p.name_column, "rows": rows})
        });
        let (window, _) = self.fading();
        let style = |m: Marker, warned: bool, color: &str| -> Value {
            svg::marker_style(m, warned, color)
                .into_iter()
                .map(|(k, v)| json!([k, v]))
                .collect()
        };
        let mut markers: Vec<Value> = self
            .palette
            .entries()
            .filter(|(s, _)| *s != crate::status::UNKNOWN)
            .map(|(s, c)| json!({"test": "status", "status": s, "label": s, "style": style(Marker::Status, false, c)}))
            .collect();
        markers.extend([
            json!({"test": "unknown", "label": "status unknown", "style": style(Marker::Unknown, false, "")}),
            json!({"test": "beyond", "label": "beyond max distance, no segment", "style": style(Marker::Beyond, false, "")}),
            json!({"test": "warn", "label": "thick ring: tag warning", "style": style(Marker::Status, true, "#FFFFFF")}),
        ]);
        json!({
            "markers": markers,
            "title": self.title(),
            "as_of": self.options.date.to_string(),
            "day": day_number(self.options.date),
            "range": [day_number(self.range.0), day_number(self.range.1)],
            "window": window,
            "fade_levels": FADE_LEVELS,
            "attribution": crate::svg::credit_text(self.attribution()),
            "frame": [self.frame.0, self.frame.1],
            "km_per_unit": self.projection.km_per_unit(),
            "palette": self.palette.entries().map(|(s, c)| json!([s, c])).collect::<Vec<_>>(),
            "shares": shares,
            "lines": lines,
            "segments": segments,
            "countries": border.countries.iter().map(|c| json!({"key": c.key, "name": c.name})).collect::<Vec<_>>(),
            "enclaves": border.enclaves.iter().map(|e| json!({"name": e.name, "country": e.country, "area_km2": e.area_km2})).collect::<Vec<_>>(),
            "incidents": incidents,
            "places": places,
        })
    }
}
