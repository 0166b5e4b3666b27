"""Configuration end to end through the real entry point, on a 15-device sandbox (conftest.fleet_sandbox).

The fleet (c8ydm/sandbox/devices/seed.py): linux-0001, linux-0006 and linux-0011 declare the typed
configurations tedge.toml and mosquitto.conf (linux-0011 answers configuration operations slowly);
gateway-0002 and gateway-0007 keep legacy snapshots; linux-0003 keeps a text configuration;
gateway-0014 fails every configuration operation. A device uploads what it last downloaded, so a
snapshot sent on comes back byte for byte. Every request is validated against the spec at the end
of the session (conftest.recorded_requests_follow_the_spec).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from e2e_support import Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

SAVED = "e2e-tedge-from-linux-0001"


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


@pytest.fixture(scope="module")
def c8ydm(fleet_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]) -> Any:
    return c8ydm_for(fleet_sandbox)


@pytest.fixture(scope="module")
def sdk(fleet_sandbox: SandboxInstance) -> CumulocityApi:
    """The official SDK: an independent reader of what c8ydm stored."""
    return CumulocityApi(
        base_url=fleet_sandbox.url,
        tenant_id=fleet_sandbox.tenant,
        username=fleet_sandbox.user,
        password=fleet_sandbox.password,
    )


@pytest.fixture(scope="module")
def saved(c8ydm: Callable[..., Run]) -> dict[str, Any]:
    """linux-0001's tedge.toml snapshot, requested, awaited and saved to the repository."""
    args = ("--type", "tedge.toml", "--wait", "--save-as", SAVED, "--description", "From linux-0001")
    return dict(ok(c8ydm("device", "snapshot", "linux-0001", *args, "-o", "json")))


