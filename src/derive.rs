//! Deriving a border from country polygons: the shared boundary of two countries as lines,
//! and the enclaves of either inside the other.

use std::path::Path;

use geo::{
    Contains, Distance, Geodesic, InteriorPoint, InterpolatePoint, LineString, MultiPolygon, Point,
    Polygon, Winding,
};
use geojson::Feature;
use serde_json::{Map, Value, json};

use crate::border::{Country, Enclave};
use crate::error::{Error, Position, Result};
use crate::geodesy::SurfacePoint;
use crate::geojson_in::FeatureAt;
use crate::geojson_out;
use crate::index::EdgeIndex;

/// How to derive a border.
#[derive(Debug, Clone)]
pub struct DeriveOptions {
    /// Key of the first country (it lies on the right of every derived line).
    pub a: String,
    /// Key of the second country.
    pub b: String,
    /// Property holding the country key.
    pub key: String,
    /// Vertices within this distance (m) of the other country's boundary count as shared.
    pub tolerance_m: f64,
    /// Named points: an enclave is named after the first one inside it.
    pub names: Vec<(String, Point)>,
}

/// A derived border: lines oriented with country `a` on the right, enclaves, and the two
/// countries (the surrounding country's polygon holed for its enclaves).
#[derive(Debug, Clone)]
pub struct Derived {
    pub a: (String, String),
    pub b: (String, String),
    pub lines: Vec<(String, LineString)>,
    pub enclaves: Vec<Enclave>,
    pub countries: Vec<Country>,
}

struct Territory {
    key: String,
    name: String,
    shape: MultiPolygon,
}

