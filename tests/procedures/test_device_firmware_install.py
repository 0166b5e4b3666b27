"""Firmware install: exact operation bodies (contract §6, rule 14(i)) and refusals that send nothing."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from device_fakes import (
    BASE_URL,
    MO,
    OPS,
    ORIGIN,
    RUN_ID,
    body_of,
    client,
    device,
    entry_query,
    mock_created_operation,
    mock_queries,
    page,
    router,
    sent,
    versions_query,
)

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.device.changes import execute_changes, install_on_device, plan_install
from c8ydm.procedures.device.firmware import firmware_description, plan_firmware_install
from c8ydm.procedures.device.pending import PendingOperationError
from c8ydm.procedures.repository.versions import PackageSpec

__all__ = ["client", "router"]  # fixtures

ENTRY = {"id": "100", "name": "linux-image", "type": "c8y_Firmware", "c8y_Filter": {"type": "c8y_Linux"}}
URL = "https://t100.example.com/inventory/binaries/"


def version(mo_id: str, v: str, created: str, dependency: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": mo_id,
        "type": "c8y_FirmwareBinary",
        "creationTime": created,
        "c8y_Firmware": {"version": v, "url": URL + mo_id},
    }
    if dependency:
        doc["c8y_Patch"] = {"dependency": dependency}
    return doc


VERSIONS = [  # newest first, as the query orders them
    version("103", "6.1.2-p1", "2024-03-01T00:00:00.000Z", dependency="6.1.2"),
    version("102", "6.1.2", "2024-02-01T00:00:00.000Z"),
    version("101", "5.15.0", "2024-01-01T00:00:00.000Z"),
]


@pytest.fixture
def repository(router: respx.MockRouter) -> respx.Route:
    return mock_queries(
        router,
        {entry_query("c8y_Firmware", "linux-image"): [ENTRY], versions_query("100"): VERSIONS},
    )


def test_install_posts_the_contract_body(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)

    changes = install_on_device(
        client, device(), firmware=PackageSpec.parse("linux-image@5.15.0"), run_id=RUN_ID
    )

    assert [op.id for op in changes.operations] == ["900"]
    assert body_of(route) == {
        "deviceId": "4711",
        "description": 'Update firmware to: "linux-image" (version: 5.15.0)',
        "c8y_Firmware": {"name": "linux-image", "version": "5.15.0", "url": URL + "101"},
        "c8ydm_Origin": ORIGIN,
    }
    assert sent(router) == [("GET", MO), ("GET", MO), ("GET", OPS), ("POST", OPS)]


def test_install_without_a_version_takes_the_newest_base_version(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    body = plan_firmware_install(client, device(), PackageSpec.parse("linux-image"), run_id=RUN_ID)

    assert body["c8y_Firmware"] == {"name": "linux-image", "version": "6.1.2", "url": URL + "102"}
    assert body["description"] == 'Update firmware to: "linux-image" (version: 6.1.2)'


def test_patch_install_sends_dependency_and_is_patch(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)

    install_on_device(
        client, device(), firmware=PackageSpec("linux-image", "6.1.2"), patch="6.1.2-p1", run_id=RUN_ID
    )

    assert body_of(route) == {
        "deviceId": "4711",
        "description": 'Update firmware to: "linux-image" (version: 6.1.2-p1)',
        "c8y_Firmware": {
            "name": "linux-image",
            "version": "6.1.2-p1",
            "url": URL + "103",
            "dependency": "6.1.2",
            "isPatch": True,
        },
        "c8ydm_Origin": ORIGIN,
    }


def test_legacy_entry_takes_version_and_url_from_the_entry(client: Client, router: respx.MockRouter) -> None:
    legacy = {
        "id": "200",
        "name": "old-fw",
        "type": "c8y_Firmware",
        "version": "1.0",
        "url": "ftp://x/fw.bin",
    }
    mock_queries(router, {entry_query("c8y_Firmware", "old-fw"): [legacy]})

    body = plan_firmware_install(client, device(), PackageSpec("old-fw"), run_id=RUN_ID)

    assert body["c8y_Firmware"] == {"name": "old-fw", "version": "1.0", "url": "ftp://x/fw.bin"}
    assert sent(router) == [("GET", MO)]  # a legacy entry has no versions to list (§2.2)


def test_device_without_firmware_support_is_refused_before_any_request(
    client: Client, router: respx.MockRouter
) -> None:
    post = router.post(OPS)

    with pytest.raises(InputError, match="does not support firmware") as refused:
        install_on_device(
            client, device(operations=("c8y_SoftwareUpdate",)), firmware=PackageSpec("linux-image")
        )

    assert exit_code_for(refused.value) == 2
    assert not post.called and sent(router) == []


def test_device_type_mismatch_is_refused_and_nothing_is_created(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    post = router.post(OPS)
    gateway = device(name="gw-1", device_type="c8y_Gateway")

    with pytest.raises(InputError, match="for devices of type 'c8y_Linux'") as refused:
        install_on_device(client, gateway, firmware=PackageSpec("linux-image", "6.1.2"))

    assert exit_code_for(refused.value) == 2
    assert not post.called


def test_unknown_version_is_not_found(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    with pytest.raises(NotFoundError, match=r"no version '9\.9'"):
        plan_firmware_install(client, device(), PackageSpec("linux-image", "9.9"))


def test_patch_without_firmware_is_a_usage_error(client: Client) -> None:
    with pytest.raises(InputError, match="--patch needs --firmware"):
        install_on_device(client, device(), patch="p1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fw@1.0", PackageSpec("fw", "1.0")),
        ("fw", PackageSpec("fw", None)),
        ("team@fw@2.0", PackageSpec("team@fw", "2.0")),
    ],
)
def test_package_spec_splits_at_the_last_at(text: str, expected: PackageSpec) -> None:
    assert PackageSpec.parse(text) == expected


@pytest.mark.parametrize("text", ["@1.0", "fw@", ""])
def test_package_spec_rejects_empty_parts(text: str) -> None:
    with pytest.raises(InputError):
        PackageSpec.parse(text)


def test_description_leaves_out_an_empty_version() -> None:
    assert firmware_description("fw", "") == 'Update firmware to: "fw"'


def test_dry_run_looks_up_but_only_records_the_post() -> None:
    records: list[dict[str, Any]] = []
    with respx.mock(base_url=BASE_URL) as mock:
        mock_queries(
            mock, {entry_query("c8y_Firmware", "linux-image"): [ENTRY], versions_query("100"): VERSIONS}
        )
        mock.get(OPS).respond(200, json=page("operations", []))  # running firmware operations: none
        with Client(
            BASE_URL, BasicAuth("a", "b"), tenant="t100", dry_run=True, on_dry_run=records.append
        ) as api:
            changes = install_on_device(
                api, device(), firmware=PackageSpec("linux-image", "6.1.2"), run_id=RUN_ID
            )
        assert [call.request.method for call in mock.calls] == ["GET", "GET", "GET"]

    assert [op.id for op in changes.operations] == ["dry-run-1"]
    assert records == [
        {
            "method": "POST",
            "path": OPS,
            "query": {},
            "body": {
                "deviceId": "4711",
                "description": 'Update firmware to: "linux-image" (version: 6.1.2)',
                "c8y_Firmware": {"name": "linux-image", "version": "6.1.2", "url": URL + "102"},
                "c8ydm_Origin": ORIGIN,
            },
        }
    ]


def test_install_while_a_firmware_operation_is_pending_is_refused_with_exit_7_naming_it(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    running = {"id": "800", "deviceId": "4711", "status": "EXECUTING", "c8y_Firmware": {"name": "x"}}
    lookup = router.get(OPS).respond(200, json=page("operations", [running]))
    post = router.post(OPS)

    with pytest.raises(PendingOperationError, match="firmware operation 800 that is EXECUTING") as caught:
        install_on_device(client, device(), firmware=PackageSpec("linux-image", "5.15.0"))

    assert exit_code_for(caught.value) == 7 and "--wait-pending" in str(caught.value.hint)
    assert not post.called
    assert lookup.calls.last.request.url.params["fragmentType"] == "c8y_Firmware"
    assert lookup.calls.last.request.url.params["revert"] == "true"


def test_forced_install_is_sent_despite_a_pending_operation(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    running = {"id": "800", "deviceId": "4711", "status": "PENDING", "c8y_Firmware": {"name": "x"}}
    router.get(OPS).respond(200, json=page("operations", [running]))
    route = mock_created_operation(router)
    router.get(OPS).respond(
        200, json=page("operations", [running])
    )  # mock_created_operation's answer replaced
    plan = plan_install(client, device(), firmware=PackageSpec("linux-image", "5.15.0"))

    changes = execute_changes(client, plan, is_forced=True)

    assert [op.id for op in changes.operations] == ["900"] and route.called
    assert [(kind.label, op.id) for kind, op in plan.pending] == [("firmware", "800")]


def test_an_ended_operation_of_the_kind_does_not_block(
    client: Client, router: respx.MockRouter, repository: respx.Route
) -> None:
    route = mock_created_operation(router)
    done = {"id": "800", "deviceId": "4711", "status": "FAILED", "c8y_Firmware": {"name": "x"}}
    router.get(OPS).respond(200, json=page("operations", [done]))

    install_on_device(client, device(), firmware=PackageSpec("linux-image", "5.15.0"))

    assert route.called
