"""Checks on repository requests and entries, before anything is sent (contract §3.8, §4, §5.3).

- ``check_fields``: only the kind's own extra fields, none blank.
- ``check_lengths``: the kind's length limit on what a user types (configuration: 254, §5.3).
- ``check_new_entry``: what a new entry needs (a description for firmware and software, §3.8; the
  kind's required fields, e.g. software's type, §4).
- ``check_locked_fields``: for an existing entry the UI copies description, device type and the
  extra fields and locks them; a differing value would be dropped silently, so it is refused.
- ``check_device_type``: an entry whose device type excludes a device is never sent to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.inputs import check_repository_url, check_upload_file, reject_blank, reject_blanks
from c8ydm.procedures.repository.kinds import KINDS, RepoKind, kinds_with_field

if TYPE_CHECKING:
    from c8ydm.procedures.repository.add import AddRequest

IF_EXISTS_CHOICES = ("fail", "skip")


def _option_of(path: str) -> str:
    for kind in KINDS:
        found = kind.field(path)
        if found is not None:
            return found.option
    return path


def check_fields(kind: RepoKind, fields: Mapping[str, str | None]) -> None:
    """InputError for an extra field the kind does not have, or a blank value."""
    for path, value in fields.items():
        spec = kind.field(path)
        if spec is None:
            owners = " and ".join(kinds_with_field(path)) or "no repository"
            raise InputError(f"{_option_of(path)} is for {owners} only")
        reject_blank(value, spec.option)


def check_lengths(kind: RepoKind, values: Mapping[str, str | None]) -> None:
    """InputError for a value longer than the kind allows (``option -> value``; §5.3's 254 characters)."""
    limit = kind.max_length
    if limit is None:
        return
    for option, value in values.items():
        if value is not None and len(value) > limit:
            raise InputError(f"{option} is {len(value)} characters long; {kind.label} allows at most {limit}")


def check_entry_lengths(
    kind: RepoKind,
    name: str | None,
    description: str | None,
    device_type: str | None,
    fields: Mapping[str, str | None],
) -> None:
    """``check_lengths`` over the name, description, device type and the kind's extra fields."""
    values = {"the name": name, "--description": description, "--device-type": device_type}
    for path, value in fields.items():
        spec = kind.field(path)
        values[spec.option if spec is not None else path] = value
    check_lengths(kind, values)


def check_new_entry(
    kind: RepoKind, name: str, description: str | None, fields: Mapping[str, str | None]
) -> None:
    """A new entry needs a description (§3.8, where the kind requires one) and its required fields (§4)."""
    if kind.is_description_required_for_new and description is None:
        raise InputError(f"{kind.label} {name.strip()!r} does not exist yet: a new entry needs --description")
    for spec in kind.fields:
        if spec.is_required_for_new and fields.get(spec.path) is None:
            raise InputError(
                f"{kind.label} {name.strip()!r} does not exist yet: a new {kind.label} needs {spec.option}"
            )


def check_locked_fields(
    kind: RepoKind,
    entry: ManagedObject,
    *,
    description: str | None,
    device_type: str | None,
    fields: Mapping[str, str | None],
) -> None:
    """Refuse a description, device type or extra field that differs from the existing entry's."""
    current: dict[str, object] = {
        "--description": entry.fragment("description"),
        "--device-type": kind.device_type_of(entry),
    }
    asked: dict[str, str | None] = {"--description": description, "--device-type": device_type}
    for spec in kind.fields:
        current[spec.option] = entry.fragment(spec.path)
        asked[spec.option] = fields.get(spec.path)
    for option, value in asked.items():
        if value is not None and value != current[option]:
            raise InputError(
                f"{kind.label} {entry.name!r} exists with {option} {current[option]!r}: "
                f"{option} applies only to a new entry",
                hint=f"change it with: c8ydm {kind.command} edit",
            )


def check_device_type(kind: RepoKind, entry: ManagedObject, device: ManagedObject) -> None:
    """Refuse an entry whose device type names another device type (cli-surface.md, §2, §5)."""
    wanted = kind.device_type_of(entry)
    if wanted is not None and wanted != device.type:
        raise InputError(
            f"{kind.label} {entry.name!r} is for devices of type {wanted!r}; "
            f"device {device.name!r} has type {device.type!r}",
            hint=f"list what fits with: c8ydm {kind.command} list --device-type {device.type}",
        )


def validate_add(request: AddRequest) -> None:
    """§3.8/§5.3's checks, before any request: required fields, no blanks, exactly one source, the file."""
    kind = request.kind
    reject_blank(request.name, "the name")
    if kind.versions is not None:
        reject_blank(request.version or "", "--version")
    elif request.version is not None:
        raise InputError(f"{kind.label} entries have no versions")
    if request.patch is not None and not kind.has_patches:
        raise InputError(f"{kind.label} has no patches: --patch is for firmware only")
    check_fields(kind, request.fields)
    check_entry_lengths(kind, request.name, request.description, request.device_type, request.fields)
    reject_blanks(
        {
            "--patch": request.patch,
            "--url": request.url,
            "--description": request.description,
            "--device-type": request.device_type,
        }
    )
    if (request.file is None) == (request.url is None):
        raise InputError("give exactly one of --file PATH or --url URL")
    if request.if_exists not in IF_EXISTS_CHOICES:
        raise InputError(f"--if-exists must be one of {', '.join(IF_EXISTS_CHOICES)}")
    if request.file is not None:
        check_upload_file(request.file)
    if request.url is not None:
        check_repository_url(request.url)
