//! The statement table and the side table of `data/README.md`, computed from the repository's
//! files. Used by `cargo run --example statements` (which writes them into the README) and by
//! `tests/statements.rs` (which checks that the README shows them and that every followed
//! statement is met).
//!
//! Statement table: every dated statement of `data/source/delimitation-timeline.csv`, as read in
//! `data/kgz-tjk/statements.csv` (one reading per figure a statement gives), turned into the
//! undelimited km it implies on the bundled border's length and set beside what the modelled
//! status history (`data/kgz-tjk/status.csv`) says on that date.
//!
//! Side table: the places of `data/source/places.csv` whose `side` (the country whose polygon
//! holds them) differs from their gazetteer country, with their distance to the line, and the
//! incidents of `data/source/incidents.csv` at such points.

use std::path::{Path, PathBuf};

use borderline::Border;
use borderline::date::Date;
use borderline::share::share_at;
use borderline::tag::Tagger;

/// Where the bundled files are, relative to the repository's root.
pub const BORDER: &str = "data/kgz-tjk/border.geojson";
pub const STATUS: &str = "data/kgz-tjk/status.csv";
pub const READINGS: &str = "data/kgz-tjk/statements.csv";
pub const TIMELINE: &str = "data/source/delimitation-timeline.csv";
pub const PLACES: &str = "data/source/places.csv";
pub const INCIDENTS: &str = "data/source/incidents.csv";
pub const README: &str = "data/README.md";

/// The total a statement is read against when it quotes none: the final protocol's 970 km.
pub const DEFAULT_TOTAL_KM: f64 = 970.0;

/// A followed statement is met when the model is within this fraction of the border's length.
pub const TOLERANCE: f64 = 0.01;

/// How a reading is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Same definition (delimited = described/agreed on paper); must be met.
    Followed,
    /// Same definition, but no history that meets the others can meet it (the reason is given).
    NotMet,
    /// Another definition or no figure of ours: shown, not checked.
    Context,
}

/// One figure of one statement and what it implies.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The statement's date as the timeline writes it (`2019`, `2024-07`, `2023-12-23`).
    pub date: String,
    pub as_of: Date,
    /// For a change: the first day of the period it covers.
    pub since: Option<Date>,
    /// The total the figure is a part of (`None` for a percentage).
    pub of_km: Option<f64>,
    /// The figure in the statement's words, and as we read it.
    pub reading: String,
    pub reported: String,
    pub use_: Use,
    pub why: String,
    /// Undelimited km (or, for a change, the change of it) implied on the bundled length.
    pub implied_km: f64,
    /// What the model says: the same quantity from `share`.
    pub model_km: f64,
}

impl Reading {
    /// Model minus implied, km.
    pub fn difference_km(&self) -> f64 {
        self.model_km - self.implied_km
    }
}

/// One row of the timeline, as far as its numeric columns go.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub date: String,
    /// `total_km_reported`.
    pub total_km: Option<f64>,
    /// The undelimited km on the bundled length that `agreed_km_reported` or
    /// `undescribed_km_reported` imply, if either is given.
    pub level_km: Option<f64>,
}

/// The statement readings, the timeline they read and the border's total length.
pub struct Statements {
    pub readings: Vec<Reading>,
    pub timeline: Vec<TimelineRow>,
    pub total_km: f64,
}

fn path(root: &Path, relative: &str) -> PathBuf {
    root.join(relative)
}

fn rows(root: &Path, relative: &str) -> Result<Vec<csv::StringRecord>, String> {
    let file = path(root, relative);
    let mut reader = csv::Reader::from_path(&file).map_err(|e| format!("{relative}: {e}"))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{relative}: {e}"))?
        .clone();
    let mut out = vec![headers];
    for record in reader.records() {
        out.push(record.map_err(|e| format!("{relative}: {e}"))?);
    }
    Ok(out)
}

/// The value of column `name` in `row`, by the header.
fn field<'a>(
    header: &csv::StringRecord,
    row: &'a csv::StringRecord,
    name: &str,
) -> Result<&'a str, String> {
    let i = header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("no column {name:?}"))?;
    Ok(row.get(i).unwrap_or("").trim())
}

fn number(text: &str, what: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .map(Some)
        .map_err(|_| format!("{what} {text:?} is not a number"))
}

fn date(text: &str) -> Result<Date, String> {
    borderline::date::parse_iso_date(text)
}

/// The first day a timeline date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) stands for.
pub fn first_day(text: &str) -> Result<Date, String> {
    match text.len() {
        4 => date(&format!("{text}-01-01")),
        7 => date(&format!("{text}-01")),
        _ => date(text),
    }
}

