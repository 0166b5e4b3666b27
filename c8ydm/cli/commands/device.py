"""device list|show|operations|install|remove: a device's firmware and software, and changing them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import OperationStatus
from c8ydm.cli.commands._operations import (
    OPERATION_COLUMNS,
    DeviceArgument,
    WaitOption,
    wait_with_progress,
)
from c8ydm.cli.context import App
from c8ydm.cli.options import command, new_group
from c8ydm.procedures import device_info
from c8ydm.procedures.device_changes import DeviceChanges, install_on_device, remove_from_device
from c8ydm.procedures.repository import PackageSpec
from c8ydm.procedures.resolve import resolve_device

group = new_group("""List and show devices; install and remove firmware and software.

Example:
  c8ydm device show linux-0001
  c8ydm device install linux-0001 --firmware linux-image@6.1.2 --wait""")

DEVICE_COLUMNS = [("ID", "id"), ("NAME", "name"), ("TYPE", "type"), ("FIRMWARE", "c8y_Firmware.version")]
CHANGE_COLUMNS = [("ID", "id"), ("STATUS", "status"), ("DESCRIPTION", "description")]


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
        str | None, typer.Option("--group", metavar="GROUP", help="Devices of this group (name or id).")
    ] = None,
) -> None:
    """List devices, by type, name pattern, group or an inventory query of your own.

    Example:
      c8ydm device list --type c8y_Linux --name 'linux-*'
      c8ydm device list --query "type eq 'c8y_Gateway'" -o json
    """
    found = device_info.list_devices(
        app.client(), device_type=device_type, name=name, query=query, group=group_name
    )
    app.render(found, columns=DEVICE_COLUMNS)


def _summary(details: dict[str, Any]) -> dict[str, Any]:
    """device show as a table: one readable line per field."""

    def operation(op: dict[str, Any] | None) -> str:
        return f"{op['id']} {op.get('status')} {op.get('creationTime', '')}".strip() if op else ""

    firmware = details.get("c8y_Firmware") or {}
    software = ", ".join(f"{i.get('name')} {i.get('version', '')}".strip() for i in details["software"])
    source = f" ({details['softwareSource']})" if details.get("softwareSource") else ""
    return {
        "name": details.get("name"),
        "id": details.get("id"),
        "type": details.get("type"),
        "firmware": f"{firmware.get('name', '')} {firmware.get('version', '')}".strip(),
        "last firmware operation": operation(details.get("lastFirmwareOperation")),
        "software": software + source,
        "last software operation": operation(details.get("lastSoftwareOperation")),
        "supported operations": ", ".join(details.get("c8y_SupportedOperations") or []),
    }


@command(group, "show")
def show(app: App, device: DeviceArgument) -> None:
    """Show a device: installed firmware and software, the last operation of each, supported operations.

    Example:
      c8ydm device show linux-0001
      c8ydm device show 4711 -o json
    """
    client = app.client()
    details = device_info.describe_device(client, resolve_device(client, device))
    app.render(_summary(details) if app.output_format == "table" else details)


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
    client = app.client()
    target = resolve_device(client, device)
    found = client.operations.list(device_id=target.id, status=status, newest_first=True, limit=limit)
    app.render(found, columns=OPERATION_COLUMNS)


def _finish(app: App, changes: DeviceChanges, wait: bool) -> None:
    for item in changes.unchanged:
        app.message(f"Unchanged: {item['name']} {item['version']} is already installed.")
    if wait and changes.operations:
        changes.operations = wait_with_progress(app, app.client(), changes.operations)
    if not changes.operations:
        app.message(f"Nothing to change on {changes.device.name}.")
    if app.output_format == "json":
        app.render(changes.document())
    else:
        app.render(changes.operations, columns=CHANGE_COLUMNS)


@command(group, "install")
def install(
    app: App,
    device: DeviceArgument,
    firmware: Annotated[
        str | None, typer.Option("--firmware", metavar="NAME@VERSION", help="Firmware (newest without @).")
    ] = None,
    patch: Annotated[
        str | None, typer.Option("--patch", metavar="P", help="A patch of that version.")
    ] = None,
    software: Annotated[
        list[str] | None, typer.Option("--software", metavar="NAME@VERSION", help="Software (repeatable).")
    ] = None,
    config: Annotated[
        list[str] | None, typer.Option("--config", metavar="NAME", help="Not yet supported (exit 2).")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", metavar="NAME", help="Not yet supported (exit 2).")
    ] = None,
    wait: WaitOption = False,
) -> None:
    """Install firmware (or a patch) and software on a device.

    Firmware and software make two operations, firmware first; everything is checked before either
    is created (device support, device type, software type). Software already installed in that
    version is reported as unchanged. Without --wait the created operations are printed.

    Example:
      c8ydm device install linux-0001 --firmware linux-image@6.1.2 --wait
      c8ydm device install gw-7 --firmware gw-os@2.4.0 --patch 2.4.0-p2
      c8ydm device install linux-0001 --software nginx@1.24.0 --software curl@8.0.1
    """
    if config or profile:
        raise InputError("--config and --profile are not yet supported by device install")
    client = app.client()
    target = resolve_device(client, device)
    changes = install_on_device(
        client,
        target,
        firmware=PackageSpec.parse(firmware) if firmware is not None else None,
        patch=patch,
        software=[PackageSpec.parse(text) for text in software or []],
    )
    _finish(app, changes, wait)


@command(group, "remove")
def remove(
    app: App,
    device: DeviceArgument,
    software: Annotated[
        list[str], typer.Option("--software", metavar="NAME", help="Software to remove (repeatable).")
    ],
    wait: WaitOption = False,
) -> None:
    """Remove software from a device, all in one operation (exit 4 for a name not installed).

    Example:
      c8ydm device remove linux-0001 --software nginx --software curl --wait
    """
    client = app.client()
    _finish(app, remove_from_device(client, resolve_device(client, device), software=software), wait)
