"""Event models; typed configuration snapshots arrive as events with an attached binary (§8.3)."""

from __future__ import annotations

from pydantic import Field

from c8ydm.api.models.base import C8yModel, IdStr, ObjectRef


class Event(C8yModel):
    """An event; typed configuration snapshots arrive as events with an attached binary (§8.3)."""

    id: IdStr | None = None
    type: str | None = None
    text: str | None = None
    time: str | None = None
    creation_time: str | None = Field(default=None, alias="creationTime")
    source: ObjectRef | None = None
    self_url: str | None = Field(default=None, alias="self")
