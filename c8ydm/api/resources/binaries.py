"""Binaries: streaming upload, download, replace, delete (contract §1.11, §3.3, §3.7)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from c8ydm.api.client import decode_json
from c8ydm.api.conventions import binary_id_from_url, mo_id_from_url, path_segment
from c8ydm.api.hooks import bytes_description, file_description
from c8ydm.api.http_errors import error_from_response, transport_error
from c8ydm.api.models.inventory import Binary
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, iter_items
from c8ydm.api.transfer import (
    CHUNK_BYTES,
    DownloadProgress,
    FileBody,
    MultipartUpload,
    ObjectPart,
    ProgressCallback,
    guess_mime,
    stream_to_file,
)

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/inventory/binaries"


class Binaries:
    """``client.binaries``: files stored in the tenant."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def upload(
        self,
        path: Path | str,
        *,
        name: str | None = None,
        content_type: str | None = None,
        fragments: Mapping[str, Any] | Callable[[str], Mapping[str, Any]] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Binary:
        """Upload a file, streamed from disk; ``fragments`` go into ``object`` (e.g. c8y_Global).
        Given as a callable, ``fragments(sha256)`` gets the file's SHA-256 (hex), computed while
        the file streams: ``object`` is sent after the file.

        POST /inventory/binaries
        """
        source = Path(path)
        filename = name or source.name
        return self._upload(source, filename, content_type, fragments, on_progress)

    def upload_bytes(
        self,
        data: bytes,
        *,
        name: str,
        content_type: str | None = None,
        fragments: Mapping[str, Any] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Binary:
        """Upload bytes held in memory under a file name. POST /inventory/binaries"""
        return self._upload(data, name, content_type, fragments, on_progress)

    def _upload(
        self,
        source: Path | bytes,
        filename: str,
        content_type: str | None,
        fragments: Mapping[str, Any] | Callable[[str], Mapping[str, Any]] | None,
        on_progress: ProgressCallback | None,
    ) -> Binary:
        mime = content_type or guess_mime(filename)

        def object_of(sha256: str) -> dict[str, Any]:
            given = fragments(sha256) if callable(fragments) else fragments
            return {"name": filename, "type": mime, **(given or {})}

        part: ObjectPart = object_of if callable(fragments) else object_of("")
        body = MultipartUpload(
            source, filename=filename, mime=mime, object_part=part, on_progress=on_progress
        )

        def describe() -> dict[str, Any]:
            described = (
                bytes_description(source, name=filename)
                if isinstance(source, bytes)
                else file_description(source, name=filename)
            )
            return {"file": described, "object": object_of(described["sha256"])}

        response = self._client.request(
            "POST", PATH, content=body, headers=body.headers(), transfer=True, dry_run_body=describe
        )
        return Binary.model_validate(decode_json(response))

    def url_of(self, binary: Binary) -> str:
        """The URL a repository version points at: the binary's own ``self`` (§3.3 step 1), else built."""
        return binary.self_url or f"{self._client.base_url}{PATH}/{path_segment(binary.id or '')}"

    def get(self, binary_id: str) -> Binary:
        """A binary's managed object: name, contentType, length. GET /inventory/managedObjects/{id}"""
        answer = self._client.get_json(f"/inventory/managedObjects/{path_segment(binary_id)}")
        return Binary.model_validate(answer)

    def list(
        self,
        *,
        owner: str | None = None,
        type: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[Binary]:
        """Iterate binaries, e.g. to reconcile an upload that timed out (§3.3). GET /inventory/binaries"""
        params = {"owner": owner, "type": type}
        return iter_items(
            self._client,
            PATH,
            "managedObjects",
            params=params,
            model=Binary,
            page_size=page_size,
            limit=limit,
        )

    def download(
        self, binary_id: str, dest: Path | str, *, on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream a binary's content into a file. GET /inventory/binaries/{id} (Accept: */*)"""
        path = f"{PATH}/{path_segment(binary_id)}"
        with self._client.stream("GET", path, expect_json=False, transfer=True) as response:
            return stream_to_file(response, Path(dest), on_progress=on_progress)

    def digest(self, binary_id: str) -> tuple[int, str]:
        """A binary's length and SHA-256, hashed while streamed (never held in memory).

        GET /inventory/binaries/{id} (Accept: */*)
        """
        path = f"{PATH}/{path_segment(binary_id)}"
        digest, size = hashlib.sha256(), 0
        with self._client.stream("GET", path, expect_json=False, transfer=True) as response:
            for chunk in response.iter_bytes(CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()

    def read(self, binary_id: str) -> bytes:
        """A binary's content in memory (small files). GET /inventory/binaries/{id} (Accept: */*)"""
        path = f"{PATH}/{path_segment(binary_id)}"
        return self._client.request("GET", path, expect_json=False, transfer=True).content

    def download_url(
        self, url: str, dest: Path | str, *, on_progress: DownloadProgress | None = None
    ) -> Path:
        """Download a repository URL: internal ones by id, external ones without credentials (§1.1, §3.7)."""
        internal_id = binary_id_from_url(url) or mo_id_from_url(url)
        if internal_id is not None:
            return self.download(internal_id, dest, on_progress=on_progress)
        target = httpx.URL(url)
        shown = f"{target.host}{target.path}"  # never echo user info a URL may carry
        with self._client.external_client() as http:
            try:
                with http.stream("GET", target) as response:
                    if response.is_error:
                        response.read()
                        raise error_from_response(response, method="GET", path=shown)
                    return stream_to_file(response, Path(dest), on_progress=on_progress)
            except httpx.TransportError as exc:
                raise transport_error(exc, target, is_tenant=False) from None

    def replace(
        self,
        binary_id: str,
        path: Path | str,
        *,
        content_type: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Binary:
        """Replace a binary's content with a file's raw bytes (answers 201). PUT /inventory/binaries/{id}"""
        source = Path(path)
        body = FileBody(source, on_progress=on_progress)
        mime = content_type or guess_mime(source.name)
        headers = {
            "Content-Type": "application/octet-stream" if "/" not in mime else mime,
            "Content-Length": str(body.size),
        }
        response = self._client.request(
            "PUT", f"{PATH}/{path_segment(binary_id)}", content=body, headers=headers, transfer=True,
            dry_run_body=lambda: {"file": file_description(source)},
        )  # fmt: skip
        return Binary.model_validate(decode_json(response) or {"id": binary_id})

    def delete(self, binary_id: str) -> None:
        """Delete a binary. DELETE /inventory/binaries/{id}"""
        self._client.delete(f"{PATH}/{path_segment(binary_id)}")
