"""A respx tenant for login tests (contract §1.2): Basic, or OAI-Secure asking for a TOTP code."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import respx
from support.entry_point import Run

URL = "https://t100.example.com"
PASSWORD = "s3cret-Pw"
SESSION = {
    "name": "t100.example.com",
    "url": URL,
    "tenant": "t100",
    "user": "alice",
    "auth": "BASIC",
    "insecure": False,
    "kind": "tenant",
    "current": True,
}


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@contextmanager
def basic_tenant() -> Iterator[respx.MockRouter]:
    """A tenant accepting alice/PASSWORD (bare or t100-prefixed Basic); 401 for anything else."""
    accepted = {_basic("alice", PASSWORD), _basic("t100/alice", PASSWORD)}

    def guarded(body: dict[str, object]) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.headers.get("Authorization") in accepted:
                return httpx.Response(200, json=body)
            return httpx.Response(
                401, json={"error": "security/Unauthorized", "message": "Invalid credentials!"}
            )

        return answer

    with respx.mock(base_url=URL, assert_all_called=False) as mock:
        mock.get("/tenant/loginOptions").respond(200, json={"loginOptions": [{"type": "BASIC"}]})
        mock.get("/tenant/currentTenant").mock(side_effect=guarded({"name": "t100"}))
        mock.get("/user/currentUser").mock(side_effect=guarded({"id": "alice", "userName": "alice"}))
        yield mock


@contextmanager
def oai_tenant() -> Iterator[respx.MockRouter]:
    """A tenant offering OAI-Secure that wants a TOTP code (contract §1.2)."""

    def token(request: httpx.Request) -> httpx.Response:
        form = dict(pair.split("=", 1) for pair in request.content.decode().split("&"))
        if form.get("tfa_code") != "123456":
            return httpx.Response(
                401, json={"error": "security/Unauthorized", "message": "TFA TOTP code required"}
            )
        return httpx.Response(200, json={"access_token": "issued-jwt"})

    def bearer(body: dict[str, object]) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            ok = request.headers.get("Authorization") in ("Bearer issued-jwt", "Bearer given-jwt")
            return httpx.Response(200, json=body) if ok else httpx.Response(401, json={"message": "no"})

        return answer

    with respx.mock(base_url=URL, assert_all_called=False) as mock:
        mock.get("/tenant/loginOptions").respond(200, json={"loginOptions": [{"type": "OAUTH2_INTERNAL"}]})
        mock.post("/tenant/oauth/token").mock(side_effect=token)
        mock.get("/tenant/currentTenant").mock(side_effect=bearer({"name": "t100"}))
        mock.get("/user/currentUser").mock(side_effect=bearer({"id": "alice", "userName": "alice"}))
        yield mock


def login(cli: Callable[..., Run], *extra: str, password: str = PASSWORD) -> Run:
    return cli("login", URL, "--user", "alice", "--password-stdin", *extra, stdin=password + "\n")
