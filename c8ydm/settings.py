"""Saved sessions on disk, and the lookup that turns environment + session into a connection.

The sessions file ``<config dir>/sessions.json`` (mode 0600, written atomically) holds, per session,
url, tenant, user, the kind of secret, where it is kept and whether TLS checks are off; never a
secret. Secrets live in the system keyring (:mod:`c8ydm.keystore`); for a session saved with
``login --insecure-storage`` in ``<config dir>/secrets.json`` (mode 0600, not encrypted); for a
sandbox session in the sandbox's own state file ``<sandbox_data_dir>/sandbox.json`` (keys url,
tenant, user, password), which the sandbox writes.

Lookup order (docs/architecture.md, "Sessions and credentials"): ``C8Y_HOST``/``C8Y_URL``/
``C8Y_BASEURL`` in the environment wins over everything; else ``--session``, ``C8YDM_SESSION``, the
current session. A session without a stored secret falls back to ``C8Y_TOKEN``/``C8Y_PASSWORD``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from c8ydm.api.conventions import check_credential
from c8ydm.api.errors import InputError, NoSessionError, NotFoundError

# Where the sessions file is (stdlib only: completion reads it leniently through c8ydm.sessionfile).
from c8ydm.sessionfile import config_dir as config_dir
from c8ydm.sessionfile import sessions_path as sessions_path
from c8ydm.sessionfile import write_private_json

# Login types as c8ydm.api.auth.make_auth names them; BEARER sessions keep a token, others a password.
BASIC, OAUTH2_INTERNAL, BEARER = "BASIC", "OAUTH2_INTERNAL", "BEARER"
# Where a session's secret is kept (Session.secret_storage); sandbox sessions use their state file.
KEYRING, FILE = "keyring", "file"
LOGIN_HINT = "Run `c8ydm login URL` (or `c8ydm sandbox start` for a local tenant), or set C8Y_HOST."


@dataclass(frozen=True)
class Session:
    """A saved connection without its secret. ``kind`` is "tenant" or "sandbox"."""

    name: str
    url: str
    tenant: str | None = None
    user: str | None = None
    auth: str = BASIC  # the login type chosen at login
    insecure: bool = False
    kind: str = "tenant"
    sandbox_data_dir: str | None = None
    secret_storage: str = KEYRING  # KEYRING, or FILE for `login --insecure-storage`


@dataclass(frozen=True)
class Connection:
    """Everything needed to build a client; secrets are kept out of ``repr``."""

    url: str
    tenant: str | None
    user: str | None
    source: str  # "environment" or "session <name>", for messages
    login_type: str = BASIC
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    insecure: bool = False
    sandbox_data_dir: str | None = None  # set for a sandbox session: whose sandbox this is


def secrets_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The plain secrets file of ``login --insecure-storage``: ``<config dir>/secrets.json``."""
    return config_dir(environ) / "secrets.json"


def secret_location(session: Session) -> str:
    """Where the secret of ``session`` lives, for people (``session show``); never the secret."""
    if session.kind == "sandbox":
        return str(Path(session.sandbox_data_dir or ".") / "sandbox.json")
    if session.secret_storage == FILE:
        return str(secrets_path())
    return f"system keyring (service c8ydm, entry {session.name})"


class SessionsFileError(InputError):
    """The sessions file cannot be read or has the wrong shape (exit 2, "bad input file"). It is never
    overwritten then: a write would silently drop every session it holds."""

    kind = "sessions_file"


def _unreadable(path: Path, why: str) -> SessionsFileError:
    return SessionsFileError(
        f"the sessions file {path} is unreadable: {why}",
        hint="fix or move it away (nothing was changed); C8YDM_CONFIG_DIR selects another directory",
    )


def _read() -> dict[str, Any]:
    """The sessions file as ``{"current": str | None, "sessions": {name: {field: value}}}``."""
    path = sessions_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"current": None, "sessions": {}}
    except OSError as error:  # a directory in the way, the config dir being a file, permissions
        raise _unreadable(path, error.strerror or type(error).__name__) from None
    except ValueError:  # not JSON, or not UTF-8
        raise _unreadable(path, "it is not valid JSON") from None
    _check_shape(path, data)
    return dict(data)


