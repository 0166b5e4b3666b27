"""The add flow's decisions: c8y_Global (§2.1), --if-exists, locked and required fields (§3.8, §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.repo_mock import (
    BIN_URL,
    GLOBAL,
    MO_PATH,
    ScriptedTenant,
    add,
    page,
    script_existing_firmware,
    script_new_firmware,
    version_mo,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.procedures.repository.add import AddRequest, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE
from c8ydm.procedures.repository.steps import GlobalFlags


@pytest.mark.parametrize(
    ("config", "is_global"),
    [
        ([], True),  # no configuration object
        ([{"id": "1", "type": GLOBAL}], True),  # the flag is missing
        ([{"id": "1", "type": GLOBAL, "c8y_FirmwareAsGlobal": True}], True),
        ([{"id": "1", "type": GLOBAL, "c8y_FirmwareAsGlobal": {}}], True),  # truthy in JavaScript
        ([{"id": "1", "type": GLOBAL, "c8y_FirmwareAsGlobal": False}], False),
        ([{"id": "1", "type": GLOBAL, "c8y_FirmwareAsGlobal": None}], False),
    ],
)
def test_c8y_global_is_left_out_only_when_the_flag_is_present_and_falsy(
    client: Client, tenant: ScriptedTenant, firmware_file: Path, config: list[dict[str, Any]], is_global: bool
) -> None:
    script_new_firmware(tenant, flag_config=config)

    add(client, file=firmware_file, description="Router")

    upload, entry, version, _ = tenant.changes()
    bodies = [upload[2]["object"], entry[2], version[2]]
    assert [("c8y_Global" in body) for body in bodies] == [is_global] * 3


def test_global_flag_is_asked_once_per_flag_per_run(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([]), type=GLOBAL)
    flags = GlobalFlags(client)

    assert flags.is_global("c8y_FirmwareAsGlobal") and flags.is_global("c8y_FirmwareAsGlobal")
    assert flags.is_global("c8y_SoftwareAsGlobal")
    assert [c.params["fragmentType"] for c in tenant.calls] == [
        "c8y_FirmwareAsGlobal",
        "c8y_SoftwareAsGlobal",
    ]


def test_if_exists_skip_reports_unchanged_and_sends_nothing_for_the_same_url(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", "https://x/fw"))

    result = add(client, url="https://x/fw", if_exists="skip")

    assert result.status == "unchanged"
    assert result.version is not None and result.version.id == "12"
    assert tenant.changes() == []
    assert [c.method for c in tenant.calls] == ["GET", "GET"]


def test_if_exists_skip_with_another_url_is_a_conflict_naming_both(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", BIN_URL))

    with pytest.raises(ConflictError, match="exists with different content") as caught:
        add(client, url="https://x/fw", if_exists="skip")
    assert BIN_URL in caught.value.message and "https://x/fw" in caught.value.message
    assert tenant.changes() == []


def test_existing_version_fails_with_a_conflict_by_default(client: Client, tenant: ScriptedTenant) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", BIN_URL))
    tenant.on("GET", f"{MO_PATH}/12/childAdditions", {"references": [{"managedObject": {"id": "11"}}]})

    with pytest.raises(ConflictError, match=r"already has version '1\.0\.0'") as caught:
        add(client, url="https://x/fw")
    assert "--if-exists skip" in (caught.value.hint or "")
    assert tenant.changes() == []


def test_a_different_description_for_an_existing_entry_is_refused(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_existing_firmware(tenant)

    with pytest.raises(InputError, match="--description applies only to a new entry"):
        add(client, url="https://x/fw", description="Something else")
    assert tenant.changes() == []


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (FIRMWARE, {}, "needs --description"),
        (SOFTWARE, {"description": "Web"}, "needs --software-type"),
    ],
)
def test_a_new_entry_needs_its_required_fields(
    client: Client, tenant: ScriptedTenant, kind: Any, fields: dict[str, Any], message: str
) -> None:
    tenant.on("GET", MO_PATH, page([]))

    with pytest.raises(InputError, match=message):
        plan_add(client, AddRequest(kind, "router-fw", "1.0.0", url="https://x/fw", **fields))
    assert tenant.changes() == []
