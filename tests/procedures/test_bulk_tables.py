"""``bulk show`` and ``bulk list`` as tables, for people: the prototype's description and operation,
the progress in words, DONE in percent. JSON and CSV keep the document's names and values (§11.1).

Tables are compared at a fixed width (COLUMNS=100) with colour off; stdout is not a terminal here.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import respx
from device_fakes import BASE_URL, BULK, ORIGIN, page, router

from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.cli.main import run
from c8ydm.cli.views.bulk import done_percent, operation_summary

__all__ = ["router"]  # fixtures

FIRMWARE_BULK: dict[str, Any] = {
    "id": "42",
    "self": f"{BASE_URL}{BULK}/42",
    "groupId": "9",
    "startDate": "2024-05-01T12:00:00.000Z",
    "creationRamp": 0.1,
    "status": "COMPLETED",
    "generalStatus": "SUCCESSFUL",
    "note": "kernel rollout",
    "operationPrototype": {
        "description": "Update firmware to: demo-fw (version: 1.0.0).",
        "c8y_Firmware": {"name": "demo-fw", "version": "1.0.0", "url": "https://fw.example.com/demo-fw"},
        "c8ydm_Origin": ORIGIN,
    },
    "progress": {"all": 20, "pending": 0, "executing": 0, "successful": 20, "failed": 0},
}
RETRY_BULK: dict[str, Any] = {
    "id": "43",
    "failedParentId": "42",
    "startDate": "2024-05-01T13:00:00.000Z",
    "creationRamp": 2,
    "status": "IN_PROGRESS",
    "generalStatus": "COMPLETED WITH FAILURES",
    "operationPrototype": {
        "description": "Update software to: nginx (version 1.24.0) and one other",
        "c8y_SoftwareUpdate": [
            {"name": "nginx", "version": "1.24.0", "action": "install"},
            {"name": "curl", "version": "8.5.0", "action": "install"},
        ],
    },
    "progress": {"all": 3, "pending": 1, "executing": 0, "successful": 1, "failed": 1},
}


@pytest.fixture
def connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A C8Y_* connection to the respx tenant, a fixed table width, no colour, stdin not a terminal."""
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(tmp_path / "cache"))
    for name, value in (("C8Y_HOST", BASE_URL), ("C8Y_TENANT", "t100"), ("C8Y_USER", "admin")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("C8Y_PASSWORD", "pw")
    monkeypatch.setenv("COLUMNS", "80")  # tables must read well at 80 columns (issue 15)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TZ", "Europe/Berlin")  # tables show local times: UTC+2 in May
    time.tzset()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def c8ydm(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """stdout of one successful command line (stderr must stay empty: these print no messages)."""
    code = run(list(args))
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    return captured.out


def test_show_table_reads_description_target_progress_and_operation(
    router: respx.MockRouter, connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    route = router.get(f"{BULK}/42").respond(200, json=FIRMWARE_BULK)

    text = c8ydm(capsys, "bulk", "show", "42", "-o", "table")

    assert route.called
    assert text.splitlines() == [
        "FIELD              VALUE",
        "─" * 64,
        "id                 42",
        "description        Update firmware to: demo-fw (version: 1.0.0).",
        "target group       9",
        "status             SUCCESSFUL",
        "progress           20/20 done (100%) — 20 successful",
        "operations         all operations created",
        "operation          c8y_Firmware demo-fw 1.0.0",
        "start date         2024-05-01 14:00",
        "creation ramp      0.1 s",
        "estimated finish   2024-05-01 14:00",
        "note               kernel rollout",
    ]


def test_show_table_of_a_retry_names_the_failed_parent_and_the_raw_status(
    router: respx.MockRouter, connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    router.get(f"{BULK}/43").respond(200, json=RETRY_BULK)

    text = c8ydm(capsys, "bulk", "show", "43", "-o", "table")

    assert text.splitlines() == [
        "FIELD              VALUE",
        "─" * 75,
        "id                 43",
        "description        Update software to: nginx (version 1.24.0) and one other",
        "target group       failed devices of bulk operation 42",
        "status             FAILED: 1 of 3 devices failed",
        "progress           2/3 done (66%) — 1 successful, 1 failed, 1 pending",
        "operations         creating operations",
        "operation          c8y_SoftwareUpdate nginx 1.24.0 (+1 other)",
        "start date         2024-05-01 15:00",
        "creation ramp      2 s",
        "estimated finish   2024-05-01 15:00",
    ]  # no note row: the bulk operation has none


def test_list_table_shows_done_in_percent(
    router: respx.MockRouter, connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    router.get(BULK).respond(200, json=page("bulkOperations", [FIRMWARE_BULK, RETRY_BULK]))

    text = c8ydm(capsys, "bulk", "list", "-o", "table")

    assert text.splitlines() == [
        "ID   STATUS       DONE   ALL   FAILED   START              DESCRIPTION",
        "─" * 80,
        "42   SUCCESSFUL   100%   20    0        2024-05-01 14:00   Update firmware to:",
        "                                                           demo-fw (version:",
        "                                                           1.0.0).",
        "43   FAILED       66%    3     1        2024-05-01 15:00   Update software to:",
        "                                                           nginx (version",
        "                                                           1.24.0) and one other",
    ]


def test_show_json_and_list_csv_keep_the_document(
    router: respx.MockRouter, connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    router.get(f"{BULK}/43").respond(200, json=RETRY_BULK)
    router.get(BULK).respond(200, json=page("bulkOperations", [FIRMWARE_BULK, RETRY_BULK]))

    shown = json.loads(c8ydm(capsys, "bulk", "show", "43", "-o", "json"))
    listed = c8ydm(capsys, "bulk", "list", "-o", "csv")

    assert shown == {
        **RETRY_BULK,
        "generalStatus": "FAILED",
        "generalStatusRaw": "COMPLETED WITH FAILURES",
        "doneFraction": 0.6667,
        "allCreated": True,
        "estimatedFinish": "2024-05-01T13:00:06.000Z",
    }
    assert listed.splitlines() == [
        "id,generalStatus,doneFraction,progress.all,progress.failed,startDate,operationPrototype.description",
        "42,SUCCESSFUL,1.0,20,0,2024-05-01T12:00:00.000Z,Update firmware to: demo-fw (version: 1.0.0).",
        "43,FAILED,0.6667,3,1,2024-05-01T13:00:00.000Z,"
        "Update software to: nginx (version 1.24.0) and one other",
    ]


@pytest.mark.parametrize(
    ("prototype", "summary"),
    [
        ({"description": "Restart", "c8y_Restart": {}}, "c8y_Restart"),
        ({"c8y_Command": {"text": "reboot"}, "c8ydm_Origin": ORIGIN}, "c8y_Command"),
        ({"c8y_SoftwareUpdate": [{"name": "a", "version": "1"}] * 3}, "c8y_SoftwareUpdate a 1 (+2 others)"),
        ({"c8y_Firmware": {"name": "fw"}, "c8y_Restart": {}}, "c8y_Firmware fw, c8y_Restart"),
        ({"description": "only words"}, ""),
    ],
)
def test_operation_summary_names_each_fragment_and_its_first_package(
    prototype: dict[str, Any], summary: str
) -> None:
    assert operation_summary(prototype) == summary


@pytest.mark.parametrize(
    ("progress", "percent"),
    [({"all": 200, "successful": 198, "failed": 1}, 99), ({"all": 0}, 0), ({"all": 4, "failed": 4}, 100)],
)
def test_done_percent_rounds_down_so_100_means_every_device(progress: dict[str, int], percent: int) -> None:
    assert done_percent(BulkOperation.model_validate({"progress": progress})) == percent


def test_a_scheduled_bulk_operation_has_no_estimated_finish_yet(
    router: respx.MockRouter, connection: None, capsys: pytest.CaptureFixture[str]
) -> None:
    scheduled = {
        **FIRMWARE_BULK,
        "status": "ACTIVE",
        "generalStatus": "SCHEDULED",
        "progress": {"all": 0, "pending": 0, "executing": 0, "successful": 0, "failed": 0},
    }
    router.get(f"{BULK}/42").respond(200, json=scheduled)

    shown = json.loads(c8ydm(capsys, "bulk", "show", "42", "-o", "json"))
    card = c8ydm(capsys, "bulk", "show", "42", "-o", "table")

    rows = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in card.splitlines()[2:])
    assert "estimatedFinish" not in shown  # it would be the start date itself: nothing is created yet
    assert "estimated finish" not in rows
    assert (rows["status"], rows["operations"], rows["progress"]) == (
        "SCHEDULED",
        "not started",
        "0/0 done (0%)",
    )
