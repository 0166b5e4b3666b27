"""``RolloutRequest``: what ``rollout start`` was asked, checked when made (InputError, exit 2).

Exactly one source (``--firmware NAME@V [--patch P]``, ``--software NAME@V``…, ``--config NAME``,
``--profile NAME``)
and one target (``--group G`` or ``--query Q``); waves, thresholds and durations as ``settings``
parses them.
"""

from __future__ import annotations

from dataclasses import dataclass

from c8ydm.api.errors import InputError
from c8ydm.procedures.repository.versions import PackageSpec
from c8ydm.procedures.rollout.settings import (
    DEFAULT_DEVICE_TIMEOUT,
    DEFAULT_MAX_FAILURES,
    DEFAULT_MIN_SAMPLE,
    DEFAULT_SOAK,
    DEFAULT_WAVES,
    RolloutSettings,
    parse_duration,
)


@dataclass(frozen=True)
class RolloutRequest:
    """The user's words; ``settings`` holds the parsed schedule and gates."""

    firmware: str | None = None  # NAME[@VERSION]
    patch: str | None = None
    software: tuple[str, ...] = ()  # NAME[@VERSION] each
    profile: str | None = None  # a device profile's name or id
    config: str | None = None  # a configuration entry's name or id
    group: str | None = None
    query: str | None = None
    name: str | None = None
    waves: str | None = None  # None: the defaults of ``settings``
    max_failures: str | None = None
    min_sample: int | None = None
    device_timeout: str | None = None
    soak: str | None = None
    pause_after_wave: bool = False
    halt_on_alarm: tuple[str, ...] = ()
    ramp: float | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        """Exactly one source and one target; every option readable (InputError, exit 2)."""
        sources = {
            "--firmware": self.firmware,
            "--software": self.software,
            "--config": self.config,
            "--profile": self.profile,
        }
        targets = {"--group": self.group, "--query": self.query}
        for kind, given in (("source", sources), ("target", targets)):
            if sum(1 for value in given.values() if value not in (None, ())) != 1:
                raise InputError(f"give exactly one {kind}: {', '.join(given)}")
        if self.patch is not None and not self.firmware:
            raise InputError("--patch needs --firmware NAME@VERSION (the patch's base version)")
        if self.query is not None and not self.query.strip():
            raise InputError("--query must not be empty: a rollout needs a device selection")
        if self.name is not None and not self.name.strip():
            raise InputError("--name must not be empty")
        for text in (self.firmware, *self.software):
            if text is not None:
                PackageSpec.parse(text)
        self.settings  # noqa: B018  (parses every option once, here)

    @property
    def settings(self) -> RolloutSettings:
        """The parsed waves, thresholds and durations."""
        return RolloutSettings(
            waves=self.waves or DEFAULT_WAVES,
            max_failures=self.max_failures or DEFAULT_MAX_FAILURES,
            min_sample=DEFAULT_MIN_SAMPLE if self.min_sample is None else self.min_sample,
            device_timeout_seconds=parse_duration(
                self.device_timeout or DEFAULT_DEVICE_TIMEOUT, "--device-timeout"
            ),
            soak_seconds=parse_duration(self.soak or DEFAULT_SOAK, "--soak"),
            pause_after_wave=self.pause_after_wave,
            halt_on_alarm=tuple(self.halt_on_alarm),
            ramp=self.ramp,
        )

    @property
    def target_label(self) -> str:
        """``group 'All Linux'`` or ``query "type eq 'c8y_Linux'"``: for names and messages."""
        return f"group {self.group!r}" if self.group is not None else f"query {self.query!r}"
