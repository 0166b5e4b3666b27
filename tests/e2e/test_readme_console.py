"""Every console example of the README runs as written, in order, on a fresh sandbox (issue 15).

The Quickstart's first line starts it (``c8ydm sandbox start --devices 50``, a firmware release and
a bulk operation; its venv and pip part is this test run's own install), then every ``$`` line of
every ```` ```console ```` block runs in one bash, top to bottom, so that files and variables one
example makes are there for the next. Output is not compared character by character (ids, ports
and times differ from run to run): a command must exit 0, unless the README shows an ``Error:``
line after it; then it must fail with that error and hint (digits aside). Tables appear as on a
terminal (``C8YDM_OUTPUT=table``) and progress as plain lines, which is what the README shows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.entry_point import ENTRY_POINT
from support.readme import ConsoleCommand, console_commands, marked_block

pytestmark = pytest.mark.e2e

BIN = str(Path(sys.executable).parent)
RUN_SECONDS = 900


def normal(text: str) -> str:
    """Fingerprints, digits and runs of blanks made alike: ids, ports and times differ between runs."""
    text = re.sub(r"\b[0-9a-fA-F]{16,}\b", "H", text)
    return " ".join(re.sub(r"\d+", "N", text).split())


def quickstart() -> str:
    """The Quickstart's first line from `c8ydm sandbox start` on (before it: creating the venv)."""
    line = marked_block("quickstart").splitlines()[0]
    return line[line.index("c8ydm sandbox start") :]


def script(commands: list[ConsoleCommand], results: Path) -> str:
    lines = ["set +e", f"{{ {quickstart()} ; }} > {results}/quickstart.out 2>&1 || exit 97"]
    for i, step in enumerate(commands):
        lines.append(f"{{ {step.command}\n}} > {results}/{i}.out 2> {results}/{i}.err")
        lines.append(f"echo $? > {results}/{i}.rc")
    return "\n".join(lines) + "\n"


def shown_exit_code(step: ConsoleCommand) -> int | None:
    """The exit code of the error object the README shows after a command (``-o json``), if any."""
    shown = "\n".join(step.shown)
    found = re.search(r'"error": \{\s*"code": (\d+)', shown)
    return int(found.group(1)) if found else None


def check(step: ConsoleCommand, code: int, stdout: str, stderr: str) -> str | None:
    """What is wrong with one command's run, or None."""
    errors = [line for line in step.shown if line.startswith(("Error:", "Hint:"))]
    where = f"README.md:{step.line}: $ {step.command}\n--- exit {code}\n{stdout}{stderr}"
    expected = shown_exit_code(step)
    if expected is not None:
        return None if code == expected else where + f"\n(the README shows exit {expected})"
    if not errors:
        return None if code == 0 else where
    if code == 0:
        return where + "\n(the README shows an error)"
    missing = [line for line in errors if normal(line) not in normal(stderr)]
    return where + f"\n(missing: {missing})" if missing else None


@pytest.mark.skipif(
    shutil.which("jq") is None or shutil.which("openssl") is None, reason="the README uses jq and openssl"
)
def test_every_console_example_runs_as_written_on_a_fresh_sandbox(tmp_path: Path) -> None:
    commands = console_commands()
    results = tmp_path / "results"
    results.mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_", "_C8YDM_"))}
    env = {
        **base,
        "PATH": os.pathsep.join([BIN, base["PATH"]]),
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_CACHE_DIR": str(tmp_path / "cache"),
        "C8YDM_SANDBOX_DIR": str(tmp_path / "sandbox"),
        "C8YDM_OUTPUT": "table",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    work = tmp_path / "work"
    work.mkdir()
    try:
        done = subprocess.run(
            ["bash", "-c", script(commands, results)], cwd=work, env=env, capture_output=True, text=True,
            timeout=RUN_SECONDS,
        )  # fmt: skip
    finally:
        for data_dir in (tmp_path / "sandbox", work / "rehearsal"):
            subprocess.run([*ENTRY_POINT, "sandbox", "stop", "--data-dir", str(data_dir)], env=env,
                           capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, (results / "quickstart.out").read_text()
    problems = []
    for i, step in enumerate(commands):
        code = int((results / f"{i}.rc").read_text())
        stdout, stderr = (results / f"{i}.out").read_text(), (results / f"{i}.err").read_text()
        problem = check(step, code, stdout, stderr)
        if problem:
            problems.append(problem)
    assert not problems, "\n\n".join(problems)
