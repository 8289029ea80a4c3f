//! Deriving borders from country polygons: the boundary each pair of countries shares, as
//! continuous lines, and the enclaves of each in another — for one pair, or for every pair of
//! a file at once.
//!
//! The steps, one module each:
//! 1. `countries`: features grouped into countries by a key property;
//! 2. `contact`: which other countries' boundaries each vertex touches within the tolerance
//!    (edges as the file draws them, straight in longitude/latitude), edges split at
//!    T-junctions;
//! 3. `enclaves`: polygons surrounded by another country (enclaves, counter-enclaves,
//!    surrounded countries) and islands in another country's lakes (no enclaves);
//! 4. `shared`: the runs of edges each pair shares, slivers within the tolerance bridged;
//! 5. `chain`: the pieces of one border chained in order across water gaps;
//! 6. assembly (here): lines oriented and named, enclaves named, hosts holed for what they
//!    surround, and the GeoJSON that [`crate::Border::load`] reads.
//!
//! Lines have country `a` on their right. In a pair's own derivation `a` is the first country
//! named; with every pair, it is the one whose key sorts first.

mod chain;
mod contact;
mod countries;
mod enclaves;
mod shared;

use geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Winding};
use rstar::RTree;
use serde_json::{Map, Value, json};

use crate::border::{Country, Enclave};
use crate::error::{Error, Position, Result};
use crate::geodesy::{SurfacePoint, area_km2, cumulative_m, geodesic_length_m};
use crate::geojson_out;
use crate::index::EdgeIndex;
use crate::setting::Setting;

pub use chain::Chaining;
pub use countries::Countries;
pub use shared::Bridged;

use contact::{EdgeTree, Rings};
use countries::Territory;
use enclaves::Surrounded;

/// Gaps wider than this are not bridged by default (m).
pub const DEFAULT_MAX_GAP_M: f64 = 50_000.0;

/// What to derive, and how.
#[derive(Debug, Clone)]
pub struct DeriveOptions {
    /// `Some((a, b))`: the border of these two countries (keys), `a` on the right of its lines;
    /// `None`: every pair of countries that share a boundary.
    pub pair: Option<(String, String)>,
    /// Outlines within this distance (m) of each other count as shared.
    pub tolerance_m: f64,
    /// Gaps in a border (water, or land the source gives to neither country) up to this wide
    /// (m) are bridged by a straight connector.
    pub max_gap_m: f64,
    /// Named points: an enclave is named after the first one inside it.
    pub names: Vec<(String, Point)>,
}

impl Default for DeriveOptions {
    fn default() -> Self {
        DeriveOptions {
            pair: None,
            tolerance_m: 1.0,
            max_gap_m: DEFAULT_MAX_GAP_M,
            names: Vec::new(),
        }
    }
}

/// A derived border line.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedLine {
    /// Unique ID: `A-B` (`A-B-1`, `A-B-2`, … when the pair has several lines), or the name of
    /// the enclave whose perimeter it is.
    pub id: String,
    /// Key of the country on the right of the line.
    pub a: String,
    /// Key of the country on its left.
    pub b: String,
    /// The line, as the source draws it (plus connectors across gaps).
    pub geometry: LineString,
    /// Stretches bridging a gap in the source (water, or unclaimed land), as km from the
    /// line's start.
    pub gaps_km: Vec<(f64, f64)>,
}

impl DerivedLine {
    /// The pair's name, `A-B`.
    pub fn border(&self) -> String {
        format!("{}-{}", self.a, self.b)
    }

    /// Geodesic length in km.
    pub fn length_km(&self) -> f64 {
        geodesic_length_m(&self.geometry) / 1000.0
    }
}

/// A derived enclave and the country around it.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedEnclave {
    /// Its polygon is holed for any enclave inside it; its area is net of the holes.
    pub enclave: Enclave,
    /// Key of the surrounding country.
    pub host: String,
}

/// What derive bridged, chained and set aside for one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct PairNotes {
    /// Key of the country on the right of the pair's lines.
    pub a: String,
    /// Key of the other.
    pub b: String,
    /// Slivers and gaps within the tolerance, taken as shared.
    pub bridged: Bridged,
    /// Gaps chained across, and piece ends joined.
    pub chaining: Chaining,
}

