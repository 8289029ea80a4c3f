//! An index over the edges of many polylines that answers "which polyline is nearest to this
//! point, where on it, and how far" exactly on the ellipsoid.
//!
//! # What is exact
//!
//! Every polyline is a chain of *slots*: a vertex and the edge that starts there (the last
//! vertex has none). A point's distance to the set is the smallest of its distances to every
//! vertex and to the interior of every edge whose chord foot falls strictly inside it — the
//! same values [`Edge::foot_within`] gives edge by edge, each vertex counted once (a vertex
//! shared by two polylines belongs to the lower one). Ties (distances within `TIE_M`) go to
//! the lowest polyline, then to the smallest position along it, whichever order the candidates
//! were met in. The index returns exactly what brute force over every edge returns.
//!
//! # How it gets there fast
//!
//! Edges are held in Earth-centred 3-D coordinates. The straight-line (chord) distance from a
//! point to a vertex, or to an edge's chord less the edge's sagitta, is a lower bound of the
//! geodesic distance, and within the closed form's range the geodesic exceeds the chord by at
//! most `arc_excess_bound_m` (c³/24R², a millimetre at 20 km).
//!
//! Most queries are answered from a lazy two-level lon/lat grid. A *block* (4×4 cells) keeps
//! every vertex and edge that can be nearest (within a tie) to some point of it; a *cell* keeps
//! the subset that can be nearest to some point of the cell, as runs of consecutive slots.
//! "Can be nearest" is decided against the feature X nearest to the cell's centre: a feature Y
//! is dropped when, everywhere in the cell's ball (centre c, radius r), its lower bound exceeds
//! X's upper bound by more than a tie. The chord distances h are 1-Lipschitz, and by the
//! Dunkl–Williams inequality the gradient of h_Y − h_X is at most 2·diam(X ∪ Y) / (h_X + h_Y),
//! so over the ball h_Y − h_X ≥ h_Y(c) − h_X(c) − r·min(2, 2·diam / (h_X(c) + h_Y(c) − 2r)).
//! Far from the line that gradient is small, so a cell keeps a handful of slots even when it
//! is much larger than the spacing of the vertices.
//!
//! A query scans its cell's slots once (a dozen flops per slot: the vertex and the edge's chord
//! foot share the same dot products), evaluates the feature with the smallest lower bound
//! exactly, and is done when the second-smallest lower bound is beyond it; otherwise every
//! feature whose bound is within a tie of the best is evaluated.
//!
//! Points outside the grid, or too far from every edge for the closed form (cells marked
//! `CellList::Tree`), walk an R-tree of runs of `RUN_EDGES` edges, boxed with their
//! sagitta, in order of a true lower bound of the geodesic distance: the straight-line distance
//! to the box, or beyond 1500 km the arc that distance subtends (see
//! `geodesic_lower_bound_m`), which lags the geodesic by at most 0.34%.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use geo::LineString;
use rstar::{AABB, Envelope, PointDistance, RTree, RTreeObject};

use crate::geodesy::{
    Edge, EdgeFoot, FAST_PATH_MAX_M, SurfacePoint, WGS84_A, WGS84_F, arc_excess_bound_m, dot, norm,
    sub,
};

/// Two distances closer than this (metres) are a tie, broken by polyline order.
const TIE_M: f64 = 1e-6;
/// Slack (m) added to every pruning test, far above the rounding of the distances compared.
const ROUNDING_M: f64 = 1e-3;
/// Chords beyond which `geodesic_lower_bound_m` bounds by the arc rather than by the chord
/// (the chord lags the geodesic by ~c³/24R², 8 km at 2000 km; the arc by 0.34%).
const ARC_BOUND_FROM_M: f64 = 1_500_000.0;
/// Edges per run.
const RUN_EDGES: usize = 8;
/// Grid cell size in degrees.
const CELL_DEG: f64 = 0.02;
/// Cells per block side.
const BLOCK_CELLS: usize = 4;
/// How far (degrees) the grid reaches beyond the edges' bounding box.
const GRID_MARGIN_DEG: f64 = 5.0;
/// Largest number of blocks the index lays out (16 bytes each until used).
const MAX_BLOCKS: usize = 4_000_000;
/// Cells whose nearest edge may be farther than this (chord, m) use the tree: the pruning
/// bounds hold where distances come from the closed form.
const CELL_REACH_M: f64 = 0.95 * FAST_PATH_MAX_M;
/// Queries a cell takes from its block's list before it gets its own (filling a cell costs
/// about as much as a dozen scans of a block's list).
const CELL_FILL_AFTER: u8 = 4;
/// Blocks with at most this many slots never fill their cells.
const SMALL_BLOCK_SLOTS: usize = 8;
/// A slot without an edge.
const NO_EDGE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct IndexedEdge {
    edge: Edge,
    /// Which polyline the edge belongs to.
    owner: usize,
    /// Distance along the polyline to the edge's start, in metres.
    start_m: f64,
}

/// A vertex and the chord of the edge that starts there, as the per-point scan reads them
/// (one cache line).
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    a: [f64; 3],
    /// Chord of the edge starting at `a`; zero for the last vertex of a polyline.
    chord: [f64; 3],
    /// 1 / |chord|², 0 without an edge: the chord foot is then always at the vertex.
    inv_chord_len2: f64,
    /// 0, or +∞ when an earlier slot holds the same vertex (it is counted there).
    repeat: f64,
}

/// What the exact evaluation of a slot needs besides its geometry.
#[derive(Debug, Clone, Copy)]
struct SlotInfo {
    owner: u32,
    /// Index of the edge starting at the vertex, or [`NO_EDGE`].
    edge: u32,
    /// Distance along the polyline to the vertex, in metres (the smaller of the values its two
    /// edges give, as brute force breaks that tie).
    along_m: f64,
    /// Distance along the edge whose foot the vertex is taken as (0, or the length of the last
    /// edge for a polyline's last vertex).
    foot_along_m: f64,
    /// Midpoint of the edge's chord and half its length (the vertex and 0 without an edge).
    edge_mid: [f64; 3],
    edge_half_m: f64,
}

