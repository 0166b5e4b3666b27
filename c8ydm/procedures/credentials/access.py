"""Enable or disable device users (§12.3) and the limited password change (§12.4).

Enable/disable: the user PUT when the value named a user, the device PUT when it named a device,
each with the minimal body ``{"enabled": …}`` (§12.3 ★). Every value is resolved before anything
changes; then each is tried and gets its own outcome (exit 14 when some failed).

Password: the documented request is ``PUT /user/{tenant}/users/<id> {"password"}``; since 10.20.438
tenants let only the current user change a password (the spec, §12.4), so a refusal is explained
and names the way that works: re-registration with new credentials through the bulk CSV.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import (
    APIError,
    BadRequestError,
    C8yError,
    InputError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from c8ydm.procedures.credentials.targets import CredentialTarget, resolve_targets
from c8ydm.procedures.outcomes import error_text, raise_for_failures

# §12.4: 6-32 characters of Latin letters, digits and these specials; the tenant's policy also applies.
PASSWORD_SPECIALS = "`~!@#$%^&*()_|+-=?;:'\",.<>{}[]\\/"
PASSWORD_RULES = "6 to 32 characters: Latin letters, digits and " + PASSWORD_SPECIALS
_PASSWORD = re.compile("[A-Za-z0-9" + re.escape(PASSWORD_SPECIALS) + "]{6,32}")
GENERATED_LENGTH = 24
# Specials kept out of generated passwords: quotes, backslash and separators break CSV files and shells.
_GENERATED_SPECIALS = "!#%+-=?@^_~"
REREGISTER_HINT = (
    "re-register the device with new credentials: c8ydm credentials register --csv FILE, with a row "
    "giving its ID and the new CREDENTIALS (reported as CREDENTIAL_UPDATED); "
    "c8ydm credentials register --template full prints the header"
)


@dataclass(frozen=True)
class AccessOutcome:
    """One user's enable/disable outcome; ``error`` is None on success."""

    target: CredentialTarget
    enabled: bool | None
    error: str | None = None


@dataclass(frozen=True)
class AccessReport:
    outcomes: list[AccessOutcome]
    enabled: bool

    def raise_for_failures(self) -> None:
        """Exit 14 when some users could not be changed (after the rows were shown)."""
        failed = [o.target.given for o in self.outcomes if o.error is not None]
        raise_for_failures(failed, len(self.outcomes), "device users")


def set_enabled(client: Client, values: Sequence[str], *, enabled: bool) -> AccessReport:
    """Resolve every value, then enable or disable each (by user or by device, §12.3).

    PUT /user/{tenant}/users/<id> {"enabled":…} or PUT /inventory/managedObjects/<id>/user {"enabled":…}
    """
    targets = resolve_targets(client, list(values))
    outcomes = []
    for target in targets:
        try:
            if target.device_id is not None:
                answer = client.inventory.set_device_user_enabled(target.device_id, enabled=enabled).enabled
            else:
                answer = client.users.update(target.user_name, {"enabled": enabled}).enabled
        except C8yError as error:
            if len(targets) == 1:
                raise  # one target: its own error and exit code
            outcomes.append(AccessOutcome(target, None, error_text(error)))
            continue
        outcomes.append(AccessOutcome(target, enabled if answer is None else answer))
    return AccessReport(outcomes, enabled)


def meets_password_rules(password: str) -> bool:
    """Whether a password meets §12.4's rules (the tenant's strength policy may ask for more)."""
    return _PASSWORD.fullmatch(password) is not None


def check_password(password: str) -> str:
    """The password when it meets §12.4's rules, else InputError (the password is never echoed)."""
    if not meets_password_rules(password):
        raise InputError(f"the new password does not meet the rules: {PASSWORD_RULES}")
    return password


def generate_password(length: int = GENERATED_LENGTH) -> str:
    """A random password meeting §12.4 with each kind of character (for strength policies)."""
    kinds = (string.ascii_lowercase, string.ascii_uppercase, string.digits, _GENERATED_SPECIALS)
    alphabet = "".join(kinds)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(char in kind for char in candidate) for kind in kinds):
            return check_password(candidate)


def _is_refusal(error: APIError) -> bool:
    # A newer tenant refuses as an authorization problem (403); some answer 400/422 with the spec's
    # wording ("cannot update the password ... of another user"). A strength-policy 422 is not a refusal.
    if isinstance(error, PermissionDeniedError):
        return True
    text = error.message.lower()
    return isinstance(error, BadRequestError | UnprocessableEntityError) and (
        "another user" in text or "current user" in text
    )


def change_password(client: Client, target: CredentialTarget, password: str) -> None:
    """Try the documented admin password change; a refusal becomes an explained exit 6.

    PUT /user/{tenant}/users/<id> {"password": "<new>"} (dry runs record "***")
    """
    check_password(password)
    try:
        client.users.set_password(target.user_name, password)
    except APIError as error:
        if not _is_refusal(error):
            raise
        raise PermissionDeniedError(
            f"the tenant refuses to set the password of {target.user_name}: since 10.20.438 only a "
            "user can change their own password (HTTP "
            f"{error.status_code} on PUT /user/…/users/{target.user_name})",
            status_code=error.status_code,
            method="PUT",
            path=error.path,
            hint=REREGISTER_HINT,
        ) from None
