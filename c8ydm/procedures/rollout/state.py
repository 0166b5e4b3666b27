"""The rollout as the tenant keeps it: one managed object of type ``c8ydm_Rollout``.

Four top-level fragments, so that a PUT of one never overwrites another (contract §1.8):

- ``c8ydm_Rollout``: the frozen plan, written once when the rollout is created: the operation
  prototype, the settings, the seed, every wave's device ids (in the shuffled order) and the
  excluded devices by reason. Nothing changes it afterwards: every runner drives the same plan.
- ``c8ydm_RolloutState``: the progress, written only by the runner holding the lease: the rollout's
  status, and per wave its hidden group, its bulk operations (attempts), counts and verdict.
- ``c8ydm_RolloutControl``: requests from any machine (``rollout pause``, ``rollout cancel``).
- ``c8ydm_RolloutLease``: who drives the rollout now, until when (``lease``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

ROLLOUT_TYPE = "c8ydm_Rollout"
PLAN_FRAGMENT = "c8ydm_Rollout"
STATE_FRAGMENT = "c8ydm_RolloutState"
CONTROL_FRAGMENT = "c8ydm_RolloutControl"
LEASE_FRAGMENT = "c8ydm_RolloutLease"
PLAN_VERSION = 1


class RolloutStatus(str, Enum):
    """running (a runner drives it, or should), paused (waits for ``resume``), stopped (a threshold was
    crossed; ``retry``), finished, cancelled."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class WaveStatus(str, Enum):
    """pending → running (its bulk operation works) → soaking (operations final; waiting before the
    gate) → passed or failed; retry: failed devices wait for a new attempt; cancelled."""

    PENDING = "pending"
    RETRY = "retry"
    RUNNING = "running"
    SOAKING = "soaking"
    PASSED = "passed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class Counts:
    """Devices of a wave by state. ``failed`` includes operations cancelled at the device timeout
    (also in ``timedOut``); ``alarmed`` devices succeeded but raised a watched alarm."""

    successful: int = 0
    failed: int = 0
    pending: int = 0
    executing: int = 0
    not_created: int = 0
    alarmed: int = 0
    timed_out: int = 0

    @property
    def done(self) -> int:
        """Devices whose operation is final."""
        return self.successful + self.failed

    @property
    def failures(self) -> int:
        """What the gate counts as failed: failed operations and alarmed devices."""
        return self.failed + self.alarmed

    _KEYS = (
        ("successful", "successful"),
        ("failed", "failed"),
        ("pending", "pending"),
        ("executing", "executing"),
        ("not_created", "notCreated"),
        ("alarmed", "alarmed"),
        ("timed_out", "timedOut"),
    )

    def to_json(self) -> dict[str, int]:
        return {key: int(getattr(self, name)) for name, key in self._KEYS}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Counts:
        data = data or {}
        return cls(**{name: int(data.get(key) or 0) for name, key in cls._KEYS})


@dataclass
class Attempt:
    """One bulk operation of a wave: the wave's own (``wave``, over the wave's hidden group), a
    ``retry`` of the devices whose operation failed in ``parent_id`` (``failedParentId``), or the
    ``remainder``: devices a cancelled bulk operation never reached (a hidden group of their own).
    Attempts of one ``round`` run together; ``bulk_id`` None means "about to be created": it is
    looked up before it is created (§14(d))."""

    number: int
    kind: str
    round: int
    start_date: str
    ramp: float
    count: int
    bulk_id: str | None = None
    group_id: str | None = None
    members_added: bool = False
    parent_id: str | None = None

    @property
    def has_group(self) -> bool:
        """Whether the attempt runs over a hidden group of its own (not a ``failedParentId``)."""
        return self.kind != "retry"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "round": self.round,
            "bulkId": self.bulk_id,
            "groupId": self.group_id,
            "membersAdded": self.members_added,
            "parentId": self.parent_id,
            "startDate": self.start_date,
            "ramp": self.ramp,
            "count": self.count,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attempt:
        return cls(
            number=int(data.get("number") or 0),
            kind=str(data.get("kind") or "wave"),
            round=int(data.get("round") or 0),
            start_date=str(data.get("startDate") or ""),
            ramp=float(data.get("ramp") or 0.0),
            count=int(data.get("count") or 0),
            bulk_id=_text(data.get("bulkId")),
            group_id=_text(data.get("groupId")),
            members_added=bool(data.get("membersAdded")),
            parent_id=_text(data.get("parentId")),
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class WaveState:
    """A wave's progress."""

    status: WaveStatus = WaveStatus.PENDING
    attempts: list[Attempt] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    started: str | None = None
    ended: str | None = None
    judged: str | None = None
    verdict: str | None = None

    @property
    def round(self) -> int:
        """The newest round of attempts (-1 before the first)."""
        return max((attempt.round for attempt in self.attempts), default=-1)

    def current_attempts(self) -> list[Attempt]:
        """The attempts of the newest round."""
        return [attempt for attempt in self.attempts if attempt.round == self.round]

    @property
    def bulk_ids(self) -> list[str]:
        """Every bulk operation of the wave, oldest first."""
        return [attempt.bulk_id for attempt in self.attempts if attempt.bulk_id]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "attempts": [attempt.to_json() for attempt in self.attempts],
            "counts": self.counts.to_json(),
            "started": self.started,
            "ended": self.ended,
            "judged": self.judged,
            "verdict": self.verdict,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WaveState:
        return cls(
            status=WaveStatus(str(data.get("status") or "pending")),
            attempts=[Attempt.from_json(item) for item in data.get("attempts") or []],
            counts=Counts.from_json(data.get("counts")),
            started=_text(data.get("started")),
            ended=_text(data.get("ended")),
            judged=_text(data.get("judged")),
            verdict=_text(data.get("verdict")),
        )


@dataclass
class RolloutState:
    """The progress fragment."""

    status: RolloutStatus
    waves: list[WaveState]
    reason: str | None = None
    updated: str | None = None

    def current(self) -> int | None:
        """The index of the first wave that has not passed (None: every wave passed)."""
        return next((i for i, wave in enumerate(self.waves) if wave.status is not WaveStatus.PASSED), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "updated": self.updated,
            "waves": [wave.to_json() for wave in self.waves],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RolloutState:
        return cls(
            status=RolloutStatus(str(data.get("status") or "running")),
            waves=[WaveState.from_json(item) for item in data.get("waves") or []],
            reason=_text(data.get("reason")),
            updated=_text(data.get("updated")),
        )
