"""bulk create|list|show|cancel|retry: Cumulocity bulk operations (contract §11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.api.errors import InputError
from c8ydm.api.models.status import OperationStatus
from c8ydm.cli.commands._operations import poll_policy
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, complete_packages, id_argument, id_option, new_group

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.models.devicecontrol import BulkOperation
    from c8ydm.cli.output import View
    from c8ydm.procedures.bulk.create import BulkPlan

group = new_group("""Create, list, show, cancel and retry bulk operations.

Example:
  c8ydm bulk create --firmware linux-image@6.1.2 --group "All Linux" --wait
  c8ydm bulk create --from-operation 1234 --group "Field test" --ramp 2
  c8ydm bulk show 42 --wait""")

# Ids are checked while the line is parsed: `bulk show abc` is exit 2 before any request.
BulkId = Annotated[str, id_argument("Bulk operation id.")]
StartOption = Annotated[
    str | None, typer.Option("--start", metavar="AT", help="now (default), +5m, +2h or an ISO time.")
]
RampOption = Annotated[
    float | None, typer.Option("--ramp", metavar="SECONDS", help="Seconds between two devices (default 1).")
]

FromOperation = Annotated[
    str | None, id_option("--from-operation", metavar="OPERATION_ID", help="The operation to copy.")
]
FirmwareSource = Annotated[
    str | None,
    typer.Option(
        "--firmware",
        metavar="NAME[@VERSION]",
        autocompletion=complete_packages("firmware"),
        help="Firmware from the repository (newest version without @).",
    ),
]
PatchOption = Annotated[
    str | None, typer.Option("--patch", metavar="P", help="A patch of that firmware version.")
]
SoftwareSource = Annotated[
    list[str] | None,
    typer.Option(
        "--software",
        metavar="NAME[@VERSION]",
        autocompletion=complete_packages("software"),
        help="Software to install from the repository (repeatable).",
    ),
]
ProfileSource = Annotated[
    str | None,
    typer.Option(
        "--profile", metavar="NAME", autocompletion=complete_names("profile"), help="A device profile."
    ),
]
GroupTarget = Annotated[
    str | None,
    typer.Option(
        "--group", metavar="GROUP", autocompletion=complete_names("group"), help="A group's name or id."
    ),
]
QueryTarget = Annotated[
    str | None, typer.Option("--query", metavar="Q", help="A device query of your own, sent as written.")
]
ConfigSource = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="NAME",
        autocompletion=complete_names("config"),
        help="A configuration from the repository.",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="N", help="A note for people.")]
FollowOption = Annotated[
    bool, typer.Option("--wait", help="Follow the progress on stderr until every device is done.")
]
TypeTarget = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        metavar="T",
        help="Devices of this type (repeatable); with --group or --query: only their devices of type T.",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Copy a FAILED operation, or schedule while the same bulk operation still runs for the target.",
    ),
]
AllowFullState = Annotated[
    bool,
    typer.Option(
        "--allow-full-state",
        help="Copy an operation that sets a device's whole state (c8y_SoftwareList, c8y_Software, "
        "c8y_Configuration) to every device anyway.",
    ),
]


def _follow(app: App, client: Client, bulk_id: str, first: BulkOperation | None = None) -> BulkOperation:
    """Wait for the bulk operation with one stderr line per change of progress (exit 11, 12, 14)."""
    from c8ydm.procedures.bulk.status import progress_line, wait_for_bulk

    seen: set[str] = set()

    def report(bulk: BulkOperation) -> None:
        line = progress_line(bulk)
        if line not in seen:
            seen.add(line)
            app.message(f"bulk operation {bulk_id}: {line}")

    try:
        return wait_for_bulk(client, bulk_id, policy=poll_policy(app), on_progress=report, first=first)
    except KeyboardInterrupt:  # cli-surface.md, exit 130: "work already sent is reported"
        app.message(f"Stopped waiting; nothing was cancelled. Follow with: c8ydm bulk show {bulk_id} --wait")
        raise


def _report(app: App, plan: BulkPlan) -> None:
    """What people should know before the bulk operation is created: the selection and warnings."""
    if plan.matching is not None:
        app.message(f"Devices now matching {plan.device_query!r}: {plan.matching}")
    for text in plan.warnings:
        app.warning(text)


def _follow_created(app: App, client: Client, created: BulkOperation) -> BulkOperation:
    """--wait after create: follow it; on exit 11, 12 or 14 the bulk operation is still printed."""
    from c8ydm.cli.views.bulk import bulk_view

    app.message(f"Created bulk operation {created.id}; following it (Ctrl-C stops only the waiting).")
    with app.showing_result_on_failure(bulk_view):
        return _follow(app, client, str(created.id), first=created)


@command(group, "create")
def create(
    app: App,
    operation_id: FromOperation = None,
    firmware: FirmwareSource = None,
    patch: PatchOption = None,
    software: SoftwareSource = None,
    config: ConfigSource = None,
    profile: ProfileSource = None,
    group_name: GroupTarget = None,
    query: QueryTarget = None,
    device_types: TypeTarget = None,
    start: StartOption = None,
    ramp: RampOption = None,
    note: NoteOption = None,
    wait: FollowOption = False,
    force: ForceOption = False,
    allow_full_state: AllowFullState = False,
) -> None:
    """Schedule an operation for many devices: a copy of one, or the UI's bulk prototypes.

    Give one source (--from-operation, --firmware, --software, --config, --profile) and one target
    (--group, --query, --type). A copy loses its device and status; every prototype gets a fresh
    c8ydm_Origin marker. --query is sent as written; --type builds one, and with --group or --query
    keeps only their devices of that type (a hidden dynamic group, as the UI makes). The ramp must
    be within the tenant's bounds; the start not in the past.

    Refused (exit 2): an entry for another device type than some of the target's (add --type), a
    copied operation that FAILED (--force) or sets a whole state (--allow-full-state). Exit 7 while
    the same operation still runs for the target (--force).

    --wait follows the progress on stderr: exit 0 all succeeded, 14 some devices failed, 11 all
    failed, 12 --timeout passed (nothing is cancelled). --dry-run prints the requests only.

    Example:
      c8ydm bulk create --firmware linux-image@6.1.2 --group "All Linux" --wait
      c8ydm bulk create --firmware gw-os@2.4.0 --group "Field test" --type c8y_Gateway --start +10m
      c8ydm bulk create --from-operation 1234 --group "Field test" --ramp 2 --note "kernel 6.1"
      c8ydm bulk create --config tedge-defaults --query "c8y_SupportedConfigurations eq 'tedge.toml'"
      c8ydm bulk create --profile Baseline --group "All Linux" --wait
    """
    from c8ydm.cli.views.bulk import bulk_view
    from c8ydm.procedures.bulk.create import BulkRequest, execute_bulk, plan_bulk

    request = BulkRequest(
        operation_id=operation_id, firmware=firmware, patch=patch, software=tuple(software or ()),
        config=config, profile=profile, group=group_name, query=query, device_types=tuple(device_types or ()),
        start=start, ramp=ramp, note=note, force=force, allow_full_state=allow_full_state,
    )  # fmt: skip
    client = app.client()  # the request was checked when it was made: exit 2 even without a session
    plan = plan_bulk(client, request)
    _report(app, plan)
    if plan.is_all_devices and not app.confirm("The bulk operation will run on ALL devices. Go on?"):
        raise InputError("not scheduled: no device selection", hint="give a non-empty --query")
    created = execute_bulk(client, plan, report=app.message)
    if client.dry_run:  # stdout holds the request records only, as for every other change
        return app.message("Dry run: nothing was created" + (", so nothing to wait for." if wait else "."))
    app.show(bulk_view(_follow_created(app, client, created) if wait else created))


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
    from c8ydm.cli.views.bulk import bulks_view
    from c8ydm.procedures.bulk.status import list_bulk

    app.show(bulks_view(list_bulk(app.client(), status=status)))


@command(group, "show")
def show(
    app: App,
    bulk_id: BulkId,
    wait: Annotated[
        bool, typer.Option("--wait", "--watch", help="Follow the progress until the end.")
    ] = False,
    devices: Annotated[
        bool, typer.Option("--devices", help="List each device's operation: status and failure reason.")
    ] = False,
    status: Annotated[
        OperationStatus | None,
        typer.Option(
            "--status", case_sensitive=False, help="With --devices: only operations in this status."
        ),
    ] = None,
) -> None:
    """Show a bulk operation's progress; with --wait follow it until it ends.

    --devices lists every device's operation with its status and failure reason (--status FAILED
    or PENDING names the devices that failed or never answered). The --wait exit codes are bulk
    create's: 0 all succeeded, 14 some devices failed, 11 every device failed, 12 --timeout passed
    (nothing is cancelled); the bulk operation is printed in every case.

    Example:
      c8ydm bulk show 42 -o json
      c8ydm bulk show 42 --wait --timeout 900
      c8ydm bulk show 42 --devices --status FAILED
    """
    from c8ydm.cli.views.bulk import bulk_devices_view, bulk_view
    from c8ydm.procedures.bulk.status import bulk_children

    client = app.client()

    def view(bulk: BulkOperation) -> View:
        if not (devices or status):
            return bulk_view(bulk)
        return bulk_devices_view(bulk, bulk_children(client, bulk_id, status=status))

    with app.showing_result_on_failure(view):  # exit 11, 12, 14: the bulk operation still shown
        bulk = _follow(app, client, bulk_id) if wait else client.bulk_operations.get(bulk_id)
    app.show(view(bulk))


@command(group, "cancel")
def cancel(app: App, bulk_id: BulkId) -> None:
    """Cancel a bulk operation: no further operations are created (asks unless --yes).

    A bulk operation that has already ended (successful, failed or canceled) is left as it is
    (exit 7, naming its status).

    Example:
      c8ydm bulk cancel 42 --yes
    """
    from c8ydm.cli.views.bulk import bulk_view
    from c8ydm.procedures.bulk.status import check_cancellable, progress_line

    client = app.client()
    bulk = check_cancellable(client.bulk_operations.get(bulk_id))
    if not app.confirm(f"Cancel bulk operation {bulk_id} ({progress_line(bulk)})?"):
        app.message("Nothing was cancelled.")
        return
    client.bulk_operations.delete(bulk_id)
    app.show(bulk_view(bulk if client.dry_run else client.bulk_operations.get(bulk_id)))


@command(group, "retry")
def retry(
    app: App,
    bulk_id: BulkId,
    start: StartOption = None,
    ramp: RampOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Retry even while an earlier retry of it still runs.")
    ] = False,
) -> None:
    """Schedule the same operation again for the devices whose operation FAILED in a bulk operation.

    Refused (exit 7) while an earlier retry of the same bulk operation still runs, unless --force.

    Example:
      c8ydm bulk retry 42 --start +5m
    """
    from c8ydm.cli.views.bulk import bulk_view
    from c8ydm.procedures.bulk.retry import retry_bulk
    from c8ydm.procedures.bulk.schedule import parse_start

    retried = retry_bulk(app.client(), bulk_id, start_date=parse_start(start), ramp=ramp, force=force)
    app.show(bulk_view(retried))
