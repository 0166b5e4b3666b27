"""The store's in-memory cache of one collection, kept sorted by id.

A new id is inserted at its place (bisect), so ids that arrive out of order (user names, external
ids, fingerprints) cost no re-sort of the collection; a listing is a copy of one list.
"""

from __future__ import annotations

import bisect
from typing import Any


def sort_key(doc_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, other ids (user names, fingerprints) after them by name."""
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)


Entry = tuple[str, dict[str, Any]]  # (JSON text, parsed document)


class SortedDocs:
    """One cached collection: entries by id, and the same entries sorted by ``sort_key`` (equal keys,
    such as "7" and "007", in insertion order). Not thread-safe: the Store's lock guards it."""

    def __init__(self) -> None:
        self.by_id: dict[str, Entry] = {}
        self._keys: list[tuple[int, int, str]] = []  # sorted; parallel to _ids and _entries
        self._ids: list[str] = []
        self._entries: list[Entry] = []

    def entries(self) -> list[Entry]:
        """A snapshot of the entries in id order."""
        return list(self._entries)

    def set(self, doc_id: str, entry: Entry) -> None:
        key = sort_key(doc_id)
        if doc_id in self.by_id:
            self._entries[self._index(doc_id, key)] = entry
        else:  # after any equal keys; ids arriving in order are appended
            index = bisect.bisect_right(self._keys, key)
            self._keys.insert(index, key)
            self._ids.insert(index, doc_id)
            self._entries.insert(index, entry)
        self.by_id[doc_id] = entry

    def pop(self, doc_id: str) -> bool:
        if self.by_id.pop(doc_id, None) is None:
            return False
        index = self._index(doc_id, sort_key(doc_id))
        del self._keys[index], self._ids[index], self._entries[index]
        return True

    def _index(self, doc_id: str, key: tuple[int, int, str]) -> int:
        index = bisect.bisect_left(self._keys, key)
        while self._ids[index] != doc_id:  # only equal keys ("7", "007") lie between
            index += 1
        return index


__all__ = ["Entry", "SortedDocs", "sort_key"]
