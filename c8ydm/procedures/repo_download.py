"""Download a firmware or software version's file (contract §3.7, §1.1, §1.11).

An internal URL (``…/inventory/binaries/<id>``) is read through the tenant: first the binary's
managed object for its name, then its content, streamed to disk. Any other URL is fetched without
the tenant's credentials (§1.1). The file goes to ``<dest>.part`` and is renamed when complete.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.transfer import CHUNK_BYTES, DownloadProgress
from c8ydm.procedures.repository import RepoKind, find_patch, find_version, list_versions, resolve_entry


@dataclass(frozen=True)
class DownloadResult:
    """Where the file went, its size and SHA-256, and the version URL it came from."""

    path: Path
    size: int
    sha256: str
    url: str
    version: str
    patch: str | None

    def to_json(self) -> dict[str, Any]:
        """``{"path", "size", "sha256", "url", "version"[, "patch"]}``."""
        data: dict[str, Any] = {
            "path": str(self.path),
            "size": self.size,
            "sha256": self.sha256,
            "url": self.url,
            "version": self.version,
        }
        return {**data, "patch": self.patch} if self.patch is not None else data


def _safe_file_name(name: str | None) -> str | None:
    """The last path component of a name from the tenant or a URL, never ``..`` or empty."""
    if not name:
        return None
    leaf = PurePosixPath(name.replace("\\", "/")).name
    return leaf if leaf not in ("", ".", "..") else None


def destination(to: Path | None, file_name: str, *, overwrite: bool) -> Path:
    """``to`` itself, or ``file_name`` inside it when it is a directory (the current one by default).

    InputError when the file exists and ``overwrite`` is false.
    """
    dest = (to or Path.cwd()) / file_name if to is None or to.is_dir() else to
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


def download_version(
    client: Client,
    kind: RepoKind,
    value: str,
    *,
    version: str,
    patch: str | None = None,
    to: Path | None = None,
    overwrite: bool = False,
    on_progress: DownloadProgress | None = None,
) -> DownloadResult:
    """Download a version's (or patch's) file; streamed, never held in memory.

    GET /inventory/managedObjects/<binId>, then GET /inventory/binaries/<binId> (Accept: */*);
    or GET <external url> without credentials.
    """
    if not version.strip() or (patch is not None and not patch.strip()):
        raise InputError("--version and --patch must not be empty or whitespace only")
    if patch is not None and not kind.has_patches:
        raise InputError(f"{kind.label} has no patches: --patch is for firmware only")
    entry = resolve_entry(client, kind, value)
    chosen = find_version(list_versions(client, kind, entry), kind, entry, version)
    if patch is not None:
        chosen = find_patch(chosen, kind, entry, patch)
    url = chosen.url
    if not url:
        raise NotFoundError(
            f"{kind.label} {entry.name!r} version {chosen.version!r} has no file (provided by the device)"
        )
    binary_id = mo_id_from_url(url)
    if binary_id is not None:
        name = _safe_file_name(client.binaries.get(binary_id).name)
    else:
        name = _safe_file_name(unquote(urlsplit(url).path))
    fallback = _safe_file_name(f"{entry.name}-{chosen.version}") or "download"
    dest = destination(to, name or fallback, overwrite=overwrite)
    client.binaries.download_url(url, dest, on_progress=on_progress)
    return DownloadResult(dest, dest.stat().st_size, sha256_of(dest), url, version, patch)
