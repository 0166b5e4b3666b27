"""Alarm models (spec tag "Alarms"): what a device raises when something is wrong.

Rollouts read them as a health gate (``rollout start --halt-on-alarm TYPE``): a device that raised an
active alarm of a watched type after its update counts as failed.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from c8ydm.api.models.base import C8yModel, IdStr, ObjectRef


class AlarmStatus(str, Enum):
    """An alarm's ``status`` (spec enum)."""

    ACTIVE = "ACTIVE"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    CLEARED = "CLEARED"


class AlarmSeverity(str, Enum):
    """An alarm's ``severity`` (spec enum)."""

    CRITICAL = "CRITICAL"
    MAJOR = "MAJOR"
    MINOR = "MINOR"
    WARNING = "WARNING"


class Alarm(C8yModel):
    """An alarm; ``count`` > 1 when the device raised it again while it was still open (de-duplication)."""

    id: IdStr | None = None
    self_url: str | None = Field(default=None, alias="self")
    type: str | None = None
    text: str | None = None
    severity: str | None = None
    status: str | None = None
    time: str | None = None
    creation_time: str | None = Field(default=None, alias="creationTime")
    last_updated: str | None = Field(default=None, alias="lastUpdated")
    first_occurrence_time: str | None = Field(default=None, alias="firstOccurrenceTime")
    count: int | None = None
    source: ObjectRef | None = None

    @property
    def source_id(self) -> str | None:
        """The id of the managed object that raised the alarm."""
        return self.source.id if self.source is not None else None


__all__ = ["Alarm", "AlarmSeverity", "AlarmStatus"]
