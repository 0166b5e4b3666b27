"""Device groups: exact requests for list, show, create, add, remove and delete (spec-validated)."""

from __future__ import annotations

import httpx
import pytest
import respx
from device_fakes import MO, body_of, client, mock_queries, page, router, sent

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError, PermissionDeniedError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures import groups

__all__ = ["client", "router"]  # fixtures

GROUP_SCOPE = "(type eq 'c8y_DeviceGroup') or (type eq 'c8y_DynamicGroup')"
STATIC = {"id": "500", "name": "Canary routers", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}
DYNAMIC = {
    "id": "501",
    "name": "Linux",
    "type": "c8y_DynamicGroup",
    "c8y_IsDynamicGroup": {},
    "c8y_DeviceQueryString": "type eq 'c8y_Linux'",
}
DEVICES = {
    name: {"id": device_id, "name": name, "type": "c8y_Gateway", "c8y_IsDevice": {}}
    for name, device_id in (("gw-1", "11"), ("gw-2", "12"), ("gw-3", "13"))
}
REFERENCE_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReference+json"


def name_query(scope: str, name: str) -> str:
    return f"$filter=(({scope}) and (name eq '{name}'))"


def device_query(name: str) -> str:
    return f"$filter=((has(c8y_IsDevice)) and (name eq '{name}'))"


def mock_lookups(router: respx.MockRouter) -> None:
    """The group and devices by name (resolve.py), and group 500's members: gw-1 only."""
    answers = {name_query(GROUP_SCOPE, g["name"]): [g] for g in (STATIC, DYNAMIC)}
    answers |= {device_query(name): [d] for name, d in DEVICES.items()}
    mock_queries(router, answers)
    router.get(f"{MO}/500").respond(200, json=STATIC)
    router.get(f"{MO}/13").respond(200, json=DEVICES["gw-3"])
    router.get(f"{MO}/500/childAssets/11").respond(200, json={"managedObject": DEVICES["gw-1"]})
    for device_id in ("12", "13"):
        router.get(f"{MO}/500/childAssets/{device_id}").respond(
            404, json={"error": "inventory/notFound", "message": "not a child"}
        )


