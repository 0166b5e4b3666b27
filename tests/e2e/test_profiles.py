"""Device profiles end to end: the real entry point against a sandbox (contract §9, §11.3).

A profile with firmware, two typed software items and a configuration is applied to a device with
--wait (the device read back with the official SDK), then to a group as a bulk operation; one device
is changed by hand and ``profile devices --drifted`` names it. The module runs its own 10-device
sandbox (linux-0001 and linux-0006 take profiles with typed configuration), so the session's shared
fleet is left alone, and every request that sandbox received is validated against the spec.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from e2e_support import Run, invalid_requests
from support import oas
from support.sandbox import SandboxInstance, running_sandbox

from c8ydm.sandbox.core.recorder import ENV_VAR as RECORD_ENV

pytestmark = pytest.mark.e2e

PROFILE = "e2e-base"
FW_URL = "https://files.example.com/e2e-prof-fw/1.0.0.img"
CONF_URL = "https://files.example.com/e2e-tedge.toml"
FW_ITEM = {"name": "e2e-prof-fw", "version": "1.0.0", "url": FW_URL}
NGINX = {
    "name": "e2e-nginx",
    "version": "1.24.0",
    "url": "https://sw.example.com/nginx",
    "softwareType": "apt",
}
MOSQ = {
    "name": "e2e-mosq",
    "version": "2.0.18",
    "url": "https://sw.example.com/mosq",
    "softwareType": "docker",
}
CONF_ITEM = {"url": CONF_URL, "name": "e2e-tedge", "type": "tedge.toml"}
CONTENT = {
    "firmware": FW_ITEM,
    "software": [{**NGINX, "action": "install"}, {**MOSQ, "action": "install"}],
    "configuration": [CONF_ITEM],
}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    """A recording 10-device sandbox of this module; its requests are validated at the end."""
    data_dir = tmp_path_factory.mktemp("profiles")
    record = data_dir / "requests.jsonl"
    with contextlib.ExitStack() as stack:
        previous = os.environ.get(RECORD_ENV)
        os.environ[RECORD_ENV] = str(record)  # inherited by the server process as it starts
        try:
            instance = stack.enter_context(running_sandbox(data_dir, devices=10))
        finally:
            if previous is None:
                os.environ.pop(RECORD_ENV, None)
            else:
                os.environ[RECORD_ENV] = previous
        yield instance
    _validate(record)


def _validate(record: Path) -> None:
    if not oas.spec_path().is_file() or not record.is_file():
        return
    failures = invalid_requests(record)
    if failures:
        pytest.fail("requests rejected by the official OpenAPI spec:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture(scope="module")
def cli(
    fleet: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> Callable[..., Any]:
    run = c8ydm_for(fleet)

    def ok(*args: str) -> Any:
        result = run(*args, "-o", "json")
        assert result.code == 0, f"c8ydm {' '.join(args)} -> {result.code}\n{result.stderr}{result.stdout}"
        return result.json()

    ok.run = run  # type: ignore[attr-defined]
    return ok


def admin(fleet: SandboxInstance) -> httpx.Client:
    return httpx.Client(
        base_url=fleet.url, auth=fleet.auth, timeout=10, headers={"Accept": "application/json"}
    )


@pytest.fixture(scope="module")
def profile(cli: Callable[..., Any], fleet: SandboxInstance) -> dict[str, Any]:
    """The repository entries, and the profile made from them through c8ydm."""
    cli("firmware", "add", "e2e-prof-fw", "--version", "1.0.0", "--url", FW_URL, "--description", "fw",
        "--device-type", "c8y_Linux")  # fmt: skip
    cli("firmware", "add", "e2e-gw-fw", "--version", "1", "--url", "https://x/gw", "--description", "gw",
        "--device-type", "c8y_Gateway")  # fmt: skip
    for item in (NGINX, MOSQ):
        cli("software", "add", item["name"], "--version", item["version"], "--url", item["url"],
            "--description", "sw", "--software-type", item["softwareType"])  # fmt: skip
    with admin(fleet) as http:  # a configuration entry (§5.1); `config add` is another command's job
        entry = {"name": "e2e-tedge", "type": "c8y_ConfigurationDump", "url": CONF_URL,
                 "configurationType": "tedge.toml", "deviceType": "c8y_Linux"}  # fmt: skip
        http.post("/inventory/managedObjects", json=entry).raise_for_status()
    created = cli("profile", "create", PROFILE, "--device-type", "c8y_Linux")
    assert created["status"] == "created" and created["c8y_DeviceProfile"] == {}
    result: dict[str, Any] = cli(
        "profile", "set", PROFILE, "--firmware", "e2e-prof-fw@1.0.0", "--software", "e2e-nginx@1.24.0",
        "--software", "e2e-mosq", "--config", "e2e-tedge",
    )  # fmt: skip
    return result


def test_set_writes_the_items_and_the_software_type_markers(
    profile: dict[str, Any], cli: Callable[..., Any]
) -> None:
    entry = profile["entry"]

    assert profile["status"] == "updated"
    assert entry["c8y_DeviceProfile"] == CONTENT
    assert {key: entry[key] for key in entry if key.startswith("softwareType!")} == {
        "softwareType!apt": {},
        "softwareType!docker": {},
    }
    shown = cli("profile", "show", PROFILE)
    assert [(i["area"], i["name"], i["version"], i["type"]) for i in shown["items"]] == [
        ("firmware", "e2e-prof-fw", "1.0.0", None),
        ("software", "e2e-nginx", "1.24.0", "apt"),
        ("software", "e2e-mosq", "2.0.18", "docker"),
        ("configuration", "e2e-tedge", None, "tedge.toml"),
    ]
    listed = [row for row in cli("profile", "list") if row["name"] == PROFILE]
    assert [row["itemCounts"] for row in listed] == [{"firmware": 1, "software": 2, "configuration": 1}]


def test_a_profile_applied_to_a_device_then_a_group_and_drift_is_reported(
    profile: dict[str, Any], cli: Callable[..., Any], fleet: SandboxInstance
) -> None:
    applied = cli("device", "install", "linux-0001", "--profile", PROFILE, "--wait")
    operation = applied["operations"][0]
    assert operation["status"] == "SUCCESSFUL"
    assert operation["c8y_DeviceProfile"] == CONTENT
    assert operation["description"] == f"Assign device profile {PROFILE} to device linux-0001"
    _device_holds_the_profile(fleet, "linux-0001", profile["entry"]["id"])

    group = _static_group(fleet, "e2e profile group", ["linux-0001", "linux-0006"])
    bulk = cli("bulk", "create", "--profile", PROFILE, "--group", group, "--ramp", "0.05", "--wait")
    assert bulk["generalStatus"] == "SUCCESSFUL" and bulk["progress"]["successful"] == 2
    assert bulk["operationPrototype"]["description"] == f"Apply device profile: {PROFILE}"
    everyone = cli("profile", "devices", PROFILE)
    assert [(d["name"], d["c8y_Profile"]["profileExecuted"], d["drifted"]) for d in everyone] == [
        ("linux-0001", True, False),
        ("linux-0006", True, False),
    ]

    cli("device", "remove", "linux-0006", "--software", "e2e-nginx", "--wait")  # changed by hand
    drifted = cli("profile", "devices", PROFILE, "--drifted")
    assert [(d["name"], d["differences"]) for d in drifted] == [
        ("linux-0006", ["software e2e-nginx: not installed, profile 1.24.0"])
    ]
    shown = cli("device", "show", "linux-0006")
    assert shown["profileDrift"]["drifted"] is True and shown["pendingProfile"] is None


def _device_holds_the_profile(fleet: SandboxInstance, name: str, profile_id: str) -> None:
    """Read with the official SDK, not with c8ydm's client."""
    c8y = CumulocityApi(
        base_url=fleet.url, tenant_id=fleet.tenant, username=fleet.user, password=fleet.password
    )
    device = next(iter(c8y.device_inventory.select(name=name)))
    body = device.to_full_json()
    assert body["c8y_Profile"] == {"profileId": profile_id, "profileName": PROFILE, "profileExecuted": True}
    assert body["c8y_Firmware"] == FW_ITEM
    installed = {item["name"]: item for item in body["c8y_SoftwareList"]}
    assert installed["e2e-nginx"] == NGINX and installed["e2e-mosq"] == MOSQ
    assert body["c8y_Configuration_tedge.toml"]["url"] == CONF_URL