/// Consecutive edges `first..first + len` of one polyline, with a box around all of them.
#[derive(Debug, Clone)]
struct Run {
    id: u32,
    first: u32,
    len: u32,
    /// The slots holding those edges' vertices, the polyline's last vertex included.
    slots: (u32, u32),
    envelope: AABB<[f64; 3]>,
    /// The centre of the envelope and half its diagonal.
    mid: [f64; 3],
    half_m: f64,
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

/// An index over the edges of a set of polylines (see the module docs).
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
    slots: Vec<Slot>,
    info: Vec<SlotInfo>,
    /// The largest sagitta of any edge (m).
    max_sagitta_m: f64,
    runs: Vec<Run>,
    tree: RTree<Run>,
    grid: Option<Grid>,
}

/// The two-level lon/lat grid (see the module docs).
#[derive(Debug)]
struct Grid {
    lon0: f64,
    lat0: f64,
    columns: usize,
    rows: usize,
    block_columns: usize,
    blocks: Vec<OnceLock<Box<Block>>>,
}

#[derive(Debug)]
enum Block {
    /// Too far from every edge for the grid: every point walks the tree.
    Tree,
    Cells {
        /// Features (slot × 2, + 1 for the edge) that can be nearest somewhere in the block.
        features: Box<[u32]>,
        /// The slots holding them, which queries scan until their cell has its own.
        slots: Box<[(u32, u32)]>,
        /// Queries per cell so far; a cell gets its own list after [`CELL_FILL_AFTER`].
        hits: Box<[AtomicU8]>,
        cells: Box<[OnceLock<CellList>]>,
    },
}

#[derive(Debug)]
enum CellList {
    /// Too far from every edge for the grid: the point walks the tree.
    Tree,
    /// Runs `first..end` of slots whose vertices and edges can be nearest in the cell.
    Slots(Box<[(u32, u32)]>),
}

/// A lon/lat rectangle's centre and an upper bound of the straight-line distance (m) from the
/// centre to any of its points.
fn centre_and_radius(west: f64, south: f64, size_deg: f64) -> (SurfacePoint, f64) {
    let half = size_deg / 2.0;
    let centre = SurfacePoint::new(west + half, south + half);
    // Corners and mid-sides are the farthest points of so small a rectangle; the margin covers
    // the curvature of its parallels.
    let radius = [
        (0.0, 0.0),
        (half, 0.0),
        (size_deg, 0.0),
        (0.0, half),
        (size_deg, half),
        (0.0, size_deg),
        (half, size_deg),
        (size_deg, size_deg),
    ]
    .iter()
    .map(|&(dx, dy)| {
        norm(sub(
            SurfacePoint::new(west + dx, south + dy).xyz,
            centre.xyz,
        ))
    })
    .fold(0.0, f64::max);
    (centre, radius * 1.01 + 1.0)
}

impl Grid {
    fn covering(polylines: &[LineString]) -> Option<Grid> {
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for c in polylines.iter().flat_map(|l| l.0.iter()) {
            min = [min[0].min(c.x), min[1].min(c.y)];
            max = [max[0].max(c.x), max[1].max(c.y)];
        }
        let lon0 = (min[0] - GRID_MARGIN_DEG).max(-180.0);
        let lat0 = (min[1] - GRID_MARGIN_DEG).max(-89.0);
        let columns = (((max[0] + GRID_MARGIN_DEG).min(180.0) - lon0) / CELL_DEG).ceil();
        let rows = (((max[1] + GRID_MARGIN_DEG).min(89.0) - lat0) / CELL_DEG).ceil();
        let fits = columns.is_finite()
            && rows >= 1.0
            && columns >= 1.0
            && (columns / BLOCK_CELLS as f64).ceil() * (rows / BLOCK_CELLS as f64).ceil()
                <= MAX_BLOCKS as f64;
        fits.then(|| {
            let (columns, rows) = (columns as usize, rows as usize);
            let block_columns = columns.div_ceil(BLOCK_CELLS);
            let blocks = block_columns * rows.div_ceil(BLOCK_CELLS);
            Grid {
                lon0,
                lat0,
                columns,
                rows,
                block_columns,
                blocks: (0..blocks).map(|_| OnceLock::new()).collect(),
            }
        })
    }

    /// The block of a point and the cell within it, or `None` outside the grid.
    fn locate(&self, lon_lat: [f64; 2]) -> Option<(usize, usize)> {
        let col = ((lon_lat[0] - self.lon0) / CELL_DEG).floor();
        let row = ((lon_lat[1] - self.lat0) / CELL_DEG).floor();
        let inside =
            col >= 0.0 && row >= 0.0 && (col as usize) < self.columns && (row as usize) < self.rows;
        inside.then(|| {
            let (col, row) = (col as usize, row as usize);
            (
                (row / BLOCK_CELLS) * self.block_columns + col / BLOCK_CELLS,
                (row % BLOCK_CELLS) * BLOCK_CELLS + col % BLOCK_CELLS,
            )
        })
    }

    /// South-west corner of a block.
    fn block_corner(&self, block: usize) -> (f64, f64) {
        let (row, col) = (block / self.block_columns, block % self.block_columns);
        let size = CELL_DEG * BLOCK_CELLS as f64;
        (self.lon0 + col as f64 * size, self.lat0 + row as f64 * size)
    }
}

/// The features met so far that are within a tie of the smallest distance (see the module docs
/// for the rule that picks among them).
struct Ties {
    found: [Option<Nearest>; 8],
    min_m: f64,
}

impl Ties {
    fn new() -> Ties {
        Ties {
            found: [None; 8],
            min_m: f64::INFINITY,
        }
    }

    /// Distance beyond which a feature can be neither the nearest nor tied with it.
    fn limit(&self) -> f64 {
        self.min_m + TIE_M
    }

    fn offer(&mut self, n: Nearest) {
        if n.distance_m > self.limit() {
            return;
        }
        if n.distance_m < self.min_m {
            self.min_m = n.distance_m;
            let limit = self.limit();
            for slot in &mut self.found {
                if slot.is_some_and(|f| f.distance_m > limit) {
                    *slot = None;
                }
            }
        }
        let key = |f: &Nearest| (f.owner, f.along_m);
        match self.found.iter_mut().find(|f| f.is_none()) {
            Some(free) => *free = Some(n),
            // More than eight features within a micrometre: keep the lowest keys.
            None => {
                if let Some(worst) = self.found.iter_mut().max_by(|x, y| {
                    let (x, y) = (x.map(|f| key(&f)), y.map(|f| key(&f)));
                    x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
                }) && worst.is_some_and(|w| key(&n) < key(&w))
                {
                    *worst = Some(n);
                }
            }
        }
    }

