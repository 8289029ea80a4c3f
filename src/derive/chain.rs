//! Step 5 of deriving: the pieces of one border chained, in order, into lines.
//!
//! Land-only sources cut a border wherever a river, canal, lake or reservoir lies on it, and
//! separately digitised outlines leave strips that belong to neither country. Consecutive
//! pieces along a ring of the first country are chained across such a gap when the gap is
//! water (or unclaimed land) between just these two countries:
//! - neither end, nor any vertex of the first country's outline between them, touches a third
//!   country (so the gap is no stretch of another border, and not at a tripoint);
//! - the ends are at most `max_gap_m` apart;
//! - the second country's outline, too, runs from one end to the other along one ring without
//!   touching a third country: the other shore. Where the ends lie on different polygons of
//!   the second country (an island of it in a river; an exclave across the sea), the gap is
//!   bridged only if it is at most 5 km wide and the connector's midpoint lies in no country;
//! - and the chain does not close on itself (a border of two countries is no ring unless one
//!   surrounds the other, which step 3 handles): a ring whose every gap could be bridged is
//!   broken at its widest one.
//!
//! The connector (a straight edge, as the file draws) becomes part of the line, so that
//! chainage runs along the whole border; every gap is recorded and reported. Pieces whose ends
//! meet within the tolerance are joined without a gap.

use std::collections::BTreeMap;

use geo::{Coord, Distance, Geodesic, LineString, Point, Winding};

use super::contact::{EdgeTree, NearEdge, TouchedRing};
use super::shared::Piece;

/// Joins closer than this (m) count as meeting exactly.
const COINCIDENT_M: f64 = 1e-3;
/// The widest gap bridged between two different polygons of the second country (m).
const MAX_ISLAND_GAP_M: f64 = 5_000.0;

/// A continuous line of the border between `a` and `b` (in key order), with `a` on its right.
#[derive(Debug, Clone)]
pub(super) struct Chain {
    pub a: u32,
    pub b: u32,
    pub coords: Vec<Coord>,
    /// The connectors across gaps, as (from, to) in the line's direction.
    pub gaps: Vec<(Coord, Coord)>,
}

/// What chaining did for one pair.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Chaining {
    /// Gaps bridged by a connector.
    pub gaps: usize,
    /// Their total length (m).
    pub gap_total_m: f64,
    /// The widest (m).
    pub gap_largest_m: f64,
    /// Piece ends joined that were apart (by more than 1 mm, less than the tolerance).
    pub joins: usize,
    /// The farthest apart of them (m).
    pub join_largest_m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Gap {
    /// The pieces meet within the tolerance, this far apart.
    Touching(f64),
    /// Water (or unclaimed land) this wide between just the two countries.
    Water(f64),
    Break,
}

/// Chains the pieces into lines, pair by pair (in key order).
pub(super) fn chain(
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    mut pieces: Vec<Piece>,
    tolerance_m: f64,
    max_gap_m: f64,
) -> (Vec<Chain>, BTreeMap<(u32, u32), Chaining>) {
    pieces.sort_by_key(|p| (p.a, p.b, p.ring, p.start));
    let mut by_pair: BTreeMap<(u32, u32), Vec<Chain>> = BTreeMap::new();
    let mut stats: BTreeMap<(u32, u32), Chaining> = BTreeMap::new();
    for group in pieces.chunk_by(|x, y| (x.a, x.b, x.ring) == (y.a, y.b, y.ring)) {
        let (a, b, r) = (group[0].a, group[0].b, group[0].ring as usize);
        let Some(ring) = &touched[r] else { continue };
        let stat = stats.entry((a, b)).or_default();
        let mut chains = chain_ring(
            tree,
            touched,
            ring,
            a,
            b,
            group,
            tolerance_m,
            max_gap_m,
            stat,
        );
        let exterior = tree.rings().refs[r].ring == 0;
        let a_on_left = LineString::new(ring.coords.clone()).is_ccw() == exterior;
        if a_on_left {
            for c in &mut chains {
                reverse(c);
            }
        }
        by_pair.entry((a, b)).or_default().extend(chains);
    }
    let mut out = Vec::new();
    for ((a, b), chains) in by_pair {
        let stat = stats.entry((a, b)).or_default();
        out.extend(join_ends(chains, tolerance_m, stat));
    }
    (out, stats)
}

