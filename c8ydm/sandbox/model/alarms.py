"""Alarms (spec tag "Alarms"): creation with de-duplication, selection, rendering, updates.

- Create: `source.id` (an existing managed object), `type`, `text`, `severity` (CRITICAL, MAJOR, MINOR,
  WARNING) and `time` are required (422 otherwise); `status` defaults to ACTIVE. De-duplication (spec):
  while an ACTIVE or ACKNOWLEDGED alarm of the same source and type exists, no new alarm is created:
  its `count` goes up, its `time` moves to the new occurrence and `firstOccurrenceTime` keeps the
  first; CLEARED alarms are not de-duplicated.
- List: newest first (by `time`, then id); `source`, `type`, `status` and `severity` (several values
  comma-separated), `resolved` (true: CLEARED only, false: ACTIVE or ACKNOWLEDGED; wins over
  `status`), `dateFrom`/`dateTo` on `time`, `createdFrom`/`createdTo` on `creationTime`,
  `lastUpdatedFrom`/`lastUpdatedTo`; `withSourceAssets`/`withSourceDevices` (and
  `withSourceChildren`) also take the source's child assets/devices and need a `source` (422).
- Update: `text`, `status`, `severity` and custom fragments; a body with a property that cannot be
  changed (`source`, `type`, `time`…) is rejected (spec: "A request will be rejected when
  non-modifiable properties are provided").
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

MEDIA = vendor("alarm")
READ_ROLE, ADMIN_ROLE = "ROLE_ALARM_READ", "ROLE_ALARM_ADMIN"
SEVERITIES = ("CRITICAL", "MAJOR", "MINOR", "WARNING")
STATUSES = ("ACTIVE", "ACKNOWLEDGED", "CLEARED")
OPEN_STATUSES = ("ACTIVE", "ACKNOWLEDGED")
SERVER_FIELDS = frozenset({"id", "self", "count", "creationTime", "lastUpdated", "firstOccurrenceTime"})
FIXED_FIELDS = frozenset({"source", "type", "time"})


def _invalid(message: str) -> C8yHTTPError:
    return C8yHTTPError(422, "alarm/validationError", message)


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _invalid(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def create_alarm(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    """Store a new alarm, or count one more occurrence of an open one (de-duplication); 422 if bad."""
    device = checked_source(state, body, _invalid)
    severity = _check_choice(body.get("severity"), "severity", SEVERITIES)
    status = _check_choice(body.get("status", "ACTIVE"), "status", STATUSES)
    now, moment = state.store.now(), stored_time(body["time"], "time", _invalid)
    if status in OPEN_STATUSES:
        for existing in state.store.find("alarms", type=body["type"]):
            if existing["source"]["id"] == device["id"] and existing.get("status") in OPEN_STATUSES:
                existing.setdefault("firstOccurrenceTime", existing["time"])
                existing.update(count=int(existing.get("count", 1)) + 1, time=moment, lastUpdated=now)
                state.store.put("alarms", existing["id"], existing)
                return existing
    doc = {k: v for k, v in body.items() if k not in SERVER_FIELDS and v is not None}
    doc.update(
        source=source_ref(device),
        severity=severity,
        status=status,
        time=moment,
        count=1,
        creationTime=now,
        lastUpdated=now,
    )
    return state.store.insert("alarms", doc)


def render_alarm(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    return render_sourced(base, doc, "/alarm/alarms")


def _values(request: Request, name: str) -> set[str]:
    raw = request.query_params.get(name) or ""
    return {value.strip() for value in raw.split(",") if value.strip()}


def _sources(state: SandboxState, request: Request) -> set[str] | None:
    """The source and, when asked for, its child assets and devices (all levels)."""
    q = request.query_params
    every = flag(request, "withSourceChildren")
    asked = (("withSourceAssets", "childAssets"), ("withSourceDevices", "childDevices"))
    kinds = [kind for param, kind in asked if every or flag(request, param)]
    if kinds and not q.get("source"):
        raise _invalid("withSourceAssets, withSourceDevices and withSourceChildren need a source")
    if not q.get("source"):
        return None
    found, todo = {q["source"]}, [q["source"]]
    while todo:
        current = todo.pop()
        for kind in kinds:
            for child in state.store.children(current, kind):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _in(value: str, bounds: tuple[str | None, str | None]) -> bool:
    # Stored times are all UTC with milliseconds, so string order is time order.
    low, high = bounds
    return (low is None or value >= low) and (high is None or value < high)


def select_alarms(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    """The alarms matching the request's filters, newest first."""
    sources = _sources(state, request)
    types, severities = _values(request, "type"), _values(request, "severity")
    statuses = _values(request, "status")
    resolved = request.query_params.get("resolved")
    if resolved is not None:
        statuses = {"CLEARED"} if resolved.lower() == "true" else set(OPEN_STATUSES)
    ranges = (
        ("time", time_range(request, "dateFrom", "dateTo", _invalid)),
        ("creationTime", time_range(request, "createdFrom", "createdTo", _invalid)),
        ("lastUpdated", time_range(request, "lastUpdatedFrom", "lastUpdatedTo", _invalid)),
    )
    result = []
    for doc in state.store.scan("alarms"):  # read-only: filtered, sorted and rendered only
        if sources is not None and doc["source"]["id"] not in sources:
            continue
        if (types and doc["type"] not in types) or (severities and doc["severity"] not in severities):
            continue
        if statuses and doc["status"] not in statuses:
            continue
        if all(_in(doc[key], bounds) for key, bounds in ranges):
            result.append(doc)
    return sort_newest_first(result)


def get_alarm(state: SandboxState, alarm_id: str) -> dict[str, Any]:
    doc = state.store.get("alarms", alarm_id)
    if doc is None:
        raise C8yHTTPError(404, "alarm/notFound", f"Finding alarm with id {alarm_id} failed")
    return doc


def update_alarm(state: SandboxState, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Apply a PUT body: text, status, severity and custom fragments (None removes a fragment)."""
    fixed = sorted(FIXED_FIELDS & set(body))
    if fixed:
        raise _invalid(f"{', '.join(fixed)} cannot be changed")
    if "status" in body:
        _check_choice(body["status"], "status", STATUSES)
    if "severity" in body:
        _check_choice(body["severity"], "severity", SEVERITIES)
    return apply_update(state, "alarms", doc, body, SERVER_FIELDS)
