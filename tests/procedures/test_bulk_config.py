"""Configuration as a bulk operation: the UI's prototype (§11.3) and the device-type rule over the
selection (refuse, naming how many devices of another type; warn about missing configuration types)."""

from __future__ import annotations

from typing import Any

import pytest
from support.repo_mock import BASE_URL, MO_PATH, ScriptedTenant, entry_mo, page

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.bulk.config_prototype import configuration_prototype
from c8ydm.procedures.bulk.create import BulkRequest, execute_bulk, plan_bulk
from c8ydm.procedures.bulk.selection import check_device_type
from c8ydm.procedures.origin import origin

OPTIONS = "/tenant/system/options/device-control"
BULK = "/devicecontrol/bulkoperations"
BIN_URL = f"{BASE_URL}/inventory/binaries/55"
ENTRY_QUERY = "$filter=((type eq 'c8y_ConfigurationDump') and (name eq 'agent'))"
GROUP_QUERY = "$filter=(((type eq 'c8y_DeviceGroup') or (type eq 'c8y_DynamicGroup')) and (name eq 'Field'))"
AGENT = entry_mo("20", "agent", "c8y_ConfigurationDump", url=BIN_URL, configurationType="tedge.toml",
                 deviceType="c8y_Linux")  # fmt: skip


def dev(
    mo_id: str, name: str, device_type: str = "c8y_Linux", types: tuple[str, ...] = ("tedge.toml",)
) -> Any:
    return {"id": mo_id, "name": name, "type": device_type, "c8y_IsDevice": {},
            "c8y_SupportedConfigurations": list(types)}  # fmt: skip


def refs(*children: dict[str, Any]) -> dict[str, Any]:
    return {"references": [{"managedObject": child} for child in children], "statistics": {"pageSize": 2000}}


def script(tenant: ScriptedTenant, entry: dict[str, Any] = AGENT) -> None:
    tenant.on("GET", MO_PATH, page([entry]), query=ENTRY_QUERY)
    tenant.on("GET", BULK, {"bulkOperations": [], "statistics": {"pageSize": 2000}})  # none running
    tenant.on("GET", f"{OPTIONS}/bulkoperation.creationramp", {"category": "device-control", "value": "0.1"})
    tenant.on(
        "GET", f"{OPTIONS}/bulkoperation.maxcreationramp", {"category": "device-control", "value": "60"}
    )


def static_group(tenant: ScriptedTenant, *children: dict[str, Any]) -> None:
    group = entry_mo("40", "Field", "c8y_DeviceGroup", c8y_IsDeviceGroup={})
    tenant.on("GET", MO_PATH, page([group]), query=GROUP_QUERY)
    tenant.on("GET", f"{MO_PATH}/40/childAssets", refs(*children))


def test_the_prototype_is_the_uis_with_the_type_and_url(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([AGENT]), query=ENTRY_QUERY)

    prototype = configuration_prototype(client, "agent", run_id="run-1")

    assert prototype.body == {
        "description": "Update configuration to: agent.",
        "c8y_DownloadConfigFile": {"type": "tedge.toml", "url": BIN_URL},
        "c8ydm_Origin": origin("run-1"),
    }
    assert prototype.device_types == {"agent": "c8y_Linux"}


def test_an_untyped_entry_has_no_type_and_must_be_in_the_tenant(
    client: Client, tenant: ScriptedTenant
) -> None:
    legacy = entry_mo("20", "agent", "c8y_ConfigurationDump", url=BIN_URL)
    external = entry_mo("21", "ext", "c8y_ConfigurationDump", url="https://files.example.com/a.conf")
    tenant.on("GET", MO_PATH, page([legacy]), query=ENTRY_QUERY)
    tenant.on("GET", MO_PATH, page([external]), query=ENTRY_QUERY.replace("agent", "ext"))

    assert configuration_prototype(client, "agent").body["c8y_DownloadConfigFile"] == {"url": BIN_URL}
    with pytest.raises(InputError, match="external URLs only work with the configuration typed devices"):
        configuration_prototype(client, "ext")


def test_a_group_with_devices_of_another_type_is_refused_naming_how_many(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)
    static_group(
        tenant, dev("1", "linux-1"), dev("2", "gw-2", "c8y_Gateway"), dev("3", "gw-3", "c8y_Gateway")
    )

    with pytest.raises(InputError) as refused:
        plan_bulk(client, BulkRequest(config="agent", group="Field"))

    assert str(refused.value) == (
        "configuration 'agent' is for devices of type 'c8y_Linux', but 2 of the 3 selected devices are not "
        "(gw-2, gw-3); nothing was scheduled"
    )
    assert exit_code_for(refused.value) == 2
    assert tenant.changes() == []


