"""Paging through Cumulocity collections and counting them (contract §1.5, §14(e), §14(l)).

Pages are requested with ``pageSize`` (at most 2000) and ``currentPage``; the next page number is
taken from the ``next`` link when present (for restricted users ``currentPage`` is an offset), else
stepped. Iteration stops on an empty page, on a short page, or on the last page that the first
answer's ``totalPages`` announced (so a full last page costs no extra, empty request). When
``withTotalPages=true`` still gives ``totalPages: null`` the user is restricted by inventory roles:
pages may be short while more data exists, so ``next`` is followed until an empty page (§14(l)).

While the caller works through one page, the next ones are already being fetched (two pages ahead
while the pages are known from the totals, else one; only pages known to be needed), so writing
out a long listing and the tenant's work on the following pages overlap. Two pages ahead go out on
two connections, each request once the one before it has been sent: the tenant has the following
request in hand when it finishes a page, instead of idling while that page travels and the next
request is built (issue 13).
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    import httpx
    from pydantic import BaseModel

    from c8ydm.api.client import Client
    from c8ydm.api.models.base import PageStatistics

MAX_PAGE_SIZE = 2000  # §1.5: larger values are trimmed by the server
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE  # §14(e): bulk reads use the largest page
SWITCH_SECONDS = 0.001  # the GIL switch interval while pages are fetched ahead (see _Prefetch)
LOOKAHEAD_PAGES = 2  # pages requested ahead of the caller while the pages are known (memory: 3 pages)

M = TypeVar("M", bound="BaseModel")  # pydantic is imported where a model is first used
Page = dict[str, Any]


@dataclass
class _LastPage:
    """The last page of the latest walk, kept while ``retain_last_page`` is on."""

    keep: bool = False
    page: Page | None = None


_last_page = _LastPage()


def retain_last_page(on: bool = True) -> None:
    """Keep the last page of a walk alive until the next walk ends (one page at most) instead of
    freeing it as the walk returns, or stop doing so (and free it).

    For a process that exits with ``os._exit`` right after printing (the CLI): freeing the 2,000
    objects of a listing's last page is its final ~4 ms and frees nothing that is used again
    (issue 13). Off unless asked for: a library keeps nothing."""
    _last_page.keep = on
    if not on:
        _last_page.page = None


def _statistics(page: Mapping[str, Any]) -> PageStatistics:
    # Imported here: the models load pydantic (for `device list -o jsonl` its only use, ~40 ms),
    # which a listing needs only once its first answer is in and the next requests have left,
    # not before its first request (issue 13).
    from c8ydm.api.models.base import PageStatistics

    return PageStatistics.model_validate(page.get("statistics") or {})


def _next_page_number(page: Mapping[str, Any], current: int) -> int | None:
    link = page.get("next")
    if not isinstance(link, str):
        return None
    values = parse_qs(urlsplit(link).query).get("currentPage")
    try:
        number = int(values[0]) if values else current + 1
    except ValueError:
        number = current + 1
    return number if number > current else current + 1


@dataclass
class _Walk:
    """Where a walk through the pages stands, and which page (if any) comes next."""

    size: int
    max_items: int | None
    restricted: bool = False  # §14(l): no totals, so follow ``next`` until an empty page
    last_page: int | None = None  # the first answer's totalPages: the known last page
    seen: int = 0

    def begin(self, page: Mapping[str, Any], *, asked_totals: bool) -> None:
        stats = _statistics(page)
        if asked_totals:
            self.restricted = stats.total_pages is None
            self.last_page = stats.total_pages

    def following(self, page: Mapping[str, Any], current: int, count: int) -> int | None:
        """The number of the page after ``current`` (which held ``count`` items), or None: it was the last."""
        self.seen += count
        if self.max_items is not None and self.seen >= self.max_items:
            return None
        following = _next_page_number(page, current)
        if self.restricted:
            return following
        if count < self.size or (self.last_page is not None and current >= self.last_page):
            return None
        if self.last_page is not None:
            return current + 1  # the pages are known: 1..totalPages
        return following or current + 1

    def planned(self, following: int) -> list[int]:
        """The pages to have requested now that ``following`` is due: it, and while the pages are
        known (totals, no restricted user), the one after it too, so that one is requested the
        moment the other has arrived (no gap while the caller parses); never beyond the last
        page or ``max_items``."""
        if self.restricted or self.last_page is None:
            return [following]
        last = min(self.last_page, following + LOOKAHEAD_PAGES - 1)
        if self.max_items is not None:
            last = min(last, following + math.ceil((self.max_items - self.seen) / self.size) - 1)
        return list(range(following, max(following, last) + 1))


class _Prefetch:
    """Pages fetched ahead on up to ``LOOKAHEAD_PAGES`` worker threads (created only when a second
    page is due), their requests sent in order: each waits until the one submitted before it has
    been written to its connection (or has ended), so the tenant receives the pages' requests in
    page order, and where no request reports being sent (a mock transport) they run one by one.

    While the workers run, the interpreter hands the GIL over every ``SWITCH_SECONDS`` instead of
    every 5 ms: a worker receives a page in 64 KiB reads, each needing the GIL, while the caller
    decodes and writes the previous page; with the default every read could wait 5 ms, which made
    each page of a 20,000-device listing 10-15 ms slower to arrive (issue 13). Restored on close.
    """

    def __init__(self, fetch: Callable[[int, Callable[[], None]], httpx.Response]) -> None:
        self._fetch = fetch  # (page number, on_sent) -> the page's response
        self._ahead: dict[int, Future[httpx.Response]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._switch: float | None = None
        self._sent: threading.Event | None = None  # set once the last submitted request was sent

    def request(self, plan: _Walk, following: int, *, until_sent: bool = False) -> None:
        """Ask for the pages ``plan`` has due once ``following`` is, unless asked for already;
        ``until_sent``: return once the request for ``following`` has left."""
        for planned in plan.planned(following):
            if planned not in self._ahead:
                is_awaited = until_sent and planned == following
                self._ahead[planned] = self._submit(planned, wait_until_sent=is_awaited)

    def take(self, number: int) -> httpx.Response:
        """The response for page ``number`` (asked for with ``request``), once it has arrived."""
        return self._ahead.pop(number).result()

    def _submit(self, number: int, *, wait_until_sent: bool) -> Future[httpx.Response]:
        """Fetch page ``number`` on a worker; ``wait_until_sent``: return once its request has left
        (or ended)."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch, SWITCH_SECONDS))
            self._pool = ThreadPoolExecutor(max_workers=LOOKAHEAD_PAGES, thread_name_prefix="c8ydm-page")
        # A task waits only for the one submitted just before it, which the pool started earlier
        # (first in, first out) or cancelled together with it: no wait outlives close().
        before, sent = self._sent, threading.Event()
        self._sent = sent

        def send_in_turn() -> httpx.Response:
            if before is not None:
                before.wait()
            try:
                return self._fetch(number, sent.set)
            finally:
                sent.set()

        future = self._pool.submit(send_in_turn)
        if wait_until_sent:
            sent.wait()
        return future

    def close(self) -> None:
        # A page still in flight when the caller stops early is awaited, so the client is never
        # used after the caller closed it; one that has not started is cancelled.
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None


