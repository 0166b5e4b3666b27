"""Events and event attachments (contract §8.3, §1.9, §1.11)."""

from __future__ import annotations

import json
import uuid

import httpx


def _device(api: httpx.Client) -> str:
    return str(
        api.post("/inventory/managedObjects", json={"name": "ev-dev", "c8y_IsDevice": {}}).json()["id"]
    )


def _event(api: httpx.Client, source: str, kind: str, time: str, **extra: object) -> dict[str, object]:
    response = api.post(
        "/event/events",
        json={"source": {"id": source}, "type": kind, "text": f"at {time}", "time": time, **extra},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_events_list_newest_first_with_source_type_and_date_range(api: httpx.Client) -> None:
    device, kind = _device(api), f"c8ydm_ev_{uuid.uuid4().hex[:6]}"
    old = _event(api, device, kind, "2024-01-01T10:00:00.000Z")
    new = _event(api, device, kind, "2024-03-01T10:00:00.000+02:00")
    mid = _event(api, device, kind, "2024-02-01T10:00:00Z", c8y_Extra={"x": 1})
    _event(api, device, "other_type", "2024-02-02T10:00:00.000Z")
    params: dict[str, str | int] = {
        "source": device,
        "type": kind,
        "dateFrom": "1970-01-01T00:00:00.000Z",
        "dateTo": "2030-01-01T00:00:00.000Z",
        "pageSize": 10,
    }
    listed = api.get("/event/events", params=params).json()["events"]
    assert [e["id"] for e in listed] == [new["id"], mid["id"], old["id"]]
    assert listed[0]["time"] == "2024-03-01T08:00:00.000Z"
    assert listed[0]["source"]["id"] == device
    reverted = api.get("/event/events", params={**params, "revert": "true"}).json()["events"]
    assert [e["id"] for e in reverted] == [old["id"], mid["id"], new["id"]]
    window = api.get(
        "/event/events",
        params={**params, "dateFrom": "2024-02-01T10:00:00.000Z", "dateTo": "2024-03-01T08:00:00.000Z"},
    ).json()["events"]
    assert [e["id"] for e in window] == [mid["id"]]  # dateFrom inclusive, dateTo exclusive (§1.9)
    latest = api.get("/event/events", params={**params, "pageSize": 1}).json()["events"]
    assert [e["id"] for e in latest] == [new["id"]]
    by_fragment = api.get("/event/events", params={"source": device, "fragmentType": "c8y_Extra"}).json()[
        "events"
    ]
    assert [e["id"] for e in by_fragment] == [mid["id"]]


def test_event_get_put_delete(api: httpx.Client) -> None:
    event = _event(api, _device(api), "c8ydm_crud", "2024-01-01T00:00:00.000Z")
    assert api.get(f"/event/events/{event['id']}").json()["text"] == "at 2024-01-01T00:00:00.000Z"
    updated = api.put(
        f"/event/events/{event['id']}", json={"text": "changed", "type": "ignored", "c8y_New": {}}
    )
    assert updated.status_code == 200
    assert (updated.json()["text"], updated.json()["type"], updated.json()["c8y_New"]) == (
        "changed",
        "c8ydm_crud",
        {},
    )
    assert api.delete(f"/event/events/{event['id']}").status_code == 204
    assert api.get(f"/event/events/{event['id']}").status_code == 404


def test_event_without_source_or_time_is_422(api: httpx.Client) -> None:
    assert (
        api.post("/event/events", json={"type": "t", "text": "x", "time": "2024-01-01T00:00:00Z"}).status_code
        == 422
    )
    device = _device(api)
    assert (
        api.post("/event/events", json={"source": {"id": device}, "type": "t", "text": "x"}).status_code
        == 422
    )


def test_event_binary_multipart_then_raw_replace_and_delete(api: httpx.Client) -> None:
    event = _event(api, _device(api), "tedge.toml", "2024-01-01T00:00:00.000Z")
    url = f"/event/events/{event['id']}/binaries"
    posted = api.post(
        url,
        files={
            "object": (None, json.dumps({"name": "tedge.toml", "type": "text/plain"})),
            "file": ("tedge.toml", b"[mqtt]\nport = 1883\n", "text/plain"),
        },
    )
    assert posted.status_code == 201
    assert posted.json()["name"] == "tedge.toml"
    assert api.get(url, headers={"Accept": "*/*"}).content == b"[mqtt]\nport = 1883\n"
    info = api.get(f"/event/events/{event['id']}").json()["c8y_IsBinary"]
    assert info == {"name": "tedge.toml", "type": "text/plain", "length": 19}
    assert api.post(url, content=b"again", headers={"Content-Type": "text/plain"}).status_code == 409
    replaced = api.put(url, content=b"v2", headers={"Content-Type": "application/octet-stream"})
    assert replaced.status_code == 201
    assert api.get(url, headers={"Accept": "*/*"}).content == b"v2"
    assert api.delete(url).status_code == 204
    assert "c8y_IsBinary" not in api.get(f"/event/events/{event['id']}").json()
    assert api.get(url, headers={"Accept": "*/*"}).status_code == 404


def test_event_binary_raw_post_is_named_after_the_event(api: httpx.Client) -> None:
    event = _event(api, _device(api), "raw", "2024-01-01T00:00:00.000Z")
    posted = api.post(
        f"/event/events/{event['id']}/binaries", content=b"a,b\n1,2\n", headers={"Content-Type": "text/csv"}
    )
    assert posted.status_code == 201
    assert (posted.json()["name"], posted.json()["type"]) == (event["id"], "text/csv")
