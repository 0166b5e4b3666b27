"""login, logout and session list|show|use|delete: saved connections to tenants."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from c8ydm import keystore, settings
from c8ydm.api.errors import InputError, NoSessionError
from c8ydm.cli.commands import _login
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

TABLE_COLUMNS = [
    ("", "marker"),
    ("NAME", "name"),
    ("URL", "url"),
    ("TENANT", "tenant"),
    ("USER", "user"),
    ("KIND", "kind"),
]
CSV_COLUMNS = ["name", "current", "url", "tenant", "user", "auth", "insecure", "kind"]
SessionName = Annotated[
    str,
    typer.Argument(
        metavar="SESSION",
        autocompletion=complete_names("session"),
        help="Name of a saved session.",
        show_default=False,
    ),
]

group = new_group("""List, show, select and delete saved sessions.

A session is a tenant URL, tenant id, user and login type; its secret is in the system keyring
(or, after `login --insecure-storage`, in a file only you can read; `session show` says where).

Example:
  c8ydm session list
  c8ydm session use prod""")


def record(session: settings.Session, current: str | None) -> dict[str, Any]:
    """A session as JSON (camelCase, as Cumulocity names fields). There is no secret to leave out."""
    data: dict[str, Any] = {
        "name": session.name,
        "url": session.url,
        "tenant": session.tenant,
        "user": session.user,
        "auth": session.auth,
        "insecure": session.insecure,
        "kind": session.kind,
        "current": session.name == current,
    }
    if session.sandbox_data_dir:
        data["sandboxDataDir"] = session.sandbox_data_dir
    return data


def _selected(app: App, name: str | None) -> str:
    selected = name or app.options.session or settings.current_session_name()
    if not selected:
        raise NoSessionError("No current session.", hint=settings.LOGIN_HINT)
    return selected


def _forget(app: App, name: str) -> None:
    session = settings.get_session(name)
    if session.secret_storage == settings.FILE:
        keystore.delete_file_secret(settings.secrets_path(), name)
    elif session.kind != "sandbox":  # a sandbox's secret lives in its data dir, not in the keyring
        try:
            keystore.delete_secret(name)
        except keystore.KeyringUnavailableError as error:
            app.warning(f"{error.message} The session is removed; nothing was kept in a keyring.")
    settings.remove_session(name)
    app.message(f"Session {name!r} removed.")
    app.render({**record(session, None), "removed": True})


Url = Annotated[
    str, typer.Argument(metavar="URL", help="Tenant URL, e.g. https://t123.eu-latest.cumulocity.com.")
]
Tenant = Annotated[
    str | None, typer.Option("--tenant", metavar="TENANT", help="Tenant id (default: asked from the tenant).")
]
User = Annotated[str | None, typer.Option("--user", metavar="USER", help="User name (default: prompt).")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")]
TokenStdin = Annotated[bool, typer.Option("--token-stdin", help="Read an access token (JWT) from stdin.")]
TfaCode = Annotated[
    str | None, typer.Option("--tfa-code", metavar="CODE", help="TOTP code, if the tenant asks.")
]
Name = Annotated[str | None, typer.Option("--name", metavar="SESSION", help="Session name (default: host).")]
Insecure = Annotated[bool, typer.Option("--insecure", help="Do not verify TLS certificates.")]
InsecureStorage = Annotated[
    bool,
    typer.Option(
        "--insecure-storage",
        help="Keep the secret in a plain file only you can read (mode 0600), not in the system keyring: "
        "for machines without one.",
    ),
]


@command()
def login(
    app: App,
    url: Url,
    tenant: Tenant = None,
    user: User = None,
    password_stdin: PasswordStdin = False,
    token_stdin: TokenStdin = False,
    tfa_code: TfaCode = None,
    name: Name = None,
    insecure: Insecure = False,
    insecure_storage: InsecureStorage = False,
) -> None:
    """Log in to a tenant and save the session.

    The credentials are checked against the tenant first; nothing is saved when they fail. The
    password (or token) goes to the system keyring; the session file holds no secret. On a machine
    without a keyring, --insecure-storage keeps it in a file only you can read (mode 0600, not
    encrypted; a warning says so on every login). The new session becomes the current one. With
    --dry-run the credentials are checked, nothing is saved.

    Example:
      c8ydm login https://t12345.eu-latest.cumulocity.com --user alice
      printf '%s\\n' "$PW" | c8ydm login t12345.eu-latest.cumulocity.com --user alice --password-stdin
      printf '%s\\n' "$PW" | c8ydm login t12345.eu-latest.cumulocity.com --user ci --password-stdin \\
        --insecure-storage
    """
    from c8ydm.api.conventions import normalize_base_url

    if password_stdin and token_stdin:
        raise InputError("Give --password-stdin or --token-stdin, not both.")
    url = normalize_base_url(url)  # exit 2 for a bad URL (or one holding a password) before anything
    # A dry run saves nothing, so it verifies even without a keyring; so does a file-stored login.
    if not app.options.dry_run and not insecure_storage:
        keystore.check_usable()  # before asking for anything: without a keyring nothing can be saved
    login_user = None if token_stdin else user or app.ask("User", hint="Add --user USER.")
    secret = _login.read_secret(
        app, from_stdin=password_stdin or token_stdin, what="token" if token_stdin else "password"
    )
    wanted = settings.Session(
        name=name or _login.default_name(url),
        url=url,
        tenant=tenant,
        user=login_user,
        auth=settings.BEARER if token_stdin else settings.BASIC,
        insecure=insecure,
        secret_storage=settings.FILE if insecure_storage else settings.KEYRING,
    )
    session, secret = _login.verify(app, wanted, secret, tfa_code)
    if app.options.dry_run:
        app.message(f"Dry run: the credentials work; session {session.name!r} was not saved.")
        return app.render(record(session, settings.current_session_name()))
    _login.keep_secret(app, session, secret)
    settings.save_session(session)
    app.message(
        f"Logged in to {session.url} as {session.user} (tenant {session.tenant}); "
        f"session {session.name!r} is now current."
    )
    app.render(record(session, session.name))


@command()
def logout(
    app: App,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="SESSION",
            autocompletion=complete_names("session"),
            help="Session to forget (default: the current one).",
        ),
    ] = None,
) -> None:
    """Forget a session and its secret in the keyring.

    Example:
      c8ydm logout
      c8ydm logout --name prod
    """
    _forget(app, _selected(app, name))


@command(group, "list")
def list_sessions(app: App) -> None:
    """List saved sessions; the current one is marked with *.

    Example:
      c8ydm session list -o json
    """
    current = settings.current_session_name()
    rows = [record(s, current) for s in settings.list_sessions()]
    if app.output_format == "table":
        rows = [{**row, "marker": "*" if row["current"] else ""} for row in rows]
    app.render(rows, columns=TABLE_COLUMNS if app.output_format == "table" else CSV_COLUMNS)


@command(group, "show")
def show(
    app: App,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="SESSION",
            autocompletion=complete_names("session"),
            show_default=False,
            help="Session to show (default: the current one).",
        ),
    ] = None,
) -> None:
    """Show a saved session and where its secret is kept (never the secret).

    Example:
      c8ydm session show prod -o json
    """
    session = settings.get_session(_selected(app, name))
    storage = "sandbox" if session.kind == "sandbox" else session.secret_storage
    location = {"secretStorage": storage, "secretLocation": settings.secret_location(session)}
    app.render({**record(session, settings.current_session_name()), **location})


@command(group, "use")
def use(app: App, name: SessionName) -> None:
    """Make a saved session the current one.

    Example:
      c8ydm session use prod
    """
    session = settings.use_session(name)
    app.message(f"Session {name!r} is now current.")
    app.render(record(session, name))


@command(group, "delete")
def delete(app: App, name: SessionName) -> None:
    """Delete a saved session and its secret in the keyring.

    Example:
      c8ydm session delete old-tenant
    """
    _forget(app, name)
