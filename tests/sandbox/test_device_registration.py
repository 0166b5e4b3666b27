"""Device registration: bulk CSV with each separator, single new-device requests (contract §12.6, §12.7)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from device_support import wait_for
from support.sandbox import SandboxInstance

from c8ydm.sandbox.model.registration_csv import detect_separator, parse_csv

FULL_HEADER = [
    "ID",
    "TYPE",
    "NAME",
    "ICCID",
    "IDTYPE",
    "PATH",
    "SHELL",
    "AUTH_TYPE",
    "CREDENTIALS",
    "c8y_Model.revision",
]


def _csv(separator: str, header: list[str], rows: list[list[str]]) -> bytes:
    lines = [separator.join(f'"{h}"' for h in header)] + [separator.join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _upload(api: httpx.Client, content: bytes) -> dict[str, Any]:
    response = api.post(
        "/devicecontrol/bulkNewDeviceRequests", files={"file": ("bulk-registration.csv", content, "text/csv")}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("header", "separator"),
    [
        ('"ID";"PATH"', ";"),
        ("ID\tTYPE\tNAME", "\t"),
        ("ID,NAME", ","),
        ('"a;b",c,d', ","),
        ("ID", "\t"),
    ],
)
def test_separator_is_detected_outside_quotes(header: str, separator: str) -> None:
    assert detect_separator(header) == separator


def test_quoted_headers_and_a_byte_order_mark_are_read() -> None:
    rows = parse_csv('\ufeff"ID";"NAME";"c8y_Info.site"\n"x1";"Pump; north";"Berlin"\n\n')
    assert rows == [(2, {"ID": "x1", "NAME": "Pump; north", "c8y_Info.site": "Berlin"})]


@pytest.mark.parametrize("separator", ["\t", ";", ","])
def test_full_csv_creates_devices_users_external_ids_and_groups(
    api: httpx.Client, sandbox: SandboxInstance, separator: str
) -> None:
    run = uuid.uuid4().hex[:6]
    ok, bad_password, no_credentials, no_type = (f"reg{run}{n}" for n in range(4))
    content = _csv(
        separator,
        FULL_HEADER,
        [
            [
                ok,
                "c8y_Linux",
                f"pump-{run}",
                "8949000",
                "",
                f"Plant {run}/Line 1",
                "1",
                "BASIC",
                "secret-123",
                "B2",
            ],
            [bad_password, "c8y_Linux", "x", "", "", "", "", "", "short", ""],
            [no_credentials, "c8y_Linux", "x", "", "", "", "", "", "", ""],
            [no_type, "", "", "8949001", "", "", "", "", "secret-123", ""],
        ],
    )
    result = _upload(api, content)
    assert (result["numberOfAll"], result["numberOfCreated"], result["numberOfFailed"]) == (4, 1, 3)
    assert result["numberOfSuccessful"] == 1 and result["credentialUpdatedList"] == []
    failed = {f["deviceId"]: f for f in result["failedCreationList"]}
    assert set(failed) == {bad_password, no_credentials, no_type}
    assert "6 to 32 characters" in failed[bad_password]["failureReason"]
    assert "CREDENTIALS are mandatory" in failed[no_credentials]["failureReason"]
    assert "TYPE and NAME" in failed[no_type]["failureReason"]
    assert failed[bad_password]["line"] == "3" and "short" not in str(failed)  # credentials are never echoed
    identity = api.get(f"/identity/externalIds/c8y_Serial/{ok}").json()
    created = api.get(
        f"/inventory/managedObjects/{identity['managedObject']['id']}", params={"withParents": "true"}
    )
    device = created.json()
    assert (device["name"], device["type"], device["owner"]) == (f"pump-{run}", "c8y_Linux", f"device_{ok}")
    assert device["c8y_Mobile"] == {"iccid": "8949000"} and device["c8y_Model"] == {"revision": "B2"}
    assert device["c8y_SupportedOperations"] == ["c8y_Command"]
    line = device["assetParents"]["references"][0]["managedObject"]
    assert line["name"] == "Line 1"
    login = httpx.get(f"{sandbox.url}/user/currentUser", auth=(f"{sandbox.tenant}/device_{ok}", "secret-123"))
    assert login.status_code == 200
    again = _upload(api, _csv(separator, ["ID", "CREDENTIALS"], [[ok, "renewed-456"]]))
    assert again["credentialUpdatedList"] == [{"bulkNewDeviceStatus": "CREDENTIAL_UPDATED", "deviceId": ok}]
    assert (again["numberOfSuccessful"], again["numberOfCreated"]) == (1, 0)
    renewed = httpx.get(f"{sandbox.url}/user/currentUser", auth=(f"device_{ok}", "renewed-456"))
    assert renewed.status_code == 200


def test_simple_csv_creates_requests_that_wait_for_acceptance(api: httpx.Client) -> None:
    run = uuid.uuid4().hex[:6]
    ids = [f"simple{run}{n}" for n in range(2)]
    result = _upload(api, _csv(";", ["ID", "PATH"], [[ids[0], f"Simple {run}"], [ids[1], ""]]))
    assert (result["numberOfCreated"], result["numberOfFailed"]) == (2, 0)
    first = api.get(f"/devicecontrol/newDeviceRequests/{ids[0]}").json()
    assert first["groupId"] and first["status"] in ("WAITING_FOR_CONNECTION", "PENDING_ACCEPTANCE")


def test_missing_id_column_or_file_is_422(api: httpx.Client) -> None:
    response = api.post(
        "/devicecontrol/bulkNewDeviceRequests", files={"file": ("x.csv", b"NAME;TYPE\na;b\n")}
    )
    assert response.status_code == 422
    assert api.post("/devicecontrol/bulkNewDeviceRequests", json={"ID": "x"}).status_code == 422


def test_new_device_request_lifecycle(api: httpx.Client) -> None:
    ext_id = f"ndr{uuid.uuid4().hex[:8]}"
    created = api.post("/devicecontrol/newDeviceRequests", json={"id": ext_id, "type": "c8y_Gateway"})
    assert created.status_code == 201
    assert created.json()["status"] == "WAITING_FOR_CONNECTION"
    path = f"/devicecontrol/newDeviceRequests/{ext_id}"
    early = api.put(path, json={"status": "ACCEPTED"})
    assert early.status_code == 422  # the device has not connected yet
    wait_for(lambda: api.get(path).json()["status"] == "PENDING_ACCEPTANCE", what="the device to connect")
    listed = api.get("/devicecontrol/newDeviceRequests", params={"pageSize": 2000}).json()[
        "newDeviceRequests"
    ]
    assert ext_id in [r["id"] for r in listed]
    assert api.put(path, json={"status": "PENDING_ACCEPTANCE", "securityToken": "t"}).status_code == 422
    accepted = api.put(path, json={"status": "ACCEPTED", "securityToken": "token-1"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "ACCEPTED"
    assert "securityToken" not in accepted.json()  # write-only (spec)
    device = api.get(f"/identity/externalIds/c8y_Serial/{ext_id}").json()["managedObject"]
    assert api.get(f"/inventory/managedObjects/{device['id']}").json()["type"] == "c8y_Gateway"
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.post("/devicecontrol/newDeviceRequests", json={}).status_code == 422


def test_limit_answers_whether_the_device_limit_is_reached(api: httpx.Client) -> None:
    limit = api.get("/devicecontrol/newDeviceRequests/limit")

    assert limit.status_code == 200
    assert limit.json()["isReached"] is False and limit.json()["deviceCount"] >= 5


def test_accept_all_accepts_every_pending_request(api: httpx.Client) -> None:
    ids = [f"all{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for ext_id in ids:
        assert api.post("/devicecontrol/newDeviceRequests", json={"id": ext_id}).status_code == 201
    for ext_id in ids:
        path = f"/devicecontrol/newDeviceRequests/{ext_id}"
        wait_for(
            lambda p=path: api.get(p).json()["status"] == "PENDING_ACCEPTANCE", what="the device to connect"
        )

    answer = api.post("/devicecontrol/newDeviceRequests/acceptAll")

    assert answer.status_code == 200
    assert {item["id"] for item in answer.json() if item["successful"]} >= set(ids)
    for ext_id in ids:
        assert api.get(f"/devicecontrol/newDeviceRequests/{ext_id}").json()["status"] == "ACCEPTED"
