r"""Checks of what users type, before any request is sent (exit 2 on failure).

``reject_blank`` is the UI's field pattern ``^(?!\s*$).+`` (contract §3.8, §5.3): a given value
must not be empty or whitespace only. ``check_upload_file`` accepts only a readable, non-empty
regular file with a UTF-8 name. ``check_repository_url`` accepts http(s) and ftp URLs with a host.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

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
    """The size of a file to upload; InputError when it is missing, a directory, unreadable, empty,
    or its name cannot be sent (not UTF-8: the multipart header and the binary's name are UTF-8)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"the file name {path.name!a} is not valid UTF-8", hint="rename the file and try again"
        ) from None
    try:
        if not path.exists():
            raise InputError(f"file not found: {path}")
        if path.is_dir():
            raise InputError(f"{path} is a directory, not a file")
        if not path.is_file():
            raise InputError(f"{path} is not a regular file")
        with path.open("rb") as handle:
            handle.read(1)
        size = path.stat().st_size
    except OSError as error:  # a name too long, a file in the way of a directory, permissions
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    if size == 0:
        raise InputError(f"{path} is empty", hint="a version needs a file with content")
    return size


# Contract §1.1: repository URLs may point at third-party servers, "https://…, ftp://…".
REPOSITORY_URL_SCHEMES = ("http", "https", "ftp")


def check_repository_url(url: str) -> str:
    """InputError unless ``url`` is an http(s) or ftp URL with a host and no blanks or control
    characters (``javascript:``, ``fw.bin``, ``https://``, ``http://a b`` are refused)."""
    shown = ascii(url) if not url.isascii() or not url.isprintable() else repr(url)
    if any(char.isspace() or not char.isprintable() for char in url):
        raise InputError(f"the URL {shown} contains blanks or control characters")
    parts = urlsplit(url)
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        host = None
    if parts.scheme.lower() not in REPOSITORY_URL_SCHEMES or not host:
        raise InputError(
            f"not a usable file URL: {shown}",
            hint="give an http://, https:// or ftp:// URL with a host, or upload a file with --file",
        )
    return url
