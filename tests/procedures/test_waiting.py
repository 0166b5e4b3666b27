"""Waiting for operations: statuses reported, failures and deadlines, cheap polling of many (§1.12).

The clock is fake: ``sleep`` advances it, so no test ever sleeps.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from device_fakes import OPS, client, page, router

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError, OperationFailedError, WaitTimeoutError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.polling import PollPolicy
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.operations.waiting import wait_for_operations

__all__ = ["client", "router"]  # fixtures


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def policy(clock: FakeClock) -> PollPolicy:
    return PollPolicy(timeout_seconds=10, sleep=clock.sleep, clock=clock.time)


def op(op_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": op_id, "status": status, "deviceId": "4711", **extra}


def test_statuses_are_reported_until_successful(
    client: Client, router: respx.MockRouter, policy: PollPolicy, clock: FakeClock
) -> None:
    route = router.get(f"{OPS}/7").mock(
        side_effect=[httpx.Response(200, json=op("7", s)) for s in ("PENDING", "EXECUTING", "SUCCESSFUL")]
    )
    seen: list[tuple[str, str, str]] = []

    done = wait_for_operations(
        client, ["7"], policy=policy, on_status=lambda *a: seen.append(a), labels={"7": "fw"}
    )

    assert [o.status for o in done] == ["SUCCESSFUL"]
    assert seen == [("7", "PENDING", "fw"), ("7", "EXECUTING", "fw"), ("7", "SUCCESSFUL", "fw")]
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 0.75]  # backoff: 0.5 s, then x1.5


def test_failed_raises_with_the_device_reason(
    client: Client, router: respx.MockRouter, policy: PollPolicy
) -> None:
    router.get(f"{OPS}/7").respond(200, json=op("7", "FAILED", failureReason="checksum mismatch"))

    with pytest.raises(
        OperationFailedError, match="operation 7 FAILED on the device: checksum mismatch"
    ) as failed:
        wait_for_operations(client, ["7"], policy=policy)

    assert failed.value.operation_ids == ["7"]
    assert exit_code_for(failed.value) == 11


def test_deadline_raises_timeout_and_cancels_nothing(
    client: Client, router: respx.MockRouter, policy: PollPolicy, clock: FakeClock
) -> None:
    router.get(f"{OPS}/7").respond(200, json=op("7", "PENDING"))

    with pytest.raises(WaitTimeoutError, match="7 PENDING; nothing was cancelled") as timed_out:
        wait_for_operations(client, ["7"], policy=policy)

    assert exit_code_for(timed_out.value) == 12
    assert sum(clock.sleeps) == pytest.approx(10.0)  # the last pause is cut to the deadline
    assert max(clock.sleeps) <= 5.0
    assert all(call.request.method == "GET" for call in router.calls)


def test_a_failure_outranks_a_timeout_and_the_rest_is_awaited_first(
    client: Client, router: respx.MockRouter, policy: PollPolicy
) -> None:
    router.get(f"{OPS}/1").respond(200, json=op("1", "FAILED", failureReason="boom"))
    router.get(f"{OPS}/2").respond(200, json=op("2", "EXECUTING"))

    with pytest.raises(OperationFailedError, match=r"1 of 2 operations FAILED: 1 \(boom\); 1 still running"):
        wait_for_operations(client, ["1", "2"], policy=policy)


def test_many_operations_of_one_bulk_are_followed_with_one_list_query(
    client: Client, router: respx.MockRouter, policy: PollPolicy
) -> None:
    ids = ["1", "2", "3"]
    first = router.get(url__regex=rf"{OPS}/\d+$").mock(
        side_effect=lambda request: httpx.Response(
            200, json=op(request.url.path.rsplit("/", 1)[1], "PENDING", bulkOperationId=5)
        )
    )
    listing = router.get(OPS).respond(
        200,
        json=page("operations", [op(i, "SUCCESSFUL", bulkOperationId=5) for i in ids] + [op("9", "PENDING")]),
    )

    done = wait_for_operations(client, ids, policy=policy, few=2)

    assert [o.status for o in done] == ["SUCCESSFUL"] * 3
    assert first.call_count == 3  # the first look only
    assert listing.call_count == 1
    assert dict(listing.calls.last.request.url.params) == {
        "bulkOperationId": "5", "pageSize": "2000", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_many_unrelated_operations_use_status_lists_and_read_only_the_ended(
    client: Client, router: respx.MockRouter, policy: PollPolicy
) -> None:
    created = "2024-05-01T12:00:00.000Z"
    running = [op(i, "PENDING", creationTime=created) for i in ("1", "2", "3")]
    for item in running:
        router.get(f"{OPS}/{item['id']}").mock(
            side_effect=[
                httpx.Response(200, json=item),
                httpx.Response(200, json={**item, "status": "SUCCESSFUL"}),
            ]
        )
    pending = router.get(OPS, params={"status": "PENDING"}).respond(200, json=page("operations", []))
    executing = router.get(OPS, params={"status": "EXECUTING"}).respond(
        200,
        json=page(
            "operations", [{**running[0], "status": "EXECUTING"}, {**running[1], "status": "EXECUTING"}]
        ),
    )

    with pytest.raises(WaitTimeoutError, match="1 EXECUTING, 2 EXECUTING"):
        wait_for_operations(client, ["1", "2", "3"], policy=policy, few=1)

    assert dict(pending.calls.last.request.url.params)["dateFrom"] == created
    assert executing.called
    gets = {
        path: sum(1 for c in router.calls if c.request.url.path == path) for path in (f"{OPS}/1", f"{OPS}/3")
    }
    assert gets == {f"{OPS}/1": 1, f"{OPS}/3": 2}  # 3: first look, then read once after it left the lists


def test_dry_run_waits_for_nothing_but_reads_each_id_once() -> None:
    with respx.mock(base_url="https://t100.example.com") as mock:
        mock.get(f"{OPS}/7").respond(200, json={"id": "7", "status": "EXECUTING"})
        with Client("https://t100.example.com", BasicAuth("a", "b"), tenant="t100", dry_run=True) as api:
            done = wait_for_operations(api, ["7", Operation(id="dry-run-1")])
        assert [call.request.url.path for call in mock.calls] == [f"{OPS}/7"]
    assert [(o.id, o.status_text) for o in done] == [("7", "EXECUTING"), ("dry-run-1", "UNKNOWN")]


def test_dry_run_of_a_missing_id_is_not_found() -> None:
    with respx.mock(base_url="https://t100.example.com") as mock:
        mock.get(f"{OPS}/404404").respond(404, json={"error": "devicecontrol/notFound", "message": "gone"})
        api = Client("https://t100.example.com", BasicAuth("a", "b"), tenant="t100", dry_run=True)
        with api, pytest.raises(NotFoundError):
            wait_for_operations(api, ["404404"])
