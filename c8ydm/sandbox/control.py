"""Sandbox lifecycle: start in the background, status, stop, reset. Stdlib only (the CLI imports it).

One sandbox per data dir. Files in the data dir:
    sandbox.json      state for clients: url, tenant, user, password, readonly_user, readonly_password,
                      devices, port, pid, data_dir (mode 0600; the passwords are local throwaway secrets)
    sandbox.pid       the server's process id        sandbox.log   its stdout and stderr
    credentials.json  the passwords, generated once per data dir (core/options.py)
    sandbox.db*, binaries/   the tenant's data
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from c8ydm.sandbox.core.options import (
    BINARIES_DIR,
    CREDENTIALS_FILE,
    DATABASE_FILE,
    FaultRule,
    SandboxOptions,
)
from c8ydm.sandbox.instance import (
    DEFAULT_PORT,
    LOG_FILE,
    PID_FILE,
    STATE_FILE,
    answers,
    default_data_dir,
    log_tail,
    pick_port,
    pid_alive,
    probe,
    read_state,
    resolve_dir,
    status_url,
    write_state,
)

__all__ = [
    "DEFAULT_PORT",
    "LOG_FILE",
    "PID_FILE",
    "STATE_FILE",
    "SandboxError",
    "default_data_dir",
    "make_options",
    "pick_port",
    "reset",
    "resolve_dir",
    "serve",
    "start",
    "status",
    "status_url",
    "stop",
    "wait_for_seed",
]

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
POLL_INTERVAL_SECONDS = 0.05
SEED_WAIT_FLOOR_SECONDS = 0.25  # start(seed_wait=...) waits at least this long for the seed


class SandboxError(RuntimeError):
    """The sandbox could not be started or controlled; the message says why."""


def serve_args(options: SandboxOptions) -> list[str]:
    """The command line of `python -m c8ydm.sandbox serve` for these options."""
    args = [
        sys.executable,
        "-m",
        "c8ydm.sandbox",
        "serve",
        "--data-dir",
        str(options.data_dir),
        "--host",
        options.host,
        "--port",
        str(options.port),
        "--devices",
        str(options.devices),
        "--seed",
        str(options.seed),
        "--op-delay",
        str(options.op_delay_seconds),
        "--failure-rate",
        str(options.failure_rate),
        "--silent-rate",
        str(options.silent_rate),
        "--alarm-rate",
        str(options.alarm_rate),
    ]
    for rule in options.faults:
        args += ["--fault", f"{rule.pattern}:{rule.kind}:{rule.rate}:{rule.seconds}"]
    return args


def make_options(
    data_dir: Path | str | None = None,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    faults: Sequence[str] = (),
    **options: Any,
) -> SandboxOptions:
    """The options for the data dir with a concrete port (see `pick_port`) and parsed fault rules."""
    rules = [FaultRule.parse(text) for text in faults]
    return SandboxOptions.for_data_dir(
        resolve_dir(data_dir), host=host, port=pick_port(host, port), faults=rules, **options
    )


def serve(options: SandboxOptions, *, access_log: bool = False) -> None:
    """Run the sandbox in this process until interrupted (Ctrl-C or SIGTERM), writing the state file."""
    import uvicorn  # the server's dependencies load only here, never on the CLI's import path

    from c8ydm.sandbox.app import create_app
    from c8ydm.sandbox.core.recorder import from_environment

    write_state(options, os.getpid())
    print(
        f"c8ydm sandbox on {status_url(options)} (tenant {options.tenant}, data {options.data_dir})",
        flush=True,
    )
    try:
        uvicorn.run(
            from_environment(create_app(options)),
            host=options.host,
            port=options.port,
            log_level="warning",
            access_log=access_log,
            timeout_graceful_shutdown=5,
        )
    finally:
        pid_file = options.data_dir / PID_FILE
        if pid_file.exists() and pid_file.read_text(encoding="utf-8").strip() == str(os.getpid()):
            pid_file.unlink()


def start(
    data_dir: Path | str | None = None,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    faults: Sequence[str] = (),
    timeout: float = START_TIMEOUT_SECONDS,
    seed_wait: float | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Start a sandbox in the background and wait until it answers; returns the state (see module doc)
    with `seeded`, the number of devices seeded so far.

    The server answers at once and seeds its devices in the background. `seed_wait` None waits until
    every device is seeded (while the seed makes progress); a number returns at most that many
    seconds after this call began, though never sooner than SEED_WAIT_FLOOR_SECONDS after the server
    answered (a small fleet is seeded by then), and `seeded` may then be less than `devices`:
    `status` shows how far it got.
    `options` are SandboxOptions fields: devices, seed, op_delay_seconds, failure_rate, silent_rate,
    alarm_rate.
    If this data dir's sandbox is already running, its state is returned unchanged.
    """
    began = time.monotonic()
    current = status(data_dir)
    if current["running"]:
        return current
    resolved = make_options(data_dir, port=port, host=host, faults=faults, **options)
    with open(resolved.data_dir / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            serve_args(resolved),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    (resolved.data_dir / PID_FILE).write_text(f"{process.pid}\n", encoding="utf-8")
    deadline = time.monotonic() + timeout
    url = status_url(resolved)
    while not answers(url, process.pid, timeout=POLL_INTERVAL_SECONDS * 10):
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
                process.wait()
            raise SandboxError(
                f"the sandbox did not start on {url}; last lines of "
                f"{resolved.data_dir / LOG_FILE}:\n{log_tail(resolved.data_dir)}"
            )
        time.sleep(POLL_INTERVAL_SECONDS)
    state = write_state(resolved, process.pid)
    if seed_wait is not None:
        seed_wait = max(SEED_WAIT_FLOOR_SECONDS, began + seed_wait - time.monotonic())
    seeded, fleet = _wait_for_fleet(url, process.pid, seed_wait)
    # A data dir keeps the fleet of its first start: `devices` is the fleet the server holds, which
    # the --devices of a later start (what the state file records) may not be.
    return {**state, **({"devices": fleet} if fleet is not None else {}), "running": True, "seeded": seeded}


def wait_for_seed(url: str, pid: int, seconds: float | None) -> int:
    """The devices seeded once all are, or after `seconds` (None: no limit while the seed advances;
    it stops waiting when the server stops answering or the seed stalls for START_TIMEOUT_SECONDS)."""
    return _wait_for_fleet(url, pid, seconds)[0]


def _wait_for_fleet(url: str, pid: int, seconds: float | None) -> tuple[int, int | None]:
    """`wait_for_seed`, with the size of the fleet the server last reported (None: no answer)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    last, last_change, fleet = -1, time.monotonic(), None
    while True:
        answer = probe(url, pid)
        if answer is None:
            return max(last, 0), fleet
        seeded, devices = answer
        fleet = devices if devices >= 0 else None
        now = time.monotonic()
        if seeded != last:
            last, last_change = seeded, now
        if seeded >= devices or (deadline is not None and now >= deadline):
            return seeded, fleet
        if now - last_change > START_TIMEOUT_SECONDS:
            raise SandboxError(f"the sandbox stopped seeding its devices at {seeded} of {devices}")
        time.sleep(POLL_INTERVAL_SECONDS)


def status(data_dir: Path | str | None = None) -> dict[str, Any]:
    """The state file plus `running` (the pid is alive AND the server answers)."""
    directory = resolve_dir(data_dir)
    state = read_state(directory) or {"data_dir": str(directory)}
    pid = int(state.get("pid") or 0)
    answer = probe(str(state["url"]), pid) if pid > 0 and pid_alive(pid) and state.get("url") else None
    seeded = {"seeded": answer[0]} if answer is not None and answer[0] >= 0 else {}
    fleet = {"devices": answer[1]} if answer is not None and answer[1] >= 0 else {}  # see start()
    return {**state, "running": answer is not None, **seeded, **fleet}


def stop(data_dir: Path | str | None = None, timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
    """Stop the data dir's sandbox (SIGTERM, then SIGKILL after `timeout`); False if none ran."""
    directory = resolve_dir(data_dir)
    try:
        pid = int((directory / PID_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return False
    was_running = pid_alive(pid)
    if was_running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL_SECONDS)
        if pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    (directory / PID_FILE).unlink(missing_ok=True)
    return was_running


def reset(data_dir: Path | str | None = None) -> None:
    """Stop the sandbox and delete its data, state and passwords (only the files the sandbox made)."""
    directory = resolve_dir(data_dir)
    stop(directory)
    for name in (
        STATE_FILE,
        PID_FILE,
        LOG_FILE,
        CREDENTIALS_FILE,
        DATABASE_FILE,
        f"{DATABASE_FILE}-wal",
        f"{DATABASE_FILE}-shm",
    ):
        (directory / name).unlink(missing_ok=True)
    binaries = directory / BINARIES_DIR
    if binaries.is_dir():
        for item in binaries.iterdir():
            item.unlink(missing_ok=True)
        binaries.rmdir()
    with contextlib.suppress(OSError):
        directory.rmdir()  # only if nothing else is in it
