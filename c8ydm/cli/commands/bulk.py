"""bulk create|list|show|cancel|retry: Cumulocity bulk operations (contract §11)."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.api.errors import InputError
from c8ydm.api.models import BulkOperation
from c8ydm.cli.commands._operations import poll_policy
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group
from c8ydm.procedures import bulk as procedure
from c8ydm.procedures.bulk_status import bulk_document, list_bulk, progress_line, wait_for_bulk
from c8ydm.procedures.resolve import resolve_group

group = new_group("""Create, list, show, cancel and retry bulk operations.

Example:
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


@command(group, "create")
def create(
    app: App,
    operation_id: Annotated[
        str, typer.Option("--from-operation", metavar="OPERATION_ID", help="The operation to copy.")
    ],
    group_name: Annotated[
        str | None, typer.Option("--group", metavar="GROUP", autocompletion=complete_names("group"))
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
) -> None:
    """Schedule an existing operation for a group of devices, like the UI's "schedule as bulk".

    The operation is copied without its device and status, with a fresh c8ydm_Origin marker. A
    --query (e.g. "type eq 'c8y_Linux'") is sent exactly as you wrote it; --type builds the query
    for you. Both create a hidden dynamic group, as the UI does. The ramp must be within the
    tenant's bounds (exit 2 outside); the start must not be in the past.

    Example:
      c8ydm bulk create --from-operation 1234 --group "Field test" --ramp 2
      c8ydm bulk create --from-operation 1234 --type c8y_Linux --start +10m --note "kernel 6.1"
    """
    if sum(1 for given in (group_name, query, device_types or None) if given is not None) != 1:
        raise InputError("give exactly one of --group, --query and --type")
    client = app.client()
    prototype = procedure.prototype_from_operation(client, operation_id)
    start_date, creation_ramp = procedure.parse_start(start), procedure.check_ramp(client, ramp)
    group_id = _target_group(app, group_name, query, device_types or [])
    created = procedure.create_bulk(
        client, prototype=prototype, group_id=group_id, start_date=start_date, ramp=creation_ramp, note=note
    )
    app.render(bulk_document(created))


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
    app.render((bulk_document(bulk) for bulk in list_bulk(app.client(), status=status)), columns=BULK_COLUMNS)


@command(group, "show")
def show(
    app: App,
    bulk_id: BulkId,
    wait: Annotated[
        bool, typer.Option("--wait", "--watch", help="Follow the progress until the end.")
    ] = False,
) -> None:
    """Show a bulk operation's progress; with --wait follow it until it ends (exit 11, 12 as usual).

    Example:
      c8ydm bulk show 42 -o json
      c8ydm bulk show 42 --wait --timeout 900
    """
    client = app.client()
    if not wait:
        return app.render(bulk_document(client.bulk_operations.get(bulk_id)))
    last: list[str] = []

    def report(bulk: BulkOperation) -> None:
        line = progress_line(bulk)
        if line not in last:
            last.append(line)
            app.message(f"bulk operation {bulk_id}: {line}")

    app.render(bulk_document(wait_for_bulk(client, bulk_id, policy=poll_policy(app), on_progress=report)))


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
    app.render(bulk_document(bulk if client.dry_run else client.bulk_operations.get(bulk_id)))


@command(group, "retry")
def retry(app: App, bulk_id: BulkId, start: StartOption = None, ramp: RampOption = None) -> None:
    """Schedule the same operation again for the devices whose operation FAILED in a bulk operation.

    Example:
      c8ydm bulk retry 42 --start +5m
    """
    client = app.client()
    retried = procedure.retry_bulk(client, bulk_id, start_date=procedure.parse_start(start), ramp=ramp)
    app.render(bulk_document(retried))
