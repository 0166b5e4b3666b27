"""Inventory CRUD, response conventions and paging of the sandbox (contract §1.3, §1.5, §1.8)."""

from __future__ import annotations

import uuid

import httpx
from support.sandbox import SandboxInstance

MO_TYPE = "application/vnd.com.nsn.cumulocity.managedobject+json"


def _unique_type() -> str:
    return f"c8ydm_test_{uuid.uuid4().hex[:8]}"


def test_post_with_accept_returns_201_with_body_and_location(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    response = api.post("/inventory/managedObjects", json={"name": "dev", "type": "t", "c8y_IsDevice": {}})
    assert response.status_code == 201
    assert response.headers["content-type"].startswith(MO_TYPE)
    body = response.json()
    assert body["self"] == f"{sandbox.url}/inventory/managedObjects/{body['id']}"
    assert response.headers["location"] == body["self"]
    assert body["owner"] == sandbox.user
    assert body["creationTime"].endswith("Z") and body["lastUpdated"] == body["creationTime"]
    assert body["childAdditions"] == {"self": f"{body['self']}/childAdditions", "references": []}


def test_post_without_accept_returns_201_without_body(sandbox: SandboxInstance) -> None:
    with httpx.Client(base_url=sandbox.url, auth=sandbox.auth) as client:
        del client.headers["accept"]
        response = client.post("/inventory/managedObjects", json={"name": "silent"})
    assert response.status_code == 201
    assert response.content == b""
    assert "/inventory/managedObjects/" in response.headers["location"]


def test_put_merges_top_level_fragments_and_null_removes(api: httpx.Client) -> None:
    mo = api.post(
        "/inventory/managedObjects", json={"name": "a", "deviceType": "T", "c8y_X": {"a": 1, "b": 2}}
    ).json()
    response = api.put(
        f"/inventory/managedObjects/{mo['id']}",
        json={"id": mo["id"], "deviceType": None, "c8y_X": {"a": 3}, "description": "d"},
    )
    assert response.status_code == 200
    updated = response.json()
    assert "deviceType" not in updated
    assert updated["c8y_X"] == {"a": 3}  # a top-level fragment is replaced whole (contract §1.8)
    assert (updated["name"], updated["description"]) == ("a", "d")
    assert updated["lastUpdated"] >= mo["lastUpdated"]
    assert api.get(f"/inventory/managedObjects/{mo['id']}").json()["c8y_X"] == {"a": 3}


def test_delete_answers_204_then_404(api: httpx.Client) -> None:
    mo = api.post("/inventory/managedObjects", json={"name": "gone"}).json()
    response = api.delete(f"/inventory/managedObjects/{mo['id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert api.get(f"/inventory/managedObjects/{mo['id']}").status_code == 404
    assert api.delete(f"/inventory/managedObjects/{mo['id']}").status_code == 404


def test_paging_to_the_end_and_past_it(api: httpx.Client, sandbox: SandboxInstance) -> None:
    kind = _unique_type()
    ids = [
        api.post("/inventory/managedObjects", json={"type": kind, "name": f"p{i}"}).json()["id"]
        for i in range(7)
    ]
    pages = []
    for page in (1, 2, 3):
        body = api.get(
            "/inventory/managedObjects", params={"type": kind, "pageSize": 3, "currentPage": page}
        ).json()
        pages.append(body)
    assert [[mo["id"] for mo in body["managedObjects"]] for body in pages] == [ids[:3], ids[3:6], ids[6:]]
    assert pages[0]["statistics"] == {"currentPage": 1, "pageSize": 3}
    assert pages[0]["next"].startswith(f"{sandbox.url}/inventory/managedObjects?")
    assert "currentPage=2" in pages[0]["next"] and f"type={kind}" in pages[0]["next"]
    assert "prev" not in pages[0] and "currentPage=1" in pages[1]["prev"]
    assert "next" not in pages[2]  # a short page
    past = api.get("/inventory/managedObjects", params={"type": kind, "pageSize": 3, "currentPage": 9}).json()
    assert past["managedObjects"] == []


def test_statistics_totals_only_when_asked(api: httpx.Client) -> None:
    kind = _unique_type()
    for i in range(5):
        api.post("/inventory/managedObjects", json={"type": kind, "name": f"s{i}"})
    stats = api.get(
        "/inventory/managedObjects",
        params={"type": kind, "pageSize": 2, "withTotalPages": "true", "withTotalElements": "true"},
    ).json()["statistics"]
    assert stats == {"currentPage": 1, "pageSize": 2, "totalPages": 3, "totalElements": 5}
    counted = api.get(
        "/inventory/managedObjects", params={"type": kind, "pageSize": 1, "withTotalPages": "true"}
    )
    assert counted.json()["statistics"]["totalPages"] == 5


def test_page_size_is_trimmed_to_2000_and_defaults_to_5(api: httpx.Client) -> None:
    assert (
        api.get("/inventory/managedObjects", params={"pageSize": 5000}).json()["statistics"]["pageSize"]
        == 2000
    )
    assert api.get("/inventory/managedObjects").json()["statistics"]["pageSize"] == 5


def test_filters_by_fragment_owner_ids_text_and_q(api: httpx.Client, sandbox: SandboxInstance) -> None:
    kind = _unique_type()
    a = api.post(
        "/inventory/managedObjects", json={"type": kind, "name": f"{kind} alpha", "c8y_IsDevice": {}}
    ).json()
    b = api.post("/inventory/managedObjects", json={"type": kind, "name": "beta", "c8y_Frag": {}}).json()

    def ids(**params: str) -> list[str]:
        return [
            mo["id"]
            for mo in api.get("/inventory/managedObjects", params={"pageSize": 2000, **params}).json()[
                "managedObjects"
            ]
        ]

    assert ids(type=kind, fragmentType="c8y_Frag") == [b["id"]]
    assert ids(ids=f"{b['id']},{a['id']}") == [a["id"], b["id"]]
    assert ids(text=f"{kind} ALPHA") == [a["id"]]
    assert a["id"] in ids(owner=sandbox.user, type=kind)
    assert ids(q=f"$filter=(type eq '{kind}')") == [a["id"]]  # q adds fragmentType=c8y_IsDevice


def test_type_is_ignored_when_query_is_given(api: httpx.Client) -> None:
    kind = _unique_type()
    mo = api.post("/inventory/managedObjects", json={"type": kind, "name": "n"}).json()
    found = api.get(
        "/inventory/managedObjects",
        params={"type": "nothing-has-this", "query": f"$filter=(type eq '{kind}')"},
    )
    assert [m["id"] for m in found.json()["managedObjects"]] == [mo["id"]]


def test_external_ids_create_lookup_conflict_and_delete(api: httpx.Client) -> None:
    mo = api.post("/inventory/managedObjects", json={"name": "ext"}).json()
    value = uuid.uuid4().hex
    created = api.post(
        f"/identity/globalIds/{mo['id']}/externalIds", json={"externalId": value, "type": "c8y_Serial"}
    )
    assert created.status_code == 201
    found = api.get(f"/identity/externalIds/c8y_Serial/{value}").json()
    assert (found["externalId"], found["type"], found["managedObject"]["id"]) == (
        value,
        "c8y_Serial",
        mo["id"],
    )
    listed = api.get(f"/identity/globalIds/{mo['id']}/externalIds").json()["externalIds"]
    assert [e["externalId"] for e in listed] == [value]
    again = api.post(
        f"/identity/globalIds/{mo['id']}/externalIds", json={"externalId": value, "type": "c8y_Serial"}
    )
    assert again.status_code == 409
    assert api.delete(f"/identity/externalIds/c8y_Serial/{value}").status_code == 204
    assert api.get(f"/identity/externalIds/c8y_Serial/{value}").status_code == 404


def test_device_user_read_and_disable(api: httpx.Client) -> None:
    devices = api.get(
        "/inventory/managedObjects", params={"fragmentType": "c8y_IsDevice", "pageSize": 2000}
    ).json()
    device = next(d for d in devices["managedObjects"] if d["owner"].startswith("device_"))
    user = api.get(f"/inventory/managedObjects/{device['id']}/user").json()
    assert (user["userName"], user["enabled"]) == (device["owner"], True)
    disabled = api.put(f"/inventory/managedObjects/{device['id']}/user", json={"enabled": False})
    assert (disabled.status_code, disabled.json()["enabled"]) == (200, False)
    api.put(f"/inventory/managedObjects/{device['id']}/user", json={"enabled": True})