/// Derives the border between `options.a` and `options.b` from country features.
pub fn derive(path: &Path, features: &[Feature], options: &DeriveOptions) -> Result<Derived> {
    let mut territories: Vec<Territory> = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let at = FeatureAt { path, index };
        let props = feature.properties.as_ref();
        let key = at.required_text(props, &options.key)?;
        let shape = at.multi_polygon(feature)?;
        let name = at
            .text_property(props, "name")
            .unwrap_or_else(|| key.clone());
        match territories.iter_mut().find(|t| t.key == key) {
            Some(t) => t.shape.0.extend(shape.0),
            None => territories.push(Territory { key, name, shape }),
        }
    }
    let find = |key: &str| {
        territories
            .iter()
            .position(|t| t.key == key)
            .ok_or_else(|| {
                let keys: Vec<&str> = territories.iter().map(|t| t.key.as_str()).collect();
                Error::input(
                    path,
                    Position::File,
                    format!(
                        "no feature with {} = {key:?} (found: {})",
                        options.key,
                        keys.join(", ")
                    ),
                )
            })
    };
    let (ia, ib) = (find(&options.a)?, find(&options.b)?);
    if ia == ib {
        return Err(Error::input(
            path,
            Position::File,
            "--a and --b name the same country",
        ));
    }
    let others: Vec<LineString> = territories
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != ia && *i != ib)
        .flat_map(|(_, t)| rings(&t.shape))
        .collect();
    let third = EdgeIndex::new(&others);
    let tol = options.tolerance_m;

    // Enclaves: polygons of one country inside the other's outer shell, touching no third country.
    let mut enclaves: Vec<(usize, usize, Enclave)> = Vec::new();
    for (owner, host) in [(ia, ib), (ib, ia)] {
        let shells: Vec<Polygon> = territories[host]
            .shape
            .0
            .iter()
            .map(|p| Polygon::new(p.exterior().clone(), vec![]))
            .collect();
        for (pi, polygon) in territories[owner].shape.0.iter().enumerate() {
            let Some(inside) = polygon.interior_point() else {
                continue;
            };
            let touches_third = polygon
                .exterior()
                .0
                .iter()
                .any(|c| third.nearest(&SurfacePoint::new(c.x, c.y), tol).is_some());
            if touches_third || !shells.iter().any(|s| s.contains(&inside)) {
                continue;
            }
            let number = enclaves.iter().filter(|(o, _, _)| *o == owner).count() + 1;
            let name = options
                .names
                .iter()
                .find(|(_, p)| polygon.contains(p))
                .map(|(n, _)| n.clone())
                .unwrap_or_else(|| format!("{}-enclave-{number}", territories[owner].key));
            let taken: Vec<&str> = enclaves.iter().map(|(_, _, e)| e.name.as_str()).collect();
            let name = unique(name, &taken);
            let polygon = Polygon::new(polygon.exterior().clone(), vec![]);
            enclaves.push((
                owner,
                pi,
                Enclave {
                    name,
                    country: territories[owner].key.clone(),
                    area_km2: crate::border::area_km2(&polygon),
                    polygon,
                },
            ));
        }
    }

    // Shared boundary: edges of a's rings (enclaves aside) whose ends and middle lie on b's
    // boundary (b's enclaves aside).
    let is_enclave =
        |owner: usize, pi: usize| enclaves.iter().any(|(o, p, _)| *o == owner && *p == pi);
    let b_rings: Vec<LineString> = territories[ib]
        .shape
        .0
        .iter()
        .enumerate()
        .filter(|(pi, _)| !is_enclave(ib, *pi))
        .flat_map(|(_, p)| polygon_rings(p))
        .collect();
    let b_index = EdgeIndex::new(&b_rings);
    let near_b = |c: Point| {
        b_index
            .nearest(&SurfacePoint::new(c.x(), c.y()), tol)
            .is_some()
    };
    let mut pieces: Vec<LineString> = Vec::new();
    for (pi, polygon) in territories[ia].shape.0.iter().enumerate() {
        if is_enclave(ia, pi) {
            continue;
        }
        for (ri, ring) in polygon_rings(polygon).into_iter().enumerate() {
            let a_on_left = ring.is_ccw() == (ri == 0);
            for mut piece in shared_runs(&ring, &near_b) {
                if a_on_left {
                    piece.0.reverse();
                }
                pieces.push(piece);
            }
        }
    }
    let mut lines = join_pieces(pieces, tol);
    // Enclave perimeters are border lines too, with `a` on the right.
    for (owner, _, enclave) in &enclaves {
        let mut ring = enclave.polygon.exterior().clone();
        let owner_is_a = *owner == ia;
        // a on the right of a counter-clockwise ring means a is outside it.
        if owner_is_a {
            ring.make_cw_winding()
        } else {
            ring.make_ccw_winding()
        }
        lines.push(ring);
    }
    let mut named: Vec<(String, LineString)> = Vec::new();
    let open: Vec<LineString> = lines.iter().filter(|l| !l.is_closed()).cloned().collect();
    let mut sorted = open;
    sorted.sort_by(|x, y| length(y).total_cmp(&length(x)));
    let base = format!("{}-{}", options.a, options.b);
    let single = sorted.len() == 1;
    for (i, line) in sorted.into_iter().enumerate() {
        named.push((
            if single {
                base.clone()
            } else {
                format!("{base}-{}", i + 1)
            },
            line,
        ));
    }
    let mut ring_number = 0;
    for line in lines.into_iter().filter(|l| l.is_closed()) {
        let enclave = enclaves
            .iter()
            .find(|(_, _, e)| same_ring(e.polygon.exterior(), &line));
        let id = match enclave {
            Some((_, _, e)) => e.name.clone(),
            None => {
                ring_number += 1;
                format!("{base}-ring-{ring_number}")
            }
        };
        let taken: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
        let id = unique(id, &taken);
        named.push((id, start_at_northernmost(line)));
    }

    // The countries, each host holed for the enclaves inside it (the source may overlap them).
    let mut countries = Vec::new();
    for (ti, other) in [(ia, ib), (ib, ia)] {
        let mut shape = territories[ti].shape.clone();
        for (owner, _, enclave) in &enclaves {
            if *owner != other {
                continue;
            }
            let inside = enclave.polygon.interior_point();
            for polygon in shape.0.iter_mut() {
                let shell = Polygon::new(polygon.exterior().clone(), vec![]);
                let already_holed = !polygon.interiors().is_empty()
                    && inside.is_some_and(|p| !polygon.contains(&p));
                if inside.is_some_and(|p| shell.contains(&p)) && !already_holed {
                    polygon.interiors_push(enclave.polygon.exterior().clone());
                }
            }
        }
        countries.push(Country {
            key: territories[ti].key.clone(),
            shape,
        });
    }
    Ok(Derived {
        a: (territories[ia].key.clone(), territories[ia].name.clone()),
        b: (territories[ib].key.clone(), territories[ib].name.clone()),
        lines: named,
        enclaves: enclaves.into_iter().map(|(_, _, e)| e).collect(),
        countries,
    })
}

