"""The Cumulocity client: base URL, auth, headers, retries, error mapping, verbose and dry-run hooks.

Only this module reads HTTP status codes (``error_from_response``); every failure leaves as a member
of ``c8ydm.api.errors``. Resources (``client.inventory``, ``client.operations``…) are built lazily.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from c8ydm import __version__
from c8ydm.api.cache import LookupCache, MemoryCache
from c8ydm.api.conventions import binary_id_from_url, mo_id_from_url, normalize_base_url
from c8ydm.api.errors import C8yError
from c8ydm.api.hooks import DryRun, RequestLog, bytes_description
from c8ydm.api.http_errors import error_from_response, transport_error
from c8ydm.api.resources import Resources
from c8ydm.api.retry import RetryPolicy

__all__ = ["Client", "RequestLog", "binary_id_from_url", "mo_id_from_url"]

Params = Mapping[str, Any] | Sequence[tuple[str, Any]]
USER_AGENT = f"c8ydm/{__version__}"
_LOOKUP_METHODS = frozenset({"GET", "HEAD"})  # sent even in dry-run mode
_START = "c8ydm.start"


def clean_params(params: Params | None) -> list[tuple[str, str]]:
    """Query pairs: None dropped, booleans ``true``/``false``, lists as repeated keys (§1.5)."""
    items = params.items() if isinstance(params, Mapping) else (params or [])
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is None:
                continue
            pairs.append((key, ("true" if item else "false") if isinstance(item, bool) else str(item)))
    return pairs


class Client(Resources):
    """A connection to one tenant. Paths are relative to the tenant (``/inventory/...``).

    Resources: ``inventory``, ``binaries``, ``operations``, ``bulk_operations``, ``events``, ``users``,
    ``tenant``, ``identity``, ``options``, ``advanced_software``, ``certificates``, ``registration``,
    ``alarms`` (see ``Resources``).
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | None,
        *,
        tenant: str | None = None,
        verify: bool = True,
        timeout: float = 30.0,
        transfer_timeout: float = 600.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        dry_run: bool = False,
        on_request_log: Callable[[RequestLog], None] | None = None,
        on_dry_run: Callable[[dict[str, Any]], None] | None = None,
        cache: LookupCache | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.url = httpx.URL(self.base_url)
        self.host = self.url.host
        self.retry = retry or RetryPolicy()
        self.dry_run = dry_run
        self.cache: LookupCache = cache if cache is not None else MemoryCache()  # rarely-changing look-ups
        self.timeout = timeout
        self.transfer_timeout = transfer_timeout
        self._verify = verify
        self._transport = transport
        self._tenant = tenant
        self._on_request_log = on_request_log
        self._dry_run = DryRun(self.base_url, on_dry_run)
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=auth,
            verify=_tls_verify(self.base_url, verify),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            event_hooks={"request": [self._hook_request], "response": [self._hook_response]},
        )

    # -- connection state ------------------------------------------------------------------------
    @property
    def auth(self) -> httpx.Auth | None:
        """The auth in use (None: anonymous, e.g. before login)."""
        return self._http.auth

    def set_auth(self, auth: httpx.Auth | None) -> None:
        """Replace the auth, e.g. after the login type is known."""
        self._http.auth = auth  # type: ignore[assignment]  # httpx accepts None: no auth

    @property
    def tenant_id(self) -> str:
        """The tenant id; read once from ``GET /tenant/currentTenant`` when not given."""
        if self._tenant is None:
            self._tenant = str(self.get_json("/tenant/currentTenant")["name"])
        return self._tenant

    @tenant_id.setter
    def tenant_id(self, value: str) -> None:
        self._tenant = value

    # -- requests --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        content: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        expect_json: bool = True,
        idempotent: bool | None = None,
        transfer: bool = False,
        stream: bool = False,
        dry_run_body: Any = None,
        on_sent: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """Send one request (retried per the policy) and return the response; errors raise the tree.

        ``expect_json`` sends ``Accept: application/json`` (else ``*/*``); ``transfer`` uses the long
        timeout; ``stream`` leaves the body unread (close the response). In dry-run mode a change is
        not sent: its record carries ``dry_run_body`` (a value or a zero-argument callable) or ``json``.
        ``on_sent`` is called once the request has been written to the connection, before its answer
        (each attempt; not at all where no real connection is used, such as a mock transport).
        """
        method = method.upper()
        path = self._relative(path)
        pairs = clean_params(params)
        merged = {"Accept": "application/json" if expect_json else "*/*", **(headers or {})}
        if self.dry_run and method not in _LOOKUP_METHODS:
            body = dry_run_body() if callable(dry_run_body) else dry_run_body
            if body is None and files:
                body = {field: bytes_description(data, name=name) for field, (name, data, _) in files.items()}
            return self._dry_run.handle(method, path, pairs, json if body is None else body)
        timeout = httpx.Timeout(self.transfer_timeout, connect=self.timeout) if transfer else None
        request = self._http.build_request(
            method,
            path,
            params=tuple(pairs),
            json=json,
            content=content,
            files=files,
            headers=merged,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            extensions={"trace": _sent_tracer(on_sent)} if on_sent is not None else None,
        )
        retryable = self.retry.is_retryable_request(method, idempotent=idempotent)
        return self._send(request, retryable=retryable, stream=stream)

    def _send(self, request: httpx.Request, *, retryable: bool, stream: bool) -> httpx.Response:
        attempt, waited = 1, 0.0
        while True:
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                error = transport_error(exc, self.url)
                self._log(request, None, error.message)
                is_local = isinstance(exc, httpx.LocalProtocolError)  # nothing was sent: retry is futile
                delay = self.retry.next_delay(attempt, waited=waited) if retryable and not is_local else None
                if delay is None:
                    raise error from None
            else:
                status = response.status_code
                delay = None
                if retryable and self.retry.is_retryable_status(status):
                    retry_after = response.headers.get("Retry-After")
                    delay = self.retry.next_delay(attempt, waited=waited, retry_after=retry_after)
                if delay is None:
                    return self._finish(request, response, attempt=attempt, stream=stream)
                response.close()
            self.retry.sleep(delay)
            waited += delay
            attempt += 1

    def _finish(
        self, request: httpx.Request, response: httpx.Response, *, attempt: int, stream: bool
    ) -> httpx.Response:
        if response.status_code == 404 and request.method == "DELETE" and attempt > 1:
            # §14(d): an earlier try may have deleted it before its answer was lost.
            response.close()
            return httpx.Response(204, request=request)
        try:
            if response.is_error or not stream:
                response.read()
                # httpx's response and its stream refer to each other, so a read response would be
                # freed (body and all: megabytes per page of a long listing) only by the cyclic
                # garbage collector, whenever it runs. The body is read: its stream is not needed.
                response.stream = httpx.ByteStream(response.content)
        except httpx.TransportError as exc:  # the body broke off while being read
            response.close()
            raise transport_error(exc, self.url) from None
        if response.is_error:
            response.close()
            raise error_from_response(response, method=request.method, path=request.url.path)
        return response

    @contextmanager
    def stream(self, method: str, path: str, **kwargs: Any) -> Iterator[httpx.Response]:
        """``request(..., stream=True)`` as a context manager that closes the response."""
        response = self.request(method, path, stream=True, **kwargs)
        try:
            yield response
        except httpx.TransportError as exc:  # the body broke off while being read
            raise transport_error(exc, self.url) from None
        finally:
            response.close()

    def get_json(self, path: str, *, params: Params | None = None) -> Any:
        """GET a JSON document."""
        return decode_json(self.request("GET", path, params=params))

    def post_json(
        self, path: str, body: Any, *, params: Params | None = None, headers: Mapping[str, str] | None = None
    ) -> Any:
        """POST a JSON body and return the JSON answer (None when empty)."""
        return decode_json(self.request("POST", path, params=params, json=body, headers=headers))

    def put_json(self, path: str, body: Any, *, params: Params | None = None) -> Any:
        """PUT a JSON body and return the JSON answer (None when empty)."""
        return decode_json(self.request("PUT", path, params=params, json=body))

    def delete(self, path: str, *, params: Params | None = None) -> None:
        """DELETE; a 404 after a retried attempt counts as success (§14(d))."""
        self.request("DELETE", path, params=params)

    def external_client(self) -> httpx.Client:
        """An httpx client for URLs outside the tenant: no credentials, redirects followed (§1.1)."""
        return httpx.Client(
            verify=self._verify,
            timeout=httpx.Timeout(self.transfer_timeout, connect=self.timeout),
            transport=self._transport,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
        )

    def _relative(self, path: str) -> str:
        # Authorization goes only to the tenant host (§1.1): absolute URLs must point at it.
        if "://" in path:
            url = httpx.URL(path)
            if url.host != self.host:
                raise C8yError(
                    f"refusing to send tenant credentials to {url.host}",
                    hint="external URLs are fetched without credentials (binaries.download_url)",
                )
            return url.raw_path.decode("ascii")
        return path if path.startswith("/") else "/" + path

    # -- verbose hook ----------------------------------------------------------------------------
    def _hook_request(self, request: httpx.Request) -> None:
        request.extensions[_START] = time.monotonic()

    def _hook_response(self, response: httpx.Response) -> None:
        self._log(response.request, response.status_code, None)

    def _log(self, request: httpx.Request, status: int | None, error: str | None) -> None:
        if self._on_request_log is None:
            return
        started = request.extensions.get(_START, time.monotonic())
        url = request.url.raw_path.decode("ascii", "replace")
        self._on_request_log(RequestLog(request.method, url, status, time.monotonic() - started, error))

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _sent_tracer(on_sent: Callable[[], None]) -> Callable[[str, Mapping[str, Any]], None]:
    """An httpcore ``trace`` extension calling ``on_sent`` when the request body has been written."""

    def trace(event: str, info: Mapping[str, Any]) -> None:
        if event.endswith(".send_request_body.complete"):
            on_sent()

    return trace


def _tls_verify(base_url: str, verify: bool) -> bool:
    """``verify`` for an https tenant. A plain-http tenant (the sandbox, a local gateway) never makes
    a TLS handshake on this client (absolute URLs must point at the tenant host, ``_relative``, and
    redirects are not followed), so its connection pool needs no CA bundle: loading one costs about
    50 ms of every command's start-up. ``external_client`` keeps the caller's ``verify``."""
    return verify if base_url.lower().startswith("https://") else False


def decode_json(response: httpx.Response, *, verbatim: str | None = None) -> Any:
    """The JSON body, or None when the body is empty (e.g. a 201 or 204 without content).

    ``verbatim``: the name of a collection's array whose objects keep their source text
    (``verbatim.decode_page``), for output that writes them out unchanged."""
    if not response.content:
        return None
    try:
        if verbatim is not None:
            from c8ydm.api.verbatim import decode_page

            return decode_page(response.content, verbatim)
        return jsonlib.loads(response.content)
    except ValueError:
        content_type = response.headers.get("Content-Type", "?")
        raise C8yError(
            f"expected JSON from {response.request.method} {response.request.url.path}, got {content_type}"
        ) from None
