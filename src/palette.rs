//! Colours of every picture borderline draws: statuses in saturated colours, countries and
//! enclaves in light tones, so that no status line can be mistaken for a fill.
//!
//! Statuses: the well-known ones have fixed Okabe–Ito colours ([`STATUS_COLORS`]), which stay
//! distinguishable with the common forms of colour blindness; any other status of a border's
//! vocabulary gets, in name order, the remaining Okabe–Ito colours ([`OTHER_COLORS`]) and then
//! generated hues ([`generated_color`]), all saturated and dark enough to read on a light fill.
//! A [`StatusPalette`] is built from the whole vocabulary at once, so two statuses of one
//! border never share a colour, and the same vocabulary always gets the same colours.
//!
//! Countries: light tones ([`COUNTRY_TONES`]) given greedily so that neighbours (two countries
//! that share a border line) differ. An enclave is filled with its owner's tone, so it reads as
//! a piece of that country inside its host.
//!
//! ```
//! use borderline::palette::StatusPalette;
//! let palette = StatusPalette::new(["undelimited", "delimited", "claimed", "agreed"]);
//! assert_eq!(palette.color("undelimited"), "#D55E00");
//! assert_eq!(palette.color("agreed"), "#E69F00"); // the first other status by name
//! assert_ne!(palette.color("claimed"), palette.color("agreed"));
//! ```

use std::collections::BTreeMap;

/// Colours of the well-known statuses (Okabe–Ito), matched case-insensitively.
pub const STATUS_COLORS: [(&str, &str); 5] = [
    ("undelimited", "#D55E00"), // vermillion
    ("delimited", "#0072B2"),   // blue
    ("demarcated", "#009E73"),  // bluish green
    ("disputed", "#CC79A7"),    // reddish purple
    ("unknown", "#999999"),     // grey
];

/// The Okabe–Ito colours left for other statuses, in the order they are given (yellow is kept
/// out: too light for a line on a light country tone; black is the outline colour).
pub const OTHER_COLORS: [&str; 2] = [
    "#E69F00", // orange
    "#56B4E9", // sky blue
];

/// Light tones for country fills (an enclave takes its owner's).
pub const COUNTRY_TONES: [&str; 8] = [
    "#EFE4CC", // sand
    "#DCE9D5", // sage
    "#D9E4F0", // mist
    "#F0DDE3", // rose
    "#E5DEF0", // lavender
    "#D4EBE6", // aqua
    "#EDEACB", // straw
    "#E6E6E6", // pale grey
];

/// Outline of enclaves and ink of labels.
pub const INK: &str = "#1F2328";

/// The key a status is compared by: trimmed, lower case, empty read as `unknown`.
fn key(status: &str) -> String {
    let key = status.trim().to_lowercase();
    if key.is_empty() {
        crate::status::UNKNOWN.to_string()
    } else {
        key
    }
}

/// Position of a status in legends: the well-known ones first, in [`STATUS_COLORS`] order, then
/// the others by name.
///
/// ```
/// use borderline::palette::legend_order;
/// assert!(legend_order("undelimited") < legend_order("delimited"));
/// assert!(legend_order("unknown") < legend_order("agreed"));
/// ```
pub fn legend_order(status: &str) -> (usize, String) {
    let key = key(status);
    let rank = STATUS_COLORS
        .iter()
        .position(|(s, _)| *s == key)
        .unwrap_or(STATUS_COLORS.len());
    (rank, key)
}

/// The `n`-th generated status colour (0-based): hues a golden angle apart, saturated, at two
/// alternating lightnesses below 50 %, so every one is dark enough to read on
/// [`COUNTRY_TONES`] and none is a light tone.
///
/// ```
/// use borderline::palette::generated_color;
/// assert_ne!(generated_color(0), generated_color(1));
/// assert_eq!(generated_color(3).len(), 7);
/// ```
pub fn generated_color(n: usize) -> String {
    let hue = (n as f64 * 137.507_764 + 15.0) % 360.0;
    let lightness = if n.is_multiple_of(2) { 0.42 } else { 0.32 };
    hsl_to_hex(hue, 0.75, lightness)
}

fn hsl_to_hex(hue: f64, saturation: f64, lightness: f64) -> String {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = lightness - chroma / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02X}{:02X}{:02X}", byte(r), byte(g), byte(b))
}

/// The colour of every status of a vocabulary (see the module docs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusPalette {
    /// By status key, in legend order.
    colors: BTreeMap<(usize, String), String>,
}

impl StatusPalette {
    /// The palette of a vocabulary (any order, repeats ignored, `unknown` always included).
    pub fn new<'a>(statuses: impl IntoIterator<Item = &'a str>) -> StatusPalette {
        let mut keys: Vec<(usize, String)> = statuses.into_iter().map(legend_order).collect();
        keys.push(legend_order(crate::status::UNKNOWN));
        keys.sort();
        keys.dedup();
        let mut others = 0;
        let colors = keys
            .into_iter()
            .map(|k| {
                let color = match STATUS_COLORS.get(k.0) {
                    Some((_, c)) => c.to_string(),
                    None => {
                        others += 1;
                        OTHER_COLORS.get(others - 1).map_or_else(
                            || generated_color(others - 1 - OTHER_COLORS.len()),
                            |c| c.to_string(),
                        )
                    }
                };
                (k, color)
            })
            .collect();
        StatusPalette { colors }
    }

    /// The palette of every status in `border`'s history (and `unknown`), plus `extra` ones
    /// (e.g. the statuses a tagged file names).
    pub fn of_border<'a>(
        border: &'a crate::Border,
        extra: impl IntoIterator<Item = &'a str>,
    ) -> StatusPalette {
        StatusPalette::new(
            border
                .segments
                .iter()
                .flat_map(|s| s.history.iter().map(|p| p.status.as_str()))
                .chain(extra),
        )
    }

    /// The colour of `status`; a status outside the vocabulary is grey, like `unknown`.
    pub fn color(&self, status: &str) -> &str {
        self.colors
            .get(&legend_order(status))
            .or_else(|| self.colors.get(&legend_order(crate::status::UNKNOWN)))
            .map_or("#999999", String::as_str)
    }

    /// The statuses (lower-cased keys) and their colours, in legend order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.colors
            .iter()
            .map(|((_, k), c)| (k.as_str(), c.as_str()))
    }
}

