//! Property tests: tagging keeps every row and every field; chainage grows along a line;
//! shares add up to the border's length.

use std::path::Path;
use std::sync::LazyLock;

use borderline::Border;
use borderline::geodesy::cumulative_m;
use borderline::input::{DATE_NAMES, LAT_NAMES, LON_NAMES, PRECISION_NAMES, clean_header};
use borderline::tag::{SURPLUS_MARKER, TAG_COLUMNS, TagOptions, Tagger, tag_csv};
use proptest::prelude::*;

static BORDER: LazyLock<Border> = LazyLock::new(Border::embedded);
static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(BORDER.clone()));

fn options() -> TagOptions {
    TagOptions::new("2022-10-07".parse().unwrap())
}

/// Text with the characters that make CSV hard: separators, quotes, line breaks, and any
/// other Unicode (a byte-order mark aside: at the very start of a file it is dropped).
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<char>(),
            1 => Just(','),
            1 => Just('"'),
            1 => Just('\n'),
            1 => Just('\r'),
            1 => Just(' '),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().filter(|c| *c != '\u{feff}').collect())
}

/// A header name that is none of the recognised latitude, longitude, date or precision names
/// and no tag column's.
fn other_name() -> impl Strategy<Value = String> {
    text().prop_filter("a recognised column name", |name| {
        let clean = clean_header(name.as_bytes());
        !LAT_NAMES
            .iter()
            .chain(&LON_NAMES)
            .chain(&DATE_NAMES)
            .chain(&PRECISION_NAMES.map(|(n, _)| n))
            .chain(&TAG_COLUMNS)
            .any(|n| *n == clean)
    })
}

/// A coordinate field: usually a number near the border, sometimes anything.
fn coordinate(centre: f64) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (-2.0..2.0f64).prop_map(move |d| format!("{:.5}", centre + d)),
        1 => text(),
        1 => (-1e3..1e3f64).prop_map(|v| v.to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    quote_style: u8,
}

fn table() -> impl Strategy<Value = Table> {
    (
        prop::collection::vec(other_name(), 0..5),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..4u8,
        1..40usize,
    )
        .prop_flat_map(|(others, lat_at, lon_at, quote_style, n_rows)| {
            let mut header = others;
            header.insert(lat_at.index(header.len() + 1), "lat".to_string());
            header.insert(lon_at.index(header.len() + 1), "lon".to_string());
            let width = header.len();
            let lat = header.iter().position(|h| h == "lat").unwrap();
            let lon = header.iter().position(|h| h == "lon").unwrap();
            let row = (
                prop::collection::vec(text(), width),
                coordinate(39.9),
                coordinate(70.6),
                // Most rows have the header's width; some are short or long (ragged).
                prop_oneof![8 => Just(width), 1 => 1..width, 1 => width + 1..width + 4],
                prop::collection::vec(text(), 4),
            )
                .prop_map(move |(mut fields, la, lo, len, extra)| {
                    fields[lat] = la;
                    fields[lon] = lo;
                    fields.extend(extra);
                    fields.truncate(len);
                    fields
                });
            (
                Just(header),
                prop::collection::vec(row, n_rows),
                Just(quote_style),
            )
        })
        .prop_map(|(header, rows, quote_style)| Table {
            header,
            rows,
            quote_style,
        })
}

