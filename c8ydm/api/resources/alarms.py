"""Alarms: list, read, raise, update (spec tag "Alarms", ``/alarm/alarms``).

The list's ``type``, ``status`` and ``severity`` take several values comma-separated (spec:
``explode: false``); ``dateFrom``/``dateTo`` bound the alarm's ``time`` (its last occurrence),
``createdFrom``/``createdTo`` its creation. The server lists newest first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from c8ydm.api.conventions import path_segment, timestamp_param
from c8ydm.api.models.alarms import Alarm, AlarmStatus
from c8ydm.api.models.base import as_body
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, iter_items

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/alarm/alarms"

Timestamp = datetime | str
Values = str | AlarmStatus | Sequence[str | AlarmStatus] | None


def _joined(values: Values) -> str | None:
    """Several values as the spec takes them: one parameter, comma-separated."""
    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(values)
    text = [item.value if isinstance(item, AlarmStatus) else str(item) for item in items]
    return ",".join(text) or None


class Alarms:
    """``client.alarms``: alarms raised by devices."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self,
        *,
        source: str | None = None,
        type: Values = None,
        status: Values = None,
        severity: Values = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        created_from: Timestamp | None = None,
        resolved: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[Alarm]:
        """Iterate alarms, newest first. GET /alarm/alarms"""
        params = {
            "source": source,
            "type": _joined(type),
            "status": _joined(status),
            "severity": _joined(severity),
            "dateFrom": timestamp_param(date_from),
            "dateTo": timestamp_param(date_to),
            "createdFrom": timestamp_param(created_from),
            "resolved": resolved,
        }
        return iter_items(
            self._client, PATH, "alarms", params=params, model=Alarm, page_size=page_size, limit=limit
        )

    def get(self, alarm_id: str) -> Alarm:
        """Get one alarm. GET /alarm/alarms/{id}"""
        return Alarm.model_validate(self._client.get_json(f"{PATH}/{path_segment(alarm_id)}"))

    def create(self, body: Alarm | Mapping[str, Any]) -> Alarm:
        """Raise an alarm (``source.id``, ``type``, ``text``, ``severity``, ``time``). POST /alarm/alarms"""
        return Alarm.model_validate(self._client.post_json(PATH, as_body(body)))

    def update(self, alarm_id: str, body: Alarm | Mapping[str, Any]) -> Alarm:
        """Change ``status``, ``text``, ``severity`` or custom fragments. PUT /alarm/alarms/{id}"""
        answer = self._client.put_json(f"{PATH}/{path_segment(alarm_id)}", as_body(body))
        return Alarm.model_validate(answer)


__all__ = ["Alarms"]
