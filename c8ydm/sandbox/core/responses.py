"""JSON responses the way Cumulocity sends them (contract §1.3, §1.4).

- Media types are the spec's vendor types, e.g. `application/vnd.com.nsn.cumulocity.managedobject+json`;
  any JSON client reads them.
- POST answers 201 with the object only when the request carried an `Accept` header, otherwise an
  empty body; the new URI is always in `Location` (contract §1.3 "Response bodies").
- JSON PUT answers 200 with the object; DELETE 204 with no body.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.errors import C8yHTTPError, bad_json


def vendor(name: str) -> str:
    """The vendor media type for a resource name as the spec spells it (`managedobject`, `event`, ...)."""
    return f"application/vnd.com.nsn.cumulocity.{name}+json;charset=UTF-8;ver=0.9"


def json_response(
    doc: Any, *, status: int = 200, media: str = "application/json", headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, media_type=media, headers=headers)


def created(request: Request, doc: dict[str, Any], *, media: str, location: str) -> Response:
    """201: the body only when the client sent `Accept` (the spec's rule), `Location` always."""
    headers = {"Location": location}
    if request.headers.get("accept"):
        return json_response(doc, status=201, media=media, headers=headers)
    return Response(b"", status_code=201, headers=headers)


def no_content() -> Response:
    return Response(status_code=204)


def base_url(request: Request) -> str:
    """The request's own scheme://host[:port], without a trailing slash, for absolute `self` links."""
    return str(request.base_url).rstrip("/")


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; 400 if it is not JSON, 422 if it is not an object."""
    raw = await request.body()
    try:
        data = json.loads(raw or b"null")
    except ValueError as exc:
        raise bad_json(f"Could not parse the request body as JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise C8yHTTPError(422, "general/invalidData", "The request body must be a JSON object")
    return data


def flag(request: Request, name: str, default: bool = False) -> bool:
    """A boolean query parameter (`true`/`false`, case-insensitive)."""
    value = request.query_params.get(name)
    return default if value is None else value.strip().lower() == "true"


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without private fields (names starting with `_`, e.g. `_passwordHash`)."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}
