"""Drive a rollout: take the lease, then step until it is done, paused, stopped or out of time.

    result = drive(ctx, wait=True, deadline=None)     # ctx holds the client, rollout, runner, clock
    app.show(rollout_view(result.rollout)); if result.error: raise result.error

One step does what is due now and says when to look again: begin the next wave (unless a pause
was asked for), begin a retry round, watch the running wave's bulk operation, judge its gate,
finish. Without ``wait`` one pass is made and the runner returns, leaving the rollout to the
tenant (the next ``rollout resume`` continues it). With ``wait`` the runner sleeps until the next
look (on the bulk operation's own schedule, ``schedule``), renewing the lease to cover the sleep.

Outcomes (``DriveResult.error`` carries the exit code's error): finished (0; 14 when some devices
failed below the threshold), stopped (13), paused, cancelled, running (no wait), timed out (12:
the rollout goes on with the tenant; ``rollout resume`` continues it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from c8ydm.api.errors import C8yError, WaitTimeoutError
from c8ydm.procedures.errors import PartialFailureError, ThresholdCrossedError
from c8ydm.procedures.rollout.context import Context
from c8ydm.procedures.rollout.ending import finish_cancelled, stopped_error
from c8ydm.procedures.rollout.lease import release, renew
from c8ydm.procedures.rollout.record import Rollout
from c8ydm.procedures.rollout.state import RolloutStatus, WaveStatus
from c8ydm.procedures.rollout.steps import begin_retry, begin_wave, gate, watch


@dataclass
class DriveResult:
    """How a run ended: ``outcome`` is finished, stopped, paused, cancelled, running or timeout."""

    rollout: Rollout
    outcome: str
    error: C8yError | None = None


def finished_error(rollout: Rollout) -> PartialFailureError | None:
    """Exit 14 for a finished rollout in which some devices failed (below the threshold)."""
    failures = sum(wave.counts.failures for wave in rollout.state.waves)
    if rollout.state.status is not RolloutStatus.FINISHED or not failures:
        return None
    return PartialFailureError(
        f"rollout {rollout.id} finished, but {failures} of {rollout.plan.devices} devices failed "
        "(below the threshold)",
        operation_ids=[],
        hint=f"retry them with: c8ydm rollout retry {rollout.id}",
    )


def result_of(rollout: Rollout, outcome: str | None = None) -> DriveResult:
    """The result a rollout's status stands for."""
    status = rollout.state.status
    if rollout.control.cancelled or status is RolloutStatus.CANCELLED:
        return DriveResult(rollout, "cancelled")
    if status is RolloutStatus.STOPPED:
        return DriveResult(rollout, "stopped", stopped_error(rollout))
    if status is RolloutStatus.FINISHED:
        return DriveResult(rollout, "finished", finished_error(rollout))
    if status is RolloutStatus.PAUSED:
        return DriveResult(rollout, "paused")
    return DriveResult(rollout, outcome or "running")


def step(ctx: Context) -> datetime | None:
    """Do what is due now; when to look again (None: nothing more to do in this run)."""
    rollout, state = ctx.rollout, ctx.rollout.state
    if rollout.control.cancelled:
        finish_cancelled(ctx)
        return None
    if state.status is not RolloutStatus.RUNNING and state.status is not RolloutStatus.PAUSED:
        return None  # stopped, finished or cancelled
    index = state.current()
    if index is None:
        state.status, state.reason = RolloutStatus.FINISHED, None
        ctx.save()
        ctx.emit(f"rollout {rollout.id} finished")
        return None
    wave = state.waves[index]
    if wave.status is WaveStatus.PENDING:
        if state.status is RolloutStatus.PAUSED or rollout.control.paused:
            _pause(ctx, index)
            return None
        return begin_wave(ctx, index)
    if wave.status is WaveStatus.RETRY:
        return begin_retry(ctx, index)
    if wave.status is WaveStatus.RUNNING:
        return watch(ctx, index)
    if wave.status is WaveStatus.SOAKING:
        return gate(ctx, index)
    state.status = RolloutStatus.STOPPED  # a failed wave that was not marked for retry
    ctx.save()
    return None


def _pause(ctx: Context, index: int) -> None:
    state = ctx.rollout.state
    if state.status is not RolloutStatus.PAUSED:
        state.status = RolloutStatus.PAUSED
        state.reason = f"paused before wave {index + 1}" + (
            f" by {ctx.rollout.control.by}" if ctx.rollout.control.by else ""
        )
        ctx.save()
    ctx.emit(f"rollout {ctx.rollout.id} paused before wave {index + 1}")


def drive(ctx: Context, *, wait: bool, timeout_seconds: float | None = None) -> DriveResult:
    """Step the rollout (see the module docstring); the lease is given up when the run ends.

    ``timeout_seconds`` is an overall deadline (``--timeout``): the run ends (12) when the next look
    would come after it. Ctrl-C (KeyboardInterrupt) also gives the lease up: the rollout stays
    resumable.
    """
    deadline = None if timeout_seconds is None else ctx.now() + timedelta(seconds=timeout_seconds)
    try:
        while True:
            try:
                wake = step(ctx)
            except ThresholdCrossedError as error:
                return DriveResult(ctx.rollout, "stopped", error)
            if wake is None:
                return result_of(ctx.rollout)
            if not wait or ctx.client.dry_run:
                return result_of(ctx.rollout, "running")
            if deadline is not None and wake > deadline:
                return DriveResult(ctx.rollout, "timeout", _timeout(ctx.rollout))
            now = ctx.now()
            renew(ctx.client, ctx.rollout, ctx.runner, now, wake)
            seconds = (wake - now).total_seconds()
            if seconds > 0:
                ctx.clock.sleep(seconds)
    finally:
        if not ctx.client.dry_run:
            _release_quietly(ctx)


def _release_quietly(ctx: Context) -> None:
    with contextlib.suppress(C8yError):  # the lease expires on its own; the outcome is what matters
        release(ctx.client, ctx.rollout, ctx.runner)


def _timeout(rollout: Rollout) -> WaitTimeoutError:
    index = rollout.state.current()
    where = f"wave {index + 1} of {len(rollout.plan.waves)}" if index is not None else "its last wave"
    return WaitTimeoutError(
        f"timed out: rollout {rollout.id} is still running ({where}) with the tenant; nothing was cancelled",
        hint=f"continue it with: c8ydm rollout resume {rollout.id} --wait",
    )
