"""Alarms on the sandbox (spec tag "Alarms"): raised, de-duplicated, listed, cleared; raised by
simulated devices after an update (``--alarm-rate``); read by the official SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from c8y_api.model import Alarm  # type: ignore[import-untyped]
from device_support import checked_client, device, final_operation, wait_for
from support.sandbox import running_sandbox

from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.devices.simulation import HEALTH_ALARM_TYPE, raises_health_alarm

PATH = "/alarm/alarms"


def raise_alarm(api: httpx.Client, source: str, alarm_type: str, time: str, **fields: Any) -> dict[str, Any]:
    body = {
        "source": {"id": source},
        "type": alarm_type,
        "text": "too hot",
        "severity": "MAJOR",
        "time": time,
    }
    response = api.post(PATH, json={**body, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_open_alarm_raised_again_counts_up_instead_of_a_new_one(api: httpx.Client) -> None:
    source = device(api, "linux-0001")["id"]
    first = raise_alarm(api, source, "e2e_DedupAlarm", "2024-05-01T10:00:00.000Z")

    again = raise_alarm(api, source, "e2e_DedupAlarm", "2024-05-01T11:00:00.000Z")

    assert again["id"] == first["id"]
    assert (again["count"], again["time"], again["firstOccurrenceTime"]) == (
        2, "2024-05-01T11:00:00.000Z", "2024-05-01T10:00:00.000Z",
    )  # fmt: skip
    assert api.put(f"{PATH}/{first['id']}", json={"status": "CLEARED"}).json()["status"] == "CLEARED"
    third = raise_alarm(api, source, "e2e_DedupAlarm", "2024-05-01T12:00:00.000Z")
    assert third["id"] != first["id"] and third["count"] == 1  # CLEARED alarms are not de-duplicated


def test_alarms_are_listed_newest_first_by_types_status_and_time(api: httpx.Client) -> None:
    source = device(api, "gateway-0002")["id"]
    older = raise_alarm(api, source, "e2e_ListA", "2024-06-01T10:00:00.000Z")
    newer = raise_alarm(api, source, "e2e_ListB", "2024-06-01T11:00:00.000Z", severity="MINOR")
    raise_alarm(api, source, "e2e_ListC", "2024-06-01T12:00:00.000Z")

    listed = api.get(PATH, params={"type": "e2e_ListA,e2e_ListB", "status": "ACTIVE", "pageSize": 10}).json()
    since = api.get(
        PATH, params={"type": "e2e_ListA,e2e_ListB", "dateFrom": "2024-06-01T10:30:00.000Z"}
    ).json()
    minor = api.get(PATH, params={"source": source, "severity": "MINOR", "resolved": "false"}).json()

    assert [alarm["id"] for alarm in listed["alarms"]] == [newer["id"], older["id"]]
    assert [alarm["id"] for alarm in since["alarms"]] == [newer["id"]]
    assert [alarm["id"] for alarm in minor["alarms"]] == [newer["id"]]
    shown = listed["alarms"][0]["source"]
    assert (shown["id"], shown["name"]) == (source, "gateway-0002")
    assert shown["self"].endswith(f"/inventory/managedObjects/{source}")
    assert api.get(f"{PATH}/count", params={"type": "e2e_ListC"}).json() == 1


def test_bad_alarm_requests_are_refused(api: httpx.Client, reader_api: httpx.Client) -> None:
    source = device(api, "linux-0003")["id"]
    alarm = raise_alarm(api, source, "e2e_BadAlarm", "2024-05-01T10:00:00.000Z")

    missing = api.post(PATH, json={"source": {"id": source}, "type": "x", "text": "t", "time": "2024-05-01"})
    fixed = api.put(f"{PATH}/{alarm['id']}", json={"type": "other"})
    children = api.get(PATH, params={"withSourceAssets": "true"})
    body = {
        "source": {"id": source},
        "type": "x",
        "text": "t",
        "severity": "MAJOR",
        "time": "2024-05-01T10:00Z",
    }
    read_only = reader_api.post(PATH, json=body)

    assert [r.status_code for r in (missing, fixed, children, read_only)] == [422, 422, 422, 403]
    assert api.get(f"{PATH}/999999999").status_code == 404


def test_the_official_sdk_raises_and_selects_alarms(api: httpx.Client, c8y: CumulocityApi) -> None:
    source = device(api, "linux-0005")["id"]

    created = Alarm(c8y, type="e2e_SdkAlarm", time="2024-05-01T10:00:00.000Z", source=source,
                    text="from the SDK", severity=Alarm.Severity.MINOR).create()  # fmt: skip
    selected = list(c8y.alarms.select(type="e2e_SdkAlarm", source=source))

    assert [alarm.id for alarm in selected] == [created.id]
    assert (selected[0].severity, selected[0].status, selected[0].text) == ("MINOR", "ACTIVE", "from the SDK")


def test_the_alarm_rate_picks_a_stable_share_of_devices(tmp_path: Path) -> None:
    options = SandboxOptions(data_dir=tmp_path, seed=1, alarm_rate=0.3)
    alarming = [raises_health_alarm(options, str(n)) for n in range(2000)]

    assert alarming == [raises_health_alarm(options, str(n)) for n in range(2000)]
    assert 0.25 < sum(alarming) / 2000 < 0.35
    assert not any(raises_health_alarm(SandboxOptions(data_dir=tmp_path), str(n)) for n in range(100))


def test_alarming_devices_raise_a_health_alarm_after_a_successful_update(tmp_path: Path) -> None:
    with (
        running_sandbox(tmp_path, devices=2, alarm_rate=1.0) as sandbox,
        checked_client(sandbox.url, sandbox.auth) as api,
    ):
        gateway = device(api, "gateway-0002")["id"]
        body = {"deviceId": gateway, "c8y_Firmware": {"name": "gw-os", "version": "2.5.0", "url": ""}}
        restart = api.post("/devicecontrol/operations", json={"deviceId": gateway, "c8y_Restart": {}}).json()
        update = api.post("/devicecontrol/operations", json=body).json()

        assert final_operation(api, update["id"])["status"] == "SUCCESSFUL"
        assert final_operation(api, restart["id"])["status"] == "SUCCESSFUL"
        alarms = wait_for(lambda: api.get(PATH, params={"source": gateway}).json()["alarms"] or None)

    assert [(a["type"], a["severity"], a["status"], a["count"]) for a in alarms] == [
        (HEALTH_ALARM_TYPE, "MAJOR", "ACTIVE", 1)  # the update alarmed; the restart did not
    ]
