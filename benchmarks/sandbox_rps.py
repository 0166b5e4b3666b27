"""Requests per second of the sandbox tenant on loopback, with latency percentiles per request kind.

    python benchmarks/sandbox_rps.py [--seconds 10] [--threads 4] [--devices 50] [--url URL --user U ...]

Starts a sandbox in a temporary data dir (unless --url is given), then drives it from THREADS threads,
each with its own keep-alive connection (stdlib http.client, to keep client overhead low), with a mix
of 60% GET of a device by id, 30% GET of an inventory query list and 10% POST of an operation.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

from c8ydm.sandbox import control

QUERY = quote("$filter=(type eq 'c8y_Linux') $orderby=name asc")
MIX = (("get_device", 0.6), ("query_list", 0.3), ("post_operation", 0.1))


class Worker(threading.Thread):
    def __init__(self, url: str, auth: str, device_ids: list[str], deadline: float, seed: int) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        self.headers = {
            "Authorization": auth,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        self.device_ids, self.deadline = device_ids, deadline
        self.random = random.Random(seed)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors = 0

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        self.conn.request(method, path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        response.read()
        return response.status

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            kind = self.random.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
            device = self.random.choice(self.device_ids)
            started = time.perf_counter()
            if kind == "get_device":
                status = self.request("GET", f"/inventory/managedObjects/{device}")
            elif kind == "query_list":
                status = self.request("GET", f"/inventory/managedObjects?pageSize=20&query={QUERY}")
            else:
                body = json.dumps({"deviceId": device, "description": "bench", "c8y_Restart": {}}).encode()
                status = self.request("POST", "/devicecontrol/operations", body)
            self.latencies[kind].append(time.perf_counter() - started)
            self.errors += status >= 400


def percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return f"p50 {cuts[49] * 1000:6.1f} ms  p90 {cuts[89] * 1000:6.1f} ms  p99 {cuts[98] * 1000:6.1f} ms"


def drive(url: str, user: str, password: str, seconds: float, threads: int) -> None:
    auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    probe = Worker(url, auth, [], 0, 0)
    probe.conn.request(
        "GET", "/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=2000", headers=probe.headers
    )
    devices = [mo["id"] for mo in json.loads(probe.conn.getresponse().read())["managedObjects"]]
    probe.conn.close()
    deadline = time.monotonic() + seconds
    workers = [Worker(url, auth, devices, deadline, seed) for seed in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    merged: dict[str, list[float]] = defaultdict(list)
    for worker in workers:
        for kind, values in worker.latencies.items():
            merged[kind].extend(values)
    total = sum(len(v) for v in merged.values())
    print(
        f"{total} requests in {elapsed:.1f} s from {threads} threads, {len(devices)} devices: "
        f"{total / elapsed:.0f} requests/s, {sum(w.errors for w in workers)} errors"
    )
    for kind, _ in MIX:
        print(f"  {kind:15s} {len(merged[kind]):6d}  {percentiles(merged[kind])}")
    print(f"  {'all':15s} {total:6d}  {percentiles([v for vs in merged.values() for v in vs])}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--url", help="an already running sandbox (default: start one)")
    parser.add_argument("--user", default="t100/admin")
    parser.add_argument("--password")
    args = parser.parse_args()
    if args.url:
        drive(args.url, args.user, args.password, args.seconds, args.threads)
        return
    with tempfile.TemporaryDirectory(prefix="c8ydm-bench-") as tmp:
        state = control.start(Path(tmp), port=0, devices=args.devices, op_delay_seconds=0.5)
        try:
            drive(
                state["url"],
                f"{state['tenant']}/{state['user']}",
                state["password"],
                args.seconds,
                args.threads,
            )
        finally:
            control.stop(Path(tmp))


if __name__ == "__main__":
    main()
