//! Which of several polygons contains a point — answered from a grid for most points.
//!
//! Exact containment comes from `geo`'s [`IntervalTreeMultiPolygon`], asked only of the shapes
//! whose bounding box holds the point. On top of it sits a lon/lat grid (cells of 0.01°, or
//! coarser when the shapes span more than `MAX_CELLS` of them, as the world's do). A cell that no polygon edge touches is "pure": every point of it has the answer of its
//! centre, computed once, when a point first falls in it. A cell that edges touch ("mixed")
//! keeps the few edges that touch it and which shapes contain its centre: a point of the cell
//! whose straight path from the centre touches no edge of a shape is inside that shape exactly
//! when the centre is (a winding number changes only where the path meets the boundary), so
//! only the shapes whose edges the path meets are tested exactly — usually none or one, where
//! the exact test of every shape was the cost. Every predicate is `geo`'s robust orientation;
//! a path that merely touches an edge, or a centre on an edge, takes the exact test. With more
//! than `MAX_MASKED_SHAPES` shapes, mixed cells keep no edges: their points take the exact test.
//! Containment is planar in longitude/latitude, as GeoJSON draws polygons.

use std::ops::Range;
use std::sync::OnceLock;

use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Contains, Coord, MultiPolygon};

/// Grid cell size in degrees, unless the extent needs coarser cells.
const CELL_DEG: f64 = 0.01;
/// Most cells in a grid: coarser cells beyond.
const MAX_CELLS: usize = 4_000_000;
/// Cell states besides a polygon index: no polygon, a mixed cell answered exactly, or (with the
/// flag) a mixed cell's number.
const NONE: u32 = u32::MAX;
const EXACT: u32 = u32::MAX - 1;
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
    /// Each shape's bounding box (`None`: empty).
    boxes: Vec<Option<geo::Rect>>,
    grid: Option<Grid>,
}

