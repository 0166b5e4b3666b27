"""profile list|show|create|copy|edit|delete|set|devices: device profiles (contract §9)."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.commands import _repo
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

Name = Annotated[
    str,
    typer.Argument(
        metavar="NAME", autocompletion=complete_names("profile"), show_default=False,
        help="Device profile name or id.",
    ),
]  # fmt: skip
DeviceType = Annotated[
    str | None,
    typer.Option(
        "--device-type",
        metavar="T",
        show_default=False,
        help="Only for devices of this type (c8y_Filter.type).",
    ),
]

group = new_group("""Manage device profiles and see which devices drifted from them.

A profile is firmware, software and configuration applied together: to one device with
`c8ydm device install DEVICE --profile NAME`, to many with `c8ydm bulk create --profile NAME`.
NAME is a name or a numeric id.

Example:
  c8ydm profile create Baseline --device-type c8y_Linux
  c8ydm profile set Baseline --firmware linux-image@6.1.2 --software nginx@1.24.0
  c8ydm profile devices Baseline --drifted""")


@command(group, "list")
def list_profiles(app: App, name: _repo.NameFilter = None, device_type: DeviceType = None) -> None:
    """List device profiles: name, device type, number of firmware, software and configuration items.

    --device-type also lists profiles for all device types (no or empty device type).

    Example:
      c8ydm profile list
      c8ydm profile list --device-type c8y_Linux -o json
    """
    from c8ydm.cli.views.profile import profiles_view
    from c8ydm.procedures.repository.profiles.manage import list_profiles as list_

    entries = list_(app.client(), name=name, device_type=device_type)
    is_filtered = name is not None or device_type is not None  # a filtered list never shrinks the cache
    app.remember_names("profile", [entry.name or "" for entry in entries], is_complete=not is_filtered)
    app.show(profiles_view(entries))


@command(group, "show")
def show(app: App, name: Name) -> None:
    """Show a device profile: device type, software types, then its items as a table.

    With -o json the profile as stored (c8y_DeviceProfile) and its items.

    Example:
      c8ydm profile show Baseline
      c8ydm profile show Baseline -o json
    """
    from c8ydm.cli.views.profile import profile_view
    from c8ydm.procedures.repository.profiles.manage import show_profile

    app.show(profile_view(show_profile(app.client(), name)))


@command(group, "create")
def create(
    app: App, name: Name, device_type: DeviceType = None, if_exists: _repo.IfExistsOpt = _repo.IfExists.fail
) -> None:
    """Create an empty device profile, optionally for one device type.

    A profile of that name that exists already fails (exit 7), or with --if-exists skip is
    reported unchanged (exit 0) when its device type is the same. Fill it with `profile set`.

    Example:
      c8ydm profile create Baseline --device-type c8y_Linux
      c8ydm profile create Baseline --device-type c8y_Linux --if-exists skip
    """
    from c8ydm.cli.views.profile import created_view
    from c8ydm.procedures.repository.profiles.manage import CreateRequest, create_profile

    request = CreateRequest(name, device_type=device_type, if_exists=if_exists.value)
    result = create_profile(app.client(), request)
    if app.options.dry_run:
        return app.message("Dry run: nothing was created.")
    app.message(f"device profile {result.entry.name!r}: {result.status}.")
    app.show(created_view(result))


@command(group, "copy")
def copy(
    app: App,
    name: Name,
    new_name: Annotated[
        str | None,
        typer.Argument(
            metavar="NEW", show_default=False, help="Name of the copy (default: Duplicate of NAME)."
        ),
    ] = None,
) -> None:
    """Copy a device profile with all its items (the UI's duplicate); NEW must not exist (exit 7).

    Example:
      c8ydm profile copy Baseline Baseline-next
    """
    from c8ydm.cli.views.profile import entry_view
    from c8ydm.procedures.repository.profiles.manage import copy_profile

    created = copy_profile(app.client(), name, new_name)
    if app.options.dry_run:
        return app.message("Dry run: nothing was created.")
    app.message(f"Copied to device profile {created.name!r} (id {created.id}).")
    app.show(entry_view(created, "created"))


@command(group, "edit")
def edit(
    app: App,
    name: Name,
    new_name: _repo.NewName = None,
    device_type: DeviceType = None,
    no_device_type: Annotated[
        bool, typer.Option("--no-device-type", help="Clear the device type: the profile fits all devices.")
    ] = False,
) -> None:
    """Rename a device profile or change its device type (only while it is empty, as in the UI).

    Example:
      c8ydm profile edit Baseline --name Baseline-2024
      c8ydm profile edit Empty --device-type c8y_Gateway
    """
    from c8ydm.cli.views.profile import entry_view
    from c8ydm.procedures.repository.profiles.manage import EditRequest, edit_profile

    request = EditRequest(name=new_name, device_type=device_type, clear_device_type=no_device_type)
    entry, changed = edit_profile(app.client(), name, request)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.message(f"Updated device profile {entry.name!r}." if changed else "Nothing to change.")
    app.show(entry_view(entry, "updated" if changed else "unchanged"))


@command(group, "delete")
def delete(app: App, name: Name) -> None:
    """Delete a device profile (asks unless --yes; without a terminal --yes is required).

    Devices keep what the profile installed; their c8y_Profile still names it.

    Example:
      c8ydm profile delete Baseline-old --yes
    """
    from c8ydm.cli.views.repository import delete_view
    from c8ydm.procedures.repository.delete import execute_delete, plan_delete
    from c8ydm.procedures.repository.kinds import PROFILE
    from c8ydm.procedures.repository.profiles.manage import count_assigned

    client = app.client()
    plan = plan_delete(client, PROFILE, name)
    assigned = count_assigned(client, str(plan.entry.id))
    if assigned:
        plan.question = f"{plan.question[:-1]}; {assigned} device(s) report it as their profile?"
    if app.options.dry_run:
        execute_delete(client, plan)
        return app.message("Dry run: nothing was deleted.")
    if not app.confirm(plan.question):
        app.message("Nothing was deleted.")
        return app.show(delete_view(plan, status="cancelled"))
    execute_delete(client, plan, on_deleted=app.message)
    app.show(delete_view(plan, status="deleted"))


@command(group, "set")
def set_items(
    app: App,
    name: Name,
    firmware: Annotated[
        str | None, typer.Option("--firmware", metavar="NAME@VERSION", help="Firmware (newest without @).")
    ] = None,
    patch: Annotated[
        str | None, typer.Option("--patch", metavar="P", help="A patch of that firmware version.")
    ] = None,
    software: Annotated[
        list[str] | None, typer.Option("--software", metavar="NAME@VERSION", help="Software (repeatable).")
    ] = None,
    config: Annotated[
        list[str] | None, typer.Option("--config", metavar="NAME", help="Configuration (repeatable).")
    ] = None,
    remove_firmware: Annotated[bool, typer.Option("--remove-firmware", help="Remove the firmware.")] = False,
    remove_software: Annotated[
        list[str] | None,
        typer.Option("--remove-software", metavar="NAME", help="Remove software (repeatable)."),
    ] = None,
    remove_config: Annotated[
        list[str] | None,
        typer.Option("--remove-config", metavar="NAME", help="Remove configuration by name (repeatable)."),
    ] = None,
) -> None:
    """Set or remove a device profile's firmware, software and configuration, in one change.

    Items come from the repositories and must fit the profile's device type (exit 2 naming the
    item otherwise). Software is kept unique by name, configuration by type (the new one wins).
    The profile is read once, written once and read again to check it holds what was written.
    Items already there and removals of absent items are reported as unchanged.

    Example:
      c8ydm profile set Baseline --firmware linux-image@6.1.2 --software nginx@1.24.0 --config tedge-base
      c8ydm profile set Baseline --remove-software curl --remove-firmware
    """
    from c8ydm.cli.views.profile import set_view
    from c8ydm.procedures.repository.profiles.update import SetRequest, execute_set, plan_set

    request = SetRequest(
        firmware=firmware, patch=patch, software=tuple(software or ()), config=tuple(config or ()),
        remove_firmware=remove_firmware, remove_software=tuple(remove_software or ()),
        remove_config=tuple(remove_config or ()),
    )  # fmt: skip
    client = app.client()  # the request was checked when it was made: exit 2 even without a session
    plan = plan_set(client, name, request)
    entry = execute_set(client, plan)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    for text in plan.unchanged:
        app.message(f"Unchanged: {text}.")
    app.message(f"Updated device profile {entry.name!r}." if plan.body else "Nothing to change.")
    app.show(set_view(plan, entry))


@command(group, "devices")
def devices(
    app: App,
    name: Name,
    not_executed: Annotated[
        bool, typer.Option("--not-executed", help="Only devices that have not finished applying it.")
    ] = False,
    drifted: Annotated[
        bool, typer.Option("--drifted", help="Only devices whose firmware, software or configuration differ.")
    ] = False,
) -> None:
    """The devices that report this profile, and which have drifted from it (compliance).

    One inventory query finds them (c8y_Profile.profileId); each device's firmware, software list
    and typed configuration are compared with the profile without a request per device. Give both
    --not-executed and --drifted to list every device that needs attention.

    Example:
      c8ydm profile devices Baseline
      c8ydm profile devices Baseline --drifted -o json
    """
    from c8ydm.cli.views.profile import devices_view
    from c8ydm.procedures.device.compliance import profile_devices

    result = profile_devices(app.client(), name, is_not_executed=not_executed, is_drifted=drifted)
    app.show(devices_view(result))
