//! The modelled status history against the dated statements it is sized from, and the generated
//! tables of `data/README.md`.
//!
//! The statement table is recomputed from `data/source/delimitation-timeline.csv`, its readings
//! (`data/kgz-tjk/statements.csv`) and the library's `share` on the repository's border and status
//! files; the test fails when a followed statement is off by more than 1 % of the border's length,
//! when one listed as not met is met after all, when the readings disagree with the timeline's
//! own figures, or when the README shows other tables than the files give.
//!
//! Independent oracles: the implied figures are computed by hand below from the statements'
//! numbers, and the model's levels from the stretch boundaries of `status.csv` and the line
//! lengths measured with Python's geographiclib (`tests/geodesy.rs`), not from `share`.

#[path = "../examples/statements/table.rs"]
mod table;

use std::path::Path;

use assert_cmd::Command;
use borderline::date::Date;

/// Line lengths of the bundled border, geographiclib (see `tests/geodesy.rs`).
const KGZ_TJK_KM: f64 = 893.104_084_633_778;
const VORUKH_KM: f64 = 59.613_455_108_521_755;
const TOTAL_KM: f64 = KGZ_TJK_KM + VORUKH_KM;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn every_followed_statement_is_met_within_one_percent_of_the_length() {
    let border = table::bundled_border(root()).unwrap();
    let statements = table::statements(root(), &border).unwrap();
    assert!((statements.total_km - TOTAL_KM).abs() < 1e-6);
    let problems = table::problems(&statements);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every statement of the timeline is in the table, once per figure it gives.
    assert_eq!(statements.timeline.len(), 13);
    assert_eq!(statements.readings.len(), 16);
}

#[test]
fn readme_shows_the_tables_the_files_give() {
    let border = table::bundled_border(root()).unwrap();
    let readme = std::fs::read_to_string(root().join(table::README)).unwrap();
    let current = table::updated_readme(root(), &border).unwrap();
    assert!(
        readme == current,
        "data/README.md is out of date: run `cargo run --example statements -- --write`"
    );
}

/// The figures of the table, by hand from the statements (952.717 539 742 km = the two lines).
#[test]
fn implied_figures_by_hand() {
    let border = table::bundled_border(root()).unwrap();
    let statements = table::statements(root(), &border).unwrap();
    let implied = |date: &str, reading_starts: &str| {
        statements
            .readings
            .iter()
            .find(|r| r.date == date && r.reading.starts_with(reading_starts))
            .unwrap_or_else(|| panic!("no reading {date} {reading_starts:?}"))
            .implied_km
    };
    let close = |got: f64, want: f64| assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    close(
        implied("2014-01-21", "more than 500"),
        471.0 / 971.0 * TOTAL_KM,
    );
    close(implied("2019", "584"), 386.0 / 970.0 * TOTAL_KM);
    close(implied("2023-12-23", "about 290"), 290.0 / 972.0 * TOTAL_KM);
    close(implied("2023-12-23", "11.88"), -11.88 / 972.0 * TOTAL_KM);
    close(
        implied("2023-12-05", "almost 100"),
        -100.0 / 970.0 * TOTAL_KM,
    );
    close(implied("2024-07", "94%"), 0.06 * TOTAL_KM);
    close(implied("2022-10-07", "nearly half"), 0.5 * TOTAL_KM);
}

/// The model's undelimited km at each change of the history, from the stretches of `status.csv`:
/// `KGZ-TJK` undelimited from the given km to its end, plus the whole Vorukh perimeter.
#[test]
fn model_levels_equal_the_stretches_of_the_status_table() {
    let border = table::bundled_border(root()).unwrap();
    let from_km = [
        ("2014-01-21", 490.6),
        ("2019-01-01", 566.1),
        ("2022-10-07", 566.1),
        ("2023-10-20", 633.2),
        ("2023-12-05", 656.8),
        ("2023-12-23", 668.5),
        ("2024-03-17", 679.0),
        ("2024-03-30", 706.9),
    ];
    for (date, km) in from_km {
        let want = KGZ_TJK_KM - km + VORUKH_KM;
        let got = table::undelimited_km(&border, day(date));
        assert!((got - want).abs() < 1e-6, "{date}: {got} vs {want}");
    }
    let got = table::undelimited_km(&border, day("2024-07-01"));
    assert!((got - VORUKH_KM).abs() < 1e-6, "2024-07-01: {got}");
    assert_eq!(table::undelimited_km(&border, day("2024-12-05")), 0.0);
    assert!(table::undelimited_km(&border, day("2024-12-04")) > 0.0);
}

/// The acceptance: `share --as-of 2023-12-23 --format json` within 1 % of the length of
/// about 290 of 972 km still to be described (284.2 km of ours), from the built binary.
#[test]
fn share_on_2023_12_23_matches_the_statement() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("borderline")
        .unwrap()
        .current_dir(empty.path())
        .args(["share", "--as-of", "2023-12-23", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let km = doc["statuses"]["undelimited"]["km"].as_f64().unwrap();
    let stated = 290.0 / 972.0 * TOTAL_KM;
    assert!((stated - 284.247).abs() < 1e-3);
    assert!(
        (km - stated).abs() <= 0.01 * TOTAL_KM,
        "{km} km vs {stated} km"
    );
    assert!((km - 284.0).abs() <= 0.01 * TOTAL_KM, "{km} km vs 284 km");
}
