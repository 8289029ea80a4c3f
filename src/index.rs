//! An R-tree over the edges of many polylines that answers "which polyline is nearest to this
//! point, where on it, and how far" exactly on the ellipsoid.
//!
//! The tree holds each edge's chord in Earth-centred 3-D coordinates, its box grown by the
//! edge's sagitta. The straight-line distance to that box never exceeds the geodesic distance,
//! so the tree yields edges in order of a true lower bound; the search stops as soon as the
//! bound passes the best exact distance found. The answer therefore equals brute force over
//! every edge, with ties (equal distances, e.g. at a shared vertex) going to the lower polyline
//! index, then to the smaller position along it.
//!
//! Most queries never walk the tree: a lon/lat grid over the indexed edges (plus a margin)
//! keeps, per cell, the edges that can be nearest to some point of that cell — every edge
//! within `d + 2r` of the cell's centre, where `d` is the centre's nearest distance and `r` the
//! cell's radius (triangle inequality). Cells are filled from the tree on first use, so the
//! answer is the same as the tree's, only faster.

use geo::LineString;
use std::sync::OnceLock;

use rstar::{AABB, PointDistance, RTree, RTreeObject};

use crate::geodesy::{Edge, EdgeFoot, SurfacePoint};

/// Two distances closer than this (metres) are a tie, broken by polyline order.
const TIE_M: f64 = 1e-6;

/// Grid cell size in degrees.
const CELL_DEG: f64 = 0.02;
/// How far (degrees) the grid reaches beyond the edges' bounding box.
const GRID_MARGIN_DEG: f64 = 0.5;
/// Largest grid the index builds; a wider extent (e.g. across the antimeridian) uses the tree only.
const MAX_CELLS: usize = 2_000_000;

#[derive(Debug, Clone)]
struct IndexedEdge {
    /// Position in [`EdgeIndex::edges`].
    id: u32,
    edge: Edge,
    /// Longitude/latitude of the ends of the original (unsplit) edge, for the grid's extent.
    lon_lat: [[f64; 2]; 2],
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
#[derive(Debug)]
pub struct EdgeIndex {
    tree: RTree<IndexedEdge>,
    edges: Vec<IndexedEdge>,
    grid: Option<Grid>,
}

/// An edge that may be nearest to points of a grid cell, with a lower bound of its distance
/// from the cell's centre.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    id: u32,
    /// Lower bound (m) of the edge's distance from the cell centre, minus the cell's radius:
    /// no point of the cell is nearer to the edge than this.
    bound_m: f32,
}

/// The lon/lat grid of candidate lists (see the module docs).
#[derive(Debug)]
struct Grid {
    lon0: f64,
    lat0: f64,
    columns: usize,
    rows: usize,
    cells: Vec<OnceLock<Box<[Candidate]>>>,
}

impl Grid {
    fn covering(edges: &[IndexedEdge]) -> Option<Grid> {
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for e in edges {
            for ll in [e.lon_lat[0], e.lon_lat[1]] {
                for k in 0..2 {
                    min[k] = min[k].min(ll[k]);
                    max[k] = max[k].max(ll[k]);
                }
            }
        }
        let lon0 = min[0] - GRID_MARGIN_DEG;
        let lat0 = (min[1] - GRID_MARGIN_DEG).max(-89.0);
        let columns = ((max[0] + GRID_MARGIN_DEG - lon0) / CELL_DEG).ceil();
        let rows = (((max[1] + GRID_MARGIN_DEG).min(89.0) - lat0) / CELL_DEG).ceil();
        if !(columns.is_finite() && rows.is_finite())
            || columns * rows > MAX_CELLS as f64
            || rows < 1.0
        {
            return None;
        }
        let (columns, rows) = (columns as usize, rows as usize);
        Some(Grid {
            lon0,
            lat0,
            columns,
            rows,
            cells: (0..columns * rows).map(|_| OnceLock::new()).collect(),
        })
    }

    fn cell_of(&self, lon_lat: [f64; 2]) -> Option<usize> {
        let col = ((lon_lat[0] - self.lon0) / CELL_DEG).floor();
        let row = ((lon_lat[1] - self.lat0) / CELL_DEG).floor();
        (col >= 0.0 && row >= 0.0 && (col as usize) < self.columns && (row as usize) < self.rows)
            .then(|| row as usize * self.columns + col as usize)
    }

    /// The centre of a cell and an upper bound of its points' distance from the centre (m).
    fn centre_and_radius(&self, cell: usize) -> (SurfacePoint, f64) {
        let (row, col) = ((cell / self.columns) as f64, (cell % self.columns) as f64);
        let (west, south) = (self.lon0 + col * CELL_DEG, self.lat0 + row * CELL_DEG);
        let centre = SurfacePoint::new(west + CELL_DEG / 2.0, south + CELL_DEG / 2.0);
        let radius = [
            (west, south),
            (west + CELL_DEG, south),
            (west, south + CELL_DEG),
            (west + CELL_DEG, south + CELL_DEG),
        ]
        .iter()
        .map(|&(x, y)| centre.distance_m(&SurfacePoint::new(x, y)))
        .fold(0.0, f64::max);
        // Corners are the farthest points of so small a cell; the margin covers the curvature
        // of its parallels.
        (centre, radius * 1.01 + 1.0)
    }
}

