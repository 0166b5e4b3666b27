"""A killed run, resumed: what it made is adopted or removed, never left behind (issue 14, §3.3, §14(d)).

A proxy (tests/support/dropping_proxy.py) forwards the chosen request to the sandbox, so the tenant
acts, then holds the answer back while the test kills ``c8ydm`` with SIGKILL, exactly as ``kill -9``
right after that step would. The same command is then run again with ``--if-exists skip``.
"""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import ENTRY_POINT, Run
from support.dropping_proxy import DroppingProxy, DropRule
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

HOLD_SECONDS = 20.0  # the answer held back while the test kills the client


def kill_during(sandbox: SandboxInstance, environment: dict[str, str], pattern: str, *args: str) -> list[str]:
    """Run ``c8ydm ARGS`` through a proxy and kill it (SIGKILL) once ``pattern``'s request was served."""
    with DroppingProxy(sandbox.url, [DropRule(pattern, times=1, hold_seconds=HOLD_SECONDS)]) as proxy:
        process = subprocess.Popen(
            [*ENTRY_POINT, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**environment, "C8Y_HOST": proxy.url},
        )
        deadline = time.monotonic() + 60
        while not proxy.dropped and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return list(proxy.dropped)


def api(sandbox: SandboxInstance) -> httpx.Client:
    return httpx.Client(base_url=sandbox.url, auth=sandbox.auth, timeout=30)


def binaries_named(sandbox: SandboxInstance, name: str) -> list[dict[str, Any]]:
    with api(sandbox) as client:
        found = client.get("/inventory/binaries", params={"owner": sandbox.user, "pageSize": 2000}).json()
    return [binary for binary in found["managedObjects"] if binary["name"] == name]


def version_of(c8ydm: Callable[..., Run], name: str) -> dict[str, Any]:
    shown = c8ydm("firmware", "show", name, "-o", "json")
    assert shown.code == 0, shown.stderr
    versions = shown.json()["versions"]
    assert len(versions) == 1
    return dict(versions[0])


