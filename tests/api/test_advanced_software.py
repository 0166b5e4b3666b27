"""Advanced software management as a client resource (contract §7.2)."""

from __future__ import annotations

import respx

from c8ydm.api.client import Client
from c8ydm.api.resources.advanced_software import AdvancedSoftware

APPS = "/application/applicationsByUser/admin"
SOFTWARE = "/service/advanced-software-mgmt/software"


def test_advanced_software_is_a_resource_built_once(client: Client) -> None:
    assert isinstance(client.advanced_software, AdvancedSoftware)
    assert client.advanced_software is client.advanced_software


def test_availability_is_read_from_the_users_applications(client: Client, router: respx.MockRouter) -> None:
    apps = {
        "applications": [{"id": "7", "name": "other"}, {"id": "8", "contextPath": "advanced-software-mgmt"}]
    }
    route = router.get(APPS).respond(200, json=apps)
    assert client.advanced_software.is_available("admin")
    assert dict(route.calls.last.request.url.params) == {"dropOverwrittenApps": "true", "noPaging": "true"}


def test_software_of_a_device_from_the_service(client: Client, router: respx.MockRouter) -> None:
    listed = {"softwareList": [{"name": "curl", "version": "8.0", "softwareType": "apt"}]}
    route = router.get(SOFTWARE).respond(200, json={**listed, "statistics": {"totalPages": 1}})
    items = list(client.advanced_software.list("4711", name="curl"))
    assert [(item.name, item.version, item.software_type) for item in items] == [("curl", "8.0", "apt")]
    assert dict(route.calls.last.request.url.params) == {
        "deviceId": "4711",
        "name": "curl",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }
