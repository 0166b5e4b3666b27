"""Trusted certificates, proof of possession, the revocation list and the tenant CA (contract §13).

Bodies are plain ``application/json``; a certificate's id is its ``fingerprint``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from c8ydm.api.client import decode_json
from c8ydm.api.conventions import path_segment
from c8ydm.api.hooks import bytes_description
from c8ydm.api.models.certificates import CrlEntry, TrustedCertificate
from c8ydm.api.paging import iter_items
from c8ydm.api.transfer import MultipartUpload

if TYPE_CHECKING:
    from c8ydm.api.client import Client

CRL_PATH = "/tenant/trusted-certificates/settings/crl"
CA_PATH = "/certificate-authority"
LIST_PAGE_SIZE = 1000  # §13: the UI lists with pageSize=1000
CRL_MEDIA = "application/pkix-crl"


class TrustedCertificates:
    """``client.certificates``: ``/tenant/tenants/{tenant}/trusted-certificates`` and friends."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def _base(self) -> str:
        return f"/tenant/tenants/{path_segment(self._client.tenant_id)}/trusted-certificates"

    def _path(self, fingerprint: str) -> str:
        return f"{self._base()}/{path_segment(fingerprint)}"

    def _pop_path(self, fingerprint: str, action: str) -> str:
        tenant = path_segment(self._client.tenant_id)
        return f"/tenant/tenants/{tenant}/trusted-certificates-pop/{path_segment(fingerprint)}/{action}"

    def list(
        self, *, certificate_authority: bool | None = None, limit: int | None = None
    ) -> Iterator[TrustedCertificate]:
        """Iterate trusted certificates; ``certificate_authority=True`` gives the tenant CA.

        GET /tenant/tenants/{tenant}/trusted-certificates
        """
        params = {"certificateAuthority": certificate_authority}
        return iter_items(
            self._client, self._base(), "certificates", params=params, model=TrustedCertificate,
            page_size=LIST_PAGE_SIZE, limit=limit,
        )  # fmt: skip

    def get(self, fingerprint: str) -> TrustedCertificate:
        """One certificate. GET /tenant/tenants/{tenant}/trusted-certificates/{fingerprint}"""
        return TrustedCertificate.model_validate(self._client.get_json(self._path(fingerprint)))

    def create(
        self, *, name: str, pem: str, status: str, auto_registration_enabled: bool
    ) -> TrustedCertificate:
        """Add a certificate sent as PEM text (§13 ★); 409 when its fingerprint exists, 422 when invalid.

        POST /tenant/tenants/{tenant}/trusted-certificates
        """
        body = {
            "name": name,
            "certInPemFormat": pem,
            "status": status,
            "autoRegistrationEnabled": auto_registration_enabled,
        }
        return TrustedCertificate.model_validate(self._client.post_json(self._base(), body))

    def update(self, fingerprint: str, **changes: Any) -> TrustedCertificate:
        """Change one field, as the UI does: ``{"fingerprint", "<field>"}`` (§13).

        PUT /tenant/tenants/{tenant}/trusted-certificates/{fingerprint}
        """
        body = {"fingerprint": fingerprint, **changes}
        return TrustedCertificate.model_validate(self._client.put_json(self._path(fingerprint), body))

    def delete(self, fingerprint: str) -> None:
        """Remove a certificate; devices using it are disconnected (§13).

        DELETE /tenant/tenants/{tenant}/trusted-certificates/{fingerprint}
        """
        self._client.delete(self._path(fingerprint))

    def verification_code(self, fingerprint: str) -> TrustedCertificate:
        """A new proof-of-possession code in ``proofOfPossessionUnsignedVerificationCode``.

        POST /tenant/tenants/{tenant}/trusted-certificates-pop/{fingerprint}/verification-code
        """
        path = self._pop_path(fingerprint, "verification-code")
        return TrustedCertificate.model_validate(self._client.post_json(path, None))

    def prove_possession(self, fingerprint: str, signature: str) -> TrustedCertificate:
        """Send the base64 signature of the verification code; 400 when it does not verify.

        POST /tenant/tenants/{tenant}/trusted-certificates-pop/{fingerprint}/pop
        """
        body = {"proofOfPossessionSignedVerificationCode": signature}
        path = self._pop_path(fingerprint, "pop")
        return TrustedCertificate.model_validate(self._client.post_json(path, body))

    def revoke(self, entries: Sequence[CrlEntry]) -> None:
        """Add serial numbers to the revocation list (irreversible).

        PUT /tenant/trusted-certificates/settings/crl
        """
        self._client.put_json(CRL_PATH, {"crls": [entry.to_body() for entry in entries]})

    def revoke_csv(self, data: bytes, *, filename: str, rows: int) -> None:
        """Upload a ``SERIAL NO.,REVOCATION DATE`` CSV as multipart part ``file`` (§13).

        PUT /tenant/trusted-certificates/settings/crl
        """
        body = MultipartUpload(data, filename=filename, mime="text/csv", object_part=None)
        self._client.request(
            "PUT", CRL_PATH, content=body, headers=body.headers(),
            dry_run_body=lambda: {"file": {**bytes_description(data, name=filename), "rows": rows}},
        )  # fmt: skip

    def crl(self) -> bytes:
        """The revocation list as DER bytes (``application/pkix-crl``).

        GET /tenant/trusted-certificates/settings/crl
        """
        headers = {"Accept": f"{CRL_MEDIA}, */*"}
        return self._client.request("GET", CRL_PATH, expect_json=False, headers=headers).content

    def authority(self) -> TrustedCertificate | None:
        """The tenant CA, if there is one. GET …/trusted-certificates?certificateAuthority=true"""
        return next(iter(self.list(certificate_authority=True, limit=1)), None)

    def create_authority(self) -> TrustedCertificate:
        """Create the tenant CA (feature ``certificate-authority``). POST /certificate-authority"""
        return TrustedCertificate.model_validate(decode_json(self._client.request("POST", CA_PATH)))

    def renew_authority(self) -> TrustedCertificate:
        """Renew the tenant CA with its existing keys. POST /certificate-authority/renew"""
        return TrustedCertificate.model_validate(
            decode_json(self._client.request("POST", f"{CA_PATH}/renew"))
        )
