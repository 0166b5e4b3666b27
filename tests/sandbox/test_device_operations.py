"""Operations API of the sandbox: create, read, filter, update, delete (contract §10, §1.9)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
from device_support import device, final_operation
from support.sandbox import TEST_OP_DELAY_SECONDS, SandboxInstance

OP_TYPE = "application/vnd.com.nsn.cumulocity.operation+json"


def _create(api: httpx.Client, device_id: str, **fragments: Any) -> dict[str, Any]:
    response = api.post("/devicecontrol/operations", json={"deviceId": device_id, **fragments})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_returns_pending_operation_with_custom_fragments(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    target = device(api, "linux-0001")
    origin = {"tool": "c8ydm", "version": "0.1.0", "runId": uuid.uuid4().hex}
    response = api.post(
        "/devicecontrol/operations",
        json={
            "deviceId": target["id"],
            "description": "Restart",
            "c8y_Restart": {},
            "c8ydm_Origin": origin,
            "status": "SUCCESSFUL",
            "id": "1",
        },
    )
    assert response.status_code == 201
    assert response.headers["content-type"].startswith(OP_TYPE)
    op = response.json()
    assert op["status"] == "PENDING" and op["id"] != "1"  # server-owned fields are not taken from the body
    assert op["c8ydm_Origin"] == origin and op["c8y_Restart"] == {}
    assert op["creationTime"].endswith("Z")
    assert op["self"] == response.headers["location"] == f"{sandbox.url}/devicecontrol/operations/{op['id']}"
    assert "deviceName" not in op  # only in collections (spec)
    assert final_operation(api, op["id"])["status"] == "SUCCESSFUL"


def test_create_needs_a_known_device(api: httpx.Client) -> None:
    assert api.post("/devicecontrol/operations", json={"c8y_Restart": {}}).status_code == 422
    missing = api.post("/devicecontrol/operations", json={"deviceId": "999999999", "c8y_Restart": {}})
    assert missing.status_code == 422
    assert missing.json()["error"] == "devicecontrol/validationError"


def test_reader_cannot_create_operations(reader_api: httpx.Client, api: httpx.Client) -> None:
    target = device(api, "linux-0001")
    response = reader_api.post(
        "/devicecontrol/operations", json={"deviceId": target["id"], "c8y_Restart": {}}
    )
    assert response.status_code == 403


def test_list_filters_by_device_fragment_and_status_with_device_name(api: httpx.Client) -> None:
    target = device(api, "gateway-0002")
    marker = f"c8ydm_Test{uuid.uuid4().hex[:8]}"
    first = _create(api, target["id"], c8y_Restart={}, **{marker: {}})
    final_operation(api, first["id"])
    params = {"deviceId": target["id"], "fragmentType": marker, "pageSize": 100}
    listed = api.get("/devicecontrol/operations", params=params).json()["operations"]
    assert [op["id"] for op in listed] == [first["id"]]
    assert listed[0]["deviceName"] == "gateway-0002"
    assert "deviceExternalIDs" not in listed[0]
    assert (
        api.get("/devicecontrol/operations", params={**params, "status": "PENDING"}).json()["operations"]
        == []
    )
    done = api.get("/devicecontrol/operations", params={**params, "status": "SUCCESSFUL"}).json()[
        "operations"
    ]
    assert [op["id"] for op in done] == [first["id"]]
    assert api.get("/devicecontrol/operations", params={"status": "DONE"}).status_code == 422


def test_agent_id_adds_external_ids(api: httpx.Client) -> None:
    target = device(api, "linux-0003")
    op = _create(api, target["id"], c8y_Restart={})
    listed = api.get("/devicecontrol/operations", params={"agentId": target["id"], "pageSize": 2000}).json()
    mine = next(o for o in listed["operations"] if o["id"] == op["id"])
    ids = mine["deviceExternalIDs"]["externalIds"]
    assert [(x["type"], x["externalId"]) for x in ids] == [("c8y_Serial", "LNX000003")]


def test_oldest_first_and_revert_only_with_a_date(api: httpx.Client) -> None:
    target = device(api, "linux-0005")
    marker = f"c8ydm_Order{uuid.uuid4().hex[:8]}"
    ids = [_create(api, target["id"], c8y_Restart={}, **{marker: {"n": n}})["id"] for n in range(3)]
    base = {"deviceId": target["id"], "fragmentType": marker}
    assert [o["id"] for o in api.get("/devicecontrol/operations", params=base).json()["operations"]] == ids
    no_date = api.get("/devicecontrol/operations", params={**base, "revert": "true"}).json()["operations"]
    assert [o["id"] for o in no_date] == ids  # revert alone is ignored (contract §10)
    dated = {
        **base,
        "revert": "true",
        "dateFrom": "1970-01-01T00:00:00.000Z",
        "dateTo": "2999-01-01T00:00:00Z",
    }
    newest = api.get("/devicecontrol/operations", params={**dated, "pageSize": 1}).json()["operations"]
    assert [o["id"] for o in newest] == [ids[-1]]


def test_date_from_is_inclusive_and_date_to_exclusive(api: httpx.Client) -> None:
    target = device(api, "linux-0005")
    marker = f"c8ydm_Date{uuid.uuid4().hex[:8]}"
    op = _create(api, target["id"], c8y_Restart={}, **{marker: {}})
    at = op["creationTime"]
    base = {"deviceId": target["id"], "fragmentType": marker}
    assert (
        len(api.get("/devicecontrol/operations", params={**base, "dateFrom": at}).json()["operations"]) == 1
    )
    assert api.get("/devicecontrol/operations", params={**base, "dateTo": at}).json()["operations"] == []
    assert api.get("/devicecontrol/operations", params={**base, "dateFrom": "yesterday"}).status_code == 422


def test_put_changes_only_status_and_failure_reason(api: httpx.Client) -> None:
    silent_marker = f"c8ydm_Cancel{uuid.uuid4().hex[:8]}"
    target = device(api, "linux-0001")
    op = _create(api, target["id"], c8y_Restart={}, **{silent_marker: {}})
    response = api.put(
        f"/devicecontrol/operations/{op['id']}",
        json={
            "status": "FAILED",
            "failureReason": "User cancelled operation",
            "deviceId": "1",
            "c8y_Restart": None,
        },
    )
    assert response.status_code == 200
    updated = response.json()
    assert (updated["status"], updated["failureReason"]) == ("FAILED", "User cancelled operation")
    assert updated["deviceId"] == target["id"] and updated["c8y_Restart"] == {}
    time.sleep(3 * TEST_OP_DELAY_SECONDS)  # the device's turn has passed: a cancellation is not overridden
    assert api.get(f"/devicecontrol/operations/{op['id']}").json()["status"] == "FAILED"
    assert api.put(f"/devicecontrol/operations/{op['id']}", json={"status": "DONE"}).status_code == 422
    assert api.put("/devicecontrol/operations/999999999", json={"status": "FAILED"}).status_code == 404


def test_delete_collection_by_filters(api: httpx.Client) -> None:
    target = device(api, "gateway-0004")
    ops = [_create(api, target["id"], c8y_Restart={}) for _ in range(2)]
    for op in ops:
        final_operation(api, op["id"])
    start = ops[0]["creationTime"]
    response = api.delete("/devicecontrol/operations", params={"deviceId": target["id"], "dateFrom": start})
    assert response.status_code == 204
    for op in ops:
        assert api.get(f"/devicecontrol/operations/{op['id']}").status_code == 404
