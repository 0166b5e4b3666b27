"""The add flow on failure: what this run created is removed in reverse order (§3.3 ★), and a POST
without a definitive answer is reconciled by a lookup instead of being re-sent (§14(d))."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from support.repo_mock import (
    BASE_URL,
    MO_PATH,
    ScriptedTenant,
    binary_mo,
    entry_mo,
    page,
    script_no_leftovers,
    upload_marker,
    version_mo,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import TransportError, UnprocessableEntityError
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE

ENTRY_QUERY = "$filter=((type eq 'c8y_Firmware') and (name eq 'router-fw'))"
VERSION_LOOKUP = (
    "$filter=((type eq 'c8y_FirmwareBinary') and (not(has(c8y_Patch))) and (c8y_Firmware.version eq '1.0.0') "
    "and (bygroupid(10)))"
)
BIN_URL = f"{BASE_URL}/inventory/binaries/11"
TARGET = {"type": "c8y_Firmware", "name": "router-fw", "version": "1.0.0"}
UPLOAD = ("POST", "/inventory/binaries")
CREATE_ENTRY = ("POST", MO_PATH)
CREATE_VERSION = ("POST", f"{MO_PATH}/10/childAdditions")
LINK = ("POST", f"{MO_PATH}/12/childAdditions")
DELETE_VERSION = ("DELETE", f"{MO_PATH}/12?forceCascade=true")
DELETE_BINARY = ("DELETE", "/inventory/binaries/11")
DELETE_ENTRY = ("DELETE", f"{MO_PATH}/10?forceCascade=true")


@pytest.fixture
def request_(tmp_path: Path) -> AddRequest:
    path = tmp_path / "fw.bin"
    path.write_bytes(b"hello")
    return AddRequest(FIRMWARE, "router-fw", "1.0.0", file=path, description="Router")


def script(tenant: ScriptedTenant, **answers: Any) -> None:
    """A new firmware from a file; ``answers`` override a step's answer(s)."""
    tenant.on("GET", MO_PATH, page([]), type="c8y_GlobalObjectConfiguration")
    script_no_leftovers(tenant, *answers.get("binaries", []))
    tenant.on("POST", "/inventory/binaries", *answers.get("upload", [binary_mo("11")]))
    tenant.on("POST", MO_PATH, *answers.get("entry", [entry_mo("10", "router-fw")]))
    tenant.on(
        "POST", f"{MO_PATH}/10/childAdditions", *answers.get("version", [version_mo("12", "1.0.0", BIN_URL)])
    )
    tenant.on("POST", f"{MO_PATH}/12/childAdditions", *answers.get("link", [{"managedObject": {"id": "11"}}]))
    tenant.on("DELETE", f"{MO_PATH}/12", *answers.get("delete_version", [httpx.Response(204)]))
    tenant.on("DELETE", "/inventory/binaries/11", httpx.Response(204))
    tenant.on("DELETE", f"{MO_PATH}/10", httpx.Response(204))


def run(client: Client, tenant: ScriptedTenant, request: AddRequest, reports: list[str] | None = None) -> Any:
    tenant.on("GET", MO_PATH, page([]), query=ENTRY_QUERY)
    plan = plan_add(client, request)
    return execute_add(client, plan, on_undo=reports.append if reports is not None else None)


def steps(tenant: ScriptedTenant) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in tenant.changes()]


def test_failed_entry_post_removes_the_uploaded_binary(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, entry=[422])

    with pytest.raises(UnprocessableEntityError):
        run(client, tenant, request_)
    assert steps(tenant) == [UPLOAD, CREATE_ENTRY, DELETE_BINARY]


def test_failed_version_post_removes_the_binary_then_the_new_entry(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, version=[422])
    reports: list[str] = []

    with pytest.raises(UnprocessableEntityError):
        run(client, tenant, request_, reports)
    assert steps(tenant) == [UPLOAD, CREATE_ENTRY, CREATE_VERSION, DELETE_BINARY, DELETE_ENTRY]
    assert reports == ["Removed the binary 11 this run created.", "Removed the entry 10 this run created."]


def test_failed_link_removes_version_then_unlinked_binary_then_new_entry(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, link=[422])

    with pytest.raises(UnprocessableEntityError):
        run(client, tenant, request_)
    assert steps(tenant) == [
        UPLOAD,
        CREATE_ENTRY,
        CREATE_VERSION,
        LINK,
        DELETE_VERSION,
        DELETE_BINARY,
        DELETE_ENTRY,
    ]


