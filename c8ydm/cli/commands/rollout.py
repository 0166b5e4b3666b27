"""rollout start|list|status|pause|resume|cancel|retry: staged rollouts in waves on the tenant's bulk
engine, with gates between the waves; the state lives in the tenant (cli-surface.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.commands._rollout import (
    AlarmOption,
    DeviceTimeoutOption,
    MaxFailuresOption,
    MinSampleOption,
    NameOption,
    PauseOption,
    QueryTarget,
    ReleaseDescription,
    ReleaseDeviceType,
    ReleaseFile,
    ReleaseUrl,
    RolloutId,
    SeedOption,
    SoakOption,
    WaitOption,
    WavesOption,
    drive_and_show,
    open_rollout,
    release_request,
    show_outcome,
    start_rollout,
)
from c8ydm.cli.commands.bulk import (
    ConfigSource,
    FirmwareSource,
    GroupTarget,
    PatchOption,
    ProfileSource,
    RampOption,
    SoftwareSource,
)
from c8ydm.cli.context import App
from c8ydm.cli.options import command, new_group

group = new_group("""Roll out in waves with health gates; resume from anywhere.

Firmware or software reaches the devices wave by wave. Each wave is one bulk operation over a
hidden group of its devices; between waves c8ydm judges the failures (--max-failures after
--min-sample devices), cancels operations past the device timeout, waits out a soak and checks
the devices' alarms. The plan and progress live in the
tenant: status, pause, resume, cancel and retry work from any machine with the same session.

