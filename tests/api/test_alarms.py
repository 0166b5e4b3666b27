"""Alarms (spec tag "Alarms") and linking many children with one reference collection."""

from __future__ import annotations

import json

import respx

from c8ydm.api.client import Client
from c8ydm.api.models.alarms import AlarmStatus

PATH = "/alarm/alarms"
ALARM = {
    "id": "7",
    "type": "c8y_HealthCheckAlarm",
    "text": "unhealthy",
    "severity": "MAJOR",
    "status": "ACTIVE",
    "count": 2,
    "time": "2024-05-01T12:00:00.000Z",
    "source": {"id": "4711", "name": "dev"},
}


def test_alarms_are_listed_with_several_types_and_statuses_comma_separated(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.get(PATH).respond(200, json={"alarms": [ALARM], "statistics": {"totalPages": 1}})

    found = list(
        client.alarms.list(
            type=["c8y_HealthCheckAlarm", "c8y_CrashAlarm"],
            status=[AlarmStatus.ACTIVE, AlarmStatus.ACKNOWLEDGED],
            date_from="2024-05-01T11:00:00.000Z",
        )
    )

    assert [(alarm.id, alarm.source_id, alarm.count) for alarm in found] == [("7", "4711", 2)]
    assert dict(route.calls.last.request.url.params) == {
        "type": "c8y_HealthCheckAlarm,c8y_CrashAlarm",
        "status": "ACTIVE,ACKNOWLEDGED",
        "dateFrom": "2024-05-01T11:00:00.000Z",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_an_alarm_is_raised_read_and_cleared(client: Client, router: respx.MockRouter) -> None:
    created = router.post(PATH).respond(201, json=ALARM)
    router.get(f"{PATH}/7").respond(200, json=ALARM)
    cleared = router.put(f"{PATH}/7").respond(200, json={**ALARM, "status": "CLEARED"})
    body = {"source": {"id": "4711"}, "type": "c8y_HealthCheckAlarm", "text": "unhealthy",
            "severity": "MAJOR", "time": "2024-05-01T12:00:00.000Z"}  # fmt: skip

    assert client.alarms.create(body).id == "7"
    assert client.alarms.get("7").status == "ACTIVE"
    assert client.alarms.update("7", {"status": "CLEARED"}).status == "CLEARED"
    assert json.loads(created.calls.last.request.content) == body
    assert json.loads(cleared.calls.last.request.content) == {"status": "CLEARED"}


def test_many_children_are_linked_with_one_reference_collection(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.post("/inventory/managedObjects/500/childAssets").respond(201, json={"references": []})

    client.inventory.link_children("500", ["1", "2", "3"])
    client.inventory.link_children("500", [])  # nothing to link: no request

    request = route.calls.last.request
    assert route.call_count == 1
    assert request.headers["Content-Type"] == (
        "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json"
    )
    assert json.loads(request.content) == {
        "references": [{"managedObject": {"id": device}} for device in ("1", "2", "3")]
    }
