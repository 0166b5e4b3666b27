"""Download a repository file: a version's or patch's, or a single-level entry's (contract §3.7, §5, §1.1).

An internal URL (``…/inventory/binaries/<id>``) is read through the tenant: first the binary's
managed object for its name, then its content, streamed to disk. Any other URL is fetched without
the tenant's credentials (§1.1). The file goes to ``<dest>.part`` and is renamed when complete.

Where it goes (``--to``): nothing given, the current directory; an existing directory, or a path
ending in ``/``, a directory (created if missing) holding the file under its own name; anything
else, the file itself. The destination is checked before the first request (a file in the way of
a directory, a directory that cannot be written: InputError, exit 2), and a write that still fails
(a full disk, a permission that changed) is an InputError naming the path, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.transfer import CHUNK_BYTES, DownloadProgress, is_special_file, special_file_error
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.versions import find_patch, find_version, list_versions


@dataclass(frozen=True)
class DownloadResult:
    """Where the file went, its size and SHA-256, and the version URL it came from."""

    path: Path
    size: int
    sha256: str
    url: str
    version: str | None  # None for a single-level entry
    patch: str | None


def _safe_file_name(name: str | None) -> str | None:
    """The last path component of a name from the tenant or a URL, never ``..`` or empty."""
    if not name:
        return None
    leaf = PurePosixPath(name.replace("\\", "/")).name
    return leaf if leaf not in ("", ".", "..") else None


Destination = Path | str | None


def _is_directory_path(to: Destination) -> bool:
    """A ``--to`` meant as a directory: it ends in a path separator, or it is one already."""
    if to is None:
        return True
    text = str(to)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def check_destination(to: Destination) -> None:
    """Before any request: the directory the file will go to can be created and written.

    InputError (exit 2) for a file where a directory must be (``--to fw.bin/x``) and for a
    directory this user cannot write (``--to /sys/fw.bin``).
    """
    target = Path(str(to)) if to is not None else Path.cwd()
    directory = target if _is_directory_path(to) else target.parent
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"cannot save to {target}: {existing} is a file, not a directory",
            hint="choose another --to",
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot save to {target}: no permission to write in {existing}", hint="choose another --to"
        )


def destination(to: Destination, file_name: str, *, overwrite: bool) -> Path:
    """``to`` itself, or ``file_name`` inside it when it is a directory (the current one by default;
    a path ending in ``/`` is a directory and is created). InputError when the file exists and
    ``overwrite`` is false.
    """
    if _is_directory_path(to):
        folder = Path(str(to)) if to is not None else Path.cwd()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot create the directory {folder}: {error.strerror or error}") from None
        dest = folder / file_name
    else:
        dest = Path(str(to))
    if is_special_file(dest):
        raise special_file_error(dest)
    if dest.exists() and not overwrite:
        raise InputError(f"{dest} already exists", hint="add --yes to overwrite it, or choose another --to")
    if dest.is_dir():
        raise InputError(f"{dest} is a directory")
    return dest


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_file(
    client: Client,
    kind: RepoKind,
    value: str,
    *,
    version: str | None = None,
    patch: str | None = None,
    to: Destination = None,
    overwrite: bool = False,
    on_progress: DownloadProgress | None = None,
) -> DownloadResult:
    """Download a version's (or patch's, or a single-level entry's) file; streamed, never in memory.

    GET /inventory/managedObjects/<binId>, then GET /inventory/binaries/<binId> (Accept: */*);
    or GET <external url> without credentials.
    """
    _check_choice(kind, version, patch)
    check_destination(to)
    entry = resolve_entry(client, kind, value)
    if kind.versions is None:
        url, label = str(entry.fragment("url") or ""), str(entry.name)
    else:
        chosen = find_version(list_versions(client, kind, entry), kind, entry, version)
        if patch is not None:
            chosen = find_patch(chosen, kind, entry, patch)
        url, label = chosen.url, f"{entry.name}-{chosen.version}"
        if not url:
            raise NotFoundError(
                f"{kind.label} {entry.name!r} version {chosen.version!r} has no file (provided by the device)"
            )
    if not url:
        raise NotFoundError(f"{kind.label} {entry.name!r} has no file")
    binary_id = mo_id_from_url(url)
    if binary_id is not None:
        name = _safe_file_name(client.binaries.get(binary_id).name)
    else:
        name = _safe_file_name(unquote(urlsplit(url).path))
    dest = destination(to, name or _safe_file_name(label) or "download", overwrite=overwrite)
    try:
        client.binaries.download_url(url, dest, on_progress=on_progress)
    except OSError as error:  # the local file, not the tenant: a usage/IO error (exit 2)
        raise InputError(
            f"cannot write {dest}: {error.strerror or error}", hint="choose another --to"
        ) from None
    return DownloadResult(dest, dest.stat().st_size, sha256_of(dest), url, version, patch)


def _check_choice(kind: RepoKind, version: str | None, patch: str | None) -> None:
    if kind.versions is None:
        if version is not None or patch is not None:
            raise InputError(f"{kind.label} entries have no versions")
        return
    if version is None or not version.strip() or (patch is not None and not patch.strip()):
        raise InputError("--version and --patch must not be empty or whitespace only")
    if patch is not None and not kind.has_patches:
        raise InputError(f"{kind.label} has no patches: --patch is for firmware only")
