"""Inventory models: managed objects (devices, groups, repository entries, versions, binaries), their
references and fragments, device users and external ids (contract §1.6-§1.11, §2, §12.5).

Every model keeps unknown fields (``extra="allow"``), so a read-modify-write never drops a device's
custom data: ``model.to_body()`` (``by_alias``, ``exclude_unset``) gives back what was read.
Python names are snake_case; Cumulocity's names are the aliases (``creationTime``, ``c8y_Firmware``).
"""

from __future__ import annotations

from pydantic import Field

from c8ydm.api.models.base import C8yModel, IdStr, ObjectRef


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


class ExternalId(C8yModel):
    """An external id of a managed object (``c8y_Serial``…)."""

    external_id: str | None = Field(default=None, alias="externalId")
    type: str | None = None
    managed_object: ObjectRef | None = Field(default=None, alias="managedObject")
    self_url: str | None = Field(default=None, alias="self")


ManagedObjectReference.model_rebuild()
