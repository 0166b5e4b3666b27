"""What every step of a runner works with: the client, the rollout as last read, this runner (its
lease), the clock, and where to report progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from c8ydm import __version__
from c8ydm.api.client import Client
from c8ydm.api.polling import BulkPollSchedule
from c8ydm.procedures.origin import TOOL
from c8ydm.procedures.rollout.lease import Runner, check_held
from c8ydm.procedures.rollout.record import Rollout
from c8ydm.procedures.rollout.schedule import Clock
from c8ydm.procedures.rollout.store import save_state


@dataclass(frozen=True)
class RolloutEvent:
    """A change worth telling people: ``text`` for a log line; ``rollout`` holds the counts."""

    rollout: Rollout
    text: str
    wave: int | None = None  # 0-based index of the wave concerned
    kind: str = "info"  # "progress" for counts that changed; "info" for everything else


@dataclass
class Context:
    client: Client
    rollout: Rollout
    runner: Runner
    clock: Clock = field(default_factory=Clock)
    on_event: Callable[[RolloutEvent], None] | None = None
    schedules: dict[tuple[int, int], BulkPollSchedule] = field(default_factory=dict)  # (wave, round) -> looks
    seen: dict[int, str] = field(default_factory=dict)  # wave -> the last progress reported

    def now(self) -> datetime:
        return self.clock.now()

    def save(self) -> None:
        """Write the progress; RolloutBusyError if the answer shows that another runner took over."""
        save_state(self.client, self.rollout, self.now())
        check_held(self.rollout, self.runner)

    def emit(self, text: str, *, wave: int | None = None, kind: str = "info") -> None:
        if self.on_event is not None:
            self.on_event(RolloutEvent(self.rollout, text, wave, kind))

    def origin(self, wave: int, attempt: int) -> dict[str, object]:
        """The ``c8ydm_Origin`` of a wave's objects (14(f)): the rollout's run, its id, wave and attempt."""
        return {
            "tool": TOOL,
            "version": __version__,
            "runId": self.rollout.plan.run_id,
            "rolloutId": self.rollout.id,
            "wave": wave + 1,
            "attempt": attempt,
        }
