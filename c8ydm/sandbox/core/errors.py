"""Cumulocity error responses (contract §1.4).

Body `{"error": "<resource>/<name>", "message": ..., "info": <url>}` with the vendor error media type;
the trusted-certificate endpoints answer the same body as plain `application/json`.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

ERROR_MEDIA_TYPE = "application/vnd.com.nsn.cumulocity.error+json;charset=UTF-8"
ERROR_INFO_URL = "https://cumulocity.com/docs/api/#section/REST-implementation/Error-reporting"


class C8yHTTPError(Exception):
    """Raised by route handlers; app.py's exception handler turns it into `error_response`."""

    def __init__(self, status: int, error: str, message: str, *, plain_json: bool = False) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message
        self.plain_json = plain_json


def error_response(status: int, error: str, message: str, *, plain_json: bool = False) -> Response:
    body = json.dumps({"error": error, "message": message, "info": ERROR_INFO_URL})
    media_type = "application/json" if plain_json else ERROR_MEDIA_TYPE
    headers = {"WWW-Authenticate": 'Basic realm="Cumulocity"'} if status == 401 else None
    return Response(body, status_code=status, media_type=media_type, headers=headers)


async def handle_c8y_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, C8yHTTPError)
    return error_response(exc.status, exc.error, exc.message, plain_json=exc.plain_json)


def not_found(resource: str, what: str) -> C8yHTTPError:
    """`<resource>/notFound`, e.g. `inventory/notFound` "Finding managed object with id 42 failed"."""
    return C8yHTTPError(404, f"{resource}/notFound", what)


def invalid_data(resource: str, message: str) -> C8yHTTPError:
    return C8yHTTPError(422, f"{resource}/validationError", message)


def bad_json(message: str = "Could not parse the request body as JSON") -> C8yHTTPError:
    return C8yHTTPError(400, "general/invalidJson", message)