def _static_group(fleet: SandboxInstance, name: str, members: list[str]) -> str:
    with admin(fleet) as http:
        group = http.post("/inventory/managedObjects", json={"name": name, "type": "c8y_DeviceGroup",
                                                             "c8y_IsDeviceGroup": {}}).json()  # fmt: skip
        devices = http.get(
            "/inventory/managedObjects", params={"fragmentType": "c8y_IsDevice", "pageSize": 2000}
        )
        ids = {mo["name"]: mo["id"] for mo in devices.json()["managedObjects"]}
        for member in members:
            reference = {"managedObject": {"id": ids[member]}}
            headers = {"Content-Type": "application/vnd.com.nsn.cumulocity.managedObjectReference+json"}
            http.post(f"/inventory/managedObjects/{group['id']}/childAssets", json=reference, headers=headers)
    return str(group["id"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("device", "install", "gateway-0002", "--profile", PROFILE),
         "device 'gateway-0002' does not support device profiles"),
        (("profile", "edit", PROFILE, "--device-type", "c8y_Gateway"),
         f"device profile '{PROFILE}' is not empty"),
        (("profile", "set", PROFILE, "--firmware", "e2e-gw-fw"),
         "firmware 'e2e-gw-fw' is for devices of type 'c8y_Gateway'; the profile is for 'c8y_Linux'"),
        (("profile", "set", PROFILE, "--software", "no-such-sw"),
         "software 'no-such-sw' is not in the software repository"),
    ],
)  # fmt: skip
def test_refusals_exit_2_naming_what_and_change_nothing(
    profile: dict[str, Any], cli: Callable[..., Any], args: tuple[str, ...], message: str
) -> None:
    run = cli.run(*args, "-o", "json")  # type: ignore[attr-defined]

    assert run.code == 2, run.stderr
    assert run.json()["error"]["message"].startswith(message)
    assert cli("profile", "show", PROFILE)["entry"]["lastUpdated"] == profile["entry"]["lastUpdated"]


