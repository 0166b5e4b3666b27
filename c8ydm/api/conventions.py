"""Contract §1's cross-cutting conventions: base URL form, ids in returned URLs, timestamps, path segments."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from c8ydm.api.errors import InputError

# §1.9: "all time" starts here; the UI writes it exactly like this.
EPOCH_TIMESTAMP = "1970-01-01T00:00:00.000Z"

_BINARY_ID = re.compile(r"/inventory/binaries/(\d+)")
_MANAGED_OBJECT_ID = re.compile(r"/inventory/managedObjects/(\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_HINT = "give the tenant's address, e.g. https://t12345.eu-latest.cumulocity.com"


def normalize_base_url(url: str) -> str:
    """The tenant base URL: ``https://`` added when no scheme is given, trailing ``/`` removed (§1.1).

    InputError (exit 2) for anything that is not an http(s) URL with a host: an empty or blank text,
    control characters, an unparsable port or bracket, another scheme, or user information
    (``https://user:secret@host``: credentials never travel in URLs, and the URL is shown masked).
    """
    import httpx  # here: the other helpers of this module stay importable without it

    text = url.strip()
    if not text:
        raise InputError("the tenant URL is empty", hint="give it as https://<tenant-domain>")
    if "://" not in text:
        text = "https://" + text
    shown = _masked_url(text)
    if _CONTROL.search(text):
        raise InputError(f"the tenant URL {shown!r} contains a control character")
    try:
        parsed = httpx.URL(text)
        port = parsed.port
    except (httpx.InvalidURL, ValueError):
        raise InputError(f"not a valid tenant URL: {shown!r}", hint=_URL_HINT) from None
    if parsed.userinfo:
        raise InputError(
            f"the tenant URL {shown!r} contains a user name or password",
            hint="give the user with --user and the password on stdin (--password-stdin), never in a URL",
        )
    if parsed.scheme not in ("http", "https") or not parsed.host or " " in text:
        raise InputError(f"not a valid tenant URL: {shown!r}", hint=_URL_HINT)
    if port is not None and not 0 < port < 65536:
        raise InputError(f"the port of the tenant URL {shown!r} is out of range (1-65535)")
    return text.rstrip("/")


def check_credential(value: str | None, what: str) -> None:
    """InputError (exit 2) when a user name, password or token holds a control character (a line
    break pasted along, say). The value itself is never echoed; such a credential is never sent, so
    nothing is retried and no header error can quote it."""
    if value is not None and _CONTROL.search(value):
        raise InputError(
            f"the {what} contains a control character (a line break?); it was not used",
            hint="remove the line break or other invisible character and try again",
        )


def _masked_url(text: str) -> str:
    """The URL with everything between the scheme and the last ``@`` replaced by ``***`` (a password
    may hide there, even one holding ``/`` that makes the URL unparsable)."""
    scheme, _, rest = text.partition("://")
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}" if "@" in rest else text


def binary_id_from_url(url: str | None) -> str | None:
    """The binary id of an internal binary URL (``…/inventory/binaries/<id>``), else None (§1.1, §3.7)."""
    if not url:
        return None
    match = _BINARY_ID.search(url)
    return match.group(1) if match else None


def mo_id_from_url(url: str | None) -> str | None:
    """The managed object id of ``…/inventory/managedObjects/<id>``, or of a binary URL, else None."""
    if not url:
        return None
    match = _MANAGED_OBJECT_ID.search(url) or _BINARY_ID.search(url)
    return match.group(1) if match else None


def is_internal_url(url: str | None) -> bool:
    """True when the URL points at this tenant's binaries or managed objects (§3.7)."""
    return mo_id_from_url(url) is not None


def format_timestamp(moment: datetime) -> str:
    """UTC with milliseconds, e.g. ``2024-05-01T12:00:00.000Z`` (§1.9). Naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def timestamp_param(value: datetime | str | None) -> str | None:
    """A query timestamp: datetimes through ``format_timestamp``, strings passed as given."""
    if value is None or isinstance(value, str):
        return value
    return format_timestamp(value)


def utc_now() -> datetime:
    """The current time in UTC (one place to patch in tests)."""
    return datetime.now(timezone.utc)


def one_day_from_now() -> str:
    """``<now+1d>`` of the contract: the ``dateTo`` that tolerates clock skew (§1.9)."""
    return format_timestamp(utc_now() + timedelta(days=1))


def parse_timestamp(value: str) -> datetime:
    """Parse a Cumulocity ISO timestamp (``Z`` or an offset) into an aware datetime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def path_segment(value: str | int) -> str:
    """One URL path segment, percent-encoded so that ``/``, ``+`` or ``@`` cannot change the path (§12)."""
    text = str(value)
    if not text:
        raise ValueError("empty path segment")
    return quote(text, safe="")
