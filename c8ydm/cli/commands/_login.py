"""Helpers of `c8ydm login`: read the secret, verify it against the tenant, keep it where it belongs."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from urllib.parse import urlsplit

from c8ydm import keystore, settings
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.context import App


def read_secret(app: App, *, from_stdin: bool, what: str) -> str:
    """The password or token: one line of stdin, or asked without echo on a terminal."""
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


def keep_secret(app: App, session: settings.Session, secret: str) -> None:
    """Store the secret where the session says, and drop a copy an earlier login left elsewhere."""
    try:
        previous: settings.Session | None = settings.get_session(session.name)
    except NotFoundError:
        previous = None
    path = settings.secrets_path()
    if session.secret_storage == settings.KEYRING:
        keystore.set_secret(session.name, secret)
        keystore.delete_file_secret(path, session.name)
        return
    keystore.write_file_secret(path, session.name, secret)
    what = "token" if session.auth == settings.BEARER else "password"
    app.warning(
        f"The {what} is stored unencrypted in {path} (mode 0600: readable by your user only). "
        "Log in without --insecure-storage where a system keyring is available."
    )
    if previous is not None and previous.secret_storage == settings.KEYRING:
        with contextlib.suppress(keystore.KeyringUnavailableError):
            keystore.delete_secret(session.name)


TFA_ATTEMPTS = 3  # as the Go CLI allows (contract §1.2)


def verify(
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
