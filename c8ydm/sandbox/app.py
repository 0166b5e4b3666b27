"""The sandbox ASGI application: `create_app(options)` serves the route table of routes.py.

The state is `app.state.sandbox` (state.py; handlers reach it with `state_of(request)`). The
lifespan prepares the data (model/tenant.py's default options, devices/seed.py's users and groups),
seeds the devices in the background (devices/seed.py's Seeder: the app answers from the first
moment, however large the fleet) and runs the simulated devices (devices/simulation.py).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from c8ydm.sandbox.core.errors import C8yHTTPError, error_response, handle_c8y_error
from c8ydm.sandbox.core.faults import DROP
from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.devices.seed import Seeder, prepare, settle_heap
from c8ydm.sandbox.devices.simulation import Simulator
from c8ydm.sandbox.model.tenant import ensure_core_data
from c8ydm.sandbox.routes import starlette_routes
from c8ydm.sandbox.state import SandboxState

log = logging.getLogger("c8ydm.sandbox")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Unknown paths and methods answer with a Cumulocity error body, not Starlette's plain text.
    names = {404: "general/notFound", 405: "general/methodNotAllowed"}
    return error_response(exc.status_code, names.get(exc.status_code, "general/error"), str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "general/internalError", f"{type(exc).__name__}: {exc}")


class SandboxApp(Starlette):
    """Starlette plus fault injection in front of everything (core/faults.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state: SandboxState = self.state.sandbox
            outcome = await state.faults.apply(scope["method"], scope["path"])
            if outcome == DROP:
                # uvicorn closes the connection without any response when the ASGI callable returns
                # something other than None (its "should return None" branch): a dropped connection.
                return cast(None, DROP)
            if isinstance(outcome, Response):
                await outcome(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def create_app(options: SandboxOptions, *, store: Store | None = None) -> SandboxApp:
    options.data_dir.mkdir(parents=True, exist_ok=True)
    options.binaries_dir.mkdir(parents=True, exist_ok=True)
    state = SandboxState(options=options, store=store or Store(options.database_path))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_core_data(state)
        progress = prepare(state)  # at once; the devices follow in the background (seed.py)
        seeder = Seeder(state, progress) if progress is not None else None
        simulator = Simulator(state)
        state.simulator = simulator
        simulator.start()
        if seeder is not None:
            seeder.start()
        else:
            settle_heap()  # a data dir seeded before: its fleet is loaded
        try:
            yield
        finally:
            if seeder is not None:
                seeder.stop()
            simulator.stop()
            state.store.close()

    handlers: dict[Any, Callable[[Request, Exception], Any]] = {
        C8yHTTPError: handle_c8y_error,
        HTTPException: _http_error,
        Exception: _internal_error,
    }
    app = SandboxApp(routes=starlette_routes(), lifespan=lifespan, exception_handlers=handlers)
    app.state.sandbox = state
    return app
