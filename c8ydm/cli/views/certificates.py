"""Views of trusted certificates (§13): list, one certificate, added ones, revocations and the CRL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View

if TYPE_CHECKING:
    from c8ydm.api.models.certificates import CrlEntry, TrustedCertificate
    from c8ydm.procedures.certificates.manage import AddedCertificate
    from c8ydm.procedures.certificates.revocation import RevocationList

CERTIFICATE_COLUMNS = [("FINGERPRINT", "fingerprint"), ("NAME", "name"), ("STATUS", "status"),
                       ("AUTO-REGISTER", "autoRegistrationEnabled"), ("NOT AFTER", "notAfter")]  # fmt: skip
ADDED_COLUMNS = [("FINGERPRINT", "fingerprint"), ("NAME", "name"), ("STATUS", "status"),
                 ("RESULT", "result"), ("SUBJECT", "subject")]  # fmt: skip
CRL_COLUMNS = [("SERIAL", "serialNumberInHex"), ("REVOKED", "revocationDate")]
# The PEM body is long and adds nothing to a card; JSON keeps it.
_CARD_LEFT_OUT = ("certInPemFormat", "self")


def _document(certificate: TrustedCertificate) -> dict[str, Any]:
    return certificate.to_body()


def list_view(certificates: Iterator[TrustedCertificate]) -> View:
    return View((_document(c) for c in certificates), CERTIFICATE_COLUMNS)


def certificate_view(certificate: TrustedCertificate) -> View:
    """One certificate: every field in JSON; a card of the readable ones in a table."""
    document = _document(certificate)
    card = {key: value for key, value in document.items() if key not in _CARD_LEFT_OUT}
    return View(document, card=card)


def added_view(added: Sequence[AddedCertificate]) -> View:
    rows = [
        {**_document(item.certificate), "result": "adopted" if item.adopted else "added",
         "subject": item.certificate.subject or item.local.subject}
        for item in added
    ]  # fmt: skip
    return View(rows, ADDED_COLUMNS)


def revocations_view(entries: Sequence[CrlEntry]) -> View:
    return View([entry.to_body() for entry in entries], CRL_COLUMNS)


def crl_view(crl: RevocationList) -> View:
    """The CRL's issuer and dates, and each revoked serial (hex) with its date."""
    entries = [entry.to_body() for entry in crl.entries]
    document = {"issuer": crl.issuer, "lastUpdate": crl.last_update, "nextUpdate": crl.next_update,
                "revokedCertificates": entries}  # fmt: skip
    card = {"issuer": crl.issuer, "last update": crl.last_update, "next update": crl.next_update,
            "revoked": len(entries)}  # fmt: skip
    return View(document, CRL_COLUMNS, rows=entries, card=card)
