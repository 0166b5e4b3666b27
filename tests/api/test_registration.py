"""New device requests and bulk CSV registration (contract §12.6, §12.7)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx
from support.repo_mock import multipart

from c8ydm.api.client import Client
from c8ydm.api.errors import ServerError

PATH = "/devicecontrol/newDeviceRequests"
BULK = "/devicecontrol/bulkNewDeviceRequests"
CSV = b'"ID";"CREDENTIALS"\nSN-1;canary-S3cr3t-pw\n'
FAILED_ROW = {"bulkNewDeviceStatus": "FAILED", "deviceId": "SN-1", "failureReason": "x", "line": "2"}
ANSWER = {
    "numberOfAll": 1, "numberOfCreated": 0, "numberOfFailed": 1, "numberOfSuccessful": 0,
    "credentialUpdatedList": [], "failedCreationList": [FAILED_ROW],
}  # fmt: skip


def test_list_get_and_delete_requests(client: Client, router: respx.MockRouter) -> None:
    listed = router.get(PATH).respond(
        200, json={"newDeviceRequests": [{"id": "SN-1", "status": "PENDING_ACCEPTANCE"}], "statistics": {}}
    )
    one = router.get(f"{PATH}/SN-1").respond(200, json={"id": "SN-1", "status": "ACCEPTED"})
    gone = router.delete(f"{PATH}/SN-1").respond(204)

    assert [r.status for r in client.registration.list()] == ["PENDING_ACCEPTANCE"]
    assert client.registration.get("SN-1").status == "ACCEPTED"
    client.registration.delete("SN-1")
    assert listed.calls.last.request.url.params["withTotalPages"] == "true" and one.called and gone.called


def test_create_sends_only_the_given_fields(client: Client, router: respx.MockRouter) -> None:
    route = router.post(PATH).respond(201, json={"id": "SN-1", "status": "WAITING_FOR_CONNECTION"})

    client.registration.create("SN-1")
    client.registration.create("SN-2", group_id="42", type="c8y_Linux")

    bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [{"id": "SN-1"}, {"id": "SN-2", "groupId": "42", "type": "c8y_Linux"}]


def test_accept_puts_the_accepted_status(client: Client, router: respx.MockRouter) -> None:
    route = router.put(f"{PATH}/SN-1").respond(200, json={"id": "SN-1", "status": "ACCEPTED"})

    assert client.registration.accept("SN-1").status == "ACCEPTED"
    assert json.loads(route.calls.last.request.content) == {"status": "ACCEPTED"}


def test_accept_all_and_limit_read_their_answers(client: Client, router: respx.MockRouter) -> None:
    router.post(f"{PATH}/acceptAll").respond(200, json=[{"id": "SN-1", "successful": True}])
    router.get(f"{PATH}/limit").respond(200, json={"isReached": False, "limit": 100, "deviceCount": 7})

    assert [(i.id, i.successful) for i in client.registration.accept_all()] == [("SN-1", True)]
    limit = client.registration.limit()
    assert (limit.is_reached, limit.limit, limit.device_count) == (False, 100, 7)


def test_upload_csv_is_one_multipart_file_part_of_text_csv(client: Client, router: respx.MockRouter) -> None:
    route = router.post(BULK).respond(201, json=ANSWER)

    result = client.registration.upload_csv(CSV, filename="devices.csv", rows=1)

    assert result.failed[0].line == "2" and result.number_of_failed == 1
    request = route.calls.last.request
    assert multipart(request) == {
        "file": {"filename": "devices.csv", "content_type": "text/csv", "data": CSV}
    }
    assert request.headers["Accept"] == "application/json"


def test_upload_csv_is_never_retried(client: Client, router: respx.MockRouter, sleeps: list[float]) -> None:
    route = router.post(BULK).respond(503)

    with pytest.raises(ServerError):
        client.registration.upload_csv(CSV, filename="devices.csv", rows=1)

    assert route.call_count == 1 and sleeps == []


def test_dry_run_describes_the_csv_without_its_content(router: respx.MockRouter) -> None:
    records: list[dict[str, Any]] = []
    with Client(
        "https://t100.example.com", None, tenant="t100", dry_run=True, on_dry_run=records.append
    ) as api:
        api.registration.upload_csv(CSV, filename="devices.csv", rows=1)

    assert records[0]["body"] == {
        "file": {
            "name": "devices.csv",
            "size": len(CSV),
            "sha256": records[0]["body"]["file"]["sha256"],
            "rows": 1,
        }
    }
    assert "canary" not in json.dumps(records) and not router.calls


def test_set_password_dry_run_records_no_password(router: respx.MockRouter) -> None:
    records: list[dict[str, Any]] = []
    with Client(
        "https://t100.example.com", None, tenant="t100", dry_run=True, on_dry_run=records.append
    ) as api:
        api.users.set_password("device_a", "canary-S3cr3t-pw")

    assert records[0]["body"] == {"password": "***"} and not router.calls


def test_set_password_sends_the_password(client: Client, router: respx.MockRouter) -> None:
    route = router.put("/user/t100/users/device_a").respond(200, json={"id": "device_a"})

    client.users.set_password("device_a", "N3w-passw0rd")

    assert json.loads(route.calls.last.request.content) == {"password": "N3w-passw0rd"}
