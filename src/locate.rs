//! Which of several polygons contains a point — answered from a grid for most points.
//!
//! Exact containment comes from `geo`'s [`IntervalTreeMultiPolygon`]. On top of it sits a lon/lat
//! grid. A cell that no polygon edge touches is "pure": every point of it has the answer of its
//! centre, computed once, when a point first falls in it. A cell that edges touch ("mixed")
//! keeps the few edges that touch it and which shapes contain its centre: a point of the cell
//! whose straight path from the centre touches no edge of a shape is inside that shape exactly
//! when the centre is (a winding number changes only where the path meets the boundary), so
//! only the shapes whose edges the path meets are tested exactly — usually none or one, where
//! the exact test of every shape was the cost. Every predicate is `geo`'s robust orientation;
//! a path that merely touches an edge, or a centre on an edge, takes the exact test.
//! Containment is planar in longitude/latitude, as GeoJSON draws polygons.

use std::ops::Range;
use std::sync::OnceLock;

use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Contains, Coord, MultiPolygon};

/// Grid cell size in degrees.
const CELL_DEG: f64 = 0.01;
/// Largest grid built; bigger extents are answered exactly for every point.
const MAX_CELLS: usize = 4_000_000;
/// Cell states besides a polygon index: no polygon, or (with the flag) a mixed cell's number.
const NONE: u32 = u32::MAX;
const MIXED: u32 = 1 << 31;
/// Shapes a mixed cell can answer for from its centre (one bit each).
const MAX_MASKED_SHAPES: usize = 64;
/// Widening (in cells) of each edge's cell range: a point's cell comes from a rounded division,
/// so an edge within rounding of a cell's side is listed in both cells.
const CELL_SLACK: f64 = 1e-9;

/// Finds the first of a list of (multi)polygons that contains a point.
///
/// ```
/// use geo::{Coord, MultiPolygon, polygon};
/// use borderline::locate::PolygonLocator;
/// let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let locator = PolygonLocator::new(&[MultiPolygon::new(vec![square])]);
/// assert_eq!(locator.locate(Coord { x: 0.5, y: 0.5 }), Some(0));
/// assert_eq!(locator.locate(Coord { x: 1.5, y: 0.5 }), None);
/// ```
pub struct PolygonLocator {
    shapes: Vec<IntervalTreeMultiPolygon<f64>>,
    grid: Option<Grid>,
}

struct Grid {
    lon0: f64,
    lat0: f64,
    columns: usize,
    rows: usize,
    /// A shape index, [`NONE`], or [`MIXED`] | the number of a mixed cell; pure cells are
    /// filled when first asked.
    cells: Vec<OnceLock<u32>>,
    mixed: Vec<MixedCell>,
    /// Every edge of every shape: its shape and end points.
    edges: Vec<(u32, Coord, Coord)>,
    /// The mixed cells' edges (indexes into `edges`), cell after cell.
    cell_edges: Vec<u32>,
}

/// A cell that edges touch.
struct MixedCell {
    centre: Coord,
    /// Shapes containing the centre, one bit each; `None` when the centre lies on an edge's line
    /// or there are too many shapes: every point of the cell is tested exactly.
    inside: Option<u64>,
    edges: Range<usize>,
}

impl PolygonLocator {
    /// Prepares `shapes` for containment queries; the first containing shape wins.
    pub fn new(shapes: &[MultiPolygon]) -> Self {
        use geo::BoundingRect;
        let extent = crate::geojson_out::union_extent(shapes.iter().map(|s| s.bounding_rect()));
        let mut locator = PolygonLocator {
            shapes: shapes.iter().map(IntervalTreeMultiPolygon::new).collect(),
            grid: None,
        };
        locator.grid = extent.and_then(|r| {
            let columns = ((r.max().x - r.min().x) / CELL_DEG).ceil() as usize + 1;
            let rows = ((r.max().y - r.min().y) / CELL_DEG).ceil() as usize + 1;
            (columns.saturating_mul(rows) <= MAX_CELLS)
                .then(|| locator.grid(shapes, r.min(), columns, rows))
        });
        locator
    }

