"""Paging through Cumulocity collections and counting them (contract §1.5, §14(e), §14(l)).

Pages are requested with ``pageSize`` (at most 2000) and ``currentPage``; the next page number is
taken from the ``next`` link when present (for restricted users ``currentPage`` is an offset), else
stepped. Iteration stops on an empty page, on a short page, or after ``totalPages``. When
``withTotalPages=true`` still gives ``totalPages: null`` the user is restricted by inventory roles:
pages may be short while more data exists, so ``next`` is followed until an empty page (§14(l)).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel

from c8ydm.api.models.base import PageStatistics

if TYPE_CHECKING:
    from c8ydm.api.client import Client

MAX_PAGE_SIZE = 2000  # §1.5: larger values are trimmed by the server
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE  # §14(e): bulk reads use the largest page

M = TypeVar("M", bound=BaseModel)


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


def iter_pages(
    client: Client,
    path: str,
    key: str,
    *,
    params: Mapping[str, Any] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Iterator[list[dict[str, Any]]]:
    """Each non-empty page's items under ``key``. GET ``path`` with ``pageSize``/``currentPage``."""
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    base = {**(params or {}), "pageSize": size}
    current = int(base.pop("currentPage", 1))
    restricted = False
    first = True
    while True:
        query = {**base, "currentPage": current}
        if first:
            query.setdefault("withTotalPages", True)
        page = client.get_json(path, params=query) or {}
        items = page.get(key) or []
        if not items:
            return
        stats = PageStatistics.model_validate(page.get("statistics") or {})
        if first and query.get("withTotalPages") is True:
            restricted = stats.total_pages is None
        first = False
        yield items
        following = _next_page_number(page, current)
        if restricted:
            if following is None:
                return
        else:
            if len(items) < size or (stats.total_pages is not None and current >= stats.total_pages):
                return
            following = following or current + 1
        current = following


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
) -> Iterator[M] | Iterator[dict[str, Any]]:
    """Every item across pages, as ``model`` instances (or dicts), stopping after ``limit`` items."""
    if limit is not None:
        page_size = min(page_size, max(1, limit))

    def generate() -> Iterator[Any]:
        produced = 0
        for items in iter_pages(client, path, key, params=params, page_size=page_size):
            for item in items:
                yield model.model_validate(item) if model is not None else item
                produced += 1
                if limit is not None and produced >= limit:
                    return

    return generate()


def count(client: Client, path: str, *, params: Mapping[str, Any] | None = None) -> int | None:
    """The number of matching items: ``pageSize=1&withTotalPages=true`` → ``statistics.totalPages``.

    None when the tenant gives no total (users restricted by inventory roles, §1.5).
    """
    query = {**(params or {}), "pageSize": 1, "withTotalPages": True}
    page = client.get_json(path, params=query) or {}
    return PageStatistics.model_validate(page.get("statistics") or {}).total_pages


def count_elements(client: Client, path: str, *, params: Mapping[str, Any] | None = None) -> int | None:
    """The number of matching items: ``pageSize=1&withTotalElements=true`` → ``statistics.totalElements``.

    The UI's count (contract §3.1). None when the tenant gives no total (§1.5).
    """
    query = {**(params or {}), "pageSize": 1, "withTotalElements": True}
    page = client.get_json(path, params=query) or {}
    return PageStatistics.model_validate(page.get("statistics") or {}).total_elements
