//! Which of several polygons contains a point — answered from a grid for most points.
//!
//! Exact containment comes from `geo`'s [`IntervalTreeMultiPolygon`]. On top of it sits a lazy
//! lon/lat grid: a cell that no polygon boundary touches is "pure", every point of it has the
//! answer of its centre, which is computed once; only points in cells that a boundary crosses
//! are tested exactly. Containment is planar in longitude/latitude, as GeoJSON draws polygons.

use std::sync::OnceLock;

use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::{Contains, Coord, MultiPolygon};
use rstar::primitives::Rectangle;
use rstar::{AABB, RTree};

/// Grid cell size in degrees.
const CELL_DEG: f64 = 0.01;
/// Largest grid built; bigger extents are answered exactly for every point.
const MAX_CELLS: usize = 4_000_000;
/// Cell states besides a polygon index.
const MIXED: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

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
    boundaries: RTree<Rectangle<[f64; 2]>>,
    grid: Option<Grid>,
}

struct Grid {
    lon0: f64,
    lat0: f64,
    columns: usize,
    rows: usize,
    cells: Vec<OnceLock<u32>>,
}

impl PolygonLocator {
    /// Prepares `shapes` for containment queries; the first containing shape wins.
    pub fn new(shapes: &[MultiPolygon]) -> Self {
        use geo::{BoundingRect, LinesIter};
        let boxes: Vec<Rectangle<[f64; 2]>> = shapes
            .iter()
            .flat_map(|s| s.lines_iter())
            .map(|l| Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]))
            .collect();
        let extent = crate::geojson_out::union_extent(shapes.iter().map(|s| s.bounding_rect()));
        let grid = extent.and_then(|r| {
            let columns = ((r.max().x - r.min().x) / CELL_DEG).ceil() as usize + 1;
            let rows = ((r.max().y - r.min().y) / CELL_DEG).ceil() as usize + 1;
            (columns.saturating_mul(rows) <= MAX_CELLS).then(|| Grid {
                lon0: r.min().x,
                lat0: r.min().y,
                columns,
                rows,
                cells: (0..columns * rows).map(|_| OnceLock::new()).collect(),
            })
        });
        PolygonLocator {
            shapes: shapes.iter().map(IntervalTreeMultiPolygon::new).collect(),
            boundaries: RTree::bulk_load(boxes),
            grid,
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
        let state = *grid.cells[row * grid.columns + col].get_or_init(|| {
            let (west, south) = (
                grid.lon0 + col as f64 * CELL_DEG,
                grid.lat0 + row as f64 * CELL_DEG,
            );
            let cell = AABB::from_corners([west, south], [west + CELL_DEG, south + CELL_DEG]);
            if self
                .boundaries
                .locate_in_envelope_intersecting(&cell)
                .next()
                .is_some()
            {
                return MIXED;
            }
            let centre = Coord {
                x: west + CELL_DEG / 2.0,
                y: south + CELL_DEG / 2.0,
            };
            self.exact(centre).map_or(NONE, |i| i as u32)
        });
        match state {
            MIXED => self.exact(c),
            NONE => None,
            i => Some(i as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
