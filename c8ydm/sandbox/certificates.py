"""Trusted certificates: `/tenant/tenants/{tenant}/trusted-certificates` (contract §13).

    GET    …/trusted-certificates[?certificateAuthority=true]   "certificates", paged
    POST   …/trusted-certificates[?addToTrustStore=…]           {"name","certInPemFormat","status",
                                                                 "autoRegistrationEnabled"} -> 201
    POST   …/trusted-certificates/bulk                          {"certificates": [...]} -> 201
    GET    …/trusted-certificates/{fingerprint}
    PUT    …/trusted-certificates/{fingerprint}                 name, status, autoRegistrationEnabled
    DELETE …/trusted-certificates/{fingerprint}                 -> 204

- Bodies and errors are plain `application/json` (contract §1.4, §13).
- The fingerprint is the SHA-1 of the DER bytes, lower-case hex without colons (the spec's example);
  a fingerprint in a path is matched after removing colons and lower-casing.
- 409 when the fingerprint exists, 422 for unreadable certificate data or a missing `status`.
- `certInPemFormat` is answered as base64 of the DER without the BEGIN/END lines, as in the spec's
  example. `addToTrustStore` is accepted and has no further effect in the sandbox.
- Roles: reading needs ROLE_TENANT_MANAGEMENT_READ or a write role, writing ROLE_TENANT_ADMIN or
  ROLE_TENANT_MANAGEMENT_ADMIN (contract §1.2 table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox.auth import effective_roles, forbidden, require
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, created, flag, json_response, no_content, read_json
from c8ydm.sandbox.x509 import CertificateError, read_certificate

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

COLLECTION = "certificates"
WRITE_ROLES = frozenset({"ROLE_TENANT_ADMIN", "ROLE_TENANT_MANAGEMENT_ADMIN"})
READ_ROLES = WRITE_ROLES | {"ROLE_TENANT_MANAGEMENT_READ"}
STATUSES = ("ENABLED", "DISABLED")


def _error(status: int, error: str, message: str) -> C8yHTTPError:
    return C8yHTTPError(status, error, message, plain_json=True)


def _authorize(state: SandboxState, request: Request, *, write: bool) -> None:
    user = require(request, write=write)
    if not effective_roles(state, user) & (WRITE_ROLES if write else READ_ROLES):
        needed = " or ".join(sorted(WRITE_ROLES if write else READ_ROLES))
        raise forbidden(f"Access is denied: {needed} required")
    if request.path_params["tenant"] != state.config.tenant:
        raise _error(404, "tenant/notFound", f"Tenant {request.path_params['tenant']} not found")


def normalize_fingerprint(text: str) -> str:
    return text.replace(":", "").strip().lower()


def _editable(body: dict[str, Any], doc: dict[str, Any]) -> None:
    """Apply name, status and autoRegistrationEnabled (the only fields a client may change)."""
    if "status" in body and body["status"] not in STATUSES:
        raise _error(422, "certificate/validationError", "status must be ENABLED or DISABLED")
    if "autoRegistrationEnabled" in body and not isinstance(body["autoRegistrationEnabled"], bool):
        raise _error(422, "certificate/validationError", "autoRegistrationEnabled must be true or false")
    doc.update({k: body[k] for k in ("name", "status", "autoRegistrationEnabled") if k in body})


def new_certificate(state: SandboxState, body: Any) -> dict[str, Any]:
    """The document for an uploaded certificate; 422 if invalid, 409 if its fingerprint exists."""
    if not isinstance(body, dict) or not isinstance(body.get("certInPemFormat"), str):
        raise _error(422, "certificate/validationError", "certInPemFormat is required")
    if body.get("status") is None:
        raise _error(422, "certificate/validationError", "status is required (ENABLED or DISABLED)")
    try:
        info = read_certificate(body["certInPemFormat"])
    except CertificateError as exc:
        raise _error(422, "certificate/invalidCertificate", f"Invalid certificate data: {exc}") from None
    if state.store.get(COLLECTION, info.fingerprint) is not None:
        raise _error(409, "certificate/duplicate", f"Certificate with fingerprint {info.fingerprint} exists")
    doc: dict[str, Any] = {
        "id": info.fingerprint,
        "fingerprint": info.fingerprint,
        "name": info.subject,
        "autoRegistrationEnabled": False,
        "certInPemFormat": info.pem_body,
        "algorithmName": info.algorithm_name,
        "version": info.version,
        "serialNumber": info.serial_number,
        "issuer": info.issuer,
        "subject": info.subject,
        "notBefore": info.not_before,
        "notAfter": info.not_after,
        "tenantCertificateAuthority": False,
        "proofOfPossessionValid": False,
    }
    _editable(body, doc)
    return doc


def routes(state: SandboxState) -> list[Route]:
    store, base_path = state.store, "/tenant/tenants/{tenant}/trusted-certificates"

    def render(request: Request, doc: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in doc.items() if k != "id" and not k.startswith("_")}
        tenant = state.config.tenant
        out["self"] = f"{base_url(request)}/tenant/tenants/{tenant}/trusted-certificates/{doc['id']}"
        return out

    def found(request: Request) -> dict[str, Any]:
        fingerprint = normalize_fingerprint(request.path_params["fingerprint"])
        doc = store.get(COLLECTION, fingerprint)
        if doc is None:
            raise _error(404, "certificate/notFound", f"Certificate with fingerprint {fingerprint} not found")
        return doc

    async def collection(request: Request) -> Response:
        if request.method == "GET":
            _authorize(state, request, write=False)
            docs = [
                d
                for d in store.iter(COLLECTION)
                if d.get("tenantCertificateAuthority", False) == flag(request, "certificateAuthority")
            ]
            return paged_response(
                request,
                docs,
                "certificates",
                media="application/json",
                self_path=f"/tenant/tenants/{state.config.tenant}/trusted-certificates",
                render=lambda d: render(request, d),
            )
        _authorize(state, request, write=True)
        doc = store.insert(COLLECTION, new_certificate(state, await read_json(request)))
        out = render(request, doc)
        return created(request, out, media="application/json", location=out["self"])

    async def bulk(request: Request) -> Response:
        _authorize(state, request, write=True)
        items = (await read_json(request)).get("certificates")
        if not isinstance(items, list):
            raise _error(422, "certificate/validationError", 'The body must be {"certificates": [...]}')
        docs = [new_certificate(state, item) for item in items]  # all checked before any is stored
        if len({d["id"] for d in docs}) != len(docs):
            raise _error(409, "certificate/duplicate", "The same certificate appears twice")
        out = [render(request, store.insert(COLLECTION, d)) for d in docs]
        return json_response({"certificates": out}, status=201)

    async def single(request: Request) -> Response:
        _authorize(state, request, write=request.method != "GET")
        doc = found(request)
        if request.method == "DELETE":
            store.delete(COLLECTION, doc["id"])
            return no_content()
        if request.method == "PUT":
            _editable(await read_json(request), doc)
            store.put(COLLECTION, doc["id"], doc)
        return json_response(render(request, doc))

    return [
        Route(base_path, collection, methods=["GET", "POST"]),
        Route(f"{base_path}/bulk", bulk, methods=["POST"]),
        Route(f"{base_path}/{{fingerprint}}", single, methods=["GET", "PUT", "DELETE"]),
    ]