fn reverse(chain: &mut Chain) {
    chain.coords.reverse();
    chain.gaps.reverse();
    for g in &mut chain.gaps {
        *g = (g.1, g.0);
    }
}

/// The chains of one ring's pieces (sorted by start), in ring order.
#[allow(clippy::too_many_arguments)]
fn chain_ring(
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    ring: &TouchedRing,
    a: u32,
    b: u32,
    pieces: &[Piece],
    tolerance_m: f64,
    max_gap_m: f64,
    stat: &mut Chaining,
) -> Vec<Chain> {
    let n = ring.len();
    let k = pieces.len();
    let vertices = |p: &Piece| (p.start..=p.end()).map(|v| ring.coords[v % n]);
    if k == 1 && pieces[0].edges == n {
        return vec![Chain {
            a,
            b,
            coords: ring.coords.clone(),
            gaps: Vec::new(),
        }];
    }
    let mut gaps: Vec<Gap> = (0..k)
        .map(|i| {
            // The next piece's start, counted on from this piece's end.
            let end = pieces[i].end();
            let start = end + (pieces[(i + 1) % k].start + n - end % n) % n;
            gap_between(
                tree,
                touched,
                ring,
                a,
                b,
                end,
                start,
                tolerance_m,
                max_gap_m,
            )
        })
        .collect();
    if gaps.iter().all(|g| *g != Gap::Break) {
        // Closing the ring would make a loop of a border between two countries: break it at
        // its widest gap (if every gap is within the tolerance, the ring is closed).
        let widest = gaps
            .iter()
            .enumerate()
            .filter_map(|(i, g)| match g {
                Gap::Water(d) => Some((i, *d)),
                _ => None,
            })
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match widest {
            Some((i, _)) => gaps[i] = Gap::Break,
            None => {
                let mut coords: Vec<Coord> = Vec::new();
                for (p, gap) in pieces.iter().zip(&gaps) {
                    append(&mut coords, vertices(p));
                    note_join(stat, *gap);
                }
                let first = coords[0];
                if coords.last() != Some(&first) {
                    coords.push(first);
                }
                return vec![Chain {
                    a,
                    b,
                    coords,
                    gaps: Vec::new(),
                }];
            }
        }
    }
    // Chains start after a break; the ring is cut at its first one.
    let first = gaps.iter().position(|g| *g == Gap::Break).unwrap_or(0);
    let mut chains = Vec::new();
    let mut current: Option<Chain> = None;
    for step in 1..=k {
        let i = (first + step) % k;
        let chain = current.get_or_insert_with(|| Chain {
            a,
            b,
            coords: Vec::new(),
            gaps: Vec::new(),
        });
        if let (Some(&last), Gap::Water(d)) = (chain.coords.last(), gaps[(i + k - 1) % k]) {
            let next = ring.coords[pieces[i].start % n];
            chain.gaps.push((last, next));
            stat.gaps += 1;
            stat.gap_total_m += d;
            stat.gap_largest_m = stat.gap_largest_m.max(d);
        }
        append(&mut chain.coords, vertices(&pieces[i]));
        match gaps[i] {
            Gap::Break => chains.extend(current.take()),
            gap => note_join(stat, gap),
        }
    }
    chains.extend(current);
    chains
}

fn note_join(stat: &mut Chaining, gap: Gap) {
    if let Gap::Touching(d) = gap
        && d > COINCIDENT_M
    {
        stat.joins += 1;
        stat.join_largest_m = stat.join_largest_m.max(d);
    }
}

/// Appends coordinates, skipping the first if it repeats the last.
fn append(coords: &mut Vec<Coord>, more: impl Iterator<Item = Coord>) {
    for c in more {
        if coords.last() != Some(&c) {
            coords.push(c);
        }
    }
}

