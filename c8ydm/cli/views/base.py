"""Helpers views share. ``View`` itself lives with the renderer (``cli/output.py``), which the App
uses without importing any view module; it is re-exported here for the views' convenience."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from c8ydm.cli.output import View

__all__ = ["View", "brief"]


def brief(body: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys of a document, in that order, where present."""
    return {key: body[key] for key in keys if key in body}
