//! The floor `borderline tag` is measured against: a single-threaded pass-through of the same
//! CSV with the `csv` crate — read every row, parse its latitude and longitude, write the row
//! plus the tag columns filled with fixed text — i.e. the cost of reading and writing the file
//! with no tagging at all.
//!
//! `benches/compare.sh` runs it on the benchmark's input (`floor INPUT OUTPUT`). Run by
//! `cargo bench` without arguments, it passes through 200 000 generated rows and prints the
//! rate.

use std::io::Write;
use std::time::Instant;

use borderline::tag::TAG_COLUMNS;

mod common;
use common::Rng;

/// The tag fields every row gets: text of the lengths a tagged row has.
const FIXED: [&str; 16] = [
    "KGZ-TJK:058",
    "KGZ-TJK",
    "KGZ-TJK",
    "undelimited",
    "modelled",
    "2014-01-21",
    "2194.1",
    "574.244",
    "69.340427",
    "39.610247",
    "TJK",
    "",
    "Vorukh",
    "107766.2",
    "",
    "",
];

/// Passes `input` through to `output`; the rows and the sum of the coordinates (so that the
/// parsing is not optimised away).
fn pass_through(input: impl std::io::Read, output: impl Write) -> csv::Result<(u64, f64)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
    let header = reader.byte_headers()?.clone();
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n.as_bytes())))
            .unwrap_or(0)
    };
    let (lat, lon) = (find(&["latitude", "lat"]), find(&["longitude", "lon"]));
    let mut out = header.clone();
    out.extend(TAG_COLUMNS.iter());
    writer.write_byte_record(&out)?;
    let (mut rows, mut sum) = (0u64, 0.0);
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        let number = |i: usize| {
            std::str::from_utf8(record.get(i).unwrap_or_default())
                .ok()
                .and_then(|t| t.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        sum += number(lat) + number(lon);
        out.clear();
        out.extend(record.iter());
        out.extend(FIXED.iter());
        writer.write_byte_record(&out)?;
        rows += 1;
    }
    writer.flush()?;
    Ok((rows, sum))
}

fn generated(rows: usize) -> Vec<u8> {
    let mut rng = Rng(42);
    let mut text = String::from("event_id,event_date,latitude,longitude,fatalities,notes\n");
    for i in 0..rows {
        let (lat, lon) = (39.0 + 1.7 * rng.uniform(), 69.0 + 5.0 * rng.uniform());
        text.push_str(&format!(
            "EV{i},2022-09-16,{lat:.5},{lon:.5},{},\"Clash, reportedly near the canal\"\n",
            i % 7
        ));
    }
    text.into_bytes()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let result = match args.as_slice() {
        [input, output] => {
            let input = std::fs::File::open(input).expect("input CSV");
            let output = std::fs::File::create(output).expect("output CSV");
            pass_through(std::io::BufReader::new(input), output)
        }
        [] => {
            let input = generated(200_000);
            let start = Instant::now();
            let result = pass_through(input.as_slice(), std::io::sink());
            if let Ok((rows, _)) = result {
                let seconds = start.elapsed().as_secs_f64();
                println!(
                    "floor: {rows} rows in {seconds:.3} s, {:.0} rows/s",
                    rows as f64 / seconds
                );
            }
            result
        }
        _ => {
            eprintln!("usage: floor [INPUT OUTPUT]");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("floor: {e}");
        std::process::exit(1);
    }
}