struct Grid {
    lon0: f64,
    lat0: f64,
    cell_deg: f64,
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
        use geo::orient::{Direction, Orient};
        // The interval trees count winding numbers: a hole wound as its exterior would count
        // twice, "inside". Wound the standard way, winding ≠ 0 is exactly containment.
        let shapes: Vec<MultiPolygon> = shapes
            .iter()
            .map(|s| s.orient(Direction::Default))
            .collect();
        let shapes = shapes.as_slice();
        let extent = crate::geojson_out::union_extent(shapes.iter().map(|s| s.bounding_rect()));
        let mut locator = PolygonLocator {
            shapes: shapes.iter().map(IntervalTreeMultiPolygon::new).collect(),
            boxes: shapes.iter().map(|s| s.bounding_rect()).collect(),
            grid: None,
        };
        locator.grid = extent.map(|r| {
            let (width, height) = (r.max().x - r.min().x, r.max().y - r.min().y);
            let mut cell_deg = CELL_DEG.max((width * height / MAX_CELLS as f64).sqrt());
            let size = |cell_deg: f64| {
                let columns = (width / cell_deg).ceil() as usize + 1;
                (columns, (height / cell_deg).ceil() as usize + 1)
            };
            while size(cell_deg).0 * size(cell_deg).1 > MAX_CELLS {
                cell_deg *= 1.01;
            }
            let (columns, rows) = size(cell_deg);
            locator.grid(shapes, r.min(), cell_deg, columns, rows)
        });
        locator
    }

    /// The grid over `shapes`, its mixed cells built.
    fn grid(
        &self,
        shapes: &[MultiPolygon],
        origin: Coord,
        cell_deg: f64,
        columns: usize,
        rows: usize,
    ) -> Grid {
        use geo::LinesIter;
        // The cells an edge's bounding box touches.
        let span = |from: f64, to: f64, origin: f64, count: usize| {
            let first = ((from - origin) / cell_deg - CELL_SLACK).floor().max(0.0) as usize;
            let last = ((to - origin) / cell_deg + CELL_SLACK).floor().max(0.0) as usize;
            first..=last.min(count - 1)
        };
        let cells: Vec<OnceLock<u32>> = (0..columns * rows).map(|_| OnceLock::new()).collect();
        let mut grid = Grid {
            lon0: origin.x,
            lat0: origin.y,
            cell_deg,
            columns,
            rows,
            cells,
            mixed: Vec::new(),
            edges: Vec::new(),
            cell_edges: Vec::new(),
        };
        if shapes.len() > MAX_MASKED_SHAPES {
            for line in shapes.iter().flat_map(|s| s.lines_iter()) {
                let (a, b) = (line.start, line.end);
                for row in span(a.y.min(b.y), a.y.max(b.y), origin.y, rows) {
                    for col in span(a.x.min(b.x), a.x.max(b.x), origin.x, columns) {
                        let _ = grid.cells[row * columns + col].set(EXACT);
                    }
                }
            }
            return grid;
        }
        let edges: Vec<(u32, Coord, Coord)> = shapes
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.lines_iter().map(move |l| (i as u32, l.start, l.end)))
            .collect();
        // (cell, edge) for every cell an edge's bounding box touches, in cell order.
        let mut touches: Vec<(usize, u32)> = Vec::new();
        for (e, (_, a, b)) in edges.iter().enumerate() {
            for row in span(a.y.min(b.y), a.y.max(b.y), origin.y, rows) {
                for col in span(a.x.min(b.x), a.x.max(b.x), origin.x, columns) {
                    touches.push((row * columns + col, e as u32));
                }
            }
        }
        touches.sort_unstable();
        let mut mixed = Vec::new();
        let cell_edges: Vec<u32> = touches.iter().map(|&(_, e)| e).collect();
        let mut start = 0;
        for group in touches.chunk_by(|x, y| x.0 == y.0) {
            let cell = group[0].0;
            let (row, col) = (cell / columns, cell % columns);
            let centre = Coord {
                x: origin.x + (col as f64 + 0.5) * cell_deg,
                y: origin.y + (row as f64 + 0.5) * cell_deg,
            };
            let centre_clear = group.iter().all(|&(_, e)| {
                let (_, a, b) = edges[e as usize];
                RobustKernel::orient2d(a, b, centre) != Orientation::Collinear
            });
            let inside = centre_clear.then(|| {
                self.shapes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.contains(&centre))
                    .fold(0u64, |bits, (i, _)| bits | 1 << i)
            });
            let _ = grid.cells[cell].set(MIXED | mixed.len() as u32);
            mixed.push(MixedCell {
                centre,
                inside,
                edges: start..start + group.len(),
            });
            start += group.len();
        }
        grid.mixed = mixed;
        grid.edges = edges;
        grid.cell_edges = cell_edges;
        grid
    }

    fn exact(&self, c: Coord) -> Option<usize> {
        (0..self.shapes.len()).find(|&i| self.holds(i, c))
    }

    /// Whether shape `i` contains `c`.
    fn holds(&self, i: usize, c: Coord) -> bool {
        let in_box = self.boxes[i].is_some_and(|r| {
            (r.min().x..=r.max().x).contains(&c.x) && (r.min().y..=r.max().y).contains(&c.y)
        });
        in_box && self.shapes[i].contains(&c)
    }

    /// Index of the first shape containing `c` (x = longitude, y = latitude).
    pub fn locate(&self, c: Coord) -> Option<usize> {
        let Some(grid) = &self.grid else {
            return self.exact(c);
        };
        let col = ((c.x - grid.lon0) / grid.cell_deg).floor();
        let row = ((c.y - grid.lat0) / grid.cell_deg).floor();
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
                x: grid.lon0 + (col as f64 + 0.5) * grid.cell_deg,
                y: grid.lat0 + (row as f64 + 0.5) * grid.cell_deg,
            };
            self.exact(centre).map_or(NONE, |i| i as u32)
        });
        match state {
            NONE => None,
            EXACT => self.exact(c),
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
                self.holds(i, c)
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
    use crate::testing::uniform;

    /// The first shape containing `c`, by `geo`'s plain multipolygon containment.
    fn oracle(shapes: &[MultiPolygon], c: Coord) -> Option<usize> {
        shapes.iter().position(|s| s.contains(&c))
    }

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
                assert_eq!(locator.locate(c), oracle(&shapes, c), "{c:?}");
                let nudged = Coord {
                    x: c.x + 0.000_123,
                    y: c.y + 0.000_071,
                };
                assert_eq!(
                    locator.locate(nudged),
                    oracle(&shapes, nudged),
                    "{nudged:?}"
                );
            }
        }
    }

    /// More shapes than a cell can answer for from its centre, spread over the whole globe (a
    /// grid of coarse cells): every answer is the exact test's.
    #[test]
    fn many_shapes_over_the_globe_answer_as_the_exact_test() {
        use geo::polygon;
        let shapes: Vec<MultiPolygon> = (0..90)
            .map(|k| {
                let (x, y) = (-178.0 + 4.0 * k as f64, -80.0 + 1.7 * k as f64);
                MultiPolygon::new(vec![polygon![
                    (x: x, y: y), (x: x + 3.0, y: y + 0.5), (x: x + 1.0, y: y + 2.5)
                ]])
            })
            .collect();
        let locator = PolygonLocator::new(&shapes);
        let grid = locator.grid.as_ref().expect("a grid of coarse cells");
        assert!(grid.cell_deg > CELL_DEG && grid.columns * grid.rows <= MAX_CELLS);
        let mut state = 5u64;
        let mut next = || uniform(&mut state);
        let mut inside = 0;
        for _ in 0..200_000 {
            let k = (next() * 90.0) as usize;
            let c = Coord {
                x: -178.0 + 4.0 * k as f64 + 3.2 * next() - 0.1,
                y: -80.0 + 1.7 * k as f64 + 2.7 * next() - 0.1,
            };
            let want = oracle(&shapes, c);
            inside += usize::from(want.is_some());
            assert_eq!(locator.locate(c), want, "{c:?}");
        }
        assert!(inside > 50_000, "{inside}");
    }

    #[test]
    fn grid_answers_equal_the_exact_test() {
        let border = crate::Border::embedded();
        let shapes: Vec<MultiPolygon> = border.countries.iter().map(|c| c.shape.clone()).collect();
        let locator = PolygonLocator::new(&shapes);
        let mut state = 17u64;
        let mut next = || uniform(&mut state);
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
            // The exact test itself is checked against `geo`'s plain containment above; here
            // (country outlines of thousands of vertices) that would take minutes unoptimised.
            assert_eq!(locator.locate(c), locator.exact(c), "{c:?}");
        }
    }
}
