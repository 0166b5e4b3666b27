"""Creates over an unreliable network (procedures/reconcile.py, contract §14(d), §1.10, §10): a lost
answer is adopted, 429 and 503 wait (Retry-After first) and look up before sending again, a
definitive refusal is final. Requests are counted where the count is the contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx
from device_fakes import BASE_URL, OPS, page, router

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp
from c8ydm.api.errors import RateLimitError, ServerError, TransportError, UnprocessableEntityError
from c8ydm.api.retry import RetryPolicy
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.origin import RUN_STARTED, origin
from c8ydm.procedures.reconcile import create_once, create_operation, find_operation

__all__ = ["router"]

RUN = "run-42"
BODY = {
    "deviceId": "4711",
    "description": "Update firmware to: fw (version: 1.0).",
    "c8y_Firmware": {"name": "fw", "version": "1.0", "url": "https://x/fw"},
    "c8ydm_Origin": origin(RUN),
}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(router: respx.MockRouter, sleeps: list[float]) -> Iterator[Client]:
    policy = RetryPolicy(sleep=sleeps.append, random=lambda: 1.0, clock=lambda: 1_700_000_000.0)
    with Client(BASE_URL, BasicAuth("admin", "pw", tenant="t100"), tenant="t100", retry=policy) as api:
        yield api


def error(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": "x/y", "message": f"scripted {status}"}, headers=headers)


def created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={**json.loads(request.content), "id": "900", "status": "PENDING"})


def existing(**changes: Any) -> dict[str, Any]:
    return {**BODY, "id": "900", "status": "PENDING", "creationTime": "2024-05-01T12:00:00.000Z", **changes}


def posts(router: respx.MockRouter) -> int:
    return sum(1 for call in router.calls if call.request.method == "POST")


def test_a_lost_answer_is_adopted_from_the_marker_and_never_sent_twice(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    router.post(OPS).mock(side_effect=[httpx.ReadTimeout("no answer"), httpx.Response(500)])
    lookup = router.get(OPS).respond(200, json=page("operations", [existing()]))
    reports: list[str] = []

    adopted = create_operation(client, BODY, report=reports.append)

    assert adopted.id == "900" and posts(router) == 1
    assert sleeps == [0.5]  # one backoff (jitter at its maximum) before the look-up
    assert dict(lookup.calls.last.request.url.params) == {
        "deviceId": "4711",
        "fragmentType": "c8ydm_Origin",
        "dateFrom": format_timestamp(RUN_STARTED - timedelta(minutes=5)),
        "dateTo": lookup.calls.last.request.url.params["dateTo"],
        "revert": "true",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }
    assert reports == [
        "The operation for device 4711 exists although its answer was lost "
        "(timed out waiting for t100.example.com:443): adopted."
    ]


def test_429_waits_for_retry_after_then_looks_up_and_sends_again_only_when_absent(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    post = router.post(OPS).mock(side_effect=[error(429, **{"Retry-After": "7"}), created])
    router.get(OPS).respond(200, json=page("operations", []))

    made = create_operation(client, BODY)

    assert made.id == "900" and post.call_count == 2
    assert sleeps == [7.0]
    assert [call.request.method for call in router.calls] == ["POST", "GET", "POST"]


def test_503_then_a_look_up_that_finds_it_adopts_without_a_second_post(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    router.post(OPS).mock(side_effect=[error(503), created])
    router.get(OPS).respond(200, json=page("operations", [existing()]))

    assert create_operation(client, BODY).id == "900"
    assert posts(router) == 1 and sleeps == [0.5]


def test_an_operation_of_another_run_or_target_is_not_adopted(
    client: Client, router: respx.MockRouter
) -> None:
    others = [
        existing(id="1", c8ydm_Origin=origin("another-run")),
        existing(id="2", c8y_Firmware={**BODY["c8y_Firmware"], "version": "2.0"}),  # type: ignore[dict-item]
        existing(id="3", deviceId="9999"),
    ]
    router.get(OPS).respond(200, json=page("operations", others))

    assert find_operation(client, BODY) is None


@pytest.mark.parametrize(
    ("answer", "error_class", "exit_code"), [(error(503), ServerError, 10), (error(429), RateLimitError, 9)]
)
def test_a_create_that_keeps_failing_stops_after_the_policy_and_a_last_look_up(
    client: Client, router: respx.MockRouter, sleeps: list[float], answer: httpx.Response, error_class: type,
    exit_code: int,
) -> None:  # fmt: skip
    router.post(OPS).mock(return_value=answer)
    lookup = router.get(OPS).respond(200, json=page("operations", []))

    with pytest.raises(error_class) as raised:
        create_operation(client, BODY)

    attempts = client.retry.max_attempts
    assert posts(router) == attempts and lookup.call_count == attempts  # a look-up after every try
    assert len(sleeps) == attempts - 1
    assert exit_code_for(raised.value) == exit_code


def test_a_definitive_refusal_is_final_without_a_look_up(client: Client, router: respx.MockRouter) -> None:
    router.post(OPS).respond(422, json={"error": "devicecontrol/invalid", "message": "no"})

    with pytest.raises(UnprocessableEntityError):
        create_operation(client, BODY)
    assert [call.request.method for call in router.calls] == ["POST"]


def test_a_500_is_looked_up_once_but_never_sent_again(client: Client, router: respx.MockRouter) -> None:
    router.post(OPS).mock(return_value=error(500))
    router.get(OPS).respond(200, json=page("operations", []))

    with pytest.raises(ServerError):
        create_operation(client, BODY)
    assert [call.request.method for call in router.calls] == ["POST", "GET"]


def test_a_failing_look_up_never_hides_the_create_error(client: Client, sleeps: list[float]) -> None:
    def lookup() -> None:
        raise ServerError("look-up failed", status_code=502)

    def create() -> None:
        raise TransportError("no answer")

    with pytest.raises(TransportError, match="no answer"):
        create_once(client, create, lookup)
    assert len(sleeps) == client.retry.max_attempts - 1


def test_without_a_marker_nothing_is_looked_up(client: Client, router: respx.MockRouter) -> None:
    unmarked = {key: value for key, value in BODY.items() if key != "c8ydm_Origin"}

    assert find_operation(client, unmarked) is None
    assert not router.calls


def test_a_hidden_group_whose_answer_was_lost_is_found_by_its_marker(
    client: Client, router: respx.MockRouter
) -> None:
    from c8ydm.procedures.bulk.once import create_query_group_once

    query = "$filter=(type eq 'c8y_Linux')"
    post = router.post("/inventory/managedObjects").mock(side_effect=httpx.ReadTimeout("no answer"))
    found = {
        "id": "500",
        "type": "c8y_DynamicGroup",
        "c8y_DeviceQueryString": query,
        "c8ydm_Origin": origin(RUN),
    }
    lookup = router.get("/inventory/managedObjects").respond(200, json=page("managedObjects", [found]))

    assert create_query_group_once(client, query, run_id=RUN).id == "500"
    assert post.call_count == 1
    assert lookup.calls.last.request.url.params["query"] == (
        f"$filter=((type eq 'c8y_DynamicGroup') and (c8ydm_Origin.runId eq '{RUN}'))"
    )


def test_a_registration_request_met_with_503_is_looked_up_by_external_id(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    from c8ydm.procedures.registration.requests import add_requests

    path = "/devicecontrol/newDeviceRequests"
    lookups = [
        httpx.Response(404, json={"error": "devicecontrol/notFound", "message": "none"}),  # before: new
        httpx.Response(200, json={"id": "ext-1", "status": "WAITING_FOR_CONNECTION"}),  # after the 503
    ]
    router.get(f"{path}/ext-1").mock(side_effect=lookups)
    post = router.post(path).mock(return_value=error(503, **{"Retry-After": "2"}))

    report = add_requests(client, ["ext-1"])

    assert post.call_count == 1 and sleeps == [2.0]
    assert [(o.external_id, o.status) for o in report.outcomes] == [("ext-1", "WAITING_FOR_CONNECTION")]