fn write_csv(table: &Table) -> Vec<u8> {
    let style = match table.quote_style {
        0 => csv::QuoteStyle::Necessary,
        1 => csv::QuoteStyle::Always,
        2 => csv::QuoteStyle::NonNumeric,
        _ => csv::QuoteStyle::Necessary,
    };
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .quote_style(style)
        .terminator(if table.quote_style == 3 {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    w.write_record(&table.header).unwrap();
    for row in &table.rows {
        w.write_record(row).unwrap();
    }
    w.into_inner().unwrap()
}

fn records(bytes: &[u8]) -> Vec<csv::ByteRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .byte_records()
        .map(Result::unwrap)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn tag_keeps_every_row_in_order_with_its_fields(table in table()) {
        let input = write_csv(&table);
        let mut output = Vec::new();
        let summary = tag_csv(&TAGGER, Path::new("in.csv"), input.as_slice(), &mut output,
                              &options(), None, &|_, _| {}).unwrap();
        let before = records(&input);
        let after = records(&output);
        prop_assert_eq!(before.len(), table.rows.len() + 1);
        prop_assert_eq!(after.len(), before.len(), "rows in and out");
        prop_assert_eq!(summary.rows as usize, table.rows.len());
        let width = table.header.len();
        let error_at = width + TAG_COLUMNS.len() - 1;
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            // Exactly the header's width: own fields (padded or cut), then the tags.
            prop_assert_eq!(a.len(), width + TAG_COLUMNS.len(), "row {}", i);
            for (j, field) in b.iter().take(width).enumerate() {
                prop_assert_eq!(&a[j], field, "row {} field {}", i, j);
            }
            for j in b.len()..width {
                prop_assert_eq!(&a[j], b"", "row {} padding {}", i, j);
            }
            if i == 0 {
                for (k, name) in TAG_COLUMNS.iter().enumerate() {
                    prop_assert_eq!(&a[width + k], name.as_bytes());
                }
                continue;
            }
            let error = String::from_utf8(a[error_at].to_vec()).unwrap();
            if b.len() != width {
                prop_assert!(!error.is_empty(), "ragged row {} without a tag_error", i);
            }
            if b.len() > width {
                // The surplus fields, nothing lost: after the marker, as one CSV record.
                let kept = &error[error.find(SURPLUS_MARKER).unwrap() + SURPLUS_MARKER.len()..];
                let surplus = records(kept.as_bytes());
                let want: Vec<&[u8]> = b.iter().skip(width).collect();
                let got: Vec<&[u8]> = surplus.first().map_or(vec![b"" as &[u8]], |r| r.iter().collect());
                prop_assert_eq!(got, want, "row {} surplus", i);
            }
            // A row either has a segment or says why not.
            prop_assert!(a[width].is_empty() != error.is_empty(), "row {}", i);
        }
    }

    #[test]
    fn chainage_grows_along_the_line(
        start in 0usize..1400,
        stride in 1usize..40,
        steps in 2usize..30,
        t in 0.0..1.0f64,
        offset in prop::array::uniform2(-2e-6..2e-6f64),
    ) {
        let line = &BORDER.lines[0];
        let vertices = &line.geometry.0;
        let cumulative = cumulative_m(&line.geometry);
        let mut last: Option<(f64, f64)> = None;
        for k in 0..steps {
            let i = start + k * stride;
            if i + 1 >= vertices.len() {
                break;
            }
            // A point a fraction t along an edge, moved by up to 0.2 m.
            let (a, b) = (vertices[i], vertices[i + 1]);
            let lon = a.x + t * (b.x - a.x) + offset[0];
            let lat = a.y + t * (b.y - a.y) + offset[1];
            let tags = TAGGER.locate(lon, lat);
            let hit = tags.segment.unwrap();
            let segment = &BORDER.segments[hit.segment];
            prop_assert!(hit.distance_m < 5.0, "{} m from the line", hit.distance_m);
            if segment.line != 0 {
                continue; // nearer to another line (the enclave's) here
            }
            let along_km = (cumulative[i] + t * (cumulative[i + 1] - cumulative[i])) / 1000.0;
            prop_assert!((hit.chainage_km - along_km).abs() < 0.01,
                         "chainage {} at {} km along", hit.chainage_km, along_km);
            prop_assert!(segment.from_km - 1e-9 <= hit.chainage_km
                         && hit.chainage_km <= segment.to_km + 1e-9);
            if let Some((prev_along, prev_chainage)) = last {
                // Beyond the 0.2 m the points were moved, chainage never goes back.
                if along_km - prev_along > 0.001 {
                    prop_assert!(hit.chainage_km >= prev_chainage,
                                 "{} then {}", prev_chainage, hit.chainage_km);
                }
            }
            last = Some((along_km, hit.chainage_km));
        }
    }

    #[test]
    fn shares_add_up_to_the_total(days in 0i32..(50 * 366)) {
        let date = jiff::civil::date(1990, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
        let share = borderline::share::share_at(&BORDER, date);
        prop_assert!((share.total_km - BORDER.total_km()).abs() < 1e-9);
        let km: f64 = share.statuses.values().map(|s| s.km).sum();
        prop_assert!((km - share.total_km).abs() < 1e-6, "{} km of {}", km, share.total_km);
        let fraction: f64 = share.statuses.values().map(|s| s.share).sum();
        prop_assert!((fraction - 1.0).abs() < 1e-9);
        let segments: usize = share.statuses.values().map(|s| s.segments).sum();
        prop_assert_eq!(segments, BORDER.segments.len());
        for s in share.statuses.values() {
            prop_assert!(s.km >= 0.0 && s.modelled_km >= 0.0 && s.modelled_km <= s.km + 1e-9);
        }
        // By line too.
        let by_line = borderline::share::share_by_line(&BORDER, date);
        let total: f64 = by_line.iter().map(|(_, s)| s.total_km).sum();
        prop_assert!((total - share.total_km).abs() < 1e-6);
        for (_, s) in &by_line {
            let km: f64 = s.statuses.values().map(|x| x.km).sum();
            prop_assert!((km - s.total_km).abs() < 1e-6);
        }
    }
}

/// A random status history of line `L` (100 km): stretches, dates (or none), statuses.
fn history() -> impl Strategy<Value = borderline::status::StatusTable> {
    let row = (
        0..100u32,
        1..60u32,
        prop::option::of(0..6i32),
        prop::sample::select(vec!["a", "b", "c"]),
        any::<bool>(),
    );
    prop::collection::vec(row, 0..25).prop_map(|rows| {
        let mut text = String::from("line,from_km,to_km,status,effective_from,basis,source\n");
        for (from, len, year, status, to_end) in rows {
            let to = if to_end {
                "end".to_string()
            } else {
                (from + len).to_string()
            };
            let date = year.map_or(String::new(), |y| format!("{}-01-01", 2015 + y));
            text.push_str(&format!("L,{from},{to},{status},{date},,\n"));
        }
        borderline::status::StatusTable::from_reader("s.csv", text.as_bytes()).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `periods` (all change dates at once) agrees with `in_force` date by date.
    #[test]
    fn periods_agree_with_in_force(table in history()) {
        let periods = table.periods("L", 100.0);
        let dates = table.change_dates("L");
        prop_assert_eq!(periods.len(), dates.len());
        for ((date, rows), expected_date) in periods.iter().zip(&dates) {
            prop_assert_eq!(date, expected_date);
            let expected = table.in_force("L", *date, 100.0);
            prop_assert_eq!(rows, &expected);
        }
    }
}