def test_list_asks_for_both_group_types_without_the_hidden_ones_by_name(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.get(MO).respond(200, json=page("managedObjects", [STATIC, DYNAMIC]))

    found = groups.list_groups(client, name="Can*")

    assert [g.name for g in found] == ["Canary routers", "Linux"]
    assert dict(route.calls.last.request.url.params) == {
        "query": f"$filter=((({GROUP_SCOPE}) and (not(has(c8y_IsDynamicGroup.invisible)))) "
        "and (name eq 'Can*')) $orderby=name asc",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_create_static_group_posts_the_ui_body_after_looking_for_the_name(
    client: Client, router: respx.MockRouter
) -> None:
    mock_queries(router, {name_query(GROUP_SCOPE, "Canary routers"): []})
    created = router.post(MO).respond(201, json=STATIC)

    plan = groups.plan_group(client, "Canary routers")
    group, is_created = groups.create_group(client, plan)

    assert body_of(created) == {"name": "Canary routers", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}
    assert (group.id, is_created) == ("500", True)
    assert sent(router) == [("GET", MO), ("POST", MO)]


def test_create_dynamic_group_tests_the_query_then_posts_it_as_written(
    client: Client, router: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("q") == "type eq 'c8y_Linux'":
            assert request.url.params["withTotalPages"] == "true"
            return httpx.Response(200, json={"managedObjects": [], "statistics": {"totalPages": 7}})
        return httpx.Response(200, json=page("managedObjects", []))

    router.get(MO).mock(side_effect=answer)
    created = router.post(MO).respond(201, json=DYNAMIC)

    plan = groups.plan_group(client, "Linux", query="type eq 'c8y_Linux'")
    groups.create_group(client, plan)

    assert plan.matching_devices == 7
    assert body_of(created) == {
        "name": "Linux",
        "type": "c8y_DynamicGroup",
        "c8y_IsDynamicGroup": {},
        "c8y_DeviceQueryString": "type eq 'c8y_Linux'",
    }


def test_existing_group_is_a_conflict_unless_skip_accepts_the_same_kind(
    client: Client, router: respx.MockRouter
) -> None:
    mock_queries(router, {name_query(GROUP_SCOPE, "Canary routers"): [STATIC]})
    created = router.post(MO).respond(201, json=STATIC)
    plan = groups.plan_group(client, "Canary routers")

    with pytest.raises(
        ConflictError, match=r"a static group named 'Canary routers' already exists \(id 500\)"
    ):
        groups.create_group(client, plan)
    assert groups.create_group(client, plan, if_exists="skip") == (
        ManagedObject.model_validate(STATIC),
        False,
    )
    assert not created.called


def test_skip_does_not_accept_a_group_of_another_kind(client: Client, router: respx.MockRouter) -> None:
    router.get(MO).respond(200, json=page("managedObjects", [STATIC]))
    plan = groups.plan_group(client, "Canary routers", query="type eq 'c8y_Gateway'")

    with pytest.raises(ConflictError, match="a static group named"):
        groups.create_group(client, plan, if_exists="skip")


@pytest.mark.parametrize(("name", "query"), [("  ", None), ("x", " ")])
def test_blank_name_or_query_is_refused_before_any_request(
    client: Client, router: respx.MockRouter, name: str, query: str | None
) -> None:
    with pytest.raises(InputError):
        groups.plan_group(client, name, query=query)
    assert sent(router) == []


def test_add_links_only_the_devices_not_yet_in_the_group(client: Client, router: respx.MockRouter) -> None:
    mock_lookups(router)
    linked = router.post(f"{MO}/500/childAssets").respond(201, json={"managedObject": {"id": "12"}})

    plan = groups.plan_membership(client, "Canary routers", ["gw-1", "gw-2", "gw-2"], "add")
    change = groups.apply_membership(client, plan)

    assert [d.name for d in plan.changes] == ["gw-2"] and [d.name for d in plan.unchanged] == ["gw-1"]
    assert [d.name for d in change.changed] == ["gw-2"]
    assert body_of(linked) == {"managedObject": {"id": "12"}}
    request = linked.calls.last.request
    assert (request.headers["Content-Type"], request.headers["Accept"]) == (
        REFERENCE_TYPE,
        "application/json",
    )


def test_a_failed_add_removes_what_this_run_added_and_says_so(
    client: Client, router: respx.MockRouter
) -> None:
    mock_lookups(router)
    router.post(f"{MO}/500/childAssets").mock(
        side_effect=[
            httpx.Response(201, json={}),
            httpx.Response(403, json={"error": "security/Forbidden", "message": "Access is denied"}),
        ]
    )
    unlinked = router.delete(f"{MO}/500/childAssets/12").respond(204)
    notes: list[str] = []

    plan = groups.plan_membership(client, "Canary routers", ["gw-2", "gw-3"], "add")
    with pytest.raises(PermissionDeniedError) as raised:
        groups.apply_membership(client, plan, on_undo=notes.append)

    assert raised.value.message.endswith("(1 of 1 earlier changes undone)")
    assert unlinked.call_count == 1
    assert notes == ["Undone: 'gw-2' removed from the group."]


def test_remove_unlinks_members_and_leaves_the_others(client: Client, router: respx.MockRouter) -> None:
    mock_lookups(router)
    unlinked = router.delete(f"{MO}/500/childAssets/11").respond(204)

    plan = groups.plan_membership(client, "500", ["gw-1", "13"], "remove")
    groups.apply_membership(client, plan)

    assert [d.name for d in plan.changes] == ["gw-1"] and [d.name for d in plan.unchanged] == ["gw-3"]
    assert unlinked.call_count == 1


def test_a_dynamic_group_takes_no_members_and_nothing_is_sent(
    client: Client, router: respx.MockRouter
) -> None:
    mock_lookups(router)

    with pytest.raises(InputError, match="group 'Linux' is dynamic"):
        groups.plan_membership(client, "Linux", ["gw-1"], "add")
    assert all(method == "GET" for method, _ in sent(router))


def test_show_static_group_pages_its_child_assets_and_counts_them(
    client: Client, router: respx.MockRouter
) -> None:
    mock_lookups(router)
    references = [{"managedObject": DEVICES[name]} for name in ("gw-1", "gw-2")]

    def children(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("pageSize") == "1":
            return httpx.Response(200, json={"references": references[:1], "statistics": {"totalPages": 5}})
        return httpx.Response(200, json=page("references", references))

    route = router.get(f"{MO}/500/childAssets").mock(side_effect=children)

    details = groups.show_group(client, "Canary routers", limit=2)

    assert [m.name for m in details.members] == ["gw-1", "gw-2"] and details.member_count == 5
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"pageSize": "2", "currentPage": "1", "withTotalPages": "true"},
        {"pageSize": "1", "withTotalPages": "true"},
    ]


def test_show_dynamic_group_lists_what_its_query_matches(client: Client, router: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("query") == name_query(GROUP_SCOPE, "Linux"):
            return httpx.Response(200, json=page("managedObjects", [DYNAMIC]))
        assert params.get("q") == "type eq 'c8y_Linux'"
        if params.get("pageSize") == "1":
            return httpx.Response(200, json={"managedObjects": [], "statistics": {"totalPages": 1}})
        return httpx.Response(200, json=page("managedObjects", [DEVICES["gw-1"]]))

    router.get(MO).mock(side_effect=answer)

    details = groups.show_group(client, "Linux", limit=100)

    assert [m.name for m in details.members] == ["gw-1"] and details.member_count == 1


def test_delete_removes_only_the_group(client: Client, router: respx.MockRouter) -> None:
    route = router.delete(f"{MO}/500").respond(204)

    groups.delete_group(client, ManagedObject.model_validate(STATIC))

    assert route.calls.last.request.url.query == b""
