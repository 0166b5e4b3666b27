"""A scripted tenant for repository procedure tests: answers by method, path and query, records calls.

    tenant = ScriptedTenant(oas_router)           # every call is also validated against the spec
    tenant.on("GET", "/inventory/managedObjects", page([entry]), query=ENTRY_QUERY)
    tenant.on("POST", "/inventory/binaries", binary_mo("11"), TransportError...)   # answers in order
    ...
    assert tenant.changes() == [("POST", "/inventory/binaries", {...}), ...]

An answer is a dict (JSON, 200 for GET/PUT, 201 for POST), an ``httpx.Response``, an int (that status
with a Cumulocity error body), an exception instance (raised, e.g. ``httpx.ReadTimeout``), or a
callable taking the request's JSON body (None without one) and returning one of those. The last
answer of a rule repeats. A request no rule matches fails the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import respx

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.retry import RetryPolicy
from c8ydm.procedures.origin import RUN_ID
from c8ydm.procedures.repository.add import AddRequest, execute_add, plan_add
from c8ydm.procedures.repository.kinds import FIRMWARE

BASE_URL = "https://t100.example.com"
MO_PATH = "/inventory/managedObjects"
BIN_PATH = "/inventory/binaries"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    body: Any
    content_type: str


@dataclass
class _Rule:
    method: str
    path: str
    params: dict[str, str]
    answers: list[Any]


def multipart(request: httpx.Request) -> dict[str, Any]:
    """An upload's parts: ``{"file": {"filename", "content_type", "data"}, "object": <json>}``."""
    boundary = request.headers["Content-Type"].split("boundary=", 1)[1].encode()
    parts: dict[str, Any] = {}
    for chunk in request.content.split(b"--" + boundary)[1:-1]:
        head, body = chunk.removeprefix(b"\r\n").split(b"\r\n\r\n", 1)
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        body = body.removesuffix(b"\r\n")
        disposition = headers["Content-Disposition"]
        if 'name="file"' in disposition:
            filename = disposition.split('filename="', 1)[1].rstrip('"')
            parts["file"] = {"filename": filename, "content_type": headers.get("Content-Type"), "data": body}
        else:
            parts["object"] = json.loads(body)
            parts["object_headers"] = headers
    return parts


class ScriptedTenant:
    """The tenant's side of a respx router: scripted answers, recorded calls."""

    def __init__(self, router: respx.MockRouter) -> None:
        self.rules: list[_Rule] = []
        self.calls: list[Call] = []
        router.route(host=httpx.URL(BASE_URL).host).mock(side_effect=self._answer)

    def on(self, method: str, path: str, *answers: Any, **params: str) -> None:
        """Answer ``method path`` whose query contains ``params`` with ``answers`` in order."""
        self.rules.append(_Rule(method, path, {k: str(v) for k, v in params.items()}, list(answers)))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        params = dict(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))
        content_type = request.headers.get("Content-Type", "")
        if content_type.startswith("multipart/"):
            body: Any = multipart(request)
        elif request.content:
            body = json.loads(request.content)
        else:
            body = None
        self.calls.append(Call(request.method, request.url.path, params, body, content_type))
        for rule in self.rules:
            if (
                rule.method == request.method
                and rule.path == request.url.path
                and all(params.get(k) == v for k, v in rule.params.items())
            ):
                answer = rule.answers.pop(0) if len(rule.answers) > 1 else rule.answers[0]
                if callable(answer) and not isinstance(answer, Exception | httpx.Response):
                    answer = answer(body if isinstance(body, dict) else None)
                return _response(request, answer)
        raise AssertionError(f"unexpected request: {request.method} {request.url.path} {params}")

    def changes(self) -> list[tuple[str, str, Any]]:
        """Every non-GET call as (method, path with query, body)."""
        return [
            (
                c.method,
                c.path + ("?" + "&".join(f"{k}={v}" for k, v in c.params.items()) if c.params else ""),
                c.body,
            )
            for c in self.calls
            if c.method != "GET"
        ]

    def queries(self) -> list[str]:
        """The ``query=`` values of the GETs, in order."""
        return [c.params["query"] for c in self.calls if c.method == "GET" and "query" in c.params]


def _response(request: httpx.Request, answer: Any) -> httpx.Response:
    if isinstance(answer, Exception):
        raise answer
    if isinstance(answer, httpx.Response):
        return answer
    if isinstance(answer, int):
        body = {"error": "general/error", "message": f"scripted {answer}", "info": "https://example.com"}
        return httpx.Response(answer, json=body, headers={"Content-Type": "application/json"})
    status = 201 if request.method == "POST" else 200
    return httpx.Response(status, json=answer)


