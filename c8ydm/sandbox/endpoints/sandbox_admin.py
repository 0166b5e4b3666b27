"""The sandbox's own administration: fault rules at runtime (core/faults.py has the rules' semantics).

    GET    /sandbox/admin/faults        -> {"faults": [rule, ...]}
    POST   /sandbox/admin/faults[?seed=N] body: [rule, ...] (replaces all rules; draws start from N,
                                        default the sandbox's seed; 200 with the new list)
    DELETE /sandbox/admin/faults        -> 204, no rules any more
Admin only (ROLE_TENANT_ADMIN). These paths are never faulted, so rules can always be cleared.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.faults import parse_rules
from c8ydm.sandbox.core.responses import json_response, no_content
from c8ydm.sandbox.state import SandboxState, state_of

ROLE = "ROLE_TENANT_ADMIN"


def _rules(state: SandboxState) -> Response:
    return json_response({"faults": [rule.to_json() for rule in state.faults.rules]})


async def get_faults(request: Request) -> Response:
    auth.require(request, role=ROLE)
    return _rules(state_of(request))


async def post_faults(request: Request) -> Response:
    auth.require(request, write=True, role=ROLE)
    try:
        data = json.loads(await request.body())
    except ValueError as exc:
        raise C8yHTTPError(400, "general/invalidJson", str(exc)) from exc
    seed = request.query_params.get("seed")
    if seed is not None and not seed.lstrip("-").isdigit():
        raise C8yHTTPError(422, "sandbox/invalidFaults", f"seed must be an integer, not {seed!r}")
    state = state_of(request)
    state.faults.set_rules(parse_rules(data), seed=int(seed) if seed is not None else None)
    return _rules(state)


async def delete_faults(request: Request) -> Response:
    auth.require(request, write=True, role=ROLE)
    state_of(request).faults.set_rules([])
    return no_content()
