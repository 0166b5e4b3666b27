"""The tenant's options: the defaults a real tenant answers, and lookups (contract §1.2, §11.3).

System and tenant options share one store collection, "options", keyed `<category>.<key>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.errors import C8yHTTPError

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

# System options a real tenant answers; the creation-ramp bounds are the UI's defaults (contract §11.3).
DEFAULT_OPTIONS = {
    ("device-control", "bulkoperation.creationramp"): "0.001",
    ("device-control", "bulkoperation.maxcreationramp"): "3600",
    ("ssl", "shared-truststore.enabled"): "false",
    ("configuration", "crl.online.check.enabled"): "false",
    ("configuration", "crl.offline.check.enabled"): "false",
}


def ensure_core_data(state: SandboxState) -> None:
    """Seed the options the core serves (idempotent: existing values are kept)."""
    for (category, key), value in DEFAULT_OPTIONS.items():
        option_id = f"{category}.{key}"
        if state.store.get("options", option_id) is None:
            state.store.put("options", option_id, {"category": category, "key": key, "value": value})


def option_value(state: SandboxState, category: str, key: str) -> Any:
    """The stored value of an option; 404 `options/notFound` if there is none."""
    option = state.store.get("options", f"{category}.{key}")
    if option is None:
        raise C8yHTTPError(404, "options/notFound", f"Unable to find option by given key: {category}/{key}")
    return option["value"]
