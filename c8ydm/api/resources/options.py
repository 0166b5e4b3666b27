"""Tenant system options, e.g. the bulk creation-ramp bounds (contract §11.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c8ydm.api.conventions import path_segment
from c8ydm.api.models.tenant import SystemOption

if TYPE_CHECKING:
    from c8ydm.api.client import Client


class Options:
    """``client.options``: read-only system options."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get_system_option(self, category: str, key: str) -> SystemOption:
        """One system option; ``value`` is a string. GET /tenant/system/options/{category}/{key}"""
        path = f"/tenant/system/options/{path_segment(category)}/{path_segment(key)}"
        return SystemOption.model_validate(self._client.get_json(path))
