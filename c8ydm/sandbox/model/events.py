"""Events (contract §8.3): creation (also by simulated devices), selection, rendering, updates.

The endpoints are endpoints/events.py and, for attachments, endpoints/event_binaries.py.
`select_events` filters by source, type, fragmentType, dateFrom/dateTo (on `time`; from inclusive,
to exclusive, §1.9) and createdFrom/createdTo. Newest first by default (by `time`, then id), as the
platform lists events; `revert=true` gives the oldest first. `update_event` (PUT) changes `text` and
custom fragments only (the spec's rule); source, type and time stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import flag, vendor
from c8ydm.sandbox.core.store import format_time, parse_time
from c8ydm.sandbox.model.mo import mo_url

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

MEDIA = vendor("event")
READ_ONLY = frozenset({"id", "self", "source", "type", "time", "creationTime", "lastUpdated", "c8y_IsBinary"})


def _time(value: Any, name: str) -> str:
    try:
        return format_time(parse_time(str(value)))
    except ValueError:
        raise C8yHTTPError(422, "event/validationError", f"{name} is not a date: {value!r}") from None


def create_event(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store an event (also for the device simulation); 422 on a bad body."""
    source = body.get("source")
    if not isinstance(source, dict) or not source.get("id"):
        raise C8yHTTPError(422, "event/validationError", "source.id is required")
    for name in ("type", "text", "time"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise C8yHTTPError(422, "event/validationError", f"{name} is required")
    device = state.store.get("managedObjects", str(source["id"]))
    if device is None:
        raise C8yHTTPError(422, "event/validationError", f"source {source['id']} does not exist")
    now = state.store.now()
    doc = {k: v for k, v in body.items() if k not in READ_ONLY and v is not None}
    doc.update(
        source={"id": device["id"], **({"name": device["name"]} if "name" in device else {})},
        type=body["type"],
        time=_time(body["time"], "time"),
        creationTime=now,
        lastUpdated=now,
    )
    return state.store.insert("events", doc)


def render_event(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    rendered = {k: v for k, v in doc.items() if not k.startswith("_")}
    rendered["self"] = f"{base}/event/events/{doc['id']}"
    rendered["source"] = {**doc["source"], "self": mo_url(base, doc["source"]["id"])}
    return rendered


def _range(request: Request, low: str, high: str) -> tuple[str | None, str | None]:
    q = request.query_params
    return (_time(q[low], low) if q.get(low) else None, _time(q[high], high) if q.get(high) else None)


def select_events(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    q = request.query_params
    date_from, date_to = _range(request, "dateFrom", "dateTo")
    created_from, created_to = _range(request, "createdFrom", "createdTo")
    result = []
    for doc in state.store.scan("events"):  # read-only: filtered, sorted and rendered only
        if q.get("source") and doc["source"]["id"] != q["source"]:
            continue
        if (q.get("type") and doc.get("type") != q["type"]) or (
            q.get("fragmentType") and q["fragmentType"] not in doc
        ):
            continue
        # Stored times are all UTC with milliseconds, so string order is time order.
        if (date_from and doc["time"] < date_from) or (date_to and doc["time"] >= date_to):
            continue
        if (created_from and doc["creationTime"] < created_from) or (
            created_to and doc["creationTime"] >= created_to
        ):
            continue
        result.append(doc)
    result.sort(key=lambda d: (d["time"], int(d["id"]) if d["id"].isdigit() else 0), reverse=True)
    if flag(request, "revert"):
        result.reverse()
    return result


def get_event(state: SandboxState, event_id: str) -> dict[str, Any]:
    doc = state.store.get("events", event_id)
    if doc is None:
        raise C8yHTTPError(404, "event/notFound", f"Finding event with id {event_id} failed")
    return doc


def update_event(state: SandboxState, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Apply a PUT body: `text` and custom fragments only (None removes one); source, type, time stay."""
    for key, value in body.items():
        if key in READ_ONLY:
            continue
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    doc["lastUpdated"] = state.store.now()
    state.store.put("events", doc["id"], doc)
    return doc
