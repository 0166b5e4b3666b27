"""User models: users, device users, global roles (user groups) and memberships (contract §1.2, §12)."""

from __future__ import annotations

from pydantic import Field

from c8ydm.api.models.base import C8yModel, IdStr


class Role(C8yModel):
    """A role, e.g. ``{"id": "ROLE_INVENTORY_READ"}``."""

    id: str | None = None
    name: str | None = None


class Group(C8yModel):
    """A user group (global role); the spec gives an integer id, kept here as a string (§12.2)."""

    id: IdStr | None = None
    name: str | None = None
    description: str | None = None
    self_url: str | None = Field(default=None, alias="self")


class GroupReference(C8yModel):
    """One entry of a user's ``groups.references``."""

    group: Group
    self_url: str | None = Field(default=None, alias="self")


class GroupReferences(C8yModel):
    """A user's ``groups``: ``{"references": [{"group": {...}}]}``."""

    references: list[GroupReference] = Field(default_factory=list)


class User(C8yModel):
    """A user; device users have ids and user names starting with ``device_`` (§12)."""

    id: str | None = None
    user_name: str | None = Field(default=None, alias="userName")
    email: str | None = None
    enabled: bool | None = None
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")
    owner: str | None = None
    self_url: str | None = Field(default=None, alias="self")
    groups: GroupReferences | None = None
    last_password_change: str | None = Field(default=None, alias="lastPasswordChange")

    @property
    def is_device_user(self) -> bool:
        """Whether this is a device user (the UI tests ``id.match(/^device_/)``)."""
        return (self.id or self.user_name or "").startswith("device_")


class CurrentUser(User):
    """``GET /user/currentUser`` with the roles the user has (§1.2)."""

    effective_roles: list[Role] = Field(default_factory=list, alias="effectiveRoles")

    def has_role(self, role: str) -> bool:
        """Whether ``effectiveRoles`` contains the role id."""
        return any(item.id == role for item in self.effective_roles)
