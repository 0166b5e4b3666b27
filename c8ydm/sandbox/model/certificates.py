"""Trusted certificates (contract §13): documents from uploads, lookups, updates, rendering.

The endpoints are endpoints/certificates.py.

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

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.x509 import CertificateError, read_certificate

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

COLLECTION = "certificates"
WRITE_ROLES = frozenset({"ROLE_TENANT_ADMIN", "ROLE_TENANT_MANAGEMENT_ADMIN"})
READ_ROLES = WRITE_ROLES | {"ROLE_TENANT_MANAGEMENT_READ"}
STATUSES = ("ENABLED", "DISABLED")


def plain_error(status: int, error: str, message: str) -> C8yHTTPError:
    return C8yHTTPError(status, error, message, plain_json=True)


def normalize_fingerprint(text: str) -> str:
    return text.replace(":", "").strip().lower()


def _editable(body: dict[str, Any], doc: dict[str, Any]) -> None:
    """Apply name, status and autoRegistrationEnabled (the only fields a client may change)."""
    if "status" in body and body["status"] not in STATUSES:
        raise plain_error(422, "certificate/validationError", "status must be ENABLED or DISABLED")
    if "autoRegistrationEnabled" in body and not isinstance(body["autoRegistrationEnabled"], bool):
        raise plain_error(422, "certificate/validationError", "autoRegistrationEnabled must be true or false")
    doc.update({k: body[k] for k in ("name", "status", "autoRegistrationEnabled") if k in body})


def new_certificate(state: SandboxState, body: Any) -> dict[str, Any]:
    """The document for an uploaded certificate; 422 if invalid, 409 if its fingerprint exists."""
    if not isinstance(body, dict) or not isinstance(body.get("certInPemFormat"), str):
        raise plain_error(422, "certificate/validationError", "certInPemFormat is required")
    if body.get("status") is None:
        raise plain_error(422, "certificate/validationError", "status is required (ENABLED or DISABLED)")
    try:
        info = read_certificate(body["certInPemFormat"])
    except CertificateError as exc:
        raise plain_error(422, "certificate/invalidCertificate", f"Invalid certificate data: {exc}") from None
    if state.store.get(COLLECTION, info.fingerprint) is not None:
        raise plain_error(
            409, "certificate/duplicate", f"Certificate with fingerprint {info.fingerprint} exists"
        )
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


def new_certificates(state: SandboxState, items: Any) -> list[dict[str, Any]]:
    """The documents of a bulk upload, all checked before any is stored; 422, 409 as for one."""
    if not isinstance(items, list):
        raise plain_error(422, "certificate/validationError", 'The body must be {"certificates": [...]}')
    docs = [new_certificate(state, item) for item in items]
    if len({d["id"] for d in docs}) != len(docs):
        raise plain_error(409, "certificate/duplicate", "The same certificate appears twice")
    return docs


def find_certificate(state: SandboxState, fingerprint_text: str) -> dict[str, Any]:
    """The stored certificate of a fingerprint as given in a path; 404 if there is none."""
    fingerprint = normalize_fingerprint(fingerprint_text)
    doc = state.store.get(COLLECTION, fingerprint)
    if doc is None:
        raise plain_error(
            404, "certificate/notFound", f"Certificate with fingerprint {fingerprint} not found"
        )
    return doc


def update_certificate(state: SandboxState, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    _editable(body, doc)
    state.store.put(COLLECTION, doc["id"], doc)
    return doc


def render_certificate(state: SandboxState, base: str, doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "id" and not k.startswith("_")}
    out["self"] = f"{base}/tenant/tenants/{state.options.tenant}/trusted-certificates/{doc['id']}"
    return out
