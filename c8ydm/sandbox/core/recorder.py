"""Request recording for spec validation of end-to-end traffic: a pure ASGI middleware (stdlib only).

`RequestRecorder(app, path)` appends one JSON line per HTTP request to `path`:

    {"method", "path" (still percent-encoded), "query" (the raw query string), "contentType",
     "accept", "authorization" (true/false: whether the header was sent, never its value),
     "body" (JSON bodies parsed, form bodies as text; only when ≤ MAX_BODY_BYTES), "status"}

Secrets are never written: of the headers only Content-Type and Accept are kept (Authorization as a
boolean, cookies not at all), and in kept bodies the string values of secret fields (a key containing
"password", "secret" or "token", or "tfa_code": the OAuth login form, user passwords) are replaced by
SECRET_MASK. Multipart and other bodies are not kept (their content type says what they were). JSON and form
bodies are read before the application sees them and replayed to it unchanged; everything else
streams through untouched. The line is written when the response starts, before the client can
see the answer, so a test that reads the file after its request finished finds the line there.
Enabled by the sandbox server when `C8YDM_SANDBOX_RECORD=<file>` is set (see `from_environment`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ENV_VAR = "C8YDM_SANDBOX_RECORD"
MAX_BODY_BYTES = 1024 * 1024  # bodies above 1 MB are recorded without their content
_KEPT_TYPES = ("application/json", "+json", "application/x-www-form-urlencoded")
SECRET_MASK = "********"  # a string of 8: still valid where a schema wants a (minimum length) string
_SECRET_PARTS = ("password", "secret", "token")
_SECRET_NAMES = frozenset({"tfa_code", "tfacode"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _is_kept(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return any(media.endswith(kind) if kind.startswith("+") else media == kind for kind in _KEPT_TYPES)


def _is_secret(key: str) -> bool:
    name = key.lower()
    return name in _SECRET_NAMES or any(part in name for part in _SECRET_PARTS)


def _masked(value: Any) -> Any:
    """A JSON value with the string values of secret keys replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: SECRET_MASK if isinstance(item, str) and _is_secret(str(key)) else _masked(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _decode(body: bytes, content_type: str | None) -> Any:
    text = body.decode("utf-8", errors="replace")
    if "json" in (content_type or "").lower():
        try:
            return _masked(json.loads(text))
        except ValueError:  # not JSON after all: kept only if no secret field can be in it
            lowered = text.lower()
            return SECRET_MASK if any(part in lowered for part in (*_SECRET_PARTS, *_SECRET_NAMES)) else text
    pairs = parse_qsl(text, keep_blank_values=True)
    if not any(_is_secret(key) for key, _ in pairs):
        return text  # unchanged, byte for byte
    return urlencode([(key, SECRET_MASK if _is_secret(key) else item) for key, item in pairs], safe="*")


class RequestRecorder:
    """Wrap an ASGI app; every HTTP request becomes one JSON line in `path` (see module docstring)."""

    def __init__(self, app: ASGIApp, path: str | os.PathLike[str]) -> None:
        self.app = app
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        content_type = _header(scope, b"content-type")
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
        record: dict[str, Any] = {
            "method": scope.get("method"),
            "path": bytes(raw_path).decode("latin-1").split("?", 1)[0],
            "query": bytes(scope.get("query_string") or b"").decode("latin-1"),
            "contentType": content_type,
            "accept": _header(scope, b"accept"),
            "authorization": _header(scope, b"authorization") is not None,
        }
        if _is_kept(content_type):
            receive = await self._buffer(receive, record, content_type)
        written = False

        async def recording_send(message: Message) -> None:
            nonlocal written
            if message.get("type") == "http.response.start" and not written:
                written = True
                self.write({**record, "status": message.get("status")})
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            if not written:  # no response at all (a dropped connection, an error before the answer)
                self.write({**record, "status": None})

    async def _buffer(self, receive: Receive, record: dict[str, Any], content_type: str | None) -> Receive:
        """Read the whole body (as far as the limit), keep it in the record, replay it to the app."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message.get("type") != "http.request":
                break
            size += len(message.get("body", b""))
            if size > MAX_BODY_BYTES or not message.get("more_body", False):
                break
        complete = messages[-1].get("type") == "http.request" and not messages[-1].get("more_body", False)
        if complete and size <= MAX_BODY_BYTES:
            record["body"] = _decode(b"".join(m.get("body", b"") for m in messages), content_type)
        else:
            record["bodyOmitted"] = True

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        return replay


def from_environment(app: ASGIApp, environ: Mapping[str, str] | None = None) -> ASGIApp:
    """`app` wrapped in a RequestRecorder when `C8YDM_SANDBOX_RECORD` names a file, else `app`."""
    target = (os.environ if environ is None else environ).get(ENV_VAR)
    return RequestRecorder(app, target) if target else app


__all__ = ["ENV_VAR", "MAX_BODY_BYTES", "SECRET_MASK", "RequestRecorder", "from_environment"]
