"""The installed ``c8ydm`` entry point for subprocess tests, and one finished run of it.

    from support.entry_point import ENTRY_POINT, Run

Shared by tests/cli and tests/e2e. Test modules import helpers from here (a package), never from a
``conftest`` module: pytest keeps only one module named ``conftest`` in ``sys.modules``, so which
one such an import finds depends on the order of the test paths on the command line.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCRIPT = Path(sys.executable).with_name("c8ydm")
ENTRY_POINT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "c8ydm"]


@dataclass
class Run:
    """One finished ``c8ydm`` run (in-process or a subprocess)."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)