def page(items: list[dict[str, Any]], **statistics: Any) -> dict[str, Any]:
    """A collection page of managed objects."""
    return {"managedObjects": items, "statistics": {"currentPage": 1, "pageSize": 2000, **statistics}}


def mo(mo_id: str, **fields: Any) -> dict[str, Any]:
    """A managed object with its ``self``."""
    return {"id": mo_id, "self": f"{BASE_URL}{MO_PATH}/{mo_id}", **fields}


def entry_mo(mo_id: str, name: str, entry_type: str = "c8y_Firmware", **fields: Any) -> dict[str, Any]:
    return mo(mo_id, name=name, type=entry_type, **fields)


def version_mo(
    mo_id: str, version: str, url: str, *, fragment: str = "c8y_Firmware", dependency: str | None = None
) -> dict[str, Any]:
    body = mo(mo_id, type=fragment + "Binary", creationTime="2024-05-01T12:00:00.000Z")
    body[fragment] = {"version": version, "url": url}
    if dependency is not None:
        body["c8y_Patch"] = {"dependency": dependency}
    return body


def binary_mo(bin_id: str, name: str = "fw.bin", mime: str = "application/octet-stream") -> dict[str, Any]:
    return {
        "id": bin_id,
        "self": f"{BASE_URL}{BIN_PATH}/{bin_id}",
        "name": name,
        "type": mime,
        "contentType": mime,
        "length": 5,
        "c8y_IsBinary": {},
    }


def make_client() -> Client:
    """A client for ``BASE_URL`` whose retries never sleep."""
    return Client(
        BASE_URL,
        BasicAuth("admin", "pw", tenant="t100"),
        tenant="t100",
        retry=RetryPolicy(sleep=lambda _: None, random=lambda: 1.0),
    )


# -- firmware scenarios of the add-flow tests: entry "router-fw" id 10, binary 11, version 12 --------
ENTRY_QUERY = "$filter=((type eq 'c8y_Firmware') and (name eq 'router-fw'))"
VERSIONS_QUERY = "$filter=(bygroupid(10)) $orderby=creationTime.date desc"
GLOBAL = "c8y_GlobalObjectConfiguration"
BIN_URL = f"{BASE_URL}/inventory/binaries/11"
MANAGED_OBJECT_TYPE = "application/vnd.com.nsn.cumulocity.managedObject+json"
REFERENCE_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReference+json"
EXISTING = entry_mo("10", "router-fw", description="Router", c8y_Filter={"type": "c8y_Linux"})


def add(client: Client, **fields: Any) -> Any:
    request = AddRequest(**{"kind": FIRMWARE, "name": "router-fw", "version": "1.0.0", **fields})
    return execute_add(client, plan_add(client, request))


HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"  # sha256(b"hello")


def upload_marker(target: dict[str, str], sha256: str = HELLO_SHA256) -> dict[str, Any]:
    """The ``c8ydm_Upload`` marker this process puts on an upload (procedures/repository/uploads.py)."""
    return {"tool": "c8ydm", "runId": RUN_ID, "sha256": sha256, "target": target}


def script_no_leftovers(tenant: ScriptedTenant, *listings: list[dict[str, Any]]) -> None:
    """The look-ups of this user's binaries (uploads.py: leftovers of an interrupted add, an upload
    without an answer): each listing answers one look-up in turn, the last repeats; none: empty."""
    tenant.on("GET", "/user/currentUser", {"id": "admin", "userName": "admin", "effectiveRoles": []})
    tenant.on("GET", BIN_PATH, *(page(items) for items in listings or ([],)), owner="admin")


def script_new_firmware(tenant: ScriptedTenant, *, flag_config: list[dict[str, Any]] | None = None) -> None:
    script_no_leftovers(tenant)
    tenant.on("GET", MO_PATH, page([]), query=ENTRY_QUERY)
    tenant.on("GET", MO_PATH, page(flag_config or []), type=GLOBAL)
    tenant.on("POST", "/inventory/binaries", binary_mo("11"))
    tenant.on("POST", MO_PATH, entry_mo("10", "router-fw"))
    tenant.on("POST", f"{MO_PATH}/10/childAdditions", version_mo("12", "1.0.0", BIN_URL))
    tenant.on("POST", f"{MO_PATH}/12/childAdditions", {"managedObject": {"id": "11"}})


def script_existing_firmware(tenant: ScriptedTenant, *versions: dict[str, Any]) -> None:
    script_no_leftovers(tenant)
    tenant.on("GET", MO_PATH, page([EXISTING]), query=ENTRY_QUERY)
    tenant.on("GET", MO_PATH, page(list(versions)), query=VERSIONS_QUERY)
    tenant.on("GET", MO_PATH, page([]), type=GLOBAL)
    tenant.on("PUT", f"{MO_PATH}/10", EXISTING)
