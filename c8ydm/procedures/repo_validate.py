r"""What ``add`` accepts (contract §3.8, §4): the request, its checks before any request is sent.

Every field must match the UI's pattern ``^(?!\s*$).+``; exactly one of a file or a URL is given; the
file must exist, be a readable regular file and not be empty. Checks that need the entry (a new
entry's description and software type; the values an existing entry locks) are here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.repository import RepoKind, device_type_filter

IF_EXISTS_CHOICES = ("fail", "skip")
_BLANK = re.compile(r"\s*")  # §3.8: fields must match ^(?!\s*$).+ (not empty, not whitespace only)


@dataclass(frozen=True)
class AddRequest:
    """What the user asked for. ``version`` is a patch's base version when ``patch`` is given."""

    kind: RepoKind
    name: str
    version: str
    file: Path | None = None
    url: str | None = None
    description: str | None = None
    device_type: str | None = None
    software_type: str | None = None
    patch: str | None = None
    if_exists: str = "fail"


def reject_blank(value: str | None, what: str) -> None:
    """InputError when a given ``value`` is empty or whitespace only (§3.8); None passes."""
    if value is not None and _BLANK.fullmatch(value):
        raise InputError(f"{what} must not be empty or whitespace only")


def check_upload_file(path: Path) -> int:
    """The size of a file to upload; InputError when it is missing, a directory, unreadable or empty."""
    if not path.exists():
        raise InputError(f"file not found: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file")
    if not path.is_file():
        raise InputError(f"{path} is not a regular file")
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty", hint="a version needs a file with content")
    return size


def validate_add(request: AddRequest) -> None:
    """§3.8's checks, before any request: required fields, no blanks, exactly one source, the file."""
    kind = request.kind
    reject_blank(request.name, "the name")
    reject_blank(request.version, "--version")
    if request.patch is not None and not kind.has_patches:
        raise InputError(f"{kind.label} has no patches: --patch is for firmware only")
    if request.software_type is not None and not kind.has_software_type:
        raise InputError("--software-type is for software only")
    for value, option in (
        (request.patch, "--patch"),
        (request.url, "--url"),
        (request.description, "--description"),
        (request.device_type, "--device-type"),
        (request.software_type, "--software-type"),
    ):
        reject_blank(value, option)
    if (request.file is None) == (request.url is None):
        raise InputError("give exactly one of --file PATH or --url URL")
    if request.if_exists not in IF_EXISTS_CHOICES:
        raise InputError(f"--if-exists must be one of {', '.join(IF_EXISTS_CHOICES)}")
    if request.file is not None:
        check_upload_file(request.file)


def check_new_entry(request: AddRequest) -> None:
    """A new entry needs a description (§3.8) and, for software, a software type (§4)."""
    # §3.8: a new entry needs a description; §4: a new software needs its software type.
    if request.description is None:
        raise InputError(
            f"{request.kind.label} {request.name.strip()!r} does not exist yet: "
            "a new entry needs --description"
        )
    if request.kind.has_software_type and request.software_type is None:
        raise InputError(
            f"software {request.name.strip()!r} does not exist yet: a new software needs --software-type"
        )


def check_locked_fields(request: AddRequest, entry: ManagedObject) -> None:
    """Refuse a description, device type or software type that differs from the existing entry's."""
    # §3.8: for an existing entry the UI copies its description and device type and locks them
    # (§4: the software type too). A different value here would be silently dropped, so it is refused.
    current = {
        "--description": entry.fragment("description"),
        "--device-type": device_type_filter(entry),
        "--software-type": entry.fragment("softwareType"),
    }
    asked = {
        "--description": request.description,
        "--device-type": request.device_type,
        "--software-type": request.software_type,
    }
    for option, value in asked.items():
        if value is not None and value != current[option]:
            raise InputError(
                f"{request.kind.label} {entry.name!r} exists with {option} {current[option]!r}: "
                f"{option} applies only to a new entry",
                hint=f"change it with: c8ydm {request.kind.label} edit",
            )
