"""Which devices a rollout's operation fits, per kind, from the inventory listing alone."""

from __future__ import annotations

from typing import Any

import pytest

from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.rollout.operations import RolloutOperation, exclusion_reason

PROFILE_CONTENT = {
    "firmware": {"name": "linux-image", "version": "6.1.2", "url": "u"},
    "software": [{"name": "nginx", "version": "1.24.0", "url": "", "action": "install"}],
}
PROFILE = RolloutOperation(
    "profile",
    "device profile Baseline",
    {
        "description": "Apply device profile: Baseline",
        "profileId": "77",
        "profileName": "Baseline",
        "c8y_DeviceProfile": PROFILE_CONTENT,
    },
    "c8y_DeviceProfile",
    {"Baseline": "c8y_Linux"},
)
SOFTWARE = RolloutOperation(
    "software",
    "software nginx 1.24.0, curl 8.0",
    {
        "c8y_SoftwareUpdate": [
            {"name": "nginx", "version": "1.24.0", "action": "install"},
            {"name": "curl", "version": "8.0", "action": "install"},
        ]
    },
    "c8y_SoftwareUpdate",
)


def device(**fragments: Any) -> ManagedObject:
    body = {"id": "1", "name": "dev", "type": "c8y_Linux", "c8y_IsDevice": {},
            "c8y_SupportedOperations": ["c8y_DeviceProfile", "c8y_SoftwareUpdate"], **fragments}  # fmt: skip
    return ManagedObject.model_validate(body)


APPLIED = {
    "c8y_Profile": {"profileId": "77", "profileName": "Baseline", "profileExecuted": True},
    "c8y_Firmware": {"name": "linux-image", "version": "6.1.2"},
    "c8y_SoftwareList": [{"name": "nginx", "version": "1.24.0"}],
}


@pytest.mark.parametrize(
    ("fragments", "reason"),
    [
        (APPLIED, "already has device profile Baseline"),
        ({**APPLIED, "c8y_Profile": {**APPLIED["c8y_Profile"], "profileExecuted": False}}, None),
        ({**APPLIED, "c8y_Firmware": {"name": "linux-image", "version": "5.15.0"}}, None),  # drifted
        ({**APPLIED, "c8y_Profile": {"profileId": "78", "profileExecuted": True}}, None),  # another profile
        ({"type": "c8y_Gateway"}, "profile 'Baseline' is for devices of type 'c8y_Linux', not 'c8y_Gateway'"),
        ({"c8y_SupportedOperations": ["c8y_Firmware"]}, "does not support c8y_DeviceProfile"),
    ],
)
def test_a_device_profile_excludes_devices_that_run_it_unchanged(
    fragments: dict[str, Any], reason: str | None
) -> None:
    assert exclusion_reason(PROFILE, device(**fragments)) == reason


@pytest.mark.parametrize(
    ("fragments", "reason"),
    [
        ({"c8y_SoftwareList": [{"name": "nginx", "version": "1.24.0"}, {"name": "curl", "version": "8.0"}]},
         "already has software nginx 1.24.0, curl 8.0"),
        ({"c8y_Software": {"nginx": "1.24.0", "curl": "8.0"}}, "already has software nginx 1.24.0, curl 8.0"),
        ({"c8y_SoftwareList": [{"name": "nginx", "version": "1.24.0"}]}, None),  # curl is missing
        ({"c8y_SupportedOperations": ["c8y_SoftwareList"]}, "does not support c8y_SoftwareUpdate"),
    ],
)  # fmt: skip
def test_software_excludes_devices_with_every_item_installed_and_other_styles(
    fragments: dict[str, Any], reason: str | None
) -> None:
    assert exclusion_reason(SOFTWARE, device(**fragments)) == reason


CONFIGURATION = RolloutOperation(
    "configuration",
    "configuration tedge-base",
    {
        "description": "Update configuration to: tedge-base.",
        "c8y_DownloadConfigFile": {"type": "tedge.toml", "url": "https://x/inventory/binaries/9"},
    },
    "c8y_DownloadConfigFile",
    {"tedge-base": "c8y_Linux"},
)
TYPE = "tedge.toml"
TYPED = {"c8y_SupportedOperations": ["c8y_DownloadConfigFile"], "c8y_SupportedConfigurations": ["tedge.toml"]}


@pytest.mark.parametrize(
    ("fragments", "reason"),
    [
        (TYPED, None),
        (
            {
                **TYPED,
                "c8y_Configuration_tedge.toml": {
                    "type": "tedge.toml",
                    "url": "https://x/inventory/binaries/9",
                },
            },
            "already has configuration tedge-base",
        ),
        ({**TYPED, "c8y_Configuration_tedge.toml": {"url": "https://x/inventory/binaries/8"}}, None),
        (
            {**TYPED, "c8y_SupportedConfigurations": ["a"]},
            f"does not support the configuration type {TYPE!r}",
        ),
        ({"c8y_SupportedOperations": ["c8y_Firmware"]}, "does not support c8y_DownloadConfigFile"),
    ],
)
def test_a_typed_configuration_needs_its_type_and_skips_devices_that_report_its_url(
    fragments: dict[str, Any], reason: str | None
) -> None:
    assert exclusion_reason(CONFIGURATION, device(**fragments)) == reason
