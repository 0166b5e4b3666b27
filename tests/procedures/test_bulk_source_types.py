"""A copied operation keeps the device types of the repository entries behind it (issue 14:
"a device-type filter is never bypassed"; procedures/bulk/source_types.py, §2, §3.3, §5.2, §9)."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from device_fakes import MO, client, entry_query, mock_queries, router

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.procedures.bulk.source_types import source_device_types

__all__ = ["client", "router"]


def operation(**fields: Any) -> Operation:
    return Operation.model_validate({"id": "900", "deviceId": "4711", "status": "SUCCESSFUL", **fields})


def entry(entry_id: str, name: str, entry_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": entry_id, "name": name, "type": entry_type, **fields}


def test_firmware_and_software_entries_are_found_by_exact_name(
    client: Client, router: respx.MockRouter
) -> None:
    gateways = {"c8y_Filter": {"type": "c8y_Gateway"}}
    route = mock_queries(router, {
        entry_query("c8y_Firmware", "gw-os"): [entry("1", "gw-os", "c8y_Firmware", **gateways)],
        entry_query("c8y_Software", "nginx"): [entry("2", "nginx", "c8y_Software", **gateways)],
        entry_query("c8y_Software", "curl"): [entry("3", "curl", "c8y_Software", c8y_Filter={"type": ""})],
    })  # fmt: skip
    source = operation(
        c8y_Firmware={"name": "gw-os", "version": "2.5", "url": "https://x/gw"},
        c8y_SoftwareUpdate=[
            {"name": "nginx", "version": "1.24", "url": "", "action": "install"},
            {"name": "curl", "version": "8", "url": "", "action": "install"},
        ],
    )

    assert source_device_types(client, source) == {"gw-os": "c8y_Gateway", "nginx": "c8y_Gateway"}
    assert route.call_count == 3  # one §3.3 lookup per package, nothing else


def test_a_package_in_no_repository_restricts_nothing(client: Client, router: respx.MockRouter) -> None:
    mock_queries(router, {entry_query("c8y_Firmware", "vendor-os"): []})

    found = source_device_types(
        client, operation(c8y_Firmware={"name": "vendor-os", "version": "1", "url": "u"})
    )

    assert found == {}


def test_entries_of_one_name_for_different_types_make_the_copy_refused(
    client: Client, router: respx.MockRouter
) -> None:
    mock_queries(router, {entry_query("c8y_Firmware", "os"): [
        entry("1", "os", "c8y_Firmware", c8y_Filter={"type": "c8y_Gateway"}),
        entry("2", "os", "c8y_Firmware", c8y_Filter={"type": "c8y_Linux"}),
    ]})  # fmt: skip

    with pytest.raises(InputError) as refused:
        source_device_types(client, operation(c8y_Firmware={"name": "os", "version": "1", "url": "u"}))

    assert refused.value.message == (
        "2 firmware entries match 'os' of the copied operation, meant for different device types "
        "('c8y_Gateway', 'c8y_Linux'): which one the operation came from cannot be told"
    )
    assert refused.value.hint is not None and "--firmware" in refused.value.hint


def test_a_configuration_entry_is_found_by_its_url(client: Client, router: respx.MockRouter) -> None:
    url = "https://t100.example.com/inventory/binaries/55"
    query = f"$filter=((type eq 'c8y_ConfigurationDump') and (url eq '{url}'))"
    mock_queries(
        router, {query: [entry("5", "gw.conf", "c8y_ConfigurationDump", url=url, deviceType="c8y_Gateway")]}
    )

    found = source_device_types(client, operation(c8y_DownloadConfigFile={"url": url, "type": "agent"}))

    assert found == {"gw.conf": "c8y_Gateway"}


def test_a_profile_is_read_by_its_id(client: Client, router: respx.MockRouter) -> None:
    profile = entry(
        "7", "Gateway baseline", "c8y_Profile", c8y_Filter={"type": "c8y_Gateway"}, c8y_DeviceProfile={}
    )
    route = router.get(f"{MO}/7").respond(200, json=profile)

    found = source_device_types(
        client, operation(profileId="7", profileName="Gateway baseline", c8y_DeviceProfile={"firmware": {}})
    )

    assert found == {"Gateway baseline": "c8y_Gateway"}
    assert route.call_count == 1
