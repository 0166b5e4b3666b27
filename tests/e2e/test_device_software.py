"""Software on devices through the real entry point, in all three operation styles (contract §7.4).

The fleet (c8ydm/sandbox/devices/seed.py): linux-0001 takes c8y_SoftwareUpdate with types apt and docker
(and advanced software management), linux-0005 c8y_SoftwareUpdate without types, gateway-0002 only
c8y_SoftwareList, gateway-0004 only the legacy c8y_Software map.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e

URL = "https://packages.example.com/"
NGINX_URL = f"{URL}e2e-nginx-1.24.0"
PACKAGES = (("e2e-nginx", "1.24.0", "apt"), ("e2e-redis", "7.0", "docker"), ("e2e-rpmtool", "1.0", "rpm"))


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


@pytest.fixture(scope="module")
def version_ids(c8ydm: Callable[..., Run]) -> dict[str, str]:
    """The released packages' version MO ids by name."""
    ids = {}
    for name, version, software_type in PACKAGES:
        added = ok(c8ydm("software", "add", name, "--version", version, "--url", f"{URL}{name}-{version}",
                         "--description", name, "--software-type", software_type, "-o", "json"))  # fmt: skip
        ids[name] = added["version"]["id"]
    return ids


def install(c8ydm: Callable[..., Run], device: str, *args: str) -> dict[str, Any]:
    document = ok(c8ydm("device", "install", device, *args, "--wait", "-o", "json"))
    assert all(op["status"] == "SUCCESSFUL" for op in document["operations"])
    return dict(document)


def software_of(c8ydm: Callable[..., Run], device: str) -> list[dict[str, Any]]:
    return list(ok(c8ydm("device", "show", device, "-o", "json"))["software"])


def test_software_update_style_install_unchanged_and_remove(
    c8ydm: Callable[..., Run], version_ids: dict[str, str]
) -> None:
    done = install(c8ydm, "linux-0001", "--software", "e2e-nginx@1.24.0", "--software", "e2e-redis")

    [operation] = done["operations"]
    assert operation["description"] == (
        'Apply software changes: install "e2e-nginx" (version: 1.24.0), install "e2e-redis" (version: 7.0)'
    )
    assert operation["c8y_SoftwareUpdate"] == [
        {"id": version_ids["e2e-nginx"], "name": "e2e-nginx", "version": "1.24.0", "url": NGINX_URL,
         "softwareType": "apt", "action": "install"},
        {"id": version_ids["e2e-redis"], "name": "e2e-redis", "version": "7.0", "url": f"{URL}e2e-redis-7.0",
         "softwareType": "docker", "action": "install"},
    ]  # fmt: skip
    shown = ok(c8ydm("device", "show", "linux-0001", "-o", "json"))
    assert shown["softwareSource"] == "advanced-software-mgmt"
    assert {
        "name": "e2e-nginx",
        "version": "1.24.0",
        "url": f"{URL}e2e-nginx-1.24.0",
        "softwareType": "apt",
    } in (shown["software"])
    assert shown["lastSoftwareOperation"]["id"] == operation["id"]

    again = c8ydm("device", "install", "linux-0001", "--software", "e2e-nginx@1.24.0", "-o", "json")
    assert ok(again)["operations"] == [] and again.json()["unchanged"] == [
        {"name": "e2e-nginx", "version": "1.24.0"}
    ]
    assert "Unchanged: e2e-nginx 1.24.0 is already installed." in again.stderr
    as_table = c8ydm("device", "install", "linux-0001", "--software", "e2e-nginx@1.24.0", "-o", "table")
    assert (as_table.code, as_table.stdout) == (0, "")  # "Nothing to change", not also "No results."
    assert as_table.stderr.splitlines()[-1] == "Nothing to change on linux-0001."

    removed = ok(c8ydm("device", "remove", "linux-0001", "--software", "e2e-redis", "--wait", "-o", "json"))
    assert removed["operations"][0]["c8y_SoftwareUpdate"] == [
        {"name": "e2e-redis", "version": "7.0", "url": f"{URL}e2e-redis-7.0", "softwareType": "docker",
         "action": "delete"},
    ]  # fmt: skip
    assert "e2e-redis" not in [item["name"] for item in software_of(c8ydm, "linux-0001")]


def test_undeclared_software_type_is_refused_with_exit_2(
    c8ydm: Callable[..., Run], version_ids: dict[str, str]
) -> None:
    before = ok(c8ydm("device", "operations", "linux-0001", "--limit", "100", "-o", "json"))

    run = c8ydm("device", "install", "linux-0001", "--software", "e2e-rpmtool", "-o", "json")

    assert run.code == 2
    assert "software type 'rpm'" in run.json()["error"]["message"]
    assert ok(c8ydm("device", "operations", "linux-0001", "--limit", "100", "-o", "json")) == before


def test_device_without_declared_types_gets_no_software_type(
    c8ydm: Callable[..., Run], version_ids: dict[str, str]
) -> None:
    done = install(c8ydm, "linux-0005", "--software", "e2e-rpmtool")

    assert done["operations"][0]["c8y_SoftwareUpdate"] == [
        {"id": version_ids["e2e-rpmtool"], "name": "e2e-rpmtool", "version": "1.0",
         "url": f"{URL}e2e-rpmtool-1.0", "action": "install"},
    ]  # fmt: skip


def test_software_list_style_sends_the_complete_desired_list(
    c8ydm: Callable[..., Run], version_ids: dict[str, str]
) -> None:
    before = software_of(c8ydm, "gateway-0002")
    assert "e2e-nginx" not in [item["name"] for item in before]

    done = install(c8ydm, "gateway-0002", "--software", "e2e-nginx")

    desired = [*before, {"name": "e2e-nginx", "version": "1.24.0", "url": f"{URL}e2e-nginx-1.24.0"}]
    assert done["operations"][0]["c8y_SoftwareList"] == desired
    assert software_of(c8ydm, "gateway-0002") == desired


def test_legacy_style_sends_the_complete_map_and_removes_in_the_same_operation(
    c8ydm: Callable[..., Run], version_ids: dict[str, str]
) -> None:
    assert software_of(c8ydm, "gateway-0004") == [
        {"name": "collectd", "version": "5.12.0"},
        {"name": "tedge-agent", "version": "0.9.0"},
    ]

    done = install(c8ydm, "gateway-0004", "--software", "e2e-nginx@1.24.0")
    removed = ok(c8ydm("device", "remove", "gateway-0004", "--software", "collectd", "--wait", "-o", "json"))

    assert done["operations"][0]["c8y_Software"] == {
        "collectd": "5.12.0", "tedge-agent": "0.9.0", "e2e-nginx": "1.24.0",
    }  # fmt: skip
    assert removed["operations"][0]["c8y_Software"] == {"tedge-agent": "0.9.0", "e2e-nginx": "1.24.0"}
    assert (
        removed["operations"][0]["description"]
        == 'Apply software changes: delete "collectd" (version: 5.12.0)'
    )
    assert software_of(c8ydm, "gateway-0004") == [
        {"name": "tedge-agent", "version": "0.9.0"},
        {"name": "e2e-nginx", "version": "1.24.0"},
    ]


def test_removing_software_that_is_not_installed_exits_4(c8ydm: Callable[..., Run]) -> None:
    run = c8ydm("device", "remove", "gateway-0002", "--software", "no-such-package", "-o", "json")

    assert run.code == 4
    assert (
        run.json()["error"]["message"]
        == "software 'no-such-package' is not installed on device 'gateway-0002'"
    )