/// A polygon inside a lake (a hole) of another country's polygon, touching it nowhere: not an
/// enclave.
#[derive(Debug, Clone, PartialEq)]
pub struct LakeIsland {
    /// Key of the island's country.
    pub country: String,
    /// Key of the country whose lake it is in.
    pub host: String,
    /// A vertex of the island.
    pub at: Coord,
    /// Its geodesic area.
    pub area_km2: f64,
}

/// Polygons of one country whose outlines coincide with another's, on the same side: land the
/// source gives to both (a territory listed on its own and within its country's feature, say).
/// They are no enclaves, and no border runs along them.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlaps {
    /// Key of the country whose polygons they are.
    pub country: String,
    /// Key of the country that has the same land.
    pub other: String,
    /// How many polygons.
    pub polygons: usize,
    /// Their geodesic area in all.
    pub area_km2: f64,
}

/// A derived border set: lines, enclaves, the countries (holed for what they surround) and
/// notes on what was bridged.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The lines, pair by pair (in key order, or the pair asked for).
    pub lines: Vec<DerivedLine>,
    /// The enclaves of every pair.
    pub enclaves: Vec<DerivedEnclave>,
    /// The countries: the pair's two, or every country of the file with every pair.
    pub countries: Vec<Country>,
    /// Display name of each country key met in the lines.
    pub names: Vec<(String, String)>,
    /// Per pair, what was bridged and chained.
    pub pairs: Vec<PairNotes>,
    /// Islands in another country's lake (no enclaves).
    pub lake_islands: Vec<LakeIsland>,
    /// Land the source gives to two countries.
    pub overlaps: Vec<Overlaps>,
    options: DeriveOptions,
}

/// Derives the border of a pair of countries, or of every pair (see the module docs);
/// `progress` is told the name of each step as it starts.
///
/// ```
/// use std::path::Path;
/// use borderline::derive::{Countries, DeriveOptions, derive};
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/source/osm-countries-kg-tj-uz.geojson"));
/// let countries = Countries::read(path, "iso_a3").unwrap();
/// let derived = derive(&countries, &DeriveOptions::default(), &mut |_| {}).unwrap();
/// let mut pairs: Vec<String> = derived.lines.iter().map(|l| l.border()).collect();
/// pairs.dedup();
/// assert_eq!(pairs, ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"]);
/// ```
pub fn derive(
    countries: &Countries,
    options: &DeriveOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<Derived> {
    let territories = &countries.territories;
    let tol = options.tolerance_m;
    let pair = match &options.pair {
        Some((a, b)) => {
            let (ia, ib) = (countries.find(a)?, countries.find(b)?);
            if ia == ib {
                return Err(Error::input(
                    countries.path(),
                    Position::File,
                    format!(
                        "{} and {} name the same country",
                        Setting::CountryA.mention(),
                        Setting::CountryB.mention()
                    ),
                ));
            }
            Some((ia as u32, ib as u32))
        }
        None => None,
    };
    let selected = |c: u32| pair.is_none_or(|(a, b)| c == a || c == b);
    let mut order: Vec<usize> = (0..territories.len()).collect();
    order.sort_by(|&x, &y| territories[x].key.cmp(&territories[y].key));
    let mut rank = vec![0; territories.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }

    progress("indexing the outlines");
    let rings = Rings::new(territories, tol);
    let tree = EdgeTree::new(&rings);
    progress("finding where the outlines touch");
    let touched = contact::touch(&tree, tol, |r| selected(rings.refs[r].country));
    progress("finding enclaves");
    let classes = enclaves::classify(territories, &tree, &touched, tol);
    progress("finding shared boundaries");
    let (pieces, bridged) =
        shared::pieces(&tree, &touched, &classes.excluded, &rank, tol, |x, y| {
            selected(x) && selected(y)
        });
    progress("chaining the pieces");
    let (chains, chaining) = chain::chain(&tree, &touched, pieces, tol, options.max_gap_m);

    progress("assembling");
    let assembly = Assembly {
        territories,
        rings: &rings,
        rank: &rank,
        pair,
        options,
    };
    let surrounded: Vec<Surrounded> = classes
        .surrounded
        .iter()
        .filter(|s| selected(s.owner) && selected(s.host))
        .copied()
        .collect();
    let (countries_out, holed) = assembly.holed_countries(&surrounded);
    let enclaves = assembly.enclaves(&surrounded, &holed);
    let lines = assembly.lines(chains, &surrounded, &enclaves, &holed);
    if lines.is_empty() {
        return Err(match pair {
            Some((a, b)) => no_shared_boundary(countries, a, b, tol),
            None => Error::input(
                countries.path(),
                Position::File,
                format!(
                    "no two countries share a boundary within {tol} m (raise {} if their \
                     outlines should touch)",
                    Setting::Tolerance.mention()
                ),
            ),
        });
    }
    let mut keys: Vec<&str> = lines
        .iter()
        .flat_map(|l| [l.a.as_str(), l.b.as_str()])
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let names = keys
        .iter()
        .map(|k| {
            let t = territories.iter().find(|t| t.key == *k);
            (k.to_string(), t.map_or(k.to_string(), |t| t.name.clone()))
        })
        .collect();
    let mut pairs: Vec<PairNotes> = Vec::new();
    for l in &lines {
        if pairs.iter().any(|p| p.a == l.a && p.b == l.b) {
            continue;
        }
        let (x, y) = (
            countries.find(&l.a).unwrap_or(0) as u32,
            countries.find(&l.b).unwrap_or(0) as u32,
        );
        let key = if rank[x as usize] < rank[y as usize] {
            (x, y)
        } else {
            (y, x)
        };
        pairs.push(PairNotes {
            a: l.a.clone(),
            b: l.b.clone(),
            bridged: bridged.get(&key).copied().unwrap_or_default(),
            chaining: chaining.get(&key).copied().unwrap_or_default(),
        });
    }
    let lake_islands = classes
        .lake_islands
        .iter()
        .filter(|i| selected(i.owner) && selected(i.host))
        .map(|i| LakeIsland {
            country: territories[i.owner as usize].key.clone(),
            host: territories[i.host as usize].key.clone(),
            at: i.at,
            area_km2: area_km2(assembly.polygon(i.polygon)),
        })
        .collect();
    let mut overlaps: Vec<Overlaps> = Vec::new();
    for o in classes
        .overlaps
        .iter()
        .filter(|o| selected(o.owner) && selected(o.host))
    {
        let (country, other) = (assembly.key(o.owner), assembly.key(o.host));
        let area = area_km2(assembly.polygon(o.polygon));
        match overlaps
            .iter_mut()
            .find(|x| x.country == country && x.other == other)
        {
            Some(x) => {
                x.polygons += 1;
                x.area_km2 += area;
            }
            None => overlaps.push(Overlaps {
                country: country.to_string(),
                other: other.to_string(),
                polygons: 1,
                area_km2: area,
            }),
        }
    }
    Ok(Derived {
        lines,
        enclaves,
        countries: countries_out,
        names,
        pairs,
        lake_islands,
        overlaps,
        options: options.clone(),
    })
}

/// The assembly step's inputs.
struct Assembly<'a> {
    territories: &'a [Territory],
    rings: &'a Rings<'a>,
    rank: &'a [usize],
    pair: Option<(u32, u32)>,
    options: &'a DeriveOptions,
}

