"""Operations: `/devicecontrol/operations` (contract §10, spec tag "Operations").

    GET    /devicecontrol/operations        deviceId, agentId, fragmentType, status, bulkOperationId,
                                            dateFrom/dateTo, revert, paging ("operations")
    POST   /devicecontrol/operations        {"deviceId", ...fragments} -> 201, PENDING
    DELETE /devicecontrol/operations        the operations the same filters select -> 204
    GET    /devicecontrol/operations/{id}
    PUT    /devicecontrol/operations/{id}   status, failureReason
The rules (creation, status changes, selection) are in model/operations.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import require
from c8ydm.sandbox.core.errors import not_found
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json
from c8ydm.sandbox.model.operations import (
    ADMIN_ROLE,
    OPERATION_MEDIA,
    READ_ROLE,
    collection_renderer,
    create_operation,
    delete_selected,
    render,
    select,
    update_operation,
)
from c8ydm.sandbox.state import state_of


async def get_operations(request: Request) -> Response:
    require(request, role=READ_ROLE)
    state = state_of(request)
    return paged_response(
        request,
        select(state, request),
        "operations",
        self_path="/devicecontrol/operations",
        render=collection_renderer(state, request),
    )


async def post_operations(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    op = create_operation(state_of(request), await read_json(request), base=base_url(request))
    rendered = render(request, op)
    return created(request, rendered, media=OPERATION_MEDIA, location=rendered["self"])


async def delete_operations(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    delete_selected(state_of(request), request)
    return no_content()


def _operation_not_found(op_id: str) -> Exception:
    return not_found("devicecontrol", f"Finding operation with id {op_id} failed")


async def get_operation(request: Request) -> Response:
    op_id = request.path_params["id"]
    require(request, role=READ_ROLE)
    op = state_of(request).store.get("operations", op_id)
    if op is None:
        raise _operation_not_found(op_id)
    return json_response(render(request, op), media=OPERATION_MEDIA)


async def put_operation(request: Request) -> Response:
    op_id = request.path_params["id"]
    require(request, write=True, role=ADMIN_ROLE)
    op = update_operation(state_of(request), op_id, await read_json(request))
    if op is None:
        raise _operation_not_found(op_id)
    return json_response(render(request, op), media=OPERATION_MEDIA)
