"""The client's two hooks: ``--verbose`` request records and ``--dry-run`` change records.

Neither ever sees a header value: a verbose record is method, path with query, status and seconds;
a dry-run record is method, path, query and body, with uploads described by name, size and sha256.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# Child links are made on a parent, but what a create-and-link returns is the child's own object.
_CHILD_RELATIONS = ("/childAdditions", "/childAssets", "/childDevices")


@dataclass(frozen=True)
class RequestLog:
    """One HTTP exchange for ``--verbose``: never headers, never bodies."""

    method: str
    url: str  # path and query, no host
    status_code: int | None  # None when no response arrived
    seconds: float
    error: str | None = None  # the one-line transport error, when no response arrived

    def __str__(self) -> str:
        outcome = str(self.status_code) if self.status_code is not None else f"failed: {self.error}"
        return f"{self.method} {self.url} -> {outcome} ({self.seconds:.3f} s)"


def file_description(path: Path, *, name: str | None = None) -> dict[str, Any]:
    """``{"name", "size", "sha256"}`` of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return {"name": name or path.name, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def bytes_description(data: bytes, *, name: str | None = None) -> dict[str, Any]:
    """``{"name", "size", "sha256"}`` of bytes in memory (``name`` left out when unknown)."""
    described: dict[str, Any] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"name": name, **described} if name is not None else described


def query_record(params: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters as a JSON-able dict; a repeated key becomes a list."""
    record: dict[str, Any] = {}
    for key, value in params:
        if key in record:
            previous = record[key]
            record[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            record[key] = value
    return record


class DryRun:
    """Records would-be changes and answers them with synthetic responses so procedures run on."""

    def __init__(self, base_url: str, on_record: Callable[[dict[str, Any]], None] | None) -> None:
        self._base_url = base_url
        self._on_record = on_record
        self._counter = itertools.count(1)

    def handle(self, method: str, path: str, params: Iterable[tuple[str, str]], body: Any) -> httpx.Response:
        """Record the change and return what the tenant would plausibly have answered."""
        record = {"method": method, "path": path, "query": query_record(params), "body": body}
        if self._on_record is not None:
            self._on_record(record)
        request = httpx.Request(method, self._base_url + path)
        if method == "DELETE":
            return httpx.Response(204, request=request)
        payload = _response_base(body)
        if method == "POST":
            new_id = f"dry-run-{next(self._counter)}"
            payload.update(id=new_id, self=f"{self._base_url}{_collection(path)}/{new_id}")
            return httpx.Response(201, json=payload, request=request)
        payload.setdefault("id", path.rstrip("/").rsplit("/", 1)[-1])
        payload.setdefault("self", self._base_url + path)
        return httpx.Response(200, json=payload, request=request)


def _response_base(body: Any) -> dict[str, Any]:
    # An upload's answer is its "object" part (name, type, fragments); any other JSON body is echoed.
    if isinstance(body, Mapping):
        if "file" in body and isinstance(body.get("object"), Mapping):
            return dict(body["object"])
        return dict(body)
    return {}


def _collection(path: str) -> str:
    for relation in _CHILD_RELATIONS:
        if path.endswith(relation):
            return "/inventory/managedObjects"
    return path.rstrip("/")
