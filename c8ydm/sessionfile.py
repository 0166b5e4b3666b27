"""Where c8ydm keeps its sessions file, and reading it: standard library only.

Shell completion runs on every key press and needs the session names and the current session
(for completing ``--session`` and for choosing whose name cache to read) without paying for
``c8ydm.settings`` (dataclasses, tempfile, the error tree). Writing, and everything else about
sessions, is in :mod:`c8ydm.settings`, which re-exports these functions.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would cost completion its budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$C8YDM_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/c8ydm``, else ``~/.config/c8ydm``."""
    if environ.get("C8YDM_CONFIG_DIR"):
        return Path(environ["C8YDM_CONFIG_DIR"])
    return Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "c8ydm"


def sessions_path(environ: Mapping[str, str] = os.environ) -> Path:
    return config_dir(environ) / "sessions.json"


def read_sessions_file() -> dict[str, Any]:
    """The sessions file as saved (``{"current", "sessions"}``); empty when there is none."""
    try:
        data = json.loads(sessions_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"current": None, "sessions": {}}
    return data if isinstance(data, dict) else {"current": None, "sessions": {}}


def session_names() -> list[str]:
    """The saved sessions' names; none when the file cannot be read."""
    try:
        return sorted(read_sessions_file().get("sessions", {}))
    except (OSError, ValueError):
        return []


def current_session_name() -> str | None:
    """The current session's name, or None."""
    current = read_sessions_file().get("current")
    return current if isinstance(current, str) else None


def write_private_json(path: Path, data: Any, *, prefix: str) -> None:
    """Write JSON atomically to a file only its owner can read (mode 0600, directory 0700).

    The temporary file is created with mode 0600 before anything is written to it, then renamed
    over ``path``; a failure removes it. Used for the sessions file and the insecure secrets file.
    """
    import tempfile

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
