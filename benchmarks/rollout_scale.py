"""Requests per device and memory of a staged rollout on the sandbox, against a peer in the same run.

    python benchmarks/rollout_scale.py [--devices 1000,10000] [--memory-devices 125000]

Requests: for each fleet size a sandbox is started, a firmware version released, and

- ``c8ydm rollout start --firmware … --query has(c8y_IsDevice) --waves 10,10%,50%,100% --wait``
  drives every wave to its end: planning, groups, bulk operations, polling and gates. Its requests
  are counted from its own ``--verbose`` log (one line per HTTP request);
- the peer, the official SDK, sends the same firmware to the same devices the cheapest way without
  bulk operations: one operation per device, then pages of 2000 operations until all are final.
  Its requests are counted with a hook on its session.

Memory: a sandbox with ``--memory-devices`` devices (four in five support firmware: 125,000 give
100,000 targeted devices); ``rollout start`` without ``--wait`` plans them all, stores the frozen
plan and starts the first wave; then ``rollout status`` reads that rollout back. The peak resident
memory of each process is compared with a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import c8ydm_command
from c8y_api import CumulocityApi  # type: ignore[import-untyped]

from c8ydm.sandbox import control

QUERY = "has(c8y_IsDevice)"
START_TIMEOUT = 900.0


GNU_TIME = Path("/usr/bin/time")


def run(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """(finished process, seconds, peak resident MB of that process alone).

    The peak comes from GNU time (``%M``), which forks while it is small: a child forked by this
    benchmark itself would start with this (large) process's pages counted. Without GNU time, the
    child's own rusage (``wait4``) is used, which may then be too high.
    """
    measured = [str(GNU_TIME), "-f", "%M", *args] if GNU_TIME.exists() else args
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(measured, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if GNU_TIME.exists():
        stderr, _, last = stderr.rstrip("\n").rpartition("\n")
        peak = int(last) / 1024 if last.isdigit() else peak
    done = subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), stdout, stderr)
    return done, seconds, peak


def environment(state: dict[str, Any], home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_"))}
    env.update(C8Y_HOST=state["url"], C8Y_TENANT=state["tenant"], C8Y_USER=state["user"],
               C8Y_PASSWORD=state["password"], C8YDM_CONFIG_DIR=str(home), NO_COLOR="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip
    return env


def release(env: dict[str, str], version: str) -> None:
    url = f"https://firmware.example.com/bench-fw-{version}.img"
    args = [*c8ydm_command(), "firmware", "add", "bench-fw", "--version", version, "--url", url,
            "--description", "benchmark", "--if-exists", "skip", "-o", "json"]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def rollout_requests(env: dict[str, str]) -> tuple[int, int, float]:
    """(requests, targeted devices, seconds) of one rollout driven to its end."""
    args = [*c8ydm_command(), "rollout", "start", "--firmware", "bench-fw@1.0", "--query", QUERY, "--waves",
            "10,10%,50%,100%", "--ramp", "0.001", "--wait", "--yes", "--verbose", "-o", "json"]  # fmt: skip
    done, seconds, _ = run(args, env)
    assert done.returncode in (0, 14), done.stderr[-2000:]
    requests = sum(
        1 for line in done.stderr.splitlines() if line.split(" ", 1)[0] in ("GET", "POST", "PUT", "DELETE")
    )
    return requests, int(json.loads(done.stdout)["devices"]), seconds


def sdk_requests(state: dict[str, Any], devices: list[str]) -> tuple[int, float]:
    """(requests, seconds): one operation per device with the official SDK, then pages until final."""
    api = CumulocityApi(base_url=state["url"], tenant_id=state["tenant"], username=state["user"],
                        password=state["password"])  # fmt: skip
    count = [0]
    api.session.hooks["response"].append(lambda *_, **__: count.__setitem__(0, count[0] + 1))
    start = time.perf_counter()
    firmware = {"name": "bench-fw", "version": "2.0", "url": "https://firmware.example.com/bench-fw-2.0.img"}
    for device in devices:
        api.post("/devicecontrol/operations", {"deviceId": device, "c8y_Firmware": firmware})
    while True:
        time.sleep(1.0)
        pending = api.get("/devicecontrol/operations", params={"status": "PENDING", "pageSize": 1,
                                                                "withTotalPages": "true"})  # fmt: skip
        executing = api.get("/devicecontrol/operations", params={"status": "EXECUTING", "pageSize": 1,
                                                                  "withTotalPages": "true"})  # fmt: skip
        if not pending["statistics"]["totalPages"] and not executing["statistics"]["totalPages"]:
            return count[0], time.perf_counter() - start


def targeted_devices(env: dict[str, str]) -> list[str]:
    args = [*c8ydm_command(), "device", "list", "--query", "has(c8y_Firmware)", "-o", "json"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    return [str(device["id"]) for device in json.loads(done.stdout)]


def requests_per_device(devices: int, work: Path) -> None:
    data_dir = work / f"sandbox-{devices}"
    state = control.start(data_dir, port=0, devices=devices, op_delay_seconds=0.01, timeout=START_TIMEOUT)
    try:
        env = environment(state, work / f"home-{devices}")
        release(env, "1.0")
        requests, targeted, seconds = rollout_requests(env)
        peer, peer_seconds = sdk_requests(state, targeted_devices(env)[:targeted])
    finally:
        control.stop(data_dir)
    ours = f"c8ydm rollout {requests:>5} requests ({requests / targeted:.4f}/device, {seconds:6.1f} s)"
    per_device = f"{peer / targeted:.3f}/device, {peer_seconds:6.1f} s"
    theirs = f"SDK, an operation per device {peer:>6} requests ({per_device})"
    print(f"{devices:>7} devices, {targeted:>6} targeted: {ours}; {theirs}; ratio {requests / peer:.4f}")


def memory(devices: int, work: Path) -> None:
    data_dir = work / "sandbox-memory"
    state = control.start(data_dir, port=0, devices=devices, op_delay_seconds=0.01, timeout=START_TIMEOUT)
    try:
        env = environment(state, work / "home-memory")
        release(env, "1.0")
        _, _, bare = run([sys.executable, "-c", "pass"], env)
        args = [*c8ydm_command(), "rollout", "start", "--firmware", "bench-fw@1.0", "--query", QUERY,
                "--waves", "10,10%,50%,100%", "--yes", "-o", "json"]  # fmt: skip
        started, seconds, peak = run(args, env)
        assert started.returncode == 0, started.stderr[-2000:]
        document = json.loads(started.stdout)
        status, status_seconds, status_peak = run(
            [*c8ydm_command(), "rollout", "status", document["id"], "-o", "json"], env
        )
        assert status.returncode == 0, status.stderr[-2000:]
    finally:
        control.stop(data_dir)
    print(f"memory: python -c pass {bare:6.1f} MB")
    print(f"memory: rollout start, {document['devices']} targeted of {devices}: peak {peak:6.1f} MB "
          f"({peak / bare:.1f}x, {seconds:.1f} s)")  # fmt: skip
    print(f"memory: rollout status of it: peak {status_peak:6.1f} MB ({status_seconds:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description="rollout requests per device and memory")
    parser.add_argument("--devices", default="1000,10000", help="fleet sizes for requests per device")
    parser.add_argument("--memory-devices", type=int, default=125000, help="fleet size for memory (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c8ydm-bench-") as directory:
        work = Path(directory)
        for size in (int(value) for value in args.devices.split(",") if value):
            requests_per_device(size, work)
        if args.memory_devices:
            memory(args.memory_devices, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
