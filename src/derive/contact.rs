//! Step 2 of deriving: where the countries' boundaries touch.
//!
//! Every ring of every country goes into one R-tree of edges, in longitude/latitude, and every
//! vertex asks it which other countries' edges pass within the tolerance. Distances are
//! measured as the file draws its edges — straight in longitude/latitude — in the plane
//! tangent at the vertex, scaled to metres by the WGS84 radii of curvature there: exact to
//! well under a millimetre at the tolerances derive works with.
//!
//! Two countries digitised separately rarely share vertices: a vertex of one lies on an edge of
//! the other (a T-junction). Such an edge is split at the foot of the vertex, so that after
//! this step every stretch the two boundaries share runs between vertices both have.
//!
//! Rings that cannot touch another country (their bounding box, grown by the tolerance, meets
//! no other country's ring box: most islands) are left out of the tree and never queried.

use geo::{BooleanOps, Coord, Polygon, Rect, Winding};
use rayon::prelude::*;
use rstar::{AABB, RTree, RTreeObject};

use super::countries::Territory;

/// A ring of a polygon of a country.
#[derive(Debug, Clone, Copy)]
pub(super) struct RingRef {
    /// Index of the country (territory).
    pub country: u32,
    /// Global index of the polygon (see [`Rings::polygons`]).
    pub polygon: u32,
    /// 0 for the exterior, `k` for the `k`-th hole.
    pub ring: u32,
}

/// Every ring of every country, numbered.
pub(super) struct Rings<'a> {
    pub refs: Vec<RingRef>,
    coords: Vec<&'a [Coord]>,
    /// For each global polygon: its country and its index among the country's polygons.
    pub polygons: Vec<(u32, u32)>,
    /// The first ring of each global polygon (its exterior), in `refs`.
    pub first_ring: Vec<u32>,
    /// Whether the ring may touch another country (see the module docs).
    pub active: Vec<bool>,
    /// Whether its country lies on the left of the ring's direction.
    pub inside_on_left: Vec<bool>,
}

impl<'a> Rings<'a> {
    pub fn new(territories: &'a [Territory], tolerance_m: f64) -> Rings<'a> {
        let mut rings = Rings {
            refs: Vec::new(),
            coords: Vec::new(),
            polygons: Vec::new(),
            first_ring: Vec::new(),
            active: Vec::new(),
            inside_on_left: Vec::new(),
        };
        for (country, territory) in territories.iter().enumerate() {
            for (index, polygon) in territory.polygons.iter().enumerate() {
                let global = rings.polygons.len() as u32;
                rings.polygons.push((country as u32, index as u32));
                rings.first_ring.push(rings.refs.len() as u32);
                for (ring, coords) in polygon_rings(polygon).enumerate() {
                    rings.refs.push(RingRef {
                        country: country as u32,
                        polygon: global,
                        ring: ring as u32,
                    });
                    rings.coords.push(coords);
                }
            }
        }
        rings.active = rings.mark_active(tolerance_m);
        rings.inside_on_left = (0..rings.len())
            .into_par_iter()
            .map(|r| {
                let ring = geo::LineString::new(rings.coords[r].to_vec());
                ring.is_ccw() == (rings.refs[r].ring == 0)
            })
            .collect();
        rings
    }

    /// Whether the countries of ring `r`, along its edge `from → to`, and of ring `s`, along its
    /// edge `j` (running along the first), lie on opposite sides: a border, not an overlap.
    pub fn on_opposite_sides(&self, r: usize, from: Coord, to: Coord, s: usize, j: usize) -> bool {
        let q = &self.coords[s][j..];
        let along = (to.x - from.x) * (q[1].x - q[0].x) + (to.y - from.y) * (q[1].y - q[0].y);
        (self.inside_on_left[r] == self.inside_on_left[s]) != (along > 0.0)
    }

    /// The closed coordinates of ring `r` (last equal to first).
    pub fn coords(&self, r: usize) -> &'a [Coord] {
        self.coords[r]
    }

