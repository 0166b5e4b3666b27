"""Paging across pages, past the end, for restricted users, and counting (§1.5, §14(e), §14(l))."""

from __future__ import annotations

import sys
import threading
import weakref
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from support.http_server import send_json

from c8ydm.api import paging
from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.paging import announced_pages, count, iter_items, iter_pages

from .conftest import BASE_URL, PASSWORD, USER

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


@pytest.mark.parametrize(
    ("body", "announced"),
    [
        (b'{"managedObjects":[{"id":"1"}],"statistics":{"currentPage":1,"pageSize":1,"totalPages":7}}', 7),
        (b'{"managedObjects":[] , "statistics" :\n {"totalPages": 3, "pageSize": 1} }\n', 3),
        (b'{"statistics":{"totalPages":7},"managedObjects":[{"id":"1"}]}', None),  # not the last member
        (b'{"managedObjects":[{"id":"1","statistics":{"totalPages":7}}]}', None),  # a device's own fragment
        (b'{"managedObjects":[{"n":"\\",\\"statistics\\":{\\"totalPages\\":7}}"}]}', None),  # inside a string
        (b'{"managedObjects":[],"statistics":{"totalPages":null}}', None),  # restricted user (§14(l))
        (b'{"managedObjects":[],"statistics":{"totalPages":"7"}}', None),
        (b"", None),
    ],
)
def test_the_announced_last_page_is_read_only_from_statistics_that_close_the_body(
    body: bytes, announced: int | None
) -> None:
    assert announced_pages(body) == announced


def test_the_next_pages_are_requested_before_the_first_page_is_decoded(
    client: Client, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first answer's statistics (its last member) announce 3 pages: pages 2 and 3 leave while
    # page 1 is still being decoded. The decode of page 1 waits until page 3 was asked for.
    asked = {2: threading.Event(), 3: threading.Event()}

    def answer(request: httpx.Request) -> httpx.Response:
        current = int(request.url.params["currentPage"])
        if current in asked:
            asked[current].set()
        ids = {1: [1, 2], 2: [3, 4], 3: [5]}[current]
        return httpx.Response(200, json=page(ids, current=current, size=2, total_pages=3))

    route = router.get(PATH).mock(side_effect=answer)
    import c8ydm.api.client as client_module

    decode, waited = client_module.decode_json, []

    def decode_when_asked(response: httpx.Response, **options: Any) -> Any:
        if not waited:
            waited.append(asked[3].wait(timeout=5))
        return decode(response, **options)

    monkeypatch.setattr(client_module, "decode_json", decode_when_asked)

    pages = list(iter_pages(client, PATH, "managedObjects", page_size=2))

    assert waited == [True]
    assert [[item["id"] for item in items] for items in pages] == [["1", "2"], ["3", "4"], ["5"]]
    assert [q["currentPage"] for q in query_of(route)] == ["1", "2", "3"]


def test_nothing_is_requested_early_when_the_first_page_may_be_all_that_is_needed(
    client: Client, router: respx.MockRouter
) -> None:
    # A limit the first page satisfies, or a single announced page: one request, as before.
    route = router.get(PATH).mock(
        return_value=httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=5))
    )

    assert [item["id"] for item in iter_items(client, PATH, "managedObjects", page_size=2, limit=2)] == [
        "1",
        "2",
    ]
    assert len(route.calls) == 1
    route.return_value = httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=1))
    assert len(list(iter_pages(client, PATH, "managedObjects", page_size=2))) == 1
    assert len(route.calls) == 2


def test_the_gil_is_handed_over_every_millisecond_only_while_pages_are_fetched_ahead(
    client: Client, router: respx.MockRouter
) -> None:
    router.get(PATH).mock(
        side_effect=[
            httpx.Response(200, json=page([1, 2], current=1, size=2, total_pages=2)),
            httpx.Response(200, json=page([3], current=2, size=2, total_pages=2)),
        ]
    )
    before = sys.getswitchinterval()
    during = [sys.getswitchinterval() for _ in iter_pages(client, PATH, "managedObjects", page_size=2)]

    assert during == [0.001, 0.001]
    assert sys.getswitchinterval() == before == 0.005


