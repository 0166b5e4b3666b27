"""The ``View`` a command prints, and the small helpers views share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.cli.output import Column


@dataclass(frozen=True)
class View:
    """What a command prints.

    ``document``: JSON-able data with Cumulocity's field names (one object, a list, or an iterator
    of objects that is streamed for jsonl). ``columns``: the table and csv columns, ``(HEADER,
    key.path)`` into each row. ``rows_key``: the list inside a one-object document that table and
    csv show (None: the document itself). ``card``: for a table only, ``label -> value`` lines shown
    before the rows (people read a one-object result as a card of fields).
    """

    document: Any
    columns: Sequence[Column] | None = None
    rows_key: str | None = None
    card: Mapping[str, Any] | None = field(default=None)

    def rows(self) -> Any:
        """The rows table and csv show: the document, or the list under ``rows_key``."""
        if self.rows_key is None:
            return self.document
        return self.document.get(self.rows_key) or []


def brief(body: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys of a document, in that order, where present."""
    return {key: body[key] for key in keys if key in body}