    pub fn len(&self) -> usize {
        self.refs.len()
    }

    fn mark_active(&self, tolerance_m: f64) -> Vec<bool> {
        let boxes: Vec<RingBox> = (0..self.len())
            .filter_map(|r| {
                let rect = bounding_box(self.coords[r])?;
                Some(RingBox {
                    ring: r as u32,
                    envelope: grown(rect, tolerance_m),
                })
            })
            .collect();
        let tree = RTree::bulk_load(boxes.clone());
        let mut active = vec![false; self.len()];
        for b in &boxes {
            let country = self.refs[b.ring as usize].country;
            active[b.ring as usize] = tree
                .locate_in_envelope_intersecting(&b.envelope)
                .any(|o| self.refs[o.ring as usize].country != country);
        }
        active
    }
}

fn polygon_rings(polygon: &Polygon) -> impl Iterator<Item = &[Coord]> {
    polygon.rings().map(|r| r.0.as_slice())
}

/// The bounding box of some coordinates.
fn bounding_box(coords: &[Coord]) -> Option<Rect> {
    let first = *coords.first()?;
    let (min, max) = coords.iter().fold((first, first), |(min, max), c| {
        (
            Coord {
                x: min.x.min(c.x),
                y: min.y.min(c.y),
            },
            Coord {
                x: max.x.max(c.x),
                y: max.y.max(c.y),
            },
        )
    });
    Some(Rect::new(min, max))
}

