"""Where session secrets are kept: the system keyring (service "c8ydm", one entry per session name),
or, for ``login --insecure-storage`` on machines without one, a plain JSON file of mode 0600.

Every keyring call runs under a time limit: a locked or absent Secret Service can make a keyring
call hang for minutes (D-Bus activation), and a command line must not. Any failure of the backend
becomes one :class:`KeyringUnavailableError` whose message names the alternatives. ``keyring`` is
imported on first use, never at start-up.

The file store (``read_file_secret`` / ``write_file_secret`` / ``delete_file_secret``) is the `gh`
convention for headless machines: the secret is protected only by the file's mode, as an SSH key
without a passphrase is. The file is written atomically and created with mode 0600.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from c8ydm.api.errors import InputError
from c8ydm.sessionfile import write_private_json

SERVICE = "c8ydm"
TIME_LIMIT_SECONDS = 3.0
ALTERNATIVES_HINT = (
    "Add --insecure-storage to keep the secret in a file only you can read (mode 0600, not encrypted), "
    "or pass the connection with each run instead, by setting C8Y_HOST, C8Y_TENANT, C8Y_USER and "
    "C8Y_PASSWORD (or C8Y_TOKEN); scripts can fill C8Y_PASSWORD from their secret store. "
    "`c8ydm login URL --password-stdin --dry-run` checks credentials without saving them."
)

T = TypeVar("T")


class KeyringUnavailableError(InputError):
    """No usable system keyring (none installed, locked, or not answering). Exit code 2 (usage)."""

    kind = "no_keyring"

    def __init__(self, reason: str) -> None:
        super().__init__(f"No usable system keyring: {reason}.", hint=ALTERNATIVES_HINT)


def _backend() -> Any:
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    # fail.Keyring raises on every call and null.Keyring silently forgets: neither can keep a secret.
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise KeyringUnavailableError(f"no keyring backend is installed ({type(backend).__module__})")
    return backend


def _call(action: Callable[[], T]) -> T:
    """Run ``action`` in a daemon thread; give up after TIME_LIMIT_SECONDS (the thread is abandoned)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=target, name="c8ydm-keyring", daemon=True)
    worker.start()
    worker.join(TIME_LIMIT_SECONDS)
    if worker.is_alive():
        raise KeyringUnavailableError(f"the keyring did not answer within {TIME_LIMIT_SECONDS:g} s")
    error = outcome.get("error")
    if isinstance(error, KeyringUnavailableError):
        raise error
    if error is not None:
        # The backend's own message may quote paths or D-Bus names, never our secret: it only
        # ever sees the secret as an argument, and backends do not echo arguments in errors.
        raise KeyringUnavailableError(f"{type(error).__name__}: {error}".rstrip(": ")) from None
    return outcome["value"]  # type: ignore[no-any-return]


def check_usable() -> None:
    """Raise KeyringUnavailableError unless a keyring backend answers a read within the time limit."""
    _call(lambda: _backend().get_password(SERVICE, "c8ydm-probe"))


def get_secret(session: str) -> str | None:
    """The stored secret of ``session``, or None when there is none."""
    value = _call(lambda: _backend().get_password(SERVICE, session))
    return value if isinstance(value, str) else None


def set_secret(session: str, secret: str) -> None:
    """Store the secret of ``session``, replacing any previous one."""
    _call(lambda: _backend().set_password(SERVICE, session, secret))


def delete_secret(session: str) -> bool:
    """Forget the secret of ``session``; False when there was none."""

    def delete() -> bool:
        from keyring.errors import PasswordDeleteError

        try:
            _backend().delete_password(SERVICE, session)
        except PasswordDeleteError:
            return False
        return True

    return _call(delete)


# --- the plain file (login --insecure-storage) ------------------------------------------------------
def _read_file(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise InputError(f"Cannot read the secrets file {path}: {type(error).__name__}.") from None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(path: Path, secrets: dict[str, str]) -> None:
    write_private_json(path, secrets, prefix=".secrets-")


def read_file_secret(path: Path, session: str) -> str | None:
    """The secret of ``session`` in the secrets file ``path``, or None."""
    return _read_file(path).get(session)


def write_file_secret(path: Path, session: str, secret: str) -> None:
    """Keep the secret of ``session`` in ``path`` (mode 0600), replacing any previous one."""
    secrets = _read_file(path)
    secrets[session] = secret
    _write_file(path, secrets)


def delete_file_secret(path: Path, session: str) -> bool:
    """Forget the secret of ``session`` in ``path`` (the file goes when it is empty); False when none."""
    secrets = _read_file(path)
    if secrets.pop(session, None) is None:
        return False
    if secrets:
        _write_file(path, secrets)
    else:
        path.unlink(missing_ok=True)
    return True
