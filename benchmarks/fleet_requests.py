"""Requests c8ydm sends at fleet scale, counted on a sandbox: waits, bulk waits, repository lists.

    python benchmarks/fleet_requests.py [--operations 200] [--bulk-devices 1000] [--ramps 0.01,0.05]
                                        [--entries 150] [--only wait|bulk|list]

- operation wait: OPERATIONS operations (one per device, with c8ydm's marker, as `device install`
  creates them) followed with the procedure behind `c8ydm operation wait ID...`; the requests of
  every look (first and last included) against the goal ceil(N / 2000) + 1 and against one GET per
  id (the peer: how the Go CLI and c8ydm before issue 13 poll).
- bulk create --wait: `c8ydm bulk create --from-operation ... --group G --ramp R --wait --verbose`
  on a group of BULK_DEVICES devices: every request of the command (look-ups, create, looks),
  per device, against the goal 0.01.
- firmware list: ENTRIES firmware entries with 0-3 versions each; the requests of `c8ydm firmware
  list --verbose` against the goal 3, and whether every entry shows its count.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from typing import Any

import httpx
from _bench import c8ydm_command, machine, sandbox, table, tenant_env

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.polling import PollPolicy
from c8ydm.procedures.operations.waiting import wait_for_operations

MO_TYPE = "application/vnd.com.nsn.cumulocity.managedObject+json"
REFERENCES_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json"


def http(state: dict[str, Any]) -> httpx.Client:
    auth = (f"{state['tenant']}/{state['user']}", state["password"])
    return httpx.Client(base_url=state["url"], auth=auth, headers={"Accept": "application/json"}, timeout=60)


def device_ids(api: httpx.Client) -> list[str]:
    page = api.get("/inventory/managedObjects", params={"fragmentType": "c8y_IsDevice", "pageSize": 2000})
    return [mo["id"] for mo in page.json()["managedObjects"]]


def operation_wait(count: int) -> list[str]:
    """Requests per look while waiting for ``count`` operations created together."""
    with sandbox(count, op_delay_seconds=2.0) as (state, _):
        with http(state) as api:
            origin = {"tool": "c8ydm", "version": "bench", "runId": "bench"}
            ids = []
            for device in device_ids(api)[:count]:
                body = {
                    "deviceId": device,
                    "description": "restart",
                    "c8y_Restart": {},
                    "c8ydm_Origin": origin,
                }
                ids.append(api.post("/devicecontrol/operations", json=body).json()["id"])
        looks: list[int] = [0]

        def sleep(seconds: float) -> None:
            looks.append(0)
            time.sleep(seconds)

        def counted(_: object) -> None:
            looks[-1] += 1

        auth = BasicAuth(state["user"], state["password"], tenant=state["tenant"])
        with Client(state["url"], auth, tenant=state["tenant"], on_request_log=counted) as client:
            policy = PollPolicy(timeout_seconds=120, sleep=sleep)
            done = wait_for_operations(client, ids, policy=policy)
    goal = math.ceil(count / 2000) + 1
    ended = sum(1 for op in done if op.is_terminal)
    return [
        f"operation wait on {count} operations",
        f"{len(looks)} looks, requests per look {looks} ({ended} ended)",
        f"one GET per id: {count} per look",
        f"<= {goal} per look",
        "met" if max(looks) <= goal else "NOT met",
    ]


def bulk_wait(devices: int, ramp: float) -> list[str]:
    """Every request of `bulk create --wait` on ``devices`` devices at ``ramp`` seconds."""
    with sandbox(devices, op_delay_seconds=0.5) as (state, scratch):
        with http(state) as api:
            first = device_ids(api)[0]
            source = {"deviceId": first, "description": "restart", "c8y_Restart": {}}
            operation = api.post("/devicecontrol/operations", json=source).json()["id"]
            group = api.post(
                "/inventory/managedObjects",
                json={"name": "bench fleet", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}},
            ).json()["id"]
            references = [{"managedObject": {"id": device}} for device in device_ids(api)[:devices]]
            for chunk in range(0, len(references), 500):
                api.post(
                    f"/inventory/managedObjects/{group}/childAssets",
                    json={"references": references[chunk : chunk + 500]},
                    headers={"Content-Type": REFERENCES_TYPE},
                )
        env = tenant_env(state, scratch)
        argv = [
            *c8ydm_command(), "bulk", "create", "--from-operation", str(operation), "--group", "bench fleet",
            "--ramp", str(ramp), "--wait", "--verbose", "--timeout", "3600", "-o", "json",
        ]  # fmt: skip
        started = time.monotonic()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
    requests = sum(1 for line in done.stderr.splitlines() if " -> " in line)
    per_device = requests / devices
    return [
        f"bulk create --wait, {devices} devices, ramp {ramp:g} s",
        f"{requests} requests in {seconds:.0f} s (exit {done.returncode}): {per_device:.4f} per device",
        "-",
        "<= 0.01 per device",
        "met" if per_device <= 0.01 else "NOT met",
    ]


def firmware_list(entries: int) -> list[str]:
    """Requests of `firmware list` over ``entries`` entries with 0-3 versions each."""
    with sandbox(0) as (state, scratch):
        with http(state) as api:
            for n in range(entries):
                entry = {"name": f"fw-{n:03d}", "type": "c8y_Firmware", "description": "bench"}
                entry_id = api.post("/inventory/managedObjects", json=entry).json()["id"]
                for k in range(n % 4):
                    version = {
                        "type": "c8y_FirmwareBinary",
                        "c8y_Firmware": {"version": f"1.{k}", "url": f"https://fw.example.com/{n}/{k}"},
                    }
                    api.post(
                        f"/inventory/managedObjects/{entry_id}/childAdditions",
                        json=version,
                        headers={"Content-Type": MO_TYPE},
                    )
        argv = [*c8ydm_command(), "firmware", "list", "--verbose", "-o", "json"]
        done = subprocess.run(
            argv, env=tenant_env(state, scratch), capture_output=True, text=True, check=False
        )
    requests = sum(1 for line in done.stderr.splitlines() if " -> " in line)
    rows = json.loads(done.stdout)
    counted = sum(1 for row in rows if isinstance(row.get("versionCount"), int))
    right = all(row["versionCount"] == int(row["name"][3:]) % 4 for row in rows)
    return [
        f"firmware list, {entries} entries",
        f"{requests} requests, {counted}/{len(rows)} counts shown ({'all right' if right else 'WRONG'})",
        f"one count per entry: {entries + 1}",
        "<= 3, every count",
        "met" if requests <= 3 and counted == entries and right else "NOT met",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=200)
    parser.add_argument("--bulk-devices", type=int, default=1000)
    parser.add_argument("--ramps", default="0.01,0.05", help="comma-separated creation ramps (seconds)")
    parser.add_argument("--entries", type=int, default=150)
    parser.add_argument("--only", choices=("wait", "bulk", "list"))
    args = parser.parse_args()
    rows = [["measure", "c8ydm", "naive way", "goal", ""]]
    if args.only in (None, "wait"):
        rows.append(operation_wait(args.operations))
    if args.only in (None, "bulk"):
        rows += [bulk_wait(args.bulk_devices, float(ramp)) for ramp in args.ramps.split(",")]
    if args.only in (None, "list"):
        rows.append(firmware_list(args.entries))
    print(machine())
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
