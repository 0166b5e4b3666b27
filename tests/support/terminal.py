"""Run the real ``c8ydm`` with stdout and stderr on a pseudo-terminal, as a person would see it.

    from support.terminal import on_terminal
    code, screen = on_terminal(["device", "install", ...], env)

``screen`` is what the terminal received (both streams), with the control sequences Rich uses to
draw live displays (SGR, cursor moves, erase line) removed; any other escape sequence stays in it.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
from collections.abc import Mapping, Sequence

from support.entry_point import ENTRY_POINT

RICH_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ABCDGHKhlm]|\r")


def read_until_closed(main: int) -> bytes:
    """Everything a pseudo-terminal's main side receives until the child side is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def on_terminal(args: Sequence[str], env: Mapping[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run ``c8ydm ARGS`` on a terminal (stdin from /dev/null); returns (exit code, what it showed)."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [*ENTRY_POINT, *args], stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=dict(env)
    )
    os.close(child)
    received = read_until_closed(main)
    code = process.wait(timeout=timeout)
    os.close(main)
    raw = received.decode("utf-8", errors="replace")
    return code, RICH_CONTROL.sub("", raw)


def answering(
    args: Sequence[str], env: Mapping[str, str], answer: str, *, prompt: str = "[y/N] ", timeout: float = 60
) -> tuple[int, str]:
    """Run ``c8ydm ARGS`` with stdin, stdout and stderr on one terminal; type ``answer`` at ``prompt``.

    Returns (exit code, everything the terminal showed, Rich's drawing sequences removed).
    """
    import time

    pid, terminal = pty.fork()
    if pid == 0:  # the child: c8ydm on the pseudo-terminal
        os.execve(ENTRY_POINT[0], [*ENTRY_POINT, *args], dict(env))
    seen, deadline, answered = b"", time.monotonic() + timeout, False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not answered and prompt.encode() in seen:
            os.write(terminal, answer.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), RICH_CONTROL.sub("", seen.decode("utf-8", errors="replace"))
