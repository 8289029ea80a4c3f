//! An R-tree over the edges of many polylines that answers "which polyline is nearest to this
//! point, where on it, and how far" exactly on the ellipsoid.
//!
//! Edges are held in Earth-centred 3-D coordinates, grouped in runs of up to [`RUN_EDGES`]
//! consecutive edges of one polyline. The tree holds each run's box, grown by its edges'
//! sagitta; the straight-line distance to that box never exceeds the geodesic distance to any
//! of its edges, so the tree yields runs in order of a true lower bound, and the search stops
//! as soon as the bound passes the best exact distance found. The answer therefore equals
//! brute force over every edge, with ties (equal distances, e.g. at a shared vertex) going to
//! the lower polyline index, then to the smaller position along it.
//!
//! Most queries never walk the tree: a lon/lat grid over the indexed edges (plus a margin)
//! keeps, per cell, the runs that can be nearest to some point of that cell — every run within
//! `d + 2r` of the cell's centre, where `d` is the centre's nearest distance and `r` the cell's
//! radius (triangle inequality) — in order of their bound. Cells are filled from the tree on
//! first use, so the answer is the same as the tree's, only faster.

use std::sync::OnceLock;

use geo::LineString;
use rstar::{AABB, Envelope, PointDistance, RTree, RTreeObject};

use geo::{Distance, Geodesic};

use crate::geodesy::{Edge, EdgeFoot, SurfacePoint};

/// Two distances closer than this (metres) are a tie, broken by polyline order.
const TIE_M: f64 = 1e-6;
/// Straight-line distance beyond which the search orders runs by exact bounds rather than by
/// straight-line ones (which lag the geodesic distance by ~c³/24R²: 8 km at 2000 km).
const FAR_SEARCH_M: f64 = 2_000_000.0;
/// Edges per run.
const RUN_EDGES: usize = 8;
/// Runs per group (for points too far for the chord bounds to prune well).
const GROUP_RUNS: usize = 8;
/// Grid cell size in degrees.
const CELL_DEG: f64 = 0.02;
/// How far (degrees) the grid reaches beyond the edges' bounding box.
const GRID_MARGIN_DEG: f64 = 5.0;
/// Largest grid the index builds; a wider extent (e.g. across the antimeridian) uses the tree only.
const MAX_CELLS: usize = 2_000_000;

#[derive(Debug, Clone)]
struct IndexedEdge {
    edge: Edge,
    /// Which polyline the edge belongs to.
    owner: usize,
    /// Distance along the polyline to the edge's start, in metres.
    start_m: f64,
}

/// Consecutive edges `first..first + len` of one polyline, with a box around all of them.
#[derive(Debug, Clone)]
struct Run {
    id: u32,
    first: u32,
    len: u32,
    envelope: AABB<[f64; 3]>,
    /// The start of the first edge, and the length of all: every point of the run lies within
    /// `length_m` of `anchor` along the polyline, hence on the ellipsoid.
    anchor: geo::Point,
    length_m: f64,
}

/// Consecutive runs `first..first + len` of one polyline, bounded like a run.
#[derive(Debug, Clone)]
struct Group {
    first: usize,
    len: usize,
    anchor: geo::Point,
    length_m: f64,
}

impl RTreeObject for Run {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl PointDistance for Run {
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        self.envelope.distance_2(point)
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

/// A run that may hold the nearest edge for points of a grid cell.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    run: u32,
    /// No point of the cell is nearer than this (m) to any edge of the run.
    bound_m: f32,
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
    edges: Vec<IndexedEdge>,
    runs: Vec<Run>,
    groups: Vec<Group>,
    tree: RTree<Run>,
    grid: Option<Grid>,
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
    fn covering(polylines: &[LineString]) -> Option<Grid> {
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for c in polylines.iter().flat_map(|l| l.0.iter()) {
            min = [min[0].min(c.x), min[1].min(c.y)];
            max = [max[0].max(c.x), max[1].max(c.y)];
        }
        let lon0 = min[0] - GRID_MARGIN_DEG;
        let lat0 = (min[1] - GRID_MARGIN_DEG).max(-89.0);
        let columns = ((max[0] + GRID_MARGIN_DEG - lon0) / CELL_DEG).ceil();
        let rows = (((max[1] + GRID_MARGIN_DEG).min(89.0) - lat0) / CELL_DEG).ceil();
        let fits = columns.is_finite() && rows >= 1.0 && columns * rows <= MAX_CELLS as f64;
        fits.then(|| {
            let (columns, rows) = (columns as usize, rows as usize);
            Grid {
                lon0,
                lat0,
                columns,
                rows,
                cells: (0..columns * rows).map(|_| OnceLock::new()).collect(),
            }
        })
    }

