"""Run a composite GitHub Action's shell steps locally, as the runner would (for tests).

    outputs = run_action(Path("action.yml"), inputs={...}, job_env={...}, workdir=tmp_path)

Each ``run:`` step goes to ``bash --noprofile --norc -eo pipefail`` (the runner's ``shell: bash``)
with the step's ``env:``, and GITHUB_OUTPUT, GITHUB_PATH, GITHUB_ACTION_PATH and RUNNER_TEMP set;
lines a step appends to GITHUB_PATH are put in front of PATH for the steps after it. Only the
expressions the action may use are understood: ``${{ inputs.NAME }}`` in step ``env:`` and
``${{ steps.ID.outputs.NAME }}`` in ``outputs:``; anything else fails the test, so a new kind of
expression in action.yml must be taught here first.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


@dataclass
class StepRun:
    id: str
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]
    paths: list[str]  # what the steps added to PATH (GITHUB_PATH), for running later steps alone

    @property
    def failed(self) -> StepRun | None:
        return next((step for step in self.steps if step.code != 0), None)


def load(action_file: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(action_file.read_text(encoding="utf-8")))


def _evaluate(text: str, values: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression not in values:
            raise AssertionError(f"expression not understood by tests/support/actions.py: {expression}")
        return values[expression]

    return EXPRESSION.sub(replace, text)


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's ``name=value`` and ``name<<DELIMITER`` ... ``DELIMITER`` lines."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for item in lines:
                if item == delimiter:
                    break
                body.append(item)
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def run_action(
    action_file: Path,
    *,
    inputs: Mapping[str, str],
    job_env: Mapping[str, str],
    workdir: Path,
    only: set[str] | None = None,
    path_prefix: list[str] | None = None,
) -> ActionRun:
    """Run the action's steps (``only``: these step ids) in ``workdir``; stop at the first failure."""
    action = load(action_file)
    declared = action.get("inputs", {})
    missing = [name for name, spec in declared.items() if spec.get("required") and name not in inputs]
    assert not missing, f"required inputs missing: {missing}"
    values = {
        f"inputs.{name}": str(inputs.get(name, spec.get("default", ""))) for name, spec in declared.items()
    }
    runner_temp = workdir / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    paths = list(path_prefix or [])
    steps: list[StepRun] = []
    for step in action["runs"]["steps"]:
        if only is not None and step["id"] not in only:
            continue
        assert step.get("shell") == "bash" and "if" not in step, "tests run bash steps without conditions"
        output_file, path_file = runner_temp / f"{step['id']}.out", runner_temp / f"{step['id']}.path"
        for fresh in (output_file, path_file):  # the runner gives every step new files
            fresh.unlink(missing_ok=True)
        env = {
            **job_env,
            **{name: _evaluate(str(value), values) for name, value in (step.get("env") or {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(path_file),
            "GITHUB_ACTION_PATH": str(action_file.parent),
            "RUNNER_TEMP": str(runner_temp),
            "PATH": os.pathsep.join([*paths, job_env.get("PATH", os.environ["PATH"])]),
        }
        assert not EXPRESSION.search(step["run"]), "expressions belong in env:, never in the script"
        done = subprocess.run(
            [*BASH, "-c", step["run"]], cwd=workdir, env=env, capture_output=True, text=True, timeout=600
        )
        outputs = parse_output_file(output_file.read_text() if output_file.exists() else "")
        steps.append(StepRun(step["id"], done.returncode, done.stdout, done.stderr, outputs))
        if path_file.exists():
            paths = [*reversed(path_file.read_text().split()), *paths]
        if done.returncode != 0:
            break
    step_values = {
        f"steps.{step.id}.outputs.{name}": value for step in steps for name, value in step.outputs.items()
    }
    outputs = {}
    for name, spec in action.get("outputs", {}).items():
        found = EXPRESSION.fullmatch(str(spec["value"]))
        assert found, f"output {name}: one expression expected"
        outputs[name] = step_values.get(found.group(1), "")
    return ActionRun(steps, outputs, paths)
