"""What events and alarms share: documents about a source device, with a time.

Each caller passes its own error factory, so that a bad value answers 422 with the caller's error
code (``event/validationError``, ``alarm/validationError``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.store import format_time, parse_time
from c8ydm.sandbox.model.mo import mo_url

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

Invalid = Callable[[str], C8yHTTPError]  # a message -> the 422 to raise


def stored_time(value: Any, name: str, invalid: Invalid) -> str:
    """A date as stored (UTC, milliseconds: string order is time order); 422 when it is none."""
    try:
        return format_time(parse_time(str(value)))
    except ValueError:
        raise invalid(f"{name} is not a date: {value!r}") from None


def time_range(request: Request, low: str, high: str, invalid: Invalid) -> tuple[str | None, str | None]:
    """The ``low``/``high`` query parameters as stored times (None when absent)."""
    q = request.query_params
    return (
        stored_time(q[low], low, invalid) if q.get(low) else None,
        stored_time(q[high], high, invalid) if q.get(high) else None,
    )


def checked_source(state: SandboxState, body: Mapping[str, Any], invalid: Invalid) -> dict[str, Any]:
    """The existing managed object ``body["source"]`` names; 422 without source, type, text or time."""
    source = body.get("source")
    if not isinstance(source, dict) or not source.get("id"):
        raise invalid("source.id is required")
    for name in ("type", "text", "time"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise invalid(f"{name} is required")
    device = state.store.get("managedObjects", str(source["id"]))
    if device is None:
        raise invalid(f"source {source['id']} does not exist")
    return device


def source_ref(device: Mapping[str, Any]) -> dict[str, Any]:
    """The stored ``source`` of a document: the device's id, and its name when it has one."""
    return {"id": device["id"], **({"name": device["name"]} if "name" in device else {})}


def render_sourced(base: str, doc: Mapping[str, Any], path: str) -> dict[str, Any]:
    """A stored document as answered: no internal fields, its ``self`` under ``path``, the source's."""
    rendered = {k: v for k, v in doc.items() if not k.startswith("_")}
    rendered["self"] = f"{base}{path}/{doc['id']}"
    rendered["source"] = {**doc["source"], "self": mo_url(base, doc["source"]["id"])}
    return rendered


def apply_update(
    state: SandboxState, collection: str, doc: dict[str, Any], body: Mapping[str, Any], kept: Collection[str]
) -> dict[str, Any]:
    """A PUT body applied: every property but ``kept`` set (None removes it); ``lastUpdated`` now."""
    for key, value in body.items():
        if key in kept:
            continue
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    doc["lastUpdated"] = state.store.now()
    state.store.put(collection, doc["id"], doc)
    return doc


def sort_newest_first(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By ``time``, then id, newest first (as the platform lists events and alarms)."""
    docs.sort(key=lambda d: (d["time"], int(d["id"]) if d["id"].isdigit() else 0), reverse=True)
    return docs


__all__ = [
    "apply_update",
    "checked_source",
    "render_sourced",
    "sort_newest_first",
    "source_ref",
    "stored_time",
    "time_range",
]