impl Assembly<'_> {
    fn polygon(&self, p: u32) -> &Polygon {
        let (c, i) = self.rings.polygons[p as usize];
        &self.territories[c as usize].polygons[i as usize]
    }

    /// The pair `(x, y)` in output order: the user's with a pair, else by key.
    fn ordered(&self, x: u32, y: u32) -> (u32, u32) {
        match self.pair {
            Some((a, b)) if (x, y) == (a, b) || (x, y) == (b, a) => (a, b),
            _ if self.rank[x as usize] <= self.rank[y as usize] => (x, y),
            _ => (y, x),
        }
    }

    fn key(&self, c: u32) -> &str {
        &self.territories[c as usize].key
    }

    /// The countries in the output, each polygon holed for the polygons it covers but
    /// surrounds; and every global polygon so holed.
    fn holed_countries(&self, surrounded: &[Surrounded]) -> (Vec<Country>, Vec<Polygon>) {
        let mut holed: Vec<Polygon> = (0..self.rings.polygons.len() as u32)
            .map(|p| self.polygon(p).clone())
            .collect();
        for s in surrounded.iter().filter(|s| s.overlapped) {
            let hole = self.polygon(s.polygon).exterior().clone();
            holed[s.host_polygon as usize].interiors_push(hole);
        }
        let mut members: Vec<u32> = match self.pair {
            Some((a, b)) => vec![a, b],
            None => Vec::new(),
        };
        if self.pair.is_none() {
            members = (0..self.territories.len() as u32).collect();
            members.sort_by_key(|&c| self.rank[c as usize]);
        }
        let countries = members
            .iter()
            .map(|&c| Country {
                key: self.key(c).to_string(),
                name: self.territories[c as usize].name.clone(),
                shape: MultiPolygon::new(
                    (0..self.rings.polygons.len())
                        .filter(|&p| self.rings.polygons[p].0 == c)
                        .map(|p| holed[p].clone())
                        .collect(),
                ),
            })
            .collect();
        (countries, holed)
    }

    /// The enclaves (surrounded polygons that are not their country's mainland), named.
    fn enclaves(&self, surrounded: &[Surrounded], holed: &[Polygon]) -> Vec<DerivedEnclave> {
        let mut out: Vec<DerivedEnclave> = Vec::new();
        let mut numbers: Vec<usize> = vec![0; self.territories.len()];
        for s in surrounded.iter().filter(|s| !s.is_mainland) {
            let polygon = holed[s.polygon as usize].clone();
            numbers[s.owner as usize] += 1;
            let owner = self.key(s.owner);
            let name = self
                .options
                .names
                .iter()
                .find(|(_, p)| polygon.contains(p))
                .map(|(n, _)| n.clone())
                .unwrap_or_else(|| format!("{owner}-enclave-{}", numbers[s.owner as usize]));
            let taken: Vec<&str> = out.iter().map(|e| e.enclave.name.as_str()).collect();
            out.push(DerivedEnclave {
                enclave: Enclave {
                    name: unique(name, &taken),
                    country: owner.to_string(),
                    area_km2: area_km2(&polygon),
                    polygon,
                },
                host: self.key(s.host).to_string(),
            });
        }
        out
    }

    /// The lines, pair by pair: chains and surrounded countries' perimeters (longest first,
    /// numbered), then the enclaves' perimeters.
    fn lines(
        &self,
        chains: Vec<chain::Chain>,
        surrounded: &[Surrounded],
        enclaves: &[DerivedEnclave],
        holed: &[Polygon],
    ) -> Vec<DerivedLine> {
        struct Pending {
            pair: (u32, u32),
            coords: Vec<Coord>,
            gaps: Vec<(Coord, Coord)>,
            enclave: Option<String>,
        }
        let mut pending: Vec<Pending> = Vec::new();
        for c in chains {
            let pair = self.ordered(c.a, c.b);
            let mut p = Pending {
                pair,
                coords: c.coords,
                gaps: c.gaps,
                enclave: None,
            };
            if pair != (c.a, c.b) {
                p.coords.reverse();
                p.gaps.reverse();
                for g in &mut p.gaps {
                    *g = (g.1, g.0);
                }
            }
            pending.push(p);
        }
        let mut enclave_names = enclaves.iter().map(|e| e.enclave.name.clone());
        for s in surrounded {
            let pair = self.ordered(s.owner, s.host);
            let mut ring = holed[s.polygon as usize].exterior().clone();
            // The first country on the right: outside a ring it does not own, so the ring runs
            // counter-clockwise around the other's polygon.
            if pair.0 == s.owner {
                ring.make_cw_winding();
            } else {
                ring.make_ccw_winding();
            }
            pending.push(Pending {
                pair,
                coords: start_at_northernmost(ring).0,
                gaps: Vec::new(),
                enclave: if s.is_mainland {
                    None
                } else {
                    enclave_names.next()
                },
            });
        }
        pending.sort_by_key(|p| {
            (
                self.rank[p.pair.0 as usize],
                self.rank[p.pair.1 as usize],
                p.enclave.is_some(),
            )
        });
        let mut out: Vec<DerivedLine> = Vec::new();
        for group in pending.chunk_by_mut(|x, y| x.pair == y.pair) {
            let (a, b) = group[0].pair;
            let base = format!("{}-{}", self.key(a), self.key(b));
            let lengths: Vec<f64> = group
                .iter()
                .map(|p| geodesic_length_m(&LineString::new(p.coords.clone())))
                .collect();
            let mut numbered: Vec<usize> = (0..group.len())
                .filter(|&i| group[i].enclave.is_none())
                .collect();
            numbered.sort_by(|&i, &j| lengths[j].total_cmp(&lengths[i]));
            let single = numbered.len() == 1;
            let mut ids: Vec<(usize, String)> = numbered
                .iter()
                .enumerate()
                .map(|(n, &i)| {
                    let id = if single {
                        base.clone()
                    } else {
                        format!("{base}-{}", n + 1)
                    };
                    (i, id)
                })
                .collect();
            ids.extend(
                (0..group.len()).filter_map(|i| group[i].enclave.clone().map(|name| (i, name))),
            );
            for (i, id) in ids {
                let taken: Vec<&str> = out.iter().map(|l| l.id.as_str()).collect();
                let p = &mut group[i];
                let geometry = LineString::new(std::mem::take(&mut p.coords));
                let gaps_km = gaps_along(&geometry, &p.gaps);
                out.push(DerivedLine {
                    id: unique(id, &taken),
                    a: self.key(a).to_string(),
                    b: self.key(b).to_string(),
                    geometry,
                    gaps_km,
                });
            }
        }
        out
    }
}

