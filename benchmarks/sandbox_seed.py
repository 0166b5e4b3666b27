"""Seconds the sandbox store takes to seed a large fleet, and to take documents out of id order.

    python benchmarks/sandbox_seed.py [--devices 5000] [--runs 3]

Three measurements, each the median of RUNS runs in a fresh temporary data dir:
- seed: ``seed.ensure_seeded`` for DEVICES devices (what ``c8ydm sandbox start --devices N`` does on
  first start), including the groups' childAssets references;
- users out of order: DEVICES users put with shuffled non-numeric ids (device users created by
  registration arrive in any order);
- references: DEVICES childAssets references added to one group, each added twice (the second a no-op).

Then the simulated agents: one simulator pass that takes 3000 pending operations to SUCCESSFUL, and
a pass with nothing due (which must not rescan the operations), on a 50-device fleet.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.devices import seed
from c8ydm.sandbox.devices.simulation import Simulator
from c8ydm.sandbox.model.operations import create_operation
from c8ydm.sandbox.state import SandboxState


def seeding(devices: int) -> Callable[[Path], None]:
    def run(data_dir: Path) -> None:
        options = SandboxOptions.for_data_dir(data_dir, devices=devices)
        seed.ensure_seeded(SandboxState(options=options, store=Store(data_dir / "bench.sqlite")))

    return run


def users_out_of_order(devices: int) -> Callable[[Path], None]:
    names = [f"device_{n:06d}" for n in range(devices)]
    random.Random(42).shuffle(names)

    def run(data_dir: Path) -> None:
        store = Store(data_dir / "bench.sqlite")
        for name in names:
            store.put("users", name, {"userName": name})

    return run


def references(devices: int) -> Callable[[Path], None]:
    def run(data_dir: Path) -> None:
        store = Store(data_dir / "bench.sqlite")
        for _ in range(2):
            for child in range(devices):
                store.add_ref("1", str(20000 + child), "childAssets")

    return run


def median_seconds(work: Callable[[Path], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            work(Path(tmp))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def simulator_passes(operations: int = 3000) -> tuple[float, float]:
    """Seconds of one pass finishing ``operations`` pending operations, and of an idle pass."""
    with tempfile.TemporaryDirectory() as tmp:
        options = SandboxOptions.for_data_dir(Path(tmp), devices=50)
        state = SandboxState(options=options, store=Store(":memory:"))
        seed.ensure_seeded(state)
        state.simulator = simulator = Simulator(state)
        devices = [d["id"] for d in state.store.iter("managedObjects") if "c8y_IsDevice" in d]
        for n in range(operations):
            create_operation(state, {"deviceId": devices[n % len(devices)], "c8y_Restart": {}})
        started = time.perf_counter()
        simulator.tick(time.monotonic() + 10_000)  # far past both steps of every operation
        busy = time.perf_counter() - started
        started = time.perf_counter()
        simulator.tick()
        return busy, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label, work in (
        ("seed", seeding(args.devices)),
        ("users out of order", users_out_of_order(args.devices)),
        ("references", references(args.devices)),
    ):
        print(f"{label:<20} {args.devices} devices: {median_seconds(work, args.runs):7.3f} s")
    busy, idle = simulator_passes()
    print(f"{'simulator pass':<20} 3000 operations: {busy:7.3f} s; idle pass: {idle * 1000:.2f} ms")


if __name__ == "__main__":
    main()