impl Derived {
    /// The border as a GeoJSON FeatureCollection that `Border::load` reads; `credits` become
    /// top-level members (e.g. `("attribution", "© OpenStreetMap contributors, ODbL 1.0")`).
    pub fn to_geojson(&self, source: &str, tolerance_m: f64, credits: &[(&str, &str)]) -> Value {
        let p = geojson_out::DEFAULT_PRECISION;
        let mut features = Vec::new();
        for (id, line) in &self.lines {
            let mut props = Map::new();
            props.insert("kind".into(), "line".into());
            props.insert("id".into(), id.clone().into());
            props.insert("a".into(), self.a.0.clone().into());
            props.insert("b".into(), self.b.0.clone().into());
            props.insert("a_name".into(), self.a.1.clone().into());
            props.insert("b_name".into(), self.b.1.clone().into());
            props.insert(
                "length_km".into(),
                json!(geojson_out::round(length(line) / 1000.0, 3)),
            );
            features.push(geojson_out::feature(
                geojson_out::line_string(line, p),
                props,
            ));
        }
        for e in &self.enclaves {
            let mut props = Map::new();
            props.insert("kind".into(), "enclave".into());
            props.insert("name".into(), e.name.clone().into());
            props.insert("country".into(), e.country.clone().into());
            props.insert("area_km2".into(), json!(geojson_out::round(e.area_km2, 2)));
            features.push(geojson_out::feature(
                geojson_out::polygon(&e.polygon, p),
                props,
            ));
        }
        for c in &self.countries {
            let mut props = Map::new();
            props.insert("kind".into(), "country".into());
            props.insert("key".into(), c.key.clone().into());
            features.push(geojson_out::feature(
                geojson_out::multi_polygon(&c.shape, p),
                props,
            ));
        }
        let extent =
            geojson_out::union_extent(self.lines.iter().map(|(_, l)| geojson_out::extent_of(l)));
        let mut out = geojson_out::collection(features, extent, p);
        if let Value::Object(map) = &mut out {
            map.insert(
                "derived_from".into(),
                json!({"source": source, "a": self.a.0, "b": self.b.0, "tolerance_m": tolerance_m}),
            );
            for (member, text) in credits {
                map.insert((*member).into(), (*text).into());
            }
        }
        out
    }
}

fn length(line: &LineString) -> f64 {
    crate::geodesy::geodesic_length_m(line)
}

fn polygon_rings(p: &Polygon) -> Vec<LineString> {
    std::iter::once(p.exterior().clone())
        .chain(p.interiors().iter().cloned())
        .collect()
}

fn rings(shape: &MultiPolygon) -> Vec<LineString> {
    shape.0.iter().flat_map(polygon_rings).collect()
}

/// Maximal runs of consecutive shared edges of a closed ring, as lines in ring order.
fn shared_runs(ring: &LineString, near: &impl Fn(Point) -> bool) -> Vec<LineString> {
    let vertices = &ring.0[..ring.0.len() - 1];
    let n = vertices.len();
    let on: Vec<bool> = vertices.iter().map(|c| near(Point::from(*c))).collect();
    let edge = |i: usize| {
        let (a, b) = (Point::from(vertices[i]), Point::from(vertices[(i + 1) % n]));
        on[i] && on[(i + 1) % n] && near(Geodesic.point_at_ratio_between(a, b, 0.5))
    };
    let shared: Vec<bool> = (0..n).map(edge).collect();
    if shared.iter().all(|s| *s) {
        return vec![ring.clone()];
    }
    let Some(start) = shared.iter().position(|s| !s) else {
        return vec![];
    };
    let mut runs = Vec::new();
    let mut current: Vec<geo::Coord> = Vec::new();
    for k in 1..=n {
        let i = (start + k) % n;
        if shared[i] {
            if current.is_empty() {
                current.push(vertices[i]);
            }
            current.push(vertices[(i + 1) % n]);
        } else if !current.is_empty() {
            runs.push(LineString::new(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        runs.push(LineString::new(current));
    }
    runs
}

/// Chains pieces whose end meets another's start (within `tol` metres) into continuous lines.
fn join_pieces(mut pieces: Vec<LineString>, tol: f64) -> Vec<LineString> {
    let meets = |a: &LineString, b: &LineString| match (a.0.last(), b.0.first()) {
        (Some(x), Some(y)) => Geodesic.distance(Point::from(*x), Point::from(*y)) <= tol,
        _ => false,
    };
    let mut done = Vec::new();
    while let Some(mut line) = pieces.pop() {
        loop {
            if let Some(j) = pieces.iter().position(|p| meets(&line, p)) {
                let next = pieces.swap_remove(j);
                line.0.extend_from_slice(&next.0[1..]);
            } else if let Some(j) = pieces.iter().position(|p| meets(p, &line)) {
                let mut prev = pieces.swap_remove(j);
                prev.0.extend_from_slice(&line.0[1..]);
                line = prev;
            } else {
                break;
            }
        }
        if line.0.len() > 2 && !line.is_closed() && meets(&line, &line) {
            let first = line.0[0];
            if let Some(last) = line.0.last_mut() {
                *last = first;
            }
        }
        done.push(line);
    }
    done
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

fn same_ring(a: &LineString, b: &LineString) -> bool {
    a.0.len() == b.0.len() && b.0.iter().all(|c| a.0.contains(c))
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
    let mut coords: Vec<geo::Coord> = body[start..]
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
