"""credentials list|show|roles|enable|disable|password|delete|register: device credentials (§12).

Procedures and the client are imported inside the commands, so ``c8ydm credentials --help`` stays
light. The password and delete commands live in ``_credentials_changes``, registered on this group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

group = new_group("""Device credentials: list, roles, access, delete, register.

USER_OR_DEVICE is a device user (device_...) or a device by name or id; a device's user is looked
up, never derived from its name.

Example:
  c8ydm credentials list --disabled
  c8ydm credentials disable linux-0001
  c8ydm credentials register --csv devices.csv""")

UserOrDevice = Annotated[
    str,
    typer.Argument(
        metavar="USER_OR_DEVICE", autocompletion=complete_names("device"), show_default=False,
        help="A device user (device_...) or a device name or id.",
    ),
]  # fmt: skip
UsersOrDevices = Annotated[
    list[str],
    typer.Argument(
        metavar="USER_OR_DEVICE...", autocompletion=complete_names("device"), show_default=False,
        help="Device users (device_...) or device names or ids.",
    ),
]  # fmt: skip


@command(group, "list")
def list_credentials(
    app: App,
    username: Annotated[
        str | None, typer.Option("--username", metavar="PREFIX", help="User names starting with this.")
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Only disabled device users.")] = False,
    role: Annotated[
        str | None, typer.Option("--role", metavar="ROLE", help="Only users with this global role.")
    ] = None,
) -> None:
    """List device users with enabled, global roles, the device they own and last password change.

    The devices come from one inventory query per page of users, not one request per user.

    Example:
      c8ydm credentials list --username device_linux --disabled
      c8ydm credentials list --role devices -o csv
    """
    from c8ydm.cli.views.credentials import list_view
    from c8ydm.procedures.credentials.listing import list_credentials as listing

    app.show(list_view(listing(app.client(), username=username, disabled=disabled, role=role)))


@command(group, "show")
def show(app: App, target: UserOrDevice) -> None:
    """Show one device user: roles, owned devices and certificates the platform issued to it.

    Example:
      c8ydm credentials show linux-0001
      c8ydm credentials show device_linux-0001 -o json
    """
    from c8ydm.cli.views.credentials import details_view
    from c8ydm.procedures.credentials.listing import show_credentials

    app.show(details_view(show_credentials(app.client(), target)))


@command(group, "roles")
def roles(
    app: App,
    target: UserOrDevice,
    add: Annotated[list[str] | None, typer.Option("--add", metavar="ROLE", help="Add a global role.")] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", metavar="ROLE", help="Remove a global role.")
    ] = None,
) -> None:
    """Show a device user's global roles, or add and remove some; prints the resulting roles.

    Role names are checked against the tenant's catalogue first: an unknown one is exit 2, with
    the catalogue in the hint, and nothing changes.

    Example:
      c8ydm credentials roles linux-0001 --add admins --remove devices
    """
    from c8ydm.cli.views.credentials import roles_view
    from c8ydm.procedures.credentials.roles import execute_roles, plan_roles

    client = app.client()
    plan = plan_roles(client, target, add=add or [], remove=remove or [])
    result = execute_roles(client, plan)
    if app.options.dry_run:
        return app.message("Dry run: no role was changed.")
    app.show(roles_view(result))


def _set_enabled(app: App, targets: list[str], *, enabled: bool) -> None:
    from c8ydm.cli.views.credentials import access_view
    from c8ydm.procedures.credentials.access import set_enabled

    report = set_enabled(app.client(), targets, enabled=enabled)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.show_outcome(access_view(report), report.raise_for_failures)


@command(group, "enable")
def enable(app: App, targets: UsersOrDevices) -> None:
    """Enable device users: their devices can log in again.

    By user: PUT of the user; by device: PUT of the device's user (contract §12.3). Every name is
    looked up first; one row per user, exit 14 when some failed.

    Example:
      c8ydm credentials enable linux-0001 device_gw-0002
    """
    _set_enabled(app, targets, enabled=True)


@command(group, "disable")
def disable(app: App, targets: UsersOrDevices) -> None:
    """Disable device users: their devices' logins are refused (401) until enabled again.

    Example:
      c8ydm credentials disable linux-0001 linux-0002
    """
    _set_enabled(app, targets, enabled=False)


from c8ydm.cli.commands import _credentials_changes  # noqa: E402,F401  (password, delete, register)
