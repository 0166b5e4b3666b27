"""Start, resume, pause, cancel and retry a rollout, from any machine with the same session.

- ``prepare_start``: the same start command run again (a CI job re-run after a lost answer or a
  dead runner) finds the rollout it created, by name, and continues it instead of creating a second
  one (§14(d)); a rollout of that name that is still open but was started differently is a conflict
  (exit 7). Otherwise a new plan.
- ``create``: the rollout object (plan, progress, this runner's lease) in one POST.
- ``open_runner``: take the lease of an existing rollout (RolloutBusyError, exit 7, while another
  live runner holds it).
- ``pause`` asks the runner to stop before the next wave; ``cancel`` cancels at once (the running
  wave's bulk operations and their PENDING operations); ``mark_retry`` sends the failed devices of
  every wave again; ``resume`` lets a paused rollout go on. Then ``driver.drive`` runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.procedures.rollout.context import Context, RolloutEvent
from c8ydm.procedures.rollout.ending import finish_cancelled
from c8ydm.procedures.rollout.lease import RolloutBusyError, Runner, acquire, lease_until, release
from c8ydm.procedures.rollout.operations import build_operation
from c8ydm.procedures.rollout.planner import (
    PlannedRollout,
    default_name,
    fingerprint,
    plan_rollout,
    target_of,
)
from c8ydm.procedures.rollout.record import Rollout
from c8ydm.procedures.rollout.request import RolloutRequest
from c8ydm.procedures.rollout.schedule import Clock
from c8ydm.procedures.rollout.state import RolloutState, RolloutStatus, WaveState, WaveStatus
from c8ydm.procedures.rollout.store import create_rollout, find_rollouts, save_control
from c8ydm.procedures.rollout.waves import stop_attempt

EventSink = Callable[[RolloutEvent], None] | None


@dataclass
class StartDecision:
    """Either a new plan, or the open rollout this same command created before."""

    planned: PlannedRollout | None = None
    existing: Rollout | None = None


def prepare_start(client: Client, request: RolloutRequest) -> StartDecision:
    """Find the rollout this command made before (by name, same fingerprint), or plan a new one.

    GET the repository entries, GET /inventory/managedObjects?query=… (rollouts of that name),
    then, for a new plan, the group and its devices (``planner``).
    """
    operation = build_operation(client, request)
    name = request.name or default_name(operation, request)
    for rollout in find_rollouts(client, name=name):
        if rollout.is_terminal:
            continue
        wanted = fingerprint(operation, target_of(client, request), request.settings)
        if rollout.plan.fingerprint != wanted:
            raise ConflictError(
                f"rollout {rollout.id} named {name!r} is {rollout.status} with other settings",
                hint=f"give another --name, or continue it with: c8ydm rollout resume {rollout.id}",
            )
        return StartDecision(existing=rollout)
    return StartDecision(planned=plan_rollout(client, request, operation=operation))


def create(
    client: Client, planned: PlannedRollout, runner: Runner, clock: Clock, on_event: EventSink = None
) -> Context:
    """Create the rollout object with its plan and this runner's lease (POST /inventory/managedObjects)."""
    plan = planned.plan
    state = RolloutState(RolloutStatus.RUNNING, [WaveState() for _ in plan.waves])
    lease = runner.lease(lease_until(clock.now(), None))
    rollout = create_rollout(client, planned.name, plan, state, lease)
    ctx = Context(client, rollout, runner, clock, on_event)
    waves = f"{len(plan.waves)} wave{'' if len(plan.waves) == 1 else 's'}"
    ctx.emit(f"rollout {rollout.id} created: {plan.devices} devices in {waves}")
    return ctx


def open_runner(
    client: Client, rollout: Rollout, runner: Runner, clock: Clock, on_event: EventSink = None
) -> Context:
    """Take the lease of an existing rollout (RolloutBusyError while another runner drives it)."""
    acquire(client, rollout, runner, clock.now(), sleep=clock.sleep)
    return Context(client, rollout, runner, clock, on_event)


def resume(ctx: Context) -> None:
    """Let a paused rollout go on (the pause request is withdrawn); refuse a cancelled one."""
    rollout = ctx.rollout
    if rollout.is_terminal and rollout.status == RolloutStatus.CANCELLED.value:
        raise InputError(f"rollout {rollout.id} was cancelled; start a new one")
    if rollout.control.paused:
        rollout.control.paused, rollout.control.by, rollout.control.at = False, ctx.runner.holder, _now(ctx)
        save_control(ctx.client, rollout)
    if rollout.state.status is RolloutStatus.PAUSED:
        rollout.state.status, rollout.state.reason = RolloutStatus.RUNNING, None
        ctx.save()


def pause(client: Client, rollout: Rollout, runner: Runner, clock: Clock) -> None:
    """Ask for a pause before the next wave. PUT …/managedObjects/{id} {"c8ydm_RolloutControl": …}"""
    if rollout.is_terminal:
        raise InputError(f"rollout {rollout.id} is {rollout.status}: there is nothing to pause")
    rollout.control.paused = True
    rollout.control.by, rollout.control.at = runner.holder, format_timestamp(clock.now())
    save_control(client, rollout)


def cancel(
    client: Client, rollout: Rollout, runner: Runner, clock: Clock, on_event: EventSink = None
) -> None:
    """Cancel now: the request first (any runner stops on it), then the running wave's bulk
    operations and their PENDING operations; the progress too when no other runner drives it."""
    if rollout.is_terminal:
        raise InputError(f"rollout {rollout.id} is already {rollout.status}")
    rollout.control.cancelled = True
    rollout.control.by, rollout.control.at = runner.holder, format_timestamp(clock.now())
    save_control(client, rollout)
    try:
        ctx = open_runner(client, rollout, runner, clock, on_event)
    except RolloutBusyError:  # its runner stops on the request; the tenant stops creating now
        ctx = Context(client, rollout, runner, clock, on_event)
        for wave in rollout.state.waves:
            for attempt in wave.current_attempts() if wave.status is WaveStatus.RUNNING else []:
                stop_attempt(ctx, attempt, f"c8ydm rollout {rollout.id} cancelled")
        return
    try:
        finish_cancelled(ctx)
    finally:
        if not client.dry_run:
            release(client, rollout, runner)


def mark_retry(ctx: Context) -> int:
    """Mark every judged wave with failed, alarmed or unreached devices for a retry round; how many."""
    rollout = ctx.rollout
    if rollout.is_terminal and rollout.status == RolloutStatus.CANCELLED.value:
        raise InputError(f"rollout {rollout.id} was cancelled; start a new one")
    marked = 0
    for wave in rollout.state.waves:
        counts = wave.counts
        has_failures = counts.failures or counts.not_created
        if wave.status in (WaveStatus.PASSED, WaveStatus.FAILED) and has_failures:
            wave.status = WaveStatus.RETRY
            marked += 1
    if marked:
        if rollout.state.status in (RolloutStatus.STOPPED, RolloutStatus.FINISHED):
            rollout.state.status, rollout.state.reason = RolloutStatus.RUNNING, None
        ctx.save()
    return marked


def _now(ctx: Context) -> str:
    return format_timestamp(ctx.now())
