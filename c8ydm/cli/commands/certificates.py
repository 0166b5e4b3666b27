"""certificates list|show|add|enable|disable|rename|auto-register|delete|verify: trusted certificates
(contract §13). revoke, crl and ca live in ``_certificates_tenant``, registered on this group."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

group = new_group("""Trusted certificates, proof of possession, CRL and tenant CA.

FP is a certificate's fingerprint, with or without colons, in any case.

Example:
  c8ydm certificates add ca.pem --name "Fleet CA" --auto-register
  c8ydm certificates verify 9d1f... --key ca.key
  c8ydm certificates revoke --serial 1A2B --yes""")

Fingerprint = Annotated[
    str,
    typer.Argument(
        metavar="FP", autocompletion=complete_names("certificate"), show_default=False,
        help="Fingerprint (colons and case do not matter).",
    ),
]  # fmt: skip


class Switch(str, Enum):
    on = "on"
    off = "off"


@command(group, "list")
def list_certificates(app: App) -> None:
    """List the tenant's trusted certificates.

    Example:
      c8ydm certificates list -o json
    """
    from c8ydm.cli.views.certificates import list_view

    certificates = list(app.client().certificates.list())
    app.remember_names("certificate", [c.fingerprint or "" for c in certificates], is_complete=True)
    app.show(list_view(iter(certificates)))


@command(group, "show")
def show(app: App, fingerprint: Fingerprint) -> None:
    """Show one trusted certificate, with its proof-of-possession state.

    Example:
      c8ydm certificates show 9D:1F:0A:... -o json
    """
    from c8ydm.cli.views.certificates import certificate_view
    from c8ydm.procedures.certificates.manage import find_certificate

    app.show(certificate_view(find_certificate(app.client(), fingerprint)))


@command(group, "add")
def add(
    app: App,
    cert_file: Annotated[Path, typer.Argument(metavar="CERT_FILE", help="PEM, PEM chain or DER file.")],
    name: Annotated[str, typer.Option("--name", metavar="N", help="The certificate's name in the tenant.")],
    auto_register: Annotated[
        bool, typer.Option("--auto-register", help="Devices with certificates it signed register themselves.")
    ] = False,
    disabled: Annotated[bool, typer.Option("--disabled", help="Add it disabled (default: enabled).")] = False,
) -> None:
    """Add a trusted certificate (each certificate of a chain file on its own), sent as PEM text.

    The file is checked and the fingerprint computed locally first (a bad file is exit 2 before any
    request); an existing fingerprint is exit 7, a certificate the tenant rejects exit 8.

    Example:
      c8ydm certificates add fleet-ca.pem --name "Fleet CA" --auto-register
    """
    from c8ydm.cli.views.certificates import added_view
    from c8ydm.procedures.certificates.files import read_certificates
    from c8ydm.procedures.certificates.manage import execute_add, plan_add

    read_certificates(cert_file)  # a bad file is exit 2 even without a session
    client = app.client()
    plan = plan_add(client, cert_file, name=name, disabled=disabled, auto_registration=auto_register)
    if plan.has_private_key:
        app.warning(f"{cert_file.name} also holds a private key; only its certificates are sent.")
    for item in plan.items:
        app.message(f"{item.name}: fingerprint {item.certificate.fingerprint} ({item.certificate.subject})")
    added = execute_add(client, plan)
    if app.options.dry_run:
        return app.message("Dry run: nothing was added.")
    app.show(added_view(added))


def _update(app: App, fingerprint: str, **change: object) -> None:
    from c8ydm.cli.views.certificates import certificate_view
    from c8ydm.procedures.certificates.manage import update_certificate

    updated = update_certificate(app.client(), fingerprint, **change)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.show(certificate_view(updated))


@command(group, "enable")
def enable(app: App, fingerprint: Fingerprint) -> None:
    """Enable a trusted certificate: devices may connect with certificates it signed.

    Example:
      c8ydm certificates enable 9d1f0a...
    """
    _update(app, fingerprint, status="ENABLED")


@command(group, "disable")
def disable(app: App, fingerprint: Fingerprint) -> None:
    """Disable a trusted certificate.

    Example:
      c8ydm certificates disable 9d1f0a...
    """
    _update(app, fingerprint, status="DISABLED")


@command(group, "rename")
def rename(
    app: App, fingerprint: Fingerprint, name: Annotated[str, typer.Argument(metavar="NAME", help="New name.")]
) -> None:
    """Rename a trusted certificate.

    Example:
      c8ydm certificates rename 9d1f0a... "Fleet CA 2025"
    """
    from c8ydm.api.errors import InputError

    if not name.strip():
        raise InputError("the new name must not be empty")
    _update(app, fingerprint, name=name)


@command(group, "auto-register")
def auto_register(
    app: App, fingerprint: Fingerprint, switch: Annotated[Switch, typer.Argument(metavar="on|off")]
) -> None:
    """Turn auto-registration on or off for devices with certificates this one signed.

    Example:
      c8ydm certificates auto-register 9d1f0a... on
    """
    _update(app, fingerprint, autoRegistrationEnabled=switch is Switch.on)


@command(group, "delete")
def delete(app: App, fingerprint: Fingerprint) -> None:
    """Delete a trusted certificate; asks for confirmation unless --yes.

    Devices connected with certificates it signed are disconnected.

    Example:
      c8ydm certificates delete 9d1f0a... --yes
    """
    from c8ydm.procedures.certificates.manage import delete_certificate, find_certificate

    client = app.client()
    found = find_certificate(client, fingerprint)
    question = (
        f"Delete trusted certificate {found.name!r} ({found.fingerprint})? Devices using certificates "
        "it signed get disconnected (their MQTT connections are closed)."
    )
    if not app.confirm(question):
        return app.message("Nothing was deleted.")
    delete_certificate(client, found)
    app.message("Dry run: nothing was deleted." if app.options.dry_run else f"Deleted {found.fingerprint}.")


@command(group, "verify")
def verify(
    app: App,
    fingerprint: Fingerprint,
    key: Annotated[Path, typer.Option("--key", metavar="PRIVATE_KEY", help="The certificate's private key.")],
) -> None:
    """Prove possession of a certificate's private key: the tenant's code is signed here.

    The key is checked against the certificate first and never leaves this machine; only the
    signature is sent. Prints the certificate with proofOfPossessionValid.

    Example:
      c8ydm certificates verify 9d1f0a... --key fleet-ca.key
    """
    from c8ydm.cli.views.certificates import certificate_view
    from c8ydm.procedures.certificates.possession import load_private_key, prove_possession

    load_private_key(key)  # a bad key is exit 2 even without a session
    proved = prove_possession(app.client(), fingerprint, key)
    if app.options.dry_run:
        return app.message("Dry run: nothing was sent.")
    app.show(certificate_view(proved))


from c8ydm.cli.commands import _certificates_tenant  # noqa: E402,F401  (revoke, crl, ca)