/// What lies between vertex `end` of one piece and vertex `start` (≥ `end`, not reduced
/// modulo the ring's length) of the next.
#[allow(clippy::too_many_arguments)]
fn gap_between(
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    ring: &TouchedRing,
    a: u32,
    b: u32,
    end: usize,
    start: usize,
    tolerance_m: f64,
    max_gap_m: f64,
) -> Gap {
    let n = ring.len();
    let (p, q) = (ring.coords[end % n], ring.coords[start % n]);
    let width = Geodesic.distance(Point::from(p), Point::from(q));
    if width <= tolerance_m {
        return Gap::Touching(width);
    }
    if width > max_gap_m {
        return Gap::Break;
    }
    let third = (end..=start).any(|v| ring.contacts(v).iter().any(|c| c.country != b));
    if third {
        return Gap::Break;
    }
    let water = match other_shore(tree, touched, a, b, p, q, tolerance_m) {
        Shore::Free => true,
        Shore::Touches => false,
        // The ends lie on different polygons of the second country (an island of it in the
        // river, or an exclave across the sea): only a narrow gap across water is bridged.
        Shore::Apart => {
            let middle = Coord {
                x: (p.x + q.x) / 2.0,
                y: (p.y + q.y) / 2.0,
            };
            width <= MAX_ISLAND_GAP_M && tree.polygons_around(middle).is_empty()
        }
    };
    if water { Gap::Water(width) } else { Gap::Break }
}

/// The second country's outline between the two ends of a gap.
enum Shore {
    /// One ring, touching no third country the way that touches the first country least.
    Free,
    /// One ring, touching a third country.
    Touches,
    /// The ends are on different rings.
    Apart,
}

/// How `b`'s outline runs from `p` to `q`.
fn other_shore(
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    a: u32,
    b: u32,
    p: Coord,
    q: Coord,
    tolerance_m: f64,
) -> Shore {
    let rings = tree.rings();
    let nearest_of_b = |c: Coord| {
        tree.near(c, tolerance_m, a)
            .filter(|n| rings.refs[n.ring as usize].country == b)
            .min_by(|x, y| x.distance_m.total_cmp(&y.distance_m))
    };
    let (Some(x), Some(y)) = (nearest_of_b(p), nearest_of_b(q)) else {
        return Shore::Touches;
    };
    if x.ring != y.ring {
        return Shore::Apart;
    }
    let Some(ring) = &touched[x.ring as usize] else {
        return Shore::Touches;
    };
    let at = |n: NearEdge| ring.vertex_of_original(n.edge as usize + usize::from(n.t > 0.5));
    let n = ring.len();
    let (i, j) = (at(x), at(y));
    // (vertices touching a, vertices touching a third country) from `from` on to `to`.
    let walk = |from: usize, to: usize| {
        (from..=from + (to + n - from) % n).fold((0, 0), |(on_a, third), v| {
            let contacts = ring.contacts(v);
            (
                on_a + usize::from(contacts.iter().any(|c| c.country == a)),
                third + usize::from(contacts.iter().any(|c| c.country != a)),
            )
        })
    };
    let (forward, backward) = (walk(i, j), walk(j, i));
    let along_gap = if forward.0 <= backward.0 {
        forward
    } else {
        backward
    };
    if along_gap.1 == 0 {
        Shore::Free
    } else {
        Shore::Touches
    }
}

/// Joins chains whose end meets another's start within the tolerance, and closes a chain
/// whose ends meet.
fn join_ends(mut chains: Vec<Chain>, tolerance_m: f64, stat: &mut Chaining) -> Vec<Chain> {
    let apart = |x: &Chain, y: &Chain| match (x.coords.last(), y.coords.first()) {
        (Some(p), Some(q)) => Geodesic.distance(Point::from(*p), Point::from(*q)),
        _ => f64::INFINITY,
    };
    let mut done = Vec::new();
    // Taken from the front, so that the chains keep their order.
    chains.reverse();
    while let Some(mut line) = chains.pop() {
        loop {
            if let Some(j) = chains.iter().position(|c| apart(&line, c) <= tolerance_m) {
                let d = apart(&line, &chains[j]);
                let next = chains.remove(j);
                note_join(stat, Gap::Touching(d));
                append(&mut line.coords, next.coords.into_iter());
                line.gaps.extend(next.gaps);
            } else if let Some(j) = chains.iter().position(|c| apart(c, &line) <= tolerance_m) {
                let d = apart(&chains[j], &line);
                let mut prev = chains.remove(j);
                note_join(stat, Gap::Touching(d));
                append(&mut prev.coords, line.coords.into_iter());
                prev.gaps.extend(line.gaps);
                line = prev;
            } else {
                break;
            }
        }
        let n = line.coords.len();
        if n > 3 && line.coords[0] != line.coords[n - 1] && apart(&line, &line) <= tolerance_m {
            let first = line.coords[0];
            line.coords[n - 1] = first;
        }
        done.push(line);
    }
    done
}
