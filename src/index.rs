//! An R-tree over the edges of many polylines that answers "which polyline is nearest to this
//! point, where on it, and how far" exactly on the ellipsoid.
//!
//! The tree holds each edge's chord in Earth-centred 3-D coordinates, its box grown by the
//! edge's sagitta. The straight-line distance to that box never exceeds the geodesic distance,
//! so the tree yields edges in order of a true lower bound; the search stops as soon as the
//! bound passes the best exact distance found. The answer therefore equals brute force over
//! every edge, with ties (equal distances, e.g. at a shared vertex) going to the lower polyline
//! index, then to the smaller position along it.

use geo::LineString;
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use crate::geodesy::{Edge, EdgeFoot, SurfacePoint};

/// Two distances closer than this (metres) are a tie, broken by polyline order.
const TIE_M: f64 = 1e-6;

#[derive(Debug, Clone)]
struct IndexedEdge {
    edge: Edge,
    /// Which polyline the edge belongs to.
    owner: usize,
    /// Distance along the polyline to the edge's start, in metres.
    start_m: f64,
}

impl RTreeObject for IndexedEdge {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        let g = self.edge.sagitta_m;
        let (a, b) = (self.edge.a, self.edge.b);
        AABB::from_corners(
            [a[0].min(b[0]) - g, a[1].min(b[1]) - g, a[2].min(b[2]) - g],
            [a[0].max(b[0]) + g, a[1].max(b[1]) + g, a[2].max(b[2]) + g],
        )
    }
}

impl PointDistance for IndexedEdge {
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        self.edge.lower_bound_m(point).powi(2)
    }
}

/// The nearest point of an indexed polyline to a query point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Index of the polyline, in the order given to [`EdgeIndex::new`].
    pub owner: usize,
    /// Geodesic distance from the query point, in metres.
    pub distance_m: f64,
    /// Geodesic distance along the polyline from its first vertex to the nearest point, in metres.
    pub along_m: f64,
    /// The nearest point itself.
    pub foot: EdgeFoot,
}

/// An R-tree over the edges of a set of polylines (see the module docs).
///
/// ```
/// use geo::line_string;
/// use borderline::geodesy::SurfacePoint;
/// use borderline::index::EdgeIndex;
///
/// let lines = vec![
///     line_string![(x: 70.0, y: 40.0), (x: 70.1, y: 40.0)],
///     line_string![(x: 70.0, y: 40.2), (x: 70.1, y: 40.2)],
/// ];
/// let index = EdgeIndex::new(&lines);
/// let hit = index.nearest(&SurfacePoint::new(70.05, 40.15), f64::INFINITY).unwrap();
/// assert_eq!(hit.owner, 1);
/// assert!((hit.distance_m - 5_549.0).abs() < 5.0); // 0.05° of latitude
/// ```
#[derive(Debug, Clone)]
pub struct EdgeIndex {
    tree: RTree<IndexedEdge>,
}

impl EdgeIndex {
    /// Indexes every edge of `polylines` (longitude/latitude, edges are geodesics).
    pub fn new(polylines: &[LineString]) -> Self {
        let mut edges = Vec::new();
        for (owner, line) in polylines.iter().enumerate() {
            let mut start_m = 0.0;
            for segment in line.lines() {
                let mut length = 0.0;
                for (offset, edge) in Edge::split(segment.start.into(), segment.end.into()) {
                    length = offset + edge.length_m;
                    edges.push(IndexedEdge {
                        edge,
                        owner,
                        start_m: start_m + offset,
                    });
                }
                start_m += length;
            }
        }
        EdgeIndex {
            tree: RTree::bulk_load(edges),
        }
    }

    /// Whether the index holds no edges at all.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The nearest polyline to `p` within `max_distance_m`, or `None` if there is none.
    pub fn nearest(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let mut best: Option<Nearest> = None;
        for (item, bound2) in self.tree.nearest_neighbor_iter_with_distance_2(&p.xyz) {
            let bound = bound2.sqrt();
            let limit = best.map_or(max_distance_m, |b| b.distance_m + TIE_M);
            if bound > limit {
                break;
            }
            let foot = item.edge.foot(p);
            let candidate = Nearest {
                owner: item.owner,
                distance_m: foot.distance_m,
                along_m: item.start_m + foot.along_m,
                foot,
            };
            if candidate.distance_m <= max_distance_m
                && best.is_none_or(|b| is_better(&candidate, &b))
            {
                best = Some(candidate);
            }
        }
        best
    }
}

fn is_better(c: &Nearest, best: &Nearest) -> bool {
    if (c.distance_m - best.distance_m).abs() <= TIE_M {
        (c.owner, c.along_m) < (best.owner, best.along_m)
    } else {
        c.distance_m < best.distance_m
    }
}
