//! The report's chart: incidents along each line's chainage, as a self-contained SVG.

use std::collections::BTreeMap;

use super::Report;
use crate::border::Border;

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A step of 1, 2 or 5 × 10ⁿ giving at most about `ticks` intervals over `span`.
fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(1e-9);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// A self-contained SVG chart: for each border line, a histogram of the counted incidents
/// along its chainage in bins of `bin_km`, stacked and coloured by the status on the
/// incident's date (Okabe–Ito, as `export`), with the status names written in their colours
/// beside each line's name. All lines share one km scale and one count scale.
pub fn svg(report: &Report, border: &Border, bin_km: f64) -> String {
    use crate::palette::legend_order;
    let palette = crate::palette::StatusPalette::of_border(
        border,
        report.statuses.iter().map(|s| s.status.as_str()),
    );
    let status_color = |s: &str| palette.color(s).to_string();
    use std::fmt::Write as _;
    let bin_km = if bin_km.is_finite() && bin_km > 0.0 {
        bin_km
    } else {
        10.0
    };
    let width = 900.0;
    let (left, right) = (48.0, 24.0);
    let plot_w = width - left - right;
    let max_km = border
        .lines
        .iter()
        .map(|l| l.length_km)
        .fold(0.0_f64, f64::max)
        .max(bin_km);
    let px_per_km = plot_w / max_km;
    // counts[line][bin][status]
    let mut counts: Vec<Vec<BTreeMap<String, u64>>> = border
        .lines
        .iter()
        .map(|l| vec![BTreeMap::new(); ((l.length_km / bin_km).ceil() as usize).max(1)])
        .collect();
    for inc in &report.incidents {
        let line = border.segments[inc.segment].line;
        let bins = &mut counts[line];
        let bin = ((inc.chainage_km / bin_km).floor().max(0.0) as usize).min(bins.len() - 1);
        *bins[bin].entry(inc.status.clone()).or_default() += 1;
    }
    let max_count = counts
        .iter()
        .flatten()
        .map(|b| b.values().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (title_h, row_title_h, bar_h, axis_h, gap) = (46.0, 22.0, 90.0, 30.0, 14.0);
    let row_h = row_title_h + bar_h + axis_h + gap;
    let note_h = 58.0;
    let height = title_h + row_h * border.lines.len() as f64 + note_h;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<title>{title}</title>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="{left}" y="20" font-size="15" font-weight="bold">{title}</text>
<text x="{left}" y="37" fill="#444444">{sub}</text>
"##,
        title = xml_escape(&format!(
            "{} border: incidents along the border, {} to {}",
            report.border, report.window.from, report.window.to
        )),
        sub = xml_escape(&format!(
            "Incidents per {bin_km} km of chainage, coloured by the segment's status on the incident's date; bar heights on one scale (tallest bar: {max_count})."
        )),
    );
    let mut y = title_h;
    for (li, line) in border.lines.iter().enumerate() {
        let bins = &counts[li];
        let mut totals: BTreeMap<String, u64> = BTreeMap::new();
        for b in bins {
            for (st, n) in b {
                *totals.entry(st.clone()).or_default() += n;
            }
        }
        let mut order: Vec<(&String, &u64)> = totals.iter().collect();
        order.sort_by_key(|(st, _)| legend_order(st));
        let total: u64 = totals.values().sum();
        let _ = write!(
            s,
            r##"<text x="{left}" y="{ty}"><tspan font-weight="bold">{name}</tspan> ({km:.1} km): {total} incident{plural}"##,
            ty = y + 15.0,
            name = xml_escape(&line.id),
            km = line.length_km,
            plural = if total == 1 { "" } else { "s" },
        );
        for (i, (st, n)) in order.iter().enumerate() {
            let _ = write!(
                s,
                r##"{sep}<tspan fill="{c}" font-weight="bold">{n} {st}</tspan>"##,
                sep = if i == 0 { " — " } else { ", " },
                c = status_color(st),
                st = xml_escape(st),
            );
        }
        s.push_str("</text>\n");
        let base = y + row_title_h + bar_h;
        // Count axis: 0 and the shared maximum.
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#888888"/><text x="{lx}" y="{ty}" text-anchor="end" fill="#444444" font-size="10">{max_count}</text><text x="{lx}" y="{base}" text-anchor="end" fill="#444444" font-size="10">0</text><line x1="{left}" y1="{top}" x2="{gx}" y2="{top}" stroke="#dddddd" stroke-dasharray="3,3"/>"##,
            top = base - bar_h,
            lx = left - 4.0,
            ty = base - bar_h + 4.0,
            gx = left + line.length_km * px_per_km,
        );
        let bar_w = bin_km * px_per_km;
        for (bi, bin) in bins.iter().enumerate() {
            let x0 = left + bi as f64 * bar_w;
            let w = ((line.length_km - bi as f64 * bin_km).min(bin_km) * px_per_km - 1.0).max(1.0);
            let mut stack = base;
            let mut parts: Vec<(&String, &u64)> = bin.iter().collect();
            parts.sort_by_key(|(st, _)| legend_order(st));
            for (st, n) in parts {
                let h = *n as f64 / max_count as f64 * bar_h;
                stack -= h;
                let _ = writeln!(
                    s,
                    r##"<rect x="{x0:.2}" y="{stack:.2}" width="{w:.2}" height="{h:.2}" fill="{c}"><title>{tip}</title></rect>"##,
                    c = status_color(st),
                    tip = xml_escape(&format!(
                        "{} km {}–{}: {n} {st}",
                        line.id,
                        bi as f64 * bin_km,
                        ((bi + 1) as f64 * bin_km).min(line.length_km).round()
                    )),
                );
            }
            let n: u64 = bin.values().sum();
            if n > 0 {
                let _ = writeln!(
                    s,
                    r##"<text x="{cx:.2}" y="{ty:.2}" text-anchor="middle" font-size="9" fill="#222222">{n}</text>"##,
                    cx = x0 + w / 2.0,
                    ty = stack - 2.0,
                );
            }
        }
        // Chainage axis in km.
        let axis_end = left + line.length_km * px_per_km;
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{base}" x2="{axis_end:.2}" y2="{base}" stroke="#333333"/>"##
        );
        let step = nice_step(max_km, 10.0);
        let mut ticks: Vec<f64> = (0..)
            .map(|i| i as f64 * step)
            .take_while(|km| *km <= line.length_km + 1e-9)
            .collect();
        if ticks.len() < 2 {
            ticks.push(line.length_km);
        }
        for km in ticks {
            let x = left + km * px_per_km;
            let label = if km.fract() == 0.0 {
                format!("{km:.0}")
            } else {
                format!("{km:.1}")
            };
            let _ = writeln!(
                s,
                r##"<line x1="{x:.2}" y1="{base}" x2="{x:.2}" y2="{t2}" stroke="#333333"/><text x="{x:.2}" y="{ty}" text-anchor="middle" font-size="10" fill="#444444">{label}</text>"##,
                t2 = base + 4.0,
                ty = base + 15.0,
            );
        }
        let (ux, anchor, uy) = if axis_end + 90.0 <= width - 4.0 {
            (axis_end + 12.0, "start", base + 15.0)
        } else {
            (axis_end, "end", base + 27.0)
        };
        let _ = writeln!(
            s,
            r##"<text x="{ux:.2}" y="{uy}" text-anchor="{anchor}" font-size="10" fill="#444444">km along {name}</text>"##,
            name = xml_escape(&line.id),
        );
        y += row_h;
    }
    let excluded: Vec<String> = report
        .excluded
        .classes()
        .iter()
        .filter(|(_, t)| t.incidents > 0)
        .map(|(k, t)| format!("{} {}", t.incidents, k.replace('_', " ")))
        .collect();
    let notes = [
        format!(
            "{} of {} rows shown; not shown: {}.",
            report.counted.incidents,
            report.rows_read,
            if excluded.is_empty() {
                "none".to_string()
            } else {
                excluded.join(", ")
            }
        ),
        if report.modelled {
            "Statuses rest partly on modelled rows (basis=modelled): treat them as estimates."
                .to_string()
        } else {
            String::new()
        },
    ];
    for (i, note) in notes.iter().filter(|n| !n.is_empty()).enumerate() {
        let _ = writeln!(
            s,
            r##"<text x="{left}" y="{ty}" font-size="11" fill="#444444">{t}</text>"##,
            ty = y + 10.0 + 16.0 * i as f64,
            t = xml_escape(note),
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(971.0, 10.0), 100.0);
        assert_eq!(nice_step(30.0, 10.0), 5.0);
        assert_eq!(nice_step(150.0, 10.0), 20.0);
    }
}
