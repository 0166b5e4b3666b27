"""device snapshot: fetch a device's configuration (contract §8.1-§8.3); registered on the device group.

Kept apart from device.py so that the device commands stay short; device.py imports this module
at its end, which adds ``snapshot`` to its group.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.cli.commands._device_options import ForceOption, WaitPendingOption
from c8ydm.cli.commands._operations import DeviceArgument, wait_with_progress
from c8ydm.cli.commands.device import _apply, group
from c8ydm.cli.context import App
from c8ydm.cli.options import command

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.device.config_snapshot import Snapshot, SnapshotRequest

TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type", metavar="CONFIG_TYPE", help="A typed configuration (default: the legacy snapshot)."
    ),
]
TextOption = Annotated[bool, typer.Option("--text", help="The text configuration (c8y_Configuration).")]
LatestOption = Annotated[
    bool, typer.Option("--latest", help="Read the newest stored snapshot; ask the device for nothing.")
]
SaveAsOption = Annotated[
    str | None,
    typer.Option("--save-as", metavar="NAME", help="Save it to the configuration repository as NAME."),
]
DescriptionOption = Annotated[
    str | None, typer.Option("--description", metavar="D", help="The saved entry's description.")
]
ToOption = Annotated[
    Path | None, typer.Option("--to", metavar="PATH", help="Write it to this file or directory.")
]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="Wait for the device's answer (live status on stderr), then show it.")
]


@command(group, "snapshot")
def snapshot(
    app: App,
    device: DeviceArgument,
    config_type: TypeOption = None,
    text: TextOption = False,
    latest: LatestOption = False,
    save_as: SaveAsOption = None,
    description: DescriptionOption = None,
    to: ToOption = None,
    wait: WaitOption = False,
    wait_pending: WaitPendingOption = False,
    force: ForceOption = False,
) -> None:
    """Ask a device for its configuration, then show it, write it to a file or save it.

    --type T requests a snapshot of the typed configuration T, no --type the legacy snapshot, --text
    the text configuration. With --wait (implied by --to and --save-as) the command follows the
    request, then fetches the newest snapshot: text is printed on stdout as it is (with -o json it
    is the "content" field); binary content is refused on a terminal (use --to). Without --wait
    only the request is sent; read the answer later with --latest, which asks the device for
    nothing. --save-as stores it in the configuration repository with its configuration type and
    the device's type. A request while the same kind of request is PENDING or EXECUTING is refused
    (exit 7) unless --wait-pending or --force.

    Exit codes: 0 done, 2 bad input or unsupported, 4 no snapshot, 7 pending or name taken, 11 the
    device failed, 12 --timeout.

    Example:
      c8ydm device snapshot linux-0001 --type tedge.toml --wait
      c8ydm device snapshot linux-0001 --type tedge.toml --save-as tedge-defaults --description "Agent"
      c8ydm device snapshot gateway-0002 --latest --to gateway-0002.conf
      c8ydm device snapshot linux-0003 --text --wait
    """
    from c8ydm.cli.views.device import changes_view
    from c8ydm.procedures.device.config_snapshot import (
        SnapshotRequest,
        fetch_snapshot,
        plan_snapshot,
        snapshot_destination,
    )
    from c8ydm.procedures.resolve import resolve_device

    request = SnapshotRequest(config_type, text, latest, save_as, description)
    client = app.client()
    target = resolve_device(client, device)
    dest = snapshot_destination(target, request, to, overwrite=app.options.yes) if to is not None else None
    changes = _apply(app, client, lambda: plan_snapshot(client, target, request), wait_pending=wait_pending,
                     force=force)  # fmt: skip
    operation = changes.operations[0] if changes.operations else None
    if operation is not None and (client.dry_run or not (wait or dest or save_as)):
        if not client.dry_run:
            app.message(f"Requested; read the answer later with: c8ydm device snapshot {device} --latest")
        return app.show(changes_view(changes))
    if operation is not None:
        operation = wait_with_progress(app, client, [operation])[0]
    found = fetch_snapshot(client, target, request, since=operation)
    if not found.is_newer:
        app.warning("the device reported no snapshot newer than the request; this is the newest there is")
    _deliver(app, client, target, found, request, operation=operation, to=dest)


def _deliver(
    app: App,
    client: Client,
    device: ManagedObject,
    found: Snapshot,
    request: SnapshotRequest,
    *,
    operation: Operation | None,
    to: Path | None,
) -> None:
    """Write to ``to`` (checked before the request), save as ``--save-as``, or show the content (raw for
    a table, else in JSON)."""
    from c8ydm.api.errors import InputError
    from c8ydm.cli.views.configuration import is_text, snapshot_view
    from c8ydm.procedures.device.config_snapshot import save_snapshot, write_snapshot

    path = write_snapshot(found, to) if to is not None else None
    saved = None
    if request.save_as is not None:
        saved = save_snapshot(client, device, found, request.save_as, description=request.description)
        if client.dry_run:
            return app.message("Dry run: nothing was saved.")
        app.message(f"Saved as configuration {saved.entry.name!r} (id {saved.entry.id}).")
    if path is not None:
        app.message(f"Wrote {path} ({len(found.data)} bytes).")
    view = snapshot_view(device, found, operation=operation, path=path, saved=saved)
    if path is not None or saved is not None or app.output_format != "table":
        return app.show(view)
    if not is_text(found.data) and app.is_stdout_terminal:
        raise InputError(
            f"the snapshot is binary ({len(found.data)} bytes): not shown on a terminal",
            hint=f"write it to a file: c8ydm device snapshot {device.name} --latest --to PATH",
        )
    info = found.info
    what = f"{info.name!r} ({info.time})" if info is not None else "text configuration"
    app.message(f"Snapshot {what} of {device.name}, {len(found.data)} bytes:")
    app.write_data(found.data)
