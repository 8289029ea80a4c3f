//! Drawing a [`Map`]: the layers (shared by the static SVG and the page) and the static
//! document around them (title, legend, scale bar, credit).

use std::fmt::Write as _;

use super::labels::{LabelKind, declutter, project_polygon};
use super::{Map, Marker, fade_opacity};
use crate::palette::INK;
use crate::svg::{escape, nice_step, num, path_data};

/// Marker radius in units of the static SVG (the page keeps markers this size on screen).
pub const MARKER_R: f64 = 4.0;

/// The presentation attributes of an incident marker, as (name, value) pairs.
pub(super) fn marker_style(
    marker: Marker,
    warned: bool,
    color: &str,
) -> Vec<(&'static str, String)> {
    let (fill, stroke, width) = match marker {
        Marker::Status => (color, INK, 0.8),
        Marker::Unknown => ("#FFFFFF", "#777777", 1.6),
        Marker::Beyond => ("none", INK, 1.3),
    };
    let (stroke, width) = if warned {
        ("#000000", 2.4)
    } else {
        (stroke, width)
    };
    let mut out = vec![
        ("fill", fill.to_string()),
        ("stroke", stroke.to_string()),
        ("stroke-width", width.to_string()),
    ];
    if marker == Marker::Beyond {
        out.push(("stroke-dasharray", "2 1.5".to_string()));
    }
    out
}

