"""The code stays readable: no function in c8ydm/ is longer than 60 lines (style.md; complexity is
ruff's C901 with max-complexity 12, configured in pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

import c8ydm

MAX_FUNCTION_LINES = 60
PACKAGE = Path(c8ydm.__file__).parent


def long_functions() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({length})")
    return found


def test_no_function_in_the_package_is_longer_than_60_lines() -> None:
    assert long_functions() == []