def test_add_from_a_file_then_skip_only_when_the_content_is_the_same(
    c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "mosquitto.conf"
    path.write_text("listener 1883\n", encoding="utf-8")
    common = ("--type", "mosquitto.conf", "--device-type", "c8y_Linux", "-o", "json")

    added = ok(c8ydm("config", "add", "e2e-broker", "--file", str(path), *common))
    again = ok(c8ydm("config", "add", "e2e-broker", "--file", str(path), *common, "--if-exists", "skip"))
    path.write_text("listener 8883\n", encoding="utf-8")
    changed = c8ydm("config", "add", "e2e-broker", "--file", str(path), *common, "--if-exists", "skip")
    listed = ok(c8ydm("config", "list", "--type", "mosquitto.conf", "-o", "json"))

    assert added["status"] == "created" and added["entry"]["configurationType"] == "mosquitto.conf"
    assert again["status"] == "unchanged" and again["entry"]["id"] == added["entry"]["id"]
    assert changed.code == 7 and "exists with different content (--file differ)" in changed.stderr
    assert [entry["name"] for entry in listed] == ["e2e-broker"]


def test_a_snapshot_saved_with_its_type_is_what_an_independent_reader_finds(
    saved: dict[str, Any], sdk: CumulocityApi, c8ydm: Callable[..., Run]
) -> None:
    entry = sdk.inventory.get(saved["entry"]["id"]).to_full_json()
    binary_id = entry["url"].rsplit("/", 1)[-1]
    latest = ok(c8ydm("device", "snapshot", "linux-0001", "--type", "tedge.toml", "--latest", "-o", "json"))

    assert saved["operation"]["status"] == "SUCCESSFUL"
    assert saved["operation"]["c8y_UploadConfigFile"] == {"type": "tedge.toml"}
    assert saved["operation"]["c8ydm_Origin"]["tool"] == "c8ydm"
    assert (entry["name"], entry["type"], entry["description"]) == (
        SAVED,
        "c8y_ConfigurationDump",
        "From linux-0001",
    )
    assert (entry["configurationType"], entry["deviceType"]) == ("tedge.toml", "c8y_Linux")  # rule 14(h)
    assert sdk.binaries.read_file(binary_id) == latest["snapshot"]["content"].encode("utf-8")
    assert latest["operation"] is None and latest["snapshot"]["sha256"] == saved["snapshot"]["sha256"]


def test_sending_it_to_another_device_of_that_type_changes_its_configuration(
    saved: dict[str, Any], c8ydm: Callable[..., Run]
) -> None:
    sent = ok(c8ydm("device", "install", "linux-0006", "--config", SAVED, "--wait", "-o", "json"))
    shown = ok(c8ydm("device", "show", "linux-0006", "-o", "json"))
    snapshot = ok(c8ydm("device", "snapshot", "linux-0006", "--type", "tedge.toml", "--wait", "-o", "json"))

    operation = sent["operations"][0]
    assert operation["description"] == (
        f"Send configuration snapshot {SAVED} of configuration type tedge.toml to device linux-0006"
    )
    assert operation["c8y_DownloadConfigFile"] == {"url": saved["entry"]["url"], "type": "tedge.toml"}
    tedge = next(item for item in shown["configuration"]["types"] if item["type"] == "tedge.toml")
    assert tedge["reported"]["url"] == saved["entry"]["url"] and tedge["reported"]["name"] == SAVED
    assert tedge["lastOperation"]["id"] == operation["id"]
    assert snapshot["snapshot"]["sha256"] == saved["snapshot"]["sha256"]  # the same bytes came back


def test_a_configuration_for_another_device_type_is_refused(
    saved: dict[str, Any], c8ydm: Callable[..., Run]
) -> None:
    refused = c8ydm("device", "install", "gateway-0004", "--config", SAVED, "-o", "json")

    assert refused.code == 2
    assert (
        "is for devices of type 'c8y_Linux'; device 'gateway-0004' has type 'c8y_Gateway'" in refused.stderr
    )


def test_legacy_round_trip(c8ydm: Callable[..., Run], fleet_sandbox: SandboxInstance) -> None:
    taken = ok(
        c8ydm("device", "snapshot", "gateway-0002", "--wait", "--save-as", "e2e-gw-legacy", "-o", "json")
    )
    sent = ok(c8ydm("device", "install", "gateway-0007", "--config", "e2e-gw-legacy", "--wait", "-o", "json"))
    shown = ok(c8ydm("device", "show", "gateway-0007", "-o", "json"))
    back = ok(c8ydm("device", "snapshot", "gateway-0007", "--wait", "-o", "json"))

    assert taken["operation"]["c8y_UploadConfigFile"] == {}
    assert taken["snapshot"]["source"] == "c8y_ConfigurationDump"
    assert "configurationType" not in taken["entry"]
    operation = sent["operations"][0]
    assert operation["description"] == "Send configuration snapshot e2e-gw-legacy to device gateway-0007"
    assert operation["c8y_DownloadConfigFile"]["c8y_ConfigurationDump"] == {"id": taken["entry"]["id"]}
    legacy = next(item for item in shown["configuration"]["types"] if item["type"] is None)
    assert legacy["label"] == "Legacy configuration snapshot"
    assert legacy["reported"] == {"id": taken["entry"]["id"]}
    assert back["snapshot"]["sha256"] == taken["snapshot"]["sha256"]


def test_text_configuration_save_and_reload(c8ydm: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "linux-0003.conf"
    path.write_text("log_level=debug\nreport_interval=5\n", encoding="utf-8")

    saved = ok(c8ydm("device", "install", "linux-0003", "--config-text", str(path), "--wait", "-o", "json"))
    reloaded = ok(c8ydm("device", "snapshot", "linux-0003", "--text", "--wait", "-o", "json"))
    raw = c8ydm("device", "snapshot", "linux-0003", "--text", "--latest", "-o", "table")

    assert saved["operations"][0]["c8y_Configuration"] == {"config": "log_level=debug\nreport_interval=5\n"}
    assert reloaded["operation"]["description"] == "Requested current configuration"
    assert reloaded["snapshot"]["content"] == "log_level=debug\nreport_interval=5\n"
    assert raw.code == 0 and raw.stdout == "log_level=debug\nreport_interval=5\n"  # as is, nothing added


def test_a_second_send_while_the_first_runs_is_refused_naming_it(
    saved: dict[str, Any], c8ydm: Callable[..., Run]
) -> None:
    first = ok(c8ydm("device", "install", "linux-0011", "--config", SAVED, "-o", "json"))["operations"][0]
    second = c8ydm("device", "install", "linux-0011", "--config", SAVED, "-o", "json")
    waited = ok(
        c8ydm("device", "install", "linux-0011", "--config", SAVED, "--wait-pending", "--wait", "-o", "json")
    )

    assert second.code == 7
    assert second.json()["error"]["kind"] == "pending_operation"
    assert (
        f"configuration send of type 'tedge.toml' operation {first['id']}"
        in second.json()["error"]["message"]
    )
    assert waited["operations"][0]["status"] == "SUCCESSFUL" and waited["operations"][0]["id"] != first["id"]


def test_a_failing_device_exits_11_with_its_reason(c8ydm: Callable[..., Run]) -> None:
    failed = c8ydm("device", "snapshot", "gateway-0014", "--type", "gateway.json", "--wait", "-o", "json")

    assert failed.code == 11
    assert "Configuration upload failed: connection reset by peer" in failed.json()["error"]["message"]


@pytest.fixture(scope="module")
def linux_group(fleet_sandbox: SandboxInstance) -> Iterator[str]:
    """A static group of the two normal typed Linux devices (made through the REST API)."""
    with httpx.Client(base_url=fleet_sandbox.url, auth=fleet_sandbox.auth) as api:
        devices = api.get(
            "/inventory/managedObjects", params={"fragmentType": "c8y_IsDevice", "pageSize": 100}
        )
        ids = {mo["name"]: mo["id"] for mo in devices.json()["managedObjects"]}
        group = api.post(
            "/inventory/managedObjects",
            json={"name": "e2e typed linux", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}},
            headers={"Accept": "application/json"},
        ).json()
        for name in ("linux-0001", "linux-0006"):
            api.post(
                f"/inventory/managedObjects/{group['id']}/childAssets",
                json={"managedObject": {"id": ids[name]}},
                headers={"Content-Type": "application/vnd.com.nsn.cumulocity.managedObjectReference+json"},
            )
        yield str(group["name"])


def test_bulk_send_over_a_group(saved: dict[str, Any], c8ydm: Callable[..., Run], linux_group: str) -> None:
    bulk = ok(
        c8ydm(
            "bulk",
            "create",
            "--config",
            SAVED,
            "--group",
            linux_group,
            "--ramp",
            "0.1",
            "--wait",
            "-o",
            "json",
        )
    )
    refused = c8ydm("bulk", "create", "--config", SAVED, "--group", "Field test", "-o", "json")

    assert bulk["generalStatus"] == "SUCCESSFUL" and bulk["progress"]["successful"] == 2
    prototype = bulk["operationPrototype"]
    assert prototype["description"] == f"Update configuration to: {SAVED}."
    assert prototype["c8y_DownloadConfigFile"] == {"type": "tedge.toml", "url": saved["entry"]["url"]}
    assert refused.code == 2
    assert "but 1 of the 3 selected devices is not (gateway-0002)" in refused.json()["error"]["message"]


def test_edit_with_a_new_file_removes_the_old_one(
    c8ydm: Callable[..., Run], fleet_sandbox: SandboxInstance, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text("a = 1\n", encoding="utf-8")
    second.write_text("b = 2\n", encoding="utf-8")
    added = ok(c8ydm("config", "add", "e2e-edited", "--file", str(first), "-o", "json"))
    edited = ok(
        c8ydm("config", "edit", "e2e-edited", "--file", str(second), "--type", "tedge.toml", "-o", "json")
    )
    downloaded = ok(
        c8ydm("config", "download", "e2e-edited", "--to", str(tmp_path / "got.toml"), "-o", "json")
    )

    with httpx.Client(base_url=fleet_sandbox.url, auth=fleet_sandbox.auth) as api:
        old = api.get(added["entry"]["url"].replace(fleet_sandbox.url, ""))
    assert edited["configurationType"] == "tedge.toml" and edited["url"] != added["entry"]["url"]
    assert old.status_code == 404
    assert (tmp_path / "got.toml").read_text(encoding="utf-8") == "b = 2\n" and downloaded["size"] == 6


def test_to_writes_a_file_and_an_existing_one_is_refused_before_the_device_is_asked(
    saved: dict[str, Any], c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    written = ok(
        c8ydm("device", "snapshot", "linux-0001", "--type", "tedge.toml", "--latest", "--to", str(tmp_path))
    )
    before = ok(c8ydm("device", "operations", "linux-0001", "--limit", "1", "-o", "json"))
    refused = c8ydm(
        "device", "snapshot", "linux-0001", "--type", "tedge.toml", "--to", str(tmp_path), "-o", "json"
    )
    after = ok(c8ydm("device", "operations", "linux-0001", "--limit", "1", "-o", "json"))

    target = tmp_path / "linux-0001-tedge.toml"
    assert written["snapshot"]["path"] == str(target) and "content" not in written["snapshot"]
    assert target.read_bytes().decode("utf-8").startswith("# tedge.toml of linux-0001")
    assert refused.code == 2 and "already exists" in refused.stderr
    assert after == before  # no request was sent
