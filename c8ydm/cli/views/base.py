"""Helpers views share. ``View`` itself lives with the renderer (``cli/output.py``), which the App
uses without importing any view module; it is re-exported here for the views' convenience."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from c8ydm.api.conventions import parse_timestamp
from c8ydm.cli.output import View

__all__ = ["TABLE_TIME_FORMAT", "View", "brief", "short_time", "with_short_times"]

# Tables show times in the local zone, to the minute, so that a row fits 80 columns;
# JSON and CSV keep Cumulocity's full ISO text (UTC, milliseconds).
TABLE_TIME_FORMAT = "%Y-%m-%d %H:%M"


def brief(body: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys of a document, in that order, where present."""
    return {key: body[key] for key in keys if key in body}


def short_time(value: Any) -> Any:
    """An ISO timestamp as local ``YYYY-MM-DD HH:MM`` for a table; anything else as it is."""
    if not isinstance(value, str) or "T" not in value:
        return value
    try:
        moment = parse_timestamp(value)
    except ValueError:
        return value
    return moment.astimezone().strftime(TABLE_TIME_FORMAT)


def with_short_times(row: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """A copy of a table row with the timestamps under ``keys`` shortened (``short_time``)."""
    copy = dict(row)
    for key in keys:
        if key in copy:
            copy[key] = short_time(copy[key])
    return copy
