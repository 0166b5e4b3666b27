"""The sandbox ASGI application: `create_app(config)` collects the routes of every sandbox module.

Route modules expose `routes(state) -> list[Route]`. The device-side modules (devicecontrol, bulk,
users, certificates, registration, software_mgmt, seed, simulation) are imported when present, so
the core runs on its own. The state is reachable from a request as `request.app.state.sandbox`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from c8ydm.sandbox.config import SandboxConfig
from c8ydm.sandbox.errors import C8yHTTPError, error_response, handle_c8y_error
from c8ydm.sandbox.faults import DROP, FaultInjector
from c8ydm.sandbox.store import Store

log = logging.getLogger("c8ydm.sandbox")

CORE_MODULES = (
    "tenant",
    "inventory",
    "references",
    "binaries",
    "events",
    "event_binaries",
    "identity",
    "faults",
)
DEVICE_MODULES = ("users", "devicecontrol", "bulk", "certificates", "registration", "software_mgmt")


@dataclass
class SandboxState:
    config: SandboxConfig
    store: Store
    simulator: object | None = None
    faults: FaultInjector = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultInjector(self.config.faults, self.config.seed)


def _optional_module(name: str) -> ModuleType | None:
    """A sandbox module, or None if that module (not one of its imports) does not exist yet."""
    qualified = f"c8ydm.sandbox.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as exc:
        if exc.name == qualified:
            return None
        raise


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Unknown paths and methods answer with a Cumulocity error body, not Starlette's plain text.
    names = {404: "general/notFound", 405: "general/methodNotAllowed"}
    return error_response(exc.status_code, names.get(exc.status_code, "general/error"), str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "general/internalError", f"{type(exc).__name__}: {exc}")


class SandboxApp(Starlette):
    """Starlette plus fault injection in front of everything (faults.py)."""

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


def ensure_core_data(state: SandboxState) -> None:
    """Data the core needs whatever the seed does (idempotent); see tenant.py."""
    tenant = _optional_module("tenant")
    if tenant is not None:
        tenant.ensure_core_data(state)


def create_app(config: SandboxConfig, *, store: Store | None = None) -> SandboxApp:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    config.binaries_dir.mkdir(parents=True, exist_ok=True)
    state = SandboxState(config=config, store=store or Store(config.database_path))
    routes: list[BaseRoute] = []
    for name in (*CORE_MODULES, *DEVICE_MODULES):
        module = _optional_module(name)
        if module is not None and hasattr(module, "routes"):
            routes.extend(module.routes(state))
    seed = _optional_module("seed")
    simulation = _optional_module("simulation")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_core_data(state)
        if seed is not None:
            seed.ensure_seeded(state)
        if simulation is not None:
            state.simulator = simulation.Simulator(state)
            state.simulator.start()  # type: ignore[attr-defined]
        try:
            yield
        finally:
            if state.simulator is not None:
                state.simulator.stop()  # type: ignore[attr-defined]
            state.store.close()

    handlers: dict[Any, Callable[[Request, Exception], Any]] = {
        C8yHTTPError: handle_c8y_error,
        HTTPException: _http_error,
        Exception: _internal_error,
    }
    app = SandboxApp(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.sandbox = state
    return app