/// The km range along `line` of each gap connector.
fn gaps_along(line: &LineString, gaps: &[(Coord, Coord)]) -> Vec<(f64, f64)> {
    if gaps.is_empty() {
        return Vec::new();
    }
    let cumulative = cumulative_m(line);
    let mut out: Vec<(f64, f64)> = line
        .0
        .windows(2)
        .enumerate()
        .filter(|(_, w)| gaps.contains(&(w[0], w[1])))
        .map(|(i, _)| (cumulative[i] / 1000.0, cumulative[i + 1] / 1000.0))
        .collect();
    out.dedup();
    out
}

/// The "share no boundary" error, with the two outlines' closest approach.
fn no_shared_boundary(countries: &Countries, a: u32, b: u32, tol: f64) -> Error {
    let ta = &countries.territories[a as usize];
    let tb = &countries.territories[b as usize];
    let (distance, at) = closest_approach(&ta.polygons, &tb.polygons);
    Error::input(
        countries.path(),
        Position::File,
        format!(
            "{} and {} share no boundary within {tol} m: their outlines come closest, {:.3} km \
             apart, near {:.4}E {:.4}N (check {} and {}, or raise {} if they should touch)",
            ta.key,
            tb.key,
            distance / 1000.0,
            at.x,
            at.y,
            Setting::CountryA.mention(),
            Setting::CountryB.mention(),
            Setting::Tolerance.mention()
        ),
    )
}

