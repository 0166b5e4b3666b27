"""Shared by the benchmarks: a sandbox in a temporary data dir, timed child processes, medians.

Every figure is measured against a peer in the same run (curl, the official SDK, a bare
interpreter), interleaved round by round, so that the load of a shared machine hits both alike;
the scripts print medians and the ratio of the medians, and the spread (min-max) as a noise hint.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c8ydm.sandbox import control


@dataclass
class Run:
    """One child process: wall seconds, peak resident memory (MB), exit code, captured stderr."""

    seconds: float
    peak_mb: float
    code: int
    stderr: str = ""


def run(argv: Sequence[str], *, env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL) -> Run:
    """Run ``argv`` to its end; its own peak RSS comes from ``wait4`` (not the whole process tree)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, err.read().decode(errors="replace"))


@dataclass
class Series:
    """Repeated measurements of one command."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def spread(self) -> str:
        times = [r.seconds for r in self.runs]
        return f"{min(times):.2f}-{max(times):.2f}"


def c8ydm_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m c8ydm``.

    c8ydm's modules are compiled to bytecode first, as ``pip install`` and ``pipx`` do on a user's
    machine: an editable checkout under ``PYTHONDONTWRITEBYTECODE=1`` (this machine's default)
    would otherwise parse every module on every run, ~35 ms that no installed c8ydm pays.
    """
    compile_bytecode()
    script = Path(sys.executable).with_name("c8ydm")
    return [str(script)] if script.exists() else [sys.executable, "-m", "c8ydm"]


def compile_bytecode() -> None:
    """Write the ``__pycache__`` files of the c8ydm package (py_compile writes them even when
    ``sys.dont_write_bytecode`` is set); up-to-date files are left alone."""
    import compileall

    import c8ydm

    compileall.compile_dir(Path(c8ydm.__file__).parent, quiet=1)


def tenant_env(state: dict[str, Any], home: Path) -> dict[str, str]:
    """The environment of a c8ydm child talking to the sandbox (``C8Y_HOST`` wins over sessions)."""
    env = {
        **os.environ,
        "C8Y_HOST": state["url"],
        "C8Y_TENANT": state["tenant"],
        "C8Y_USER": state["user"],
        "C8Y_PASSWORD": state["password"],
        "C8YDM_CONFIG_DIR": str(home / "config"),
        "C8YDM_CACHE_DIR": str(home / "cache"),
    }
    env.pop("C8YDM_SESSION", None)
    return env


@contextlib.contextmanager
def sandbox(devices: int, **options: Any) -> Iterator[tuple[dict[str, Any], Path]]:
    """A sandbox of ``devices`` devices, fully seeded, in a temporary data dir; (state, scratch dir)."""
    with tempfile.TemporaryDirectory(prefix="c8ydm-bench-") as tmp:
        data_dir = Path(tmp) / "sandbox"
        state = control.start(data_dir, port=0, devices=devices, timeout=120, **options)
        try:
            yield state, Path(tmp)
        finally:
            control.stop(data_dir)


def machine() -> str:
    """What the figures were measured on: CPUs, load, Python."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}, Python {sys.version.split()[0]}"


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows of text as aligned columns (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) for row in rows)
    return "\n".join(line.rstrip() for line in lines)
