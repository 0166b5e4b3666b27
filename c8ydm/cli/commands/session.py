"""login, logout and session list|show|use|delete: saved connections to tenants."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from c8ydm import keystore, settings
from c8ydm.api.errors import InputError, NoSessionError
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

A session is a tenant URL, tenant id, user and login type; its secret is in the system keyring.

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
    if session.kind != "sandbox":  # a sandbox's secret lives in its data dir, not in the keyring
        try:
            keystore.delete_secret(name)
        except keystore.KeyringUnavailableError as error:
            app.warning(f"{error.message} The session is removed; nothing was kept in a keyring.")
    settings.remove_session(name)
    app.message(f"Session {name!r} removed.")
    app.render({**record(session, None), "removed": True})


def _read_secret(app: App, *, from_stdin: bool, what: str) -> str:
    if from_stdin:
        secret = app.stdin.readline().rstrip("\r\n")
    else:
        example = f"printf '%s\\n' \"$SECRET\" | c8ydm login URL --user USER --{what}-stdin"
        secret = app.ask(
            what.capitalize(), is_secret=True, hint=f"Pipe it in with --{what}-stdin: `{example}`."
        )
    if not secret:
        raise InputError(f"The {what} is empty.")
    return secret


def default_name(url: str) -> str:
    """A session's default name: the tenant's host (and port), e.g. ``t123.eu-latest.cumulocity.com``."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    return parts.netloc or url


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
) -> None:
    """Log in to a tenant and save the session.

    The credentials are checked against the tenant first; nothing is saved when they fail. The
    password (or token) goes to the system keyring; the session file holds no secret. The new
    session becomes the current one. With --dry-run the credentials are checked, nothing is saved.

    Example:
      c8ydm login https://t12345.eu-latest.cumulocity.com --user alice
      printf '%s\\n' "$PW" | c8ydm login t12345.eu-latest.cumulocity.com --user alice --password-stdin
    """
    from c8ydm.api.conventions import normalize_base_url

    if password_stdin and token_stdin:
        raise InputError("Give --password-stdin or --token-stdin, not both.")
    url = normalize_base_url(url)  # exit 2 for a bad URL (or one holding a password) before anything
    if not app.options.dry_run:  # a dry run saves nothing, so it verifies even without a keyring
        keystore.check_usable()  # before asking for anything: without a keyring nothing can be saved
    login_user = None if token_stdin else user or app.ask("User", hint="Add --user USER.")
    secret = _read_secret(
        app, from_stdin=password_stdin or token_stdin, what="token" if token_stdin else "password"
    )
    wanted = settings.Session(
        name=name or default_name(url),
        url=url,
        tenant=tenant,
        user=login_user,
        auth=settings.BEARER if token_stdin else settings.BASIC,
        insecure=insecure,
    )
    session, secret = _verify(app, wanted, secret, tfa_code)
    if app.options.dry_run:
        app.message(f"Dry run: the credentials work; session {session.name!r} was not saved.")
        return app.render(record(session, settings.current_session_name()))
    keystore.set_secret(session.name, secret)
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
    """Show a saved session (never its secret).

    Example:
      c8ydm session show prod -o json
    """
    app.render(record(settings.get_session(_selected(app, name)), settings.current_session_name()))


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


TFA_ATTEMPTS = 3  # as the Go CLI allows (contract §1.2)


def _verify(
    app: App, session: settings.Session, secret: str, tfa_code: str | None
) -> tuple[settings.Session, str]:
    """Log in once (login options, tenant, user): the session to save, and the secret to keep.

    When the tenant wants a TOTP code, ask for it (3 tries). The password alone cannot log in
    again then, so the issued token is kept instead (a BEARER session: log in again when it expires).
    """
    from c8ydm.api import connect
    from c8ydm.api.errors import TfaRequiredError

    is_token = session.auth == settings.BEARER
    credentials = {"token": secret} if is_token else {"user": session.user, "password": secret}
    for attempt in range(1, TFA_ATTEMPTS + 1):
        try:
            result = connect(
                session.url,
                tenant=session.tenant,
                tfa_code=tfa_code,
                **credentials,
                **app.client_options(insecure=session.insecure),
            )
            break
        except TfaRequiredError:
            if attempt == TFA_ATTEMPTS:
                raise
            tfa_code = app.ask("TOTP code", hint="Add --tfa-code CODE (the code of your authenticator app).")
    result.client.close()
    auth = result.login_type  # BASIC, OAUTH2_INTERNAL or BEARER (a token given)
    if tfa_code and result.token:
        secret, auth = result.token, settings.BEARER
    user = result.current_user.user_name or session.user
    verified = replace(session, url=result.client.base_url, tenant=result.tenant_id, user=user, auth=auth)
    return verified, secret