impl EdgeIndex {
    /// Indexes every edge of `polylines` (longitude/latitude, edges are geodesics).
    pub fn new(polylines: &[LineString]) -> Self {
        let mut edges: Vec<IndexedEdge> = Vec::new();
        for (owner, line) in polylines.iter().enumerate() {
            let mut start_m = 0.0;
            for segment in line.lines() {
                let mut length = 0.0;
                for (offset, edge) in Edge::split(segment.start.into(), segment.end.into()) {
                    length = offset + edge.length_m;
                    edges.push(IndexedEdge {
                        id: edges.len() as u32,
                        edge,
                        lon_lat: [
                            [segment.start.x, segment.start.y],
                            [segment.end.x, segment.end.y],
                        ],
                        owner,
                        start_m: start_m + offset,
                    });
                }
                start_m += length;
            }
        }
        EdgeIndex {
            grid: Grid::covering(&edges),
            tree: RTree::bulk_load(edges.clone()),
            edges,
        }
    }

    /// Whether the index holds no edges at all.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The nearest polyline to `p` within `max_distance_m`, or `None` if there is none.
    pub fn nearest(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let Some(grid) = &self.grid else {
            return self.nearest_in_tree(p, max_distance_m);
        };
        let Some(cell) = grid.cell_of(p.lon_lat) else {
            return self.nearest_in_tree(p, max_distance_m);
        };
        let candidates = grid.cells[cell].get_or_init(|| self.candidates(grid, cell));
        let mut best: Option<Nearest> = None;
        for c in candidates.iter() {
            let limit = best.map_or(max_distance_m, |b| b.distance_m + TIE_M);
            if f64::from(c.bound_m) > limit {
                break; // Candidates come in order of their bound: none further can win.
            }
            let item = &self.edges[c.id as usize];
            if item.edge.lower_bound_m(&p.xyz) > limit {
                continue;
            }
            let candidate = evaluate(item, p);
            if candidate.distance_m <= max_distance_m
                && best.is_none_or(|b| is_better(&candidate, &b))
            {
                best = Some(candidate);
            }
        }
        best
    }

    /// Every edge that can be nearest to some point of `cell`, in order of their bound.
    fn candidates(&self, grid: &Grid, cell: usize) -> Box<[Candidate]> {
        let (centre, radius) = grid.centre_and_radius(cell);
        let Some(nearest) = self.nearest_in_tree(&centre, f64::INFINITY) else {
            return Box::new([]);
        };
        let reach = nearest.distance_m + 2.0 * radius + TIE_M;
        self.tree
            .nearest_neighbor_iter_with_distance_2(&centre.xyz)
            .map(|(item, bound2)| (item.id, bound2.sqrt()))
            .take_while(|(_, bound)| *bound <= reach)
            .map(|(id, bound)| Candidate {
                id,
                // Rounded down to f32, so it stays a lower bound.
                bound_m: next_down_f32((bound - radius).max(0.0)),
            })
            .collect()
    }

    /// [`EdgeIndex::nearest`] by walking the tree: edges in order of a lower bound of their
    /// distance, until the bound passes the best distance found.
    fn nearest_in_tree(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let mut best: Option<Nearest> = None;
        for (item, bound2) in self.tree.nearest_neighbor_iter_with_distance_2(&p.xyz) {
            let bound = bound2.sqrt();
            let limit = best.map_or(max_distance_m, |b| b.distance_m + TIE_M);
            if bound > limit {
                break;
            }
            let candidate = evaluate(item, p);
            if candidate.distance_m <= max_distance_m
                && best.is_none_or(|b| is_better(&candidate, &b))
            {
                best = Some(candidate);
            }
        }
        best
    }
}

/// The largest f32 not above `x` (x ≥ 0).
fn next_down_f32(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x {
        f32::from_bits(y.to_bits() - 1)
    } else {
        y
    }
}

fn evaluate(item: &IndexedEdge, p: &SurfacePoint) -> Nearest {
    let foot = item.edge.foot(p);
    Nearest {
        owner: item.owner,
        distance_m: foot.distance_m,
        along_m: item.start_m + foot.along_m,
        foot,
    }
}

fn is_better(c: &Nearest, best: &Nearest) -> bool {
    if (c.distance_m - best.distance_m).abs() <= TIE_M {
        (c.owner, c.along_m) < (best.owner, best.along_m)
    } else {
        c.distance_m < best.distance_m
    }
}
