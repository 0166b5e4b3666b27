"""Does a device still match its device profile? (contract §9.2 "Device side")

The device reports ``c8y_Profile {"profileId","profileName","profileExecuted"}``. It matches when
- its ``c8y_Firmware`` has the profile firmware's name and version;
- its software has every profile software item installed in that version (an item with action
  ``delete`` must be absent); ``device show`` passes the installed list of §7.2, ``profile devices``
  reads the device's own ``c8y_SoftwareList`` (or the legacy ``c8y_Software`` map), so that a whole
  fleet needs no request per device;
- every typed configuration item is reported as ``c8y_Configuration_<type>`` with the same ``url``.
What cannot be compared without more requests (an untyped configuration item; software of a
device that reports no list) is listed as unchecked, never counted as drift.

``profile devices NAME`` is one paged inventory query on ``c8y_Profile.profileId`` (2000 a page,
14(e)) and this comparison for each device found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.profiles.content import (
    configuration_of,
    content_of,
    firmware_of,
    software_of,
)
from c8ydm.procedures.repository.profiles.manage import assigned_query

BULK_PAGE_SIZE = 2000  # 14(e)


@dataclass
class Compliance:
    """A device against the profile it reports: its ``c8y_Profile``, differences, what went unchecked."""

    device: ManagedObject
    assigned: dict[str, Any]  # the device's c8y_Profile
    profile: ManagedObject | None  # None: the profile no longer exists
    differences: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def is_executed(self) -> bool:
        """``profileExecuted`` is true: the device finished applying it."""
        return self.assigned.get("profileExecuted") is True

    @property
    def is_drifted(self) -> bool | None:
        """Whether something differs from the profile (None when the profile is gone)."""
        return None if self.profile is None else bool(self.differences)


def assigned_profile(device: ManagedObject) -> dict[str, Any] | None:
    """The device's ``c8y_Profile`` (None when it reports none)."""
    value = device.fragment("c8y_Profile")
    return dict(value) if isinstance(value, dict) else None


def device_software(device: ManagedObject) -> list[dict[str, Any]] | None:
    """The device's own software fragments: ``c8y_SoftwareList``, else the legacy map; None if neither."""
    listed = device.fragment("c8y_SoftwareList")
    if isinstance(listed, list):
        return [item for item in listed if isinstance(item, dict)]
    legacy = device.fragment("c8y_Software")
    if isinstance(legacy, dict):
        return [{"name": str(name), "version": str(version)} for name, version in legacy.items()]
    return None


def _firmware_drift(expected: Mapping[str, Any] | None, device: ManagedObject) -> list[str]:
    if expected is None:
        return []
    reported = device.fragment("c8y_Firmware")
    reported = reported if isinstance(reported, dict) else {}
    wanted = (expected.get("name"), expected.get("version"))
    if (reported.get("name"), reported.get("version")) == wanted:
        return []
    actual = f"{reported.get('name')} {reported.get('version')}" if reported else "none reported"
    return [f"firmware: {actual}, profile {wanted[0]} {wanted[1]}"]


def _software_drift(
    expected: Sequence[Mapping[str, Any]], installed: Sequence[Mapping[str, Any]]
) -> list[str]:
    by_name = {str(item.get("name")): item for item in installed}
    drift = []
    for item in expected:
        name, version = str(item.get("name")), item.get("version")
        found = by_name.get(name)
        if item.get("action") == "delete":
            if found is not None:
                drift.append(f"software {name}: installed, profile removes it")
        elif found is None:
            drift.append(f"software {name}: not installed, profile {version}")
        elif str(found.get("version")) != str(version):
            drift.append(f"software {name}: {found.get('version')}, profile {version}")
    return drift


def _configuration_drift(
    expected: Sequence[Mapping[str, Any]], device: ManagedObject
) -> tuple[list[str], list[str]]:
    drift, unchecked = [], []
    for item in expected:
        config_type = item.get("type")
        if not config_type:
            unchecked.append(f"configuration {item.get('name')} (no type)")
            continue
        reported = device.fragment(f"c8y_Configuration_{config_type}")
        url = reported.get("url") if isinstance(reported, dict) else None
        if url != item.get("url"):
            actual = "not reported" if url is None else f"url {url}"
            drift.append(f"configuration {config_type}: {actual}, profile {item.get('url')}")
    return drift, unchecked


def compare(
    profile: ManagedObject, device: ManagedObject, installed: Sequence[Mapping[str, Any]] | None
) -> tuple[list[str], list[str]]:
    """(differences, unchecked) of a device against a profile's content; see the module docstring."""
    content = content_of(profile)
    differences = _firmware_drift(firmware_of(content), device)
    unchecked: list[str] = []
    software = software_of(content)
    if software and installed is None:
        unchecked.append("software (the device reports no software list)")
    elif software:
        differences += _software_drift(software, installed or [])
    config_drift, config_unchecked = _configuration_drift(configuration_of(content), device)
    return differences + config_drift, unchecked + config_unchecked


def device_compliance(
    client: Client, device: ManagedObject, installed: Sequence[Mapping[str, Any]] | None
) -> Compliance | None:
    """The device against the profile it reports (None when it reports none); GET the profile once.

    GET /inventory/managedObjects/<profileId>
    """
    assigned = assigned_profile(device)
    if assigned is None:
        return None
    profile_id = str(assigned.get("profileId") or "")
    try:
        profile = client.inventory.get(profile_id, with_children=False) if profile_id.isdigit() else None
    except NotFoundError:
        profile = None
    if profile is not None and profile.type != PROFILE.entry_type:
        profile = None
    result = Compliance(device, assigned, profile)
    if profile is not None:
        result.differences, result.unchecked = compare(profile, device, installed)
    return result


@dataclass
class ProfileDevices:
    """``profile devices``: the profile and its devices (filtered as asked), each compared."""

    profile: ManagedObject
    devices: list[Compliance]


def profile_devices(
    client: Client, value: str, *, is_not_executed: bool = False, is_drifted: bool = False
) -> ProfileDevices:
    """The devices reporting the profile, compared without a request per device.

    With ``is_not_executed`` and/or ``is_drifted`` only devices that are not executed or (either
    flag) drifted are kept: the devices that need attention.
    GET the profile, then GET /inventory/managedObjects?query=$filter=(c8y_Profile.profileId eq '<id>')
        $orderby=name asc&pageSize=2000 (paged)
    """
    profile = resolve_entry(client, PROFILE, value)
    assert profile.id is not None
    rows = []
    for device in _assigned(client, profile.id):
        compliance = Compliance(device, assigned_profile(device) or {}, profile)
        compliance.differences, compliance.unchecked = compare(profile, device, device_software(device))
        if _wanted(compliance, is_not_executed, is_drifted):
            rows.append(compliance)
    return ProfileDevices(profile, rows)


def _assigned(client: Client, profile_id: str) -> Iterator[ManagedObject]:
    return client.inventory.list(query=assigned_query(profile_id), page_size=BULK_PAGE_SIZE)


def _wanted(compliance: Compliance, is_not_executed: bool, is_drifted: bool) -> bool:
    if not (is_not_executed or is_drifted):
        return True
    return (is_not_executed and not compliance.is_executed) or (is_drifted and bool(compliance.is_drifted))


__all__ = [
    "Compliance",
    "ProfileDevices",
    "assigned_profile",
    "compare",
    "device_compliance",
    "device_software",
    "profile_devices",
]
