"""operation show|wait|cancel: follow and stop device operations by id (contract §10, §1.12)."""

from __future__ import annotations

from typing import Annotated

from c8ydm.cli.commands._operations import wait_with_progress
from c8ydm.cli.context import App
from c8ydm.cli.options import command, id_argument, new_group

group = new_group("""Show, wait for and cancel device operations.

Example:
  c8ydm operation wait 1234 5678 --timeout 300
  c8ydm operation cancel 1234 --yes""")

# Ids are checked while the line is parsed: `operation show abc` is exit 2 before any request.
OperationId = Annotated[str, id_argument("Operation id.")]
OperationIds = Annotated[list[str], id_argument("Operation ids.", metavar="ID...")]


@command(group, "show")
def show(app: App, operation_id: OperationId) -> None:
    """Show one operation with all its fragments.

    Example:
      c8ydm operation show 1234 -o json
    """
    from c8ydm.cli.views.operations import operation_view

    app.show(operation_view(app.client().operations.get(operation_id)))


@command(group, "wait")
def wait(app: App, operation_ids: OperationIds) -> None:
    """Wait until operations end, with live status on stderr; print them when all succeeded.

    Exits 0 when all are SUCCESSFUL, 11 when any FAILED (the device's reason is shown), 12 when
    --timeout (default 600 s, for all of them together) passes first; nothing is cancelled then.
    Many operations are followed with a few list queries rather than one request each.

    Example:
      c8ydm operation wait 1234 5678 --timeout 120
    """
    from c8ydm.cli.views.operations import operations_list_view

    with app.showing_result_on_failure(operations_list_view):  # exit 11, 12: the operations still shown
        done = wait_with_progress(app, app.client(), operation_ids)
    app.show(operations_list_view(done))


@command(group, "cancel")
def cancel(app: App, operation_ids: OperationIds) -> None:
    """Cancel operations that are PENDING or EXECUTING (set to FAILED: "User cancelled operation").

    Operations that have already ended are reported and left unchanged. Asks for confirmation
    unless --yes is given.

    Example:
      c8ydm operation cancel 1234 5678 --yes
    """
    from c8ydm.cli.views.operations import cancel_view
    from c8ydm.procedures.operations.control import cancel_operations, plan_cancel

    client = app.client()
    plan = plan_cancel(client, operation_ids)
    for ended in plan.ended:
        app.message(f"Operation {ended.id} has already ended ({ended.status_text}); left unchanged.")
    if plan.cancellable:
        listed = ", ".join(f"{op.id} ({op.status_text}, device {op.device_id})" for op in plan.cancellable)
        if not app.confirm(f"Cancel {len(plan.cancellable)} operation(s): {listed}?"):
            app.message("Nothing was cancelled.")
            return
    app.show(cancel_view(cancel_operations(client, plan)))
