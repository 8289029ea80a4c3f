//! Tagging a point: its nearest segment and that segment's status on a date, the side of the
//! border it is on, its enclave, and the warnings that go with them.

use std::borrow::Cow;
use std::sync::Arc;

use geo::{BooleanOps, Coord, LineString, MultiPolygon};

use crate::border::Border;
use crate::date::{Date, DateRange};
use crate::geodesy::SurfacePoint;
use crate::index::EdgeIndex;
use crate::locate::PolygonLocator;
use crate::tag::record::TagRecord;
use crate::tag::warning::{FAR_FROM_BORDER_M, SWAP_FAR_M, SWAP_NEAR_M, Warning};

/// The nearest segment to a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentHit {
    /// Index into [`Border::segments`].
    pub segment: usize,
    /// Geodesic (WGS84) distance in metres.
    pub distance_m: f64,
    /// Position of the nearest point along the segment's line, in km from the line's start.
    pub chainage_km: f64,
    /// Longitude and latitude of the nearest point on the border.
    pub foot: [f64; 2],
}

/// The nearest enclave to a point (distance 0 inside it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnclaveHit {
    /// Index into [`Border::enclaves`].
    pub enclave: usize,
    /// Whether the point lies inside the enclave.
    pub inside: bool,
    /// Geodesic distance to the enclave's boundary in metres (0 inside).
    pub distance_m: f64,
}

/// Where a point lies relative to the border: the geometry of a [`TagRecord`], by index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointTags {
    /// The nearest segment, however far (`None` only for a border without segments).
    pub segment: Option<SegmentHit>,
    /// Index into [`Border::countries`] of the country the point lies in, if any.
    pub side: Option<usize>,
    /// The enclave containing the point, or else the nearest one.
    pub enclave: Option<EnclaveHit>,
}

/// A [`TagRecord`] and where its point lies, by index ([`Tagger::tag_located`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<'a> {
    /// The record.
    pub record: TagRecord<'a>,
    /// The indexes behind it; `None` when the coordinates were refused.
    pub at: Option<PointTags>,
}

/// Which date a row's status is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The status on the first day of the range; a change within it is warned.
    Dated(DateRange),
    /// The row has no date although its file has a date column: location only, a warning.
    Undated,
}

impl When {
    /// The status on one day.
    pub fn on(date: Date) -> When {
        When::Dated(DateRange::day(date))
    }
}

/// The indexes a tagger queries, built once per border and shared by its clones.
struct Indexes {
    segments: EdgeIndex,
    /// Every ring of every enclave — holes too: a point in a counter-enclave is as far from the
    /// enclave around it as from the hole's edge.
    enclave_rings: EdgeIndex,
    /// The enclave of each ring of `enclave_rings`.
    enclave_of_ring: Vec<usize>,
    enclave_areas: PolygonLocator,
    countries: PolygonLocator,
}

/// Tags points against a border: build once, query from many threads; clones share the indexes.
///
/// ```
/// use borderline::{Border, Tagger, When};
/// let tagger = Tagger::new(Border::embedded());
/// // Vorukh village (GeoNames point) lies inside the Vorukh enclave.
/// let record = tagger.tag(70.58012, 39.85125, When::on("2022-09-16".parse().unwrap()));
/// assert_eq!(record.enclave, "Vorukh");
/// assert_eq!(record.side, "TJK");
/// assert_eq!(record.segment_id, "Vorukh:001");
/// ```
#[derive(Clone)]
pub struct Tagger {
    border: Arc<Border>,
    indexes: Arc<Indexes>,
    max_distance_m: f64,
}

