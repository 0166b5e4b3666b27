"""The steps of one wave: begin it, begin a retry round, watch its bulk operations, judge its gate,
stop it. Each returns when to look again (``None``: nothing more to do for now)."""

from __future__ import annotations

from datetime import datetime, timedelta

from c8ydm.api.conventions import format_timestamp, parse_timestamp
from c8ydm.api.models.devicecontrol import BulkOperation, BulkProgress, OperationStatus
from c8ydm.api.polling import BulkPollSchedule
from c8ydm.procedures.rollout.context import Context
from c8ydm.procedures.rollout.ending import cancelled_elsewhere, stop
from c8ydm.procedures.rollout.gates import (
    alarmed_devices,
    cancel_timed_out,
    counts_from_bulk,
    counts_from_operations,
    failed_devices,
    judge,
    latest_operations,
    timeout_at,
)
from c8ydm.procedures.rollout.schedule import estimated_finish, next_look
from c8ydm.procedures.rollout.state import Attempt, Counts, RolloutStatus, WaveState, WaveStatus
from c8ydm.procedures.rollout.waves import start_attempt


def _ramp(ctx: Context) -> float:
    return ctx.rollout.plan.settings.ramp or 1.0


def _wave(ctx: Context, index: int) -> tuple[WaveState, list[str]]:
    return ctx.rollout.state.waves[index], ctx.rollout.plan.waves[index]


def _label(ctx: Context, index: int) -> str:
    return f"wave {index + 1}/{len(ctx.rollout.plan.waves)}"


def begin_wave(ctx: Context, index: int) -> datetime:
    """Create the wave's hidden group, its members and its bulk operation (reconciled)."""
    wave, devices = _wave(ctx, index)
    now = ctx.now()
    wave.status, wave.started = WaveStatus.RUNNING, format_timestamp(now)
    wave.attempts = [Attempt(0, "wave", 0, format_timestamp(now), _ramp(ctx), len(devices))]
    wave.counts = Counts(not_created=len(devices))
    ctx.emit(f"{_label(ctx, index)}: starting on {len(devices)} devices", wave=index)
    start_attempt(ctx, index, wave.attempts[0], devices)
    return _next(ctx, index, ctx.now())


def begin_retry(ctx: Context, index: int) -> datetime:
    """A retry round: ``failedParentId`` bulk operations for the failed devices (one per bulk
    operation they failed in) and a remainder for devices that never got an operation."""
    wave, devices = _wave(ctx, index)
    operations = latest_operations(ctx.client, wave.bulk_ids)
    failed: dict[str, int] = {}
    for operation in operations.values():
        if operation.status is OperationStatus.FAILED and operation.bulk_operation_id:
            failed[operation.bulk_operation_id] = failed.get(operation.bulk_operation_id, 0) + 1
    missing = [device for device in devices if device not in operations]
    now, number, round_ = format_timestamp(ctx.now()), len(wave.attempts), wave.round + 1
    new = [
        Attempt(number + i, "retry", round_, now, _ramp(ctx), n, parent_id=p)
        for i, (p, n) in enumerate(failed.items())
    ]
    if missing:
        new.append(Attempt(number + len(new), "remainder", round_, now, _ramp(ctx), len(missing)))
    if not new:  # nothing failed any more: judge again (alarms may have been cleared)
        wave.status, wave.ended = WaveStatus.SOAKING, now
        ctx.save()
        return ctx.now()
    wave.attempts.extend(new)
    wave.status, wave.ended, wave.verdict = WaveStatus.RUNNING, None, None
    ctx.save()
    retried = sum(attempt.count for attempt in new)
    ctx.emit(f"{_label(ctx, index)}: retrying {retried} devices", wave=index)
    for attempt in new:
        start_attempt(ctx, index, attempt, missing if attempt.kind == "remainder" else [])
    return _next(ctx, index, ctx.now())


def _attempt_devices(ctx: Context, index: int, attempt: Attempt) -> list[str]:
    """The devices an attempt's group holds: the wave's, or (remainder) those without an operation."""
    wave, devices = _wave(ctx, index)
    if attempt.kind != "remainder":
        return devices
    earlier = [a.bulk_id for a in wave.attempts if a.round < attempt.round and a.bulk_id]
    operations = latest_operations(ctx.client, earlier)
    return [device for device in devices if device not in operations]


def _bulk_is_done(bulk: BulkOperation) -> bool:
    progress = bulk.progress or BulkProgress()
    created = bulk.is_finished or (bulk.status == "COMPLETED" and progress.total > 0)
    return created and progress.pending + progress.executing == 0


