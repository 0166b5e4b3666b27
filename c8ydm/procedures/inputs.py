r"""Checks of what users type, before any request is sent (exit 2 on failure).

``reject_blank`` is the UI's field pattern ``^(?!\s*$).+`` (contract §3.8, §5.3): a given value
must not be empty or whitespace only. ``check_upload_file`` accepts only a readable, non-empty
regular file.
"""

from __future__ import annotations

import re
from pathlib import Path

from c8ydm.api.errors import InputError

_BLANK = re.compile(r"\s*")


def reject_blank(value: str | None, what: str) -> None:
    """InputError when a given ``value`` is empty or whitespace only (§3.8); None passes."""
    if value is not None and _BLANK.fullmatch(value):
        raise InputError(f"{what} must not be empty or whitespace only")


def reject_blanks(values: dict[str, str | None]) -> None:
    """``reject_blank`` for each ``option -> value``."""
    for option, value in values.items():
        reject_blank(value, option)


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
