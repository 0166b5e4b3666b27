"""The sandbox's state: JSON documents and managed-object references in SQLite (stdlib sqlite3).

One connection (check_same_thread=False) guarded by an RLock, WAL mode. Documents are kept as JSON
text in a write-through cache, so reads never touch the disk and every read returns a fresh copy
that callers may mutate freely. Each cached collection stays sorted by id (``SortedDocs``): a new id
is inserted at its place (bisect), so ids arriving out of order cost no re-sort. References are
in ``refs.RefIndex``. ``transaction()`` makes many writes one SQLite transaction (the seed's chunks:
one commit instead of one per document), ``put_many`` and ``add_refs`` write many at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from c8ydm.sandbox.core.doc_cache import Entry, SortedDocs, sort_key
from c8ydm.sandbox.core.refs import REF_KINDS as REF_KINDS
from c8ydm.sandbox.core.refs import RefIndex

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
        # collection -> its entries; the parsed documents are only lent out by scan() and peek().
        self._docs: dict[str, SortedDocs] = {}
        rows = self._db.execute("SELECT collection, id, body FROM docs").fetchall()
        for collection, doc_id, body in sorted(rows, key=lambda row: sort_key(row[1])):
            self._collection(collection).set(doc_id, (body, _load(body)))
        self._refs = RefIndex(self._db)
        row = self._db.execute("SELECT value FROM meta WHERE key='next_id'").fetchone()
        self._next_id = int(row[0]) if row else FIRST_ID
        self._in_transaction = False

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def now(self) -> str:
        return format_time(self._clock())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and make every write inside one SQLite transaction (nested: the outer one).

        On an error the database is rolled back but the cache is not: use it for writes that do
        not fail halfway (the seed), or let the error end the process.
        """
        with self._lock:
            if self._in_transaction:
                yield
                return
            self._db.execute("BEGIN")
            self._in_transaction = True
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._in_transaction = False

    def next_id(self) -> str:
        return str(self.reserve_ids(1))

    def reserve_ids(self, count: int) -> int:
        """The first of ``count`` consecutive ids that no other object will get (as numbers)."""
        with self._lock:
            value = self._next_id
            self._next_id += count
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('next_id', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(self._next_id),),
            )
            return value

    # -- generic documents -------------------------------------------------------------------
    def insert(self, collection: str, doc: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if "id" not in doc or doc["id"] in (None, ""):
                doc = {"id": self.next_id(), **{k: v for k, v in doc.items() if k != "id"}}
            doc["id"] = str(doc["id"])
            self.put(collection, doc["id"], doc)
            return _load(json.dumps(doc))

    def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        cached = self._cached(collection, doc_id)
        return None if cached is None else _load(cached[0])

    def _collection(self, collection: str) -> SortedDocs:
        docs = self._docs.get(collection)
        if docs is None:
            docs = self._docs[collection] = SortedDocs()
        return docs

    def _cached(self, collection: str, doc_id: str) -> Entry | None:
        docs = self._docs.get(collection)
        return None if docs is None else docs.by_id.get(str(doc_id))

    def put(self, collection: str, doc_id: str, doc: dict[str, Any]) -> None:
        doc_id = str(doc_id)
        body = json.dumps({**doc, "id": doc_id}, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT INTO docs (collection, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT(collection, id) DO UPDATE SET body=excluded.body",
                (collection, doc_id, body),
            )
            self._collection(collection).set(doc_id, (body, _load(body)))

    def put_many(self, collection: str, docs: list[dict[str, Any]], *, adopt: bool = False) -> None:
        """``put`` each document (under its ``id``, a string) in one statement. ``adopt``: the caller
        hands the documents over and never touches them again (the seed), so the cache keeps them
        as they are instead of a parsed copy of their JSON."""
        rows = [(collection, doc["id"], json.dumps(doc, separators=(",", ":"))) for doc in docs]
        with self._lock:
            self._db.executemany(
                "INSERT INTO docs (collection, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT(collection, id) DO UPDATE SET body=excluded.body",
                rows,
            )
            parsed = docs if adopt else [_load(body) for _, _, body in rows]
            entries = [(doc_id, (body, doc)) for (_, doc_id, body), doc in zip(rows, parsed, strict=True)]
            self._collection(collection).set_many(entries)

    def delete(self, collection: str, doc_id: str) -> bool:
        with self._lock:
            docs = self._docs.get(collection)
            if docs is None or not docs.pop(str(doc_id)):
                return False
            self._db.execute("DELETE FROM docs WHERE collection=? AND id=?", (collection, str(doc_id)))
            return True

    def _snapshot(self, collection: str) -> list[Entry]:
        with self._lock:
            docs = self._docs.get(collection)
            return [] if docs is None else docs.entries()

    def iter(self, collection: str) -> Iterator[dict[str, Any]]:
        """All documents of a collection, ordered by numeric id ascending, then other ids by name
        (a snapshot)."""
        for body, _ in self._snapshot(collection):
            yield _load(body)

    def scan(self, collection: str) -> Iterator[dict[str, Any]]:
        """Like iter() without copying: the cached documents themselves. READ-ONLY: never mutate them
        (copy first, or use get()); the fast path for filtering and rendering lists."""
        for _, doc in self._snapshot(collection):
            yield doc

    def count(self, collection: str) -> int:
        docs = self._docs.get(collection)
        return 0 if docs is None else len(docs.by_id)

    def find(self, collection: str, **eq: Any) -> list[dict[str, Any]]:
        """Copies of the documents whose top-level keys equal `eq`."""
        found = [doc for doc in self.scan(collection) if all(doc.get(k) == v for k, v in eq.items())]
        return [_load(json.dumps(doc)) for doc in found]

    def peek(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        """Like get() without copying. READ-ONLY, as for scan()."""
        cached = self._cached(collection, doc_id)
        return None if cached is None else cached[1]

    # -- managed objects ---------------------------------------------------------------------
    def create_mo(self, doc: dict[str, Any], *, owner: str, mo_id: str | None = None) -> dict[str, Any]:
        """Store a new managed object (with ``mo_id`` if given: a reserved id); reference fragments
        and `self` are never stored."""
        body = new_mo(doc, owner=owner, now=self.now())
        if mo_id is not None:
            body = {"id": mo_id, **body}
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
                for child in self._refs.children(doc_id, kind):
                    self._refs.remove(doc_id, child, kind)
                for parent in self._refs.parents(doc_id, kind):
                    self._refs.remove(parent, doc_id, kind)
            return self.delete("managedObjects", doc_id)

    # -- references (refs.RefIndex) --------------------------------------------------------------
    def add_ref(self, parent_id: str, child_id: str, kind: str) -> None:
        self.add_refs(parent_id, [child_id], kind)

    def add_refs(self, parent_id: str, child_ids: Iterable[str], kind: str) -> None:
        """Link the children not linked yet, in order, after the parent's existing ones."""
        with self._lock:
            self._refs.add(str(parent_id), [str(child) for child in child_ids], kind)

    def remove_ref(self, parent_id: str, child_id: str, kind: str) -> bool:
        with self._lock:
            return self._refs.remove(str(parent_id), str(child_id), kind)

    def children(self, parent_id: str, kind: str) -> list[str]:
        with self._lock:
            return self._refs.children(str(parent_id), kind)

    def parents(self, child_id: str, kind: str) -> list[str]:
        """The objects holding `child_id` in their `kind` list (additionParents for childAdditions)."""
        with self._lock:
            return self._refs.parents(str(child_id), kind)


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


def new_mo(doc: dict[str, Any], *, owner: str, now: str) -> dict[str, Any]:
    """The stored form of a new managed object: no `id`, `self` or reference fragments, no null
    fragments; `owner` unless the document names one; creationTime and lastUpdated ``now``."""
    body = {k: v for k, v in doc.items() if k not in _DERIVED and v is not None}
    body.pop("id", None)
    body.update(owner=body.get("owner", owner), creationTime=now, lastUpdated=now)
    return body


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or date-time; without a timezone it is UTC (contract §1.9). ValueError if bad."""
    value = text.strip().replace(" ", "+")  # an unencoded `+` arrives as a space
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
