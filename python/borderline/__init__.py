"""International borders segment by segment, from Python.

A :class:`Border` is a set of lines between pairs of countries, cut into segments that each
have a status history (``undelimited`` until a date, ``delimited`` after, ...), with the
enclaves and country territories around them. On it, borderline answers:

- how much of the border had which status on a date (:meth:`Border.share`);
- for every incident of a table, its nearest segment by geodesic distance on the WGS84
  ellipsoid, that segment's status on the incident's date, the distance, the position along
  the border, the side and the enclave, with warnings where a conclusion may be wrong
  (:meth:`Border.tag` for pandas, GeoPandas, polars and pyarrow; :meth:`Border.tag_batches`
  for Spark's ``mapInArrow``).

The answers are those of the ``borderline`` command line, computed by the same Rust library.

>>> import borderline, pandas as pd
>>> border = borderline.Border.embedded()          # the bundled Kyrgyz–Tajik border
>>> border.share(as_of="2022-10-07")["statuses"]["undelimited"]["km"]
386.618
>>> incidents = pd.DataFrame({"lat": [39.85125], "lon": [70.58012], "date": ["2022-09-16"]})
>>> tagged = border.tag(incidents)
>>> tagged.loc[0, ["segment_id", "status", "enclave"]].tolist()
['Vorukh:001', 'undelimited', 'Vorukh']
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import warnings as _warnings
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from . import _borderline
from ._borderline import BorderlineError

if TYPE_CHECKING:  # pragma: no cover
    import os

    import pyarrow

__all__ = [
    "Border",
    "BorderlineError",
    "BorderlineWarning",
    "ModelledStatusWarning",
    "NoDateColumnWarning",
    "TAG_COLUMNS",
    "__version__",
]

__version__: str = _borderline.__version__

#: The columns :meth:`Border.tag` appends, in this order (each name after ``prefix``).
TAG_COLUMNS: tuple = tuple(_borderline.TAG_COLUMNS)

#: A date: ``"YYYY-MM-DD"``, a :class:`datetime.date` or :class:`datetime.datetime` (its
#: calendar date), a pandas ``Timestamp`` or a numpy ``datetime64``.
DateLike = Union[str, _dt.date, Any]


class BorderlineWarning(UserWarning):
    """A run went through, but something about it deserves a look."""


class NoDateColumnWarning(BorderlineWarning):
    """The table has no date column: every row takes the status as of ``as_of``."""


class ModelledStatusWarning(BorderlineWarning):
    """Some rows' statuses rest on a modelled (not sourced) status history."""


def _iso_date(value: Optional[DateLike], what: str) -> Optional[str]:
    """``value`` as ``YYYY-MM-DD`` (checked by the library), or ``None``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        import numpy as np

        if isinstance(value, np.datetime64):
            return str(value.astype("datetime64[D]"))
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"{what}: expected a date ('YYYY-MM-DD', datetime.date), got {value!r}")


def _today() -> str:
    """Today's date (UTC), the default ``as_of``, as the command line takes it."""
    return _dt.datetime.now(_dt.timezone.utc).date().isoformat()


# Borders rebuilt from pickles in this process, by state: every task of a worker that receives
# the same border shares one, with its indexes, instead of building its own.
_RESTORED: dict = {}


def _restore(state: tuple) -> "Border":
    border = _RESTORED.get(state)
    if border is None:
        if len(_RESTORED) >= 8:
            _RESTORED.pop(next(iter(_RESTORED)))
        border = Border(_borderline.Core.from_state(state))
        _RESTORED[state] = border
    return border


