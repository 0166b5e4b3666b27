"""Tenant endpoints: login options, OAI-Secure login, current tenant and user, options (contract §1.2).

GET  /tenant/loginOptions                      no authentication; BASIC and OAUTH2_INTERNAL
POST /tenant/oauth/token?tenant_id=T           form login -> {"access_token": "<JWT>"}
POST /tenant/oauth?tenant_id=T                 form login -> cookies authorization + XSRF-TOKEN
GET  /tenant/currentTenant                     {"name", "domainName", ...}
GET  /user/currentUser                         the user with effectiveRoles
GET  /tenant/system/options/{category}/{key}   {"category", "key", "value"}
GET  /tenant/options/{category}/{key}          tenant options, same store
"""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox import auth
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.responses import base_url, json_response, public, vendor

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

PID_HEADER = "X-C8ydm-Sandbox-Pid"
# System options a real tenant answers; the creation-ramp bounds are the UI's defaults (contract §11.3).
DEFAULT_OPTIONS = {
    ("device-control", "bulkoperation.creationramp"): "0.001",
    ("device-control", "bulkoperation.maxcreationramp"): "3600",
    ("ssl", "shared-truststore.enabled"): "false",
    ("configuration", "crl.online.check.enabled"): "false",
    ("configuration", "crl.offline.check.enabled"): "false",
}


def ensure_core_data(state: SandboxState) -> None:
    """Seed the options the core serves (idempotent: existing values are kept)."""
    for (category, key), value in DEFAULT_OPTIONS.items():
        option_id = f"{category}.{key}"
        if state.store.get("options", option_id) is None:
            state.store.put("options", option_id, {"category": category, "key": key, "value": value})


def render_user(
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
    if tenant_id not in (None, "", state.config.tenant):
        raise auth.unauthorized()
    form = await request.form()
    if str(form.get("grant_type", "")).upper() != "PASSWORD":
        raise C8yHTTPError(400, "security/invalidGrant", "Only grant_type=PASSWORD is supported")
    user_name = str(form.get("username", ""))
    auth.check_credentials(state, user_name, str(form.get("password", "")))
    return auth.issue_token(state, user_name)


def _option(state: SandboxState, request: Request) -> dict[str, Any]:
    category, key = request.path_params["category"], request.path_params["key"]
    option = state.store.get("options", f"{category}.{key}")
    if option is None:
        raise C8yHTTPError(404, "options/notFound", f"Unable to find option by given key: {category}/{key}")
    return {
        "category": category,
        "key": key,
        "value": option["value"],
        "self": f"{base_url(request)}/tenant/options/{category}/{key}",
    }


def routes(state: SandboxState) -> list[Route]:
    async def login_options(request: Request) -> Response:
        # The pid lets `control` tell this server from another one on the same port.
        return json_response(
            _login_options(request),
            media=vendor("loginoptioncollection"),
            headers={PID_HEADER: str(os.getpid())},
        )

    async def oauth_token(request: Request) -> Response:
        return json_response({"access_token": await _form_login(request, state)})

    async def oauth_cookie(request: Request) -> Response:
        token = await _form_login(request, state)
        response = Response(status_code=200)
        response.set_cookie(
            "authorization", token, max_age=auth.TOKEN_LIFETIME_SECONDS, httponly=True, samesite="lax"
        )
        response.set_cookie("XSRF-TOKEN", secrets.token_hex(16), max_age=auth.TOKEN_LIFETIME_SECONDS)
        return response

    async def current_tenant(request: Request) -> Response:
        auth.require(request)
        host = request.url.hostname or "localhost"
        return json_response(
            {
                "name": state.config.tenant,
                "domainName": host,
                "allowCreateTenants": False,
                "customProperties": {},
                "applications": {"references": []},
                "self": f"{base_url(request)}/tenant/currentTenant",
            },
            media=vendor("currenttenant"),
        )

    async def current_user(request: Request) -> Response:
        user = auth.require(request)
        doc = render_user(request, state, user, self_path="/user/currentUser")
        return json_response(doc, media=vendor("currentuser"))

    async def option(request: Request) -> Response:
        auth.require(request)
        return json_response(_option(state, request), media=vendor("option"))

    return [
        Route("/tenant/loginOptions", login_options, methods=["GET"]),
        Route("/tenant/oauth/token", oauth_token, methods=["POST"]),
        Route("/tenant/oauth", oauth_cookie, methods=["POST"]),
        Route("/tenant/currentTenant", current_tenant, methods=["GET"]),
        Route("/user/currentUser", current_user, methods=["GET"]),
        Route("/tenant/system/options/{category}/{key}", option, methods=["GET"]),
        Route("/tenant/options/{category}/{key}", option, methods=["GET"]),
    ]
