"""A tiny Cumulocity look-alike on a free localhost port, for tests through the real entry point.

It answers only what ``c8ydm login`` and the session commands need (contract §1.2): login options,
current tenant and current user, with Basic authentication checked.
"""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from support.http_server import send_json

TENANT = "t100"


class FakeTenant:
    """``with FakeTenant(user, password) as tenant: tenant.url``; ``tenant.requests`` lists what came in."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.requests: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append({"path": self.path, "headers": dict(self.headers)})
                status, body = owner.answer(self.path.split("?")[0], self.headers.get("Authorization"))
                send_json(self, status, body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def is_authorized(self, header: str | None) -> bool:
        accepted = {f"{self.user}:{self.password}", f"{TENANT}/{self.user}:{self.password}"}
        if not header or not header.startswith("Basic "):
            return False
        return base64.b64decode(header[6:]).decode() in accepted

    def answer(self, path: str, authorization: str | None) -> tuple[int, Any]:
        if path == "/tenant/loginOptions":
            return 200, {"loginOptions": [{"type": "BASIC", "userManagementSource": "INTERNAL"}]}
        if not self.is_authorized(authorization):
            return 401, {"error": "security/Unauthorized", "message": "Invalid credentials!"}
        if path == "/tenant/currentTenant":
            return 200, {"name": TENANT, "domainName": "127.0.0.1"}
        if path == "/user/currentUser":
            return 200, {
                "id": self.user,
                "userName": self.user,
                "effectiveRoles": [{"id": "ROLE_INVENTORY_READ"}],
            }
        return 404, {"error": "general/notFound", "message": f"Nothing at {path}"}

    def __enter__(self) -> FakeTenant:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
