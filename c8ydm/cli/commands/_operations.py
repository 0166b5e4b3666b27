"""Shared by the device, operation and bulk commands: arguments, --wait with live status.

Procedures and the client are imported inside the functions, so that importing a command module
(for ``--help``) loads neither httpx nor the procedures layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import complete_names

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.api.polling import PollPolicy

DRY_RUN_NOTE = "Dry run: no operation was created, so there is nothing to wait for."

DeviceArgument = Annotated[
    str,
    typer.Argument(
        metavar="DEVICE",
        autocompletion=complete_names("device"),
        help="Device name or id.",
        show_default=False,
    ),
]
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait",
        help="Follow the operations on stderr until they end: exit 0, 11 (FAILED) or 12 (--timeout).",
    ),
]


def poll_policy(app: App) -> PollPolicy:
    """The default polling policy with the user's ``--timeout`` as its overall deadline."""
    from c8ydm.api.polling import PollPolicy

    return PollPolicy().with_timeout(app.options.timeout)


def wait_with_progress(
    app: App,
    client: Client,
    operations: Sequence[Operation | str],
    labels: Mapping[str, str] | None = None,
) -> list[Operation]:
    """Wait for the operations with live status on stderr; raises for FAILED (11) and timeout (12)."""
    from c8ydm.procedures.operations.waiting import wait_for_operations

    if client.dry_run:
        app.message(DRY_RUN_NOTE)
        return wait_for_operations(client, operations)  # in a dry run: the operations as given
    try:
        with app.operation_progress() as live:
            return wait_for_operations(
                client, operations, policy=poll_policy(app), on_status=live.update, labels=labels
            )
    except KeyboardInterrupt:  # cli-surface.md, exit 130: "work already sent is reported"
        ids = " ".join(op if isinstance(op, str) else op.id or "" for op in operations)
        app.message(f"Stopped waiting; nothing was cancelled. Follow with: c8ydm operation wait {ids}")
        raise
