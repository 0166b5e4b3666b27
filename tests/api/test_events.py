"""Events and event binaries (contract §8.3)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import respx

from c8ydm.api import conventions
from c8ydm.api.client import Client

PATH = "/event/events"


def test_latest_snapshot_event_query(
    client: Client, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conventions, "utc_now", lambda: datetime(2024, 5, 1, tzinfo=timezone.utc))
    route = router.get(PATH).respond(
        200, json={"events": [{"id": "e1", "type": "yaml", "source": {"id": "4711"}}]}
    )
    event = client.events.latest("4711", "yaml")
    assert event is not None and event.source is not None and event.source.id == "4711"
    assert dict(route.calls.last.request.url.params) == {
        "source": "4711",
        "type": "yaml",
        "dateFrom": "1970-01-01T00:00:00.000Z",
        "dateTo": "2024-05-02T00:00:00.000Z",
        "pageSize": "1",
    }


def test_create_and_list_events(client: Client, router: respx.MockRouter) -> None:
    create = router.post(PATH).respond(201, json={"id": "e2", "type": "t"})
    listing = router.get(PATH).respond(200, json={"events": [{"id": "e2"}], "statistics": {"totalPages": 1}})
    body = {"source": {"id": "4711"}, "type": "t", "text": "x", "time": "2024-05-01T12:00:00.000Z"}
    assert client.events.create(body).id == "e2"
    assert json.loads(create.calls.last.request.content) == body
    assert [e.id for e in client.events.list(source="4711", type="t", limit=5)] == ["e2"]
    assert dict(listing.calls.last.request.url.params) == {
        "source": "4711", "type": "t", "pageSize": "5", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_event_binary_download_and_read(client: Client, router: respx.MockRouter, tmp_path: Path) -> None:
    route = router.get(f"{PATH}/e1/binaries").respond(200, content=b"key: value\n")
    assert client.events.read_binary("e1") == b"key: value\n"
    client.events.download_binary("e1", tmp_path / "snap.yaml")
    assert (tmp_path / "snap.yaml").read_bytes() == b"key: value\n"
    assert route.calls.last.request.headers["Accept"] == "*/*"


def test_event_binary_upload_is_multipart(client: Client, router: respx.MockRouter, tmp_path: Path) -> None:
    source = tmp_path / "snap.json"
    source.write_text("{}")
    route = router.post(f"{PATH}/e1/binaries").respond(201, json={"name": "snap.json"})
    assert client.events.upload_binary("e1", source) == {"name": "snap.json"}
    content = route.calls.last.request.content
    assert content.index(b'name="file"') < content.index(b'name="object"')
