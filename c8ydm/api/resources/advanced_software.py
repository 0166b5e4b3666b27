"""Advanced software management, read side (contract §7.2, source 1), and the user's applications.

The service is available when the user's applications include one whose ``name`` or ``contextPath``
is ``advanced-software-mgmt``. Devices write the service themselves; c8ydm only reads it.
Attached to ``Client`` as ``client.advanced_software``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from c8ydm.api.conventions import path_segment
from c8ydm.api.models.base import C8yModel, IdStr
from c8ydm.api.paging import MAX_PAGE_SIZE, iter_items

if TYPE_CHECKING:
    from c8ydm.api.client import Client

SERVICE_NAME = "advanced-software-mgmt"
SOFTWARE_PATH = f"/service/{SERVICE_NAME}/software"


class Application(C8yModel):
    """An application the user may use (``GET /application/applicationsByUser/<user>``)."""

    id: IdStr | None = None
    name: str | None = None
    key: str | None = None
    type: str | None = None
    context_path: str | None = Field(default=None, alias="contextPath")


class SoftwareItem(C8yModel):
    """One installed package: ``{name, version, url, softwareType}`` (§7.2; other keys are kept)."""

    name: str | None = None
    version: str | None = None
    url: str | None = None
    software_type: str | None = Field(default=None, alias="softwareType")


class AdvancedSoftware:
    """The advanced software management service and the check whether the user has it."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def applications_of(self, user_name: str) -> list[Application]:
        """The applications of a user, overwritten ones dropped, in one page.

        GET /application/applicationsByUser/{userName}?dropOverwrittenApps=true&noPaging=true
        """
        path = f"/application/applicationsByUser/{path_segment(user_name)}"
        answer = self._client.get_json(path, params={"dropOverwrittenApps": True, "noPaging": True}) or {}
        return [Application.model_validate(item) for item in answer.get("applications") or []]

    def is_available(self, user_name: str) -> bool:
        """Whether the user's applications include ``advanced-software-mgmt`` (§7.2)."""
        return any(SERVICE_NAME in (app.name, app.context_path) for app in self.applications_of(user_name))

    def list(
        self,
        device_id: str,
        *,
        name: str | None = None,
        software_type: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[SoftwareItem]:
        """A device's software as the service knows it.

        GET /service/advanced-software-mgmt/software?deviceId=&pageSize=&currentPage=&withTotalPages=true
            [&name=][&type=]
        """
        params = {"deviceId": device_id, "name": name, "type": software_type}
        return iter_items(
            self._client,
            SOFTWARE_PATH,
            "softwareList",
            params=params,
            model=SoftwareItem,
            page_size=page_size,
        )


__all__ = ["SERVICE_NAME", "AdvancedSoftware", "Application", "SoftwareItem"]
