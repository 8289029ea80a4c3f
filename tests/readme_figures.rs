//! The figures the README shows, two ways:
//!
//! - **Reproducibility, byte for byte**: every `console` example of the README is run as
//!   written (in order, in a scratch directory that sees the repository's `data/`) and its
//!   output must be the README's text exactly — this only proves the README shows what the
//!   tool prints today, not that it is right.
//! - **Correctness, against independent values**: the numbers of those examples are
//!   recomputed here from the inputs alone — the status table `data/kgz-tjk/status.csv` read by
//!   an evaluator of its own (below), line lengths summed with Python geographiclib 2.1, each
//!   incident's nearest line and chainage from `tests/golden.rs`'s oracle (every incident of
//!   `data/source/incidents.csv` sits on a place of `data/source/places.csv`), Garwood
//!   quantiles from scipy — and each printed figure must be that value, rounded.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

/// Geodesic lengths (km) of the bundled lines: Python geographiclib, summing
/// `Geodesic.WGS84.Inverse(...)['s12']` over the vertices of `data/fergana/border.geojson`
/// (the first two are `data/kgz-tjk/border.geojson`'s lines too).
const LINE_KM: [(&str, &str, f64); 12] = [
    ("KGZ-TJK", "KGZ-TJK", 893.104084633778),
    ("Vorukh", "KGZ-TJK", 59.613455108521755),
    ("KGZ-UZB-1", "KGZ-UZB", 1101.4696879848923),
    ("KGZ-UZB-2", "KGZ-UZB", 0.5937969566431206),
    ("KGZ-UZB-3", "KGZ-UZB", 0.16304024975126927),
    ("Sokh", "KGZ-UZB", 141.8730465698328),
    ("Chong-Kara", "KGZ-UZB", 8.051799381953352),
    ("Jani-Ayil", "KGZ-UZB", 4.01643916880039),
    ("Shakhimardan", "KGZ-UZB", 44.36204199664341),
    ("Barak", "KGZ-UZB", 5.783379299572584),
    ("TJK-UZB", "TJK-UZB", 1285.4453635385937),
    ("Sarvak", "TJK-UZB", 31.13659637107098),
];

/// The README's rule for segments: lines are cut at every status breakpoint and into pieces of
/// at most this many km.
const SEGMENT_KM: f64 = 10.0;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn line_km(id: &str) -> f64 {
    LINE_KM.iter().find(|l| l.0 == id).unwrap().2
}

/// One row of a status table.
struct StatusRow {
    line: String,
    from_km: f64,
    to_km: Option<f64>,
    status: String,
    /// ISO date: compares as text.
    effective_from: String,
}

fn status_rows() -> Vec<StatusRow> {
    let mut reader = csv::Reader::from_path(root().join("data/kgz-tjk/status.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            StatusRow {
                line: r[0].to_string(),
                from_km: r[1].parse().unwrap(),
                to_km: (&r[2] != "end").then(|| r[2].parse().unwrap()),
                status: r[3].to_string(),
                effective_from: r[4].to_string(),
            }
        })
        .collect()
}

/// The pieces of `line` between consecutive breakpoints of all its rows: (from, to) km.
fn pieces(rows: &[StatusRow], line: &str) -> Vec<(f64, f64)> {
    let length = line_km(line);
    let mut breaks = vec![0.0, length];
    for r in rows.iter().filter(|r| r.line == line) {
        breaks.push(r.from_km);
        breaks.push(r.to_km.unwrap_or(length));
    }
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    breaks.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The status of km `at` of `line` on `date`: the row in force (effective by then) covering it
/// that took effect last; `unknown` if none.
fn status_at(rows: &[StatusRow], line: &str, at: f64, date: &str) -> String {
    let length = line_km(line);
    rows.iter()
        .filter(|r| {
            r.line == line
                && r.effective_from.as_str() <= date
                && r.from_km <= at
                && at <= r.to_km.unwrap_or(length)
        })
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from))
        .map_or("unknown".to_string(), |r| r.status.clone())
}

