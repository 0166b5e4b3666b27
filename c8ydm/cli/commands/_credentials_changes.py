"""credentials password|delete|register, registered on the ``credentials`` group (see credentials.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from c8ydm.cli.commands.credentials import UserOrDevice, UsersOrDevices, group
from c8ydm.cli.context import App
from c8ydm.cli.options import command


class Template(str, Enum):
    simple = "simple"
    full = "full"
    certificate = "certificate"


def _read_secret(app: App) -> str:
    line = app.stdin.readline().rstrip("\r\n")
    if not line:
        from c8ydm.api.errors import InputError

        raise InputError("--password-stdin read no password", hint="pipe the new password on stdin")
    return line


@command(group, "password")
def password(
    app: App,
    target: UserOrDevice,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate a password; printed once, on stdout.")
    ] = False,
) -> None:
    """Set a device user's password (most tenants refuse; the working way is named).

    Since 10.20.438 only a user may change their own password: the tenant's refusal is exit 6 with
    the way that works, re-registration with new credentials (credentials register). --generate
    makes a password meeting the platform's rules and prints it once, only after it was set.

    Example:
      c8ydm credentials password linux-0001 --generate
      printf '%s\\n' "$NEW_PASSWORD" | c8ydm credentials password linux-0001 --password-stdin
    """
    from c8ydm.api.errors import InputError
    from c8ydm.procedures.credentials.access import change_password, check_password, generate_password
    from c8ydm.procedures.credentials.targets import resolve_target

    if password_stdin == generate:
        raise InputError("give exactly one of --password-stdin and --generate")
    secret = generate_password() if generate else check_password(_read_secret(app))
    client = app.client()
    resolved = resolve_target(client, target)
    change_password(client, resolved, secret)
    if app.options.dry_run:
        return app.message("Dry run: the password was not changed.")
    app.message(f"Password of {resolved.user_name} changed.")
    if generate:
        app.render({"userName": resolved.user_name, "password": secret})


@command(group, "delete")
def delete(
    app: App,
    targets: UsersOrDevices,
    with_device: Annotated[
        bool, typer.Option("--with-device", help="Delete each device too (a root device owned by its user).")
    ] = False,
) -> None:
    """Delete device credentials (the factory-reset case); asks for confirmation unless --yes.

    Without --with-device the device stays but can no longer connect until registered again. With
    it, the device is deleted together with its user (withDeviceUser=true), as the UI offers for
    root devices owned by their device user.

    Example:
      c8ydm credentials delete linux-0001 --yes
      c8ydm credentials delete device_gw-0002 --with-device
    """
    from c8ydm.cli.views.credentials import removal_view
    from c8ydm.procedures.credentials.removal import execute_removal, plan_removal

    client = app.client()
    plan = plan_removal(client, targets, with_device=with_device)
    if not app.confirm(plan.question):
        return app.message("Nothing was deleted.")
    report = execute_removal(client, plan)
    if app.options.dry_run:
        return app.message("Dry run: nothing was deleted.")
    app.show_outcome(removal_view(report), report.raise_for_failures)


@command(group, "register")
def register(
    app: App,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", metavar="FILE", help="The registration CSV (one upload).")
    ] = None,
    template: Annotated[
        Template | None, typer.Option("--template", help="Print an empty template of this kind.")
    ] = None,
) -> None:
    """Register devices from a CSV in one upload and report every row.

    The file is checked first (header, separator, mandatory columns, row errors with their line
    numbers: exit 2 before any request). Each row is reported CREATED, CREDENTIAL_UPDATED (same ID,
    new CREDENTIALS: how passwords are rotated) or FAILED with the tenant's reason; exit 14 when
    some rows failed. A "simple" file (ID;PATH) creates new device requests to accept.

    Example:
      c8ydm credentials register --template full > devices.csv
      c8ydm credentials register --csv devices.csv -o json
    """
    from c8ydm.api.errors import InputError
    from c8ydm.cli.views.credentials import report_summary, report_view
    from c8ydm.procedures.credentials.csvfile import read_registration_csv
    from c8ydm.procedures.credentials.csvfile import template as template_text
    from c8ydm.procedures.credentials.register import register as register_file

    if (csv_file is None) == (template is None):
        raise InputError("give exactly one of --csv FILE and --template simple|full|certificate")
    if csv_file is None:
        app.out.stdout.write(template_text(template.value if template else "full"))
        return
    regfile = read_registration_csv(csv_file)
    report = register_file(app.client(), regfile)
    if app.options.dry_run:
        return app.message(f"Dry run: {len(regfile.rows)} rows of {regfile.name} were not sent.")
    app.message(report_summary(report))
    app.show_outcome(report_view(report), report.raise_for_failures)
