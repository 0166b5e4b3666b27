"""The state of one running sandbox: `SandboxState`, reachable from a request with `state_of(request)`.

`app.create_app` makes one and stores it as `app.state.sandbox`; handlers, the simulated devices and
the seed all work on it. Nothing else holds sandbox-wide state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from c8ydm.sandbox.core.faults import FaultInjector
from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store

if TYPE_CHECKING:
    from starlette.requests import Request


@dataclass
class SandboxState:
    options: SandboxOptions
    store: Store
    simulator: object | None = None  # devices.simulation.Simulator while the app runs
    faults: FaultInjector = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultInjector(self.options.faults, self.options.seed)


def state_of(request: Request) -> SandboxState:
    """The state of the sandbox that received the request."""
    return cast(SandboxState, request.app.state.sandbox)
