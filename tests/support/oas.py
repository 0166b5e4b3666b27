"""Validate Cumulocity traffic against the official OpenAPI spec (``../shared/reference/c8y-oas.yml``).

Use from any test::

    from support.oas import validate_request, validate_response   # raise OasValidationError
    def test_x(oas_router): ...       # respx router; every captured request is validated at teardown

The spec is loaded once per process (about 0.3 s with the C YAML loader) and is not validated
itself (it has known errors). It is patched in memory: a relative server so any host matches, and
``application/json`` accepted wherever it lists a vendor ``+json`` type (contract §1.3). Beyond
openapi-core's checks, every query parameter must be declared by the operation or appear in
``ALLOWED_EXTRA_QUERY`` (each entry cites the contract section requiring it), and operations that
need authentication must carry an ``Authorization`` header. Paths the core spec does not describe
are listed once, in ``NOT_IN_SPEC`` (``is_outside_spec``); every validating fixture (here,
support/sandbox.py, the e2e recordings, the procedure fakes) skips them. Without the spec file,
tests using these helpers are skipped with the reason.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx
import yaml  # type: ignore[import-untyped]  # no stubs in the venv

SPEC_ENV = "C8YDM_OAS_PATH"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "reference" / "c8y-oas.yml"
DEFAULT_BASE_URL = "https://t100.example.com"

# Query parameters the contract requires but the spec does not list for the operation.
ALLOWED_EXTRA_QUERY: dict[tuple[str, str], frozenset[str]] = {
    # §2.1: the UI's c8y_Global check sends createdFrom=1990-01-01 ("not in the spec; send it anyway").
    ("get", "/inventory/managedObjects"): frozenset({"createdFrom"}),
    # §1.5 (withTotalPages works here too) and §11.4 (the UI's list filters, not in the spec ⚠).
    ("get", "/devicecontrol/bulkoperations"): frozenset(
        {"withTotalPages", "withDeleted", "generalStatus", "dateFrom", "dateTo"}
    ),
    # §12.5: provisioned certificates of a device user.
    ("get", "/user/{tenantId}/users/{userId}"): frozenset({"withCertificates"}),
    # §7.2: the availability check of advanced software management (the UI's parameters).
    ("get", "/application/applicationsByUser/{username}"): frozenset({"dropOverwrittenApps", "noPaging"}),
}

# Path prefixes outside the core platform spec: traffic to them is not validated. The one list used
# by every validating helper (oas_router, support/sandbox.py, the e2e recordings, procedure fakes).
NOT_IN_SPEC = (
    "/sandbox/",  # the sandbox's own administration endpoints (c8ydm/sandbox/endpoints/sandbox_admin.py)
    "/service/advanced-software-mgmt/",  # a microservice (contract §7.2), not in the core spec
    # §12.7: the UI calls both; "neither is in the spec and their bodies are not recorded ⚠".
    "/devicecontrol/newDeviceRequests/acceptAll",
    "/devicecontrol/newDeviceRequests/limit",
)

# Read-only properties the contract sends in request bodies anyway; removed before schema validation.
ALLOWED_READ_ONLY_BODY_KEYS: dict[tuple[str, str], frozenset[str]] = {
    # §1.8 and §14(a): the UI puts the id into PUT bodies, and c8ydm does the same.
    ("put", "/inventory/managedObjects/{id}"): frozenset({"id"}),
    # §11.4: "Set to successful" PUTs {"generalStatus":"SUCCESSFUL"}; the spec marks it read-only ⚠.
    ("put", "/devicecontrol/bulkoperations/{id}"): frozenset({"generalStatus"}),
    # §13: "one change per PUT as the UI does: {"fingerprint","name"}…"; the spec marks it read-only.
    ("put", "/tenant/tenants/{tenantId}/trusted-certificates/{fingerprint}"): frozenset({"fingerprint"}),
}

# Request bodies the spec describes too narrowly: a raw binary replace is the file's bytes, whatever
# its type (§1.11: "PUT /inventory/binaries/<binId> with the raw body"); the spec lists text/plain.
RAW_BODY_OPERATIONS = (("put", "/inventory/binaries/{id}"),)


class OasValidationError(AssertionError):
    """A request or response that the official spec (plus the allow-list) does not accept."""


def spec_path() -> Path:
    """The spec file: ``$C8YDM_OAS_PATH`` or ``<repo>/../shared/reference/c8y-oas.yml``."""
    override = os.environ.get(SPEC_ENV)
    return Path(override) if override else DEFAULT_SPEC


def is_outside_spec(path: str) -> bool:
    """Whether a request path is outside the core spec (``NOT_IN_SPEC``), so not validated."""
    return path.startswith(NOT_IN_SPEC)


def require_spec() -> None:
    """Skip the calling test when the spec file is absent."""
    path = spec_path()
    if not path.is_file():
        pytest.skip(f"official OpenAPI spec not found at {path}: request validation skipped")


def _media_types(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every ``content`` map of request bodies and responses, components included."""
    components = spec.get("components", {})
    holders = [*components.get("requestBodies", {}).values(), *components.get("responses", {}).values()]
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                holders.append(operation.get("requestBody") or {})
                holders.extend((operation.get("responses") or {}).values())
    for holder in holders:
        if isinstance(holder, dict) and isinstance(holder.get("content"), dict):
            yield holder["content"]


