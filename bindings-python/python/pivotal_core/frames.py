"""Records as a ``pandas.DataFrame``, when pandas is installed (it is not a dependency).

``pc.to_pandas(db.onboardings.list())`` gives every onboarding (every page) as a row; then
``df[df.phase == "launch"].groupby("csm_id").size()`` is ordinary pandas.
"""

from __future__ import annotations

import enum
import importlib
from typing import Any, Iterable, Protocol


class _Record(Protocol):
    def to_record(self) -> dict[str, Any]: ...


def to_pandas(records: Iterable[_Record]) -> Any:
    """A ``pandas.DataFrame`` with one row per record and one column per attribute.

    The columns hold what ``to_record()`` gives: timestamps as timezone-aware ``datetime64``
    (UTC), counts as integers, durations (``*_ms``) as ``timedelta64``, phases and states as
    strings, metadata and nested records as dicts. Raises ``ImportError`` without pandas.
    """
    try:
        pandas: Any = importlib.import_module("pandas")  # optional: imported when asked for
    except ImportError as e:
        raise ImportError("pivotal_core.to_pandas needs pandas: pip install pandas") from e
    rows = [record.to_record() for record in records]
    frame = pandas.DataFrame.from_records(rows)
    # Enum members are `str` subclasses: as plain strings they compare and group the same, and
    # print as their wire values.
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object and any(isinstance(v, enum.Enum) for v in values):
            frame[column] = values.map(lambda v: str(v) if isinstance(v, enum.Enum) else v)
    return frame
