"""The typed Cumulocity client of c8ydm (httpx + pydantic + stdlib only).

Importing this package is cheap; ``Client``, ``connect`` and friends are loaded on first use::

    from c8ydm.api import connect
    login = connect("https://t123.example.com", user="me", password=secret)
    for entry in login.client.inventory.list(query=...):
        ...
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its own command-line client (click, rich, pygments: ~60 ms) whenever those happen to be
# installed, which they are beside Typer. c8ydm never runs it: a None entry makes that one import fail,
# and httpx falls back to its stub ``main`` (``httpx/__init__.py``: ``except ImportError``). Only when
# httpx was not imported yet; nothing else of httpx changes.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.login import LoginResult, connect
    from c8ydm.api.retry import RetryPolicy

__all__ = ["Client", "LoginResult", "RetryPolicy", "connect"]

_LAZY = {
    "Client": "c8ydm.api.client",
    "LoginResult": "c8ydm.api.login",
    "connect": "c8ydm.api.login",
    "RetryPolicy": "c8ydm.api.retry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'c8ydm.api' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