/// The geodesic distance between two sets of polygons' outlines, where they come closest.
fn closest_approach(xs: &[Polygon], ys: &[Polygon]) -> (f64, Coord) {
    let outline = |ps: &[Polygon]| -> Vec<LineString> {
        ps.iter().flat_map(BooleanOps::rings).cloned().collect()
    };
    let (xr, yr) = (outline(xs), outline(ys));
    let mut best = (f64::INFINITY, Coord { x: 0.0, y: 0.0 });
    for (from, to) in [(&xr, &yr), (&yr, &xr)] {
        // The vertices nearest to the other outline's vertices by straight-line distance, then
        // the exact geodesic distance from the best of them to the other outline's edges.
        let targets: Vec<[f64; 3]> = to
            .iter()
            .flat_map(|l| l.0.iter().map(|c| SurfacePoint::new(c.x, c.y).xyz))
            .collect();
        let tree = RTree::bulk_load(targets);
        let mut candidates: Vec<(f64, Coord)> = from
            .iter()
            .flat_map(|l| l.0.iter())
            .filter_map(|c| {
                let p = SurfacePoint::new(c.x, c.y).xyz;
                let q = tree.nearest_neighbor(&p)?;
                let d = (0..3).map(|i| (p[i] - q[i]).powi(2)).sum::<f64>();
                Some((d, *c))
            })
            .collect();
        candidates.sort_by(|x, y| x.0.total_cmp(&y.0));
        let index = EdgeIndex::new(to);
        for (_, c) in candidates.iter().take(16) {
            if let Some(hit) = index.nearest(&SurfacePoint::new(c.x, c.y), f64::INFINITY)
                && hit.distance_m < best.0
            {
                best = (hit.distance_m, *c);
            }
        }
    }
    best
}

impl Derived {
    /// The options it was derived with.
    pub fn options(&self) -> &DeriveOptions {
        &self.options
    }

