"""Pydantic models of Cumulocity objects (fields from the spec; fragments from the contract, §2-§13).

Every model keeps unknown fields (``extra="allow"``), so a read-modify-write never drops a device's
custom data: ``model.to_body()`` (``by_alias``, ``exclude_unset``) gives back what was read.
Python names are snake_case; Cumulocity's names are the aliases (``creationTime``, ``c8y_Firmware``).
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from c8ydm.api.model_base import C8yModel, IdStr
from c8ydm.api.models_control import (
    BulkGeneralStatus,
    BulkOperation,
    BulkProgress,
    Operation,
    OperationStatus,
)


class ObjectRef(C8yModel):
    """A reference to another object: ``{"id", "name", "self"}``."""

    id: IdStr | None = None
    name: str | None = None
    self_url: str | None = Field(default=None, alias="self")


class ManagedObjectReference(C8yModel):
    """One entry of ``references``: ``{"managedObject": {...}, "self"}``."""

    managed_object: ManagedObject = Field(alias="managedObject")
    self_url: str | None = Field(default=None, alias="self")


class ReferenceCollection(C8yModel):
    """``childAdditions``, ``childDevices``, ``additionParents``…: ``{"references": [...], "self"}``."""

    references: list[ManagedObjectReference] = Field(default_factory=list)
    self_url: str | None = Field(default=None, alias="self")

    def ids(self) -> list[str]:
        """The ids of the referenced objects, in order."""
        return [ref.managed_object.id for ref in self.references if ref.managed_object.id]


class Firmware(C8yModel):
    """``c8y_Firmware``: on a version MO ``{version, url}``, on a device or operation also ``name``."""

    name: str | None = None
    version: str | None = None
    url: str | None = None
    dependency: str | None = None
    is_patch: bool | None = Field(default=None, alias="isPatch")


class Patch(C8yModel):
    """``c8y_Patch``: ``{dependency}`` = the base version a patch belongs to (§3.4)."""

    dependency: str | None = None


class DeviceFilter(C8yModel):
    """``c8y_Filter``: ``{type}``; an empty or missing type means all devices (§2)."""

    type: str | None = None


class ManagedObject(C8yModel):
    """An inventory managed object (device, group, repository entry, version, binary)."""

    id: IdStr | None = None
    name: str | None = None
    type: str | None = None
    owner: str | None = None
    creation_time: str | None = Field(default=None, alias="creationTime")
    last_updated: str | None = Field(default=None, alias="lastUpdated")
    self_url: str | None = Field(default=None, alias="self")
    child_additions: ReferenceCollection | None = Field(default=None, alias="childAdditions")
    child_assets: ReferenceCollection | None = Field(default=None, alias="childAssets")
    child_devices: ReferenceCollection | None = Field(default=None, alias="childDevices")
    addition_parents: ReferenceCollection | None = Field(default=None, alias="additionParents")
    asset_parents: ReferenceCollection | None = Field(default=None, alias="assetParents")
    device_parents: ReferenceCollection | None = Field(default=None, alias="deviceParents")
    firmware: Firmware | None = Field(default=None, alias="c8y_Firmware")
    patch: Patch | None = Field(default=None, alias="c8y_Patch")
    device_filter: DeviceFilter | None = Field(default=None, alias="c8y_Filter")
    supported_operations: list[str] | None = Field(default=None, alias="c8y_SupportedOperations")
    supported_software_types: list[str] | None = Field(default=None, alias="c8y_SupportedSoftwareTypes")


class Binary(ManagedObject):
    """A stored file's managed object (``c8y_IsBinary``); ``self`` is its download URL (§1.11)."""

    content_type: str | None = Field(default=None, alias="contentType")
    length: int | None = None


class DeviceUser(C8yModel):
    """``GET /inventory/managedObjects/<id>/user``: the device's own user (§12.5)."""

    user_name: str | None = Field(default=None, alias="userName")
    enabled: bool | None = None
    self_url: str | None = Field(default=None, alias="self")


class Event(C8yModel):
    """An event; typed configuration snapshots arrive as events with an attached binary (§8.3)."""

    id: IdStr | None = None
    type: str | None = None
    text: str | None = None
    time: str | None = None
    creation_time: str | None = Field(default=None, alias="creationTime")
    source: ObjectRef | None = None
    self_url: str | None = Field(default=None, alias="self")


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


class Tenant(C8yModel):
    """``GET /tenant/currentTenant``; ``name`` is the tenant id (§1.2)."""

    name: str | None = None
    domain_name: str | None = Field(default=None, alias="domainName")
    self_url: str | None = Field(default=None, alias="self")


class LoginOptionType(str, Enum):
    """The login option types of ``GET /tenant/loginOptions`` (§1.2)."""

    OAUTH2_INTERNAL = "OAUTH2_INTERNAL"
    BASIC = "BASIC"
    OAUTH2 = "OAUTH2"


class LoginOption(C8yModel):
    """One login option; ``initRequest`` may carry the ``tenant_id``."""

    type: str | None = None
    grant_type: str | None = Field(default=None, alias="grantType")
    init_request: str | None = Field(default=None, alias="initRequest")


class TrustedCertificate(C8yModel):
    """A trusted certificate; ``fingerprint`` is its id (§13)."""

    fingerprint: str | None = None
    name: str | None = None
    cert_in_pem_format: str | None = Field(default=None, alias="certInPemFormat")
    status: str | None = None
    auto_registration_enabled: bool | None = Field(default=None, alias="autoRegistrationEnabled")
    subject: str | None = None
    issuer: str | None = None
    not_after: str | None = Field(default=None, alias="notAfter")
    proof_of_possession_valid: bool | None = Field(default=None, alias="proofOfPossessionValid")


class ExternalId(C8yModel):
    """An external id of a managed object (``c8y_Serial``…)."""

    external_id: str | None = Field(default=None, alias="externalId")
    type: str | None = None
    managed_object: ObjectRef | None = Field(default=None, alias="managedObject")
    self_url: str | None = Field(default=None, alias="self")


class SystemOption(C8yModel):
    """A tenant system option ``{category, key, value}``; ``value`` is always a string (§11.3)."""

    category: str | None = None
    key: str | None = None
    value: str | None = None


class PageStatistics(C8yModel):
    """A collection page's ``statistics``; totals are null for users restricted by inventory roles."""

    current_page: int | None = Field(default=None, alias="currentPage")
    page_size: int | None = Field(default=None, alias="pageSize")
    total_pages: int | None = Field(default=None, alias="totalPages")
    total_elements: int | None = Field(default=None, alias="totalElements")


ManagedObjectReference.model_rebuild()

__all__ = [
    "Binary",
    "BulkGeneralStatus",
    "BulkOperation",
    "BulkProgress",
    "C8yModel",
    "CurrentUser",
    "DeviceFilter",
    "DeviceUser",
    "Event",
    "ExternalId",
    "Firmware",
    "Group",
    "LoginOption",
    "LoginOptionType",
    "ManagedObject",
    "ManagedObjectReference",
    "ObjectRef",
    "Operation",
    "OperationStatus",
    "PageStatistics",
    "Patch",
    "ReferenceCollection",
    "Role",
    "SystemOption",
    "Tenant",
    "TrustedCertificate",
    "User",
]
