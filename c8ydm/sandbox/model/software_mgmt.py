"""Advanced software management, read side (contract §7.2 source 1); endpoints/software_mgmt.py
serves it.

A device "uses" the service when the collection "softwareList" holds a document with the device's
id (`{"deviceId", "softwareList": [...]}`); the seed gives some devices one and the simulated agents
keep it current (devices/agent.py). Devices write the service themselves; c8ydm only reads it, so
the sandbox offers no write endpoints. `name` accepts `*` wildcards (case-insensitive, like the
inventory query language, contract §1.6.2); without a wildcard it is an exact match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

COLLECTION = "softwareList"
SERVICE_NAME = "advanced-software-mgmt"


def uses_service(state: SandboxState, device_id: str) -> bool:
    return state.store.get(COLLECTION, device_id) is not None


def installed(state: SandboxState, device: dict[str, Any]) -> list[dict[str, Any]]:
    """The device's software: the service's list if it uses it, else `c8y_SoftwareList`."""
    doc = state.store.get(COLLECTION, str(device["id"]))
    items = doc.get("softwareList") if doc is not None else device.get("c8y_SoftwareList")
    return [dict(item) for item in items or [] if isinstance(item, dict)]


def replace(state: SandboxState, device: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """What an agent does after a change: replace its list in the service (if it uses it)."""
    device_id = str(device["id"])
    if uses_service(state, device_id):
        state.store.put(COLLECTION, device_id, {"deviceId": device_id, "softwareList": items})


def _matches(pattern: str | None, value: Any) -> bool:
    if not pattern:
        return True
    if "*" not in pattern:
        return str(value) == pattern
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, str(value), flags=re.IGNORECASE | re.DOTALL) is not None


def software_items(state: SandboxState, q: Mapping[str, str]) -> list[dict[str, Any]]:
    """The service's items matching deviceId, name, version (with `*` wildcards) and type."""
    docs = (
        [state.store.get(COLLECTION, q["deviceId"]) or {}]
        if q.get("deviceId")
        else list(state.store.iter(COLLECTION))
    )
    return [
        dict(item)
        for doc in docs
        for item in doc.get("softwareList", [])
        if _matches(q.get("name"), item.get("name"))
        and _matches(q.get("version"), item.get("version"))
        and (not q.get("type") or item.get("softwareType") == q["type"])
    ]
