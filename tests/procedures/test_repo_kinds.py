"""A repository kind is a spec: the configuration kind (single level, ``deviceType``, one PUT per edit)
runs through the same add, list, edit and delete code as firmware and software (contract §5)."""

from __future__ import annotations

from pathlib import Path

from support.repo_mock import (
    BIN_URL,
    GLOBAL,
    MO_PATH,
    REFERENCE_TYPE,
    ScriptedTenant,
    binary_mo,
    entry_mo,
    page,
    script_no_leftovers,
    upload_marker,
)

from c8ydm.api.client import Client
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.delete import execute_delete, plan_delete
from c8ydm.procedures.repository.kinds import CONFIGURATION, FIRMWARE
from c8ydm.procedures.repository.lookup import list_query
from c8ydm.procedures.repository.manage import EditRequest, edit_entry

CONFIG_QUERY = "$filter=((type eq 'c8y_ConfigurationDump') and (name eq 'agent.ini'))"


def test_configuration_add_is_upload_entry_with_url_then_link_to_the_entry(
    client: Client, tenant: ScriptedTenant, firmware_file: Path
) -> None:
    tenant.on("GET", MO_PATH, page([]), query=CONFIG_QUERY)
    tenant.on("GET", MO_PATH, page([]), type=GLOBAL)
    script_no_leftovers(tenant)
    tenant.on("POST", "/inventory/binaries", binary_mo("11"))
    tenant.on("POST", MO_PATH, entry_mo("10", "agent.ini", "c8y_ConfigurationDump", url=BIN_URL))
    tenant.on("POST", f"{MO_PATH}/10/childAdditions", {"managedObject": {"id": "11"}})
    request = AddRequest(
        CONFIGURATION,
        "agent.ini",
        file=firmware_file,
        description="Agent",
        device_type="c8y_Linux",
        fields={"configurationType": "agent"},
    )

    result = execute_add(client, plan_add(client, request))

    assert result.status == "created" and result.version is None
    assert tenant.calls[1].params["fragmentType"] == "c8y_ConfigurationAsGlobal"
    upload, entry, link = tenant.changes()
    assert upload[2]["object"] == {
        "name": "fw.bin",
        "type": "application/octet-stream",
        "c8y_Global": {},
        "c8ydm_Upload": upload_marker({"type": "c8y_ConfigurationDump", "name": "agent.ini"}),
    }
    assert entry == (
        "POST",
        MO_PATH,
        {
            "name": "agent.ini",
            "description": "Agent",
            "type": "c8y_ConfigurationDump",
            "url": BIN_URL,
            "configurationType": "agent",
            "deviceType": "c8y_Linux",
            "c8y_Global": {},
        },
    )
    assert link == ("POST", f"{MO_PATH}/10/childAdditions", {"managedObject": {"id": "11"}})
    assert tenant.calls[-1].content_type == REFERENCE_TYPE


def test_configuration_list_filters_on_device_type_and_configuration_type() -> None:
    assert list_query(CONFIGURATION, device_type="c8y_Linux", fields={"configurationType": "agent"}) == (
        "$filter=(((type eq 'c8y_ConfigurationDump') and ((deviceType eq 'c8y_Linux') or "
        "(not(has(deviceType))))) and (configurationType eq 'agent')) $orderby=name asc"
    )


def test_configuration_edit_is_one_put_of_the_whole_entry_with_a_cleared_device_type_as_null(
    client: Client, tenant: ScriptedTenant
) -> None:
    current = entry_mo(
        "10", "agent.ini", "c8y_ConfigurationDump", description="Agent", url=BIN_URL, deviceType="c8y_Linux"
    )
    tenant.on("GET", MO_PATH, page([current]), query=CONFIG_QUERY)
    tenant.on("PUT", f"{MO_PATH}/10", current)

    edit_entry(
        client, "agent.ini", EditRequest(CONFIGURATION, description="Agent v2", clear_device_type=True)
    )

    assert tenant.changes() == [
        (
            "PUT",
            f"{MO_PATH}/10",
            {
                "id": "10",
                "name": "agent.ini",
                "description": "Agent v2",
                "type": "c8y_ConfigurationDump",
                "url": BIN_URL,
                "deviceType": None,
            },
        )
    ]


def test_configuration_delete_is_the_whole_entry(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on(
        "GET", MO_PATH, page([entry_mo("10", "agent.ini", "c8y_ConfigurationDump")]), query=CONFIG_QUERY
    )
    tenant.on("DELETE", f"{MO_PATH}/10", 204)

    plan = plan_delete(client, CONFIGURATION, "agent.ini")
    execute_delete(client, plan)

    assert plan.question == "Delete configuration 'agent.ini' (id 10)?"
    assert tenant.changes() == [("DELETE", f"{MO_PATH}/10?forceCascade=true", None)]


def test_firmware_device_type_clears_to_an_empty_filter_and_configuration_to_null() -> None:
    assert FIRMWARE.device_type_body(None) == {"c8y_Filter": {"type": ""}}
    assert CONFIGURATION.device_type_body(None) == {"deviceType": None}
