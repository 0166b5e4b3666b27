"""Operations and bulk operations: exact query strings and bodies (contract §10, §11)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import respx

from c8ydm.api import conventions
from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import BulkGeneralStatus, OperationStatus

OPS = "/devicecontrol/operations"
BULK = "/devicecontrol/bulkoperations"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conventions, "utc_now", lambda: NOW)


def body_of(route: respx.Route) -> object:
    return json.loads(route.calls.last.request.content)


def test_create_operation_posts_the_body(client: Client, router: respx.MockRouter) -> None:
    route = router.post(OPS).respond(201, json={"id": "1", "status": "PENDING", "deviceId": "4711"})
    body = {
        "deviceId": "4711",
        "description": 'Update firmware to: "fw" (version: 1.0)',
        "c8y_Firmware": {"name": "fw", "version": "1.0", "url": ""},
        "c8ydm_Origin": {"tool": "c8ydm", "version": "0.1.0", "runId": "r1"},
    }
    operation = client.operations.create(body)
    assert operation.status is OperationStatus.PENDING
    assert body_of(route) == body


def test_create_operation_without_device_fails_before_sending(client: Client) -> None:
    with pytest.raises(InputError):
        client.operations.create({"description": "x"})


def test_latest_uses_the_all_time_newest_first_form(client: Client, router: respx.MockRouter) -> None:
    route = router.get(OPS).respond(200, json={"operations": [{"id": "8", "status": "FAILED"}]})
    latest = client.operations.latest("4711", "c8y_Firmware")
    assert latest is not None and latest.id == "8"
    assert route.calls.last.request.url.query.decode() == (
        "deviceId=4711&fragmentType=c8y_Firmware&dateFrom=1970-01-01T00%3A00%3A00.000Z"
        "&dateTo=2024-05-02T12%3A00%3A00.000Z&revert=true&pageSize=1"
    )


def test_latest_is_none_when_there_is_no_operation(client: Client, router: respx.MockRouter) -> None:
    router.get(OPS).respond(200, json={"operations": []})
    assert client.operations.latest("4711", "c8y_SoftwareUpdate") is None


def test_list_sends_every_filter(client: Client, router: respx.MockRouter) -> None:
    route = router.get(OPS).respond(200, json={"operations": [], "statistics": {"totalPages": 0}})
    list(
        client.operations.list(
            device_id="4711", fragment_type="c8ydm_Origin", status=OperationStatus.EXECUTING,
            bulk_operation_id="12", date_from=datetime(2024, 4, 30, 23, 55, tzinfo=timezone.utc),
            newest_first=True,
        )
    )  # fmt: skip
    assert dict(route.calls.last.request.url.params) == {
        "deviceId": "4711",
        "fragmentType": "c8ydm_Origin",
        "status": "EXECUTING",
        "bulkOperationId": "12",
        "dateFrom": "2024-04-30T23:55:00.000Z",
        "dateTo": "2024-05-02T12:00:00.000Z",
        "revert": "true",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_count_operations_of_a_bulk_per_status(client: Client, router: respx.MockRouter) -> None:
    route = router.get(OPS).respond(200, json={"operations": [], "statistics": {"totalPages": 3}})
    assert client.operations.count(bulk_operation_id="12", status="FAILED") == 3
    assert dict(route.calls.last.request.url.params) == {
        "bulkOperationId": "12", "status": "FAILED", "pageSize": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_cancel_sends_failed_with_a_reason(client: Client, router: respx.MockRouter) -> None:
    route = router.put(f"{OPS}/8").respond(200, json={"id": "8", "status": "FAILED"})
    client.operations.cancel("8")
    assert body_of(route) == {"status": "FAILED", "failureReason": "User cancelled operation"}
    client.operations.cancel("8", reason="rollout stopped")
    assert body_of(route) == {"status": "FAILED", "failureReason": "rollout stopped"}


def test_get_and_set_status(client: Client, router: respx.MockRouter) -> None:
    get = router.get(f"{OPS}/8").respond(200, json={"id": "8", "status": "EXECUTING", "deviceId": "1"})
    put = router.put(f"{OPS}/8").respond(200, json={"id": "8", "status": "SUCCESSFUL"})
    assert client.operations.get("8").status is OperationStatus.EXECUTING
    assert client.operations.set_status("8", OperationStatus.SUCCESSFUL).is_terminal
    assert get.called and body_of(put) == {"status": "SUCCESSFUL"}


def test_bulk_create_get_update_delete(client: Client, router: respx.MockRouter) -> None:
    create = router.post(BULK).respond(201, json={"id": 31, "generalStatus": "SCHEDULED"})
    get = router.get(f"{BULK}/31").respond(200, json={"id": 31, "generalStatus": "EXECUTING_WITH_ERROR"})
    update = router.put(f"{BULK}/31").respond(200, json={"id": "31", "creationRamp": 2})
    delete = router.delete(f"{BULK}/31").respond(204)
    body = {
        "groupId": "5",
        "operationPrototype": {"description": "Apply device profile: p", "c8y_DeviceProfile": {}},
        "creationRamp": 1,
        "startDate": "2024-05-01T12:05:00.000Z",
        "note": "n",
    }
    assert client.bulk_operations.create(body).id == "31"
    assert body_of(create) == body
    fetched = client.bulk_operations.get("31")
    assert fetched.normalized_general_status is BulkGeneralStatus.EXECUTING_WITH_ERRORS
    client.bulk_operations.update("31", {"creationRamp": 2})
    client.bulk_operations.delete("31")
    assert get.called and body_of(update) == {"creationRamp": 2} and delete.called


def test_bulk_create_refuses_group_and_failed_parent_together(client: Client) -> None:
    with pytest.raises(InputError):
        client.bulk_operations.create({"groupId": "1", "failedParentId": "2", "operationPrototype": {}})


def test_bulk_list_sends_the_ui_filters_with_repeated_status(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.get(BULK).respond(
        200, json={"bulkOperations": [{"id": 1}], "statistics": {"totalPages": 1}}
    )
    found = list(
        client.bulk_operations.list(
            general_status=[BulkGeneralStatus.EXECUTING, "EXECUTING_WITH_ERROR"], page_size=50,
            date_from="2024-01-01T00:00:00.000Z",
        )
    )  # fmt: skip
    assert [bulk.id for bulk in found] == ["1"]
    assert route.calls.last.request.url.query.decode() == (
        "withDeleted=true&generalStatus=EXECUTING&generalStatus=EXECUTING_WITH_ERROR"
        "&dateFrom=2024-01-01T00%3A00%3A00.000Z&pageSize=50&currentPage=1&withTotalPages=true"
    )
