"""Planning a rollout (read only): exclusions with reasons, a stable seeded shuffle, the waves."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from device_fakes import client, entry_query, mock_queries, router, versions_query

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.rollout.planner import Excluded, plan_rollout, shuffled
from c8ydm.procedures.rollout.request import RolloutRequest

__all__ = ["client", "router"]  # fixtures

GROUP = {"id": "500", "name": "Fleet", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}
MEMBERS_QUERY = "$filter=((has(c8y_IsDevice)) and (bygroupid(500)))"
FW_ENTRY = {"id": "100", "name": "linux-image", "type": "c8y_Firmware", "c8y_Filter": {"type": "c8y_Linux"}}
FW_VERSION = {
    "id": "101",
    "type": "c8y_FirmwareBinary",
    "c8y_Firmware": {"version": "6.1.2", "url": "https://x/6.1.2"},
}


def device(number: int, **fragments: Any) -> dict[str, Any]:
    return {
        "id": str(number),
        "name": f"dev-{number}",
        "type": "c8y_Linux",
        "c8y_IsDevice": {},
        "c8y_SupportedOperations": ["c8y_Firmware"],
        "c8y_Firmware": {"name": "linux-image", "version": "5.15.0"},
        **fragments,
    }


def fleet() -> list[dict[str, Any]]:
    devices = [device(n) for n in range(1, 21)]
    devices[2]["c8y_SupportedOperations"] = ["c8y_SoftwareUpdate"]
    devices[5]["type"] = "c8y_Gateway"
    devices[7]["c8y_Firmware"] = {"name": "linux-image", "version": "6.1.2", "url": "https://x/6.1.2"}
    return devices


@pytest.fixture
def tenant(router: respx.MockRouter) -> list[dict[str, Any]]:
    devices = fleet()
    group_query = (
        "$filter=(((type eq 'c8y_DeviceGroup') or (type eq 'c8y_DynamicGroup')) and (name eq 'Fleet'))"
    )
    mock_queries(
        router,
        {
            entry_query("c8y_Firmware", "linux-image"): [FW_ENTRY],
            versions_query("100"): [FW_VERSION],
            group_query: [GROUP],
            MEMBERS_QUERY: devices,
        },
    )
    router.get(url__regex=r"/tenant/system/options/.*").respond(404, json={"error": "options/notFound"})
    return devices


def request(**fields: Any) -> RolloutRequest:
    return RolloutRequest(**{"firmware": "linux-image@6.1.2", "group": "Fleet", "seed": 7, **fields})


def test_the_plan_excludes_devices_that_cannot_take_it_or_have_it_with_the_reason(
    client: Client, tenant: list[dict[str, Any]]
) -> None:
    planned = plan_rollout(client, request())

    assert planned.excluded == [
        Excluded("3", "dev-3", "does not support c8y_Firmware"),
        Excluded(
            "6", "dev-6", "firmware 'linux-image' is for devices of type 'c8y_Linux', not 'c8y_Gateway'"
        ),
        Excluded("8", "dev-8", "already has firmware linux-image 6.1.2"),
    ]
    plan = planned.plan
    assert (plan.selected, plan.devices, plan.excluded_count) == (20, 17, 3)
    assert plan.target == {"group": {"id": "500", "name": "Fleet"}}
    assert planned.name == "firmware linux-image 6.1.2 to group 'Fleet'"
    assert plan.operation.prototype == {
        "description": "Update firmware to: linux-image (version: 6.1.2).",
        "c8y_Firmware": {"name": "linux-image", "version": "6.1.2", "url": "https://x/6.1.2"},
    }
    assert plan.settings.ramp == 1.0  # the bulk default, within the tenant's bounds


def test_waves_are_a_seeded_shuffle_cut_by_counts_and_cumulative_shares(
    client: Client, tenant: list[dict[str, Any]]
) -> None:
    plan = plan_rollout(client, request(waves="2,25%,100%")).plan

    assert [len(wave) for wave in plan.waves] == [2, 3, 12]  # 25% of 17 is 5 (rounded up): 3 more
    included = [d["id"] for d in tenant if d["id"] not in ("3", "6", "8")]
    assert [device for wave in plan.waves for device in wave] == shuffled(included, 7)
    assert plan.waves != [included[:2], included[2:5], included[5:]]  # a sample, not the first ones


def test_the_order_is_the_same_for_the_same_seed_whatever_order_the_tenant_lists(
    client: Client, router: respx.MockRouter, tenant: list[dict[str, Any]]
) -> None:
    first = plan_rollout(client, request()).plan
    tenant.reverse()

    second = plan_rollout(client, request()).plan

    assert second.waves == first.waves and second.fingerprint == first.fingerprint
    assert plan_rollout(client, request(seed=8)).plan.waves != first.waves


def test_waves_that_do_not_reach_every_device_are_refused(
    client: Client, tenant: list[dict[str, Any]]
) -> None:
    with pytest.raises(InputError) as refused:
        plan_rollout(client, request(waves="5,50%"))

    assert refused.value.message == "--waves 5,50% reaches 9 of the 17 targeted devices"
    assert refused.value.hint == "end --waves with 100% so that every device gets a wave"
