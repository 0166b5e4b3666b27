"""USER_OR_DEVICE -> the device user it means (contract §12.5).

A value starting with ``device_`` is a device user's id (the user id IS the user name, §12); any
other value is a device, by id or exact name, whose user is read from
``GET /inventory/managedObjects/<id>/user``. The user name is never derived from a device name
(§12: registration names users after external ids, the SDK after device names; neither is safe).
"""

from __future__ import annotations

from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.resolve import resolve_device

DEVICE_USER_PREFIX = "device_"
LIST_HINT = "list device users with: c8ydm credentials list"


@dataclass(frozen=True)
class CredentialTarget:
    """What a user typed, the device user it resolved to, and the device when given by device."""

    given: str
    user_name: str
    device: ManagedObject | None = None

    @property
    def is_by_device(self) -> bool:
        """Whether the value named a device (then changes go through the device's own endpoints)."""
        return self.device is not None

    @property
    def device_id(self) -> str | None:
        return self.device.id if self.device is not None else None


def _device_user_name(client: Client, device: ManagedObject) -> str:
    try:
        user = client.inventory.get_device_user(str(device.id))
    except NotFoundError:
        user = None
    if user is None or not user.user_name:
        raise NotFoundError(
            f"device {device.name or device.id!r} (id {device.id}) has no device user",
            hint="its credentials were deleted, or it was created without registration",
        )
    return user.user_name


def resolve_target(client: Client, value: str) -> CredentialTarget:
    """A ``device_…`` user (checked to exist), else a device by id or exact name and its user.

    GET /user/{tenant}/users/<device_…>, or GET /inventory/managedObjects/<id> (or a name query),
    then GET /inventory/managedObjects/<id>/user
    """
    text = value.strip()
    if not text:
        raise InputError("a device user or device must not be empty")
    if text.startswith(DEVICE_USER_PREFIX):
        try:
            user = client.users.get(text)
        except NotFoundError:
            user = None
        if user is not None:
            return CredentialTarget(text, user.user_name or user.id or text)
    try:
        device = resolve_device(client, text)
    except NotFoundError:
        raise NotFoundError(f"no device user or device {text!r}", hint=LIST_HINT) from None
    return CredentialTarget(text, _device_user_name(client, device), device)


def resolve_targets(client: Client, values: list[str]) -> list[CredentialTarget]:
    """Every value resolved before anything changes; duplicates (same user) kept once."""
    if not values:
        raise InputError("name at least one device user or device")
    targets: dict[str, CredentialTarget] = {}
    for value in values:
        target = resolve_target(client, value)
        targets.setdefault(target.user_name, target)
    return list(targets.values())
