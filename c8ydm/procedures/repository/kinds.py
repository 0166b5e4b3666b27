"""What makes a repository: one small spec object per kind (contract §2's table).

Everything in ``procedures/repository/`` reads these specs instead of testing which kind it has,
so a new kind is one more spec here (plus its view and command module), not a new code path:

- ``versions``: firmware and software keep versions (and firmware patches) as child additions of
  the entry, each with a ``c8y_Firmware``/``c8y_Software`` payload (§3, §4); configuration is a
  single level: the entry itself holds ``url`` (§5); ``None`` then.
- ``device_type_path``: ``c8y_Filter.type`` everywhere but configuration's top-level ``deviceType``.
- ``fields``: the extra top-level entry fields a user sets by option (software's ``softwareType``,
  configuration's ``configurationType``), with whether a new entry needs one.
- ``global_flag``: the ``c8y_<Kind>AsGlobal`` fragment of the ``c8y_Global`` check (§2.1).
- ``is_edited_per_field``: the details page's one PUT per field (§3.5, §4), or one PUT of the whole
  entry (configuration, §5.2).
- ``max_length``: the add dialog's limit on name, description, device type and the extra fields
  (configuration: 254 characters, §5.3); None where the contract gives none (§3.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Expr, Q, configuration_device_type_clause


@dataclass(frozen=True)
class EntryField:
    """An extra top-level field of an entry that a user sets with an option."""

    path: str  # the Cumulocity name: "softwareType"
    option: str  # the user's option: "--software-type"
    is_required_for_new: bool = False


@dataclass(frozen=True)
class Versions:
    """How a versioned repository keeps its versions (§2): child additions with a payload fragment."""

    version_type: str  # c8y_FirmwareBinary / c8y_SoftwareBinary
    fragment: str  # the payload {version, url}: c8y_Firmware / c8y_Software
    has_patches: bool


@dataclass(frozen=True)
class RepoKind:
    """One repository kind; see the module docstring."""

    label: str  # the user's word in messages: "firmware", "software", "configuration"
    command: str  # the command group: "firmware", "software", "config"
    entry_type: str  # c8y_Firmware / c8y_Software / c8y_ConfigurationDump
    device_type_path: str
    global_flag: str | None
    versions: Versions | None
    fields: tuple[EntryField, ...] = ()
    is_edited_per_field: bool = True
    is_description_required_for_new: bool = True  # §3.8 (firmware, software); optional for §5.3
    max_length: int | None = None

    @property
    def has_patches(self) -> bool:
        """Whether versions can have patches (firmware only)."""
        return self.versions is not None and self.versions.has_patches

    def field(self, path: str) -> EntryField | None:
        """The extra field with this Cumulocity name, if the kind has it."""
        return next((item for item in self.fields if item.path == path), None)

    def device_type_of(self, entry: ManagedObject) -> str | None:
        """The entry's device type; None when it applies to all devices (absent or empty, §2)."""
        value: Any = entry.to_body()
        for part in self.device_type_path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return str(value) if value else None

    def device_type_body(self, device_type: str | None) -> dict[str, Any]:
        """The fragment that sets a device type: ``{"c8y_Filter": {"type": T}}`` or ``{"deviceType": T}``.

        ``None`` clears it as the UI does: an empty ``c8y_Filter.type`` (§2), ``deviceType: null`` (§5.2).
        """
        head, _, leaf = self.device_type_path.partition(".")
        if leaf:
            return {head: {leaf: device_type or ""}}
        return {head: device_type}

    def list_device_type_clause(self, device_type: str) -> Expr:
        """The list grid's device-type filter: the type, or no device type (§3.1, §5)."""
        path = self.device_type_path
        if path == "deviceType":
            return configuration_device_type_clause(device_type)  # §1.6.4
        return Q.eq(path, device_type) | (Q.not_(Q.has(path)) | Q.eq(path, ""))


FIRMWARE = RepoKind(
    label="firmware",
    command="firmware",
    entry_type="c8y_Firmware",
    device_type_path="c8y_Filter.type",
    global_flag="c8y_FirmwareAsGlobal",
    versions=Versions("c8y_FirmwareBinary", "c8y_Firmware", has_patches=True),
)
SOFTWARE = RepoKind(
    label="software",
    command="software",
    entry_type="c8y_Software",
    device_type_path="c8y_Filter.type",
    global_flag="c8y_SoftwareAsGlobal",
    versions=Versions("c8y_SoftwareBinary", "c8y_Software", has_patches=False),
    fields=(EntryField("softwareType", "--software-type", is_required_for_new=True),),
)
CONFIGURATION = RepoKind(
    label="configuration",
    command="config",
    entry_type="c8y_ConfigurationDump",
    device_type_path="deviceType",
    global_flag="c8y_ConfigurationAsGlobal",
    versions=None,
    fields=(EntryField("configurationType", "--type"),),
    is_edited_per_field=False,
    is_description_required_for_new=False,
    max_length=254,
)
KINDS = (FIRMWARE, SOFTWARE, CONFIGURATION)
# Device profiles (§2, §9.1): an entry with no versions, no file and no c8y_Global. Only the generic
# lookup, list query and delete serve it; its writes (create, copy, edit, set) are the profile
# module's (``repository/profiles/``), so it is not among the KINDS that add, edit and download.
PROFILE = RepoKind(
    label="device profile",
    command="profile",
    entry_type="c8y_Profile",
    device_type_path="c8y_Filter.type",
    global_flag=None,  # §2.1: "The UI never gives profiles c8y_Global"
    versions=None,
    is_description_required_for_new=False,
)


def kinds_with_field(path: str) -> list[str]:
    """The labels of the kinds that have an extra field (for "--software-type is for software only")."""
    return [kind.label for kind in KINDS if kind.field(path) is not None]
