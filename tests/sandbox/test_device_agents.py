"""Simulated device agents: every operation style of the contract changes the device (§6–§9)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from device_support import checked_client, device, reload, run_operation
from support.sandbox import SandboxInstance


@pytest.fixture
def asm_api(sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    """For the advanced software management service, which the core spec does not describe."""
    with checked_client(sandbox.url, sandbox.auth) as client:
        yield client


def _origin() -> dict[str, Any]:
    return {"tool": "c8ydm", "version": "0.1.0", "runId": uuid.uuid4().hex}


def test_firmware_install_reports_the_new_firmware(api: httpx.Client) -> None:
    target = device(api, "linux-0001")
    version = f"7.0.{uuid.uuid4().int % 1000}"
    fw = {"name": "linux-image", "version": version, "url": "https://example.com/fw.img"}
    op = run_operation(
        api,
        {
            "deviceId": target["id"],
            "description": f'Update firmware to: "linux-image" (version: {version})',
            "c8y_Firmware": fw,
            "c8ydm_Origin": _origin(),
        },
    )
    assert op["status"] == "SUCCESSFUL"
    assert reload(api, target["id"])["c8y_Firmware"] == fw


def test_firmware_patch_reports_dependency_and_is_patch(api: httpx.Client) -> None:
    target = device(api, "gateway-0002")
    fw = {"name": "gw-os", "version": "2.3.1-p2", "url": "", "dependency": "2.3.1", "isPatch": True}
    assert run_operation(api, {"deviceId": target["id"], "c8y_Firmware": fw})["status"] == "SUCCESSFUL"
    assert reload(api, target["id"])["c8y_Firmware"] == fw


def test_firmware_on_a_device_without_support_fails_with_a_reason(api: httpx.Client) -> None:
    target = device(api, "linux-0003")
    op = run_operation(
        api, {"deviceId": target["id"], "c8y_Firmware": {"name": "x", "version": "1", "url": ""}}
    )
    assert op["status"] == "FAILED"
    assert "c8y_Firmware is not supported" in op["failureReason"]
    assert "c8y_Firmware" not in reload(api, target["id"])


def test_download_of_a_missing_internal_binary_fails(api: httpx.Client, sandbox: SandboxInstance) -> None:
    target = device(api, "linux-0001")
    url = f"{sandbox.url}/inventory/binaries/999999999"
    op = run_operation(
        api, {"deviceId": target["id"], "c8y_Firmware": {"name": "a", "version": "1", "url": url}}
    )
    assert (op["status"], op["failureReason"]) == ("FAILED", f"Download of {url} failed: 404 Not Found")


def test_software_update_changes_list_and_advanced_software_management(
    api: httpx.Client, asm_api: httpx.Client
) -> None:
    target = device(api, "linux-0001")
    name = f"pkg-{uuid.uuid4().hex[:6]}"
    install = [{"name": name, "version": "1.0", "url": "", "softwareType": "apt", "action": "install"}]
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_SoftwareUpdate": install})["status"]
        == "SUCCESSFUL"
    )
    listed = reload(api, target["id"])["c8y_SoftwareList"]
    assert {"name": name, "version": "1.0", "url": "", "softwareType": "apt"} in listed
    service = asm_api.get(
        "/service/advanced-software-mgmt/software",
        params={"deviceId": target["id"], "name": name, "pageSize": 50},
    ).json()
    assert service["softwareList"] == [{"name": name, "version": "1.0", "url": "", "softwareType": "apt"}]
    remove = [{"name": name, "version": "1.0", "action": "delete"}]
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_SoftwareUpdate": remove})["status"] == "SUCCESSFUL"
    )
    assert all(item["name"] != name for item in reload(api, target["id"])["c8y_SoftwareList"])
    gone = asm_api.get(
        "/service/advanced-software-mgmt/software", params={"deviceId": target["id"], "name": name}
    )
    assert gone.json()["softwareList"] == []


def test_unsupported_software_type_fails(api: httpx.Client) -> None:
    target = device(api, "linux-0003")  # declares apt only
    items = [{"name": "redis", "version": "7", "url": "", "softwareType": "docker", "action": "install"}]
    op = run_operation(api, {"deviceId": target["id"], "c8y_SoftwareUpdate": items})
    assert op["status"] == "FAILED"
    assert "software type 'docker' is not supported" in op["failureReason"]


def test_software_list_replaces_the_list(api: httpx.Client) -> None:
    target = device(api, "gateway-0002")
    desired = [
        {"name": "agent", "version": "2.0", "url": ""},
        {"name": "collectd", "version": "5.12.0", "url": ""},
    ]
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_SoftwareList": desired})["status"] == "SUCCESSFUL"
    )
    assert reload(api, target["id"])["c8y_SoftwareList"] == desired


def test_legacy_software_map_is_replaced(api: httpx.Client) -> None:
    target = device(api, "gateway-0004")
    desired = {"collectd": "5.13.0", "tedge-agent": "1.0.0"}
    assert run_operation(api, {"deviceId": target["id"], "c8y_Software": desired})["status"] == "SUCCESSFUL"
    assert reload(api, target["id"])["c8y_Software"] == desired


def test_typed_configuration_download_and_upload(api: httpx.Client, sandbox: SandboxInstance) -> None:
    target = device(api, "linux-0001")
    url = "https://example.com/configs/tedge.toml"
    download = {"url": url, "type": "tedge.toml"}
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_DownloadConfigFile": download})["status"]
        == "SUCCESSFUL"
    )
    reported = reload(api, target["id"])["c8y_Configuration_tedge.toml"]
    assert (reported["type"], reported["url"], reported["name"]) == ("tedge.toml", url, "tedge.toml")
    op = run_operation(api, {"deviceId": target["id"], "c8y_UploadConfigFile": {"type": "mosquitto.conf"}})
    assert op["status"] == "SUCCESSFUL"
    events = api.get(
        "/event/events",
        params={
            "source": target["id"],
            "type": "mosquitto.conf",
            "pageSize": 1,
            "dateFrom": "1970-01-01T00:00:00.000Z",
        },
    ).json()["events"]
    assert events and events[0]["c8y_IsBinary"]["type"] == "text/plain"
    # Not through `api`: the spec lists only application/octet-stream for this download, while the
    # platform answers with the attachment's own type (endpoints/event_binaries.py).
    content = httpx.get(f"{sandbox.url}/event/events/{events[0]['id']}/binaries", auth=sandbox.auth)
    assert content.status_code == 200 and b"mosquitto.conf of linux-0001" in content.content
    unknown = run_operation(api, {"deviceId": target["id"], "c8y_UploadConfigFile": {"type": "nope.conf"}})
    assert unknown["status"] == "FAILED" and "not supported" in unknown["failureReason"]


def test_legacy_configuration_upload_then_download(api: httpx.Client, sandbox: SandboxInstance) -> None:
    target = device(api, "gateway-0002")
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_UploadConfigFile": {}})["status"] == "SUCCESSFUL"
    )
    dump_id = reload(api, target["id"])["c8y_ConfigurationDump"]["id"]
    dump = api.get(f"/inventory/managedObjects/{dump_id}").json()
    assert dump["type"] == "c8y_ConfigurationDump" and dump["url"].startswith(
        f"{sandbox.url}/inventory/binaries/"
    )
    content = api.get(dump["url"].replace(sandbox.url, ""), headers={"Accept": "*/*"})
    assert b"legacy configuration of gateway-0002" in content.content
    spec = {"url": dump["url"], "c8y_ConfigurationDump": {"id": dump_id}}
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_DownloadConfigFile": spec})["status"]
        == "SUCCESSFUL"
    )
    external = run_operation(
        api, {"deviceId": target["id"], "c8y_DownloadConfigFile": {"url": "https://example.com/x.cfg"}}
    )
    assert external["status"] == "FAILED"  # legacy devices need a repository snapshot (contract §5.3)


def test_text_configuration_save_and_reload(api: httpx.Client) -> None:
    target = device(api, "linux-0003")
    text = f"log_level=debug\nid={uuid.uuid4().hex}\n"
    assert (
        run_operation(
            api,
            {
                "deviceId": target["id"],
                "description": "Configuration update",
                "c8y_Configuration": {"config": text},
            },
        )["status"]
        == "SUCCESSFUL"
    )
    assert reload(api, target["id"])["c8y_Configuration"] == {"config": text}
    assert (
        run_operation(api, {"deviceId": target["id"], "c8y_SendConfiguration": {}})["status"] == "SUCCESSFUL"
    )
    assert reload(api, target["id"])["c8y_Configuration"] == {"config": text}


def test_device_profile_applies_everything_then_reports_the_profile(api: httpx.Client) -> None:
    target = device(api, "linux-0001")
    profile = {
        "firmware": {"name": "linux-image", "version": "8.0.0", "url": ""},
        "software": [
            {
                "name": "profile-pkg",
                "version": "3.1",
                "url": "",
                "softwareType": "docker",
                "action": "install",
            }
        ],
        "configuration": [
            {"url": "https://example.com/p.toml", "name": "Profile config", "type": "tedge.toml"}
        ],
    }
    op = run_operation(
        api,
        {
            "deviceId": target["id"],
            "profileId": "4711",
            "profileName": "Baseline",
            "c8y_DeviceProfile": profile,
            "description": "Assign device profile Baseline to device linux-0001",
        },
    )
    assert op["status"] == "SUCCESSFUL"
    after = reload(api, target["id"])
    assert after["c8y_Profile"] == {"profileId": "4711", "profileName": "Baseline", "profileExecuted": True}
    assert after["c8y_Firmware"] == profile["firmware"]
    assert {"name": "profile-pkg", "version": "3.1", "url": "", "softwareType": "docker"} in after[
        "c8y_SoftwareList"
    ]
    assert after["c8y_Configuration_tedge.toml"]["url"] == "https://example.com/p.toml"


def test_restart_succeeds_without_changes(api: httpx.Client) -> None:
    target = device(api, "gateway-0004")
    before = reload(api, target["id"])
    assert run_operation(api, {"deviceId": target["id"], "c8y_Restart": {}})["status"] == "SUCCESSFUL"
    assert reload(api, target["id"])["c8y_Firmware"] == before["c8y_Firmware"]


def test_advanced_software_management_is_an_application_of_the_user(
    api: httpx.Client, asm_api: httpx.Client
) -> None:
    apps = api.get(
        "/application/applicationsByUser/admin", params={"dropOverwrittenApps": "true", "noPaging": "true"}
    )
    assert apps.status_code == 200
    assert "advanced-software-mgmt" in [a["contextPath"] for a in apps.json()["applications"]]
    plain = device(api, "gateway-0002")  # does not use the service
    listed = asm_api.get("/service/advanced-software-mgmt/software", params={"deviceId": plain["id"]}).json()
    assert listed["softwareList"] == []
