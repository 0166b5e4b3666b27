"""Uploads that survive a kill: every binary c8ydm uploads says what it is for, so that a resumed run
adopts or removes what an interrupted one left behind (issue 14; contract §1.11, §3.3, §14(d)).

The ``object`` part of the upload (§1.11: ``{"name","type"[,"c8y_Global"]}``) also carries::

    "c8ydm_Upload": {"tool": "c8ydm", "runId": "<run>", "sha256": "<hex>", "target":
                     {"type": "c8y_Firmware", "name": "<entry>", "version": "<v>"[, "patch": "<p>"]}}

The contract is silent about custom fragments on binaries; the spec's ``binaryInfo`` does not close
its properties and the UI itself adds ``c8y_Global`` there, so a real tenant keeps them on the
binary's managed object, as it keeps them on every other one. With it:

- a resumed ``add`` finds this user's binaries for the same target (§3.3 ⚠ binary lookup: owner and
  type, then name, marker and target). As the target version does not exist yet, no version can
  point at them: they are debris of an interrupted run. One with the same size and SHA-256 is
  adopted instead of uploading again; the others are removed;
- an upload without an answer is reconciled by its run id and target, not by time stamps;
- ``--if-exists skip`` compares a stored file's digest without downloading it (``existing.py``);
  binaries stored by others have no marker and are hashed while streamed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError
from c8ydm.api.models.inventory import Binary
from c8ydm.api.transfer import CHUNK_BYTES, ProgressCallback, check_readable, guess_mime
from c8ydm.procedures.origin import RUN_ID, TOOL
from c8ydm.procedures.reconcile import Report, create_once
from c8ydm.procedures.repository.steps import byte_progress

UPLOAD_FRAGMENT = "c8ydm_Upload"
BINARY_PAGE_SIZE = 2000  # §3.3's binary lookup


@dataclass(frozen=True)
class LocalFile:
    """A file to upload: its path, size and SHA-256, and the name and MIME type it is uploaded under
    (its own unless given: a saved device snapshot takes the entered name and ``c8y_upload``, §8.3).

    The SHA-256 is read (once, in chunks) only when something compares it before the upload: a
    leftover to adopt, an existing version to check. Otherwise the upload computes it while the file
    streams (``upload_once``), so a 1 GiB file is not read twice (issue 13: upload throughput).
    """

    path: Path
    size: int
    known_sha256: str | None = field(default=None, compare=False)
    upload_name: str | None = None
    upload_type: str | None = None

    @classmethod
    def read(cls, path: Path, *, name: str | None = None, mime: str | None = None) -> LocalFile:
        return cls(path, check_readable(path), None, name, mime)

    @property
    def sha256(self) -> str:
        """The file's SHA-256 (hex), read once when first asked for, unless an upload computed it."""
        if self.known_sha256 is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
                    digest.update(chunk)
            object.__setattr__(self, "known_sha256", digest.hexdigest())  # a cache: read once
        assert self.known_sha256 is not None
        return self.known_sha256

    @property
    def name(self) -> str:
        return self.upload_name or self.path.name

    @property
    def mime(self) -> str:
        return self.upload_type or guess_mime(self.name)


def upload_target(entry_type: str, name: str, version: str | None, patch: str | None) -> dict[str, str]:
    """What a binary is uploaded for: the entry's type and name, and the version (and patch)."""
    target = {"type": entry_type, "name": name}
    if version is not None:
        target["version"] = version
    if patch is not None:
        target["patch"] = patch
    return target


def marker_of(binary: Binary) -> dict[str, Any]:
    """The binary's ``c8ydm_Upload`` marker, ``{}`` when it has none (uploaded by someone else)."""
    marker = binary.fragment(UPLOAD_FRAGMENT)
    return marker if isinstance(marker, dict) and marker.get("tool") == TOOL else {}


def is_same_file(binary: Binary, local: LocalFile) -> bool:
    """Same length and the same SHA-256 in the binary's marker."""
    return binary.length == local.size and marker_of(binary).get("sha256") == local.sha256


def _mine_for(client: Client, local: LocalFile, target: dict[str, str]) -> list[Binary]:
    """This user's binaries of the file's type and name made by c8ydm for ``target``.

    GET /user/currentUser, GET /inventory/binaries?owner=<user>&type=<mime>&pageSize=2000
    """
    owner = client.tenant.current_user().user_name
    found = client.binaries.list(owner=owner, type=local.mime, page_size=BINARY_PAGE_SIZE)
    return [b for b in found if b.name == local.name and marker_of(b).get("target") == target]


def adopt_leftovers(
    client: Client, local: LocalFile, target: dict[str, str], report: Report | None = None
) -> Binary | None:
    """Binaries an interrupted run uploaded for ``target``: one with the same content is returned
    (adopted), the others are removed. Call only while the target version does not exist."""
    adopted: Binary | None = None
    for binary in _mine_for(client, local, target):
        if adopted is None and is_same_file(binary, local):
            adopted = binary
            _say(report, f"Reusing binary {binary.id} that an interrupted run uploaded for this version.")
            continue
        try:
            client.binaries.delete(str(binary.id))
        except C8yError as error:  # debris that stays is named, the add goes on
            _say(report, f"Could not remove binary {binary.id} an interrupted run left: {error.message}")
        else:
            _say(report, f"Removed binary {binary.id} that an interrupted run left behind.")
    return adopted


def upload_once(
    client: Client,
    local: LocalFile,
    target: dict[str, str],
    extra: dict[str, Any],
    on_progress: ProgressCallback | None,
    report: Report | None = None,
) -> Binary:
    """POST /inventory/binaries with the marker; a lost answer is reconciled by run id and target.

    The marker's ``sha256`` is computed while the file streams (``object`` follows the file),
    unless it is already known."""
    marker = {"tool": TOOL, "runId": RUN_ID, "target": target}

    def fragments(sha256: str) -> dict[str, Any]:
        return {**extra, UPLOAD_FRAGMENT: {**marker, "sha256": sha256}}

    def lookup() -> Binary | None:
        ours = [b for b in _mine_for(client, local, target) if marker_of(b).get("runId") == RUN_ID]
        return ours[0] if len(ours) == 1 else None

    return create_once(
        client,
        lambda: client.binaries.upload(
            local.path,
            name=local.name,
            content_type=local.mime,
            fragments=fragments if local.known_sha256 is None else fragments(local.known_sha256),
            on_progress=on_progress,
        ),
        lookup,
        what=f"binary {local.name}",
        report=report,
    )


def provide_binary(
    client: Client,
    local: LocalFile,
    target: dict[str, str],
    extra: dict[str, Any],
    on_bytes: Callable[[int], None] | None,
    report: Report | None = None,
) -> Binary:
    """Step 1 of an add (§3.3): adopt what an interrupted run uploaded for ``target`` (removing other
    leftovers), or upload the file with c8ydm's marker. ``on_bytes(n)`` per chunk sent."""
    adopted = adopt_leftovers(client, local, target, report)
    if adopted is not None:
        if on_bytes is not None:
            on_bytes(local.size)  # nothing to send: the progress is complete at once
        return adopted
    return upload_once(client, local, target, extra, byte_progress(on_bytes), report)


def _say(report: Callable[[str], None] | None, text: str) -> None:
    if report is not None:
        report(text)


__all__ = [
    "UPLOAD_FRAGMENT",
    "LocalFile",
    "adopt_leftovers",
    "is_same_file",
    "marker_of",
    "provide_binary",
    "upload_once",
    "upload_target",
]
