//! The report's chart: a space–time picture of the border, as a self-contained SVG.
//!
//! One panel per border line, side by side: x is the chainage along the line (km from its
//! start, one km scale for every line, tiny lines widened and marked "not to scale"), y is
//! time, downwards. Bands are coloured by the status each stretch had at each date (from its
//! history; before a stretch's first record it is `unknown`), labelled with the status where
//! they are big enough, and hatched where the status rests on a `modelled` row. The counted
//! incidents are dots at (chainage, date), a vertical bar spanning the days of a month- or
//! year-only date; a strip under each panel counts them per `bin_km` of chainage. So where and
//! when the line was undelimited, and where the incidents fell, are in one picture.
//!
//! Structure, for tools and tests: every band is a `<rect class="band">` with `data-line`,
//! `data-status`, `data-basis`, `data-from-km`, `data-to-km`, `data-from` and `data-to` (the
//! first and the day after the last day it covers); every incident is one `<circle
//! class="incident">` with `data-line`, `data-chainage` and `data-date`.

use std::fmt::Write as _;

use super::Report;
use crate::border::{Border, Period};
use crate::date::Date;
use crate::map::day_number;
use crate::palette::StatusPalette;
use crate::svg::{attribution, escape, nice_step, num};

/// Whether white or dark text reads better on `hex` (WCAG relative luminance).
fn text_on(hex: &str) -> &'static str {
    let channel = |i: usize| {
        let v = hex
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.5, |v| f64::from(v) / 255.0);
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if l > 0.3 { "#1F2328" } else { "#FFFFFF" }
}

/// One band: a stretch of a line with one status over a span of days.
struct Band<'a> {
    from_km: f64,
    to_km: f64,
    /// First day, and the day after the last.
    from: Date,
    to: Date,
    status: &'a str,
    basis: &'a str,
}

/// The period of a history in force on `date` (`None` before the first record).
fn period_on(history: &[Period], date: Date) -> Option<&Period> {
    history
        .iter()
        .rev()
        .find(|p| p.from.is_none_or(|from| from <= date))
}

/// The bands of line `line` from `start` to the day before `end`: the time is cut at every
/// change of any of its segments, and within each slice neighbouring segments with the same
/// status and basis are one band.
fn bands(border: &Border, line: usize, start: Date, end: Date) -> Vec<Band<'_>> {
    let segments: Vec<_> = border.segments.iter().filter(|s| s.line == line).collect();
    let mut cuts: Vec<Date> = segments
        .iter()
        .flat_map(|s| s.history.iter().filter_map(|p| p.from))
        .filter(|d| start < *d && *d < end)
        .collect();
    cuts.push(start);
    cuts.push(end);
    cuts.sort();
    cuts.dedup();
    let mut out: Vec<Band> = Vec::new();
    for slice in cuts.windows(2) {
        let first = out.len();
        for s in &segments {
            let period = period_on(&s.history, slice[0]);
            let status = period.map_or(crate::status::UNKNOWN, |p| p.status.as_str());
            let basis = period.map_or("", |p| p.basis.as_str());
            if let Some(last) = out[first..].last_mut()
                && last.status == status
                && last.basis == basis
                && (last.to_km - s.from_km).abs() < 1e-9
            {
                last.to_km = s.to_km;
                continue;
            }
            out.push(Band {
                from_km: s.from_km,
                to_km: s.to_km,
                from: slice[0],
                to: slice[1],
                status,
                basis,
            });
        }
    }
    out
}

/// The width of each panel: one km scale for all lines, found so that the panels fill
/// `plot_w`, with every panel at least `min_w` wide.
fn panel_widths(lengths: &[f64], plot_w: f64, min_w: f64) -> Vec<f64> {
    let total = lengths.iter().sum::<f64>().max(1e-9);
    let (mut lo, mut hi) = (0.0, plot_w / total * 2.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        let used: f64 = lengths.iter().map(|l| (l * mid).max(min_w)).sum();
        if used > plot_w { hi = mid } else { lo = mid }
    }
    lengths.iter().map(|l| (l * lo).max(min_w)).collect()
}