Example:
  c8ydm rollout start --firmware linux-image@6.1.2 --group "All Linux" --waves 10%,50%,100% --wait --yes
  c8ydm rollout status 12345 --watch""")


@command(group, "start")
def start(
    app: App,
    firmware: FirmwareSource = None,
    patch: PatchOption = None,
    software: SoftwareSource = None,
    config: ConfigSource = None,
    profile: ProfileSource = None,
    group_name: GroupTarget = None,
    query: QueryTarget = None,
    name: NameOption = None,
    waves: WavesOption = None,
    max_failures: MaxFailuresOption = None,
    min_sample: MinSampleOption = None,
    device_timeout: DeviceTimeoutOption = None,
    soak: SoakOption = None,
    pause_after_wave: PauseOption = False,
    halt_on_alarm: AlarmOption = None,
    ramp: RampOption = None,
    seed: SeedOption = None,
    wait: WaitOption = False,
    file: ReleaseFile = None,
    url: ReleaseUrl = None,
    description: ReleaseDescription = None,
    device_type: ReleaseDeviceType = None,
) -> None:
    """Plan a rollout, create it in the tenant and start its first wave (asks unless --yes).

    Give one source (--firmware NAME@V [--patch P], --software NAME@V..., --config NAME, --profile
    NAME) and one target (--group or --query), read once and frozen: devices that do not support
    the operation, whose type the repository entry excludes, or that already have it are left out,
    with the reason. The rest are shuffled (a wave is a sample) and cut into --waves: counts or
    cumulative percentages ending at 100%. Each wave is one bulk operation over a hidden group.

    A wave passes when its operations are final and its failures (failed operations, operations
    past --device-timeout, devices with a --halt-on-alarm alarm) stay within --max-failures;
    crossing it cancels the wave's bulk operation and starts no further wave (exit 13). With
    --wait the command drives every wave: exit 0 when all succeeded, 14 when some devices failed
    below the threshold, 12 when --timeout passes (the rollout goes on). Without --wait it starts
    the first wave and leaves the rest to `rollout resume`. Running the same start again continues
    the open rollout of the same name instead of creating another. --dry-run prints the plan.

    --file or --url (with --description for a new entry) release the firmware version first, as
    `firmware add --if-exists skip` does: one command releases and rolls out, safely re-run.

    Example:
      c8ydm rollout start --firmware linux-image@6.1.2 --group "All Linux" --dry-run
      c8ydm rollout start --firmware linux-image@6.1.2 --group "All Linux" --waves 10,50%,100% --wait --yes
      c8ydm rollout start --firmware linux-image@6.2.0 --file build/image.img --group "All Linux" --wait --yes
      c8ydm rollout start --profile Baseline --group Gateways --soak 10m --halt-on-alarm c8y_HealthCheckAlarm
    """
    from c8ydm.procedures.rollout.request import RolloutRequest

    request = RolloutRequest(
        firmware=firmware, patch=patch, software=tuple(software or ()), config=config, profile=profile,
        group=group_name, query=query, name=name, waves=waves, max_failures=max_failures,
        min_sample=min_sample, device_timeout=device_timeout, soak=soak, pause_after_wave=pause_after_wave,
        halt_on_alarm=tuple(halt_on_alarm or ()), ramp=ramp, seed=seed,
    )  # fmt: skip
    released = release_request(request, file=file, url=url, description=description, device_type=device_type)
    start_rollout(app, request, wait=wait, released=released)


@command(group, "list")
def list_rollouts(
    app: App,
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="S", help="running, pausing, paused, stopped, finished, cancelled."),
    ] = None,
) -> None:
    """List rollouts, newest first, with their status, current wave and failures.

    Example:
      c8ydm rollout list --status running -o json
    """
    from c8ydm.cli.views.rollout import rollouts_view
    from c8ydm.procedures.rollout.status import list_rollouts as listed

    app.show(rollouts_view(listed(app.client(), status=status)))


@command(group, "status")
def status(
    app: App,
    rollout_id: RolloutId,
    watch: Annotated[bool, typer.Option("--watch", help="Follow it live until it stops running.")] = False,
    devices: Annotated[bool, typer.Option("--devices", help="List every device with its state.")] = False,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            metavar="S",
            help="With --devices: successful, failed, alarmed, executing, pending, waiting or excluded.",
        ),
    ] = None,
) -> None:
    """Show where a rollout stands: its waves with their counts and verdicts, or its devices.

    --watch follows it live (one bar per wave on a terminal) until it finishes, stops, pauses or
    is cancelled, and exits as the rollout does (0, 13, 14). Watching changes nothing and works
    from any machine while another one drives the rollout.

    Example:
      c8ydm rollout status 12345 --watch
      c8ydm rollout status 12345 --devices --state failed -o csv
    """
    from c8ydm.api.conventions import utc_now
    from c8ydm.api.errors import C8yError, InputError, WaitTimeoutError
    from c8ydm.cli.views.rollout import devices_view, rollout_view
    from c8ydm.procedures.rollout.driver import result_of
    from c8ydm.procedures.rollout.status import device_states, live_counts, waits_for_runner, watch_rollout
    from c8ydm.procedures.rollout.store import resolve_rollout

    if state is not None and not devices:
        raise InputError("--state needs --devices")
    client = app.client()
    rollout = resolve_rollout(client, rollout_id)
    if devices:
        return app.show(devices_view(device_states(client, rollout, state=state)))
    if not watch:
        return app.show(rollout_view(live_counts(client, rollout)))
    with app.rollout_progress() as live:
        rollout = watch_rollout(
            client, rollout.id, on_update=live.update, timeout_seconds=app.options.timeout
        )
    if waits_for_runner(rollout, utc_now()):
        error: C8yError | None = WaitTimeoutError(
            f"rollout {rollout.id} waits for a runner: nothing drives it now; nothing was cancelled",
            hint=f"continue it with: c8ydm rollout resume {rollout.id} --wait",
        )
    elif rollout.status in ("running", "pausing"):
        error = WaitTimeoutError(f"timed out watching rollout {rollout.id}: still {rollout.status}")
    else:
        error = result_of(rollout).error
    show_outcome(app, rollout, error)


@command(group, "pause")
def pause(app: App, rollout_id: RolloutId) -> None:
    """Pause a rollout before its next wave; the running wave's operations finish.

    Example:
      c8ydm rollout pause 12345
    """
    from c8ydm.cli.views.rollout import rollout_view
    from c8ydm.procedures.rollout.control import pause as ask_pause
    from c8ydm.procedures.rollout.lease import Runner
    from c8ydm.procedures.rollout.schedule import Clock
    from c8ydm.procedures.rollout.store import resolve_rollout

    client = app.client()
    rollout = resolve_rollout(client, rollout_id)
    ask_pause(client, rollout, Runner.this_process(), Clock())
    if client.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.message(
        f"Rollout {rollout.id} pauses before its next wave; go on with: c8ydm rollout resume {rollout.id}"
    )
    app.show(rollout_view(rollout))


@command(group, "resume")
def resume(app: App, rollout_id: RolloutId, wait: WaitOption = False) -> None:
    """Continue a rollout from where it stands: after a pause, a Ctrl-C, a --timeout or a dead
    runner, from any machine. Nothing that exists is created again.

    Without --wait it does what is due now (judges a finished wave, starts the next) and returns;
    with --wait it drives the rollout to its end (exit codes as rollout start --wait).

    Example:
      c8ydm rollout resume 12345 --wait
    """
    from c8ydm.procedures.rollout.control import resume as let_go_on

    ctx = open_rollout(app, rollout_id)
    assert ctx is not None  # nothing was asked
    let_go_on(ctx)
    drive_and_show(app, ctx, wait=wait)


@command(group, "cancel")
def cancel(app: App, rollout_id: RolloutId) -> None:
    """Cancel a rollout now: the running wave's bulk operation and its operations no device has
    picked up yet are cancelled, no further wave starts (asks unless --yes).

    Example:
      c8ydm rollout cancel 12345 --yes
    """
    from c8ydm.cli.views.rollout import rollout_view
    from c8ydm.procedures.rollout.control import cancel as cancel_now
    from c8ydm.procedures.rollout.lease import Runner
    from c8ydm.procedures.rollout.schedule import Clock
    from c8ydm.procedures.rollout.status import live_counts
    from c8ydm.procedures.rollout.store import load_rollout, resolve_rollout

    client = app.client()
    rollout = resolve_rollout(client, rollout_id)
    if not app.confirm(f"Cancel rollout {rollout.id} ({rollout.name}, {rollout.status})?"):
        return app.message("Nothing was cancelled.")
    cancel_now(client, rollout, Runner.this_process(), Clock())
    if client.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.show(rollout_view(live_counts(client, load_rollout(client, rollout.id))))


@command(group, "retry")
def retry(app: App, rollout_id: RolloutId, wait: WaitOption = False) -> None:
    """Send the operation again to the failed devices of every wave (bulk operations with
    failedParentId; devices a stopped wave never reached get one too), judge those waves again,
    then carry on with the waves not yet started (asks unless --yes).

    Example:
      c8ydm rollout retry 12345 --wait --yes
    """
    from c8ydm.procedures.rollout.control import mark_retry

    ctx = open_rollout(app, rollout_id, question="Retry the failed devices of rollout {id} ({name})?")
    if ctx is None:
        return app.message("Nothing was retried.")
    if not mark_retry(ctx):
        app.message(f"Rollout {ctx.rollout.id} has no failed device to retry.")
    drive_and_show(app, ctx, wait=wait)
