"""Typed stubs of the compiled module (python/src/): use the `borderline` package instead."""

from typing import Any, Optional

import pyarrow

__version__: str
TAG_COLUMNS: list[str]
DATE_NAMES: list[str]

class BorderlineError(ValueError):
    """Bad input: a border, status table or data frame borderline cannot use."""

_State = tuple[str, str, str, Optional[tuple[str, str]]]

class Core:
    @staticmethod
    def embedded() -> Core: ...
    @staticmethod
    def load(border: Optional[str] = None, status: Optional[str] = None) -> Core: ...
    @staticmethod
    def derive(countries: str, a: str, b: str, key: str = "iso_a3", tolerance_m: float = 1.0) -> Core: ...
    @staticmethod
    def from_state(state: _State) -> Core: ...
    def state(self) -> _State: ...
    @property
    def name(self) -> str: ...
    @property
    def total_km(self) -> float: ...
    def ids(self) -> tuple[list[str], list[str], list[str]]: ...
    def share_json(self, as_of: Optional[str] = None, by: Optional[str] = None, history: bool = False) -> str: ...
    def report_json(
        self,
        csv: bytes,
        by: str = "status",
        from_date: Optional[str] = None,
        to_date: Optional[str] = None,
        date: Optional[str] = None,
        date_order: Optional[str] = None,
        fatalities: Optional[str] = None,
        reference: str = "delimited",
        max_distance: float = 20000.0,
        all: bool = False,
    ) -> str: ...
    def plan(
        self,
        names: list[str],
        lat: Optional[str] = None,
        lon: Optional[str] = None,
        date: Optional[str] = None,
        precision: Optional[str] = None,
        coarse_precision: Optional[int] = None,
        prefix: str = "",
        coordinates: bool = True,
    ) -> dict[str, Any]: ...
    def tag_arrays(
        self,
        lat: Any,
        lon: Any,
        date: Optional[tuple[str, Any]] = None,
        precision: Optional[tuple[str, Any]] = None,
        coarse_from: int = 2,
        as_of: Optional[str] = None,
        date_order: Optional[str] = None,
        max_distance: Optional[float] = None,
        prefix: str = "",
        dictionary: bool = True,
        whole: bool = True,
    ) -> tuple[list[pyarrow.RecordBatch], dict[str, Any]]: ...
