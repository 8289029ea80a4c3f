//! The plane a map is drawn on: an equirectangular projection centred on the data, safe across
//! the antimeridian.
//!
//! `x = Δλ · cos φ₀ · k`, `y = (φ_north − φ) · k`, where `Δλ` is the longitude east of the
//! central meridian (the middle of the data's shortest longitude arc, [`Extent`]) and `φ₀` the
//! middle latitude; `k` (units per degree) fits the data into the frame. Lines are unwrapped
//! vertex by vertex — each vertex is placed at the shortest longitude step from the one before —
//! so a line or ring that crosses 180° is drawn in one piece instead of across the whole map.
//!
//! ```
//! use borderline::geojson_out::Extent;
//! use borderline::map::Projection;
//! let mut extent = Extent::default();
//! extent.add(179.5, -16.0);
//! extent.add(-179.5, -17.0);
//! let p = Projection::fit(&extent, 100.0, 100.0, 0.0);
//! let xs = p.line([(179.5, -16.0), (-179.5, -17.0)].into_iter()).map(|(x, _)| x).collect::<Vec<_>>();
//! assert!(xs[1] > xs[0] && xs[1] - xs[0] <= 100.0 + 1e-9); // one short step east, not a jump west
//! ```

use geo::{Distance, Geodesic, Point};

use crate::geojson_out::{Extent, wrap_lon};

/// The projection of one map (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// Central meridian, degrees.
    pub central: f64,
    /// Middle latitude φ₀.
    lat0: f64,
    /// cos φ₀.
    cos0: f64,
    /// Northern edge of the fitted data, degrees.
    north: f64,
    /// Units per degree.
    k: f64,
    /// Where the central meridian and the northern edge fall in the frame.
    x_centre: f64,
    y_north: f64,
}

impl Projection {
    /// The height of a frame `width` units wide that fits `extent` with `pad` units of margin,
    /// kept within `min..=max`.
    pub fn frame_height(extent: &Extent, width: f64, pad: f64, min: f64, max: f64) -> f64 {
        let (west, east) = extent.lon_range().unwrap_or((-1.0, 1.0));
        let (south, north) = extent.lat_range().unwrap_or((-1.0, 1.0));
        let cos0 = ((south + north) / 2.0).to_radians().cos().max(0.05);
        let span_x = ((east - west).rem_euclid(360.0) * cos0).max(1e-6);
        let span_y = (north - south).max(1e-6);
        (span_y / span_x * (width - 2.0 * pad) + 2.0 * pad).clamp(min, max)
    }

    /// The projection that fits `extent` into `width` × `height` units with `pad` units of
    /// margin on every side, centred.
    pub fn fit(extent: &Extent, width: f64, height: f64, pad: f64) -> Projection {
        let (west, east) = extent.lon_range().unwrap_or((-1.0, 1.0));
        let (south, north) = extent.lat_range().unwrap_or((-1.0, 1.0));
        let central = extent.central_meridian().unwrap_or(0.0);
        let lat0 = (south + north) / 2.0;
        let cos0 = lat0.to_radians().cos().max(0.05);
        let span_x = ((east - west).rem_euclid(360.0) * cos0).max(1e-6);
        let span_y = (north - south).max(1e-6);
        let k = ((width - 2.0 * pad) / span_x).min((height - 2.0 * pad) / span_y);
        let k = if k.is_finite() && k > 0.0 { k } else { 1.0 };
        Projection {
            central,
            lat0,
            cos0,
            north,
            k,
            x_centre: width / 2.0,
            y_north: (height - span_y * k) / 2.0,
        }
    }

    fn at(&self, dlon: f64, lat: f64) -> (f64, f64) {
        (
            self.x_centre + dlon * self.cos0 * self.k,
            self.y_north + (self.north - lat) * self.k,
        )
    }

    /// A lone position.
    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.at(wrap_lon(lon - self.central), lat)
    }

    /// The positions of a line or ring, unwrapped vertex by vertex (see the module docs).
    pub fn line(
        &self,
        coords: impl Iterator<Item = (f64, f64)>,
    ) -> impl Iterator<Item = (f64, f64)> {
        let mut previous: Option<(f64, f64)> = None; // (lon, unwrapped Δλ)
        coords.map(move |(lon, lat)| {
            let dlon = match previous {
                None => wrap_lon(lon - self.central),
                Some((plon, pd)) => pd + wrap_lon(lon - plon),
            };
            previous = Some((lon, dlon));
            self.at(dlon, lat)
        })
    }

    /// Kilometres per unit along the parallel φ₀ (geodesic, WGS84), for scale bars.
    pub fn km_per_unit(&self) -> f64 {
        let step = 0.01;
        let a = Point::new(self.central, self.lat0);
        let b = Point::new(self.central + step, self.lat0);
        Geodesic.distance(a, b) / 1000.0 / (step * self.cos0 * self.k)
    }
}