class PagedTenant:
    """A local HTTP server answering ``/inventory/managedObjects`` with one item per page out of
    ``pages``; the answer to ``held`` waits until the next page has been asked for (or 5 s)."""

    def __init__(self, pages: int, held: int) -> None:
        self.pages, self.held = pages, held
        self.arrived: list[int] = []
        self.next_came_while_held: bool | None = None
        self._asked = {number: threading.Event() for number in range(1, pages + 2)}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Cumulocity

            def do_GET(self) -> None:
                number = int(parse_qs(urlsplit(self.path).query)["currentPage"][0])
                owner.arrived.append(number)
                owner._asked[number].set()
                if number == owner.held:
                    owner.next_came_while_held = owner._asked[number + 1].wait(timeout=5)
                send_json(self, 200, page([number], current=number, size=1, total_pages=owner.pages))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PagedTenant:
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_page_after_next_is_asked_for_on_a_second_connection_while_the_next_is_answered() -> None:
    # The tenant has the following request in hand when it finishes a page (issue 13): page 3 is
    # asked for while page 2's answer is still being worked out; the requests arrive in page order.
    with PagedTenant(pages=4, held=2) as tenant, Client(tenant.url, BasicAuth(USER, PASSWORD)) as api:
        pages = list(iter_pages(api, PATH, "managedObjects", page_size=1))

    assert [[item["id"] for item in items] for items in pages] == [["1"], ["2"], ["3"], ["4"]]
    assert tenant.next_came_while_held is True
    assert tenant.arrived == [1, 2, 3, 4]


def test_on_sent_is_called_once_the_request_has_been_written_before_its_answer_comes() -> None:
    # The tenant holds its answer to page 1 until page 2 is asked for: page 2 can only be asked
    # for by on_sent, called while page 1's answer is still awaited.
    with PagedTenant(pages=2, held=1) as tenant, Client(tenant.url, BasicAuth(USER, PASSWORD)) as api:
        second = threading.Thread(
            target=api.request, args=("GET", PATH), kwargs={"params": {"currentPage": 2}}
        )
        api.request("GET", PATH, params={"currentPage": 1}, on_sent=second.start)
        second.join(timeout=10)

    assert tenant.next_came_while_held is True
    assert tenant.arrived == [1, 2]


class Sentinel:
    """An item that can be watched with a weak reference (dicts cannot)."""


def test_a_page_is_freed_while_the_next_one_is_awaited_and_only_the_last_may_be_retained(
    client: Client, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    router.get(PATH).mock(
        side_effect=lambda request: httpx.Response(
            200, json=page([int(request.url.params["currentPage"])], current=1, size=1, total_pages=3)
        )
    )
    import c8ydm.api.client as client_module

    decode, watched, alive_at_decode = client_module.decode_json, [], []

    def decode_into_sentinels(response: httpx.Response, **options: Any) -> Any:
        alive_at_decode.append([ref() is not None for ref in watched])
        decoded = decode(response, **options)
        decoded["managedObjects"] = [Sentinel() for _ in decoded["managedObjects"]]
        watched.extend(weakref.ref(item) for item in decoded["managedObjects"])
        return decoded

    monkeypatch.setattr(client_module, "decode_json", decode_into_sentinels)
    try:
        paging.retain_last_page()
        for items in iter_pages(client, PATH, "managedObjects", page_size=1):
            del items
        kept = [ref() is not None for ref in watched]
        paging.retain_last_page(False)
    finally:
        paging.retain_last_page(False)

    # When page 2 and page 3 are decoded, the pages before them are already gone.
    assert alive_at_decode == [[], [False], [False, False]]
    assert kept == [False, False, True]  # the last page outlives the walk only while asked to
    assert [ref() is not None for ref in watched] == [False, False, False]
