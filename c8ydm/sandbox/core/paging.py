"""Collection paging as Cumulocity does it (contract §1.5).

- `pageSize` defaults to 5 and is trimmed to 2000; `currentPage` starts at 1.
- `statistics` always carries `currentPage` and `pageSize`; `totalPages` / `totalElements` only when
  `withTotalPages=true` / `withTotalElements=true` is asked for.
- A page past the end is an empty list, not an error.
- `next` appears whenever the page is full, whether or not more data exists: the platform does not
  count to decide, so clients must stop on a short or empty page (contract §14e). `prev` appears from
  page 2 on. All links are absolute and keep the request's other query parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import base_url, json_response, vendor

DEFAULT_PAGE_SIZE = 5
MAX_PAGE_SIZE = 2000

# Collection key -> media type of the collection, as the spec names them.
_COLLECTION_MEDIA = {
    "managedObjects": vendor("managedobjectcollection"),
    "references": vendor("managedobjectreferencecollection"),
    "operations": vendor("operationcollection"),
    "bulkOperations": vendor("bulkoperationcollection"),
    "events": vendor("eventcollection"),
    "users": vendor("usercollection"),
    "groups": vendor("groupcollection"),
    "newDeviceRequests": vendor("newdevicerequestcollection"),
    "externalIds": vendor("externalidcollection"),
    "options": vendor("optioncollection"),
}


def _positive_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        message = f"{name} must be an integer, not {raw!r}"
        raise C8yHTTPError(422, "general/invalidParameter", message) from None
    if value < 1:
        raise C8yHTTPError(422, "general/invalidParameter", f"{name} must be at least 1, not {value}")
    return value


def page_params(request: Request) -> tuple[int, int]:
    """(pageSize, currentPage) of the request, pageSize trimmed to 2000."""
    page_size = min(_positive_int(request, "pageSize", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    return page_size, _positive_int(request, "currentPage", 1)


def _link(request: Request, self_path: str, page_size: int, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("pageSize", "currentPage")]
    params += [("pageSize", str(page_size)), ("currentPage", str(page))]
    return f"{base_url(request)}{self_path}?{urlencode(params)}"


def paged_response(
    request: Request,
    items: list[dict[str, Any]],
    key: str,
    *,
    self_path: str,
    render: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    media: str | None = None,
) -> Response:
    """One page of `items` under `key`; `render` is applied to the page's items only."""
    page_size, page = page_params(request)
    start = (page - 1) * page_size
    chunk = items[start : start + page_size]
    if render is not None:
        chunk = [render(item) for item in chunk]
    statistics: dict[str, Any] = {"currentPage": page, "pageSize": page_size}
    if request.query_params.get("withTotalPages", "").lower() == "true":
        statistics["totalPages"] = (len(items) + page_size - 1) // page_size
    if request.query_params.get("withTotalElements", "").lower() == "true":
        statistics["totalElements"] = len(items)
    body: dict[str, Any] = {"self": _link(request, self_path, page_size, page), key: chunk}
    if len(chunk) == page_size:
        body["next"] = _link(request, self_path, page_size, page + 1)
    if page > 1:
        body["prev"] = _link(request, self_path, page_size, page - 1)
    body["statistics"] = statistics
    return json_response(body, media=media or _COLLECTION_MEDIA.get(key, "application/json"))
