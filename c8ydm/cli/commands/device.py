"""device list|show|operations|install|remove: a device's firmware and software, and changing them."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.api.models.status import OperationStatus
from c8ydm.cli.commands._device_options import (
    ConfigOption,
    ConfigTextOption,
    FirmwareOption,
    ForceOption,
    ProfileOption,
    SoftwareOption,
    WaitPendingOption,
)
from c8ydm.cli.commands._operations import DeviceArgument, WaitOption, wait_with_progress
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

if TYPE_CHECKING:
    from collections.abc import Callable

    from c8ydm.api.client import Client
    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.cli.output import View
    from c8ydm.procedures.device.changes import ChangePlan, DeviceChanges

group = new_group("""List, show and change devices; fetch configuration snapshots.

Install and remove firmware, software and configuration; see each command's --help.

Example:
  c8ydm device show linux-0001
  c8ydm device install linux-0001 --firmware linux-image@6.1.2 --wait
  c8ydm device snapshot linux-0001 --type tedge.toml --wait""")


TABLE_LIMIT = 100  # rows a table shows unless --limit says otherwise; machine formats get all


@command(group, "list")
def list_devices(
    app: App,
    device_type: Annotated[str | None, typer.Option("--type", metavar="T", help="Device type.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="PATTERN", help="Name; * is a wildcard.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", metavar="INVENTORY_QUERY", help="Your own inventory query, sent as written."),
    ] = None,
    group_name: Annotated[
        str | None,
        typer.Option(
            "--group",
            metavar="GROUP",
            autocompletion=complete_names("group"),
            help="Devices of this group (name or id).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            metavar="N",
            min=1,
            show_default=False,
            help=f"At most N devices (default: {TABLE_LIMIT} in a table, all in json, jsonl and csv).",
        ),
    ] = None,
) -> None:
    """List devices, by type, name pattern, group or an inventory query of your own.

    A table shows the first 100 devices unless --limit says otherwise, and says how many match.

    Example:
      c8ydm device list --type c8y_Linux --name 'linux-*'
      c8ydm device list --query "type eq 'c8y_Gateway'" -o json
      c8ydm device list --group "Canary routers" --limit 10
    """
    from c8ydm.cli.views.device import devices_view
    from c8ydm.procedures.device.selection import select_devices

    client = app.client()
    selection = select_devices(client, device_type=device_type, name=name, query=query, group=group_name)
    shown = limit if limit is not None or app.output_format != "table" else TABLE_LIMIT
    names: list[str] = []
    app.show(devices_view(selection.documents(client, limit=shown), seen=names))
    is_everything = not (device_type or name or query or group_name)
    app.remember_names("device", names, is_complete=is_everything and len(names) != shown)
    if shown is not None and len(names) == shown:
        total = selection.count(client)
        if total is not None and total > shown:
            app.message(f"Showing {shown} of {total} devices; --limit N shows more.")


@command(group, "show")
def show(app: App, device: DeviceArgument) -> None:
    """Show a device: installed firmware and software, configuration types with their newest snapshot,
    the last operation of each, supported operations.

    Example:
      c8ydm device show linux-0001
      c8ydm device show 4711 -o json
    """
    from c8ydm.cli.views.device import details_view
    from c8ydm.procedures.device.info import describe_device
    from c8ydm.procedures.resolve import resolve_device

    client = app.client()
    app.show(details_view(describe_device(client, resolve_device(client, device))))


@command(group, "operations")
def operations(
    app: App,
    device: DeviceArgument,
    status: Annotated[
        OperationStatus | None, typer.Option("--status", case_sensitive=False, help="Only this status.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="At most N operations.")] = 20,
) -> None:
    """List a device's operations, newest first.

    Example:
      c8ydm device operations linux-0001 --status FAILED --limit 5
    """
    from c8ydm.cli.views.device import operations_view
    from c8ydm.procedures.resolve import resolve_device

    client = app.client()
    target = resolve_device(client, device)
    found = client.operations.list(device_id=target.id, status=status, newest_first=True, limit=limit)
    app.show(operations_view(found))


def _apply(
    app: App, client: Client, make_plan: Callable[[], ChangePlan], *, wait_pending: bool, force: bool
) -> DeviceChanges:
    """Plan; wait for a running operation of the same kind first if asked; then create (exit 7 if one
    still runs and --force is not given)."""
    from c8ydm.api.errors import OperationFailedError
    from c8ydm.procedures.device.changes import execute_changes

    plan = make_plan()
    if plan.pending and wait_pending and not force and not client.dry_run:
        for kind, running in plan.pending:
            app.message(f"Waiting first for {kind.label} operation {running.id} ({running.status_text}).")
        with contextlib.suppress(OperationFailedError):  # it has ended: all --wait-pending waits for
            wait_with_progress(app, client, [running for _, running in plan.pending])
        plan = make_plan()
    return execute_changes(client, plan, is_forced=force, report=app.warning)


def _finish(app: App, changes: DeviceChanges, wait: bool) -> None:
    from c8ydm.cli.views.device import changes_view

    for item in changes.unchanged:
        app.message(f"Unchanged: {item['name']} {item['version']} is already installed.")
    if wait and changes.operations:

        def with_operations(operations: list[Operation]) -> View:
            changes.operations = operations
            return changes_view(changes)

        with app.showing_result_on_failure(with_operations):  # exit 11, 12: the operations still shown
            changes.operations = wait_with_progress(app, app.client(), changes.operations)
    if not changes.operations:
        app.message(f"Nothing to change on {changes.device.name}.")
        if app.output_format == "table":  # the message says it all; no empty table
            return
    app.show(changes_view(changes))


@command(group, "install")
def install(
    app: App,
    device: DeviceArgument,
    firmware: FirmwareOption = None,
    patch: Annotated[
        str | None, typer.Option("--patch", metavar="P", help="A patch of that version.")
    ] = None,
    software: SoftwareOption = None,
    config: ConfigOption = None,
    config_text: ConfigTextOption = None,
    profile: ProfileOption = None,
    wait: WaitOption = False,
    wait_pending: WaitPendingOption = False,
    force: ForceOption = False,
) -> None:
    """Install firmware (or a patch), software and configuration on a device, or apply a device profile.

    Each kind makes its own operation (firmware, software, one per configuration), in that order,
    all checked before any is created. Software already installed in that version is unchanged.
    --config sends a repository entry (typed, to a device declaring its type; untyped, as the legacy
    snapshot); --config-text saves a text configuration. --profile makes one operation that applies
    the profile's firmware, software and configuration (the device must support c8y_DeviceProfile,
    and fit the profile's device type and software types). A new operation while one of the same
    kind is PENDING or EXECUTING is refused (exit 7, naming it) unless --wait-pending (wait for it
    first) or --force. Without --wait the created operations are printed.

    Example:
      c8ydm device install linux-0001 --firmware linux-image@6.1.2 --wait
      c8ydm device install gw-7 --firmware gw-os@2.4.0 --patch 2.4.0-p2
      c8ydm device install linux-0001 --software nginx@1.24.0 --software curl@8.0.1
      c8ydm device install linux-0001 --config tedge-defaults --wait
      c8ydm device install linux-0003 --config-text ./linux-0003.conf
      c8ydm device install linux-0001 --profile Baseline --wait
    """
    from c8ydm.procedures.device.changes import check_install_sources, plan_install
    from c8ydm.procedures.device.config_send import read_text_file
    from c8ydm.procedures.repository.versions import PackageSpec
    from c8ydm.procedures.resolve import resolve_device

    firmware_spec = PackageSpec.parse(firmware) if firmware is not None else None
    software_specs = [PackageSpec.parse(text) for text in software or []]
    configs, text = config or (), read_text_file(config_text) if config_text is not None else None
    check_install_sources(
        firmware=firmware_spec, patch=patch, software=software_specs, profile=profile, configs=configs,
        config_text=text,
    )  # fmt: skip
    client = app.client()
    target = resolve_device(client, device)

    def make_plan() -> ChangePlan:
        return plan_install(
            client, target, firmware=firmware_spec, patch=patch, software=software_specs,
            configs=configs, config_text=text, profile=profile,
        )  # fmt: skip

    _finish(app, _apply(app, client, make_plan, wait_pending=wait_pending, force=force), wait)


@command(group, "remove")
def remove(
    app: App,
    device: DeviceArgument,
    software: Annotated[
        list[str], typer.Option("--software", metavar="NAME", help="Software to remove (repeatable).")
    ],
    wait: WaitOption = False,
    wait_pending: WaitPendingOption = False,
    force: ForceOption = False,
) -> None:
    """Remove software from a device, all in one operation (exit 4 for a name not installed).

    Refused while a software operation is PENDING or EXECUTING (exit 7) unless --wait-pending or
    --force, as for install.

    Example:
      c8ydm device remove linux-0001 --software nginx --software curl --wait
    """
    from c8ydm.procedures.device.changes import plan_remove
    from c8ydm.procedures.resolve import resolve_device

    client = app.client()
    target = resolve_device(client, device)

    def make_plan() -> ChangePlan:
        return plan_remove(client, target, software=software)

    _finish(app, _apply(app, client, make_plan, wait_pending=wait_pending, force=force), wait)


# `device snapshot` (configuration) lives in its own module; importing it adds it to this group.
from c8ydm.cli.commands import device_snapshot as _device_snapshot  # noqa: E402, F401
