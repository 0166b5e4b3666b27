"""Trusted-certificate models (contract §13)."""

from __future__ import annotations

from pydantic import Field

from c8ydm.api.models.base import C8yModel


class TrustedCertificate(C8yModel):
    """A trusted certificate; ``fingerprint`` is its id (§13)."""

    fingerprint: str | None = None
    name: str | None = None
    cert_in_pem_format: str | None = Field(default=None, alias="certInPemFormat")
    status: str | None = None
    auto_registration_enabled: bool | None = Field(default=None, alias="autoRegistrationEnabled")
    subject: str | None = None
    issuer: str | None = None
    not_after: str | None = Field(default=None, alias="notAfter")
    proof_of_possession_valid: bool | None = Field(default=None, alias="proofOfPossessionValid")
