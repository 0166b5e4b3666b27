"""Device profiles in the repository: list, create, copy, edit, delete (contract §9.1, §3.1, 14(d), 14(g))."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from profile_fakes import FW_ITEM, NGINX_ITEM, PROFILE_PATH, PROFILE_QUERY, profile_mo
from support.repo_mock import MO_PATH, ScriptedTenant, page

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.cli.views.profile import profiles_view
from c8ydm.procedures.repository.delete import execute_delete, plan_delete
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.profiles.content import item_counts
from c8ydm.procedures.repository.profiles.manage import (
    CreateRequest,
    EditRequest,
    copy_profile,
    count_assigned,
    create_profile,
    edit_profile,
    list_profiles,
)

LIST_QUERY = "$filter=(type eq 'c8y_Profile') $orderby=name asc"


def test_list_is_section_3_1_with_the_profile_type_and_counts_items(
    client: Client, tenant: ScriptedTenant
) -> None:
    full = profile_mo({"firmware": FW_ITEM, "software": [NGINX_ITEM, NGINX_ITEM], "configuration": []})
    tenant.on("GET", MO_PATH, page([full, profile_mo({}, id="51", name="Empty")]), query=LIST_QUERY)

    rows = list_profiles(client)

    assert [row.name for row in rows] == ["Baseline", "Empty"]
    assert [doc["itemCounts"] for doc in profiles_view(rows).document] == [
        {"firmware": 1, "software": 2, "configuration": 0},
        {"firmware": 0, "software": 0, "configuration": 0},
    ]
    assert tenant.calls[0].params["query"] == LIST_QUERY


def test_list_filters_by_device_type_like_the_grid(client: Client, tenant: ScriptedTenant) -> None:
    query = (
        "$filter=((type eq 'c8y_Profile') and ((c8y_Filter.type eq 'c8y_Linux') or "
        "((not(has(c8y_Filter.type))) or (c8y_Filter.type eq '')))) $orderby=name asc"
    )
    tenant.on("GET", MO_PATH, page([]), query=query)

    assert list_profiles(client, device_type="c8y_Linux") == []


@pytest.mark.parametrize(("device_type", "c8y_filter"), [("c8y_Linux", {"type": "c8y_Linux"}), (None, {})])
def test_create_posts_the_ui_body_without_c8y_global(
    client: Client, tenant: ScriptedTenant, device_type: str | None, c8y_filter: dict[str, Any]
) -> None:
    tenant.on("GET", MO_PATH, page([]), query=PROFILE_QUERY)
    tenant.on("POST", MO_PATH, profile_mo({}, c8y_Filter=c8y_filter))

    result = create_profile(client, CreateRequest("Baseline", device_type=device_type))

    assert result.status == "created"
    assert tenant.changes() == [
        (
            "POST",
            MO_PATH,
            {"name": "Baseline", "type": "c8y_Profile", "c8y_Filter": c8y_filter, "c8y_DeviceProfile": {}},
        )
    ]


def test_create_of_an_existing_name_fails_with_exit_7_or_is_kept_with_skip(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)

    with pytest.raises(ConflictError) as raised:
        create_profile(client, CreateRequest("Baseline", device_type="c8y_Linux"))
    kept = create_profile(client, CreateRequest("Baseline", device_type="c8y_Linux", if_exists="skip"))

    assert exit_code_for(raised.value) == 7
    assert kept.status == "unchanged" and kept.entry.id == "50"
    with pytest.raises(ConflictError, match="device type c8y_Linux"):  # skip keeps only the same profile
        create_profile(client, CreateRequest("Baseline", device_type="c8y_Gateway", if_exists="skip"))
    assert tenant.changes() == []


def test_create_without_an_answer_adopts_the_profile_found_by_name(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([]), page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("POST", MO_PATH, httpx.ReadTimeout("lost"))

    result = create_profile(client, CreateRequest("Baseline", device_type="c8y_Linux"))

    assert result.entry.id == "50"
    assert [method for method, _, _ in tenant.changes()] == ["POST"]  # never posted twice (14(d))


def test_copy_posts_a_deep_copy_without_read_only_keys(client: Client, tenant: ScriptedTenant) -> None:
    source = profile_mo(
        {"software": [NGINX_ITEM]},
        owner="admin", creationTime="2024-01-01T00:00:00.000Z", lastUpdated="2024-01-02T00:00:00.000Z",
        childAdditions={"references": [], "self": "x"}, **{"softwareType!apt": {}},
    )  # fmt: skip
    copy_query = "$filter=((type eq 'c8y_Profile') and (name eq 'Duplicate of Baseline'))"
    tenant.on("GET", MO_PATH, page([source]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([]), query=copy_query)
    tenant.on("POST", MO_PATH, profile_mo({}, id="52"))

    copy_profile(client, "Baseline")

    assert tenant.changes() == [
        (
            "POST",
            MO_PATH,
            {
                "name": "Duplicate of Baseline",
                "type": "c8y_Profile",
                "c8y_Filter": {"type": "c8y_Linux"},
                "c8y_DeviceProfile": {"software": [NGINX_ITEM]},
                "softwareType!apt": {},
            },
        )
    ]


def test_copy_onto_an_existing_name_fails_with_exit_7(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([profile_mo({}, id="51", name="Next")]),
              query="$filter=((type eq 'c8y_Profile') and (name eq 'Next'))")  # fmt: skip

    with pytest.raises(ConflictError, match=r"'Next' already exists \(id 51\)"):
        copy_profile(client, "Baseline", "Next")
    assert tenant.changes() == []


def test_edit_renames_and_changes_the_device_type_of_an_empty_profile_one_put_each(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("GET", MO_PATH, page([]), query="$filter=((type eq 'c8y_Profile') and (name eq 'Gateways'))")
    tenant.on("PUT", PROFILE_PATH, profile_mo({}))

    _, changed = edit_profile(client, "Baseline", EditRequest(name="Gateways", device_type="c8y_Gateway"))

    assert tenant.changes() == [
        ("PUT", PROFILE_PATH, {"id": "50", "name": "Gateways"}),
        ("PUT", PROFILE_PATH, {"id": "50", "c8y_Filter": {"type": "c8y_Gateway"}}),
    ]
    assert changed == ["name", "c8y_Filter"]


def test_clearing_the_device_type_sends_an_empty_type(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("PUT", PROFILE_PATH, profile_mo({}, c8y_Filter={"type": ""}))

    edit_profile(client, "Baseline", EditRequest(clear_device_type=True))

    assert tenant.changes() == [("PUT", PROFILE_PATH, {"id": "50", "c8y_Filter": {"type": ""}})]


def test_the_device_type_of_a_profile_with_items_cannot_change(
    client: Client, tenant: ScriptedTenant
) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({"firmware": FW_ITEM})]), query=PROFILE_QUERY)

    with pytest.raises(InputError, match="only while it has no firmware, software or configuration"):
        edit_profile(client, "Baseline", EditRequest(device_type="c8y_Gateway"))
    _, changed = edit_profile(client, "Baseline", EditRequest(device_type="c8y_Linux"))  # the same: no-op

    assert tenant.changes() == [] and changed == []


def test_delete_uses_force_cascade(client: Client, tenant: ScriptedTenant) -> None:
    tenant.on("GET", MO_PATH, page([profile_mo({})]), query=PROFILE_QUERY)
    tenant.on("DELETE", PROFILE_PATH, httpx.Response(204))

    plan = plan_delete(client, PROFILE, "Baseline")
    execute_delete(client, plan)

    assert plan.question == "Delete device profile 'Baseline' (id 50)?"
    assert tenant.changes() == [("DELETE", f"{PROFILE_PATH}?forceCascade=true", None)]


def test_devices_assigned_are_counted_with_one_query(client: Client, tenant: ScriptedTenant) -> None:
    query = "$filter=(c8y_Profile.profileId eq '50')"
    tenant.on("GET", MO_PATH, {"managedObjects": [], "statistics": {"totalPages": 7}}, query=query)

    assert count_assigned(client, "50") == 7
    assert tenant.calls[0].params == {"query": query, "pageSize": "1", "withTotalPages": "true"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CreateRequest(" "), "NAME must not be empty or whitespace only"),
        (lambda: CreateRequest("p", if_exists="maybe"), "--if-exists must be one of fail, skip"),
        (lambda: EditRequest(), "nothing to change: give --name, --device-type or --no-device-type"),
        (
            lambda: EditRequest(device_type="t", clear_device_type=True),
            "give --device-type or --no-device-type, not both",
        ),
    ],
)
def test_bad_requests_exit_2_before_any_request(make: Any, message: str) -> None:
    with pytest.raises(InputError) as raised:
        make()

    assert raised.value.message == message


def test_item_counts_of_an_empty_or_malformed_profile() -> None:
    assert item_counts({"firmware": {}, "software": "x", "configuration": [1, {"name": "c"}]}) == {
        "firmware": 0,
        "software": 0,
        "configuration": 1,
    }