class Border:
    """A border: lines cut into segments with a status history, enclaves and countries.

    Make one with :meth:`embedded`, :meth:`load` or :meth:`derive`. A border pickles as the
    texts it was built from (no file is read and nothing is derived again on the other side)
    and builds its search indexes on first use, so it travels to Dask and Spark workers.

    >>> border = Border.embedded()
    >>> border.name
    'Kyrgyzstan–Tajikistan'
    >>> round(border.total_km, 1)
    952.7
    """

    __slots__ = ("_core",)

    def __init__(self, core: "_borderline.Core") -> None:
        self._core = core

    @classmethod
    def embedded(cls) -> "Border":
        """The bundled Kyrgyz–Tajik border with its modelled status history.

        >>> Border.embedded().lines
        ['KGZ-TJK', 'Vorukh']
        """
        return cls(_borderline.Core.embedded())

    @classmethod
    def load(
        cls,
        border: Optional["os.PathLike[str] | str"] = None,
        status: Optional["os.PathLike[str] | str"] = None,
    ) -> "Border":
        """A border from files, as the command line's ``--border`` and ``--status``.

        ``border`` is a border GeoJSON (lines, enclaves, countries) or the name of a bundled
        set (:meth:`bundled_sets`); without it, the default bundled border. ``status`` is a status history CSV
        (``line,from_km,to_km,status,effective_from,basis,source``); without it, the bundled
        history for a bundled set, and none (or the lines' own ``status`` properties) for a
        border file. Bad input raises :class:`BorderlineError` naming the file and line or
        feature.

        >>> Border.load(status="no-such-file.csv")
        Traceback (most recent call last):
        ...
        FileNotFoundError: no-such-file.csv: No such file or directory (os error 2)
        """
        return cls(
            _borderline.Core.load(
                None if border is None else str(border), None if status is None else str(status)
            )
        )

    @classmethod
    def derive(
        cls,
        countries: "os.PathLike[str] | str",
        a: Optional[str] = None,
        b: Optional[str] = None,
        key: str = "iso_a3",
        tolerance_m: float = 1.0,
        max_gap_m: Optional[float] = None,
    ) -> "Border":
        """The shared boundary of countries ``a`` and ``b``, as ``borderline derive``.

        ``countries`` is a GeoJSON FeatureCollection of country (Multi)Polygons whose ``key``
        property holds the country keys; without ``a`` and ``b``, every pair of countries that
        share a boundary. Outlines within ``tolerance_m`` of each other count as shared, and
        gaps up to ``max_gap_m`` (default as the command line) are bridged. The border has no
        status history (every segment is ``unknown``); it pickles as the derived GeoJSON, so a
        worker never derives it again.

        >>> countries = "data/source/osm-countries-kg-tj-uz.geojson"  # in the repository
        >>> Border.derive(countries, a="KGZ", b="TJK").lines[0]  # doctest: +SKIP
        'KGZ-TJK'
        """
        gap = () if max_gap_m is None else (float(max_gap_m),)
        return cls(_borderline.Core.derive(str(countries), a, b, key, float(tolerance_m), *gap))

    @classmethod
    def bundled(cls, name: str) -> "Border":
        """A border set bundled with borderline, by name, with its own status history (as
        ``--border NAME``); :meth:`bundled_sets` lists them.

        >>> Border.bundled("kgz-tjk").name
        'Kyrgyzstan–Tajikistan'
        """
        if name not in dict(cls.bundled_sets()):
            raise BorderlineError(
                f"no bundled border set {name!r} (there are {', '.join(dict(cls.bundled_sets()))})"
            )
        return cls(_borderline.Core.load(name, None))

    @staticmethod
    def bundled_sets() -> list:
        """The bundled border sets, ``(name, description)`` each; the first is the default.

        >>> Border.bundled_sets()[0][0]
        'kgz-tjk'
        """
        return list(_borderline.Core.bundled_sets())

    def __reduce__(self):
        return (_restore, (self._core.state(),))

    def __repr__(self) -> str:
        return f"<borderline.Border {self.name!r}: {self.total_km:.1f} km, {len(self.segments)} segments>"

    @property
    def name(self) -> str:
        """The border's name, e.g. ``Kyrgyzstan–Tajikistan``."""
        return self._core.name

    @property
    def total_km(self) -> float:
        """Total geodesic length of its lines, km (WGS84)."""
        return self._core.total_km

    @property
    def lines(self) -> list:
        """The IDs of its lines."""
        return self._core.ids()[0]

    @property
    def segments(self) -> list:
        """The IDs of its segments (``LINE:NNN``), in order along each line."""
        return self._core.ids()[1]

    @property
    def enclaves(self) -> list:
        """The names of its enclaves."""
        return self._core.ids()[2]

    def share(
        self, as_of: Optional[DateLike] = None, by: Optional[str] = None, history: bool = False
    ) -> dict:
        """Km and share of the border per status on ``as_of`` (default today, UTC).

        The same document as ``borderline share --format json``: ``as_of``, ``total_km``,
        ``statuses`` (per status: ``km``, ``share``, ``segments``, ``modelled_km``),
        ``modelled`` and, when a status is modelled, ``note``. ``by="line"`` or
        ``by="border"`` breaks it down; ``history=True`` gives the figures at every change of
        the status history.

        >>> share = Border.embedded().share(as_of="2022-10-07")
        >>> share["statuses"]["delimited"]["share"] + share["statuses"]["undelimited"]["share"]
        1.0
        >>> share["modelled"]
        True
        """
        text = self._core.share_json(_iso_date(as_of, "as_of"), by, bool(history))
        return _json.loads(text)

    def report(
        self,
        tagged: Any,
        by: str = "status",
        from_date: Optional[DateLike] = None,
        to_date: Optional[DateLike] = None,
        *,
        date: Optional[str] = None,
        date_order: Optional[str] = None,
        fatalities: Optional[str] = None,
        reference: str = "delimited",
        max_distance: float = 20_000.0,
        all: bool = False,
    ) -> dict:
        """Whether incidents concentrate on undelimited stretches: the document of
        ``borderline report --format json`` for a table :meth:`tag` returned (any kind).

        Incidents per status on their date, km·years of exposure, rates per 100 km·years with
        exact intervals and rate ratios against ``reference``; ``by="segment"`` or
        ``by="line"`` ranks stretches. ``from_date``/``to_date`` bound the period (default:
        the incidents' dates); incidents farther than ``max_distance`` metres (20 km) are left
        out of the rates. The table is handed over as the CSV the command line would read.

        >>> import pandas as pd
        >>> border = Border.embedded()
        >>> tagged = border.tag(pd.read_csv("data/source/incidents.csv"))  # doctest: +SKIP
        >>> border.report(tagged)["statuses"][0]["status"]  # doctest: +SKIP
        'undelimited'
        """
        from ._frames import as_csv

        text = self._core.report_json(
            as_csv(tagged),
            by,
            _iso_date(from_date, "from_date"),
            _iso_date(to_date, "to_date"),
            date,
            date_order,
            fatalities,
            reference,
            float(_metres(max_distance)),
            bool(all),
        )
        return _json.loads(text)

    def tag(
        self,
        data: Any,
        lat: Optional[str] = None,
        lon: Optional[str] = None,
        date: Optional[str] = None,
        as_of: Optional[DateLike] = None,
        max_distance: Optional[float] = None,
        *,
        date_order: Optional[str] = None,
        precision: Optional[str] = None,
        coarse_precision: Optional[int] = None,
        prefix: str = "",
    ) -> Any:
        """Tags every row of ``data`` with its nearest border segment, as ``borderline tag``.

        ``data`` is a pandas ``DataFrame``, a GeoPandas ``GeoDataFrame`` of points, a pyarrow
        ``Table`` or ``RecordBatch``, a polars ``DataFrame``, or any object with the Arrow
        PyCapsule interface (``__arrow_c_stream__``: returned as a pyarrow ``Table``). The
        result is of the same kind, with every row and column of ``data`` in order and the
        tag columns (:data:`TAG_COLUMNS`, each name after ``prefix``) appended; a ``data``
        that already ends with tag columns of that prefix has them replaced.

        Columns are found as the command line finds them (case and spacing ignored):
        latitude ``lat``, ``latitude``, ``y``; longitude ``lon``, ``lng``, ``long``,
        ``longitude``, ``x``; date ``date``, ``event_date``, ``date_start``, ...; precision
        ``geo_precision`` (ACLED), ``where_prec`` (UCDP) — or named with ``lat``, ``lon``,
        ``date``, ``precision``. A GeoDataFrame's points are its geometry (in WGS84; another
        CRS is converted) unless ``lat``/``lon`` are given. Dates may be dates, timestamps
        (their calendar date, in their own time zone) or text in any form the command line
        reads, numeric day/month orders inferred from the whole column unless ``date_order``
        (``"dmy"`` or ``"mdy"``) is given. Without a date column every row takes the status as
        of ``as_of`` (default today, UTC) and a :class:`NoDateColumnWarning` says so.

        ``max_distance`` (metres) leaves the segment fields of farther rows empty (their
        ``distance_m`` is still given).

        The tag columns: ``segment_id``, ``border``, ``line``, ``status``, ``status_basis``,
        ``side``, ``enclave``, ``nearest_enclave`` are categorical (dictionary-encoded; their
        categories are every value the border has); ``distance_m``, ``chainage_km``,
        ``border_lon``, ``border_lat``, ``enclave_distance_m`` are float64 at full precision
        (the command line writes them rounded to 0.1 m, 1 m and 1e-6°); ``status_since`` is a
        date (pandas: ``datetime64``); ``tag_warning`` and ``tag_error`` are text. An empty
        field of the command line's output is a null here (NaN, NaT, None). A row that cannot
        be tagged says why in ``tag_error``, with the command line's words; a problem with the
        table as a whole (no latitude column, a date column whose day/month order is unclear)
        raises :class:`BorderlineError`.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"event_date": ["16 September 2022", ""],
        ...                    "latitude": [39.949722, 39.85], "longitude": [70.535833, 91.0]})
        >>> out = Border.embedded().tag(df)
        >>> out["segment_id"].tolist()
        ['KGZ-TJK:088', 'KGZ-TJK:001']
        >>> out["tag_warning"][1].split(": ")[0]
        'undated'
        >>> round(out["distance_m"][0])
        905
        """
        from ._frames import tag_data

        return tag_data(
            self,
            data,
            dict(
                lat=lat,
                lon=lon,
                date=date,
                precision=precision,
                coarse_precision=coarse_precision,
                prefix=prefix,
            ),
            dict(
                as_of=_iso_date(as_of, "as_of") or _today(),
                date_order=date_order,
                max_distance=_metres(max_distance),
                prefix=prefix,
            ),
        )

    def tag_batches(
        self,
        batches: "Iterable[pyarrow.RecordBatch]",
        lat: Optional[str] = None,
        lon: Optional[str] = None,
        date: Optional[str] = None,
        as_of: Optional[DateLike] = None,
        max_distance: Optional[float] = None,
        *,
        date_order: Optional[str] = None,
        precision: Optional[str] = None,
        coarse_precision: Optional[int] = None,
        prefix: str = "",
    ) -> "Iterator[pyarrow.RecordBatch]":
        """Tags a stream of pyarrow RecordBatches, one batch at a time: for Spark's
        ``DataFrame.mapInArrow`` (with :meth:`spark_schema`).

        Options as :meth:`tag`; each batch comes back with the tag columns appended, text as
        plain strings (Spark takes no dictionaries). Each batch is tagged on its own, so a
        text date column whose day/month order only the whole column tells needs
        ``date_order``; give ``as_of`` too, so that every worker takes the same date.

        >>> import pyarrow as pa
        >>> batch = pa.record_batch({"lat": [39.85125], "lon": [70.58012]})
        >>> [out] = Border.embedded().tag_batches([batch], as_of="2022-09-16")
        >>> out.column("enclave").to_pylist()
        ['Vorukh']
        """
        from ._frames import tag_record_batch

        choice = dict(
            lat=lat,
            lon=lon,
            date=date,
            precision=precision,
            coarse_precision=coarse_precision,
            prefix=prefix,
        )
        run = dict(
            as_of=_iso_date(as_of, "as_of") or _today(),
            date_order=date_order,
            max_distance=_metres(max_distance),
            prefix=prefix,
        )
        for batch in batches:
            yield tag_record_batch(self, batch, choice, run, dictionary=False, whole=False)

    def spark_schema(self, schema: Any, prefix: str = "") -> Any:
        """The Spark schema of :meth:`tag_batches`' output: ``schema`` (a Spark
        ``StructType``) with the tag columns appended.

        >>> df.mapInArrow(border.tag_batches, border.spark_schema(df.schema))  # doctest: +SKIP
        """
        from pyspark.sql.types import DateType, DoubleType, StringType, StructField, StructType

        types = {"status_since": DateType()}
        for name in ("distance_m", "chainage_km", "border_lon", "border_lat", "enclave_distance_m"):
            types[name] = DoubleType()
        fields = list(schema.fields) + [
            StructField(prefix + name, types.get(name, StringType()), True) for name in TAG_COLUMNS
        ]
        return StructType(fields)


def _metres(value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np

            if isinstance(value, np.number):
                return float(value)
        except ImportError:  # pragma: no cover
            pass
        raise TypeError(f"max_distance: expected metres as a number, got {value!r}")
    return float(value)


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside this package."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("borderline"):
        level, frame = level + 1, frame.f_back
    return level


def _warn_about(info: dict, plan: dict, as_of: str) -> None:
    """The command line's notes on a run, as Python warnings."""
    if plan["date"] is None:
        _warnings.warn(
            f"no date column (looked for {', '.join(_borderline.DATE_NAMES)}; name one with "
            f"date=): every row takes the status as of {as_of} (as_of=)",
            NoDateColumnWarning,
            stacklevel=_caller_level(),
        )
    if info["modelled"]:
        rows = info["modelled"]
        _warnings.warn(
            f"the status of {rows} row{'s' if rows != 1 else ''} is modelled, not sourced "
            "(status_basis=modelled): treat it as an estimate",
            ModelledStatusWarning,
            stacklevel=_caller_level(),
        )