@pytest.fixture
def firmware_file(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    path = tmp_path / f"{request.node.name[:40]}.bin"
    path.write_bytes(b"firmware image " * 4000)
    return path


def test_a_run_killed_after_the_upload_is_resumed_with_the_same_binary(
    sandbox: SandboxInstance,
    c8ydm: Callable[..., Run],
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
    firmware_file: Path,
) -> None:
    add = ("firmware", "add", "e2e-killed-upload", "--version", "1.0", "--file", str(firmware_file),
           "--description", "killed", "--if-exists", "skip")  # fmt: skip
    dropped = kill_during(sandbox, c8ydm_environment(sandbox), "^POST /inventory/binaries$", *add)
    assert dropped == ["POST /inventory/binaries"]
    [orphan] = binaries_named(sandbox, firmware_file.name)  # the killed run's upload, linked to nothing

    resumed = c8ydm(*add)

    assert resumed.code == 0, resumed.stderr
    assert f"Reusing binary {orphan['id']} that an interrupted run uploaded" in resumed.stderr
    assert [binary["id"] for binary in binaries_named(sandbox, firmware_file.name)] == [orphan["id"]]
    version = version_of(c8ydm, "e2e-killed-upload")
    assert version["c8y_Firmware"]["url"].endswith(f"/inventory/binaries/{orphan['id']}")
    assert [ref["managedObject"]["id"] for ref in version["childAdditions"]["references"]] == [orphan["id"]]


def test_a_run_killed_after_the_version_was_created_is_finished_by_the_resume(
    sandbox: SandboxInstance,
    c8ydm: Callable[..., Run],
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
    firmware_file: Path,
) -> None:
    add = ("firmware", "add", "e2e-killed-version", "--version", "1.0", "--file", str(firmware_file),
           "--description", "killed", "--if-exists", "skip")  # fmt: skip
    version_create = r"^POST /inventory/managedObjects/\d+/childAdditions$"  # step 3; step 4 never came
    assert kill_during(sandbox, c8ydm_environment(sandbox), version_create, *add)
    [binary] = binaries_named(sandbox, firmware_file.name)
    refused = c8ydm(*add[:-2])  # without --if-exists skip: exit 7, saying how to finish it

    resumed = c8ydm(*add)

    assert refused.code == 7 and "its binary was never linked" in refused.stderr
    assert resumed.code == 0, resumed.stderr
    assert f"Linked binary {binary['id']} under" in resumed.stderr
    assert c8ydm("firmware", "delete", "e2e-killed-version", "--yes").code == 0
    assert binaries_named(sandbox, firmware_file.name) == []  # the cascade took the now-linked binary


def test_an_install_whose_answer_was_lost_adopts_the_operation(
    sandbox: SandboxInstance,
    c8ydm: Callable[..., Run],
    c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]],
) -> None:
    assert c8ydm("firmware", "add", "e2e-lost-install", "--version", "1.0", "--url",
                 "https://fw.example.com/lost", "--description", "lost").code == 0  # fmt: skip
    with DroppingProxy(sandbox.url, [DropRule("^POST /devicecontrol/operations$", times=1)]) as proxy:
        installed = c8ydm_for(dataclasses.replace(sandbox, url=proxy.url))(
            "device", "install", "linux-0005", "--firmware", "e2e-lost-install@1.0", "-o", "json"
        )

    assert installed.code == 0, installed.stderr
    assert proxy.dropped == ["POST /devicecontrol/operations"]
    assert "exists although its answer was lost" in installed.stderr
    with api(sandbox) as client:
        found = client.get(
            "/devicecontrol/operations", params={"deviceId": _device_id(client, "linux-0005"),
                                                 "fragmentType": "c8y_Firmware", "pageSize": 2000},
        ).json()["operations"]  # fmt: skip
    mine = [op["id"] for op in found if op["c8y_Firmware"]["name"] == "e2e-lost-install"]
    assert mine == [installed.json()["operations"][0]["id"]]


def _device_id(client: httpx.Client, name: str) -> str:
    query = f"$filter=(name eq '{name}')"
    return str(
        client.get("/inventory/managedObjects", params={"query": query}).json()["managedObjects"][0]["id"]
    )


def test_a_bulk_create_killed_after_its_hidden_group_was_made_reuses_that_group(
    sandbox: SandboxInstance,
    c8ydm: Callable[..., Run],
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
) -> None:
    assert c8ydm("firmware", "add", "e2e-killed-bulk", "--version", "1.0", "--url",
                 "https://fw.example.com/kb", "--description", "killed bulk").code == 0  # fmt: skip
    selection = "(type eq 'c8y_Linux') and (name eq 'linux-0004')"  # a query no other test uses
    create = ("bulk", "create", "--firmware", "e2e-killed-bulk@1.0", "--query", selection, "--start", "+1h")
    assert kill_during(sandbox, c8ydm_environment(sandbox), "^POST /inventory/managedObjects$", *create)
    [left] = hidden_groups_for(sandbox, selection)  # the killed run's group; its bulk never came

    resumed = c8ydm(*create, "-o", "json")

    assert resumed.code == 0, resumed.stderr
    assert f"Hidden group {left['id']} for this selection was left by an interrupted run: reused." in (
        resumed.stderr
    )
    assert [group["id"] for group in hidden_groups_for(sandbox, selection)] == [left["id"]]
    assert str(resumed.json()["groupId"]) == left["id"]
    assert c8ydm("bulk", "cancel", resumed.json()["id"], "--yes").code == 0


def hidden_groups_for(sandbox: SandboxInstance, device_query: str) -> list[dict[str, Any]]:
    with api(sandbox) as client:
        found = client.get(
            "/inventory/managedObjects",
            params={"query": "$filter=(type eq 'c8y_DynamicGroup')", "pageSize": 2000},
        ).json()["managedObjects"]
    return [group for group in found if group.get("c8y_DeviceQueryString") == device_query]