def iter_pages(
    client: Client,
    path: str,
    key: str,
    *,
    params: Mapping[str, Any] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_items: int | None = None,
    verbatim: bool = False,
) -> Iterator[list[dict[str, Any]]]:
    """Each non-empty page's items under ``key``, the next pages fetched while this one is consumed;
    no page is requested once ``max_items`` items were delivered. ``verbatim``: the items are
    ``verbatim.Verbatim`` objects that keep the tenant's text for output that passes them through.

    GET ``path`` with ``pageSize``/``currentPage`` (``withTotalPages=true`` on the first request).
    """
    from c8ydm.api.client import decode_json  # the client imports the resources, which import paging

    size = max(1, min(page_size, MAX_PAGE_SIZE))
    base = {**(params or {}), "pageSize": size}
    number = int(base.pop("currentPage", 1))
    first_query = {**base, "currentPage": number}
    first_query.setdefault("withTotalPages", True)

    def fetch(number: int, on_sent: Callable[[], None]) -> httpx.Response:  # on a worker thread
        return client.request("GET", path, params={**base, "currentPage": number}, on_sent=on_sent)

    def decoded(response: httpx.Response) -> Page:
        return decode_json(response, verbatim=key if verbatim else None) or {}

    walk = _Walk(size, max_items)
    first = client.request("GET", path, params=first_query)
    prefetch = _Prefetch(fetch)
    try:
        asked_totals = first_query.get("withTotalPages") is True
        early = _early_walk(first.content, number, size, max_items) if asked_totals else None
        if early is not None:
            # The next pages leave while this one is decoded: the decode waits until the first of
            # them was sent (a millisecond), so the tenant never waits for the decode's GIL.
            prefetch.request(early, number + 1, until_sent=True)
        page = decoded(first)
        del first  # its body is not held while the pages are walked
        walk.begin(page, asked_totals=asked_totals)
        while True:
            items = page.get(key) or []
            if not items:
                return
            following = walk.following(page, number, len(items))
            if following is None:
                if _last_page.keep:
                    _last_page.page = page
                yield items
                return
            prefetch.request(walk, following)
            yield items
            del items, page  # freed while the next page is on its way, not once it has arrived
            page, number = decoded(prefetch.take(following)), following
    finally:
        prefetch.close()