#[derive(Debug, Clone)]
struct RingBox {
    ring: u32,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for RingBox {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// Metres per degree of longitude and of latitude at latitude `lat` (WGS84).
pub(super) fn metres_per_degree(lat: f64) -> [f64; 2] {
    use crate::geodesy::{WGS84_A, WGS84_F};
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let (sin, cos) = lat.to_radians().sin_cos();
    let w = 1.0 - e2 * sin * sin;
    let n = WGS84_A / w.sqrt();
    let m = n * (1.0 - e2) / w;
    let rad = std::f64::consts::PI / 180.0;
    [n * cos.abs() * rad, m * rad]
}

/// The box of points within `metres` of `rect` (at least; longitudes clamped to the world).
fn grown(rect: Rect, metres: f64) -> AABB<[f64; 2]> {
    let widest = rect.min().y.abs().max(rect.max().y.abs()).min(90.0);
    let [per_lon, per_lat] = metres_per_degree(widest);
    let dy = metres / per_lat.min(110_574.0);
    let dx = if per_lon > metres / 360.0 {
        (metres / per_lon).min(360.0)
    } else {
        360.0
    };
    AABB::from_corners(
        [rect.min().x - dx, rect.min().y - dy],
        [rect.max().x + dx, rect.max().y + dy],
    )
}

/// Distance in metres from `p` to the edge `a`–`b` drawn straight in longitude/latitude
/// (measured in the plane tangent at `p`), and the fraction along `a → b` of the nearest point.
pub(super) fn to_edge(p: Coord, a: Coord, b: Coord) -> (f64, f64) {
    let [kx, ky] = metres_per_degree(p.y);
    let (ax, ay) = ((a.x - p.x) * kx, (a.y - p.y) * ky);
    let (ex, ey) = ((b.x - a.x) * kx, (b.y - a.y) * ky);
    let length2 = ex * ex + ey * ey;
    let t = if length2 > 0.0 {
        (-(ax * ex + ay * ey) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (fx, fy) = (ax + t * ex, ay + t * ey);
    ((fx * fx + fy * fy).sqrt(), t)
}

/// Distance in metres between two points, in the plane tangent at the first.
pub(super) fn apart_m(p: Coord, q: Coord) -> f64 {
    to_edge(p, q, q).0
}

/// An edge of a ring, as stored in the tree.
#[derive(Debug, Clone)]
struct EdgeItem {
    a: [f64; 2],
    b: [f64; 2],
    ring: u32,
    /// Index of the edge's first vertex in the ring.
    edge: u32,
}

impl RTreeObject for EdgeItem {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.a, self.b)
    }
}

/// An edge near a point.
#[derive(Debug, Clone, Copy)]
pub(super) struct NearEdge {
    pub ring: u32,
    pub edge: u32,
    pub distance_m: f64,
    /// Fraction along the edge of the point nearest to the query.
    pub t: f64,
}

/// The R-tree of the edges of every active ring.
pub(super) struct EdgeTree<'r, 'a> {
    rings: &'r Rings<'a>,
    tree: RTree<EdgeItem>,
}

impl<'r, 'a> EdgeTree<'r, 'a> {
    pub fn new(rings: &'r Rings<'a>) -> Self {
        let edges: Vec<EdgeItem> = (0..rings.len())
            .filter(|&r| rings.active[r])
            .flat_map(|r| {
                rings
                    .coords(r)
                    .windows(2)
                    .enumerate()
                    .map(move |(i, w)| EdgeItem {
                        a: [w[0].x, w[0].y],
                        b: [w[1].x, w[1].y],
                        ring: r as u32,
                        edge: i as u32,
                    })
            })
            .collect();
        EdgeTree {
            rings,
            tree: RTree::bulk_load(edges),
        }
    }

    pub fn rings(&self) -> &'r Rings<'a> {
        self.rings
    }

    /// Every edge within `tolerance_m` of `p` of a country other than `country`.
    pub fn near(
        &self,
        p: Coord,
        tolerance_m: f64,
        country: u32,
    ) -> impl Iterator<Item = NearEdge> + '_ {
        let envelope = grown(Rect::new(p, p), tolerance_m);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .filter(move |e| self.rings.refs[e.ring as usize].country != country)
            .filter_map(move |e| {
                let a = Coord {
                    x: e.a[0],
                    y: e.a[1],
                };
                let b = Coord {
                    x: e.b[0],
                    y: e.b[1],
                };
                let (distance_m, t) = to_edge(p, a, b);
                (distance_m <= tolerance_m).then_some(NearEdge {
                    ring: e.ring,
                    edge: e.edge,
                    distance_m,
                    t,
                })
            })
    }

    /// For every active ring that a ray from `p` due east crosses an odd number of times: the
    /// ring (so `p` is inside it, as the file draws it).
    pub fn rings_around(&self, p: Coord) -> Vec<u32> {
        let ray = AABB::from_corners([p.x, p.y], [181.0, p.y]);
        let mut crossed: Vec<u32> = self
            .tree
            .locate_in_envelope_intersecting(&ray)
            .filter(|e| {
                let (a, b) = (e.a, e.b);
                (a[1] > p.y) != (b[1] > p.y)
                    && a[0] + (p.y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) > p.x
            })
            .map(|e| e.ring)
            .collect();
        crossed.sort_unstable();
        let mut odd = Vec::new();
        for group in crossed.chunk_by(|x, y| x == y) {
            if group.len() % 2 == 1 {
                odd.push(group[0]);
            }
        }
        odd
    }

    /// The global polygons of active rings whose area holds `p` (inside the exterior, in no
    /// hole).
    pub fn polygons_around(&self, p: Coord) -> Vec<u32> {
        let around = self.rings_around(p);
        let mut polygons: Vec<u32> = around
            .iter()
            .filter(|&&r| self.rings.refs[r as usize].ring == 0)
            .map(|&r| self.rings.refs[r as usize].polygon)
            .collect();
        polygons.retain(|&poly| {
            !around.iter().any(|&r| {
                let rr = self.rings.refs[r as usize];
                rr.polygon == poly && rr.ring > 0
            })
        });
        polygons
    }
}

/// A country's boundary within the tolerance of a vertex.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Contact {
    pub country: u32,
    /// Global polygon whose ring passes there.
    pub polygon: u32,
    pub distance_m: f32,
}

