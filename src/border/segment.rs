//! Cutting lines into segments: at every status breakpoint of the status table (or the line's
//! own `status`), and into pieces of at most [`MAX_SEGMENT_KM`], with stable IDs `LINE:NNN`.

use std::path::Path;

use super::Border;
use super::decode::Parts;
use super::model::{BorderLine, Period, Segment};
use crate::error::Result;
use crate::geodesy::{cumulative_m, sub_line};
use crate::status::StatusTable;

/// Segments are cut at every status breakpoint and are at most this long.
pub const MAX_SEGMENT_KM: f64 = 10.0;

/// The border of `parts`, its lines cut into segments with the statuses of `table` (for lines
/// without a `status` of their own, which the table must tile).
pub(super) fn assemble(parts: Parts, table: Option<(&Path, &StatusTable)>) -> Result<Border> {
    if let Some((path, table)) = table {
        let free: Vec<(&str, f64)> = parts
            .lines
            .iter()
            .zip(&parts.fixed)
            .filter(|(_, f)| f.is_none())
            .map(|(l, _)| (l.id.as_str(), l.length_km))
            .collect();
        table.validate(path, &free)?;
    }
    let mut segments = Vec::new();
    for (index, (line, fixed)) in parts.lines.iter().zip(&parts.fixed).enumerate() {
        let statuses = match fixed {
            Some(period) => Statuses::Fixed(period),
            None => Statuses::Table(table.map(|(_, t)| t)),
        };
        segments.extend(cut_line(index, line, statuses));
    }
    Ok(Border {
        name: parts.name,
        lines: parts.lines,
        segments,
        enclaves: parts.enclaves,
        countries: parts.countries,
    })
}

/// Where a line's statuses come from.
#[derive(Clone, Copy)]
enum Statuses<'a> {
    /// The line's own `status` property: one period, for the whole line.
    Fixed(&'a Period),
    /// The status table's rows for the line, if there is a table.
    Table(Option<&'a StatusTable>),
}

/// Cuts a line at every status breakpoint and into pieces of at most [`MAX_SEGMENT_KM`].
fn cut_line(index: usize, line: &BorderLine, statuses: Statuses) -> Vec<Segment> {
    let length = line.length_km;
    let table = match statuses {
        Statuses::Table(table) => table,
        Statuses::Fixed(_) => None,
    };
    let mut breaks = vec![0.0, length];
    if let Some(table) = table {
        for row in table.rows_of(&line.id) {
            breaks.push(row.from_km.min(length));
            breaks.push(row.to_km.unwrap_or(length).min(length));
        }
    }
    breaks.sort_by(f64::total_cmp);
    breaks.dedup_by(|a, b| (*a - *b).abs() < crate::status::JOIN_TOLERANCE_KM);
    if let Some(last) = breaks.last_mut() {
        *last = length;
    }
    let mut cuts = vec![0.0];
    for pair in breaks.windows(2) {
        let pieces = ((pair[1] - pair[0]) / MAX_SEGMENT_KM).ceil().max(1.0) as usize;
        let step = (pair[1] - pair[0]) / pieces as f64;
        cuts.extend((1..=pieces).map(|i| {
            if i == pieces {
                pair[1]
            } else {
                pair[0] + step * i as f64
            }
        }));
    }
    let cumulative = cumulative_m(&line.geometry);
    // The rows in force at each change date, computed once for the line, not per segment.
    let periods = table
        .map(|t| t.periods(&line.id, length))
        .unwrap_or_default();
    let width = (cuts.len() - 1).to_string().len().max(3);
    cuts.windows(2)
        .enumerate()
        .map(|(i, w)| {
            let middle = (w[0] + w[1]) / 2.0;
            let mut history: Vec<Period> = match statuses {
                Statuses::Fixed(period) => vec![period.clone()],
                Statuses::Table(_) => Vec::new(),
            };
            for (date, rows) in &periods {
                let date = *date;
                let Some(row) = rows
                    .iter()
                    .find(|r| r.from_km <= middle && middle <= r.to_km.unwrap_or(length))
                else {
                    continue;
                };
                if history
                    .last()
                    .is_some_and(|p| p.status == row.status && p.basis == row.basis)
                {
                    continue;
                }
                history.push(Period {
                    from: date,
                    status: row.status.clone(),
                    basis: row.basis.clone(),
                    source: row.source.clone(),
                });
            }
            Segment {
                id: format!("{}:{:0width$}", line.id, i + 1),
                line: index,
                from_km: w[0],
                to_km: w[1],
                geometry: sub_line(&line.geometry, &cumulative, w[0] * 1000.0, w[1] * 1000.0),
                history,
            }
        })
        .collect()
}
