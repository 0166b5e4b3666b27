"""Child collections, parents and cascading deletes (contract §1.3, §1.7, §3.3)."""

from __future__ import annotations

import httpx
from support.sandbox import SandboxInstance

CREATE = {"Content-Type": "application/vnd.com.nsn.cumulocity.managedObject+json"}
LINK = {"Content-Type": "application/vnd.com.nsn.cumulocity.managedObjectReference+json"}


def _mo(api: httpx.Client, **fragments: object) -> dict[str, object]:
    response = api.post("/inventory/managedObjects", json=fragments)
    assert response.status_code == 201
    return dict(response.json())


def _upload(api: httpx.Client, name: str = "fw.bin") -> str:
    response = api.post(
        "/inventory/binaries",
        files={
            "file": (name, b"payload", "application/octet-stream"),
            "object": (None, f'{{"name":"{name}","type":"c8y_upload"}}'),
        },
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def test_child_addition_create_and_link_in_one_call(api: httpx.Client, sandbox: SandboxInstance) -> None:
    entry = _mo(api, name="fw", type="c8y_Firmware")
    response = api.post(
        f"/inventory/managedObjects/{entry['id']}/childAdditions",
        headers=CREATE,
        content=b'{"type":"c8y_FirmwareBinary","c8y_Firmware":{"version":"1.0","url":""}}',
    )
    assert response.status_code == 201
    version = response.json()
    assert version["type"] == "c8y_FirmwareBinary" and version["id"] != entry["id"]
    refs = api.get(f"/inventory/managedObjects/{entry['id']}").json()["childAdditions"]["references"]
    assert [ref["managedObject"]["id"] for ref in refs] == [version["id"]]
    parents = api.get(f"/inventory/managedObjects/{version['id']}", params={"withParents": "true"}).json()
    assert parents["additionParents"]["references"][0]["managedObject"] == {
        "id": entry["id"],
        "self": f"{sandbox.url}/inventory/managedObjects/{entry['id']}",
        "name": "fw",
    }


def test_link_existing_one_and_several_then_list_and_unlink(api: httpx.Client) -> None:
    group = _mo(api, name="g", c8y_IsDeviceGroup={})
    a, b, c = (_mo(api, name=n) for n in "abc")
    one = api.post(
        f"/inventory/managedObjects/{group['id']}/childAssets",
        headers=LINK,
        json={"managedObject": {"id": a["id"]}},
    )
    assert one.status_code == 201
    assert one.json()["managedObject"]["id"] == a["id"]
    many = api.post(
        f"/inventory/managedObjects/{group['id']}/childAssets",
        json={"references": [{"managedObject": {"id": b["id"]}}, {"managedObject": {"id": c["id"]}}]},
    )
    assert many.status_code == 201
    listed = api.get(f"/inventory/managedObjects/{group['id']}/childAssets", params={"pageSize": 2}).json()
    assert [ref["managedObject"]["id"] for ref in listed["references"]] == [a["id"], b["id"]]
    assert listed["references"][0]["managedObject"]["name"] == "a"
    assert api.delete(f"/inventory/managedObjects/{group['id']}/childAssets/{b['id']}").status_code == 204
    left = api.get(f"/inventory/managedObjects/{group['id']}/childAssets").json()["references"]
    assert [ref["managedObject"]["id"] for ref in left] == [a["id"], c["id"]]
    assert api.get(f"/inventory/managedObjects/{b['id']}").status_code == 200  # unlinked, not deleted
    missing = api.post(
        f"/inventory/managedObjects/{group['id']}/childAssets",
        headers=LINK,
        json={"managedObject": {"id": "999999999"}},
    )
    assert missing.status_code == 404


def test_force_cascade_deletes_versions_and_their_linked_binaries(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    entry = _mo(api, name="fw-cascade", type="c8y_Firmware")
    version = api.post(
        f"/inventory/managedObjects/{entry['id']}/childAdditions",
        headers=CREATE,
        json={"type": "c8y_FirmwareBinary", "c8y_Firmware": {"version": "1"}},
    ).json()
    binary = _upload(api)
    api.post(
        f"/inventory/managedObjects/{version['id']}/childAdditions",
        headers=LINK,
        json={"managedObject": {"id": binary}},
    )
    assert (sandbox.data_dir / "binaries" / binary).exists()
    assert (
        api.delete(f"/inventory/managedObjects/{entry['id']}", params={"forceCascade": "true"}).status_code
        == 204
    )
    for gone in (entry["id"], version["id"], binary):
        assert api.get(f"/inventory/managedObjects/{gone}").status_code == 404
    assert api.get(f"/inventory/binaries/{binary}").status_code == 404
    assert not (sandbox.data_dir / "binaries" / binary).exists()


def test_plain_delete_leaves_children_and_cascade_only_follows_devices_and_groups(api: httpx.Client) -> None:
    entry = _mo(api, name="entry", type="c8y_Software")
    version = api.post(
        f"/inventory/managedObjects/{entry['id']}/childAdditions",
        headers=CREATE,
        json={"type": "c8y_SoftwareBinary"},
    ).json()
    api.delete(
        f"/inventory/managedObjects/{entry['id']}", params={"cascade": "true"}
    )  # not a device or group
    assert api.get(f"/inventory/managedObjects/{version['id']}").status_code == 200
    group = _mo(api, name="g", c8y_IsDeviceGroup={})
    device = _mo(api, name="d", c8y_IsDevice={})
    child = _mo(api, name="child", c8y_IsDevice={})
    api.post(
        f"/inventory/managedObjects/{group['id']}/childAssets", json={"managedObject": {"id": device["id"]}}
    )
    api.post(
        f"/inventory/managedObjects/{device['id']}/childDevices", json={"managedObject": {"id": child["id"]}}
    )
    api.delete(f"/inventory/managedObjects/{group['id']}", params={"cascade": "true"})
    assert api.get(f"/inventory/managedObjects/{device['id']}").status_code == 404
    assert api.get(f"/inventory/managedObjects/{child['id']}").status_code == 404


def test_group_delete_removes_subgroups_but_not_devices(api: httpx.Client) -> None:
    group, sub = _mo(api, name="g", c8y_IsDeviceGroup={}), _mo(api, name="s", c8y_IsDeviceGroup={})
    device = _mo(api, name="d", c8y_IsDevice={})
    api.post(
        f"/inventory/managedObjects/{group['id']}/childAssets", json={"managedObject": {"id": sub["id"]}}
    )
    api.post(
        f"/inventory/managedObjects/{sub['id']}/childAssets", json={"managedObject": {"id": device["id"]}}
    )
    api.delete(f"/inventory/managedObjects/{group['id']}")
    assert api.get(f"/inventory/managedObjects/{sub['id']}").status_code == 404
    assert api.get(f"/inventory/managedObjects/{device['id']}").status_code == 200


def test_with_children_false_and_only_roots(api: httpx.Client) -> None:
    parent = _mo(api, name="root", type="c8ydm_roots")
    child = api.post(
        f"/inventory/managedObjects/{parent['id']}/childAdditions",
        headers=CREATE,
        json={"name": "leaf", "type": "c8ydm_roots"},
    ).json()
    bare = api.get(f"/inventory/managedObjects/{parent['id']}", params={"withChildren": "false"}).json()
    assert "childAdditions" not in bare
    roots = api.get("/inventory/managedObjects", params={"type": "c8ydm_roots", "onlyRoots": "true"}).json()
    assert [mo["id"] for mo in roots["managedObjects"]] == [parent["id"]]
    by_child = api.get("/inventory/managedObjects", params={"childAdditionId": child["id"]}).json()
    assert [mo["id"] for mo in by_child["managedObjects"]] == [parent["id"]]
