"""Compliance: a device against the profile it reports (contract §9.2 "Device side")."""

from __future__ import annotations

from typing import Any

import pytest
from profile_fakes import (
    FW_ITEM,
    MOSQUITTO_ITEM,
    NGINX_ITEM,
    PROFILE_PATH,
    PROFILE_QUERY,
    TEDGE_ITEM,
    profile_mo,
)
from support.repo_mock import MO_PATH, ScriptedTenant, page

from c8ydm.api.client import Client
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli.views.base import short_time
from c8ydm.cli.views.device import details_document, details_view
from c8ydm.cli.views.profile import devices_view
from c8ydm.procedures.device.compliance import Compliance, compare, profile_devices
from c8ydm.procedures.device.info import DeviceDetails, describe_device

CONTENT = {"firmware": FW_ITEM, "software": [NGINX_ITEM, MOSQUITTO_ITEM], "configuration": [TEDGE_ITEM]}
PROFILE = ManagedObject.model_validate(profile_mo(CONTENT))
ASSIGNED = {"profileId": "50", "profileName": "Baseline", "profileExecuted": True}
DEVICES_QUERY = "$filter=(c8y_Profile.profileId eq '50') $orderby=name asc"


def matching(**changes: Any) -> dict[str, Any]:
    """A device that has everything of the profile, then ``changes`` (None removes a fragment)."""
    body: dict[str, Any] = {
        "id": "4711",
        "name": "linux-0001",
        "type": "c8y_Linux",
        "c8y_IsDevice": {},
        "c8y_Profile": ASSIGNED,
        "c8y_Firmware": {**FW_ITEM, "url": "ignored"},
        "c8y_SoftwareList": [
            {"name": "openssl", "version": "3.0.2", "url": ""},
            {"name": "nginx", "version": "1.24.0", "url": "", "softwareType": "apt"},
            {"name": "mosquitto", "version": "2.0.18", "url": ""},
        ],
        "c8y_Configuration_tedge.toml": {"name": "x", "type": "tedge.toml", "url": TEDGE_ITEM["url"]},
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def differences(**changes: Any) -> tuple[list[str], list[str]]:
    mo = ManagedObject.model_validate(matching(**changes))
    listed = mo.fragment("c8y_SoftwareList")
    return compare(PROFILE, mo, listed)


def test_a_device_with_everything_of_its_profile_has_not_drifted() -> None:
    assert differences() == ([], [])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"c8y_Firmware": {"name": "linux-image", "version": "6.1.2"}},
         "firmware: linux-image 6.1.2, profile linux-image 6.1.3"),
        ({"c8y_Firmware": None}, "firmware: none reported, profile linux-image 6.1.3"),
        ({"c8y_SoftwareList": [{"name": "nginx", "version": "1.24.0"}]},
         "software mosquitto: not installed, profile 2.0.18"),
        ({"c8y_SoftwareList": [{"name": "nginx", "version": "1.18.0"},
                               {"name": "mosquitto", "version": "2.0.18"}]},
         "software nginx: 1.18.0, profile 1.24.0"),
        ({"c8y_Configuration_tedge.toml": {"url": "https://other/tedge.toml"}},
         f"configuration tedge.toml: url https://other/tedge.toml, profile {TEDGE_ITEM['url']}"),
        ({"c8y_Configuration_tedge.toml": None},
         f"configuration tedge.toml: not reported, profile {TEDGE_ITEM['url']}"),
    ],
)  # fmt: skip
def test_each_difference_is_named(changes: dict[str, Any], expected: str) -> None:
    assert differences(**changes) == ([expected], [])


def test_what_cannot_be_compared_is_unchecked_not_drift() -> None:
    profile = ManagedObject.model_validate(
        profile_mo({"software": [NGINX_ITEM], "configuration": [{"url": "u", "name": "legacy"}]})
    )
    device = ManagedObject.model_validate(matching(c8y_SoftwareList=None))

    assert compare(profile, device, None) == ([], ["software (the device reports no software list)",
                                                    "configuration legacy (no type)"])  # fmt: skip