    /// The lowest polyline, then position, among the features tied for the minimum, if that
    /// minimum is within `max_distance_m`.
    fn best(&self, max_distance_m: f64) -> Option<Nearest> {
        if self.min_m > max_distance_m {
            return None;
        }
        self.found
            .iter()
            .flatten()
            .filter(|f| f.distance_m <= max_distance_m)
            .min_by(|x, y| {
                (x.owner, x.along_m)
                    .partial_cmp(&(y.owner, y.along_m))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .copied()
    }
}

impl EdgeIndex {
    /// Indexes every edge of `polylines` (longitude/latitude, edges are geodesics).
    pub fn new(polylines: &[LineString]) -> Self {
        let mut edges: Vec<IndexedEdge> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut info: Vec<SlotInfo> = Vec::new();
        let mut runs: Vec<Run> = Vec::new();
        let mut seen: HashMap<[u64; 3], ()> = HashMap::new();
        for (owner, line) in polylines.iter().enumerate() {
            let first_of_line = edges.len();
            let first_slot = slots.len();
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
            if edges.len() == first_of_line {
                continue;
            }
            // One slot per edge start, and one for the last vertex.
            let mut previous_end: Option<f64> = None;
            for (k, item) in edges[first_of_line..].iter().enumerate() {
                let (chord, inv_chord_len2) = item.edge.chord();
                let along_m = previous_end.map_or(item.start_m, |end| end.min(item.start_m));
                slots.push(Slot {
                    a: item.edge.a,
                    chord,
                    inv_chord_len2,
                    repeat: 0.0,
                });
                let a = item.edge.a;
                info.push(SlotInfo {
                    owner: owner as u32,
                    edge: (first_of_line + k) as u32,
                    along_m,
                    foot_along_m: 0.0,
                    edge_mid: [
                        a[0] + chord[0] / 2.0,
                        a[1] + chord[1] / 2.0,
                        a[2] + chord[2] / 2.0,
                    ],
                    edge_half_m: norm(chord) / 2.0,
                });
                previous_end = Some(item.start_m + item.edge.along_to(item.edge.b));
            }
            let last = &edges[edges.len() - 1];
            slots.push(Slot {
                a: last.edge.b,
                chord: [0.0; 3],
                inv_chord_len2: 0.0,
                repeat: 0.0,
            });
            info.push(SlotInfo {
                owner: owner as u32,
                edge: NO_EDGE,
                along_m: last.start_m + last.edge.along_to(last.edge.b),
                foot_along_m: last.edge.along_to(last.edge.b),
                edge_mid: last.edge.b,
                edge_half_m: 0.0,
            });
            for slot in &mut slots[first_slot..] {
                if seen.insert(slot.a.map(f64::to_bits), ()).is_some() {
                    slot.repeat = f64::INFINITY;
                }
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
                let slot_of = |edge: usize| (first_slot + edge - first_of_line) as u32;
                let end_slot = if last == edges.len() {
                    slot_of(last) + 1 // the polyline's last vertex
                } else {
                    slot_of(last)
                };
                let (lower, upper) = (envelope.lower(), envelope.upper());
                runs.push(Run {
                    id: runs.len() as u32,
                    first: first as u32,
                    len: (last - first) as u32,
                    slots: (slot_of(first), end_slot),
                    envelope,
                    mid: [
                        (lower[0] + upper[0]) / 2.0,
                        (lower[1] + upper[1]) / 2.0,
                        (lower[2] + upper[2]) / 2.0,
                    ],
                    half_m: norm(sub(upper, lower)) / 2.0,
                });
            }
        }
        EdgeIndex {
            max_sagitta_m: edges.iter().map(|e| e.edge.sagitta_m).fold(0.0, f64::max),
            edges,
            slots,
            info,
            tree: RTree::bulk_load(runs.clone()),
            runs,
            grid: Grid::covering(polylines),
        }
    }

    /// Whether the index holds no edges at all.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The nearest polyline to `p` within `max_distance_m`, or `None` if there is none.
    pub fn nearest(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        match self.cell_slots(p) {
            Some(slots) => self.nearest_in_slots(slots, p, max_distance_m),
            None => self.nearest_in_tree(p, max_distance_m),
        }
    }

    /// The slot runs of `p`'s grid cell (or block), filled on first use; `None` where the tree
    /// answers.
    fn cell_slots(&self, p: &SurfacePoint) -> Option<&[(u32, u32)]> {
        let grid = self.grid.as_ref()?;
        let (block, cell) = grid.locate(p.lon_lat)?;
        let block_data = grid.blocks[block].get_or_init(|| Box::new(self.fill_block(grid, block)));
        let Block::Cells {
            features,
            slots,
            hits,
            cells,
        } = &**block_data
        else {
            return None;
        };
        let list = match cells[cell].get() {
            Some(list) => list,
            None if features.len() <= 2 * SMALL_BLOCK_SLOTS => return Some(slots),
            None if hits[cell].fetch_add(1, Ordering::Relaxed) < CELL_FILL_AFTER => {
                return Some(slots);
            }
            None => cells[cell].get_or_init(|| {
                let (west, south) = grid.block_corner(block);
                let (row, col) = (cell / BLOCK_CELLS, cell % BLOCK_CELLS);
                let (centre, radius) = centre_and_radius(
                    west + col as f64 * CELL_DEG,
                    south + row as f64 * CELL_DEG,
                    CELL_DEG,
                );
                let measured: Vec<Measured> = features
                    .iter()
                    .map(|&f| self.measure(f, &centre.xyz))
                    .collect();
                match prune(&measured, radius) {
                    None => CellList::Tree,
                    Some(kept) => CellList::Slots(slot_runs(kept.map(|m| m.id))),
                }
            }),
        };
        match list {
            CellList::Slots(slots) => Some(slots),
            CellList::Tree => None,
        }
    }

    /// Every feature that can be nearest somewhere in a block, from the tree.
    fn fill_block(&self, grid: &Grid, block: usize) -> Block {
        let (west, south) = grid.block_corner(block);
        let (centre, radius) = centre_and_radius(west, south, CELL_DEG * BLOCK_CELLS as f64);
        let c = centre.xyz;
        // The feature with the smallest upper bound (chord plus sagitta) at the centre.
        let mut nearest: Option<Measured> = None;
        for (run, bound2) in self.tree.nearest_neighbor_iter_with_distance_2(&c) {
            if nearest.is_some_and(|x| bound2.sqrt() > x.h + x.sagitta_m) {
                break;
            }
            for f in self.run_features(run) {
                let m = self.measure(f, &c);
                if nearest.is_none_or(|x| m.h + m.sagitta_m < x.h + x.sagitta_m) {
                    nearest = Some(m);
                }
            }
        }
        let Some(x) = nearest.filter(|x| x.h + x.sagitta_m + radius <= CELL_REACH_M) else {
            return Block::Tree;
        };
        // What can be kept lies within 2r of that bound, plus both sagittas and the arc excess.
        let reach = x.h
            + x.sagitta_m
            + 2.0 * radius
            + self.max_sagitta_m
            + arc_excess_bound_m(x.h + x.sagitta_m + radius)
            + TIE_M
            + ROUNDING_M;
        let mut reached: Vec<&Run> = self.tree.locate_within_distance(c, reach * reach).collect();
        reached.sort_by_key(|r| r.id);
        // Whole runs first (their box bounds every feature of theirs), then their features.
        let runs: Vec<Measured> = reached
            .iter()
            .map(|r| Measured {
                id: r.id,
                h: r.envelope.distance_2(&c).sqrt(),
                sagitta_m: self.max_sagitta_m,
                mid: r.mid,
                half_m: r.half_m,
            })
            .collect();
        let mut measured: Vec<Measured> = keep(&runs, &x, radius)
            .flat_map(|m| self.run_features(&self.runs[m.id as usize]))
            .map(|f| self.measure(f, &c))
            .collect();
        measured.push(x);
        let Some(kept) = prune(&measured, radius) else {
            return Block::Tree;
        };
        let mut features: Vec<u32> = kept.map(|m| m.id).collect();
        features.sort_unstable();
        features.dedup();
        Block::Cells {
            slots: slot_runs(features.iter().copied()),
            features: features.into_boxed_slice(),
            hits: (0..BLOCK_CELLS * BLOCK_CELLS)
                .map(|_| AtomicU8::new(0))
                .collect(),
            cells: (0..BLOCK_CELLS * BLOCK_CELLS)
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The features (see [`Block::Cells`]) of a run's slots.
    fn run_features(&self, run: &Run) -> impl Iterator<Item = u32> + '_ {
        (run.slots.0..run.slots.1).flat_map(move |k| {
            let slot = &self.slots[k as usize];
            let vertex = (slot.repeat == 0.0).then_some(2 * k);
            let edge = (self.info[k as usize].edge != NO_EDGE).then_some(2 * k + 1);
            vertex.into_iter().chain(edge)
        })
    }

    /// A feature's straight-line distance from `c` (to its vertex, or to its edge's chord),
    /// sagitta and extent.
    fn measure(&self, feature: u32, c: &[f64; 3]) -> Measured {
        let k = (feature / 2) as usize;
        let slot = &self.slots[k];
        let w = sub(*c, slot.a);
        if feature & 1 == 0 {
            return Measured {
                id: feature,
                h: norm(w),
                sagitta_m: 0.0,
                mid: slot.a,
                half_m: 0.0,
            };
        }
        let t = (dot(w, slot.chord) * slot.inv_chord_len2).clamp(0.0, 1.0);
        let info = &self.info[k];
        Measured {
            id: feature,
            h: norm([
                w[0] - t * slot.chord[0],
                w[1] - t * slot.chord[1],
                w[2] - t * slot.chord[2],
            ]),
            sagitta_m: self.edges[info.edge as usize].edge.sagitta_m,
            mid: info.edge_mid,
            half_m: info.edge_half_m,
        }
    }

    /// The nearest feature among the slots of `runs` (which hold every feature that can be
    /// nearest to `p`).
    fn nearest_in_slots(
        &self,
        runs: &[(u32, u32)],
        p: &SurfacePoint,
        max_distance_m: f64,
    ) -> Option<Nearest> {
        // The two smallest squared straight-line distances, and whose the smallest is.
        let (mut s1, mut s2, mut f1) = (f64::INFINITY, f64::INFINITY, u32::MAX);
        for &(first, end) in runs {
            for (k, slot) in (first..end).zip(&self.slots[first as usize..end as usize]) {
                let w = sub(p.xyz, slot.a);
                let ww = dot(w, w);
                let wd = dot(w, slot.chord);
                let t = wd * slot.inv_chord_len2;
                let sv = ww + slot.repeat;
                if sv < s2 {
                    if sv < s1 {
                        (s2, s1, f1) = (s1, sv, 2 * k);
                    } else {
                        s2 = sv;
                    }
                }
                if t > 0.0 && t < 1.0 {
                    let se = (ww - wd * t).max(0.0);
                    if se < s2 {
                        if se < s1 {
                            (s2, s1, f1) = (s1, se, 2 * k + 1);
                        } else {
                            s2 = se;
                        }
                    }
                }
            }
        }
        if f1 == u32::MAX || s1.sqrt() - self.max_sagitta_m > max_distance_m {
            return None;
        }
        let first = self.evaluate(f1, p);
        if s2.sqrt() - self.max_sagitta_m > first.distance_m + TIE_M {
            return (first.distance_m <= max_distance_m).then_some(first);
        }
        // Another feature may come within a tie: evaluate every one whose bound allows it.
        let mut ties = Ties::new();
        ties.offer(first);
        for &(first, end) in runs {
            for k in first..end {
                let slot = &self.slots[k as usize];
                let w = sub(p.xyz, slot.a);
                let ww = dot(w, w);
                if 2 * k != f1 && slot.repeat == 0.0 && ww.sqrt() <= ties.limit() {
                    ties.offer(self.evaluate(2 * k, p));
                }
                let wd = dot(w, slot.chord);
                let t = wd * slot.inv_chord_len2;
                if 2 * k + 1 != f1
                    && t > 0.0
                    && t < 1.0
                    && (ww - wd * t).max(0.0).sqrt() - self.max_sagitta_m <= ties.limit()
                {
                    ties.offer(self.evaluate(2 * k + 1, p));
                }
            }
        }
        ties.best(max_distance_m)
    }

    /// The exact distance to a feature: its vertex, or the interior foot of its edge.
    fn evaluate(&self, feature: u32, p: &SurfacePoint) -> Nearest {
        let info = &self.info[(feature / 2) as usize];
        if feature & 1 == 0 {
            let xyz = self.slots[(feature / 2) as usize].a;
            let distance_m = p.distance_to_xyz(xyz);
            return Nearest {
                owner: info.owner as usize,
                distance_m,
                along_m: info.along_m,
                foot: EdgeFoot {
                    distance_m,
                    along_m: info.foot_along_m,
                    xyz,
                },
            };
        }
        let item = &self.edges[info.edge as usize];
        let foot = item
            .edge
            .foot_within(p, f64::INFINITY)
            .unwrap_or_else(|| unreachable!("no limit"));
        Nearest {
            owner: item.owner,
            distance_m: foot.distance_m,
            along_m: item.start_m + foot.along_m,
            foot,
        }
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
            if chord2 > reach * reach
                || (chord2 > ARC_BOUND_FROM_M * ARC_BOUND_FROM_M
                    && geodesic_lower_bound_m(chord2.sqrt() - item.edge.sagitta_m)
                        > limit(best, max_distance_m))
            {
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

    /// [`EdgeIndex::nearest`] by walking the tree: runs in order of a lower bound of their
    /// distance, until the bound passes the best distance found.
    fn nearest_in_tree(&self, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let nearest_bound = self
            .tree
            .nearest_neighbor_iter_with_distance_2(&p.xyz)
            .next();
        let bound = nearest_bound.map(|(_, bound2)| geodesic_lower_bound_m(bound2.sqrt()))?;
        if bound > max_distance_m {
            return None; // The box bound is a lower bound of every edge's distance.
        }
        let mut best: Option<Nearest> = None;
        for (run, bound2) in self.tree.nearest_neighbor_iter_with_distance_2(&p.xyz) {
            if geodesic_lower_bound_m(bound2.sqrt()) > limit(&best, max_distance_m) {
                break;
            }
            self.search_run(run, p, max_distance_m, &mut best);
        }
        best
    }
}

/// A feature (or a run of them) as seen from the centre of a cell.
#[derive(Debug, Clone, Copy)]
struct Measured {
    id: u32,
    /// Straight-line distance from the centre (a lower bound for a run).
    h: f64,
    /// How far the exact distance can fall below the straight-line one.
    sagitta_m: f64,
    /// A point within `half_m` of every point of the feature.
    mid: [f64; 3],
    half_m: f64,
}

/// The members of `measured` that can be nearest (or tied with it) somewhere within `radius`
/// of the centre, in the order given; `None` if the nearest may be beyond the closed form.
fn prune(measured: &[Measured], radius: f64) -> Option<impl Iterator<Item = &Measured>> {
    let x = measured
        .iter()
        .min_by(|a, b| (a.h + a.sagitta_m).total_cmp(&(b.h + b.sagitta_m)))?;
    (x.h + x.sagitta_m + radius <= CELL_REACH_M).then(|| keep(measured, x, radius))
}

/// The members of `measured` that can come within a tie of `x` somewhere within `radius` of the
/// centre (see the module docs).
fn keep<'a>(
    measured: &'a [Measured],
    x: &Measured,
    radius: f64,
) -> impl Iterator<Item = &'a Measured> {
    // Upper bound of X's exact distance anywhere in the ball, less its chord distance.
    let slack = x.sagitta_m + arc_excess_bound_m(x.h + radius + x.sagitta_m) + TIE_M + ROUNDING_M;
    let (hx, mx, half_x) = (x.h, x.mid, x.half_m);
    measured.iter().filter(move |y| {
        let spread = hx + y.h - 2.0 * radius;
        let gradient = if spread > 0.0 {
            let diam = norm(sub(mx, y.mid)) + half_x + y.half_m;
            (2.0 * diam / spread).min(2.0)
        } else {
            2.0
        };
        y.h - hx - radius * gradient <= y.sagitta_m + slack
    })
}

/// Runs of consecutive slots holding `features` (ascending); a gap of one slot is scanned
/// rather than starting a new run.
fn slot_runs(features: impl Iterator<Item = u32>) -> Box<[(u32, u32)]> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for slot in features.map(|f| f / 2) {
        match runs.last_mut() {
            Some((_, end)) if slot <= *end + 1 => *end = (*end).max(slot + 1),
            _ => runs.push((slot, slot + 1)),
        }
    }
    runs.into_boxed_slice()
}

/// A lower bound (m) of the geodesic distance between two points of the ellipsoid whose
/// straight-line distance is `chord_m`: the chord itself, or — better beyond ~1800 km — the
/// arc of that chord on the sphere of radius a, scaled by b/a. Projecting a path on the
/// ellipsoid radially onto the sphere of radius b never lengthens it, and for chords over
/// √(a² − b²) ≈ 521 km no two points within radius a of the centre are closer in angle than
/// two on that sphere.
fn geodesic_lower_bound_m(chord_m: f64) -> f64 {
    if chord_m <= ARC_BOUND_FROM_M {
        return chord_m;
    }
    let polar = WGS84_A * (1.0 - WGS84_F);
    let arc = 2.0 * polar * (chord_m / (2.0 * WGS84_A)).min(1.0).asin();
    arc.max(chord_m) - ROUNDING_M
}

/// Distance beyond which nothing can beat `best` (ties included) or be within the maximum.
fn limit(best: &Option<Nearest>, max_distance_m: f64) -> f64 {
    best.map_or(max_distance_m, |b| b.distance_m + TIE_M)
}

fn is_better(c: &Nearest, best: &Nearest) -> bool {
    if (c.distance_m - best.distance_m).abs() <= TIE_M {
        (c.owner, c.along_m) < (best.owner, best.along_m)
    } else {
        c.distance_m < best.distance_m
    }
}

#[cfg(test)]
mod tests {
    //! The index against brute force over every edge ([`Edge::foot_within`] edge by edge, the
    //! lowest polyline then position among the distances within a tie of the smallest), on the
    //! points each shortcut could get wrong.

    use super::*;
    use crate::testing::uniform;
    use geo::line_string;

    fn brute_force(index: &EdgeIndex, p: &SurfacePoint, max_distance_m: f64) -> Option<Nearest> {
        let all: Vec<Nearest> = index
            .edges
            .iter()
            .map(|item| {
                let foot = item.edge.foot(p);
                Nearest {
                    owner: item.owner,
                    distance_m: foot.distance_m,
                    along_m: item.start_m + foot.along_m,
                    foot,
                }
            })
            .collect();
        let min = all
            .iter()
            .map(|n| n.distance_m)
            .fold(f64::INFINITY, f64::min);
        if min > max_distance_m {
            return None;
        }
        all.into_iter()
            .filter(|n| n.distance_m <= min + TIE_M && n.distance_m <= max_distance_m)
            .min_by(|x, y| {
                (x.owner, x.along_m)
                    .partial_cmp(&(y.owner, y.along_m))
                    .unwrap()
            })
    }

    #[track_caller]
    fn assert_same(index: &EdgeIndex, lon: f64, lat: f64, max_distance_m: f64) {
        let p = SurfacePoint::new(lon, lat);
        let got = index.nearest(&p, max_distance_m);
        let want = brute_force(index, &p, max_distance_m);
        match (got, want) {
            (None, None) => {}
            (Some(g), Some(w)) => {
                assert_eq!(g.owner, w.owner, "owner at {lon},{lat}: {g:?} vs {w:?}");
                // A vertex counts once however many edges meet there: the index may find it a
                // nanometre nearer than an edge whose chord foot falls just inside.
                assert!(
                    (g.distance_m - w.distance_m).abs() <= TIE_M,
                    "distance at {lon},{lat}: {g:?} vs {w:?}"
                );
                assert!(
                    (g.along_m - w.along_m).abs() <= 1e-6,
                    "along at {lon},{lat}: {g:?} vs {w:?}"
                );
            }
            (g, w) => panic!("at {lon},{lat}: {g:?} vs {w:?}"),
        }
    }

    fn embedded_segments() -> EdgeIndex {
        let border = crate::Border::embedded();
        let lines: Vec<LineString> = border.segments.iter().map(|s| s.geometry.clone()).collect();
        EdgeIndex::new(&lines)
    }

    #[test]
    fn points_near_the_bundled_segments_and_over_the_region() {
        let index = embedded_segments();
        let vertices: Vec<[f64; 3]> = index.slots.iter().map(|s| s.a).collect();
        let mut s = 5;
        for k in 0..6_000 {
            let (lon, lat) = if k % 3 == 0 {
                (66.0 + 11.0 * uniform(&mut s), 37.0 + 6.0 * uniform(&mut s))
            } else {
                let v = vertices[(uniform(&mut s) * vertices.len() as f64) as usize];
                let [lon, lat] = crate::geodesy::lon_lat_of(v);
                let r = 0.1 * uniform(&mut s).powi(3);
                (
                    lon + r * (uniform(&mut s) - 0.5),
                    lat + r * (uniform(&mut s) - 0.5),
                )
            };
            assert_same(&index, lon, lat, f64::INFINITY);
            assert_same(&index, lon, lat, 1_000.0);
            // A maximum a millimetre either side of the distance decides exactly (no margin
            // of a sagitta or a bound may stand in for the distance itself).
            let p = SurfacePoint::new(lon, lat);
            let hit = index.nearest(&p, f64::INFINITY).unwrap();
            assert_eq!(
                index.nearest(&p, hit.distance_m + 1e-3),
                Some(hit),
                "{lon},{lat}"
            );
            assert_eq!(
                index.nearest(&p, hit.distance_m - 1e-3),
                None,
                "{lon},{lat}"
            );
        }
    }

    #[test]
    fn points_on_cell_and_block_corners_and_sides() {
        let index = embedded_segments();
        let grid = index.grid.as_ref().unwrap();
        let mut s = 9;
        for _ in 0..3_000 {
            // A corner of some cell near the line, or the middle of one of its sides.
            let v = index.slots[(uniform(&mut s) * index.slots.len() as f64) as usize].a;
            let [lon, lat] = crate::geodesy::lon_lat_of(v);
            let col = ((lon - grid.lon0) / CELL_DEG).floor() + (uniform(&mut s) * 5.0).floor();
            let row = ((lat - grid.lat0) / CELL_DEG).floor() - (uniform(&mut s) * 5.0).floor();
            let half = if uniform(&mut s) < 0.3 { 0.5 } else { 0.0 };
            let lon = grid.lon0 + (col + half) * CELL_DEG;
            let lat = grid.lat0 + row * CELL_DEG;
            assert_same(&index, lon, lat, f64::INFINITY);
        }
    }

    #[test]
    fn vertices_shared_by_two_edges_and_by_two_lines() {
        let index = embedded_segments();
        for slot in index.slots.iter().step_by(3) {
            let [lon, lat] = crate::geodesy::lon_lat_of(slot.a);
            assert_same(&index, lon, lat, f64::INFINITY);
        }
        // Exactly on a vertex shared by two lines: the lower line, at distance 0.
        let lines = vec![
            line_string![(x: 70.0, y: 40.0), (x: 70.01, y: 40.0), (x: 70.02, y: 40.01)],
            line_string![(x: 70.02, y: 40.01), (x: 70.03, y: 40.0)],
        ];
        let index = EdgeIndex::new(&lines);
        for (lon, lat) in [(70.02, 40.01), (70.01, 40.0), (70.0, 40.0), (70.03, 40.0)] {
            assert_same(&index, lon, lat, f64::INFINITY);
        }
        let hit = index
            .nearest(&SurfacePoint::new(70.02, 40.01), 1.0)
            .unwrap();
        assert_eq!((hit.owner, hit.distance_m), (0, 0.0));
    }

    /// The candidate with the smallest chord distance is evaluated first, and 500 km out the
    /// chord order is not the geodesic order: a geodesic exceeds its chord by d³/24ρ², 1.7 m
    /// more along a meridian (ρ = 6,335 km) than along the equator (6,378 km). From (0°, 0°),
    /// line 0 (4.5°N) is 1 m farther than line 1 (on the equator) yet 0.7 m nearer by chord:
    /// met first, it must be dropped when line 1 comes, not kept as a tie its lower number wins.
    #[test]
    fn a_nearer_line_met_later_replaces_the_first_best() {
        let north = line_string![(x: -0.01, y: 4.5), (x: 0.01, y: 4.5)];
        let east = line_string![(x: 4.469_958_486, y: -0.01), (x: 4.469_958_486, y: 0.01)];
        let index = EdgeIndex::new(&[north, east]);
        let p = SurfacePoint::new(0.0, 0.0);
        let hit = index.nearest(&p, f64::INFINITY).unwrap();
        // geographiclib: 497,594.503 m to (0°, 4.5°N), 497,593.503 m to (4.469958486°E, 0°).
        assert_eq!(hit.owner, 1, "{hit:?}");
        assert!((hit.distance_m - 497_593.503).abs() < 1e-3, "{hit:?}");
    }

    #[test]
    fn ties_go_to_the_lowest_line_whichever_is_met_first() {
        // Mirror images across the equator: every point of the equator is exactly as far from
        // both lines. Listed either way round, the lower index wins.
        let north = line_string![(x: 10.0, y: 0.1), (x: 10.05, y: 0.1), (x: 10.1, y: 0.1)];
        let south = line_string![(x: 10.0, y: -0.1), (x: 10.05, y: -0.1), (x: 10.1, y: -0.1)];
        for lines in [
            vec![north.clone(), south.clone()],
            vec![south.clone(), north.clone()],
        ] {
            let index = EdgeIndex::new(&lines);
            for k in 0..=40 {
                let lon = 9.9 + 0.3 * k as f64 / 40.0;
                let p = SurfacePoint::new(lon, 0.0);
                let hit = index.nearest(&p, f64::INFINITY).unwrap();
                let other = lines[1]
                    .lines()
                    .map(|l| Edge::split(l.start.into(), l.end.into()))
                    .flat_map(|pieces| pieces.into_iter().map(|(_, e)| e.foot(&p).distance_m))
                    .fold(f64::INFINITY, f64::min);
                assert_eq!(hit.distance_m, other, "not a tie at {lon}");
                assert_eq!(hit.owner, 0, "at {lon}");
                assert_same(&index, lon, 0.0, f64::INFINITY);
            }
        }
    }

    /// The radius bounds the chord from the centre to every point of the rectangle, sampled on
    /// a 41 × 41 lattice (its sides included), at every latitude the grid lays cells at.
    #[test]
    fn a_cell_radius_bounds_every_point_of_the_cell() {
        for lat in [-88.9, -60.0, -30.0, -0.01, 0.0, 20.0, 45.0, 70.0, 88.9] {
            for size in [CELL_DEG, CELL_DEG * BLOCK_CELLS as f64] {
                let (west, south) = (71.3, lat - size / 2.0);
                let (centre, radius) = centre_and_radius(west, south, size);
                let farthest = (0..=40)
                    .flat_map(|i| (0..=40).map(move |j| (i, j)))
                    .map(|(i, j)| {
                        let p = SurfacePoint::new(
                            west + size * i as f64 / 40.0,
                            south + size * j as f64 / 40.0,
                        );
                        norm(sub(p.xyz, centre.xyz))
                    })
                    .fold(0.0, f64::max);
                assert!(radius >= farthest, "{lat} {size}: {radius} < {farthest}");
                assert!(
                    radius <= 1.02 * farthest + 1.0,
                    "{lat} {size}: {radius} loose"
                );
            }
        }
    }

    /// What decides the pruning margins (the radius's 1 %, the arc excess in a block's reach and
    /// in `keep`'s slack): a point near a block's corner nearest to a feature that is, from the
    /// block's centre, almost two radii farther than the feature nearest the centre. Two short
    /// lines on the geodesic through the centre and the corner, one on each side, the far one
    /// placed to win within metres of the corner. 300 km out, a radius short of its 1 % (63 m
    /// on a block) drops the far line from the block; 700 km out, so does a reach or slack
    /// short of the arc excess (c³/24R², 360 m there, more than the 1 %).
    #[test]
    fn a_corner_nearest_to_a_line_almost_two_radii_farther_from_the_centre() {
        use geographiclib_rs::{DirectGeodesic, Geodesic as Gl, InverseGeodesic};
        let g = Gl::wgs84();
        // A short line far to the south-west fixes the grid's origin, whatever the others are.
        let anchor = line_string![(x: -20.0, y: -20.0), (x: -20.001, y: -20.0)];
        let (lon0, lat0) = (-20.001 - GRID_MARGIN_DEG, -20.0 - GRID_MARGIN_DEG);
        let size = CELL_DEG * BLOCK_CELLS as f64;
        let (col, row) = ((-lon0 / size).floor(), (-lat0 / size).floor());
        let (west, south) = (lon0 + col * size, lat0 + row * size);
        let (centre, _) = centre_and_radius(west, south, size);
        let [clon, clat] = centre.lon_lat;
        let corner = (west + size - 1e-7, south + size - 1e-7);
        let (to_corner_m, azimuth, _, _): (f64, f64, f64, f64) =
            g.inverse(clat, clon, corner.1, corner.0);
        // A line whose nearest point to the block is its vertex at `s` metres along the
        // geodesic (negative: behind the centre), pointing away from the block.
        let line_at = |s: f64| {
            let away = s + 100.0 * s.signum();
            let (a, b): ((f64, f64), (f64, f64)) = (
                g.direct(clat, clon, azimuth, s),
                g.direct(clat, clon, azimuth, away),
            );
            line_string![(x: a.1, y: a.0), (x: b.1, y: b.0)]
        };
        for near_m in [300_000.0, 700_000.0] {
            for short_m in [1.0, 10.0, 50.0, 150.0] {
                if near_m < 500_000.0 && short_m > 60.0 {
                    continue; // beyond what the 1 % and a 28 m excess can tell apart
                }
                // The far line is as far from the corner as the near one, less `short_m`.
                let far_m = near_m + 2.0 * to_corner_m - short_m;
                let lines = [anchor.clone(), line_at(-near_m), line_at(far_m)];
                let index = EdgeIndex::new(&lines);
                let grid = index.grid.as_ref().unwrap();
                assert_eq!((grid.lon0, grid.lat0), (lon0, lat0));
                let block = grid.locate([clon, clat]).unwrap().0;
                for back_m in [0.01, short_m / 4.0, short_m / 3.0, 0.6 * short_m] {
                    let (lat, lon): (f64, f64) =
                        g.direct(clat, clon, azimuth, to_corner_m - back_m);
                    assert_eq!(grid.locate([lon, lat]).unwrap().0, block, "{lon},{lat}");
                    assert_same(&index, lon, lat, f64::INFINITY);
                    // Within short_m / 2 of the corner the far line is nearest.
                    let want = if back_m < short_m / 2.0 { 2 } else { 1 };
                    let hit = index.nearest(&SurfacePoint::new(lon, lat), f64::INFINITY);
                    assert_eq!(hit.unwrap().owner, want, "{near_m} {short_m} {back_m}");
                }
            }
        }
    }

    /// A block or cell keeps only what can be nearest in it (a looser list gives the same answers,
    /// only slower, so no answer shows it): every feature it keeps is, from its centre, within
    /// 2r of the smallest upper bound of any feature, plus both sagittas and the arc excess —
    /// computed here over every feature of the index, not from the lists. And the lists leave
    /// to the tree exactly the blocks and cells that may be nearest to a feature beyond the
    /// closed form's reach.
    #[test]
    fn blocks_and_cells_keep_only_what_can_be_nearest_in_them() {
        let index = &embedded_segments();
        let grid = index.grid.as_ref().unwrap();
        // Fill the blocks and cells that points near the line and over the region fall in
        // (a cell gets its own list after a few queries).
        let mut s = 17;
        for k in 0..4_000 {
            let (lon, lat) = if k % 2 == 0 {
                let v = index.slots[(uniform(&mut s) * index.slots.len() as f64) as usize].a;
                let [lon, lat] = crate::geodesy::lon_lat_of(v);
                (
                    lon + 0.2 * (uniform(&mut s) - 0.5),
                    lat + 0.2 * (uniform(&mut s) - 0.5),
                )
            } else {
                (62.0 + 19.0 * uniform(&mut s), 32.0 + 14.0 * uniform(&mut s))
            };
            for _ in 0..=CELL_FILL_AFTER {
                index.nearest(&SurfacePoint::new(lon, lat), f64::INFINITY);
            }
        }
        let features_of = |k: u32| {
            let vertex = (index.slots[k as usize].repeat == 0.0).then_some(2 * k);
            let edge = (index.info[k as usize].edge != NO_EDGE).then_some(2 * k + 1);
            vertex.into_iter().chain(edge)
        };
        let every_feature: Vec<u32> = (0..index.slots.len() as u32)
            .flat_map(features_of)
            .collect();
        // Whether `feature` can be nearest within `radius` of `c`, by the bound above (with a
        // metre to spare), and whether the tree answers there.
        let bound = |c: [f64; 3], radius: f64| {
            let least = every_feature
                .iter()
                .map(|&f| index.measure(f, &c))
                .map(|m| m.h + m.sagitta_m)
                .fold(f64::INFINITY, f64::min);
            let reach = least + 2.0 * radius + index.max_sagitta_m;
            let excess = arc_excess_bound_m(least + radius);
            let can_be_nearest = move |f: u32| {
                let m = index.measure(f, &c);
                m.h <= reach + m.sagitta_m + excess + 1.0
            };
            (can_be_nearest, least + radius > CELL_REACH_M)
        };
        let (mut blocks, mut cells) = (0, 0);
        // Every fourth filled block, to keep the test quick (each check measures every feature).
        let filled = grid
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(b, d)| Some((b, d.get()?)));
        for (block, data) in filled.step_by(4) {
            let size = CELL_DEG * BLOCK_CELLS as f64;
            let (west, south) = grid.block_corner(block);
            let (centre, radius) = centre_and_radius(west, south, size);
            let (can_be_nearest, tree) = bound(centre.xyz, radius);
            let Block::Cells {
                features,
                cells: lists,
                ..
            } = &**data
            else {
                assert!(tree, "block {block} left to the tree");
                continue;
            };
            assert!(!tree, "block {block} kept though beyond the closed form");
            blocks += 1;
            for &f in features.iter() {
                assert!(can_be_nearest(f), "block {block} keeps feature {f}");
            }
            for (cell, list) in lists.iter().enumerate() {
                let Some(list) = list.get() else { continue };
                let (row, col) = (cell / BLOCK_CELLS, cell % BLOCK_CELLS);
                let (centre, radius) = centre_and_radius(
                    west + col as f64 * CELL_DEG,
                    south + row as f64 * CELL_DEG,
                    CELL_DEG,
                );
                let (can_be_nearest, tree) = bound(centre.xyz, radius);
                let CellList::Slots(runs) = list else {
                    assert!(tree, "cell {block}/{cell} left to the tree");
                    continue;
                };
                assert!(
                    !tree,
                    "cell {block}/{cell} kept though beyond the closed form"
                );
                cells += 1;
                // A slot is in a run for a feature of its own, or as a gap of one between two.
                let own = |k: u32| features_of(k).any(&can_be_nearest);
                for &(first, end) in runs.iter() {
                    for k in first..end {
                        let gap = k > first && k + 1 < end && own(k - 1) && own(k + 1);
                        assert!(own(k) || gap, "cell {block}/{cell} keeps slot {k}");
                    }
                }
            }
        }
        assert!(
            blocks > 100 && cells > 100,
            "{blocks} blocks, {cells} cells checked"
        );
    }

    #[test]
    fn a_closed_ring_counts_its_first_vertex_once() {
        let ring = line_string![
            (x: 70.5, y: 39.8), (x: 70.6, y: 39.8), (x: 70.6, y: 39.9), (x: 70.5, y: 39.9),
            (x: 70.5, y: 39.8)
        ];
        let index = EdgeIndex::new(&[ring]);
        let hit = index
            .nearest(&SurfacePoint::new(70.5, 39.8), f64::INFINITY)
            .unwrap();
        assert_eq!((hit.distance_m, hit.along_m), (0.0, 0.0));
        let mut s = 3;
        for _ in 0..2_000 {
            let lon = 70.3 + 0.5 * uniform(&mut s);
            let lat = 39.6 + 0.5 * uniform(&mut s);
            assert_same(&index, lon, lat, f64::INFINITY);
        }
    }
}
