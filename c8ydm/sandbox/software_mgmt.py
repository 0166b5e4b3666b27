"""Advanced software management, read side (contract §7.2 source 1).

    GET /service/advanced-software-mgmt/software?deviceId=&name=&version=&type=&pageSize=&currentPage=
        -> {"softwareList": [{"name", "version", "url", "softwareType"}], "statistics", "self", ...}
    GET /application/applicationsByUser/{userName}
        -> the applications of a user; `advanced-software-mgmt` is among them, which is how the UI
           decides that the service is available (contract §7.2)

A device "uses" the service when the collection "softwareList" holds a document with the device's
id (`{"deviceId", "softwareList": [...]}`); the seed gives some devices one and the simulated agents
keep it current (device_agent.py). Devices write the service themselves; c8ydm only reads it, so
the sandbox offers no write endpoints. `name` accepts `*` wildcards (case-insensitive, like the
inventory query language, contract §1.6.2); without a wildcard it is an exact match.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox.auth import require
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, vendor

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

COLLECTION = "softwareList"
SERVICE_NAME = "advanced-software-mgmt"
# The applications a device-management user of a real tenant is subscribed to.
_APPLICATIONS = (
    ("1", "administration", "HOSTED"),
    ("2", "cockpit", "HOSTED"),
    ("3", "devicemanagement", "HOSTED"),
    ("10", SERVICE_NAME, "MICROSERVICE"),
)


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


def routes(state: SandboxState) -> list[Route]:
    async def software(request: Request) -> Response:
        require(request, role="ROLE_INVENTORY_READ")
        q = request.query_params
        docs = (
            [state.store.get(COLLECTION, q["deviceId"]) or {}]
            if q.get("deviceId")
            else list(state.store.iter(COLLECTION))
        )
        items = [
            dict(item)
            for doc in docs
            for item in doc.get("softwareList", [])
            if _matches(q.get("name"), item.get("name"))
            and _matches(q.get("version"), item.get("version"))
            and (not q.get("type") or item.get("softwareType") == q["type"])
        ]
        return paged_response(
            request,
            items,
            "softwareList",
            self_path="/service/advanced-software-mgmt/software",
            media="application/json",
        )

    async def applications_by_user(request: Request) -> Response:
        require(request)
        base = base_url(request)
        apps = [
            {
                "id": app_id,
                "name": name,
                "key": f"{name}-key",
                "contextPath": name,
                "type": kind,
                "availability": "MARKET",
                "self": f"{base}/application/applications/{app_id}",
            }
            for app_id, name, kind in _APPLICATIONS
        ]
        return paged_response(
            request,
            apps,
            "applications",
            self_path=f"/application/applicationsByUser/{request.path_params['user']}",
            media=vendor("applicationcollection"),
        )

    return [
        Route("/service/advanced-software-mgmt/software", software, methods=["GET"]),
        Route("/application/applicationsByUser/{user}", applications_by_user, methods=["GET"]),
    ]
