"""Trusted-certificate models: certificates, proof of possession, revocation list entries (contract §13)."""

from __future__ import annotations

from pydantic import Field

from c8ydm.api.models.base import C8yModel


class TrustedCertificate(C8yModel):
    """A trusted certificate; ``fingerprint`` is its id (§13). Only name, status and
    autoRegistrationEnabled can change; the rest is read-only."""

    fingerprint: str | None = None
    name: str | None = None
    cert_in_pem_format: str | None = Field(default=None, alias="certInPemFormat")
    status: str | None = None
    auto_registration_enabled: bool | None = Field(default=None, alias="autoRegistrationEnabled")
    algorithm_name: str | None = Field(default=None, alias="algorithmName")
    serial_number: str | None = Field(default=None, alias="serialNumber")
    version: int | None = None
    subject: str | None = None
    issuer: str | None = None
    not_before: str | None = Field(default=None, alias="notBefore")
    not_after: str | None = Field(default=None, alias="notAfter")
    tenant_certificate_authority: bool | None = Field(default=None, alias="tenantCertificateAuthority")
    proof_of_possession_valid: bool | None = Field(default=None, alias="proofOfPossessionValid")
    proof_of_possession_unsigned_verification_code: str | None = Field(
        default=None, alias="proofOfPossessionUnsignedVerificationCode"
    )
    proof_of_possession_verification_code_usable_until: str | None = Field(
        default=None, alias="proofOfPossessionVerificationCodeUsableUntil"
    )
    self_url: str | None = Field(default=None, alias="self")


class CrlEntry(C8yModel):
    """One revocation: ``{"serialNumberInHex", "revocationDate"?}`` (§13; the date defaults to now)."""

    serial_number_in_hex: str = Field(alias="serialNumberInHex")
    revocation_date: str | None = Field(default=None, alias="revocationDate")
