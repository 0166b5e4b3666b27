"""Trusted certificates: look-ups, add (reconciled after a lost answer), updates, delete (§13).

Add is planned from the file (checked locally, exit 2) and a look-up of each fingerprint (an
existing one is exit 7 before anything is posted). A POST whose answer is lost is never sent twice
blindly (§14(d)): the fingerprint is looked up, and a certificate found with the same DER bytes is
adopted; a 409 after a lost answer is resolved the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError, NotFoundError, ServerError, TransportError
from c8ydm.api.models.certificates import TrustedCertificate
from c8ydm.procedures.certificates.files import (
    LocalCertificate,
    der_of_text,
    normalize_fingerprint,
    read_certificates,
)

LIST_HINT = "list them with: c8ydm certificates list"
ENABLED, DISABLED = "ENABLED", "DISABLED"


@dataclass(frozen=True)
class AddItem:
    certificate: LocalCertificate
    name: str


@dataclass(frozen=True)
class AddPlan:
    items: list[AddItem]
    status: str
    auto_registration: bool
    has_private_key: bool = False


@dataclass(frozen=True)
class AddedCertificate:
    """A certificate now trusted; ``adopted`` when found after a lost answer rather than created."""

    certificate: TrustedCertificate
    local: LocalCertificate
    adopted: bool = False


def find_certificate(client: Client, fingerprint: str) -> TrustedCertificate:
    """A certificate by a typed fingerprint (colons and case ignored); exit 4 when unknown.

    GET /tenant/tenants/{tenant}/trusted-certificates/<fingerprint>
    """
    normalized = normalize_fingerprint(fingerprint)
    try:
        return client.certificates.get(normalized)
    except NotFoundError:
        raise NotFoundError(f"no trusted certificate with fingerprint {normalized}", hint=LIST_HINT) from None


def _lookup(client: Client, fingerprint: str) -> TrustedCertificate | None:
    try:
        return client.certificates.get(fingerprint)
    except NotFoundError:
        return None


def chain_names(name: str, count: int) -> list[str]:
    """``name`` for one certificate; ``name (1 of 3)``… for the certificates of a chain file."""
    if not name.strip():
        raise InputError("--name must not be empty")
    return [name] if count == 1 else [f"{name} ({i} of {count})" for i in range(1, count + 1)]


def plan_add(
    client: Client, path: Path, *, name: str, disabled: bool = False, auto_registration: bool = False
) -> AddPlan:
    """Read the file (exit 2 when bad), then look up every fingerprint (exit 7 when one exists).

    GET /tenant/tenants/{tenant}/trusted-certificates/<fingerprint> per certificate of the file
    """
    certificates, has_key = read_certificates(path)
    names = chain_names(name, len(certificates))
    existing = [(c, found) for c in certificates if (found := _lookup(client, c.fingerprint)) is not None]
    if existing:
        named = ", ".join(f"{c.fingerprint} ({found.name})" for c, found in existing)
        raise ConflictError(
            f"already trusted: {named}", hint="see it with: c8ydm certificates show FINGERPRINT"
        )
    items = [AddItem(c, n) for c, n in zip(certificates, names, strict=True)]
    return AddPlan(items, DISABLED if disabled else ENABLED, auto_registration, has_key)


def _adopted(client: Client, local: LocalCertificate) -> AddedCertificate | None:
    """The certificate in the tenant with this fingerprint and the same DER bytes, else None."""
    found = _lookup(client, local.fingerprint)
    if found is None or not found.cert_in_pem_format:
        return None
    try:
        same = der_of_text(found.cert_in_pem_format) == local.der
    except ValueError:
        same = False
    return AddedCertificate(found, local, adopted=True) if same else None


def _add_one(client: Client, plan: AddPlan, item: AddItem) -> AddedCertificate:
    def post() -> AddedCertificate:
        created = client.certificates.create(
            name=item.name, pem=item.certificate.pem, status=plan.status,
            auto_registration_enabled=plan.auto_registration,
        )  # fmt: skip
        return AddedCertificate(created, item.certificate)

    try:
        return post()
    except (TransportError, ServerError):
        adopted = _adopted(client, item.certificate)  # the answer was lost: did the POST arrive?
        if adopted is not None:
            return adopted
    try:
        return post()  # not there: posting again cannot duplicate it
    except ConflictError:
        adopted = _adopted(client, item.certificate)
        if adopted is None:
            raise
        return adopted


def execute_add(client: Client, plan: AddPlan) -> list[AddedCertificate]:
    """Post each certificate as PEM text (§13 ★).

    POST /tenant/tenants/{tenant}/trusted-certificates
         {"name", "certInPemFormat", "status", "autoRegistrationEnabled"}
    """
    return [_add_one(client, plan, item) for item in plan.items]


def update_certificate(client: Client, fingerprint: str, **change: object) -> TrustedCertificate:
    """Look the certificate up, then change one field as the UI does (§13).

    PUT /tenant/tenants/{tenant}/trusted-certificates/<fingerprint> {"fingerprint", "<field>"}
    """
    current = find_certificate(client, fingerprint)
    return client.certificates.update(current.fingerprint or normalize_fingerprint(fingerprint), **change)


def delete_certificate(client: Client, certificate: TrustedCertificate) -> None:
    """Delete a certificate found by ``find_certificate``; its devices get disconnected.

    DELETE /tenant/tenants/{tenant}/trusted-certificates/<fingerprint>
    """
    client.certificates.delete(str(certificate.fingerprint))
