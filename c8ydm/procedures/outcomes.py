"""Per-item outcomes of commands that change several things at once, and their exit code 14.

Shared by the credentials, registration and certificates areas: each item is tried, its outcome
recorded, and only after all were tried (and the command printed them) does ``raise_for_failures``
turn failed items into a PartialFailureError (cli-surface.md, exit 14).
"""

from __future__ import annotations

from collections.abc import Sequence

from c8ydm.api.errors import C8yError
from c8ydm.procedures.errors import PartialFailureError

SHOWN_FAILURES = 3  # failed items named in the one-line message


def error_text(error: C8yError) -> str:
    """The one-line reason shown in an item's row."""
    return error.message


def raise_for_failures(failed: Sequence[str], total: int, what: str, *, hint: str | None = None) -> None:
    """PartialFailureError (exit 14) naming the first failed items, when any failed."""
    if not failed:
        return
    named = ", ".join(failed[:SHOWN_FAILURES]) + (", …" if len(failed) > SHOWN_FAILURES else "")
    raise PartialFailureError(f"{len(failed)} of {total} {what} failed: {named}", operation_ids=[], hint=hint)
