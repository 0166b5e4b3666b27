"""group list | show | create | add | remove | delete: static and dynamic device groups."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

group = new_group("""List, show, create and delete groups; add and remove devices.

A static group holds the devices you add to it; a dynamic group holds the devices its inventory
query matches. Both can be the target of a bulk operation (c8ydm bulk create --group NAME).

Example:
  c8ydm group create "Canary routers"
  c8ydm group add "Canary routers" gateway-0002 gateway-0004
  c8ydm group create "All Linux (live)" --query "type eq 'c8y_Linux'"
  c8ydm group show "Canary routers\"""")

GroupArgument = Annotated[
    str,
    typer.Argument(
        metavar="GROUP", autocompletion=complete_names("group"), help="Group name or id.", show_default=False
    ),
]
DeviceArguments = Annotated[
    list[str],
    typer.Argument(
        metavar="DEVICE...",
        autocompletion=complete_names("device"),
        help="Device names or ids.",
        show_default=False,
    ),
]
DEFAULT_MEMBER_LIMIT = 100


class IfExists(str, Enum):
    fail = "fail"
    skip = "skip"


@command(group, "list")
def list_groups(
    app: App,
    name: Annotated[
        str | None, typer.Option("--name", metavar="PATTERN", help="Name, * as wildcard (e.g. 'Canary*').")
    ] = None,
) -> None:
    """List static and dynamic device groups by name.

    Example:
      c8ydm group list
      c8ydm group list --name "Canary*" -o json
    """
    from c8ydm.cli.views.group import list_view
    from c8ydm.procedures.groups import list_groups as procedure

    groups = procedure(app.client(), name=name)
    app.remember_names("group", [g.name or "" for g in groups], is_complete=name is None)
    app.show(list_view(groups))


@command(group, "show")
def show(
    app: App,
    name: GroupArgument,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, help="Show at most N members.")
    ] = DEFAULT_MEMBER_LIMIT,
) -> None:
    """Show a group and its members (for a dynamic group: the devices its query matches now).

    Example:
      c8ydm group show "Canary routers"
      c8ydm group show "All Linux (live)" --limit 10 -o json
    """
    from c8ydm.cli.views.group import show_view
    from c8ydm.procedures.groups import show_group

    details = show_group(app.client(), name, limit=limit)
    total = details.member_count
    if app.output_format == "table" and total is not None and len(details.members) < total:
        app.message(f"Showing {len(details.members)} of {total} members (--limit N shows more).")
    app.show(show_view(details))


@command(group, "create")
def create(
    app: App,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Name of the new group.", show_default=False)],
    query: Annotated[
        str | None,
        typer.Option(
            "--query", metavar="Q", help="Make a dynamic group of the devices this inventory query matches."
        ),
    ] = None,
    if_exists: Annotated[
        IfExists, typer.Option("--if-exists", help="A group of that name exists: fail (exit 7) or skip.")
    ] = IfExists.fail,
) -> None:
    """Create a static group (add devices with `group add`) or, with --query, a dynamic group.

    A dynamic group's query is sent as you wrote it and tested first (a query the tenant rejects
    exits 8 and creates nothing). With --if-exists skip an existing group of that name and kind is
    reported as "unchanged", so a pipeline can run this step again.

    Example:
      c8ydm group create "Canary routers" --if-exists skip
      c8ydm group create "Linux devices" --query "type eq 'c8y_Linux'"
    """
    from c8ydm.cli.views.group import created_view
    from c8ydm.procedures.groups import create_group, plan_group

    client = app.client()
    plan = plan_group(client, name, query=query)
    if plan.matching_devices is not None:
        app.message(f"Devices now matching {query!r}: {plan.matching_devices}")
    created, is_created = create_group(client, plan, if_exists=if_exists.value)
    if app.options.dry_run and is_created:
        return app.message("Dry run: nothing was created.")
    kind = "dynamic" if query is not None else "static"
    app.message(f"{kind.capitalize()} group {name!r}: {'created' if is_created else 'unchanged'}.")
    app.remember_names("group", [name], is_complete=False)
    app.show(created_view(created, is_created=is_created, matching_devices=plan.matching_devices))


def _change_members(app: App, group_name: str, devices: list[str], action: str) -> None:
    from c8ydm.cli.views.group import membership_view
    from c8ydm.procedures.groups import apply_membership, plan_membership

    client = app.client()
    plan = plan_membership(client, group_name, devices, "add" if action == "add" else "remove")
    change = apply_membership(client, plan, on_undo=app.warning)
    if app.options.dry_run:
        app.message("Dry run: nothing was changed.")
        return
    verb = "Added to" if action == "add" else "Removed from"
    app.message(f"{verb} group {plan.group.name!r}: {len(change.changed)}; unchanged: {len(plan.unchanged)}.")
    app.show(membership_view(change))


@command(group, "add")
def add(app: App, name: GroupArgument, devices: DeviceArguments) -> None:
    """Add devices to a static group; devices already in it are left as they are.

    Every device is looked up before the first change; if adding one fails, the ones this run
    added are removed again.

    Example:
      c8ydm group add "Canary routers" gateway-0002 gateway-0004
    """
    _change_members(app, name, devices, "add")


@command(group, "remove")
def remove(app: App, name: GroupArgument, devices: DeviceArguments) -> None:
    """Remove devices from a static group (the devices stay in the inventory).

    Example:
      c8ydm group remove "Canary routers" gateway-0004
    """
    _change_members(app, name, devices, "remove")


@command(group, "delete")
def delete(app: App, name: GroupArgument) -> None:
    """Delete a group after asking (or with --yes). Its devices stay in the inventory.

    Example:
      c8ydm group delete "Canary routers" --yes
    """
    from c8ydm.cli.views.group import deleted_view, group_document
    from c8ydm.procedures.groups import delete_group
    from c8ydm.procedures.resolve import resolve_group

    client = app.client()
    target = resolve_group(client, name)
    kind = group_document(target)["kind"]
    if not app.confirm(f"Delete {kind} group {target.name!r} (id {target.id})? Its devices stay."):
        return app.message("Nothing was deleted.")
    delete_group(client, target)
    if app.options.dry_run:
        return app.message("Dry run: nothing was deleted.")
    app.message(f"Group {target.name!r} deleted.")
    app.show(deleted_view(target))
