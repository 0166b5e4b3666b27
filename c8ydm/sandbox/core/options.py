"""The options a sandbox runs with: one `SandboxOptions` per data dir (stdlib only, imported by the CLI too).

(Named "options", not "config", so it is never mistaken for device configuration.)

The admin and read-only passwords are local throwaway secrets generated once per data dir and kept
in `<data_dir>/credentials.json` (mode 0600), so a restart keeps the same login.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CREDENTIALS_FILE = "credentials.json"
DATABASE_FILE = "sandbox.db"
BINARIES_DIR = "binaries"

# `--fault "METHOD-AND-PATH-REGEX:KIND[:RATE[:ARG]]"`; KIND is latency | 429 | 503 | drop.
_FAULT_KINDS = ("latency", "429", "503", "drop")


@dataclass(frozen=True)
class FaultRule:
    """One fault-injection rule, matched against `"<METHOD> <path>"` with `re.search`.

    kind: "latency" (sleep `seconds`), "429" (with `Retry-After: seconds`), "503", or "drop"
    (close the connection without a response). rate: the share of matching requests affected.
    """

    pattern: str
    kind: str
    rate: float = 1.0
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in _FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(_FAULT_KINDS)}, not {self.kind!r}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate}")
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"fault pattern {self.pattern!r} is not a regular expression: {exc}") from exc

    @classmethod
    def parse(cls, text: str) -> FaultRule:
        """Parse `PATTERN:KIND[:RATE[:SECONDS]]`, e.g. `POST /inventory/.*:429:0.5:2`.

        The pattern may itself contain colons: the kind is found from the right.
        SECONDS is the latency for "latency" (default 0.2) and the Retry-After for "429" (default 1).
        """
        parts = text.rsplit(":", 3)
        for n_tail in (3, 2, 1):
            head, tail = ":".join(parts[: len(parts) - n_tail]), parts[len(parts) - n_tail :]
            if head and tail and tail[0] in _FAULT_KINDS:
                kind = tail[0]
                rate = float(tail[1]) if len(tail) > 1 else 1.0
                default = {"latency": 0.2, "429": 1.0}.get(kind, 0.0)
                seconds = float(tail[2]) if len(tail) > 2 else default
                return cls(pattern=head, kind=kind, rate=rate, seconds=seconds)
        raise ValueError(f"not a fault rule (PATTERN:KIND[:RATE[:SECONDS]]): {text!r}")

    def to_json(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "kind": self.kind, "rate": self.rate, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        return cls(
            pattern=str(data["pattern"]),
            kind=str(data["kind"]),
            rate=float(data.get("rate", 1.0)),
            seconds=float(data.get("seconds", 0.0)),
        )


def _new_secret() -> str:
    return secrets.token_urlsafe(18)


@dataclass
class SandboxOptions:
    """How a sandbox runs: where its data lives, where it listens, its fleet and its simulated faults."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    devices: int = 10
    seed: int = 42
    tenant: str = "t100"
    admin_user: str = "admin"
    admin_password: str = field(default_factory=_new_secret)
    readonly_user: str = "reader"
    readonly_password: str = field(default_factory=_new_secret)
    op_delay_seconds: float = 0.5
    failure_rate: float = 0.0
    silent_rate: float = 0.0
    faults: list[FaultRule] = field(default_factory=list)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def binaries_dir(self) -> Path:
        return self.data_dir / BINARIES_DIR

    @classmethod
    def for_data_dir(cls, data_dir: Path | str, **overrides: Any) -> SandboxOptions:
        """Options whose passwords are read from (or generated once into) the data dir."""
        path = Path(data_dir).expanduser().resolve()
        secrets_ = load_or_create_credentials(path)
        overrides.setdefault("admin_password", secrets_["admin_password"])
        overrides.setdefault("readonly_password", secrets_["readonly_password"])
        return cls(data_dir=path, **overrides)


def load_or_create_credentials(data_dir: Path) -> dict[str, str]:
    """The data dir's throwaway passwords, created on first use (file mode 0600)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CREDENTIALS_FILE
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            "admin_password": str(data["admin_password"]),
            "readonly_password": str(data["readonly_password"]),
        }
    data = {"admin_password": _new_secret(), "readonly_password": _new_secret()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return data
