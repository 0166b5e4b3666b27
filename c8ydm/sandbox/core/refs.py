"""Managed-object references (childAdditions, childAssets, childDevices) for the Store.

Stored in SQLite's ``refs`` table and indexed in memory both ways, in link order: (parent, kind) ->
children and (child, kind) -> parents, as dicts with None values (ordered sets: membership and
removal without a list search). The Store's lock guards every call; nothing here locks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

REF_KINDS = ("childAdditions", "childAssets", "childDevices")


def check_kind(kind: str) -> None:
    if kind not in REF_KINDS:
        raise ValueError(f"reference kind must be one of {REF_KINDS}, not {kind!r}")


class RefIndex:
    """The references of one database, loaded once and kept in step with every change."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._children: dict[tuple[str, str], dict[str, None]] = {}
        self._parents: dict[tuple[str, str], dict[str, None]] = {}
        for parent, child, kind in db.execute("SELECT parent, child, kind FROM refs ORDER BY seq"):
            self._link(parent, child, kind)

    def _link(self, parent: str, child: str, kind: str) -> None:
        self._children.setdefault((parent, kind), {})[child] = None
        self._parents.setdefault((child, kind), {})[parent] = None

    def add(self, parent: str, children: Iterable[str], kind: str) -> None:
        """Link each child not linked yet, after the parent's existing children, in the given order."""
        check_kind(kind)
        linked = self._children.setdefault((parent, kind), {})
        new = [child for child in dict.fromkeys(children) if child not in linked]
        if not new:
            return
        self._db.executemany(
            "INSERT INTO refs (parent, child, kind) VALUES (?, ?, ?)",
            [(parent, child, kind) for child in new],
        )
        for child in new:
            self._link(parent, child, kind)

    def remove(self, parent: str, child: str, kind: str) -> bool:
        check_kind(kind)
        children = self._children.get((parent, kind), {})
        if child not in children:
            return False
        del children[child]
        del self._parents[(child, kind)][parent]
        self._db.execute("DELETE FROM refs WHERE parent=? AND child=? AND kind=?", (parent, child, kind))
        return True

    def children(self, parent: str, kind: str) -> list[str]:
        check_kind(kind)
        return list(self._children.get((parent, kind), {}))

    def parents(self, child: str, kind: str) -> list[str]:
        check_kind(kind)
        return list(self._parents.get((child, kind), {}))


__all__ = ["REF_KINDS", "RefIndex", "check_kind"]
