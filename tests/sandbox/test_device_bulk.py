"""Bulk operations: validation, the creation ramp, progress and statuses, retry, cancel (contract §11)."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from device_support import device, wait_for

from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store, parse_time
from c8ydm.sandbox.devices import seed
from c8ydm.sandbox.model import bulk, bulk_targets
from c8ydm.sandbox.state import SandboxState

BULK_TYPE = "application/vnd.com.nsn.cumulocity.bulkoperation+json"


def _group(api: httpx.Client, *names: str) -> str:
    group = api.post(
        "/inventory/managedObjects",
        json={"name": f"bulk-{uuid.uuid4().hex[:8]}", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}},
    ).json()
    for name in names:
        response = api.post(
            f"/inventory/managedObjects/{group['id']}/childAssets",
            json={"managedObject": {"id": device(api, name)["id"]}},
        )
        assert response.status_code == 201
    return str(group["id"])


def _start(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {
        "creationRamp": 0.05,
        "startDate": datetime.now(timezone.utc).isoformat(),
        "operationPrototype": {
            "description": "Restart device",
            "c8y_Restart": {},
            "c8ydm_Origin": {"tool": "c8ydm", "runId": "bulk-test"},
        },
        **fields,
    }
    response = api.post("/devicecontrol/bulkoperations", json=body)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith(BULK_TYPE)
    return response.json()  # type: ignore[no-any-return]


def _finished(api: httpx.Client, bulk_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        doc = api.get(f"/devicecontrol/bulkoperations/{bulk_id}").json()
        return doc if doc["generalStatus"] in ("SUCCESSFUL", "FAILED") else None

    return wait_for(probe, what=f"bulk operation {bulk_id}")


def _children(api: httpx.Client, bulk_id: str) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"bulkOperationId": bulk_id, "pageSize": 2000, "withTotalPages": "true"}
    return api.get("/devicecontrol/operations", params=params).json()["operations"]  # type: ignore[no-any-return]


def test_create_validates_target_and_ramp(api: httpx.Client) -> None:
    group_id = _group(api, "linux-0001")
    prototype = {"operationPrototype": {"c8y_Restart": {}}, "creationRamp": 1}
    assert api.post("/devicecontrol/bulkoperations", json=prototype).status_code == 422
    both = {**prototype, "groupId": group_id, "failedParentId": "1"}
    assert api.post("/devicecontrol/bulkoperations", json=both).status_code == 422
    for ramp in (0.0001, 3601, "fast"):
        response = api.post(
            "/devicecontrol/bulkoperations", json={**prototype, "groupId": group_id, "creationRamp": ramp}
        )
        assert response.status_code == 422, ramp
    assert (
        api.post("/devicecontrol/bulkoperations", json={**prototype, "groupId": "999999999"}).status_code
        == 422
    )


def test_group_bulk_creates_one_child_per_device_along_the_ramp(api: httpx.Client) -> None:
    names = ("linux-0001", "gateway-0002", "linux-0003")
    created = _start(api, groupId=_group(api, *names), note="three devices")
    assert (created["status"], created["note"]) == ("ACTIVE", "three devices")
    done = _finished(api, created["id"])
    assert (done["status"], done["generalStatus"]) == ("COMPLETED", "SUCCESSFUL")
    assert done["progress"] == {"all": 3, "pending": 0, "executing": 0, "successful": 3, "failed": 0}
    children = _children(api, created["id"])
    assert sorted(c["deviceName"] for c in children) == sorted(names)
    assert all(c["bulkOperationId"] == int(created["id"]) for c in children)  # an integer (spec)
    assert all(c["c8ydm_Origin"] == {"tool": "c8ydm", "runId": "bulk-test"} for c in children)
    times = sorted(parse_time(c["creationTime"]) for c in children)
    assert all(b - a >= timedelta(seconds=0.04) for a, b in itertools.pairwise(times))


def test_dynamic_group_targets_the_devices_its_query_finds(api: httpx.Client) -> None:
    group = api.post(
        "/inventory/managedObjects",
        json={
            "name": "Bulk operations group",
            "type": "c8y_DynamicGroup",
            "c8y_IsDynamicGroup": {"invisible": {}},
            "c8y_DeviceQueryString": "$filter=(c8y_Hardware.serialNumber eq 'GW*')",
        },
    ).json()
    done = _finished(api, _start(api, groupId=group["id"], creationRamp=0.001)["id"])
    assert sorted(c["deviceName"] for c in _children(api, done["id"])) == ["gateway-0002", "gateway-0004"]


def test_failed_parent_retries_exactly_the_failed_devices(api: httpx.Client) -> None:
    prototype = {
        "description": "Update firmware",
        "c8y_Firmware": {"name": "fw", "version": "1.0", "url": ""},
    }
    parent = _finished(
        api,
        _start(
            api,
            groupId=_group(api, "linux-0001", "linux-0003"),
            operationPrototype=prototype,
            creationRamp=0.001,
        )["id"],
    )
    assert parent["generalStatus"] == "FAILED"  # linux-0003 has no firmware support
    assert parent["progress"] == {"all": 2, "pending": 0, "executing": 0, "successful": 1, "failed": 1}
    retry = _start(api, failedParentId=parent["id"], operationPrototype=prototype, creationRamp=0.001)
    assert "groupId" not in retry and retry["failedParentId"] == parent["id"]
    _finished(api, retry["id"])
    assert [c["deviceName"] for c in _children(api, retry["id"])] == ["linux-0003"]


def test_cancel_before_the_start_keeps_the_record_and_creates_nothing(api: httpx.Client) -> None:
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    created = _start(api, groupId=_group(api, "linux-0001"), startDate=later)
    assert (created["generalStatus"], created["progress"]["all"]) == ("SCHEDULED", 0)
    changed = api.put(f"/devicecontrol/bulkoperations/{created['id']}", json={**created, "creationRamp": 2.5})
    assert changed.status_code == 200
    assert (changed.json()["creationRamp"], changed.json()["generalStatus"]) == (2.5, "SCHEDULED")
    assert api.delete(f"/devicecontrol/bulkoperations/{created['id']}").status_code == 204
    cancelled = api.get(f"/devicecontrol/bulkoperations/{created['id']}").json()
    assert (cancelled["status"], cancelled["generalStatus"]) == ("DELETED", "CANCELED")
    listed = api.get("/devicecontrol/bulkoperations", params={"pageSize": 2000}).json()["bulkOperations"]
    assert created["id"] not in [b["id"] for b in listed]
    params: dict[str, Any] = {
        "pageSize": 2000,
        "withDeleted": "true",
        "generalStatus": ["CANCELED", "SCHEDULED"],
    }
    listed = api.get("/devicecontrol/bulkoperations", params=params).json()["bulkOperations"]
    assert created["id"] in [b["id"] for b in listed]
    assert {b["generalStatus"] for b in listed} <= {"CANCELED", "SCHEDULED"}
    assert _children(api, created["id"]) == []


def test_set_to_successful_overrides_the_general_status(api: httpx.Client) -> None:
    parent = _finished(
        api,
        _start(
            api,
            groupId=_group(api, "linux-0003"),
            creationRamp=0.001,
            operationPrototype={"c8y_Firmware": {"name": "f", "version": "1", "url": ""}},
        )["id"],
    )
    assert parent["generalStatus"] == "FAILED"
    response = api.put(f"/devicecontrol/bulkoperations/{parent['id']}", json={"generalStatus": "SUCCESSFUL"})
    assert response.json()["generalStatus"] == "SUCCESSFUL"
    assert api.put("/devicecontrol/bulkoperations/999999999", json={"note": "x"}).status_code == 404


def test_with_total_pages_counts_bulk_operations(api: httpx.Client) -> None:
    page = api.get("/devicecontrol/bulkoperations", params={"pageSize": 1, "withTotalPages": "true"}).json()
    assert page["statistics"]["totalPages"] >= 1


def test_general_status_follows_progress() -> None:
    def doc(status: str, **progress: int) -> dict[str, Any]:
        return {
            "status": status,
            "progress": {"all": 2, "pending": 0, "executing": 0, "successful": 0, "failed": 0, **progress},
        }

    assert bulk.general_status(doc("ACTIVE")) == "SCHEDULED"
    assert bulk.general_status(doc("IN_PROGRESS", pending=1)) == "EXECUTING"
    assert bulk.general_status(doc("COMPLETED", executing=1, failed=1)) == "EXECUTING_WITH_ERRORS"
    assert bulk.general_status(doc("COMPLETED", successful=2)) == "SUCCESSFUL"
    assert bulk.general_status(doc("COMPLETED", successful=1, failed=1)) == "FAILED"
    assert bulk.general_status(doc("DELETED")) == "CANCELED"
    assert bulk.normalize_general_status("executing with error") == "EXECUTING_WITH_ERRORS"


def test_empty_device_query_means_all_devices(tmp_path: Path) -> None:
    state = SandboxState(options=SandboxOptions(data_dir=tmp_path, devices=4), store=Store(":memory:"))
    seed.ensure_seeded(state)
    devices = [d["id"] for d in state.store.iter("managedObjects") if "c8y_IsDevice" in d]
    assert bulk_targets.query_devices(state, "") == devices
    assert bulk_targets.query_devices(state, "$filter=(type eq 'c8y_Gateway')") == devices[1::2]
    assert bulk_targets.query_devices(state, "$filter=(broken") == []