def _next(ctx: Context, index: int, now: datetime, bulks: list[BulkOperation] | None = None) -> datetime:
    """When to look again: the bulk operations' own schedule, the sample's moment, a device timeout."""
    wave = ctx.rollout.state.waves[index]
    attempts = wave.current_attempts()
    settings = ctx.rollout.plan.settings
    last = max(attempts, key=lambda a: estimated_finish(a.start_date, a.ramp, a.count))
    latest = None
    if bulks:
        latest = next((bulk for bulk in bulks if bulk.id == last.bulk_id), bulks[-1])
    schedule = ctx.schedules.setdefault((index, wave.round), BulkPollSchedule())
    wake = next_look(now, schedule, latest, start_date=last.start_date, ramp=last.ramp, count=last.count,
                     min_sample=settings.min_sample)  # fmt: skip
    return min([wake, *(timeout_at(a, settings) for a in attempts)])


def watch(ctx: Context, index: int) -> datetime | None:
    """Read the wave's bulk operations: stop it early, move it to its gate, or time out operations."""
    wave, devices = _wave(ctx, index)
    for attempt in wave.current_attempts():  # a run killed while creating them: finish, reconciled
        if attempt.bulk_id is None or (attempt.has_group and not attempt.members_added):
            start_attempt(ctx, index, attempt, _attempt_devices(ctx, index, attempt))
    attempts = wave.current_attempts()
    bulks = [ctx.client.bulk_operations.get(str(attempt.bulk_id)) for attempt in attempts]
    if cancelled_elsewhere(ctx, index, bulks):
        return None
    if len(wave.attempts) == 1:
        counts = counts_from_bulk(bulks[0], len(devices))
    else:
        counts = counts_from_operations(latest_operations(ctx.client, wave.bulk_ids), len(devices))
    counts.timed_out = wave.counts.timed_out
    wave.counts = counts
    _report(ctx, index)
    verdict = judge(counts, len(devices), ctx.rollout.plan.settings, is_final=False)
    if verdict is not None and verdict.is_crossed:
        stop(ctx, index, verdict)
    now = ctx.now()
    if all(_bulk_is_done(bulk) for bulk in bulks):
        wave.status, wave.ended = WaveStatus.SOAKING, format_timestamp(now)
        soak = ctx.rollout.plan.settings.soak_seconds
        if not soak:  # judged at once: the gate saves (a run killed before it judges again)
            return gate(ctx, index)
        ctx.save()
        return now + timedelta(seconds=soak)
    return _time_out(ctx, index, now) or _next(ctx, index, now, bulks)


def _time_out(ctx: Context, index: int, now: datetime) -> datetime | None:
    """Cancel operations past the device timeout (§10); ``now`` when some were (look again at once)."""
    wave = ctx.rollout.state.waves[index]
    settings = ctx.rollout.plan.settings
    cancelled = 0
    for attempt in wave.current_attempts():
        if now >= timeout_at(attempt, settings):
            count, _ = cancel_timed_out(
                ctx.client, str(attempt.bulk_id), now, settings.device_timeout_seconds
            )
            cancelled += count
    if not cancelled:
        return None
    wave.counts.timed_out += cancelled
    ctx.save()
    ctx.emit(f"{_label(ctx, index)}: {cancelled} operations timed out and were cancelled", wave=index)
    return now


def _report(ctx: Context, index: int) -> None:
    counts = ctx.rollout.state.waves[index].counts
    text = (f"{_label(ctx, index)}: {counts.successful} successful, {counts.failed} failed, "
            f"{counts.pending + counts.executing} running, {counts.not_created} waiting")  # fmt: skip
    if ctx.seen.get(index) != text:
        ctx.seen[index] = text
        ctx.emit(text, wave=index, kind="progress")


def gate(ctx: Context, index: int) -> datetime | None:
    """After the soak: count alarmed devices, judge the wave; pass it (maybe pause) or stop."""
    wave, devices = _wave(ctx, index)
    settings = ctx.rollout.plan.settings
    ready = parse_timestamp(wave.ended or format_timestamp(ctx.now())) + timedelta(
        seconds=settings.soak_seconds
    )
    if ctx.now() < ready:
        return ready
    counts = wave.counts
    if settings.halt_on_alarm:
        since = wave.started or wave.ended or format_timestamp(ctx.now())
        alarmed = alarmed_devices(ctx.client, settings.halt_on_alarm, since, set(devices))
        if alarmed and counts.failed:
            alarmed -= failed_devices(ctx.client, wave.bulk_ids)
        counts.alarmed = len(alarmed)
    verdict = judge(counts, len(devices), settings, is_final=True)
    assert verdict is not None  # a final judgement always has a verdict
    wave.verdict, wave.judged = verdict.text, format_timestamp(ctx.now())
    if verdict.is_crossed:
        stop(ctx, index, verdict)
    wave.status = WaveStatus.PASSED
    ctx.emit(f"{_label(ctx, index)} passed: {verdict.text}", wave=index)
    state = ctx.rollout.state
    following = state.current()
    if (
        settings.pause_after_wave
        and following is not None
        and state.waves[following].status is WaveStatus.PENDING
    ):
        state.status = RolloutStatus.PAUSED
        state.reason = f"approval needed after wave {index + 1}: --pause-after-wave"
        ctx.save()
        return None
    ctx.save()
    return ctx.now()
