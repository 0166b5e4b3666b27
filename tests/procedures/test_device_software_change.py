"""Software changes: one operation in the device's style, exact bodies and descriptions (contract §7.4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx
from device_fakes import (
    OPS,
    ORIGIN,
    RUN_ID,
    body_of,
    client,
    device,
    entry_query,
    mock_created_operation,
    mock_queries,
    mock_user_without_service,
    router,
    sent,
    versions_query,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.device.changes import install_on_device, remove_from_device
from c8ydm.procedures.device.software import plan_software_change
from c8ydm.procedures.repository.versions import PackageSpec

__all__ = ["client", "router"]  # fixtures

NGINX_URL = "https://pkg.example.com/nginx-1.24.0"


def entry(mo_id: str, name: str, software_type: str | None = None, **extra: Any) -> dict[str, Any]:
    doc = {"id": mo_id, "name": name, "type": "c8y_Software", **extra}
    if software_type:
        doc["softwareType"] = software_type
    return doc


def version(mo_id: str, v: str, url: str) -> dict[str, Any]:
    return {"id": mo_id, "type": "c8y_SoftwareBinary", "c8y_Software": {"version": v, "url": url}}


@pytest.fixture
def repository(router: respx.MockRouter) -> respx.Route:
    mock_user_without_service(router)
    return mock_queries(
        router,
        {
            entry_query("c8y_Software", "nginx"): [entry("200", "nginx", "apt")],
            versions_query("200"): [version("201", "1.24.0", NGINX_URL)],
            entry_query("c8y_Software", "redis"): [entry("300", "redis", "docker")],
            versions_query("300"): [version("301", "7.0", "https://pkg.example.com/redis-7.0")],
            entry_query("c8y_Software", "curl"): [entry("400", "curl", "apt")],
            versions_query("400"): [version("401", "7.81.0", "")],
            entry_query("c8y_Software", "winapp"): [
                entry("500", "winapp", None, c8y_Filter={"type": "c8y_Windows"})
            ],
        },
    )


INSTALLED = [
    {"name": "curl", "version": "7.81.0", "url": "", "softwareType": "apt"},
    {"name": "openssl", "version": "3.0.2", "url": "", "softwareType": "apt"},
]


def test_software_update_style_sends_a_change_list_with_ids_and_types(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)
    linux = device(c8y_SupportedSoftwareTypes=["apt", "docker"], c8y_SoftwareList=INSTALLED)

    changes = install_on_device(
        client, linux, software=[PackageSpec("nginx", "1.24.0"), PackageSpec("redis")], run_id=RUN_ID
    )

    assert len(changes.operations) == 1
    assert body_of(route) == {
        "deviceId": "4711",
        "description": 'Apply software changes: install "nginx" (version: 1.24.0), '
        'install "redis" (version: 7.0)',
        "c8y_SoftwareUpdate": [
            {
                "id": "201",
                "name": "nginx",
                "version": "1.24.0",
                "url": NGINX_URL,
                "softwareType": "apt",
                "action": "install",
            },
            {
                "id": "301",
                "name": "redis",
                "version": "7.0",
                "url": "https://pkg.example.com/redis-7.0",
                "softwareType": "docker",
                "action": "install",
            },
        ],
        "c8ydm_Origin": ORIGIN,
    }


def test_software_type_is_left_out_when_the_device_declares_no_types(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    plan = plan_software_change(client, device(c8y_SoftwareList=[]), install=[PackageSpec("nginx")])

    assert plan.body is not None
    assert plan.body["c8y_SoftwareUpdate"] == [
        {"id": "201", "name": "nginx", "version": "1.24.0", "url": NGINX_URL, "action": "install"}
    ]


def test_software_list_style_sends_the_complete_desired_list(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)
    gateway = device(
        name="gw-2",
        device_type="c8y_Gateway",
        operations=("c8y_SoftwareList",),
        c8y_SoftwareList=[
            {"name": "curl", "version": "7.0", "url": "", "extra": 1},
            {"name": "openssl", "version": "3.0.2", "url": ""},
        ],
    )

    changes = install_on_device(
        client, gateway, software=[PackageSpec("curl"), PackageSpec("nginx")], run_id=RUN_ID
    )

    assert changes.unchanged == []
    assert body_of(route) == {
        "deviceId": "4711",
        "description": 'Apply software changes: install "curl" (version: 7.81.0), '
        'install "nginx" (version: 1.24.0)',
        "c8y_SoftwareList": [
            {"name": "curl", "version": "7.81.0", "url": ""},
            {"name": "openssl", "version": "3.0.2", "url": ""},
            {"name": "nginx", "version": "1.24.0", "url": NGINX_URL},
        ],
        "c8ydm_Origin": ORIGIN,
    }


def test_legacy_style_sends_the_complete_map(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    legacy = device(operations=("c8y_Software",), c8y_Software={"collectd": "5.12.0", "curl": "7.0"})

    plan = plan_software_change(
        client, legacy, install=[PackageSpec("nginx")], remove=["collectd"], run_id=RUN_ID
    )

    assert plan.body == {
        "deviceId": "4711",
        "description": 'Apply software changes: install "nginx" (version: 1.24.0), '
        'delete "collectd" (version: 5.12.0)',
        "c8y_Software": {"curl": "7.0", "nginx": "1.24.0"},
        "c8ydm_Origin": ORIGIN,
    }


def test_installed_version_is_unchanged_and_nothing_is_sent(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    post = router.post(OPS)

    changes = install_on_device(
        client, device(c8y_SoftwareList=INSTALLED), software=[PackageSpec("curl", "7.81.0")]
    )

    assert changes.operations == []
    assert changes.unchanged == [{"name": "curl", "version": "7.81.0"}]
    assert not post.called


def test_remove_sends_the_installed_item_with_action_delete(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)

    remove_from_device(client, device(c8y_SoftwareList=INSTALLED), software=["openssl"], run_id=RUN_ID)

    assert body_of(route)["c8y_SoftwareUpdate"] == [
        {"name": "openssl", "version": "3.0.2", "url": "", "softwareType": "apt", "action": "delete"}
    ]
    assert body_of(route)["description"] == 'Apply software changes: delete "openssl" (version: 3.0.2)'


def test_removing_what_is_not_installed_is_not_found(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    post = router.post(OPS)

    with pytest.raises(NotFoundError, match="'vim' is not installed") as missing:
        remove_from_device(client, device(c8y_SoftwareList=INSTALLED), software=["vim"])

    assert exit_code_for(missing.value) == 4
    assert not post.called


def test_undeclared_software_type_is_refused_before_any_change(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    only_apt = device(c8y_SupportedSoftwareTypes=["apt"], c8y_SoftwareList=INSTALLED)

    with pytest.raises(InputError, match="software type 'docker'"):
        install_on_device(client, only_apt, software=[PackageSpec("nginx"), PackageSpec("redis")])

    assert all(method == "GET" for method, _ in sent(router))


def test_device_type_filter_is_refused(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    with pytest.raises(InputError, match="for devices of type 'c8y_Windows'"):
        plan_software_change(client, device(c8y_SoftwareList=[]), install=[PackageSpec("winapp")])


def test_firmware_and_software_together_make_two_operations_firmware_first(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    fw = {"id": "100", "name": "linux-image", "type": "c8y_Firmware", "version": "1", "url": "u"}
    mock_queries(
        router,
        {
            entry_query("c8y_Firmware", "linux-image"): [fw],
            entry_query("c8y_Software", "nginx"): [entry("200", "nginx", "apt")],
            versions_query("200"): [version("201", "1.24.0", NGINX_URL)],
        },
    )
    route = mock_created_operation(router)

    install_on_device(client, device(c8y_SoftwareList=[]), firmware=PackageSpec("linux-image"),
                      software=[PackageSpec("nginx")])  # fmt: skip

    bodies = [json.loads(call.request.content) for call in route.calls]
    assert [("c8y_Firmware" in body, "c8y_SoftwareUpdate" in body) for body in bodies] == [
        (True, False),
        (False, True),
    ]


def test_advanced_software_management_is_the_first_source(client: Client, router: respx.MockRouter) -> None:
    mock_user_without_service(router, with_service=True)
    service = router.get("/service/advanced-software-mgmt/software").respond(
        200,
        json={"softwareList": [{"name": "vim", "version": "9", "url": "", "softwareType": "apt", "x": 1}]},
    )
    route = mock_created_operation(router)

    remove_from_device(client, device(c8y_SoftwareList=INSTALLED), software=["vim"], run_id=RUN_ID)

    assert dict(service.calls.last.request.url.params)["deviceId"] == "4711"
    assert body_of(route)["c8y_SoftwareUpdate"] == [
        {"name": "vim", "version": "9", "url": "", "softwareType": "apt", "action": "delete"}
    ]
    assert sent(router)[:2] == [
        ("GET", "/user/currentUser"),
        ("GET", "/application/applicationsByUser/admin"),
    ]


def test_device_without_software_support_is_refused(client: Client, router: respx.MockRouter) -> None:
    with pytest.raises(InputError, match="does not support software changes"):
        plan_software_change(client, device(operations=("c8y_Restart",)), install=[PackageSpec("x")])
    assert sent(router) == []


def test_same_name_twice_is_a_usage_error(client: Client) -> None:
    with pytest.raises(InputError, match="more than once: nginx"):
        plan_software_change(client, device(), install=[PackageSpec("nginx")], remove=["nginx"])