def _check_shape(path: Path, data: Any) -> None:
    if not isinstance(data, dict):
        raise _unreadable(path, "expected a JSON object")
    if not isinstance(data.get("current"), str | None):
        raise _unreadable(path, '"current" is not a session name')
    sessions = data.setdefault("sessions", {})
    if not isinstance(sessions, dict):
        raise _unreadable(path, '"sessions" is not an object')
    for name, fields in sessions.items():
        if not isinstance(fields, dict) or not isinstance(fields.get("url"), str):
            raise _unreadable(path, f"session {name!r} is not an object with a url")
        wrong = [
            key for key, kind in _FIELD_TYPES.items() if key in fields and not isinstance(fields[key], kind)
        ]
        if wrong:
            raise _unreadable(path, f"session {name!r} has a field of the wrong type: {wrong[0]}")


def _write(data: dict[str, Any]) -> None:
    write_private_json(sessions_path(), data, prefix=".sessions-")


_FIELD_TYPES: dict[str, Any] = {
    "url": str,
    "tenant": str | None,
    "user": str | None,
    "auth": str | None,
    "insecure": bool | None,
    "kind": str | None,
    "sandbox_data_dir": str | None,
    "secret_storage": str | None,
}


def list_sessions() -> list[Session]:
    """All saved sessions, by name."""
    saved = _read().get("sessions", {})
    known = set(Session.__dataclass_fields__) - {"name"}
    return [
        Session(name=name, **{k: v for k, v in fields.items() if k in known and v is not None})
        for name, fields in sorted(saved.items())
    ]


def session_names() -> list[str]:
    try:
        return sorted(_read().get("sessions", {}))
    except InputError:  # completion stays quiet; commands report the file
        return []


def current_session_name() -> str | None:
    current = _read().get("current")
    return current if isinstance(current, str) else None


def get_session(name: str) -> Session:
    """The session called ``name``; NotFoundError when there is none."""
    for session in list_sessions():
        if session.name == name:
            return session
    raise NotFoundError(f"No session named {name!r}.", hint="See `c8ydm session list`.")


def save_session(session: Session, *, make_current: bool = True) -> None:
    """Add or replace ``session``; by default it becomes the current session."""
    data = _read()
    fields = {k: v for k, v in asdict(session).items() if k != "name"}
    data.setdefault("sessions", {})[session.name] = fields
    if make_current or not data.get("current"):
        data["current"] = session.name
    _write(data)


def use_session(name: str) -> Session:
    session = get_session(name)
    data = _read()
    data["current"] = name
    _write(data)
    return session


def remove_session(name: str) -> Session:
    """Forget ``name`` (not its keyring secret: see keystore.delete_secret)."""
    session = get_session(name)
    data = _read()
    del data["sessions"][name]
    if data.get("current") == name:
        data["current"] = None
    _write(data)
    return session


DEFAULT_SANDBOX_SESSION = "sandbox"  # the session of the default sandbox data dir


def _is_sandbox_of(session: Session, data_dir: str) -> bool:
    if session.kind != "sandbox" or not session.sandbox_data_dir:
        return False
    return Path(session.sandbox_data_dir).resolve() == Path(data_dir).resolve()


def sandbox_session_of(data_dir: str) -> Session | None:
    """The saved session of the sandbox in ``data_dir``, if any (the default name first)."""
    mine = [session for session in list_sessions() if _is_sandbox_of(session, data_dir)]
    return next((s for s in mine if s.name == DEFAULT_SANDBOX_SESSION), mine[0] if mine else None)


def sandbox_session_name(
    data_dir: str, *, port: int, is_default_dir: bool, requested: str | None = None
) -> str:
    """The session name for the sandbox in ``data_dir``: each data dir has its own.

    ``requested`` (``sandbox start --session NAME``) if given and free; else "sandbox" for the default
    data dir; else the name already saved for this data dir; else ``sandbox-<port>`` (``-2``, ``-3``
    ... when another data dir has that name). "sandbox" always belongs to the default data dir, so a
    second sandbox never repoints it.
    """
    sessions = {session.name: session for session in list_sessions()}
    if requested:
        taken = sessions.get(requested)
        if taken is not None and not _is_sandbox_of(taken, data_dir):
            where = taken.sandbox_data_dir if taken.kind == "sandbox" else taken.url
            raise InputError(
                f"session {requested!r} is already saved for {where}",
                hint="choose another --session name, or delete it first: c8ydm session delete " + requested,
            )
        return requested
    if is_default_dir:
        return DEFAULT_SANDBOX_SESSION
    mine = sandbox_session_of(data_dir)
    if mine is not None and mine.name != DEFAULT_SANDBOX_SESSION:
        return mine.name
    name, suffix = f"{DEFAULT_SANDBOX_SESSION}-{port}", 1
    while name in sessions and not _is_sandbox_of(sessions[name], data_dir):
        suffix += 1
        name = f"{DEFAULT_SANDBOX_SESSION}-{port}-{suffix}"
    return name


