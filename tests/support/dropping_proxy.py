"""A reverse proxy for tests that loses answers AFTER the tenant acted: the hardest network fault.

    with DroppingProxy(sandbox.url, [DropRule("POST /devicecontrol/bulkoperations")], seed=3) as proxy:
        run c8ydm with C8Y_HOST=proxy.url ...
        proxy.dropped   # ["POST /devicecontrol/bulkoperations", ...]

Every request is forwarded to ``upstream`` whole (the tenant receives it and acts); when a rule
matches ``"<METHOD> <path>"`` and its draw from ``random.Random(seed)`` says so, the answer is read
and thrown away and the client's connection is closed without a response (uvicorn closes the
connection when the ASGI callable returns a value other than None, as the sandbox's own ``drop``
fault does; that one drops BEFORE the tenant acts). The Host header is forwarded, so the sandbox's
``self`` links point back at the proxy. The admin endpoint of the sandbox is never dropped.
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
import uvicorn

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
_DROPPED = "dropped"


@dataclass(frozen=True)
class DropRule:
    """Drop answers of requests whose ``"METHOD /path"`` matches ``pattern`` (``re.search``), at ``rate``,
    at most ``times`` times (None: unlimited). ``hold_seconds``: keep the client waiting that long
    before closing (time for a test to kill it while it waits, as ``kill -9`` would)."""

    pattern: str
    rate: float = 1.0
    times: int | None = None
    hold_seconds: float = 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DroppingProxy:
    """See the module docstring. Use as a context manager; ``url`` is the proxy's base URL."""

    def __init__(self, upstream: str, rules: list[DropRule], *, seed: int = 0) -> None:
        self.upstream = upstream.rstrip("/")
        self.rules = list(rules)
        self.dropped: list[str] = []
        self._used = [0] * len(self.rules)
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=self.port,
            log_level="critical",
            lifespan="off",
            interface="asgi3",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def _rule_to_drop(self, target: str) -> DropRule | None:
        if target.startswith(("GET /sandbox/", "POST /sandbox/", "DELETE /sandbox/")):
            return None
        with self._lock:
            for index, rule in enumerate(self.rules):
                if not re.search(rule.pattern, target):
                    continue
                if rule.times is not None and self._used[index] >= rule.times:
                    continue
                if self._random.random() < rule.rate:
                    self._used[index] += 1
                    self.dropped.append(target)
                    return rule
        return None

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "http":
            return None
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        url = f"{self.upstream}{scope.get('raw_path', path.encode()).decode('latin-1')}"
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.request(
                method, url + (f"?{query}" if query else ""), headers=headers, content=body
            )
        rule = self._rule_to_drop(f"{method} {path}")
        if rule is not None:
            if rule.hold_seconds:
                await asyncio.sleep(rule.hold_seconds)
            return _DROPPED  # uvicorn: close the connection, no response (the tenant has acted)
        kept = [(k.encode(), v.encode()) for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP]
        kept.append((b"content-length", str(len(answer.content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": kept})
        await send({"type": "http.response.body", "body": answer.content})
        return None

    def __enter__(self) -> DroppingProxy:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the dropping proxy did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._server.force_exit = True  # do not wait for answers still held back
        self._thread.join(timeout=10)
