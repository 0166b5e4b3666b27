"""Add's validation (contract §3.8, §4): bad input is refused before any request is sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import respx
from support.repo_mock import ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.inputs import check_upload_file
from c8ydm.procedures.repository.add import AddRequest, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE


@pytest.fixture
def tenant(oas_router: respx.MockRouter) -> ScriptedTenant:
    return ScriptedTenant(oas_router)  # no rules: any request would fail the test


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "fw.bin"
    path.write_bytes(b"x")
    return path


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "the name must not be empty or whitespace only"),
        ({"name": ""}, "the name must not be empty"),
        ({"version": " \t"}, "--version must not be empty"),
        ({"url": "  "}, "--url must not be empty"),
        ({"description": " "}, "--description must not be empty"),
        ({"device_type": ""}, "--device-type must not be empty"),
        ({"patch": " "}, "--patch must not be empty"),
        ({"url": None}, "exactly one of --file PATH or --url URL"),
        ({"file": "GOOD"}, "exactly one of --file PATH or --url URL"),
        ({"fields": {"softwareType": "apt"}}, "--software-type is for software only"),
        ({"if_exists": "replace"}, "--if-exists must be one of fail, skip"),
    ],
)
def test_firmware_add_input_is_refused_before_any_request(
    client: Client, tenant: ScriptedTenant, good_file: Path, fields: dict[str, Any], message: str
) -> None:
    values = {"kind": FIRMWARE, "name": "fw", "version": "1.0", "url": "https://x/fw", **fields}
    if values.get("file") == "GOOD":
        values["file"] = good_file

    with pytest.raises(InputError, match=message):
        plan_add(client, AddRequest(**values))
    assert tenant.calls == []


def test_patch_is_for_firmware_only(client: Client, tenant: ScriptedTenant) -> None:
    with pytest.raises(InputError, match="software has no patches"):
        plan_add(client, AddRequest(SOFTWARE, "nginx", "1.0", url="https://x/n", patch="1.0.1"))
    assert tenant.calls == []


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        check_upload_file(tmp_path / "nope.bin")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        check_upload_file(tmp_path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.bin"
    path.touch()

    with pytest.raises(InputError, match="is empty"):
        check_upload_file(path)


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.bin"
    path.write_bytes(b"x")

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)  # chmod 0 does not stop root, who may run the tests

    with pytest.raises(InputError, match=r"cannot read .*secret\.bin: Permission denied"):
        check_upload_file(path)


def test_file_checks_run_before_any_request(client: Client, tenant: ScriptedTenant, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        plan_add(client, AddRequest(FIRMWARE, "fw", "1.0", file=tmp_path, description="d"))
    assert tenant.calls == []


def test_a_readable_file_gives_its_size(good_file: Path) -> None:
    assert check_upload_file(good_file) == 1
