"""Does what the tenant already holds equal what a re-run asks for? (``--if-exists skip``)

"unchanged" must mean unchanged: a skip that reports it while the stored file differs hides a
release that never happened. So before skipping, compare:

- a file with the stored binary of an internal URL: size first (the binary's ``length``), then the
  SHA-256 from c8ydm's upload marker (``uploads.py``) or else of the stored bytes, streamed
  (``Binaries.digest``); a file never equals an external URL
  (c8ydm does not fetch third-party servers to compare);
- a URL with the stored URL, literally;
- every field the user gave (description, device type, the kind's extra fields) with the stored one.

``stored_file_matches`` is written for every kind: the configuration kind uses it for its single
level (``add._plan_existing_entry``), and a versioned kind can call it with a version's URL (the
firmware digest check of the fleet-safety issue).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from c8ydm.api.client import Client
from c8ydm.api.conventions import binary_id_from_url, mo_id_from_url
from c8ydm.api.errors import ConflictError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.repository.download import sha256_of
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.uploads import marker_of


def stored_file_matches(client: Client, url: str | None, path: Path) -> bool:
    """Whether ``url`` is an internal binary with the same size and SHA-256 as the file at ``path``.

    GET /inventory/managedObjects/<binId> (length), then GET /inventory/binaries/<binId> (streamed)
    """
    binary_id = binary_id_from_url(url) or mo_id_from_url(url)
    if binary_id is None:
        return False
    size = path.stat().st_size
    stored = client.binaries.get(binary_id)
    if stored.length is not None and stored.length != size:
        return False
    marked = marker_of(stored).get("sha256")  # c8ydm's upload marker: no download needed (uploads.py)
    if isinstance(marked, str) and stored.length == size:
        return marked == sha256_of(path)
    stored_size, digest = client.binaries.digest(binary_id)
    return stored_size == size and digest == sha256_of(path)


def field_differences(
    kind: RepoKind,
    entry: ManagedObject,
    *,
    description: str | None,
    device_type: str | None,
    fields: Mapping[str, str | None],
) -> list[str]:
    """The options whose given value differs from the entry's (``--description``, ``--type`` …)."""
    asked: dict[str, tuple[str | None, object]] = {
        "--description": (description, entry.fragment("description")),
        "--device-type": (device_type, kind.device_type_of(entry)),
    }
    for spec in kind.fields:
        asked[spec.option] = (fields.get(spec.path), entry.fragment(spec.path))
    return [option for option, (value, stored) in asked.items() if value is not None and value != stored]


def content_differences(
    client: Client, url: str | None, *, file: Path | None, new_url: str | None
) -> list[str]:
    """``["--file"]`` or ``["--url"]`` when the given source differs from the stored ``url``, else []."""
    if file is not None:
        return [] if stored_file_matches(client, url, file) else ["--file"]
    if new_url is not None and new_url != url:
        return ["--url"]
    return []


def refuse_different_content(
    client: Client,
    kind: RepoKind,
    entry: ManagedObject,
    *,
    description: str | None,
    device_type: str | None,
    fields: Mapping[str, str | None],
    file: Path | None,
    url: str | None,
) -> None:
    """ConflictError (exit 7) naming what differs between an existing entry and what was asked for."""
    differ = field_differences(kind, entry, description=description, device_type=device_type, fields=fields)
    stored = entry.fragment("url")
    differ += content_differences(client, str(stored) if stored is not None else None, file=file, new_url=url)
    if differ:
        raise ConflictError(
            f"{kind.label} {entry.name!r} exists with different content ({', '.join(differ)} differ)",
            hint=f"change it with: c8ydm {kind.command} edit, or add it under another name",
        )
