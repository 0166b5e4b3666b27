"""The HTTP side of ``rollout_fakes.FakeTenant``: just the requests the rollout procedures send."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import httpx

from c8ydm.api.conventions import format_timestamp, parse_timestamp

if TYPE_CHECKING:
    from rollout_fakes import FakeTenant

MO = "/inventory/managedObjects"
BULK = "/devicecontrol/bulkoperations"
OPS = "/devicecontrol/operations"


def _page(key: str, items: list[dict[str, Any]], params: dict[str, str]) -> httpx.Response:
    size, page = int(params.get("pageSize", 5)), int(params.get("currentPage", 1))
    chunk = items[(page - 1) * size : page * size]
    statistics = {"currentPage": page, "pageSize": size, "totalPages": max(1, -(-len(items) // size))}
    return httpx.Response(200, json={key: chunk, "statistics": statistics})


def _not_found(what: str) -> httpx.Response:
    return httpx.Response(404, json={"error": f"{what}/notFound", "message": "not found", "info": "x"})


def _matches(mo: dict[str, Any], query: str, tenant: FakeTenant) -> bool:
    if "has(c8ydm_RolloutWave)" in query:
        marker = mo.get("c8ydm_RolloutWave") or {}
        found = dict(re.findall(r"c8ydm_RolloutWave\.(\w+) eq '?([^')]+)'?", query))
        return bool(marker) and all(str(marker.get(key)) == value for key, value in found.items())
    if "type eq 'c8ydm_Rollout'" in query:
        name = re.search(r"name eq '((?:[^']|'')*)'", query)
        return mo.get("type") == "c8ydm_Rollout" and (
            name is None or mo["name"] == name.group(1).replace("''", "'")
        )
    group = re.search(r"bygroupid\((\d+)\)", query)
    if group:
        return mo["id"] in tenant.children.get(group.group(1), []) and "c8y_IsDevice" in mo
    raise AssertionError(f"unexpected query {query!r}")


def _inventory(
    tenant: FakeTenant, method: str, path: str, params: dict[str, str], body: Any
) -> httpx.Response:
    now = format_timestamp(tenant.clock.now())
    if path == MO and method == "GET":
        if "q" in params:
            found = [mo for mo in tenant.mos.values() if "c8y_IsDevice" in mo]
        else:
            found = [mo for mo in tenant.mos.values() if _matches(mo, params["query"], tenant)]
        if "creationTime.date desc" in params.get("query", ""):
            found.sort(key=lambda mo: (mo.get("creationTime", ""), int(mo["id"])), reverse=True)
        return _page("managedObjects", found, params)
    if path == MO and method == "POST":
        mo = {**body, "id": tenant._id(), "creationTime": now, "lastUpdated": now}
        tenant.mos[mo["id"]] = mo
        return httpx.Response(201, json=mo)
    found = re.fullmatch(rf"{MO}/(\d+)(/childAssets)?", path)
    if found is None or found.group(1) not in tenant.mos:
        return _not_found("inventory")
    mo_id, mo = found.group(1), tenant.mos[found.group(1)]
    if found.group(2) and method == "POST":
        tenant.children.setdefault(mo_id, []).extend(ref["managedObject"]["id"] for ref in body["references"])
        return httpx.Response(201, json=body)
    if found.group(2):
        refs = [{"managedObject": tenant.mos[child]} for child in tenant.children.get(mo_id, [])]
        return _page("references", refs, params)
    if method == "PUT":
        for key, value in body.items():
            if value is None:
                mo.pop(key, None)
            elif key != "id":
                mo[key] = value
        mo["lastUpdated"] = now
    return httpx.Response(200, json=mo)


def general_status(tenant: FakeTenant, bulk: dict[str, Any]) -> str:
    progress = tenant.bulk_progress(bulk)
    if bulk["status"] == "DELETED":
        return "CANCELED"
    if bulk["status"] == "ACTIVE":
        return "SCHEDULED"
    if bulk["status"] != "COMPLETED" or progress["pending"] + progress["executing"]:
        return "EXECUTING_WITH_ERRORS" if progress["failed"] else "EXECUTING"
    return "FAILED" if progress["failed"] else "SUCCESSFUL"


def _render_bulk(tenant: FakeTenant, bulk: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in bulk.items() if not key.startswith("_")}
    return {**shown, "progress": tenant.bulk_progress(bulk), "generalStatus": general_status(tenant, bulk)}


def _bulk(tenant: FakeTenant, method: str, path: str, params: dict[str, str], body: Any) -> httpx.Response:
    if path == BULK and method == "GET":
        since = params.get("dateFrom")
        found = [b for b in tenant.bulks.values() if since is None or b["creationTime"] >= since]
        return _page("bulkOperations", [_render_bulk(tenant, b) for b in found], params)
    if path == BULK:
        created = format_timestamp(tenant.clock.now())
        bulk = {**body, "id": tenant._id(), "status": "ACTIVE", "creationTime": created,
                "progress": {"all": 0}, "_created": 0}  # fmt: skip
        tenant.bulks[bulk["id"]] = bulk
        return httpx.Response(201, json=_render_bulk(tenant, bulk))
    bulk = tenant.bulks.get(path.rsplit("/", 1)[1])
    if bulk is None:
        return _not_found("bulkoperation")
    if method == "DELETE":
        bulk["status"] = "DELETED"
        return httpx.Response(204)
    return httpx.Response(200, json=_render_bulk(tenant, bulk))


def _operations(
    tenant: FakeTenant, method: str, path: str, params: dict[str, str], body: Any
) -> httpx.Response:
    if path == OPS:
        keys = [key for key in ("bulkOperationId", "status", "deviceId") if key in params]
        found = [op for op in tenant.ops.values() if all(str(op.get(key)) == params[key] for key in keys)]
        return _page("operations", found, params)
    op = tenant.ops[path.rsplit("/", 1)[1]]
    if method == "PUT":
        op.update(body)
    return httpx.Response(200, json=op)


def _alarms(tenant: FakeTenant, params: dict[str, str]) -> httpx.Response:
    types, statuses = params.get("type", "").split(","), params.get("status", "").split(",")
    since = parse_timestamp(params["dateFrom"]) if "dateFrom" in params else None
    found = [
        alarm for alarm in reversed(tenant.alarms)
        if alarm["type"] in types and alarm["status"] in statuses
        and (since is None or parse_timestamp(alarm["time"]) >= since)
    ]  # fmt: skip
    return _page("alarms", found, params)


def route(tenant: FakeTenant, method: str, path: str, params: dict[str, str], body: Any) -> httpx.Response:
    if path.startswith(MO):
        return _inventory(tenant, method, path, params, body)
    if path.startswith(BULK):
        return _bulk(tenant, method, path, params, body)
    if path.startswith(OPS):
        return _operations(tenant, method, path, params, body)
    if path == "/alarm/alarms":
        return _alarms(tenant, params)
    if path.startswith("/tenant/system/options/"):
        return _not_found("options")
    raise AssertionError(f"unexpected request {method} {path}")
