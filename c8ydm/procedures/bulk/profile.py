"""The device-profile bulk prototype (contract §11.3, §9.2).

``{"description":"Apply device profile: <name>","profileId","profileName","c8y_DeviceProfile":{…}}``
plus ``c8ydm_Origin`` (14(f)). The fragment is the profile's as stored, software types included: one
prototype serves every device of the group, so the per-device removal of ``softwareType`` for
devices without ``c8y_SupportedSoftwareTypes`` (§9.2, a single device) cannot apply; the UI's bulk
prototype copies the profile as is too. A profile with a device type reports it in
``device_types``, so that ``--type`` targets of another type are refused (``check_target_types``).
"""

from __future__ import annotations

from c8ydm.api.client import Client
from c8ydm.procedures.bulk.prototypes import Prototype
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.profiles.content import content_of, ordered


def profile_bulk_description(name: str) -> str:
    """The UI's bulk template (§9.2, §11.3): ``Apply device profile: <name>``."""
    return f"Apply device profile: {name}"


def profile_prototype(client: Client, value: str, *, run_id: str | None = None) -> Prototype:
    """The bulk prototype applying the profile ``value`` (name or id). GET the profile (§3.3 lookup)."""
    profile = resolve_entry(client, PROFILE, value)
    name = str(profile.name or "")
    body = {
        "description": profile_bulk_description(name),
        "profileId": profile.id,
        "profileName": name,
        "c8y_DeviceProfile": ordered(content_of(profile)),
    }
    wanted = PROFILE.device_type_of(profile)
    return Prototype(with_origin(body, run_id), {name: wanted} if wanted else {})


__all__ = ["profile_bulk_description", "profile_prototype"]
