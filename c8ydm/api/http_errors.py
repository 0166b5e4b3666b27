"""The one place where HTTP answers and transport failures become the error tree (contract §1.4).

Only ``Client`` (and the OAI-Secure login inside the auth flow) call these. Messages are one line for
a person and are built from the status, the path and Cumulocity's ``message``: never from headers or
request bodies, so no credential can reach them.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from c8ydm.api.errors import (
    APIError,
    AuthenticationError,
    CannotConnectError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TfaRequiredError,
    TransportError,
    error_class_for_status,
)

_MAX_DETAIL = 200
TFA_CODE_REQUIRED = "TFA TOTP code required"

# §1.2: the roles an area needs, for the hint of a 403. Longest prefix first.
_ROLES: tuple[tuple[str, str, str], ...] = (
    ("/inventory/binaries", "ROLE_INVENTORY_READ", "ROLE_INVENTORY_ADMIN or ROLE_BINARY_ADMIN"),
    ("/inventory", "ROLE_INVENTORY_READ", "ROLE_INVENTORY_ADMIN"),
    ("/devicecontrol/bulkoperations", "ROLE_BULK_OPERATION_READ", "ROLE_BULK_OPERATION_ADMIN"),
    ("/devicecontrol", "ROLE_DEVICE_CONTROL_READ", "ROLE_DEVICE_CONTROL_ADMIN"),
    ("/user", "ROLE_USER_MANAGEMENT_READ", "ROLE_USER_MANAGEMENT_ADMIN"),
    ("/tenant/tenants", "ROLE_TENANT_MANAGEMENT_READ", "ROLE_TENANT_ADMIN or ROLE_TENANT_MANAGEMENT_ADMIN"),
    ("/event", "ROLE_EVENT_READ", "ROLE_EVENT_ADMIN"),
)


def _error_body(response: httpx.Response) -> dict[str, Any]:
    # Parse only JSON bodies (error+json, application/json); proxies answer 502/504 with HTML.
    if "json" not in response.headers.get("Content-Type", "").lower():
        return {}
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def _role_hint(method: str, path: str) -> str | None:
    for prefix, read_role, write_role in _ROLES:
        if path.startswith(prefix):
            role = read_role if method in ("GET", "HEAD") else write_role
            return f"this needs {role}; ask a tenant administrator"
    return None


def error_from_response(response: httpx.Response, *, method: str, path: str) -> APIError:
    """The error for an HTTP error answer, with Cumulocity's ``{error, message, info}`` when present."""
    status = response.status_code
    body = _error_body(response)
    message = body.get("message") if isinstance(body.get("message"), str) else None
    detail = _one_line(message or response.reason_phrase or "error")
    text = f"{detail} (HTTP {status} on {method} {path})"
    cls = error_class_for_status(status)
    hint: str | None = None
    if cls is AuthenticationError and message and TFA_CODE_REQUIRED in message:
        cls, hint = TfaRequiredError, "enter the TOTP code of your authenticator app"
    elif cls is AuthenticationError:
        hint = "check the user, password or token; log in again if the session expired"
    elif cls is PermissionDeniedError:
        hint = _role_hint(method, path)
    elif cls is RateLimitError:
        hint = "the tenant is rate limiting; retry later or reduce parallel work"
    elif cls is ServerError and not body:
        hint = "the tenant or a proxy in front of it is unavailable; retry later"
    error = body.get("error") if isinstance(body.get("error"), str) else None
    info = body.get("info") if isinstance(body.get("info"), str) else None
    retry_after = response.headers.get("Retry-After")
    return cls(
        text, status_code=status, method=method, path=path, error=error, info=info, hint=hint,
        retry_after=retry_after,
    )  # fmt: skip


def address(url: httpx.URL) -> str:
    """``host:port`` of a URL, with the scheme's default port when none is given."""
    port = url.port or {"https": 443, "http": 80, "ftp": 21}.get(url.scheme)
    return f"{url.host}:{port}" if port else url.host


def transport_error(exc: httpx.TransportError, url: httpx.URL, *, is_tenant: bool = True) -> TransportError:
    """A one-line TransportError naming host:port, for a failure before any HTTP answer.

    ``is_tenant`` False: ``url`` is an external repository URL (contract §1.1), so a failure names
    that URL's host, not the tenant's.
    """
    if isinstance(exc, httpx.LocalProtocolError):
        # Raised while writing the request (e.g. a header value httpx refuses): its text may quote
        # the header, which can be the Authorization header, so it is never shown.
        return TransportError(
            f"c8ydm could not send a request to {url.host}: a header or the URL is malformed",
            hint="check C8Y_* values and the session for line breaks or other invisible characters",
        )
    reason = _one_line(str(exc) or type(exc).__name__)
    lowered = reason.lower()
    where = address(url)
    if isinstance(exc, httpx.ConnectTimeout):
        return TransportError(f"timed out connecting to {where}")
    if isinstance(exc, httpx.TimeoutException):
        return TransportError(f"timed out waiting for {where}", hint="a longer timeout may help")
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return TransportError(
            f"TLS failure talking to {where}: {reason}",
            hint="check the URL; --insecure skips verification (test tenants only)"
            if is_tenant
            else f"the server {url.host} of the external URL {url.scheme}://{url.host}{url.path} "
            "is not the tenant",
        )
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
        or "temporary failure in name resolution" in lowered
    ):
        if is_tenant:
            return TransportError(f"cannot resolve host {url.host}", hint="check the tenant URL")
        return TransportError(
            f"cannot resolve host {url.host} of the external URL {url.scheme}://{url.host}{url.path}",
            hint=f"the file is on {url.host}, not on the tenant: check that URL (or this machine's DNS)",
        )
    if isinstance(exc, httpx.ConnectError):
        return CannotConnectError(f"cannot connect to {where}: {reason}")
    return TransportError(f"connection to {where} failed: {reason}")