/// A ring with its T-junctions split and, for each vertex, the other countries it touches.
#[derive(Debug, Clone)]
pub(super) struct TouchedRing {
    /// Closed: the last coordinate equals the first.
    pub coords: Vec<Coord>,
    /// `contacts[offsets[v]..offsets[v + 1]]` are vertex `v`'s.
    offsets: Vec<u32>,
    contacts: Vec<Contact>,
    /// The index here of each vertex of the ring as the file has it.
    original: Vec<u32>,
}

impl TouchedRing {
    /// Number of distinct vertices (edges) of the ring.
    pub fn len(&self) -> usize {
        self.coords.len() - 1
    }

    /// The contacts of vertex `v` (taken modulo the ring's length).
    pub fn contacts(&self, v: usize) -> &[Contact] {
        let v = v % self.len();
        &self.contacts[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The index here of vertex `v` of the ring as the file has it.
    pub fn vertex_of_original(&self, v: usize) -> usize {
        self.original[v] as usize
    }
}

/// Contacts per vertex of a ring, and the splits its vertices cause on other rings.
struct Found {
    contacts: Vec<(u32, Contact)>,
    splits: Vec<(u32, u32, f64)>,
}

/// Finds every vertex's contacts in the rings `wanted` selects (among the active ones),
/// splitting their edges at T-junctions; `None` for the other rings.
pub(super) fn touch(
    tree: &EdgeTree,
    tolerance_m: f64,
    wanted: impl Fn(usize) -> bool + Sync,
) -> Vec<Option<TouchedRing>> {
    let rings = tree.rings();
    let queried: Vec<usize> = (0..rings.len())
        .filter(|&r| rings.active[r] && wanted(r))
        .collect();
    let found: Vec<Found> = queried
        .par_iter()
        .map(|&r| find_contacts(tree, r, tolerance_m))
        .collect();
    let mut splits: Vec<(u32, u32, f64)> = found
        .iter()
        .flat_map(|f| f.splits.iter().copied())
        .collect();
    splits.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
    let mut out: Vec<Option<TouchedRing>> = (0..rings.len()).map(|_| None).collect();
    let built: Vec<(usize, TouchedRing)> = queried
        .par_iter()
        .zip(found.par_iter())
        .map(|(&r, f)| {
            let first = splits.partition_point(|s| s.0 < r as u32);
            let end = splits.partition_point(|s| s.0 <= r as u32);
            (
                r,
                split_ring(tree, r, &f.contacts, &splits[first..end], tolerance_m),
            )
        })
        .collect();
    for (r, ring) in built {
        out[r] = Some(ring);
    }
    out
}

fn find_contacts(tree: &EdgeTree, r: usize, tolerance_m: f64) -> Found {
    let rings = tree.rings();
    let coords = rings.coords(r);
    let country = rings.refs[r].country;
    let mut found = Found {
        contacts: Vec::new(),
        splits: Vec::new(),
    };
    for (v, &p) in coords[..coords.len() - 1].iter().enumerate() {
        let start = found.contacts.len();
        for near in tree.near(p, tolerance_m, country) {
            let other = rings.refs[near.ring as usize];
            add_contact(
                &mut found.contacts,
                start,
                v as u32,
                other.country,
                other.polygon,
                near.distance_m,
            );
            // A vertex on the middle of another country's edge: split that edge at its foot,
            // unless the foot is within the tolerance of one of the edge's ends (which then
            // touches this vertex already).
            let edge = &rings.coords(near.ring as usize)[near.edge as usize..];
            let length = apart_m(edge[0], edge[1]);
            if near.t * length > tolerance_m && (1.0 - near.t) * length > tolerance_m {
                found.splits.push((near.ring, near.edge, near.t));
            }
        }
    }
    found
}

/// Adds a contact to the vertex's (from `start` on), keeping the nearest per polygon.
fn add_contact(
    contacts: &mut Vec<(u32, Contact)>,
    start: usize,
    vertex: u32,
    country: u32,
    polygon: u32,
    distance_m: f64,
) {
    let distance_m = distance_m as f32;
    match contacts[start..]
        .iter_mut()
        .find(|(_, c)| c.polygon == polygon)
    {
        Some((_, c)) => c.distance_m = c.distance_m.min(distance_m),
        None => contacts.push((
            vertex,
            Contact {
                country,
                polygon,
                distance_m,
            },
        )),
    }
}

/// Ring `r` with a vertex inserted at every split (`splits`: sorted by edge, then fraction).
fn split_ring(
    tree: &EdgeTree,
    r: usize,
    contacts: &[(u32, Contact)],
    splits: &[(u32, u32, f64)],
    tolerance_m: f64,
) -> TouchedRing {
    let rings = tree.rings();
    let source = rings.coords(r);
    let country = rings.refs[r].country;
    let mut ring = TouchedRing {
        coords: Vec::with_capacity(source.len() + splits.len()),
        offsets: vec![0],
        contacts: Vec::with_capacity(contacts.len()),
        original: Vec::with_capacity(source.len()),
    };
    let mut next_contact = 0;
    let mut next_split = 0;
    for (v, &c) in source[..source.len() - 1].iter().enumerate() {
        ring.original.push(ring.coords.len() as u32);
        ring.coords.push(c);
        while next_contact < contacts.len() && contacts[next_contact].0 == v as u32 {
            ring.contacts.push(contacts[next_contact].1);
            next_contact += 1;
        }
        ring.offsets.push(ring.contacts.len() as u32);
        let (a, b) = (c, source[v + 1]);
        while next_split < splits.len() && splits[next_split].1 == v as u32 {
            let t = splits[next_split].2;
            next_split += 1;
            let foot = Coord {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            };
            // Several vertices may land on one spot: keep feet a tolerance apart.
            let last = *ring.coords.last().unwrap_or(&a);
            if apart_m(last, foot) <= tolerance_m || apart_m(foot, b) <= tolerance_m {
                continue;
            }
            ring.coords.push(foot);
            let start = ring.contacts.len();
            let mut found: Vec<(u32, Contact)> = Vec::new();
            for near in tree.near(foot, tolerance_m, country) {
                let other = rings.refs[near.ring as usize];
                add_contact(
                    &mut found,
                    0,
                    0,
                    other.country,
                    other.polygon,
                    near.distance_m,
                );
            }
            ring.contacts.extend(found.into_iter().map(|(_, c)| c));
            debug_assert!(ring.contacts.len() >= start);
            ring.offsets.push(ring.contacts.len() as u32);
        }
    }
    let first = ring.coords[0];
    ring.original.push(ring.coords.len() as u32);
    ring.coords.push(first);
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metres_per_degree_match_the_ellipsoid() {
        // At the equator: a·π/180 along the parallel, a(1−e²)·π/180 along the meridian.
        let [lon, lat] = metres_per_degree(0.0);
        assert!((lon - 111_319.490_793).abs() < 1e-3);
        assert!((lat - 110_574.275_822).abs() < 1e-3);
    }

    #[test]
    fn distance_to_an_edge_drawn_straight() {
        let a = Coord { x: 10.0, y: 45.0 };
        let b = Coord { x: 10.0, y: 46.0 };
        let p = Coord { x: 10.001, y: 45.5 };
        let (d, t) = to_edge(p, a, b);
        assert!((t - 0.5).abs() < 1e-12);
        assert!((d - metres_per_degree(45.5)[0] * 0.001).abs() < 1e-9);
        // Beyond an end, the distance is to the end.
        let (d, t) = to_edge(Coord { x: 10.0, y: 44.999 }, a, b);
        assert_eq!(t, 0.0);
        assert!((d - metres_per_degree(44.999)[1] * 0.001).abs() < 1e-9);
    }
}
