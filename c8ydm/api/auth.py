"""Authentication (contract §1.2): Basic, Bearer and OAI-Secure login, and the login-option choice.

The auth objects are ``httpx.Auth`` flows; their ``repr`` never shows a secret. ``OAIAuth`` logs in
lazily with the password form, sends the token as Bearer, and logs in again once on a 401.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx

from c8ydm.api.conventions import check_credential
from c8ydm.api.errors import AuthenticationError, InputError
from c8ydm.api.http_errors import error_from_response

if TYPE_CHECKING:  # the models load pydantic's machinery: not before a command's first request
    from c8ydm.api.models.tenant import LoginOption

TOKEN_PATH = "/tenant/oauth/token"  # ★ the Go CLI's endpoint, answering {"access_token": ...}
COOKIE_LOGIN_PATH = "/tenant/oauth"  # the SDK's endpoint, answering with an "authorization" cookie
LOGIN_TYPE_BEARER = "BEARER"  # a token given by the user, not a login option
OAUTH2_INTERNAL = "OAUTH2_INTERNAL"  # LoginOptionType.OAUTH2_INTERNAL (tests check they agree)


def check_token(token: str) -> None:
    """``check_credential`` for a token, which also must be ASCII (it travels as a header value)."""
    check_credential(token, "token")
    if not token.isascii():
        raise InputError("the token contains a non-ASCII character; it was not used")


def basic_header(user: str, password: str, tenant: str | None = None) -> str:
    """``Basic base64("<tenant>/<user>:<password>")``, or the bare form without a tenant (§1.2)."""
    principal = f"{tenant}/{user}" if tenant else user
    return "Basic " + base64.b64encode(f"{principal}:{password}".encode()).decode("ascii")


def decode_jwt_claims(token: str) -> dict[str, Any]:
    """The JWT payload (``sub``, ``ten``, ``exp``…), decoded as base64url; {} when not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


class BasicAuth(httpx.Auth):
    """HTTP Basic; ``tenant`` may be set later, switching from the bare to the prefixed form."""

    def __init__(self, user: str, password: str, *, tenant: str | None = None) -> None:
        check_credential(user, "user name")
        check_credential(password, "password")
        self.user = user
        self._password = password
        self.tenant = tenant

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the Basic header."""
        request.headers["Authorization"] = basic_header(self.user, self._password, self.tenant)
        yield request

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, tenant={self.tenant!r})"


class BearerAuth(httpx.Auth):
    """A token given by the user: sent as is; a 401 is final."""

    def __init__(self, token: str) -> None:
        check_token(token)
        self._token = token

    @property
    def tenant(self) -> str | None:
        """The ``ten`` claim of the token, if any."""
        value = decode_jwt_claims(self._token).get("ten")
        return str(value) if value else None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the Bearer header."""
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


class OAIAuth(httpx.Auth):
    """OAI-Secure: ``POST /tenant/oauth/token?tenant_id=`` (fallback ``/tenant/oauth``), then Bearer."""

    def __init__(
        self, user: str, password: str, *, tenant: str | None = None, tfa_code: str | None = None
    ) -> None:
        check_credential(user, "user name")
        check_credential(password, "password")
        self.user = user
        self._password = password
        self._tenant = tenant
        self._tfa_code = tfa_code
        self._token: str | None = None

    @property
    def token(self) -> str | None:
        """The current access token (None before the first request)."""
        return self._token

    @property
    def tenant(self) -> str | None:
        """The tenant given, else the token's ``ten`` claim."""
        if self._tenant is None and self._token:
            value = decode_jwt_claims(self._token).get("ten")
            self._tenant = str(value) if value else None
        return self._tenant

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Log in if needed, send with the token; on a 401 with an older token, log in again once."""
        fresh = self._token is None
        if fresh:
            yield from self._login(request)
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401 and not fresh:
            # §1.2: tokens expire or are revoked by session limits; log in again once.
            yield from self._login(request)
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request

    def async_auth_flow(self, request: httpx.Request) -> Any:
        """Not supported: c8ydm's client is synchronous."""
        raise NotImplementedError("c8ydm uses the synchronous client only")

    def _login(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield self._login_request(request, TOKEN_PATH)
        token = _access_token(response) if response.status_code == 200 else None
        if token is None and response.status_code in (200, 404, 405):
            response = yield self._login_request(request, COOKIE_LOGIN_PATH)
            token = response.cookies.get("authorization") if response.is_success else None
        if token is None:
            response.read()
            path = response.request.url.path
            if response.is_error:
                raise error_from_response(response, method="POST", path=path)
            raise AuthenticationError(f"OAI-Secure login returned no token (POST {path})", status_code=401)
        self._token = token

    def _login_request(self, request: httpx.Request, path: str) -> httpx.Request:
        form = {"grant_type": "PASSWORD", "username": self.user, "password": self._password}
        if self._tfa_code:
            form["tfa_code"] = self._tfa_code  # ⚠ the SDK's tfa_token is not used (§1.2)
        params = {"tenant_id": self._tenant} if self._tenant else {}
        headers = {"Accept": "application/json", "User-Agent": request.headers.get("User-Agent", "c8ydm")}
        url = request.url.copy_with(raw_path=path.encode("ascii")).copy_merge_params(params)
        return httpx.Request("POST", url, data=form, headers=headers, extensions=dict(request.extensions))

    def __repr__(self) -> str:
        return f"OAIAuth(user={self.user!r}, tenant={self._tenant!r})"


def _access_token(response: httpx.Response) -> str | None:
    response.read()
    try:
        body = response.json()
    except ValueError:
        return None
    token = body.get("access_token") if isinstance(body, dict) else None
    return token if isinstance(token, str) and token else None


def choose_login_type(options: Iterable[LoginOption], *, has_password: bool) -> str:
    """OAUTH2_INTERNAL when offered and a password is given (the Go CLI's preference), else BASIC."""
    from c8ydm.api.models.tenant import LoginOptionType

    offered = {(option.type or "").upper() for option in options}
    if has_password and LoginOptionType.OAUTH2_INTERNAL.value in offered:
        return LoginOptionType.OAUTH2_INTERNAL.value
    return LoginOptionType.BASIC.value


def tenant_from_login_options(options: Iterable[LoginOption]) -> str | None:
    """The ``tenant_id`` in an option's ``initRequest`` URL, if any."""
    for option in options:
        if option.init_request:
            values = parse_qs(urlsplit(option.init_request).query).get("tenant_id")
            if values and values[0]:
                return values[0]
    return None


def make_auth(
    *,
    login_type: str,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    tenant: str | None = None,
    tfa_code: str | None = None,
) -> httpx.Auth:
    """The auth object for a login type (BASIC, OAUTH2_INTERNAL or BEARER); no request is sent."""
    if token:
        return BearerAuth(token)
    if not user or not password:
        raise InputError("a user and a password (or a token) are needed to log in")
    if login_type.upper() == OAUTH2_INTERNAL:
        return OAIAuth(user, password, tenant=tenant, tfa_code=tfa_code)
    return BasicAuth(user, password, tenant=tenant)
