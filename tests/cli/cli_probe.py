"""Test-only commands (registered by the ``probe`` fixture) exercising App: client, confirm, errors."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.context import App
from c8ydm.cli.options import command, id_argument, id_option


@command()
def probe(app: App, change: Annotated[bool, typer.Option("--change")] = False) -> None:
    """Show the current user; with --change also create a managed object.

    Example:
      c8ydm probe -o json
    """
    client = app.client()
    if change:
        client.post_json("/inventory/managedObjects", {"name": "probe"})
    app.render(client.get_json("/user/currentUser"))


@command()
def confirming(app: App) -> None:
    """Ask for a confirmation, then print {"confirmed": ...}.

    Example:
      c8ydm confirming --yes
    """
    app.render({"confirmed": app.confirm("Delete everything?")})


@command()
def boom(app: App) -> None:
    """Fail with a bug.

    Example:
      c8ydm boom
    """
    raise RuntimeError("kaput")


@command()
def interrupt(app: App) -> None:
    """Behave as if Ctrl-C was pressed.

    Example:
      c8ydm interrupt
    """
    raise KeyboardInterrupt


@command()
def uploading(app: App) -> None:
    """Show upload and operation progress.

    Example:
      c8ydm uploading
    """
    with app.upload_progress("firmware.bin", 2_500_000) as bar:
        bar.advance(1_000_000)
        bar.advance(1_500_000)
    with app.operation_progress() as live:
        for status in ("PENDING", "PENDING", "EXECUTING", "SUCCESSFUL"):
            live.update("42", status, "device-1")


@command()
def ids(
    app: App,
    first: Annotated[str, id_argument("An operation id.")],
    more: Annotated[list[str] | None, id_argument("More ids.")] = None,
    parent: Annotated[str | None, id_option("--parent", help="A bulk operation id.")] = None,
) -> None:
    """Echo the ids after validation; ask the tenant for the first one.

    Example:
      c8ydm ids 1 2 3 --parent 4
    """
    app.client().get_json(f"/devicecontrol/operations/{first}")
    app.render({"first": first, "more": more or [], "parent": parent})
