"""Events and their attached binaries; typed configuration snapshots arrive this way (contract §8.3)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c8ydm.api.client import decode_json
from c8ydm.api.conventions import EPOCH_TIMESTAMP, one_day_from_now, path_segment, timestamp_param
from c8ydm.api.hooks import file_description
from c8ydm.api.models.base import as_body
from c8ydm.api.models.events import Event
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, iter_items
from c8ydm.api.transfer import DownloadProgress, MultipartUpload, ProgressCallback, guess_mime, stream_to_file

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/event/events"

Timestamp = datetime | str


class Events:
    """``client.events``: events and event binaries."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, body: Event | Mapping[str, Any]) -> Event:
        """Create an event. POST /event/events"""
        return Event.model_validate(self._client.post_json(PATH, as_body(body)))

    def get(self, event_id: str) -> Event:
        """Get one event. GET /event/events/{id}"""
        return Event.model_validate(self._client.get_json(f"{PATH}/{path_segment(event_id)}"))

    def list(
        self,
        *,
        source: str | None = None,
        type: str | None = None,
        fragment_type: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        revert: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[Event]:
        """Iterate events, newest first (the server's default order). GET /event/events"""
        params = {
            "source": source,
            "type": type,
            "fragmentType": fragment_type,
            "dateFrom": timestamp_param(date_from),
            "dateTo": timestamp_param(date_to),
            "revert": revert,
        }
        return iter_items(
            self._client, PATH, "events", params=params, model=Event, page_size=page_size, limit=limit
        )

    def latest(self, source: str, type: str) -> Event | None:
        """The newest event of a type for a device, or None (§8.3).

        GET /event/events?source=&type=&dateFrom=1970-01-01T00:00:00.000Z&dateTo=<now+1d>&pageSize=1
        """
        params = {
            "source": source,
            "type": type,
            "dateFrom": EPOCH_TIMESTAMP,
            "dateTo": one_day_from_now(),
            "pageSize": 1,
        }
        items = (self._client.get_json(PATH, params=params) or {}).get("events") or []
        return Event.model_validate(items[0]) if items else None

    def upload_binary(
        self,
        event_id: str,
        path: Path | str,
        *,
        name: str | None = None,
        content_type: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> dict[str, Any]:
        """Attach a file to an event (multipart ``file`` then ``object``). POST /event/events/{id}/binaries"""
        source = Path(path)
        filename = name or source.name
        mime = content_type or guess_mime(filename)
        object_part = {"name": filename, "type": mime}
        body = MultipartUpload(
            source, filename=filename, mime=mime, object_part=object_part, on_progress=on_progress
        )
        response = self._client.request(
            "POST", f"{PATH}/{path_segment(event_id)}/binaries", content=body, headers=body.headers(),
            transfer=True, dry_run_body=lambda: {"file": file_description(source, name=filename),
                                                 "object": object_part},
        )  # fmt: skip
        answer = decode_json(response)
        return answer if isinstance(answer, dict) else {}

    def download_binary(
        self, event_id: str, dest: Path | str, *, on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream an event's attached file into ``dest``. GET /event/events/{id}/binaries (Accept: */*)"""
        path = f"{PATH}/{path_segment(event_id)}/binaries"
        with self._client.stream("GET", path, expect_json=False, transfer=True) as response:
            return stream_to_file(response, Path(dest), on_progress=on_progress)

    def read_binary(self, event_id: str) -> bytes:
        """An event's attached file as bytes (§8.3 keeps snapshots as bytes).

        GET /event/events/{id}/binaries
        """
        path = f"{PATH}/{path_segment(event_id)}/binaries"
        return self._client.request("GET", path, expect_json=False, transfer=True).content
