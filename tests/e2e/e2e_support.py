"""Helpers of the end-to-end tests: the entry point, a finished run, recorded-request validation."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from support import oas
from support.entry_point import ENTRY_POINT, Run
from support.sandbox import SandboxInstance, running_sandbox

from c8ydm.sandbox.core.recorder import ENV_VAR as RECORD_ENV

__all__ = [
    "ENTRY_POINT",
    "RECORDINGS",
    "RUN_TIMEOUT_SECONDS",
    "Run",
    "invalid_requests",
    "recording_sandbox",
    "request_from_record",
]

RUN_TIMEOUT_SECONDS = 120
RECORDINGS: list[Path] = []  # every recording sandbox's request file, validated at the session's end


@contextlib.contextmanager
def recording_sandbox(data_dir: Path, **options: Any) -> Iterator[SandboxInstance]:
    """A sandbox (support.sandbox.running_sandbox) whose server records requests to a file."""
    record = data_dir / "requests.jsonl"
    RECORDINGS.append(record)
    with contextlib.ExitStack() as stack:
        previous = os.environ.get(RECORD_ENV)
        os.environ[RECORD_ENV] = str(record)  # inherited by the server process as it starts
        try:
            instance = stack.enter_context(running_sandbox(data_dir, **options))
        finally:
            if previous is None:
                os.environ.pop(RECORD_ENV, None)
            else:
                os.environ[RECORD_ENV] = previous
        yield instance


def request_from_record(record: dict[str, Any]) -> httpx.Request | None:
    """The recorded request rebuilt for support.oas; None when its body was not recorded."""
    method = str(record["method"])
    headers = {"Accept": record.get("accept") or "application/json"}
    if record.get("contentType"):
        headers["Content-Type"] = str(record["contentType"])
    if record.get("authorization"):
        headers["Authorization"] = "Basic cmVjb3JkZWQ6cmVxdWVzdA=="  # a placeholder: never recorded
    content: bytes | None = None
    if "body" in record:
        body = record["body"]
        content = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    elif record.get("contentType") and method not in ("GET", "DELETE"):
        return None  # multipart, or over the size limit: the body cannot be validated
    query = f"?{record['query']}" if record.get("query") else ""
    url = httpx.URL(f"http://recorded.invalid{record['path']}{query}")
    return httpx.Request(method, url, headers=headers, content=content)


def invalid_requests(record_file: Path) -> list[str]:
    """One line per recorded request the official spec rejects."""
    failures = []
    for line in record_file.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if oas.is_outside_spec(str(record["path"])):
            continue
        request = request_from_record(record)
        if request is None:
            continue
        try:
            oas.validate_request(request)
        except oas.OasValidationError as error:
            failures.append(f"{error} (answered {record.get('status')})")
    return failures
