"""registration list|add|accept|delete|limit: new device requests (contract §12.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

if TYPE_CHECKING:
    from c8ydm.procedures.registration.requests import RequestsReport

group = new_group("""List, add, accept and delete new device requests.

A device registered by its external id connects, waits for acceptance (PENDING_ACCEPTANCE), and
gets its credentials once accepted.

Example:
  c8ydm registration add SN-1001 SN-1002 --group "Field test"
  c8ydm registration accept --all""")

ExternalIds = Annotated[
    list[str] | None,
    typer.Argument(metavar="ID...", show_default=False, help="Devices' external ids (the request ids)."),
]


@command(group, "list")
def list_requests(
    app: App,
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="S", help="WAITING_FOR_CONNECTION, PENDING_ACCEPTANCE or ACCEPTED."),
    ] = None,
) -> None:
    """List new device requests, optionally of one status.

    Example:
      c8ydm registration list --status PENDING_ACCEPTANCE
    """
    from c8ydm.cli.views.registration import requests_view
    from c8ydm.procedures.registration.requests import check_status, list_requests

    wanted = check_status(status)
    app.show(requests_view(list_requests(app.client(), status=wanted)))


@command(group, "add")
def add(
    app: App,
    external_ids: ExternalIds = None,
    group_name: Annotated[
        str | None,
        typer.Option(
            "--group", metavar="G", autocompletion=complete_names("group"), help="Group name or id."
        ),
    ] = None,
    device_type: Annotated[str | None, typer.Option("--type", metavar="T", help="Device type.")] = None,
) -> None:
    """Register devices by external id; each then waits to connect and to be accepted.

    An id with a request already is reported as it is, not added twice.

    Example:
      c8ydm registration add SN-1001 SN-1002 --group "Field test" --type c8y_Linux
    """
    from c8ydm.procedures.registration.requests import add_requests
    from c8ydm.procedures.resolve import resolve_group

    client = app.client()
    group_id = str(resolve_group(client, group_name).id) if group_name is not None else None
    report = add_requests(client, external_ids or [], group_id=group_id, type=device_type)
    _finish(app, report, "added")


@command(group, "accept")
def accept(
    app: App,
    external_ids: ExternalIds = None,
    all_pending: Annotated[bool, typer.Option("--all", help="Every request PENDING_ACCEPTANCE.")] = False,
) -> None:
    """Accept requests PENDING_ACCEPTANCE: one request per device, exit 14 when some failed.

    Example:
      c8ydm registration accept SN-1001
      c8ydm registration accept --all
    """
    from c8ydm.api.errors import InputError
    from c8ydm.procedures.registration.requests import accept_requests, plan_requests

    if bool(external_ids) == all_pending:
        raise InputError("give request ids or --all")
    client = app.client()
    plan = plan_requests(client, None if all_pending else external_ids, only_pending=True)
    if not plan:
        return app.message("No request is PENDING_ACCEPTANCE.")
    _finish(app, accept_requests(client, plan), "accepted")


@command(group, "delete")
def delete(app: App, external_ids: ExternalIds = None) -> None:
    """Delete new device requests; asks for confirmation unless --yes.

    Example:
      c8ydm registration delete SN-1001 --yes
    """
    from c8ydm.procedures.registration.requests import delete_requests, plan_requests

    client = app.client()
    plan = plan_requests(client, external_ids or [])
    named = ", ".join(f"{r.id} ({r.status})" for r in plan)
    if not app.confirm(f"Delete {len(plan)} new device request(s): {named}?"):
        return app.message("Nothing was deleted.")
    _finish(app, delete_requests(client, plan), "deleted")


@command(group, "limit")
def limit(app: App) -> None:
    """Show whether the tenant's device limit is reached (isReached, limit, deviceCount).

    Example:
      c8ydm registration limit -o json
    """
    from c8ydm.cli.views.registration import limit_view
    from c8ydm.procedures.registration.requests import device_limit

    app.show(limit_view(device_limit(app.client())))


def _finish(app: App, report: RequestsReport, verb: str) -> None:
    from c8ydm.cli.views.registration import outcomes_view

    if app.options.dry_run:
        return app.message(f"Dry run: nothing was {verb}.")
    app.show_outcome(outcomes_view(report), report.raise_for_failures)