    /// The grid over `shapes`, its mixed cells built.
    fn grid(&self, shapes: &[MultiPolygon], origin: Coord, columns: usize, rows: usize) -> Grid {
        use geo::LinesIter;
        let edges: Vec<(u32, Coord, Coord)> = shapes
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.lines_iter().map(move |l| (i as u32, l.start, l.end)))
            .collect();
        // (cell, edge) for every cell an edge's bounding box touches, in cell order.
        let span = |from: f64, to: f64, origin: f64, count: usize| {
            let first = ((from - origin) / CELL_DEG - CELL_SLACK).floor().max(0.0) as usize;
            let last = ((to - origin) / CELL_DEG + CELL_SLACK).floor().max(0.0) as usize;
            first..=last.min(count - 1)
        };
        let mut touches: Vec<(usize, u32)> = Vec::new();
        for (e, (_, a, b)) in edges.iter().enumerate() {
            for row in span(a.y.min(b.y), a.y.max(b.y), origin.y, rows) {
                for col in span(a.x.min(b.x), a.x.max(b.x), origin.x, columns) {
                    touches.push((row * columns + col, e as u32));
                }
            }
        }
        touches.sort_unstable();
        let cells: Vec<OnceLock<u32>> = (0..columns * rows).map(|_| OnceLock::new()).collect();
        let mut mixed = Vec::new();
        let cell_edges: Vec<u32> = touches.iter().map(|&(_, e)| e).collect();
        let mut start = 0;
        for group in touches.chunk_by(|x, y| x.0 == y.0) {
            let cell = group[0].0;
            let (row, col) = (cell / columns, cell % columns);
            let centre = Coord {
                x: origin.x + (col as f64 + 0.5) * CELL_DEG,
                y: origin.y + (row as f64 + 0.5) * CELL_DEG,
            };
            let centre_clear = group.iter().all(|&(_, e)| {
                let (_, a, b) = edges[e as usize];
                RobustKernel::orient2d(a, b, centre) != Orientation::Collinear
            });
            let inside = (centre_clear && shapes.len() <= MAX_MASKED_SHAPES).then(|| {
                self.shapes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.contains(&centre))
                    .fold(0u64, |bits, (i, _)| bits | 1 << i)
            });
            let _ = cells[cell].set(MIXED | mixed.len() as u32);
            mixed.push(MixedCell {
                centre,
                inside,
                edges: start..start + group.len(),
            });
            start += group.len();
        }
        Grid {
            lon0: origin.x,
            lat0: origin.y,
            columns,
            rows,
            cells,
            mixed,
            edges,
            cell_edges,
        }
    }

    fn exact(&self, c: Coord) -> Option<usize> {
        self.shapes.iter().position(|s| s.contains(&c))
    }

    /// Index of the first shape containing `c` (x = longitude, y = latitude).
    pub fn locate(&self, c: Coord) -> Option<usize> {
        let Some(grid) = &self.grid else {
            return self.exact(c);
        };
        let col = ((c.x - grid.lon0) / CELL_DEG).floor();
        let row = ((c.y - grid.lat0) / CELL_DEG).floor();
        if !(col >= 0.0
            && row >= 0.0
            && (col as usize) < grid.columns
            && (row as usize) < grid.rows)
        {
            // Outside every shape's bounding box.
            return None;
        }
        let (col, row) = (col as usize, row as usize);
        // Only pure cells are still empty: mixed ones were filled when the grid was built.
        let state = *grid.cells[row * grid.columns + col].get_or_init(|| {
            let centre = Coord {
                x: grid.lon0 + (col as f64 + 0.5) * CELL_DEG,
                y: grid.lat0 + (row as f64 + 0.5) * CELL_DEG,
            };
            self.exact(centre).map_or(NONE, |i| i as u32)
        });
        match state {
            NONE => None,
            s if s & MIXED != 0 => {
                self.locate_in_mixed(grid, &grid.mixed[(s & !MIXED) as usize], c)
            }
            i => Some(i as usize),
        }
    }

    /// [`PolygonLocator::locate`] for a point of a mixed cell (see the module docs).
    fn locate_in_mixed(&self, grid: &Grid, cell: &MixedCell, c: Coord) -> Option<usize> {
        let Some(inside) = cell.inside else {
            return self.exact(c);
        };
        // Shapes whose edges the path from the centre to `c` may meet.
        let mut met = 0u64;
        for &e in &grid.cell_edges[cell.edges.clone()] {
            let (shape, a, b) = grid.edges[e as usize];
            if met & 1 << shape == 0 && may_meet(cell.centre, c, a, b) {
                met |= 1 << shape;
            }
        }
        (0..self.shapes.len()).find(|&i| {
            if met & 1 << i == 0 {
                inside & 1 << i != 0
            } else {
                self.shapes[i].contains(&c)
            }
        })
    }
}

