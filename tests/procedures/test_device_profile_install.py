"""Applying a device profile: the guard, the candidate check and the operation (contract §9.2, §11.3).

The bodies are compared exactly; refusals send nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from profile_fakes import (
    FW_ITEM,
    MOSQUITTO_ITEM,
    NGINX_ITEM,
    PROFILE_QUERY,
    TEDGE_ITEM,
    TOOL_ITEM,
    profile_mo,
)
from support.repo_mock import MO_PATH, ScriptedTenant, page

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.bulk.create import BulkRequest, plan_bulk
from c8ydm.procedures.bulk.profile import profile_prototype
from c8ydm.procedures.device.changes import execute_changes, plan_install
from c8ydm.procedures.device.pending import PROFILE_KIND, PendingOperationError
from c8ydm.procedures.device.profile import plan_profile_install
from c8ydm.procedures.repository.versions import PackageSpec

OPS = "/devicecontrol/operations"
RUN_ID = "run-1"
ORIGIN = {"tool": "c8ydm", "version": "0.1.0", "runId": RUN_ID}
CONTENT = {
    "firmware": FW_ITEM,
    "software": [NGINX_ITEM, MOSQUITTO_ITEM, TOOL_ITEM],
    "configuration": [TEDGE_ITEM],
}
MARKERS = {"softwareType!apt": {}, "softwareType!docker": {}}


def device(**fragments: Any) -> ManagedObject:
    body = {
        "id": "4711",
        "name": "linux-0001",
        "type": "c8y_Linux",
        "c8y_IsDevice": {},
        "c8y_SupportedOperations": ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile"],
        "c8y_SupportedSoftwareTypes": ["apt", "docker"],
    }
    body.update(fragments)
    return ManagedObject.model_validate({key: value for key, value in body.items() if value is not None})


def operation(status: str, op_id: str = "900") -> dict[str, Any]:
    return {
        "id": op_id,
        "status": status,
        "creationTime": "2024-05-01T12:00:00.000Z",
        "c8y_DeviceProfile": {},
    }


def script(tenant: ScriptedTenant, *, newest: list[dict[str, Any]] | None = None, **profile: Any) -> None:
    # The content is reversed in order on purpose: the operation puts §9.1's keys first.
    content = {
        "configuration": CONTENT["configuration"],
        "software": CONTENT["software"],
        "firmware": FW_ITEM,
    }
    tenant.on("GET", MO_PATH, page([profile_mo(content, **{**MARKERS, **profile})]), query=PROFILE_QUERY)
    tenant.on(
        "GET",
        OPS,
        {"operations": newest or [], "statistics": {"pageSize": 1}},
        fragmentType="c8y_DeviceProfile",
    )
    tenant.on("POST", OPS, lambda body: {**(body or {}), "id": "901", "status": "PENDING"})


def test_install_posts_the_section_9_2_operation(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant)

    plan = plan_install(client, device(), profile="Baseline", run_id=RUN_ID)
    changes = execute_changes(client, plan)

    assert tenant.changes() == [
        (
            "POST",
            OPS,
            {
                "deviceId": "4711",
                "profileId": "50",
                "profileName": "Baseline",
                "c8y_DeviceProfile": CONTENT,
                "description": "Assign device profile Baseline to device linux-0001",
                "c8ydm_Origin": ORIGIN,
            },
        )
    ]
    assert list(tenant.changes()[0][2]["c8y_DeviceProfile"]) == ["firmware", "software", "configuration"]
    assert [op.id for op in changes.operations] == ["901"] and plan.kinds() == [PROFILE_KIND]


def test_the_pending_check_reads_the_newest_profile_operation_as_section_9_2_does(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)

    plan_install(client, device(), profile="Baseline", run_id=RUN_ID)

    params = next(call.params for call in tenant.calls if call.path == OPS)
    assert {key: params[key] for key in ("deviceId", "fragmentType", "dateFrom", "revert", "pageSize")} == {
        "deviceId": "4711",
        "fragmentType": "c8y_DeviceProfile",
        "dateFrom": "1970-01-01T00:00:00.000Z",
        "revert": "true",
        "pageSize": "1",
    }
    assert "dateTo" in params


def test_a_device_without_software_types_gets_no_software_type(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)

    body = plan_profile_install(client, device(c8y_SupportedSoftwareTypes=None), "Baseline", run_id=RUN_ID)

    assert body["c8y_DeviceProfile"]["software"] == [
        {key: value for key, value in item.items() if key != "softwareType"} for item in CONTENT["software"]
    ]
    assert body["c8y_DeviceProfile"]["firmware"] == FW_ITEM and body["c8y_DeviceProfile"][
        "configuration"
    ] == [TEDGE_ITEM]


@pytest.mark.parametrize(
    ("target", "profile", "message"),
    [
        (
            device(c8y_SupportedOperations=["c8y_Firmware"]),
            {},
            "device 'linux-0001' does not support device profiles "
            "(c8y_DeviceProfile is not in its c8y_SupportedOperations)",
        ),
        (
            device(type="c8y_Gateway"),
            {},
            "device profile 'Baseline' is for devices of type 'c8y_Linux'; "
            "device 'linux-0001' has type 'c8y_Gateway'",
        ),
        (
            device(c8y_SupportedSoftwareTypes=["apt"]),
            {},
            "device profile 'Baseline' needs software type docker, which device 'linux-0001' does not "
            "support (c8y_SupportedSoftwareTypes: apt)",
        ),
        (  # a stale marker list: the items' own types count too
            device(c8y_SupportedSoftwareTypes=["apt"]),
            {"softwareType!docker": None},
            "device profile 'Baseline' needs software type docker",
        ),
    ],
)
def test_a_profile_that_is_no_candidate_exits_2_and_nothing_is_sent(
    client: Client, tenant: ScriptedTenant, target: ManagedObject, profile: dict[str, Any], message: str
) -> None:
    script(tenant, **profile)

    with pytest.raises(InputError) as raised:
        plan_install(client, target, profile="Baseline", run_id=RUN_ID)

    assert raised.value.message.startswith(message) and exit_code_for(raised.value) == 2
    assert tenant.changes() == []


def test_a_profile_without_device_type_fits_every_device(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant, c8y_Filter={})

    body = plan_profile_install(client, device(type="c8y_Gateway"), "Baseline", run_id=RUN_ID)

    assert body["profileId"] == "50"


def test_a_running_profile_operation_refuses_a_second_with_exit_7(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant, newest=[operation("EXECUTING")])

    plan = plan_install(client, device(), profile="Baseline", run_id=RUN_ID)
    with pytest.raises(PendingOperationError) as raised:
        execute_changes(client, plan)

    assert exit_code_for(raised.value) == 7 and "device profile operation 900 that is EXECUTING" in str(
        raised.value
    )
    assert tenant.changes() == []
    assert len(execute_changes(client, plan, is_forced=True).operations) == 1  # --force sends anyway


def test_a_failed_profile_operation_does_not_block_a_new_one(client: Client, tenant: ScriptedTenant) -> None:
    # §9.2 calls it "pending" (not SUCCESSFUL) for display; it will never run, so nothing can race it.
    script(tenant, newest=[operation("FAILED")])

    plan = plan_install(client, device(), profile="Baseline", run_id=RUN_ID)

    assert plan.pending == [] and len(execute_changes(client, plan).operations) == 1


def test_a_profile_is_not_combined_with_firmware_or_software(client: Client, tenant: ScriptedTenant) -> None:
    with pytest.raises(InputError, match="--profile applies a whole device profile"):
        plan_install(client, device(), firmware=PackageSpec("fw"), profile="Baseline")
    assert tenant.calls == []


def test_the_bulk_prototype_is_the_ui_one_with_the_profile_as_stored(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)

    prototype = profile_prototype(client, "Baseline", run_id=RUN_ID)

    assert prototype.body == {
        "description": "Apply device profile: Baseline",
        "profileId": "50",
        "profileName": "Baseline",
        "c8y_DeviceProfile": CONTENT,
        "c8ydm_Origin": ORIGIN,
    }
    assert prototype.device_types == {"Baseline": "c8y_Linux"}


def test_bulk_for_devices_of_another_type_is_refused_before_anything_is_created(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)

    with pytest.raises(InputError, match="'Baseline' is for devices of type 'c8y_Linux', not 'c8y_Gateway'"):
        plan_bulk(client, BulkRequest(profile="Baseline", device_types=("c8y_Gateway",)))
    assert tenant.changes() == []


def test_bulk_takes_exactly_one_source() -> None:
    with pytest.raises(InputError, match="give exactly one source"):
        BulkRequest(profile="Baseline", firmware="fw", group="G")
