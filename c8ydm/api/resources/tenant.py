"""The tenant, its login options and the current user (contract §1.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c8ydm.api.models.tenant import CurrentTenant, LoginOption
from c8ydm.api.models.users import CurrentUser

if TYPE_CHECKING:
    from c8ydm.api.client import Client


class Tenant:
    """``client.tenant``: who and where we are."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def current(self) -> CurrentTenant:
        """The current tenant; ``name`` is the tenant id. GET /tenant/currentTenant"""
        return CurrentTenant.model_validate(self._client.get_json("/tenant/currentTenant"))

    def login_options(self, *, tenant_id: str | None = None) -> list[LoginOption]:
        """The login options offered (needs no authentication). GET /tenant/loginOptions"""
        answer = self._client.get_json("/tenant/loginOptions", params={"tenantId": tenant_id}) or {}
        return [LoginOption.model_validate(item) for item in answer.get("loginOptions") or []]

    def current_user(self) -> CurrentUser:
        """The logged-in user with ``effectiveRoles``. GET /user/currentUser"""
        return CurrentUser.model_validate(self._client.get_json("/user/currentUser"))