def test_devices_in_subgroups_are_checked_too(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant)
    subgroup = {"id": "41", "name": "Sub", "type": "c8y_DeviceSubgroup", "c8y_IsDeviceGroup": {}}
    static_group(tenant, dev("1", "linux-1"), subgroup)
    tenant.on("GET", f"{MO_PATH}/41/childAssets", refs(dev("2", "gw-2", "c8y_Gateway"), dev("1", "linux-1")))

    with pytest.raises(InputError, match=r"1 of the 2 selected devices is not \(gw-2\)"):
        plan_bulk(client, BulkRequest(config="agent", group="Field"))

    walked = [c.params.get("pageSize") for c in tenant.calls if c.path.endswith("/childAssets")]
    assert walked == ["2000", "2000"]


def test_devices_without_the_configuration_type_are_a_warning(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant)
    static_group(tenant, dev("1", "linux-1"), dev("3", "linux-3", types=()))

    plan = plan_bulk(client, BulkRequest(config="agent", group="Field"))

    assert plan.warnings == [
        "1 of the 2 selected devices lacks the configuration type 'tedge.toml' "
        "(c8y_SupportedConfigurations): their operations will fail"
    ]


def test_a_query_is_read_with_q_and_the_bulk_goes_to_a_hidden_group(
    client: Client, tenant: ScriptedTenant
) -> None:
    query = "$filter=(c8y_SupportedConfigurations eq 'tedge.toml')"
    script(tenant)
    devices = [dev("1", "linux-1"), dev("2", "linux-2")]
    tenant.on("GET", MO_PATH, page(devices, totalPages=1), q=query, pageSize="2000")  # as a tenant answers
    tenant.on("GET", MO_PATH, page(devices[:1], pageSize=1, totalPages=2), q=query, pageSize="1")  # a count
    orphans = r"$filter=(((type eq 'c8y_DynamicGroup') and (has(c8ydm_Origin))) and "
    orphans += r"(c8y_DeviceQueryString eq '$filter=\(c8y_SupportedConfigurations eq ''tedge.toml''\)'))"
    tenant.on("GET", MO_PATH, page([]), query=orphans)  # no hidden group left by an interrupted run
    tenant.on("POST", MO_PATH, {"id": "77", "name": "Bulk operations group"})
    tenant.on("POST", BULK, {"id": "42", "status": "ACTIVE"})

    plan = plan_bulk(client, BulkRequest(config="agent", query=query, start="now", ramp=1))
    execute_bulk(client, plan)

    surveyed = [
        c.params for c in tenant.calls if c.params.get("q") == query and c.params["pageSize"] == "2000"
    ]
    assert len(surveyed) == 1 and plan.warnings == []
    group, bulk = tenant.changes()
    assert group[2]["c8y_DeviceQueryString"] == query
    assert bulk[2]["groupId"] == "77" and bulk[2]["operationPrototype"]["c8y_DownloadConfigFile"] == {
        "type": "tedge.toml",
        "url": BIN_URL,
    }


def test_an_entry_for_all_device_types_is_not_refused(client: Client, tenant: ScriptedTenant) -> None:
    script(
        tenant, entry_mo("20", "agent", "c8y_ConfigurationDump", url=BIN_URL, configurationType="tedge.toml")
    )
    static_group(tenant, dev("1", "linux-1"), dev("2", "gw-2", "c8y_Gateway", ("tedge.toml",)))

    assert plan_bulk(client, BulkRequest(config="agent", group="Field")).warnings == []


def test_the_type_target_refuses_another_type_without_reading_devices(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant)

    with pytest.raises(InputError, match="'agent' is for devices of type 'c8y_Linux', not 'c8y_Gateway'"):
        plan_bulk(client, BulkRequest(config="agent", device_types=("c8y_Gateway",)))


def test_the_device_type_check_serves_any_entry_kind(client: Client, tenant: ScriptedTenant) -> None:
    dynamic = {"id": "50", "name": "Dyn", "type": "c8y_DynamicGroup", "c8y_DeviceQueryString": "type eq 'x*'"}
    tenant.on("GET", MO_PATH, page([dev("1", "x-1", "x1"), dev("2", "x-2", "x2")]), q="type eq 'x*'")

    with pytest.raises(InputError, match="firmware 'fw' is for devices of type 'x1', but 1 of the 2"):
        check_device_type(client, "firmware 'fw'", "x1", group=ManagedObject.model_validate(dynamic))


def test_references_without_the_objects_are_read_one_by_one(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant)
    thin = [
        {"id": i, "name": n, "self": f"{BASE_URL}{MO_PATH}/{i}"} for i, n in (("1", "linux-1"), ("2", "gw-2"))
    ]
    static_group(tenant, *thin)
    tenant.on("GET", f"{MO_PATH}/1", dev("1", "linux-1"))
    tenant.on("GET", f"{MO_PATH}/2", dev("2", "gw-2", "c8y_Gateway"))

    with pytest.raises(InputError, match=r"1 of the 2 selected devices is not \(gw-2\)"):
        plan_bulk(client, BulkRequest(config="agent", group="Field"))
