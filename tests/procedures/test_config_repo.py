"""The configuration repository beyond the shared add flow: §5.3 limits, --if-exists skip that compares
content, and §5.2 edits with a new file or URL (exact requests, undo in every failing step)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.repo_mock import (
    BASE_URL,
    MO_PATH,
    REFERENCE_TYPE,
    ScriptedTenant,
    binary_mo,
    entry_mo,
    page,
    upload_marker,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.transfer import guess_mime
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.kinds import CONFIGURATION
from c8ydm.procedures.repository.manage import EditRequest, edit_entry

QUERY = "$filter=((type eq 'c8y_ConfigurationDump') and (name eq 'agent'))"
OLD_URL = f"{BASE_URL}/inventory/binaries/5"
NEW_URL = f"{BASE_URL}/inventory/binaries/11"
CONTENT = b"log_level = info\n"
CONTENT_SHA256 = hashlib.sha256(CONTENT).hexdigest()
ENTRY = entry_mo(
    "10", "agent", "c8y_ConfigurationDump", description="Agent", url=OLD_URL, deviceType="c8y_Linux",
    configurationType="tedge.toml", c8y_Global={},
)  # fmt: skip
WHOLE = {  # §5.2: the whole entry, as it is
    "id": "10",
    "name": "agent",
    "description": "Agent",
    "type": "c8y_ConfigurationDump",
    "url": OLD_URL,
    "deviceType": "c8y_Linux",
    "c8y_Global": {},
    "configurationType": "tedge.toml",
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "tedge.toml"
    path.write_bytes(CONTENT)
    return path


def stored(length: int = len(CONTENT)) -> dict[str, Any]:
    return {**binary_mo("5", "tedge.toml", "text/plain"), "length": length}


# -- §5.3 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "n" * 255}, "the name is 255 characters long; configuration allows at most 254"),
        ({"description": "d" * 255}, "--description is 255 characters long"),
        ({"device_type": "t" * 255}, "--device-type is 255 characters long"),
        ({"fields": {"configurationType": "c" * 255}}, "--type is 255 characters long"),
        ({"url": "   "}, "--url must not be empty"),
        ({"url": None}, "exactly one of --file PATH or --url URL"),
        ({"fields": {"configurationType": " "}}, "--type must not be empty"),
    ],
)
def test_add_refuses_what_the_ui_dialog_refuses_before_any_request(
    fields: dict[str, Any], message: str
) -> None:
    values = {"kind": CONFIGURATION, "name": "agent", "url": "https://files.example.com/a.toml", **fields}
    with pytest.raises(InputError, match=message) as refused:
        AddRequest(**values)
    assert exit_code_for(refused.value) == 2


def test_254_characters_are_accepted() -> None:
    request = AddRequest(CONFIGURATION, "n" * 254, url="https://x.example.com/a", description="d" * 254)
    assert len(request.name) == 254


def test_edit_checks_the_same_limits() -> None:
    with pytest.raises(InputError, match="--description is 255 characters long"):
        EditRequest(CONFIGURATION, description="d" * 255)


# -- --if-exists skip ----------------------------------------------------------------------------------
def test_skip_with_the_same_file_reads_size_and_content_and_creates_nothing(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)
    tenant.on("GET", f"{MO_PATH}/5", stored())
    tenant.on("GET", "/inventory/binaries/5", httpx.Response(200, content=CONTENT))
    tenant.on("GET", f"{MO_PATH}/10/childAdditions", {"references": [{"managedObject": {"id": "5"}}]})
    request = AddRequest(CONFIGURATION, "agent", file=config_file, if_exists="skip")

    result = execute_add(client, plan_add(client, request))

    assert result.status == "unchanged"
    assert [(c.method, c.path) for c in tenant.calls] == [
        ("GET", MO_PATH),
        ("GET", f"{MO_PATH}/5"),
        ("GET", "/inventory/binaries/5"),
        ("GET", f"{MO_PATH}/10/childAdditions"),  # is its binary linked? (an interrupted add, issue 14)
    ]


def test_skip_with_a_file_of_another_size_is_exit_7_without_downloading(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)
    tenant.on("GET", f"{MO_PATH}/5", stored(length=999))

    with pytest.raises(ConflictError, match=r"exists with different content \(--file differ\)") as refused:
        plan_add(client, AddRequest(CONFIGURATION, "agent", file=config_file, if_exists="skip"))

    assert exit_code_for(refused.value) == 7
    assert [c.path for c in tenant.calls] == [MO_PATH, f"{MO_PATH}/5"]


def test_skip_with_the_same_size_but_other_bytes_is_exit_7(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)
    tenant.on("GET", f"{MO_PATH}/5", stored())
    tenant.on("GET", "/inventory/binaries/5", httpx.Response(200, content=b"x" * len(CONTENT)))

    with pytest.raises(ConflictError, match="--file differ"):
        plan_add(client, AddRequest(CONFIGURATION, "agent", file=config_file, if_exists="skip"))


def test_skip_names_every_field_that_differs(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)
    request = AddRequest(
        CONFIGURATION, "agent", url="https://files.example.com/other.toml", if_exists="skip",
        description="Agent", device_type="c8y_Gateway", fields={"configurationType": "mosquitto.conf"},
    )  # fmt: skip

    with pytest.raises(ConflictError, match=r"\(--device-type, --type, --url differ\)"):
        plan_add(client, request)


def test_skip_with_the_same_url_is_unchanged(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)

    plan = plan_add(client, AddRequest(CONFIGURATION, "agent", url=OLD_URL, if_exists="skip"))

    assert plan.is_unchanged and tenant.changes() == []


def test_a_file_never_equals_an_external_url(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    external = {**ENTRY, "url": "https://files.example.com/tedge.toml"}
    tenant.on("GET", MO_PATH, page([external]), query=QUERY)

    with pytest.raises(ConflictError, match="--file differ"):
        plan_add(client, AddRequest(CONFIGURATION, "agent", file=config_file, if_exists="skip"))


# -- §5.2 edit with a new file -------------------------------------------------------------------------
def script_edit(tenant: ScriptedTenant, **answers: Any) -> None:
    tenant.on("GET", MO_PATH, page([ENTRY]), query=QUERY)
    tenant.on("GET", MO_PATH, page([]), type="c8y_GlobalObjectConfiguration")
    tenant.on("POST", "/inventory/binaries", binary_mo("11", "tedge.toml", "application/toml"))
    tenant.on("PUT", f"{MO_PATH}/10", *answers.get("put", [{**ENTRY, "url": NEW_URL}]))
    tenant.on("POST", f"{MO_PATH}/10/childAdditions", *answers.get("link", [{"managedObject": {"id": "11"}}]))
    tenant.on("GET", f"{MO_PATH}/10/childAdditions", {"references": []})
    tenant.on("DELETE", "/inventory/binaries/5", *answers.get("delete_old", [httpx.Response(204)]))
    tenant.on("DELETE", "/inventory/binaries/11", httpx.Response(204))


def test_new_file_uploads_puts_the_whole_entry_links_then_deletes_the_old_binary(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    script_edit(tenant)

    updated = edit_entry(client, "agent", EditRequest(CONFIGURATION, file=config_file, description="v2"))

    assert updated.fragment("url") == NEW_URL
    upload, put, link, delete = tenant.changes()
    assert upload[:2] == ("POST", "/inventory/binaries")
    assert upload[2]["object"] == {
        "name": "tedge.toml",
        "type": guess_mime("tedge.toml"),
        "c8y_Global": {},
        "c8ydm_Upload": upload_marker({"type": "c8y_ConfigurationDump", "name": "agent"}, CONTENT_SHA256),
    }
    assert upload[2]["file"]["data"] == CONTENT
    assert put == ("PUT", f"{MO_PATH}/10", {**WHOLE, "description": "v2", "url": NEW_URL})
    assert link == ("POST", f"{MO_PATH}/10/childAdditions", {"managedObject": {"id": "11"}})
    assert tenant.calls[-2].content_type == REFERENCE_TYPE
    assert delete == ("DELETE", "/inventory/binaries/5", None)


def test_a_new_url_is_one_put_then_the_old_internal_binary_goes(
    client: Client, tenant: ScriptedTenant
) -> None:
    script_edit(tenant)
    url = "https://files.example.com/tedge.toml"

    edit_entry(client, "agent", EditRequest(CONFIGURATION, url=url))

    assert tenant.changes() == [
        ("PUT", f"{MO_PATH}/10", {**WHOLE, "url": url}),
        ("DELETE", "/inventory/binaries/5", None),
    ]


def test_a_failed_link_puts_the_entry_back_and_removes_the_new_binary(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    script_edit(tenant, put=[{**ENTRY, "url": NEW_URL}, ENTRY], link=[422])
    reports: list[str] = []

    with pytest.raises(Exception, match="scripted 422"):
        edit_entry(client, "agent", EditRequest(CONFIGURATION, file=config_file), on_undo=reports.append)

    changes = tenant.changes()
    assert [c[:2] for c in changes] == [
        ("POST", "/inventory/binaries"),
        ("PUT", f"{MO_PATH}/10"),
        ("POST", f"{MO_PATH}/10/childAdditions"),
        ("PUT", f"{MO_PATH}/10"),
        ("DELETE", "/inventory/binaries/11"),
    ]
    assert changes[3][2] == WHOLE  # put back exactly as it was; the old binary is kept
    assert reports == ["Put entry 10 back as it was.", "Removed the binary 11 this run created."]


def test_when_the_entry_cannot_be_put_back_the_new_binary_stays_and_the_hint_says_so(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    script_edit(tenant, put=[{**ENTRY, "url": NEW_URL}, 503], link=[422])

    with pytest.raises(Exception, match="scripted 422") as failed:
        edit_entry(client, "agent", EditRequest(CONFIGURATION, file=config_file))

    assert ("DELETE", "/inventory/binaries/11", None) not in tenant.changes()
    assert "entry 10 pointing at the new file" in str(getattr(failed.value, "hint", ""))


def test_a_failed_put_removes_the_new_binary_and_keeps_the_old(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    script_edit(tenant, put=[422])

    with pytest.raises(Exception, match="scripted 422"):
        edit_entry(client, "agent", EditRequest(CONFIGURATION, file=config_file))

    assert [c[:2] for c in tenant.changes()] == [
        ("POST", "/inventory/binaries"),
        ("PUT", f"{MO_PATH}/10"),
        ("DELETE", "/inventory/binaries/11"),
    ]


def test_an_old_binary_that_cannot_be_deleted_is_reported_not_raised(
    client: Client, tenant: ScriptedTenant, config_file: Path
) -> None:
    script_edit(tenant, delete_old=[403])
    reports: list[str] = []

    updated = edit_entry(
        client, "agent", EditRequest(CONFIGURATION, file=config_file), on_undo=reports.append
    )

    assert updated.fragment("url") == NEW_URL
    assert reports and "old binary 5 could not be deleted" in reports[0]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "https://a/b", "file": "FILE"}, "give --file PATH or --url URL, not both"),
        ({"url": " "}, "--url must not be empty"),
        ({}, "nothing to change: .*--file, --url"),
    ],
)
def test_edit_source_is_checked_when_made(config_file: Path, fields: dict[str, Any], message: str) -> None:
    values = {key: (config_file if value == "FILE" else value) for key, value in fields.items()}
    with pytest.raises(InputError, match=message):
        EditRequest(CONFIGURATION, **values)


def test_firmware_files_belong_to_versions(config_file: Path) -> None:
    from c8ydm.procedures.repository.kinds import FIRMWARE

    with pytest.raises(InputError, match="firmware files belong to versions"):
        EditRequest(FIRMWARE, file=config_file)


def test_digest_of_a_stored_binary_is_streamed(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", "/inventory/binaries/5", httpx.Response(200, content=CONTENT))

    assert client.binaries.digest("5") == (len(CONTENT), hashlib.sha256(CONTENT).hexdigest())
