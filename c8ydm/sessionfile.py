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
