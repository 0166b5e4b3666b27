"""Waiting for operations: statuses reported, failures and deadlines, cheap polling of many (§1.12).

The clock is fake: ``sleep`` advances it, so no test ever sleeps.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from device_fakes import BASE_URL, OPS, client, router

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.conventions import parse_timestamp
from c8ydm.api.errors import NotFoundError, OperationFailedError, WaitTimeoutError
from c8ydm.api.models.devicecontrol import Operation, OperationStatus
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


class OperationsTenant:
    """The operations of a fake tenant, listed as Cumulocity lists them (filters, dates, newest
    first, pages of ``pageSize``); ``advance()`` moves every operation one status on."""

    STEPS = ("PENDING", "EXECUTING", "SUCCESSFUL")

    def __init__(self, router: respx.MockRouter, operations: list[dict[str, Any]]) -> None:
        self.operations = {item["id"]: item for item in operations}
        self.gets = 0
        self.lists: list[dict[str, str]] = []
        router.get(url__regex=rf"{OPS}/\d+$").mock(side_effect=self._get)
        router.get(OPS).mock(side_effect=self._list)

    def advance(self) -> None:
        for item in self.operations.values():
            if item["status"] in self.STEPS[:-1]:
                item["status"] = self.STEPS[self.STEPS.index(item["status"]) + 1]

    def _get(self, request: httpx.Request) -> httpx.Response:
        self.gets += 1
        item = self.operations.get(request.url.path.rsplit("/", 1)[1])
        if item is None:
            return httpx.Response(404, json={"error": "devicecontrol/notFound", "message": "none"})
        return httpx.Response(200, json=item)

    def _list(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.lists.append(params)
        items = [item for item in self.operations.values() if self._matches(item, params)]
        items.sort(key=lambda item: int(item["id"]), reverse=params.get("revert") == "true")
        size, number = int(params["pageSize"]), int(params["currentPage"])
        chunk = items[(number - 1) * size : number * size]
        statistics = {"currentPage": number, "pageSize": size}
        if params.get("withTotalPages") == "true":
            statistics["totalPages"] = max(1, -(-len(items) // size))
        return httpx.Response(200, json={"operations": chunk, "statistics": statistics})

    @staticmethod
    def _matches(item: dict[str, Any], params: dict[str, str]) -> bool:
        created = parse_timestamp(item["creationTime"])
        checks = (
            ("bulkOperationId", lambda value: str(item.get("bulkOperationId")) == value),
            ("deviceId", lambda value: item["deviceId"] == value),
            ("fragmentType", lambda value: value in item),
            ("status", lambda value: item["status"] == value),
            ("dateFrom", lambda value: created >= parse_timestamp(value)),
            ("dateTo", lambda value: created < parse_timestamp(value)),
        )
        return all(check(params[key]) for key, check in checks if key in params)


def created_at(second: int) -> str:
    return f"2024-05-01T12:{second // 60:02d}:{second % 60:02d}.000Z"


def test_a_failure_outranks_a_timeout_and_the_rest_is_awaited_first(
    router: respx.MockRouter, client: Client, policy: PollPolicy
) -> None:
    OperationsTenant(
        router,
        [
            op("1", "FAILED", failureReason="boom", creationTime=created_at(1)),
            op("2", "EXECUTING", creationTime=created_at(2)),
        ],
    )

    with pytest.raises(OperationFailedError, match=r"1 of 2 operations FAILED: 1 \(boom\); 1 still running"):
        wait_for_operations(client, ["1", "2"], policy=policy)


def test_200_operations_cost_at_most_two_requests_per_look_first_and_last_included(
    router: respx.MockRouter, client: Client, clock: FakeClock
) -> None:
    # 200 operations by c8ydm on 200 devices amid 300 older ones: ceil(200 / 2000) + 1 = 2 per look.
    others = [op(str(n), "SUCCESSFUL", creationTime=created_at(0), deviceId=f"d{n}") for n in range(1, 301)]
    ours = [
        op(str(1000 + n), "PENDING", creationTime=created_at(10 + n // 50), deviceId=f"d{n}", c8ydm_Origin={})
        for n in range(200)
    ]
    tenant = OperationsTenant(router, others + ours)
    per_look: list[int] = []

    def pause(seconds: float) -> None:
        per_look.append(len(router.calls) - sum(per_look))
        tenant.advance()
        clock.sleep(seconds)

    policy = PollPolicy(timeout_seconds=60, sleep=pause, clock=clock.time)
    done = wait_for_operations(client, [item["id"] for item in ours], policy=policy)
    per_look.append(len(router.calls) - sum(per_look))

    assert [o.status for o in done] == [OperationStatus.SUCCESSFUL] * 200
    assert len(per_look) == 3 and max(per_look) <= 2  # PENDING, EXECUTING, SUCCESSFUL
    assert tenant.gets == 0
    assert tenant.lists[0]["revert"] == "true"  # the first look: newest first
    assert tenant.lists[-1] == {
        "fragmentType": "c8ydm_Origin", "dateFrom": created_at(10), "dateTo": "2024-05-01T12:00:14.000Z",
        "pageSize": "2000", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_4001_operations_cost_at_most_four_requests_per_look(
    router: respx.MockRouter, client: Client, clock: FakeClock
) -> None:
    ours = [
        op(str(1000 + n), "EXECUTING", creationTime=created_at(n % 50), c8ydm_Origin={}) for n in range(4001)
    ]
    tenant = OperationsTenant(router, ours)
    per_look: list[int] = []

    def pause(seconds: float) -> None:
        per_look.append(len(router.calls) - sum(per_look))
        tenant.advance()
        clock.sleep(seconds)

    policy = PollPolicy(timeout_seconds=60, sleep=pause, clock=clock.time)
    done = wait_for_operations(client, [Operation.model_validate(item) for item in ours], policy=policy)
    per_look.append(len(router.calls) - sum(per_look))

    assert {o.status for o in done} == {OperationStatus.SUCCESSFUL}
    assert per_look == [3, 3]  # the operations as given are the first look; 3 pages of 2000 each time
    assert tenant.gets == 0


def test_operations_of_one_bulk_are_listed_by_their_bulk_id_and_creation_window(
    router: respx.MockRouter, client: Client, policy: PollPolicy
) -> None:
    ours = [op(str(n), "SUCCESSFUL", creationTime=created_at(n), bulkOperationId=5) for n in (1, 2, 3)]
    tenant = OperationsTenant(router, [*ours, op("9", "PENDING", creationTime=created_at(9))])
    given = [Operation.model_validate({**item, "status": "PENDING"}) for item in ours]

    done = wait_for_operations(client, given, policy=policy)

    assert [o.status for o in done] == [OperationStatus.SUCCESSFUL] * 3
    assert tenant.lists == [
        {
            "bulkOperationId": "5", "deviceId": "4711", "dateFrom": created_at(1),
            "dateTo": "2024-05-01T12:00:04.000Z", "pageSize": "2000", "currentPage": "1",
            "withTotalPages": "true",
        }
    ]  # fmt: skip


def test_the_window_is_narrowed_to_the_one_device_they_share(
    router: respx.MockRouter, client: Client, policy: PollPolicy
) -> None:
    ours = [op(str(n), "SUCCESSFUL", creationTime=created_at(n)) for n in (4, 7)]
    tenant = OperationsTenant(router, ours)
    given = [Operation.model_validate({**item, "status": "EXECUTING"}) for item in ours]

    wait_for_operations(client, given, policy=policy)

    assert tenant.lists[0] == {
        "deviceId": "4711", "dateFrom": created_at(4), "dateTo": "2024-05-01T12:00:08.000Z",
        "pageSize": "2000", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_an_operation_missing_from_a_listing_is_not_taken_for_ended(
    router: respx.MockRouter, client: Client, policy: PollPolicy
) -> None:
    tenant = OperationsTenant(router, [op("1", "SUCCESSFUL", creationTime=created_at(1))])
    given = [
        Operation.model_validate(op(op_id, "EXECUTING", creationTime=created_at(1)))
        for op_id in ("1", "2", "3")
    ]

    with pytest.raises(WaitTimeoutError, match="2 EXECUTING, 3 EXECUTING"):
        wait_for_operations(client, given, policy=policy)

    assert tenant.gets == 0


def test_an_id_the_newest_operations_do_not_hold_is_read_once_and_may_be_unknown(
    router: respx.MockRouter, client: Client, policy: PollPolicy
) -> None:
    tenant = OperationsTenant(router, [op("1", "SUCCESSFUL", creationTime=created_at(1))])

    with pytest.raises(NotFoundError):
        wait_for_operations(client, ["1", "404"], policy=policy)

    assert tenant.gets == 1


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


def test_dry_run_reads_many_ids_with_one_listing(router: respx.MockRouter, client: Client) -> None:
    tenant = OperationsTenant(
        router, [op(str(n), "EXECUTING", creationTime=created_at(n)) for n in (1, 2, 3)]
    )
    dry = Client(BASE_URL, BasicAuth("a", "b"), tenant="t100", dry_run=True)

    with dry:
        done = wait_for_operations(dry, ["3", "1", "2"])

    assert [(o.id, o.status_text) for o in done] == [
        ("3", "EXECUTING"),
        ("1", "EXECUTING"),
        ("2", "EXECUTING"),
    ]
    assert (tenant.gets, len(tenant.lists)) == (0, 1)
