"""Authentication and authorization (contract §1.2).

- Basic as `<tenant>/<user>:<password>` or bare `<user>:<password>`; any other tenant prefix is 401.
- Bearer tokens (and the `authorization` cookie) issued by `/tenant/oauth[/token]`: a JWT with a
  base64url payload `{sub, ten, exp, ...}` signed HS256 with a key derived from the admin password,
  so tokens survive a restart but not a reset.
- The admin and the read-only user are checked against `SandboxOptions`; other users (device users
  created by registration) carry a salted hash in their private `_passwordHash` field. Private fields
  (names starting with `_`) are never rendered.
- 401 `security/Unauthorized` for missing or wrong credentials or a disabled user; 403
  `security/Forbidden` for a write by the read-only user or a missing role.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.state import SandboxState, state_of

TOKEN_LIFETIME_SECONDS = 2 * 3600

READ_ROLES = (
    "ROLE_INVENTORY_READ",
    "ROLE_DEVICE_CONTROL_READ",
    "ROLE_BULK_OPERATION_READ",
    "ROLE_EVENT_READ",
    "ROLE_USER_MANAGEMENT_READ",
    "ROLE_TENANT_MANAGEMENT_READ",
    "ROLE_IDENTITY_READ",
    "ROLE_OPTION_MANAGEMENT_READ",
    "ROLE_ALARM_READ",
    "ROLE_MEASUREMENT_READ",
    "ROLE_AUDIT_READ",
)
ADMIN_ROLES = (
    *READ_ROLES,
    "ROLE_INVENTORY_ADMIN",
    "ROLE_INVENTORY_CREATE",
    "ROLE_BINARY_ADMIN",
    "ROLE_BINARY_CREATE",
    "ROLE_MANAGED_OBJECT_ADMIN",
    "ROLE_MANAGED_OBJECT_CREATE",
    "ROLE_DEVICE_CONTROL_ADMIN",
    "ROLE_BULK_OPERATION_ADMIN",
    "ROLE_EVENT_ADMIN",
    "ROLE_USER_MANAGEMENT_ADMIN",
    "ROLE_USER_MANAGEMENT_OWN_ADMIN",
    "ROLE_TENANT_ADMIN",
    "ROLE_TENANT_MANAGEMENT_ADMIN",
    "ROLE_IDENTITY_ADMIN",
    "ROLE_OPTION_MANAGEMENT_ADMIN",
    "ROLE_ALARM_ADMIN",
    "ROLE_MEASUREMENT_ADMIN",
)


def unauthorized(message: str = "Invalid credentials! : Bad credentials") -> C8yHTTPError:
    return C8yHTTPError(401, "security/Unauthorized", message)


def forbidden(message: str = "Access is denied") -> C8yHTTPError:
    return C8yHTTPError(403, "security/Forbidden", message)


# -- passwords ---------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """`salt$sha256(salt+password)` for the `_passwordHash` field of a user document."""
    salt = secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"


def check_password(user: dict[str, Any], password: str) -> bool:
    stored = str(user.get("_passwordHash", ""))
    salt, _, digest = stored.partition("$")
    if not digest:
        return False
    return hmac.compare_digest(digest, hashlib.sha256((salt + password).encode()).hexdigest())


# -- tokens ------------------------------------------------------------------------------------
def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signing_key(state: SandboxState) -> bytes:
    return hashlib.sha256(("c8ydm-sandbox-jwt:" + state.options.admin_password).encode()).digest()


def issue_token(state: SandboxState, user_name: str) -> str:
    now = int(time.time())
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {
        "sub": user_name,
        "ten": state.options.tenant,
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_LIFETIME_SECONDS,
        "jti": secrets.token_hex(8),
        "tfa": False,
    }
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(_signing_key(state), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def _token_user(state: SandboxState, token: str) -> str:
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(_signing_key(state), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(signature)):
            raise unauthorized("Invalid token")
        claims = json.loads(_b64url_decode(payload))
    except (ValueError, binascii.Error) as exc:
        raise unauthorized("Invalid token") from exc
    if claims.get("ten") != state.options.tenant or int(claims.get("exp", 0)) < time.time():
        raise unauthorized("Token expired")
    return str(claims["sub"])


# -- users -------------------------------------------------------------------------------------
def builtin_user(state: SandboxState, user_name: str) -> dict[str, Any] | None:
    """The stored document of the admin or read-only user, or a minimal one if not seeded yet."""
    options = state.options
    if user_name not in (options.admin_user, options.readonly_user):
        return None
    doc = state.store.get("users", user_name)
    return doc if doc is not None else {"id": user_name, "userName": user_name, "enabled": True}


def check_credentials(state: SandboxState, user_name: str, password: str) -> dict[str, Any]:
    """The user document for a user name (no tenant prefix) and password; 401 otherwise."""
    options = state.options
    builtin = {options.admin_user: options.admin_password, options.readonly_user: options.readonly_password}
    if user_name in builtin:
        user = builtin_user(state, user_name)
        # Bytes, not str: compare_digest refuses non-ASCII strings, and any password may be typed.
        if user is not None and hmac.compare_digest(builtin[user_name].encode(), password.encode()):
            return user
        raise unauthorized()
    user = state.store.get("users", user_name)
    if user is None or not check_password(user, password):
        raise unauthorized()
    if user.get("enabled") is False:
        raise unauthorized("User account is disabled")
    return user


def _strip_tenant(state: SandboxState, login: str) -> str:
    if "/" in login:
        tenant, _, login = login.partition("/")
        if tenant != state.options.tenant:
            raise unauthorized()
    return login


def authenticate(request: Request) -> dict[str, Any]:
    """The user document of the request's credentials (Basic, Bearer or cookie); 401 otherwise."""
    state = state_of(request)
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            login, sep, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (ValueError, binascii.Error) as exc:
            raise unauthorized() from exc
        if not sep:
            raise unauthorized()
        return check_credentials(state, _strip_tenant(state, login), password)
    token = value.strip() if scheme.lower() == "bearer" else request.cookies.get("authorization", "")
    if not token:
        raise unauthorized("Full authentication is required to access this resource")
    user_name = _token_user(state, token)
    user = builtin_user(state, user_name) or state.store.get("users", user_name)
    if user is None or user.get("enabled") is False:
        raise unauthorized()
    return user


def effective_roles(state: SandboxState, user: dict[str, Any]) -> set[str]:
    """Role ids of a user: all for the admin, *_READ for the read-only user, else the stored
    `effectiveRoles` (kept by model/user_groups.py)."""
    name = user.get("userName", user.get("id"))
    if name == state.options.admin_user:
        return set(ADMIN_ROLES)
    if name == state.options.readonly_user:
        return set(READ_ROLES)
    return {str(r.get("id")) for r in user.get("effectiveRoles", []) if isinstance(r, dict)}


def require(request: Request, *, write: bool = False, role: str | None = None) -> dict[str, Any]:
    """Authenticate; 403 for a write by the read-only user or when `role` is missing."""
    user = authenticate(request)
    state = state_of(request)
    name = user.get("userName", user.get("id"))
    if write and name == state.options.readonly_user:
        raise forbidden()
    if role is not None and role not in effective_roles(state, user):
        raise forbidden(f"Access is denied: {role} required")
    return user
