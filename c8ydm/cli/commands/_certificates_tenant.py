"""certificates revoke|crl|ca, registered on the ``certificates`` group (see certificates.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from c8ydm.cli.commands.certificates import group
from c8ydm.cli.context import App
from c8ydm.cli.options import command


class CrlAction(str, Enum):
    show = "show"


class CaAction(str, Enum):
    show = "show"
    create = "create"
    renew = "renew"


@command(group, "revoke")
def revoke(
    app: App,
    serials: Annotated[
        list[str] | None, typer.Option("--serial", metavar="HEX", help="Serial number in hex (repeatable).")
    ] = None,
    dates: Annotated[
        list[str] | None,
        typer.Option("--date", metavar="ISO", help="Revocation date: once for all, or once per --serial."),
    ] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", metavar="FILE", help="CSV: SERIAL NO.,REVOCATION DATE.")
    ] = None,
) -> None:
    """Revoke certificates by serial number (irreversible); asks for confirmation unless --yes.

    Example:
      c8ydm certificates revoke --serial 1A2B --serial 3C4D --date 2024-05-01T12:00:00Z --yes
      c8ydm certificates revoke --csv revoked.csv --yes
    """
    from c8ydm.api.errors import InputError
    from c8ydm.cli.views.certificates import revocations_view
    from c8ydm.procedures.certificates import revocation

    if bool(serials) == (csv_file is not None):
        raise InputError("give --serial HEX (repeatable) or --csv FILE")
    if csv_file is not None and dates:
        raise InputError("--date goes with --serial; a CSV has its own dates")
    request = (
        revocation.read_revocation_csv(csv_file)
        if csv_file is not None
        else revocation.entries_from_options(serials or [], dates or [])
    )
    entries = request.entries if isinstance(request, revocation.CsvRevocations) else request
    shown = ", ".join(entry.serial_number_in_hex for entry in entries[:5]) + (
        ", …" if len(entries) > 5 else ""
    )
    if not app.confirm(f"Revoke {len(entries)} certificate serial(s) ({shown})? This cannot be undone."):
        return app.message("Nothing was revoked.")
    revocation.revoke(app.client(), request)
    if app.options.dry_run:
        return app.message("Dry run: nothing was revoked.")
    app.message(f"Revoked {len(entries)} serial(s).")
    app.show(revocations_view(entries))


@command(group, "crl")
def crl(
    app: App,
    action: Annotated[CrlAction, typer.Argument(metavar="show", help="What to do with the revocation list.")],
    to: Annotated[
        Path | None, typer.Option("--to", metavar="FILE", help="Also save the DER CRL here.")
    ] = None,
) -> None:
    """Show the tenant's certificate revocation list (CRL): issuer, dates, revoked serials.

    Example:
      c8ydm certificates crl show
      c8ydm certificates crl show --to tenant.crl
    """
    from c8ydm.cli.views.certificates import crl_view
    from c8ydm.procedures.certificates.revocation import read_crl

    revoked = read_crl(app.client())
    if to is not None:
        to.write_bytes(revoked.der)
        app.message(f"Saved the CRL ({len(revoked.der)} bytes, DER) to {to}.")
    app.show(crl_view(revoked))


@command(group, "ca")
def ca(
    app: App,
    action: Annotated[CaAction, typer.Argument(metavar="show|create|renew", help="What to do with the CA.")],
) -> None:
    """Show, create or renew the tenant certificate authority (feature certificate-authority).

    Example:
      c8ydm certificates ca create
      c8ydm certificates ca show -o json
    """
    from c8ydm.cli.views.certificates import certificate_view
    from c8ydm.procedures.certificates import authority

    client = app.client()
    steps = {
        CaAction.show: authority.show_authority,
        CaAction.create: authority.create_authority,
        CaAction.renew: authority.renew_authority,
    }
    result = steps[action](client)
    if app.options.dry_run and action is not CaAction.show:
        return app.message(f"Dry run: the CA was not {action.value}d.")
    app.show(certificate_view(result))
