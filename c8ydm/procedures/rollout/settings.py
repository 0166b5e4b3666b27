"""What a user types to shape a rollout, checked before any request: waves, thresholds, durations.

- ``--waves 10,10%,50%,100%``: a count is a wave of that many devices; a percentage is cumulative
  ("up to 50% of the target"). The waves must reach every targeted device (the last usually being
  ``100%``), so that no device is silently left out; empty waves are dropped.
- ``--max-failures 5%`` (a share of the devices done) or ``--max-failures 3`` (a number of devices):
  a wave fails when its failures go *beyond* it; judged only once ``--min-sample`` devices of the
  wave are done (or the whole wave, when it is smaller).
- Durations: ``90`` (seconds), ``30s``, ``10m``, ``2h``, ``1d``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from c8ydm.api.errors import InputError

DEFAULT_WAVES = "10,10%,50%,100%"
DEFAULT_MAX_FAILURES = "5%"
DEFAULT_MIN_SAMPLE = 10
DEFAULT_DEVICE_TIMEOUT = "30m"
DEFAULT_SOAK = "0"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_WAVE = re.compile(r"^(\d+(?:\.\d+)?)(%?)$")


def parse_duration(text: str, option: str) -> float:
    """Seconds from ``90``, ``30s``, ``10m``, ``2h`` or ``1d``; InputError otherwise."""
    found = _DURATION.match(text.strip().lower())
    if not found:
        raise InputError(f"{option} {text!r} is not a duration", hint="use seconds or 30s, 10m, 2h, 1d")
    return float(found.group(1)) * _UNIT_SECONDS[found.group(2)]


@dataclass(frozen=True)
class WaveStep:
    """One entry of ``--waves``: a wave of ``value`` devices, or up to ``value`` percent (cumulative)."""

    value: float
    is_share: bool

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.is_share else f"{self.value:g}"


def parse_waves(text: str) -> tuple[WaveStep, ...]:
    """``10,10%,50%,100%`` → steps; InputError for anything else or shares that go down."""
    steps: list[WaveStep] = []
    for part in (item.strip() for item in text.split(",")):
        found = _WAVE.match(part)
        if not found or float(found.group(1)) <= 0:
            raise InputError(
                f"--waves: {part!r} is neither a count nor a percentage", hint="e.g. 10,10%,50%,100%"
            )
        value, is_share = float(found.group(1)), bool(found.group(2))
        if is_share and value > 100:
            raise InputError(f"--waves: {part} is more than 100%")
        if not is_share and not value.is_integer():
            raise InputError(f"--waves: {part} is not a whole number of devices")
        previous = [step.value for step in steps if step.is_share]
        if is_share and previous and value < previous[-1]:
            raise InputError(f"--waves: percentages are cumulative and cannot go down ({part})")
        steps.append(WaveStep(value, is_share))
    return tuple(steps)


def wave_sizes(steps: tuple[WaveStep, ...], total: int) -> list[int]:
    """The sizes of the waves for ``total`` devices; InputError when the waves do not reach them all."""
    sizes: list[int] = []
    done = 0
    for step in steps:
        if step.is_share:
            size = max(0, math.ceil(total * step.value / 100) - done)
        else:
            size = min(int(step.value), total - done)
        if size > 0:
            sizes.append(size)
            done += size
    if done < total:
        raise InputError(
            f"--waves {','.join(map(str, steps))} reaches {done} of the {total} targeted devices",
            hint="end --waves with 100% so that every device gets a wave",
        )
    return sizes


@dataclass(frozen=True)
class Threshold:
    """``--max-failures``: a share of the devices done (``5%``) or a number of devices (``3``)."""

    text: str
    share: float | None = None
    count: int | None = None

    @classmethod
    def parse(cls, text: str) -> Threshold:
        value = text.strip()
        found = _WAVE.match(value) if value else None
        if found is None:
            raise InputError(
                f"--max-failures {text!r} is neither a percentage nor a count", hint="e.g. 5% or 3"
            )
        number, is_share = float(found.group(1)), bool(found.group(2))
        if is_share:
            if number > 100:
                raise InputError(f"--max-failures {text} is more than 100%")
            return cls(value, share=number / 100)
        if not number.is_integer():
            raise InputError(f"--max-failures {text} is not a whole number of devices")
        return cls(value, count=int(number))

    def is_crossed(self, failed: int, done: int) -> bool:
        """Whether ``failed`` of ``done`` devices goes beyond the threshold."""
        if self.count is not None:
            return failed > self.count
        return done > 0 and failed / done > (self.share or 0.0)


def judged_after(min_sample: int, size: int) -> int:
    """How many devices of a wave must be done before its threshold is judged."""
    return min(min_sample, size)


@dataclass(frozen=True)
class RolloutSettings:
    """How the waves run and are judged; stored in the rollout so that every runner uses the same."""

    waves: str = DEFAULT_WAVES
    max_failures: str = DEFAULT_MAX_FAILURES
    min_sample: int = DEFAULT_MIN_SAMPLE
    device_timeout_seconds: float = 1800.0
    soak_seconds: float = 0.0
    pause_after_wave: bool = False
    halt_on_alarm: tuple[str, ...] = ()
    ramp: float | None = None

    def __post_init__(self) -> None:
        parse_waves(self.waves)
        Threshold.parse(self.max_failures)
        if self.min_sample < 1:
            raise InputError("--min-sample must be at least 1")
        if self.device_timeout_seconds <= 0:
            raise InputError("--device-timeout must be longer than 0")
        if self.soak_seconds < 0:
            raise InputError("--soak cannot be negative")
        for alarm_type in self.halt_on_alarm:
            if not alarm_type.strip() or "," in alarm_type:
                raise InputError(f"--halt-on-alarm {alarm_type!r} is not an alarm type")

    @property
    def threshold(self) -> Threshold:
        return Threshold.parse(self.max_failures)

    @property
    def steps(self) -> tuple[WaveStep, ...]:
        return parse_waves(self.waves)

    def to_json(self) -> dict[str, Any]:
        return {
            "waves": self.waves,
            "maxFailures": self.max_failures,
            "minSample": self.min_sample,
            "deviceTimeoutSeconds": self.device_timeout_seconds,
            "soakSeconds": self.soak_seconds,
            "pauseAfterWave": self.pause_after_wave,
            "haltOnAlarm": list(self.halt_on_alarm),
            "ramp": self.ramp,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RolloutSettings:
        return cls(
            waves=str(data.get("waves", DEFAULT_WAVES)),
            max_failures=str(data.get("maxFailures", DEFAULT_MAX_FAILURES)),
            min_sample=int(data.get("minSample", DEFAULT_MIN_SAMPLE)),
            device_timeout_seconds=float(data.get("deviceTimeoutSeconds", 1800.0)),
            soak_seconds=float(data.get("soakSeconds", 0.0)),
            pause_after_wave=bool(data.get("pauseAfterWave", False)),
            halt_on_alarm=tuple(str(item) for item in data.get("haltOnAlarm") or ()),
            ramp=None if data.get("ramp") is None else float(data["ramp"]),
        )
