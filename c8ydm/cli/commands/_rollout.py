"""Shared by the rollout commands: their options, driving with live progress, starting, opening.

Procedures and the client are imported inside the functions, so that importing a command module
(for ``--help``) loads neither httpx nor the procedures layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.cli.context import App

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.errors import C8yError
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.rollout.context import Context
    from c8ydm.procedures.rollout.record import Rollout
    from c8ydm.procedures.rollout.request import RolloutRequest

RolloutId = Annotated[str, typer.Argument(metavar="ID", help="Rollout id (or name).", show_default=False)]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="Drive the rollout until it finishes, stops, or pauses.")
]
QueryTarget = Annotated[
    str | None, typer.Option("--query", metavar="Q", help="A device query of your own, sent as written.")
]
NameOption = Annotated[
    str | None,
    typer.Option("--name", metavar="NAME", help="A name (default: what and to whom); the same start again "
                 "continues the open rollout of that name."),
]  # fmt: skip
WavesOption = Annotated[
    str | None,
    typer.Option("--waves", metavar="W", help="Counts or cumulative percentages (default 10,10%,50%,100%)."),
]
MaxFailuresOption = Annotated[
    str | None,
    typer.Option("--max-failures", metavar="M", help="Failed share (5%, the default) or count per wave."),
]
MinSampleOption = Annotated[
    int | None,
    typer.Option(
        "--min-sample", metavar="N", min=1, help="Devices done before a wave is judged (default 10)."
    ),
]
DeviceTimeoutOption = Annotated[
    str | None,
    typer.Option(
        "--device-timeout", metavar="DURATION", help="Cancel operations running longer (default 30m)."
    ),
]
SoakOption = Annotated[
    str | None,
    typer.Option("--soak", metavar="DURATION", help="Wait after a wave before judging it (default 0)."),
]
PauseOption = Annotated[
    bool, typer.Option("--pause-after-wave", help="Stop after each wave until `rollout resume`.")
]
AlarmOption = Annotated[
    list[str] | None,
    typer.Option("--halt-on-alarm", metavar="TYPE", help="Devices that raise this alarm count as failed."),
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", metavar="N", help="Seed of the shuffle (default: random, kept).")
]


def drive_and_show(app: App, ctx: Context, *, wait: bool) -> None:
    """Drive the rollout with live progress on stderr, show it, exit as its outcome says."""
    from c8ydm.procedures.rollout.driver import drive

    rollout_id = ctx.rollout.id
    try:
        with app.rollout_progress() as live:
            ctx.on_event = live.event
            result = drive(ctx, wait=wait, timeout_seconds=app.options.timeout)
    except KeyboardInterrupt:  # cli-surface.md, exit 130: the work stays with the tenant
        app.message(f"Stopped driving; rollout {rollout_id} stays as it is. Continue with: "
                    f"c8ydm rollout resume {rollout_id} --wait")  # fmt: skip
        raise
    if result.outcome == "running" and not ctx.client.dry_run:
        app.message(f"Rollout {rollout_id} is running with the tenant; drive its next waves with: "
                    f"c8ydm rollout resume {rollout_id} --wait")  # fmt: skip
    elif result.outcome == "paused":
        app.message(f"Rollout {rollout_id} is paused; go on with: c8ydm rollout resume {rollout_id} --wait")
    show_outcome(app, result.rollout, result.error)


def show_outcome(app: App, rollout: Rollout, error: C8yError | None) -> None:
    """Show the rollout, then fail with its outcome's error. Machines get one JSON document: the
    rollout, or the error object (cli-surface.md) with the rollout as its ``details``; a table or
    csv shows the rollout before the error goes to stderr."""
    from c8ydm.cli.views.rollout import rollout_view

    if app.options.dry_run:  # stdout holds the request records only, as for every other change
        return app.message("Dry run: nothing was changed.")

    def check() -> None:
        if error is not None:
            raise error

    app.show_outcome(rollout_view(rollout), check)


ReleaseFile = Annotated[
    Path | None,
    typer.Option("--file", metavar="PATH", help="Release the firmware version from this file first."),
]
ReleaseUrl = Annotated[
    str | None, typer.Option("--url", metavar="URL", help="Release the firmware version with this URL first.")
]
ReleaseDescription = Annotated[
    str | None, typer.Option("--description", metavar="TEXT", help="With --file/--url: for a new entry.")
]
ReleaseDeviceType = Annotated[
    str | None,
    typer.Option("--device-type", metavar="TYPE", help="With --file/--url: a new entry's device type."),
]


def release_request(
    request: RolloutRequest,
    *,
    file: Path | None,
    url: str | None,
    description: str | None,
    device_type: str | None,
) -> AddRequest | None:
    """The ``firmware add --if-exists skip`` a start with --file/--url makes first (checked now, exit 2)."""
    from c8ydm.api.errors import InputError
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.repository.kinds import FIRMWARE
    from c8ydm.procedures.repository.versions import PackageSpec

    if file is None and url is None:
        if description is not None or device_type is not None:
            raise InputError("--description and --device-type go with --file or --url (a release)")
        return None
    spec = PackageSpec.parse(request.firmware or "") if request.firmware else None
    if spec is None or spec.version is None:
        raise InputError("--file and --url release firmware: give --firmware NAME@VERSION")
    return AddRequest(FIRMWARE, spec.name, spec.version, file=file, url=url, description=description,
                      device_type=device_type, patch=request.patch, if_exists="skip")  # fmt: skip


def release(app: App, client: Client, request: AddRequest) -> bool:
    """Add the version (skipped when it exists), with upload progress; False when a dry run did not."""
    from c8ydm.procedures.repository.add import execute_add, plan_add

    plan = plan_add(client, request)
    file = request.file
    if file is not None and not plan.is_unchanged and not client.dry_run:
        with app.upload_progress(file.name, file.stat().st_size) as bar:
            result = execute_add(client, plan, on_bytes=bar.advance, on_undo=app.message)
    else:
        result = execute_add(client, plan, on_undo=app.message)
    shown = request.patch or request.version
    app.message(
        f"firmware {result.entry.name!r} {'patch' if request.patch else 'version'} {shown}: {result.status}."
    )
    return plan.is_unchanged or not client.dry_run


def start_rollout(
    app: App, request: RolloutRequest, *, wait: bool, released: AddRequest | None = None
) -> None:
    """Continue the open rollout this command made before, or plan, confirm and create a new one."""
    from c8ydm.cli.views.rollout import plan_view
    from c8ydm.procedures.rollout.control import create, open_runner, prepare_start
    from c8ydm.procedures.rollout.lease import Runner
    from c8ydm.procedures.rollout.schedule import Clock

    client = app.client()  # the request was checked when it was made: exit 2 even without a session
    if released is not None and not release(app, client, released):
        return app.message("Dry run: the version is not released, so there is no plan to show.")
    decision = prepare_start(client, request)
    runner, clock = Runner.this_process(), Clock()
    if decision.existing is not None:
        existing = decision.existing
        app.message(f"Rollout {existing.id} ({existing.name}) is {existing.status}: continuing it.")
        return drive_and_show(app, open_runner(client, existing, runner, clock), wait=wait)
    planned = decision.planned
    assert planned is not None
    plan = planned.plan
    if planned.is_empty or client.dry_run:
        app.show(plan_view(planned))
        reason = "no device is left to roll out to" if planned.is_empty else "dry run"
        return app.message(f"Nothing was created: {reason}.")
    sizes = ", ".join(str(len(wave)) for wave in plan.waves)
    app.message(f"Rollout {planned.name!r}: {plan.operation.label} to {plan.devices} devices in "
                f"{len(plan.waves)} wave{'' if len(plan.waves) == 1 else 's'} ({sizes}); "
                f"{plan.excluded_count} excluded.")  # fmt: skip
    if not app.confirm(f"Start the rollout to {plan.devices} devices?"):
        return app.message("Nothing was started.")
    drive_and_show(app, create(client, planned, runner, clock), wait=wait)


def open_rollout(app: App, rollout_id: str, *, question: str | None = None) -> Context | None:
    """Resolve the rollout, ask ``question`` (None: nothing to ask; a no: None), take its lease
    (exit 7 while another runner drives it)."""
    from c8ydm.procedures.rollout.control import open_runner
    from c8ydm.procedures.rollout.lease import Runner
    from c8ydm.procedures.rollout.schedule import Clock
    from c8ydm.procedures.rollout.store import resolve_rollout

    client = app.client()
    rollout = resolve_rollout(client, rollout_id)
    if question is not None and not app.confirm(question.format(id=rollout.id, name=rollout.name)):
        return None
    return open_runner(client, rollout, Runner.this_process(), Clock())
