"""Paging across pages, past the end, for restricted users, and counting (§1.5, §14(e), §14(l))."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
import respx

from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.paging import count, iter_items, iter_pages

from .conftest import BASE_URL

PATH = "/inventory/managedObjects"


def page(
    ids: list[int], *, current: int, size: int, total_pages: int | None, next_page: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "managedObjects": [{"id": str(i), "name": f"mo{i}"} for i in ids],
        "statistics": {"currentPage": current, "pageSize": size, "totalPages": total_pages},
    }
    if next_page is not None:
        body["next"] = f"{BASE_URL}{PATH}?pageSize={size}&currentPage={next_page}"
    return body


def query_of(route: respx.Route) -> list[dict[str, str]]:
    return [dict(call.request.url.params) for call in route.calls]


def test_iterates_three_pages_and_stops_on_the_short_one(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=3, next_page=2)),
            httpx.Response(200, json=page([3, 4], current=2, size=2, total_pages=3, next_page=3)),
            httpx.Response(200, json=page([5], current=3, size=2, total_pages=3)),
        ]
    )
    items = list(
        iter_items(
            client, PATH, "managedObjects", params={"type": "c8y_Firmware"}, model=ManagedObject, page_size=2
        )
    )
    assert [item.id for item in items] == ["1", "2", "3", "4", "5"]
    assert query_of(route) == [
        {"type": "c8y_Firmware", "pageSize": "2", "currentPage": "1", "withTotalPages": "true"},
        {"type": "c8y_Firmware", "pageSize": "2", "currentPage": "2"},
        {"type": "c8y_Firmware", "pageSize": "2", "currentPage": "3"},
    ]


def test_full_last_page_stops_at_total_pages(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=2)),
            httpx.Response(200, json=page([3, 4], current=2, size=2, total_pages=2)),
        ]
    )
    assert [item["id"] for item in iter_items(client, PATH, "managedObjects", page_size=2)] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert route.call_count == 2


def test_a_page_past_the_end_is_empty_and_ends_iteration(client: Client, router: respx.MockRouter) -> None:
    # totalPages missing (a server that ignores withTotalPages) and a next link on the last full page
    route = router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=None, next_page=2)),
            httpx.Response(200, json=page([], current=2, size=2, total_pages=None, next_page=3)),
        ]
    )
    assert [item["id"] for item in iter_items(client, PATH, "managedObjects", page_size=2)] == ["1", "2"]
    assert route.call_count == 2


def test_restricted_user_follows_next_past_short_pages_until_an_empty_page(
    client: Client, router: respx.MockRouter
) -> None:
    # §14(l): totalPages null despite withTotalPages=true; currentPage is an offset, pages are short.
    route = router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1], current=1, size=3, total_pages=None, next_page=4)),
            httpx.Response(200, json=page([5, 6], current=4, size=3, total_pages=None, next_page=9)),
            httpx.Response(200, json=page([], current=9, size=3, total_pages=None, next_page=12)),
        ]
    )
    assert [item["id"] for item in iter_items(client, PATH, "managedObjects", page_size=3)] == ["1", "5", "6"]
    assert [query["currentPage"] for query in query_of(route)] == ["1", "4", "9"]


def test_limit_stops_without_fetching_more(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(200, json=page([1], current=1, size=1, total_pages=9, next_page=2))
    assert [item["id"] for item in iter_items(client, PATH, "managedObjects", limit=1)] == ["1"]
    assert route.call_count == 1 and query_of(route)[0]["pageSize"] == "1"


def test_page_size_is_capped_at_2000(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(200, json=page([], current=1, size=2000, total_pages=0))
    assert list(iter_items(client, PATH, "managedObjects", page_size=5000)) == []
    assert query_of(route)[0]["pageSize"] == "2000"


def test_count_reads_total_pages_of_a_one_item_page(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(200, json=page([1], current=1, size=1, total_pages=42))
    assert count(client, PATH, params={"fragmentType": "c8y_IsDevice"}) == 42
    assert query_of(route) == [{"fragmentType": "c8y_IsDevice", "pageSize": "1", "withTotalPages": "true"}]


def test_count_is_none_for_a_restricted_user(client: Client, router: respx.MockRouter) -> None:
    router.get(PATH).respond(200, json=page([1], current=1, size=1, total_pages=None))
    assert count(client, PATH) is None


def test_the_first_answers_total_pages_ends_the_walk_without_an_empty_page(
    client: Client, router: respx.MockRouter
) -> None:
    # Only the first request asks for totals, so only the first answer carries totalPages.
    route = router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=3, next_page=2)),
            httpx.Response(200, json=page([3, 4], current=2, size=2, total_pages=None, next_page=3)),
            httpx.Response(200, json=page([5, 6], current=3, size=2, total_pages=None, next_page=4)),
        ]
    )
    ids = [item["id"] for item in iter_items(client, PATH, "managedObjects", page_size=2)]

    assert ids == ["1", "2", "3", "4", "5", "6"]
    assert [query["currentPage"] for query in query_of(route)] == ["1", "2", "3"]  # no 4th, empty page


def test_the_next_page_is_fetched_while_the_caller_works_on_the_current_one(
    client: Client, router: respx.MockRouter
) -> None:
    second_requested = threading.Event()

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["currentPage"])
        if number == 2:
            second_requested.set()
        return httpx.Response(200, json=page([number], current=number, size=1, total_pages=2))

    router.get(PATH).mock(side_effect=answer)
    pages = iter_pages(client, PATH, "managedObjects", page_size=1)

    assert next(pages) == [{"id": "1", "name": "mo1"}]
    # The caller still holds page 1; page 2 is requested without waiting for it.
    assert second_requested.wait(timeout=10)
    assert list(pages) == [[{"id": "2", "name": "mo2"}]]


def test_a_limit_across_pages_fetches_no_page_beyond_it(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).mock(
        side_effect=lambda request: httpx.Response(
            200,
            json=page(
                [int(request.url.params["currentPage"]) * 10 + k for k in range(2)],
                current=int(request.url.params["currentPage"]),
                size=2,
                total_pages=50,
            ),
        )
    )
    found = list(iter_items(client, PATH, "managedObjects", page_size=2, limit=4))

    assert [item["id"] for item in found] == ["10", "11", "20", "21"]
    assert route.call_count == 2


def test_a_failed_prefetch_raises_where_the_caller_asks_for_that_page(
    client: Client, router: respx.MockRouter
) -> None:
    router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1], current=1, size=1, total_pages=2)),
            httpx.Response(404, json={"error": "inventory/notFound", "message": "gone"}),
        ]
    )
    pages = iter_pages(client, PATH, "managedObjects", page_size=1)

    assert next(pages) == [{"id": "1", "name": "mo1"}]
    with pytest.raises(NotFoundError):
        next(pages)