/// The space–time chart of `report` against `border` (see the module docs), with the data's
/// credit `credit`.
pub fn svg(report: &Report, border: &Border, bin_km: f64, credit: Option<&str>) -> String {
    let bin_km = if bin_km.is_finite() && bin_km > 0.0 {
        bin_km
    } else {
        10.0
    };
    let palette =
        StatusPalette::of_border(border, report.incidents.iter().map(|i| i.status.as_str()));
    // Time: the status history, the report's period and the incidents, whole years.
    let (t_first, t_last) = crate::map::time_span(
        border,
        report.incidents.iter().map(|i| crate::date::DateRange {
            start: i.date,
            end: i.date_end,
        }),
        &[report.window.from, report.window.to],
    );
    let start = Date::new(t_first.year(), 1, 1).unwrap_or(t_first);
    let end = Date::new(t_last.year() + 1, 1, 1).unwrap_or(t_last);
    let (d0, d1) = (
        day_number(start),
        day_number(end).max(day_number(start) + 1),
    );

    let n = border.lines.len().max(1);
    let (left, gap, min_w) = (58.0, 12.0, 32.0);
    let width = (960.0_f64).max(left + 18.0 + n as f64 * (min_w + gap));
    let lengths: Vec<f64> = border.lines.iter().map(|l| l.length_km).collect();
    let header_px = |h: &String| h.chars().count() as f64 * 6.2;
    // Panel widths on one km scale, the panels widened beyond it to be seen, and their headers
    // (written aslant when one does not fit its panel, with room on the right for the last).
    let layout = |right: f64| {
        let plot_w = width - left - right - gap * (n as f64 - 1.0);
        let widths = panel_widths(&lengths, plot_w, min_w);
        let scale = widths
            .iter()
            .zip(&lengths)
            .map(|(w, l)| w / l.max(1e-9))
            .fold(f64::INFINITY, f64::min);
        let widened: Vec<bool> = widths
            .iter()
            .zip(&lengths)
            .map(|(w, l)| (w - l * scale).abs() >= 0.5)
            .collect();
        let headers: Vec<String> = border
            .lines
            .iter()
            .zip(&widened)
            .map(|(l, wide)| {
                format!(
                    "{} · {:.1} km{}",
                    l.id,
                    l.length_km,
                    if *wide { "*" } else { "" }
                )
            })
            .collect();
        let aslant = headers
            .iter()
            .zip(&widths)
            .any(|(h, w)| header_px(h) > *w + gap);
        (widths, widened, headers, aslant)
    };
    let (mut widths, mut widened, mut headers, aslant) = layout(18.0);
    let right = match (aslant, headers.last(), widths.last()) {
        (true, Some(h), Some(w)) => 18.0 + (header_px(h) * 0.77 - w).max(0.0),
        _ => 18.0,
    };
    if right > 18.0 {
        (widths, widened, headers, _) = layout(right);
    }
    let rise = if aslant {
        headers.iter().map(header_px).fold(0.0, f64::max) * 0.64
    } else {
        0.0
    };
    let (top, plot_h, strip_h) = (92.0 + rise, 440.0, 46.0);
    let y_of = |d: Date| top + (day_number(d) - d0) as f64 / (d1 - d0) as f64 * plot_h;
    let height = top + plot_h + 30.0 + strip_h + 108.0;

    let mut s = String::new();
    let statuses: Vec<String> = palette
        .entries()
        .map(|(st, c)| {
            format!(
                r#"<tspan fill="{c}" font-weight="bold">{}</tspan>"#,
                escape(st)
            )
        })
        .collect();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<title>{title}</title>
<defs><pattern id="modelled" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="7" stroke="#FFFFFF" stroke-width="1.5" stroke-opacity="0.4"/></pattern></defs>
<rect width="100%" height="100%" fill="#FFFFFF"/>
<text x="{left}" y="24" font-size="17" font-weight="bold" fill="#1F2328">{title}</text>
<text x="{left}" y="44" fill="#444444">Across: km along each line. Down: time. Colour: the status of each stretch at each date ({statuses}); hatched where modelled.</text>
<text x="{left}" y="62" fill="#444444">Dots: the {count} counted incidents at their chainage and date (a bar spans a month- or year-only date); the strip below counts them per {bin_km} km.</text>
"##,
        w = num(width),
        h = num(height),
        title = escape(&format!(
            "{} border: status through time, and where incidents fell",
            report.border
        )),
        statuses = statuses.join(", "),
        count = report.incidents.len(),
    );

    // Years down the left, with light rules across.
    let years = (d1 - d0) as f64 / 365.25;
    let step = nice_step(years, 12.0).max(1.0) as i16;
    let mut year = start.year();
    while let Ok(d) = Date::new(year, 1, 1) {
        if d > end {
            break;
        }
        let y = y_of(d);
        let _ = writeln!(
            s,
            r##"<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="#E3E6EA"/><text x="{tx}" y="{ty}" text-anchor="end" font-size="11" fill="#444444">{year}</text>"##,
            l = num(left - 4.0),
            r = num(width - right),
            y = num(y),
            tx = num(left - 8.0),
            ty = num(y + 4.0),
        );
        year += step;
    }

    let mut x0 = left;
    let max_count = {
        let mut m = 1;
        for (li, line) in border.lines.iter().enumerate() {
            let bins = ((line.length_km / bin_km).ceil() as usize).max(1);
            let mut c = vec![0usize; bins];
            for inc in report
                .incidents
                .iter()
                .filter(|i| border.segments[i.segment].line == li)
            {
                c[((inc.chainage_km / bin_km).floor().max(0.0) as usize).min(bins - 1)] += 1;
            }
            m = m.max(c.into_iter().max().unwrap_or(0));
        }
        m
    };
    for (li, line) in border.lines.iter().enumerate() {
        let w = widths[li];
        let length = line.length_km.max(1e-9);
        let x_of = |km: f64| x0 + km.clamp(0.0, length) / length * w;
        let (hx, hy) = (x0 + 2.0, top - 8.0);
        let _ = writeln!(
            s,
            r##"<g class="line-panel" data-line="{id}"><text x="{x}" y="{y}" font-size="11"{turn}><tspan font-weight="bold">{id}</tspan><tspan fill="#5B636E">{rest}</tspan></text>"##,
            id = escape(&line.id),
            x = num(hx),
            y = num(hy),
            turn = if aslant {
                format!(r#" transform="rotate(-40 {} {})""#, num(hx), num(hy))
            } else {
                String::new()
            },
            rest = escape(&headers[li][line.id.len()..]),
        );
        for band in bands(border, li, start, end) {
            let (bx, by) = (x_of(band.from_km), y_of(band.from));
            let (bw, bh) = (x_of(band.to_km) - bx, y_of(band.to) - by);
            let color = palette.color(band.status);
            let _ = write!(
                s,
                r#"<rect class="band" data-line="{line}" data-status="{st}" data-basis="{basis}" data-from-km="{fk}" data-to-km="{tk}" data-from="{from}" data-to="{to}" x="{x}" y="{y}" width="{bw}" height="{bh}" fill="{color}"><title>{tip}</title></rect>"#,
                line = escape(&line.id),
                st = escape(band.status),
                basis = escape(band.basis),
                fk = band.from_km,
                tk = band.to_km,
                from = band.from,
                to = band.to,
                x = num(bx),
                y = num(by),
                bw = num(bw.max(0.0)),
                bh = num(bh.max(0.0)),
                tip = escape(&format!(
                    "{} km {:.1}–{:.1}: {} from {} to {}{}",
                    line.id,
                    band.from_km,
                    band.to_km,
                    band.status,
                    band.from,
                    band.to,
                    if band.basis.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", band.basis)
                    }
                )),
            );
            if crate::status::is_modelled(band.basis) {
                let _ = write!(
                    s,
                    r#"<rect class="modelled" x="{}" y="{}" width="{}" height="{}" fill="url(#modelled)" pointer-events="none"/>"#,
                    num(bx),
                    num(by),
                    num(bw.max(0.0)),
                    num(bh.max(0.0))
                );
            }
            let label = band.status;
            if bw >= label.chars().count() as f64 * 6.4 + 10.0 && bh >= 16.0 {
                let _ = write!(
                    s,
                    r#"<text class="band-label" x="{}" y="{}" text-anchor="middle" font-size="11" font-weight="bold" fill="{}">{}</text>"#,
                    num(bx + bw / 2.0),
                    num(by + bh / 2.0 + 4.0),
                    text_on(color),
                    escape(label)
                );
            }
        }
        s.push('\n');
        // Incidents.
        let mut bins = vec![0usize; ((line.length_km / bin_km).ceil() as usize).max(1)];
        for inc in report
            .incidents
            .iter()
            .filter(|i| border.segments[i.segment].line == li)
        {
            let x = x_of(inc.chainage_km);
            let (ya, yb) = (y_of(inc.date), y_of(inc.date_end));
            if yb - ya > 1.5 {
                let _ = write!(
                    s,
                    r##"<line x1="{x}" y1="{ya}" x2="{x}" y2="{yb}" stroke="#111111" stroke-width="1.5"/>"##,
                    x = num(x),
                    ya = num(ya),
                    yb = num(yb),
                );
            }
            let _ = write!(
                s,
                r##"<circle class="incident" data-line="{line}" data-chainage="{c}" data-date="{d}" cx="{x}" cy="{y}" r="3" fill="{fill}" stroke="{stroke}" stroke-width="1"><title>{tip}</title></circle>"##,
                line = escape(&line.id),
                c = inc.chainage_km,
                d = inc.date,
                x = num(x),
                y = num(ya),
                fill = if inc.warned { "#FFFFFF" } else { "#111111" },
                stroke = if inc.warned { "#111111" } else { "#FFFFFF" },
                tip = escape(&format!(
                    "{} km {:.1}, {}: {}{}",
                    line.id,
                    inc.chainage_km,
                    inc.date,
                    inc.status,
                    if inc.warned { " (tag warning)" } else { "" }
                )),
            );
            let b = ((inc.chainage_km / bin_km).floor().max(0.0) as usize).min(bins.len() - 1);
            bins[b] += 1;
        }
        // Chainage axis.
        let base = top + plot_h;
        let _ = writeln!(
            s,
            r##"<line x1="{x0}" y1="{base}" x2="{x1}" y2="{base}" stroke="#333333"/>"##,
            x0 = num(x0),
            x1 = num(x0 + w),
            base = num(base),
        );
        let tick = nice_step(line.length_km, (w / 70.0).max(1.0));
        let mut km = 0.0;
        while km <= line.length_km + 1e-9 {
            let x = x_of(km);
            let _ = write!(
                s,
                r##"<line x1="{x}" y1="{base}" x2="{x}" y2="{b4}" stroke="#333333"/><text x="{x}" y="{ty}" text-anchor="middle" font-size="10" fill="#444444">{label}</text>"##,
                x = num(x),
                base = num(base),
                b4 = num(base + 4.0),
                ty = num(base + 15.0),
                label = if tick >= 1.0 {
                    format!("{km:.0}")
                } else {
                    format!("{km}")
                },
            );
            km += tick;
        }
        // Incidents per bin.
        let strip = base + 30.0;
        let bw = bin_km / length * w;
        for (bi, count) in bins.iter().enumerate().filter(|(_, c)| **c > 0) {
            let h = *count as f64 / max_count as f64 * strip_h;
            let _ = write!(
                s,
                r##"<rect class="bin" x="{}" y="{}" width="{}" height="{}" fill="#444444"><title>{} km {}–{}: {count}</title></rect>"##,
                num(x0 + bi as f64 * bw),
                num(strip + strip_h - h),
                num((bw - 0.5).max(0.8)),
                num(h),
                escape(&line.id),
                bi as f64 * bin_km,
                ((bi + 1) as f64 * bin_km).min(line.length_km),
            );
        }
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#888888"/></g>"##,
            num(x0),
            num(x0 + w),
            y = num(strip + strip_h),
        );
        x0 += w + gap;
    }
    let strip = top + plot_h + 30.0;
    let _ = writeln!(
        s,
        r##"<text x="{x}" y="{y}" text-anchor="end" font-size="10" fill="#444444">{max_count}</text><text x="{x}" y="{y0}" text-anchor="end" font-size="10" fill="#444444">0</text><text x="{x}" y="{yl}" text-anchor="end" font-size="10" fill="#444444">per {bin_km} km</text>"##,
        x = num(left - 8.0),
        y = num(strip + 8.0),
        y0 = num(strip + strip_h),
        yl = num(strip + strip_h + 12.0),
    );
    let excluded: Vec<String> = report
        .excluded
        .classes()
        .iter()
        .filter(|(_, t)| t.incidents > 0)
        .map(|(k, t)| format!("{} {}", t.incidents, k.replace('_', " ")))
        .collect();
    let notes = [
        format!(
            "{} of {} rows shown, dated {} to {}; not shown: {}.",
            report.counted.incidents,
            report.rows_read,
            report.window.from,
            report.window.to,
            if excluded.is_empty() {
                "none".to_string()
            } else {
                excluded.join(", ")
            }
        ),
        if report.modelled {
            "Hatched bands rest on modelled status rows (basis=modelled): treat where and when as estimates.".to_string()
        } else {
            String::new()
        },
        if widened.iter().any(|w| *w) {
            "* Widened to be seen: not on the common km scale.".to_string()
        } else {
            String::new()
        },
    ];
    let mut y = height - 56.0;
    for note in notes.iter().filter(|n| !n.is_empty()) {
        let _ = writeln!(
            s,
            r##"<text x="{left}" y="{y}" font-size="11" fill="#444444">{}</text>"##,
            escape(note),
            y = num(y)
        );
        y += 15.0;
    }
    s.push_str(&attribution(credit, width - right, height - 8.0));
    s.push_str("\n</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_share_one_scale_and_fill_the_plot() {
        let widths = panel_widths(&[893.1, 59.6, 0.2], 800.0, 44.0);
        assert!(
            (widths.iter().sum::<f64>() - 800.0).abs() < 0.01,
            "{widths:?}"
        );
        assert_eq!(widths[2], 44.0);
        assert!((widths[0] / 893.1 - widths[1] / 59.6).abs() < 1e-6);
    }
}
