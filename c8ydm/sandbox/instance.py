"""Files and probes of one sandbox instance (stdlib only): data dir, port, state file, liveness."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path
from typing import Any

from c8ydm.sandbox.core.options import SandboxOptions

STATE_FILE = "sandbox.json"
PID_FILE = "sandbox.pid"
LOG_FILE = "sandbox.log"
DEFAULT_PORT = 8111
MAX_PORT = 65535
PROBE_TIMEOUT_SECONDS = 2.0
PID_HEADER = "X-C8ydm-Sandbox-Pid"  # sent by endpoints/tenant.py with /tenant/loginOptions
SEED_HEADER = "X-C8ydm-Sandbox-Seeded"  # "<devices seeded>/<devices>", sent with it


def default_data_dir() -> Path:
    """`$C8YDM_SANDBOX_DIR`, else `~/.local/share/c8ydm/sandbox`."""
    configured = os.environ.get("C8YDM_SANDBOX_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".local/share/c8ydm/sandbox"


def resolve_dir(data_dir: Path | str | None) -> Path:
    return Path(data_dir).expanduser().resolve() if data_dir else default_data_dir().resolve()


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class PortError(ValueError):
    """A port that cannot be used: out of range, or taken by another program."""


def pick_port(host: str, port: int | None) -> int:
    """None: 8111 if free, else a free one; 0: a free one; else that port, which must be free
    (PortError otherwise: checked before anything starts, not after a start timeout)."""
    if port is None and _port_is_free(host, DEFAULT_PORT):
        return DEFAULT_PORT
    if port is not None and not 0 <= port <= MAX_PORT:
        raise PortError(f"port {port} is out of range (0-{MAX_PORT}; 0 picks a free one)")
    if port:
        if not _port_is_free(host, port):
            raise PortError(f"port {port} on {host} is in use by another program")
        return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _url(host: str, port: int) -> str:
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"


def status_url(options: SandboxOptions) -> str:
    """The URL clients use for these options (loopback when the server listens on all interfaces)."""
    return _url(options.host, options.port)


def probe(url: str, pid: int | None = None, timeout: float = PROBE_TIMEOUT_SECONDS) -> tuple[int, int] | None:
    """(devices seeded, devices) if `GET <url>/tenant/loginOptions` answers 200 (from the process
    `pid`, if given), else None. The seed's progress comes in a private header of that answer; a
    sandbox too old to send it reports (-1, -1): seeded, as it was before it answered."""
    import urllib.request  # only when probing: keeps `import control` cheap for the CLI

    try:
        with urllib.request.urlopen(f"{url}/tenant/loginOptions", timeout=timeout) as response:
            ours = pid is None or response.headers.get(PID_HEADER) == str(pid)
            if int(response.status) != 200 or not ours:
                return None
            seeded, _, devices = str(response.headers.get(SEED_HEADER) or "-1/-1").partition("/")
            return int(seeded), int(devices or -1)
    except (OSError, ValueError):  # URLError is an OSError
        return None


def answers(url: str, pid: int | None = None, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
    """True if `GET <url>/tenant/loginOptions` answers 200 (from the process `pid`, if given)."""
    return probe(url, pid, timeout) is not None


def pid_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own exited child: reap it, it is gone
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_private(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)


def read_state(data_dir: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def write_state(options: SandboxOptions, pid: int) -> dict[str, Any]:
    state = {
        "url": _url(options.host, options.port),
        "tenant": options.tenant,
        "user": options.admin_user,
        "password": options.admin_password,
        "readonly_user": options.readonly_user,
        "readonly_password": options.readonly_password,
        "devices": options.devices,
        "port": options.port,
        "pid": pid,
        "data_dir": str(options.data_dir),
    }
    _write_private(options.data_dir / STATE_FILE, state)
    (options.data_dir / PID_FILE).write_text(f"{pid}\n", encoding="utf-8")
    return state


def log_tail(data_dir: Path, lines: int = 30) -> str:
    try:
        return "\n".join(
            (data_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        )
    except OSError:
        return "(no log)"