# A page's statistics as Cumulocity (and the sandbox) send them: the last member of the answer.
_CLOSING_STATISTICS = re.compile(rb'"statistics"\s*:\s*(\{[^{}]*\})\s*\}\s*\Z')
_STATISTICS_TAIL = 512  # bytes at the end of a page where the statistics are looked for


def announced_pages(content: bytes) -> int | None:
    """``statistics.totalPages`` read from the end of a page's raw body, before it is decoded; None
    unless the statistics close the body. Only a member of the top-level object can be followed
    by exactly one ``}`` and the end, and only a name (never text inside a string, whose quotes
    are escaped) has a quote right after a ``,`` or ``{``."""
    tail = max(0, len(content) - _STATISTICS_TAIL)
    start = content.rfind(b'"statistics"', tail)
    if start < 0:
        return None
    before = start - 1
    while before >= 0 and content[before] in b" \t\r\n":
        before -= 1
    found = _CLOSING_STATISTICS.match(content, start)
    if before < 0 or content[before] not in b",{" or found is None:
        return None
    try:
        total = json.loads(found.group(1)).get("totalPages")
    except ValueError:
        return None
    return total if type(total) is int else None


def _early_walk(content: bytes, current: int, size: int, max_items: int | None) -> _Walk | None:
    """The pages after ``current`` as the first page's raw body announces them, when more pages
    will be needed even if this one is full; None otherwise (the decoded page decides then)."""
    total = announced_pages(content)
    if total is None or total <= current or (max_items is not None and max_items <= size):
        return None
    return _Walk(size, max_items, last_page=total, seen=size)


@overload
def iter_items(
    client: Client,
    path: str,
    key: str,
    *,
    params: Mapping[str, Any] | None = ...,
    model: type[M],
    page_size: int = ...,
    limit: int | None = ...,
    verbatim: bool = ...,
) -> Iterator[M]: ...


@overload
def iter_items(
    client: Client,
    path: str,
    key: str,
    *,
    params: Mapping[str, Any] | None = ...,
    model: None = ...,
    page_size: int = ...,
    limit: int | None = ...,
    verbatim: bool = ...,
) -> Iterator[dict[str, Any]]: ...


def iter_items(
    client: Client,
    path: str,
    key: str,
    *,
    params: Mapping[str, Any] | None = None,
    model: type[M] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    limit: int | None = None,
    verbatim: bool = False,
) -> Iterator[M] | Iterator[dict[str, Any]]:
    """Every item across pages, as ``model`` instances (or dicts), stopping after ``limit`` items;
    ``verbatim``: dicts that keep the tenant's text (see :func:`iter_pages`)."""
    if limit is not None:
        page_size = min(page_size, max(1, limit))

    def generate() -> Iterator[Any]:
        produced = 0
        pages = iter_pages(
            client, path, key, params=params, page_size=page_size, max_items=limit, verbatim=verbatim
        )
        for items in pages:
            for item in items:
                yield model.model_validate(item) if model is not None else item
                produced += 1
                if limit is not None and produced >= limit:
                    return
            del items  # the page is not held while the next one is awaited (see iter_pages)

    return generate()


def count(client: Client, path: str, *, params: Mapping[str, Any] | None = None) -> int | None:
    """The number of matching items: ``pageSize=1&withTotalPages=true`` → ``statistics.totalPages``.

    None when the tenant gives no total (users restricted by inventory roles, §1.5).
    """
    query = {**(params or {}), "pageSize": 1, "withTotalPages": True}
    page = client.get_json(path, params=query) or {}
    return _statistics(page).total_pages


def count_elements(client: Client, path: str, *, params: Mapping[str, Any] | None = None) -> int | None:
    """The number of matching items: ``pageSize=1&withTotalElements=true`` → ``statistics.totalElements``.

    The UI's count (contract §3.1). None when the tenant gives no total (§1.5).
    """
    query = {**(params or {}), "pageSize": 1, "withTotalElements": True}
    page = client.get_json(path, params=query) or {}
    return _statistics(page).total_elements