/// A tone for each country of `keys` (in that order) such that two countries named together in
/// `neighbours` get different tones when [`COUNTRY_TONES`] has enough (greedy colouring in
/// order; with more neighbours than tones, tones repeat).
///
/// ```
/// use borderline::palette::country_tones;
/// let tones = country_tones(&["KGZ", "TJK", "UZB"], &[("KGZ", "TJK"), ("KGZ", "UZB"), ("TJK", "UZB")]);
/// assert_eq!(tones.len(), 3);
/// assert!(tones[0] != tones[1] && tones[1] != tones[2] && tones[0] != tones[2]);
/// ```
pub fn country_tones(keys: &[&str], neighbours: &[(&str, &str)]) -> Vec<&'static str> {
    let mut tones: Vec<usize> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let taken: Vec<usize> = keys[..i]
            .iter()
            .zip(&tones)
            .filter(|(other, _)| {
                neighbours
                    .iter()
                    .any(|&(a, b)| (a == *key && b == **other) || (b == *key && a == **other))
            })
            .map(|(_, t)| *t)
            .collect();
        let tone = (0..COUNTRY_TONES.len())
            .find(|t| !taken.contains(t))
            .unwrap_or(i % COUNTRY_TONES.len());
        tones.push(tone);
    }
    tones.into_iter().map(|t| COUNTRY_TONES[t]).collect()
}

/// The tone of every country a border names — its country polygons, its enclaves' owners and
/// its lines' country pairs — neighbours (the two sides of a line) told apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CountryTones {
    tones: Vec<(String, &'static str)>,
}

impl CountryTones {
    /// The tones of `border`'s countries.
    ///
    /// ```
    /// let tones = borderline::palette::CountryTones::of(&borderline::Border::embedded());
    /// assert_ne!(tones.tone("KGZ"), tones.tone("TJK"));
    /// ```
    pub fn of(border: &crate::Border) -> CountryTones {
        let pairs: Vec<(&str, &str)> = border
            .lines
            .iter()
            .filter_map(|l| l.border.split_once('-'))
            .collect();
        let mut keys: Vec<&str> = border.countries.iter().map(|c| c.key.as_str()).collect();
        let more = border
            .enclaves
            .iter()
            .map(|e| e.country.as_str())
            .chain(pairs.iter().flat_map(|(a, b)| [*a, *b]));
        for key in more {
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
        let tones = country_tones(&keys, &pairs);
        CountryTones {
            tones: keys.iter().map(|k| k.to_string()).zip(tones).collect(),
        }
    }

    /// The tone of country `key` (pale grey for one the border does not name).
    pub fn tone(&self, key: &str) -> &'static str {
        self.tones
            .iter()
            .find(|(k, _)| k == key)
            .map_or(COUNTRY_TONES[COUNTRY_TONES.len() - 1], |(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance (WCAG) of `#RRGGBB`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn a_large_vocabulary_has_distinct_colours_none_a_fill_tone() {
        let names: Vec<String> = (0..40).map(|i| format!("status {i}")).collect();
        let mut vocabulary: Vec<&str> = names.iter().map(String::as_str).collect();
        vocabulary.extend(["undelimited", "delimited", "demarcated", "disputed"]);
        let palette = StatusPalette::new(vocabulary.iter().copied());
        let colors: Vec<&str> = palette.entries().map(|(_, c)| c).collect();
        assert_eq!(colors.len(), 45);
        let mut unique = colors.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), colors.len(), "{colors:?}");
        let lightest_tone = COUNTRY_TONES
            .iter()
            .map(|t| luminance(t))
            .fold(1.0, f64::min);
        for c in &colors {
            assert!(!COUNTRY_TONES.contains(c), "{c} is a fill tone");
            // Every status colour is far darker than every fill tone (contrast ≥ 1.6:1), so a
            // line never disappears into a country or an enclave.
            let contrast = (lightest_tone + 0.05) / (luminance(c) + 0.05);
            assert!(
                contrast >= 1.6,
                "{c}: contrast {contrast:.2} with the fills"
            );
        }
    }

    #[test]
    fn well_known_statuses_keep_their_colours_and_order() {
        let palette = StatusPalette::new(["Disputed", " undelimited ", "zeta", "alpha"]);
        let entries: Vec<(&str, &str)> = palette.entries().collect();
        assert_eq!(
            entries,
            [
                ("undelimited", "#D55E00"),
                ("disputed", "#CC79A7"),
                ("unknown", "#999999"),
                ("alpha", "#E69F00"),
                ("zeta", "#56B4E9"),
            ]
        );
        assert_eq!(palette.color(""), "#999999");
        assert_eq!(palette.color("never heard of"), "#999999");
    }

    #[test]
    fn neighbours_get_different_tones() {
        let keys = ["A", "B", "C", "D"];
        let tones = country_tones(&keys, &[("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]);
        assert_ne!(tones[0], tones[1]);
        assert_ne!(tones[1], tones[2]);
        assert_ne!(tones[0], tones[2]);
        assert_ne!(tones[2], tones[3]);
    }
}
