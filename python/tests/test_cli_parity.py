"""Same answers as the command line: the same files tagged by `borderline tag` and by
`Border.tag`, compared field by field (every input field and every tag column), and `share`
JSON documents compared whole."""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
import pytest

import borderline
from conftest import DATA, REPO, run_cli

FILES = [REPO / "data" / "source" / "incidents.csv", DATA / "mixed.csv"]
# As the command line writes them (src/tag/record.rs).
DECIMALS = {"distance_m": 1, "chainage_km": 3, "border_lon": 6, "border_lat": 6, "enclave_distance_m": 1}


def cli_tag(cli, path, *args):
    text = run_cli(cli, "tag", str(path), "--quiet", *args)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    return header, list(reader)


def as_cli_text(value, column: str) -> str:
    """A value of the package's output as the command line writes its field."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column.endswith(tuple(DECIMALS)):
        return f"{value:.{DECIMALS[column.split('_', 1)[-1] if column not in DECIMALS else column]}f}"
    if column.endswith("status_since"):
        return pd.Timestamp(value).date().isoformat()
    return str(value)


def assert_same(header, rows, frame: pd.DataFrame, columns=None):
    assert list(frame.columns) == header
    assert len(frame) == len(rows)
    wanted = columns or header
    for i, row in enumerate(rows):
        for j, column in enumerate(header):
            if column not in wanted:
                continue
            got = as_cli_text(frame.iloc[i, j], column)
            assert got == row[j], f"row {i + 1}, column {column}: package {got!r}, CLI {row[j]!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("max_distance", [None, 5000.0])
def test_tag_as_text_equals_the_cli(cli, path, max_distance):
    args = ["--as-of", "2024-01-01"] + (["--max-distance", "5km"] if max_distance else [])
    header, rows = cli_tag(cli, path, *args)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    tagged = borderline.Border.embedded().tag(frame, as_of="2024-01-01", max_distance=max_distance)
    assert_same(header, rows, tagged)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_tag_of_typed_columns_equals_the_cli(cli, path):
    """pandas' own types (float coordinates, NaN for blanks): the same tags, except that a
    blank or unreadable coordinate cell is a missing number."""
    header, rows = cli_tag(cli, path, "--as-of", "2024-01-01")
    frame = pd.read_csv(path)
    tagged = borderline.Border.embedded().tag(frame, as_of="2024-01-01")
    tags = [c for c in header if c in borderline.TAG_COLUMNS]
    for i, row in enumerate(rows):
        error = row[header.index("tag_error")]
        if "is not a number" in error:  # pandas read "abc" as text: the column is text
            continue
        for column in tags:
            got = as_cli_text(tagged[column].iloc[i], column)
            assert got == row[header.index(column)], f"row {i + 1}, {column}"


def test_numeric_dates_take_the_columns_order(cli, tmp_path):
    path = tmp_path / "dmy.csv"
    path.write_text("lat,lon,date\n39.9,70.6,16/09/2022\n39.9,70.6,05/06/2022\n40.1,70.8,01/02/2024\n")
    header, rows = cli_tag(cli, path)
    tagged = borderline.Border.embedded().tag(pd.read_csv(path, dtype=str))
    assert_same(header, rows, tagged)
    assert tagged["status_since"].notna().all()


def test_undated_file_takes_as_of_as_the_cli(cli, tmp_path):
    path = tmp_path / "undated.csv"
    path.write_text("y,x\n39.46,73.59\n39.85125,70.58012\n")
    header, rows = cli_tag(cli, path, "--as-of", "2025-03-20")
    with pytest.warns(borderline.NoDateColumnWarning, match="as of 2025-03-20"):
        tagged = borderline.Border.embedded().tag(pd.read_csv(path, dtype=str), as_of="2025-03-20")
    assert_same(header, rows, tagged)


def test_prefix_and_retag_as_the_cli(cli, tmp_path):
    source = DATA / "mixed.csv"
    header, rows = cli_tag(cli, source, "--prefix", "bl_", "--as-of", "2024-01-01")
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    tagged = borderline.Border.embedded().tag(frame, as_of="2024-01-01", prefix="bl_")
    assert_same(header, rows, tagged)
    # Tagging a tagged table replaces its tag columns, as the command line does with a file.
    again = borderline.Border.embedded().tag(tagged, as_of="2024-01-01", prefix="bl_")
    assert_same(header, rows, again)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ([], {}),
        (["--as-of", "2022-10-07"], {"as_of": "2022-10-07"}),
        (["--as-of", "2013-01-01"], {"as_of": "2013-01-01"}),
        (["--as-of", "2022-10-07", "--by", "line"], {"as_of": "2022-10-07", "by": "line"}),
        (["--as-of", "2024-07-01", "--by", "border"], {"as_of": "2024-07-01", "by": "border"}),
        (["--history"], {"history": True}),
    ],
)
def test_share_json_equals_the_cli(cli, args, kwargs):
    expected = json.loads(run_cli(cli, "share", "--format", "json", *args))
    assert borderline.Border.embedded().share(**kwargs) == expected


def test_share_of_a_loaded_border_equals_the_cli(cli):
    border_file = REPO / "data" / "kgz-tjk" / "border.geojson"
    status_file = REPO / "data" / "kgz-tjk" / "status.csv"
    files = ["--border", str(border_file), "--status", str(status_file)]
    expected = json.loads(run_cli(cli, "share", "--format", "json", "--as-of", "2024-03-20", *files))
    border = borderline.Border.load(border=border_file, status=status_file)
    assert border.share(as_of="2024-03-20") == expected
    # A border file alone has no status history, as with --border alone.
    alone = json.loads(run_cli(cli, "share", "--format", "json", "--as-of", "2024-03-20", "--border", str(border_file)))
    assert borderline.Border.load(border=border_file).share(as_of="2024-03-20") == alone


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ([], {}),
        (["--by", "segment"], {"by": "segment"}),
        (["--by", "line", "--all"], {"by": "line", "all": True}),
        (["--from", "2015-01-01", "--to", "2022-12-31", "--max-distance", "5km"],
         {"from_date": "2015-01-01", "to_date": "2022-12-31", "max_distance": 5000.0}),
    ],
)
def test_report_json_equals_the_cli(cli, tmp_path, args, kwargs):
    source = REPO / "data" / "source" / "incidents.csv"
    tagged_file = tmp_path / "tagged.csv"
    run_cli(cli, "tag", str(source), "--quiet", "-o", str(tagged_file))
    expected = json.loads(run_cli(cli, "report", str(tagged_file), "--format", "json", *args))
    border = borderline.Border.embedded()
    tagged = border.tag(pd.read_csv(source, dtype=str, keep_default_na=False))
    assert border.report(tagged, **kwargs) == expected


@pytest.mark.parametrize("name", [name for name, _ in borderline.Border.bundled_sets()])
def test_bundled_sets_as_the_cli(cli, name, tmp_path):
    expected = json.loads(run_cli(cli, "share", "--format", "json", "--as-of", "2022-10-07", "--border", name))
    border = borderline.Border.bundled(name)
    assert border.share(as_of="2022-10-07") == expected
    assert borderline.Border.load(border=name).share(as_of="2022-10-07") == expected
    header, rows = cli_tag(cli, DATA / "mixed.csv", "--as-of", "2024-01-01", "--border", name)
    frame = pd.read_csv(DATA / "mixed.csv", dtype=str, keep_default_na=False)
    assert_same(header, rows, border.tag(frame, as_of="2024-01-01"))
    import pickle

    assert pickle.loads(pickle.dumps(border)).share(as_of="2022-10-07") == expected
