"""Simulated device agents and the bulk-operation scheduler, on one background thread.

Each operation of an answering device goes PENDING → EXECUTING → SUCCESSFUL (or FAILED), one step
every `options.op_delay_seconds`; the change itself is applied to the device by `agent` just
before the final status is written (contract §6–§9 describe what a device reports).

Which devices misbehave is deterministic: a device's share `u` in [0, 1) is a hash of the seed and
its id; `u < silent_rate` never answers (its operations stay PENDING), the next `failure_rate`
share fails every operation with a realistic reason. Nothing depends on wall-clock randomness.
Single seeded devices misbehave on purpose in one area (`agent.delay_factor`, `agent.always_fails`:
a slow and a failing configuration agent, devices/seed.py).

The loop is cheap with thousands of operations: operations are scheduled in a heap keyed by due
time (new ones arrive through `operation_created`, called by model/operations.py), active bulk
operations in a dict (through `bulk_scheduled`, called by model/bulk.py); only a start() scans the
store once, to resume work left by a previous run. stop() wakes the thread and joins it promptly.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import logging
import threading
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.devices import agent
from c8ydm.sandbox.model import bulk
from c8ydm.sandbox.model.operations import LOCK, set_status

if TYPE_CHECKING:
    from c8ydm.sandbox.core.options import SandboxOptions
    from c8ydm.sandbox.state import SandboxState

log = logging.getLogger("c8ydm.sandbox.simulation")

MAX_IDLE_WAIT_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 5.0


def device_share(seed: int, device_id: str) -> float:
    """A stable number in [0, 1) for a device under a seed."""
    digest = hashlib.sha256(f"{seed}:{device_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def behaviour(options: SandboxOptions, device_id: str) -> str:
    """ "silent", "failing" or "ok" for a device (see the module docstring)."""
    share = device_share(options.seed, device_id)
    if share < options.silent_rate:
        return "silent"
    if share < options.silent_rate + options.failure_rate:
        return "failing"
    return "ok"


class Simulator:
    """The device agents of the sandbox; `start()` and `stop()` are called by app.py's lifespan."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._heap: list[tuple[float, int, str, str]] = []  # (due, seq, operation id, expected status)
        self._bulks: dict[str, float] = {}  # bulk operation id -> due (monotonic seconds)
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- hooks called by model/operations.py and model/bulk.py -------------------------------------
    def operation_created(self, op: dict[str, Any]) -> None:
        self._schedule(op, "PENDING")

    def bulk_scheduled(self, bulk_id: str) -> None:
        with self._lock:
            self._bulks[str(bulk_id)] = time.monotonic()
        self._wake.set()

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        for op in self._state.store.iter("operations"):
            if op.get("status") in ("PENDING", "EXECUTING"):
                self._schedule(op, str(op["status"]))
        for doc in self._state.store.iter("bulkOperations"):
            if doc.get("status") in ("ACTIVE", "IN_PROGRESS"):
                self.bulk_scheduled(str(doc["id"]))
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="c8ydm-sandbox-agents", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:  # one bad operation must not stop every device
                log.exception("simulation tick failed")
            self._wake.wait(self._seconds_to_next())
            self._wake.clear()

    # -- work -------------------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> None:
        """Advance everything that is due (public for tests that drive the clock)."""
        now = time.monotonic() if now is None else now
        self._run_bulks(now)
        while not self._stopping.is_set():
            with self._lock:
                if not self._heap or self._heap[0][0] > now:
                    return
                _, _, op_id, expected = heapq.heappop(self._heap)
            self._advance(op_id, expected)

    def _run_bulks(self, now: float) -> None:
        with self._lock:
            due = [bulk_id for bulk_id, at in self._bulks.items() if at <= now]
        for bulk_id in due:
            wall = datetime.now(timezone.utc)
            next_at = bulk.run_due(self._state, bulk_id, wall)
            with self._lock:
                if next_at is None:
                    self._bulks.pop(bulk_id, None)
                else:
                    self._bulks[bulk_id] = time.monotonic() + max(0.0, (next_at - wall).total_seconds())

    def _seconds_to_next(self) -> float:
        with self._lock:
            dues = [self._heap[0][0]] if self._heap else []
            dues.extend(self._bulks.values())
        if not dues:
            return MAX_IDLE_WAIT_SECONDS
        return min(MAX_IDLE_WAIT_SECONDS, max(0.0, min(dues) - time.monotonic()))

    def _schedule(self, op: dict[str, Any], expected: str) -> None:
        device_id = str(op.get("deviceId"))
        if behaviour(self._state.options, device_id) == "silent":
            return
        device = self._state.store.peek("managedObjects", device_id)  # read only
        delay = self._state.options.op_delay_seconds * agent.delay_factor(device or {}, op)
        due = time.monotonic() + delay
        with self._lock:
            heapq.heappush(self._heap, (due, next(self._seq), str(op["id"]), expected))
        self._wake.set()

    def _advance(self, op_id: str, expected: str) -> None:
        state = self._state
        if expected == "PENDING":
            op = set_status(state, op_id, "EXECUTING", expected="PENDING")
            if op is not None:
                device = state.store.get("managedObjects", str(op.get("deviceId")))
                if device is not None:
                    agent.started(state, device, op)  # e.g. a profile announced as not yet executed
                self._schedule(op, "EXECUTING")
            return
        with LOCK:  # the user may cancel meanwhile: check, apply and finish in one step
            op = state.store.get("operations", op_id)
            if op is None or op.get("status") != "EXECUTING":
                return
            reason = self._execute(op)
            if reason is None:
                set_status(state, op_id, "SUCCESSFUL", expected="EXECUTING")
            else:
                set_status(state, op_id, "FAILED", reason, expected="EXECUTING")

    def _execute(self, op: dict[str, Any]) -> str | None:
        """Apply the operation to its device; the failure reason, or None on success."""
        device_id = str(op.get("deviceId"))
        device = self._state.store.get("managedObjects", device_id)
        if device is None:
            return f"Device {device_id} no longer exists"
        try:
            kind = agent.operation_kind(device, op)
            if behaviour(self._state.options, device_id) == "failing" or agent.always_fails(device, kind):
                return agent.simulated_failure(kind)
            agent.apply(self._state, device, op, kind)
        except agent.OperationFailed as exc:
            return exc.reason
        return None