/// status → (km, segments) over `lines` on `date`.
fn share(rows: &[StatusRow], lines: &[&str], date: &str) -> BTreeMap<String, (f64, usize)> {
    let mut out: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for line in lines {
        for (a, b) in pieces(rows, line) {
            let entry = out
                .entry(status_at(rows, line, (a + b) / 2.0, date))
                .or_default();
            entry.0 += b - a;
            entry.1 += ((b - a) / SEGMENT_KM).ceil() as usize;
        }
    }
    out
}

/// `text` is `want` rounded to as many decimals as `text` has.
fn assert_rounded(what: &str, text: &str, want: f64) {
    let text = text.trim_end_matches('%');
    let decimals = text.rsplit_once('.').map_or(0, |(_, f)| f.len());
    assert_eq!(
        text,
        format!("{want:.decimals$}"),
        "{what}: the README says {text}, the inputs give {want}"
    );
}

/// Every `console` example of the README: (command words after `borderline`, output).
fn console_examples() -> Vec<(Vec<String>, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block && line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        match line.strip_prefix("$ borderline ") {
            Some(command) => out.push((
                command.split_whitespace().map(str::to_string).collect(),
                String::new(),
            )),
            None if line.is_empty() => {}
            None => {
                let output = &mut out.last_mut().expect("output after a command").1;
                output.push_str(line);
                output.push('\n');
            }
        }
    }
    out
}

/// The output of the README example that starts with `command`.
fn example(command: &str) -> String {
    console_examples()
        .into_iter()
        .find(|(words, _)| words.join(" ") == command)
        .unwrap_or_else(|| panic!("no README example `borderline {command}`"))
        .1
}

/// Data rows of a README table: its lines that start with `first`, split on blanks.
fn table_rows<'a>(output: &'a str, first: &[&str]) -> Vec<Vec<&'a str>> {
    output
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| !w.is_empty() && first.contains(&w[0]))
        .collect()
}

/// Reproducibility (byte for byte): every console example, run in order, prints exactly what
/// the README shows (stdout, then stderr).
#[test]
fn every_console_example_prints_what_the_readme_shows() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("data"), dir.path().join("data")).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    let examples = console_examples();
    assert_eq!(examples.len(), 5, "{examples:?}");
    for (words, shown) in examples {
        let out = Command::cargo_bin("borderline")
            .unwrap()
            .current_dir(dir.path())
            .args(&words)
            .assert()
            .success()
            .get_output()
            .clone();
        let printed =
            String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
        assert_eq!(printed, shown, "borderline {}", words.join(" "));
    }
    // The chart the report example writes is the README's picture, byte for byte.
    assert!(
        std::fs::read(dir.path().join("docs/space-time.svg")).unwrap()
            == std::fs::read(root().join("docs/space-time.svg")).unwrap(),
        "docs/space-time.svg is not what the README's report command writes"
    );
}

/// Checks a `share` table's status rows (`status km share segments`, maybe after a border
/// column) against the independent share of `lines` on `date`.
fn assert_share_rows(rows: &[Vec<&str>], lines: &[&str], date: &str) {
    let status_rows = status_rows();
    let want = share(&status_rows, lines, date);
    let total: f64 = lines.iter().map(|l| line_km(l)).sum();
    assert_eq!(rows.len(), want.len(), "{rows:?} vs {:?}", want.keys());
    for row in rows {
        let [status, km, percent, segments] = row[row.len() - 4..] else {
            unreachable!()
        };
        let (want_km, want_segments) = want[status];
        assert_rounded(&format!("{date} {status} km"), km, want_km);
        assert_rounded(
            &format!("{date} {status} %"),
            percent,
            100.0 * want_km / total,
        );
        assert_eq!(
            segments,
            want_segments.to_string(),
            "{date} {status} segments"
        );
    }
}

