"""What users type for a rollout: waves, thresholds, durations, checked before any request (exit 2)."""

from __future__ import annotations

import pytest

from c8ydm.api.errors import InputError
from c8ydm.procedures.rollout.gates import judge
from c8ydm.procedures.rollout.request import RolloutRequest
from c8ydm.procedures.rollout.settings import (
    RolloutSettings,
    Threshold,
    parse_duration,
    parse_waves,
    wave_sizes,
)
from c8ydm.procedures.rollout.state import Counts


@pytest.mark.parametrize(
    ("waves", "total", "sizes"),
    [
        ("10,10%,50%,100%", 200, [10, 10, 80, 100]),
        ("10,10%,50%,100%", 50, [10, 15, 25]),  # 10% of 50 is below the 10 done: an empty wave, dropped
        ("1,100%", 1, [1]),
        ("5,5,100%", 12, [5, 5, 2]),
        ("33%,66%,100%", 10, [4, 3, 3]),  # shares round up: 4 (3.3), then 7 (6.6)
        ("100%", 0, []),
    ],
)
def test_wave_sizes_take_counts_as_sizes_and_percentages_as_cumulative(
    waves: str, total: int, sizes: list[int]
) -> None:
    assert wave_sizes(parse_waves(waves), total) == sizes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10,abc", "--waves: 'abc' is neither a count nor a percentage"),
        ("0,100%", "--waves: '0' is neither a count nor a percentage"),
        ("150%", "--waves: 150% is more than 100%"),
        ("2.5,100%", "--waves: 2.5 is not a whole number of devices"),
        ("50%,20%,100%", "--waves: percentages are cumulative and cannot go down (20%)"),
    ],
)
def test_unreadable_waves_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_waves(text)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("threshold", "failed", "done", "crossed"),
    [
        ("5%", 1, 20, False),  # exactly 5%: not beyond it
        ("5%", 2, 20, True),
        ("0%", 1, 100, True),
        ("0%", 0, 100, False),
        ("3", 3, 10, False),
        ("3", 4, 1000, True),
        ("100%", 10, 10, False),
    ],
)
def test_a_threshold_is_crossed_only_beyond_it(threshold: str, failed: int, done: int, crossed: bool) -> None:
    assert Threshold.parse(threshold).is_crossed(failed, done) is crossed


def test_a_wave_is_judged_only_once_the_minimum_sample_is_done() -> None:
    settings = RolloutSettings(max_failures="5%", min_sample=10)
    early = Counts(successful=6, failed=3, pending=91)

    assert judge(early, 100, settings, is_final=False) is None
    verdict = judge(Counts(successful=7, failed=3, pending=90), 100, settings, is_final=False)
    assert verdict is not None and verdict.is_crossed
    assert verdict.text == "3 of 10 devices failed (30%): more than the 5% allowed"
    small_wave = judge(Counts(successful=3, failed=1), 4, settings, is_final=False)  # smaller than the sample
    assert small_wave is not None and small_wave.is_crossed
    alarmed = judge(Counts(successful=20, alarmed=1), 20, settings, is_final=True)
    assert alarmed is not None and alarmed.text == (
        "1 of 20 devices failed (5%), 1 of them with a watched alarm: within the 5% allowed"
    )


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("30s", 30), ("10m", 600), ("1.5h", 5400), ("1d", 86400)]
)
def test_durations_read_seconds_minutes_hours_days(text: str, seconds: float) -> None:
    assert parse_duration(text, "--soak") == seconds


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "give exactly one source: --firmware, --software, --config, --profile"),
        (
            {"firmware": "fw@1", "software": ("sw@1",)},
            "give exactly one source: --firmware, --software, --config, --profile",
        ),
        ({"firmware": "fw@1", "group": "g", "query": "x"}, "give exactly one target: --group, --query"),
        (
            {"software": ("sw",), "patch": "p1", "group": "g"},
            "--patch needs --firmware NAME@VERSION (the patch's base version)",
        ),
        (
            {"firmware": "fw@1", "query": "  "},
            "--query must not be empty: a rollout needs a device selection",
        ),
        (
            {"firmware": "fw@1", "group": "g", "device_timeout": "soon"},
            "--device-timeout 'soon' is not a duration",
        ),
        (
            {"firmware": "fw@1", "group": "g", "max_failures": "lots"},
            "--max-failures 'lots' is neither a percentage nor a count",
        ),
        ({"firmware": "fw@1", "group": "g", "min_sample": 0}, "--min-sample must be at least 1"),
        (
            {"firmware": "fw@1", "group": "g", "halt_on_alarm": ("a,b",)},
            "--halt-on-alarm 'a,b' is not an alarm type",
        ),
    ],
)
def test_a_bad_request_is_refused_when_made(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as refused:
        RolloutRequest(**fields)  # type: ignore[arg-type]
    assert refused.value.message == message