def test_profile_devices_is_one_query_and_filters_client_side(client: Client, tenant: ScriptedTenant) -> None:
    drifted = matching(id="2", name="linux-0002", c8y_Firmware={"name": "linux-image", "version": "6.1.2"})
    running = matching(id="3", name="linux-0003", c8y_Profile={**ASSIGNED, "profileExecuted": False})
    legacy = matching(
        id="4", name="gw-4", c8y_SoftwareList=None, c8y_Software={"nginx": "1.24.0", "mosquitto": "2.0.18"}
    )
    tenant.on("GET", MO_PATH, page([profile_mo(CONTENT)]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([matching(), drifted, running, legacy]), query=DEVICES_QUERY)

    everyone = profile_devices(client, "Baseline")
    attention = profile_devices(client, "Baseline", is_not_executed=True, is_drifted=True)
    only_drifted = profile_devices(client, "Baseline", is_drifted=True)

    assert [(d.device.name, d.is_executed, d.is_drifted) for d in everyone.devices] == [
        ("linux-0001", True, False),
        ("linux-0002", True, True),
        ("linux-0003", False, False),
        ("gw-4", True, False),
    ]
    assert [d.device.name for d in attention.devices] == ["linux-0002", "linux-0003"]
    assert [d.device.name for d in only_drifted.devices] == ["linux-0002"]
    device_queries = [c.params for c in tenant.calls if c.params.get("query") == DEVICES_QUERY]
    assert len(device_queries) == 3 and device_queries[0]["pageSize"] == "2000"  # one query per listing
    assert len(tenant.calls) == 6
    assert devices_view(only_drifted).document == [
        {
            "id": "2",
            "name": "linux-0002",
            "type": "c8y_Linux",
            "c8y_Profile": ASSIGNED,
            "drifted": True,
            "differences": ["firmware: linux-image 6.1.2, profile linux-image 6.1.3"],
            "unchecked": [],
        }
    ]


def test_device_show_compares_with_the_profile_and_names_a_failed_operation_pending(
    client: Client, tenant: ScriptedTenant
) -> None:
    failed = {
        "id": "901", "status": "FAILED", "creationTime": "2024-05-02T00:00:00.000Z", "profileId": "51",
        "profileName": "Next", "c8y_DeviceProfile": {},
    }  # fmt: skip
    tenant.on("GET", "/devicecontrol/operations", {"operations": []}, fragmentType="c8y_Firmware")
    tenant.on("GET", "/devicecontrol/operations", {"operations": [failed]}, fragmentType="c8y_DeviceProfile")
    tenant.on("GET", PROFILE_PATH, profile_mo(CONTENT))
    body = matching(c8y_SupportedOperations=["c8y_Firmware", "c8y_DeviceProfile"], c8y_SoftwareList=None)

    details = describe_device(client, ManagedObject.model_validate(body))
    document = details_document(details)

    assert document["c8y_Profile"] == ASSIGNED
    assert document["profileDrift"] == {
        "drifted": False, "differences": [], "unchecked": ["software (the device reports no software list)"],
    }  # fmt: skip
    assert document["pendingProfile"] == {
        "profileId": "51",
        "profileName": "Next",
        "operationId": "901",
        "status": "FAILED",
    }
    assert document["lastProfileOperation"]["id"] == "901"


def test_device_show_card_names_the_profile_its_drift_and_the_pending_operation() -> None:
    device = ManagedObject.model_validate(matching(c8y_SupportedOperations=["c8y_DeviceProfile"]))
    drifted = Compliance(
        device, {**ASSIGNED, "profileExecuted": False}, PROFILE, ["firmware: x 1, profile y 2"]
    )
    failed = Operation.model_validate(
        {
            "id": "901",
            "status": "FAILED",
            "creationTime": "2024-05-02T00:00:00.000Z",
            "profileName": "Baseline",
        }
    )

    card = details_view(DeviceDetails(device, profile=drifted, last_profile_operation=failed)).card or {}

    assert {
        key: card[key] for key in ("profile", "profile drift", "pending profile", "last profile operation")
    } == {
        "profile": "Baseline (id 50, not executed)",
        "profile drift": "firmware: x 1, profile y 2",
        "pending profile": "Baseline (operation 901 FAILED)",
        "last profile operation": f"901 FAILED {short_time('2024-05-02T00:00:00.000Z')}",  # local, in a table
    }
    plain = ManagedObject.model_validate(
        {"id": "1", "name": "gw", "c8y_SupportedOperations": ["c8y_Firmware"]}
    )
    assert "profile" not in (details_view(DeviceDetails(plain)).card or {})
