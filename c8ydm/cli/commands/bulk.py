"""bulk create|list|show|cancel|retry: Cumulocity bulk operations (contract §11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.cli.commands._operations import poll_policy
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group
from c8ydm.procedures import bulk as procedure
from c8ydm.procedures import bulk_prototypes
from c8ydm.procedures.bulk_status import (
    bulk_document,
    done_percent,
    list_bulk,
    operation_summary,
    progress_line,
    progress_summary,
    wait_for_bulk,
)
from c8ydm.procedures.repository import PackageSpec
from c8ydm.procedures.resolve import resolve_group

group = new_group("""Create, list, show, cancel and retry bulk operations.

Example:
  c8ydm bulk create --firmware linux-image@6.1.2 --group "All Linux" --wait
  c8ydm bulk create --from-operation 1234 --group "Field test" --ramp 2
  c8ydm bulk show 42 --wait""")

BulkId = Annotated[str, typer.Argument(metavar="ID", help="Bulk operation id.", show_default=False)]
StartOption = Annotated[
    str | None, typer.Option("--start", metavar="AT", help="now (default), +5m, +2h or an ISO time.")
]
RampOption = Annotated[
    float | None, typer.Option("--ramp", metavar="SECONDS", help="Seconds between two devices (default 1).")
]
BULK_COLUMNS = [
    ("ID", "id"),
    ("STATUS", "generalStatus"),
    ("DONE", "doneFraction"),
    ("ALL", "progress.all"),
    ("FAILED", "progress.failed"),
    ("START", "startDate"),
    ("DESCRIPTION", "operationPrototype.description"),
]
# The table shows DONE in percent; csv keeps the document's keys as its header.
TABLE_COLUMNS = [("DONE", "donePercent") if key == "doneFraction" else (h, key) for h, key in BULK_COLUMNS]


def _list_row(bulk: BulkOperation) -> dict[str, Any]:
    return {**bulk_document(bulk), "donePercent": f"{done_percent(bulk)}%"}


def _summary(bulk: BulkOperation) -> dict[str, Any]:
    """bulk show as a table: one readable line per field (json keeps Cumulocity's names)."""
    document = bulk_document(bulk)
    prototype = bulk.operation_prototype or {}
    general = document.get("generalStatus") or ""
    raw = [document.get("generalStatusRaw"), bulk.status and f"status {bulk.status}"]
    details = ", ".join(detail for detail in raw if detail)
    parent = bulk.failed_parent_id and f"failed devices of bulk operation {bulk.failed_parent_id}"
    rows = {
        "id": bulk.id,
        "description": prototype.get("description"),
        "target group": bulk.group_id or parent,
        "status": f"{general} ({details})".strip() if details else general,
        "progress": progress_summary(bulk),
        "operation": operation_summary(prototype),
        "start date": bulk.start_date,
        "creation ramp": None if bulk.creation_ramp is None else f"{bulk.creation_ramp:g} s",
        "estimated finish": document.get("estimatedFinish"),
        "note": bulk.note,
    }
    return {label: value for label, value in rows.items() if value}


def _render(app: App, bulk: BulkOperation) -> None:
    """One bulk operation: a readable summary in a table, Cumulocity's document otherwise."""
    app.render(_summary(bulk) if app.output_format == "table" else bulk_document(bulk))


def _target_group(app: App, group_name: str | None, query: str | None, device_types: list[str]) -> str:
    """The group id to schedule for: an existing group, or a new hidden one for a query (§11.3)."""
    client = app.client()
    if group_name is not None:
        return str(resolve_group(client, group_name).id)
    device_query = procedure.type_query(device_types) if device_types else str(query)
    if not device_query.strip() and not app.confirm("The bulk operation will run on ALL devices. Go on?"):
        raise InputError("not scheduled: no device selection", hint="give a non-empty --query")
    if device_query.strip():  # a bad query fails here (422, exit 8), before anything is created
        app.message(f"Devices now matching {device_query!r}: {client.inventory.count(q=device_query)}")
    return str(procedure.create_query_group(client, device_query).id)


def _prototype(
    client: Client, operation_id: str | None, firmware: str | None, patch: str | None, software: list[str]
) -> bulk_prototypes.Prototype:
    """The operation prototype of whichever source was given (checked: exactly one)."""
    if operation_id is not None:
        return bulk_prototypes.Prototype(procedure.prototype_from_operation(client, operation_id))
    if firmware is not None:
        return bulk_prototypes.firmware_prototype(client, PackageSpec.parse(firmware), patch=patch)
    return bulk_prototypes.software_prototype(client, [PackageSpec.parse(text) for text in software])


def _check_choices(sources: Mapping[str, object], targets: Mapping[str, object], patch: str | None) -> None:
    """Exactly one source and one target, before any request (exit 2)."""
    for kind, given in (("source", sources), ("target", targets)):
        if sum(1 for value in given.values() if value is not None) != 1:  # --query "" is all devices
            raise InputError(f"give exactly one {kind}: {', '.join(given)}")
    if patch is not None and not sources["--firmware"]:
        raise InputError("--patch needs --firmware NAME@VERSION (the patch's base version)")


def _follow(app: App, client: Client, bulk_id: str) -> BulkOperation:
    """Wait for the bulk operation with one stderr line per change of progress (exit 11, 12, 14)."""
    seen: set[str] = set()

    def report(bulk: BulkOperation) -> None:
        line = progress_line(bulk)
        if line not in seen:
            seen.add(line)
            app.message(f"bulk operation {bulk_id}: {line}")

    try:
        return wait_for_bulk(client, bulk_id, policy=poll_policy(app), on_progress=report)
    except KeyboardInterrupt:  # cli-surface.md, exit 130: "work already sent is reported"
        app.message(f"Stopped waiting; nothing was cancelled. Follow with: c8ydm bulk show {bulk_id} --wait")
        raise


@command(group, "create")
def create(
    app: App,
    operation_id: Annotated[
        str | None, typer.Option("--from-operation", metavar="OPERATION_ID", help="The operation to copy.")
    ] = None,
    firmware: Annotated[
        str | None,
        typer.Option(
            "--firmware",
            metavar="NAME[@VERSION]",
            autocompletion=complete_names("firmware"),
            help="Firmware from the repository (newest version without @).",
        ),
    ] = None,
    patch: Annotated[
        str | None, typer.Option("--patch", metavar="P", help="A patch of that firmware version.")
    ] = None,
    software: Annotated[
        list[str] | None,
        typer.Option(
            "--software",
            metavar="NAME[@VERSION]",
            autocompletion=complete_names("software"),
            help="Software to install from the repository (repeatable).",
        ),
    ] = None,
    group_name: Annotated[
        str | None,
        typer.Option(
            "--group", metavar="GROUP", autocompletion=complete_names("group"), help="A group's name or id."
        ),
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", metavar="Q", help="A device query of your own, sent as written.")
    ] = None,
    device_types: Annotated[
        list[str] | None, typer.Option("--type", metavar="T", help="Devices of this type (repeatable).")
    ] = None,
    start: StartOption = None,
    ramp: RampOption = None,
    note: Annotated[str | None, typer.Option("--note", metavar="N", help="A note for people.")] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Follow the progress on stderr until every device is done.")
    ] = False,
) -> None:
    """Schedule an operation for a group of devices: a copy of an existing one, or firmware or
    software from the repository, with the UI's bulk prototypes.

    Give one source (--from-operation, --firmware, --software) and one target (--group, --query,
    --type). A copied operation loses its device and status; every prototype gets a fresh
    c8ydm_Origin marker. A --query (e.g. "type eq 'c8y_Linux'") is sent exactly as you wrote it;
    --type builds the query for you (and refuses an entry made for another device type). Both
    create a hidden dynamic group, as the UI does. The ramp must be within the tenant's bounds
    (exit 2 outside); the start must not be in the past. Bulk software carries no software type.

    With --wait, progress goes to stderr until every device's operation has ended; the exit code is
    0 when all succeeded, 14 when some devices failed and others succeeded, 11 when every device
    failed, 12 when --timeout passes first (nothing is cancelled). --dry-run prints the requests
    and waits for nothing.

    Example:
      c8ydm bulk create --firmware linux-image@6.1.2 --group "All Linux" --wait
      c8ydm bulk create --firmware gw-os@2.4.0 --patch 2.4.0-p2 --type c8y_Gateway --start +10m
      c8ydm bulk create --software nginx@1.24.0 --software curl --query "name eq 'edge-*'"
      c8ydm bulk create --from-operation 1234 --group "Field test" --ramp 2 --note "kernel 6.1"
    """
    sources = {"--from-operation": operation_id, "--firmware": firmware, "--software": software}
    _check_choices(sources, {"--group": group_name, "--query": query, "--type": device_types}, patch)
    start_date = procedure.parse_start(start)
    client = app.client()
    prototype = _prototype(client, operation_id, firmware, patch, software or [])
    bulk_prototypes.check_target_types(prototype, device_types or [])
    creation_ramp = procedure.check_ramp(client, ramp)
    group_id = _target_group(app, group_name, query, device_types or [])
    created = procedure.create_bulk(
        client,
        prototype=prototype.body,
        group_id=group_id,
        start_date=start_date,
        ramp=creation_ramp,
        note=note,
    )
    if client.dry_run:  # stdout holds the request records only, as for every other change
        return app.message("Dry run: nothing was created" + (", so nothing to wait for." if wait else "."))
    if wait:
        app.message(f"Created bulk operation {created.id}; following it (Ctrl-C stops only the waiting).")
        created = _follow(app, client, str(created.id))
    _render(app, created)


