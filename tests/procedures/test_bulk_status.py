"""Bulk status: the UI's filter groups, normalised generalStatus, progress, waiting (§11.1, §11.4)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import respx
from device_fakes import BULK, OPS, client, page, router

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, OperationFailedError, WaitTimeoutError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.polling import PollPolicy
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.cli.views.bulk import bulk_document
from c8ydm.procedures.bulk import status as status_module
from c8ydm.procedures.bulk.status import list_bulk, progress_line, status_filter, wait_for_bulk
from c8ydm.procedures.errors import PartialFailureError

__all__ = ["client", "router"]  # fixtures


def bulk(general_status: str, **progress: int) -> dict[str, Any]:
    counts = {"all": 0, "pending": 0, "executing": 0, "successful": 0, "failed": 0, **progress}
    return {
        "id": "42",
        "groupId": "9",
        "status": "IN_PROGRESS",
        "generalStatus": general_status,
        "startDate": "2024-05-01T12:00:00.000Z",
        "creationRamp": 2,
        "progress": counts,
    }


def no_sleep_policy(timeout: float = 10) -> PollPolicy:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    return PollPolicy(timeout_seconds=timeout, sleep=sleep, clock=lambda: now[0])


@pytest.mark.parametrize(
    ("word", "values"),
    [
        ("executing", ["EXECUTING", "EXECUTING_WITH_ERROR"]),
        ("Scheduled", ["SCHEDULED"]),
        ("cancelled", ["CANCELED"]),
        ("failed", ["FAILED"]),
        ("deleted", ["DELETED"]),
    ],
)
def test_status_words_are_the_ui_groups(word: str, values: list[str]) -> None:
    assert status_filter(word) == values


def test_unknown_status_word_is_a_usage_error() -> None:
    with pytest.raises(InputError, match="unknown bulk status"):
        status_filter("sleeping")


def test_list_sends_the_ui_query(client: Client, router: respx.MockRouter) -> None:
    route = router.get(BULK).respond(200, json=page("bulkOperations", [bulk("EXECUTING")]))

    assert [b.id for b in list_bulk(client, status="executing")] == ["42"]
    assert route.calls.last.request.url.query.decode() == (
        "withDeleted=true&generalStatus=EXECUTING&generalStatus=EXECUTING_WITH_ERROR"
        "&pageSize=2000&currentPage=1&withTotalPages=true"
    )


def test_document_normalises_general_status_and_adds_progress() -> None:
    document = bulk_document(
        BulkOperation.model_validate(
            bulk("COMPLETED WITH FAILURES", all=4, successful=2, failed=1, executing=1)
        )
    )

    assert document["generalStatus"] == "FAILED"
    assert document["generalStatusRaw"] == "COMPLETED WITH FAILURES"
    assert (document["doneFraction"], document["allCreated"]) == (0.75, True)
    assert document["estimatedFinish"] == "2024-05-01T12:00:08.000Z"  # start + ramp x all (§11.1)
    assert document["progress"] == {"all": 4, "pending": 0, "executing": 1, "successful": 2, "failed": 1}


def test_unknown_general_status_is_kept_as_it_came() -> None:
    document = bulk_document(BulkOperation.model_validate(bulk("WEIRD")))

    assert document["generalStatus"] == "WEIRD" and "generalStatusRaw" not in document


def test_wait_follows_progress_until_successful(client: Client, router: respx.MockRouter) -> None:
    router.get(f"{BULK}/42").mock(
        side_effect=[
            httpx.Response(200, json=bulk("SCHEDULED")),
            httpx.Response(200, json=bulk("EXECUTING", all=2, pending=1, successful=1)),
            httpx.Response(200, json={**bulk("SUCCESSFUL", all=2, successful=2), "status": "COMPLETED"}),
        ]
    )
    lines: list[str] = []

    done = wait_for_bulk(
        client, "42", policy=no_sleep_policy(), on_progress=lambda b: lines.append(progress_line(b))
    )

    assert done.general_status == "SUCCESSFUL"
    assert lines == ["SCHEDULED 0/0 done", "EXECUTING 1/2 done", "SUCCESSFUL 2/2 done"]


@pytest.mark.parametrize(
    ("counts", "summary", "code"),
    [
        ({"successful": 1, "failed": 1}, "FAILED 2/2 done, 1 failed", 14),
        ({"successful": 0, "failed": 2}, "FAILED 2/2 done, 2 failed", 11),
    ],
)
def test_failed_bulk_exits_14_when_some_devices_succeeded_and_11_when_none_did(
    client: Client, router: respx.MockRouter, counts: dict[str, int], summary: str, code: int
) -> None:
    router.get(f"{BULK}/42").respond(200, json=bulk("COMPLETED_WITH_FAILURES", all=2, **counts))
    failed = [{"id": "7", "deviceName": "gw-4", "status": "FAILED", "failureReason": "bad"}]
    children = router.get(OPS).respond(200, json=page("operations", failed))

    with pytest.raises(OperationFailedError) as raised:
        wait_for_bulk(client, "42", policy=no_sleep_policy())

    assert exit_code_for(raised.value) == code
    assert isinstance(raised.value, PartialFailureError) is (code == 14)
    more = " (and 1 more device)" if counts["failed"] == 2 else ""
    assert raised.value.message == f"bulk operation 42 ended with failures ({summary}): bad on gw-4{more}"
    assert raised.value.hint == "schedule the failed devices again with: c8ydm bulk retry 42"
    assert raised.value.operation_ids == ["7"]
    assert dict(children.calls.last.request.url.params)["bulkOperationId"] == "42"
    assert dict(children.calls.last.request.url.params)["status"] == "FAILED"


def test_failure_reasons_are_grouped_by_reason(client: Client, router: respx.MockRouter) -> None:
    router.get(f"{BULK}/42").respond(200, json=bulk("FAILED", all=9, successful=6, failed=3))
    failed = [
        {"id": "7", "deviceName": "linux-3", "status": "FAILED", "failureReason": "not supported"},
        {"id": "8", "deviceId": "4711", "status": "FAILED", "failureReason": "checksum"},
        {"id": "9", "deviceName": "linux-8", "status": "FAILED", "failureReason": "not supported"},
    ]
    router.get(OPS).respond(200, json=page("operations", failed))

    with pytest.raises(PartialFailureError) as raised:
        wait_for_bulk(client, "42", policy=no_sleep_policy())

    assert raised.value.message.endswith(
        "(FAILED 9/9 done, 3 failed): not supported on linux-3, linux-8; checksum on 4711"
    )


def test_wait_times_out_without_cancelling(client: Client, router: respx.MockRouter) -> None:
    router.get(f"{BULK}/42").respond(200, json=bulk("EXECUTING", all=3, pending=3))

    with pytest.raises(WaitTimeoutError, match="EXECUTING 0/3 done; nothing was cancelled"):
        wait_for_bulk(client, "42", policy=no_sleep_policy(timeout=3))

    assert all(call.request.method == "GET" for call in router.calls)


class FakeBulkRun:
    """A bulk operation of ``devices`` children created every ``ramp`` seconds from its start, each
    taking ``device_seconds`` on its device, on a fake clock that only the waiting advances."""

    def __init__(self, devices: int, ramp: float, device_seconds: float) -> None:
        self.devices, self.ramp, self.device_seconds = devices, ramp, device_seconds
        self.now = 0.0
        self.looks: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.looks.append(self.now)
        created = min(self.devices, int(self.now / self.ramp) + 1) if self.now >= 0 else 0
        done = min(self.devices, max(0, int((self.now - self.device_seconds) / self.ramp) + 1))
        finished = done == self.devices
        counts = {"all": self.devices, "pending": created - done, "successful": done}
        body = {**bulk("SUCCESSFUL" if finished else "EXECUTING", **counts), "creationRamp": self.ramp}
        body["startDate"] = "2024-05-01T12:00:00.000Z"
        return httpx.Response(200, json={**body, "status": "COMPLETED" if finished else "IN_PROGRESS"})


@pytest.mark.parametrize("ramp", [0.01, 0.1, 1.0, 10.0])
@pytest.mark.parametrize("device_seconds", [1.0, 120.0])
def test_waiting_for_1000_devices_costs_a_handful_of_looks_for_any_ramp(
    client: Client,
    router: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
    ramp: float,
    device_seconds: float,
) -> None:
    # ≤ 0.01 requests per device for the whole `bulk create --wait` (4 to create it, the rest looks).
    fake = FakeBulkRun(1000, ramp, device_seconds)
    monkeypatch.setattr(status_module, "utc_now", lambda: datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc))
    router.get(f"{BULK}/42").mock(side_effect=fake.answer)
    policy = PollPolicy(timeout_seconds=None, sleep=fake.sleep, clock=lambda: fake.now)

    done = wait_for_bulk(client, "42", policy=policy)

    assert done.general_status == "SUCCESSFUL"
    assert len(fake.looks) <= 6
    # The end is seen soon after it happens: within 5 s or a quarter of the run (the most when no
    # device is done before every child exists, so a device's time is only known to be longer).
    finish = ramp * 999 + device_seconds
    assert fake.looks[-1] - finish <= max(5.0, 0.25 * finish)


def test_a_scheduled_bulk_is_first_looked_at_right_after_its_start(
    client: Client, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_module, "utc_now", lambda: datetime(2024, 5, 1, 11, 55, tzinfo=timezone.utc))
    router.get(f"{BULK}/42").mock(
        side_effect=[
            httpx.Response(200, json={**bulk("SCHEDULED"), "status": "ACTIVE"}),
            httpx.Response(200, json={**bulk("SUCCESSFUL", all=1, successful=1), "status": "COMPLETED"}),
        ]
    )
    sleeps: list[float] = []
    policy = PollPolicy(timeout_seconds=None, sleep=sleeps.append, clock=lambda: sum(sleeps))

    wait_for_bulk(client, "42", policy=policy)

    assert sleeps == [300.5]  # startDate 12:00, now 11:55: one pause to the start, plus half a second
