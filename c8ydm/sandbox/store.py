"""The sandbox's state: JSON documents and managed-object references in SQLite (stdlib sqlite3).

One connection (check_same_thread=False) guarded by an RLock, WAL mode. Documents are kept as JSON
text in a write-through cache, so reads never touch the disk and every read returns a fresh copy
that callers may mutate freely.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REF_KINDS = ("childAdditions", "childAssets", "childDevices")
# Cumulocity ids are long numeric strings; start high enough to look like them.
FIRST_ID = 10000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
                                 PRIMARY KEY (collection, id));
CREATE TABLE IF NOT EXISTS refs (parent TEXT NOT NULL, child TEXT NOT NULL, kind TEXT NOT NULL,
                                 seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (parent, child, kind));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def format_time(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds, as Cumulocity writes it (contract §1.9)."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _load(body: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(body)
    return doc


def _sort_key(doc_id: str) -> tuple[int, int, str]:
    # Numeric ids in numeric order, other ids (user names, fingerprints) after them by name.
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)


class Store:
    """Generic document collections plus managed-object helpers and references."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self._lock = threading.RLock()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # collection -> id -> (JSON text, parsed document); the parsed one is only lent out by scan().
        self._docs: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        for collection, doc_id, body in self._db.execute("SELECT collection, id, body FROM docs"):
            self._docs.setdefault(collection, {})[doc_id] = (body, _load(body))
        for cache in self._docs.values():
            ordered = sorted(cache.items(), key=lambda item: _sort_key(item[0]))
            cache.clear()
            cache.update(ordered)
        # Reference indexes both ways, in link order: (parent, kind) -> children, (child, kind) -> parents.
        self._children: dict[tuple[str, str], list[str]] = {}
        self._parents: dict[tuple[str, str], list[str]] = {}
        for parent, child, kind in self._db.execute("SELECT parent, child, kind FROM refs ORDER BY seq"):
            self._children.setdefault((parent, kind), []).append(child)
            self._parents.setdefault((child, kind), []).append(parent)
        row = self._db.execute("SELECT value FROM meta WHERE key='next_id'").fetchone()
        self._next_id = int(row[0]) if row else FIRST_ID

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def now(self) -> str:
        return format_time(self._clock())

    def next_id(self) -> str:
        with self._lock:
            value = self._next_id
            self._next_id += 1
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('next_id', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(self._next_id),),
            )
            return str(value)

    # -- generic documents -------------------------------------------------------------------
    def insert(self, collection: str, doc: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if "id" not in doc or doc["id"] in (None, ""):
                doc = {"id": self.next_id(), **{k: v for k, v in doc.items() if k != "id"}}
            doc["id"] = str(doc["id"])
            self.put(collection, doc["id"], doc)
            return _load(json.dumps(doc))

    def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        cached = self._docs.get(collection, {}).get(str(doc_id))
        return None if cached is None else _load(cached[0])

    def put(self, collection: str, doc_id: str, doc: dict[str, Any]) -> None:
        doc_id = str(doc_id)
        body = json.dumps({**doc, "id": doc_id}, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT INTO docs (collection, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT(collection, id) DO UPDATE SET body=excluded.body",
                (collection, doc_id, body),
            )
            cache = self._docs.setdefault(collection, {})
            last = next(reversed(cache)) if cache else None
            needs_sort = doc_id not in cache and last is not None and _sort_key(doc_id) < _sort_key(last)
            cache[doc_id] = (body, _load(body))
            if needs_sort:
                ordered = sorted(cache.items(), key=lambda item: _sort_key(item[0]))
                cache.clear()
                cache.update(ordered)

    def delete(self, collection: str, doc_id: str) -> bool:
        with self._lock:
            cache = self._docs.get(collection, {})
            if cache.pop(str(doc_id), None) is None:
                return False
            self._db.execute("DELETE FROM docs WHERE collection=? AND id=?", (collection, str(doc_id)))
            return True

    def iter(self, collection: str) -> Iterator[dict[str, Any]]:
        """All documents of a collection, ordered by numeric id ascending (a snapshot)."""
        with self._lock:
            cached = list(self._docs.get(collection, {}).values())
        for body, _ in cached:
            yield _load(body)

    def scan(self, collection: str) -> Iterator[dict[str, Any]]:
        """Like iter() without copying: the cached documents themselves. READ-ONLY: never mutate them
        (copy first, or use get()); the fast path for filtering and rendering lists."""
        with self._lock:
            cached = list(self._docs.get(collection, {}).values())
        for _, doc in cached:
            yield doc

    def count(self, collection: str) -> int:
        return len(self._docs.get(collection, {}))

    def find(self, collection: str, **eq: Any) -> list[dict[str, Any]]:
        """Copies of the documents whose top-level keys equal `eq`."""
        found = [doc for doc in self.scan(collection) if all(doc.get(k) == v for k, v in eq.items())]
        return [_load(json.dumps(doc)) for doc in found]

    def peek(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        """Like get() without copying. READ-ONLY, as for scan()."""
        cached = self._docs.get(collection, {}).get(str(doc_id))
        return None if cached is None else cached[1]

    # -- managed objects ---------------------------------------------------------------------
    def create_mo(self, doc: dict[str, Any], *, owner: str) -> dict[str, Any]:
        """Store a new managed object; reference fragments and `self` are never stored."""
        now = self.now()
        body = {k: v for k, v in doc.items() if k not in _DERIVED and v is not None}
        body.pop("id", None)
        body.update(owner=body.get("owner", owner), creationTime=now, lastUpdated=now)
        return self.insert("managedObjects", body)

    def update_mo(self, doc_id: str, fragments: dict[str, Any]) -> dict[str, Any]:
        """Top-level merge (contract §1.8): a fragment replaces the old one whole, None removes it."""
        with self._lock:
            doc = self.get("managedObjects", doc_id)
            if doc is None:
                raise KeyError(doc_id)
            for key, value in fragments.items():
                if key in _DERIVED or key in _READ_ONLY:
                    continue
                if value is None:
                    doc.pop(key, None)
                else:
                    doc[key] = value
            doc["lastUpdated"] = self.now()
            self.put("managedObjects", doc_id, doc)
            return doc

    def delete_mo(self, doc_id: str) -> bool:
        """Delete the object and every reference from or to it (not the referenced objects)."""
        doc_id = str(doc_id)
        with self._lock:
            for kind in REF_KINDS:
                for child in list(self._children.get((doc_id, kind), [])):
                    self.remove_ref(doc_id, child, kind)
                for parent in list(self._parents.get((doc_id, kind), [])):
                    self.remove_ref(parent, doc_id, kind)
            return self.delete("managedObjects", doc_id)

    # -- references ----------------------------------------------------------------------------
    def add_ref(self, parent_id: str, child_id: str, kind: str) -> None:
        _check_kind(kind)
        parent_id, child_id = str(parent_id), str(child_id)
        with self._lock:
            children = self._children.setdefault((parent_id, kind), [])
            if child_id in children:
                return
            self._db.execute(
                "INSERT INTO refs (parent, child, kind) VALUES (?, ?, ?)", (parent_id, child_id, kind)
            )
            children.append(child_id)
            self._parents.setdefault((child_id, kind), []).append(parent_id)

    def remove_ref(self, parent_id: str, child_id: str, kind: str) -> bool:
        _check_kind(kind)
        parent_id, child_id = str(parent_id), str(child_id)
        with self._lock:
            children = self._children.get((parent_id, kind), [])
            if child_id not in children:
                return False
            children.remove(child_id)
            self._parents[(child_id, kind)].remove(parent_id)
            self._db.execute(
                "DELETE FROM refs WHERE parent=? AND child=? AND kind=?", (parent_id, child_id, kind)
            )
            return True

    def children(self, parent_id: str, kind: str) -> list[str]:
        _check_kind(kind)
        with self._lock:
            return list(self._children.get((str(parent_id), kind), []))

    def parents(self, child_id: str, kind: str) -> list[str]:
        """The objects holding `child_id` in their `kind` list (additionParents for childAdditions)."""
        _check_kind(kind)
        with self._lock:
            return list(self._parents.get((str(child_id), kind), []))


_DERIVED = frozenset(
    {
        "self",
        "childAdditions",
        "childAssets",
        "childDevices",
        "additionParents",
        "assetParents",
        "deviceParents",
    }
)
_READ_ONLY = frozenset({"id", "creationTime", "lastUpdated"})


def _check_kind(kind: str) -> None:
    if kind not in REF_KINDS:
        raise ValueError(f"reference kind must be one of {REF_KINDS}, not {kind!r}")


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or date-time; without a timezone it is UTC (contract §1.9). ValueError if bad."""
    value = text.strip().replace(" ", "+")  # an unencoded `+` arrives as a space
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
