"""The add flow: the UI's exact request sequence and bodies (contract §3.3, §3.4, §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo_mock import (
    BIN_URL,
    ENTRY_QUERY,
    GLOBAL,
    MANAGED_OBJECT_TYPE,
    MO_PATH,
    REFERENCE_TYPE,
    VERSIONS_QUERY,
    ScriptedTenant,
    add,
    entry_mo,
    page,
    script_existing_firmware,
    script_new_firmware,
    upload_marker,
    version_mo,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE


def test_new_firmware_from_a_file_sends_the_four_steps_in_order(
    client: Client, tenant: ScriptedTenant, firmware_file: Path
) -> None:
    script_new_firmware(tenant)
    sent: list[int] = []
    request = AddRequest(
        FIRMWARE, "router-fw", "1.0.0", file=firmware_file, description="Router", device_type="c8y_Linux"
    )

    result = execute_add(client, plan_add(client, request), on_bytes=sent.append)

    assert result.status == "created" and result.is_new_entry
    assert tenant.calls[1].params == {
        "pageSize": "1",
        "type": GLOBAL,
        "createdFrom": "1990-01-01",
        "fragmentType": "c8y_FirmwareAsGlobal",
    }
    upload, entry, version, link = tenant.changes()
    assert upload[:2] == ("POST", "/inventory/binaries")
    assert upload[2]["file"] == {
        "filename": "fw.bin",
        "content_type": "application/octet-stream",
        "data": b"hello",
    }
    assert upload[2]["object"] == {
        "name": "fw.bin",
        "type": "application/octet-stream",
        "c8y_Global": {},
        "c8ydm_Upload": upload_marker({"type": "c8y_Firmware", "name": "router-fw", "version": "1.0.0"}),
    }
    assert entry == (
        "POST",
        MO_PATH,
        {
            "name": "router-fw",
            "description": "Router",
            "type": "c8y_Firmware",
            "c8y_Filter": {"type": "c8y_Linux"},
            "c8y_Global": {},
        },
    )
    assert version == (
        "POST",
        f"{MO_PATH}/10/childAdditions",
        {
            "type": "c8y_FirmwareBinary",
            "c8y_Firmware": {"url": BIN_URL, "version": "1.0.0"},
            "c8y_Global": {},
        },
    )
    assert link == ("POST", f"{MO_PATH}/12/childAdditions", {"managedObject": {"id": "11"}})
    assert [c.content_type for c in tenant.calls[-2:]] == [MANAGED_OBJECT_TYPE, REFERENCE_TYPE]
    assert sum(sent) == 5


def test_new_version_on_an_existing_entry_by_url_puts_the_entry_with_its_current_values(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", BIN_URL))
    tenant.on(
        "POST", f"{MO_PATH}/10/childAdditions", version_mo("13", "1.1.0", "https://files.example.com/fw")
    )

    result = add(client, version="1.1.0", url="https://files.example.com/fw")

    assert result.status == "created" and not result.is_new_entry
    assert tenant.queries() == [ENTRY_QUERY, VERSIONS_QUERY]
    assert tenant.changes() == [
        (
            "PUT",
            f"{MO_PATH}/10",
            {
                "id": "10",
                "name": "router-fw",
                "description": "Router",
                "type": "c8y_Firmware",
                "c8y_Filter": {"type": "c8y_Linux"},
                "c8y_Global": {},
            },
        ),
        (
            "POST",
            f"{MO_PATH}/10/childAdditions",
            {
                "type": "c8y_FirmwareBinary",
                "c8y_Firmware": {"url": "https://files.example.com/fw", "version": "1.1.0"},
                "c8y_Global": {},
            },
        ),
    ]


def test_patch_is_a_sibling_version_with_the_base_as_dependency(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", BIN_URL))
    tenant.on(
        "POST", f"{MO_PATH}/10/childAdditions", version_mo("13", "1.0.1", "https://x/p", dependency="1.0.0")
    )

    add(client, patch="1.0.1", url="https://x/p")

    assert tenant.changes()[-1] == (
        "POST",
        f"{MO_PATH}/10/childAdditions",
        {
            "type": "c8y_FirmwareBinary",
            "c8y_Firmware": {"url": "https://x/p", "version": "1.0.1"},
            "c8y_Patch": {"dependency": "1.0.0"},
            "c8y_Global": {},
        },
    )


def test_patch_of_a_missing_base_version_fails_before_any_change(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant, version_mo("12", "2.0.0", BIN_URL))

    with pytest.raises(NotFoundError, match=r"no version '1\.0\.0'"):
        add(client, patch="1.0.1", url="https://x/p")
    assert tenant.changes() == []


def test_patch_of_a_legacy_entry_is_refused(client: Client, tenant: ScriptedTenant) -> None:
    legacy = entry_mo("10", "router-fw", description="Old", url="https://x/old", version="0.9")
    tenant.on("GET", MO_PATH, page([legacy]), query=ENTRY_QUERY)

    with pytest.raises(InputError, match="legacy"):
        add(client, version="0.9", patch="0.9.1", url="https://x/p")
    assert tenant.changes() == []


def test_new_software_sends_software_type_and_device_filter(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([]), query="$filter=((type eq 'c8y_Software') and (name eq 'nginx'))")
    tenant.on("GET", MO_PATH, page([]), type=GLOBAL)
    tenant.on("POST", MO_PATH, entry_mo("20", "nginx", "c8y_Software", softwareType="apt"))
    tenant.on(
        "POST",
        f"{MO_PATH}/20/childAdditions",
        version_mo("21", "1.24", "https://x/n", fragment="c8y_Software"),
    )
    request = AddRequest(
        SOFTWARE,
        "nginx",
        "1.24",
        url="https://x/n",
        description="Web",
        device_type="c8y_Linux",
        fields={"softwareType": "apt"},
    )

    execute_add(client, plan_add(client, request))

    assert tenant.calls[1].params["fragmentType"] == "c8y_SoftwareAsGlobal"
    assert tenant.changes() == [
        (
            "POST",
            MO_PATH,
            {
                "name": "nginx",
                "description": "Web",
                "type": "c8y_Software",
                "softwareType": "apt",
                "c8y_Filter": {"type": "c8y_Linux"},
                "c8y_Global": {},
            },
        ),
        (
            "POST",
            f"{MO_PATH}/20/childAdditions",
            {
                "type": "c8y_SoftwareBinary",
                "c8y_Software": {"url": "https://x/n", "version": "1.24"},
                "c8y_Global": {},
            },
        ),
    ]


def test_the_file_is_read_once_its_digest_computed_while_it_uploads(
    client: Client, tenant: ScriptedTenant, firmware_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script_new_firmware(tenant)
    opened: list[Path] = []
    original = Path.open

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        if path == firmware_file:
            opened.append(path)
        return original(path, *args, **kwargs)  # type: ignore[call-overload]

    request = AddRequest(FIRMWARE, "router-fw", "1.0.0", file=firmware_file, description="Router")
    monkeypatch.setattr(Path, "open", counting)

    execute_add(client, plan_add(client, request))

    assert len(opened) == 1  # the upload's stream: no separate pass for the SHA-256 (issue 13)
    upload = tenant.changes()[0]
    marker = upload_marker({"type": "c8y_Firmware", "name": "router-fw", "version": "1.0.0"})
    assert upload[2]["object"]["c8ydm_Upload"] == marker  # with the digest of b"hello"
