"""Inventory requests: exact paths, params, bodies and the child-addition media types (§1.3, §1.7, §1.8)."""

from __future__ import annotations

import json

import pytest
import respx

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.api.resources.inventory import MANAGED_OBJECT_TYPE, REFERENCE_TYPE

PATH = "/inventory/managedObjects"


def sent_json(route: respx.Route, index: int = -1) -> object:
    return json.loads(route.calls[index].request.content)


def test_get_sends_with_children_and_with_parents(client: Client, router: respx.MockRouter) -> None:
    route = router.get(f"{PATH}/4711").respond(
        200, json={"id": "4711", "additionParents": {"references": []}}
    )
    mo = client.inventory.get("4711", with_children=False, with_parents=True)
    assert mo.id == "4711"
    assert dict(route.calls.last.request.url.params) == {"withChildren": "false", "withParents": "true"}
    assert route.calls.last.request.headers["Accept"] == "application/json"


def test_list_passes_the_built_query_unencoded_to_httpx(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(200, json={"managedObjects": [], "statistics": {"totalPages": 0}})
    query = build(Q.eq("type", "c8y_Firmware"), orderby=[("name", "asc")])
    assert list(client.inventory.list(query=query, with_children=False, page_size=100)) == []
    params = dict(route.calls.last.request.url.params)
    assert params == {
        "query": "$filter=(type eq 'c8y_Firmware') $orderby=name asc",
        "withChildren": "false",
        "pageSize": "100",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_list_accepts_an_expression_and_the_simple_filters(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(
        200, json={"managedObjects": [{"id": "1"}], "statistics": {"totalPages": 1}}
    )
    found = list(
        client.inventory.list(
            query=Q.bygroupid("42"),
            fragment_type="c8y_IsDevice",
            owner="device_x",
            text="abc",
            ids=["1", "2"],
        )
    )
    assert [mo.id for mo in found] == ["1"]
    params = dict(route.calls.last.request.url.params)
    assert params["query"] == "$filter=(bygroupid(42))"
    assert (params["fragmentType"], params["owner"], params["text"], params["ids"]) == (
        "c8y_IsDevice",
        "device_x",
        "abc",
        "1,2",
    )


def test_list_refuses_type_together_with_query(client: Client) -> None:
    with pytest.raises(InputError, match="ignored"):
        client.inventory.list(query="$filter=(name eq 'x')", type="c8y_Firmware")


def test_first_sends_exactly_the_given_parameters_for_the_global_flag_check(
    client: Client, router: respx.MockRouter
) -> None:
    # §2.1: createdFrom is not in the spec but the UI sends it (allow-listed in the oas validator).
    config = {"id": "9", "type": "c8y_GlobalObjectConfiguration", "c8y_FirmwareAsGlobal": False}
    route = router.get(PATH).respond(200, json={"managedObjects": [config], "statistics": {}})
    found = client.inventory.first(
        type="c8y_GlobalObjectConfiguration", created_from="1990-01-01", fragment_type="c8y_FirmwareAsGlobal"
    )
    assert found is not None and found.fragment("c8y_FirmwareAsGlobal") is False
    assert route.calls.last.request.url.query.decode() == (
        "pageSize=1&type=c8y_GlobalObjectConfiguration&createdFrom=1990-01-01&fragmentType=c8y_FirmwareAsGlobal"
    )


def test_first_is_none_for_an_empty_page(client: Client, router: respx.MockRouter) -> None:
    router.get(PATH).respond(200, json={"managedObjects": [], "statistics": {}})
    assert client.inventory.first(query=Q.eq("type", "c8y_Nothing")) is None


def test_count_elements_reads_total_elements_of_a_one_item_page(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.get(PATH).respond(
        200, json={"managedObjects": [{"id": "1"}], "statistics": {"totalElements": 3, "totalPages": 3}}
    )
    query = build(Q.not_(Q.has("c8y_Patch")) & Q.bygroupid(5), orderby=[("creationTime.date", "desc")])
    assert client.inventory.count_elements(query=query) == 3
    assert list(route.calls.last.request.url.params.multi_items()) == [
        ("query", "$filter=((not(has(c8y_Patch))) and (bygroupid(5))) $orderby=creationTime.date desc"),
        ("pageSize", "1"),
        ("withTotalElements", "true"),
    ]


def test_count_elements_is_none_without_a_total(client: Client, router: respx.MockRouter) -> None:
    router.get(PATH).respond(200, json={"managedObjects": [], "statistics": {"pageSize": 1}})
    assert client.inventory.count_elements(query=Q.bygroupid(5)) is None


def test_count_uses_one_item_page(client: Client, router: respx.MockRouter) -> None:
    route = router.get(PATH).respond(
        200, json={"managedObjects": [{"id": "1"}], "statistics": {"totalPages": 7}}
    )
    assert client.inventory.count(query=Q.not_(Q.has("c8y_Patch")) & Q.bygroupid(5)) == 7
    assert dict(route.calls.last.request.url.params) == {
        "query": "$filter=((not(has(c8y_Patch))) and (bygroupid(5)))",
        "pageSize": "1",
        "withTotalPages": "true",
    }


def test_create_posts_json_and_returns_the_model(client: Client, router: respx.MockRouter) -> None:
    route = router.post(PATH).respond(201, json={"id": "9", "name": "fw", "type": "c8y_Firmware"})
    created = client.inventory.create(ManagedObject(name="fw", type="c8y_Firmware"))
    assert created.id == "9"
    request = route.calls.last.request
    assert sent_json(route) == {"name": "fw", "type": "c8y_Firmware"}
    assert (request.headers["Content-Type"], request.headers["Accept"]) == (
        "application/json",
        "application/json",
    )
    assert request.headers["User-Agent"].startswith("c8ydm/")


def test_update_puts_the_id_in_the_body_and_keeps_nulls(client: Client, router: respx.MockRouter) -> None:
    route = router.put(f"{PATH}/5").respond(200, json={"id": "5"})
    client.inventory.update("5", {"name": "cfg", "deviceType": None})
    assert sent_json(route) == {"name": "cfg", "deviceType": None, "id": "5"}


@pytest.mark.parametrize(
    ("kwargs", "params"),
    [
        ({}, {}),
        ({"force_cascade": True}, {"forceCascade": "true"}),
        ({"cascade": True}, {"cascade": "true"}),
        ({"with_device_user": True}, {"withDeviceUser": "true"}),
    ],
)
def test_delete_sends_the_cascade_flags(
    client: Client, router: respx.MockRouter, kwargs: dict[str, bool], params: dict[str, str]
) -> None:
    route = router.delete(f"{PATH}/5").respond(204)
    client.inventory.delete("5", **kwargs)
    assert dict(route.calls.last.request.url.params) == params


def test_create_child_addition_uses_the_managed_object_media_type(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.post(f"{PATH}/42/childAdditions").respond(
        201, json={"id": "43", "type": "c8y_FirmwareBinary"}
    )
    body = {"type": "c8y_FirmwareBinary", "c8y_Firmware": {"url": "", "version": "1.0"}}
    assert client.inventory.create_child_addition("42", body).id == "43"
    request = route.calls.last.request
    assert (
        request.headers["Content-Type"]
        == MANAGED_OBJECT_TYPE
        == "application/vnd.com.nsn.cumulocity.managedObject+json"
    )
    assert request.headers["Accept"] == "application/json"
    assert sent_json(route) == body


def test_link_existing_uses_the_reference_media_type(client: Client, router: respx.MockRouter) -> None:
    route = router.post(f"{PATH}/43/childAdditions").respond(201)
    client.inventory.link_child("43", "77")
    request = route.calls.last.request
    assert request.headers["Content-Type"] == REFERENCE_TYPE
    assert REFERENCE_TYPE == "application/vnd.com.nsn.cumulocity.managedObjectReference+json"
    assert request.headers["Accept"] == "application/json"
    assert sent_json(route) == {"managedObject": {"id": "77"}}


def test_child_assets_and_devices_link_list_and_unlink(client: Client, router: respx.MockRouter) -> None:
    link = router.post(f"{PATH}/1/childAssets").respond(201)
    unlink = router.delete(f"{PATH}/1/childDevices/2").respond(204)
    listing = router.get(f"{PATH}/1/childDevices").respond(
        200,
        json={"references": [{"managedObject": {"id": "2", "name": "d"}}], "statistics": {"totalPages": 1}},
    )
    client.inventory.link_child("1", "3", relation="childAssets")
    assert [mo.name for mo in client.inventory.list_children("1", relation="childDevices")] == ["d"]
    client.inventory.unlink_child("1", "2", relation="childDevices")
    assert link.called and unlink.called and listing.called


def test_device_user_get_and_disable(client: Client, router: respx.MockRouter) -> None:
    get = router.get(f"{PATH}/4711/user").respond(200, json={"userName": "device_abc", "enabled": True})
    put = router.put(f"{PATH}/4711/user").respond(200, json={"userName": "device_abc", "enabled": False})
    assert client.inventory.get_device_user("4711").user_name == "device_abc"
    assert client.inventory.set_device_user_enabled("4711", enabled=False).enabled is False
    assert get.called and sent_json(put) == {"enabled": False}