def _from_environment(environ: Mapping[str, str]) -> Connection | None:
    url = environ.get("C8Y_HOST") or environ.get("C8Y_URL") or environ.get("C8Y_BASEURL")
    if not url:
        return None
    token, password = environ.get("C8Y_TOKEN") or None, environ.get("C8Y_PASSWORD") or None
    user = environ.get("C8Y_USER") or environ.get("C8Y_USERNAME") or None
    for variable, value in (("C8Y_TOKEN", token), ("C8Y_PASSWORD", password), ("C8Y_USER", user)):
        check_credential(value, variable)
    if not token and not (password and user):
        raise NoSessionError(
            "C8Y_HOST is set, but the connection has no credentials.",
            hint="Set C8Y_USER and C8Y_PASSWORD, or C8Y_TOKEN.",
        )
    tenant = environ.get("C8Y_TENANT") or None
    return Connection(
        url, tenant, user, "environment", BEARER if token else BASIC, password=password, token=token
    )


def _from_sandbox(session: Session) -> Connection:
    state_file = Path(session.sandbox_data_dir or ".") / "sandbox.json"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        password = str(state["password"])
    except (OSError, ValueError, KeyError, TypeError):
        raise NoSessionError(
            f"The sandbox of session {session.name!r} has no state in {state_file.parent}.",
            hint="Run `c8ydm sandbox start`.",
        ) from None
    url, tenant, user = state.get("url") or session.url, state.get("tenant"), state.get("user")
    return Connection(
        url,
        tenant or session.tenant,
        user or session.user,
        f"session {session.name}",
        BASIC,
        password=password,
        sandbox_data_dir=str(state_file.parent),
    )


def _stored_secret(session: Session) -> str | None:
    from c8ydm import keystore

    if session.secret_storage == FILE:
        return keystore.read_file_secret(secrets_path(), session.name)
    try:
        return keystore.get_secret(session.name)
    except keystore.KeyringUnavailableError:
        return None


def resolve_connection(session_name: str | None, environ: Mapping[str, str] = os.environ) -> Connection:
    """The connection to use: environment first, then the named or current session."""
    from_env = _from_environment(environ)
    if from_env is not None:
        return from_env
    name = session_name or environ.get("C8YDM_SESSION") or current_session_name()
    if not name:
        raise NoSessionError("Not logged in: no session and no C8Y_HOST connection.", hint=LOGIN_HINT)
    try:
        session = get_session(name)
    except NotFoundError:
        raise NoSessionError(f"No session named {name!r}.", hint=LOGIN_HINT) from None
    if session.kind == "sandbox":
        return _from_sandbox(session)
    secret = _stored_secret(session)
    if secret:
        token, password = (secret, None) if session.auth == BEARER else (None, secret)
    else:
        token, password = environ.get("C8Y_TOKEN") or None, environ.get("C8Y_PASSWORD") or None
    if not (token or password):
        is_file = session.secret_storage == FILE
        where, again = (f"in {secrets_path()}", " --insecure-storage") if is_file else ("in the keyring", "")
        raise NoSessionError(
            f"Session {name!r} has no stored secret (none {where}, no C8Y_PASSWORD or C8Y_TOKEN).",
            hint=f"Run `c8ydm login {session.url} --name {name}{again}` again, or set C8Y_PASSWORD or "
            "C8Y_TOKEN.",
        )
    login_type = BEARER if token else session.auth
    return Connection(
        session.url,
        session.tenant,
        session.user,
        f"session {name}",
        login_type,
        password=password,
        token=token,
        insecure=session.insecure,
    )