/// Undelimited km on the border at `day`, by the status history.
pub fn undelimited_km(border: &Border, day: Date) -> f64 {
    share_at(border, day)
        .statuses
        .get("undelimited")
        .map_or(0.0, |s| s.km)
}

/// Loads the bundled border from the repository's files (not the copy compiled into the binary).
pub fn bundled_border(root: &Path) -> Result<Border, String> {
    Border::load(Some(&path(root, BORDER)), Some(&path(root, STATUS))).map_err(|e| e.to_string())
}

/// Reads the timeline and the readings of it and sets the model beside each reading.
pub fn statements(root: &Path, border: &Border) -> Result<Statements, String> {
    let total_km = border.total_km();
    let timeline_rows = rows(root, TIMELINE)?;
    let (th, trows) = timeline_rows.split_first().unwrap();
    let mut timeline = Vec::new();
    for row in trows {
        let d = field(th, row, "date")?.to_string();
        let total = number(field(th, row, "total_km_reported")?, "total_km_reported")?;
        let agreed = number(field(th, row, "agreed_km_reported")?, "agreed_km_reported")?;
        let left = number(
            field(th, row, "undescribed_km_reported")?,
            "undescribed_km_reported",
        )?;
        let of = total.unwrap_or(DEFAULT_TOTAL_KM);
        let level = match (agreed, left) {
            (_, Some(u)) => Some(u / of * total_km),
            (Some(a), None) => Some((of - a) / of * total_km),
            (None, None) => None,
        };
        timeline.push(TimelineRow {
            date: d,
            total_km: total,
            level_km: level,
        });
    }

    let reading_rows = rows(root, READINGS)?;
    let (h, rrows) = reading_rows.split_first().unwrap();
    let mut readings = Vec::new();
    for (i, row) in rrows.iter().enumerate() {
        let at = |e: String| format!("{READINGS}:line {}: {e}", i + 2);
        let get = |name: &str| field(h, row, name).map_err(at);
        let d = get("date")?.to_string();
        let as_of = date(get("as_of")?).map_err(at)?;
        let since = match get("since")? {
            "" => None,
            s => Some(date(s).map_err(at)?),
        };
        let measure = get("measure")?.to_string();
        let figure_text = get("figure")?;
        let of_km = number(get("of_km")?, "of_km").map_err(at)?;
        let use_ = match get("use")? {
            "followed" => Use::Followed,
            "not met" => Use::NotMet,
            "context" => Use::Context,
            other => return Err(at(format!("use {other:?} is not followed|not met|context"))),
        };
        // A percentage is a share of the whole border; a number is km of `of_km`.
        let (fraction, reported) = match figure_text.strip_suffix('%') {
            Some(pct) => {
                let p = number(pct, "figure").map_err(at)?.unwrap_or(0.0);
                (p / 100.0, format!("{pct} %"))
            }
            None => {
                let km = number(figure_text, "figure").map_err(at)?.unwrap_or(0.0);
                let of = of_km.ok_or_else(|| at("a figure in km needs of_km".into()))?;
                (km / of, format!("{figure_text} of {of} km"))
            }
        };
        let (implied_km, reported) = match measure.as_str() {
            "agreed" => ((1.0 - fraction) * total_km, format!("{reported} agreed")),
            "demarcated" => (
                (1.0 - fraction) * total_km,
                format!("{reported} demarcated"),
            ),
            "undelimited" => (fraction * total_km, format!("{reported} undelimited")),
            "newly_agreed" => (-fraction * total_km, format!("{reported} more agreed")),
            other => return Err(at(format!("unknown measure {other:?}"))),
        };
        if (measure == "newly_agreed") != since.is_some() {
            return Err(at(
                "a change (newly_agreed) and only a change has `since`".into()
            ));
        }
        let model_km = match since {
            Some(start) => {
                let before = start.yesterday().map_err(|e| at(e.to_string()))?;
                undelimited_km(border, as_of) - undelimited_km(border, before)
            }
            None => undelimited_km(border, as_of),
        };
        readings.push(Reading {
            date: d,
            as_of,
            since,
            of_km,
            reading: get("reading")?.to_string(),
            reported,
            use_,
            why: get("why")?.to_string(),
            implied_km,
            model_km,
        });
    }
    Ok(Statements {
        readings,
        timeline,
        total_km,
    })
}

