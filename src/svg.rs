//! Small helpers for the SVG pictures borderline writes (the map and the space–time chart):
//! escaping, compact numbers, path data, axis steps and the credit line every picture carries.

use std::fmt::Write as _;

/// `text` escaped for XML text and attribute values.
///
/// ```
/// assert_eq!(borderline::svg::escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `v` with at most 2 decimals and no trailing zeros, for coordinates in pixels.
///
/// ```
/// assert_eq!(borderline::svg::num(1.0), "1");
/// assert_eq!(borderline::svg::num(-0.004), "0");
/// assert_eq!(borderline::svg::num(12.345), "12.35");
/// ```
pub fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

/// Path data of a polyline (`closed`: a ring, ended with `Z`), appended to `d`.
pub fn path_data(d: &mut String, points: impl Iterator<Item = (f64, f64)>, closed: bool) {
    let mut last = String::new();
    for (i, (x, y)) in points.enumerate() {
        let here = format!("{} {}", num(x), num(y));
        if i > 0 && here == last {
            continue; // a vertex that rounds onto the previous one adds nothing
        }
        let _ = write!(d, "{}{here}", if i == 0 { 'M' } else { 'L' });
        last = here;
    }
    if closed {
        d.push('Z');
    }
}

/// A step of 1, 2 or 5 × 10ⁿ giving at most about `ticks` intervals over `span`.
///
/// ```
/// assert_eq!(borderline::svg::nice_step(971.0, 10.0), 100.0);
/// assert_eq!(borderline::svg::nice_step(30.0, 10.0), 5.0);
/// assert_eq!(borderline::svg::nice_step(150.0, 10.0), 20.0);
/// ```
pub fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(1e-9);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// The credit line of a picture: the data's attribution, or a plain statement that the data
/// name none (so a missing credit is visible, not silent).
pub fn credit_text(attribution: Option<&str>) -> String {
    match attribution {
        Some(a) => format!("Border data {a}"),
        None => "Border data: source not stated (no attribution in the border file)".to_string(),
    }
}

/// A `<text class="attribution">` element with [`credit_text`] at `x`, `y`, anchored at its end.
pub fn attribution(attribution: Option<&str>, x: f64, y: f64) -> String {
    format!(
        r##"<text class="attribution" x="{}" y="{}" text-anchor="end" font-size="10" fill="#444444">{}</text>"##,
        num(x),
        num(y),
        escape(&credit_text(attribution))
    )
}
