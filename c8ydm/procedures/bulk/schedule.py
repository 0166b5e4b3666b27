"""When and how fast a bulk operation runs: ``startDate`` and ``creationRamp`` (contract §11.1, §11.3).

``startDate`` must be now or later; ``creationRamp`` (default 1 s, the UI's) must be within the
tenant's bounds, read from the system options with the UI's defaults (0.001 and 3600) when missing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp, parse_timestamp, utc_now
from c8ydm.api.errors import InputError, NotFoundError, PermissionDeniedError

DEFAULT_RAMP_SECONDS = 1.0  # §11.3: "The delay defaults to 1 s"
UI_MIN_RAMP_SECONDS = 0.001  # §11.3: the UI's bounds when the tenant options are missing
UI_MAX_RAMP_SECONDS = 3600.0
RAMP_OPTION_CATEGORY = "device-control"
RAMP_OPTION_KEYS = ("bulkoperation.creationramp", "bulkoperation.maxcreationramp")
RAMP_BOUNDS_CACHE_KEY = "bulk-creation-ramp-bounds"  # [minimum, maximum] in client.cache
_RELATIVE = re.compile(r"^\+(\d+(?:\.\d+)?)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_start(text: str | None, *, now: datetime | None = None) -> str:
    """``startDate``: now (None or ``now``), ``+30s``/``+5m``/``+2h``/``+1d``, or an ISO timestamp.

    A moment in the past is refused (§11.3: "startDate must be now or later").
    """
    now = now or utc_now()
    value = (text or "now").strip()
    if value.lower() == "now":
        return format_timestamp(now)
    relative = _RELATIVE.match(value)
    if relative:
        try:
            moment = now + timedelta(seconds=float(relative.group(1)) * _UNIT_SECONDS[relative.group(2)])
        except (OverflowError, ValueError):  # beyond year 9999, or too large to be a number of seconds
            raise InputError(f"start time {value} is too far in the future") from None
    else:
        try:
            moment = parse_timestamp(value)
        except ValueError:
            raise InputError(
                f"not a start time: {text!r}", hint="use now, +5m (s, m, h, d) or 2024-05-01T12:00:00Z"
            ) from None
        if moment < now:
            raise InputError(f"start time {value} is in the past", hint="use now or a later time")
    return format_timestamp(moment)


def ramp_bounds(client: Client) -> tuple[float, float]:
    """The tenant's (minimum, maximum) creation ramp in seconds (§11.3), from ``client.cache`` when
    read in the last few minutes (they rarely change: every bulk create need not ask again).

    GET /tenant/system/options/device-control/bulkoperation.creationramp (and .maxcreationramp)
    """
    cached = client.cache.get(RAMP_BOUNDS_CACHE_KEY)
    if isinstance(cached, list) and len(cached) == 2 and all(isinstance(v, (int, float)) for v in cached):
        return float(cached[0]), float(cached[1])
    bounds = []
    for key, default in zip(RAMP_OPTION_KEYS, (UI_MIN_RAMP_SECONDS, UI_MAX_RAMP_SECONDS), strict=True):
        try:
            value = client.options.get_system_option(RAMP_OPTION_CATEGORY, key).value
            bounds.append(float(value) if value is not None else default)
        except (NotFoundError, PermissionDeniedError, ValueError):
            bounds.append(default)
    client.cache.put(RAMP_BOUNDS_CACHE_KEY, bounds)
    return bounds[0], bounds[1]


def check_ramp(client: Client, ramp: float | None) -> float:
    """The ramp to send (default 1 s); InputError outside the tenant's bounds."""
    value = DEFAULT_RAMP_SECONDS if ramp is None else ramp
    low, high = ramp_bounds(client)
    if not low <= value <= high:
        raise InputError(f"--ramp {value:g} is outside the tenant's bounds ({low:g} to {high:g} seconds)")
    return value