/// What is wrong with the readings or the model: empty when every followed reading is met within
/// [`TOLERANCE`] of the length, every reading listed as not met is indeed off by more (with its
/// reason), and the readings agree with the timeline they read.
pub fn problems(s: &Statements) -> Vec<String> {
    let tol_km = TOLERANCE * s.total_km;
    let mut out = Vec::new();
    for r in &s.readings {
        let what = format!("{} {:?}", r.date, r.reading);
        let d = r.difference_km();
        match r.use_ {
            Use::Followed if d.abs() > tol_km => out.push(format!(
                "{what}: the model is {d:+.1} km off (more than {tol_km:.1} km, 1 % of the length)"
            )),
            Use::NotMet if d.abs() <= tol_km => out.push(format!(
                "{what}: listed as not met, but the model is within 1 % ({d:+.1} km)"
            )),
            Use::NotMet | Use::Context if r.why.is_empty() => out.push(format!(
                "{what}: says no reason why it is not met or only context"
            )),
            _ => {}
        }
        match first_day(&r.date) {
            Ok(day) if day == r.as_of => {}
            _ => out.push(format!(
                "{what}: as_of {} is not the date's first day",
                r.as_of
            )),
        }
        match s.timeline.iter().find(|t| t.date == r.date) {
            None => out.push(format!("{what}: no statement of that date in {TIMELINE}")),
            Some(t) => {
                let want = t.total_km.unwrap_or(DEFAULT_TOTAL_KM);
                if r.of_km.is_some_and(|of| of != want) {
                    out.push(format!(
                        "{what}: read against {} km, but the statement's total is {want} km",
                        r.of_km.unwrap_or(0.0)
                    ));
                }
            }
        }
    }
    for t in &s.timeline {
        let mine: Vec<&Reading> = s.readings.iter().filter(|r| r.date == t.date).collect();
        if mine.is_empty() {
            out.push(format!(
                "{TIMELINE}: the statement of {} has no reading",
                t.date
            ));
        }
        if let Some(level) = t.level_km {
            let matched = mine
                .iter()
                .any(|r| r.since.is_none() && (r.implied_km - level).abs() < 1e-6);
            if !matched {
                out.push(format!(
                    "{TIMELINE}: the figures of {} ({level:.3} km undelimited on our length) \
                     match none of its readings",
                    t.date
                ));
            }
        }
    }
    out
}

/// `+1.2` / `-0.3` (one decimal, explicit sign; no negative zero).
fn signed(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0.0".to_string()
    } else {
        format!("{r:+.1}")
    }
}

/// The statement table and its notes, as Markdown.
pub fn render_statements(s: &Statements) -> String {
    let tol_km = TOLERANCE * s.total_km;
    let mut out = format!(
        "| date | statement | reported | implied undelimited km on {:.1} km | model km | \
         difference km (% of length) | used as |\n|---|---|---|---:|---:|---:|---|\n",
        s.total_km
    );
    let mut notes = Vec::new();
    for r in &s.readings {
        let (implied, model) = match r.since {
            Some(start) => {
                let window = if start == r.as_of {
                    "on the day".to_string()
                } else {
                    format!("since {start}")
                };
                (
                    format!("change {} ({window})", signed(r.implied_km)),
                    format!("change {}", signed(r.model_km)),
                )
            }
            None => (format!("{:.1}", r.implied_km), format!("{:.1}", r.model_km)),
        };
        let d = r.difference_km();
        let met = d.abs() <= tol_km;
        let mut used = match (r.use_, met) {
            (Use::Followed, true) => "followed: met".to_string(),
            (Use::Followed, false) => "followed: **off by more than 1 %**".to_string(),
            (Use::NotMet, _) => "followed: **not met**".to_string(),
            (Use::Context, _) => "context".to_string(),
        };
        if !r.why.is_empty() {
            notes.push(r.why.clone());
            used.push_str(&format!(" ({})", notes.len()));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {implied} | {model} | {} ({:.1} %) | {used} |\n",
            r.date,
            r.reading,
            r.reported,
            signed(d),
            100.0 * d.abs() / s.total_km,
        ));
    }
    out.push('\n');
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!("{}. {note}\n", i + 1));
    }
    out
}

/// A place or incident whose `side` differs from its gazetteer country.
#[derive(Debug, Clone)]
pub struct SideMismatch {
    pub name: String,
    pub kind: String,
    /// ISO 3166 alpha-3 of the gazetteer country.
    pub country: String,
    pub side: String,
    pub line: String,
    pub chainage_km: f64,
    pub distance_m: f64,
}

/// The gazetteer's alpha-2 code as the border's alpha-3 key.
fn alpha3(alpha2: &str) -> Result<&'static str, String> {
    match alpha2 {
        "KG" => Ok("KGZ"),
        "TJ" => Ok("TJK"),
        "UZ" => Ok("UZB"),
        other => Err(format!("no alpha-3 code known for country {other:?}")),
    }
}

