"""More than one machine: the border travels to worker processes by pickling (its texts; no
file read, nothing derived again) and a Dask LocalCluster or a Spark local[2] job gives the
single-machine answer. Outside CI a missing Dask or Spark skips these tests loudly; with
CI=true it fails them."""

from __future__ import annotations

import pickle
import shutil

import pandas as pd
import pyarrow as pa
import pytest

import borderline
from conftest import DATA, REPO, need

AS_OF = "2024-01-01"


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    frames = [pd.read_csv(DATA / "mixed.csv", dtype=str, keep_default_na=False)] * 40
    return pd.concat(frames, ignore_index=True)


def single_machine(border, frame):
    return border.tag(frame, as_of=AS_OF)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).copy()
    for c in frame.columns:
        if isinstance(frame[c].dtype, pd.CategoricalDtype):
            frame[c] = frame[c].astype(object)
    frame["status_since"] = pd.to_datetime(frame["status_since"]).astype("datetime64[s]")
    return frame.astype(object).where(frame.notna(), None)


def test_a_pickled_border_carries_its_texts_not_its_files(tmp_path, incidents):
    border_file = tmp_path / "border.geojson"
    status_file = tmp_path / "status.csv"
    shutil.copy(REPO / "data" / "kgz-tjk" / "border.geojson", border_file)
    shutil.copy(REPO / "data" / "kgz-tjk" / "status.csv", status_file)
    loaded = borderline.Border.load(border=border_file, status=status_file)
    expected = single_machine(loaded, incidents)
    payload = pickle.dumps(loaded)
    border_file.unlink()
    status_file.unlink()  # the other side never reads them
    restored = pickle.loads(payload)
    assert restored is not loaded and restored.share(as_of=AS_OF) == loaded.share(as_of=AS_OF)
    pd.testing.assert_frame_equal(comparable(single_machine(restored, incidents)), comparable(expected))
    # The bundled border pickles as its name only.
    assert len(pickle.dumps(borderline.Border.embedded())) < 200
    # One border per process, however many tasks bring it.
    assert pickle.loads(payload) is restored


def test_a_derived_border_is_not_derived_again(tmp_path):
    countries = tmp_path / "countries.geojson"
    shutil.copy(REPO / "data" / "source" / "osm-countries-kg-tj-uz.geojson", countries)
    derived = borderline.Border.derive(countries, a="KGZ", b="TJK")
    payload = pickle.dumps(derived)
    countries.unlink()
    restored = pickle.loads(payload)
    assert restored.segments == derived.segments
    assert abs(restored.total_km - derived.total_km) < 1e-9


def test_dask_local_cluster_gives_the_single_machine_answer(incidents):
    need("dask")
    need("distributed")
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    border = borderline.Border.embedded()
    expected = single_machine(border, incidents)
    ddf = dd.from_pandas(incidents, npartitions=6)
    meta = expected.iloc[:0]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            tagged = ddf.map_partitions(border.tag, as_of=AS_OF, meta=meta).compute()
            workers = client.run(lambda: __import__("os").getpid())
    assert len(workers) == 2
    pd.testing.assert_frame_equal(comparable(tagged), comparable(expected))


def test_spark_map_in_arrow_gives_the_single_machine_answer(incidents):
    need("pyspark")
    import os
    import sys

    from pyspark.sql import SparkSession

    # Spark's Python workers start `python3` from PATH unless told: use this interpreter, the
    # one borderline is installed in.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable

    border = borderline.Border.embedded()
    expected = single_machine(border, incidents)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("borderline-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    try:
        df = spark.createDataFrame(incidents).repartition(4)
        schema = border.spark_schema(df.schema)
        out = df.mapInArrow(lambda batches: border.tag_batches(batches, as_of=AS_OF), schema)
        got = pa.Table.from_batches(out._collect_as_arrow()).to_pandas(date_as_object=False)
    finally:
        spark.stop()
    got["id"] = got["id"].astype(int)
    got = got.sort_values(["id"], kind="stable")
    want = expected.assign(id=expected["id"].astype(int)).sort_values(["id"], kind="stable")
    # Spark moves rows between partitions: compare as multisets of rows.
    key = list(incidents.columns)
    pd.testing.assert_frame_equal(
        comparable(got).sort_values(key, kind="stable").reset_index(drop=True),
        comparable(want).sort_values(key, kind="stable").reset_index(drop=True),
    )
