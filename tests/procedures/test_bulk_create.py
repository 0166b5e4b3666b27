"""Bulk operations from an existing operation: prototypes, targets, schedule and ramp (contract §11)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest
import respx
from device_fakes import BULK, MO, OPS, ORIGIN, RUN_ID, body_of, client, page, router, sent

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.bulk.create import create_bulk, type_query
from c8ydm.procedures.bulk.once import create_query_group_once
from c8ydm.procedures.bulk.prototypes import prototype_from_operation
from c8ydm.procedures.bulk.retry import retry_bulk
from c8ydm.procedures.bulk.schedule import check_ramp, parse_start, ramp_bounds

__all__ = ["client", "router"]  # fixtures

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
START = "2024-05-01T12:00:00.000Z"
OPTIONS = "/tenant/system/options/device-control"
FIRMWARE = {"name": "gw-os", "version": "2.5.0", "url": "https://fw.example.com/gw-2.5.0"}
SOURCE = {
    "id": "900",
    "self": "https://t100.example.com/devicecontrol/operations/900",
    "deviceId": "4711",
    "deviceName": "gw-2",
    "deviceExternalIDs": {"externalIds": []},
    "status": "FAILED",
    "failureReason": "x",
    "creationTime": "2024-04-30T10:00:00.000Z",
    "delivery": {"status": "DELIVERED"},
    "bulkOperationId": 3,
    "description": 'Update firmware to: "gw-os" (version: 2.5.0)',
    "c8y_Firmware": FIRMWARE,
    "c8ydm_Origin": {"tool": "c8ydm", "version": "0.0.1", "runId": "an-old-run"},
}
PROTOTYPE = {"description": SOURCE["description"], "c8y_Firmware": FIRMWARE, "c8ydm_Origin": ORIGIN}


@pytest.fixture
def created(router: respx.MockRouter) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={**json.loads(request.content), "id": "42", "status": "ACTIVE"})

    return router.post(BULK).mock(side_effect=answer)


def test_prototype_is_the_operation_without_read_only_fields_and_with_a_fresh_marker(
    client: Client, router: respx.MockRouter
) -> None:
    router.get(f"{OPS}/900").respond(200, json=SOURCE)

    assert prototype_from_operation(client, "900", run_id=RUN_ID) == PROTOTYPE


def test_create_for_a_group_posts_the_classic_body(
    client: Client, router: respx.MockRouter, created: respx.Route
) -> None:
    result = create_bulk(
        client, prototype=PROTOTYPE, group_id="10009", start_date=START, ramp=2.0, note="gw rollout"
    )

    assert result.id == "42"
    assert body_of(created) == {
        "groupId": "10009",
        "operationPrototype": PROTOTYPE,
        "creationRamp": 2.0,
        "startDate": START,
        "note": "gw rollout",
    }


def test_create_for_a_query_makes_the_hidden_dynamic_group_first(
    client: Client, router: respx.MockRouter, created: respx.Route
) -> None:
    group = router.post(MO).respond(201, json={"id": "77", "name": "Bulk operations group"})

    made = create_query_group_once(client, type_query(["c8y_Linux"]), run_id=RUN_ID)
    create_bulk(client, prototype=PROTOTYPE, group_id=str(made.id), start_date=START, ramp=1.0)

    assert body_of(group) == {
        "name": "Bulk operations group",
        "type": "c8y_DynamicGroup",
        "c8y_IsDynamicGroup": {"invisible": {}},
        "c8y_DeviceQueryString": "$filter=(type eq 'c8y_Linux')",
        "c8ydm_Origin": ORIGIN,  # c8ydm's marker, to find it again after a lost answer (issue 14)
    }
    assert body_of(created)["groupId"] == "77"
    assert "note" not in body_of(created)
    assert sent(router) == [("POST", MO), ("POST", BULK)]


def test_several_types_become_an_or_of_type_eq() -> None:
    assert type_query(["c8y_Linux", "it's"]) == "$filter=((type eq 'c8y_Linux') or (type eq 'it''s'))"


def test_ramp_bounds_default_to_the_ui_values_when_the_options_are_missing(
    client: Client, router: respx.MockRouter
) -> None:
    router.get(url__startswith=f"https://t100.example.com{OPTIONS}/").respond(
        404, json={"error": "options/notFound", "message": "no such option"}
    )

    assert ramp_bounds(client) == (0.001, 3600.0)
    assert check_ramp(client, None) == 1.0
    assert [path for _, path in sent(router)][:2] == [
        f"{OPTIONS}/bulkoperation.creationramp",
        f"{OPTIONS}/bulkoperation.maxcreationramp",
    ]


def test_ramp_bounds_are_read_once_while_the_clients_cache_keeps_them(
    client: Client, router: respx.MockRouter
) -> None:
    options = [
        router.get(f"{OPTIONS}/bulkoperation.{key}").respond(
            200, json={"category": "device-control", "key": f"bulkoperation.{key}", "value": value}
        )
        for key, value in (("creationramp", "0.5"), ("maxcreationramp", "10"))
    ]

    assert [check_ramp(client, 2.0) for _ in range(3)] == [2.0, 2.0, 2.0]
    assert [route.call_count for route in options] == [1, 1]  # the minimum and the maximum, once


@pytest.mark.parametrize(("ramp", "is_allowed"), [(0.4, False), (0.5, True), (10.0, True), (10.5, False)])
def test_ramp_outside_the_tenant_bounds_is_a_usage_error(
    client: Client, router: respx.MockRouter, ramp: float, is_allowed: bool
) -> None:
    for key, value in (("creationramp", "0.5"), ("maxcreationramp", "10")):
        router.get(f"{OPTIONS}/bulkoperation.{key}").respond(
            200, json={"category": "device-control", "key": f"bulkoperation.{key}", "value": value}
        )

    if is_allowed:
        assert check_ramp(client, ramp) == ramp
    else:
        with pytest.raises(InputError, match=r"outside the tenant's bounds \(0.5 to 10 seconds\)"):
            check_ramp(client, ramp)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "2024-05-01T12:00:00.000Z"),
        ("now", "2024-05-01T12:00:00.000Z"),
        ("+5m", "2024-05-01T12:05:00.000Z"),
        ("+90s", "2024-05-01T12:01:30.000Z"),
        ("+2h", "2024-05-01T14:00:00.000Z"),
        ("+1d", "2024-05-02T12:00:00.000Z"),
        ("2024-05-01T14:30:00+02:00", "2024-05-01T12:30:00.000Z"),
    ],
)
def test_start_is_now_relative_or_iso(text: str | None, expected: str) -> None:
    assert parse_start(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["2024-05-01T11:59:59Z", "yesterday", "+5w"])
def test_start_in_the_past_or_unreadable_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_start(text, now=NOW)


def test_retry_sends_only_the_writable_fields(
    client: Client, router: respx.MockRouter, created: respx.Route
) -> None:
    old = {
        "id": "41", "self": "https://t100.example.com/devicecontrol/bulkoperations/41", "groupId": "10009",
        "startDate": "2024-04-30T00:00:00.000Z", "creationRamp": 3, "note": "first wave",
        "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": {"tool": "c8ydm", "runId": "old"}},
        "status": "COMPLETED", "generalStatus": "FAILED", "creationTime": "2024-04-30T00:00:00.000Z",
        "progress": {"all": 2, "pending": 0, "executing": 0, "successful": 1, "failed": 1},
    }  # fmt: skip
    router.get(f"{BULK}/41").respond(200, json=old)
    router.get(BULK).respond(200, json=page("bulkOperations", []))  # no earlier retry still runs
    router.get(url__startswith=f"https://t100.example.com{OPTIONS}/").respond(404, json={"error": "x"})

    retry_bulk(client, "41", start_date=START, run_id=RUN_ID)

    assert body_of(created) == {
        "failedParentId": "41",
        "operationPrototype": PROTOTYPE,
        "startDate": START,
        "creationRamp": 3.0,
        "note": "first wave",
    }
