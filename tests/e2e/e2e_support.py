"""Helpers of the end-to-end tests: the entry point, a finished run, recorded-request validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from support import oas
from support.entry_point import ENTRY_POINT, Run

__all__ = ["ENTRY_POINT", "RUN_TIMEOUT_SECONDS", "Run", "invalid_requests", "request_from_record"]

RUN_TIMEOUT_SECONDS = 120


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
