//! Step 4 of deriving: the stretches of boundary each pair of countries shares.
//!
//! Every pair is read off the rings of the country whose key sorts first (its edges split at
//! the other's vertices in step 2), so each stretch is found once. An edge is shared with
//! country B when both its ends and its middle lie within the tolerance of B's boundary —
//! leaving aside polygons surrounded by another country (step 3), whose perimeters are lines
//! of their own. Outlines that run apart by less than the tolerance (slivers, gaps) are thereby
//! bridged; how many such stretches there were, and how far apart at most, is counted.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::contact::{Contact, EdgeTree, TouchedRing};

/// Outlines closer than this (m) count as coinciding, not as bridged.
const COINCIDENT_M: f32 = 1e-3;

/// A maximal run of edges of one ring of country `a` shared with country `b`.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub a: u32,
    pub b: u32,
    /// The ring of `a` it lies on.
    pub ring: u32,
    /// Its first vertex in the (touched) ring.
    pub start: usize,
    /// Its number of edges; vertices `start ..= start + edges`, modulo the ring's length.
    pub edges: usize,
}

impl Piece {
    /// Its last vertex (modulo the ring's length).
    pub fn end(&self) -> usize {
        self.start + self.edges
    }
}

/// Outlines that were not quite on each other but within the tolerance, per pair.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bridged {
    /// Maximal stretches of shared edges whose outlines are apart by more than 1 mm.
    pub stretches: usize,
    /// The largest distance between the outlines along them (m).
    pub largest_m: f64,
}

/// The shared pieces of every pair `wanted` accepts (its arguments in key order), and what was
/// bridged to find them.
pub(super) fn pieces(
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    excluded: &[bool],
    rank: &[usize],
    tolerance_m: f64,
    wanted: impl Fn(u32, u32) -> bool + Sync,
) -> (Vec<Piece>, BTreeMap<(u32, u32), Bridged>) {
    let rings = tree.rings();
    let per_ring: Vec<(Vec<Piece>, BridgedPerPair)> = (0..rings.len())
        .into_par_iter()
        .filter_map(|r| {
            let ring = touched[r].as_ref()?;
            let refs = rings.refs[r];
            if excluded[refs.polygon as usize] {
                return None;
            }
            let a = refs.country;
            let partner = |c: &Contact| {
                rank[c.country as usize] > rank[a as usize]
                    && !excluded[c.polygon as usize]
                    && wanted(a, c.country)
            };
            // (b, edge, offset) for every shared edge.
            let mut shared: Vec<(u32, usize, f32)> = Vec::new();
            let mut partners: Vec<u32> = Vec::new();
            for i in 0..ring.len() {
                let (u, w) = (ring.contacts(i), ring.contacts(i + 1));
                partners.clear();
                partners.extend(u.iter().filter(|c| partner(c)).map(|c| c.country));
                partners.sort_unstable();
                partners.dedup();
                for &b in &partners {
                    let (Some(du), Some(dw)) =
                        (nearest_of(u, b, excluded), nearest_of(w, b, excluded))
                    else {
                        continue;
                    };
                    let (p, q) = (ring.coords[i], ring.coords[i + 1]);
                    let middle = geo::Coord {
                        x: (p.x + q.x) / 2.0,
                        y: (p.y + q.y) / 2.0,
                    };
                    // Along an edge of b's on the other side (b's polygon on the same side
                    // as a's is an overlap in the source, not a border).
                    let dm = tree
                        .near(middle, tolerance_m, a)
                        .filter(|n| {
                            let other = rings.refs[n.ring as usize];
                            other.country == b
                                && !excluded[other.polygon as usize]
                                && rings.on_opposite_sides(
                                    r,
                                    p,
                                    q,
                                    n.ring as usize,
                                    n.edge as usize,
                                )
                        })
                        .map(|n| n.distance_m as f32)
                        .min_by(f32::total_cmp);
                    if let Some(dm) = dm {
                        shared.push((b, i, du.max(dw).max(dm)));
                    }
                }
            }
            shared.sort_by_key(|s| (s.0, s.1));
            let mut pieces = Vec::new();
            let mut bridged = BridgedPerPair::new();
            for group in shared.chunk_by(|x, y| x.0 == y.0) {
                let b = group[0].0;
                runs(a, b, r as u32, ring.len(), group, &mut pieces);
                bridged.insert((a, b), bridged_in(ring.len(), group));
            }
            Some((pieces, bridged))
        })
        .collect();
    let mut pieces = Vec::new();
    let mut bridged = BridgedPerPair::new();
    for (p, b) in per_ring {
        pieces.extend(p);
        for (pair, stats) in b {
            let total = bridged.entry(pair).or_default();
            total.stretches += stats.stretches;
            total.largest_m = total.largest_m.max(stats.largest_m);
        }
    }
    (pieces, bridged)
}

/// Per pair of countries (in key order).
type BridgedPerPair = BTreeMap<(u32, u32), Bridged>;

/// The distance to country `b`'s nearest polygon among a vertex's contacts (surrounded
/// polygons aside), if it touches `b`.
fn nearest_of(contacts: &[Contact], b: u32, excluded: &[bool]) -> Option<f32> {
    contacts
        .iter()
        .filter(|c| c.country == b && !excluded[c.polygon as usize])
        .map(|c| c.distance_m)
        .min_by(f32::total_cmp)
}

/// The maximal cyclic runs of the shared edges (sorted, distinct) of a ring of `n` edges.
fn runs(a: u32, b: u32, ring: u32, n: usize, shared: &[(u32, usize, f32)], out: &mut Vec<Piece>) {
    let edges: Vec<usize> = shared.iter().map(|s| s.1).collect();
    if edges.len() == n {
        out.push(Piece {
            a,
            b,
            ring,
            start: 0,
            edges: n,
        });
        return;
    }
    let is_shared = |i: usize| edges.binary_search(&(i % n)).is_ok();
    for &e in &edges {
        if is_shared(e + n - 1) {
            continue; // not the first edge of its run
        }
        let mut len = 1;
        while is_shared(e + len) {
            len += 1;
        }
        out.push(Piece {
            a,
            b,
            ring,
            start: e,
            edges: len,
        });
    }
}

/// The stretches of consecutive shared edges whose outlines are apart by more than 1 mm.
fn bridged_in(n: usize, shared: &[(u32, usize, f32)]) -> Bridged {
    let apart: Vec<usize> = shared
        .iter()
        .filter(|s| s.2 > COINCIDENT_M)
        .map(|s| s.1)
        .collect();
    let stretches = apart
        .iter()
        .filter(|&&e| apart.binary_search(&((e + n - 1) % n)).is_err())
        .count()
        .max(usize::from(!apart.is_empty()));
    let largest_m = shared.iter().map(|s| f64::from(s.2)).fold(0.0, f64::max);
    Bridged {
        stretches,
        largest_m: if apart.is_empty() { 0.0 } else { largest_m },
    }
}
