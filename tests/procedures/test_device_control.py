"""Operations on devices: cancel (§10), listing devices (§1.6) and what device show reads (§6, §7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from device_fakes import MO, OPS, client, device, mock_user_without_service, page, router, sent

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.views.device import details_document
from c8ydm.cli.views.operations import cancel_view
from c8ydm.procedures.device.info import describe_device
from c8ydm.procedures.device.selection import list_devices
from c8ydm.procedures.operations.control import cancel_operations, plan_cancel

__all__ = ["client", "router"]  # fixtures


def op(op_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": op_id, "deviceId": "4711", "status": status, **extra}


def test_cancel_puts_failed_with_the_go_cli_reason_and_leaves_ended_ones(
    client: Client, router: respx.MockRouter
) -> None:
    router.get(f"{OPS}/1").respond(200, json=op("1", "PENDING"))
    router.get(f"{OPS}/2").respond(200, json=op("2", "SUCCESSFUL"))
    put = router.put(f"{OPS}/1").respond(
        200, json=op("1", "FAILED", failureReason="User cancelled operation")
    )

    results = cancel_view(cancel_operations(client, plan_cancel(client, ["1", "2", "1"]))).document

    assert put.calls.last.request.content == b'{"status":"FAILED","failureReason":"User cancelled operation"}'
    assert results == [
        {"id": "1", "deviceId": "4711", "previousStatus": "PENDING", "status": "FAILED", "cancelled": True,
         "failureReason": "User cancelled operation"},
        {"id": "2", "deviceId": "4711", "previousStatus": "SUCCESSFUL", "status": "SUCCESSFUL",
         "cancelled": False},
    ]  # fmt: skip
    assert sent(router) == [("GET", f"{OPS}/1"), ("GET", f"{OPS}/2"), ("PUT", f"{OPS}/1")]


def test_an_unknown_id_fails_before_anything_is_cancelled(client: Client, router: respx.MockRouter) -> None:
    router.get(f"{OPS}/1").respond(200, json=op("1", "EXECUTING"))
    router.get(f"{OPS}/9").respond(404, json={"error": "devicecontrol/notFound", "message": "no 9"})

    with pytest.raises(NotFoundError):
        plan_cancel(client, ["1", "9"])

    assert all(method == "GET" for method, _ in sent(router))


@pytest.mark.parametrize(
    ("options", "query"),
    [
        ({}, "$filter=(has(c8y_IsDevice)) $orderby=name asc"),
        (
            {"device_type": "c8y_Linux", "name": "lin*"},
            "$filter=((has(c8y_IsDevice)) and (type eq 'c8y_Linux') and (name eq 'lin*')) $orderby=name asc",
        ),
        (
            {"name": "Bob's (test)"},
            "$filter=((has(c8y_IsDevice)) and (name eq 'Bob''s \\(test\\)')) $orderby=name asc",
        ),
    ],
)
def test_device_list_queries_are_built(
    client: Client, router: respx.MockRouter, options: dict[str, str], query: str
) -> None:
    route = router.get(MO).respond(200, json=page("managedObjects", []))

    list(list_devices(client, device_type=options.get("device_type"), name=options.get("name")))

    assert route.calls.last.request.url.params["query"] == query


def test_a_raw_query_is_sent_as_written_with_q(client: Client, router: respx.MockRouter) -> None:
    route = router.get(MO).respond(200, json=page("managedObjects", []))

    list(list_devices(client, query="type eq 'c8y_Gateway'"))

    assert route.calls.last.request.url.params["q"] == "type eq 'c8y_Gateway'"
    assert "query" not in route.calls.last.request.url.params


def test_a_raw_query_does_not_mix_with_built_filters(client: Client) -> None:
    with pytest.raises(InputError, match="cannot be combined"):
        list(list_devices(client, query="x eq 'y'", device_type="c8y_Linux"))


def test_device_show_reads_firmware_software_and_the_newest_software_operation(
    client: Client, router: respx.MockRouter
) -> None:
    mock_user_without_service(router)
    latest = {
        "c8y_Firmware": op("5", "SUCCESSFUL", creationTime="2024-01-01T00:00:00.000Z"),
        "c8y_SoftwareUpdate": op("6", "FAILED", creationTime="2024-03-01T00:00:00.000Z"),
        "c8y_SoftwareList": op("7", "SUCCESSFUL", creationTime="2024-02-01T00:00:00.000Z"),
    }

    def answer(request: httpx.Request) -> httpx.Response:
        found = latest.get(request.url.params["fragmentType"])
        return httpx.Response(200, json={"operations": [found] if found else []})

    ops = router.get(OPS).mock(side_effect=answer)
    linux = device(
        c8y_Firmware={"name": "linux-image", "version": "6.1.2", "url": ""},
        c8y_SoftwareList=[{"name": "curl", "version": "8", "url": "", "softwareType": "apt"}],
    )

    document = details_document(describe_device(client, linux))

    assert document == {
        "id": "4711",
        "name": "linux-0001",
        "type": "c8y_Linux",
        "c8y_SupportedOperations": ["c8y_Firmware", "c8y_SoftwareUpdate"],
        "c8y_Firmware": {"name": "linux-image", "version": "6.1.2", "url": ""},
        "lastFirmwareOperation": latest["c8y_Firmware"],
        "softwareSource": "c8y_SoftwareList",
        "software": [{"name": "curl", "version": "8", "url": "", "softwareType": "apt"}],
        "lastSoftwareOperation": latest["c8y_SoftwareUpdate"],
        "configuration": None,
    }
    assert [call.request.url.params["fragmentType"] for call in ops.calls] == [
        "c8y_Firmware", "c8y_SoftwareUpdate", "c8y_SoftwareList", "c8y_Software",
    ]  # fmt: skip
    assert all(call.request.url.params["revert"] == "true" for call in ops.calls)
