"""Streaming request bodies to disk: multipart uploads and raw bodies (contract §1.11).

The file part goes chunk by chunk from the socket into a temporary file next to its final place, so a
large upload is never held in memory. Parts may come in any order, with or without a filename or a
part Content-Type (contract §15.9 is open on both, so the sandbox accepts all forms). Other parts
(`object`, `filesize`, ...) are small form fields, kept as text up to `MAX_FIELD_BYTES`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError

MAX_FIELD_BYTES = 1024 * 1024
FILE_PART = "file"


@dataclass
class Upload:
    path: Path | None = None  # the file part's bytes, in a temporary file; None if there was none
    length: int = 0
    filename: str | None = None
    content_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def temp_path(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f".upload-{secrets.token_hex(8)}"


class _PartCollector:
    """The callbacks of python-multipart's push parser."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.upload = Upload()
        self.headers: dict[str, str] = {}
        self.raw_headers: dict[str, bytes] = {}
        self.header_field = b""
        self.header_value = b""
        self.sink: IO[bytes] | None = None
        self.field_name: str | None = None
        self.field_data = bytearray()

    def on_part_begin(self) -> None:
        self.headers = {}
        self.raw_headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        field = self.header_field.decode("latin-1").lower()
        self.headers[field] = self.header_value.decode("utf-8", "replace")
        self.raw_headers[field] = bytes(self.header_value)
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        # The raw bytes: browsers and clients send a file name as UTF-8 (RFC 7578 §4.2), which the
        # text form could not carry through parse_options_header (it re-encodes text as latin-1).
        _, options = parse_options_header(self.raw_headers.get("content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if name == FILE_PART and self.upload.path is None:
            self.upload.path = temp_path(self.directory)
            self.upload.filename = filename.decode("utf-8", "replace") if filename else None
            self.upload.content_type = self.headers.get("content-type") or None
            self.sink = open(self.upload.path, "wb")  # noqa: SIM115 - closed in on_part_end / close()
        else:
            self.field_name = name
            self.field_data = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        # Synchronous writes of parser-sized chunks: fast on a local disk, and keeps memory flat.
        if self.sink is not None:
            self.sink.write(data[start:end])
            self.upload.length += end - start
        else:
            self.field_data += data[start:end]
            if len(self.field_data) > MAX_FIELD_BYTES:
                raise C8yHTTPError(
                    413, "general/requestTooLarge", f"form field {self.field_name!r} too large"
                )

    def on_part_end(self) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None
        elif self.field_name is not None:
            self.upload.fields[self.field_name] = self.field_data.decode("utf-8", "replace")
            self.field_name = None

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()


async def receive_multipart(request: Request, directory: Path) -> Upload:
    """Parse a multipart/form-data body, streaming the `file` part to a temporary file."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise C8yHTTPError(400, "general/badRequest", "multipart/form-data needs a boundary")
    collector = _PartCollector(directory)
    callbacks = {name: getattr(collector, name) for name in dir(collector) if name.startswith("on_")}
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except C8yHTTPError:
        collector.close()
        collector.upload.discard()
        raise
    except Exception as exc:
        collector.close()
        collector.upload.discard()
        raise C8yHTTPError(400, "general/badRequest", f"malformed multipart body: {exc}") from exc
    collector.close()
    return collector.upload


async def receive_raw(request: Request, directory: Path) -> Upload:
    """Stream a raw request body (binary PUT, event binary) into a temporary file."""
    upload = Upload(path=temp_path(directory), content_type=request.headers.get("content-type"))
    try:
        with open(upload.path, "wb") as sink:  # type: ignore[arg-type]
            async for chunk in request.stream():
                sink.write(chunk)
                upload.length += len(chunk)
    except BaseException:
        upload.discard()
        raise
    return upload


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


def commit(upload: Upload, target: Path) -> None:
    """Move the uploaded file into place atomically."""
    assert upload.path is not None
    os.replace(upload.path, target)
    upload.path = None
