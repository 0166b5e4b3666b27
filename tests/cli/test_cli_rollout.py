"""rollout commands: bad input is exit 2 before any request (even without a session), and the
rollout outcomes have the exit codes of cli-surface.md (13: threshold crossed, 14: some failed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.entry_point import Run

from c8ydm.cli.exitcodes import ExitCode, exit_code_for
from c8ydm.procedures.errors import PartialFailureError, ThresholdCrossedError

FIRMWARE = ("rollout", "start", "--firmware", "fw@1.0", "--group", "Fleet")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((*FIRMWARE, "--waves", "10,abc"), "--waves: 'abc' is neither a count nor a percentage"),
        ((*FIRMWARE, "--max-failures", "some"), "--max-failures 'some' is neither a percentage nor a count"),
        ((*FIRMWARE, "--soak", "a while"), "--soak 'a while' is not a duration"),
        (
            ("rollout", "start", "--group", "Fleet"),
            "give exactly one source: --firmware, --software, --profile",
        ),
        (("rollout", "start", "--firmware", "fw@1.0"), "give exactly one target: --group, --query"),
    ],
)
def test_a_bad_start_exits_2_before_any_session_is_needed(
    cli: Callable[..., Run], args: tuple[str, ...], message: str
) -> None:
    result = cli(*args, "-o", "json")

    assert result.code == 2, result.stderr
    assert result.json()["error"]["message"] == message


def test_state_without_devices_is_a_usage_error(cli: Callable[..., Run]) -> None:
    result = cli("rollout", "status", "1", "--state", "failed", "-o", "json")

    assert (result.code, result.json()["error"]["message"]) == (2, "--state needs --devices")


def test_a_crossed_threshold_exits_13_and_failures_below_it_exit_14() -> None:
    crossed = ThresholdCrossedError("stopped", rollout_id="1", wave=1, failed=3)
    partial = PartialFailureError("finished, some failed", operation_ids=[])

    assert (exit_code_for(crossed), exit_code_for(partial)) == (
        ExitCode.THRESHOLD_CROSSED,
        ExitCode.PARTIAL_FAILURE,
    )
    assert (int(ExitCode.THRESHOLD_CROSSED), crossed.kind) == (13, "threshold_crossed")
