//! Where a map writes the names of countries, enclaves and places.
//!
//! A country is named at an interior point of the largest piece of it that lies in the frame
//! (the polygons may reach far beyond the view); an enclave at an interior point of its polygon;
//! a place beside its point. Where labels would overlap, the more important one wins: countries,
//! then enclaves, then places in their file's order ([`declutter`]; the page does the same at
//! every zoom).

use geo::{Area, BooleanOps, Coord, InteriorPoint, LineString, MultiPolygon, Polygon, Rect};

use super::projection::Projection;
use crate::border::Border;
use crate::places::Places;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabelKind {
    /// A country, in capitals.
    Country,
    /// An enclave.
    Enclave,
    /// A place of `--places`, beside its dot.
    Place,
}

impl LabelKind {
    /// Font size in units.
    pub fn font_size(self) -> f64 {
        match self {
            LabelKind::Country => 15.0,
            LabelKind::Enclave => 12.0,
            LabelKind::Place => 11.0,
        }
    }

    /// Its name in the page (a CSS class).
    pub fn name(self) -> &'static str {
        match self {
            LabelKind::Country => "country",
            LabelKind::Enclave => "enclave",
            LabelKind::Place => "place",
        }
    }
}

/// A label at a point of the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// What it names.
    pub kind: LabelKind,
    /// The text.
    pub text: String,
    /// Anchor in frame units: the text's middle (countries, enclaves) or the place's point.
    pub x: f64,
    /// See `x`.
    pub y: f64,
}

impl Label {
    /// The box the text covers (estimated from its length), as (x0, y0, x1, y1).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let size = self.kind.font_size();
        let chars = self.text.chars().count() as f64;
        match self.kind {
            LabelKind::Country => {
                let w = chars * size * 0.78; // capitals, letter-spaced
                (
                    self.x - w / 2.0,
                    self.y - size * 0.8,
                    self.x + w / 2.0,
                    self.y + size * 0.3,
                )
            }
            LabelKind::Enclave => {
                let w = chars * size * 0.6;
                (
                    self.x - w / 2.0,
                    self.y - size * 0.8,
                    self.x + w / 2.0,
                    self.y + size * 0.3,
                )
            }
            LabelKind::Place => {
                let w = chars * size * 0.58;
                (
                    self.x + 4.0,
                    self.y - size * 0.5,
                    self.x + 6.0 + w,
                    self.y + size * 0.6,
                )
            }
        }
    }
}

/// Every label of the map, most important first.
pub(super) fn labels(
    border: &Border,
    places: Option<&Places>,
    p: &Projection,
    frame: (f64, f64),
) -> Vec<Label> {
    let margin = 24.0;
    let frame = Polygon::from(Rect::new(
        Coord {
            x: margin,
            y: margin,
        },
        Coord {
            x: frame.0 - margin,
            y: frame.1 - margin,
        },
    ));
    let mut out = Vec::new();
    for country in &border.countries {
        let projected = MultiPolygon::new(
            country
                .shape
                .0
                .iter()
                .map(|polygon| project_polygon(polygon, p))
                .collect(),
        );
        let inside = projected.intersection(&frame);
        let Some(largest) = inside
            .0
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        else {
            continue;
        };
        if largest.unsigned_area() < 400.0 {
            continue; // too little of it in view to write a name in
        }
        if let Some((x, y)) = pole(largest) {
            out.push(Label {
                kind: LabelKind::Country,
                text: country.name.to_uppercase(),
                x,
                y,
            });
        }
    }
    for enclave in &border.enclaves {
        if let Some(point) = project_polygon(&enclave.polygon, p).interior_point() {
            out.push(Label {
                kind: LabelKind::Enclave,
                text: enclave.name.clone(),
                x: point.x(),
                y: point.y(),
            });
        }
    }
    for place in places.iter().flat_map(|p| &p.rows) {
        let (x, y) = p.point(place.lon, place.lat);
        out.push(Label {
            kind: LabelKind::Place,
            text: place.name.clone(),
            x,
            y,
        });
    }
    out
}

/// A point of `polygon` far from its edges (the best of a grid, a pole of inaccessibility to
/// within a grid step), where a name is best read; an interior point when the grid misses it.
fn pole(polygon: &Polygon) -> Option<(f64, f64)> {
    use geo::{BoundingRect, Contains, Distance, Euclidean, Simplify};
    let rect = polygon.bounding_rect()?;
    let simple = polygon.simplify(1.0);
    let n = 40;
    let mut best: Option<(f64, f64, f64)> = None;
    for i in 0..=n {
        for j in 0..=n {
            let x = rect.min().x + rect.width() * f64::from(i) / f64::from(n);
            let y = rect.min().y + rect.height() * f64::from(j) / f64::from(n);
            let point = geo::Point::new(x, y);
            if !simple.contains(&point) {
                continue;
            }
            let clearance = std::iter::once(simple.exterior())
                .chain(simple.interiors())
                .map(|ring| Euclidean.distance(&point, ring))
                .fold(f64::INFINITY, f64::min);
            if best.is_none_or(|b| clearance > b.2) {
                best = Some((x, y, clearance));
            }
        }
    }
    best.map(|(x, y, _)| (x, y))
        .or_else(|| polygon.interior_point().map(|p| (p.x(), p.y())))
}

fn project_ring(ring: &LineString, p: &Projection) -> LineString {
    LineString::from(
        p.line(ring.0.iter().map(|c| (c.x, c.y)))
            .map(|(x, y)| Coord { x, y })
            .collect::<Vec<_>>(),
    )
}

/// A polygon in frame units.
pub(super) fn project_polygon(polygon: &Polygon, p: &Projection) -> Polygon {
    Polygon::new(
        project_ring(polygon.exterior(), p),
        polygon
            .interiors()
            .iter()
            .map(|r| project_ring(r, p))
            .collect(),
    )
}

/// Which of `labels` (most important first) to show, for boxes scaled by `scale` around their
/// anchors `(x, y)` given in the same units as the boxes: each one that overlaps none shown
/// before it and lies within `width` × `height`.
pub fn declutter(labels: &[Label], width: f64, height: f64) -> Vec<bool> {
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    labels
        .iter()
        .map(|label| {
            let b = label.bounds();
            let inside = b.0 >= 0.0 && b.1 >= 0.0 && b.2 <= width && b.3 <= height;
            let free = !taken
                .iter()
                .any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3);
            let show = inside && free;
            if show {
                taken.push(b);
            }
            show
        })
        .collect()
}
