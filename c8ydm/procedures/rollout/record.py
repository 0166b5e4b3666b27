"""The whole rollout managed object as typed values: the frozen plan, the progress, the control
requests and the lease (fragments described in ``state``), read from and written to the tenant's JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.rollout.operations import RolloutOperation
from c8ydm.procedures.rollout.settings import RolloutSettings
from c8ydm.procedures.rollout.state import (
    CONTROL_FRAGMENT,
    LEASE_FRAGMENT,
    PLAN_FRAGMENT,
    PLAN_VERSION,
    STATE_FRAGMENT,
    RolloutState,
    RolloutStatus,
    WaveState,
    WaveStatus,
)


@dataclass
class Plan:
    """The frozen plan: what, to whom (each wave's device ids, shuffled), how (settings), why not."""

    run_id: str
    fingerprint: str
    operation: RolloutOperation
    target: dict[str, Any]  # {"group": {"id", "name"}} or {"query": "..."}
    settings: RolloutSettings
    seed: int
    waves: list[list[str]]
    excluded: dict[str, list[str]] = field(default_factory=dict)  # reason -> device ids
    selected: int = 0  # devices the target selected, before exclusions

    @property
    def devices(self) -> int:
        """Devices in the waves."""
        return sum(len(wave) for wave in self.waves)

    @property
    def excluded_count(self) -> int:
        return sum(len(ids) for ids in self.excluded.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": PLAN_VERSION,
            "runId": self.run_id,
            "fingerprint": self.fingerprint,
            "operation": self.operation.to_json(),
            "target": self.target,
            "settings": self.settings.to_json(),
            "seed": self.seed,
            "selected": self.selected,
            "waves": [list(wave) for wave in self.waves],
            "excluded": [{"reason": reason, "devices": ids} for reason, ids in self.excluded.items()],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        return cls(
            run_id=str(data.get("runId") or ""),
            fingerprint=str(data.get("fingerprint") or ""),
            operation=RolloutOperation.from_json(data.get("operation") or {}),
            target=dict(data.get("target") or {}),
            settings=RolloutSettings.from_json(data.get("settings") or {}),
            seed=int(data.get("seed") or 0),
            waves=[[str(device) for device in wave] for wave in data.get("waves") or []],
            excluded={
                str(item.get("reason")): [str(device) for device in item.get("devices") or []]
                for item in data.get("excluded") or []
            },
            selected=int(data.get("selected") or 0),
        )


@dataclass
class Control:
    """Requests from any machine: pause before the next wave, cancel now."""

    paused: bool = False
    cancelled: bool = False
    by: str | None = None
    at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"paused": self.paused, "cancelled": self.cancelled, "by": self.by, "at": self.at}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Control:
        data = data or {}
        by, at = data.get("by"), data.get("at")
        return cls(
            paused=bool(data.get("paused")),
            cancelled=bool(data.get("cancelled")),
            by=None if by is None else str(by),
            at=None if at is None else str(at),
        )


@dataclass
class Lease:
    """Who drives the rollout (``holder`` for people; ``token`` unique per run) until ``expires``."""

    token: str
    holder: str
    host: str
    pid: int
    expires: str

    def to_json(self) -> dict[str, Any]:
        return {"token": self.token, "holder": self.holder, "host": self.host, "pid": self.pid,
                "expires": self.expires}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Lease | None:
        if not data or not data.get("token"):
            return None
        return cls(
            token=str(data["token"]),
            holder=str(data.get("holder") or ""),
            host=str(data.get("host") or ""),
            pid=int(data.get("pid") or 0),
            expires=str(data.get("expires") or ""),
        )


@dataclass
class Rollout:
    """A rollout as read from the tenant."""

    id: str
    name: str
    plan: Plan
    state: RolloutState
    control: Control = field(default_factory=Control)
    lease: Lease | None = None
    creation_time: str | None = None

    @classmethod
    def from_mo(cls, mo: ManagedObject) -> Rollout:
        """The typed rollout of a ``c8ydm_Rollout`` managed object."""
        extra = mo.model_extra or {}
        plan = Plan.from_json(extra.get(PLAN_FRAGMENT) or {})
        state_data = extra.get(STATE_FRAGMENT)
        state = (
            RolloutState.from_json(state_data)
            if state_data
            else RolloutState(RolloutStatus.RUNNING, [WaveState() for _ in plan.waves])
        )
        return cls(
            id=str(mo.id),
            name=str(mo.name or ""),
            plan=plan,
            state=state,
            control=Control.from_json(extra.get(CONTROL_FRAGMENT)),
            lease=Lease.from_json(extra.get(LEASE_FRAGMENT)),
            creation_time=mo.creation_time,
        )

    def refresh(self, mo: ManagedObject) -> None:
        """Take the control requests and the lease of a newer read (the plan never changes; the
        progress is this runner's own)."""
        extra = mo.model_extra or {}
        self.control = Control.from_json(extra.get(CONTROL_FRAGMENT))
        self.lease = Lease.from_json(extra.get(LEASE_FRAGMENT))

    def refresh_from(self, other: Rollout) -> None:
        """Take the control requests and the lease of a newer read of the same rollout."""
        self.control, self.lease = other.control, other.lease

    @property
    def status(self) -> str:
        """The status for people: the progress's, or ``cancelled``/``pausing``/``paused`` as requested."""
        if self.control.cancelled:
            return RolloutStatus.CANCELLED.value
        if self.state.status is RolloutStatus.RUNNING and self.control.paused:
            current = self.state.current()
            is_between = current is None or self.state.waves[current].status is WaveStatus.PENDING
            return RolloutStatus.PAUSED.value if is_between else "pausing"
        return self.state.status.value

    @property
    def is_terminal(self) -> bool:
        """Finished or cancelled: nothing will change any more."""
        return self.control.cancelled or self.state.status in (
            RolloutStatus.FINISHED,
            RolloutStatus.CANCELLED,
        )