def test_failed_version_post_on_an_existing_entry_keeps_the_entry(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    existing = entry_mo("10", "router-fw", description="Router")
    tenant.on("GET", MO_PATH, page([existing]), query=ENTRY_QUERY)
    tenant.on("GET", MO_PATH, page([]), query="$filter=(bygroupid(10)) $orderby=creationTime.date desc")
    tenant.on("PUT", f"{MO_PATH}/10", existing)
    script(tenant, version=[422])

    with pytest.raises(UnprocessableEntityError):
        run(client, tenant, request_)
    assert steps(tenant) == [UPLOAD, ("PUT", f"{MO_PATH}/10"), CREATE_VERSION, DELETE_BINARY]


def test_a_removal_that_fails_is_named_in_the_hint(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, link=[422], delete_version=[500])

    with pytest.raises(UnprocessableEntityError) as caught:
        run(client, tenant, request_)
    # The version could not be removed, so the binary linked under it is deleted on its own.
    assert steps(tenant)[-3:] == [DELETE_VERSION, DELETE_BINARY, DELETE_ENTRY]
    assert "Left behind (remove by hand): version 12." in (caught.value.hint or "")


def test_version_post_without_an_answer_is_reconciled_by_lookup_not_resent(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, version=[httpx.ReadTimeout("no answer")])
    tenant.on("GET", MO_PATH, page([version_mo("12", "1.0.0", BIN_URL)]), query=VERSION_LOOKUP)

    result = run(client, tenant, request_)

    assert result.status == "created" and result.version.id == "12"
    assert steps(tenant) == [UPLOAD, CREATE_ENTRY, CREATE_VERSION, LINK]
    assert tenant.queries()[-1] == VERSION_LOOKUP


def test_version_post_without_an_answer_and_nothing_found_is_sent_again_then_cleans_up(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    script(tenant, version=[httpx.ConnectError("reset")])
    tenant.on("GET", MO_PATH, page([version_mo("99", "1.0.0-beta", BIN_URL)]), query=VERSION_LOOKUP)

    with pytest.raises(TransportError):
        run(client, tenant, request_)
    # Each try is followed by a look-up that finds nothing (1.0.0-beta is not 1.0.0), so it is sent
    # again until the retry policy's attempts are spent; then this run's objects are removed.
    attempts = client.retry.max_attempts
    assert steps(tenant) == [UPLOAD, CREATE_ENTRY, *[CREATE_VERSION] * attempts, DELETE_BINARY, DELETE_ENTRY]
    assert tenant.queries().count(VERSION_LOOKUP) == attempts


def test_entry_post_without_an_answer_uses_the_entry_found_and_still_owns_it(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    tenant.on("GET", MO_PATH, page([]), page([entry_mo("10", "router-fw")]), query=ENTRY_QUERY)
    script(tenant, entry=[httpx.ReadTimeout("no answer")], link=[422])

    with pytest.raises(UnprocessableEntityError):
        run(client, tenant, request_)
    assert steps(tenant) == [
        UPLOAD,
        CREATE_ENTRY,
        CREATE_VERSION,
        LINK,
        DELETE_VERSION,
        DELETE_BINARY,
        DELETE_ENTRY,
    ]


def test_upload_without_an_answer_finds_the_binary_this_run_uploaded(
    client: Client, tenant: ScriptedTenant, request_: AddRequest
) -> None:
    earlier = binary_mo("9")  # same name and type, uploaded by someone else: no marker
    ours = {**binary_mo("11"), "c8ydm_Upload": upload_marker(TARGET)}
    script(tenant, upload=[httpx.ReadTimeout("no answer")], binaries=[[earlier], [earlier, ours]])

    result = run(client, tenant, request_)

    assert result.binary.id == "11"
    assert steps(tenant) == [UPLOAD, CREATE_ENTRY, CREATE_VERSION, LINK]
    lookups = [c for c in tenant.calls if c.path == "/inventory/binaries" and c.method == "GET"]
    assert [(c.params["owner"], c.params["type"]) for c in lookups] == [
        ("admin", "application/octet-stream")
    ] * 2