    fn cell_of(&self, lon_lat: [f64; 2]) -> Option<usize> {
        let col = ((lon_lat[0] - self.lon0) / CELL_DEG).floor();
        let row = ((lon_lat[1] - self.lat0) / CELL_DEG).floor();
        let inside =
            col >= 0.0 && row >= 0.0 && (col as usize) < self.columns && (row as usize) < self.rows;
        inside.then(|| row as usize * self.columns + col as usize)
    }

    /// The centre of a cell and an upper bound of its points' distance from the centre (m).
    fn centre_and_radius(&self, cell: usize) -> (SurfacePoint, f64) {
        let (row, col) = ((cell / self.columns) as f64, (cell % self.columns) as f64);
        let (west, south) = (self.lon0 + col * CELL_DEG, self.lat0 + row * CELL_DEG);
        let centre = SurfacePoint::new(west + CELL_DEG / 2.0, south + CELL_DEG / 2.0);
        let corners = [
            (west, south),
            (west + CELL_DEG, south),
            (west, south + CELL_DEG),
            (west + CELL_DEG, south + CELL_DEG),
        ];
        let radius = corners
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
        let mut runs: Vec<Run> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        for (owner, line) in polylines.iter().enumerate() {
            let first_of_line = edges.len();
            let first_of_runs = runs.len();
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
            for first in (first_of_line..edges.len()).step_by(RUN_EDGES) {
                let last = (first + RUN_EDGES).min(edges.len());
                let envelope = edges[first..last]
                    .iter()
                    .map(|e| {
                        let (a, b, g) = (e.edge.a, e.edge.b, e.edge.sagitta_m);
                        AABB::from_corners(
                            [a[0].min(b[0]) - g, a[1].min(b[1]) - g, a[2].min(b[2]) - g],
                            [a[0].max(b[0]) + g, a[1].max(b[1]) + g, a[2].max(b[2]) + g],
                        )
                    })
                    .reduce(|x, y| x.merged(&y))
                    .unwrap_or_else(AABB::new_empty);
                let [lon, lat] = edges[first].edge.start_lon_lat();
                runs.push(Run {
                    id: runs.len() as u32,
                    first: first as u32,
                    len: (last - first) as u32,
                    envelope,
                    anchor: geo::Point::new(lon, lat),
                    length_m: edges[first..last].iter().map(|e| e.edge.length_m).sum(),
                });
            }
            for first in (first_of_runs..runs.len()).step_by(GROUP_RUNS) {
                let last = (first + GROUP_RUNS).min(runs.len());
                groups.push(Group {
                    first,
                    len: last - first,
                    anchor: runs[first].anchor,
                    length_m: runs[first..last].iter().map(|r| r.length_m).sum(),
                });
            }
        }
        EdgeIndex {
            edges,
            tree: RTree::bulk_load(runs.clone()),
            runs,
            groups,
            grid: Grid::covering(polylines),
        }
    }

    /// Whether the index holds no edges at all.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The nearest polyline to `p` within `max_distance_m`, or `None` if there is none.
    pub fn nearest(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let Some((grid, cell)) = self
            .grid
            .as_ref()
            .and_then(|g| g.cell_of(p.lon_lat).map(|c| (g, c)))
        else {
            return self.nearest_in_tree(p, max_distance_m);
        };
        let candidates = grid.cells[cell].get_or_init(|| self.candidates(grid, cell));
        let mut best: Option<Nearest> = None;
        for c in candidates.iter() {
            if f64::from(c.bound_m) > limit(&best, max_distance_m) {
                break; // Candidates come in order of their bound: none further can win.
            }
            self.search_run(&self.runs[c.run as usize], p, max_distance_m, &mut best);
        }
        best
    }

