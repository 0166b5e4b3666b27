"""Delete semantics (contract §3.6, §4, §14(g), §14(m))."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx
from support.repo_mock import MO_PATH, ScriptedTenant, entry_mo, make_client, page, version_mo

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.views.repository import delete_view
from c8ydm.procedures.repository.delete import execute_delete, plan_delete
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE

ENTRY_QUERY = "$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))"
VERSIONS = "$filter=(bygroupid(10)) $orderby=creationTime.date desc"
COUNT = "$filter=((not(has(c8y_Patch))) and (bygroupid(10))) $orderby=creationTime.date desc"
PATCHES_OF_1 = "$filter=((c8y_Patch.dependency eq '1.0') and (bygroupid(10))) $orderby=creationTime.date desc"
V1 = version_mo("12", "1.0", "https://x/1")
V2 = version_mo("13", "2.0", "https://x/2")
P1 = version_mo("14", "1.0.1", "https://x/p1", dependency="1.0")
P2 = version_mo("15", "1.0.2", "https://x/p2", dependency="1.0")


@pytest.fixture
def tenant(oas_router: respx.MockRouter) -> ScriptedTenant:
    tenant = ScriptedTenant(oas_router)
    tenant.on("DELETE", f"{MO_PATH}/10", httpx.Response(204))
    for mo_id in ("12", "13", "14", "15"):
        tenant.on("DELETE", f"{MO_PATH}/{mo_id}", httpx.Response(204))
    return tenant


@pytest.fixture
def client(tenant: ScriptedTenant) -> Iterator[Client]:
    with make_client() as api:
        yield api


def script(tenant: ScriptedTenant, versions: list[dict[str, object]], base_count: int) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("10", "fw")]), query=ENTRY_QUERY)
    tenant.on("GET", MO_PATH, page(versions), query=VERSIONS)
    tenant.on("GET", MO_PATH, page(versions[:1], totalElements=base_count), query=COUNT)
    tenant.on(
        "GET", MO_PATH, page([P2, P1, version_mo("16", "9", "", dependency="1.0*")]), query=PATCHES_OF_1
    )


def test_deleting_the_entry_is_one_force_cascade_delete(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("10", "fw")]), query=ENTRY_QUERY)

    plan = plan_delete(client, FIRMWARE, "fw")
    execute_delete(client, plan)

    assert plan.question == "Delete firmware 'fw' (id 10) with all its versions and patches?"
    assert tenant.changes() == [("DELETE", f"{MO_PATH}/10?forceCascade=true", None)]


def test_deleting_the_only_base_version_deletes_the_whole_entry(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant, [P1, V1], base_count=1)

    plan = plan_delete(client, FIRMWARE, "fw", version="1.0")
    execute_delete(client, plan)

    assert plan.is_whole_entry
    assert "the only version" in plan.question and "deletes the whole firmware" in plan.question
    assert tenant.changes() == [("DELETE", f"{MO_PATH}/10?forceCascade=true", None)]
    assert COUNT in tenant.queries()


def test_deleting_a_base_version_deletes_its_patches_first(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant, [V2, P2, P1, V1], base_count=2)
    deleted: list[str] = []

    plan = plan_delete(client, FIRMWARE, "fw", version="1.0")
    execute_delete(client, plan, on_deleted=deleted.append)

    assert plan.question == (
        "Delete firmware 'fw' (id 10) version 1.0 (id 12) with its patches 1.0.2 (id 15), 1.0.1 (id 14)?"
    )
    # The "1.0*" patch matched the wildcard-looking query but belongs to another base: it stays.
    assert tenant.changes() == [
        ("DELETE", f"{MO_PATH}/15?forceCascade=true", None),
        ("DELETE", f"{MO_PATH}/14?forceCascade=true", None),
        ("DELETE", f"{MO_PATH}/12?forceCascade=true", None),
    ]
    assert deleted[-1] == "Deleted version 1.0 (id 12)."
    assert [item["id"] for item in delete_view(plan, status="deleted").document["deleted"]] == [
        "15",
        "14",
        "12",
    ]


def test_deleting_a_patch_deletes_only_the_patch(client: Client, tenant: ScriptedTenant) -> None:
    script(tenant, [V2, P2, P1, V1], base_count=2)

    plan = plan_delete(client, FIRMWARE, "fw", version="1.0", patch="1.0.1")
    execute_delete(client, plan)

    assert tenant.changes() == [("DELETE", f"{MO_PATH}/14?forceCascade=true", None)]


def test_deleting_the_last_software_version_deletes_the_software(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on(
        "GET",
        MO_PATH,
        page([entry_mo("10", "nginx", "c8y_Software")]),
        query="$filter=((type eq 'c8y_Software') and (name eq 'nginx'))",
    )
    tenant.on("GET", MO_PATH, page([version_mo("12", "1.0", "", fragment="c8y_Software")]), query=VERSIONS)
    tenant.on("GET", MO_PATH, page([], totalElements=1), query=COUNT)

    plan = plan_delete(client, SOFTWARE, "nginx", version="1.0")
    execute_delete(client, plan)

    assert "with all its versions" in plan.question
    assert tenant.changes() == [("DELETE", f"{MO_PATH}/10?forceCascade=true", None)]


def test_an_unknown_version_is_not_found_and_nothing_is_deleted(
    client: Client, tenant: ScriptedTenant
) -> None:
    script(tenant, [V1], base_count=1)

    with pytest.raises(NotFoundError, match=r"no version '3\.0'"):
        plan_delete(client, FIRMWARE, "fw", version="3.0")
    assert tenant.changes() == []


def test_patch_without_version_is_refused_before_any_request(client: Client, tenant: ScriptedTenant) -> None:
    with pytest.raises(InputError, match="--patch needs --version"):
        plan_delete(client, FIRMWARE, "fw", patch="1.0.1")
    assert tenant.calls == []


def test_deleting_a_legacy_entrys_version_deletes_the_entry(client: Client, tenant: ScriptedTenant) -> None:
    legacy = entry_mo("10", "fw", url="https://x/old", version="0.9")
    tenant.on("GET", MO_PATH, page([legacy]), query=ENTRY_QUERY)

    plan = plan_delete(client, FIRMWARE, "fw", version="0.9")
    execute_delete(client, plan)

    assert plan.is_whole_entry
    assert tenant.changes() == [("DELETE", f"{MO_PATH}/10?forceCascade=true", None)]
    assert len(tenant.calls) == 2  # no version listing or count for a legacy entry
