"""Trusted certificates: `/tenant/tenants/{tenant}/trusted-certificates` (contract §13).

    GET    …/trusted-certificates[?certificateAuthority=true]   "certificates", paged
    POST   …/trusted-certificates[?addToTrustStore=…]           {"name","certInPemFormat","status",
                                                                 "autoRegistrationEnabled"} -> 201
    POST   …/trusted-certificates/bulk                          {"certificates": [...]} -> 201
    GET    …/trusted-certificates/{fingerprint}
    PUT    …/trusted-certificates/{fingerprint}                 name, status, autoRegistrationEnabled
    DELETE …/trusted-certificates/{fingerprint}                 -> 204
    POST   …/trusted-certificates-pop/{fingerprint}/verification-code   -> 200 with the code
    POST   …/trusted-certificates-pop/{fingerprint}/pop         {"proofOfPossessionSignedVerificationCode"}
    GET    /tenant/trusted-certificates/settings/crl            -> 200 application/pkix-crl (DER)
    PUT    /tenant/trusted-certificates/settings/crl            {"crls": [...]} or multipart "file" CSV -> 204
    POST   /certificate-authority[/renew]                       -> 201 the tenant CA
Bodies and errors are plain `application/json`; the rules are in model/certificates.py,
possession.py, revocation.py and authority.py. Roles: reading needs ROLE_TENANT_MANAGEMENT_READ or a
write role, writing ROLE_TENANT_ADMIN or ROLE_TENANT_MANAGEMENT_ADMIN; then a path whose tenant is
not the sandbox's is 404. The sandbox is its own management tenant: the CRL, which reports say a
subtenant cannot use (contract §13 ⚠), works here.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import effective_roles, forbidden, require
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, flag, json_response, no_content, read_json
from c8ydm.sandbox.core.uploads import is_multipart, receive_multipart
from c8ydm.sandbox.model.authority import create_authority, renew_authority
from c8ydm.sandbox.model.certificates import (
    COLLECTION,
    READ_ROLES,
    WRITE_ROLES,
    find_certificate,
    new_certificate,
    new_certificates,
    plain_error,
    render_certificate,
    update_certificate,
)
from c8ydm.sandbox.model.possession import issue_code, prove
from c8ydm.sandbox.model.revocation import crl_der, entries_from_csv, entries_from_json, revoke
from c8ydm.sandbox.state import state_of


def _authorize(request: Request, *, write: bool) -> None:
    state = state_of(request)
    user = require(request, write=write)
    if not effective_roles(state, user) & (WRITE_ROLES if write else READ_ROLES):
        needed = " or ".join(sorted(WRITE_ROLES if write else READ_ROLES))
        raise forbidden(f"Access is denied: {needed} required")
    if "tenant" in request.path_params and request.path_params["tenant"] != state.options.tenant:
        raise plain_error(404, "tenant/notFound", f"Tenant {request.path_params['tenant']} not found")


async def get_certificates(request: Request) -> Response:
    _authorize(request, write=False)
    state, base = state_of(request), base_url(request)
    docs = [
        d
        for d in state.store.iter(COLLECTION)
        if d.get("tenantCertificateAuthority", False) == flag(request, "certificateAuthority")
    ]
    return paged_response(
        request,
        docs,
        "certificates",
        media="application/json",
        self_path=f"/tenant/tenants/{state.options.tenant}/trusted-certificates",
        render=lambda d: render_certificate(state, base, d),
    )


async def post_certificates(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    doc = state.store.insert(COLLECTION, new_certificate(state, await read_json(request)))
    out = render_certificate(state, base_url(request), doc)
    return created(request, out, media="application/json", location=out["self"])


async def post_certificates_bulk(request: Request) -> Response:
    _authorize(request, write=True)
    state, base = state_of(request), base_url(request)
    docs = new_certificates(state, (await read_json(request)).get("certificates"))
    out = [render_certificate(state, base, state.store.insert(COLLECTION, d)) for d in docs]
    return json_response({"certificates": out}, status=201)


async def get_certificate(request: Request) -> Response:
    _authorize(request, write=False)
    state = state_of(request)
    doc = find_certificate(state, request.path_params["fingerprint"])
    return json_response(render_certificate(state, base_url(request), doc))


async def put_certificate(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    doc = find_certificate(state, request.path_params["fingerprint"])
    doc = update_certificate(state, doc, await read_json(request))
    return json_response(render_certificate(state, base_url(request), doc))


async def delete_certificate(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    doc = find_certificate(state, request.path_params["fingerprint"])
    state.store.delete(COLLECTION, doc["id"])
    return no_content()


async def post_verification_code(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    doc = issue_code(state, find_certificate(state, request.path_params["fingerprint"]))
    return json_response(render_certificate(state, base_url(request), doc))


async def post_proof_of_possession(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    doc = find_certificate(state, request.path_params["fingerprint"])
    doc = prove(state, doc, await read_json(request))
    return json_response(render_certificate(state, base_url(request), doc))


async def get_crl(request: Request) -> Response:
    _authorize(request, write=False)
    return Response(crl_der(state_of(request)), media_type="application/pkix-crl")


async def put_crl(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    if is_multipart(request):
        upload = await receive_multipart(request, state.options.binaries_dir)
        try:
            text = upload.path.read_bytes().decode("utf-8") if upload.path is not None else ""
        except UnicodeDecodeError:
            raise plain_error(400, "Device Certificates/Bad Request", "The CSV file must be UTF-8") from None
        finally:
            upload.discard()
        entries = entries_from_csv(text)
    else:
        entries = entries_from_json(await read_json(request))
    revoke(state, entries)
    return no_content()


async def post_certificate_authority(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    out = render_certificate(state, base_url(request), create_authority(state))
    return created(request, out, media="application/json", location=out["self"])


async def post_certificate_authority_renewal(request: Request) -> Response:
    _authorize(request, write=True)
    state = state_of(request)
    out = render_certificate(state, base_url(request), renew_authority(state))
    return created(request, out, media="application/json", location=out["self"])
