"""Retries in the client: idempotent requests only, Retry-After honoured, bounded (§14(d))."""

from __future__ import annotations

import httpx
import pytest
import respx

from c8ydm.api.client import Client
from c8ydm.api.errors import RateLimitError, ServerError, TransportError
from c8ydm.api.retry import MAX_ATTEMPTS

DEVICE = {"id": "4711", "name": "dev"}


def test_get_retries_429_honouring_retry_after(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(429, headers={"Retry-After": "Tue, 14 Nov 2023 22:13:25 GMT"}),
            httpx.Response(200, json=DEVICE),
        ]
    )
    assert client.inventory.get("4711").name == "dev"
    assert route.call_count == 3
    assert sleeps == [3.0, 5.0]  # the HTTP date is 5 s after the patched clock


def test_get_retries_gateway_errors_with_exponential_backoff(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(503),
            httpx.Response(504),
            httpx.Response(200, json=DEVICE),
        ]
    )
    client.inventory.get("4711")
    assert route.call_count == 4 and sleeps == [0.5, 1.0, 2.0]


def test_get_retries_connection_errors_before_a_response(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=DEVICE)]
    )
    client.inventory.get("4711")
    assert route.call_count == 2 and sleeps == [0.5]


def test_attempts_are_bounded_and_the_last_error_is_raised(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(return_value=httpx.Response(429))
    with pytest.raises(RateLimitError):
        client.inventory.get("4711")
    assert route.call_count == MAX_ATTEMPTS and len(sleeps) == MAX_ATTEMPTS - 1


def test_total_wait_is_capped(client: Client, router: respx.MockRouter, sleeps: list[float]) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "100"})
    )
    with pytest.raises(ServerError):
        client.inventory.get("4711")
    assert sleeps == [100.0] and route.call_count == 2  # a second 100 s would pass the 120 s budget


def test_500_is_not_retried(client: Client, router: respx.MockRouter, sleeps: list[float]) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(return_value=httpx.Response(500))
    with pytest.raises(ServerError):
        client.inventory.get("4711")
    assert route.call_count == 1 and sleeps == []


@pytest.mark.parametrize("failure", [httpx.Response(503), httpx.Response(429), httpx.ConnectError("refused")])
def test_post_is_never_retried(
    client: Client, router: respx.MockRouter, sleeps: list[float], failure: httpx.Response | Exception
) -> None:
    route = router.post("/inventory/managedObjects").mock(
        side_effect=[failure, httpx.Response(201, json=DEVICE)]
    )
    with pytest.raises((ServerError, RateLimitError, TransportError)):
        client.inventory.create({"name": "dev"})
    assert route.call_count == 1 and sleeps == []


def test_put_is_retried(client: Client, router: respx.MockRouter, sleeps: list[float]) -> None:
    route = router.put("/inventory/managedObjects/4711").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=DEVICE)]
    )
    client.inventory.update("4711", {"name": "dev"})
    assert route.call_count == 2
    assert route.calls[0].request.content == route.calls[1].request.content == b'{"id":"4711","name":"dev"}'


def test_delete_retry_that_gets_404_counts_as_success(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.delete("/inventory/managedObjects/4711").mock(
        side_effect=[httpx.Response(504), httpx.Response(404, json={"error": "inventory/notFound"})]
    )
    client.inventory.delete("4711", force_cascade=True)
    assert route.call_count == 2 and sleeps == [0.5]


def test_first_delete_getting_404_is_not_found(client: Client, router: respx.MockRouter) -> None:
    from c8ydm.api.errors import NotFoundError

    router.delete("/inventory/managedObjects/4711").mock(return_value=httpx.Response(404))
    with pytest.raises(NotFoundError):
        client.inventory.delete("4711")