    /// The display name of a country key.
    pub fn name_of<'a>(&'a self, key: &'a str) -> &'a str {
        self.names
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key, |(_, n)| n.as_str())
    }

    /// Writes the border as a GeoJSON FeatureCollection that [`crate::Border::load`] reads:
    /// `source` names the countries file and `key_property` its key; `credits` become top-level
    /// members (e.g. `("attribution", "© OpenStreetMap contributors, ODbL 1.0")`).
    pub fn write_geojson(
        &self,
        out: impl std::io::Write,
        source: &str,
        key_property: &str,
        credits: &[(&str, &str)],
    ) -> std::io::Result<()> {
        let p = geojson_out::DEFAULT_PRECISION;
        let lines = self.lines.iter().map(|line| {
            let mut props = Map::new();
            props.insert("kind".into(), "line".into());
            props.insert("id".into(), line.id.clone().into());
            props.insert("border".into(), line.border().into());
            props.insert("a".into(), line.a.clone().into());
            props.insert("b".into(), line.b.clone().into());
            props.insert("a_name".into(), self.name_of(&line.a).into());
            props.insert("b_name".into(), self.name_of(&line.b).into());
            props.insert(
                "length_km".into(),
                json!(geojson_out::round(line.length_km(), 3)),
            );
            if !line.gaps_km.is_empty() {
                let gaps: Vec<Value> = line
                    .gaps_km
                    .iter()
                    .map(|(f, t)| json!([geojson_out::round(*f, 3), geojson_out::round(*t, 3)]))
                    .collect();
                props.insert("gaps_km".into(), Value::Array(gaps));
            }
            geojson_out::feature(geojson_out::line_string(&line.geometry, p), props)
        });
        let enclaves = self.enclaves.iter().map(|e| {
            let mut props = Map::new();
            props.insert("kind".into(), "enclave".into());
            props.insert("name".into(), e.enclave.name.clone().into());
            props.insert("country".into(), e.enclave.country.clone().into());
            props.insert("host".into(), e.host.clone().into());
            props.insert(
                "area_km2".into(),
                json!(geojson_out::round(e.enclave.area_km2, 2)),
            );
            geojson_out::feature(geojson_out::polygon(&e.enclave.polygon, p), props)
        });
        let countries = self.countries.iter().map(|c| {
            let mut props = Map::new();
            props.insert("kind".into(), "country".into());
            props.insert("key".into(), c.key.clone().into());
            props.insert("name".into(), self.name_of(&c.key).into());
            geojson_out::feature(geojson_out::multi_polygon(&c.shape, p), props)
        });
        let extent = geojson_out::union_extent(
            self.lines
                .iter()
                .map(|l| geojson_out::extent_of(&l.geometry)),
        );
        let o = &self.options;
        let mut derived_from = json!({
            "source": source,
            "key": key_property,
            "tolerance_m": o.tolerance_m,
            "max_gap_km": o.max_gap_m / 1000.0,
        });
        match &o.pair {
            Some((a, b)) => {
                derived_from["a"] = a.clone().into();
                derived_from["b"] = b.clone().into();
            }
            None => derived_from["all"] = true.into(),
        }
        let mut members: Vec<(&str, Value)> = credits
            .iter()
            .map(|(member, text)| (*member, Value::from(*text)))
            .collect();
        members.push(("derived_from", derived_from));
        geojson_out::write_collection(
            out,
            extent,
            &members,
            lines.chain(enclaves).chain(countries),
            p,
        )
    }
}

/// `name`, or `name-2`, `name-3`, … if it is taken: IDs and names must be unique for the
/// derived border to load.
fn unique(name: String, taken: &[&str]) -> String {
    if !taken.contains(&name.as_str()) {
        return name;
    }
    (2..)
        .map(|k| format!("{name}-{k}"))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .unwrap_or(name)
}

/// Rotates a closed ring to start at its northernmost vertex (westernmost among equals).
fn start_at_northernmost(ring: LineString) -> LineString {
    let body = &ring.0[..ring.0.len() - 1];
    let start = (0..body.len())
        .max_by(|&i, &j| {
            body[i]
                .y
                .total_cmp(&body[j].y)
                .then(body[j].x.total_cmp(&body[i].x))
        })
        .unwrap_or(0);
    let mut coords: Vec<Coord> = body[start..]
        .iter()
        .chain(&body[..start])
        .copied()
        .collect();
    coords.push(body[start]);
    LineString::new(coords)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unique_appends_the_first_free_number() {
        assert_eq!(super::unique("A".into(), &[]), "A");
        assert_eq!(super::unique("A".into(), &["A"]), "A-2");
        assert_eq!(super::unique("A".into(), &["A", "A-2", "B"]), "A-3");
    }
}
