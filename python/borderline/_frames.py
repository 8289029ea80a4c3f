"""Tables in, tables out: finds the columns of pandas, GeoPandas, polars and pyarrow tables,
hands them to the Rust core as Arrow arrays, and puts the tag columns back on a table of the
same kind. No per-row Python objects: columns move as Arrow/numpy buffers."""

from __future__ import annotations

import sys
from typing import Any, Optional

import pyarrow as pa
import pyarrow.compute as pc


def _kind(data: Any) -> str:
    """Which kind of table ``data`` is."""
    module = type(data).__module__.split(".")[0]
    if module == "geopandas" or (
        "geopandas" in sys.modules and isinstance(data, sys.modules["geopandas"].GeoDataFrame)
    ):
        return "geopandas"
    if "pandas" in sys.modules and isinstance(data, sys.modules["pandas"].DataFrame):
        return "pandas"
    if isinstance(data, pa.Table):
        return "table"
    if isinstance(data, pa.RecordBatch):
        return "batch"
    if "polars" in sys.modules and isinstance(data, sys.modules["polars"].DataFrame):
        return "polars"
    if hasattr(data, "__arrow_c_stream__"):
        return "stream"
    if hasattr(data, "__arrow_c_array__"):
        return "array"
    raise TypeError(
        "tag: expected a pandas or GeoPandas DataFrame, a pyarrow Table or RecordBatch, a polars "
        f"DataFrame or an object with the Arrow PyCapsule interface, got {type(data).__name__}"
    )


