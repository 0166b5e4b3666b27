"""Start-up time of c8ydm against a bare interpreter: medians over RUNS runs of each command line.

    python benchmarks/startup.py [--runs N] [--check]

Goals (the foundation issue): ``c8ydm --help`` within 10x and one completion request within 4x of
``python -c pass``; the same 4x for completing a device name from a cache of 5000 names (issue 15:
names complete per session without leaving the budget). With ``--check`` the exit code is 1 when a
goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bench import c8ydm_command

RUNS = 20
HELP_GOAL, COMPLETION_GOAL = 10.0, 4.0


def median_seconds(argv: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    merged = {**os.environ, **(env or {})}
    subprocess.run(argv, env=merged, stdout=subprocess.DEVNULL, check=False)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=merged, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def name_cache_env(directory: Path) -> dict[str, str]:
    """A config dir with a current session and a name cache of 5000 devices for it."""
    config, cache = directory / "config", directory / "cache" / "names"
    config.mkdir()
    cache.mkdir(parents=True)
    sessions = {"current": "bench", "sessions": {"bench": {"url": "https://t.example.com"}}}
    (config / "sessions.json").write_text(json.dumps(sessions))
    names = {f"device-{i:05d}": time.time() for i in range(5000)}
    (cache / "session%3abench.json").write_text(json.dumps({"device": names}))
    return {
        "C8YDM_CONFIG_DIR": str(config),
        "C8YDM_CACHE_DIR": str(directory / "cache"),
        "_C8YDM_COMPLETE": "complete_bash",
        "COMP_WORDS": "c8ydm device show device-042",
        "COMP_CWORD": "3",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="c8ydm start-up benchmark")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    c8ydm = c8ydm_command()
    completion_env = {"_C8YDM_COMPLETE": "complete_bash", "COMP_WORDS": "c8ydm fi", "COMP_CWORD": "1"}
    bare = median_seconds([sys.executable, "-c", "pass"], args.runs)
    with tempfile.TemporaryDirectory() as scratch:
        names_env = name_cache_env(Path(scratch))
        rows = [
            ("python -c pass", bare, None),
            ("c8ydm --help", median_seconds([*c8ydm, "--help"], args.runs), HELP_GOAL),
            (
                "completion (complete_bash 'c8ydm fi')",
                median_seconds(c8ydm, args.runs, completion_env),
                COMPLETION_GOAL,
            ),
            (
                "device name completion (5000 cached)",
                median_seconds(c8ydm, args.runs, names_env),
                COMPLETION_GOAL,
            ),
        ]
    is_ok = True
    print(f"{'command':40} {'median ms':>10} {'ratio':>7} {'goal':>6}")
    for name, seconds, goal in rows:
        ratio = seconds / bare
        is_ok = is_ok and (goal is None or ratio <= goal)
        goal_text = f"<={goal:g}x" if goal else ""
        print(f"{name:40} {seconds * 1000:10.1f} {ratio:6.2f}x {goal_text:>6}")
    return 0 if is_ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
