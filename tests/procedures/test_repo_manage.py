"""List, show and edit (contract §1.6.2, §3.1, §3.2, §3.5, §4) and name resolution."""

from __future__ import annotations

from typing import Any

import pytest
from support.repo_mock import BASE_URL, MO_PATH, ScriptedTenant, entry_mo, mo, page, version_mo

from c8ydm.api.client import Client
from c8ydm.api.errors import AmbiguousNameError, ConflictError, InputError
from c8ydm.cli.views.repository import list_view, show_view
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE
from c8ydm.procedures.repository.lookup import list_query
from c8ydm.procedures.repository.manage import (
    EditRequest,
    ListRequest,
    binary_name,
    edit_entry,
    list_entries,
    show_entry,
)

COUNT_10 = "$filter=((not(has(c8y_Patch))) and (bygroupid(10))) $orderby=creationTime.date desc"
ODD_NAME = "a'b[c] (x)"
ODD_QUERY = "$filter=((type eq 'c8y_Firmware') and (name eq 'a''b\\[c\\] \\(x\\)'))"


def test_list_query_is_the_ui_query_with_filters_anded_on() -> None:
    assert list_query(FIRMWARE) == "$filter=(type eq 'c8y_Firmware') $orderby=name asc"
    # §1.6.2's example row: name a'b[c], firmware list.
    assert list_query(FIRMWARE, name="a'b[c]") == (
        "$filter=((type eq 'c8y_Firmware') and (name eq 'a''b\\[c\\]')) $orderby=name asc"
    )
    assert list_query(SOFTWARE, name="ng*", device_type="c8y_Linux", fields={"softwareType": "apt"}) == (
        "$filter=((((type eq 'c8y_Software') and (name eq 'ng*')) and ((c8y_Filter.type eq 'c8y_Linux') or "
        "((not(has(c8y_Filter.type))) or (c8y_Filter.type eq '')))) and (softwareType eq 'apt')) "
        "$orderby=name asc"
    )


def test_list_counts_base_versions_per_entry_with_the_ui_count_query(
    client: Client, tenant: ScriptedTenant
) -> None:
    legacy = entry_mo("11", "old", url="https://x/old", version="0.1")
    tenant.on("GET", MO_PATH, page([entry_mo("10", "fw"), legacy]), query=list_query(FIRMWARE))
    tenant.on("GET", MO_PATH, page([version_mo("12", "1", "")], totalElements=3), query=COUNT_10)

    rows = list_entries(client, ListRequest(FIRMWARE))

    assert [(row.entry.name, row.version_count) for row in rows] == [("fw", 3), ("old", 1)]
    count_call = tenant.calls[1]
    assert count_call.params == {"query": COUNT_10, "pageSize": "1", "withTotalElements": "true"}
    assert len(tenant.calls) == 2  # a legacy entry counts as 1 without a request
    assert list_view(FIRMWARE, rows).document[0]["versionCount"] == 3


ALL_BASE_VERSIONS = "$filter=((type eq 'c8y_FirmwareBinary') and (not(has(c8y_Patch))))"


def _parented(version: dict[str, Any], entry_id: str) -> dict[str, Any]:
    parent = {"managedObject": {"id": entry_id, "self": f"{BASE_URL}{MO_PATH}/{entry_id}"}}
    return {**version, "additionParents": {"references": [parent]}}