def _patch(raw: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    spec = copy.deepcopy(raw)
    spec["servers"] = [{"url": "/"}]  # the spec's https://<TENANT_DOMAIN> matches no host
    vendor: set[str] = set()
    for content in _media_types(spec):
        for media_type in list(content):
            if media_type.startswith("application/vnd.") and media_type.endswith("+json"):
                vendor.add(media_type)
                content.setdefault("application/json", content[media_type])
    for method, template in RAW_BODY_OPERATIONS:
        content = spec["paths"][template][method]["requestBody"]["content"]
        content.setdefault("application/*", {"schema": {}})
        content.setdefault("image/*", {"schema": {}})
        content.setdefault("text/*", {"schema": {}})
    return spec, vendor


@functools.lru_cache(maxsize=1)
def _load() -> tuple[Any, dict[str, Any]]:
    from jsonschema_path import SchemaPath
    from openapi_core import Config, OpenAPI
    from openapi_core.deserializing.media_types.util import json_loads

    require_spec()
    with spec_path().open("rb") as handle:
        raw = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec, vendor = _patch(raw)
    config = Config(
        spec_validator_cls=None,  # the vendored spec has known errors; validate traffic, not the spec
        extra_media_type_deserializers=dict.fromkeys(vendor, json_loads),
    )
    return OpenAPI(SchemaPath.from_dict(spec), config=config), spec


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern[str], str]]:
    _, spec = _load()
    compiled = [
        (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(t)) + "$"), t) for t in spec["paths"]
    ]
    return sorted(compiled, key=lambda item: (item[1].count("{"), item[1]))  # literal segments win


def _operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    _, spec = _load()
    for pattern, template in _templates():
        if pattern.match(path) and method in spec["paths"][template]:
            return template, spec["paths"][template][method]
    raise OasValidationError(f"{method.upper()} {path}: no such operation in the official spec")


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        node: Any = spec
        for part in item["$ref"].lstrip("#/").split("/"):
            node = node[part]
        item = node
    return item


class _Request:
    """An httpx request as openapi-core's Request protocol."""

    def __init__(self, request: httpx.Request, *, drop_body_keys: frozenset[str] = frozenset()) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        query = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
        self.query_names = {name for name, _ in query}
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )
        self.host_url = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        # The still-encoded path: an id such as "a%2Fb" must stay one path segment.
        self.path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        self.method = request.method.lower()
        self.body: bytes | None = request.content or None
        self.content_type = request.headers.get("Content-Type", "")
        if drop_body_keys and self.body and "json" in self.content_type:
            document = json.loads(self.body)
            if isinstance(document, dict):
                kept = {key: value for key, value in document.items() if key not in drop_body_keys}
                self.body = json.dumps(kept).encode()


class _Response:
    """An httpx response as openapi-core's Response protocol."""

    def __init__(self, response: httpx.Response) -> None:
        from werkzeug.datastructures import Headers

        self.status_code = response.status_code
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("Content-Type", "")
        self.data: bytes | None = response.content or None


def _describe(error: Exception) -> str:
    cause = error.__cause__
    details = [str(item).split("\n", 1)[0] for item in getattr(cause, "schema_errors", ())]
    return f"{error!r} {cause or ''} {'; '.join(details)}".strip()


def validate_request(request: httpx.Request) -> None:
    """Raise OasValidationError unless the spec (plus the allow-lists) accepts the request."""
    api, spec = _load()
    method = request.method.lower()
    template, operation = _operation(method, request.url.raw_path.decode("ascii").split("?", 1)[0])
    adapted = _Request(
        request, drop_body_keys=ALLOWED_READ_ONLY_BODY_KEYS.get((method, template), frozenset())
    )
    label = f"{request.method} {request.url.path}"
    declared = {
        _resolve(spec, p)["name"]
        for p in [*spec["paths"][template].get("parameters", []), *operation.get("parameters", [])]
        if _resolve(spec, p)["in"] == "query"
    }
    unknown = (
        adapted.query_names - declared - ALLOWED_EXTRA_QUERY.get((adapted.method, template), frozenset())
    )
    if unknown:
        raise OasValidationError(f"{label}: query parameters not in the spec: {sorted(unknown)}")
    needs_auth = any(operation.get("security", spec.get("security", [])))
    if needs_auth and "Authorization" not in request.headers:
        raise OasValidationError(f"{label}: the spec requires authentication but no Authorization was sent")
    try:
        api.validate_request(adapted)
    except Exception as error:
        raise OasValidationError(f"{label}: {_describe(error)}") from error


def validate_response(request: httpx.Request, response: httpx.Response) -> None:
    """Raise OasValidationError unless the spec accepts the response to the request."""
    api, _ = _load()
    try:
        api.validate_response(_Request(request), _Response(response))
    except Exception as error:
        raise OasValidationError(
            f"{request.method} {request.url.path} -> {response.status_code}: {_describe(error)}"
        ) from error


def rejected_requests(requests: Iterable[httpx.Request], *, host: str) -> list[str]:
    """One line per request to ``host`` (and inside the core spec) that the spec rejects."""
    failures = []
    for request in requests:
        if request.url.host != host or is_outside_spec(request.url.path):
            continue  # e.g. an external download URL, or a microservice: not validated
        try:
            validate_request(request)
        except OasValidationError as error:
            failures.append(str(error))
    return failures


@pytest.fixture
def oas_base_url() -> str:
    """The tenant URL the ``oas_router`` mocks; override in a conftest for another host."""
    return DEFAULT_BASE_URL


@pytest.fixture
def oas_router(oas_base_url: str) -> Iterator[respx.MockRouter]:
    """A respx router for the tenant; at teardown every request sent to the tenant host is validated
    (except paths in ``NOT_IN_SPEC``)."""
    require_spec()
    host = httpx.URL(oas_base_url).host
    with respx.mock(base_url=oas_base_url, assert_all_called=False) as router:
        yield router
        # Inside the context: leaving it resets the recorded calls.
        failures = rejected_requests((call.request for call in router.calls), host=host)
    if failures:
        pytest.fail("requests rejected by the official OpenAPI spec:\n" + "\n".join(failures), pytrace=False)