#[test]
fn share_on_2022_10_07_is_the_status_tables() {
    let shown = example("share --as-of 2022-10-07");
    let total = line_km("KGZ-TJK") + line_km("Vorukh");
    assert!(
        shown.starts_with(&format!(
            "Kyrgyzstan–Tajikistan border as of 2022-10-07: {total:.1} km\n"
        )),
        "{shown}"
    );
    let rows = table_rows(&shown, &["delimited", "undelimited"]);
    assert_share_rows(&rows, &["KGZ-TJK", "Vorukh"], "2022-10-07");
    // The JSON excerpt: km to 3 decimals, the share to 6.
    let want = share(&status_rows(), &["KGZ-TJK", "Vorukh"], "2022-10-07");
    let (km, segments) = want["undelimited"];
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let excerpt = format!(
        r#"`--format json` gives `{{"as_of": "2022-10-07", "total_km": {total:.3}, "statuses": {{"undelimited":
{{"km": {km:.3}, "share": {:.6}, "segments": {segments}, "modelled_km": {km:.3}}}"#,
        km / total
    );
    assert!(readme.contains(&excerpt), "the README lacks {excerpt}");
}

#[test]
fn share_history_is_the_status_tables() {
    let shown = example("share --history");
    let rows: Vec<Vec<&str>> = shown
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| {
            w.first()
                .is_some_and(|d| d.len() == 10 && d.starts_with("20"))
        })
        .collect();
    let status_rows = status_rows();
    // Every date a row of the table takes effect, and only those.
    let mut dates: Vec<&str> = status_rows
        .iter()
        .map(|r| r.effective_from.as_str())
        .collect();
    dates.sort();
    dates.dedup();
    assert_eq!(
        rows.iter().map(|r| r[0]).collect::<Vec<_>>(),
        dates,
        "{shown}"
    );
    let total = line_km("KGZ-TJK") + line_km("Vorukh");
    for row in &rows {
        let date = row[0];
        let want = share(&status_rows, &["KGZ-TJK", "Vorukh"], date);
        let km = |s: &str| want.get(s).map_or(0.0, |v| v.0);
        assert_rounded(&format!("{date} delimited km"), row[1], km("delimited"));
        assert_rounded(
            &format!("{date} delimited %"),
            row[2],
            100.0 * km("delimited") / total,
        );
        assert_rounded(&format!("{date} undelimited km"), row[3], km("undelimited"));
        assert_rounded(
            &format!("{date} undelimited %"),
            row[4],
            100.0 * km("undelimited") / total,
        );
    }
}

#[test]
fn share_of_the_fergana_set_by_border_is_the_status_tables() {
    let shown = example("share --border fergana --as-of 2022-10-07 --by border");
    let total: f64 = LINE_KM.iter().map(|l| l.2).sum();
    assert!(
        shown.starts_with(&format!(
            "Kyrgyzstan–Tajikistan–Uzbekistan border as of 2022-10-07: {total:.1} km\n"
        )),
        "{shown}"
    );
    for pair in ["KGZ-TJK", "KGZ-UZB", "TJK-UZB"] {
        let lines: Vec<&str> = LINE_KM
            .iter()
            .filter(|l| l.1 == pair)
            .map(|l| l.0)
            .collect();
        let rows: Vec<Vec<&str>> = table_rows(&shown, &[pair]);
        assert_share_rows(&rows, &lines, "2022-10-07");
    }
    // Lines without a status history: every line but the two of the status table.
    let unknown: Vec<&(&str, &str, f64)> = LINE_KM.iter().filter(|l| l.1 != "KGZ-TJK").collect();
    let unknown_km: f64 = unknown.iter().map(|l| l.2).sum();
    let names: Vec<&str> = unknown.iter().take(6).map(|l| l.0).collect();
    let note = format!(
        "* No status history for {} of {} lines ({}, …; {unknown_km:.1} km)",
        unknown.len(),
        LINE_KM.len(),
        names.join(", ")
    );
    assert!(shown.contains(&note), "{shown} lacks {note}");
}