/// Whether the segments `p`–`q` and `a`–`b` may touch: false only when one lies strictly on one
/// side of the other's line.
fn may_meet(p: Coord, q: Coord, a: Coord, b: Coord) -> bool {
    let apart = |x: Orientation, y: Orientation| x == y && x != Orientation::Collinear;
    !(apart(
        RobustKernel::orient2d(a, b, p),
        RobustKernel::orient2d(a, b, q),
    ) || apart(
        RobustKernel::orient2d(p, q, a),
        RobustKernel::orient2d(p, q, b),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes drawn on the grid's own lines and through cell centres (edges along cell sides,
    /// vertices at centres, a hole, a shape inside another): every point of a lattice that hits
    /// the centres, sides and corners of the cells exactly, and points scattered between.
    #[test]
    fn degenerate_cells_answer_as_the_exact_test() {
        use geo::{LineString, Polygon, polygon};
        let outer = LineString::from(vec![(0.0, 0.0), (0.05, 0.0), (0.05, 0.04), (0.0, 0.04)]);
        let hole = LineString::from(vec![(0.015, 0.015), (0.035, 0.015), (0.035, 0.025)]);
        let shapes = [
            // A triangle whose vertices are cell centres, inside the square below: first wins.
            MultiPolygon::new(vec![
                polygon![(x: 0.005, y: 0.005), (x: 0.025, y: 0.005), (x: 0.005, y: 0.035)],
            ]),
            MultiPolygon::new(vec![Polygon::new(outer, vec![hole])]),
            // Beside the square, sharing its east side.
            MultiPolygon::new(vec![
                polygon![(x: 0.05, y: 0.0), (x: 0.08, y: 0.01), (x: 0.05, y: 0.04)],
            ]),
        ];
        let locator = PolygonLocator::new(&shapes);
        assert!(locator.grid.is_some());
        for i in -4..=180 {
            for j in -4..=100 {
                let c = Coord {
                    x: i as f64 * 0.0005,
                    y: j as f64 * 0.0005,
                };
                assert_eq!(locator.locate(c), locator.exact(c), "{c:?}");
                let nudged = Coord {
                    x: c.x + 0.000_123,
                    y: c.y + 0.000_071,
                };
                assert_eq!(locator.locate(nudged), locator.exact(nudged), "{nudged:?}");
            }
        }
    }

    #[test]
    fn grid_answers_equal_the_exact_test() {
        let border = crate::Border::embedded();
        let shapes: Vec<MultiPolygon> = border.countries.iter().map(|c| c.shape.clone()).collect();
        let locator = PolygonLocator::new(&shapes);
        let mut state = 17u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // Points within a few hundred metres of the border's vertices, and over the region.
        let vertices: Vec<Coord> = border
            .lines
            .iter()
            .flat_map(|l| l.geometry.0.iter().copied())
            .collect();
        for k in 0..40_000 {
            let c = if k % 2 == 0 {
                let v = vertices[(next() * vertices.len() as f64) as usize % vertices.len()];
                Coord {
                    x: v.x + (next() - 0.5) * 0.01,
                    y: v.y + (next() - 0.5) * 0.01,
                }
            } else {
                Coord {
                    x: 67.0 + 14.0 * next(),
                    y: 36.5 + 7.0 * next(),
                }
            };
            assert_eq!(locator.locate(c), locator.exact(c), "{c:?}");
        }
    }
}