/// [`marker_style`] as SVG attributes.
pub(super) fn marker_attributes(marker: Marker, warned: bool, color: &str) -> String {
    marker_style(marker, warned, color)
        .iter()
        .map(|(k, v)| format!(r#"{k}="{}""#, escape(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn polygon_d(polygon: &geo::Polygon) -> String {
    let mut d = String::new();
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        path_data(&mut d, ring.0.iter().map(|c| (c.x, c.y)), true);
    }
    d
}

impl Map<'_> {
    /// The map's layers in frame units. `interactive` adds what the page's script uses: every
    /// incident (hidden ones with class `off`), links, wide hit areas and data attributes.
    pub(super) fn layers(&self, interactive: bool) -> String {
        let p = &self.projection;
        let border = self.border;
        let date = self.options.date;
        let mut s = String::new();
        let data_i = |i: usize| {
            if interactive {
                format!(r#" data-i="{i}""#)
            } else {
                String::new()
            }
        };

        s.push_str(r#"<g id="layer-countries">"#);
        for (i, country) in border.countries.iter().enumerate() {
            let d: String = country
                .shape
                .0
                .iter()
                .map(|polygon| polygon_d(&project_polygon(polygon, p)))
                .collect();
            let _ = write!(
                s,
                r#"<path class="f-country" data-kind="country"{} d="{d}" fill="{}" fill-rule="evenodd"><title>{}</title></path>"#,
                data_i(i),
                self.tones.tone(&country.key),
                escape(&country.name)
            );
        }
        s.push_str("</g>\n<g id=\"layer-enclaves\">");
        for (i, enclave) in border.enclaves.iter().enumerate() {
            let d = polygon_d(&project_polygon(&enclave.polygon, p));
            let _ = write!(
                s,
                r#"<path class="f-enclave" data-kind="enclave"{} d="{d}" fill="{}" stroke="{INK}" stroke-width="1" stroke-dasharray="3 2" fill-rule="evenodd"><title>{}</title></path>"#,
                data_i(i),
                self.tones.tone(&enclave.country),
                escape(&format!("Enclave {} ({})", enclave.name, enclave.country))
            );
        }
        s.push_str("</g>\n");

        let incidents = self.incidents.map_or(&[][..], |i| &i.rows[..]);
        if interactive {
            s.push_str(r#"<g id="layer-links">"#);
            if !border.segments.is_empty() {
                let tagger = crate::Tagger::new(border.clone());
                for (i, incident) in incidents.iter().enumerate() {
                    let Some((_, _, [x, y])) = crate::export::nearest_point(&tagger, incident)
                    else {
                        continue;
                    };
                    let mut d = String::new();
                    path_data(
                        &mut d,
                        p.line([(incident.lon, incident.lat), (x, y)].into_iter()),
                        false,
                    );
                    let _ = write!(
                        s,
                        r#"<path class="f-link" data-kind="link" data-i="{i}" d="{d}"/>"#
                    );
                }
            }
            s.push_str("</g>\n");
        }

        // Each segment's path, drawn once and (in the page) again as a wide hit area.
        let paths: Vec<String> = border
            .segments
            .iter()
            .map(|segment| {
                let mut d = String::new();
                path_data(
                    &mut d,
                    p.line(segment.geometry.0.iter().map(|c| (c.x, c.y))),
                    false,
                );
                d
            })
            .collect();
        s.push_str(r#"<g id="layer-segments">"#);
        for (i, (segment, d)) in border.segments.iter().zip(&paths).enumerate() {
            let status = segment.status_at(date);
            let _ = write!(
                s,
                r#"<path class="f-segment" data-kind="segment"{} data-status="{}" d="{d}" fill="none" stroke="{}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>"#,
                data_i(i),
                escape(status),
                self.palette.color(status)
            );
        }
        s.push_str("</g>\n");
        if interactive {
            // Wide transparent copies of the segments, so that thin lines are easy to point at.
            s.push_str(r#"<g id="layer-hits">"#);
            for (i, d) in paths.iter().enumerate() {
                let _ = write!(
                    s,
                    r#"<path class="hit" data-hit="segment" data-i="{i}" d="{d}"/>"#
                );
            }
            s.push_str("</g>\n");
        }

        s.push_str(r#"<g id="layer-incidents">"#);
        let shown = self.shown();
        for (i, (incident, level)) in incidents.iter().zip(&shown).enumerate() {
            if level.is_none() && !interactive {
                continue;
            }
            let (x, y) = p.point(incident.lon, incident.lat);
            let marker = Marker::of(incident);
            let warned = incident.warned();
            let mut class = format!("f-incident m-{}", marker.name());
            if warned {
                class.push_str(" warn");
            }
            if let Some(level) = level {
                let _ = write!(class, " a{level}");
            } else {
                class.push_str(" off");
            }
            let _ = write!(
                s,
                r#"<circle class="{class}" data-kind="incident"{} cx="{}" cy="{}" r="{MARKER_R}" {} opacity="{}"/>"#,
                data_i(i),
                num(x),
                num(y),
                marker_attributes(marker, warned, self.palette.color(incident.status())),
                num(fade_opacity(level.unwrap_or(0)))
            );
        }
        s.push_str("</g>\n<g id=\"layer-places\">");
        for (i, place) in self.places.iter().flat_map(|pl| &pl.rows).enumerate() {
            let (x, y) = p.point(place.lon, place.lat);
            let _ = write!(
                s,
                r##"<circle class="f-place" data-kind="place"{} cx="{}" cy="{}" r="2.2" fill="{INK}" stroke="#FFFFFF" stroke-width="0.8"/>"##,
                data_i(i),
                num(x),
                num(y)
            );
        }
        s.push_str("</g>\n");
        s
    }

    /// The labels: in the page, all of them with their anchors (the script places and
    /// declutters them at every zoom); in the static SVG, those [`declutter`] keeps.
    pub(super) fn label_layer(&self, interactive: bool) -> String {
        let keep = declutter(&self.labels, self.frame.0, self.frame.1);
        let mut s =
            String::from(r#"<g id="layer-labels" font-family="Helvetica, Arial, sans-serif">"#);
        for (label, keep) in self.labels.iter().zip(keep) {
            if !keep && !interactive {
                continue;
            }
            let (anchor, dx, dy, style) = match label.kind {
                LabelKind::Country => (
                    "middle",
                    0.0,
                    0.0,
                    r##"font-weight="600" letter-spacing="2" fill="#5B636E""##,
                ),
                LabelKind::Enclave => (
                    "middle",
                    0.0,
                    0.0,
                    r##"font-style="italic" fill="#1F2328""##,
                ),
                LabelKind::Place => ("start", 5.0, 4.0, r##"fill="#2B3036""##),
            };
            let _ = write!(
                s,
                r##"<text class="label {kind}-label" data-x="{x}" data-y="{y}" x="{tx}" y="{ty}" text-anchor="{anchor}" font-size="{size}" {style} stroke="#FFFFFF" stroke-width="3" stroke-opacity="0.85" paint-order="stroke">{text}</text>"##,
                kind = label.kind.name(),
                x = num(label.x),
                y = num(label.y),
                tx = num(label.x + dx),
                ty = num(label.y + dy),
                size = label.kind.font_size(),
                text = escape(&label.text),
            );
        }
        s.push_str("</g>\n");
        s
    }

    /// The static SVG document (see the module docs).
    pub fn svg(&self) -> String {
        let (fw, fh) = self.frame;
        let (ox, oy) = (16.0, 64.0);
        let panel_x = ox + fw + 24.0;
        let width = panel_x + 300.0;
        let height = oy + fh + 34.0;
        let date = self.options.date;
        let mut s = String::new();
        let title = format!("{} as of {date}", self.title());
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<title>{t}</title>
<defs><clipPath id="frame"><rect x="0" y="0" width="{fw}" height="{fh}"/></clipPath></defs>
<rect width="100%" height="100%" fill="#FFFFFF"/>
<text x="{ox}" y="28" font-size="19" font-weight="bold" fill="{INK}">{t}</text>
<text x="{ox}" y="48" fill="#444444">{sub}</text>
<g transform="translate({ox},{oy})">
<rect width="{fw}" height="{fh}" fill="#F3F5F7" stroke="#C9CED6"/>
<g clip-path="url(#frame)">
"##,
            w = num(width),
            h = num(height),
            t = escape(&title),
            sub = escape(&format!(
                "Border status on {date}; incidents up to {date}{}, coloured by the status on the incident's date",
                self.options
                    .window_days
                    .map_or(String::new(), |w| format!(" (the last {w} days)"))
            )),
        );
        s.push_str(&self.layers(false));
        s.push_str(&self.label_layer(false));
        s.push_str("</g>\n");
        s.push_str(&self.scale_bar(fh));
        s.push_str(&crate::svg::attribution(
            self.attribution(),
            fw - 6.0,
            fh - 8.0,
        ));
        s.push_str("\n</g>\n");
        s.push_str(&self.legend_panel(panel_x, oy));
        s.push_str("</svg>\n");
        s
    }

    fn scale_bar(&self, frame_h: f64) -> String {
        let km_per_unit = self.projection.km_per_unit();
        let km = nice_step(km_per_unit * 160.0, 1.0);
        let km = if km > km_per_unit * 160.0 {
            km / 2.0
        } else {
            km
        };
        let w = km / km_per_unit;
        let (x, y) = (12.0, frame_h - 14.0);
        format!(
            r##"<g class="scalebar"><rect x="{bx}" y="{by}" width="{bw}" height="24" fill="#FFFFFF" fill-opacity="0.85"/><path d="M{x} {y0}V{y}H{x1}V{y0}" fill="none" stroke="{INK}" stroke-width="1.5"/><text x="{x}" y="{ty}" font-size="11" fill="{INK}">{label}</text></g>
"##,
            bx = num(x - 6.0),
            by = num(y - 20.0),
            bw = num(w + 12.0),
            y0 = num(y - 5.0),
            x1 = num(x + w),
            ty = num(y - 8.0),
            label = if km >= 1.0 {
                format!("{km} km")
            } else {
                format!("{} m", (km * 1000.0).round())
            },
        )
    }

    fn legend_panel(&self, x: f64, y0: f64) -> String {
        let date = self.options.date;
        let share = self.share_on(date);
        let mut s = String::new();
        let mut y = y0 + 14.0;
        let heading = |s: &mut String, y: &mut f64, text: &str| {
            let _ = writeln!(
                s,
                r##"<text x="{x}" y="{}" font-size="11" font-weight="bold" letter-spacing="1" fill="#5B636E">{}</text>"##,
                num(*y),
                escape(&text.to_uppercase())
            );
            *y += 20.0;
        };
        heading(&mut s, &mut y, &format!("Border status on {date}"));
        let mut rows: Vec<_> = share.statuses.iter().collect();
        rows.sort_by_key(|(name, _)| crate::palette::legend_order(name));
        for (name, st) in rows {
            let _ = writeln!(
                s,
                r##"<g class="legend-item" data-status="{n}" data-km="{km}" data-share="{sh}"><line x1="{x}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{c}" stroke-width="4" stroke-linecap="round"/><text x="{tx}" y="{ty}">{n}</text><text x="{kx}" y="{ty}" text-anchor="end">{kmt} km</text><text x="{px}" y="{ty}" text-anchor="end" fill="#5B636E">{pct:.1}%</text></g>"##,
                n = escape(name),
                km = st.km,
                sh = st.share,
                c = self.palette.color(name),
                x2 = num(x + 22.0),
                ly = num(y - 4.0),
                tx = num(x + 30.0),
                ty = num(y),
                kx = num(x + 230.0),
                px = num(x + 290.0),
                kmt = format_args!("{:.1}", st.km),
                pct = 100.0 * st.share,
            );
            y += 20.0;
        }
        let _ = writeln!(
            s,
            r##"<line x1="{x}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="#C9CED6" stroke-dasharray="3 3"/><text x="{x}" y="{ty}" font-weight="bold">Total</text><text x="{kx}" y="{ty}" text-anchor="end" font-weight="bold">{total:.1} km</text>"##,
            ly = num(y - 10.0),
            x2 = num(x + 290.0),
            ty = num(y + 6.0),
            kx = num(x + 230.0),
            total = share.total_km,
        );
        y += 24.0;
        if share.has_modelled() {
            let modelled: f64 = share.statuses.values().map(|s| s.modelled_km).sum();
            for line in [
                format!(
                    "* {modelled:.1} of {:.1} km rest on modelled",
                    share.total_km
                ),
                "statuses (basis=modelled): estimates.".to_string(),
            ] {
                let _ = writeln!(
                    s,
                    r##"<text class="footnote" x="{x}" y="{}" font-size="11" fill="#5B636E">{}</text>"##,
                    num(y),
                    escape(&line)
                );
                y += 15.0;
            }
        }
        y += 16.0;
        if let Some(incidents) = self.incidents {
            let shown: Vec<bool> = self.shown().iter().map(Option::is_some).collect();
            let count = shown.iter().filter(|s| **s).count();
            heading(&mut s, &mut y, "Incidents: status on the incident's date");
            let _ = writeln!(
                s,
                r##"<text class="incident-count" data-shown="{count}" x="{x}" y="{}" fill="#5B636E">{count} of {} shown ({})</text>"##,
                num(y - 4.0),
                incidents.rows.len(),
                match self.options.window_days {
                    Some(w) => format!("dated within {w} days up to {date}"),
                    None => format!("up to {date}; older ones fainter"),
                }
            );
            y += 18.0;
            let mut counts: std::collections::BTreeMap<(usize, String), usize> = Default::default();
            for (r, _) in incidents.rows.iter().zip(&shown).filter(|(_, s)| **s) {
                if Marker::of(r) == Marker::Status {
                    *counts
                        .entry(crate::palette::legend_order(r.status()))
                        .or_default() += 1;
                }
            }
            let row = |s: &mut String,
                       y: &mut f64,
                       marker: Marker,
                       warned: bool,
                       color: &str,
                       text: String| {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{}" cy="{}" r="{MARKER_R}" {}/><text x="{}" y="{}">{}</text>"#,
                    num(x + 11.0),
                    num(*y - 4.0),
                    marker_attributes(marker, warned, color),
                    num(x + 30.0),
                    num(*y),
                    escape(&text)
                );
                *y += 19.0;
            };
            for ((_, status), n) in &counts {
                row(
                    &mut s,
                    &mut y,
                    Marker::Status,
                    false,
                    self.palette.color(status),
                    format!("{status} ({n})"),
                );
            }
            let of = |m: Marker| {
                incidents
                    .rows
                    .iter()
                    .zip(&shown)
                    .filter(|(r, s)| **s && Marker::of(r) == m)
                    .count()
            };
            let warned = incidents
                .rows
                .iter()
                .zip(&shown)
                .filter(|(r, s)| **s && r.warned())
                .count();
            row(
                &mut s,
                &mut y,
                Marker::Unknown,
                false,
                "",
                format!("status unknown ({})", of(Marker::Unknown)),
            );
            row(
                &mut s,
                &mut y,
                Marker::Beyond,
                false,
                "",
                format!("beyond max distance, no segment ({})", of(Marker::Beyond)),
            );
            row(
                &mut s,
                &mut y,
                Marker::Status,
                true,
                "#FFFFFF",
                format!("thick ring: tag warning ({warned})"),
            );
            y += 12.0;
        }
        heading(&mut s, &mut y, "Map");
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{}" width="22" height="14" fill="{}" stroke="{INK}" stroke-dasharray="3 2"/><text x="{}" y="{}">enclave (its country's tone)</text>"##,
            num(y - 12.0),
            self.border
                .enclaves
                .first()
                .map_or(crate::palette::COUNTRY_TONES[1], |e| self
                    .tones
                    .tone(&e.country)),
            num(x + 30.0),
            num(y)
        );
        y += 20.0;
        if self.places.is_some() {
            let _ = writeln!(
                s,
                r#"<circle cx="{}" cy="{}" r="2.2" fill="{INK}"/><text x="{}" y="{}">place</text>"#,
                num(x + 11.0),
                num(y - 4.0),
                num(x + 30.0),
                num(y)
            );
        }
        s
    }
}
