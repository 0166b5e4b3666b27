"""`c8ydm sandbox start --devices N`: when the command returns, when the tenant answers, seeding rate.

    python benchmarks/sandbox_start.py [--devices 100000] [--rounds 1]

Each round starts a sandbox of DEVICES devices in a fresh temporary data dir with the real command
(`c8ydm sandbox start --port 0 --devices N`), and measures: the command's wall time (the peer: a
bare `python -c pass` in the same round), when the tenant first answers `GET /tenant/loginOptions`
(polled every 20 ms from the moment the command starts: it answers while it seeds), and how fast
the devices are seeded after the command returned (`c8ydm sandbox status` until all are there).
Goal (issue 13): answers within 2 s at any size and seeds in the background with the progress in
`status`, or seeds >= 20,000 devices/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _bench import c8ydm_command, machine, run, table

ANSWER_GOAL_SECONDS, SEED_RATE_GOAL = 2.0, 20_000


def first_answer(data_dir: Path, started: float, stop: threading.Event) -> float:
    """Seconds from ``started`` until the new sandbox first answers (polled every 20 ms)."""
    while not stop.is_set():
        try:
            url = json.loads((data_dir / "sandbox.json").read_text(encoding="utf-8"))["url"]
            if httpx.get(f"{url}/tenant/loginOptions", timeout=5).status_code == 200:
                return time.perf_counter() - started
        except (OSError, ValueError, KeyError, httpx.HTTPError):
            pass
        time.sleep(0.02)
    return float("nan")


def seeded_count(env: dict[str, str]) -> int:
    argv = [*c8ydm_command(), "sandbox", "status", "-o", "json"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return int(json.loads(done.stdout).get("seeded") or 0)


def one_round(devices: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="c8ydm-bench-") as tmp:
        env = {**os.environ, "C8YDM_CONFIG_DIR": f"{tmp}/config", "C8YDM_SANDBOX_DIR": f"{tmp}/sandbox"}
        bare = run([sys.executable, "-c", "pass"], env=env).seconds
        stop, answered = threading.Event(), []
        started = time.perf_counter()
        watcher = threading.Thread(
            target=lambda: answered.append(first_answer(Path(tmp) / "sandbox", started, stop))
        )
        watcher.start()
        argv = [*c8ydm_command(), "sandbox", "start", "--port", "0", "--devices", str(devices), "-o", "json"]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        returned = time.perf_counter() - started
        try:
            watcher.join(timeout=30)
            if done.returncode != 0:
                raise SystemExit(f"sandbox start failed: {done.stderr}")
            seeded_at_return = int(json.loads(done.stdout).get("seeded") or 0)
            while seeded_count(env) < devices:
                time.sleep(0.5)
            seeded = time.perf_counter() - started
        finally:
            stop.set()
            subprocess.run([*c8ydm_command(), "sandbox", "stop"], env=env, capture_output=True, check=False)
    return {
        "bare": bare,
        "returned": returned,
        "answered": answered[0] if answered else float("nan"),
        "seeded": seeded,
        "seeded_at_return": seeded_at_return,
        "rate": (devices - seeded_at_return) / max(seeded - returned, 1e-9),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    rounds = [one_round(args.devices) for _ in range(args.rounds)]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    returned, answered, bare = median("returned"), median("answered"), median("bare")
    rows = [
        ["measure", "median", "peer / note"],
        ["python -c pass", f"{bare:.2f} s", ""],
        ["sandbox start returns", f"{returned:.2f} s", f"{returned / bare:.0f}x python -c pass"],
        ["tenant answers (loginOptions)", f"{answered:.2f} s", f"goal <= {ANSWER_GOAL_SECONDS:g} s"],
        ["devices seeded when start returned", f"{median('seeded_at_return'):.0f}", f"of {args.devices}"],
        ["every device seeded", f"{median('seeded'):.1f} s", f"{median('rate'):,.0f} devices/s (background)"],
    ]
    print(f"{args.devices} devices, {args.rounds} round(s); {machine()}")
    print(table(rows))
    is_met = median("answered") <= ANSWER_GOAL_SECONDS or median("rate") >= SEED_RATE_GOAL
    print(
        f"goal: answers within {ANSWER_GOAL_SECONDS:g} s (progress in status) or seeds >= "
        f"{SEED_RATE_GOAL:,} devices/s: {'met' if is_met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
