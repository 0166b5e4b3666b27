"""rollout commands: bad input is exit 2 before any request (even without a session), and the
rollout outcomes have the exit codes of cli-surface.md (13: threshold crossed, 14: some failed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
            "give exactly one source: --firmware, --software, --config, --profile",
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


def a_rollout() -> Any:
    from c8ydm.procedures.rollout.operations import RolloutOperation
    from c8ydm.procedures.rollout.record import Lease, Plan, Rollout
    from c8ydm.procedures.rollout.settings import RolloutSettings
    from c8ydm.procedures.rollout.state import (
        Attempt,
        Counts,
        RolloutState,
        RolloutStatus,
        WaveState,
        WaveStatus,
    )

    prototype = {"description": "Update firmware to: fw (version: 2.0)."}
    operation = RolloutOperation("firmware", "firmware fw 2.0", prototype, "c8y_Firmware")
    target = {"group": {"id": "9", "name": "Fleet [x]"}}
    excluded = {"does not support c8y_Firmware": ["6"]}
    waves = [["1", "2"], ["3", "4", "5"]]
    plan = Plan("run", "fp", operation, target, RolloutSettings(waves="2,100%"), 7, waves, excluded, 6)
    first = Attempt(0, "wave", 0, "2024-05-01T12:00:00.000Z", 1.0, 2, "101", "100", True)
    second = Attempt(0, "wave", 0, "2024-05-01T12:01:00.000Z", 1.0, 3, "103", "102", True)
    states = [
        WaveState(WaveStatus.PASSED, [first], Counts(successful=2), verdict="0 of 2 devices failed"),
        WaveState(WaveStatus.RUNNING, [second], Counts(successful=1, failed=1, executing=1)),
    ]
    lease = Lease("t", "ci-7 pid 42", "ci-7", 42, "2024-05-01T12:10:00.000Z")
    return Rollout("77", "fw to Fleet", plan, RolloutState(RolloutStatus.RUNNING, states), lease=lease)


def test_a_rollout_document_has_its_waves_counts_and_runner_but_no_device_lists() -> None:
    from c8ydm.cli.views.rollout import rollout_view

    view = rollout_view(a_rollout())

    document = view.document
    keys = ("id", "status", "devices", "excluded", "selected", "currentWave")
    assert [document[key] for key in keys] == ["77", "running", 5, 1, 6, 2]
    counts = {"successful": 1, "failed": 1, "pending": 0, "executing": 1, "notCreated": 0, "alarmed": 0}
    assert document["waves"][1] == {
        "wave": 2,
        "devices": 3,
        "status": "running",
        "running": 1,
        "bulkOperationIds": ["103"],
        "groupIds": ["102"],
        "counts": {**counts, "timedOut": 0},
    }
    assert document["counts"] == {"successful": 3, "failed": 1, "alarmed": 0, "failures": 1}
    assert document["runner"] == {"holder": "ci-7 pid 42", "until": "2024-05-01T12:10:00.000Z"}
    assert view.card is not None and view.card["target"] == "group 'Fleet [x]' (9)"
    assert "waves" not in document["target"] and "devices" not in str(document["waves"][0]["counts"])


def test_without_a_terminal_the_live_view_prints_one_line_per_change() -> None:
    import io

    from c8ydm.cli.output import Output
    from c8ydm.cli.progress import RolloutProgress

    err = io.StringIO()
    rollout = a_rollout()
    with RolloutProgress(Output("json", stdout=io.StringIO(), stderr=err)) as live:
        live.update(rollout)
        live.update(rollout)  # unchanged: quiet
        rollout.state.waves[1].counts.successful = 2
        live.update(rollout)

    assert err.getvalue().splitlines() == [
        "rollout 77 running, wave 2/2: 1 ok, 1 failed, 1 running",
        "rollout 77 running, wave 2/2: 2 ok, 1 failed, 1 running",
    ]
