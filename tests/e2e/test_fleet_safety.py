"""Fleet safety end to end: a release and a bulk rollout over 100 devices under injected faults and
lost answers end with exactly one of everything and no debris (issue 14; contract §14(d), §10, §11).

Each seed sets the sandbox's own faults (503 on creates, 429 with ``Retry-After: 0``, connections
dropped before the tenant acts; ``/sandbox/admin/faults?seed=N``) and puts a proxy in front of it
that loses answers AFTER the tenant acted (tests/support/dropping_proxy.py). The commands run
through the proxy as a user would: when one still fails (exit 9 or 10), it is run again, a resume.
Then, with the faults cleared, the tenant is read directly.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import Run
from support.dropping_proxy import DroppingProxy, DropRule
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

SEEDS = (3, 17, 2024)
ATTEMPTS = 4  # a user's re-runs of a command that still failed
SANDBOX_FAULTS = [
    {"pattern": "^POST /inventory/(binaries|managedObjects)", "kind": "503", "rate": 0.2},
    {"pattern": "^POST /devicecontrol/", "kind": "429", "rate": 0.3, "seconds": 0},
    {"pattern": "^POST /", "kind": "drop", "rate": 0.1},
]
LOST_ANSWERS = [  # the first upload's and the first bulk operation's answers are always lost
    DropRule("^POST /inventory/binaries$", times=1),
    DropRule("^POST /devicecontrol/bulkoperations$", times=1),
    DropRule("^POST /inventory/(binaries|managedObjects)", rate=0.3),
    DropRule("^POST /devicecontrol/", rate=0.5),
]
LINUX_QUERY = "$filter=(type eq 'c8y_Linux')"


@dataclass
class Faulted:
    """Commands through the dropping proxy, with the sandbox's faults of one seed."""

    run: Callable[..., Run]
    proxy: DroppingProxy
    seed: int


@pytest.fixture(scope="module")
def tenant(hundred_sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    """Direct admin access to the fleet sandbox (not through the proxy; its admin API is never faulted)."""
    with httpx.Client(base_url=hundred_sandbox.url, auth=hundred_sandbox.auth, timeout=30) as client:
        yield client
        client.delete("/sandbox/admin/faults")


@pytest.fixture(params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def faulted(
    request: pytest.FixtureRequest,
    hundred_sandbox: SandboxInstance,
    tenant: httpx.Client,
    c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]],
) -> Iterator[Faulted]:
    seed = int(request.param)
    with DroppingProxy(hundred_sandbox.url, LOST_ANSWERS, seed=seed) as proxy:
        tenant.post("/sandbox/admin/faults", params={"seed": seed}, json=SANDBOX_FAULTS).raise_for_status()
        try:
            yield Faulted(c8ydm_for(dataclasses.replace(hundred_sandbox, url=proxy.url)), proxy, seed)
        finally:
            tenant.delete("/sandbox/admin/faults")


def items(tenant: httpx.Client, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
    answer = tenant.get(path, params={"pageSize": 2000, **params})
    answer.raise_for_status()
    return list(answer.json()[key])


def until_done(run: Callable[..., Run], *args: str, accept: tuple[int, ...] = (0,)) -> Run:
    """Run a command again (as a user resumes it) until it ends with an accepted code."""
    result = run(*args)
    for _ in range(ATTEMPTS - 1):
        if result.code in accept:
            break
        assert result.code in (9, 10), result.stderr  # only a network that still fails may end a run
        result = run(*args)
    assert result.code in accept, result.stderr
    assert "Traceback" not in result.stderr
    return result


def check_release(tenant: httpx.Client, name: str, file_name: str) -> None:
    """One entry, one version, its binary linked under it, and no other binary of that file."""
    query = f"$filter=((type eq 'c8y_Firmware') and (name eq '{name}'))"
    entries = items(tenant, "/inventory/managedObjects", "managedObjects", query=query)
    assert len(entries) == 1
    in_entry = f"$filter=(bygroupid({entries[0]['id']}))"
    versions = items(tenant, "/inventory/managedObjects", "managedObjects", query=in_entry)
    assert [version["c8y_Firmware"]["version"] for version in versions] == ["1.0"]
    binary_id = versions[0]["c8y_Firmware"]["url"].rsplit("/", 1)[1]
    linked = items(tenant, f"/inventory/managedObjects/{versions[0]['id']}/childAdditions", "references")
    assert [reference["managedObject"]["id"] for reference in linked] == [binary_id]
    binaries = items(tenant, "/inventory/binaries", "managedObjects", owner="admin")
    assert [binary["id"] for binary in binaries if binary["name"] == file_name] == [binary_id]


def hidden_linux_groups(tenant: httpx.Client) -> list[str]:
    groups = items(tenant, "/inventory/managedObjects", "managedObjects", type="c8y_DynamicGroup")
    return [g["id"] for g in groups if g.get("c8y_DeviceQueryString") == LINUX_QUERY and "c8ydm_Origin" in g]


def wait_until_all_created(tenant: httpx.Client, bulk_id: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if tenant.get(f"/devicecontrol/bulkoperations/{bulk_id}").json().get("status") == "COMPLETED":
            return
        time.sleep(0.2)
    pytest.fail(f"bulk operation {bulk_id} did not create its operations in time")


def firmware_operations_per_device(tenant: httpx.Client, name: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for operation in items(tenant, "/devicecontrol/operations", "operations", fragmentType="c8y_Firmware"):
        if operation["c8y_Firmware"].get("name") == name:
            device = str(operation["deviceId"])
            counts[device] = counts.get(device, 0) + 1
    return counts


def test_release_and_bulk_rollout_end_with_one_of_everything_under_faults(
    faulted: Faulted, tenant: httpx.Client, tmp_path: Path
) -> None:
    name, file = f"fleet-fw-{faulted.seed}", tmp_path / f"fleet-{faulted.seed}.bin"
    file.write_bytes(bytes(range(256)) * 400)
    hidden_before = hidden_linux_groups(tenant)

    until_done(faulted.run, "firmware", "add", name, "--version", "1.0", "--file", str(file),
               "--description", "fleet", "--device-type", "c8y_Linux", "--if-exists", "skip")  # fmt: skip
    rollout = until_done(faulted.run, "bulk", "create", "--firmware", f"{name}@1.0", "--type", "c8y_Linux",
                         "--ramp", "0.01", accept=(0, 7))  # fmt: skip

    tenant.delete("/sandbox/admin/faults")
    assert {"POST /inventory/binaries", "POST /devicecontrol/bulkoperations"} <= set(faulted.proxy.dropped)
    check_release(tenant, name, file.name)
    bulks = [
        bulk
        for bulk in items(tenant, "/devicecontrol/bulkoperations", "bulkOperations", withDeleted="true")
        if (bulk.get("operationPrototype") or {}).get("c8y_Firmware", {}).get("name") == name
    ]
    assert [bulk["generalStatus"] != "CANCELED" for bulk in bulks] == [True]
    if rollout.code == 7:  # a re-run found the bulk operation of the run whose answer was lost
        assert f"bulk operation {bulks[0]['id']} already sends this operation" in rollout.stderr
    assert len(hidden_linux_groups(tenant)) == len(hidden_before) + 1  # one hidden group, no leftovers
    wait_until_all_created(tenant, bulks[0]["id"])
    per_device = firmware_operations_per_device(tenant, name)
    linux = {
        device["id"]
        for device in items(tenant, "/inventory/managedObjects", "managedObjects", type="c8y_Linux")
    }
    assert set(per_device) == linux and set(per_device.values()) == {1}  # one each; gateways none