def test_a_dry_run_of_set_prints_the_one_put_and_changes_nothing(
    profile: dict[str, Any], cli: Callable[..., Any]
) -> None:
    run = cli.run("profile", "set", PROFILE, "--remove-firmware", "--dry-run")  # type: ignore[attr-defined]

    assert run.code == 0, run.stderr
    records = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(records) == 1 and '"method": "PUT"' in records[0] and '"firmware"' not in records[0]
    assert cli("profile", "show", PROFILE)["entry"]["c8y_DeviceProfile"] == CONTENT


def test_a_pending_profile_operation_refuses_a_second_with_exit_7(
    silent_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> None:
    run = c8ydm_for(silent_sandbox)
    assert run("profile", "create", "e2e-silent", "--if-exists", "skip", "-o", "json").code == 0
    first = run("device", "install", "linux-0001", "--profile", "e2e-silent", "-o", "json")
    assert first.code == 0, first.stderr

    second = run("device", "install", "linux-0001", "--profile", "e2e-silent", "-o", "json")

    assert second.code == 7
    assert "device profile operation" in second.json()["error"]["message"]
    forced = run("device", "install", "linux-0001", "--profile", "e2e-silent", "--force", "-o", "json")
    assert forced.code == 0 and forced.json()["operations"][0]["status"] == "PENDING"
