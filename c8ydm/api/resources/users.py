"""Users, user groups and membership; device users are users named ``device_…`` (contract §12)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from c8ydm.api.client import decode_json
from c8ydm.api.conventions import path_segment
from c8ydm.api.models.base import as_body
from c8ydm.api.models.users import Group, GroupReference, User
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, iter_items

if TYPE_CHECKING:
    from c8ydm.api.client import Client


class Users:
    """``client.users``: ``/user/{tenant}/…``. User ids are user names, encoded as one path segment."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def _base(self) -> str:
        return f"/user/{path_segment(self._client.tenant_id)}"

    def _user_path(self, user_id: str) -> str:
        return f"{self._base()}/users/{path_segment(user_id)}"

    def list(
        self,
        *,
        only_devices: bool | None = None,
        username: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[User]:
        """Iterate users; ``only_devices=True`` gives only device users (§12.1). GET /user/{tenant}/users"""
        params = {"onlyDevices": only_devices, "username": username}
        return iter_items(
            self._client, f"{self._base()}/users", "users", params=params, model=User,
            page_size=page_size, limit=limit,
        )  # fmt: skip

    def get(self, user_id: str, *, with_certificates: bool | None = None) -> User:
        """Get one user. GET /user/{tenant}/users/{id}"""
        params = {"withCertificates": with_certificates}
        return User.model_validate(self._client.get_json(self._user_path(user_id), params=params))

    def update(self, user_id: str, body: User | Mapping[str, Any]) -> User:
        """Update a user with a minimal body, e.g. ``{"enabled": false}`` (§12.3).

        PUT /user/{tenant}/users/{id}
        """
        return User.model_validate(self._client.put_json(self._user_path(user_id), as_body(body)))

    def set_password(self, user_id: str, password: str) -> User:
        """Set another user's password; newer tenants refuse it (§12.4). Dry runs show ``"***"``.

        PUT /user/{tenant}/users/{id}
        """
        response = self._client.request(
            "PUT", self._user_path(user_id), json={"password": password}, dry_run_body={"password": "***"}
        )
        return User.model_validate(decode_json(response) or {"id": user_id})

    def delete(self, user_id: str) -> None:
        """Delete a user. DELETE /user/{tenant}/users/{id}"""
        self._client.delete(self._user_path(user_id))

    def list_groups(self, *, page_size: int = 1000, limit: int | None = None) -> Iterator[Group]:
        """Iterate the tenant's user groups (global roles, §12.2). GET /user/{tenant}/groups"""
        return iter_items(
            self._client, f"{self._base()}/groups", "groups", model=Group, page_size=page_size, limit=limit
        )

    def groups_of(self, user_id: str, *, page_size: int = 1000) -> Iterator[Group]:
        """Iterate the groups a user belongs to. GET /user/{tenant}/users/{id}/groups"""
        references = iter_items(
            self._client, f"{self._user_path(user_id)}/groups", "references", model=GroupReference,
            page_size=page_size,
        )  # fmt: skip
        return (reference.group for reference in references)

    def add_to_group(self, group_id: str, user_id: str, *, user_self: str | None = None) -> None:
        """Add a user to a group with ``{"user":{"id","self"}}`` (§12.2).

        POST /user/{tenant}/groups/{groupId}/users
        """
        user: dict[str, str] = {"id": user_id}
        if user_self:
            user["self"] = user_self
        path = f"{self._base()}/groups/{path_segment(group_id)}/users"
        self._client.post_json(path, {"user": user})

    def remove_from_group(self, group_id: str, user_id: str) -> None:
        """Remove a user from a group. DELETE /user/{tenant}/groups/{groupId}/users/{id}"""
        path = f"{self._base()}/groups/{path_segment(group_id)}/users/{path_segment(user_id)}"
        self._client.delete(path)