/// (place, nearest line, chainage in km) of every place an incident sits on:
/// `tests/golden.rs`'s oracle (Python geographiclib), all within 20 km of the line.
const INCIDENT_PLACES: [(&str, &str, f64); 19] = [
    ("Ak-Sai", "Vorukh", 2.1724827),
    ("Vorukh", "Vorukh", 8.5000859),
    ("Kok-Tash", "KGZ-TJK", 825.5770945),
    ("Khoja-Alo", "KGZ-TJK", 819.7685239),
    ("Dostuk (Batken District)", "KGZ-TJK", 848.2333579),
    ("Maksat", "KGZ-TJK", 712.1247723),
    ("Borborduk", "KGZ-TJK", 725.5636319),
    ("Samarkandek", "KGZ-TJK", 811.3521545),
    ("Batken", "KGZ-TJK", 863.1706570),
    ("Kulundu", "KGZ-TJK", 704.6359825),
    ("Surkh", "KGZ-TJK", 808.6676690),
    ("Ovchi-Kalacha", "KGZ-TJK", 710.3554360),
    ("Shurob", "KGZ-TJK", 799.9884616),
    ("Chorkuh", "KGZ-TJK", 828.7648750),
    ("Kapchygai", "Vorukh", 1.2000351),
    ("Arka", "KGZ-TJK", 729.9165497),
    ("Min-Oruk", "KGZ-TJK", 837.7258965),
    ("Lakkon", "KGZ-TJK", 881.1150561),
    ("Ak-Sai school", "Vorukh", 2.0197461),
];

