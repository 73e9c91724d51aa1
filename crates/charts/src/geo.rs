//! The embedded map data and its projection.

use serde::Deserialize;
use std::sync::OnceLock;

const DATA: &str = include_str!("../data/central_asia.json");

/// What the map says about its boundaries.
pub const NOTE: &str =
    "Boundaries: Natural Earth 1:50m (world-atlas 2.0.2), simplified; de facto lines, no position on disputed boundaries is implied.";

#[derive(Deserialize)]
struct Raw {
    bbox: [f64; 4],
    capitals: std::collections::BTreeMap<String, RawCapital>,
    countries: Vec<RawCountry>,
}

#[derive(Deserialize)]
struct RawCapital {
    name: String,
    lon: f64,
    lat: f64,
}

#[derive(Deserialize)]
struct RawCountry {
    iso3: String,
    name: String,
    rings: Vec<Vec<[f64; 2]>>,
}

pub struct Country {
    pub iso3: String,
    pub name: String,
    pub rings: Vec<Vec<(f64, f64)>>,
}

struct Data {
    bbox: [f64; 4],
    capitals: Vec<(String, String, f64, f64)>,
    countries: Vec<Country>,
}

fn data() -> &'static Data {
    static DATA_CELL: OnceLock<Data> = OnceLock::new();
    DATA_CELL.get_or_init(|| {
        let raw: Raw = serde_json::from_str(DATA).expect("the embedded map data is valid (checked by a test)");
        Data {
            bbox: raw.bbox,
            capitals: raw.capitals.into_iter().map(|(k, v)| (k, v.name, v.lon, v.lat)).collect(),
            countries: raw
                .countries
                .into_iter()
                .map(|c| Country {
                    iso3: c.iso3,
                    name: c.name,
                    rings: c.rings.into_iter().map(|r| r.into_iter().map(|p| (p[0], p[1])).collect()).collect(),
                })
                .collect(),
        }
    })
}

pub fn countries() -> &'static [Country] {
    &data().countries
}

/// The capital of a state on the map: (name, longitude, latitude).
pub fn capital(code: &str) -> Option<(&'static str, f64, f64)> {
    data().capitals.iter().find(|c| c.0 == code).map(|c| (c.1.as_str(), c.2, c.3))
}

/// Albers equal-area conic (standard parallels 40°N and 50°N, central meridian 66°E), scaled to
/// fit the map's box into a viewport.
pub struct Projection {
    scale: f64,
    dx: f64,
    dy: f64,
}

const PHI1: f64 = 40.0;
const PHI2: f64 = 50.0;
const PHI0: f64 = 45.0;
const LAMBDA0: f64 = 66.0;

fn albers(lon: f64, lat: f64) -> (f64, f64) {
    let r = f64::to_radians;
    let n = (r(PHI1).sin() + r(PHI2).sin()) / 2.0;
    let c = r(PHI1).cos().powi(2) + 2.0 * n * r(PHI1).sin();
    let rho0 = (c - 2.0 * n * r(PHI0).sin()).sqrt() / n;
    let rho = (c - 2.0 * n * r(lat).sin()).sqrt() / n;
    let theta = n * r(lon - LAMBDA0);
    (rho * theta.sin(), rho0 - rho * theta.cos())
}

impl Projection {
    /// Fit the map's box into `width` × `height` with `margin` on every side (north up).
    pub fn fit(width: f64, height: f64, margin: f64) -> Projection {
        let [lon0, lat0, lon1, lat1] = data().bbox;
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for k in 0..=20 {
            let t = k as f64 / 20.0;
            for (lon, lat) in [
                (lon0 + (lon1 - lon0) * t, lat0),
                (lon0 + (lon1 - lon0) * t, lat1),
                (lon0, lat0 + (lat1 - lat0) * t),
                (lon1, lat0 + (lat1 - lat0) * t),
            ] {
                let (x, y) = albers(lon, lat);
                xmin = xmin.min(x);
                xmax = xmax.max(x);
                ymin = ymin.min(y);
                ymax = ymax.max(y);
            }
        }
        // Show the middle of the box: the corners of a conic box are mostly neighbours.
        let shrink = 0.12;
        let (w, h) = (xmax - xmin, ymax - ymin);
        let (xmin, xmax) = (xmin + w * shrink, xmax - w * shrink);
        let (ymin, ymax) = (ymin + h * shrink * 0.6, ymax - h * shrink * 0.6);
        let scale = ((width - 2.0 * margin) / (xmax - xmin)).min((height - 2.0 * margin) / (ymax - ymin));
        let dx = margin + ((width - 2.0 * margin) - scale * (xmax - xmin)) / 2.0 - scale * xmin;
        let dy = margin + ((height - 2.0 * margin) - scale * (ymax - ymin)) / 2.0 + scale * ymax;
        Projection { scale, dx, dy }
    }

    /// SVG coordinates of a longitude and latitude.
    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = albers(lon, lat);
        (self.dx + self.scale * x, self.dy - self.scale * y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_has_the_five_states_and_their_capitals() {
        for code in ["KAZ", "KGZ", "TJK", "TKM", "UZB"] {
            assert!(countries().iter().any(|c| c.iso3 == code), "{code}");
            assert!(capital(code).is_some(), "{code}");
        }
        let p = Projection::fit(640.0, 430.0, 28.0);
        let (tx, ty) = p.xy(69.24, 41.30);
        let (ax, ay) = p.xy(71.43, 51.13);
        assert!(ay < ty, "Astana is north of Tashkent");
        assert!((0.0..640.0).contains(&tx) && (0.0..430.0).contains(&ay) && ax > 0.0);
    }
}
