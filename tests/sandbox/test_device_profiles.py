"""Simulated devices and device profiles (contract §9.2; the device-profile fragment docs).

A device announces the profile (``profileExecuted: false``) as it starts, applies firmware, then
software, then typed configuration, reporting each, and only then sets ``profileExecuted: true``.
A step it cannot do fails the operation there, with the earlier steps applied. Each test makes its
own device, so the shared sandbox's seeded fleet is left as it was.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from device_support import reload, run_operation

FIRMWARE = {"name": "linux-image", "version": "9.0.0", "url": "https://example.com/9.0.0.img"}
SOFTWARE = {"name": "nginx", "version": "1.24.0", "url": "", "softwareType": "apt", "action": "install"}
CONFIG = {"url": "https://example.com/tedge.toml", "name": "tedge-base", "type": "tedge.toml"}


def new_device(api: httpx.Client, operations: list[str], **fragments: Any) -> dict[str, Any]:
    body = {
        "name": f"profile-device-{uuid.uuid4().hex[:8]}",
        "type": "c8y_Linux",
        "c8y_IsDevice": {},
        "c8y_SupportedOperations": operations,
        **fragments,
    }
    response = api.post("/inventory/managedObjects", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def apply(api: httpx.Client, device: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    return run_operation(
        api,
        {
            "deviceId": device["id"],
            "profileId": "4711",
            "profileName": "Baseline",
            "c8y_DeviceProfile": profile,
            "description": f"Assign device profile Baseline to device {device['name']}",
        },
    )


ALL = ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile", "c8y_DownloadConfigFile"]


def test_a_profile_reports_each_step_and_then_the_profile_as_executed(api: httpx.Client) -> None:
    device = new_device(
        api, ALL, c8y_SupportedSoftwareTypes=["apt"], c8y_SupportedConfigurations=["tedge.toml"]
    )

    op = apply(api, device, {"firmware": FIRMWARE, "software": [SOFTWARE], "configuration": [CONFIG]})

    after = reload(api, device["id"])
    assert op["status"] == "SUCCESSFUL"
    assert after["c8y_Profile"] == {"profileId": "4711", "profileName": "Baseline", "profileExecuted": True}
    assert after["c8y_Firmware"] == FIRMWARE
    assert after["c8y_SoftwareList"] == [
        {"name": "nginx", "version": "1.24.0", "url": "", "softwareType": "apt"}
    ]
    assert {k: v for k, v in after["c8y_Configuration_tedge.toml"].items() if k != "time"} == {
        "name": "tedge-base",
        "type": "tedge.toml",
        "url": CONFIG["url"],
    }


@pytest.mark.parametrize(
    ("operations", "fragments", "profile", "reason", "applied"),
    [
        (
            ["c8y_SoftwareUpdate", "c8y_DeviceProfile"],
            {},
            {"firmware": FIRMWARE, "software": [SOFTWARE]},
            "Device profile failed at firmware: the device does not support firmware",
            [],
        ),
        (
            ["c8y_Firmware", "c8y_DeviceProfile"],
            {},
            {"firmware": FIRMWARE, "software": [SOFTWARE]},
            "Device profile failed at software: the device does not support software",
            ["c8y_Firmware"],
        ),
        (
            ALL,
            {"c8y_SupportedConfigurations": ["mosquitto.conf"]},
            {"firmware": FIRMWARE, "software": [SOFTWARE], "configuration": [CONFIG]},
            "Configuration type 'tedge.toml' is not supported by the device",
            ["c8y_Firmware", "c8y_SoftwareList"],
        ),
        (
            ALL,
            {"c8y_SupportedConfigurations": ["tedge.toml"]},
            {"firmware": FIRMWARE, "configuration": [{"url": "https://example.com/x", "name": "legacy"}]},
            "Device profile failed at configuration: 'legacy' has no configuration type",
            ["c8y_Firmware"],
        ),
    ],
)
def test_a_step_the_device_cannot_do_fails_the_profile_there(
    api: httpx.Client,
    operations: list[str],
    fragments: dict[str, Any],
    profile: dict[str, Any],
    reason: str,
    applied: list[str],
) -> None:
    device = new_device(api, operations, **fragments)

    op = apply(api, device, profile)

    after = reload(api, device["id"])
    assert op["status"] == "FAILED" and op["failureReason"].startswith(reason)
    assert after["c8y_Profile"] == {"profileId": "4711", "profileName": "Baseline", "profileExecuted": False}
    assert [name for name in ("c8y_Firmware", "c8y_SoftwareList") if name in after] == applied
