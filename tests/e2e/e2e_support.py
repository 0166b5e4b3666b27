"""Helpers of the end-to-end tests: the entry point, a finished run, recorded-request validation."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from support import oas

_SCRIPT = Path(sys.executable).with_name("c8ydm")
ENTRY_POINT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "c8ydm"]
RUN_TIMEOUT_SECONDS = 120
# Paths that are not Cumulocity platform API: the sandbox's own, and a microservice (§7.2).
NOT_IN_SPEC = ("/sandbox/", "/service/advanced-software-mgmt/")
# §7.2: the UI's availability check of advanced software management sends these beyond the spec.
EXTRA_QUERY = {
    ("get", "/application/applicationsByUser/{username}"): frozenset({"dropOverwrittenApps", "noPaging"})
}


@dataclass
class Run:
    """One finished ``c8ydm`` run."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


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
        if str(record["path"]).startswith(NOT_IN_SPEC):
            continue
        request = request_from_record(record)
        if request is None:
            continue
        try:
            oas.validate_request(request)
        except oas.OasValidationError as error:
            failures.append(f"{error} (answered {record.get('status')})")
    return failures
