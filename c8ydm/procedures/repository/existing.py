"""A version (or single-level entry) that already exists: is it what the user is adding, and did the
run that made it finish? (issue 14; contract §3.3 step 4, §1.11)

``--if-exists skip`` accepts an existing version only when it holds the same content: the same URL
for ``--url``, and for ``--file`` a stored binary of the same size and SHA-256. The size comes from
the binary's managed object (``length``); the digest from c8ydm's upload marker (``uploads.py``)
when the binary has one, else by streaming the stored file through SHA-256 (only when the sizes
already agree). A difference is exit 7, "version exists with different content".

A run killed between creating the version (step 3) and linking its binary (step 4) leaves a
version whose binary is not a child addition, so a later ``delete`` would leave the file behind.
``unlinked_binary`` finds that; ``execute_add`` links it when skipping, and the refusal of
``--if-exists fail`` says so.
"""

from __future__ import annotations

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import ConflictError, NotFoundError
from c8ydm.procedures.repository.steps import is_linked
from c8ydm.procedures.repository.uploads import LocalFile, marker_of

DIFFERENT_CONTENT_HINT = "add it as a new version, or delete the stored one first"


def _different(what: str, why: str) -> ConflictError:
    return ConflictError(f"{what} exists with different content: {why}", hint=DIFFERENT_CONTENT_HINT)


def check_same_content(
    client: Client, what: str, stored_url: str, *, file: LocalFile | None, url: str | None
) -> None:
    """ConflictError (exit 7) unless the stored URL or file is what is being added.

    GET /inventory/managedObjects/<binId>, and GET /inventory/binaries/<binId> to hash a stored file
    that carries no c8ydm marker (only when the sizes agree).
    """
    if file is None:
        if stored_url != url:
            raise _different(what, f"it points at {stored_url or 'no file'!r}, not {url!r}")
        return
    binary_id = mo_id_from_url(stored_url)
    if binary_id is None:
        raise _different(what, f"it points at {stored_url or 'no file'!r}, not at an uploaded file")
    try:
        binary = client.binaries.get(binary_id)
    except NotFoundError:
        raise _different(what, f"its binary {binary_id} no longer exists") from None
    if binary.length is not None and binary.length != file.size:
        raise _different(what, f"the stored file has {binary.length} bytes, {file.path.name} has {file.size}")
    stored_digest = marker_of(binary).get("sha256")
    if not isinstance(stored_digest, str):
        size, stored_digest = client.binaries.digest(binary_id)
        if size != file.size:
            raise _different(what, f"the stored file has {size} bytes, {file.path.name} has {file.size}")
    if stored_digest != file.sha256:
        raise _different(what, f"the stored file's SHA-256 differs from {file.path.name}'s")


def unlinked_binary(client: Client, parent_id: str | None, stored_url: str) -> str | None:
    """The id of the internal binary ``stored_url`` names when it is not linked under ``parent_id``
    (an add interrupted between steps 3 and 4), else None.

    GET /inventory/managedObjects/{parent}/childAdditions
    """
    binary_id = mo_id_from_url(stored_url)
    if parent_id is None or binary_id is None:
        return None
    return None if is_linked(client, parent_id, binary_id) else binary_id


def accept_existing(
    client: Client,
    conflict: ConflictError,
    *,
    what: str,
    is_skip: bool,
    parent_id: str | None,
    stored_url: str,
    file: LocalFile | None,
    url: str | None,
) -> str | None:
    """Decide about an existing version or entry (``parent_id``, holding ``stored_url``).

    Without ``--if-exists skip``: raise ``conflict`` (exit 7), its hint naming an unfinished add.
    With it: ConflictError unless the content is the same; then the id of a binary left unlinked
    by an interrupted add (to link now), else None.
    """
    if not is_skip:
        if unlinked_binary(client, parent_id, stored_url) is not None:
            conflict.hint = (
                "its binary was never linked (an interrupted add?): run the same add with "
                "--if-exists skip to finish it"
            )
        raise conflict
    check_same_content(client, what, stored_url, file=file, url=url)
    return unlinked_binary(client, parent_id, stored_url) if file is not None else None


__all__ = ["DIFFERENT_CONTENT_HINT", "accept_existing", "check_same_content", "unlinked_binary"]