/// Days from 1970-01-01 to an ISO date (proleptic Gregorian; Howard Hinnant's algorithm).
fn days(iso: &str) -> i64 {
    let (y, m, d) = (
        iso[0..4].parse::<i64>().unwrap(),
        iso[5..7].parse::<i64>().unwrap(),
        iso[8..10].parse::<i64>().unwrap(),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The report example: counts by status on each incident's date, fatalities, km·years, rates
/// and their exact intervals, all from the inputs.
#[test]
fn the_report_example_is_the_inputs() {
    let shown = example("report tagged.csv --svg docs/space-time.svg");
    let status_rows = status_rows();
    // The period: from the first status record to the last incident (a period's first day).
    let first = status_rows
        .iter()
        .map(|r| r.effective_from.as_str())
        .min()
        .unwrap()
        .to_string();
    let mut reader = csv::Reader::from_path(root().join("data/source/incidents.csv")).unwrap();
    let incidents: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // A period's first day: an interval's start, a month's first.
    let start_of = |date: &str| -> String {
        let start = date.split('/').next().unwrap();
        if start.len() == 7 {
            format!("{start}-01")
        } else {
            start.to_string()
        }
    };
    let last = incidents.iter().map(|r| start_of(&r[1])).max().unwrap();
    let span = days(&last) - days(&first) + 1;
    assert!(
        shown.contains(&format!(
            "{first} to {last} ({span} days = {:.2} years,",
            span as f64 / 365.25
        )),
        "{shown}"
    );
    // Incidents and fatalities by status on the incident's date; fatalities as the column
    // gives them, a range counting its lower bound.
    let mut counted: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let (mut outside, mut ranges) = (0, 0);
    for r in &incidents {
        let date = start_of(&r[1]);
        if date < first || date > last {
            outside += 1;
            continue;
        }
        let (_, line, chainage) = INCIDENT_PLACES
            .iter()
            .find(|p| p.0 == &r[2])
            .unwrap_or_else(|| panic!("{} is not an incident place", &r[2]));
        let entry = counted
            .entry(status_at(&status_rows, line, *chainage, &date))
            .or_default();
        entry.0 += 1;
        let text = &r[6];
        let lower = text.split(['–', '-']).next().unwrap();
        match lower.parse::<u32>() {
            Ok(n)
                if text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '–' || c == '-') =>
            {
                entry.1 += n;
                ranges += u32::from(lower != text);
            }
            _ => entry.2 += 1,
        }
    }
    let counted_rows: u32 = counted.values().map(|c| c.0).sum();
    assert!(
        shown.contains(&format!(
            "{} rows: {counted_rows} counted (0 with warnings), 0 tag errors, 0 undated, {outside} outside the period",
            incidents.len()
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!("ranges (lower bound counted): {ranges};")));
    // km·years: each status's km on each day of the period.
    let mut exposure: BTreeMap<String, f64> = BTreeMap::new();
    let mut change: Vec<&str> = status_rows
        .iter()
        .map(|r| r.effective_from.as_str())
        .filter(|d| *d <= last.as_str())
        .collect();
    change.sort();
    change.dedup();
    for (k, from) in change.iter().enumerate() {
        let until = change.get(k + 1).map_or(days(&last) + 1, |d| days(d));
        let years = (until - days(from)) as f64 / 365.25;
        for (status, (km, _)) in share(&status_rows, &["KGZ-TJK", "Vorukh"], from) {
            *exposure.entry(status).or_default() += km * years;
        }
    }
    // Garwood 95% limits (scipy: chi2.ppf(0.025, 2n)/2, chi2.ppf(0.975, 2n + 2)/2).
    let garwood = |n: u32| match n {
        0 => (0.0, 3.688_879_454_113_935_4),
        32 => (21.887_976_311_284_564, 45.174_452_079_420_47),
        _ => panic!("no Garwood limits for {n}"),
    };
    let rows = table_rows(&shown, &["undelimited", "delimited"]);
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let status = row[0];
        let (n, fatalities, unknown) = counted.get(status).copied().unwrap_or_default();
        assert_eq!(row[1], n.to_string(), "{status} incidents");
        assert_eq!(row[2], "0", "{status} warned");
        assert_eq!(row[3], fatalities.to_string(), "{status} fatalities");
        assert_eq!(row[4], unknown.to_string(), "{status} fatalities n/a");
        let km_years = exposure[status];
        assert_rounded(&format!("{status} km·years"), row[5], km_years);
        let per = |x: f64| 100.0 * x / km_years;
        assert_rounded(&format!("{status} rate"), row[6], per(f64::from(n)));
        let (lo, hi) = garwood(n);
        let (shown_lo, shown_hi) = row[7].split_once('–').unwrap();
        assert_rounded(&format!("{status} CI low"), shown_lo, per(lo));
        assert_rounded(&format!("{status} CI high"), shown_hi, per(hi));
    }
    // All counted together.
    let all = table_rows(&shown, &["(all"]);
    let total_km_years: f64 = exposure.values().sum();
    assert_eq!(all[0][2], counted_rows.to_string());
    assert_rounded("all km·years", all[0][6], total_km_years);
    let per = |x: f64| 100.0 * x / total_km_years;
    assert_rounded("all rate", all[0][7], per(f64::from(counted_rows)));
    let (lo, hi) = garwood(counted_rows);
    let (shown_lo, shown_hi) = all[0][8].split_once('–').unwrap();
    assert_rounded("all CI low", shown_lo, per(lo));
    assert_rounded("all CI high", shown_hi, per(hi));
    // Every counted incident is on an undelimited stretch: the rate ratio against delimited is
    // unbounded, its lower limit the exact conditional binomial one, p/(1 − p)·E_d/E_u with
    // p = 0.025^(1/n) (Clopper–Pearson for n of n).
    let n = counted["undelimited"].0;
    assert!(!counted.contains_key("delimited"));
    let p = 0.025f64.powf(1.0 / f64::from(n));
    let lower = p / (1.0 - p) * exposure["delimited"] / exposure["undelimited"];
    let undelimited = &rows.iter().find(|r| r[0] == "undelimited").unwrap();
    assert_eq!(undelimited[8], "∞");
    let (ratio_lo, ratio_hi) = undelimited[9].split_once('–').unwrap();
    assert_rounded("rate ratio low", ratio_lo, lower);
    assert_eq!(ratio_hi, "∞");
}
