"""An add meets what an earlier (maybe killed) run made (issue 14; contract §3.3, §1.11):
``--if-exists skip`` compares size and SHA-256, a version left with its binary unlinked is finished,
and uploads an interrupted run left behind are adopted or removed (repository/existing.py, uploads.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from support.repo_mock import (
    BIN_PATH,
    BIN_URL,
    HELLO_SHA256,
    MO_PATH,
    ScriptedTenant,
    add,
    binary_mo,
    page,
    script_existing_firmware,
    script_new_firmware,
    upload_marker,
    version_mo,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE

TARGET = {"type": "c8y_Firmware", "name": "router-fw", "version": "1.0.0"}
LINKED = {"references": [{"managedObject": {"id": "11"}}]}


def stored(length: int = 5, sha256: str | None = HELLO_SHA256) -> dict[str, Any]:
    """Binary 11 as the inventory describes it, with c8ydm's marker unless ``sha256`` is None."""
    body = {**binary_mo("11"), "length": length}
    if sha256 is not None:
        body["c8ydm_Upload"] = upload_marker(TARGET, sha256)
    return body


def existing_version(tenant: ScriptedTenant, binary: dict[str, Any], children: dict[str, Any]) -> None:
    script_existing_firmware(tenant, version_mo("12", "1.0.0", BIN_URL))
    tenant.on("GET", f"{MO_PATH}/11", binary)
    tenant.on("GET", f"{MO_PATH}/12/childAdditions", children)


def skip(client: Client, file: Path, reports: list[str] | None = None) -> Any:
    request = AddRequest(FIRMWARE, "router-fw", "1.0.0", file=file, if_exists="skip")
    return execute_add(client, plan_add(client, request), on_undo=None if reports is None else reports.append)


def gets(tenant: ScriptedTenant) -> list[str]:
    return [call.path for call in tenant.calls if call.method == "GET"]


def test_skip_with_the_same_file_compares_the_marker_and_downloads_nothing(
    client: Client, tenant: ScriptedTenant, firmware_file: Path
) -> None:
    existing_version(tenant, stored(), LINKED)

    result = skip(client, firmware_file)

    assert result.status == "unchanged" and tenant.changes() == []
    assert f"{BIN_PATH}/11" not in gets(tenant)


@pytest.mark.parametrize(
    ("binary", "why"),
    [
        (stored(length=6), "the stored file has 6 bytes, fw.bin has 5"),
        (stored(sha256="0" * 64), "the stored file's SHA-256 differs from fw.bin's"),
    ],
)
def test_skip_with_another_file_is_exit_7_different_content(
    client: Client, tenant: ScriptedTenant, firmware_file: Path, binary: dict[str, Any], why: str
) -> None:
    existing_version(tenant, binary, LINKED)

    with pytest.raises(ConflictError) as raised:
        skip(client, firmware_file)

    assert (
        raised.value.message == f"firmware 'router-fw' version '1.0.0' exists with different content: {why}"
    )
    assert exit_code_for(raised.value) == 7
    assert tenant.changes() == [] and f"{BIN_PATH}/11" not in gets(tenant)


@pytest.mark.parametrize(("content", "is_same"), [(b"hello", True), (b"HELLO", False)])
def test_a_stored_file_without_a_marker_is_hashed_while_streamed(
    client: Client, tenant: ScriptedTenant, firmware_file: Path, content: bytes, is_same: bool
) -> None:
    existing_version(tenant, stored(sha256=None), LINKED)  # uploaded by the UI: no c8ydm marker
    tenant.on("GET", f"{BIN_PATH}/11", httpx.Response(200, content=content))

    if is_same:
        assert skip(client, firmware_file).status == "unchanged"
    else:
        with pytest.raises(ConflictError, match="SHA-256 differs"):
            skip(client, firmware_file)
    assert f"{BIN_PATH}/11" in gets(tenant)


def test_skip_finishes_a_version_whose_binary_a_killed_run_never_linked(
    client: Client, tenant: ScriptedTenant, firmware_file: Path
) -> None:
    existing_version(tenant, stored(), {"references": []})
    tenant.on("POST", f"{MO_PATH}/12/childAdditions", {"managedObject": {"id": "11"}})
    reports: list[str] = []

    result = skip(client, firmware_file, reports)

    assert result.status == "unchanged"
    assert tenant.changes() == [("POST", f"{MO_PATH}/12/childAdditions", {"managedObject": {"id": "11"}})]
    assert reports == ["Linked binary 11 under 12: an interrupted add had not."]


def test_fail_names_an_unfinished_version_and_how_to_finish_it(
    client: Client, tenant: ScriptedTenant
) -> None:
    existing_version(tenant, stored(), {"references": []})

    with pytest.raises(ConflictError) as raised:
        add(client, url=BIN_URL)

    assert "its binary was never linked" in (raised.value.hint or "")
    assert "--if-exists skip" in (raised.value.hint or "")


def test_a_new_add_adopts_the_same_upload_and_removes_other_leftovers(
    client: Client, tenant: ScriptedTenant, firmware_file: Path
) -> None:
    same = {**binary_mo("20"), "c8ydm_Upload": upload_marker(TARGET)}
    other = {**binary_mo("21"), "length": 9, "c8ydm_Upload": upload_marker(TARGET, "1" * 64)}
    foreign = {**binary_mo("22")}  # same name, no marker: someone else's file, never touched
    elsewhere = {**binary_mo("23"), "c8ydm_Upload": upload_marker({**TARGET, "version": "2.0"})}
    tenant.on("GET", BIN_PATH, page([foreign, other, same, elsewhere]), owner="admin")
    tenant.on("DELETE", f"{BIN_PATH}/21", httpx.Response(204))
    script_new_firmware(tenant)
    tenant.on("POST", f"{MO_PATH}/12/childAdditions", {"managedObject": {"id": "20"}})
    reports: list[str] = []
    request = AddRequest(FIRMWARE, "router-fw", "1.0.0", file=firmware_file, description="Router")

    result = execute_add(client, plan_add(client, request), on_undo=reports.append)

    assert result.binary is not None and result.binary.id == "20"
    assert [(method, path) for method, path, _ in tenant.changes()] == [
        ("DELETE", f"{BIN_PATH}/21"),
        ("POST", MO_PATH),
        ("POST", f"{MO_PATH}/10/childAdditions"),
        ("POST", f"{MO_PATH}/12/childAdditions"),
    ]
    version_body = tenant.changes()[2][2]
    assert version_body["c8y_Firmware"]["url"] == f"{BIN_URL[:-2]}20"
    assert reports == [
        "Removed binary 21 that an interrupted run left behind.",
        "Reusing binary 20 that an interrupted run uploaded for this version.",
    ]