@command(group, "list")
def list_bulk_operations(
    app: App,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", metavar="S", help="scheduled, executing, successful, failed, canceled, deleted."
        ),
    ] = None,
) -> None:
    """List bulk operations (cancelled ones too), with their normalised status and progress.

    Example:
      c8ydm bulk list --status executing -o json
    """
    bulks = list_bulk(app.client(), status=status)
    if app.output_format == "table":
        return app.render((_list_row(bulk) for bulk in bulks), columns=TABLE_COLUMNS)
    app.render((bulk_document(bulk) for bulk in bulks), columns=BULK_COLUMNS)


@command(group, "show")
def show(
    app: App,
    bulk_id: BulkId,
    wait: Annotated[
        bool, typer.Option("--wait", "--watch", help="Follow the progress until the end.")
    ] = False,
) -> None:
    """Show a bulk operation's progress; with --wait follow it until it ends.

    The --wait exit codes are bulk create's: 0 all succeeded, 14 some devices failed, 11 every
    device failed, 12 --timeout passed (nothing is cancelled).

    Example:
      c8ydm bulk show 42 -o json
      c8ydm bulk show 42 --wait --timeout 900
    """
    client = app.client()
    bulk = _follow(app, client, bulk_id) if wait else client.bulk_operations.get(bulk_id)
    _render(app, bulk)


@command(group, "cancel")
def cancel(app: App, bulk_id: BulkId) -> None:
    """Cancel a bulk operation: no further operations are created (asks unless --yes).

    Example:
      c8ydm bulk cancel 42 --yes
    """
    client = app.client()
    bulk = client.bulk_operations.get(bulk_id)
    if not app.confirm(f"Cancel bulk operation {bulk_id} ({progress_line(bulk)})?"):
        app.message("Nothing was cancelled.")
        return
    client.bulk_operations.delete(bulk_id)
    _render(app, bulk if client.dry_run else client.bulk_operations.get(bulk_id))


@command(group, "retry")
def retry(app: App, bulk_id: BulkId, start: StartOption = None, ramp: RampOption = None) -> None:
    """Schedule the same operation again for the devices whose operation FAILED in a bulk operation.

    Example:
      c8ydm bulk retry 42 --start +5m
    """
    client = app.client()
    retried = procedure.retry_bulk(client, bulk_id, start_date=procedure.parse_start(start), ramp=ramp)
    _render(app, retried)