def _ready(array: Any) -> pa.Array:
    """One Arrow array the core reads: chunks joined, dictionaries decoded, decimals as
    floats, zoned timestamps as the wall-clock time of their zone (the calendar date as written
    there, as the command line reads ``2022-09-16T03:00:00+05:00``)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        array = pc.local_timestamp(array)
    elif pa.types.is_decimal(kind):
        array = array.cast(pa.float64())
    return array


def _pandas_array(series: Any) -> pa.Array:
    """A pandas column as Arrow, without a copy where its memory allows."""
    import numpy as np

    values = series.array
    if series.dtype == np.float64:
        # NaN stays NaN (a missing coordinate), no null mask to build.
        return pa.array(np.asarray(values), type=pa.float64(), from_pandas=False)
    try:
        return _ready(pa.Array.from_pandas(series))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Mixed objects (numbers and text): read every value as its text.
        import pandas as pd

        texts = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in series]
        return pa.array(texts, type=pa.string())


def _columns(core: Any, names: list, choice: dict, coordinates: bool = True) -> dict:
    return core.plan(
        names,
        choice["lat"],
        choice["lon"],
        choice["date"],
        choice["precision"],
        choice["coarse_precision"],
        choice["prefix"],
        coordinates,
    )


def _tag(border: Any, plan: dict, names: list, get, run: dict, dictionary: bool, whole: bool):
    """Tags the columns ``plan`` chose (``get(i)`` gives column ``i`` as Arrow): the batches
    of tag columns and what the run says."""
    core = border._core
    lat = get(plan["lat"]) if plan["lat"] is not None else plan["lat_values"]
    lon = get(plan["lon"]) if plan["lon"] is not None else plan["lon_values"]
    date = None if plan["date"] is None else (names[plan["date"]], get(plan["date"]))
    precision = (
        None
        if plan["precision"] is None
        else (names[plan["precision"]].strip(), get(plan["precision"]))
    )
    batches, info = core.tag_arrays(
        lat,
        lon,
        date,
        precision,
        plan["coarse_from"] or 2,
        run["as_of"],
        run["date_order"],
        run["max_distance"],
        run["prefix"],
        dictionary,
        whole,
    )
    from . import _warn_about

    _warn_about(info, plan, run["as_of"])
    return batches, info


def _table(batches: list, info: dict) -> pa.Table:
    return pa.Table.from_batches(batches, schema=info["schema"])


def tag_data(border: Any, data: Any, choice: dict, run: dict) -> Any:
    """:meth:`Border.tag` (see there)."""
    kind = _kind(data)
    if kind in ("pandas", "geopandas"):
        return _tag_pandas(border, data, choice, run, geo=kind == "geopandas")
    if kind == "polars":
        return _tag_polars(border, data, choice, run)
    if kind == "batch":
        return tag_record_batch(border, data, choice, run, dictionary=True, whole=True)
    if kind == "array":
        return tag_record_batch(border, pa.record_batch(data), choice, run, True, True)
    table = data if kind == "table" else pa.table(data)
    return _tag_table(border, table, choice, run)


def _tag_table(border: Any, table: pa.Table, choice: dict, run: dict) -> pa.Table:
    names = [str(n) for n in table.column_names]
    plan = _columns(border._core, names, choice)
    batches, info = _tag(
        border, plan, names, lambda i: _ready(table.column(i)), run, dictionary=True, whole=True
    )
    tags = _table(batches, info)
    own = table.select(list(range(plan["width"]))) if plan["replaced"] else table
    for name, column in zip(tags.column_names, tags.columns):
        own = own.append_column(tags.schema.field(name), column)
    return own


def tag_record_batch(
    border: Any, batch: pa.RecordBatch, choice: dict, run: dict, dictionary: bool, whole: bool
) -> pa.RecordBatch:
    """One RecordBatch, tagged (for :meth:`Border.tag` and :meth:`Border.tag_batches`)."""
    names = [str(n) for n in batch.schema.names]
    plan = _columns(border._core, names, choice)
    batches, info = _tag(
        border, plan, names, lambda i: _ready(batch.column(i)), run, dictionary, whole
    )
    tags = _table(batches, info).combine_chunks()
    width = plan["width"] if plan["replaced"] else batch.num_columns
    arrays = [batch.column(i) for i in range(width)]
    fields = [batch.schema.field(i) for i in range(width)]
    for name, column in zip(tags.column_names, tags.columns):
        chunks = column.chunks
        arrays.append(chunks[0] if len(chunks) == 1 else pa.concat_arrays(chunks))
        fields.append(tags.schema.field(name))
    if batch.num_rows == 0:
        arrays = arrays[:width] + [pa.array([], type=f.type) for f in fields[width:]]
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields, metadata=batch.schema.metadata))


def _tag_polars(border: Any, df: Any, choice: dict, run: dict) -> Any:
    import polars as pl

    names = [str(n) for n in df.columns]
    plan = _columns(border._core, names, choice)
    batches, info = _tag(
        border, plan, names, lambda i: _ready(df.to_series(i).to_arrow()), run, True, True
    )
    tags = pl.from_arrow(_table(batches, info))
    own = df.select(df.columns[: plan["width"]]) if plan["replaced"] else df
    return own.hstack(tags.get_columns())


def _geometry_points(gdf: Any):
    """Longitudes, latitudes and, per row, why its geometry is not a point (or None)."""
    import numpy as np
    import shapely

    geometry = gdf.geometry
    crs = geometry.crs
    if crs is not None and crs.to_epsg() != 4326:
        geometry = geometry.to_crs(4326)
    shapes = np.asarray(geometry.array, dtype=object)
    kinds = shapely.get_type_id(shapes)
    empty = shapely.is_empty(shapes)
    points = (kinds == 0) & ~empty
    lon = np.where(points, shapely.get_x(shapes), np.nan)
    lat = np.where(points, shapely.get_y(shapes), np.nan)
    problems = None
    if not points.all():
        names = {1: "a LineString", 2: "a LinearRing", 3: "a Polygon", 4: "a MultiPoint",
                 5: "a MultiLineString", 6: "a MultiPolygon", 7: "a GeometryCollection"}
        problems = [
            None if ok else ("missing geometry" if k < 0 else
                             "empty geometry" if e else
                             f"geometry is {names.get(int(k), 'not a point')}, not a Point")
            for ok, k, e in zip(points, kinds, empty)
        ]
    return pa.array(lon, type=pa.float64()), pa.array(lat, type=pa.float64()), problems


def _tag_pandas(border: Any, df: Any, choice: dict, run: dict, geo: bool) -> Any:
    import numpy as np
    import pandas as pd

    names = [str(n) for n in df.columns]
    from_geometry = geo and choice["lat"] is None and choice["lon"] is None
    plan = _columns(border._core, names, choice, coordinates=not from_geometry)
    problems = None
    if from_geometry:
        plan["lon_values"], plan["lat_values"], problems = _geometry_points(df)
    batches, info = _tag(
        border, plan, names, lambda i: _pandas_array(df.iloc[:, i]), run, True, True
    )
    tags = _table(batches, info).to_pandas(date_as_object=False, split_blocks=True)
    if problems is not None:
        error = choice["prefix"] + "tag_error"
        bad = np.array([p is not None for p in problems])
        column = tags[error].astype(object)
        column[bad] = [p for p in problems if p is not None]
        tags[error] = column.astype(tags[error].dtype)
    own = df.iloc[:, : plan["width"]] if plan["replaced"] else df
    out = own.copy(deep=False)
    for name in tags.columns:
        out[name] = tags[name].array
    if geo and not isinstance(out, type(df)):  # pragma: no cover
        import geopandas as gpd

        out = gpd.GeoDataFrame(out, geometry=df.geometry.name, crs=df.crs)
    del pd
    return out


def as_csv(table: Any) -> bytes:
    """A table as the CSV text the command line reads (for :meth:`Border.report`)."""
    kind = _kind(table)
    if kind in ("pandas", "geopandas"):
        frame = table
    elif kind == "polars":
        frame = table.to_pandas()
    else:
        if kind == "batch":
            table = pa.Table.from_batches([table])
        elif kind != "table":
            table = pa.table(table) if kind == "stream" else pa.Table.from_batches([pa.record_batch(table)])
        frame = table.to_pandas(date_as_object=False)
    if kind == "geopandas":
        frame = frame.drop(columns=[frame.geometry.name])
    return frame.to_csv(index=False).encode("utf-8")
