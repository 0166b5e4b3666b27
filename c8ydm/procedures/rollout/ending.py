"""How a rollout's run ends early: a failure threshold crossed (the wave is stopped, exit 13), a
cancel asked for from any machine, or a wave's bulk operation cancelled outside the rollout."""

from __future__ import annotations

from c8ydm.api.models.devicecontrol import BulkGeneralStatus, BulkOperation
from c8ydm.procedures.errors import ThresholdCrossedError
from c8ydm.procedures.rollout.context import Context
from c8ydm.procedures.rollout.gates import Verdict
from c8ydm.procedures.rollout.record import Rollout
from c8ydm.procedures.rollout.state import RolloutStatus, WaveStatus
from c8ydm.procedures.rollout.store import load_rollout
from c8ydm.procedures.rollout.waves import stop_attempt


def stop(ctx: Context, index: int, verdict: Verdict) -> None:
    """The threshold is crossed: cancel the wave's bulk operations, start no further wave (exit 13)."""
    wave = ctx.rollout.state.waves[index]
    rollout = ctx.rollout
    reason = f"c8ydm rollout {rollout.id} stopped: failure threshold crossed in wave {index + 1}"
    cancelled = sum(stop_attempt(ctx, attempt, reason) for attempt in wave.current_attempts())
    wave.status, wave.verdict = WaveStatus.FAILED, verdict.text
    rollout.state.status = RolloutStatus.STOPPED
    rollout.state.reason = f"wave {index + 1}: {verdict.text}"
    ctx.save()
    ctx.emit(f"wave {index + 1}/{len(rollout.plan.waves)} failed: {verdict.text}", wave=index)
    raise stopped_error(rollout, cancelled=cancelled)


def stopped_error(rollout: Rollout, *, cancelled: int = 0) -> ThresholdCrossedError:
    """The exit-13 error of a stopped rollout, naming the failed devices and ``rollout retry``."""
    index = next((i for i, w in enumerate(rollout.state.waves) if w.status is WaveStatus.FAILED), 0)
    wave = rollout.state.waves[index]
    later = len(rollout.plan.waves) - index - 1
    extra = f"; {cancelled} operations not yet picked up were cancelled" if cancelled else ""
    waves = f"; {later} later wave{'s' if later != 1 else ''} not started" if later else ""
    message = (
        f"rollout {rollout.id} stopped at wave {index + 1} of {len(rollout.plan.waves)}: "
        f"{wave.verdict or rollout.state.reason}{waves}{extra}"
    )
    return ThresholdCrossedError(
        message,
        rollout_id=rollout.id,
        wave=index + 1,
        failed=wave.counts.failures,
        hint=_hint(rollout, wave.counts.failed, wave.counts.alarmed),
    )


def _hint(rollout: Rollout, failed: int, alarmed: int) -> str:
    retry = f"c8ydm rollout retry {rollout.id}"
    if alarmed and not failed:  # nothing to send again: the devices took the update and alarmed
        return f"look at the devices' alarms and clear them once fixed, then judge the wave again: {retry}"
    return f"retry the failed devices with: {retry}"


def finish_cancelled(ctx: Context) -> None:
    """A cancel was asked for: cancel the running wave's bulk operations; mark it all cancelled."""
    state = ctx.rollout.state
    reason = f"c8ydm rollout {ctx.rollout.id} cancelled"
    for wave in state.waves:
        if wave.status in (WaveStatus.RUNNING, WaveStatus.SOAKING, WaveStatus.RETRY):
            for attempt in wave.current_attempts():
                stop_attempt(ctx, attempt, reason)
            wave.status = WaveStatus.CANCELLED
    if state.status is not RolloutStatus.CANCELLED:
        state.status, state.reason = (
            RolloutStatus.CANCELLED,
            ctx.rollout.control.by and f"cancelled by {ctx.rollout.control.by}",
        )
        ctx.save()
        ctx.emit(f"rollout {ctx.rollout.id} cancelled")


def cancelled_elsewhere(ctx: Context, index: int, bulks: list[BulkOperation]) -> bool:
    """A bulk operation of the wave was cancelled by someone else: ``rollout cancel`` (then the
    rollout is cancelled), or the UI or ``bulk cancel`` (the rollout stops: its devices would be
    skipped). True when this run must not go on watching. GET /inventory/managedObjects/{id}"""
    if not any(bulk.normalized_general_status is BulkGeneralStatus.CANCELED for bulk in bulks):
        return False
    ctx.rollout.refresh_from(load_rollout(ctx.client, ctx.rollout.id))
    if ctx.rollout.control.cancelled:
        finish_cancelled(ctx)
        return True
    cancelled = next(
        bulk.id for bulk in bulks if bulk.normalized_general_status is BulkGeneralStatus.CANCELED
    )
    stop(ctx, index, Verdict(True, f"its bulk operation {cancelled} was cancelled outside the rollout"))
    return True
