"""The ``View`` a command prints, and the small helpers views share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from c8ydm.cli.output import Column

_NO_ROWS = object()


@dataclass(frozen=True)
class View:
    """What a command prints, shaped once.

    - ``document``: json and jsonl print it: JSON-able data with Cumulocity's field names (one
      object, a list, or an iterator of objects, streamed for jsonl).
    - ``rows`` and ``columns``: csv prints ``rows`` (default: the document) through ``columns``,
      ``(HEADER, key.path)`` into each row, with the key paths as its header. Rows are the
      document's own objects, so the keys a script reads in csv are the keys of the JSON.
    - ``card``: a table first shows these ``label -> value`` lines (people read one object as a card
      of fields); without ``rows`` a table shows only the card.
    - ``table_rows`` / ``table_columns``: rows formatted for people (readable times, labels),
      default ``rows`` / ``columns``.
    """

    document: Any
    columns: Sequence[Column] | None = None
    rows: Any = _NO_ROWS
    card: Mapping[str, Any] | None = None
    table_rows: Any = _NO_ROWS
    table_columns: Sequence[Column] | None = None

    @property
    def has_rows(self) -> bool:
        """Whether the view names rows of its own (else the document is the rows)."""
        return self.rows is not _NO_ROWS

    def csv_rows(self) -> Any:
        """The rows csv prints."""
        return self.rows if self.has_rows else self.document

    def table(self) -> tuple[Any, Sequence[Column] | None] | None:
        """The rows and columns a table prints after the card; None: the card is all."""
        if self.table_rows is not _NO_ROWS:
            return self.table_rows, self.table_columns or self.columns
        if self.card is not None and not self.has_rows:
            return None
        return self.csv_rows(), self.table_columns or self.columns


def brief(body: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys of a document, in that order, where present."""
    return {key: body[key] for key in keys if key in body}