/// The places whose side differs from their country, in line and chainage order, and the event
/// IDs of the incidents (tagged at their own coordinates) whose side differs from the country of
/// their place, with the number of incidents.
pub fn side_mismatches(
    root: &Path,
    border: &Border,
) -> Result<(Vec<SideMismatch>, usize, Vec<String>, usize), String> {
    let tagger = Tagger::new(border.clone());
    let look = |lat: f64, lon: f64| {
        let tags = tagger.locate(lon, lat);
        let hit = tags.segment.expect("the border has segments");
        let segment = &border.segments[hit.segment];
        (
            tags.side
                .map_or("-".to_string(), |i| border.countries[i].key.clone()),
            border.lines[segment.line].id.clone(),
            hit.chainage_km,
            hit.distance_m,
        )
    };
    let coordinate = |h: &csv::StringRecord, r: &csv::StringRecord, name: &str| {
        number(field(h, r, name)?, name)?.ok_or_else(|| format!("no {name}"))
    };

    let place_rows = rows(root, PLACES)?;
    let (ph, prows) = place_rows.split_first().unwrap();
    let mut country_of = std::collections::HashMap::new();
    let mut places = Vec::new();
    for r in prows {
        let name = field(ph, r, "name")?.to_string();
        let country = alpha3(field(ph, r, "country")?)?.to_string();
        country_of.insert(name.clone(), country.clone());
        let (side, line, chainage_km, distance_m) =
            look(coordinate(ph, r, "lat")?, coordinate(ph, r, "lon")?);
        if side != country {
            places.push(SideMismatch {
                name,
                kind: field(ph, r, "kind")?.to_string(),
                country,
                side,
                line,
                chainage_km,
                distance_m,
            });
        }
    }
    places.sort_by(|a, b| {
        (&a.line, a.chainage_km)
            .partial_cmp(&(&b.line, b.chainage_km))
            .unwrap()
    });

    let incident_rows = rows(root, INCIDENTS)?;
    let (ih, irows) = incident_rows.split_first().unwrap();
    let mut incidents = Vec::new();
    for r in irows {
        let place = field(ih, r, "place_name")?;
        let country = country_of
            .get(place)
            .ok_or_else(|| format!("{INCIDENTS}: place {place:?} is not in {PLACES}"))?;
        let (side, ..) = look(coordinate(ih, r, "lat")?, coordinate(ih, r, "lon")?);
        if &side != country {
            incidents.push(field(ih, r, "event_id")?.to_string());
        }
    }
    Ok((places, prows.len(), incidents, irows.len()))
}

/// The side table and its summary line, as Markdown.
pub fn render_sides(root: &Path, border: &Border) -> Result<String, String> {
    let (places, n_places, incidents, n_incidents) = side_mismatches(root, border)?;
    let mut out = String::from(
        "| place | kind | gazetteer country | `side` | nearest line | chainage km | \
         distance to the line m |\n|---|---|---|---|---|---:|---:|\n",
    );
    for p in &places {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.1} | {:.0} |\n",
            p.name, p.kind, p.country, p.side, p.line, p.chainage_km, p.distance_m
        ));
    }
    let farthest = places.iter().map(|p| p.distance_m).fold(0.0, f64::max);
    out.push_str(&format!(
        "\n{} of the {n_places} places, all within {:.1} km of the line; and {} of the \
         {n_incidents} incidents, tagged at their own coordinates ({}).\n",
        places.len(),
        (farthest / 100.0).ceil() / 10.0,
        incidents.len(),
        incidents.join(", "),
    ));
    Ok(out)
}

/// `text` with the lines between `<!-- BEGIN name … -->` and `<!-- END name -->` replaced by
/// `block`; an error if the markers are missing.
pub fn replace_block(text: &str, name: &str, block: &str) -> Result<String, String> {
    let begin = format!("<!-- BEGIN {name}");
    let end = format!("<!-- END {name} -->");
    let start = text
        .find(&begin)
        .ok_or_else(|| format!("no {begin} … --> marker"))?;
    let body = start
        + text[start..]
            .find('\n')
            .ok_or_else(|| format!("{begin} is the last line"))?
        + 1;
    let stop = body
        + text[body..]
            .find(&end)
            .ok_or_else(|| format!("no {end} marker"))?;
    Ok(format!("{}{block}{}", &text[..body], &text[stop..]))
}

/// The generated blocks of `data/README.md` by marker name: the statement table and the side
/// table.
pub fn blocks(root: &Path, border: &Border) -> Result<Vec<(&'static str, String)>, String> {
    Ok(vec![
        ("statements", render_statements(&statements(root, border)?)),
        ("sides", render_sides(root, border)?),
    ])
}

/// The text of `data/README.md` with every generated block brought up to date.
pub fn updated_readme(root: &Path, border: &Border) -> Result<String, String> {
    let mut text = std::fs::read_to_string(path(root, README)).map_err(|e| e.to_string())?;
    for (name, block) in blocks(root, border)? {
        text = replace_block(&text, name, &block)?;
    }
    Ok(text)
}
