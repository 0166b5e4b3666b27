"""External ids (``c8y_Serial`` …) of managed objects (contract §12.6 reconciliation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c8ydm.api.conventions import path_segment
from c8ydm.api.models.inventory import ExternalId

if TYPE_CHECKING:
    from c8ydm.api.client import Client


class Identity:
    """``client.identity``: external ids."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get_external_id(self, type: str, external_id: str) -> ExternalId:
        """Look up an external id; NotFoundError when unknown.

        GET /identity/externalIds/{type}/{externalId}
        """
        path = f"/identity/externalIds/{path_segment(type)}/{path_segment(external_id)}"
        return ExternalId.model_validate(self._client.get_json(path))

    def list_external_ids(self, mo_id: str) -> list[ExternalId]:
        """The external ids of a managed object. GET /identity/globalIds/{id}/externalIds"""
        answer = self._client.get_json(f"/identity/globalIds/{path_segment(mo_id)}/externalIds") or {}
        return [ExternalId.model_validate(item) for item in answer.get("externalIds") or []]

    def create_external_id(self, mo_id: str, *, type: str, external_id: str) -> ExternalId:
        """Give a managed object an external id. POST /identity/globalIds/{id}/externalIds"""
        path = f"/identity/globalIds/{path_segment(mo_id)}/externalIds"
        answer = self._client.post_json(path, {"type": type, "externalId": external_id})
        return ExternalId.model_validate(answer)
