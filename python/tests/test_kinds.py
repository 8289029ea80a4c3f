"""Every kind of table gives the same tags, keeps every row and column in order, and comes back
as the same kind; errors and warnings say what the command line says."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import borderline
from conftest import DATA, need

BORDER = borderline.Border.embedded()
AS_OF = "2024-01-01"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(DATA / "mixed.csv", dtype={"latitude": str})


@pytest.fixture(scope="module")
def expected(frame) -> pd.DataFrame:
    return BORDER.tag(frame, as_of=AS_OF)


def tags_of(table) -> pd.DataFrame:
    """The tag columns of any kind of table, as pandas, for comparison."""
    if isinstance(table, (pa.Table, pa.RecordBatch)):
        table = table.to_pandas(date_as_object=False)
    elif not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    tags = table[list(borderline.TAG_COLUMNS)].copy()
    for c in tags.columns:
        if isinstance(tags[c].dtype, pd.CategoricalDtype):
            tags[c] = tags[c].astype(object)
    tags["status_since"] = pd.to_datetime(tags["status_since"]).astype("datetime64[s]")
    return tags.astype(object).where(tags.notna(), None)


def test_pandas_keeps_rows_columns_index_and_types(frame, expected):
    indexed = frame.set_index(pd.Index(range(100, 100 + len(frame))))
    out = BORDER.tag(indexed, as_of=AS_OF)
    assert list(out.columns) == list(frame.columns) + list(borderline.TAG_COLUMNS)
    assert list(out.index) == list(indexed.index)
    pd.testing.assert_frame_equal(out[frame.columns], indexed)
    assert isinstance(out["segment_id"].dtype, pd.CategoricalDtype)
    assert list(out["segment_id"].cat.categories) == BORDER.segments
    assert out["distance_m"].dtype == np.float64
    assert out["status_since"].dtype.kind == "M"
    assert out.loc[100, "enclave"] == "Vorukh"
    assert out.loc[106, "tag_error"].startswith("latitude 95.5 is out of range")
    assert "swapped_coordinates" in out.loc[105, "tag_warning"]
    assert out.loc[102, "tag_warning"].startswith("undated")
    assert "coarse_precision" in out.loc[101, "tag_warning"]
    assert "status_changed_in_range" in out.loc[104, "tag_warning"]


def test_pyarrow_table_and_batch(frame, expected):
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = BORDER.tag(table, as_of=AS_OF)
    assert isinstance(out, pa.Table)
    assert out.column_names == table.column_names + list(borderline.TAG_COLUMNS)
    assert out.select(table.column_names).equals(table)
    assert pa.types.is_dictionary(out.schema.field("segment_id").type)
    assert out.schema.field("status_since").type == pa.date32()
    pd.testing.assert_frame_equal(tags_of(out), tags_of(expected))
    batch = table.to_batches()[0]
    out = BORDER.tag(batch, as_of=AS_OF)
    assert isinstance(out, pa.RecordBatch)
    pd.testing.assert_frame_equal(tags_of(out), tags_of(expected))


def test_chunked_table_in_many_batches():
    n = 40_000
    rng = np.random.default_rng(7)
    table = pa.table({"lat": rng.uniform(39.2, 40.7, n), "lon": rng.uniform(69.2, 73.8, n)})
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=7_000))
    out = BORDER.tag(chunked, as_of=AS_OF)
    assert out.num_rows == n
    single = [BORDER.tag(table.slice(i, 1), as_of=AS_OF).column("segment_id")[0].as_py() for i in (0, 17_777, n - 1)]
    assert [out.column("segment_id")[i].as_py() for i in (0, 17_777, n - 1)] == single


def test_polars(frame, expected):
    pl = need("polars")
    df = pl.from_pandas(frame)
    out = BORDER.tag(df, as_of=AS_OF)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == df.columns + list(borderline.TAG_COLUMNS)
    assert out.select(df.columns).equals(df)
    assert out.schema["status_since"] == pl.Date
    pd.testing.assert_frame_equal(tags_of(out), tags_of(expected))


def test_arrow_pycapsule_object(frame, expected):
    class Stream:
        def __init__(self, table):
            self.table = table

        def __arrow_c_stream__(self, requested_schema=None):
            return self.table.__arrow_c_stream__(requested_schema)

    out = BORDER.tag(Stream(pa.Table.from_pandas(frame, preserve_index=False)), as_of=AS_OF)
    assert isinstance(out, pa.Table)
    pd.testing.assert_frame_equal(tags_of(out), tags_of(expected))


def test_geodataframe_of_points(frame, expected):
    gpd = need("geopandas")
    shapely = need("shapely")
    numbers = frame.assign(latitude=pd.to_numeric(frame["latitude"], errors="coerce"))
    points = gpd.points_from_xy(numbers["longitude"], numbers["latitude"])
    gdf = gpd.GeoDataFrame(numbers.drop(columns=["latitude", "longitude"]), geometry=points, crs=4326)
    gdf.loc[7, "geometry"] = shapely.LineString([(70, 39), (71, 40)])
    gdf.loc[8, "geometry"] = None
    out = BORDER.tag(gdf, as_of=AS_OF)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == gdf.crs
    assert list(out.columns) == list(gdf.columns) + list(borderline.TAG_COLUMNS)
    assert out.loc[7, "tag_error"] == "geometry is a LineString, not a Point"
    assert out.loc[8, "tag_error"] == "missing geometry"
    ok = [i for i in range(len(gdf)) if i not in (6, 7, 8)]
    pd.testing.assert_frame_equal(tags_of(out).iloc[ok], tags_of(expected).iloc[ok])
    # Another CRS is converted to WGS84 first.
    projected = BORDER.tag(gdf.to_crs(32642), as_of=AS_OF)
    assert projected["segment_id"].astype(object).tolist()[:5] == out["segment_id"].astype(object).tolist()[:5]
    assert np.allclose(projected["distance_m"][:5], out["distance_m"][:5], atol=0.01)


def test_dates_as_dates_timestamps_and_zones():
    # Kok-Tash: its segment was agreed on 2024-07-01 (the bundled, modelled history).
    base = pd.DataFrame({"lat": [39.949722] * 3, "lon": [70.535833] * 3})
    texts = ["2024-06-30", "2024-07-01", "2024-07-01T01:00:00+05:00"]
    from_text = BORDER.tag(base.assign(date=texts))
    days = BORDER.tag(base.assign(date=pd.to_datetime(texts[:2] + ["2024-07-01"])))
    wall = ["2024-06-30 23:00", "2024-07-01 00:30", "2024-07-01 01:00"]
    zoned = BORDER.tag(base.assign(date=pd.to_datetime(wall).tz_localize("Asia/Tashkent")))
    objects = BORDER.tag(base.assign(date=[dt.date(2024, 6, 30), dt.date(2024, 7, 1), None]))
    assert from_text["status"].tolist() == ["undelimited", "delimited", "delimited"]
    assert days["status"].tolist() == from_text["status"].tolist()
    assert zoned["status"].tolist() == from_text["status"].tolist()
    assert objects["status"].astype(object).tolist()[:2] == ["undelimited", "delimited"]
    assert objects["tag_warning"][2].startswith("undated")


def test_column_errors_speak_python():
    with pytest.raises(borderline.BorderlineError, match=r"no latitude column .*name it with lat=; the header has \"a\", \"b\""):
        BORDER.tag(pd.DataFrame({"a": [1], "b": [2]}))
    with pytest.raises(borderline.BorderlineError, match="no column 'Y'|no column \"Y\""):
        BORDER.tag(pd.DataFrame({"lat": [1.0], "lon": [2.0]}), lat="Y")
    clash = pd.DataFrame({"lat": [39.9], "lon": [70.6], "status": ["x"]})
    with pytest.raises(borderline.BorderlineError, match=r'clashes with the tag column "status".*prefix='):
        BORDER.tag(clash)
    assert "bl_status" in BORDER.tag(clash, prefix="bl_", as_of=AS_OF).columns
    unclear = pd.DataFrame({"lat": [39.9, 39.9], "lon": [70.6, 70.6], "date": ["05/06/2022", "01/02/2023"]})
    with pytest.raises(borderline.BorderlineError, match=r'date column "date": .*day-first or month-first.*date_order= \(dmy or mdy\)'):
        BORDER.tag(unclear)
    assert BORDER.tag(unclear, date_order="mdy")["status_since"].notna().all()
    with pytest.raises(TypeError, match="metres"):
        BORDER.tag(clash, max_distance="5km")
    with pytest.raises(borderline.BorderlineError, match="as_of"):
        BORDER.tag(clash, as_of="yesterday", prefix="bl_")


def test_warnings_as_the_cli_notes():
    df = pd.DataFrame({"lat": [39.85125], "lon": [70.58012]})
    with pytest.warns(borderline.NoDateColumnWarning, match=r"no date column \(looked for date, event_date"):
        BORDER.tag(df, as_of=AS_OF)
    with pytest.warns(borderline.ModelledStatusWarning, match="the status of 1 row is modelled"):
        BORDER.tag(df, as_of=AS_OF)


def test_empty_and_all_missing_tables():
    empty = pd.DataFrame({"lat": pd.Series([], dtype=float), "lon": pd.Series([], dtype=float), "date": pd.Series([], dtype=str)})
    out = BORDER.tag(empty)
    assert len(out) == 0 and list(out.columns)[-1] == "tag_error"
    blank = pd.DataFrame({"lat": [None, np.nan], "lon": [70.0, None], "date": ["2022-01-01", None]})
    assert BORDER.tag(blank)["tag_error"].tolist() == ["missing latitude", "missing latitude"]


def test_the_tagged_frame_pickles(expected):
    assert pickle.loads(pickle.dumps(expected)).equals(expected)