impl Tagger {
    /// Indexes `border`'s segments, enclaves and countries.
    pub fn new(border: impl Into<Arc<Border>>) -> Self {
        let border = border.into();
        let segment_lines: Vec<LineString> =
            border.segments.iter().map(|s| s.geometry.clone()).collect();
        let (rings, enclave_of_ring): (Vec<LineString>, Vec<usize>) = border
            .enclaves
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.polygon.rings().map(move |ring| (ring.clone(), i)))
            .unzip();
        let enclave_shapes: Vec<MultiPolygon> = border
            .enclaves
            .iter()
            .map(|e| MultiPolygon::new(vec![e.polygon.clone()]))
            .collect();
        let country_shapes: Vec<MultiPolygon> =
            border.countries.iter().map(|c| c.shape.clone()).collect();
        let indexes = Indexes {
            segments: EdgeIndex::new(&segment_lines),
            enclave_rings: EdgeIndex::new(&rings),
            enclave_of_ring,
            enclave_areas: PolygonLocator::new(&enclave_shapes),
            countries: PolygonLocator::new(&country_shapes),
        };
        Tagger {
            border,
            indexes: Arc::new(indexes),
            max_distance_m: f64::INFINITY,
        }
    }

    /// The same tagger with segment fields left empty for points farther than `metres` from
    /// every segment (their `distance_m` is still given).
    pub fn with_max_distance_m(mut self, metres: f64) -> Self {
        self.max_distance_m = metres;
        self
    }

    /// The maximum distance (metres; infinite by default).
    pub fn max_distance_m(&self) -> f64 {
        self.max_distance_m
    }

    /// The border this tagger answers for.
    pub fn border(&self) -> &Border {
        &self.border
    }

    /// The border, shared.
    pub fn shared_border(&self) -> &Arc<Border> {
        &self.border
    }

    /// The nearest segment to `p` within `max_distance_m`, decided exactly on the ellipsoid.
    pub fn nearest_segment(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<SegmentHit> {
        self.indexes
            .segments
            .nearest(p, max_distance_m)
            .map(|hit| SegmentHit {
                segment: hit.owner,
                distance_m: hit.distance_m,
                chainage_km: self.border.segments[hit.owner].from_km + hit.along_m / 1000.0,
                foot: hit.foot.lon_lat(),
            })
    }

    /// The enclave containing `p`, or else the nearest one.
    pub fn nearest_enclave(&self, p: &SurfacePoint) -> Option<EnclaveHit> {
        let c = Coord {
            x: p.lon_lat[0],
            y: p.lon_lat[1],
        };
        if let Some(i) = self.indexes.enclave_areas.locate(c) {
            return Some(EnclaveHit {
                enclave: i,
                inside: true,
                distance_m: 0.0,
            });
        }
        self.indexes
            .enclave_rings
            .nearest(p, f64::INFINITY)
            .map(|hit| EnclaveHit {
                enclave: self.indexes.enclave_of_ring[hit.owner],
                inside: false,
                distance_m: hit.distance_m,
            })
    }

    /// The geometry of the point at `lon`, `lat` (degrees, WGS84, assumed valid): the nearest
    /// segment however far, the side and the enclave.
    pub fn locate(&self, lon: f64, lat: f64) -> PointTags {
        let p = SurfacePoint::new(lon, lat);
        let enclave = self.nearest_enclave(&p);
        // Inside an enclave the enclave's owner wins, whether or not the host is holed for it.
        let side = enclave
            .filter(|e| e.inside)
            .and_then(|e| {
                let owner = &self.border.enclaves[e.enclave].country;
                self.border.countries.iter().position(|k| &k.key == owner)
            })
            .or_else(|| self.indexes.countries.locate(Coord { x: lon, y: lat }));
        PointTags {
            segment: self.nearest_segment(&p, f64::INFINITY),
            side,
            enclave,
        }
    }

    /// Everything borderline says about the point at `lon`, `lat` (degrees, WGS84) `when`.
    ///
    /// Coordinates that are not finite or out of range give a record with only a `tag_error`.
    /// Warnings: [`crate::WarningKind`] explains each.
    pub fn tag(&self, lon: f64, lat: f64, when: When) -> TagRecord<'_> {
        self.tag_located(lon, lat, when).record
    }

    /// [`Tagger::tag`], with the indexes the record was made from (`None` when the coordinates
    /// are not a point on Earth), for writers that encode the text columns by index.
    ///
    /// ```
    /// use borderline::{Border, Tagger, When};
    /// let tagger = Tagger::new(Border::embedded());
    /// let tagged = tagger.tag_located(70.58012, 39.85125, When::on("2022-09-16".parse().unwrap()));
    /// let segment = tagged.at.unwrap().segment.unwrap().segment;
    /// assert_eq!(tagger.border().segments[segment].id, tagged.record.segment_id);
    /// ```
    pub fn tag_located(&self, lon: f64, lat: f64, when: When) -> Located<'_> {
        if let Err(message) = check_coordinates(lon, lat) {
            return Located {
                record: TagRecord::error(message),
                at: None,
            };
        }
        let tags = self.locate(lon, lat);
        let border = &*self.border;
        let mut record = TagRecord::default();
        if let Some(hit) = tags.segment {
            record.distance_m = Some(hit.distance_m);
            if hit.distance_m <= self.max_distance_m {
                let segment = &border.segments[hit.segment];
                let line = &border.lines[segment.line];
                record.segment_id = Cow::Borrowed(&segment.id);
                record.border = Cow::Borrowed(&line.border);
                record.line = Cow::Borrowed(&line.id);
                record.chainage_km = Some(hit.chainage_km);
                record.border_lon = Some(hit.foot[0]);
                record.border_lat = Some(hit.foot[1]);
                match when {
                    When::Dated(range) => {
                        let period = segment.period_at(range.start);
                        record.status = Cow::Borrowed(segment.status_at(range.start));
                        record.status_basis =
                            period.map_or(Cow::Borrowed(""), |p| Cow::Borrowed(p.basis.as_str()));
                        record.status_since = period.and_then(|p| p.from);
                        // A single day has one status (most rows are dated to the day).
                        if range.end > range.start {
                            let during = segment.statuses_during(range.start, range.end);
                            if during.len() > 1 {
                                record
                                    .tag_warning
                                    .push(Warning::status_changed(&range.to_string(), &during));
                            }
                        }
                    }
                    When::Undated => record.tag_warning.push(Warning::undated()),
                }
            }
            if hit.distance_m > SWAP_FAR_M
                && let Some(swapped) = self.swapped_distance_m(lon, lat)
            {
                record
                    .tag_warning
                    .push(Warning::swapped(hit.distance_m, swapped));
            }
            if hit.distance_m > FAR_FROM_BORDER_M && hit.distance_m <= self.max_distance_m {
                record
                    .tag_warning
                    .push(Warning::far_from_border(hit.distance_m));
            }
        }
        if let Some(side) = tags.side {
            record.side = Cow::Borrowed(&border.countries[side].key);
        }
        if let Some(e) = tags.enclave {
            let name = &border.enclaves[e.enclave].name;
            if e.inside {
                record.enclave = Cow::Borrowed(name);
            }
            record.nearest_enclave = Cow::Borrowed(name);
            record.enclave_distance_m = Some(e.distance_m);
        }
        Located {
            record,
            at: Some(tags),
        }
    }

    /// The distance to the border of the point with latitude and longitude exchanged, when that
    /// point exists and lies within [`SWAP_NEAR_M`] of a segment. The search is bounded by that
    /// distance: the exchanged point of a far row is usually thousands of km from the border,
    /// where an unbounded search costs a fraction of a millisecond.
    fn swapped_distance_m(&self, lon: f64, lat: f64) -> Option<f64> {
        (lon.abs() <= 90.0)
            .then(|| self.nearest_segment(&SurfacePoint::new(lat, lon), SWAP_NEAR_M))
            .flatten()
            .map(|h| h.distance_m)
    }
}

/// Why `lon`, `lat` are not a point on Earth, if they are not.
fn check_coordinates(lon: f64, lat: f64) -> Result<(), String> {
    for (what, value) in [("latitude", lat), ("longitude", lon)] {
        if !value.is_finite() {
            return Err(format!("{what} {value} is not finite"));
        }
    }
    match (lat.abs() <= 90.0, lon.abs() <= 180.0) {
        (true, true) => Ok(()),
        (false, _) if lon.abs() <= 90.0 => Err(format!(
            "latitude {lat} is out of range (±90); are latitude and longitude swapped?"
        )),
        (false, _) => Err(format!("latitude {lat} is out of range (±90)")),
        (true, false) => Err(format!("longitude {lon} is out of range (±180)")),
    }
}
