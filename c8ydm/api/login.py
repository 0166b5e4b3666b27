"""Log in to a tenant and verify the credentials (contract §1.2): ``connect(url, ...)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from c8ydm.api.auth import (
    LOGIN_TYPE_BEARER,
    BasicAuth,
    BearerAuth,
    OAIAuth,
    choose_login_type,
    make_auth,
    tenant_from_login_options,
)
from c8ydm.api.client import Client
from c8ydm.api.errors import APIError, InputError
from c8ydm.api.models.tenant import LoginOptionType
from c8ydm.api.models.users import CurrentUser


@dataclass
class LoginResult:
    """A verified connection: the ready client, the tenant id, who we are and how we logged in."""

    client: Client
    tenant_id: str
    current_user: CurrentUser
    login_type: str  # BASIC, OAUTH2_INTERNAL or BEARER
    token: str | None = field(default=None, repr=False)  # the OAI-Secure token, when one was issued


def resolve_login_type(client: Client, *, tenant: str | None, has_password: bool) -> tuple[str, str | None]:
    """Pick the login type from ``GET /tenant/loginOptions``; BASIC when the options cannot be read.

    Also returns the tenant id found in an option's ``initRequest`` when none was given.
    """
    try:
        options = client.tenant.login_options(tenant_id=tenant)
    except APIError:
        return LoginOptionType.BASIC.value, tenant
    return choose_login_type(options, has_password=has_password), tenant or tenant_from_login_options(options)


def connect(
    url: str,
    *,
    tenant: str | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    tfa_code: str | None = None,
    login_type: str | None = None,
    **client_options: Any,
) -> LoginResult:
    """Log in and verify: login options, then ``GET /tenant/currentTenant`` and ``GET /user/currentUser``.

    With a token, Bearer is used as is. With a password, OAI-Secure is used when the tenant offers it
    (unless ``login_type`` says otherwise), else Basic: bare ``user:password`` until the tenant id is
    known, then ``tenant/user:password``. ``client_options`` go to ``Client`` (verify, timeout, hooks…).
    """
    if not token and not (user and password):
        raise InputError("a user and a password, or a token, are needed to log in")
    client = Client(url, None, tenant=tenant, **client_options)
    try:
        if token:
            auth: httpx.Auth = BearerAuth(token)
            chosen = LOGIN_TYPE_BEARER
        else:
            if login_type is None:
                login_type, tenant = resolve_login_type(client, tenant=tenant, has_password=True)
            chosen = login_type.upper()
            auth = make_auth(
                login_type=chosen, user=user, password=password, tenant=tenant, tfa_code=tfa_code
            )
        client.set_auth(auth)
        tenant_id = client.tenant.current().name
        if not tenant_id:
            raise InputError("the tenant did not report its id (GET /tenant/currentTenant)")
        client.tenant_id = tenant_id
        if isinstance(auth, BasicAuth):
            auth.tenant = tenant_id  # §1.2 ★ the prefixed form once the tenant id is known
        current_user = client.tenant.current_user()
    except BaseException:
        client.close()
        raise
    issued = auth.token if isinstance(auth, OAIAuth) else None
    return LoginResult(client, tenant_id, current_user, chosen, issued)
