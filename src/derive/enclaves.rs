//! Step 3 of deriving: polygons surrounded by another country.
//!
//! A polygon of country O is surrounded by country H when it touches no country but H and lies
//! inside the outer ring of a polygon of H — whether H's polygon is holed for it (the two
//! outlines touch all round) or overlaps it (as in sources that leave hosts unholed; then it
//! touches nothing). It is an *enclave* of O in H, or, if it is O's largest polygon, O itself
//! surrounded by H (Lesotho, San Marino): its perimeter is a border line either way, and no
//! edge of it is looked at again as a shared boundary. The host is the smallest such polygon,
//! so an enclave inside an enclave (a counter-enclave) belongs to the enclave around it, in
//! whichever order the countries are named.
//!
//! A polygon that touches nothing and lies in a hole of another country's polygon (an island
//! in a lake) is no enclave: it is listed, and otherwise left alone.

use geo::{Area, Coord, InteriorPoint};

use super::contact::{EdgeTree, TouchedRing};
use super::countries::Territory;

/// A polygon surrounded by another country's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Surrounded {
    /// Global polygon (see `Rings::polygons`).
    pub polygon: u32,
    pub owner: u32,
    pub host: u32,
    /// The host's polygon around it.
    pub host_polygon: u32,
    /// Whether the host's polygon covers it (is not holed for it).
    pub overlapped: bool,
    /// The owner's largest polygon (a surrounded country), not an enclave.
    pub is_mainland: bool,
}

/// A polygon in a hole of another country's polygon, touching nothing.
#[derive(Debug, Clone, Copy)]
pub(super) struct LakeIsland {
    pub polygon: u32,
    pub owner: u32,
    pub host: u32,
    /// A vertex of it.
    pub at: Coord,
}

/// A polygon whose outline coincides with another country's on the same side: the source
/// gives the land to both (Åland in Finland's feature and its own, say).
#[derive(Debug, Clone, Copy)]
pub(super) struct Overlap {
    pub polygon: u32,
    pub owner: u32,
    pub host: u32,
}

/// The outcome of the step.
#[derive(Debug, Default)]
pub(super) struct Classes {
    pub surrounded: Vec<Surrounded>,
    pub lake_islands: Vec<LakeIsland>,
    pub overlaps: Vec<Overlap>,
    /// Per global polygon: whether it is surrounded (its perimeter is a line of its own).
    pub excluded: Vec<bool>,
}

/// Classifies the polygons whose exterior ring was touched (queried in step 2).
pub(super) fn classify(
    territories: &[Territory],
    tree: &EdgeTree,
    touched: &[Option<TouchedRing>],
    tolerance_m: f64,
) -> Classes {
    let rings = tree.rings();
    let polygon_of = |p: u32| {
        let (c, i) = rings.polygons[p as usize];
        &territories[c as usize].polygons[i as usize]
    };
    // Areas in square degrees: only compared, between polygons of one country or nested ones.
    let areas: Vec<f64> = (0..rings.polygons.len() as u32)
        .map(|p| polygon_of(p).unsigned_area())
        .collect();
    let mut mainland: Vec<Option<u32>> = vec![None; territories.len()];
    for (p, &(country, _)) in rings.polygons.iter().enumerate() {
        let best = &mut mainland[country as usize];
        if best.is_none_or(|b| areas[p] > areas[b as usize]) {
            *best = Some(p as u32);
        }
    }
    let mut classes = Classes {
        excluded: vec![false; rings.polygons.len()],
        ..Classes::default()
    };
    for p in 0..rings.polygons.len() as u32 {
        let exterior = rings.first_ring[p as usize] as usize;
        let Some(ring) = &touched[exterior] else {
            continue;
        };
        let owner = rings.polygons[p as usize].0;
        let polygon = polygon_of(p);
        let mut touching: Vec<u32> = (0..ring.len())
            .flat_map(|v| ring.contacts(v).iter().map(|c| c.country))
            .collect();
        touching.sort_unstable();
        touching.dedup();
        let smallest_around = |at: Coord, host: Option<u32>| {
            tree.rings_around(at)
                .into_iter()
                .map(|r| rings.refs[r as usize])
                .filter(|r| r.ring == 0 && r.country != owner)
                .filter(|r| host.is_none_or(|h| r.country == h))
                .min_by(|x, y| areas[x.polygon as usize].total_cmp(&areas[y.polygon as usize]))
        };
        let is_mainland = mainland[owner as usize] == Some(p);
        match touching.as_slice() {
            [host] => {
                let Some(inside) = polygon.interior_point() else {
                    continue;
                };
                let Some(around) = smallest_around(inside.0, Some(*host)) else {
                    continue;
                };
                // Outlines that coincide with the country on the same side are one territory
                // given to both countries (a duplicate, an overlap), not an enclave.
                if coincides_on_the_same_side(tree, ring, exterior, owner, *host, tolerance_m) {
                    classes.overlaps.push(Overlap {
                        polygon: p,
                        owner,
                        host: *host,
                    });
                    continue;
                }
                // Where it does not touch its host, it must be inside it: by a lake, not the sea.
                let host_ring = rings.first_ring[around.polygon as usize];
                let enclosed = (0..ring.len())
                    .filter(|&v| ring.contacts(v).is_empty())
                    .all(|v| tree.rings_around(ring.coords[v]).contains(&host_ring));
                if enclosed {
                    let overlapped = tree.polygons_around(inside.0).contains(&around.polygon);
                    classes.surrounded.push(Surrounded {
                        polygon: p,
                        owner,
                        host: *host,
                        host_polygon: around.polygon,
                        overlapped,
                        is_mainland,
                    });
                }
            }
            [] => {
                // Touching nothing, the polygon is wholly inside or outside any other: one of
                // its vertices tells which.
                let at = polygon.exterior().0[0];
                let Some(around) = smallest_around(at, None) else {
                    continue;
                };
                if tree.polygons_around(at).contains(&around.polygon) {
                    classes.surrounded.push(Surrounded {
                        polygon: p,
                        owner,
                        host: around.country,
                        host_polygon: around.polygon,
                        overlapped: true,
                        is_mainland,
                    });
                } else {
                    classes.lake_islands.push(LakeIsland {
                        polygon: p,
                        owner,
                        host: around.country,
                        at,
                    });
                }
            }
            _ => {}
        }
    }
    for s in &classes.surrounded {
        classes.excluded[s.polygon as usize] = true;
    }
    classes
}

/// Whether the edges of `ring` (of country `owner`, ring `r`) that run along country `host`'s
/// outline all have `host` on the same side as `owner`.
fn coincides_on_the_same_side(
    tree: &EdgeTree,
    ring: &TouchedRing,
    r: usize,
    owner: u32,
    host: u32,
    tolerance_m: f64,
) -> bool {
    let rings = tree.rings();
    let (mut opposite, mut same) = (0, 0);
    for v in 0..ring.len() {
        if ring.contacts(v).is_empty() || ring.contacts(v + 1).is_empty() {
            continue;
        }
        let (p, q) = (ring.coords[v], ring.coords[v + 1]);
        let middle = Coord {
            x: (p.x + q.x) / 2.0,
            y: (p.y + q.y) / 2.0,
        };
        let along = tree
            .near(middle, tolerance_m, owner)
            .filter(|n| rings.refs[n.ring as usize].country == host)
            .min_by(|x, y| x.distance_m.total_cmp(&y.distance_m));
        if let Some(n) = along {
            if rings.on_opposite_sides(r, p, q, n.ring as usize, n.edge as usize) {
                opposite += 1;
            } else {
                same += 1;
            }
        }
    }
    same > 0 && opposite == 0
}
