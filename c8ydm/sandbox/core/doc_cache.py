"""The store's in-memory cache of one collection, kept sorted by id.

A new id is inserted at its place (bisect), so ids that arrive out of order (user names, external
ids, fingerprints) cost no re-sort of the collection; a listing is a copy of one list. Many new ids
at once (``set_many``, the seed's chunks) wait in a pending list and are merged in with one sort
when the order is next needed, so a large seed costs no insert into the middle of a long list.
"""

from __future__ import annotations

import bisect
from typing import Any


def sort_key(doc_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, other ids (user names, fingerprints) after them by name."""
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)


Entry = tuple[str, dict[str, Any]]  # (JSON text, parsed document)
_Row = tuple[tuple[int, int, str], str, Entry]  # (sort key, id, entry)


class SortedDocs:
    """One cached collection: entries by id, and the same entries sorted by ``sort_key`` (equal keys,
    such as "7" and "007", in insertion order). Not thread-safe: the Store's lock guards it."""

    def __init__(self) -> None:
        self.by_id: dict[str, Entry] = {}
        self._keys: list[tuple[int, int, str]] = []  # sorted; parallel to _ids and _entries
        self._ids: list[str] = []
        self._entries: list[Entry] = []
        self._pending: list[_Row] = []  # new ids of set_many, not merged into the sorted lists yet

    def entries(self) -> list[Entry]:
        """A snapshot of the entries in id order."""
        self._settle()
        return list(self._entries)

    def set(self, doc_id: str, entry: Entry) -> None:
        self._settle()
        key = sort_key(doc_id)
        if doc_id in self.by_id:
            self._entries[self._index(doc_id, key)] = entry
        else:  # after any equal keys; ids arriving in order are appended
            index = bisect.bisect_right(self._keys, key)
            self._keys.insert(index, key)
            self._ids.insert(index, doc_id)
            self._entries.insert(index, entry)
        self.by_id[doc_id] = entry

    def set_many(self, items: list[tuple[str, Entry]]) -> None:
        """``set`` for many entries: new ids are merged into the order only when it is next needed."""
        for doc_id, entry in items:
            if doc_id in self.by_id:
                self._settle()
                self._entries[self._index(doc_id, sort_key(doc_id))] = entry
            else:
                self._pending.append((sort_key(doc_id), doc_id, entry))
            self.by_id[doc_id] = entry

    def pop(self, doc_id: str) -> bool:
        if doc_id not in self.by_id:
            return False
        self._settle()
        del self.by_id[doc_id]
        index = self._index(doc_id, sort_key(doc_id))
        del self._keys[index], self._ids[index], self._entries[index]
        return True

    def _settle(self) -> None:
        """Merge the pending new ids into the sorted lists: appended when they all come after the
        last id (ids in order), else with one stable sort (existing entries first on equal keys)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        pending.sort(key=lambda row: row[0])  # stable: equal keys keep their order of arrival
        if not self._keys or pending[0][0] >= self._keys[-1]:
            rows: list[_Row] = pending
        else:
            rows = sorted([*zip(self._keys, self._ids, self._entries, strict=True), *pending], key=_row_key)
            self._keys, self._ids, self._entries = [], [], []
        self._keys.extend(row[0] for row in rows)
        self._ids.extend(row[1] for row in rows)
        self._entries.extend(row[2] for row in rows)

    def _index(self, doc_id: str, key: tuple[int, int, str]) -> int:
        index = bisect.bisect_left(self._keys, key)
        while self._ids[index] != doc_id:  # only equal keys ("7", "007") lie between
            index += 1
        return index


def _row_key(row: _Row) -> tuple[int, int, str]:
    return row[0]


__all__ = ["Entry", "SortedDocs", "sort_key"]
