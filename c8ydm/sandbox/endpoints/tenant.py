"""Tenant endpoints: login options, OAI-Secure login, current tenant and user, options (contract §1.2).

GET  /tenant/loginOptions                      no authentication; BASIC and OAUTH2_INTERNAL
POST /tenant/oauth/token?tenant_id=T           form login -> {"access_token": "<JWT>"}
POST /tenant/oauth?tenant_id=T                 form login -> cookies authorization + XSRF-TOKEN
GET  /tenant/currentTenant                     {"name", "domainName", ...}
GET  /user/currentUser                         the user with effectiveRoles
GET  /tenant/system/options/{category}/{key}   {"category", "key", "value"}
GET  /tenant/options/{category}/{key}          tenant options, same store
The default options are in model/tenant.py.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import base_url, json_response, public, vendor
from c8ydm.sandbox.devices.seed import progress_of
from c8ydm.sandbox.model.tenant import option_value
from c8ydm.sandbox.state import SandboxState, state_of

PID_HEADER = "X-C8ydm-Sandbox-Pid"
SEED_HEADER = "X-C8ydm-Sandbox-Seeded"


def _render_current_user(
    request: Request, state: SandboxState, user: dict[str, Any], *, self_path: str
) -> dict[str, Any]:
    """A user as Cumulocity shows it: no private fields, absolute `self`, `effectiveRoles` objects."""
    base = base_url(request)
    doc = public(user)
    doc.setdefault("userName", doc["id"])
    doc.setdefault("enabled", True)
    doc["self"] = f"{base}{self_path}"
    doc["effectiveRoles"] = [
        {"id": role, "name": role, "self": f"{base}/user/roles/{role}"}
        for role in sorted(auth.effective_roles(state, user))
    ]
    return doc


def _login_options(request: Request) -> dict[str, Any]:
    base = base_url(request)
    session = {
        "absoluteTimeoutMillis": 7200000,
        "renewalTimeoutMillis": 3600000,
        "maximumNumberOfParallelSessions": 5,
        "userAgentValidationRequired": False,
    }
    return {
        "self": f"{base}/tenant/loginOptions",
        "loginOptions": [
            {
                "id": "oauth2_internal",
                "type": "OAUTH2_INTERNAL",
                "_type": "OAUTH2_INTERNAL",
                "grantType": "PASSWORD",
                "userManagementSource": "INTERNAL",
                "visibleOnLoginPage": True,
                "providerName": "Cumulocity",
                "sessionConfiguration": session,
                "initRequest": f"{base}/tenant/oauth",
                "self": f"{base}/tenant/loginOptions/oauth2_internal",
            },
            {
                "id": "basic",
                "type": "BASIC",
                "_type": "BASIC",
                "userManagementSource": "INTERNAL",
                "visibleOnLoginPage": True,
                "self": f"{base}/tenant/loginOptions/basic",
            },
        ],
    }


async def _form_login(request: Request, state: SandboxState) -> str:
    """Check an OAI-Secure login form; the user name carries no tenant prefix (contract §1.2)."""
    tenant_id = request.query_params.get("tenant_id")
    if tenant_id not in (None, "", state.options.tenant):
        raise auth.unauthorized()
    form = await request.form()
    if str(form.get("grant_type", "")).upper() != "PASSWORD":
        raise C8yHTTPError(400, "security/invalidGrant", "Only grant_type=PASSWORD is supported")
    user_name = str(form.get("username", ""))
    auth.check_credentials(state, user_name, str(form.get("password", "")))
    return auth.issue_token(state, user_name)


def _option(request: Request) -> Response:
    auth.require(request)
    category, key = request.path_params["category"], request.path_params["key"]
    doc = {
        "category": category,
        "key": key,
        "value": option_value(state_of(request), category, key),
        "self": f"{base_url(request)}/tenant/options/{category}/{key}",
    }
    return json_response(doc, media=vendor("option"))


async def get_login_options(request: Request) -> Response:
    # The pid lets `control` tell this server from another one on the same port; the seed's progress
    # (devices seeded/devices, devices/seed.py) lets `sandbox status` show it. Private headers.
    seeded, devices = progress_of(state_of(request))
    return json_response(
        _login_options(request),
        media=vendor("loginoptioncollection"),
        headers={PID_HEADER: str(os.getpid()), SEED_HEADER: f"{seeded}/{devices}"},
    )


async def post_oauth_token(request: Request) -> Response:
    return json_response({"access_token": await _form_login(request, state_of(request))})


async def post_oauth(request: Request) -> Response:
    token = await _form_login(request, state_of(request))
    response = Response(status_code=200)
    response.set_cookie(
        "authorization", token, max_age=auth.TOKEN_LIFETIME_SECONDS, httponly=True, samesite="lax"
    )
    response.set_cookie("XSRF-TOKEN", secrets.token_hex(16), max_age=auth.TOKEN_LIFETIME_SECONDS)
    return response


async def get_current_tenant(request: Request) -> Response:
    auth.require(request)
    host = request.url.hostname or "localhost"
    return json_response(
        {
            "name": state_of(request).options.tenant,
            "domainName": host,
            "allowCreateTenants": False,
            "customProperties": {},
            "applications": {"references": []},
            "self": f"{base_url(request)}/tenant/currentTenant",
        },
        media=vendor("currenttenant"),
    )


async def get_current_user(request: Request) -> Response:
    user = auth.require(request)
    doc = _render_current_user(request, state_of(request), user, self_path="/user/currentUser")
    return json_response(doc, media=vendor("currentuser"))


async def get_system_option(request: Request) -> Response:
    return _option(request)


async def get_tenant_option(request: Request) -> Response:
    return _option(request)