    /// Evaluates the edges of `run` that can beat `best`.
    fn search_run(
        &self,
        run: &Run,
        p: &SurfacePoint,
        max_distance_m: f64,
        best: &mut Option<Nearest>,
    ) {
        let reach = limit(best, max_distance_m);
        if run.envelope.distance_2(&p.xyz) > reach * reach {
            return;
        }
        // Nearest chord first, so that the best distance is tight before the others are tried.
        let edges = &self.edges[run.first as usize..(run.first + run.len) as usize];
        let mut chords = [0.0f64; RUN_EDGES];
        let mut first = 0;
        for (k, item) in edges.iter().enumerate() {
            chords[k] = item.edge.chord_distance_2(&p.xyz);
            if chords[k] < chords[first] {
                first = k;
            }
        }
        for k in std::iter::once(first).chain((0..edges.len()).filter(|&k| k != first)) {
            let (item, chord2) = (&edges[k], chords[k]);
            let reach = limit(best, max_distance_m) + item.edge.sagitta_m;
            if chord2 > reach * reach {
                continue;
            }
            let reach = limit(best, max_distance_m);
            let Some(foot) = item.edge.foot_within(p, reach) else {
                continue;
            };
            let candidate = Nearest {
                owner: item.owner,
                distance_m: foot.distance_m,
                along_m: item.start_m + foot.along_m,
                foot,
            };
            if candidate.distance_m <= max_distance_m
                && best.is_none_or(|b| is_better(&candidate, &b))
            {
                *best = Some(candidate);
            }
        }
    }

    /// Every run that can hold the nearest edge for some point of `cell`, in order of bound.
    fn candidates(&self, grid: &Grid, cell: usize) -> Box<[Candidate]> {
        let (centre, radius) = grid.centre_and_radius(cell);
        let Some(nearest) = self.nearest_in_tree(&centre, f64::INFINITY) else {
            return Box::new([]);
        };
        let reach = nearest.distance_m + 2.0 * radius + TIE_M;
        self.tree
            .nearest_neighbor_iter_with_distance_2(&centre.xyz)
            .map(|(run, bound2)| (run.id, bound2.sqrt()))
            .take_while(|(_, bound)| *bound <= reach)
            .map(|(run, bound)| Candidate {
                run,
                // Rounded down to f32, so it stays a lower bound.
                bound_m: next_down_f32((bound - radius).max(0.0)),
            })
            .collect()
    }

    /// [`EdgeIndex::nearest`] by walking the tree: runs in order of a lower bound of their
    /// distance, until the bound passes the best distance found.
    fn nearest_in_tree(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let nearest_bound = self
            .tree
            .nearest_neighbor_iter_with_distance_2(&p.xyz)
            .next();
        let bound_m = nearest_bound.map_or(f64::INFINITY, |(_, bound2)| bound2.sqrt());
        if bound_m > max_distance_m {
            // Even the nearest run's straight-line bound is out of reach (a bounded search,
            // such as the swapped-coordinates check, from far away): nothing can qualify.
            return None;
        }
        if bound_m > FAR_SEARCH_M {
            return self.nearest_far(p, max_distance_m);
        }
        let mut best: Option<Nearest> = None;
        for (run, bound2) in self.tree.nearest_neighbor_iter_with_distance_2(&p.xyz) {
            if bound2.sqrt() > limit(&best, max_distance_m) {
                break;
            }
            self.search_run(run, p, max_distance_m, &mut best);
        }
        best
    }
}

impl EdgeIndex {
    /// [`EdgeIndex::nearest`] for a point hundreds of km or more from every edge, where the
    /// straight-line bounds lag far behind geodesic distances: groups, then runs, are taken in
    /// order of an exact bound (the geodesic distance to their anchor less their length).
    fn nearest_far(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let bound =
            |anchor: geo::Point, length_m: f64| Geodesic.distance(p.point(), anchor) - length_m;
        let mut groups: Vec<(f64, &Group)> = self
            .groups
            .iter()
            .map(|g| (bound(g.anchor, g.length_m), g))
            .collect();
        groups.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut best: Option<Nearest> = None;
        for (group_bound, group) in groups {
            if group_bound > limit(&best, max_distance_m) {
                break;
            }
            let mut runs: Vec<(f64, &Run)> = self.runs[group.first..group.first + group.len]
                .iter()
                .map(|r| (bound(r.anchor, r.length_m), r))
                .collect();
            runs.sort_by(|x, y| x.0.total_cmp(&y.0));
            for (run_bound, run) in runs {
                if run_bound > limit(&best, max_distance_m) {
                    break;
                }
                self.search_run(run, p, max_distance_m, &mut best);
            }
        }
        best
    }
}

/// Distance beyond which nothing can beat `best` (ties included) or be within the maximum.
fn limit(best: &Option<Nearest>, max_distance_m: f64) -> f64 {
    best.map_or(max_distance_m, |b| b.distance_m + TIE_M)
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

fn is_better(c: &Nearest, best: &Nearest) -> bool {
    if (c.distance_m - best.distance_m).abs() <= TIE_M {
        (c.owner, c.along_m) < (best.owner, best.along_m)
    } else {
        c.distance_m < best.distance_m
    }
}
