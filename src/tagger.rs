//! Tagging a point: its nearest segment, the side of the border it is on, and its enclave.

use geo::{Coord, LineString, MultiPolygon};

use crate::border::Border;
use crate::geodesy::SurfacePoint;
use crate::index::EdgeIndex;
use crate::locate::PolygonLocator;

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
    pub inside: bool,
    pub distance_m: f64,
}

/// Everything borderline says about one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointTags {
    /// `None` when no segment is within the maximum distance.
    pub segment: Option<SegmentHit>,
    /// Index into [`Border::countries`] of the country the point lies in, if any.
    pub side: Option<usize>,
    pub enclave: Option<EnclaveHit>,
}

/// Answers [`PointTags`] for many points; build once, query from many threads.
///
/// ```
/// use borderline::{Border, tagger::Tagger};
/// let border = Border::embedded();
/// let tagger = Tagger::new(&border);
/// // Vorukh village (GeoNames point) lies inside the Vorukh enclave.
/// let tags = tagger.tag(70.58012, 39.85125, f64::INFINITY);
/// let enclave = tags.enclave.unwrap();
/// assert!(enclave.inside);
/// assert_eq!(border.enclaves[enclave.enclave].name, "Vorukh");
/// assert_eq!(border.countries[tags.side.unwrap()].key, "TJK");
/// ```
pub struct Tagger<'a> {
    border: &'a Border,
    segments: EdgeIndex,
    enclave_rings: EdgeIndex,
    enclave_areas: PolygonLocator,
    countries: PolygonLocator,
}

impl<'a> Tagger<'a> {
    /// Indexes `border`'s segments, enclaves and countries.
    pub fn new(border: &'a Border) -> Self {
        let segment_lines: Vec<LineString> =
            border.segments.iter().map(|s| s.geometry.clone()).collect();
        let rings: Vec<LineString> = border
            .enclaves
            .iter()
            .map(|e| e.polygon.exterior().clone())
            .collect();
        Tagger {
            border,
            segments: EdgeIndex::new(&segment_lines),
            enclave_rings: EdgeIndex::new(&rings),
            enclave_areas: PolygonLocator::new(
                &border
                    .enclaves
                    .iter()
                    .map(|e| MultiPolygon::new(vec![e.polygon.clone()]))
                    .collect::<Vec<_>>(),
            ),
            countries: PolygonLocator::new(
                &border
                    .countries
                    .iter()
                    .map(|c| c.shape.clone())
                    .collect::<Vec<_>>(),
            ),
        }
    }

    #[doc(hidden)]
    pub fn grid_stats(&self) -> [[usize; 5]; 2] {
        [self.segments.grid_stats(), self.enclave_rings.grid_stats()]
    }

    /// The border this tagger answers for.
    pub fn border(&self) -> &'a Border {
        self.border
    }

    /// The nearest segment to `p` within `max_distance_m`, decided exactly on the ellipsoid.
    pub fn nearest_segment(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<SegmentHit> {
        self.segments
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
        if let Some(i) = self.enclave_areas.locate(c) {
            return Some(EnclaveHit {
                enclave: i,
                inside: true,
                distance_m: 0.0,
            });
        }
        self.enclave_rings
            .nearest(p, f64::INFINITY)
            .map(|hit| EnclaveHit {
                enclave: hit.owner,
                inside: false,
                distance_m: hit.distance_m,
            })
    }

    /// Tags the point at `lon`, `lat` (degrees, WGS84).
    pub fn tag(&self, lon: f64, lat: f64, max_distance_m: f64) -> PointTags {
        let p = SurfacePoint::new(lon, lat);
        let enclave = self.nearest_enclave(&p);
        let c = Coord { x: lon, y: lat };
        // Inside an enclave the enclave's owner wins, whether or not the host is holed for it.
        let side = enclave
            .filter(|e| e.inside)
            .and_then(|e| {
                let owner = &self.border.enclaves[e.enclave].country;
                self.border.countries.iter().position(|k| &k.key == owner)
            })
            .or_else(|| self.countries.locate(c));
        PointTags {
            segment: self.nearest_segment(&p, max_distance_m),
            side,
            enclave,
        }
    }
}