def test_a_long_list_counts_every_entry_from_one_listing_of_all_base_versions(
    client: Client, tenant: ScriptedTenant
) -> None:
    entries = [entry_mo(str(100 + n), f"fw-{n:03d}") for n in range(150)]
    versions = [
        _parented(version_mo(str(1000 + 10 * n + k), f"1.{k}", ""), str(100 + n))
        for n in range(150)
        for k in range(n % 4)
    ]
    versions.append(_parented(version_mo("9999", "x", ""), "77"))  # an entry the list does not show
    tenant.on("GET", MO_PATH, page(entries, totalPages=1), query=list_query(FIRMWARE))
    tenant.on("GET", MO_PATH, page(versions, totalPages=1), query=ALL_BASE_VERSIONS)

    rows = list_entries(client, ListRequest(FIRMWARE))

    assert [row.version_count for row in rows] == [n % 4 for n in range(150)]  # every count, zeros too
    assert len(tenant.calls) == 2
    assert tenant.calls[1].params == {
        "query": ALL_BASE_VERSIONS, "withParents": "true", "withChildren": "false",
        "pageSize": "2000", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


@pytest.mark.parametrize("entry_count", [3, 150, 4000])
def test_listing_costs_at_most_three_requests_for_any_number_of_entries(
    client: Client, tenant: ScriptedTenant, entry_count: int
) -> None:
    entries = [entry_mo(str(100 + n), f"fw-{n:05d}") for n in range(entry_count)]
    pages = [entries[i : i + 2000] for i in range(0, entry_count, 2000)]
    total = {"totalPages": len(pages)}
    tenant.on("GET", MO_PATH, *[page(chunk, **total) for chunk in pages], query=list_query(FIRMWARE))
    one_each = [
        _parented(version_mo(str(10**6 + n), "1", ""), str(100 + n)) for n in range(min(entry_count, 50))
    ]
    tenant.on("GET", MO_PATH, page(one_each, totalPages=1), query=ALL_BASE_VERSIONS)

    rows = list_entries(client, ListRequest(FIRMWARE))

    assert len(rows) == entry_count and None not in [row.version_count for row in rows]
    assert len(tenant.calls) == len(pages) + 1 <= 3


def test_show_groups_patches_under_their_base_newest_first(client: Client, tenant: ScriptedTenant) -> None:
    binary_url = f"{BASE_URL}/inventory/binaries/50"
    base = version_mo("12", "1.0.0", binary_url)
    base["childAdditions"] = {"references": [{"managedObject": {"id": "50", "name": "fw-1.0.0.bin"}}]}
    tenant.on(
        "GET",
        MO_PATH,
        page([entry_mo("10", "fw")]),
        query="$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))",
    )
    tenant.on(
        "GET",
        MO_PATH,
        page(
            [
                version_mo("14", "1.0.2", "https://x/p2", dependency="1.0.0"),
                version_mo("13", "2.0.0", "https://x/2"),
                version_mo("15", "1.0.1", "https://x/p1", dependency="1.0.0"),
                base,
                mo("16", type="c8y_Other"),  # not a version: kept out (§3.2 ★)
            ]
        ),
        query="$filter=(bygroupid(10)) $orderby=creationTime.date desc",
    )

    details = show_entry(client, FIRMWARE, "fw")

    assert [(v.version, [p.version for p in v.patches]) for v in details.versions] == [
        ("2.0.0", []),
        ("1.0.0", ["1.0.2", "1.0.1"]),
    ]
    assert binary_name(details.versions[1]) == "fw-1.0.0.bin"
    document = show_view(details).document
    assert document["entry"]["id"] == "10"
    assert [p["id"] for p in document["versions"][1]["patches"]] == ["14", "15"]


def test_a_name_with_quotes_and_brackets_is_escaped_in_the_lookup(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("10", ODD_NAME)]), query=ODD_QUERY)
    tenant.on("GET", MO_PATH, page([]), query="$filter=(bygroupid(10)) $orderby=creationTime.date desc")

    details = show_entry(client, FIRMWARE, ODD_NAME)

    assert details.entry.id == "10"
    assert tenant.queries()[0] == ODD_QUERY


def test_two_entries_with_one_name_fail_naming_their_ids(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("31", "fw"), entry_mo("7", "fw")]))

    with pytest.raises(AmbiguousNameError, match=r"ids 7, 31") as caught:
        show_entry(client, FIRMWARE, "fw")
    assert caught.value.ids == ["7", "31"]


def test_edit_sends_one_put_per_field(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on(
        "GET",
        MO_PATH,
        page([entry_mo("20", "nginx", "c8y_Software")]),
        query=("$filter=((type eq 'c8y_Software') and (name eq 'nginx'))"),
    )
    tenant.on("GET", MO_PATH, page([]), query="$filter=((type eq 'c8y_Software') and (name eq 'nginx2'))")
    tenant.on("PUT", f"{MO_PATH}/20", entry_mo("20", "nginx2", "c8y_Software"))
    request = EditRequest(
        SOFTWARE, name="nginx2", description="Web", device_type="c8y_Linux", fields={"softwareType": "docker"}
    )

    edit_entry(client, "nginx", request)

    assert tenant.changes() == [
        ("PUT", f"{MO_PATH}/20", {"id": "20", "name": "nginx2"}),
        ("PUT", f"{MO_PATH}/20", {"id": "20", "description": "Web"}),
        ("PUT", f"{MO_PATH}/20", {"id": "20", "c8y_Filter": {"type": "c8y_Linux"}}),
        ("PUT", f"{MO_PATH}/20", {"id": "20", "softwareType": "docker"}),
    ]


def test_no_device_type_sends_an_empty_type(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("10", "fw")]))
    tenant.on("PUT", f"{MO_PATH}/10", entry_mo("10", "fw"))

    edit_entry(client, "fw", EditRequest(FIRMWARE, clear_device_type=True))

    assert tenant.changes() == [("PUT", f"{MO_PATH}/10", {"id": "10", "c8y_Filter": {"type": ""}})]


def test_renaming_onto_another_entrys_name_is_a_conflict(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on(
        "GET",
        MO_PATH,
        page([entry_mo("10", "fw")]),
        query="$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))",
    )
    tenant.on("GET", MO_PATH, page([entry_mo("11", "other")]))

    with pytest.raises(ConflictError, match="already named 'other' \\(id 11\\)"):
        edit_entry(client, "fw", EditRequest(FIRMWARE, name="other"))
    assert tenant.changes() == []


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({}, "nothing to change"),
        ({"device_type": "x", "clear_device_type": True}, "not both"),
        ({"fields": {"softwareType": "apt"}}, "for software only"),
        ({"description": "  "}, "--description must not be empty"),
    ],
)
def test_bad_edits_are_refused_before_any_request(
    client: Client, tenant: ScriptedTenant, request_: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        edit_entry(client, "fw", EditRequest(FIRMWARE, **request_))
    assert tenant.calls == []


def test_show_of_a_legacy_entry_gives_its_single_version(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([entry_mo("10", "old", url="https://x/old.bin", version="0.9")]))

    details = show_entry(client, FIRMWARE, "old")

    assert show_view(details).document["versions"] == [
        {"c8y_Firmware": {"version": "0.9", "url": "https://x/old.bin"}, "legacy": True}
    ]
    assert len(tenant.calls) == 1  # no version query: the version is on the entry (§2.2)
