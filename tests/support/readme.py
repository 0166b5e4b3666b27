"""The README's code blocks, for the tests that run them as written.

A block a test runs is marked in README.md by an HTML comment on the line before its fence:
``<!-- readme-test: NAME -->``; ``marked_block(NAME)`` is its text. ``console_blocks()`` are the
```` ```console ```` blocks: lists of (command, expected output lines).
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def text() -> str:
    return README.read_text(encoding="utf-8")


def marked_block(name: str) -> str:
    """The fenced block right after ``<!-- readme-test: NAME -->``."""
    readme = text()
    marker = f"<!-- readme-test: {name} -->\n"
    start = readme.index(marker) + len(marker)
    found = _FENCE.match(readme, start)
    assert found, f"no fenced block right after the marker {marker.strip()}"
    return found.group(2)
