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
from c8ydm.sandbox.model.sourced import (
    apply_update,
    checked_source,
    render_sourced,
    sort_newest_first,
    source_ref,
    stored_time,
    time_range,
)

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

MEDIA = vendor("event")
READ_ONLY = frozenset({"id", "self", "source", "type", "time", "creationTime", "lastUpdated", "c8y_IsBinary"})


def _invalid(message: str) -> C8yHTTPError:
    return C8yHTTPError(422, "event/validationError", message)


def create_event(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store an event (also for the device simulation); 422 on a bad body."""
    device = checked_source(state, body, _invalid)
    now = state.store.now()
    doc = {k: v for k, v in body.items() if k not in READ_ONLY and v is not None}
    doc.update(
        source=source_ref(device),
        type=body["type"],
        time=stored_time(body["time"], "time", _invalid),
        creationTime=now,
        lastUpdated=now,
    )
    return state.store.insert("events", doc)


def render_event(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    return render_sourced(base, doc, "/event/events")


def select_events(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    q = request.query_params
    date_from, date_to = time_range(request, "dateFrom", "dateTo", _invalid)
    created_from, created_to = time_range(request, "createdFrom", "createdTo", _invalid)
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
    sort_newest_first(result)
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
    return apply_update(state, "events", doc, body, READ_ONLY)
