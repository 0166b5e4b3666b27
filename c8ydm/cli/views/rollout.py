"""Views of rollouts: one rollout (a card and a row per wave), the list, the devices with their
states, and the plan a ``--dry-run`` shows (waves with device counts, excluded devices and why).

The documents use Cumulocity-style camelCase keys; device ids of the plan are never repeated in a
rollout's document (``status --devices`` lists them), so it stays small for large fleets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View

if TYPE_CHECKING:
    from c8ydm.procedures.rollout.planner import PlannedRollout
    from c8ydm.procedures.rollout.record import Plan, Rollout
    from c8ydm.procedures.rollout.state import WaveState
    from c8ydm.procedures.rollout.status import DeviceState

WAVE_COLUMNS = [
    ("WAVE", "wave"),
    ("DEVICES", "devices"),
    ("STATUS", "status"),
    ("OK", "counts.successful"),
    ("FAILED", "counts.failed"),
    ("ALARMED", "counts.alarmed"),
    ("RUNNING", "running"),
    ("WAITING", "counts.notCreated"),
    ("BULK", "bulkOperationIds"),
]
LIST_COLUMNS = [
    ("ID", "id"),
    ("NAME", "name"),
    ("STATUS", "status"),
    ("WAVE", "wave"),
    ("DEVICES", "devices"),
    ("FAILED", "counts.failures"),
    ("CREATED", "creationTime"),
]
DEVICE_COLUMNS = [
    ("DEVICE", "deviceId"),
    ("NAME", "deviceName"),
    ("WAVE", "wave"),
    ("STATE", "state"),
    ("OPERATION", "operationId"),
    ("REASON", "reason"),
]
EXCLUDED_COLUMNS = [("DEVICE", "id"), ("NAME", "name"), ("REASON", "reason")]


def _target(plan: Plan) -> str:
    group = plan.target.get("group")
    if group:
        return f"group {group.get('name')!r} ({group.get('id')})"
    return f"query {plan.target.get('query')!r}"


def _waves(plan: Plan) -> str:
    count = len(plan.waves)
    return f"{count} wave{'' if count == 1 else 's'}"


def _settings(plan: Plan) -> dict[str, Any]:
    return {key: value for key, value in plan.settings.to_json().items() if value not in (None, [], False)}


def _wave_document(index: int, plan: Plan, wave: WaveState) -> dict[str, Any]:
    counts = wave.counts.to_json()
    document: dict[str, Any] = {
        "wave": index + 1,
        "devices": len(plan.waves[index]),
        "status": wave.status.value,
        "counts": counts,
        "running": counts["pending"] + counts["executing"],
        "bulkOperationIds": wave.bulk_ids,
        "groupIds": [attempt.group_id for attempt in wave.attempts if attempt.group_id],
    }
    for key in ("started", "ended", "judged", "verdict"):
        if getattr(wave, key):
            document[key] = getattr(wave, key)
    return document


def rollout_document(rollout: Rollout) -> dict[str, Any]:
    """The rollout: what, to whom, how, and where each wave stands."""
    plan, state = rollout.plan, rollout.state
    waves = [_wave_document(i, plan, wave) for i, wave in enumerate(state.waves)]
    current = state.current()
    totals = {key: sum(w["counts"][key] for w in waves) for key in ("successful", "failed", "alarmed")}
    totals["failures"] = totals["failed"] + totals["alarmed"]
    lease = rollout.lease
    return {
        "id": rollout.id,
        "name": rollout.name,
        "status": rollout.status,
        "reason": state.reason,
        "operation": {
            "kind": plan.operation.kind,
            "label": plan.operation.label,
            "description": plan.operation.prototype.get("description"),
        },
        "target": plan.target,
        "selected": plan.selected,
        "devices": plan.devices,
        "excluded": plan.excluded_count,
        "settings": _settings(plan),
        "seed": plan.seed,
        "currentWave": None if current is None else current + 1,
        "waves": waves,
        "counts": totals,
        "runner": None if lease is None else {"holder": lease.holder, "until": lease.expires},
        "creationTime": rollout.creation_time,
    }


def _card(rollout: Rollout, document: dict[str, Any]) -> dict[str, Any]:
    plan = rollout.plan
    settings = plan.settings
    current = document["currentWave"]
    gates = f"max failures {settings.max_failures} after {settings.min_sample} devices"
    if settings.halt_on_alarm:
        gates += f", halt on alarm {', '.join(settings.halt_on_alarm)}"
    card = {
        "id": rollout.id,
        "name": rollout.name,
        "status": rollout.status + (f" ({rollout.state.reason})" if rollout.state.reason else ""),
        "operation": plan.operation.label,
        "target": _target(plan),
        "devices": f"{plan.devices} in {_waves(plan)} ({plan.excluded_count} excluded)",
        "gates": gates,
        "current wave": f"{current} of {len(plan.waves)}" if current else None,
        "failed": document["counts"]["failures"] or None,
        "runner": document["runner"]
        and f"{document['runner']['holder']} until {document['runner']['until']}",
    }
    return {label: value for label, value in card.items() if value is not None}


def rollout_view(rollout: Rollout) -> View:
    """One rollout: the document; a table shows a card, then a row per wave."""
    document = rollout_document(rollout)
    return View(
        document,
        columns=WAVE_COLUMNS,
        rows=document["waves"],
        card=_card(rollout, document),
        table_rows=[
            {**wave, "bulkOperationIds": ", ".join(wave["bulkOperationIds"])} for wave in document["waves"]
        ],
    )


def rollouts_view(rollouts: Iterable[Rollout]) -> View:
    """Rollouts, newest first."""
    documents = []
    for rollout in rollouts:
        document = rollout_document(rollout)
        current = document["currentWave"]
        document["wave"] = f"{current or len(rollout.plan.waves)}/{len(rollout.plan.waves)}"
        documents.append(document)
    table = [column for column in LIST_COLUMNS if column[1] != "creationTime"]  # names need the room
    return View(documents, columns=LIST_COLUMNS, table_columns=table)


def devices_view(states: Iterable[DeviceState]) -> View:
    """Devices of a rollout with their wave, state, operation and failure reason."""
    rows = [
        {"deviceId": s.device_id, "deviceName": s.device_name, "wave": s.wave, "state": s.state,
         "operationId": s.operation_id, "bulkOperationId": s.bulk_operation_id, "reason": s.reason}
        for s in states
    ]  # fmt: skip
    return View(rows, columns=DEVICE_COLUMNS)


def plan_view(planned: PlannedRollout) -> View:
    """What ``rollout start`` would do: the waves with their device counts, excluded devices and why."""
    plan = planned.plan
    excluded = [{"id": e.id, "name": e.name, "reason": e.reason} for e in planned.excluded]
    document = {
        "name": planned.name,
        "operation": {
            "kind": plan.operation.kind,
            "label": plan.operation.label,
            "prototype": plan.operation.prototype,
        },
        "target": plan.target,
        "selected": plan.selected,
        "devices": plan.devices,
        "waves": [{"wave": i + 1, "devices": len(wave)} for i, wave in enumerate(plan.waves)],
        "excluded": excluded,
        "settings": _settings(plan),
        "seed": plan.seed,
    }
    card: dict[str, Any] = {
        "name": planned.name,
        "operation": plan.operation.label,
        "target": f"{_target(plan)}: {plan.selected} devices",
        "devices": f"{plan.devices} in {_waves(plan)}, {len(excluded)} excluded",
    }
    card.update({f"wave {i + 1}": f"{len(wave)} devices" for i, wave in enumerate(plan.waves)})
    for reason, ids in plan.excluded.items():
        card[f"excluded: {reason}"] = f"{len(ids)} devices"
    return View(document, columns=EXCLUDED_COLUMNS, rows=excluded, card=card)
